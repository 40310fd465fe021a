/**
 * previousOpen, previousClose, businessDaysBetween and iterateOpenIntervals (issue 17 §4): their
 * documented semantics at interval boundaries, and the same random calendars and instants as
 * test/calendar.property.test.ts against the naive reference in test/reference/ (shares no code with
 * src/). previousOpen/previousClose are the mirror images of nextClose/nextOpen with half-open
 * intervals: "open just before t" plays the part that "open at t" plays going forward.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCalendar, getCalendar, SlaClockError, type Calendar, type CalendarSpec } from "../src/index";
import { engineOf } from "../src/calendar/calendar";
import { scenarioArb, type Scenario } from "./reference/arbitraries";
import { NoAnswer, RefCalendar } from "./reference/calendar";
import { DAY, HOUR } from "./reference/zone";

const iso = (t: number | Date): string => (typeof t === "number" ? new Date(t) : t).toISOString();
const at = (text: string): number => Date.parse(text);

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
    return "(no error)";
  } catch (e) {
    expect(e).toBeInstanceOf(SlaClockError);
    return (e as SlaClockError).code;
  }
}

describe("previousClose and previousOpen: the documented semantics", () => {
  const cal = getCalendar("softone-se"); // Mon–Fri 08–12, 13–16 Stockholm; eves close at 12
  const local = (d: Date) => cal.format(d);

  it.each([
    ["inside a stretch", "2026-04-07T09:30", "2026-04-07T09:30:00+02:00", "2026-04-07T08:00:00+02:00"],
    ["at a closing instant", "2026-04-07T12:00", "2026-04-07T12:00:00+02:00", "2026-04-07T08:00:00+02:00"],
    ["just after a close", "2026-04-07T12:00:00.001", "2026-04-07T12:00:00+02:00", "2026-04-07T08:00:00+02:00"],
    ["at an opening instant", "2026-04-07T13:00", "2026-04-07T12:00:00+02:00", "2026-04-07T08:00:00+02:00"],
    ["just after an opening", "2026-04-07T13:00:00.001", "2026-04-07T13:00:00.001+02:00", "2026-04-07T13:00:00+02:00"],
    ["across a holiday weekend", "2026-04-07T07:00", "2026-04-02T12:00:00+02:00", "2026-04-02T08:00:00+02:00"],
    ["at the first opening after Easter", "2026-04-07T08:00", "2026-04-02T12:00:00+02:00", "2026-04-02T08:00:00+02:00"],
  ])("%s (%s)", (_what, t, close, open) => {
    expect(local(cal.previousClose(t))).toBe(close);
    expect(local(cal.previousOpen(t))).toBe(open);
  });

  it("mirror nextOpen and nextClose: previousClose(t) = t exactly when open just before t; previousOpen(t) < t", () => {
    const t = at("2026-04-07T10:00:00Z");
    expect(cal.previousClose(cal.nextClose(t)).getTime()).toBe(cal.nextClose(t).getTime());
    expect(cal.previousOpen(t).getTime()).toBeLessThan(t);
    expect(cal.nextOpen(cal.previousOpen(t)).getTime()).toBe(cal.previousOpen(t).getTime());
  });

  it("merge touching intervals: an overnight shift meeting the next day's hours is one stretch", () => {
    const night = createCalendar({
      zone: "UTC",
      weekly: { mon: [["22:00", "06:00"]], tue: [["06:00", "14:00"]] },
    });
    expect(iso(night.previousOpen("2026-04-07T13:00Z"))).toBe("2026-04-06T22:00:00.000Z");
    expect(iso(night.previousClose("2026-04-08T00:00Z"))).toBe("2026-04-07T14:00:00.000Z");
  });

  it("fail with NO_OPEN_TIME, NO_CLOSING_TIME and OUT_OF_RANGE as nextOpen and nextClose do", () => {
    const never = createCalendar({ zone: "UTC", weekly: {} });
    expect(codeOf(() => never.previousClose("2026-01-01T00:00Z"))).toBe("NO_OPEN_TIME");
    expect(codeOf(() => never.previousOpen("2026-01-01T00:00Z"))).toBe("NO_OPEN_TIME");
    const all = [["00:00", "24:00"]] as const;
    const always = createCalendar({
      zone: "UTC",
      weekly: { mon: all, tue: all, wed: all, thu: all, fri: all, sat: all, sun: all },
    });
    expect(codeOf(() => always.previousOpen("2026-01-01T00:00Z"))).toBe("NO_CLOSING_TIME");
    expect(iso(always.previousClose("2026-01-01T00:00Z"))).toBe("2026-01-01T00:00:00.000Z");
    // Open since before the range starts: the opening cannot be reported.
    expect(codeOf(() => always.previousOpen("1905-01-01T00:00Z"))).toBe("OUT_OF_RANGE");
    const mondays = createCalendar({ zone: "UTC", weekly: { mon: [["09:00", "10:00"]] } });
    expect(codeOf(() => mondays.previousClose("1900-01-01T09:00Z"))).toBe("OUT_OF_RANGE");
    expect(iso(mondays.previousOpen("1900-01-01T09:30Z"))).toBe("1900-01-01T09:00:00.000Z");
  });

  it("cross empty years by their totals: a calendar open one day in 2026 answers from 2034", () => {
    const once = createCalendar({
      zone: "UTC",
      weekly: {},
      overrides: [{ date: "2026-06-01", hours: [["09:00", "10:00"]] }],
    });
    expect(iso(once.previousClose("2034-12-31T00:00Z"))).toBe("2026-06-01T10:00:00.000Z");
    expect(iso(once.previousOpen("2034-12-31T00:00Z"))).toBe("2026-06-01T09:00:00.000Z");
    expect(codeOf(() => once.previousClose("2040-01-01T00:00Z"))).toBe("NO_OPEN_TIME");
  });
});

describe("businessDaysBetween", () => {
  const cal = getCalendar("softone-se");

  it("counts the business dates in [a's date, b's date), signed", () => {
    expect(cal.businessDaysBetween("2026-03-30", "2026-04-13")).toBe(8); // Easter: Fri 3 and Mon 6 closed
    expect(cal.businessDaysBetween("2026-04-13", "2026-03-30")).toBe(-8);
    expect(cal.businessDaysBetween("2026-04-08", "2026-04-08")).toBe(0);
    expect(cal.businessDaysBetween("2026-04-04", "2026-04-06")).toBe(0); // Sat, Sun
    expect(cal.businessDaysBetween("2026-04-06T23:00", "2026-04-07T00:30")).toBe(0); // Annandag påsk
    expect(cal.businessDaysBetween("2026-04-07T23:00", "2026-04-08T00:30")).toBe(1); // local dates, not hours
    // An eve with a few hours is a business day.
    expect(cal.businessDaysBetween("2026-04-02", "2026-04-03")).toBe(1);
  });

  it("is the inverse of addBusinessDays from a business day, and additive", () => {
    const t = "2026-04-02T10:00";
    for (const n of [-30, -1, 1, 2, 17, 250])
      expect(cal.businessDaysBetween(t, cal.addBusinessDays(t, n)), `n = ${n}`).toBe(n);
    const [a, b, c] = ["2026-01-01", "2026-07-15", "2027-02-01"];
    expect(cal.businessDaysBetween(a, b) + cal.businessDaysBetween(b, c)).toBe(cal.businessDaysBetween(a, c));
  });

  it("reads dates as isBusinessDay does and refuses what it refuses", () => {
    expect(codeOf(() => cal.businessDaysBetween("2026-02-30", "2026-03-01"))).toBe("INVALID_DATE");
    expect(codeOf(() => cal.businessDaysBetween("2026-01-01", "2301-01-01"))).toBe("OUT_OF_RANGE");
  });
});

describe("iterateOpenIntervals", () => {
  const cal = getCalendar("softone-se");

  it("yields what openIntervals returns, lazily", () => {
    const it1 = cal.iterateOpenIntervals("2026-04-02T00:00", "2026-04-08T00:00");
    expect(it1[Symbol.iterator]()).toBe(it1);
    expect([...it1]).toEqual(cal.openIntervals("2026-04-02T00:00", "2026-04-08T00:00"));
    expect([...cal.iterateOpenIntervals("2026-04-07T09:00", "2026-04-07T09:00")]).toEqual([]);
    expect(codeOf(() => cal.iterateOpenIntervals("2026-04-08", "2026-04-07"))).toBe("INVALID_ARGUMENT");
  });

  it("walks sixty years of a dense calendar, past openIntervals' page limit, within the index's bounded cache", () => {
    // Open the first half of every hour around the clock: 8 760 stretches a year, 525 600 in all.
    const halfHours = Array.from({ length: 24 }, (_, h) => {
      const hh = String(h).padStart(2, "0");
      return [`${hh}:00`, `${hh}:30`] as const;
    });
    const week = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, halfHours]));
    const spec = { zone: "UTC", weekly: week } as CalendarSpec;
    const from = "1990-01-01T00:00Z";
    const to = "2050-01-01T00:00Z";
    // Another zone (the same hours): calendars of one spec share their index, and this one must
    // start with none built.
    expect(codeOf(() => createCalendar({ ...spec, zone: "Etc/UTC" }).openIntervals(from, to))).toBe("INVALID_ARGUMENT");
    const dense = createCalendar(spec);
    const index = engineOf(dense).index;
    const stretches = dense.iterateOpenIntervals(from, to);
    stretches.next();
    expect(index.liveChunks, "nothing past the first year is built before it is asked for").toBe(1);
    let count = 1;
    let total = 30 * 60_000;
    let ordered = true;
    let last = at(from) + 30 * 60_000;
    let peak = 0;
    for (const { start, end } of stretches) {
      const s = start.getTime();
      const e = end.getTime();
      if (s <= last) ordered = false;
      last = e;
      total += e - s;
      if (++count % 8760 === 0) peak = Math.max(peak, index.liveChunks);
    }
    expect(ordered).toBe(true);
    expect(count).toBe(525_960); // 21 915 days × 24
    expect(total).toBe(dense.businessTimeBetween(from, to));
    expect(peak, "the index evicts years the walk has left behind").toBeLessThanOrEqual(48);
  });
});

describe("against the reference", () => {
  const NO_OPEN = ["NO_OPEN_TIME"];
  function pair(s: Scenario): { cal: Calendar; ref: RefCalendar } {
    return { cal: createCalendar(s.spec as unknown as CalendarSpec), ref: new RefCalendar(s.spec) };
  }
  function answer(f: () => number): number | undefined {
    try {
      return f();
    } catch (e) {
      if (e instanceof NoAnswer) return undefined;
      throw e;
    }
  }
  function agree(label: string, lib: () => Date | number, expected: number | undefined, codes: string[]): void {
    if (expected === undefined) {
      expect(codes, `${label}: the reference has no answer`).toContain(codeOf(lib));
      return;
    }
    const got = lib();
    expect(iso(typeof got === "number" ? got : got.getTime()), label).toBe(iso(expected));
  }
  const shiftArb = fc.oneof(fc.integer({ min: -9 * DAY, max: 2 * DAY }), fc.integer({ min: -HOUR, max: HOUR }));

  it("previousOpen and previousClose agree at, around and between interval boundaries", () => {
    fc.assert(
      fc.property(scenarioArb, shiftArb, (sc, shift) => {
        const { cal, ref } = pair(sc);
        const t = sc.anchor + shift;
        const probes = new Set([t, t - 1, t + 1]);
        for (const iv of ref.around(t, 4, 2))
          if (iv.end > t - 2 * DAY && iv.start < t + 2 * DAY)
            for (const x of [iv.start, iv.end]) for (const j of [-1, 0, 1]) probes.add(x + j);
        for (const x of [...probes].sort((a, b) => a - b)) {
          const close = answer(() => ref.previousClose(x));
          agree(`previousClose(${iso(x)})`, () => cal.previousClose(x), close, NO_OPEN);
          agree(
            `previousOpen(${iso(x)})`,
            () => cal.previousOpen(x),
            answer(() => ref.previousOpen(x)),
            close === undefined ? NO_OPEN : ["NO_CLOSING_TIME"],
          );
        }
      }),
      { numRuns: 100 },
    );
  });

  it("businessDaysBetween and iterateOpenIntervals agree", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        shiftArb,
        fc.integer({ min: -40 * DAY, max: 40 * DAY }),
        fc.integer({ min: 0, max: 12 * DAY }),
        (sc, shift, span, width) => {
          const { cal, ref } = pair(sc);
          const a = sc.anchor + shift;
          expect(cal.businessDaysBetween(a, a + span), `businessDaysBetween(${iso(a)}, ${iso(a + span)})`).toBe(
            ref.businessDaysBetween(a, a + span),
          );
          expect(
            [...cal.iterateOpenIntervals(a, a + width)].map((iv) => [iso(iv.start), iso(iv.end)]),
            `iterateOpenIntervals(${iso(a)}, ${iso(a + width)})`,
          ).toEqual(ref.openIntervals(a, a + width).map(([s, e]) => [iso(s), iso(e)]));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("describeDay on a spring-forward date", () => {
  it("lists the day's intervals in time order without overlaps, as the index counts them", () => {
    // Stockholm springs forward on 2026-03-29 at 02:00 → 03:00: 02:10–02:40 moves forward to
    // 03:10–03:40 (docs/semantics.md: a wall time in the gap moves by the gap) and overlaps 03:00–03:20.
    const cal = createCalendar({
      zone: "Europe/Stockholm",
      weekly: {
        sun: [
          ["02:10", "02:40"],
          ["03:00", "03:20"],
        ],
      },
    });
    const day = cal.describeDay("2026-03-29");
    expect(day.intervals.map((iv) => [iv.start.toISOString(), iv.end.toISOString()])).toEqual([
      ["2026-03-29T01:00:00.000Z", "2026-03-29T01:40:00.000Z"],
    ]);
    expect(day.openMs).toBe(40 * 60_000);
    expect(day.openMs).toBe(cal.businessTimeBetween("2026-03-29T00:00", "2026-03-30T00:00"));
    // The hours stay as the spec gives them.
    expect(day.hours).toEqual([
      ["02:10", "02:40"],
      ["03:00", "03:20"],
    ]);
  });
});

describe("a date whose hours the day before's overnight hours cover", () => {
  // Night shifts Mon–Fri 22:00–06:00 UTC; Fri 4 Sep 2026 is overridden to 00:00–03:00, wholly inside
  // Thursday's shift; Tue 8 Sep to 05:00–08:00, of which 05:00–06:00 is inside Monday's. The union
  // keeps the earlier date's interval (docs/semantics.md, "Intervals"): Friday owns no open time,
  // Tuesday owns 06:00–08:00.
  const night: [string, string][] = [["22:00", "06:00"]];
  const calendar = createCalendar({
    zone: "UTC",
    weekly: { mon: night, tue: night, wed: night, thu: night, fri: night },
    overrides: [
      { date: "2026-09-04", hours: [["00:00", "03:00"]] },
      { date: "2026-09-08", hours: [["05:00", "08:00"]] },
    ],
  });
  const H = 3_600_000;

  it("owns only what is not covered: describeDay, isBusinessDay and businessDaysBetween say so", () => {
    expect(calendar.describeDay("2026-09-04")).toMatchObject({ open: false, openMs: 0, hours: [], intervals: [] });
    expect(calendar.isBusinessDay("2026-09-04")).toBe(false);
    expect(calendar.businessDaysBetween("2026-09-04", "2026-09-05")).toBe(0);
    expect(calendar.describeDay("2026-09-08")).toMatchObject({
      open: true,
      openMs: 2 * H,
      hours: [["06:00", "08:00"]],
    });
  });

  it("the dates' own open time adds up to the open time between their midnights, counted once", () => {
    const own = ["2026-09-07", "2026-09-08"].reduce((sum, d) => sum + calendar.describeDay(d).openMs, 0);
    expect(own).toBe(calendar.businessTimeBetween("2026-09-07T00:00Z", "2026-09-09T00:00Z"));
    expect(own).toBe(10 * H);
  });
});

describe("describeDay's hours", () => {
  it("are times of day a spec takes back: an overnight end as the next day's, a skipped midnight as 24:00", () => {
    // Monday's override runs to Tuesday 03:00 and swallows Tuesday's 01:00–02:00: Tuesday's own
    // hours were rewritten from its midnight as ["22:00", "30:00"].
    const plain = createCalendar({
      zone: "UTC",
      weekly: {
        tue: [
          ["01:00", "02:00"],
          ["22:00", "06:00"],
        ],
      },
      overrides: [{ date: "2026-03-02", hours: [["20:00", "03:00"]] }],
    });
    const tuesday = plain.describeDay("2026-03-03");
    expect(tuesday.hours).toEqual([["22:00", "06:00"]]);
    expect(() =>
      createCalendar({ zone: "UTC", weekly: {}, overrides: [{ date: "2026-03-03", hours: tuesday.hours }] }),
    ).not.toThrow();
    // Havana skips 2012-04-01 00:00 (to 01:00): a day open to its end was ["00:00", "25:00"].
    const all = [["00:00", "24:00"]] as [string, string][];
    const week = { mon: all, tue: all, wed: all, thu: all, fri: all, sat: all, sun: all };
    const combined = createCalendar({ zone: "America/Havana", anyOf: [{ zone: "UTC", weekly: week }] });
    expect(combined.describeDay("2012-03-31").hours).toEqual([["00:00", "24:00"]]);
  });
});
