/**
 * The public local-time API of a calendar: `format` (an instant in the calendar's zone), `toLocal`
 * (a luxon DateTime in the zone) and `parse` (the instant reader every method uses). Checked
 * against luxon, directly, in zones whose DST is odd: 30-minute DST (Lord Howe), offsets in
 * quarter hours (Chatham, Kathmandu), half hours (St John's), negative DST (Dublin), two-hour DST
 * (Troll), a skipped day and a moved date line (Apia).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { createCalendar, SlaClockError, type Calendar, type InstantStyle } from "../src/index";

const ZONES = [
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "America/St_Johns",
  "Europe/Dublin",
  "Asia/Kathmandu",
  "Antarctica/Troll",
  "Pacific/Apia",
  "UTC",
] as const;

const calendars = new Map<string, Calendar>(
  ZONES.map((zone) => [zone, createCalendar({ zone, weekly: { mon: [["09:00", "17:00"]] } })]),
);
const calendarIn = (zone: string): Calendar => calendars.get(zone)!;

const MIN = Date.UTC(1900, 0, 1, 12);
const MAX = Date.UTC(2200, 11, 31, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Offset of a zone at an instant in ms, from luxon (which reads it from Intl). */
const offsetAt = (zone: string, t: number): number => DateTime.fromMillis(t, { zone }).offset * MINUTE;

/** Every offset change of a zone between 1975 and 2100, to the minute, found with luxon. */
function transitions(zone: string): { at: number; before: number; after: number }[] {
  const found: { at: number; before: number; after: number }[] = [];
  const step = 7 * DAY;
  let prev = Date.UTC(1975, 0, 1);
  let prevOffset = offsetAt(zone, prev);
  for (let t = prev + step; t <= Date.UTC(2100, 0, 1); t += step) {
    const offset = offsetAt(zone, t);
    if (offset !== prevOffset) {
      let lo = prev;
      let hi = t;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (offsetAt(zone, mid) === prevOffset) lo = mid;
        else hi = mid;
      }
      found.push({ at: hi, before: prevOffset, after: offset });
    }
    prev = t;
    prevOffset = offset;
  }
  return found;
}

const TRANSITIONS = new Map(ZONES.map((zone) => [zone, transitions(zone)]));

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?(Z|[+-]\d{2}:\d{2})$/;

describe("Calendar.format", () => {
  it("writes ISO-8601 with the zone's offset, the same wall fields as luxon, milliseconds only when there are some", () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN, max: MAX }), fc.constantFrom(...ZONES), (t, zone) => {
        const text = calendarIn(zone).format(t);
        const m = SHAPE.exec(text);
        expect(m, text).not.toBeNull();
        expect(m![7] !== undefined).toBe(t % 1000 !== 0);
        const local = DateTime.fromMillis(t, { zone });
        const offset = local.offset * MINUTE;
        const exact = offsetAt(zone, t) % MINUTE === 0 && Number.isInteger(local.offset);
        if (exact) {
          const wall = local.toFormat("yyyy-MM-dd'T'HH:mm:ss");
          expect(text.slice(0, 19)).toBe(wall);
          expect(m![8]).toBe(zone === "UTC" ? "Z" : local.toFormat("ZZ"));
        } else {
          // Local mean time (an offset with seconds) has no exact ±HH:MM: written in UTC.
          expect(m![8]).toBe("Z");
          expect(text.slice(0, 19)).toBe(new Date(t).toISOString().slice(0, 19));
        }
        expect(calendarIn(zone).format(t, { style: "date" })).toBe(
          new Date(t + (exact ? offset : offsetAt(zone, t))).toISOString().slice(0, 10),
        );
        expect(calendarIn(zone).format(t, { style: "zoned" })).toBe(`${text}[${zone}]`);
      }),
      { numRuns: 3000 },
    );
  });

  it("reads back as the same instant: parse(format(t)) === t in every style but date, and Date.parse agrees", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MIN, max: MAX }),
        fc.constantFrom(...ZONES),
        fc.constantFrom<InstantStyle>("iso", "zoned"),
        (t, zone, style) => {
          const cal = calendarIn(zone);
          const text = cal.format(t, { style });
          expect(cal.parse(text).getTime()).toBe(t);
          // Read by another calendar too: the text names the instant whatever zone reads it.
          expect(calendarIn("Pacific/Chatham").parse(text).getTime()).toBe(t);
          if (style === "iso") expect(Date.parse(text)).toBe(t);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("round-trips around every DST transition, where the offset is the only thing telling two wall times apart", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES.filter((z) => TRANSITIONS.get(z)!.length > 0)),
        fc.nat(),
        fc.integer({ min: -3 * 60, max: 3 * 60 }),
        fc.integer({ min: 0, max: 59_999 }),
        (zone, pick, minutes, ms) => {
          const list = TRANSITIONS.get(zone)!;
          const t = list[pick % list.length]!.at + minutes * MINUTE + (ms % 3 === 0 ? 0 : ms);
          const cal = calendarIn(zone);
          for (const style of ["iso", "zoned"] as const) expect(cal.parse(cal.format(t, { style })).getTime()).toBe(t);
          expect(cal.toLocal(t).toMillis()).toBe(t);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("is the same for every kind of instant input and refuses an unknown style with a typed error", () => {
    const cal = calendarIn("Australia/Lord_Howe");
    const t = Date.UTC(2026, 9, 3, 15, 45); // 02:45 +11:00 on the day of the 30-minute spring-forward
    const inputs = [t, new Date(t), DateTime.fromMillis(t), "2026-10-03T15:45Z", "2026-10-04T02:45"];
    for (const input of inputs) expect(cal.format(input)).toBe("2026-10-04T02:45:00+11:00");
    expect(() => cal.format(t, { style: "long" as InstantStyle })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT", message: expect.stringContaining('"iso", "zoned", "date"') }),
    );
    expect(() => cal.format(Number.NaN)).toThrow(SlaClockError);
  });
});

