/**
 * ICS (iCalendar, RFC 5545) in and out: closures from a feed as spec data, and a calendar's closed
 * and shortened days as a feed.
 *
 * **Parser: ical.js** (Mozilla/Thunderbird's, used by Thunderbird and Nextcloud). Chosen over
 * node-ical because it has no dependencies (node-ical pulls in a Temporal polyfill and an RRULE
 * library), runs in browsers as well as Node (node-ical reads files with `fs`), ships both ESM and
 * CJS builds with types, and expands `RRULE`/`RDATE`/`EXDATE` and `RECURRENCE-ID` exceptions itself.
 * It also writes ICS (escaping, line folding, CRLF), so export goes through it too instead of
 * hand-written text. Its licence is MPL-2.0 (file-level; using it unmodified is fine under MIT).
 *
 * **Loaded only when used.** ical.js is imported with `import()` inside these functions, never at
 * module load, so a program that does not touch ICS never loads it; that is why the functions are
 * `async`.
 *
 * **Design: an import becomes data.** A calendar spec stays JSON: the feed is expanded once over a
 * date range into what a spec already says — all-day events into an explicit holiday list
 * ({@link holidaysFromIcs}), timed events into date overrides ({@link overridesFromIcs}). The spec
 * never refers to the feed, so it can be stored, hashed and compared like any other; re-import to
 * pick up a changed feed.
 *
 * **Zones.** ical.js expands recurrences in the wall time of the event's own `TZID`, as RFC 5545
 * asks; each occurrence's wall time is then turned into an instant with the IANA rules of that zone
 * (the same rules as the calendar's: a time in a gap moves forward, an ambiguous one takes the
 * earlier offset), or with the feed's own `VTIMEZONE` when the `TZID` is not an IANA name (Outlook's
 * Windows names). A time with `Z` is UTC; a floating time (no zone) is read in the calendar's zone.
 * All-day dates have no zone and close the same local date in the calendar's zone.
 */
import type ICALModule from "ical.js";
import { SlaClockError, refuseUnknownOptions, validationError, type ValidationIssue, showValue } from "../errors";
import { DAY_MS, MINUTE_MS, dayFromCivil, formatDay, formatMinute, parseDay } from "../time/civil";
import { toEpochMs } from "../time/instant";
import { MAX_YEAR, MIN_YEAR } from "../time/range";
import { ZoneRules, zoneRules } from "../time/zone";
import { Calendar } from "./calendar";
import {
  alignToStart,
  checkEventValues,
  instantAfter,
  instantOf,
  keepStartInstance,
  spellOutYearlyDates,
  type IcsZones,
} from "./ics-times";
import {
  certainlyValidDayHours,
  type DateOverride,
  type DayHours,
  type HolidayListSource,
  type HolidayType,
  type ListedHoliday,
} from "./spec";

type ICAL = typeof ICALModule;
type IcalComponent = InstanceType<ICAL["Component"]>;
type IcalTime = InstanceType<ICAL["Time"]>;
type IcalProperty = InstanceType<ICAL["Property"]>;

/** The keys of {@link IcsExportOptions}. */
const EXPORT_OPTIONS: readonly (keyof IcsExportOptions)[] = ["prodId", "name", "stamp"];

/** The `DTSTAMP` of exported events when none is given: fixed, so that the same input gives the same bytes. */
const DEFAULT_STAMP = new Date(Date.UTC(2000, 0, 1));

/** RFC 5545's INTEGER (3.3.8) is a signed 32-bit number. */
const MAX_SEQUENCE = 2_147_483_647;

/** Occurrences of one event beyond which an import stops (an `RRULE` that never ends in range). */
const MAX_OCCURRENCES = 100_000;

/**
 * Options of {@link holidaysFromIcs}.
 *
 * @example
 * ```ts
 * const options: IcsHolidayOptions = { from: "2026-01-01", to: "2026-12-31", timedEvents: "ignore" };
 * ```
 */
export interface IcsHolidayOptions {
  /** First local date to import, `YYYY-MM-DD` (inclusive). */
  readonly from: string;
  /** Last local date to import, `YYYY-MM-DD` (inclusive). */
  readonly to: string;
  /** The type given to every imported holiday. Default `"public"` (closes, with the default `types`). */
  readonly type?: HolidayType;
  /**
   * What to do with timed (not all-day) events: `"error"` (the default) refuses the feed, naming
   * them, so that no closure is silently lost; `"ignore"` leaves them to {@link overridesFromIcs}.
   */
  readonly timedEvents?: "error" | "ignore";
}

/**
 * Options of {@link overridesFromIcs}.
 *
 * @example
 * ```ts
 * const options: IcsOverrideOptions = { from: "2026-01-01", to: "2026-12-31", timed: "close" };
 * ```
 */
export interface IcsOverrideOptions {
  /** First local date to import, `YYYY-MM-DD` (inclusive). */
  readonly from: string;
  /** Last local date to import, `YYYY-MM-DD` (inclusive). */
  readonly to: string;
  /**
   * `"close"` (the default): each timed event closes its stretch of the day's hours. `"hours"`: the
   * events of a date are that date's opening hours (a feed of staffed shifts).
   */
  readonly timed?: "close" | "hours";
}

/**
 * Options of {@link calendarToIcs} and {@link deadlineToIcs}.
 *
 * @example
 * ```ts
 * const options: IcsExportOptions = { prodId: "-//Example AB//Support hours//EN", name: "Support closures" };
 * // A feed sent again after it changed: its events carry the time of this export.
 * const resent: IcsExportOptions = { stamp: new Date() };
 * ```
 */
export interface IcsExportOptions {
  /** The feed's `PRODID`. Default `-//sla-clock//calendar export//EN`. */
  readonly prodId?: string;
  /** The feed's display name (`X-WR-CALNAME`). Default: the spec's `name` or `id`. */
  readonly name?: string;
  /**
   * The `DTSTAMP` of every event (to the second, in UTC), within 1900–2200. Default
   * 2000-01-01T00:00:00Z, fixed so that the same input gives the same bytes. Pass the time of the
   * export when you send a feed again after it changed: a calendar client orders two versions of
   * an event (same `UID`) by `SEQUENCE`, then by `DTSTAMP` (RFC 5546).
   */
  readonly stamp?: Date;
}

