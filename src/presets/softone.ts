/**
 * SoftOne (Sweden and Finland), "Service & Kvalitet".
 *
 * Sources:
 * - 000 SLA "Service & Kvalitet" §4 Supportnivåer: priorities 1–5 and the response times
 *   "Prioritet 1: 2 timmar … Prioritet 4 eller 5: 48 timmar", counted "under SoftOnes ordinarie
 *   öppettider" (business hours).
 * - 001 SoftOne-tuki (Finland): "Arkisin 8-15, lounasaikana suljettuna 11-12. Perjantaisin suljemme
 *   klo 14. Pyhäpäivien aattona suljemme klo 14." The page lists the same priority levels but not
 *   the times; the Finnish preset takes the Swedish times, as presets.md §3 says.
 * - 002 Kundguiden (Sweden), Kontaktvägar/Öppettider: "vardagar 8-16 med lunchstängt 12-13. Dag före
 *   röd dag stänger vi kl 13"; Servicenivåer – tidsramar: resolution goals "Samma dag", "Samma
 *   vecka", "Inom 4 veckor", "Inom 1-6 månader", "Inom 1-12 månader".
 */
import type { CalendarSpec, DayHours } from "../calendar/spec";
import type { PolicySpec, PrioritySpec } from "../policy/spec";
import type { Target } from "../policy/target";
import type { Provider } from "../policy/tier";

/** Options of the SoftOne calendars. */
export interface SoftOneCalendarOptions {
  /**
   * Also close the de-facto holidays that the data types `bank` (Sweden: Julafton, Midsommarafton,
   * Nyårsafton; Finland: jouluaatto, juhannusaatto, uudenvuodenaatto). Default `false`: read
   * literally, "röd dag" means a public holiday, so those days are eves and close early. Eves stay
   * defined by public holidays either way.
   */
  readonly closeDeFactoHolidays?: boolean;
}

const SE_DAY: DayHours = [
  ["08:00", "12:00"],
  ["13:00", "16:00"],
];
const FI_DAY: DayHours = [
  ["08:00", "11:00"],
  ["12:00", "15:00"],
];

function holidays(country: "SE" | "FI", options: SoftOneCalendarOptions): CalendarSpec["holidays"] {
  return options.closeDeFactoHolidays
    ? { country, types: ["public", "bank"], eveTypes: ["public"] }
    : { country, types: ["public"] };
}

/** `softone-se`: Europe/Stockholm, weekdays 08–12 and 13–16, Swedish public holidays, eves close 13:00 (002). */
export function softoneSeCalendar(options: SoftOneCalendarOptions = {}): CalendarSpec {
  return {
    id: "softone-se",
    name: "SoftOne Sverige – ordinarie öppettider",
    zone: "Europe/Stockholm",
    weekly: { mon: SE_DAY, tue: SE_DAY, wed: SE_DAY, thu: SE_DAY, fri: SE_DAY },
    holidays: holidays("SE", options),
    eves: { closeAt: "13:00" },
  };
}

/**
 * `softone-fi`: Europe/Helsinki, weekdays 08–11 and 12–15, Fridays and eves of public holidays
 * close 14:00 (001), Finnish public holidays.
 */
export function softoneFiCalendar(options: SoftOneCalendarOptions = {}): CalendarSpec {
  return {
    id: "softone-fi",
    name: "SoftOne Suomi – normaalit aukioloajat",
    zone: "Europe/Helsinki",
    weekly: { mon: FI_DAY, tue: FI_DAY, wed: FI_DAY, thu: FI_DAY, fri: FI_DAY },
    holidays: holidays("FI", options),
    eves: { closeAt: "14:00" },
    weekdayRules: [{ weekdays: ["fri"], closeAt: "14:00", name: "Perjantaisin suljemme klo 14" }],
  };
}

const business = (hours: number): Target => ({ kind: "business", duration: { hours } });

/** Resolution goals of 002 "Servicenivåer – tidsramar", level 1–5. */
const RESOLUTION: readonly Target[] = [
  { kind: "endOfBusinessDay" }, // "Samma dag"
  { kind: "endOfBusinessWeek" }, // "Samma vecka"
  { kind: "calendar", duration: { weeks: 4 } }, // "Inom 4 veckor"
  { kind: "window", earliest: { months: 1 }, latest: { months: 6 } }, // "Inom 1-6 månader"
  { kind: "window", earliest: { months: 1 }, latest: { months: 12 } }, // "Inom 1-12 månader"
];
/** Response times of 000 §4, level 1–5. */
const RESPONSE_HOURS = [2, 4, 12, 48, 48] as const;

/** The lines of 002 "Servicenivåer – tidsramar" that state the resolution goals, level 1–5. */
const RESOLUTION_LINES = [
  "Samma dag",
  "Samma vecka",
  "Inom 4 veckor",
  "Inom 1-6 månader",
  "Inom 1-12 månader",
] as const;

