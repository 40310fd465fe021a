/**
 * fast-check arbitraries for the calendar property tests: random valid calendar specs in zones with
 * odd DST, and instants biased to DST switches, midnights, year boundaries and holidays.
 *
 * Shares no code with src/: specs are plain objects in the documented CalendarSpec shape.
 */
import fc from "fast-check";
import { holidayDatesBetween } from "./holidays";
import type { RefSpec } from "./calendar";
import { DAY, HOUR, MINUTE, dateOf, isoWeekdayOf, refZone } from "./zone";

export const ZONES = [
  "Europe/Stockholm",
  "Australia/Lord_Howe", // 30-minute DST
  "America/St_Johns", // -03:30 / -02:30
  "Pacific/Apia", // skipped 2011-12-30
  "America/Santiago", // DST at midnight
  "Asia/Beirut", // DST at midnight
  "UTC",
  "Pacific/Kiritimati", // +14, skipped 1994-12-31
  "America/Havana", // DST at midnight
  "Antarctica/Troll", // two-hour DST
  "Africa/Casablanca", // DST suspended for Ramadan, then negative DST
] as const;

export const COUNTRIES = ["SE", "FI", "DK", "US", "DE", "AU"] as const;
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const FIRST = Date.UTC(1990, 0, 1);
const LAST = Date.UTC(2100, 0, 1);
/**
 * Before 1970 instants are negative epoch milliseconds. The engine supports 1900 on; from 1912 no
 * ten-year search of the properties reaches the range's start (where "no open time" may be
 * reported as OUT_OF_RANGE, see test/engine.bounds.test.ts).
 */
const EARLIEST = Date.UTC(1912, 0, 1);

export const hhmm = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** A time of day in minutes, biased to round times and to the small hours where DST switches happen. */
export const minuteArb: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 48 }).map((k) => k * 30),
  fc.integer({ min: 0, max: 96 }).map((k) => k * 15),
  fc.integer({ min: 0, max: 300 }),
  fc.integer({ min: 0, max: 1440 }),
  fc.constantFrom(0, 60, 90, 120, 150, 180, 210, 1380, 1410, 1439, 1440),
);

/** A day's hours before the week is put together: breakpoints, which segments are open, an overnight end. */
interface RawDay {
  readonly points: number[];
  /** Indices into the awkward times of the scenario (the wall clock of nearby DST switches). */
  readonly awkward: number[];
  readonly open: boolean[];
  readonly overnight: number | null;
}

const rawDayArb: fc.Arbitrary<RawDay> = fc.record({
  points: fc.array(minuteArb, { minLength: 0, maxLength: 7 }),
  awkward: fc.oneof(
    { arbitrary: fc.constant<number[]>([]), weight: 1 },
    { arbitrary: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), weight: 2 },
  ),
  open: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
  overnight: fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: minuteArb, weight: 1 }),
});

/**
 * Minute intervals [start, end] of a day: consecutive open segments between sorted breakpoints
 * (touching when two open segments meet); the last may run past midnight, to at most `limit`
 * minutes into the next day and never back to its own start. Some breakpoints may be `awkward`
 * times: minutes of the day at which a nearby DST switch starts, ends or is halfway.
 */
function dayMinutes(raw: RawDay, limit: number, awkward: readonly number[]): [number, number][] {
  const extra = awkward.length === 0 ? [] : raw.awkward.map((i) => awkward[i % awkward.length]!);
  const points = [...new Set([...raw.points, ...extra])].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < points.length; i++) if (raw.open[i % raw.open.length]) out.push([points[i]!, points[i + 1]!]);
  const last = out[out.length - 1];
  if (raw.overnight !== null && last !== undefined && last[0] > 0) {
    const next = Math.min(raw.overnight, limit, last[0] - 1);
    last[1] = next > 0 ? 1440 + next : 1440;
  }
  return out;
}

/** `[["08:00", "12:00"], …]`; an overnight end is written as its wall time the next day. */
function toHours(list: [number, number][]): [string, string][] {
  return list.map(([s, e]) => [hhmm(s), e === 1440 ? "24:00" : hhmm(e > 1440 ? e - 1440 : e)]);
}

export interface Scenario {
  readonly spec: RefSpec;
  /** An instant near which the interesting things of the spec happen. */
  readonly anchor: number;
  /** A short description of how the anchor was chosen (for failure messages). */
  readonly anchorKind: string;
}