/**
 * One deadline as an event, for {@link deadlineToIcs}.
 *
 * @example
 * ```ts
 * const due: IcsDeadline = { uid: "T-7-response@example.com", at: new Date("2026-04-08T10:00:00Z"), summary: "T-7: response due" };
 * // The same deadline after it moved, as its second revision.
 * const moved: IcsDeadline = { ...due, at: new Date("2026-04-09T10:00:00Z"), sequence: 1 };
 * ```
 */
export interface IcsDeadline {
  /** A `UID` that stays the same when the deadline moves, so a calendar updates the event (e.g. ticket id and metric). */
  readonly uid: string;
  /** The deadline instant. */
  readonly at: Date;
  /** The event's title. */
  readonly summary: string;
  /** Longer text (the policy, the priority, a link to the ticket). */
  readonly description?: string;
  /**
   * The event's revision, written as `SEQUENCE` (RFC 5545, 3.8.7.4): a whole number from 0 to
   * 2147483647, raised each time the deadline is sent again after it moved, so that a calendar
   * client takes the new event over the one it has. Left out, no `SEQUENCE` is written (which
   * reads as 0).
   */
  readonly sequence?: number;
}

/** One occurrence of an event, resolved: an all-day date range or an instant range. */
type Occurrence =
  | { readonly allDay: true; readonly firstDay: number; readonly endDay: number; readonly name: string }
  | { readonly allDay: false; readonly start: number; readonly end: number; readonly name: string };

async function loadIcal(): Promise<ICAL> {
  return (await import("ical.js")).default;
}

function icsError(message: string, issues: ValidationIssue[]): SlaClockError {
  return validationError("INVALID_ICS", message, issues);
}

/** The first and last local dates of the supported years, as days since 1970-01-01. */
const MIN_DAY = dayFromCivil(MIN_YEAR, 1, 1);
const MAX_DAY = dayFromCivil(MAX_YEAR, 12, 31);

/** A `YYYY-MM-DD` option as a day number. */
function dayOption(text: unknown, what: string): number {
  const day = typeof text === "string" ? parseDay(text) : undefined;
  if (day === undefined) {
    throw new SlaClockError("INVALID_ARGUMENT", `${what} must be a date "YYYY-MM-DD", got ${showValue(text)}`, {
      value: text,
    });
  }
  return day;
}

/** Refuses a day of {@link dayOption} outside the supported years. */
function withinYears(day: number, text: string, what: string): void {
  if (day < MIN_DAY || day > MAX_DAY) {
    throw new SlaClockError(
      "OUT_OF_RANGE",
      `${what}: "${text}" is outside the supported years ${MIN_YEAR}–${MAX_YEAR}`,
      {
        value: text,
        path: what,
      },
    );
  }
}

function calendarArgument(calendar: unknown): Calendar {
  if (!(calendar instanceof Calendar)) {
    throw new SlaClockError("INVALID_ARGUMENT", "calendar must be a Calendar (createCalendar or getCalendar)", {
      value: calendar === null ? null : typeof calendar,
    });
  }
  return calendar;
}

/**
 * A plain calendar: a combined one (`anyOf` / `allOf`) has no closures or weekly hours of its own
 * to export or to override, and an empty answer would look like "no closures".
 */
function plainCalendarArgument(calendar: unknown, what: string): Calendar {
  const checked = calendarArgument(calendar);
  if (checked.members.length > 0) {
    throw new SlaClockError(
      "INVALID_ARGUMENT",
      `${what}: the calendar is combined (anyOf / allOf), which has no closures or hours of its own; use each of its members (calendar.members)`,
      { value: checked.spec.id ?? null },
    );
  }
  return checked;
}

const HOLIDAY_TYPES: readonly HolidayType[] = ["public", "bank", "school", "optional", "observance"];

function rangeOf(
  options: { readonly from: string; readonly to: string } | undefined,
  fromName = "options.from",
  toName = "options.to",
): [number, number] {
  if (options === null || typeof options !== "object") {
    throw new SlaClockError("INVALID_ARGUMENT", 'options must be { from: "YYYY-MM-DD", to: "YYYY-MM-DD", … }', {
      value: options,
    });
  }
  const first = dayOption(options.from, fromName);
  const last = dayOption(options.to, toName);
  withinYears(first, options.from, fromName);
  withinYears(last, options.to, toName);
  if (last < first) {
    throw new SlaClockError("INVALID_ARGUMENT", `${toName} (${options.to}) is before ${fromName} (${options.from})`);
  }
  return [first, last];
}

function dayOfTime(t: IcalTime): number {
  return Date.UTC(t.year, t.month - 1, t.day) / DAY_MS;
}

/** The components of a feed: one VCALENDAR, or several written one after the other. */
function calendarsOf(ICAL: ICAL, input: string): IcalComponent[] {
  // A byte-order mark is how a file read as UTF-8 text often starts; it is not part of the feed.
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  if (text.trim() === "")
    throw icsError("Invalid ICS", [{ path: "(text)", message: "the text is empty: expected BEGIN:VCALENDAR" }]);
  let parsed: unknown[];
  try {
    parsed = ICAL.parse(text) as unknown[];
  } catch (e) {
    throw icsError("Invalid ICS", [{ path: "(text)", message: `not iCalendar text: ${(e as Error).message}` }]);
  }
  refuseRuleParts(text);
  // ical.js gives one component's jCal, or an array of them for text with several.
  const list = Array.isArray(parsed[0]) ? (parsed as unknown[][]) : [parsed];
  return list.map((jcal, k) => {
    const root = new ICAL.Component(jcal);
    if (root.name !== "vcalendar") {
      throw icsError("Invalid ICS", [
        {
          path: list.length > 1 ? `(component ${k + 1})` : "(text)",
          message: `expected BEGIN:VCALENDAR, found BEGIN:${root.name.toUpperCase()}`,
        },
      ]);
    }
    return root;
  });
}

