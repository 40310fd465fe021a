/**
 * calendar.exportIndex: the tables hold the calendar's open time exactly, the identity names what
 * they were made from, and a bad range or a too-large export is a typed error.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SlaClockError, businessMsBetweenSql, createCalendar, getCalendar } from "../src/index";
import { LIBRARY_VERSION } from "../src/util/version";
import { engineOf } from "../src/calendar/calendar";
import { prng } from "../bench/workload";

const H = 3_600_000;

describe("calendar.exportIndex", () => {
  const cal = getCalendar("softone-se");

  it("gives the stretches of the eve of Good Friday with their hours", () => {
    const ex = cal.exportIndex("2026-04-02T00:00Z", "2026-04-03T00:00Z", { generatedAt: "2026-04-02T12:00Z" });
    expect(ex.intervals.rows).toBe(1);
    expect(Array.from(ex.intervals.data, (c) => c[0])).toEqual([
      0,
      Date.parse("2026-04-02T06:00Z"),
      Date.parse("2026-04-02T10:00Z"),
      0,
    ]);
    expect(ex.hours.rows).toBe(4);
    expect(Array.from(ex.hours.data[3]!)).toEqual([0, 1, 2, 3].map((k) => Date.parse("2026-04-02T06:00Z") + k * H));
    // One UTC day: its first row at midnight, then the stretch.
    expect(ex.days.rows).toBe(2);
    expect(ex.identity).toEqual({
      calendarId: "softone-se",
      calendarName: cal.spec.name,
      zone: "Europe/Stockholm",
      specHash: expect.stringMatching(/^fnv1a64:[0-9a-f]{16}$/),
      fromMs: Date.parse("2026-04-02T00:00Z"),
      toMs: Date.parse("2026-04-03T00:00Z"),
      generatedAt: "2026-04-02T12:00:00.000Z",
      libraryVersion: LIBRARY_VERSION,
      dayMs: 86_400_000,
      bucketMs: H,
    });
  });

  it("writes the package's version, and a spec hash that follows the spec, not its key order", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(LIBRARY_VERSION).toBe(pkg.version);
    const a = createCalendar({ zone: "UTC", weekly: { mon: [["09:00", "17:00"]] }, id: "x" });
    const b = createCalendar({ id: "x", weekly: { mon: [["09:00", "17:00"]] }, zone: "UTC" });
    const c = createCalendar({ id: "x", weekly: { mon: [["09:00", "16:00"]] }, zone: "UTC" });
    const hash = (k: typeof a) => k.exportIndex("2026-01-01", "2026-02-01").identity.specHash;
    expect(hash(a)).toBe(hash(b));
    expect(hash(a)).not.toBe(hash(c));
  });

  it("has running totals that agree with businessTimeBetween at every stretch and day", () => {
    const from = Date.parse("2025-10-20T13:17:00Z");
    const ex = cal.exportIndex(from, "2026-04-10T00:00Z");
    const [, starts, ends, cum] = ex.intervals.data;
    for (let i = 0; i < ex.intervals.rows; i++) {
      expect(cum![i]).toBe(cal.businessTimeBetween(from, starts![i]!));
      expect(cal.businessTimeBetween(starts![i]!, ends![i]!)).toBe(ends![i]! - starts![i]!);
    }
    const [, validFrom, , dayStart, , dayCum] = ex.days.data;
    for (let r = 0; r < ex.days.rows; r++) expect(dayCum![r]).toBe(cal.businessTimeBetween(from, dayStart![r]!));
    expect(validFrom![0]).toBe(from);
    const [, cumFrom, cumTo, hourStart] = ex.hours.data;
    for (let r = 0; r < ex.hours.rows; r++) {
      expect(cal.businessTimeBetween(from, hourStart![r]!)).toBe(cumFrom![r]);
      expect(r === 0 ? 0 : cumTo![r - 1]).toBe(cumFrom![r]); // the axis is covered without gaps
    }
  });

  it("refuses an empty or reversed range and bad options with INVALID_ARGUMENT", () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof SlaClockError ? e.code : e;
      }
      return "no error";
    };
    expect(code(() => cal.exportIndex("2026-02-01", "2026-01-01"))).toBe("INVALID_ARGUMENT");
    expect(code(() => cal.exportIndex("2026-02-01", "2026-02-01"))).toBe("INVALID_ARGUMENT");
    expect(code(() => cal.exportIndex("2026-01-01", "2026-02-01", null as never))).toBe("INVALID_ARGUMENT");
    expect(code(() => cal.exportIndex("1899-01-01", "2026-02-01"))).toBe("OUT_OF_RANGE");
    expect(code(() => businessMsBetweenSql("mysql" as never, "pairs"))).toBe("INVALID_ARGUMENT");
  });

  it("reaches the end of the supported range: to is exclusive, so 2201-01-01T00:00Z itself is a valid end", () => {
    const end = Date.parse("2201-01-01T00:00Z");
    for (const to of ["2201-01-01T00:00Z", end, new Date(end)]) {
      const ex = cal.exportIndex("2200-12-01T00:00Z", to, { generatedAt: "2026-01-01T00:00Z" });
      expect(ex.identity.toMs).toBe(end);
      expect(ex.days.data[2]![ex.days.rows - 1]).toBe(end); // the last day's rows stop at the end
    }
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof SlaClockError ? [e.code, e.details.path] : e;
      }
      return "no error";
    };
    // Past it, and a start at it (from is inclusive), stay out of range.
    expect(code(() => cal.exportIndex("2200-12-01T00:00Z", end + 1))).toEqual(["OUT_OF_RANGE", "to"]);
    expect(code(() => cal.exportIndex(end, end + 1))).toEqual(["OUT_OF_RANGE", "from"]);
  });

  // The lookups of targetDeadlineSql, done in plain code over the rows: what an engine computes.
  it.each([
    ["Pacific/Apia", "2011-11-01T00:00Z", "2012-02-01T00:00Z"], // 2011-12-30 skipped
    ["Australia/Lord_Howe", "2025-09-20T00:00Z", "2026-05-01T00:00Z"], // 30-minute shifts
    ["Europe/Stockholm", "2026-01-01T00:00Z", "2027-01-01T00:00Z"],
  ])("gives %s's offsets both ways as the library does, and its business days' closes", (zone, from, to) => {
    // Hours around the DST changes (01:00–03:00), a split day and an overnight shift.
    const early: [string, string][] = [
      ["01:00", "02:15"],
      ["09:00", "12:00"],
      ["13:00", "17:00"],
    ];
    const cal = createCalendar({
      zone,
      weekly: {
        sun: early,
        mon: [["22:00", "00:30"]],
        wed: early,
        thu: [["09:00", "17:00"]],
        fri: [["08:00", "12:00"]],
      },
    });
    const zoneRules = engineOf(cal).zone;
    const ex = cal.exportIndex(from, to);
    const { fromMs, toMs } = ex.identity;
    const D = 86_400_000;
    /** The rows of a table by their first column (the join key), as an engine would find them. */
    const byKey = (t: typeof ex.offsets) => {
      const map = new Map<number, number[][]>();
      for (let r = 0; r < t.rows; r++) {
        const row = t.data.map((c) => c[r]!);
        map.set(row[0]!, [...(map.get(row[0]!) ?? []), row]);
      }
      return (key: number) => map.get(key) ?? [];
    };
    const offsets = byKey(ex.offsets);
    const walls = byKey(ex.walls);
    const closes = byKey(ex.closes);
    const random = prng(18);
    for (let n = 0; n < 5_000; n++) {
      const t = fromMs + Math.floor(random() * (toMs - fromMs));
      const day = Math.floor(t / D);
      const piece = offsets(day).filter(([, s, e]) => s! <= t && t < e!);
      expect(piece.map((p) => p[3])).toEqual([zoneRules.offsetAt(t)]);
      const w = Math.floor(zoneRules.instantToWall(t) / D) * D + Math.floor(random() * D); // any wall time that day
      const back = walls(Math.floor(w / D)).filter(([, s, e]) => s! <= w && w < e!);
      expect(back.map((p) => w - p[3]!)).toEqual([zoneRules.wallToInstant(w)]);
      const candidates = closes(day).filter(([, vf, vt, c]) => vf! <= t && t < vt! && c! > t);
      let due: number | null;
      try {
        due = cal.endOfBusinessDay(t).getTime();
      } catch {
        due = null;
      }
      const sql = candidates.length === 0 ? null : Math.min(...candidates.map((c) => c[3]!));
      expect(sql).toBe(due !== null && due <= toMs ? due : null);
    }
  });
});
