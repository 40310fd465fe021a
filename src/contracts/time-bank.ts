import { SlaClockError, optionsObject, showValue } from "../errors";
import type { ContractTerms, TimeBank } from "../policy/tier";
import { TRINAX_TERMS } from "../presets/trinax";
import { DAY_MS, monthIndexOfDay } from "../time/civil";
import { toEpochMs, type InstantInput } from "../time/instant";
import { deepFreeze } from "../util/freeze";
import { contractZone, monthBounds } from "./uptime";

/**
 * Hours worked on a contract, at an instant (which month it falls in, in the contract's zone).
 *
 * @example
 * ```ts
 * const log: WorkLog = { at: "2026-02-03T10:00", hours: 2.5, ticketId: "T-17" };
 * ```
 */
export interface WorkLog {
  readonly at: InstantInput;
  readonly hours: number;
  readonly ticketId?: string;
}

/**
 * The months to bill, `YYYY-MM` to `YYYY-MM` inclusive.
 *
 * @example
 * ```ts
 * const q1: BillingPeriod = { from: "2026-01", to: "2026-03" };
 * ```
 */
export interface BillingPeriod {
  readonly from: string;
  readonly to: string;
}

/**
 * One month of a time-bank bill. Money in the contract's currency, hours to the hundredth.
 *
 * @example
 * ```ts
 * const line: InvoiceLine = { month: "2026-01", fee: 8000, hoursWorked: 10, bankHoursUsed: 10, bankHoursLeft: 5, billableHours: 0, hourlyCharge: 0, total: 8000 };
 * ```
 */
export interface InvoiceLine {
  readonly month: string;
  /** The fixed monthly fee (0 without one). */
  readonly fee: number;
  readonly hoursWorked: number;
  /** Hours drawn from the bank this month. */
  readonly bankHoursUsed: number;
  /** Bank hours left for the rest of the bank period after this month. */
  readonly bankHoursLeft: number;
  /** Hours beyond the bank, billed at the hourly rate. */
  readonly billableHours: number;
  readonly hourlyCharge: number;
  readonly total: number;
}

/**
 * A time-bank bill for a period: a line per month and the totals.
 *
 * @example
 * ```ts
 * import { trinaxInvoice } from "sla-clock";
 * const bill: Invoice = trinaxInvoice("alert", [{ at: "2026-02-03T10:00", hours: 20 }], { from: "2026-02", to: "2026-02" });
 * bill.totals.total; // 8000 + 5 × 850 = 12 250 SEK
 * ```
 */
export interface Invoice {
  readonly currency: string;
  readonly months: readonly InvoiceLine[];
  readonly totals: {
    readonly fee: number;
    readonly hoursWorked: number;
    readonly bankHoursUsed: number;
    readonly billableHours: number;
    readonly hourlyCharge: number;
    readonly total: number;
  };
}

/**
 * Options of {@link billTimeBank}.
 *
 * @example
 * ```ts
 * const options: TimeBankOptions = { zone: "Europe/Stockholm" };
 * ```
 */
export interface TimeBankOptions {
  /** IANA zone whose months and bank periods apply. Default `"Europe/Stockholm"`. */
  readonly zone?: string;
}

/** The most hours one work log may hold (a year of days), so that sums stay exact. */
const MAX_LOG_HOURS = 8784;

const PERIOD_MONTHS: Readonly<Record<TimeBank["period"], number>> = { month: 1, quarter: 3, "half-year": 6, year: 12 };

function badArgument(message: string, details: Record<string, unknown> = {}): SlaClockError {
  return new SlaClockError("INVALID_ARGUMENT", message, details);
}