/**
 * Refuses an `RRULE` whose `INTERVAL` or `COUNT` is not a positive whole number (RFC 5545, 3.3.10).
 * Read from the text: ical.js turns `INTERVAL=0` into 1 as it parses, which expanded a rule meant
 * as invalid into every day.
 */
function refuseRuleParts(text: string): void {
  const lines = text.replace(/\r?\n[ \t]/g, "").split(/\r?\n/);
  lines.forEach((line, k) => {
    if (!/^RRULE[;:]/i.test(line)) return;
    for (const [, part, value] of line.matchAll(/[;:](INTERVAL|COUNT)=([^;]*)/gi)) {
      if (/^\d+$/.test(value as string) && Number(value) >= 1) continue;
      throw icsError("Invalid ICS", [
        {
          path: `(text) line ${k + 1}`,
          message: `${(part as string).toUpperCase()}=${value as string} of "${line}" must be a whole number of at least 1`,
        },
      ]);
    }
  });
}

/** Where an event is, for messages: its place among the feed's events and its UID. */
function eventPlace(component: IcalComponent, index: number): string {
  const uid = component.getFirstPropertyValue("uid");
  return `VEVENT[${index}]${typeof uid === "string" ? ` (UID ${uid})` : ""}`;
}

/**
 * The text of an ICS file from its bytes: its folds (CRLF or LF, then a space or a tab) undone on
 * the octets, then decoded as UTF-8 (a byte-order mark dropped). RFC 5545 (3.1) folds lines after
 * 75 octets, so a fold may split a character's octets; decoded first, such a character became two
 * U+FFFD.
 * @internal
 *
 * @example
 * ```ts
 * icsTextOfBytes(new Uint8Array([0x47, 0xc3, 0x0d, 0x0a, 0x20, 0xb6])); // "Gö"
 * ```
 */
export function icsTextOfBytes(bytes: Uint8Array): string {
  const out = new Uint8Array(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    const foldAt = byte === 0x0d && bytes[i + 1] === 0x0a ? i + 2 : byte === 0x0a ? i + 1 : -1;
    if (foldAt !== -1 && (bytes[foldAt] === 0x20 || bytes[foldAt] === 0x09)) {
      i = foldAt;
      continue;
    }
    out[length++] = byte;
  }
  return new TextDecoder("utf-8").decode(out.subarray(0, length));
}

