/**
 * Fractions of a millisecond are rounded to the nearest millisecond, halves away from zero, however
 * the duration is written (docs/semantics.md, "Millisecond precision"): luxon cut an ISO string's
 * fraction of seconds to whole milliseconds ("PT0.0015S" was 1 ms where 1.5 was 2), and halves were
 * rounded up, so `addBusinessTime(s, -1.5)` was `s - 1` while `subtractBusinessTime(s, 1.5)` was
 * `s - 2`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCalendar, definePolicy, type CalendarSpec, type PolicySpec } from "../src/index";

const ALL_DAY: [string, string][] = [["00:00", "24:00"]];
/** Open around the clock: business time is elapsed time. */
const ALWAYS: CalendarSpec = {
  zone: "UTC",
  weekly: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
};
const always = createCalendar(ALWAYS);
const START = Date.UTC(2026, 3, 1, 12);
const added = (d: Parameters<typeof always.addBusinessTime>[1]): number =>
  always.addBusinessTime(START, d).getTime() - START;

/** The nearest whole millisecond, halves away from zero, of a decimal `int.fraction` in ms. */
function nearest(negative: boolean, millis: bigint, rest: string): number {
  // `rest` is the fraction of a millisecond: its first digit decides (halves up in magnitude).
  const up = rest.length > 0 && Number(rest[0]) >= 5;
  const magnitude = Number(millis) + (up ? 1 : 0);
  return negative ? -magnitude : magnitude;
}

describe("rounding a duration to milliseconds", () => {
  it("rounds an ISO string's fraction of seconds as it rounds the same number written otherwise", () => {
    expect(added("PT0.0015S")).toBe(2);
    expect(added("PT0.0009S")).toBe(1);
    expect(added("PT0.0019S")).toBe(2);
    expect(added("PT1M0,0025S")).toBe(60_003);
    expect(added(1.5)).toBe(2);
    expect(added({ seconds: 0.0015 })).toBe(2);
    expect(added("-PT0.0015S")).toBe(-2);
    expect(added("PT-0.0015S")).toBe(-2);
    // Found by the property below (seed 1993027512): 4.0005 × 1000 is 4000.4999… in doubles.
    expect(added("PT4.0005S")).toBe(4001);
    expect(added("-PT4.0005S")).toBe(-4001);
    expect(added("PT1M4.0005S")).toBe(64_001);
    expect(added("PT99999.9994999S")).toBe(99_999_999);
    // Fractions of minutes and hours that are a whole number of milliseconds and a half: 31.5 ms,
    // 4.5 ms (0.000525 × 60 000 is 31.4999… in doubles).
    expect(added("PT0.000525M")).toBe(32);
    expect(added("PT0.00000125H")).toBe(5);
    expect(added("PT1H0.000525M")).toBe(3_600_032);
    expect(added("PT-0.000525M")).toBe(-32);
    // Under half a millisecond, a negative duration keeps its sign: a target of it is refused.
    for (const duration of ["-PT0.0004S", "PT-0.000001M", "-PT0.0000001H"]) {
      const spec = {
        id: "p",
        name: "p",
        calendar: ALWAYS,
        priorities: [{ id: 1, label: "P1", targets: { response: { kind: "business", duration } } }],
      };
      expect(() => definePolicy(spec as PolicySpec), duration).toThrow(/must not be negative/);
    }
  });

  it("any fraction of hours or minutes, written as an ISO string, is the nearest millisecond (property)", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom(["H", 3_600_000n] as const, ["M", 60_000n] as const),
        fc.integer({ min: 0, max: 10_000 }),
        fc.stringMatching(/^\d{1,12}$/),
        // Or a fraction that is a whole number of milliseconds and a half, the case doubles get
        // wrong, which random digits almost never are: (2j + 1) / 40 000 min, (2j + 1) / 800 000 h.
        fc.option(fc.integer({ min: 0, max: 19_999 }), { freq: 2 }),
        (negative, [unit, factor], whole, digits, half) => {
          const fraction =
            half === null ? digits : ((2 * half + 1) / (unit === "M" ? 40_000 : 800_000)).toFixed(12).slice(2);
          const text = `${negative ? "-" : ""}PT${whole}.${fraction}${unit}`;
          const scale = 10n ** BigInt(fraction.length);
          const exact = BigInt(whole) * factor * scale + BigInt(fraction) * factor; // ms × scale
          const magnitude = Number((2n * exact + scale) / (2n * scale)); // halves up in magnitude
          expect(added(text), text).toBe(negative ? -magnitude || 0 : magnitude);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("rounds halves away from zero, so adding −d is subtracting d", () => {
    for (const d of [0.5, 1.5, 2.5, 1234.5, 0.4999, 7.5000001]) {
      const subtracted = always.subtractBusinessTime(START, d).getTime();
      expect(always.addBusinessTime(START, -d).getTime(), `${d}`).toBe(subtracted);
      expect(START - subtracted, `${d}`).toBe(added(d));
    }
    const out = new Float64Array(1);
    always.addBusinessTimeMany(new Float64Array([START]), -1.5, out);
    expect(out[0]).toBe(START - 2);
  });

  it("any seconds fraction, written as an ISO string, is the nearest millisecond (property)", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 0, max: 100_000 }),
        fc.stringMatching(/^\d{1,9}$/),
        (negative, seconds, fraction) => {
          const text = `${negative ? "-" : ""}PT${seconds}.${fraction}S`;
          const padded = fraction.padEnd(3, "0");
          const millis = BigInt(seconds) * 1000n + BigInt(padded.slice(0, 3));
          expect(added(text), text).toBe(nearest(negative, millis, padded.slice(3)) || 0);
        },
      ),
      // Cheap (a few ms per hundred), and the case it found was one in a hundred.
      { numRuns: 2_000 },
    );
  });

  it("refuses an ISO string that names no amount (P, PT), which luxon reads as zero", () => {
    for (const text of ["P", "PT", " PT "]) {
      expect(() => always.addBusinessTime(START, text), text).toThrow(/is not an ISO-8601 duration/);
    }
    expect(added("PT0S")).toBe(0);
  });
});
