/**
 * A deliberately naive reference implementation of the calendar semantics in docs/semantics.md,
 * for property tests. It shares no code with src/: it reads time zones through Intl directly,
 * resolves each local date by the written rules, keeps one flat list of intervals, and answers
 * every query by walking that list. Slow and obviously right is the point.
 */
import Holidays from "date-holidays";

const MIN = 60_000;
const DAY = 86_400_000;
const WEEKDAY_KEYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/** The CalendarSpec shape, read loosely. */
export interface RefSpec {
  zone: string;
  weekly: Partial<Record<string, readonly (readonly [string, string])[]>>;
  holidays?: { country: string; state?: string; region?: string; types?: string[]; eveTypes?: string[] };
  closedDates?: (string | { date: string; name?: string })[];
  openDates?: (string | { date: string; hours?: readonly (readonly [string, string])[] })[];
  eves?: { closeAt?: string; hours?: readonly (readonly [string, string])[] };
  weekdayRules?: { weekdays: string[]; closeAt: string }[];
  overrides?: { date: string; hours: readonly (readonly [string, string])[] }[];
}

export interface RefInterval {
  start: number;
  end: number;
  /** The local date (YYYY-MM-DD) whose hours produced the interval. */
  owner: string;
}

function minutes(text: string): number {
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

/** Local date string of a date shifted by n days (pure UTC date arithmetic). */
function shiftDate(date: string, n: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + n * DAY;
  return new Date(t).toISOString().slice(0, 10);
}

function weekdayOf(date: string): string {
  return WEEKDAY_KEYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;
}

class ZoneOracle {
  readonly #format: Intl.DateTimeFormat;
  readonly #cache = new Map<number, number>();

  constructor(zone: string) {
    this.#format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
  }

  /** Offset (ms) at an instant: the zone's wall clock minus UTC, read from Intl. */
  offset(t: number): number {
    const cached = this.#cache.get(t);
    if (cached !== undefined) return cached;
    const p: Record<string, number> = {};
    for (const part of this.#format.formatToParts(new Date(t)))
      if (part.type !== "literal") p[part.type] = Number(part.value);
    const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
    const truncated = t - (((t % 1000) + 1000) % 1000);
    const o = wall - truncated;
    this.#cache.set(t, o);
    return o;
  }

  /** The instant of a wall time (ms as if UTC): earliest instant that shows it, or shifted by the gap. */
  instant(wall: number): number {
    const offsets = new Set<number>();
    for (let h = -40; h <= 40; h += 2)
      offsets.add(this.offset(Math.floor((wall + h * 3_600_000) / 3_600_000) * 3_600_000));
    const valid = [...offsets].map((o) => wall - o).filter((t) => this.offset(t) === wall - t);
    if (valid.length > 0) return Math.min(...valid);
    // A gap: read the wall time with the offset in force just before it.
    const before = this.offset(wall - Math.max(...offsets) - 1);
    return wall - before;
  }

  /** Local date (YYYY-MM-DD) of an instant. */
  date(t: number): string {
    return new Date(t + this.offset(t)).toISOString().slice(0, 10);
  }
}

export class RefCalendar {
  readonly spec: RefSpec;
  readonly zone: ZoneOracle;
  readonly #holidayData: Holidays | undefined;
  readonly #holidayCache = new Map<number, { date: string; type: string }[]>();
  intervals: RefInterval[] = [];
  #from = "";
  #to = "";

  constructor(spec: RefSpec) {
    this.spec = spec;
    this.zone = new ZoneOracle(spec.zone);
    const h = spec.holidays;
    this.#holidayData =
      h === undefined
        ? undefined
        : h.state === undefined
          ? new Holidays(h.country)
          : h.region === undefined
            ? new Holidays(h.country, h.state)
            : new Holidays(h.country, h.state, h.region);
  }

  #holidayTypes(date: string): string[] {
    if (this.#holidayData === undefined) return [];
    const year = Number(date.slice(0, 4));
    let list = this.#holidayCache.get(year);
    if (list === undefined) {
      list = this.#holidayData.getHolidays(year).map((x) => ({ date: x.date.slice(0, 10), type: x.type }));
      this.#holidayCache.set(year, list);
    }
    return list.filter((x) => x.date === date).map((x) => x.type);
  }

  #isHolidayOf(date: string, types: string[]): boolean {
    return this.#holidayTypes(date).some((t) => types.includes(t));
  }

  #dateIn(list: RefSpec["closedDates"] | RefSpec["openDates"], date: string): boolean {
    return (list ?? []).some((x) => (typeof x === "string" ? x : x.date) === date);
  }

  /** The wall-clock intervals [start, end) in minutes from the date's midnight, by the written rules. */
  hoursOf(date: string): [number, number][] {
    const spec = this.spec;
    const toMinutes = (hours: readonly (readonly [string, string])[]) =>
      hours.map(([a, b]) => {
        const s = minutes(a);
        let e = b === "24:00" ? 1440 : minutes(b);
        if (e <= s) e += 1440;
        return [s, e] as [number, number];
      });
    const override = spec.overrides?.find((o) => o.date === date);
    if (override) return toMinutes(override.hours);
    const closeTypes = spec.holidays?.types ?? ["public"];
    const eveTypes = spec.holidays?.eveTypes ?? closeTypes;
    const open = (spec.openDates ?? []).find((x) => (typeof x === "string" ? x : x.date) === date);
    if (this.#dateIn(spec.closedDates, date)) return [];
    if (this.#isHolidayOf(date, closeTypes) && open === undefined) return [];
    const weekday = weekdayOf(date);
    const weekly = toMinutes(spec.weekly[weekday] ?? []);
    const next = shiftDate(date, 1);
    const isEve =
      spec.eves !== undefined &&
      this.#isHolidayOf(next, eveTypes) &&
      !this.#dateIn(spec.openDates, next) &&
      !this.#isHolidayOf(date, eveTypes);
    let hours = weekly;
    if (open !== undefined && typeof open !== "string" && open.hours !== undefined) hours = toMinutes(open.hours);
    else if (isEve && spec.eves?.hours !== undefined && weekly.length > 0) hours = toMinutes(spec.eves.hours);
    const cuts: number[] = [];
    if (isEve && spec.eves?.closeAt !== undefined) cuts.push(minutes(spec.eves.closeAt));
    for (const rule of spec.weekdayRules ?? [])
      if (rule.weekdays.includes(weekday)) cuts.push(rule.closeAt === "24:00" ? 1440 : minutes(rule.closeAt));
    if (cuts.length === 0) return hours;
    const cut = Math.min(...cuts);
    return hours.filter(([s]) => s < cut).map(([s, e]) => [s, Math.min(e, cut)] as [number, number]);
  }

  /** The instants of a date's own intervals (none when the zone skipped the date). */
  dayIntervals(date: string): [number, number][] {
    const midnight = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
    if (this.zone.instant(midnight + DAY) <= this.zone.instant(midnight)) return [];
    return this.hoursOf(date)
      .map(
        ([s, e]) => [this.zone.instant(midnight + s * MIN), this.zone.instant(midnight + e * MIN)] as [number, number],
      )
      .filter(([a, b]) => a < b);
  }

  /** Builds the flat interval list for the local dates from..to (inclusive), rebuilding from scratch. */
  cover(fromDate: string, toDate: string): void {
    if (this.#from !== "" && fromDate >= this.#from && toDate <= this.#to) return;
    const from = this.#from === "" || fromDate < this.#from ? fromDate : this.#from;
    const to = toDate > this.#to ? toDate : this.#to;
    const raw: RefInterval[] = [];
    for (let d = from; d <= to; d = shiftDate(d, 1))
      for (const [s, e] of this.dayIntervals(d)) raw.push({ start: s, end: e, owner: d });
    raw.sort((a, b) => a.start - b.start || (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0));
    const out: RefInterval[] = [];
    let prevEnd = -Infinity;
    for (const iv of raw) {
      const start = Math.max(iv.start, prevEnd);
      if (start >= iv.end) continue;
      out.push({ start, end: iv.end, owner: iv.owner });
      prevEnd = iv.end;
    }
    this.intervals = out;
    this.#from = from;
    this.#to = to;
  }

  /** Makes sure the list covers instants from `a` to `b` (with margin for overnight spill). */
  window(a: number, b: number): void {
    this.cover(shiftDate(this.zone.date(a), -3), shiftDate(this.zone.date(b), 2));
  }

  open(a: number, b: number): number {
    let sum = 0;
    for (const iv of this.intervals) sum += Math.max(0, Math.min(b, iv.end) - Math.max(a, iv.start));
    return sum;
  }

  between(a: number, b: number): number {
    return a <= b ? this.open(a, b) : -this.open(b, a);
  }

  isOpen(t: number): boolean {
    return this.intervals.some((iv) => iv.start <= t && t < iv.end);
  }

  /** Earliest t ≥ start with open(start, t) = d, walking intervals; undefined past the covered list. */
  add(start: number, d: number): number | undefined {
    if (d === 0) return start;
    let left = d;
    for (const iv of this.intervals) {
      if (iv.end <= start) continue;
      const s = Math.max(iv.start, start);
      if (iv.end - s >= left) return s + left;
      left -= iv.end - s;
    }
    return undefined;
  }

  /** Latest t ≤ end with open(t, end) = d. */
  subtract(end: number, d: number): number | undefined {
    if (d === 0) return end;
    let left = d;
    for (let i = this.intervals.length - 1; i >= 0; i--) {
      const iv = this.intervals[i]!;
      if (iv.start >= end) continue;
      const e = Math.min(iv.end, end);
      if (e - iv.start >= left) return e - left;
      left -= e - iv.start;
    }
    return undefined;
  }

  nextOpen(t: number): number | undefined {
    if (this.isOpen(t)) return t;
    return this.intervals.find((iv) => iv.start > t)?.start;
  }

  nextClose(t: number): number | undefined {
    const i = this.intervals.findIndex((iv) => iv.end > t);
    if (i < 0) return undefined;
    let end = this.intervals[i]!.end;
    for (let j = i + 1; j < this.intervals.length && this.intervals[j]!.start === end; j++)
      end = this.intervals[j]!.end;
    return end;
  }

  /** The interval a clock started at t starts in. */
  #clockInterval(t: number): number {
    return this.intervals.findIndex((iv) => iv.end > t);
  }

  endOfBusinessDay(t: number): number | undefined {
    const i = this.#clockInterval(t);
    if (i < 0) return undefined;
    const owner = this.intervals[i]!.owner;
    let end = this.intervals[i]!.end;
    for (let j = i + 1; j < this.intervals.length && this.intervals[j]!.owner === owner; j++)
      end = this.intervals[j]!.end;
    return end;
  }

  endOfBusinessWeek(t: number): number | undefined {
    const i = this.#clockInterval(t);
    if (i < 0) return undefined;
    const owner = this.intervals[i]!.owner;
    const daysToSunday = (7 - new Date(`${owner}T00:00:00Z`).getUTCDay()) % 7;
    const sunday = shiftDate(owner, daysToSunday);
    let end = this.intervals[i]!.end;
    for (let j = i + 1; j < this.intervals.length && this.intervals[j]!.owner <= sunday; j++)
      end = this.intervals[j]!.end;
    return end;
  }

  isBusinessDay(date: string): boolean {
    return this.dayIntervals(date).length > 0;
  }
}