/** Every occurrence of every event of a feed that touches local days `[first, last]`. */
async function occurrences(input: unknown, zone: string, first: number, last: number): Promise<Occurrence[]> {
  const text = input instanceof Uint8Array ? icsTextOfBytes(input) : input;
  if (typeof text !== "string") {
    throw new SlaClockError(
      "INVALID_ARGUMENT",
      "the ICS must be a string (the text of an .ics file) or a Uint8Array (its bytes)",
      { value: typeof text },
    );
  }
  const ICAL = await loadIcal();
  const roots = calendarsOf(ICAL, text);
  const timezones = new Map<string, InstanceType<ICAL["Timezone"]>>();
  for (const root of roots)
    for (const vtz of root.getAllSubcomponents("vtimezone")) {
      const tzid = vtz.getFirstPropertyValue("tzid");
      if (typeof tzid === "string") timezones.set(tzid, new ICAL.Timezone(vtz));
    }
  const zones: IcsZones = { ICAL, calendarZone: new ZoneRules(zone), timezones };
  // Ranges padded by a day: a timed event's local date in the calendar's zone may differ from its
  // date in its own zone by one.
  const windowStart = (first - 1) * DAY_MS - DAY_MS;
  const windowEnd = (last + 2) * DAY_MS + DAY_MS;

  const vevents = roots.flatMap((root) => root.getAllSubcomponents("vevent"));
  vevents.forEach((component, index) => checkEventValues(component, eventPlace(component, index)));
  const exceptions = new Map<string, { component: IcalComponent; index: number }[]>();
  const masters: { component: IcalComponent; index: number }[] = [];
  vevents.forEach((component, index) => {
    if (component.hasProperty("recurrence-id")) {
      const uid = String(component.getFirstPropertyValue("uid"));
      exceptions.set(uid, [...(exceptions.get(uid) ?? []), { component, index }]);
    } else masters.push({ component, index });
  });
  const uids = new Set(masters.map(({ component }) => String(component.getFirstPropertyValue("uid"))));
  // A moved instance whose series is not in the feed (a calendar shares one instance of someone
  // else's series), or whose RECURRENCE-ID is none of its series' instances, still happens: at its
  // own DTSTART, as an event of its own.
  const alone = [...exceptions].flatMap(([uid, list]) => (uids.has(uid) ? [] : list));

  const out: Occurrence[] = [];
  const expand = (
    component: IcalComponent,
    index: number,
    own: readonly { component: IcalComponent; index: number }[],
  ): void => {
    const where = eventPlace(component, index);
    if (!component.hasProperty("dtstart")) throw icsError("Invalid ICS", [{ path: where, message: "has no DTSTART" }]);
    const periodEnds = alignToStart(
      zones,
      component,
      own.map((e) => e.component),
      where,
    );
    // The iterator yields the instances' original times (RECURRENCE-ID) in order; a moved instance
    // may lie anywhere, so the walk goes on to the latest moved one's original time.
    let end = last + 7;
    for (const { component: exception } of own) {
      const rid = exception.getFirstPropertyValue("recurrence-id") as IcalTime | null;
      if (rid !== null) end = Math.max(end, dayOfTime(rid) + 1);
    }
    // After alignToStart: a rule's UNTIL is then in DTSTART's zone, where its instances are.
    spellOutYearlyDates(component, end + 1);
    keepStartInstance(zones, component);
    const event = new ICAL.Event(component, { exceptions: own.map((e) => e.component), strictExceptions: true });
    const used = new Set<string>();
    const iterator = event.iterator();
    let count = 0;
    for (let next = iterator.next(); next; next = iterator.next()) {
      if (++count > MAX_OCCURRENCES) {
        throw icsError("Invalid ICS", [
          { path: where, message: `recurs more than ${MAX_OCCURRENCES} times; give the RRULE an UNTIL or COUNT` },
        ]);
      }
      if (dayOfTime(next) > end) break;
      const details = event.getOccurrenceDetails(next);
      const item = details.item;
      if (item.component !== component)
        used.add(item.component.getFirstPropertyValue("recurrence-id")?.toString() ?? "");
      const occurrence = resolve(
        details,
        item.component,
        item.component === component ? periodEnds.get(next.toString()) : undefined,
        where,
      );
      if (occurrence !== undefined) out.push(occurrence);
    }
    for (const exception of own) {
      const rid = exception.component.getFirstPropertyValue("recurrence-id")?.toString() ?? "";
      if (!used.has(rid)) alone.push(exception);
    }
  };
  const resolve = (
    details: ReturnType<InstanceType<ICAL["Event"]>["getOccurrenceDetails"]>,
    component: IcalComponent,
    periodEnd: number | undefined,
    where: string,
  ): Occurrence | undefined => {
    const status = component.getFirstPropertyValue("status");
    const name = String(details.item.summary ?? "").trim() || "Closed";
    if (details.startDate.isDate) {
      const firstDay = dayOfTime(details.startDate);
      const endDay =
        component.hasProperty("dtend") || component.hasProperty("duration") ? dayOfTime(details.endDate) : firstDay + 1;
      // An all-day event with DTEND equal to its DTSTART is read as the one day it names.
      if (endDay < firstDay) throw icsError("Invalid ICS", [{ path: where, message: "ends before it starts" }]);
      if (status === "CANCELLED" || Math.max(endDay, firstDay + 1) <= first || firstDay > last) return undefined;
      return { allDay: true, firstDay, endDay: Math.max(endDay, firstDay + 1), name };
    }
    const startProp = component.getFirstProperty("dtstart") as IcalProperty;
    const ownStartTime = details.item.startDate;
    // A series' instance starts at the wall time the expansion gives, in DTSTART's zone.
    const start = instantOf(zones, details.startDate, startProp, `${where} DTSTART`);
    let end: number;
    const endProp = component.getFirstProperty("dtend");
    if (periodEnd !== undefined) end = periodEnd;
    else if (endProp) {
      // RFC 5545: DTEND's exact duration applies to every instance, each end in its own zone.
      const ownStart = instantOf(zones, ownStartTime, startProp, `${where} DTSTART`);
      const ownEnd = instantOf(zones, details.item.endDate, endProp, `${where} DTEND`);
      end = start + (ownEnd - ownStart);
    } else if (component.hasProperty("duration")) {
      // ical.js adds a duration's days as 24 hours when it knows no rules for the zone (an IANA
      // TZID, a floating time); RFC 5545 counts them in wall time.
      const duration = component.getFirstPropertyValue("duration") as InstanceType<ICAL["Duration"]>;
      end = instantAfter(zones, details.startDate, startProp, duration, `${where} DTSTART`);
    } else {
      end = details.endDate.toUnixTime() * 1000 - details.startDate.toUnixTime() * 1000 + start;
    }
    if (end < start) throw icsError("Invalid ICS", [{ path: where, message: "ends before it starts" }]);
    if (status === "CANCELLED" || end <= windowStart || start >= windowEnd || end === start) return undefined;
    return { allDay: false, start, end, name };
  };
  const guarded = (
    component: IcalComponent,
    index: number,
    own: readonly { component: IcalComponent; index: number }[],
  ): void => {
    try {
      expand(component, index, own);
    } catch (e) {
      if (e instanceof SlaClockError) throw e;
      // ical.js's own errors (a rule part it refuses, a value it cannot expand).
      throw icsError("Invalid ICS", [
        { path: eventPlace(component, index), message: `cannot be expanded: ${(e as Error).message}` },
      ]);
    }
  };
  for (const { component, index } of masters)
    guarded(component, index, exceptions.get(String(component.getFirstPropertyValue("uid"))) ?? []);
  for (const { component, index } of alone) {
    // Expanded as the one event it is: without its RECURRENCE-ID (ical.js expands nothing of an
    // instance that names one).
    const copy = new ICAL.Component(structuredClone(component.toJSON() as unknown[]));
    copy.removeAllProperties("recurrence-id");
    guarded(copy, index, []);
  }
  return out;
}

/**
 * The all-day events of an ICS feed between two local dates, as an explicit holiday list to put in
 * a spec's `holidays`: each date an event covers (`DTEND` exclusive) becomes a listed holiday named
 * by its `SUMMARY`. `RRULE`/`RDATE` recurrences are expanded, `EXDATE`s and cancelled events left
 * out, moved instances (`RECURRENCE-ID`) taken from their own event. Listed holidays behave like
 * `date-holidays`' (eves, `openDates`, `describeDay`). Timed events are refused unless
 * `timedEvents: "ignore"`; {@link overridesFromIcs} turns them into overrides. Throws `INVALID_ICS`
 * for text that is not a usable feed. `text` may be the file's bytes (a `Uint8Array`, a `Buffer`):
 * they are read as UTF-8 after their folds are undone, so a fold that splits a character's octets
 * (RFC 5545 folds after 75 octets) is read right, where text decoded first has two U+FFFD there.
 *
 * @example
 * ```ts
 * import { createCalendar, holidaysFromIcs } from "sla-clock";
 * const ics = [
 *   "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example//EN",
 *   "BEGIN:VEVENT", "UID:summer", "DTSTAMP:20260101T000000Z", "SUMMARY:Summer closure",
 *   "DTSTART;VALUE=DATE:20260720", "DTEND;VALUE=DATE:20260722", "END:VEVENT",
 *   "END:VCALENDAR",
 * ].join("\r\n");
 * const holidays = await holidaysFromIcs(ics, { from: "2026-01-01", to: "2026-12-31" });
 * // holidays.dates → [{ date: "2026-07-20", name: "Summer closure" }, { date: "2026-07-21", … }]
 * const cal = createCalendar({ zone: "Europe/Stockholm", weekly: { mon: [["08:00", "17:00"]], tue: [["08:00", "17:00"]] }, holidays });
 * cal.isBusinessDay("2026-07-21"); // false
 * ```
 */
