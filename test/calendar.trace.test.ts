/**
 * Traces of business-time arithmetic (docs/semantics.md, "Traces"): hand-checked traces on the
 * built-in calendars (the hours and holidays as the seed clauses in test/calendar.presets.test.ts
 * read them), and properties over every preset and random calendars: the counted stretches are
 * ordered, disjoint, inside `openIntervals` and their own date's hours, add up to the duration and
 * end where the arithmetic ends; every closed or unusual day of the span is listed exactly once.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createCalendar,
  getCalendar,
  getPolicy,
  listCalendars,
  type BusinessTimeTrace,
  type Calendar,
  type CalendarSpec,
} from "../src/index";
import { scenarioArb } from "./reference/arbitraries";

const H = 3_600_000;
const DAY = 86_400_000;
const ms = (iso: string) => Date.parse(iso);

/** A trace as short readable rows: `date local-start–local-end ms`, and `date status reason-kinds`. */
function rows(trace: BusinessTimeTrace) {
  return {
    stretches: trace.stretches.map(
      (s) => `${s.date} ${s.startLocal.slice(11, 16)}–${s.endLocal.slice(11, 16)} ${s.ms / H}h ${s.runningMs / H}h`,
    ),
    days: trace.days.map((d) => `${d.date} ${d.status} ${d.reasons.map((r) => r.kind).join("+") || "-"}`),
  };
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
  return undefined;
}

