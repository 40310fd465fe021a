/**
 * The calendar engine against the naive reference in test/reference (which shares no code with
 * src/), over random calendars — several intervals a day, overnight intervals, 24:00, holidays,
 * eves, weekday rules, overrides — in zones with odd DST, for instants from 1990 to 2100.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCalendar, type Calendar, type CalendarSpec } from "../src/index";
import { RefCalendar, type RefSpec } from "./reference/calendar";

const MIN = 60_000;
const H = 3_600_000;
const DAY = 86_400_000;
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const ZONES = [
  "Europe/Stockholm",
  "Australia/Lord_Howe",
  "America/St_Johns",
  "Pacific/Apia",
  "America/Santiago",
  "Asia/Beirut",
  "UTC",
  "Pacific/Kiritimati",
  "America/Los_Angeles",
] as const;

const hhmm = (m: number) =>
  m === 1440 ? "24:00" : `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** Boundaries biased to round times and to the small hours where DST switches happen. */
const minute = fc.oneof(
  fc.integer({ min: 0, max: 48 }).map((k) => k * 30),
  fc.integer({ min: 0, max: 240 }),
  fc.integer({ min: 0, max: 1440 }),
);

const dayHours = fc
  .tuple(fc.array(minute, { maxLength: 6 }), fc.boolean(), fc.integer({ min: 0, max: 359 }))
  .map(([points, overnight, nextMorning]) => {
    const sorted = [...new Set(points)].sort((a, b) => a - b);
    const out: [number, number][] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) out.push([sorted[i]!, sorted[i + 1]!]);
    const last = out[out.length - 1];
    // Sometimes the last interval runs past midnight, into the next morning.
    if (overnight && last !== undefined && last[0] >= 600) out[out.length - 1] = [last[0], 1440 + nextMorning];
    return out;
  });

interface Generated {
  spec: CalendarSpec;
  start: number;
}

/** A valid weekly spec: an overnight end never reaches past the next day's first opening. */
function weeklyOf(days: [number, number][][]): Record<string, [string, string][]> {
  const weekly: Record<string, [string, string][]> = {};
  days.forEach((list, i) => {
    const nextFirst = days[(i + 1) % 7]![0]?.[0] ?? 1440;
    const out = list.map(([s, e]): [string, string] => {
      const end = e > 1440 ? Math.min(e, 1440 + nextFirst) : e;
      return [hhmm(s), end > 1440 ? hhmm(end - 1440) : hhmm(end)];
    });
    if (out.length) weekly[DAYS[i]!] = out;
  });
  return weekly;
}

const generated: fc.Arbitrary<Generated> = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    days: fc.array(dayHours, { minLength: 7, maxLength: 7 }),
    country: fc.option(fc.constantFrom("SE", "FI", "DK", "US", "DE", "AU"), { nil: undefined }),
    eve: fc.option(
      minute.filter((m) => m > 0 && m < 1440),
      { nil: undefined },
    ),
    friday: fc.option(
      fc.tuple(
        fc.constantFrom(...DAYS),
        minute.filter((m) => m > 0),
      ),
      { nil: undefined },
    ),
    start: fc.oneof(
      fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }),
      // Around the usual DST months, at any time of day.
      fc
        .tuple(
          fc.integer({ min: 1990, max: 2099 }),
          fc.constantFrom(2, 3, 8, 9, 10),
          fc.integer({ min: 0, max: 31 * DAY }),
        )
        .map(([y, m, off]) => Date.UTC(y, m, 1) + off),
    ),
    dated: fc.array(
      fc.tuple(fc.integer({ min: -3, max: 20 }), fc.constantFrom("closed", "open", "override"), dayHours),
      { maxLength: 3 },
    ),
  })
  .map(({ zone, days, country, eve, friday, start, dated }) => {
    const weekly = weeklyOf(days);
    const spec: Record<string, unknown> = { zone, weekly };
    if (country !== undefined) {
      spec.holidays = { country };
      if (eve !== undefined) spec.eves = { closeAt: hhmm(eve) };
    }
    if (friday !== undefined) spec.weekdayRules = [{ weekdays: [friday[0]], closeAt: hhmm(Math.min(friday[1], 1440)) }];
    const seen = new Set<string>();
    const closedDates: string[] = [];
    const openDates: unknown[] = [];
    const overrides: unknown[] = [];
    for (const [offset, kind, hours] of dated) {
      const date = new Date(start + offset * DAY).toISOString().slice(0, 10);
      if (seen.has(date)) continue;
      seen.add(date);
      const list = hours.filter(([s, e]) => e > s && e <= 1440).map(([s, e]) => [hhmm(s), hhmm(e)]);
      if (kind === "closed") closedDates.push(date);
      else if (kind === "open") openDates.push({ date, hours: list });
      else overrides.push({ date, hours: list });
    }
    if (closedDates.length) spec.closedDates = closedDates;
    if (openDates.length) spec.openDates = openDates;
    if (overrides.length) spec.overrides = overrides;
    return { spec: spec as unknown as CalendarSpec, start };
  });

