/**
 * The ends of the supported range (1900-01-01 … 2200-12-31) and queries that cross all of it.
 *
 * - A dense calendar (720 one-minute intervals a day) answers hopeless and century-long queries at
 *   once, with the right typed error or the exact answer. The per-test timeout (a few seconds)
 *   guards against the minute-long walks these used to take; nothing asserts a time.
 * - `openIntervals` refuses more than MAX_OPEN_INTERVALS stretches with INVALID_ARGUMENT.
 * - Every public function whose result would lie past 2200-12-31 (or before 1900) raises
 *   OUT_OF_RANGE instead of returning a clipped instant; results just inside still work.
 * - Property: near the range ends, the library agrees with the naive reference (test/reference,
 *   which knows nothing of the range) or fails with OUT_OF_RANGE/NO_OPEN_TIME exactly when the
 *   reference's answer lies outside the range.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createCalendar,
  definePolicy,
  type Calendar,
  type CalendarSpec,
  type EvaluationBatch,
  type Ticket,
  type TicketEvaluation,
} from "../src/index";
import { engineOf } from "../src/calendar/calendar";
import { METRICS } from "../src/index";
import { policies as presetPolicies, buildTicket, step } from "./support/tickets";
import { scenarioArb } from "./reference/arbitraries";
import { NoAnswer, RefCalendar } from "./reference/calendar";
import { DAY, HOUR, MINUTE } from "./reference/zone";

const FAST = { timeout: 5_000 };
const MIN = Date.UTC(1900, 0, 1);
const END = Date.UTC(2201, 0, 1);
const WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const hm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
const iso = (t: number | Date): string => (typeof t === "number" ? new Date(t) : t).toISOString();

function everyDay(hours: [string, string][], zone = "UTC"): Calendar {
  return createCalendar({ zone, weekly: Object.fromEntries(WEEK.map((d) => [d, hours])) });
}

/** 00:00–00:01, 00:02–00:03, … 23:58–23:59: 720 intervals, 12 open hours a day. */
const DENSE: [string, string][] = Array.from({ length: 720 }, (_, k) => [hm(2 * k), hm(2 * k + 1)]);
/** 00:00–00:01, 00:01–00:02, … 23:59–24:00: 1440 touching intervals, open around the clock. */
const TOUCHING: [string, string][] = Array.from({ length: 1440 }, (_, k) => [hm(k), k === 1439 ? "24:00" : hm(k + 1)]);
const WEEKDAYS_8_16 = createCalendar({
  zone: "UTC",
  weekly: Object.fromEntries(WEEK.slice(0, 5).map((d) => [d, [["08:00", "16:00"]]])),
});
const ALWAYS = everyDay([["00:00", "24:00"]]);

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return "(no error)";
}

