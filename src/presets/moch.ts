/**
 * MOCH support policy ("Supportservice-politik", 004, Danish).
 *
 * - Standard hours: "mandag til fredag (undtagen helligdage i Danmark) fra 09.00 til 17.00 UTC
 *   (justeret til lokal tid København)"; "Alle supportforespørgsler vil blive besvaret inden for 12
 *   arbejdstimer".
 * - Extended hours: "08.00 til 22.00 UTC"; "Mål for Reaktionstid" P1 2 timer, P2 4 timer, P3 12
 *   timer, P4 24 timer, P5 "Bedste Bestræbelser" (best effort).
 * - Uptime: "Månedlig Oppetidsprocent … på mindst 99,99%" (see `monthlyUptime`).
 *
 * Reading (presets.md §2): the hours are fixed in UTC and a Danish public holiday closes the UTC
 * weekday with the same date. "(justeret til lokal tid København)" can also be read as Copenhagen
 * wall time; that reading is the option `hoursZone: "Europe/Copenhagen"`. date-holidays has no
 * Store Bededag from 2024 on (abolished), and the presets follow the data.
 */
import type { CalendarSpec, DayHours } from "../calendar/spec";
import type { PolicySpec, PrioritySpec } from "../policy/spec";
import type { Target } from "../policy/target";
import type { Provider } from "../policy/tier";

/** Options of the MOCH calendars. */
export interface MochCalendarOptions {
  /** Zone the hours are read in: `"UTC"` (default, the literal wording) or `"Europe/Copenhagen"`. */
  readonly hoursZone?: "UTC" | "Europe/Copenhagen";
}

function mochCalendar(
  id: string,
  name: string,
  open: string,
  close: string,
  options: MochCalendarOptions,
): CalendarSpec {
  const day: DayHours = [[open, close]];
  return {
    id,
    name,
    zone: options.hoursZone ?? "UTC",
    weekly: { mon: day, tue: day, wed: day, thu: day, fri: day },
    holidays: { country: "DK", types: ["public"] },
  };
}

/** `moch-standard`: Mon–Fri 09:00–17:00 UTC, Danish public holidays closed. */
export function mochStandardCalendar(options: MochCalendarOptions = {}): CalendarSpec {
  return mochCalendar("moch-standard", "MOCH standard åbningstider", "09:00", "17:00", options);
}

/** `moch-extended`: Mon–Fri 08:00–22:00 UTC, Danish public holidays closed. */
export function mochExtendedCalendar(options: MochCalendarOptions = {}): CalendarSpec {
  return mochCalendar("moch-extended", "MOCH udvidede åbningstider", "08:00", "22:00", options);
}

const LEVELS = [
  {
    label: "Kritisk Problem",
    labelEn: "Critical problem",
    description:
      "Alvorlig indvirkning på Kundens forretningsdrift. Kundens evne til at udføre arbejdet er gået i stå eller er meget alvorligt svækket. Alle eller de fleste brugere er berørt.",
    descriptionEn:
      "Serious impact on the customer's business: the ability to work has stopped or is very seriously impaired. All or most users are affected.",
  },
  {
    label: "Moderat Problem",
    labelEn: "Moderate problem",
    description:
      "Det er vanskeligt at nå operationelle mål, og den daglige forretning påvirkes. Et betydeligt antal brugere eller et funktionelt forretningsområde påvirkes f.eks. en afdeling.",
    descriptionEn:
      "Operational goals are hard to reach and daily business is affected. A significant number of users or a functional business area, e.g. a department, is affected.",
  },
  {
    label: "Problem på Lavt Niveau",
    labelEn: "Low-level problem",
    description:
      "Kunden kan udføre de fleste eller alle sine daglige opgaver. Kan variere fra nogle få brugere, der er moderat berørt, til alle brugere med et mindre problem.",
    descriptionEn:
      "The customer can do most or all daily tasks. Ranges from a few moderately affected users to all users with a minor problem.",
  },
  {
    label: "Mindre Problem",
    labelEn: "Minor problem",
    description: "Problemet er mindre og påvirker en eller to brugere.",
    descriptionEn: "The problem is minor and affects one or two users.",
  },
  {
    label: "Anmodning om Oplysninger",
    labelEn: "Request for information",
    description:
      "En slutbruger har bedt om nogle oplysninger, der ikke umiddelbart er tilgængelige for first line support.",
    descriptionEn: "An end user has asked for information that first-line support does not readily have.",
  },
] as const;

function priorities(response: readonly Target[]): PrioritySpec[] {
  return LEVELS.map((level, i) => ({
    id: i + 1,
    label: `Prioritet ${i + 1} – ${level.label}`,
    labelEn: `Priority ${i + 1} – ${level.labelEn}`,
    description: level.description,
    descriptionEn: level.descriptionEn,
    targets: { response: response[i] as Target, resolution: { kind: "none" } },
  }));
}

const hours = (h: number): Target => ({ kind: "business", duration: { hours: h } });

/** `moch-standard` policy: 12 working hours for every priority (004, Standard Supportservice). */
export function mochStandardPolicy(calendar: CalendarSpec): PolicySpec {
  return {
    id: "moch-standard",
    name: "MOCH Standard Supportservice",
    calendar,
    priorities: priorities([hours(12), hours(12), hours(12), hours(12), hours(12)]),
    description: "Every support request answered within 12 working hours (Mon–Fri 09–17 UTC, Danish holidays closed).",
    source: "MOCH Supportservice-politik, Standard Supportservice (004)",
  };
}

/** `moch-extended` policy: P1 2 h, P2 4 h, P3 12 h, P4 24 h, P5 best effort (004, Mål for Reaktionstid). */
export function mochExtendedPolicy(calendar: CalendarSpec): PolicySpec {
  return {
    id: "moch-extended",
    name: "MOCH Udvidet Supportservice",
    calendar,
    priorities: priorities([hours(2), hours(4), hours(12), hours(24), { kind: "none" }]),
    description:
      "Reaction targets 2/4/12/24 working hours, P5 best effort (Mon–Fri 08–22 UTC, Danish holidays closed).",
    source: "MOCH Supportservice-politik, Udvidet Supportservice, Mål for Reaktionstid (004)",
  };
}

/** The MOCH provider entry. */
export const MOCH_PROVIDER: Provider = {
  id: "moch",
  name: "MOCH",
  sources: ["MOCH Supportservice-politik (Danish support policy), 004"],
  tiers: [
    {
      id: "standard",
      name: "Standard Supportservice",
      policyId: "moch-standard",
      recommendedFor: "every customer (included)",
    },
    {
      id: "extended",
      name: "Udvidet Supportservice",
      policyId: "moch-extended",
      recommendedFor: "customers who bought extended support",
    },
  ],
};
