import { describe } from "../time/instant";
import type * as z from "zod/mini";
import { allowedKeysAt, issuesOfMatchedOption, lazySchema, type ZodApi } from "../util/zod";
import {
  formatPath,
  readingInput,
  refuseHiddenContent,
  SlaClockError,
  unknownKeysMessage,
  validationError,
  type ValidationIssue,
} from "../errors";
import { deepFreeze } from "../util/freeze";
import { BoundedLru } from "../util/lru";
import { isoWeekday, parseDay } from "../time/civil";
import { MAX_YEAR, MIN_YEAR } from "../time/range";
import { isKnownZone } from "../time/zone";
// ./holidays.ts in Node, a slot it fills in the browser build (see ./date-holidays-slot.ts).
import { dateHolidaysIssues } from "./date-holidays-link";

/**
 * A bad input as an error message quotes it: as `String` writes it, or (for a value whose
 * `toString` is not a function or throws: `{ toString: 0 }`) as `describe` does, so that a message
 * about bad input never fails itself.
 */
function shown(input: unknown): string {
  try {
    return String(input);
  } catch {
    return describe(input);
  }
}

/**
 * A day of the week, as the keys of {@link CalendarSpec.weekly}.
 *
 * @example
 * ```ts
 * const friday: Weekday = "fri";
 * ```
 */
export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

/** The weekdays in ISO order (Monday first). @internal */
export const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/**
 * A wall-clock time of day, `"HH:mm"` from `"00:00"` to `"24:00"` (`"24:00"` only as an end).
 *
 * @example
 * ```ts
 * const close: TimeOfDay = "16:00";
 * ```
 */
export type TimeOfDay = string;

/**
 * One open interval of a day, `[open, close)`. When `close` is earlier than `open` the interval
 * runs past midnight and belongs to the day it starts on (`["22:00", "06:00"]`).
 *
 * @example
 * ```ts
 * const morning: HoursInterval = ["08:00", "12:00"];
 * const nightShift: HoursInterval = ["22:00", "06:00"];
 * ```
 */
export type HoursInterval = readonly [TimeOfDay, TimeOfDay];

/**
 * A day's open intervals, sorted and not overlapping. An empty list means closed.
 *
 * @example
 * ```ts
 * const withLunch: DayHours = [["08:00", "12:00"], ["13:00", "16:00"]];
 * ```
 */
export type DayHours = readonly HoursInterval[];

/**
 * The `date-holidays` holiday types.
 *
 * @example
 * ```ts
 * const types: HolidayType[] = ["public", "bank"];
 * ```
 */
export type HolidayType = "public" | "bank" | "school" | "optional" | "observance";

/**
 * What to do with `date-holidays`' substitute ("observed") days, which some countries' data lists
 * beside the holiday itself (US: New Year's Day on Saturday 2022-01-01 and its substitute, Friday
 * 2021-12-31): `"both"` closes both dates (the default); `"replaceOriginal"` closes the substitute
 * only, so the original date is judged as if the data did not list that holiday; `"ignore"` closes
 * the original only.
 *
 * @example
 * ```ts
 * const observedOnly: SubstituteDays = "replaceOriginal";
 * ```
 */
export type SubstituteDays = "both" | "replaceOriginal" | "ignore";

/**
 * Holidays from the `date-holidays` data for a country (and optionally a state and region),
 * filtered by type. `source` may be left out: this is the default source.
 *
 * @example
 * ```ts
 * const swedish: DateHolidaysSource = { country: "SE" }; // public holidays close
 * const withDeFacto: DateHolidaysSource = { country: "SE", types: ["public", "bank"], eveTypes: ["public"] };
 * const usObserved: DateHolidaysSource = { country: "US", substituteDays: "replaceOriginal" };
 * ```
 */
export interface DateHolidaysSource {
  readonly source?: "date-holidays";
  /** ISO 3166-1 alpha-2 country code known to `date-holidays`, e.g. `"SE"`. */
  readonly country: string;
  /** State or province code, e.g. `"BY"` for Bavaria. */
  readonly state?: string;
  /** Region code within the state. */
  readonly region?: string;
  /** Holiday types that close the calendar. Default `["public"]`. */
  readonly types?: readonly HolidayType[];
  /**
   * Holiday types whose eve gets the {@link CalendarSpec.eves} rule. Default: the same as `types`.
   */
  readonly eveTypes?: readonly HolidayType[];
  /** Substitute ("observed") days: see {@link SubstituteDays}. Default `"both"`. */
  readonly substituteDays?: SubstituteDays;
}

/**
 * One holiday of a {@link HolidayListSource}: a local date, its name, and its type (default
 * `"public"`), which the source's `types` and `eveTypes` filter as they filter `date-holidays`'.
 *
 * @example
 * ```ts
 * const founders: ListedHoliday = { date: "2026-09-01", name: "Founders' Day" };
 * const halfDay: ListedHoliday = { date: "2026-12-31", name: "New Year's Eve", type: "bank" };
 * ```
 */
export interface ListedHoliday {
  readonly date: string;
  readonly name: string;
  readonly type?: HolidayType;
}

/**
 * Holidays as an explicit, dated list, for closures that no country's data has (a company's own
 * holidays, a list kept in a database or exported from another system). They behave exactly as
 * `date-holidays`' holidays do: they close their date unless it is in `openDates`, make the day
 * before an eve, and are named in `describeDay`.
 *
 * @example
 * ```ts
 * const own: HolidayListSource = {
 *   source: "list",
 *   dates: [
 *     { date: "2026-12-24", name: "Christmas Eve" },
 *     { date: "2026-12-25", name: "Christmas Day" },
 *   ],
 * };
 * ```
 */
export interface HolidayListSource {
  readonly source: "list";
  readonly dates: readonly ListedHoliday[];
  /** Holiday types that close the calendar. Default `["public"]`. */
  readonly types?: readonly HolidayType[];
  /** Holiday types whose eve gets the {@link CalendarSpec.eves} rule. Default: the same as `types`. */
  readonly eveTypes?: readonly HolidayType[];
}

/**
 * Where a calendar's holidays come from: the `date-holidays` data for a country (the default, and
 * what the presets use) or an explicit dated list. Holidays are judged by their local date.
 *
 * @example
 * ```ts
 * const swedish: HolidaySource = { country: "SE" };
 * const listed: HolidaySource = { source: "list", dates: [{ date: "2026-06-19", name: "Midsummer Eve" }] };
 * ```
 */
export type HolidaySource = DateHolidaysSource | HolidayListSource;

/**
 * A date (`YYYY-MM-DD`, local to the calendar) on which the calendar is closed, optionally named.
 *
 * @example
 * ```ts
 * const dayOff: ClosedDate = { date: "2026-05-15", name: "Company day off" };
 * ```
 */
export type ClosedDate = string | { readonly date: string; readonly name?: string };

/**
 * A date that the holiday data would close but on which the calendar is open. Without `hours` the
 * day gets its weekday's weekly hours; with `hours` it gets those instead (for example to open a
 * Saturday). Eve and weekday rules still cut it.
 *
 * @example
 * ```ts
 * const worksOnAscension: OpenDate = "2026-05-14";
 * const openSaturday: OpenDate = { date: "2026-06-06", hours: [["10:00", "14:00"]], name: "Inventory" };
 * ```
 */