const transitionCache = new Map<string, number[]>();

/** A zone's offset changes in a UTC year (found at 7-day steps, then bisected; cached). */
export function transitionsOfYear(zone: string, year: number): number[] {
  const key = `${zone}|${year}`;
  let list = transitionCache.get(key);
  if (list === undefined) {
    const z = refZone(zone);
    list = [];
    const from = Date.UTC(year, 0, 1);
    const to = Date.UTC(year + 1, 0, 1);
    let prev = z.rawOffset(from);
    for (let t = from; t < to;) {
      const next = Math.min(t + 7 * DAY, to);
      const o = z.rawOffset(next);
      if (o !== prev) {
        let lo = t;
        let hi = next;
        while (hi - lo > 1) {
          const mid = lo + Math.floor((hi - lo) / 2);
          if (z.rawOffset(mid) === prev) lo = mid;
          else hi = mid;
        }
        list.push(hi);
        prev = o;
      }
      t = next;
    }
    transitionCache.set(key, list);
  }
  return list;
}

/** Dates with unusual zone history, per zone, to bias anchors towards. */
const SPECIAL_DATES: Partial<Record<string, string[]>> = {
  "Pacific/Apia": ["2011-12-29", "2011-12-30", "2011-12-31"],
  "Pacific/Kiritimati": ["1994-12-30", "1994-12-31", "1995-01-01"],
  "America/Santiago": ["2022-09-11", "2023-04-02", "2019-09-08"],
  "Africa/Casablanca": ["2018-10-28", "2019-05-05", "2012-07-20", "2012-08-20"],
};

const anchorRaw = fc.record({
  kind: fc.constantFrom(
    "uniform",
    "transition",
    "transition",
    "transition",
    "midnight",
    "newYear",
    "holiday",
    "special",
  ),
  year: fc.oneof(
    fc.integer({ min: 1990, max: 2099 }),
    fc.integer({ min: 2005, max: 2035 }),
    // Before 1970 (negative epoch ms, day numbers and divisions), and the zones' odd early offsets
    // with seconds (St. John's -03:30:52 until 1935, Santiago -04:42:45/46 in 1918–1927).
    fc.integer({ min: 1912, max: 1975 }),
  ),
  pick: fc.nat(),
  uniform: fc.oneof(fc.integer({ min: FIRST, max: LAST }), fc.integer({ min: EARLIEST, max: Date.UTC(1975, 0, 1) })),
  delta: fc.oneof(
    fc.constantFrom(0, 0, 1, -1, MINUTE, -MINUTE),
    fc.integer({ min: -3 * HOUR, max: 3 * HOUR }),
    fc.integer({ min: -3 * DAY, max: 3 * DAY }),
  ),
});

type AnchorRaw = typeof anchorRaw extends fc.Arbitrary<infer T> ? T : never;

function anchorOf(zone: string, country: string | undefined, raw: AnchorRaw): { anchor: number; kind: string } {
  const z = refZone(zone);
  const yearStart = Date.UTC(raw.year, 0, 1);
  const localMidnight = (day: number) => z.instant(day * DAY);
  switch (raw.kind) {
    case "transition": {
      const list = transitionsOfYear(zone, raw.year);
      if (list.length === 0) break;
      const t = list[raw.pick % list.length]!;
      // Either the transition itself or a local midnight next to it, then nudged.
      const base = raw.pick % 3 === 0 ? localMidnight(z.day(t) + ((raw.pick >> 2) % 3) - 1) : t;
      return { anchor: base + raw.delta, kind: `transition ${new Date(t).toISOString()}` };
    }
    case "midnight": {
      const day = Math.floor(yearStart / DAY) + (raw.pick % 366);
      return { anchor: localMidnight(day) + raw.delta, kind: `midnight ${dateOf(day)}` };
    }
    case "newYear": {
      // The UTC year boundary or the local one.
      const base = raw.pick % 2 === 0 ? yearStart : localMidnight(yearStart / DAY);
      return { anchor: base + raw.delta, kind: `new year ${raw.year}` };
    }
    case "holiday": {
      if (country === undefined) break;
      const from = dateOf(Math.floor(yearStart / DAY) + (raw.pick % 340));
      const to = dateOf(Math.floor(yearStart / DAY) + (raw.pick % 340) + 60);
      const dates = holidayDatesBetween({ country }, ["public", "bank"], from, to);
      if (dates.length === 0) break;
      const date = dates[(raw.pick >> 3) % dates.length]!;
      const day = Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY) - 1 + ((raw.pick >> 1) % 3);
      return { anchor: localMidnight(day) + Math.abs(raw.delta % DAY), kind: `holiday ${date}` };
    }
    case "special": {
      const dates = SPECIAL_DATES[zone];
      if (dates === undefined) break;
      const date = dates[raw.pick % dates.length]!;
      return { anchor: Date.parse(`${date}T00:00:00Z`) + raw.delta + (raw.pick % 24) * HOUR, kind: `special ${date}` };
    }
  }
  return { anchor: raw.uniform, kind: "uniform" };
}

