/**
 * The date and time values of an ICS event, checked and put in one zone before ical.js expands it
 * (src/calendar/ics.ts).
 *
 * ical.js is lenient where an import must not be: it reads `20260230` as 2 March, `10:60` as 11:00,
 * an `RRULE` with `COUNT=0` as one without a count, and a date-time without its time as a crash
 * later on. It also knows no IANA zone (only a feed's own `VTIMEZONE`s), so it compares an `EXDATE`
 * at `09:00Z` with a series at `10:00` Stockholm as two different times, and hands an `RDATE` in
 * another zone to the series in the series' zone without converting it. Each of those closed the
 * wrong dates or hours without a word. So, before expansion:
 *
 * - every date, date-time, period, duration and recurrence rule of the event is checked against
 *   RFC 5545's grammar and ranges ({@link checkEventValues}): a bad one is `INVALID_ICS`, naming it;
 * - every `RDATE`, `EXDATE` and `RECURRENCE-ID` time, and an `RRULE`'s `UNTIL` in UTC, is converted
 *   exactly to the wall time of the series' `DTSTART` zone ({@link alignToStart}), where ical.js
 *   expands and matches them;
 * - an `RDATE` period (`start/end` or `start/duration`, which ical.js cannot expand) becomes its
 *   start, and its end is kept for the occurrence that start makes;
 * - a yearly `RRULE` whose months and days make dates that some month lacks (from 29 February, or
 *   `BYMONTH=2,3;BYMONTHDAY=30`) becomes the `RDATE`s of its real dates
 *   ({@link spellOutYearlyDates}), as ical.js rolled 29 February over to 1 March in common years;
 * - `DTSTART` is made the first instance where no rule gives it ({@link keepStartInstance}).
 */
import type ICALModule from "ical.js";
import { validationError, showValue } from "../errors";
import { DAY_MS } from "../time/civil";
import { ZoneRules, isKnownZone } from "../time/zone";

type ICAL = typeof ICALModule;
type IcalComponent = InstanceType<ICAL["Component"]>;
type IcalProperty = InstanceType<ICAL["Property"]>;
type IcalTime = InstanceType<ICAL["Time"]>;
type IcalPeriod = InstanceType<ICAL["Period"]>;
type IcalDuration = InstanceType<ICAL["Duration"]>;