interface Pair {
  cal: Calendar;
  ref: RefCalendar;
}

function pair(spec: CalendarSpec): Pair {
  return { cal: createCalendar(spec), ref: new RefCalendar(spec as unknown as RefSpec) };
}

/** Weekly open time in ms (wall clock), to keep durations within a few weeks of the start. */
function weeklyOpen(spec: CalendarSpec): number {
  let sum = 0;
  for (const list of Object.values(spec.weekly))
    for (const [a, b] of list ?? []) {
      const s = Number(a.slice(0, 2)) * 60 + Number(a.slice(3));
      let e = b === "24:00" ? 1440 : Number(b.slice(0, 2)) * 60 + Number(b.slice(3));
      if (e <= s) e += 1440;
      sum += (e - s) * MIN;
    }
  return sum;
}

/** ref.add, widening the reference's window until the answer is inside it. */
function refAdd(ref: RefCalendar, s: number, d: number): number {
  for (let days = 40; days <= 2000; days *= 2) {
    ref.window(s, s + days * DAY);
    const r = ref.add(s, d);
    if (r !== undefined && r < s + (days - 3) * DAY) return r;
  }
  throw new Error("reference: no answer within 2000 days");
}

function refSubtract(ref: RefCalendar, e: number, d: number): number {
  for (let days = 40; days <= 2000; days *= 2) {
    ref.window(e - days * DAY, e);
    const r = ref.subtract(e, d);
    if (r !== undefined && r > e - (days - 3) * DAY) return r;
  }
  throw new Error("reference: no answer within 2000 days");
}

const durationFor = (spec: CalendarSpec) =>
  fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: Math.max(1, 2 * weeklyOpen(spec)) }),
    fc.integer({ min: 1, max: 10 * H }),
  );