function errorOf(f: () => unknown): { code?: string; message: string } {
  try {
    f();
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error("expected an error");
}

describe.each(["UTC", "Europe/Stockholm"])("a dense calendar in %s", (zone) => {
  const cal = everyDay(DENSE, zone);

  it("fails a hopeless addBusinessTime/subtractBusinessTime with OUT_OF_RANGE at once", FAST, () => {
    expect(codeOf(() => cal.addBusinessTime("1900-01-01T00:00Z", 1e15))).toBe("OUT_OF_RANGE");
    expect(codeOf(() => cal.subtractBusinessTime("2200-12-31T00:00Z", 1e15))).toBe("OUT_OF_RANGE");
    // Less than the real time left, more than the open time left: found by the year totals.
    const halfOpen = 0.6 * (END - MIN);
    expect(codeOf(() => cal.addBusinessTime("1900-01-01T00:00Z", halfOpen))).toBe("OUT_OF_RANGE");
    expect(codeOf(() => cal.subtractBusinessTime("2200-12-31T00:00Z", halfOpen))).toBe("OUT_OF_RANGE");
    // More days than the range holds after (before) the start, though within addBusinessDays' limit of n.
    expect(codeOf(() => cal.addBusinessDays("1900-01-01T00:00Z", 301 * 366))).toBe("OUT_OF_RANGE");
    expect(codeOf(() => cal.addBusinessDays("2200-12-31T00:00Z", -301 * 366))).toBe("OUT_OF_RANGE");
  });

  it("measures and adds across centuries exactly", FAST, () => {
    const offsetFree = zone === "UTC";
    const between = cal.businessTimeBetween("1900-01-01T00:00Z", "2200-12-31T00:00Z");
    if (offsetFree) expect(between).toBe(((END - MIN) / DAY - 1) * 720 * MINUTE);
    // Adding what was measured lands on the last close before the end instant.
    const back = cal.addBusinessTime("1900-01-01T00:00Z", between);
    expect(cal.businessTimeBetween("1900-01-01T00:00Z", back)).toBe(between);
    expect(cal.subtractBusinessTime(back, between).getTime()).toBe(cal.nextOpen("1900-01-01T00:00Z").getTime());
    if (offsetFree) expect(iso(back)).toBe("2200-12-30T23:59:00.000Z");
    const days = cal.addBusinessDays("1900-01-01T12:00Z", 100_000);
    if (offsetFree) expect(iso(days)).toBe(iso(Date.UTC(1900, 0, 1, 12) + 100_000 * DAY));
  });

  it("caps openIntervals with INVALID_ARGUMENT that says how to page, and pages work", FAST, () => {
    const e = errorOf(() => cal.openIntervals("1900-01-01T00:00Z", "2200-12-31T00:00Z"));
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toContain("more than 100000 open stretches");
    const next = /ends at (\S+), so continue from there/.exec(e.message)?.[1] as string;
    const page = cal.openIntervals("1900-01-01T00:00Z", next);
    expect(page).toHaveLength(100_000);
    expect(iso(page[page.length - 1]!.end)).toBe(iso(new Date(next)));
    expect(cal.openIntervals(next, new Date(Date.parse(next) + 10 * DAY)).length).toBeGreaterThan(0);
  });
});

describe("a calendar that is never open, near the range's ends", () => {
  const never = createCalendar({ zone: "Europe/Stockholm", weekly: {} });
  it(
    "says NO_OPEN_TIME when ten empty years were searched inside the range, OUT_OF_RANGE when the range ended first",
    FAST,
    () => {
      // 2191–2200 are ten whole empty years after 2190-06-01: nothing within ten years. (Found by
      // the property tests once they reached the range's start: the range was checked before the
      // ten-year limit, so the search that ended exactly at the range's end said OUT_OF_RANGE.)
      expect(codeOf(() => never.nextOpen("2190-06-01T00:00Z"))).toBe("NO_OPEN_TIME");
      expect(codeOf(() => never.previousClose("1910-12-31T23:59:59.999Z"))).toBe("NO_OPEN_TIME");
      expect(codeOf(() => never.previousOpen("1910-01-08T22:59:59.999Z"))).toBe("NO_OPEN_TIME");
      // Fewer than ten years to the end: an opening past the range may exist.
      expect(codeOf(() => never.nextOpen("2195-06-01T00:00Z"))).toBe("OUT_OF_RANGE");
      expect(codeOf(() => never.previousClose("1905-06-01T00:00Z"))).toBe("OUT_OF_RANGE");
    },
  );
});

describe("a calendar of touching intervals, open around the clock", () => {
  const cal = everyDay(TOUCHING);
  it("answers nextClose at once: NO_CLOSING_TIME in the middle, OUT_OF_RANGE near the end", FAST, () => {
    expect(codeOf(() => cal.nextClose("1950-06-01T00:00Z"))).toBe("NO_CLOSING_TIME");
    expect(codeOf(() => cal.nextClose("2195-06-01T00:00Z"))).toBe("OUT_OF_RANGE");
    expect(cal.nextOpen("1950-06-01T00:00:30Z").toISOString()).toBe("1950-06-01T00:00:30.000Z");
  });
});

describe("results past 2200-12-31 or before 1900-01-01 raise OUT_OF_RANGE", () => {
  it("addBusinessTime: the end instant itself is past the range; a millisecond earlier is not", () => {
    expect(codeOf(() => ALWAYS.addBusinessTime("2200-12-31T23:00Z", HOUR))).toBe("OUT_OF_RANGE");
    expect(iso(ALWAYS.addBusinessTime("2200-12-31T23:00Z", HOUR - 1))).toBe("2200-12-31T23:59:59.999Z");
    expect(codeOf(() => WEEKDAYS_8_16.addBusinessTime("2200-12-31T15:00Z", HOUR + 1))).toBe("OUT_OF_RANGE");
    expect(iso(WEEKDAYS_8_16.addBusinessTime("2200-12-31T15:00Z", HOUR))).toBe("2200-12-31T16:00:00.000Z");
  });

  it("subtractBusinessTime: back to 1900-01-01T00:00Z exactly, not a millisecond more", () => {
    expect(iso(ALWAYS.subtractBusinessTime("1900-01-01T01:00Z", HOUR))).toBe("1900-01-01T00:00:00.000Z");
    expect(codeOf(() => ALWAYS.subtractBusinessTime("1900-01-01T01:00Z", HOUR + 1))).toBe("OUT_OF_RANGE");
    expect(codeOf(() => ALWAYS.addBusinessTime("1900-01-01T01:00Z", -HOUR - 1))).toBe("OUT_OF_RANGE");
  });

  it("nextOpen: an opening after the range", () => {
    expect(codeOf(() => WEEKDAYS_8_16.nextOpen("2200-12-31T17:00Z"))).toBe("OUT_OF_RANGE");
    expect(iso(WEEKDAYS_8_16.nextOpen("2200-12-30T17:00Z"))).toBe("2200-12-31T08:00:00.000Z");
  });

  it("nextClose: a stretch still open at the range end", () => {
    expect(codeOf(() => ALWAYS.nextClose("2199-06-01T00:00Z"))).toBe("OUT_OF_RANGE");
    expect(iso(WEEKDAYS_8_16.nextClose("2200-12-31T10:00Z"))).toBe("2200-12-31T16:00:00.000Z");
  });

  it("endOfBusinessDay: an overnight interval that closes in 2201", () => {
    const nights = everyDay([["22:00", "06:00"]]);
    expect(codeOf(() => nights.endOfBusinessDay("2200-12-31T23:00Z"))).toBe("OUT_OF_RANGE");
    expect(iso(nights.endOfBusinessDay("2200-12-30T23:00Z"))).toBe("2200-12-31T06:00:00.000Z");
    // Los Angeles' 2200-12-31 08:00–16:00 closes at 2201-01-01T00:00Z: the first instant past the range.
    const la = everyDay([["08:00", "16:00"]], "America/Los_Angeles");
    expect(codeOf(() => la.endOfBusinessDay("2200-12-31T17:00Z"))).toBe("OUT_OF_RANGE");
    expect(iso(la.endOfBusinessDay("2200-12-30T17:00Z"))).toBe("2200-12-31T00:00:00.000Z");
  });

  it("endOfBusinessWeek: a week whose last open day is in 2201", () => {
    // Mon 2200-12-29 … Sun 2201-01-04: Thursday and Friday are in 2201.
    expect(codeOf(() => WEEKDAYS_8_16.endOfBusinessWeek("2200-12-29T10:00Z"))).toBe("OUT_OF_RANGE");
    expect(iso(WEEKDAYS_8_16.endOfBusinessWeek("2200-12-22T10:00Z"))).toBe("2200-12-26T16:00:00.000Z");
    // A week whose days in 2201 are closed ends in range.
    const early = createCalendar({ zone: "UTC", weekly: { mon: [["08:00", "16:00"]], tue: [["08:00", "16:00"]] } });
    expect(iso(early.endOfBusinessWeek("2200-12-29T10:00Z"))).toBe("2200-12-30T16:00:00.000Z");
  });

  it("addBusinessDays", () => {
    expect(codeOf(() => WEEKDAYS_8_16.addBusinessDays("2200-12-31T10:00Z", 1))).toBe("OUT_OF_RANGE");
    expect(iso(WEEKDAYS_8_16.addBusinessDays("2200-12-30T10:00Z", 1))).toBe("2200-12-31T10:00:00.000Z");
    expect(codeOf(() => WEEKDAYS_8_16.addBusinessDays("1900-01-01T10:00Z", -1))).toBe("OUT_OF_RANGE");
  });

  it("policy deadlines of every target kind", () => {
    const policy = definePolicy({
      id: "edge",
      name: "Edge",
      calendar: { zone: "UTC", weekly: Object.fromEntries(WEEK.slice(0, 5).map((d) => [d, [["08:00", "16:00"]]])) },
      priorities: [
        { id: 1, label: "business", targets: { response: { kind: "business", duration: "PT2H" } } },
        { id: 2, label: "calendar", targets: { response: { kind: "calendar", duration: "P1D" } } },
        { id: 3, label: "day", targets: { response: { kind: "endOfBusinessDay" } } },
        { id: 4, label: "week", targets: { response: { kind: "endOfBusinessWeek" } } },
        { id: 5, label: "window", targets: { response: { kind: "window", earliest: "P1D", latest: "P2D" } } },
      ],
    });
    for (const priority of [1, 2, 4, 5]) {
      expect(
        codeOf(() => policy.deadline("2200-12-31T15:00Z", { priority })),
        `priority ${priority}`,
      ).toBe("OUT_OF_RANGE");
    }
    expect(codeOf(() => policy.deadline("2200-12-31T17:00Z", { priority: 3 }))).toBe("OUT_OF_RANGE");
    expect(iso(policy.deadline("2200-12-31T15:00Z", { priority: 3 })!)).toBe("2200-12-31T16:00:00.000Z");
    expect(iso(policy.deadline("2200-12-22T15:00Z", { priority: 4 })!)).toBe("2200-12-26T16:00:00.000Z");
  });

  // A batch leaves the deadline of a metric or cycle that met a business-time target to whoever
  // reads it, but only where the calendar shows the addition returns: a met metric whose deadline
  // lies past 2200 fails its ticket in evaluateMany, as evaluate throws, and as it always has.
  describe("a met metric whose deadline lies past the range fails its ticket", () => {
    const nineToFive = Object.fromEntries(WEEK.map((d) => [d, [["09:00", "17:00"]]]));
    const policy = definePolicy({
      id: "met-near-the-end",
      name: "Met near the end",
      calendar: { zone: "UTC", weekly: nineToFive },
      priorities: [
        {
          id: 1,
          label: "slow",
          targets: {
            response: { kind: "business", duration: "PT48H" },
            nextReply: { kind: "business", duration: "PT48H" },
          },
        },
        {
          id: 2,
          label: "quick",
          targets: { response: { kind: "none" }, nextReply: { kind: "business", duration: "PT1H" } },
        },
      ],
    });
    /** A P1 ticket created at 09:00 (UTC) on `day` and answered at 09:10. */
    const answered = (id: string, day: string): Ticket => ({
      id,
      priority: 1,
      createdAt: `${day}T09:00Z`,
      events: [{ type: "agentReply", at: `${day}T09:10Z` }],
    });
    /** The response deadlines of a batch, read through `get(i)` or through the column. */
    const byRow = (batch: EvaluationBatch) =>
      [...Array(batch.length).keys()].map((i) => iso((batch.get(i) as TicketEvaluation).response.deadline!));
    const byColumn = (batch: EvaluationBatch) => [...batch.response.deadline].map(iso);
    const failure = (ticket: Ticket, now: string) => {
      const batch = policy.evaluateMany([ticket], now);
      return { batch: batch.failures.map((f) => f.error.code), evaluate: codeOf(() => policy.evaluate(ticket, now)) };
    };

    it("the response, met at 09:10 on 2200-12-30 with 47 h 50 min left", () => {
      const ticket = answered("response", "2200-12-30");
      expect(failure(ticket, "2200-12-30T09:30Z")).toEqual({ batch: ["OUT_OF_RANGE"], evaluate: "OUT_OF_RANGE" });
      // Earlier in the range the same ticket is met, due 47 h 50 min of open time after its reply:
      // 7 h 50 min on the 10th and 8 h on each of the next five days.
      const batch = policy.evaluateMany([answered("response", "2200-12-10")], "2200-12-10T09:30Z");
      expect(batch.failures).toEqual([]);
      expect(byRow(batch)).toEqual(["2200-12-15T17:00:00.000Z"]);
      expect(byColumn(batch)).toEqual(["2200-12-15T17:00:00.000Z"]);
    });

    it("a met deadline the calendar cannot show to return (stopped in 2199) is right beside one it can", () => {
      // Stopped in 2199, whose next year is the range's last: the addition is made at once (and
      // returns, in June 2199); the 2026 ticket's is left for the column. Both rows keep their time
      // left, so reading the column completes each exactly once.
      const tickets = [answered("2026", "2026-06-02"), answered("2199", "2199-06-02")];
      const now = "2199-06-03T09:00Z";
      const expected = ["2026-06-07T17:00:00.000Z", "2199-06-07T17:00:00.000Z"];
      expect(tickets.map((t) => iso(policy.evaluate(t, now).response.deadline!))).toEqual(expected);
      const columnFirst = policy.evaluateMany(tickets, now);
      expect(byColumn(columnFirst)).toEqual(expected);
      expect(byRow(columnFirst)).toEqual(expected);
      const rowsFirst = policy.evaluateMany(tickets, now);
      expect(byRow(rowsFirst)).toEqual(expected);
      expect(byColumn(rowsFirst)).toEqual(expected);
    });

    it("an earlier nextReply cycle, met with 47 h 50 min left, the current one met under a 1 h target", () => {
      const ticket: Ticket = {
        id: "cycles",
        priority: 2,
        createdAt: "2200-12-30T09:00Z",
        events: [
          { type: "agentReply", at: "2200-12-30T09:05Z" }, // the response, stopped under P2's none
          { type: "priority", at: "2200-12-30T09:10Z", priority: 1 },
          { type: "customerReply", at: "2200-12-30T09:20Z" },
          { type: "agentReply", at: "2200-12-30T09:30Z" },
          { type: "priority", at: "2200-12-30T09:40Z", priority: 2 },
          { type: "customerReply", at: "2200-12-30T09:50Z" },
          { type: "agentReply", at: "2200-12-30T10:00Z" },
        ],
      };
      expect(failure(ticket, "2200-12-30T10:30Z")).toEqual({ batch: ["OUT_OF_RANGE"], evaluate: "OUT_OF_RANGE" });
    });
  });
});

// The calendar measure adds its time left by hand (no calendar query), so it must check the range
// itself: a deadline, alert or earlier run's deadline in 2201 is OUT_OF_RANGE, as the business
// measure's is, and in a batch it fails that ticket alone, before any column is read.
describe("a calendar-measure result past the range fails its ticket, as a business one does", () => {
  const policy = definePolicy({
    id: "calendar-near-the-end",
    name: "Calendar near the end",
    calendar: { zone: "UTC", weekly: Object.fromEntries(WEEK.map((d) => [d, [["00:00", "24:00"]]])) },
    alerts: [0.5],
    priorities: [
      { id: 1, label: "business", targets: { response: { kind: "business", duration: "PT48H" } } },
      {
        id: 2,
        label: "calendar",
        targets: {
          response: { kind: "calendar", duration: "PT48H" },
          resolution: { kind: "calendar", duration: "PT72H" },
        },
      },
      { id: 3, label: "none", targets: { response: { kind: "none" }, resolution: { kind: "none" } } },
    ],
  });
  /** Created on 2200-12-28, paused from 01:00 until 2200-12-31: 47 h of the target left then. */
  const paused = (id: string, priority: number): Ticket => ({
    id,
    priority,
    createdAt: "2200-12-28T00:00Z",
    events: [
      { type: "pause", at: "2200-12-28T01:00Z" },
      { type: "resume", at: "2200-12-31T00:00Z" },
    ],
  });
  const now = "2200-12-31T00:00Z";
  const inRange: Ticket = { id: "in-range", priority: 2, createdAt: "2200-12-01T00:00Z" };

  it("evaluate raises OUT_OF_RANGE for the calendar measure as for the business one", () => {
    expect(codeOf(() => policy.evaluate(paused("b", 1), now))).toBe("OUT_OF_RANGE");
    expect(codeOf(() => policy.evaluate(paused("c", 2), now))).toBe("OUT_OF_RANGE");
    expect(codeOf(() => policy.evaluate(paused("c", 2), now, { explain: true }))).toBe("OUT_OF_RANGE");
  });

  it("evaluateMany fails those tickets alone, and its columns read without throwing", () => {
    const batch = policy.evaluateMany([paused("b", 1), inRange, paused("c", 2)], now);
    expect(batch.failures.map((f) => [f.index, f.error.code])).toEqual([
      [0, "OUT_OF_RANGE"],
      [2, "OUT_OF_RANGE"],
    ]);
    expect(iso(policy.evaluate(inRange, now).response.deadline!)).toBe("2200-12-03T00:00:00.000Z");
    expect([...batch.response.deadline].map((v) => (v === v ? iso(v) : null))).toEqual([
      null,
      "2200-12-03T00:00:00.000Z",
      null,
    ]);
    expect([...batch.response.alertAt[0]!].map((v) => (v === v ? iso(v) : null))).toEqual([
      null,
      "2200-12-02T00:00:00.000Z",
      null,
    ]);
    expect([...batch.nextAlertAt].every((v) => v !== v)).toBe(true);
  });

  it("an earlier resolution run whose deadline (kept as of its stop) lies past the range", () => {
    // Resolved on 12-31 at 00:00 with 71 h left: the run is due 71 h later, in 2201. The reopen
    // applies P3's none, so only that earlier run has a deadline.
    const ticket: Ticket = {
      id: "reopened",
      priority: 2,
      createdAt: "2200-12-28T00:00Z",
      events: [
        { type: "respond", at: "2200-12-28T00:30Z" },
        { type: "pause", at: "2200-12-28T01:00Z" },
        { type: "resolve", at: "2200-12-31T00:00Z" },
        { type: "priority", at: "2200-12-31T00:05Z", priority: 3 },
        { type: "reopen", at: "2200-12-31T00:10Z" },
      ],
    };
    expect(codeOf(() => policy.evaluate(ticket, "2200-12-31T00:10Z"))).toBe("OUT_OF_RANGE");
    const batch = policy.evaluateMany([ticket, inRange], "2200-12-31T00:10Z");
    expect(batch.failures.map((f) => [f.index, f.error.code])).toEqual([[0, "OUT_OF_RANGE"]]);
  });
});

describe("the index's year totals", () => {
  it("equal the totals of the built years, for random calendars", { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 1900, max: 2200 }), (s, year) => {
        const measured = engineOf(createCalendar(s.spec as unknown as CalendarSpec)).index;
        const built = engineOf(createCalendar(s.spec as unknown as CalendarSpec)).index;
        expect(measured.yearTotal(year), `${year}`).toBe(built.chunkOfYear(year)!.total);
      }),
      { numRuns: 15 },
    );
  });
});