export type OpenDate = string | { readonly date: string; readonly hours?: DayHours; readonly name?: string };

/**
 * What happens on the eve of a closing holiday: either it closes early (`closeAt`) or it gets other
 * hours (`hours`). Eve hours replace the hours of a day that the week keeps open; they never open a
 * day that the week keeps closed.
 *
 * @example
 * ```ts
 * const closeEarly: EveRule = { closeAt: "13:00" };
 * const otherHours: EveRule = { hours: [["09:00", "12:00"]] };
 * ```
 */
export type EveRule =
  { readonly closeAt: TimeOfDay; readonly hours?: never } | { readonly hours: DayHours; readonly closeAt?: never };

/**
 * A rule for certain weekdays, such as "every Friday closes at 14:00".
 *
 * @example
 * ```ts
 * const earlyFriday: WeekdayRule = { weekdays: ["fri"], closeAt: "14:00" };
 * ```
 */
export interface WeekdayRule {
  readonly weekdays: readonly Weekday[];
  readonly closeAt: TimeOfDay;
  readonly name?: string;
}

/**
 * Exact hours for one date, replacing everything else that would apply that day.
 *
 * @example
 * ```ts
 * const inventory: DateOverride = { date: "2026-09-30", hours: [["10:00", "12:00"]], name: "Inventory day" };
 * ```
 */
export interface DateOverride {
  readonly date: string;
  readonly hours: DayHours;
  readonly name?: string;
}

/**
 * An opening-hour calendar as plain JSON-serialisable data. Validate and compile it with
 * {@link createCalendar}.
 *
 * **How a local date gets its hours** (the resolution order, applied per date in the calendar's
 * zone):
 * 1. A date override (`overrides`) gives the day's hours exactly; nothing else applies.
 * 2. Otherwise a closing holiday (`holidays.types`, unless listed in `openDates`) or a
 *    `closedDates` entry closes the whole day.
 * 3. Otherwise the day starts from its weekday's `weekly` hours — or from the eve's replacement
 *    hours (`eves.hours`) on an eve, or from an `openDates` entry's `hours`, which win over the
 *    eve's on the same date (an entry without `hours` leaves the eve's).
 * 4. Every shortening rule that applies — the eve's `closeAt`, each matching `weekdayRules` entry —
 *    cuts every interval of the day at that wall time; when several apply the earliest cut wins. A
 *    cut never opens a day that is closed.
 *
 * An **eve** is a day whose next calendar day is a holiday of `holidays.eveTypes` (default: the
 * closing types) that is not in `openDates`, the eve itself not being such a holiday. Eves of
 * holidays on a weekend count too. `closedDates` do not create eves.
 *
 * **Intervals** are half-open `[open, close)`. An interval whose close is earlier than its open runs
 * past midnight and belongs to the day it starts on: a holiday closes intervals that *start* on it.
 * `"24:00"` ends a day. A day's open time is real elapsed time, so `00:00–24:00` on a 23-hour DST
 * day holds 23 hours; a wall time in a spring-forward gap moves forward by the gap, an ambiguous one
 * takes the earlier offset. A local date that does not exist in the zone (Pacific/Apia skipped
 * 2011-12-30) has no hours.
 *
 * Holidays come from `date-holidays` (by country) or an explicit dated list, and are judged by
 * their local date. Where `date-holidays`' data differs from the law for a past year (Swedish
 * Annandag pingst before 2005 is typed `observance`), the data wins.
 *
 * @example
 * ```ts
 * import { createCalendar } from "sla-clock";
 * const spec: CalendarSpec = {
 *   zone: "Europe/Helsinki",
 *   weekly: {
 *     mon: [["08:00", "11:00"], ["12:00", "15:00"]],
 *     tue: [["08:00", "11:00"], ["12:00", "15:00"]],
 *     wed: [["08:00", "11:00"], ["12:00", "15:00"]],
 *     thu: [["08:00", "11:00"], ["12:00", "15:00"]],
 *     fri: [["08:00", "11:00"], ["12:00", "15:00"]],
 *   },
 *   holidays: { country: "FI" },
 *   eves: { closeAt: "14:00" },
 *   weekdayRules: [{ weekdays: ["fri"], closeAt: "14:00" }],
 * };
 * const calendar = createCalendar(spec);
 * ```
 */
export interface CalendarSpec {
  /** An identifier, shown in messages and the CLI. */
  readonly id?: string;
  /** A human-readable name. */
  readonly name?: string;
  /** IANA time zone in which the hours are wall-clock times, e.g. `"Europe/Stockholm"`. */
  readonly zone: string;
  /** Open intervals per weekday; a missing weekday is closed. */
  readonly weekly: Readonly<Partial<Record<Weekday, DayHours>>>;
  /** Holidays: from `date-holidays` by country, or an explicit list. */
  readonly holidays?: HolidaySource;
  /** Extra closed dates (a company day off). */
  readonly closedDates?: readonly ClosedDate[];
  /** Dates that the holiday data would close but that are open. */
  readonly openDates?: readonly OpenDate[];
  /** What happens on the eve of a closing holiday. Needs `holidays`. */
  readonly eves?: EveRule;
  /** Rules for certain weekdays, such as an early close on Fridays. */
  readonly weekdayRules?: readonly WeekdayRule[];
  /** Exact hours for particular dates. */
  readonly overrides?: readonly DateOverride[];
  /**
   * Hours that change on a date: from each version's `from` (local midnight in `zone`) that
   * version's rules replace the ones above (or the previous version's) for every date on or after
   * it. See {@link CalendarVersion}.
   */
  readonly versions?: readonly CalendarVersion[];
}

/**
 * The rules of a {@link CalendarSpec} that a {@link CalendarVersion} can change: everything but the
 * identity (`id`, `name`) and the zone. Each version is complete on its own: nothing is inherited
 * from the rules it replaces (give `holidays` again if the new hours still close on holidays).
 *
 * @example
 * ```ts
 * const summer: CalendarRules = {
 *   weekly: { mon: [["08:00", "15:00"]], tue: [["08:00", "15:00"]], wed: [["08:00", "15:00"]] },
 *   holidays: { country: "SE" },
 * };
 * ```
 */
export type CalendarRules = Omit<CalendarSpec, "id" | "name" | "zone" | "versions">;

/**
 * A dated version of a calendar's rules: from local midnight of `from` (a `YYYY-MM-DD` date in the
 * calendar's zone) each date gets its hours from `spec` instead of the calendar's top-level rules
 * (or the previous version's). Versions are listed in date order. A ticket spanning the change
 * counts the old hours before it and the new ones after it. A date belongs wholly to one version
 * (its holidays, eves and rules included), and an interval belongs to the date it starts on: an
 * overnight interval of the last old date runs to its end, and time it shares with the new
 * version's first hours is counted once. A version cannot change the zone: the wall times of
 * every version are read in the calendar's `zone` (combine two calendars with `anyOf` over
 * disjoint date ranges to move a team between zones).
 *
 * @example
 * ```ts
 * const newContract: CalendarVersion = {
 *   from: "2027-01-01",
 *   name: "2027 contract",
 *   spec: { weekly: { mon: [["07:00", "19:00"]], tue: [["07:00", "19:00"]] }, holidays: { country: "SE" } },
 * };
 * ```
 */