describe("calendar vs the naive reference", () => {
  it("agrees on add, subtract and between; between(s, add(s, d)) = d; add lands in open time or on a close", () => {
    fc.assert(
      fc.property(
        generated.chain((g) =>
          fc.tuple(fc.constant(g), durationFor(g.spec), fc.integer({ min: -20 * DAY, max: 20 * DAY })),
        ),
        ([{ spec, start }, d, span]) => {
          const { cal, ref } = pair(spec);
          if (weeklyOpen(spec) === 0 && !spec.overrides && !spec.openDates) return;
          let r: number;
          try {
            r = cal.addBusinessTime(start, d).getTime();
          } catch (e) {
            // Only a calendar without open time may give up, and only with NO_OPEN_TIME.
            expect((e as { code?: string }).code).toBe("NO_OPEN_TIME");
            return;
          }
          expect(r).toBe(refAdd(ref, start, d));
          expect(cal.businessTimeBetween(start, r)).toBe(d);
          if (d > 0) expect(ref.isOpen(r) || ref.intervals.some((iv) => iv.end === r)).toBe(true);
          const back = cal.subtractBusinessTime(r, d).getTime();
          expect(back).toBe(refSubtract(ref, r, d));
          ref.window(Math.min(start, start + span), Math.max(start, start + span));
          expect(cal.businessTimeBetween(start, start + span)).toBe(ref.between(start, start + span));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("add is additive and monotonic; subtract inverts add up to the clock start", () => {
    fc.assert(
      fc.property(
        generated.chain((g) =>
          fc.tuple(fc.constant(g), durationFor(g.spec), durationFor(g.spec), fc.integer({ min: 0, max: 3 * DAY })),
        ),
        ([{ spec, start }, a, b, later]) => {
          const { cal, ref } = pair(spec);
          if (weeklyOpen(spec) === 0) return;
          let ab: number;
          try {
            ab = cal.addBusinessTime(start, a + b).getTime();
          } catch {
            return; // a calendar without open time: covered by the previous property
          }
          const first = cal.addBusinessTime(start, a).getTime();
          expect(cal.addBusinessTime(first, b).getTime()).toBe(ab);
          expect(cal.addBusinessTime(start, Math.min(a, b)).getTime()).toBeLessThanOrEqual(
            cal.addBusinessTime(start, Math.max(a, b)).getTime(),
          );
          expect(cal.addBusinessTime(start + later, a).getTime()).toBeGreaterThanOrEqual(first);
          if (a > 0) {
            ref.window(start, first);
            expect(cal.subtractBusinessTime(first, a).getTime()).toBe(ref.nextOpen(start));
          }
          // add(subtract(e, d), d) comes back to e when e is open or a closing instant.
          const back = cal.subtractBusinessTime(ab, a).getTime();
          expect(cal.addBusinessTime(back, a).getTime()).toBe(ab);
        },
      ),
      { numRuns: 120 },
    );
  });

  it("agrees on isOpen, nextOpen, nextClose, business days and end of day/week", () => {
    fc.assert(
      fc.property(generated, fc.integer({ min: -2 * DAY, max: 9 * DAY }), ({ spec, start }, shift) => {
        const { cal, ref } = pair(spec);
        const t = start + shift;
        ref.window(t - 2 * DAY, t + 30 * DAY);
        // Exact boundaries matter most: probe t and the interval edges around it.
        const probes = [
          t,
          ...ref.intervals
            .filter((iv) => Math.abs(iv.start - t) < 3 * DAY)
            .flatMap((iv) => [iv.start, iv.end, iv.end - 1]),
        ];
        for (const p of probes) {
          expect(cal.isOpen(p)).toBe(ref.isOpen(p));
          const open = ref.nextOpen(p);
          const within = open !== undefined && open < t + 25 * DAY;
          if (within) {
            expect(cal.nextOpen(p).getTime()).toBe(open);
            expect(cal.endOfBusinessDay(p).getTime()).toBe(ref.endOfBusinessDay(p));
            expect(cal.endOfBusinessWeek(p).getTime()).toBe(ref.endOfBusinessWeek(p));
            const close = ref.nextClose(p);
            if (close !== undefined && close < t + 25 * DAY && ref.intervals[ref.intervals.length - 1]!.end > close) {
              expect(cal.nextClose(p).getTime()).toBe(close);
            }
          }
        }
        const date = ref.zone.date(t);
        expect(cal.isBusinessDay(date)).toBe(ref.isBusinessDay(date));
        expect(cal.describeDay(date).intervals.map((i) => [i.start.getTime(), i.end.getTime()])).toEqual(
          ref.dayIntervals(date),
        );
        const window = cal.openIntervals(t, t + 7 * DAY).map((i) => [i.start.getTime(), i.end.getTime()]);
        const expected: number[][] = [];
        for (const iv of ref.intervals) {
          const a = Math.max(iv.start, t);
          const b = Math.min(iv.end, t + 7 * DAY);
          if (a >= b) continue;
          const last = expected[expected.length - 1];
          if (last && last[1] === a) last[1] = b;
          else expected.push([a, b]);
        }
        expect(window).toEqual(expected);
      }),
      { numRuns: 120 },
    );
  });
});