/** Where each target of level `i` is stated; `responseClause` differs between Sweden and Finland. */
function clausesOf(i: number, responseClause: string): { response: string; resolution: string } {
  return {
    response: responseClause,
    resolution: `SoftOne Kundguiden, Servicenivåer – tidsramar (002): "${RESOLUTION_LINES[i] as string}"`,
  };
}

const DESCRIPTIONS_EN = [
  "The software service cannot be started; all or essential parts of it are unavailable and cannot be worked around.",
  "Business operations are made considerably harder, but use of the software service is not prevented.",
  "Some part of business operations is made considerably harder, but use of the software service is not prevented. Priority 1 and 2 cases are also given this priority once a workaround can be provided.",
  "Important to the customer but can be worked around.",
  "The default level. Of minor importance to the customer.",
] as const;

const DESCRIPTIONS_SV = [
  "Programvarutjänsten går ej att starta, hela eller väsentliga delar av Programvarutjänsten är inte tillgängliga och går ej att kringgå.",
  "Innebär att affärsverksamheten avsevärt försvåras men förhindrar inte användningen av Programvarutjänsten.",
  "Innebär att viss del av affärsverksamheten avsevärt försvåras men förhindrar inte användningen av Programvarutjänsten. Denna prioritet tilldelas även prioritet 1 och 2 ärenden, där en alternativ lösning kan tillhandahållas.",
  "Är viktigt för Kunden men kan kringgås.",
  "Denna prioritetsnivå utgör standardnivå. Är av mindre betydelse för Kunden.",
] as const;

const DESCRIPTIONS_FI = [
  "Ohjelmistopalvelua ei voida käynnistää, kaikki ohjelmistopalvelun tai sen olennaiset osat eivät ole käytettävissä eikä niitä voi ohittaa.",
  "Tarkoittaa, että liiketoiminta on merkittävästi estetty, mutta ei estä Ohjelmistopalvelun käyttöä.",
  "Tarkoittaa, että jokin osa liiketoiminnasta on merkittävästi estetty, mutta ei estä Ohjelmistopalvelun käyttöä. Tämä prioriteetti asetetaan myös prioriteetti 1 ja 2 tapauksille, joissa voidaan tarjota vaihtoehtoinen ratkaisu.",
  "Asiakkaalle tärkeä, mutta se voidaan ohittaa.",
  "Tämä prioriteettitaso on oletustaso. Asiakkaalle vähämerkityksinen.",
] as const;

function priorities(labelWord: string, descriptions: readonly string[], responseClause: string): PrioritySpec[] {
  return RESPONSE_HOURS.map((hours, i) => ({
    id: i + 1,
    label: `${labelWord} ${i + 1}`,
    labelEn: `Priority ${i + 1}`,
    description: descriptions[i] as string,
    descriptionEn: DESCRIPTIONS_EN[i] as string,
    targets: { response: business(hours), resolution: RESOLUTION[i] as Target },
    clauses: clausesOf(i, responseClause),
  }));
}

/** `softone-se` policy (000 §4, 002). */
export function softoneSePolicy(calendar: CalendarSpec): PolicySpec {
  return {
    id: "softone-se",
    name: "SoftOne Service & Kvalitet (Sverige)",
    calendar,
    priorities: priorities("Prioritet", DESCRIPTIONS_SV, "SoftOne SLA Service & Kvalitet §4 Supportnivåer (000)"),
    description:
      "Response within 2/4/12/48/48 business hours by priority on SoftOne's Swedish opening hours; resolution goals same day, same week, 4 weeks, 1–6 months, 1–12 months.",
    source:
      "SoftOne SLA Service & Kvalitet §4 (000); SoftOne Kundguiden, Servicenivåer – tidsramar and Öppettider (002)",
  };
}

/** `softone-fi` policy (001, with the Swedish targets). */
export function softoneFiPolicy(calendar: CalendarSpec): PolicySpec {
  return {
    id: "softone-fi",
    name: "SoftOne Service & Quality (Suomi)",
    calendar,
    priorities: priorities(
      "Prioriteetti",
      DESCRIPTIONS_FI,
      "SoftOne SLA Service & Kvalitet §4 Supportnivåer (000); SoftOne-tuki (001) lists the levels without times",
    ),
    description:
      "SoftOne's Swedish targets on the Finnish opening hours (weekdays 8–15, lunch 11–12, Fridays and eves close 14:00).",
    source: "SoftOne-tuki, Palvelu ja laatu and Tukitasot (001); targets as SoftOne SLA §4 (000) and Kundguiden (002)",
  };
}

/** The SoftOne provider entry. */
export const SOFTONE_PROVIDER: Provider = {
  id: "softone",
  name: "SoftOne",
  sources: [
    "SoftOne SLA Service & Kvalitet (Swedish), 000",
    "SoftOne-tuki (Finnish support page), 001",
    "SoftOne Kundguiden (Swedish customer guide), 002",
  ],
  tiers: [
    { id: "se", name: "Service & Kvalitet (Sverige)", policyId: "softone-se" },
    { id: "fi", name: "Service & Quality (Suomi)", policyId: "softone-fi" },
  ],
};