describe("the worked example of issue 16 — softone-se 002: 'vardagar 8-16 med lunchstängt 12-13. Dag före röd dag stänger vi kl 13'", () => {
  // P3 of getPolicy("softone-se") is 12 business hours; the trace is its calendar's.
  const policy = getPolicy("softone-se");
  const cal = policy.calendar;
  const start = "2026-04-02T11:00"; // Skärtorsdagen 11:00 Stockholm

  it("counts Thu 11–12, Tue 08–12 and 13–16, Wed 08–12, and ends Wed 2026-04-08 12:00 (10:00Z)", () => {
    const trace = cal.trace(start, { hours: 12 });
    expect(policy.deadline(start, { priority: 3, metric: "response" })?.toISOString()).toBe("2026-04-08T10:00:00.000Z");
    expect(trace.result?.toISOString()).toBe("2026-04-08T10:00:00.000Z");
    expect(trace.to.toISOString()).toBe("2026-04-08T10:00:00.000Z");
    expect(trace.from.toISOString()).toBe("2026-04-02T09:00:00.000Z");
    expect(trace.toLocal).toBe("2026-04-08T12:00:00.000+02:00");
    expect(trace.totalMs).toBe(12 * H);
    // The eve closes at 13:00, which drops the 13–16 interval: Thursday is 08–12 (the preset's
    // reading of "stänger vi kl 13" with lunch 12–13), so only 11–12 counts.
    expect(rows(trace)).toEqual({
      stretches: [
        "2026-04-02 11:00–12:00 1h 1h",
        "2026-04-07 08:00–12:00 4h 5h",
        "2026-04-07 13:00–16:00 3h 8h",
        "2026-04-08 08:00–12:00 4h 12h",
      ],
      days: [
        "2026-04-02 shortened eve", // eve of Långfredagen
        "2026-04-03 closed holiday", // Långfredagen
        "2026-04-04 closed eve", // Påskafton: a Saturday (no weekly hours), the eve of Påskdagen
        "2026-04-05 closed holiday", // Påskdagen, a Sunday
        "2026-04-06 closed holiday", // Annandag påsk
      ],
    });
  });

  it("names each reason as describeDay does, in Swedish and English", () => {
    const trace = cal.trace(start, { hours: 12 });
    expect(trace.days[0]).toEqual({
      date: "2026-04-02",
      weekday: "thu",
      status: "shortened",
      hours: [["08:00", "12:00"]],
      weeklyHours: [
        ["08:00", "12:00"],
        ["13:00", "16:00"],
      ],
      openMs: 4 * H,
      reasons: [
        {
          kind: "eve",
          closeAt: "13:00",
          holidays: [{ date: "2026-04-03", name: "långfredagen", nameEn: "Good Friday", type: "public" }],
        },
      ],
    });
    const names = trace.days.flatMap((d) =>
      d.reasons.flatMap((r) => ("holidays" in r ? r.holidays.map((h) => `${h.name}/${h.nameEn}`) : [])),
    );
    expect(names).toEqual([
      "långfredagen/Good Friday",
      "långfredagen/Good Friday",
      "påskdagen/Easter Sunday",
      "påskdagen/Easter Sunday",
      "annandag påsk/Easter Monday",
    ]);
    for (const day of trace.days) expect(day.reasons).toEqual(cal.describeDay(day.date).reasons);
  });

  it("is a frozen plain value that survives JSON", () => {
    const trace = cal.trace(start, { hours: 12 });
    expect(Object.isFrozen(trace)).toBe(true);
    expect(Object.isFrozen(trace.stretches)).toBe(true);
    expect(Object.isFrozen(trace.stretches[0])).toBe(true);
    expect(Object.isFrozen(trace.days[0]?.reasons[0])).toBe(true);
    const json = JSON.parse(JSON.stringify(trace)) as Record<string, unknown>;
    expect(json.result).toBe("2026-04-08T10:00:00.000Z");
    expect((json.stretches as { start: string }[])[1]?.start).toBe("2026-04-07T06:00:00.000Z");
  });

  it("traces the subtraction back to the latest instant: Thursday's opening, not Wednesday's close", () => {
    const trace = cal.traceBack("2026-04-07T09:00", { hours: 5 });
    expect(trace.operation).toBe("subtract");
    expect(trace.result?.toISOString()).toBe("2026-04-02T06:00:00.000Z");
    expect(trace.from.toISOString()).toBe("2026-04-02T06:00:00.000Z");
    expect(trace.to.toISOString()).toBe("2026-04-07T07:00:00.000Z");
    expect(rows(trace).stretches).toEqual(["2026-04-02 08:00–12:00 4h 4h", "2026-04-07 08:00–09:00 1h 5h"]);
  });

  it("traces businessTimeBetween both ways: b before a is the same span with a negative total", () => {
    const forward = cal.traceBetween("2026-04-02T11:00", "2026-04-07T09:00");
    const backward = cal.traceBetween("2026-04-07T09:00", "2026-04-02T11:00");
    expect(forward.totalMs).toBe(2 * H);
    expect(backward.totalMs).toBe(-2 * H);
    expect(backward.result).toBeNull();
    expect(backward.from).toEqual(forward.from);
    expect(backward.stretches).toEqual(forward.stretches);
    expect(backward.days).toEqual(forward.days);
    expect(rows(forward).stretches).toEqual(["2026-04-02 11:00–12:00 1h 1h", "2026-04-07 08:00–09:00 1h 2h"]);
  });

  it("follows addBusinessTime's edge rules: zero, a negative duration, a start outside hours", () => {
    const zero = cal.trace("2026-04-04T10:00", 0);
    expect(zero.result?.toISOString()).toBe(new Date(ms("2026-04-04T10:00+02:00")).toISOString());
    expect(zero.stretches).toEqual([]);
    expect(zero.days).toEqual([]); // an empty span has no dates
    const negative = cal.trace("2026-04-07T09:00", { hours: -2 });
    expect(negative.totalMs).toBe(-2 * H);
    expect(negative.result?.toISOString()).toBe("2026-04-02T09:00:00.000Z");
    expect(negative.stretches).toEqual(cal.traceBack("2026-04-07T09:00", { hours: 2 }).stretches);
    // From Saturday the span starts at the start (the weekend is listed); counting starts Tuesday.
    const weekend = cal.trace("2026-04-04T10:00", { hours: 1 });
    expect(rows(weekend)).toEqual({
      stretches: ["2026-04-07 08:00–09:00 1h 1h"],
      days: ["2026-04-04 closed eve", "2026-04-05 closed holiday", "2026-04-06 closed holiday"],
    });
  });
});

