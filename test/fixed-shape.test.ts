/**
 * The fast paths for instants of the fixed shapes give the general paths' answers exactly
 * (issue 13, speed): `fixedShapeInstant` against `Calendar#parse` of the same text with a leading
 * space (which the fast path leaves alone and the general path trims), and `Calendar#format`
 * (through `fixedShapeFormat`) against the text built from `Date#toISOString` and luxon's offset.
 * Random instants in zones with DST, half-hour, 45-minute and +14 offsets, and near transitions.
 */
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { createCalendar, getCalendar, type Calendar } from "../src/index";
import { fixedShapeInstant } from "../src/time/fixed-shape";
import { zoneRules } from "../src/time/zone";

const ZONES = [
  "Europe/Stockholm",
  "America/Los_Angeles",
  "Pacific/Kiritimati",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
  "America/St_Johns",
  "Africa/Monrovia",
  "UTC",
];

const calendarIn = (zone: string): Calendar =>
  zone === "Europe/Stockholm"
    ? getCalendar("softone-se")
    : createCalendar({ zone, weekly: { mon: [["09:00", "17:00"]] } });

/** The general path's answer: epoch ms, or the error. */
function general(calendar: Calendar, text: string): number | string {
  try {
    return calendar.parse(` ${text}`, { path: "created_at" }).getTime();
  } catch (e) {
    return String(e);
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Text of the fixed shapes, fields mostly valid but sometimes just out of range. */
const shapedText = fc
  .record({
    year: fc.oneof(fc.integer({ min: 1899, max: 2201 }), fc.integer({ min: 2024, max: 2027 })),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 24 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.option(fc.integer({ min: 0, max: 60 })),
    separator: fc.constantFrom("T", "T", "T", " ", "t"),
    offset: fc.oneof(
      fc.constant(""),
      fc.constant("Z"),
      fc.constant("z"),
      fc
        .record({
          sign: fc.constantFrom("+", "-", "±"),
          h: fc.integer({ min: 0, max: 19 }),
          m: fc.integer({ min: 0, max: 60 }),
        })
        .map(({ sign, h, m }) => `${sign}${pad(h)}:${pad(m)}`),
      fc.constantFrom("+0200", "+02", " +02:00", "[Europe/Stockholm]", "+02:00[Europe/Stockholm]", ".500Z"),
    ),
  })
  .map(
    (f) =>
      `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}${f.separator}${pad(f.hour)}:${pad(f.minute)}${f.second === null ? "" : `:${pad(f.second)}`}${f.offset}`,
  );

/** Wall times near DST transitions of the zones, and in the zones' early years. */
const nearTransitions = fc
  .record({
    date: fc.constantFrom(
      "2026-03-08",
      "2026-03-29",
      "2026-04-05",
      "2026-10-04",
      "2026-10-25",
      "2026-11-01",
      "1901-06-01",
      "1970-01-01",
      "1972-05-01",
    ),
    minutes: fc.integer({ min: 0, max: 1439 }),
  })
  .map(({ date, minutes }) => `${date}T${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`);

describe("fixedShapeInstant reads what the general path reads, or leaves the text to it", () => {
  for (const zone of ZONES) {
    const calendar = calendarIn(zone);
    const rules = zoneRules(zone);
    it(`in ${zone}`, () => {
      let taken = 0;
      fc.assert(
        fc.property(fc.oneof(shapedText, nearTransitions), (text) => {
          const fast = fixedShapeInstant(text, rules);
          if (Number.isNaN(fast)) return;
          taken++;
          expect(fast).toBe(general(calendar, text));
          expect(calendar.parse(text).getTime()).toBe(fast);
        }),
        { numRuns: 3000 },
      );
      expect(taken).toBeGreaterThan(300);
    });
  }

  it("takes the common shapes and leaves the rest", () => {
    const rules = zoneRules("Europe/Stockholm");
    const at = Date.parse("2026-04-02T09:00:00Z");
    expect(fixedShapeInstant("2026-04-02T11:00:00+02:00", rules)).toBe(at);
    expect(fixedShapeInstant("2026-04-02T11:00", rules)).toBe(at);
    expect(fixedShapeInstant("2026-04-02T09:00Z", rules)).toBe(at);
    // Spring forward in Stockholm: 02:30 does not exist and moves forward by the gap, the library's rule.
    expect(fixedShapeInstant("2026-03-29T02:30", rules)).toBe(Date.parse("2026-03-29T01:30:00Z"));
    for (const text of [
      "2026-02-29T10:00",
      "2026-04-02T24:00",
      "2026-04-02T11:00+18:30",
      "1899-12-31T23:00Z",
      "2026-04-02 11:00",
      "2026-04-02T11:00:00.000Z",
    ])
      expect(fixedShapeInstant(text, rules)).toBeNaN();
  });

  it("leaves the errors to the general path", () => {
    const calendar = getCalendar("softone-se");
    expect(() => calendar.parse("2026-02-29T10:00", { path: "created_at" })).toThrow(
      expect.objectContaining({ code: "INVALID_INSTANT" }),
    );
    expect(() => calendar.parse("2201-01-01T00:00Z")).toThrow(expect.objectContaining({ code: "OUT_OF_RANGE" }));
  });
});

describe("Calendar#format writes what the general path writes", () => {
  const instants = fc.oneof(
    fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 11, 31) }),
    fc.integer({ min: Date.UTC(1900, 0, 1) / 1000, max: Date.UTC(2200, 11, 31) / 1000 }).map((s) => s * 1000),
    fc.integer({ min: Date.UTC(2024, 0, 1) / 60_000, max: Date.UTC(2028, 0, 1) / 60_000 }).map((m) => m * 60_000),
  );
  /** ./format.ts before the fast path, with luxon's offset: ISO text of the wall time, then the offset. */
  const expected = (ms: number, zone: string): string => {
    const offset = Math.round(DateTime.fromMillis(ms, { zone }).offset * 60_000);
    const exact = offset % 60_000 === 0;
    const wall = new Date(exact ? ms + offset : ms).toISOString();
    const local = ms % 1000 === 0 ? wall.slice(0, 19) : wall.slice(0, 23);
    if (!exact || (offset === 0 && zone === "UTC")) return `${local}Z`;
    const minutes = Math.abs(offset) / 60_000;
    return `${local}${offset < 0 ? "-" : "+"}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
  };
  for (const zone of ZONES) {
    const calendar = calendarIn(zone);
    it(`in ${zone}`, () => {
      fc.assert(
        fc.property(instants, (ms) => {
          expect(calendar.format(ms)).toBe(expected(ms, zone));
        }),
        { numRuns: 3000 },
      );
    });
  }
});