export interface CalendarVersion {
  /** The first local date on which `spec` applies, `YYYY-MM-DD`. */
  readonly from: string;
  /** A human-readable name for the version. */
  readonly name?: string;
  /** The rules from `from` on. */
  readonly spec: CalendarRules;
}

/**
 * A calendar made of other calendars: open while **any** of its members is open (`anyOf`, for
 * follow-the-sun support) or while **all** of them are (`allOf`, for "both parties staffed"
 * contracts). Each member keeps its own zone, holidays and rules; the combination's open time is
 * the union or intersection of the members' open time, exact to the millisecond. `zone` (default:
 * the first member's) is the zone in which the combined calendar reads offset-less wall times and
 * counts its local dates (`describeDay`, business days, `endOfBusinessDay`). Give exactly one of
 * `anyOf` and `allOf`; members are plain calendar specs (with `versions` if need be), not
 * combinations.
 *
 * @example
 * ```ts
 * const weekdays = (open: string, close: string) =>
 *   Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [[open, close]]]));
 * const followTheSun: CombinedCalendarSpec = {
 *   id: "follow-the-sun",
 *   zone: "Europe/Stockholm",
 *   anyOf: [
 *     { zone: "Europe/Stockholm", weekly: weekdays("08:00", "17:00"), holidays: { country: "SE" } },
 *     { zone: "America/New_York", weekly: weekdays("09:00", "17:00"), holidays: { country: "US" } },
 *   ],
 * };
 * ```
 */
export interface CombinedCalendarSpec {
  /** An identifier, shown in messages and the CLI. */
  readonly id?: string;
  /** A human-readable name. */
  readonly name?: string;
  /** The zone of the combined calendar's local dates and wall-time inputs; default the first member's. */
  readonly zone?: string;
  /** Open while any of these is open. */
  readonly anyOf?: readonly CalendarSpec[];
  /** Open while all of these are open. */
  readonly allOf?: readonly CalendarSpec[];
}

/**
 * What {@link createCalendar} accepts: a plain {@link CalendarSpec} or a
 * {@link CombinedCalendarSpec}. A spec with an `anyOf` or `allOf` key is read as a combination.
 *
 * @example
 * ```ts
 * const plain: AnyCalendarSpec = { zone: "UTC", weekly: { mon: [["09:00", "17:00"]] } };
 * const both: AnyCalendarSpec = { allOf: [plain, { zone: "Asia/Tokyo", weekly: { mon: [["09:00", "18:00"]] } }] };
 * ```
 */
export type AnyCalendarSpec = CalendarSpec | CombinedCalendarSpec;

/** Whether a spec is read as a {@link CombinedCalendarSpec}. @internal */
export function isCombinedSpec(input: unknown): boolean {
  return (
    input !== null &&
    typeof input === "object" &&
    !Array.isArray(input) &&
    (Object.hasOwn(input, "anyOf") || Object.hasOwn(input, "allOf"))
  );
}

/** An interval in minutes from the local midnight of its own day; `end` may exceed 1440. @internal */
export interface MinuteInterval {
  readonly start: number;
  readonly end: number;
}

/** One holiday on one local day, as a holiday source gives it. @internal */
export interface HolidayEntry {
  readonly name: string;
  readonly type: HolidayType;
}

/** A validated holiday source. @internal */
export type CompiledHolidays =
  | {
      readonly kind: "date-holidays";
      readonly country: string;
      readonly state: string | undefined;
      readonly region: string | undefined;
      readonly closeTypes: ReadonlySet<string>;
      readonly eveTypes: ReadonlySet<string>;
      readonly substituteDays: SubstituteDays;
    }
  | {
      readonly kind: "list";
      /** Entries by local day number. */
      readonly days: ReadonlyMap<number, readonly HolidayEntry[]>;
      readonly closeTypes: ReadonlySet<string>;
      readonly eveTypes: ReadonlySet<string>;
    };

/** The validated, compiled form of a spec. @internal */
export interface CompiledSpec {
  readonly zone: string;
  /** Index 1 (Monday) … 7 (Sunday); index 0 unused. */
  readonly weekly: readonly (readonly MinuteInterval[])[];
  readonly holidays: CompiledHolidays | undefined;
  readonly closedDates: ReadonlyMap<number, string | undefined>;
  readonly openDates: ReadonlyMap<
    number,
    { readonly hours: readonly MinuteInterval[] | undefined; readonly name: string | undefined }
  >;
  readonly eve:
    { readonly closeAt: number | undefined; readonly hours: readonly MinuteInterval[] | undefined } | undefined;
  readonly weekdayRules: readonly {
    readonly weekdays: ReadonlySet<number>;
    readonly closeAt: number;
    readonly name: string | undefined;
  }[];
  readonly overrides: ReadonlyMap<
    number,
    { readonly hours: readonly MinuteInterval[]; readonly name: string | undefined }
  >;
  /** Dated versions in date order, each with the first local day it applies to (empty: none). */
  readonly versions: readonly CompiledVersion[];
}

/** A compiled {@link CalendarVersion}. @internal */
export interface CompiledVersion {
  readonly from: number;
  readonly name: string | undefined;
  readonly spec: CompiledSpec;
}

/** The validated, compiled form of a {@link CombinedCalendarSpec}. @internal */
export interface CompiledCombination {
  readonly kind: "anyOf" | "allOf";
  readonly zone: string;
  readonly members: readonly CompiledSpec[];
}

const TIME_RE = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;
/**
 * What an id or a name the export writes may hold (the JSON Schema's pattern): no U+0000, which
 * PostgreSQL text cannot hold, and well-formed UTF-16 (every surrogate in a pair: SQL text is
 * Unicode, so an engine stores a lone surrogate as U+FFFD and the key differs from the library's).
 * A pattern rather than `String.prototype.isWellFormed`, so that the JSON Schema states the same
 * rule; it reads the same with and without the `u` flag (a validator may use either).
 * @internal
 */