describe("one trace per preset provider", () => {
  it("softone-fi 001, 'Perjantaisin suljemme klo 14': Friday 13:30 + 1 h = Mon 08:30", () => {
    const trace = getCalendar("softone-fi").trace("2026-04-10T13:30", { hours: 1 });
    expect(trace.result?.getTime()).toBe(ms("2026-04-13T08:30+03:00"));
    expect(rows(trace)).toEqual({
      stretches: ["2026-04-10 13:30–14:00 0.5h 0.5h", "2026-04-13 08:00–08:30 0.5h 1h"],
      days: ["2026-04-10 shortened weekdayRule", "2026-04-11 closed -", "2026-04-12 closed -"],
    });
    expect(trace.days[0]?.reasons).toMatchObject([{ kind: "weekdayRule", closeAt: "14:00" }]);
    expect(trace.days[0]?.hours).toEqual([
      ["08:00", "11:00"],
      ["12:00", "14:00"],
    ]);
  });

  it("moch-standard 004, '09.00 til 17.00 UTC': 12 arbejdstimer from Friday over Whitsun", () => {
    const trace = getCalendar("moch-standard").trace("2026-05-22T10:00Z", { hours: 12 });
    expect(trace.result?.toISOString()).toBe("2026-05-26T14:00:00.000Z");
    expect(trace.zone).toBe("UTC");
    expect(trace.stretches.map((s) => [s.startLocal, s.endLocal])).toEqual([
      ["2026-05-22T10:00:00.000+00:00", "2026-05-22T17:00:00.000+00:00"],
      ["2026-05-26T09:00:00.000+00:00", "2026-05-26T14:00:00.000+00:00"],
    ]);
    expect(rows(trace).days).toEqual([
      "2026-05-23 closed -",
      "2026-05-24 closed holiday", // Pinsedag, a Sunday
      "2026-05-25 closed holiday", // Anden Pinsedag
    ]);
  });

  it("trinax 003, 'Inställelsetid (8-17)': used up exactly at Friday's close, over Kristi himmelsfärd", () => {
    const trace = getCalendar("trinax").trace("2026-05-13T10:00", { hours: 16 });
    expect(trace.result?.getTime()).toBe(ms("2026-05-15T17:00+02:00"));
    expect(rows(trace)).toEqual({
      stretches: ["2026-05-13 10:00–17:00 7h 7h", "2026-05-15 08:00–17:00 9h 16h"],
      days: ["2026-05-14 closed holiday"], // no eve rule: Wednesday is a full day
    });
    // The last stretch ends at the closing instant, not at Monday's opening.
    expect(trace.stretches.at(-1)?.end.getTime()).toBe(ms("2026-05-15T17:00+02:00"));
  });
});