/** The properties of an event whose values are dates, date-times or periods. */
const TIME_PROPERTIES = ["dtstart", "dtend", "recurrence-id", "rdate", "exdate"] as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z?$/;
const DURATION = /^[+-]?P(?:\d+W|(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?)$/;

/** A value as the feed wrote it (ical.js keeps `2026-01-05T10:00:00` for `20260105T100000`). */
function asWritten(value: string): string {
  return value.replace(/[-:]/g, "").replace(/T$/, "");
}

/** Why `value` is not a valid date or date-time (RFC 5545, 3.3.4 and 3.3.5), or undefined. */
function badTime(value: unknown, type: string): string | undefined {
  if (typeof value !== "string") return "is not a date or date-time";
  const date = type === "date" ? DATE.exec(value) : DATE_TIME.exec(value);
  if (date === null) {
    return type === "date"
      ? `"${asWritten(value)}" is not a date (YYYYMMDD)`
      : `"${asWritten(value)}" is not a date-time (YYYYMMDDTHHMMSS, with Z for UTC; a date alone needs VALUE=DATE)`;
  }
  const [year, month, day, hour = 0, minute = 0, second = 0] = date.slice(1).map(Number) as number[];
  const daysInMonth = new Date(Date.UTC(year as number, month as number, 0)).getUTCDate();
  if ((month as number) < 1 || (month as number) > 12 || (day as number) < 1 || (day as number) > daysInMonth)
    return `"${asWritten(value)}" is not a date of the calendar (month ${month}, day ${day})`;
  if (hour > 23 || minute > 59 || second > 59)
    return `"${asWritten(value)}" is not a time of day (hours 00–23, minutes and seconds 00–59; a leap second is not placed)`;
  return undefined;
}

/**
 * Refuses an event whose dates, date-times, periods, durations or recurrence rule are not what RFC
 * 5545 allows: each issue names the property (under `where`) and the value as written.
 * @internal
 */
export function checkEventValues(component: IcalComponent, where: string): void {
  const problems: { path: string; message: string }[] = [];
  const startType = component.getFirstProperty("dtstart")?.type;
  for (const name of TIME_PROPERTIES) {
    for (const prop of component.getAllProperties(name)) {
      const [, , type, ...values] = prop.toJSON() as [string, unknown, string, ...unknown[]];
      const path = `${where} ${name.toUpperCase()}`;
      // RFC 5545 (3.8.2.2, 3.8.4.4, 3.8.5.1, 3.8.5.2): these take DTSTART's value type.
      if (name !== "dtstart" && startType !== undefined && (startType === "date") !== (type === "date")) {
        problems.push({
          path,
          message:
            startType === "date"
              ? "must be a date (VALUE=DATE), as DTSTART is"
              : "must be a date-time (or, for RDATE, a period), as DTSTART is",
        });
        continue;
      }
      for (const value of values) {
        if (type === "period") {
          const [start, end] = Array.isArray(value) ? (value as unknown[]) : [];
          const problem =
            badTime(start, "date-time") ??
            (typeof end === "string" && DURATION.test(end)
              ? end.startsWith("-")
                ? `period "${asWritten(String(start))}/${end}" lasts a negative time`
                : undefined
              : badTime(end, "date-time"));
          if (problem !== undefined) problems.push({ path, message: problem });
          continue;
        }
        const problem = badTime(value, type === "date" ? "date" : "date-time");
        if (problem !== undefined) problems.push({ path, message: problem });
      }
    }
  }
  for (const prop of component.getAllProperties("duration")) {
    const value = (prop.toJSON() as unknown[])[3];
    const path = `${where} DURATION`;
    // RFC 5545 (3.6.1): either may end an event, never both (which one would it be?).
    if (component.hasProperty("dtend"))
      problems.push({ path, message: "must not be given with DTEND (RFC 5545, 3.6.1): the event would have two ends" });
    else if (typeof value !== "string" || !DURATION.test(value))
      problems.push({ path, message: `${showValue(value)} is not a duration` });
    else if (value.startsWith("-"))
      problems.push({ path, message: `"${value}" is negative: the event would end before it starts` });
    else if (startType === "date" && value.includes("T"))
      // RFC 5545 (3.8.2.5): an all-day event lasts days or weeks; ical.js dropped the hours of one
      // (PT36H and PT48H were both one day).
      problems.push({
        path,
        message: `"${value}" is not in days or weeks (PnD, PnW), as an all-day event's (DTSTART a date) must be`,
      });
  }
  for (const prop of component.getAllProperties("rrule")) {
    const rule = (prop.toJSON() as unknown[])[3] as Record<string, unknown> | null;
    const path = `${where} RRULE`;
    if (typeof rule !== "object" || rule === null || typeof rule.freq !== "string") {
      problems.push({ path, message: "has no FREQ" });
      continue;
    }
    // COUNT and INTERVAL are checked in the text (ics.ts refuseRuleParts): ical.js rewrites 0.
    // RFC 5545 (3.3.10): either may end a rule, never both (ical.js ended it at the first reached).
    if (rule.until !== undefined && rule.count !== undefined)
      problems.push({
        path,
        message: "must not have both UNTIL and COUNT (RFC 5545, 3.3.10): the rule would have two ends",
      });
    else if (rule.until !== undefined) {
      const until = typeof rule.until === "string" ? rule.until : "";
      const untilIsDate = !until.includes("T");
      const problem = badTime(until, untilIsDate ? "date" : "date-time");
      if (problem !== undefined) problems.push({ path, message: `UNTIL ${problem}` });
      // RFC 5545 (3.3.10): UNTIL takes DTSTART's value type.
      else if (startType !== undefined && (startType === "date") !== untilIsDate)
        problems.push({
          path,
          message:
            startType === "date"
              ? `UNTIL must be a date, as DTSTART is, got "${asWritten(until)}"`
              : `UNTIL must be a date-time, as DTSTART is, got "${asWritten(until)}" (in UTC, with Z, when DTSTART has a TZID)`,
        });
    }
  }
  if (problems.length > 0) throw validationError("INVALID_ICS", "Invalid ICS", problems);
}

/**
 * How the times of an event are read: the calendar's zone (for floating times) and the feed's own
 * `VTIMEZONE`s by `TZID`.
 * @internal
 */
export interface IcsZones {
  readonly ICAL: ICAL;
  readonly calendarZone: ZoneRules;
  readonly timezones: ReadonlyMap<string, InstanceType<ICAL["Timezone"]>>;
}

/** Wall milliseconds (local fields written as if UTC) of an ical.js time. */
export function wallOf(t: IcalTime): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

/** Where a time's zone comes from: "Z" (UTC), "TZID=…", or "" (floating). */
function zoneKey(zones: IcsZones, t: IcalTime, prop: IcalProperty): string {
  if (t.zone === zones.ICAL.Timezone.utcTimezone) return "Z";
  const tzid = prop.getParameter("tzid");
  return typeof tzid === "string" ? `TZID=${tzid}` : "";
}

/** The two directions between an instant and the wall time of one zone key (see {@link zoneKey}). */
function zoneOf(
  zones: IcsZones,
  key: string,
  where: string,
): { toInstant: (wall: number) => number; toWall: (instant: number) => number } {
  if (key === "Z") return { toInstant: (w) => w, toWall: (i) => i };
  if (key === "") {
    const rules = zones.calendarZone;
    return { toInstant: (w) => rules.wallToInstant(w), toWall: (i) => rules.instantToWall(i) };
  }
  const tzid = key.slice("TZID=".length);
  if (isKnownZone(tzid)) {
    const rules = new ZoneRules(tzid);
    return { toInstant: (w) => rules.wallToInstant(w), toWall: (i) => rules.instantToWall(i) };
  }
  const own = zones.timezones.get(tzid);
  if (own !== undefined) {
    const { ICAL } = zones;
    return {
      toInstant: (w) => {
        const d = new Date(w);
        const local = ICAL.Time.fromData(
          {
            year: d.getUTCFullYear(),
            month: d.getUTCMonth() + 1,
            day: d.getUTCDate(),
            hour: d.getUTCHours(),
            minute: d.getUTCMinutes(),
            second: d.getUTCSeconds(),
          },
          own,
        );
        return local.toUnixTime() * 1000;
      },
      toWall: (i) => wallOf(ICAL.Time.fromJSDate(new Date(i), true).convertToZone(own)),
    };
  }
  throw validationError("INVALID_ICS", "Invalid ICS", [
    { path: where, message: `TZID "${tzid}" is neither an IANA time zone nor defined by a VTIMEZONE in the feed` },
  ]);
}

/**
 * The instant of a time of the property `prop` (`DTSTART`, `DTEND`, …), read in its own zone: UTC
 * for `Z`, its `TZID` (IANA rules, else the feed's `VTIMEZONE`), else the calendar's zone.
 * @internal
 */
export function instantOf(zones: IcsZones, t: IcalTime, prop: IcalProperty, where: string): number {
  return zoneOf(zones, zoneKey(zones, t, prop), where).toInstant(wallOf(t));
}

/**
 * The instant a duration after the wall time `wall` of `zone` ends. RFC 5545 (3.3.6): its weeks and
 * days are nominal (P1D is the same wall time the next day, 23 or 25 hours across a DST change),
 * its hours, minutes and seconds exact.
 */
function endOfDuration(zone: { toInstant: (wall: number) => number }, wall: number, duration: IcalDuration): number {
  const days = duration.weeks * 7 + duration.days;
  const exactMs = ((duration.hours * 60 + duration.minutes) * 60 + duration.seconds) * 1000;
  return zone.toInstant(wall + days * DAY_MS) + exactMs;
}

/**
 * The instant `duration` after the time `t` of the property `prop` (an event's `DTSTART`), in its
 * own zone as {@link instantOf} reads it: days and weeks nominal, hours and less exact.
 * @internal
 */
export function instantAfter(
  zones: IcsZones,
  t: IcalTime,
  prop: IcalProperty,
  duration: IcalDuration,
  where: string,
): number {
  return endOfDuration(zoneOf(zones, zoneKey(zones, t, prop), where), wallOf(t), duration);
}

/** `t` (a clone of `like`, in its zone) set to the wall time `wall`. */
function timeAtWall(like: IcalTime, wall: number): IcalTime {
  const d = new Date(wall);
  const t = like.clone();
  t.isDate = false;
  t.year = d.getUTCFullYear();
  t.month = d.getUTCMonth() + 1;
  t.day = d.getUTCDate();
  t.hour = d.getUTCHours();
  t.minute = d.getUTCMinutes();
  t.second = d.getUTCSeconds();
  return t;
}

/**
 * Rewrites the `RDATE` and `EXDATE` date-times of a series, its `RRULE`'s `UNTIL` in UTC, and the
 * `RECURRENCE-ID`s of its moved instances, to the wall time of the series' `DTSTART` zone, exactly
 * (ical.js expands and matches them there by their wall fields). Dates (`VALUE=DATE`) have no zone and stay. `RDATE` periods
 * become their starts; the returned map gives, by the start's text (ical.js's key of an
 * occurrence), the instant each such occurrence ends.
 * @internal
 */
export function alignToStart(
  zones: IcsZones,
  master: IcalComponent,
  exceptions: readonly IcalComponent[],
  where: string,
): Map<string, number> {
  const periodEnds = new Map<string, number>();
  const startProp = master.getFirstProperty("dtstart");
  if (startProp === null) return periodEnds;
  const start = startProp.getFirstValue() as IcalTime;
  if (start.isDate) return periodEnds;
  const startKey = zoneKey(zones, start, startProp);
  const startZone = zoneOf(zones, startKey, `${where} DTSTART`);
  const tzid = startProp.getParameter("tzid");
  const align = (prop: IcalProperty, path: string): void => {
    const values = prop.getValues() as (IcalTime | IcalPeriod)[];
    let changed = false;
    const aligned = values.map((value) => {
      const isPeriod = !("isDate" in value);
      const time = isPeriod ? (value as IcalPeriod).start : (value as IcalTime);
      if (time.isDate) return value;
      const key = zoneKey(zones, time, prop);
      const instant = zoneOf(zones, key, path).toInstant(wallOf(time));
      const out = key === startKey ? time : timeAtWall(start, startZone.toWall(instant));
      if (isPeriod) {
        const period = value as IcalPeriod;
        const periodZone = zoneOf(zones, key, path);
        const endAt =
          period.end !== null
            ? periodZone.toInstant(wallOf(period.end))
            : endOfDuration(periodZone, wallOf(time), period.duration as IcalDuration);
        const text = out.toString();
        periodEnds.set(text, Math.max(periodEnds.get(text) ?? -Infinity, endAt));
        changed = true;
        return out;
      }
      if (out !== time) changed = true;
      return out;
    });
    if (!changed) return;
    if (prop.isMultiValue) prop.setValues(aligned);
    else prop.setValue(aligned[0] as IcalTime);
    if (typeof tzid === "string") prop.setParameter("tzid", tzid);
    else prop.removeParameter("tzid");
  };
  for (const name of ["rdate", "exdate"] as const)
    for (const prop of master.getAllProperties(name)) align(prop, `${where} ${name.toUpperCase()}`);
  // An UNTIL in UTC is an instant (RFC 5545, 3.3.10), but ical.js compares it with the instances'
  // wall fields when DTSTART's TZID is an IANA name it does not know: the last instance east of
  // UTC was dropped, and one too many kept west of it.
  for (const prop of master.getAllProperties("rrule")) {
    const rule = prop.getFirstValue() as InstanceType<ICAL["Recur"]>;
    const until = rule.until;
    if (until === null || until.isDate || until.zone !== zones.ICAL.Timezone.utcTimezone || startKey === "Z") continue;
    rule.until = timeAtWall(start, startZone.toWall(wallOf(until)));
    prop.setValue(rule);
  }
  for (const exception of exceptions) {
    const prop = exception.getFirstProperty("recurrence-id");
    if (prop !== null) align(prop, `${where} RECURRENCE-ID`);
  }
  return periodEnds;
}

/** Rule parts that make other dates than months and days of the month: left to ical.js. */
const OTHER_RULE_PARTS = ["BYDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS", "BYHOUR", "BYMINUTE", "BYSECOND"] as const;

/** The fewest days each month has (February's 29th only in leap years). */
const SHORTEST_MONTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * Writes a yearly `RRULE` whose months and days of the month (`BYMONTH`, `BYMONTHDAY`, or the
 * month and day of `DTSTART` where the rule gives none, RFC 5545, 3.3.10) make dates that some
 * month lacks (29 February, 31 April) as the `RDATE`s of its real dates after `DTSTART`, up to
 * `lastDay` (a day number, as `Date.UTC` / day) or its `UNTIL`, and `COUNT` less one instance
 * (`DTSTART` counts as the first, {@link keepStartInstance}). RFC 5545 ignores a date that does
 * not exist and does not count it; ical.js rolled it over to the next month (29 February to
 * 1 March, 31 April to 1 May) and counted it, also with the day written out in `BYMONTHDAY`, and
 * with several months lost a year's real dates after a February without the 29th (it checks the
 * days against the month of the instance before). Rules with other day or time parts are left to
 * ical.js.
 * @internal
 */