// eslint-disable-next-line no-control-regex -- the point: U+0000 is refused
export const STORABLE_TEXT = /^(?:[^\u0000\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

/**
 * The checks of a string that refuse U+0000 (`"an id cannot hold U+0000 (NUL)"` for `what` "an
 * id") and a lone UTF-16 surrogate (`"an id is not well-formed UTF-16 …"`), and say so in the JSON
 * Schema (a `pattern`): ids and names the warehouse export writes.
 *
 * @example
 * ```ts
 * z.string().check(z.maxLength(200), ...withoutNul(z, "an id"));
 * ```
 * @internal
 */
export function withoutNul(z: ZodApi, what: string): [z.core.$ZodCheck<string>, z.core.$ZodCheck<string>] {
  return [
    z.refine((s: string) => STORABLE_TEXT.test(s), {
      error: (issue) =>
        String(issue.input).includes("\u0000")
          ? `${what} cannot hold U+0000 (NUL)`
          : `${what} is not well-formed UTF-16: it holds a lone surrogate, which SQL text stores as U+FFFD`,
    }),
    z.meta({ pattern: STORABLE_TEXT.source }),
  ];
}
const HOLIDAY_TYPES = ["public", "bank", "school", "optional", "observance"] as const;

/** Minutes since midnight of a valid `HH:mm` (1440 for `24:00`). @internal */
export function parseTimeOfDay(text: string): number {
  if (text === "24:00") return 1440;
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

/*
 * `z.meta({ pattern, … })` below only feeds the published JSON Schema (schema/calendar.json, made by
 * calendarSpecJsonSchema): zod copies metadata into `z.toJSONSchema`'s output but never reads it
 * when parsing (its check does nothing), so validation and its messages stay exactly the
 * refinements'. Each pattern says in JSON Schema what the refinement beside it checks;
 * docs/json-schema.md lists what cannot be said. The schemas use zod/mini's functions
 * (`z.optional(s)`, `s.check(…)`) rather than zod's methods: see src/util/zod-module.ts.
 */
/**
 * The calendar spec schemas, built on first use (zod is loaded then: src/util/zod.ts). The plain
 * spec, the combined one, their union (for the published JSON Schema) and a version's rules.
 * @internal
 */
export const calendarSchemas = /* @__PURE__ */ lazySchema((z) => {
  const timeOfDay = z.string({ error: 'expected a time of day such as "08:00"' }).check(
    z.refine((s) => TIME_RE.test(s), {
      error: (issue) => `"${shown(issue.input)}" is not a time of day; use "HH:mm" from "00:00" to "24:00"`,
    }),
    z.meta({ pattern: TIME_RE.source, description: 'A wall-clock time "HH:mm", "00:00" to "24:00".' }),
  );

  /** An interval's opening: any time of day but "24:00" (JSON Schema only; the interval's refinement says so in zod). */
  const openingTime = timeOfDay.check(
    z.meta({
      pattern: "^(?:[01]\\d|2[0-3]):[0-5]\\d$",
      description: 'A wall-clock time "HH:mm", "00:00" to "23:59".',
    }),
  );

  const interval = z
    .tuple([openingTime, timeOfDay], { error: 'expected an interval such as ["08:00", "12:00"]' })
    .check(
      z.superRefine(([open, close], ctx) => {
        if (!TIME_RE.test(open) || !TIME_RE.test(close)) return;
        if (open === "24:00")
          ctx.addIssue({ code: "custom", message: `"24:00" can only end an interval, not start one` });
        else if (open === close) {
          ctx.addIssue({
            code: "custom",
            message: `the interval ["${open}", "${close}"] is empty; for a whole day use ["00:00", "24:00"]`,
          });
        }
      }),
    );

  const dayHours = z.array(interval, { error: 'expected a list of intervals such as [["08:00", "12:00"]]' }).check(
    z.superRefine((list, ctx) => {
      let prevEnd = -1;
      let prevText = "";
      list.forEach((iv, index) => {
        if (!TIME_RE.test(iv[0]) || !TIME_RE.test(iv[1]) || iv[0] === iv[1] || iv[0] === "24:00") return;
        const { start, end } = toMinutes(iv);
        if (start < prevEnd) {
          ctx.addIssue({
            code: "custom",
            path: [index],
            message: `["${iv[0]}", "${iv[1]}"] starts before the previous interval ${prevText} ends; intervals must be sorted and must not overlap`,
          });
        }
        if (prevEnd > 1440 && index > 0) {
          ctx.addIssue({
            code: "custom",
            path: [index],
            message: `only the last interval of a day may run past midnight; ${prevText} already does`,
          });
        }
        prevEnd = Math.max(prevEnd, end);
        prevText = `["${iv[0]}", "${iv[1]}"]`;
      });
    }),
    // Named, so that the JSON Schema states it once under $defs and refers to it.
    z.meta({ id: "DayHours" }),
  );

  const dateString = z.string({ error: 'expected a date such as "2026-04-02"' }).check(
    z.superRefine((s, ctx) => {
      const day = parseDay(s);
      if (day === undefined) {
        ctx.addIssue({ code: "custom", message: `"${s}" is not a date; use "YYYY-MM-DD"` });
        return;
      }
      const year = Number(s.slice(0, 4));
      if (year < MIN_YEAR || year > MAX_YEAR) {
        ctx.addIssue({ code: "custom", message: `"${s}" is outside the supported years ${MIN_YEAR}–${MAX_YEAR}` });
      }
    }),
    z.meta({
      // MIN_YEAR–MAX_YEAR (1900–2200) as a pattern; whether the day exists in its month (02-30) is not.
      pattern: "^(?:19\\d\\d|2[01]\\d\\d|2200)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])$",
      description: "A local date YYYY-MM-DD, years 1900–2200.",
    }),
  );

  const name = z
    .string({ error: "expected a name (string)" })
    .check(z.maxLength(200, { error: "a name is at most 200 characters" }));
  // A calendar's id and name go into the export's tables (sla_meta), which PostgreSQL text could
  // not hold with U+0000 in them; no id or name needs one.
  const calendarName = z
    .string({ error: "expected a name (string)" })
    .check(z.maxLength(200, { error: "a name is at most 200 characters" }), ...withoutNul(z, "a name"));
  const calendarId = z
    .string({ error: "expected a string" })
    .check(z.maxLength(200, { error: "an id is at most 200 characters" }), ...withoutNul(z, "an id"));
  const weekday = z.enum(WEEKDAYS as [Weekday, ...Weekday[]], {
    error: (issue) => `"${shown(issue.input)}" is not a weekday; use one of ${WEEKDAYS.join(", ")}`,
  });
  const holidayType = z.enum(HOLIDAY_TYPES, {
    error: (issue) => `"${shown(issue.input)}" is not a holiday type; use one of ${HOLIDAY_TYPES.join(", ")}`,
  });

  const closingTypes = z.array(holidayType).check(z.minLength(1, { error: "list at least one holiday type" }));

  /**
   * `holidays`: `source` tells the kinds apart; without it the source is date-holidays, as before
   * there were others.
   */
  const holidaySourceSchema = z.discriminatedUnion(
    "source",
    [
      z
        .strictObject({
          source: z.optional(z.literal("date-holidays")),
          country: z.string({ error: 'expected a country code such as "SE"' }),
          state: z.optional(z.string({ error: "expected a state code" })),
          region: z.optional(z.string({ error: "expected a region code" })),
          types: z.optional(closingTypes),
          eveTypes: z.optional(z.array(holidayType)),
          substituteDays: z.optional(
            z.enum(["both", "replaceOriginal", "ignore"], {
              error: (issue) =>
                `"${shown(issue.input)}" is not a substitute-day rule; use "both", "replaceOriginal" or "ignore"`,
            }),
          ),
        })
        // "a region needs a state" (holidaySourceIssues) in JSON Schema terms.
        .check(z.meta({ dependentRequired: { region: ["state"] } })),
      z.strictObject({
        source: z.literal("list"),
        dates: z.array(
          z.strictObject(
            { date: dateString, name, type: z.optional(holidayType) },
            { error: "expected a holiday { date, name, type? }" },
          ),
          { error: "expected a list of holidays [{ date, name }]" },
        ),
        types: z.optional(closingTypes),
        eveTypes: z.optional(z.array(holidayType)),
      }),
    ],
    {
      error: (issue) =>
        issue.code === "invalid_union" && issue.input !== null && typeof issue.input === "object"
          ? `unknown holiday source; use { country, … } for date-holidays or { source: "list", dates }`
          : 'expected a holiday source such as { country: "SE" }',
    },
  );

  const weeklySchema = z.strictObject(
    Object.fromEntries(WEEKDAYS.map((d) => [d, z.optional(dayHours)])) as Record<
      Weekday,
      z.ZodMiniOptional<typeof dayHours>
    >,
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `unknown weekday; use ${WEEKDAYS.join(", ")}`
          : "expected an object of weekday → intervals",
    },
  );

  const zoneSchema = z.string({ error: 'expected an IANA time zone such as "Europe/Stockholm"' }).check(
    z.refine(isKnownZone, {
      error: (issue) =>
        `"${shown(issue.input)}" is not an IANA time zone known to this runtime (e.g. "Europe/Stockholm")`,
    }),
  );

  /** The rules of a calendar: what a dated version can change (all but id, name, zone, versions). */
  const rulesShape = {
    weekly: weeklySchema,
    holidays: z.optional(holidaySourceSchema),
    closedDates: z.optional(
      z.array(
        z.union([dateString, z.strictObject({ date: dateString, name: z.optional(name) })], {
          error: "expected a date or { date, name }",
        }),
      ),
    ),
    openDates: z.optional(
      z.array(
        z.union(
          [dateString, z.strictObject({ date: dateString, hours: z.optional(dayHours), name: z.optional(name) })],
          { error: "expected a date or { date, hours?, name? }" },
        ),
      ),
    ),
    eves: z.optional(
      z.strictObject({ closeAt: z.optional(timeOfDay), hours: z.optional(dayHours) }).check(
        z.superRefine((eve, ctx) => {
          if ((eve.closeAt === undefined) === (eve.hours === undefined)) {
            ctx.addIssue({
              code: "custom",
              message: "give exactly one of closeAt (close early) or hours (other hours)",
            });
          }
        }),
        // The object has only these two keys, so "exactly one of them" is "exactly one property".
        z.meta({ minProperties: 1, maxProperties: 1 }),
      ),
    ),
    weekdayRules: z.optional(
      z.array(
        z.strictObject({
          weekdays: z.array(weekday).check(z.minLength(1, { error: "list at least one weekday" })),
          closeAt: timeOfDay,
          name: z.optional(name),
        }),
      ),
    ),
    overrides: z.optional(z.array(z.strictObject({ date: dateString, hours: dayHours, name: z.optional(name) }))),
  };

  const versionRulesSchema = z
    .strictObject(
      {
        ...rulesShape,
        // Said here, not as an unknown key, because it is the mistake one is likely to make.
        zone: z.optional(
          z.never({ error: "a version keeps the calendar's zone; to change zones, combine two calendars with anyOf" }),
        ),
      },
      {
        error: (issue) =>
          issue.code === "unrecognized_keys" ? undefined : "expected the version's rules { weekly, … }",
      },
    )
    .check(z.meta({ id: "CalendarRules", dependentRequired: { eves: ["holidays"] } }));

  const versionSchema = z.strictObject(
    { from: dateString, name: z.optional(name), spec: versionRulesSchema },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys" ? undefined : 'expected a version { from: "2027-01-01", spec }',
    },
  );

  const calendarSpecSchema = z
    .strictObject(
      {
        id: z.optional(calendarId),
        name: z.optional(calendarName),
        zone: zoneSchema,
        ...rulesShape,
        versions: z.optional(
          z
            .array(versionSchema, { error: 'expected a list of versions [{ from: "2027-01-01", spec }]' })
            .check(z.minLength(1, { error: "list at least one version, or leave versions out" })),
        ),
      },
      { error: (issue) => (issue.code === "unrecognized_keys" ? undefined : "expected a calendar spec object") },
    )
    .check(
      z.meta({
        id: "PlainCalendarSpec",
        // "eves need holidays" (semanticIssues) in JSON Schema terms.
        dependentRequired: { eves: ["holidays"] },
      }),
    );

  const membersSchema = z
    .array(calendarSpecSchema, { error: "expected a list of calendar specs" })
    .check(z.minLength(1, { error: "list at least one calendar" }));

  const combinedCalendarSpecSchema = z
    .strictObject(
      {
        id: z.optional(calendarId),
        name: z.optional(calendarName),
        zone: z.optional(zoneSchema),
        anyOf: z.optional(membersSchema),
        allOf: z.optional(membersSchema),
      },
      {
        error: (issue) => (issue.code === "unrecognized_keys" ? undefined : "expected a combined calendar spec object"),
      },
    )
    .check(
      z.superRefine((spec, ctx) => {
        if (spec.anyOf !== undefined && spec.allOf !== undefined)
          ctx.addIssue({
            code: "custom",
            message: "give exactly one of anyOf (open while any is) or allOf (while all are)",
          });
      }),
      // "exactly one of anyOf and allOf" in JSON Schema terms.
      z.meta({
        oneOf: [
          { required: ["anyOf"], properties: { anyOf: true } },
          { required: ["allOf"], properties: { allOf: true } },
        ],
      }),
    );

  // Everything createCalendar accepts, for the published JSON Schema.
  const anyCalendarSpecSchema = z.union([calendarSpecSchema, combinedCalendarSpecSchema]);
  return { calendarSpecSchema, combinedCalendarSpecSchema, anyCalendarSpecSchema, versionRulesSchema };
});

type CalendarSchemas = ReturnType<typeof calendarSchemas>;

type ParsedSpec = z.output<CalendarSchemas["calendarSpecSchema"]>;
type ParsedRules = Omit<z.output<CalendarSchemas["versionRulesSchema"]>, "zone">;

function toMinutes(iv: readonly [string, string]): MinuteInterval {
  const start = parseTimeOfDay(iv[0]);
  let end = parseTimeOfDay(iv[1]);
  if (end <= start) end += 1440;
  return { start, end };
}

function compileHours(list: DayHours): MinuteInterval[] {
  return list.map((iv) => toMinutes(iv));
}

function zodIssues(error: z.core.$ZodError, schema: unknown): ValidationIssue[] {
  return error.issues.flatMap(issuesOfMatchedOption).map((issue) => {
    let message = issue.message;
    if (issue.code === "unrecognized_keys") message = unknownKeysMessage(issue.keys, allowedKeysAt(schema, issue.path));
    return { path: formatPath(issue.path), message };
  });
}

function semanticIssues(spec: ParsedSpec, prefix = ""): ValidationIssue[] {
  const issues = rulesIssues(spec, prefix);
  let previous: { from: string; index: number } | undefined;
  let inDateOrder = true;
  spec.versions?.forEach((version, i) => {
    issues.push(...rulesIssues(version.spec, `${prefix}versions[${i}].spec.`));
    if (previous !== undefined && version.from <= previous.from) {
      inDateOrder = false;
      issues.push({
        path: `${prefix}versions[${i}].from`,
        message: `${version.from} is not after ${prefix}versions[${previous.index}].from ${previous.from}; list versions in date order, each date once`,
      });
    }
    previous = { from: version.from, index: i };
  });
  // Out of order, the versions' spans are not defined: that issue is the one to fix first.
  if (spec.versions !== undefined && inDateOrder) issues.push(...entriesOutsideTheirSpan(spec, spec.versions, prefix));
  return issues;
}

/** The lists of dated entries in a rule set, by their paths in it. */
type DatedList = "closedDates" | "openDates" | "overrides" | "holidays.dates";

/**
 * The dated entries (`closedDates`, `openDates`, `overrides`, a listed `holidays.dates`) of a spec
 * with versions that lie outside the span of the rule set they are in. A date takes all its rules
 * from the one rule set in force on it (the top level before the first version, else the last
 * version begun), so such an entry is never read: accepted, it would look like a closure that
 * deadlines then ignore. Such an entry is only a copy, and accepted, when the rule set in force on
 * its date lists that date in the same list: rules shared by every version (one company holiday
 * list, the same closed dates spread into each version's spec) must not be refused. One exception
 * is read: in rules with `eves`, an `openDates` entry or a
 * listed holiday on the first date of the next span decides whether the last date of its own span
 * is an eve (day-rules.ts isEveDay). No rule looks back a day, so the day before a span is not read.
 */
function entriesOutsideTheirSpan(
  spec: ParsedSpec,
  versions: NonNullable<ParsedSpec["versions"]>,
  prefix: string,
): ValidationIssue[] {
  // Rule set 0 is the top level, rule set k > 0 is versions[k - 1]; k spans [fromOf(k), fromOf(k + 1)).
  const ruleSets: ParsedRules[] = [spec, ...versions.map((v) => v.spec)];
  const pathOf = (k: number): string => (k === 0 ? prefix : `${prefix}versions[${k - 1}].spec.`);
  const fromOf = (k: number): string | undefined => versions[k - 1]?.from;
  const nameOf = (k: number): string =>
    k > 0 ? `${prefix}versions[${k - 1}]` : `the top-level rules${prefix && ` of ${prefix.slice(0, -1)}`}`;
  const spanOf = (k: number): string => {
    const [from, before] = [fromOf(k), fromOf(k + 1)];
    return from === undefined
      ? `before ${before}`
      : `from ${from}${before === undefined ? " on" : `, before ${before}`}`;
  };
  const datedOf = (rules: ParsedRules): (readonly [list: DatedList, index: number, date: string])[] => [
    ...(rules.closedDates ?? []).map((c, i) => ["closedDates", i, typeof c === "string" ? c : c.date] as const),
    ...(rules.openDates ?? []).map((o, i) => ["openDates", i, typeof o === "string" ? o : o.date] as const),
    ...(rules.overrides ?? []).map((o, i) => ["overrides", i, o.date] as const),
    ...(rules.holidays?.source === "list" ? rules.holidays.dates : []).map(
      (h, i) => ["holidays.dates", i, h.date] as const,
    ),
  ];
  // The dates each rule set lists, per list: an entry outside its span is only a copy when the
  // rules in force on its date list that date in the same list (rules shared by every version,
  // such as one company holiday list or the same closed dates spread into each version's spec).
  const listed = ruleSets.map((rules) => new Set(datedOf(rules).map(([list, , date]) => `${list} ${date}`)));
  const issues: ValidationIssue[] = [];
  ruleSets.forEach((rules, k) => {
    for (const [list, index, date] of datedOf(rules)) {
      // Versions are in date order here: the rule set in force on a date is the last one begun.
      const belongs = versions.filter((v) => v.from <= date).length;
      if (belongs === k || listed[belongs]?.has(`${list} ${date}`)) continue;
      const decidesEve = list === "openDates" || list === "holidays.dates";
      if (decidesEve && rules.eves !== undefined && date === fromOf(k + 1)) continue;
      // A holiday for rules without a list of their own: a closed date closes it as well.
      const moveTo = list === "holidays.dates" && ruleSets[belongs]?.holidays?.source !== "list" ? "closedDates" : list;
      issues.push({
        path: `${pathOf(k)}${list}[${index}]`,
        message: `${date} falls in the span of ${nameOf(belongs)} (${spanOf(belongs)}), not of ${nameOf(k)} (${spanOf(k)}), where this entry is: it would never apply; move it to ${pathOf(belongs)}${moveTo}`,
      });
    }
  });
  return issues;
}

function rulesIssues(spec: ParsedRules, prefix: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  // Overnight intervals must not run into the next day's first interval (the week wraps around).
  WEEKDAYS.forEach((day, i) => {
    const hours = spec.weekly[day];
    const last = hours?.[hours.length - 1];
    if (!hours || !last) return;
    const { end } = toMinutes(last);
    if (end <= 1440) return;
    const nextDay = WEEKDAYS[(i + 1) % 7] as Weekday;
    const first = spec.weekly[nextDay]?.[0];
    if (first && parseTimeOfDay(first[0]) < end - 1440) {
      issues.push({
        path: `weekly.${day}[${hours.length - 1}]`,
        message: `["${last[0]}", "${last[1]}"] runs until ${last[1]} on ${nextDay}, which overlaps ${prefix}weekly.${nextDay}[0] ["${first[0]}", "${first[1]}"]`,
      });
    }
  });
  const seen = new Map<string, string>();
  const claim = (date: string, path: string): void => {
    const other = seen.get(date);
    if (other)
      issues.push({
        path,
        message: `${date} is already given at ${prefix}${other}; a date may appear only once among overrides, closedDates and openDates`,
      });
    else seen.set(date, path);
  };
  spec.overrides?.forEach((o, i) => claim(o.date, `overrides[${i}].date`));
  spec.closedDates?.forEach((c, i) => claim(typeof c === "string" ? c : c.date, `closedDates[${i}]`));
  spec.openDates?.forEach((o, i) => {
    const date = typeof o === "string" ? o : o.date;
    claim(date, `openDates[${i}]`);
    const day = parseDay(date);
    const hasHours = typeof o !== "string" && o.hours !== undefined;
    if (day !== undefined && !hasHours) {
      const wd = WEEKDAYS[isoWeekday(day) - 1] as Weekday;
      if (!spec.weekly[wd]?.length) {
        issues.push({
          path: `openDates[${i}]`,
          message: `${date} is a ${wd}, which has no weekly hours; give its hours as { date, hours }`,
        });
      }
    }
  });
  if (spec.eves && !spec.holidays) issues.push({ path: "eves", message: "eves need holidays: add a holidays source" });
  const holidays = spec.holidays;
  if (holidays !== undefined && holidays.source !== "list") issues.push(...dateHolidaysIssues(holidays));
  return prefix === "" ? issues : issues.map((issue) => ({ ...issue, path: `${prefix}${issue.path}` }));
}

function compileHolidays(
  source: NonNullable<ParsedRules["holidays"]>,
  day: (text: string) => number,
): CompiledHolidays {
  const closeTypes = new Set<string>(source.types ?? ["public"]);
  const eveTypes = new Set<string>(source.eveTypes ?? source.types ?? ["public"]);
  if (source.source === "list") {
    const days = new Map<number, HolidayEntry[]>();
    for (const h of source.dates) {
      const entry: HolidayEntry = { name: h.name, type: h.type ?? "public" };
      const list = days.get(day(h.date));
      if (list) list.push(entry);
      else days.set(day(h.date), [entry]);
    }
    return { kind: "list", days, closeTypes, eveTypes };
  }
  return {
    kind: "date-holidays",
    country: source.country.toUpperCase(),
    state: source.state?.toUpperCase(),
    region: source.region?.toUpperCase(),
    closeTypes,
    eveTypes,
    substituteDays: source.substituteDays ?? "both",
  };
}

/*
 * The common calendar (a zone, weekly hours, perhaps a country's holidays and closed dates) is
 * validated without zod, so that its first deadline does not load zod (issue 14's cold start:
 * src/util/zod.ts). certainlyValidPlainSpec is a conservative recogniser: it accepts only plain data
 * that calendarSpecSchema certainly accepts and returns unchanged (no transforms, no defaults: the
 * parsed data of such an input is a copy of it), and says "not certain" to everything else, which
 * zod then validates as before, so every error message and path is zod's. test/calendar.fast-spec.test.ts
 * checks the claim against zod on generated specs.
 */

/** The own enumerable data properties of a plain object, or undefined for anything else. */
function plainEntries(value: unknown): (readonly [string, unknown])[] | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const proto: unknown = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || Object.getOwnPropertySymbols(value).length > 0)
    return undefined;
  const entries: (readonly [string, unknown])[] = [];
  for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
    if (!("value" in d) || d.enumerable !== true) return undefined; // a getter or a hidden key: zod decides
    entries.push([key, d.value]);
  }
  return entries;
}