export async function holidaysFromIcs(
  text: string | Uint8Array,
  options: IcsHolidayOptions,
): Promise<HolidayListSource> {
  const [first, last] = rangeOf(options);
  refuseUnknownOptions(options, ["from", "to", "type", "timedEvents"], "options");
  const timedEvents = options.timedEvents ?? "error";
  if (options.type !== undefined && !HOLIDAY_TYPES.includes(options.type)) {
    throw new SlaClockError("INVALID_ARGUMENT", `options.type must be one of ${HOLIDAY_TYPES.join(", ")}`, {
      value: options.type,
    });
  }
  if (timedEvents !== "error" && timedEvents !== "ignore") {
    throw new SlaClockError("INVALID_ARGUMENT", 'options.timedEvents must be "error" or "ignore"', {
      value: timedEvents,
    });
  }
  // All-day dates have no zone; UTC only serves the (ignored or refused) timed events here.
  const found = await occurrences(text, "UTC", first, last);
  const timed = found.filter(
    (o): o is Extract<Occurrence, { allDay: false }> =>
      !o.allDay && o.end > first * DAY_MS && o.start < (last + 1) * DAY_MS,
  );
  if (timedEvents === "error" && timed.length > 0) {
    throw icsError(
      "The ICS has timed events",
      timed.slice(0, 20).map((o) => ({
        path: o.name,
        message: `is a timed event (${new Date(o.start).toISOString()}); read timed events with overridesFromIcs, or pass timedEvents: "ignore"`,
      })),
    );
  }
  const byDay = new Map<number, Set<string>>();
  for (const o of found) {
    if (!o.allDay) continue;
    for (let d = Math.max(o.firstDay, first); d < o.endDay && d <= last; d++) {
      const names = byDay.get(d) ?? new Set<string>();
      names.add(o.name);
      byDay.set(d, names);
    }
  }
  const dates: ListedHoliday[] = [];
  for (const d of [...byDay.keys()].sort((a, b) => a - b))
    for (const name of byDay.get(d) ?? [])
      dates.push(options.type ? { date: formatDay(d), name, type: options.type } : { date: formatDay(d), name });
  return { source: "list", dates };
}

/** Merges sorted-or-not instant ranges into sorted, disjoint ones. */
function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const lastRange = out[out.length - 1];
    if (lastRange && s <= lastRange[1]) lastRange[1] = Math.max(lastRange[1], e);
    else out.push([s, e]);
  }
  return out;
}

function subtractRanges(base: readonly [number, number][], cut: readonly [number, number][]): [number, number][] {
  let out = base.map(([s, e]) => [s, e] as [number, number]);
  for (const [cs, ce] of cut) {
    const next: [number, number][] = [];
    for (const [s, e] of out) {
      if (ce <= s || cs >= e) next.push([s, e]);
      else {
        if (cs > s) next.push([s, cs]);
        if (ce < e) next.push([ce, e]);
      }
    }
    out = next;
  }
  return out;
}

/**
 * The timed events of an ICS feed between two local dates, as date overrides (`overrides`) for the
 * calendar they are read against: with `timed: "close"` (the default) each event closes its stretch
 * of the day's hours, so a date an event touches gets the hours it had minus the event; with
 * `timed: "hours"` a date's events are its hours. What a closure leaves of an overnight interval
 * after midnight starts on the next date and goes into that date's override (which must then be
 * within `options.to`). Events are converted exactly across zones (the
 * event's `TZID`, `Z` or floating) and split at the calendar's local midnights. Each override is
 * checked by compiling it: if the resulting hours cannot be written as `HH:mm` wall times in the
 * calendar's zone (a closure at 10:30:15, or at an ambiguous wall time in a DST overlap) the import
 * throws `INVALID_ICS` rather than round. All-day events are {@link holidaysFromIcs}'s. `text` may be
 * the file's bytes, read as {@link holidaysFromIcs} reads them.
 *
 * @example
 * ```ts
 * import { createCalendar, overridesFromIcs } from "sla-clock";
 * const spec = { zone: "Europe/Stockholm", weekly: { wed: [["08:00", "17:00"]] } } as const;
 * const ics = [
 *   "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example//EN",
 *   "BEGIN:VEVENT", "UID:meeting", "DTSTAMP:20260101T000000Z", "SUMMARY:All-hands",
 *   "DTSTART;TZID=America/New_York:20260311T080000", "DTEND;TZID=America/New_York:20260311T100000",
 *   "END:VEVENT", "END:VCALENDAR",
 * ].join("\r\n");
 * const overrides = await overridesFromIcs(createCalendar(spec), ics, { from: "2026-03-01", to: "2026-03-31" });
 * // [{ date: "2026-03-11", hours: [["08:00", "13:00"], ["15:00", "17:00"]], name: "All-hands" }]
 * // (New York is already on summer time, Stockholm not yet: 08:00 there is 13:00 here)
 * ```
 */
