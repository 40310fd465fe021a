import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  addMonthsToDay,
  civilFromDay,
  dayFromCivil,
  isoWeekday,
  monthIndexOfDay,
  parseDay,
  yearOfDay,
} from "../src/time/civil";

describe("civil date arithmetic", () => {
  it("agrees with Date.UTC for every day from 1899 to 2202", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1899, 0, 1) / 86_400_000, max: Date.UTC(2202, 11, 31) / 86_400_000 }),
        (day) => {
          const d = new Date(day * 86_400_000);
          expect(civilFromDay(day)).toEqual({
            year: d.getUTCFullYear(),
            month: d.getUTCMonth() + 1,
            day: d.getUTCDate(),
          });
          expect(dayFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).toBe(day);
          expect(yearOfDay(day)).toBe(d.getUTCFullYear());
          expect(isoWeekday(day)).toBe(((d.getUTCDay() + 6) % 7) + 1);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("clamps month arithmetic to the end of a shorter month", () => {
    expect(civilFromDay(addMonthsToDay(dayFromCivil(2026, 1, 31), 1))).toEqual({ year: 2026, month: 2, day: 28 });
    expect(civilFromDay(addMonthsToDay(dayFromCivil(2028, 1, 31), 1))).toEqual({ year: 2028, month: 2, day: 29 });
    expect(civilFromDay(addMonthsToDay(dayFromCivil(2026, 3, 31), -1))).toEqual({ year: 2026, month: 2, day: 28 });
    expect(civilFromDay(addMonthsToDay(dayFromCivil(2026, 11, 15), 14))).toEqual({ year: 2028, month: 1, day: 15 });
  });

  it("parses only real dates", () => {
    expect(parseDay("2026-02-29")).toBeUndefined();
    expect(parseDay("2028-02-29")).toBe(dayFromCivil(2028, 2, 29));
    expect(parseDay("2026-13-01")).toBeUndefined();
    expect(parseDay("2026-4-1")).toBeUndefined();
  });
});

describe("month index", () => {
  it("agrees with Date.UTC", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1899, 0, 1) / 86_400_000, max: Date.UTC(2202, 11, 31) / 86_400_000 }),
        (day) => {
          const d = new Date(day * 86_400_000);
          expect(monthIndexOfDay(day)).toBe(d.getUTCFullYear() * 12 + d.getUTCMonth());
        },
      ),
      { numRuns: 2000 },
    );
  });
});