export function spellOutYearlyDates(master: IcalComponent, lastDay: number): void {
  const startProp = master.getFirstProperty("dtstart");
  if (startProp === null) return;
  const start = startProp.getFirstValue() as IcalTime;
  for (const prop of master.getAllProperties("rrule")) {
    const rule = prop.getFirstValue() as InstanceType<ICAL["Recur"]>;
    if (rule.freq !== "YEARLY") continue;
    if (OTHER_RULE_PARTS.some((part) => rule.getComponent(part).length > 0)) continue;
    const givenMonths = rule.getComponent("BYMONTH").map(Number);
    const givenDays = rule.getComponent("BYMONTHDAY").map(Number);
    // Without BYMONTH, ical.js reads BYMONTHDAY in DTSTART's month only; negative days (counted
    // from the month's end) are other dates.
    if (givenDays.length > 0 && (givenMonths.length === 0 || givenDays.some((day) => day < 1))) continue;
    const months = [...new Set(givenMonths.length > 0 ? givenMonths : [start.month])].sort((x, y) => x - y);
    const days = [...new Set(givenDays.length > 0 ? givenDays : [start.day])].sort((x, y) => x - y);
    if (!months.some((month) => days.some((day) => day > (SHORTEST_MONTHS[month - 1] ?? 31)))) continue;
    const dates: IcalTime[] = [];
    let counted = 1;
    years: for (let year = start.year; Date.UTC(year, 0, 1) / DAY_MS <= lastDay; year += rule.interval) {
      for (const month of months) {
        for (const day of days) {
          if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) continue;
          const date = start.clone();
          date.fromData({ year, month, day, isDate: start.isDate });
          if (date.compare(start) <= 0) continue;
          if (Date.UTC(year, month - 1, day) / DAY_MS > lastDay) break years;
          if (rule.until !== null && date.compare(rule.until) > 0) break years;
          if (rule.count !== null && counted >= rule.count) break years;
          dates.push(date);
          counted++;
        }
      }
    }
    master.removeProperty(prop);
    if (dates.length > 0) addRdates(master, startProp, dates);
  }
}