describe("Calendar.toLocal", () => {
  it("is a luxon DateTime in the calendar's zone at the same instant", () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN, max: MAX }), fc.constantFrom(...ZONES), (t, zone) => {
        const local = calendarIn(zone).toLocal(new Date(t));
        expect(local.isValid).toBe(true);
        expect(local.zoneName).toBe(zone);
        expect(local.toMillis()).toBe(t);
      }),
      { numRuns: 1000 },
    );
    expect(calendarIn("Pacific/Chatham").toLocal("2026-04-05T02:50").toFormat("HH:mm ZZ")).toBe("02:50 +13:45");
  });
});

describe("Calendar.parse", () => {
  /**
   * The instant a wall time names by the library's rule, worked out from luxon's offsets: the
   * earlier of the instants showing that wall time (an overlap), or, in a gap, the wall time moved
   * forward by the gap (read with the offset before it).
   */
  function expectedInstant(zone: string, wall: number): number {
    const before = offsetAt(zone, wall - DAY);
    const after = offsetAt(zone, wall + DAY);
    const fits = [wall - before, wall - after].filter((t) => offsetAt(zone, t) === wall - t);
    return fits.length > 0 ? Math.min(...fits) : wall - before;
  }

  it("reads wall times by the gap/overlap rule: the earlier instant in an overlap, forward by the gap in a gap", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES.filter((z) => TRANSITIONS.get(z)!.length > 0)),
        fc.nat(),
        fc.constantFrom<"before" | "after">("before", "after"),
        fc.integer({ min: -150, max: 150 }),
        (zone, pick, side, minutes) => {
          const list = TRANSITIONS.get(zone)!;
          const transition = list[pick % list.length]!;
          // Wall times around the transition as the clock showed them just before, or just after.
          const wall = transition.at + transition[side] + minutes * MINUTE;
          const text = new Date(wall).toISOString().slice(0, 16); // YYYY-MM-DDTHH:mm, no offset
          expect(calendarIn(zone).parse(text).getTime(), `${zone} ${text}`).toBe(expectedInstant(zone, wall));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("reads the documented cases", () => {
    const lordHowe = calendarIn("Australia/Lord_Howe");
    expect(lordHowe.parse("2026-10-04T02:15").toISOString()).toBe("2026-10-03T15:45:00.000Z"); // gap 02:00–02:30
    expect(lordHowe.parse("2026-04-05T01:45").toISOString()).toBe("2026-04-04T14:45:00.000Z"); // first 01:45 (+11)
    expect(lordHowe.parse("2026-04-05T01:45+10:30").toISOString()).toBe("2026-04-04T15:15:00.000Z"); // the second
    expect(calendarIn("Europe/Dublin").parse("2026-10-25T01:30").toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(calendarIn("Pacific/Apia").parse("2011-12-30T12:00").toISOString()).toBe("2011-12-30T22:00:00.000Z");
    expect(calendarIn("UTC").parse(1775120400000).toISOString()).toBe("2026-04-02T09:00:00.000Z");
  });

  it("refuses what is not an instant with INVALID_INSTANT naming options.path", () => {
    const cal = calendarIn("Europe/Dublin");
    for (const bad of ["soon", "09:00", "2026-02-30T09:00", "2026-04-02T09:00+02:00[Europe/Dublin]"]) {
      let error: unknown;
      try {
        cal.parse(bad, { path: "created_at" });
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(SlaClockError);
      expect((error as SlaClockError).code).toBe("INVALID_INSTANT");
      expect((error as SlaClockError).message.startsWith("created_at: ")).toBe(true);
      expect((error as SlaClockError).details.path).toBe("created_at");
    }
    expect(() => cal.parse({} as unknown as string)).toThrow(expect.objectContaining({ code: "INVALID_INSTANT" }));
    expect(() => cal.parse("1800-01-01T00:00Z")).toThrow(expect.objectContaining({ code: "OUT_OF_RANGE" }));
  });
});

describe("the CLI", () => {
  it("reads and writes instants through the public Calendar API, not the internal time helpers", () => {
    const cli = fileURLToPath(new URL("../src/cli", import.meta.url));
    const files = (readdirSync(cli, { recursive: true }) as string[]).filter((f) => f.endsWith(".ts"));
    const offenders = files.filter((f) =>
      /from "(?:\.\.\/)+time\/(?:instant|zone|format)"/.test(readFileSync(join(cli, f), "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
