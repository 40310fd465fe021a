/**
 * Trinax service and support contracts ("Nya service- & supportavtal", 003, Swedish).
 *
 * - "Inställelsetid (8-17)* 1 h enligt prioriteringstabell ** | 8 h | 16 h | -" for Alert! /
 *   Attend! / Access! / Avtalslös; "*Tiden för när felavhjälpande åtgärder startar" — a response
 *   target counted within 08–17. Weekdays are assumed and Swedish public holidays closed
 *   (presets.md §2).
 * - "Timbank 15h / kvartal | 6h / kvartal | 4h / år", "Fast månadsavgift 8 000 kr | 3 000 kr |
 *   500 kr", "Löpande timpris (8-17) 850 kr | 890 kr | 940 kr | 980 kr", "Avtalstid 12 mån",
 *   "Avstämningsmöten Kvartal | Halvår", "Rapportering Månadsvis | Kvartal | År".
 * - Prioriteringstabell: 1 Kritisk, 2 Hög, 3 Normal, 4 Låg.
 */
import type { CalendarSpec, DayHours } from "../calendar/spec";
import type { PolicySpec, PrioritySpec } from "../policy/spec";
import type { Target } from "../policy/target";
import type { ContractTerms, Provider } from "../policy/tier";

const DAY: DayHours = [["08:00", "17:00"]];

/** `trinax`: Europe/Stockholm, weekdays 08–17, Swedish public holidays closed. */
export function trinaxCalendar(): CalendarSpec {
  return {
    id: "trinax",
    name: "Trinax 8–17",
    zone: "Europe/Stockholm",
    weekly: { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY },
    holidays: { country: "SE", types: ["public"] },
  };
}

const LEVELS = [
  {
    label: "Kritisk",
    labelEn: "Critical",
    description:
      "Systemkrasch, nod eller hela systemet/tjänsten är otillgänglig. Verksamhetsstoppande problem för huvuddelen av användarna.",
    descriptionEn: "System crash; a node or the whole system/service is unavailable. Business stops for most users.",
  },
  {
    label: "Hög",
    labelEn: "High",
    description:
      "En eller flera funktion(er) i systemet är inte tillgängligt. Inget alternativt sätt finns för användaren att lösa sin arbetsuppgift. Verksamhetshindrande problem i systemet innebär problem för användarna, t.ex. fel som innebär att de inte kan utföra specifika uppgifter, alternativt med kraftigt begränsad prestanda.",
    descriptionEn:
      "One or more functions are unavailable and users have no other way to do the task: business-hindering problems such as tasks that cannot be done, or severely limited performance.",
  },
  {
    label: "Normal",
    labelEn: "Normal",
    description:
      "Primär funktion i systemet är felaktig eller otillgänglig. Felet innebär mindre problem för användarna och är inte verksamhetsstoppande. Det finns dock alternativa sätt för användaren att i systemet lösa sin arbetsuppgift.",
    descriptionEn:
      "A primary function is faulty or unavailable; minor problems for users, not business-stopping; users have other ways to do the task in the system.",
  },
  {
    label: "Låg",
    labelEn: "Low",
    description:
      "Mindre funktionellt fel eller av kosmetisk karaktär. Det finns alternativt sätt för användaren att i systemet/tjänsten lösa sin arbetsuppgift. Felet innebär lindrig olägenhet för användarna.",
    descriptionEn: "A minor functional or cosmetic fault with a workaround; a slight inconvenience for users.",
  },
] as const;

function priorities(response: Target): PrioritySpec[] {
  return LEVELS.map((level, i) => ({
    id: i + 1,
    label: `${i + 1} – ${level.label}`,
    labelEn: `${i + 1} – ${level.labelEn}`,
    description: level.description,
    descriptionEn: level.descriptionEn,
    targets: { response, resolution: { kind: "none" } },
  }));
}

const SEK = (amount: number) => ({ amount, currency: "SEK" });

/** Contract terms per tier, from the table in 003. */
export const TRINAX_TERMS: Readonly<Record<"alert" | "attend" | "access" | "none", ContractTerms>> = {
  alert: {
    timeBank: { hours: 15, period: "quarter" },
    monthlyFee: SEK(8000),
    hourlyRate: SEK(850),
    hourlyRateHours: "08:00–17:00",
    termMonths: 12,
    reconciliationMeetings: "quarterly",
    reporting: "monthly",
  },
  attend: {
    timeBank: { hours: 6, period: "quarter" },
    monthlyFee: SEK(3000),
    hourlyRate: SEK(890),
    hourlyRateHours: "08:00–17:00",
    termMonths: 12,
    reconciliationMeetings: "half-yearly",
    reporting: "quarterly",
  },
  access: {
    timeBank: { hours: 4, period: "year" },
    monthlyFee: SEK(500),
    hourlyRate: SEK(940),
    hourlyRateHours: "08:00–17:00",
    termMonths: 12,
    reconciliationMeetings: null,
    reporting: "yearly",
  },
  none: {
    timeBank: null,
    monthlyFee: null,
    hourlyRate: SEK(980),
    hourlyRateHours: "08:00–17:00",
    termMonths: null,
    reconciliationMeetings: null,
    reporting: null,
  },
};

const TIERS = [
  { id: "alert", name: "Alert!", response: 1 },
  { id: "attend", name: "Attend!", response: 8 },
  { id: "access", name: "Access!", response: 16 },
  { id: "none", name: "Avtalslös", response: null },
] as const;

/** The four Trinax policies (`trinax-alert`, `trinax-attend`, `trinax-access`, `trinax-none`). */
export function trinaxPolicy(tier: "alert" | "attend" | "access" | "none", calendar: CalendarSpec): PolicySpec {
  const t = TIERS.find((x) => x.id === tier)!;
  const response: Target =
    t.response === null ? { kind: "none" } : { kind: "business", duration: { hours: t.response } };
  return {
    id: `trinax-${tier}`,
    name: `Trinax ${t.name}`,
    calendar,
    priorities: priorities(response),
    description:
      t.response === null
        ? "No support contract: no response target; every hour billed at 980 SEK."
        : `Response (work starts) within ${t.response} h of 08–17 on weekdays, every priority.`,
    source: "Trinax, Nya service- & supportavtal, Avtalsmodeller and Prioriteringstabell (003)",
  };
}

/** The Trinax provider entry, with the contract terms of each tier. */
export const TRINAX_PROVIDER: Provider = {
  id: "trinax",
  name: "Trinax",
  sources: ["Trinax Nya service- & supportavtal (Swedish), 003"],
  tiers: [
    {
      id: "alert",
      name: "Alert!",
      policyId: "trinax-alert",
      recommendedFor:
        "systems that are wholly business-critical, cause extensive outages or trigger warranty obligations to third parties",
      terms: TRINAX_TERMS.alert,
    },
    {
      id: "attend",
      name: "Attend!",
      policyId: "trinax-attend",
      recommendedFor: "systems central to all or part of daily operations, where disruption is a major inconvenience",
      terms: TRINAX_TERMS.attend,
    },
    {
      id: "access",
      name: "Access!",
      policyId: "trinax-access",
      recommendedFor: "systems central to daily operations whose functions can briefly be kept up by other routines",
      terms: TRINAX_TERMS.access,
    },
    { id: "none", name: "Avtalslös", policyId: "trinax-none", recommendedFor: "no contract", terms: TRINAX_TERMS.none },
  ],
};