export async function overridesFromIcs(
  calendar: Calendar,
  text: string | Uint8Array,
  options: IcsOverrideOptions,
): Promise<DateOverride[]> {
  plainCalendarArgument(calendar, "overridesFromIcs");
  const [first, last] = rangeOf(options);
  refuseUnknownOptions(options, ["from", "to", "timed"], "options");
  const mode = options.timed ?? "close";
  if (mode !== "close" && mode !== "hours") {
    throw new SlaClockError("INVALID_ARGUMENT", 'options.timed must be "close" or "hours"', { value: mode });
  }
  const zone = new ZoneRules(calendar.zone);
  const found = await occurrences(text, calendar.zone, first, last);
  const byDay = new Map<number, { ranges: [number, number][]; names: Set<string> }>();
  // Each date's own intervals, as instants (for `close`: an overnight interval belongs to the date
  // it starts on, so a closure after midnight may cut the day before's hours).
  const ownIntervals = new Map<number, [number, number][]>();
  const intervalsOf = (d: number): [number, number][] => {
    let list = ownIntervals.get(d);
    if (list === undefined) {
      list = calendar.describeDay(formatDay(d)).intervals.map((iv) => [iv.start.getTime(), iv.end.getTime()]);
      ownIntervals.set(d, list);
    }
    return list;
  };
  for (const o of found) {
    if (o.allDay) continue;
    const firstDay = Math.floor(zone.instantToWall(o.start) / DAY_MS);
    const lastDay = Math.floor(zone.instantToWall(o.end - 1) / DAY_MS);
    // Two dates back: an overnight interval reaches into the next date, or past a date the zone
    // skipped (Apia, 2011-12-30) into the one after it.
    for (let d = Math.max(firstDay - (mode === "close" ? 2 : 0), first); d <= Math.min(lastDay, last); d++) {
      // The dates before the event's first date count only through an interval the event cuts.
      if (d < firstDay && !intervalsOf(d).some(([s, e]) => s < o.end && o.start < e)) continue;
      const entry = byDay.get(d) ?? { ranges: [], names: new Set<string>() };
      entry.ranges.push([o.start, o.end]);
      entry.names.add(o.name);
      byDay.set(d, entry);
    }
  }
  const sameRanges = (a: readonly [number, number][], b: readonly [number, number][]): boolean =>
    a.length === b.length && a.every(([s, e], i) => s === b[i]?.[0] && e === b[i]?.[1]);
  const dayEndOf = (d: number): number => zone.wallToInstant((d + 1) * DAY_MS);
  // `close`: what each date keeps of its own intervals, and the pieces of an overnight interval that
  // a closure leaves starting after midnight. Such a piece belongs to the date it starts on (as
  // every interval does), so it goes into that date's override: the day before cannot hold it, as
  // its hours start on that day ("26:30" is no time of day).
  const keptOf = new Map<number, [number, number][]>();
  const movedInto = new Map<number, { ranges: [number, number][]; names: Set<string> }>();
  if (mode === "close") {
    for (const [d, entry] of byDay) {
      const kept = subtractRanges(intervalsOf(d), mergeRanges(entry.ranges));
      const dayEnd = dayEndOf(d);
      keptOf.set(
        d,
        kept.filter(([s]) => s < dayEnd),
      );
      for (const piece of kept.filter(([s]) => s >= dayEnd)) {
        const pieceDay = Math.floor(zone.instantToWall(piece[0]) / DAY_MS);
        if (pieceDay > last) {
          const names = [...entry.names].join("; ");
          const from = formatMinute((zone.instantToWall(piece[0]) - pieceDay * DAY_MS) / MINUTE_MS);
          throw new SlaClockError(
            "INVALID_ARGUMENT",
            `options.to: the closure of ${formatDay(d)} (${names}) leaves open time from ${from} on ${formatDay(pieceDay)}, which belongs to that date's override, after options.to (${options.to}); extend options.to to ${formatDay(pieceDay)} or later`,
            { value: options.to, path: "options.to" },
          );
        }
        const into = movedInto.get(pieceDay) ?? { ranges: [], names: new Set<string>() };
        into.ranges.push(piece);
        for (const name of entry.names) into.names.add(name);
        movedInto.set(pieceDay, into);
      }
    }
  }
  const overrides: DateOverride[] = [];
  for (const d of [...new Set([...byDay.keys(), ...movedInto.keys()])].sort((a, b) => a - b)) {
    const entry = byDay.get(d);
    const moved = movedInto.get(d);
    const date = formatDay(d);
    const dayStart = zone.wallToInstant(d * DAY_MS);
    const dayEnd = dayEndOf(d);
    let wanted: [number, number][];
    if (mode === "close") {
      const base = intervalsOf(d);
      // The calendar's open time is the union of every date's intervals, so merging the moved
      // pieces into this date's own keeps it.
      wanted = mergeRanges([...(keptOf.get(d) ?? base), ...(moved?.ranges ?? [])]);
      if (sameRanges(wanted, base)) continue;
    } else {
      wanted = mergeRanges(entry?.ranges ?? [])
        .map(([s, e]) => [Math.max(s, dayStart), Math.min(e, dayEnd)] as [number, number])
        .filter(([s, e]) => e > s);
    }
    const name = [...new Set([...(entry?.names ?? []), ...(moved?.names ?? [])])].join("; ");
    const where = `${date} (${name})`;
    const override: DateOverride = { date, hours: toWallHours(wanted, d, zone, where), name };
    // The check: the override must be hours a spec accepts and, compiled, give exactly the wanted instants.
    if (!certainlyValidDayHours(override.hours)) {
      throw icsError("The ICS cannot be written as hours", [
        {
          path: where,
          message: `the open time left would be the hours ${JSON.stringify(override.hours)}, which are not a day's hours ("HH:mm" from "00:00" to "24:00", sorted, not overlapping, only the last past midnight)`,
        },
      ]);
    }
    if (!sameRanges(zoneIntervals(override.hours, d, zone), wanted)) {
      throw icsError("The ICS cannot be written as hours", [
        {
          path: where,
          message: `the hours would start or end at a wall time that is ambiguous or skipped in ${calendar.zone} (a DST change)`,
        },
      ]);
    }
    overrides.push(override);
  }
  return overrides;
}

/** Instant ranges of one local day as `HH:mm` hours; refuses times that are not whole minutes. */
function toWallHours(ranges: readonly [number, number][], day: number, zone: ZoneRules, where: string): DayHours {
  const midnight = day * DAY_MS;
  return ranges.map(([s, e]) => {
    const ws = zone.instantToWall(s) - midnight;
    const we = zone.instantToWall(e) - midnight;
    if (ws % MINUTE_MS !== 0 || we % MINUTE_MS !== 0) {
      throw icsError("The ICS cannot be written as hours", [
        { path: where, message: "starts or ends between whole minutes; hours are HH:mm" },
      ]);
    }
    const startMinute = ws / MINUTE_MS;
    let endMinute = we / MINUTE_MS;
    // Past a next date that the zone skipped (Apia, 2011-12-30), the end's wall time lies two dates
    // on; written as the next date's time, the gap rule moves it there (the caller compiles the
    // hours back and compares).
    if (endMinute > 2880 && zone.wallToInstant((day + 2) * DAY_MS) <= zone.wallToInstant((day + 1) * DAY_MS))
      endMinute -= 1440;
    if (endMinute > 2880) throw icsError("Invalid ICS", [{ path: where, message: "runs past the next day" }]);
    return [formatMinute(startMinute), endMinute === 1440 ? "24:00" : formatMinute(endMinute % 1440)] as const;
  });
}

