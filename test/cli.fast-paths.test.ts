/**
 * The CLI's fast paths for large exports give the general paths' answers exactly (issue 13, speed):
 * instant cells of the fixed shapes read by arithmetic (fixedShapeInstant) against
 * `Calendar#parse`, instants written by arithmetic (instantWriter) against `Calendar#format`, and
 * CSV records written by csvLine against csv-stringify with the options the CLI used before.
 * Random instants in zones with DST, half-hour, 45-minute and +14 offsets, around transitions, and
 * text with quotes, separators, line breaks and formula starts.
 */
import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCalendar, getCalendar, type Calendar } from "../src/index";
import { instantReader } from "../src/cli/io/cells";
import { fixedShapeInstant, instantWriter } from "../src/cli/io/instants";
import { csvLine } from "../src/cli/io/write-rows";
import { zoneRules } from "../src/time/zone";

const ZONES = [
  "Europe/Stockholm",
  "America/Los_Angeles",
  "Pacific/Kiritimati",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
  "America/St_Johns",
  "UTC",
];

const calendarIn = (zone: string): Calendar =>
  zone === "Europe/Stockholm"
    ? getCalendar("softone-se")
    : createCalendar({ zone, weekly: { mon: [["09:00", "17:00"]] } });

/** The general path's answer: epoch ms, or the error's code and message. */
function general(calendar: Calendar, text: string): number | string {
  try {
    return calendar.parse(text.replace(" ", "T"), { path: "created_at" }).getTime();
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
    separator: fc.constantFrom("T", " ", "t", "_"),
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
      fc.constantFrom("+0200", "+02", " +02:00", "[Europe/Stockholm]", "+02:00[Europe/Stockholm]"),
    ),
  })
  .map(
    (f) =>
      `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}${f.separator}${pad(f.hour)}:${pad(f.minute)}${f.second === null ? "" : `:${pad(f.second)}`}${f.offset}`,
  );

/** Wall times near the DST transitions of the zones (2026), as written by hand. */
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
    ),
    minutes: fc.integer({ min: 0, max: 1439 }),
  })
  .map(({ date, minutes }) => `${date}T${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`);

describe("fixedShapeInstant reads what Calendar#parse reads, or leaves the text to it", () => {
  for (const zone of ZONES) {
    const calendar = calendarIn(zone);
    const rules = zoneRules(zone);
    it(`in ${zone}`, () => {
      fc.assert(
        fc.property(fc.oneof(shapedText, nearTransitions), (text) => {
          const fast = fixedShapeInstant(text, rules);
          if (!Number.isNaN(fast)) expect(fast).toBe(general(calendar, text));
        }),
        { numRuns: 3000 },
      );
    });
  }

  it("takes the common shapes (so the fast path is really used)", () => {
    const rules = zoneRules("Europe/Stockholm");
    expect(fixedShapeInstant("2026-04-02T11:00:00+02:00", rules)).toBe(Date.parse("2026-04-02T09:00:00Z"));
    expect(fixedShapeInstant("2026-04-02 11:00", rules)).toBe(Date.parse("2026-04-02T09:00:00Z"));
    expect(fixedShapeInstant("2026-04-02T09:00Z", rules)).toBe(Date.parse("2026-04-02T09:00:00Z"));
    // Spring forward in Stockholm: 02:30 does not exist and moves forward by the gap, as the library's rule says.
    expect(fixedShapeInstant("2026-03-29T02:30", rules)).toBe(
      getCalendar("softone-se").parse("2026-03-29T02:30").getTime(),
    );
    for (const text of ["2026-02-29T10:00", "2026-04-02T24:00", "2026-04-02T11:00+18:30", "1899-12-31T23:00Z"])
      expect(fixedShapeInstant(text, rules)).toBeNaN();
  });

  it("leaves the errors to the general path: the reader still says what is wrong", () => {
    const read = instantReader(getCalendar("softone-se"), {});
    expect(() => read("2026-02-29T10:00", "created_at")).toThrow(/created_at/);
    expect(() => read("2201-01-01T00:00Z", "created_at")).toThrow(/out of range/);
    expect(read(" 2026-04-02T11:00:00+02:00 ", "created_at")).toBe(Date.parse("2026-04-02T09:00:00Z"));
  });

  it("is not used for a row in another zone, nor with a date format", () => {
    const read = instantReader(getCalendar("softone-se"), {});
    // 11:00 in Helsinki, not Stockholm.
    expect(read("2026-04-02 11:00", "created_at", "Europe/Helsinki")).toBe(Date.parse("2026-04-02T08:00:00Z"));
    // A date format that reads the same text with day and month swapped wins over the ISO shape.
    const swapped = instantReader(getCalendar("softone-se"), { dateFormat: "yyyy-dd-MM HH:mm" });
    expect(swapped("2026-04-02 11:00", "created_at")).toBe(Date.parse("2026-02-04T10:00:00Z"));
  });
});

describe("instantWriter writes what Calendar#format writes", () => {
  const instants = fc.oneof(
    fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 11, 31) }),
    fc.integer({ min: Date.UTC(2024, 0, 1) / 1000, max: Date.UTC(2028, 0, 1) / 1000 }).map((s) => s * 1000),
    fc.integer({ min: Date.UTC(2024, 0, 1) / 60_000, max: Date.UTC(2028, 0, 1) / 60_000 }).map((m) => m * 60_000),
  );
  for (const zone of ZONES) {
    const calendar = calendarIn(zone);
    const write = instantWriter(calendar);
    it(`in ${zone}`, () => {
      fc.assert(
        fc.property(instants, (ms) => {
          expect(write(ms)).toBe(calendar.format(ms));
        }),
        { numRuns: 3000 },
      );
    });
  }

  it("writes an absent instant as an empty cell", () => {
    const write = instantWriter(getCalendar("softone-se"));
    expect(write(Number.NaN)).toBe("");
    expect(write(Number.POSITIVE_INFINITY)).toBe("");
    expect(write(Date.parse("2026-04-08T10:00:00Z"))).toBe("2026-04-08T12:00:00+02:00");
  });
});

describe("csvLine writes what csv-stringify wrote", () => {
  const text = fc.oneof(
    fc.string({
      unit: fc.constantFrom("a", "1", ",", '"', "\n", "\r", "\t", " ", "=", "+", "-", "@", "'", "＝", "－", ";"),
    }),
    fc.string(),
    fc.constantFrom("", "-1", "=HYPERLINK(1)", "\t=1", "\r+1", "@SUM", "＠x", "met", "2026-04-08T12:00:00+02:00"),
  );
  const hours = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, -0, -0.004, 0.005, 1.005));
  const row = fc.tuple(
    fc.integer({ min: 1, max: 10_000_000 }),
    fc.array(fc.oneof({ weight: 4, arbitrary: text }, { weight: 1, arbitrary: hours }), { maxLength: 20 }),
  );
  for (const escapeFormulas of [true, false]) {
    it(`with escapeFormulas ${escapeFormulas}`, () => {
      const options = {
        escape_formulas: escapeFormulas,
        cast: {
          number: (value: number, context: { index: number }) =>
            context.index === 0 ? String(value) : value.toFixed(2),
        },
      };
      fc.assert(
        fc.property(row, ([line, cells]) => {
          const values = [line, ...cells];
          expect(csvLine(values, escapeFormulas)).toBe(stringify([values], options));
        }),
        { numRuns: 3000 },
      );
    });
  }
});
