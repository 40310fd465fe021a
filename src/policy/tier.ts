/**
 * An amount of money.
 *
 * @example
 * ```ts
 * const fee: Money = { amount: 8000, currency: "SEK" };
 * ```
 */
export interface Money {
  readonly amount: number;
  /** ISO 4217 code. */
  readonly currency: string;
}

/**
 * A time bank: hours included per period; hours worked in a period are drawn from the bank first,
 * the rest is billed at the hourly rate, and unused hours expire at the end of the period.
 *
 * @example
 * ```ts
 * const bank: TimeBank = { hours: 15, period: "quarter" };
 * ```
 */
export interface TimeBank {
  readonly hours: number;
  readonly period: "month" | "quarter" | "half-year" | "year";
}

/**
 * The commercial terms of a contract tier, as typed data.
 *
 * @example
 * ```ts
 * const alert: ContractTerms = {
 *   timeBank: { hours: 15, period: "quarter" },
 *   monthlyFee: { amount: 8000, currency: "SEK" },
 *   hourlyRate: { amount: 850, currency: "SEK" },
 *   hourlyRateHours: "08:00–17:00",
 *   termMonths: 12,
 *   reconciliationMeetings: "quarterly",
 *   reporting: "monthly",
 * };
 * ```
 */
export interface ContractTerms {
  /** Included hours, or `null` when none are. */
  readonly timeBank: TimeBank | null;
  /** Fixed monthly fee, or `null`. */
  readonly monthlyFee: Money | null;
  /** Rate for hours worked beyond the bank. */
  readonly hourlyRate: Money;
  /** When the hourly rate applies, as the document says it. */
  readonly hourlyRateHours?: string;
  /** Minimum term in months, or `null` for none. */
  readonly termMonths: number | null;
  /** How often the parties meet to reconcile, or `null`. */
  readonly reconciliationMeetings: "monthly" | "quarterly" | "half-yearly" | "yearly" | null;
  /** How often the provider reports, or `null`. */
  readonly reporting: "monthly" | "quarterly" | "yearly" | null;
}

/**
 * One tier (or regional variant) of a provider's support offer, pointing at its policy.
 *
 * @example
 * ```ts
 * const tier: Tier = { id: "alert", name: "Alert!", policyId: "trinax-alert", recommendedFor: "business-critical systems" };
 * ```
 */
export interface Tier {
  readonly id: string;
  readonly name: string;
  /** The id to pass to `getPolicy`. */
  readonly policyId: string;
  /** What the provider recommends the tier for. */
  readonly recommendedFor?: string;
  /** Commercial terms, where the document gives them. */
  readonly terms?: ContractTerms;
}

/**
 * A support provider whose published terms ship as presets.
 *
 * @example
 * ```ts
 * import { getProvider } from "sla-clock";
 * const trinax: Provider = getProvider("trinax");
 * trinax.tiers.map((t) => t.name); // ["Alert!", "Attend!", "Access!", "Avtalslös"]
 * ```
 */
export interface Provider {
  readonly id: string;
  readonly name: string;
  /** The documents the presets encode, by title. */
  readonly sources: readonly string[];
  readonly tiers: readonly Tier[];
}