/** What `HH:mm` hours of a local day are as instants, by the calendar's rules (for the check). */
function zoneIntervals(hours: DayHours, day: number, zone: ZoneRules): [number, number][] {
  const minute = (t: string): number => (t === "24:00" ? 1440 : Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)));
  return hours.map(([o, c]) => {
    const start = minute(o);
    let end = minute(c);
    if (end <= start) end += 1440;
    return [zone.wallToInstant(day * DAY_MS + start * MINUTE_MS), zone.wallToInstant(day * DAY_MS + end * MINUTE_MS)];
  });
}

function reasonNames(calendar: Calendar, date: string): { closed: boolean; shortened: boolean; names: string[] } {
  const day = calendar.describeDay(date);
  const names: string[] = [];
  let closed = false;
  let dated = false;
  for (const r of day.reasons) {
    if (r.kind === "holiday") {
      closed = true;
      names.push(...r.holidays.map((h) => h.name));
    } else if (r.kind === "closedDate") {
      closed = true;
      names.push(r.name ?? "Closed");
    } else if (r.kind === "override") {
      dated = true;
      if (!day.open && day.weeklyHours.length > 0) closed = true;
      names.push(r.name ?? "Other hours");
    } else if (r.kind === "openDate") {
      // Other hours on the date: the stretches of the weekly hours they leave out are published
      // (none when it opens a holiday with the ordinary hours).
      dated = true;
      names.push(r.name ?? "Other hours");
    } else if (r.kind === "eve") {
      dated = true;
      names.push(`Eve of ${r.holidays.map((h) => h.name).join(", ")}`);
    }
  }
  return { closed, shortened: !closed && dated && day.open, names };
}

/** The checked `options` of an export and the `DTSTAMP` they give its events. */
function exportOptions(options: IcsExportOptions): Date {
  if (options === null || typeof options !== "object") {
    throw new SlaClockError("INVALID_ARGUMENT", "options must be { prodId?, name?, stamp? } or left out", {
      value: options,
    });
  }
  refuseUnknownOptions(options, EXPORT_OPTIONS, "options");
  const stamp: unknown = options.stamp === undefined ? DEFAULT_STAMP : options.stamp;
  if (!(stamp instanceof Date) || Number.isNaN(stamp.getTime())) {
    throw new SlaClockError(
      "INVALID_ARGUMENT",
      `options.stamp must be a valid Date (the DTSTAMP of every event) or left out, got ${showValue(stamp)}`,
      { value: stamp, path: "options.stamp" },
    );
  }
  toEpochMs(stamp, zoneRules("UTC"), "options.stamp"); // OUT_OF_RANGE outside 1900–2200
  return stamp;
}

/**
 * A calendar's closed and shortened days between two local dates, as an ICS feed to publish
 * ("our holidays and short days"). A day closed by a holiday, a `closedDates` entry or an override
 * without hours is an all-day event named by its reasons; a day whose hours an eve, an override or
 * an `openDates` entry shortens gets a timed event (in UTC) for each stretch of its weekly hours
 * that it loses, named by its reasons (a day opened beyond its weekly hours loses nothing and is
 * not listed). Weekday rules (an early close every Friday) are the ordinary week and are not
 * listed. Reading the feed back with {@link holidaysFromIcs} (`timedEvents: "ignore"`) gives the
 * closed dates; {@link overridesFromIcs} gives the short days' hours. Every event's `DTSTAMP` is
 * `options.stamp` (default 2000-01-01T00:00:00Z, so that the same calendar gives the same bytes).
 *
 * @example
 * ```ts
 * import { calendarToIcs, getCalendar } from "sla-clock";
 * const ics = await calendarToIcs(getCalendar("softone-se"), "2026-12-01", "2026-12-31");
 * ics.includes("SUMMARY:juldagen"); // true
 * // Published again after the calendar changed: its events carry the time of this export.
 * await calendarToIcs(getCalendar("softone-se"), "2026-12-01", "2026-12-31", { stamp: new Date() });
 * ```
 */
export async function calendarToIcs(
  calendar: Calendar,
  from: string,
  to: string,
  options: IcsExportOptions = {},
): Promise<string> {
  plainCalendarArgument(calendar, "calendarToIcs");
  const [first, last] = rangeOf({ from, to }, "from", "to");
  const stampAt = exportOptions(options);
  const ICAL = await loadIcal();
  const spec = calendar.toJSON();
  const zone = new ZoneRules(calendar.zone);
  const root = new ICAL.Component(["vcalendar", [], []]);
  root.addPropertyWithValue("version", "2.0");
  addText(ICAL, root, "prodid", options.prodId ?? "-//sla-clock//calendar export//EN");
  root.addPropertyWithValue("calscale", "GREGORIAN");
  const calName = options.name ?? spec.name ?? spec.id;
  if (calName !== undefined) addText(ICAL, root, "x-wr-calname", calName);
  const stamp = ICAL.Time.fromJSDate(stampAt, true);
  const idBase = (spec.id ?? "calendar").replace(/[^A-Za-z0-9._-]/g, "_");
  const dateTime = (ms: number): IcalTime => ICAL.Time.fromJSDate(new Date(ms), true);
  const dateOnly = (d: number): IcalTime => ICAL.Time.fromDateString(formatDay(d));

  for (let d = first; d <= last; d++) {
    const date = formatDay(d);
    const { closed, shortened, names } = reasonNames(calendar, date);
    if (!closed && !shortened) continue;
    const summary = [...new Set(names)].join("; ");
    if (closed) {
      const event = new ICAL.Component("vevent");
      event.addPropertyWithValue("uid", `${idBase}-${date}-closed@sla-clock`);
      event.addPropertyWithValue("dtstamp", stamp);
      event.addPropertyWithValue("dtstart", dateOnly(d));
      event.addPropertyWithValue("dtend", dateOnly(d + 1));
      addText(ICAL, event, "summary", summary);
      event.addPropertyWithValue("categories", "Closed");
      event.addPropertyWithValue("transp", "TRANSPARENT");
      root.addSubcomponent(event);
      continue;
    }
    const day = calendar.describeDay(date);
    const weekly = zoneIntervals(day.weeklyHours, d, zone);
    const kept = day.intervals.map((iv) => [iv.start.getTime(), iv.end.getTime()] as [number, number]);
    subtractRanges(weekly, kept).forEach(([s, e], i) => {
      const event = new ICAL.Component("vevent");
      event.addPropertyWithValue("uid", `${idBase}-${date}-short-${i}@sla-clock`);
      event.addPropertyWithValue("dtstamp", stamp);
      event.addPropertyWithValue("dtstart", dateTime(s));
      event.addPropertyWithValue("dtend", dateTime(e));
      addText(ICAL, event, "summary", summary);
      addText(
        ICAL,
        event,
        "description",
        `Open ${day.hours.map(([o, c]) => `${o}–${c}`).join(", ")} local time (${calendar.zone})`,
      );
      event.addPropertyWithValue("categories", "Shortened");
      event.addPropertyWithValue("transp", "TRANSPARENT");
      root.addSubcomponent(event);
    });
  }
  return icsString(ICAL, root);
}

