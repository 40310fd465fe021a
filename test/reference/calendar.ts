/**
 * A deliberately naive reference implementation of docs/semantics.md, for the property tests.
 *
 * - Each local date gets its wall-clock hours by applying the resolution rules literally
 *   ({@link RefCalendar.hoursOf}).
 * - Each boundary becomes an instant through the reference DST rule (./zone.ts).
 * - The open time is one flat, sorted list of intervals: the union of all days' intervals over a
 *   window of local dates, trimmed as the doc says (sort by start, then owner day; a later
 *   interval's start moves to the previous end; an emptied interval is dropped).
 * - Queries walk that list from one end to the other. When the answer could lie outside the window,
 *   the window grows (the list is rebuilt from scratch) and the query runs again.
 *
 * Slow and obviously right is the point. Shares no code with src/.
 */
import { holidaysOn } from "./holidays";
import { DAY, MINUTE, dateOf, dayOf, isoWeekdayOf, refZone, type RefZone } from "./zone";

type Hours = readonly (readonly [string, string])[];

/** The CalendarSpec shape, read loosely (src/ is not imported). */
export interface RefSpec {
  readonly zone: string;
  readonly weekly: Partial<Record<string, Hours>>;
  readonly holidays?: {
    readonly country: string;
    readonly state?: string;
    readonly region?: string;
    readonly types?: readonly string[];
    readonly eveTypes?: readonly string[];
  };
  readonly closedDates?: readonly (string | { readonly date: string; readonly name?: string })[];
  readonly openDates?: readonly (string | { readonly date: string; readonly hours?: Hours; readonly name?: string })[];
  readonly eves?: { readonly closeAt?: string; readonly hours?: Hours };
  readonly weekdayRules?: readonly { readonly weekdays: readonly string[]; readonly closeAt: string }[];
  readonly overrides?: readonly { readonly date: string; readonly hours: Hours }[];
}

export interface RefInterval {
  readonly start: number;
  readonly end: number;
  /** Local day number of the date whose hours produced the interval. */
  readonly owner: number;
}

/** A wall-clock interval in minutes from its own date's midnight; `end` may pass 1440. */
export type MinuteInterval = readonly [number, number];