describe("near the range ends, the library agrees with the reference or raises OUT_OF_RANGE", () => {
  /** The reference's answer, or undefined when it has none. */
  const answer = (f: () => number): number | undefined => {
    try {
      return f();
    } catch (e) {
      if (e instanceof NoAnswer) return undefined;
      throw e;
    }
  };
  /** The library's answer must be the reference's when that lies in range, else a typed error. */
  const agree = (label: string, lib: () => Date, expected: number | undefined, codes: string[]): void => {
    if (expected === undefined || expected < MIN || expected >= END) {
      expect(codes, `${label}: reference ${expected === undefined ? "none" : iso(expected)}`).toContain(codeOf(lib));
    } else {
      expect(iso(lib()), label).toBe(iso(expected));
    }
  };

  it("for durations and queries near 2200-12-31", { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.integer({ min: 0, max: 40 * DAY }),
        fc.oneof(fc.integer({ min: 0, max: 30 * DAY }), fc.integer({ min: 0, max: 2 * HOUR })),
        (s, before, d) => {
          const cal = createCalendar(s.spec as unknown as CalendarSpec);
          const ref = new RefCalendar(s.spec);
          const t = END - 1 - before;
          const range = ["OUT_OF_RANGE", "NO_OPEN_TIME"];
          agree(
            "add",
            () => cal.addBusinessTime(t, d),
            answer(() => ref.add(t, d)),
            range,
          );
          agree(
            "nextOpen",
            () => cal.nextOpen(t),
            answer(() => ref.nextOpen(t)),
            range,
          );
          agree(
            "nextClose",
            () => cal.nextClose(t),
            answer(() => ref.nextClose(t)),
            [...range, "NO_CLOSING_TIME"],
          );
          const open = answer(() => ref.nextOpen(t));
          if (open !== undefined && open < END) {
            agree("endOfBusinessDay", () => cal.endOfBusinessDay(t), ref.endOfBusinessDay(t), range);
            agree("endOfBusinessWeek", () => cal.endOfBusinessWeek(t), ref.endOfBusinessWeek(t), range);
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it("for durations subtracted near 1900-01-01", { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.integer({ min: 0, max: 40 * DAY }),
        fc.oneof(fc.integer({ min: 0, max: 30 * DAY }), fc.integer({ min: 0, max: 2 * HOUR })),
        (s, after, d) => {
          const cal = createCalendar(s.spec as unknown as CalendarSpec);
          const ref = new RefCalendar(s.spec);
          const t = MIN + after;
          agree(
            "subtract",
            () => cal.subtractBusinessTime(t, d),
            answer(() => ref.subtract(t, d)),
            ["OUT_OF_RANGE", "NO_OPEN_TIME"],
          );
        },
      ),
      { numRuns: 20 },
    );
  });
});

/**
 * Near the range's end a batch must fail exactly the tickets `evaluate` throws for, and give the
 * others exactly: deadlines of met metrics are left for the column only where the calendar shows
 * the addition returns, and every such row is completed once, whichever is read first.
 */
describe("evaluateMany near 2200-12-31 agrees with evaluate, failures included", () => {
  it("random tickets on the preset policies, created in 2198–2200", { timeout: 120_000 }, () => {
    const last = END - 1;
    fc.assert(
      fc.property(
        fc.constantFrom(...presetPolicies),
        fc.array(
          fc.record({
            // Met deadlines of 2198 are left for the column, later ones made at once (the year
            // after 2199 is the range's last), and those of late December 2200 run out of it.
            createdAt: fc.oneof(
              fc.integer({ min: Date.UTC(2198, 0, 1), max: Date.UTC(2200, 11, 31) }),
              fc.integer({ min: Date.UTC(2200, 10, 20), max: Date.UTC(2200, 11, 31) }),
            ),
            priority: fc.nat(),
            steps: fc.array(step, { maxLength: 8 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.integer({ min: 0, max: 20 * DAY }),
        fc.boolean(),
        (policy, raw, later, columnsFirst) => {
          const tickets = raw.map((r, k) => ({
            ...buildTicket(policy, r.createdAt, r.priority, r.steps),
            id: `near-end-${k}`,
          }));
          const latest = Math.max(
            ...tickets.map((t) => Math.max(t.createdAt as number, ...(t.events ?? []).map((e) => e.at as number))),
          );
          if (latest > last) return; // an event past the range: not a ticket of this property
          const now = Math.min(last, latest + later);
          const batch = policy.evaluateMany(tickets, now);
          const columns = columnsFirst ? METRICS.map((m) => Float64Array.from(batch[m].deadline)) : undefined;
          tickets.forEach((t, i) => {
            let one: TicketEvaluation | undefined;
            let code: string | undefined;
            try {
              one = policy.evaluate(t, now);
            } catch (e) {
              code = (e as { code?: string }).code;
            }
            const r = batch.get(i);
            if (code !== undefined) {
              expect("error" in r ? r.error.code : "evaluated", `ticket ${i}`).toBe(code);
              return;
            }
            expect(r, `ticket ${i}`).toEqual(one);
          });
          const after = METRICS.map((m) => Float64Array.from(batch[m].deadline));
          if (columns !== undefined) expect(after).toEqual(columns);
          tickets.forEach((_, i) => {
            const r = batch.get(i);
            if ("error" in r) return;
            METRICS.forEach((m, k) =>
              expect(after[k]![i], `${m} of ticket ${i}`).toBe(
                r[m].deadline === null ? Number.NaN : r[m].deadline!.getTime(),
              ),
            );
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});