/**
 * One ticket's deadline as an ICS feed holding one event at that instant (in UTC, no duration), to
 * put a due time into a person's calendar. The deadline comes from the policy
 * (`policy.deadline(…)`, or a metric's `deadline` from `evaluate`); a stable `uid` lets a calendar
 * move the event when the deadline moves (a pause, a new priority). When it has moved, send it
 * with a higher `deadline.sequence` and the time of sending as `options.stamp`, so that a calendar
 * client takes it as the newer revision (RFC 5546); without them the output is the same bytes for
 * the same deadline (`DTSTAMP:20000101T000000Z`, no `SEQUENCE`).
 *
 * @example
 * ```ts
 * import { deadlineToIcs, getPolicy } from "sla-clock";
 * const at = getPolicy("softone-se").deadline("2026-04-02T11:00", { priority: 3 })!;
 * const ics = await deadlineToIcs({ uid: "T-7-resolution@example.com", at, summary: "T-7: resolution due" });
 * ics.includes("DTSTART:20260408T100000Z"); // true
 * // The deadline moved (a pause): the second revision of the same event.
 * const later = new Date(at.getTime() + 3_600_000);
 * await deadlineToIcs(
 *   { uid: "T-7-resolution@example.com", at: later, summary: "T-7: resolution due", sequence: 1 },
 *   { stamp: new Date() },
 * );
 * ```
 */
export async function deadlineToIcs(deadline: IcsDeadline, options: IcsExportOptions = {}): Promise<string> {
  if (deadline === null || typeof deadline !== "object") {
    throw new SlaClockError("INVALID_ARGUMENT", "the deadline must be { uid, at, summary, description?, sequence? }", {
      value: deadline,
    });
  }
  const { uid, at, summary, description, sequence } = deadline;
  const bad = (field: string, what: string, value: unknown): SlaClockError =>
    new SlaClockError("INVALID_ARGUMENT", `deadline.${field} must be ${what}`, { value });
  if (typeof uid !== "string" || uid.trim() === "") throw bad("uid", "a non-empty string", uid);
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw bad("at", "a valid Date", at);
  // ical.js writes a year outside four digits as invalid DTSTART text (`99-01-01T00:00:00Z`).
  toEpochMs(at, zoneRules("UTC"), "deadline.at"); // OUT_OF_RANGE outside 1900–2200
  if (typeof summary !== "string") throw bad("summary", "a string", summary);
  if (description !== undefined && typeof description !== "string") throw bad("description", "a string", description);
  if (
    sequence !== undefined &&
    (typeof sequence !== "number" || !Number.isInteger(sequence) || sequence < 0 || sequence > MAX_SEQUENCE)
  )
    throw bad("sequence", `a whole number from 0 to ${MAX_SEQUENCE} (the event's SEQUENCE) or left out`, sequence);
  const stampAt = exportOptions(options);
  const ICAL = await loadIcal();
  const root = new ICAL.Component(["vcalendar", [], []]);
  root.addPropertyWithValue("version", "2.0");
  addText(ICAL, root, "prodid", options.prodId ?? "-//sla-clock//deadline//EN");
  if (options.name !== undefined) addText(ICAL, root, "x-wr-calname", options.name);
  const event = new ICAL.Component("vevent");
  addText(ICAL, event, "uid", uid);
  event.addPropertyWithValue("dtstamp", ICAL.Time.fromJSDate(stampAt, true));
  event.addPropertyWithValue("dtstart", ICAL.Time.fromJSDate(at, true));
  if (sequence !== undefined) event.addPropertyWithValue("sequence", sequence);
  addText(ICAL, event, "summary", summary);
  if (description !== undefined) addText(ICAL, event, "description", description);
  root.addSubcomponent(event);
  return icsString(ICAL, root);
}

/**
 * Text as an iCalendar TEXT value allows it (RFC 5545, 3.3.11: no control character but HTAB): a
 * CR or CRLF is a line break (which ical.js writes as `\n`), any other control character is shown
 * as U+FFFD. A bare CR was written as it is, and a reader that ends a line there read the rest of
 * a name or a UID as a property of its own.
 */
function icsText(text: string): string {
  // eslint-disable-next-line no-control-regex -- the point: control characters are replaced
  return text.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "\uFFFD");
}

/** Adds a TEXT property, escaped as TEXT (`X-WR-CALNAME` included, which ical.js writes raw otherwise). */
function addText(ICAL: ICAL, component: IcalComponent, name: string, value: string): void {
  const prop = new ICAL.Property(name, component);
  prop.resetType("text");
  prop.setValue(icsText(value));
  component.addProperty(prop);
}

/**
 * The feed's text. ical.js folds a line after 75 octets and then adds the continuation's leading
 * space, so continuation lines had 76; RFC 5545 (3.1) wants at most 75 with the space. ical.js
 * reads its fold length from a module-wide setting, set here only for this synchronous call.
 */
function icsString(ICAL: ICAL, root: IcalComponent): string {
  const before = ICAL.foldLength;
  ICAL.foldLength = 74;
  try {
    return `${root.toString()}\r\n`;
  } finally {
    ICAL.foldLength = before;
  }
}
