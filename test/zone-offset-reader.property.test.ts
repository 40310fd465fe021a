/**
 * The offset reader of src/time/zone.ts (Intl's `longOffset`, read digit by digit) against luxon's
 * own answers, for random zones and instants 1900–2100, weighted to zones with odd rules: Samoa
 * skipping 30 December 2011, Lord Howe's half-hour DST, Morocco's Ramadan suspensions, São Paulo's
 * changing rules, Troll's two-hour DST, Kiritimati's +14 and Kathmandu's +05:45 (and +05:30 before
 * 1986). Also around each of their transitions to the millisecond, and what the parser accepts.
 */
import fc from "fast-check";
import { IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import { offsetReader, parseLongOffset, ZoneRules } from "../src/time/zone";

const FIRST = Date.UTC(1900, 0, 1);
const END = Date.UTC(2101, 0, 1);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ODD = [
  "Pacific/Apia",
  "Australia/Lord_Howe",
  "Africa/Casablanca",
  "America/Sao_Paulo",
  "Antarctica/Troll",
  "Pacific/Kiritimati",
  "Asia/Kathmandu",
  "Pacific/Chatham",
  "Europe/Dublin",
  "America/St_Johns",
] as const;
const ALL = Intl.supportedValuesOf("timeZone");

const luxonOffset = (name: string, t: number): number => Math.round(IANAZone.create(name).offset(t) * 60_000);
const readers = new Map<string, (t: number) => number>();
const readerOf = (name: string) => {
  let read = readers.get(name);
  if (read === undefined) readers.set(name, (read = offsetReader(name)));
  return read;
};

describe("offsetReader", () => {
  it("equals luxon's offset for random zones and instants 1900–2100", () => {
    const zoneArb = fc.oneof(fc.constantFrom(...ODD), fc.constantFrom(...ALL));
    fc.assert(
      fc.property(zoneArb, fc.integer({ min: FIRST, max: END - 1 }), (name, t) => {
        expect(readerOf(name)(t), `${name} at ${new Date(t).toISOString()}`).toBe(luxonOffset(name, t));
      }),
      { numRuns: 2000 },
    );
  });

  it("equals luxon's offset to the millisecond around every transition of the odd zones, 1900–2100", () => {
    let transitions = 0;
    for (const name of ODD) {
      const read = offsetReader(name);
      const rules = new ZoneRules(name);
      // Scan every 3 days (the closest two transitions of any zone are seven days apart, see
      // src/time/zone.ts; test/zone-rules.test.ts scans months every six hours), bisect each change.
      let prev = luxonOffset(name, FIRST);
      for (let t = FIRST + 3 * DAY; t < END; t += 3 * DAY) {
        const offset = luxonOffset(name, t);
        if (offset === prev) continue;
        let lo = t - 3 * DAY;
        let hi = t;
        while (hi - lo > 1) {
          const mid = lo + Math.floor((hi - lo) / 2);
          if (luxonOffset(name, mid) === prev) lo = mid;
          else hi = mid;
        }
        for (const at of [hi - DAY, hi - 1000, hi - 1, hi, hi + 1, hi + 999, hi + DAY]) {
          const expected = luxonOffset(name, at);
          expect(read(at), `${name} at ${new Date(at).toISOString()}`).toBe(expected);
          expect(rules.offsetAt(at), `rules of ${name} at ${new Date(at).toISOString()}`).toBe(expected);
        }
        transitions++;
        prev = offset;
      }
    }
    // The scan found the zones' changes (Samoa alone has dozens), not nothing.
    expect(transitions).toBeGreaterThan(500);
  });

  it("knows the odd days: Samoa's missing 30 December 2011, Troll's +02:00, Kathmandu's +05:45", () => {
    const apia = offsetReader("Pacific/Apia");
    expect(apia(Date.UTC(2011, 11, 30, 9, 59, 59))).toBe(-10 * HOUR);
    expect(apia(Date.UTC(2011, 11, 30, 10))).toBe(14 * HOUR);
    expect(offsetReader("Antarctica/Troll")(Date.UTC(2024, 6, 1))).toBe(2 * HOUR);
    expect(offsetReader("Asia/Kathmandu")(Date.UTC(2024, 0, 1))).toBe(5.75 * HOUR);
    expect(offsetReader("Asia/Kathmandu")(Date.UTC(1980, 0, 1))).toBe(5.5 * HOUR);
    expect(offsetReader("Pacific/Kiritimati")(Date.UTC(2024, 0, 1))).toBe(14 * HOUR);
    expect(offsetReader("UTC")(Date.UTC(2024, 0, 1))).toBe(0);
  });
});

describe("parseLongOffset", () => {
  it("reads the offset forms Intl writes, and refuses anything else", () => {
    expect(parseLongOffset("1/1/2024, GMT+01:00")).toBe(HOUR);
    expect(parseLongOffset("1/1/2024, GMT-03:30")).toBe(-3.5 * HOUR);
    expect(parseLongOffset("1/1/2024, GMT\u221203:30")).toBe(-3.5 * HOUR);
    expect(parseLongOffset("1/1/1890, GMT+00:53:28")).toBe((53 * 60 + 28) * 1000);
    expect(parseLongOffset("1/1/2024, GMT")).toBe(0);
    expect(Object.is(parseLongOffset("1/1/2024, GMT-00:00"), 0)).toBe(true);
    for (const text of [
      "1/1/2024",
      "1/1/2024, GMT+1",
      "1/1/2024, GMT+0a:00",
      "1/1/2024, GMT 01:00",
      "1/1/2024, GMT+01-00",
    ])
      expect(parseLongOffset(text), text).toBeUndefined();
  });
});