/** One `RDATE` property of `times`, in the zone of `DTSTART` (its `TZID`, if it has one). */
function addRdates(master: IcalComponent, startProp: IcalProperty, times: readonly IcalTime[]): void {
  const rdate = master.addPropertyWithValue("rdate", times[0] as IcalTime);
  if (times.length > 1) rdate.setValues([...times]);
  const tzid = startProp.getParameter("tzid");
  if (typeof tzid === "string") rdate.setParameter("tzid", tzid);
}

/**
 * Makes `DTSTART` the first instance of a recurring event, as RFC 5545 has it (3.8.5.2), counted
 * for each `RRULE`'s `COUNT` (3.3.10). ical.js leaves it out when no rule gives it: a set of
 * `RDATE`s alone, or an `RRULE` whose days `DTSTART` is not one of (`BYMONTH=4` from 15 January),
 * whose `COUNT` it then spends on the rule's own days. `DTSTART` becomes one more `RDATE`, and
 * such a rule's `COUNT` one less (the rule is removed when `DTSTART` was all it counted).
 * @internal
 */
export function keepStartInstance(zones: IcsZones, master: IcalComponent): void {
  const startProp = master.getFirstProperty("dtstart");
  if (startProp === null || !(master.hasProperty("rrule") || master.hasProperty("rdate"))) return;
  const start = startProp.getFirstValue() as IcalTime;
  let given = false;
  for (const prop of master.getAllProperties("rrule")) {
    const rule = prop.getFirstValue() as InstanceType<ICAL["Recur"]>;
    const first = rule.iterator(start).next() as IcalTime | null;
    if (first !== null && first.compare(start) === 0) given = true;
    else if (rule.count !== null && rule.count > 1) {
      rule.count -= 1;
      prop.setValue(rule);
    } else if (rule.count !== null) master.removeProperty(prop);
  }
  const listed = master
    .getAllProperties("rdate")
    .some((prop) =>
      (prop.getValues() as unknown[]).some((v) => v instanceof zones.ICAL.Time && v.compare(start) === 0),
    );
  if (given || listed) return;
  addRdates(master, startProp, [start.clone()]);
}