const formatMonth = (index: number) =>
  `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;

/**
 * Bills a period under contract terms with a time bank. Hours worked in a bank period are drawn
 * from the bank first and the rest is billed at the hourly rate; unused bank hours expire at the
 * end of the period. Bank periods are calendar months, quarters (from January, April, July,
 * October), half-years or years in `options.zone`. Logs before `period.from` in the same bank
 * period use up the bank but are not billed; other logs outside the period are ignored. Terms
 * without a bank bill every hour. A month's hours are summed and then rounded to the hundredth (36
 * seconds); money is exact to the hundredth of the currency unit.
 *
 * @example
 * ```ts
 * import { billTimeBank, getProvider } from "sla-clock";
 * const attend = getProvider("trinax").tiers[1]!.terms!;
 * const bill = billTimeBank(attend, [{ at: "2026-01-15T10:00", hours: 4 }, { at: "2026-02-10T10:00", hours: 4 }], { from: "2026-02", to: "2026-02" });
 * bill.months[0]; // { month: "2026-02", bankHoursUsed: 2, billableHours: 2, hourlyCharge: 1780, total: 4780, … }
 * ```
 */
export function billTimeBank(
  terms: ContractTerms,
  workLogs: readonly WorkLog[],
  period: BillingPeriod,
  options: TimeBankOptions = {},
): Invoice {
  checkTerms(terms);
  const zone = contractZone(
    optionsObject(options, "options", '{ zone: "Europe/Stockholm" }', false, ["zone"]).zone,
    "Europe/Stockholm",
  );
  if (typeof period !== "object" || period === null)
    throw badArgument('period must be { from: "YYYY-MM", to: "YYYY-MM" }');
  // A zone put here was ignored, and a log near midnight fell into another month's bill.
  for (const key of Object.keys(period)) {
    if (key === "from" || key === "to") continue;
    throw badArgument(
      `period: unknown key "${key}"; it holds from and to only${key === "zone" ? " (the zone goes in options: { zone })" : ""}`,
      { value: key, path: `period.${key}` },
    );
  }
  const from = monthBounds(period.from, zone, "period.from");
  const to = monthBounds(period.to, zone, "period.to");
  const first = from.year * 12 + from.month - 1;
  const last = to.year * 12 + to.month - 1;
  if (last < first) throw badArgument(`period: to (${period.to}) is before from (${period.from})`);
  if (!Array.isArray(workLogs)) throw badArgument("workLogs must be an array of { at, hours }");
  const bank = terms.timeBank;
  const periodMonths = bank === null ? 1 : PERIOD_MONTHS[bank.period];
  // The bank period containing the first billed month starts here; earlier logs in it count.
  const bankStart = first - (first % periodMonths);
  const worked = new Map<number, number>(); // month index → hundredths of an hour
  workLogs.forEach((log: unknown, i) => {
    if (typeof log !== "object" || log === null)
      throw badArgument(`workLogs[${i}]: expected { at, hours }`, { index: i });
    const { at, hours } = log as WorkLog;
    if (typeof hours !== "number" || !Number.isFinite(hours) || hours < 0 || hours > MAX_LOG_HOURS) {
      throw badArgument(
        `workLogs[${i}].hours: expected a number of hours from 0 to ${MAX_LOG_HOURS}, got ${showValue(hours)}`,
        {
          index: i,
        },
      );
    }
    const t = toEpochMs(at, zone, `workLogs[${i}].at`);
    const month = monthIndexOfDay(Math.floor(zone.instantToWall(t) / DAY_MS));
    if (month < bankStart || month > last) return;
    worked.set(month, (worked.get(month) ?? 0) + hours);
  });
  // Hours are summed per month and then rounded to the hundredth (three logs of ⅓ h are 1.00 h);
  // toPrecision first, so that 1.005 is not taken for 1.00499….
  for (const [month, hours] of worked) worked.set(month, Math.round(Number((hours * 100).toPrecision(12))));
  const rate = Math.round(terms.hourlyRate.amount * 100); // hundredths of the currency per hour
  const fee = terms.monthlyFee === null ? 0 : Math.round(terms.monthlyFee.amount * 100);
  const bankSize = bank === null ? 0 : Math.round(bank.hours * 100);
  const lines: InvoiceLine[] = [];
  let left = bankSize;
  for (let m = bankStart; m <= last; m++) {
    if (m % periodMonths === 0) left = bankSize; // a new bank period: unused hours expired
    const hours = worked.get(m) ?? 0;
    const used = Math.min(left, hours);
    left -= used;
    if (m < first) continue;
    const billable = hours - used;
    // Hundredths of an hour × hundredths of currency per hour = ten-thousandths; round to hundredths.
    const charge = Math.round((billable * rate) / 100);
    lines.push({
      month: formatMonth(m),
      fee: fee / 100,
      hoursWorked: hours / 100,
      bankHoursUsed: used / 100,
      bankHoursLeft: left / 100,
      billableHours: billable / 100,
      hourlyCharge: charge / 100,
      total: (fee + charge) / 100,
    });
  }
  const sum = (key: keyof InvoiceLine) => Math.round(lines.reduce((s, l) => s + (l[key] as number) * 100, 0)) / 100;
  return deepFreeze({
    currency: terms.hourlyRate.currency,
    months: lines,
    totals: {
      fee: sum("fee"),
      hoursWorked: sum("hoursWorked"),
      bankHoursUsed: sum("bankHoursUsed"),
      billableHours: sum("billableHours"),
      hourlyCharge: sum("hourlyCharge"),
      total: sum("total"),
    },
  });
}

function money(value: unknown): boolean {
  const m = value as { amount?: unknown; currency?: unknown } | null;
  return (
    typeof m === "object" &&
    m !== null &&
    typeof m.amount === "number" &&
    Number.isFinite(m.amount) &&
    m.amount >= 0 &&
    typeof m.currency === "string"
  );
}

/** The parts of ContractTerms a bill reads, checked so that bad terms give a typed error. */
function checkTerms(terms: unknown): void {
  const t = terms as Partial<ContractTerms> | null;
  if (typeof t !== "object" || t === null)
    throw badArgument("terms: expected ContractTerms { timeBank, monthlyFee, hourlyRate, … }");
  if (!money(t.hourlyRate)) throw badArgument("terms.hourlyRate: expected { amount ≥ 0, currency }");
  if (t.monthlyFee !== null && !money(t.monthlyFee))
    throw badArgument("terms.monthlyFee: expected { amount ≥ 0, currency } or null");
  // One total in one currency: a fee in EUR and a rate in SEK were added into "SEK".
  const fee = t.monthlyFee as { readonly currency: string } | null;
  const rate = t.hourlyRate as { readonly currency: string };
  if (fee !== null && fee.currency !== rate.currency)
    throw badArgument(
      `terms.monthlyFee: its currency ${showValue(fee.currency)} differs from the hourly rate's ${showValue(rate.currency)}; a bill has one currency`,
    );
  const bank = t.timeBank;
  if (bank !== null) {
    if (
      typeof bank !== "object" ||
      bank === undefined ||
      // Own keys only: "toString" is `in` every object, and was read as a period of no months.
      !Object.prototype.hasOwnProperty.call(PERIOD_MONTHS, bank.period) ||
      typeof bank.hours !== "number" ||
      !(bank.hours >= 0)
    ) {
      throw badArgument(
        `terms.timeBank: expected { hours ≥ 0, period: ${Object.keys(PERIOD_MONTHS).join(" | ")} } or null`,
      );
    }
  }
}