const WEEKDAY_KEYS = ["", "mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** Minutes of `HH:mm` (1440 for 24:00). */
export function minutesOf(text: string): number {
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

/** An interval's minutes; a close at or before the open runs past midnight. */
export function intervalMinutes([open, close]: readonly [string, string]): MinuteInterval {
  const s = minutesOf(open);
  let e = minutesOf(close);
  if (e <= s) e += 1440;
  return [s, e];
}

/** Thrown when a search finds no answer at all (the library must then throw NO_OPEN_TIME / NO_CLOSING_TIME). */
export class NoAnswer extends Error {}

/**
 * Window sizes (days) tried by the growing searches. Past the last (twelve years), a search has no
 * answer: the doc gives up after ten years without open time.
 */
const GROWTH = [24, 80, 300, 1200, 4400] as const;

export class RefCalendar {
  readonly spec: RefSpec;
  readonly zone: RefZone;
  /** The flat list for the local dates [#from, #to]. */
  #list: RefInterval[] = [];
  #from = 0;
  #to = -1;
  readonly #dayCache = new Map<number, [number, number][]>();

  constructor(spec: RefSpec) {
    this.spec = spec;
    this.zone = refZone(spec.zone);
  }

  // ---------------------------------------------------------------------------------------------
  // Days

  #listed(list: RefSpec["closedDates"] | RefSpec["openDates"], date: string) {
    return (list ?? []).find((x) => (typeof x === "string" ? x : x.date) === date);
  }

  #holidayOf(date: string, types: readonly string[]): boolean {
    const source = this.spec.holidays;
    if (source === undefined) return false;
    return holidaysOn(source, date).some((h) => types.includes(h.type));
  }

  get closeTypes(): readonly string[] {
    return this.spec.holidays?.types ?? ["public"];
  }

  get eveTypes(): readonly string[] {
    return this.spec.holidays?.eveTypes ?? this.closeTypes;
  }

  /** A closing holiday: one of the closing types, the date not in openDates. */
  isClosingHoliday(date: string): boolean {
    return this.#holidayOf(date, this.closeTypes) && this.#listed(this.spec.openDates, date) === undefined;
  }

  /**
   * An eve: the next date is a holiday of the eve types not in openDates, and the date itself is
   * not such a holiday (a holiday of the eve types that is not in openDates).
   */
  isEve(date: string): boolean {
    if (this.spec.holidays === undefined) return false;
    const eveHoliday = (d: string) =>
      this.#holidayOf(d, this.eveTypes) && this.#listed(this.spec.openDates, d) === undefined;
    return eveHoliday(dateOf(dayOf(date) + 1)) && !eveHoliday(date);
  }

  /** The date's wall-clock hours, in minutes from its midnight, by the resolution rules. */
  hoursOf(date: string): MinuteInterval[] {
    const spec = this.spec;
    const toMinutes = (hours: Hours) => hours.map(intervalMinutes);
    // 1. An override gives the hours exactly.
    const override = spec.overrides?.find((o) => o.date === date);
    if (override !== undefined) return toMinutes(override.hours);
    // 2. A closing holiday or a closed date closes the day.
    if (this.#listed(spec.closedDates, date) !== undefined) return [];
    if (this.isClosingHoliday(date)) return [];
    // 3. Weekly hours, or the eve's hours (only where the week has hours), or the open date's own.
    const weekday = WEEKDAY_KEYS[isoWeekdayOf(dayOf(date))]!;
    const weekly = toMinutes(spec.weekly[weekday] ?? []);
    const eve = spec.eves !== undefined && this.isEve(date);
    const open = spec.openDates?.find((x) => (typeof x === "string" ? x : x.date) === date);
    let hours = weekly;
    if (open !== undefined && typeof open !== "string" && open.hours !== undefined) hours = toMinutes(open.hours);
    else if (eve && spec.eves!.hours !== undefined && weekly.length > 0) hours = toMinutes(spec.eves!.hours);
    // 4. Cuts: the eve's closeAt, each matching weekday rule's closeAt; the earliest wins.
    const cuts: number[] = [];
    if (eve && spec.eves!.closeAt !== undefined) cuts.push(minutesOf(spec.eves!.closeAt));
    for (const rule of spec.weekdayRules ?? []) if (rule.weekdays.includes(weekday)) cuts.push(minutesOf(rule.closeAt));
    if (cuts.length === 0) return hours;
    const cut = Math.min(...cuts);
    return hours.filter(([s]) => s < cut).map(([s, e]) => [s, Math.min(e, cut)] as const);
  }

  /**
   * Which rules of the resolution order applied to a date, by kind (override, closedDate, holiday,
   * openDate, eve, weekdayRule, nonexistentDate), with the closing holidays' names.
   */
  rulesOf(date: string): { kinds: string[]; holidayNames: string[] } {
    const spec = this.spec;
    const day = dayOf(date);
    const missing = !this.dateExists(day) && this.hoursOf(date).length > 0 ? ["nonexistentDate"] : [];
    if (spec.overrides?.some((o) => o.date === date)) return { kinds: ["override", ...missing], holidayNames: [] };
    if (this.#listed(spec.closedDates, date) !== undefined) return { kinds: ["closedDate"], holidayNames: [] };
    const holidayNames =
      spec.holidays === undefined
        ? []
        : holidaysOn(spec.holidays, date)
            .filter((h) => this.closeTypes.includes(h.type))
            .map((h) => h.name);
    if (this.isClosingHoliday(date)) return { kinds: ["holiday"], holidayNames };
    const kinds: string[] = [];
    if (this.#listed(spec.openDates, date) !== undefined) kinds.push("openDate");
    if (spec.eves !== undefined && this.isEve(date)) kinds.push("eve");
    const weekday = WEEKDAY_KEYS[isoWeekdayOf(day)]!;
    for (const rule of spec.weekdayRules ?? []) if (rule.weekdays.includes(weekday)) kinds.push("weekdayRule");
    return { kinds: [...kinds, ...missing], holidayNames };
  }

  /** Whether a local date exists in the zone (Pacific/Apia skipped 2011-12-30). */
  dateExists(day: number): boolean {
    return this.zone.instant((day + 1) * DAY) > this.zone.instant(day * DAY);
  }

  /** A date's own intervals as instants (before the union with its neighbours); empty ones left out. */
  dayIntervals(day: number): [number, number][] {
    let cached = this.#dayCache.get(day);
    if (cached !== undefined) return cached;
    cached = [];
    if (this.dateExists(day)) {
      for (const [s, e] of this.hoursOf(dateOf(day))) {
        const a = this.zone.instant(day * DAY + s * MINUTE);
        const b = this.zone.instant(day * DAY + e * MINUTE);
        if (a < b) cached.push([a, b]);
      }
    }
    this.#dayCache.set(day, cached);
    return cached;
  }

  /**
   * A date's own intervals as `describeDay` lists them: in time order, overlapping ones joined (an
   * interval in or across a spring-forward gap lands on or past the next), touching ones apart.
   */
  dayUnion(day: number): [number, number][] {
    const sorted = [...this.dayIntervals(day)].sort((x, y) => x[0] - y[0]);
    const out: [number, number][] = [];
    for (const [a, b] of sorted) {
      const prev = out.at(-1);
      if (prev && a < prev[1]) out[out.length - 1] = [prev[0], Math.max(prev[1], b)];
      else out.push([a, b]);
    }
    return out;
  }

  /**
   * A date's own open time, as `describeDay` lists it: its union less what earlier dates'
   * intervals cover (where an overnight interval and a later date's hours overlap, the earlier
   * date's is kept; docs/semantics.md, "Intervals"). Two dates back: across a date the zone
   * skipped, the overnight interval of the date before it reaches the date after it.
   */
  ownUnion(day: number): [number, number][] {
    let out = this.dayUnion(day);
    for (const [c, d] of [...this.dayIntervals(day - 2), ...this.dayIntervals(day - 1)]) {
      const next: [number, number][] = [];
      for (const [a, b] of out) {
        if (b <= c || a >= d) next.push([a, b]);
        else {
          if (a < c) next.push([a, c]);
          if (d < b) next.push([d, b]);
        }
      }
      out = next;
    }
    return out;
  }

  isBusinessDay(day: number): boolean {
    return this.ownUnion(day).length > 0;
  }

  // ---------------------------------------------------------------------------------------------
  // The flat list

  /** Builds the list for local dates [from, to] from scratch. */
  #build(from: number, to: number): void {
    const raw: RefInterval[] = [];
    for (let day = from; day <= to; day++)
      for (const [start, end] of this.dayIntervals(day)) raw.push({ start, end, owner: day });
    raw.sort((x, y) => x.start - y.start || x.owner - y.owner);
    const list: RefInterval[] = [];
    let prevEnd = -Infinity;
    for (const iv of raw) {
      const start = Math.max(iv.start, prevEnd);
      if (start >= iv.end) continue;
      list.push({ start, end: iv.end, owner: iv.owner });
      prevEnd = iv.end;
    }
    this.#list = list;
    this.#from = from;
    this.#to = to;
  }

  /**
   * The instants for which the list is exact: a date's intervals lie within the two days of wall
   * time from its midnight, so dates outside [from, to] cannot touch [from + 1, to + 1) (wall).
   */
  get lo(): number {
    return this.zone.instant((this.#from + 1) * DAY);
  }

  get hi(): number {
    return this.zone.instant((this.#to + 1) * DAY);
  }

  /** Makes the list exact over [a, b] (and then some). */
  cover(a: number, b: number): RefInterval[] {
    if (this.#to >= this.#from && a >= this.lo && b < this.hi) return this.#list;
    const from = Math.min(this.zone.day(a) - 3, this.#to >= this.#from ? this.#from : Infinity);
    const to = Math.max(this.zone.day(b) + 2, this.#to >= this.#from ? this.#to : -Infinity);
    this.#build(from, to);
    return this.#list;
  }

  /** The list over [t - before days, t + after days]. */
  around(t: number, beforeDays: number, afterDays: number): RefInterval[] {
    return this.cover(t - beforeDays * DAY, t + afterDays * DAY);
  }

  // ---------------------------------------------------------------------------------------------
  // Queries (each on the flat list, growing the window when the answer may lie outside it)

  /** Open time in [a, b), a ≤ b. */
  open(a: number, b: number): number {
    let sum = 0;
    for (const iv of this.cover(a, b)) sum += Math.max(0, Math.min(b, iv.end) - Math.max(a, iv.start));
    return sum;
  }

  between(a: number, b: number): number {
    return a <= b ? this.open(a, b) : -this.open(b, a);
  }

  isOpen(t: number): boolean {
    return this.cover(t, t).some((iv) => iv.start <= t && t < iv.end);
  }

  /** Earliest t ≥ s with open(s, t) = d (d ≥ 0); negative d subtracts. */
  add(s: number, d: number): number {
    if (d === 0) return s;
    if (d < 0) return this.subtract(s, -d);
    for (const days of GROWTH) {
      const list = this.around(s, 0, days);
      let left = d;
      for (const iv of list) {
        if (iv.end <= s) continue;
        const from = Math.max(iv.start, s);
        if (from >= this.hi) break;
        if (iv.end - from >= left) {
          if (from + left < this.hi) return from + left;
          break;
        }
        left -= iv.end - from;
      }
    }
    throw new NoAnswer(`no open time to add ${d} ms to ${new Date(s).toISOString()}`);
  }

  /** Latest t ≤ e with open(t, e) = d (d ≥ 0); negative d adds. */
  subtract(e: number, d: number): number {
    if (d === 0) return e;
    if (d < 0) return this.add(e, -d);
    for (const days of GROWTH) {
      const list = this.around(e, days, 0);
      let left = d;
      for (let i = list.length - 1; i >= 0; i--) {
        const iv = list[i]!;
        if (iv.start >= e) continue;
        const to = Math.min(iv.end, e);
        if (to <= this.lo) break;
        if (to - iv.start >= left) {
          if (to - left >= this.lo) return to - left;
          break;
        }
        left -= to - iv.start;
      }
    }
    throw new NoAnswer(`no open time to subtract ${d} ms from ${new Date(e).toISOString()}`);
  }

  /** Index of the interval containing t or the first after it, within a window that holds it. */
  #clockStart(t: number): { list: RefInterval[]; i: number } {
    for (const days of GROWTH) {
      const list = this.around(t, 1, days);
      const i = list.findIndex((iv) => iv.end > t);
      if (i >= 0 && list[i]!.start < this.hi) return { list, i };
    }
    throw new NoAnswer(`no open time after ${new Date(t).toISOString()}`);
  }

  /** Earliest instant ≥ t at which the calendar is open. */
  nextOpen(t: number): number {
    const { list, i } = this.#clockStart(t);
    return Math.max(list[i]!.start, t);
  }

  /** The end of the maximal stretch (touching intervals merged) containing t, or of the next one. */
  nextClose(t: number): number {
    for (const days of GROWTH) {
      const list = this.around(t, 1, days);
      let i = list.findIndex((iv) => iv.end > t);
      if (i < 0) continue;
      let end = list[i]!.end;
      while (i + 1 < list.length && list[i + 1]!.start === end) end = list[++i]!.end;
      if (end < this.hi) return end;
    }
    throw new NoAnswer(`no closing time after ${new Date(t).toISOString()}`);
  }

  /** The latest instant ≤ e up to which the calendar was open: e itself when open just before it. */
  previousClose(e: number): number {
    for (const days of GROWTH) {
      const list = this.around(e, days, 1);
      for (let i = list.length - 1; i >= 0; i--) {
        const iv = list[i]!;
        if (iv.start >= e) continue;
        if (iv.end <= this.lo) break;
        return Math.min(iv.end, e);
      }
    }
    throw new NoAnswer(`no open time before ${new Date(e).toISOString()}`);
  }

  /**
   * The start of the maximal stretch (touching intervals merged) holding the instant just before
   * e, or of the last stretch before e: the mirror image of nextClose.
   */
  previousOpen(e: number): number {
    for (const days of GROWTH) {
      const list = this.around(e, days, 1);
      let i = list.length - 1;
      while (i >= 0 && list[i]!.start >= e) i--;
      if (i < 0) continue;
      let start = list[i]!.start;
      while (i > 0 && list[i - 1]!.end === start) start = list[--i]!.start;
      if (start > this.lo) return start;
    }
    throw new NoAnswer(`no opening before ${new Date(e).toISOString()}`);
  }

  /** Business days among the local dates [day of a, day of b), negated when b's date is earlier: counted one date at a time. */
  businessDaysBetween(a: number, b: number): number {
    const from = this.zone.day(a);
    const to = this.zone.day(b);
    let count = 0;
    for (let day = Math.min(from, to); day < Math.max(from, to); day++) if (this.isBusinessDay(day)) count++;
    return to < from ? -count : count;
  }

  /** The local day owning the interval in which a clock started at t starts. */
  clockDay(t: number): number {
    const { list, i } = this.#clockStart(t);
    return list[i]!.owner;
  }

  /** The last end among the intervals owned by a day (in the union). */
  #lastEndOf(day: number): number | undefined {
    const list = this.cover(this.zone.instant(day * DAY) - DAY, this.zone.instant((day + 2) * DAY) + DAY);
    let end: number | undefined;
    for (const iv of list) if (iv.owner === day) end = Math.max(end ?? -Infinity, iv.end);
    return end;
  }

  endOfBusinessDay(t: number): number {
    return this.#lastEndOf(this.clockDay(t))!;
  }

  endOfBusinessWeek(t: number): number {
    const day = this.clockDay(t);
    const sunday = day + (7 - isoWeekdayOf(day));
    for (let d = sunday; d >= day; d--) {
      const end = this.#lastEndOf(d);
      if (end !== undefined) return end;
    }
    throw new Error("reference: the clock day owns no interval");
  }

  /** The same local time of day on the n-th business day after (before) t's local date. */
  addBusinessDays(t: number, n: number): number {
    if (n === 0) return t;
    const wall = this.zone.wall(t);
    let day = Math.floor(wall / DAY);
    const timeOfDay = wall - day * DAY;
    const step = Math.sign(n);
    // Gives up after ten years in a row without a business day (docs/semantics.md, "Bounds"), not
    // after ten years of closed days in all.
    for (let left = Math.abs(n), misses = 0; left > 0;) {
      day += step;
      if (this.isBusinessDay(day)) {
        left--;
        misses = 0;
      } else if (++misses > 10 * 366) throw new NoAnswer("no business day within ten years");
    }
    return this.zone.instant(day * DAY + timeOfDay);
  }

  /** Maximal open stretches meeting [a, b), clipped to it. */
  openIntervals(a: number, b: number): [number, number][] {
    const out: [number, number][] = [];
    for (const iv of this.cover(a, b)) {
      const s = Math.max(iv.start, a);
      const e = Math.min(iv.end, b);
      if (s >= e) continue;
      const last = out[out.length - 1];
      if (last !== undefined && last[1] === s) last[1] = e;
      else out.push([s, e]);
    }
    return out;
  }
}