/** The items of a plain array without holes, extra keys or getters, or undefined for anything else. */
function plainItems(value: unknown): unknown[] | undefined {
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return undefined;
  if (Object.getOwnPropertySymbols(value).length > 0) return undefined;
  const descriptors = Object.getOwnPropertyDescriptors(value) as Record<string, PropertyDescriptor>;
  if (Object.keys(descriptors).length !== value.length + 1) return undefined; // the indices and `length`
  const items: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    const d = descriptors[i];
    if (d === undefined || !("value" in d) || d.enumerable !== true) return undefined;
    items.push(d.value);
  }
  return items;
}

const isShortString = (value: unknown): boolean =>
  typeof value === "string" && value.length <= 200 && STORABLE_TEXT.test(value);

function certainlyValidDate(value: unknown): boolean {
  if (typeof value !== "string" || parseDay(value) === undefined) return false;
  const year = Number(value.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

/**
 * Whether `value` is hours of a day as a spec accepts them: `HH:mm` pairs that are times of day
 * (no opening at `24:00`, none empty), sorted, not overlapping, only the last one past midnight.
 * The dayHours rules of the schema, without loading zod; also the check of hours a function writes
 * for a spec (`overridesFromIcs`).
 * @internal
 *
 * @example
 * ```ts
 * certainlyValidDayHours([["21:00", "22:00"]]); // true
 * certainlyValidDayHours([["21:00", "22:00"], ["26:30", "03:00"]]); // false: "26:30" is no time of day
 * ```
 */
export function certainlyValidDayHours(value: unknown): boolean {
  const list = plainItems(value);
  if (list === undefined) return false;
  let prevEnd = -1;
  for (let index = 0; index < list.length; index++) {
    const pair = plainItems(list[index]);
    if (pair === undefined || pair.length !== 2) return false;
    const [open, close] = pair;
    if (typeof open !== "string" || typeof close !== "string" || !TIME_RE.test(open) || !TIME_RE.test(close))
      return false;
    if (open === "24:00" || open === close) return false;
    const { start, end } = toMinutes([open, close]);
    if (start < prevEnd || (prevEnd > 1440 && index > 0)) return false;
    prevEnd = Math.max(prevEnd, end);
  }
  return true;
}

function certainlyValidWeekly(value: unknown): boolean {
  const entries = plainEntries(value);
  return (
    entries !== undefined &&
    entries.every(([day, hours]) => (WEEKDAYS as readonly string[]).includes(day) && certainlyValidDayHours(hours))
  );
}

/** `{ country, state?, region? }`: a date-holidays source (its codes are checked after zod, by rulesIssues). */
function certainlyValidCountrySource(value: unknown): boolean {
  const entries = plainEntries(value);
  return (
    entries !== undefined &&
    entries.some(([key]) => key === "country") &&
    entries.every(([key, v]) => (key === "country" || key === "state" || key === "region") && typeof v === "string")
  );
}

/**
 * Whether calendarSpecSchema certainly accepts `input` and returns it unchanged: a plain spec of
 * `id`, `name`, `zone`, `weekly`, a country's `holidays` and `closedDates` as date strings, all plain
 * data. False means only "not certain".
 * @internal
 */
export function certainlyValidPlainSpec(input: unknown): boolean {
  const entries = plainEntries(input);
  if (entries === undefined) return false;
  let zone = false;
  let weekly = false;
  for (const [key, value] of entries) {
    if (key === "id" || key === "name") {
      if (!isShortString(value)) return false;
    } else if (key === "zone") {
      if (typeof value !== "string" || !isKnownZone(value)) return false;
      zone = true;
    } else if (key === "weekly") {
      if (!certainlyValidWeekly(value)) return false;
      weekly = true;
    } else if (key === "holidays") {
      if (!certainlyValidCountrySource(value)) return false;
    } else if (key === "closedDates") {
      const dates = plainItems(value);
      if (dates === undefined || !dates.every(certainlyValidDate)) return false;
    } else return false;
  }
  return zone && weekly;
}

/** The keys of the specs certainlyValidPlainSpec accepts, in calendarSpecSchema's order. */
const COMMON_SPEC_KEYS = ["id", "name", "zone", "weekly", "holidays", "closedDates"] as const;
const COUNTRY_SOURCE_KEYS = ["country", "state", "region"] as const;

/** A copy of `from` with `keys` in this order (zod's parsed objects follow their schema's keys). */
function inKeyOrder(from: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const to: Record<string, unknown> = {};
  for (const key of keys) if (Object.hasOwn(from, key)) to[key] = from[key];
  return to;
}

/**
 * What calendarSpecSchema would return for a spec that certainlyValidPlainSpec accepts, without
 * zod; undefined when not certain (then zod parses it). The copy is made by structuredClone, which
 * refuses a Proxy (whose traps could have answered the recogniser one way and zod another), so it
 * is exactly the data the recogniser saw; its objects' keys are put in the schema's order, as zod's
 * output has them (calendar.spec is that object, and JSON output shows the order).
 * @internal
 */
export function parseCommonSpec(input: unknown): ParsedSpec | undefined {
  if (!certainlyValidPlainSpec(input)) return undefined;
  let copy: Record<string, unknown>;
  try {
    copy = structuredClone(input) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const spec = inKeyOrder(copy, COMMON_SPEC_KEYS);
  spec["weekly"] = inKeyOrder(spec["weekly"] as Record<string, unknown>, WEEKDAYS);
  if (spec["holidays"] !== undefined)
    spec["holidays"] = inKeyOrder(spec["holidays"] as Record<string, unknown>, COUNTRY_SOURCE_KEYS);
  return spec as unknown as ParsedSpec;
}

/**
 * Calendar specs that sla-clock builds itself (the presets' calendars). calendarSpecSchema returns
 * each of them unchanged, with the same keys in the same order: test/presets.verified-specs.test.ts
 * checks that for every preset and option, so zod would only make a copy, and loading zod for it
 * was about a third of the first preset deadline's cold start (issue 14). Only the registry marks
 * a spec, right after building it and before anyone else holds it; a WeakSet, so it holds nothing
 * alive. The semantic checks (holiday sources, rules) still run on them.
 */
const verifiedCalendarSpecs = new WeakSet<object>();

/**
 * Marks a spec that sla-clock built as one calendarSpecSchema returns unchanged (see above).
 * @internal
 */
export function markVerifiedCalendarSpec<T extends object>(spec: T): T {
  verifiedCalendarSpecs.add(spec);
  return spec;
}

/**
 * A calendar spec's shape checked and copied (zod's copy, or the fast path's): combined or plain.
 * Throws `INVALID_CALENDAR_SPEC` for a bad shape; may throw whatever the input's getters throw.
 */
function readCalendarSpec(
  input: unknown,
):
  | { combined: true; spec: z.output<ReturnType<typeof calendarSchemas>["combinedCalendarSpecSchema"]> }
  | { combined: false; spec: ParsedSpec } {
  if (isCombinedSpec(input)) {
    refuseHiddenContent(input, "INVALID_CALENDAR_SPEC", "Invalid calendar spec");
    const schema = calendarSchemas().combinedCalendarSpecSchema;
    const parsed = schema.safeParse(input);
    if (!parsed.success)
      throw validationError("INVALID_CALENDAR_SPEC", "Invalid calendar spec", zodIssues(parsed.error, schema));
    return { combined: true, spec: parsed.data };
  }
  const known =
    typeof input === "object" && input !== null && verifiedCalendarSpecs.has(input)
      ? (input as ParsedSpec)
      : parseCommonSpec(input);
  if (known !== undefined) return { combined: false, spec: known };
  refuseHiddenContent(input, "INVALID_CALENDAR_SPEC", "Invalid calendar spec");
  const schema = calendarSchemas().calendarSpecSchema;
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw validationError("INVALID_CALENDAR_SPEC", "Invalid calendar spec", zodIssues(parsed.error, schema));
  return { combined: false, spec: parsed.data };
}

/**
 * Validates a calendar spec (plain or combined: see {@link isCombinedSpec}) and compiles it. Throws
 * `INVALID_CALENDAR_SPEC` listing every issue with its path, under `at` when the spec is part of
 * another (`calendar.` in a policy): its paths, and the paths its messages name ("already given
 * at calendar.overrides[0].date"), are then the whole spec's.
 * @internal
 */
export function compileCalendarSpec(
  input: unknown,
  at = "",
):
  | { spec: CalendarSpec; compiled: CompiledSpec; combined?: undefined }
  | { spec: CombinedCalendarSpec; combined: CompiledCombination; compiled?: undefined } {
  // The caller's object is read here, and only here: what comes out is sla-clock's own copy.
  const read = issuesUnder(at, () =>
    readingInput("INVALID_CALENDAR_SPEC", "Invalid calendar spec", () => readCalendarSpec(input)),
  );
  if (read.combined) {
    const spec = read.spec;
    const kind = spec.anyOf !== undefined ? "anyOf" : "allOf";
    const members = (spec.anyOf ?? spec.allOf) as ParsedSpec[];
    const issues = members.flatMap((member, i) => semanticIssues(member, `${at}${kind}[${i}].`));
    if (issues.length > 0) throw validationError("INVALID_CALENDAR_SPEC", "Invalid calendar spec", issues);
    const combined: CompiledCombination = {
      kind,
      zone: spec.zone ?? (members[0] as ParsedSpec).zone,
      members: members.map((member) => compileParsed(member)),
    };
    return { spec: deepFreeze(structuredClone(spec)) as CombinedCalendarSpec, combined };
  }
  const spec = read.spec;
  const issues = semanticIssues(spec, at);
  if (issues.length > 0) throw validationError("INVALID_CALENDAR_SPEC", "Invalid calendar spec", issues);
  return { spec: withSharedParts(spec) as CalendarSpec, compiled: compileParsed(spec) };
}

/**
 * Runs `read` (the spec's shape and content checks, whose paths start at the spec) with the paths
 * of the issues it throws put under `at`; the spec itself (the path "") is `at` without its dot.
 */
function issuesUnder<T>(at: string, read: () => T): T {
  if (at === "") return read();
  try {
    return read();
  } catch (e) {
    if (!(e instanceof SlaClockError) || e.issues.length === 0) throw e;
    throw validationError(
      e.code,
      "Invalid calendar spec",
      e.issues.map((issue) => ({ ...issue, path: issue.path === "" ? at.slice(0, -1) : `${at}${issue.path}` })),
    );
  }
}

/** How many distinct spec parts (weekly hours, holiday sources, eve and weekday rules) are shared. */
const SHARED_SPEC_PARTS_LIMIT = 4096;
const sharedSpecParts = new BoundedLru<string, unknown>(SHARED_SPEC_PARTS_LIMIT);
const SHARED_PARTS = ["weekly", "holidays", "eves", "weekdayRules"] as const;
/** JSON with `undefined` kept apart from an absent key, so that parts share only when equal in every key. */
const keepUndefined = (_key: string, value: unknown): unknown => (value === undefined ? "\u0000undefined" : value);

/**
 * The frozen copy of a spec that its calendar keeps (`calendar.spec`), with the parts that many
 * customer calendars have in common — the same weekly hours, holiday source, eve and weekday
 * rules — shared between calendars whose parts are equal (issue 20: a calendar keeps only what is
 * its own). The parts are plain JSON data and frozen, so sharing them cannot be observed except by
 * identity; the cache of parts is bounded, and a part it dropped is simply copied again.
 */
function withSharedParts(spec: ParsedSpec): unknown {
  const copy = structuredClone(spec) as Record<string, unknown>;
  for (const key of SHARED_PARTS) {
    const part = copy[key];
    if (part === null || typeof part !== "object") continue;
    const id = `${key}\u0000${JSON.stringify(part, keepUndefined)}`;
    const known = sharedSpecParts.get(id);
    if (known !== undefined) copy[key] = known;
    else sharedSpecParts.set(id, deepFreeze(part));
  }
  return deepFreeze(copy);
}

function compileParsed(spec: ParsedSpec): CompiledSpec {
  const day = (text: string): number => parseDay(text) as number;
  return {
    ...compileRules(spec, spec.zone),
    versions: (spec.versions ?? []).map((v) => ({
      from: day(v.from),
      name: v.name,
      spec: compileRules(v.spec, spec.zone),
    })),
  };
}

function compileRules(spec: ParsedRules, zone: string): CompiledSpec {
  const weekly: MinuteInterval[][] = [[]];
  for (const day of WEEKDAYS) weekly.push(compileHours(spec.weekly[day] ?? []));
  const day = (text: string): number => parseDay(text) as number;
  const holidays = spec.holidays && compileHolidays(spec.holidays, day);
  return {
    zone,
    weekly,
    holidays,
    closedDates: new Map(
      (spec.closedDates ?? []).map((c) => (typeof c === "string" ? [day(c), undefined] : [day(c.date), c.name])),
    ),
    openDates: new Map(
      (spec.openDates ?? []).map((o) =>
        typeof o === "string"
          ? [day(o), { hours: undefined, name: undefined }]
          : [day(o.date), { hours: o.hours && compileHours(o.hours), name: o.name }],
      ),
    ),
    eve: spec.eves && {
      closeAt: spec.eves.closeAt === undefined ? undefined : parseTimeOfDay(spec.eves.closeAt),
      hours: spec.eves.hours && compileHours(spec.eves.hours),
    },
    weekdayRules: (spec.weekdayRules ?? []).map((r) => ({
      weekdays: new Set(r.weekdays.map((w) => WEEKDAYS.indexOf(w) + 1)),
      closeAt: parseTimeOfDay(r.closeAt),
      name: r.name,
    })),
    overrides: new Map(
      (spec.overrides ?? []).map((o) => [day(o.date), { hours: compileHours(o.hours), name: o.name }]),
    ),
    versions: [],
  };
}