/**
 * The Trinax tiers that a bill can be made for.
 *
 * @example
 * ```ts
 * const tier: TrinaxTier = "attend";
 * ```
 */
export type TrinaxTier = "alert" | "attend" | "access" | "none";

/**
 * A Trinax bill (seed 003): the tier's time bank (Alert! 15 h and Attend! 6 h per quarter, Access!
 * 4 h per year), fixed monthly fee and hourly rate; without a contract every hour costs 980 SEK.
 * See {@link billTimeBank} for the rules.
 *
 * @example
 * ```ts
 * import { trinaxInvoice } from "sla-clock";
 * trinaxInvoice("none", [{ at: "2026-03-02T09:00", hours: 1.5 }], { from: "2026-03", to: "2026-03" }).totals.total; // 1470
 * ```
 */
export function trinaxInvoice(
  tier: TrinaxTier,
  workLogs: readonly WorkLog[],
  period: BillingPeriod,
  options: TimeBankOptions = {},
): Invoice {
  const terms =
    typeof tier === "string" && Object.prototype.hasOwnProperty.call(TRINAX_TERMS, tier)
      ? TRINAX_TERMS[tier]
      : undefined;
  if (terms === undefined) {
    throw badArgument(
      `tier: ${showValue(tier)} is not a Trinax tier; use one of ${Object.keys(TRINAX_TERMS).join(", ")}`,
      {
        value: tier,
        valid: Object.keys(TRINAX_TERMS),
      },
    );
  }
  return billTimeBank(terms, workLogs, period, options);
}