/**
 * Minutes of the day (wall clock) at which the zone's offset changes within days of the anchor: the
 * wall times just before and after each switch, halfway between them, and a minute either side.
 */
function awkwardMinutes(zone: string, anchor: number): number[] {
  const z = refZone(zone);
  const year = new Date(anchor).getUTCFullYear();
  const out = new Set<number>();
  for (const y of [year - 1, year, year + 1])
    for (const t of transitionsOfYear(zone, y)) {
      if (t < anchor - 5 * DAY || t > anchor + 15 * DAY) continue;
      const before = Math.floor((t + z.offset(t - 1)) / MINUTE);
      const after = Math.floor((t + z.offset(t)) / MINUTE);
      for (const m of [before, after, Math.floor((before + after) / 2), before - 1, before + 1, after - 1, after + 1]) {
        const minute = ((m % 1440) + 1440) % 1440;
        out.add(minute);
        if (minute === 0) out.add(1440);
      }
    }
  return [...out].sort((a, b) => a - b);
}

function pickAwkward(minute: number, index: number | undefined, awkward: readonly number[]): number {
  return index === undefined || awkward.length === 0 ? minute : awkward[index % awkward.length]!;
}

const holidayTypesArb = fc.option(fc.constantFrom(["public"], ["public", "bank"], ["public", "observance"], ["bank"]), {
  nil: undefined,
});

const datedRaw = fc.record({
  where: fc.oneof(
    fc.record({ kind: fc.constant("offset" as const), n: fc.integer({ min: -4, max: 25 }) }),
    fc.record({ kind: fc.constantFrom("holiday" as const, "eve" as const, "after" as const), n: fc.nat() }),
  ),
  kind: fc.constantFrom("closed", "closedNamed", "openPlain", "openHours", "override", "override"),
  hours: rawDayArb,
});

const scenarioRaw = fc.record({
  zone: fc.constantFrom(...ZONES),
  days: fc.array(
    fc.oneof(
      { arbitrary: rawDayArb, weight: 6 },
      { arbitrary: fc.constant(null), weight: 2 },
      // Around the clock: long open stretches, merged across midnights and year boundaries.
      { arbitrary: fc.constant<RawDay>({ points: [0, 1440], awkward: [], open: [true], overnight: null }), weight: 1 },
    ),
    { minLength: 7, maxLength: 7 },
  ),
  holidays: fc.option(
    fc.record({ country: fc.constantFrom(...COUNTRIES), types: holidayTypesArb, eveTypes: holidayTypesArb }),
    { nil: undefined, freq: 2 },
  ),
  eves: fc.option(
    fc.oneof(
      fc.record({ closeAt: minuteArb, awkward: fc.option(fc.nat(), { nil: undefined }) }),
      fc.record({ hours: rawDayArb }),
    ),
    { nil: undefined, freq: 2 },
  ),
  weekdayRules: fc.array(
    fc.record({
      weekdays: fc.subarray([...WEEKDAYS], { minLength: 1, maxLength: 3 }),
      closeAt: minuteArb,
      awkward: fc.option(fc.nat(), { nil: undefined }),
    }),
    { maxLength: 2 },
  ),
  dated: fc.array(datedRaw, { maxLength: 5 }),
  anchor: anchorRaw,
});