describe("bounds and errors", () => {
  it("fails a hopeless duration with addBusinessTime's own error, and bad input as the other methods do", () => {
    const cal = getCalendar("trinax");
    for (const hours of [10_000_000, -10_000_000]) {
      const expected = codeOf(() => cal.addBusinessTime("2026-01-01", { hours }));
      expect(expected).toBe("OUT_OF_RANGE");
      expect(codeOf(() => cal.trace("2026-01-01", { hours }))).toBe(expected);
    }
    const closed = createCalendar({ zone: "UTC", weekly: {} });
    expect(codeOf(() => closed.trace("2026-01-01", 1))).toBe(codeOf(() => closed.addBusinessTime("2026-01-01", 1)));
    expect(codeOf(() => cal.trace("2026-01-01", { days: 1 }))).toBe("INVALID_DURATION");
    expect(codeOf(() => cal.traceBetween("nonsense", "2026-01-01"))).toBe("INVALID_INSTANT");
  });

  it("refuses a span of more than 100 000 stretches or local dates with INVALID_ARGUMENT, naming the limit", () => {
    // 48 quarter-hours a day: 3 000 days hold 144 000 stretches.
    const hours = Array.from({ length: 48 }, (_, k) => {
      const m = k * 30;
      const hhmm = (x: number) => `${String(Math.floor(x / 60)).padStart(2, "0")}:${String(x % 60).padStart(2, "0")}`;
      return [hhmm(m), hhmm(m + 15)] as const;
    });
    const day = hours as CalendarSpec["weekly"]["mon"];
    const dense = createCalendar({
      zone: "UTC",
      weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
    });
    let error: { code?: string; message?: string; details?: unknown } = {};
    try {
      dense.trace("2000-01-01", { hours: 3_000 * 12 });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toMatch(/more than 100000 open stretches/);
    // Under the limit the same calendar traces fine.
    expect(dense.trace("2000-01-01", { hours: 2_000 * 12 }).stretches).toHaveLength(96_000);

    const sparse = createCalendar({ zone: "UTC", weekly: { mon: [["09:00", "10:00"]] } });
    let days: { code?: string; message?: string } = {};
    try {
      sparse.traceBetween("1901-01-01", "2199-01-01");
    } catch (e) {
      days = e as typeof days;
    }
    expect(days.code).toBe("INVALID_ARGUMENT");
    expect(days.message).toMatch(/^traceBetween: .*more than 100000 local dates/);
  });
});

// --- properties ------------------------------------------------------------------------------------

const dateOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;

/**
 * An ISO string with an offset, as the trace writes it, to epoch ms. `Date.parse` reads ±HH:MM
 * only; before the 1930s many zones were on local mean time with offsets in seconds (St. John's
 * -03:30:52), which the trace writes exactly as ±HH:MM:SS.
 */
function parseLocal(text: string): number {
  const m = /^(.*)([+-])(\d\d):(\d\d):(\d\d)$/.exec(text);
  if (m === null) return Date.parse(text);
  const offset = (m[2] === "-" ? -1 : 1) * ((Number(m[3]) * 60 + Number(m[4])) * 60 + Number(m[5])) * 1000;
  return Date.parse(`${m[1]}Z`) - offset;
}

/** What a trace must say about its span, checked against the calendar's own answers. */
function checkTrace(cal: Calendar, trace: BusinessTimeTrace, label: string): void {
  const from = trace.from.getTime();
  const to = trace.to.getTime();
  expect(from, label).toBeLessThanOrEqual(to);
  // Counted stretches: ordered, disjoint, non-empty, running totals, inside openIntervals and inside
  // their own date's hours.
  const open = cal.openIntervals(from, to).map((iv) => [iv.start.getTime(), iv.end.getTime()] as const);
  let running = 0;
  let previousEnd = -Infinity;
  for (const s of trace.stretches) {
    const a = s.start.getTime();
    const b = s.end.getTime();
    expect(a, label).toBeLessThan(b);
    expect(a, label).toBeGreaterThanOrEqual(previousEnd);
    expect(a, label).toBeGreaterThanOrEqual(from);
    expect(b, label).toBeLessThanOrEqual(to);
    expect(s.ms, label).toBe(b - a);
    running += s.ms;
    expect(s.runningMs, label).toBe(running);
    expect(
      open.some(([x, y]) => x <= a && b <= y),
      `${label}: ${s.start.toISOString()}–${s.end.toISOString()} inside openIntervals`,
    ).toBe(true);
    // The date's own intervals as one union: in time order, touching or overlapping ones joined
    // (a stretch joins them too). On a spring-forward date an interval ending or lying in the gap
    // moves forward by the gap, so it can land after, or over, the next one (Stockholm 1990-03-25:
    // 02:01–02:02 reads 03:01–03:02, after 03:00–03:01; 00:01–02:01 reads 00:01–03:01, over it;
    // CI seed -39373932).
    const own: [number, number][] = [];
    const intervals = [...cal.describeDay(s.date).intervals].sort((x, y) => x.start.getTime() - y.start.getTime());
    for (const iv of intervals) {
      const last = own[own.length - 1];
      if (last !== undefined && iv.start.getTime() <= last[1]) last[1] = Math.max(last[1], iv.end.getTime());
      else own.push([iv.start.getTime(), iv.end.getTime()]);
    }
    expect(
      own.some(([x, y]) => x <= a && b <= y),
      `${label}: ${s.start.toISOString()}–${s.end.toISOString()} inside the hours of ${s.date}`,
    ).toBe(true);
    expect(parseLocal(s.startLocal), label).toBe(a);
    expect(parseLocal(s.endLocal), label).toBe(b);
    previousEnd = b;
  }
  // Every open millisecond of the span is counted.
  expect(running, label).toBe(open.reduce((sum, [x, y]) => sum + (y - x), 0));
  expect(running, label).toBe(Math.abs(trace.totalMs));
  expect(running, label).toBe(cal.businessTimeBetween(from, to));
  // Every date of the span that is closed, or not its weekday's plain hours, exactly once, in order.
  const expectedDays: string[] = [];
  if (to > from) {
    const first = dayOf(cal.describeDay(from).date);
    const last = dayOf(cal.describeDay(to - 1).date);
    for (let day = first; day <= last; day++) {
      const d = cal.describeDay(dateOf(day));
      const plain = JSON.stringify(d.hours) === JSON.stringify(d.weeklyHours);
      if (!d.open || d.reasons.length > 0 || !plain) expectedDays.push(d.date);
    }
  }
  expect(
    trace.days.map((d) => d.date),
    label,
  ).toEqual(expectedDays);
  for (const d of trace.days) {
    const described = cal.describeDay(d.date);
    expect(d.reasons, label).toEqual(described.reasons);
    expect(d.hours, label).toEqual(described.hours);
    expect(d.status === "closed", label).toBe(!described.open);
  }
}

/** Checks the three traces at `start` with `d` against add/subtract/between. */
function checkAll(cal: Calendar, start: number, d: number, other: number, label: string): void {
  const added = codeOf(() => cal.addBusinessTime(start, d));
  if (added !== undefined)
    expect(
      codeOf(() => cal.trace(start, d)),
      label,
    ).toBe(added);
  else {
    const result = cal.addBusinessTime(start, d).getTime();
    const trace = cal.trace(start, d);
    expect(trace.result?.getTime(), label).toBe(result);
    expect(trace.totalMs, label).toBe(d + 0); // -0 is written as 0
    if (d > 0) {
      expect(trace.from.getTime(), label).toBe(start);
      expect(trace.stretches.at(-1)?.end.getTime(), `${label}: last stretch ends at addBusinessTime`).toBe(result);
      expect(trace.stretches[0]?.start.getTime(), label).toBe(cal.nextOpen(start).getTime());
    }
    checkTrace(cal, trace, `trace ${label}`);
  }
  const subtracted = codeOf(() => cal.subtractBusinessTime(start, d));
  if (subtracted !== undefined)
    expect(
      codeOf(() => cal.traceBack(start, d)),
      label,
    ).toBe(subtracted);
  else {
    const result = cal.subtractBusinessTime(start, d).getTime();
    const trace = cal.traceBack(start, d);
    expect(trace.result?.getTime(), label).toBe(result);
    if (d > 0) {
      expect(trace.to.getTime(), label).toBe(start);
      expect(trace.stretches[0]?.start.getTime(), `${label}: first stretch starts at subtractBusinessTime`).toBe(
        result,
      );
    }
    checkTrace(cal, trace, `traceBack ${label}`);
  }
  const between = cal.traceBetween(start, other);
  expect(between.totalMs, label).toBe(cal.businessTimeBetween(start, other) + 0);
  checkTrace(cal, between, `traceBetween ${label}`);
}

const PRESETS = listCalendars();

describe("properties", () => {
  it("holds on every preset calendar", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PRESETS),
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }),
        fc.oneof(
          fc.constant(0),
          fc.integer({ min: 1, max: 200 * H }),
          fc.integer({ min: 1, max: 40 }).map((k) => k * H),
        ),
        fc.integer({ min: -40 * DAY, max: 40 * DAY }),
        fc.boolean(),
        (id, start, d, span, negative) => {
          const cal = getCalendar(id);
          checkAll(cal, start, negative ? -d : d, start + span, `${id} ${new Date(start).toISOString()} ${d}`);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("holds on random calendars (odd DST, overnight and touching hours, eves, overrides)", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 20 * DAY }),
        fc.integer({ min: -20 * DAY, max: 20 * DAY }),
        fc.constantFrom(0, 0, 1, -1),
        (scenario, fraction, reach, span, jitter) => {
          const cal = createCalendar(scenario.spec as unknown as CalendarSpec);
          const start = scenario.anchor;
          // A duration the next weeks can hold (so the span stays short), or exactly their open time ± 1 ms.
          const available = cal.businessTimeBetween(start, start + reach);
          const d = Math.max(0, fraction < 0.2 ? available + jitter : Math.floor(fraction * available));
          checkAll(
            cal,
            start,
            d,
            start + span,
            `${JSON.stringify(scenario.spec)} @ ${new Date(start).toISOString()} d=${d}`,
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