/** Random valid calendar specs with an anchor instant between 1990 and 2100. */
export const scenarioArb: fc.Arbitrary<Scenario> = scenarioRaw.map((raw) => {
  const country = raw.holidays?.country;
  const { anchor, kind } = anchorOf(raw.zone, country, raw.anchor);
  const awkward = awkwardMinutes(raw.zone, anchor);

  // The week: an overnight interval may reach at most to the next day's first opening.
  const firstStarts = raw.days.map((d) =>
    d === null ? 1440 : (dayMinutes({ ...d, overnight: null }, 0, awkward)[0]?.[0] ?? 1440),
  );
  const weekly: Record<string, [string, string][]> = {};
  const weeklyMinutes: [number, number][][] = [];
  raw.days.forEach((d, i) => {
    const list = d === null ? [] : dayMinutes(d, firstStarts[(i + 1) % 7]!, awkward);
    weeklyMinutes.push(list);
    if (list.length > 0) weekly[WEEKDAYS[i]!] = toHours(list);
  });

  const spec: {
    zone: string;
    weekly: Record<string, [string, string][]>;
    holidays?: { country: string; types?: readonly string[]; eveTypes?: readonly string[] };
    eves?: { closeAt: string } | { hours: [string, string][] };
    weekdayRules?: { weekdays: string[]; closeAt: string }[];
    closedDates?: (string | { date: string; name: string })[];
    openDates?: (string | { date: string; hours: [string, string][] })[];
    overrides?: { date: string; hours: [string, string][] }[];
  } = { zone: raw.zone, weekly };
  if (raw.holidays !== undefined) {
    spec.holidays = { country: raw.holidays.country };
    if (raw.holidays.types) spec.holidays.types = raw.holidays.types;
    if (raw.holidays.eveTypes) spec.holidays.eveTypes = raw.holidays.eveTypes;
    if (raw.eves !== undefined) {
      spec.eves =
        "closeAt" in raw.eves
          ? { closeAt: hhmm(pickAwkward(raw.eves.closeAt, raw.eves.awkward, awkward)) }
          : { hours: toHours(dayMinutes(raw.eves.hours, 1440, awkward)) };
    }
  }
  if (raw.weekdayRules.length > 0)
    spec.weekdayRules = raw.weekdayRules.map((r) => ({
      weekdays: r.weekdays,
      closeAt: hhmm(pickAwkward(r.closeAt, r.awkward, awkward)),
    }));

  // Dated entries near the anchor, on holidays, their eves and the days after them.
  const anchorDay = refZone(raw.zone).day(anchor);
  // Preferably the closing (public) holidays of the days right after the anchor, where the queries are.
  const holidaysNear = (types: string[], from: number, to: number) =>
    country === undefined ? [] : holidayDatesBetween({ country }, types, dateOf(from), dateOf(to));
  const soon = holidaysNear(["public"], anchorDay - 2, anchorDay + 10);
  const nearbyHolidays =
    soon.length > 0 ? soon : holidaysNear(["public", "bank", "observance"], anchorDay - 4, anchorDay + 25);
  const seen = new Set<string>();
  for (const entry of raw.dated) {
    let day = anchorDay + (entry.where.kind === "offset" ? entry.where.n : entry.where.n % 20);
    if (entry.where.kind !== "offset" && nearbyHolidays.length > 0) {
      const holiday = nearbyHolidays[entry.where.n % nearbyHolidays.length]!;
      day =
        Date.parse(`${holiday}T00:00:00Z`) / DAY +
        (entry.where.kind === "eve" ? -1 : entry.where.kind === "after" ? 1 : 0);
    }
    const date = dateOf(day);
    if (seen.has(date)) continue;
    seen.add(date);
    const hours = toHours(dayMinutes(entry.hours, 1440, awkward));
    const hasWeekly = weeklyMinutes[isoWeekdayOf(day) - 1]!.length > 0;
    switch (entry.kind) {
      case "closed":
        (spec.closedDates ??= []).push(date);
        break;
      case "closedNamed":
        (spec.closedDates ??= []).push({ date, name: "day off" });
        break;
      case "openPlain":
        // Without hours an open date takes its weekday's hours, so the weekday must have some.
        (spec.openDates ??= []).push(hasWeekly ? date : { date, hours });
        break;
      case "openHours":
        (spec.openDates ??= []).push({ date, hours });
        break;
      default:
        (spec.overrides ??= []).push({ date, hours });
    }
  }
  return { spec, anchor, anchorKind: kind };
});
