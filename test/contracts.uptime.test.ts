/**
 * MOCH monthly uptime (seed 004): "Månedlig Oppetidsprocent beregnes ved at trække procentdelen af
 * minutter i løbet af den måned, hvor Softwaren og Services ikke var tilgængelige for Kunden, fra
 * 100%", committed at "mindst 99,99%". Every expected value below was worked out by hand from the
 * month's length (comments show the arithmetic); none is produced by the code under test.
 */
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { monthlyUptime, type Outage } from "../src/index";
import { thrown } from "./support/errors";

const SEC = 1000;
const MIN = 60_000;
const FEB_2026 = "2026-02";
const FEB_START = Date.UTC(2026, 1, 1);
const MAR_START = Date.UTC(2026, 2, 1);

describe("004 'procentdelen af minutter i løbet af den måned': the month and its allowance", () => {
  // [month, zone, monthStart, monthEnd, minutes in the month, allowed downtime ms at 99.99 %]
  // The allowance is 0.01 % of the month: minutes × 60 000 ms ÷ 10 000 = minutes × 6 ms.
  it.each<[string, string, string, string, number, number]>([
    // 28 × 1440 = 40 320 min; 40 320 × 6 = 241 920 ms (4.032 min).
    ["2026-02", "UTC", "2026-02-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z", 40_320, 241_920],
    // Leap year: 29 × 1440 = 41 760 min → 250 560 ms.
    ["2024-02", "UTC", "2024-02-01T00:00:00.000Z", "2024-03-01T00:00:00.000Z", 41_760, 250_560],
    // 30 × 1440 = 43 200 min → 259 200 ms.
    ["2026-04", "UTC", "2026-04-01T00:00:00.000Z", "2026-05-01T00:00:00.000Z", 43_200, 259_200],
    // Copenhagen springs forward on 29 March: 31 × 1440 − 60 = 44 580 min → 267 480 ms.
    ["2026-03", "Europe/Copenhagen", "2026-02-28T23:00:00.000Z", "2026-03-31T22:00:00.000Z", 44_580, 267_480],
    // Copenhagen falls back on 25 October: 31 × 1440 + 60 = 44 700 min → 268 200 ms.
    ["2026-10", "Europe/Copenhagen", "2026-09-30T22:00:00.000Z", "2026-10-31T23:00:00.000Z", 44_700, 268_200],
    // Santiago springs forward (−04 → −03) on 6 September: 30 × 1440 − 60 = 43 140 min → 258 840 ms.
    ["2026-09", "America/Santiago", "2026-09-01T04:00:00.000Z", "2026-10-01T03:00:00.000Z", 43_140, 258_840],
    // Lord Howe moves by half an hour (+10:30 → +11) on 4 October: 44 640 − 30 = 44 610 min → 267 660 ms.
    ["2026-10", "Australia/Lord_Howe", "2026-09-30T13:30:00.000Z", "2026-10-31T13:00:00.000Z", 44_610, 267_660],
  ])("%s in %s runs %s … %s: %d minutes, %d ms allowed", (month, zone, start, end, minutes, allowedMs) => {
    const u = monthlyUptime([], month, { zone });
    expect(u.month).toBe(month);
    expect(u.monthStart.toISOString()).toBe(start);
    expect(u.monthEnd.toISOString()).toBe(end);
    expect(u.minutesInMonth).toBe(minutes);
    expect(u.allowedDowntimeMs).toBe(allowedMs);
    expect(u.allowedDowntimeMinutes).toBe(allowedMs / MIN);
    expect(u).toMatchObject({
      downtimeMs: 0,
      downtimeMinutes: 0,
      uptimePercent: 100,
      commitmentPercent: 99.99,
      budgetLeftMs: allowedMs,
      met: true,
      outagesCounted: 0,
    });
  });

  // [commitment, month, allowed ms]: (100 − commitment) % of the month.
  it.each<[number, string, number]>([
    [99.9, "2026-04", 2_592_000], // 0.1 % of 2 592 000 000 ms = 43.2 min
    [99.5, "2026-02", 12_096_000], // 0.5 % of 2 419 200 000 ms = 201.6 min
    [99.999, "2026-01", 26_784], // 0.001 % of 2 678 400 000 ms = 26.784 s
    [100, "2026-02", 0],
    [50, "2026-02", 1_209_600_000], // half of February
  ])("a commitment of %d %% in %s allows %d ms", (commitmentPercent, month, allowedMs) => {
    const u = monthlyUptime([], month, { commitmentPercent });
    expect(u.commitmentPercent).toBe(commitmentPercent);
    expect(u.allowedDowntimeMs).toBe(allowedMs);
  });
});

describe("004 'minutter … hvor Softwaren og Services ikke var tilgængelige': downtime in February 2026 (UTC)", () => {
  // February 2026 has 40 320 minutes; 99.99 % allows 241 920 ms (4.032 min).
  // [what, outages, downtime ms, outages counted, met]
  it.each<[string, Outage[], number, number, boolean]>([
    ["no outage", [], 0, 0, true],
    ["one outage of 4 minutes", [{ start: "2026-02-10T10:00:00Z", end: "2026-02-10T10:04:00Z" }], 4 * MIN, 1, true],
    [
      "overlapping and touching outages, counted once (10:00–10:04)",
      [
        { start: "2026-02-10T10:00:00Z", end: "2026-02-10T10:02:00Z" },
        { start: "2026-02-10T10:01:00Z", end: "2026-02-10T10:03:00Z" },
        { start: "2026-02-10T10:03:00Z", end: "2026-02-10T10:04:00Z" },
      ],
      4 * MIN,
      3,
      true,
    ],
    [
      "the same outage twice",
      [
        { start: "2026-02-10T10:00:00Z", end: "2026-02-10T10:03:00Z" },
        { start: "2026-02-10T10:00:00Z", end: "2026-02-10T10:03:00Z" },
      ],
      3 * MIN,
      2,
      true,
    ],
    [
      "outages across both month ends, clipped: 30 s + 60 s",
      [
        { start: "2026-01-31T23:59:30Z", end: "2026-02-01T00:00:30Z" },
        { start: "2026-02-28T23:59:00Z", end: "2026-03-01T00:10:00Z" },
      ],
      90 * SEC,
      2,
      true,
    ],
    [
      "outages wholly outside the month",
      [
        { start: "2026-01-31T23:00:00Z", end: "2026-02-01T00:00:00Z" }, // ends as February begins
        { start: "2026-03-01T00:00:00Z", end: "2026-03-02T00:00:00Z" },
      ],
      0,
      0,
      true,
    ],
    ["a zero-length outage", [{ start: "2026-02-10T10:00:00Z", end: "2026-02-10T10:00:00Z" }], 0, 0, true],
    ["half a minute", [{ start: "2026-02-10T10:00:00Z", end: "2026-02-10T10:00:30Z" }], 30 * SEC, 1, true],
    [
      "exactly the allowance (4 min 1.920 s)",
      [{ start: "2026-02-10T10:00:00.000Z", end: "2026-02-10T10:04:01.920Z" }],
      241_920,
      1,
      true,
    ],
    [
      "one millisecond more than the allowance",
      [{ start: "2026-02-10T10:00:00.000Z", end: "2026-02-10T10:04:01.921Z" }],
      241_921,
      1,
      false,
    ],
    ["5 minutes: missed", [{ start: "2026-02-10T10:00:00Z", end: "2026-02-10T10:05:00Z" }], 5 * MIN, 1, false],
    [
      "an outage longer than the month",
      [{ start: "2026-01-15T00:00:00Z", end: "2026-03-15T00:00:00Z" }],
      40_320 * MIN,
      1,
      false,
    ],
  ])("%s", (_what, outages, downtimeMs, outagesCounted, met) => {
    const u = monthlyUptime(outages, FEB_2026);
    expect(u.downtimeMs).toBe(downtimeMs);
    expect(u.downtimeMinutes).toBe(downtimeMs / MIN);
    expect(u.outagesCounted).toBe(outagesCounted);
    expect(u.met).toBe(met);
    expect(u.budgetLeftMs).toBe(241_920 - downtimeMs);
  });

  // [downtime ms, uptime %]: 100 − downtime ÷ 2 419 200 000 × 100.
  it.each<[number, number]>([
    [0, 100],
    [4 * MIN, 99.99007936507937], // 100 − 4 ÷ 40 320 × 100 = 100 − 0.0099206349…
    [241_920, 99.99], // exactly the commitment
    [5 * MIN, 100 - (5 / 40_320) * 100], // 99.98759920634920…
    [40_320 * MIN, 0],
  ])("%d ms of downtime is %d %% uptime", (ms, percent) => {
    const u = monthlyUptime([{ start: FEB_START, end: FEB_START + ms }], FEB_2026);
    expect(u.uptimePercent).toBeCloseTo(percent, 10);
  });

  it("reads a 100 % commitment as 'no downtime at all'", () => {
    expect(monthlyUptime([], FEB_2026, { commitmentPercent: 100 }).met).toBe(true);
    const u = monthlyUptime([{ start: FEB_START, end: FEB_START + 1 }], FEB_2026, { commitmentPercent: 100 });
    expect(u).toMatchObject({ met: false, budgetLeftMs: -1, allowedDowntimeMs: 0 });
  });

  it("accepts every instant form: Date, epoch ms, luxon DateTime, ISO with an offset", () => {
    const u = monthlyUptime(
      [
        { start: new Date("2026-02-03T10:00:00Z"), end: Date.UTC(2026, 1, 3, 10, 1) }, // 10:00–10:01
        { start: DateTime.fromISO("2026-02-03T11:00:30", { zone: "Europe/Oslo" }), end: "2026-02-03T10:02:00Z" }, // 10:00:30–10:02
      ],
      FEB_2026,
    );
    expect(u.downtimeMs).toBe(2 * MIN);
  });
});

describe("004: the billing month in a zone, independent of the host's zone", () => {
  it("reads instants without an offset as wall time in the month's zone", () => {
    // Copenhagen wall time 2026-03-10 10:00–10:30 (+01:00): 30 minutes in any zone's month.
    const outage = { start: "2026-03-10T10:00", end: "2026-03-10T10:30" };
    expect(monthlyUptime([outage], "2026-03", { zone: "Europe/Copenhagen" }).downtimeMs).toBe(30 * MIN);
    // In UTC the same strings are UTC wall time, still 30 minutes.
    expect(monthlyUptime([outage], "2026-03").downtimeMs).toBe(30 * MIN);
  });

  it("clips to the zone's month: 23:30Z–00:30Z around 1 March is all March in Copenhagen, half in UTC", () => {
    const outage = { start: "2026-02-28T23:30:00Z", end: "2026-03-01T00:30:00Z" };
    // Copenhagen's March begins at 2026-02-28T23:00Z, so the whole hour is March.
    expect(monthlyUptime([outage], "2026-03", { zone: "Europe/Copenhagen" }).downtimeMs).toBe(60 * MIN);
    // UTC's March begins at 2026-03-01T00:00Z: 30 minutes.
    expect(monthlyUptime([outage], "2026-03").downtimeMs).toBe(30 * MIN);
    expect(monthlyUptime([outage], "2026-02").downtimeMs).toBe(30 * MIN);
    expect(monthlyUptime([outage], "2026-02", { zone: "Europe/Copenhagen" }).downtimeMs).toBe(0);
  });

  it("counts elapsed time through the repeated hour of the autumn switch", () => {
    // 2026-10-25 00:30Z–01:30Z is 02:30 CEST → 02:30 CET on the wall: zero by the clock, an hour in fact.
    const u = monthlyUptime([{ start: "2026-10-25T00:30:00Z", end: "2026-10-25T01:30:00Z" }], "2026-10", {
      zone: "Europe/Copenhagen",
    });
    expect(u.downtimeMs).toBe(60 * MIN);
    expect(u.minutesInMonth).toBe(44_700);
  });
});

describe("monthlyUptime results", () => {
  it("are frozen, with Date bounds", () => {
    const u = monthlyUptime([{ start: FEB_START, end: FEB_START + MIN }], FEB_2026);
    expect(Object.isFrozen(u)).toBe(true);
    expect(u.monthStart).toBeInstanceOf(Date);
    expect(u.monthEnd.getTime()).toBe(MAR_START);
  });
});

describe("monthlyUptime errors", () => {
  const MONTH_HINT = 'use "YYYY-MM" between 1900-01 and 2200-12';

  it.each<[string, unknown, string]>([
    ["month 13", "2026-13", `month: "2026-13" is not a month; ${MONTH_HINT}`],
    ["month 00", "2026-00", `month: "2026-00" is not a month; ${MONTH_HINT}`],
    ["a one-digit month", "2026-2", `month: "2026-2" is not a month; ${MONTH_HINT}`],
    ["a full date", "2026-02-01", `month: "2026-02-01" is not a month; ${MONTH_HINT}`],
    ["a year before 1900", "1899-12", `month: "1899-12" is not a month; ${MONTH_HINT}`],
    ["a year after 2200", "2201-01", `month: "2201-01" is not a month; ${MONTH_HINT}`],
    ["a number", 202602, `month: 202602 is not a month; ${MONTH_HINT}`],
  ])("rejects %s as the month", (_what, month, message) => {
    const e = thrown(() => monthlyUptime([], month as string));
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toBe(message);
    expect(e.details.value).toBe(month);
  });

  it("names the outage whose end is before its start", () => {
    const e = thrown(() =>
      monthlyUptime(
        [
          { start: "2026-02-10T01:00:00Z", end: "2026-02-10T02:00:00Z" },
          { start: "2026-02-10T03:00:00Z", end: "2026-02-10T02:00:00Z" },
        ],
        FEB_2026,
      ),
    );
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toBe("outages[1]: end (2026-02-10T02:00:00.000Z) is before start (2026-02-10T03:00:00.000Z)");
    expect(e.details.index).toBe(1);
  });

  it.each<[string, Outage, string, string]>([
    [
      "an unparseable string",
      { start: "2026-02-10T01:00:00Z", end: "yesterday" },
      "INVALID_INSTANT",
      'outages[2].end: "yesterday" is not an ISO-8601 date-time',
    ],
    [
      "NaN",
      { start: Number.NaN, end: "2026-02-10T01:00:00Z" },
      "INVALID_INSTANT",
      "outages[2].start: NaN is not a finite number of epoch milliseconds",
    ],
    [
      "an Invalid Date",
      { start: new Date("nope"), end: "2026-02-10T01:00:00Z" },
      "INVALID_INSTANT",
      "outages[2].start: Invalid Date",
    ],
    [
      "an instant after 2200",
      { start: "2026-02-10T01:00:00Z", end: "2201-01-01T00:00:00Z" },
      "OUT_OF_RANGE",
      "outages[2].end: 2201-01-01T00:00:00.000Z is out of range; supported instants lie between 1900-01-01 and 2200-12-31",
    ],
  ])("names the outage and field of %s", (_what, bad, code, message) => {
    const ok = { start: "2026-02-10T01:00:00Z", end: "2026-02-10T02:00:00Z" };
    const e = thrown(() => monthlyUptime([ok, ok, bad], FEB_2026));
    expect(e.code).toBe(code);
    expect(e.message.startsWith(message)).toBe(true);
    expect(e.details.path).toBe(message.slice(0, message.indexOf(":")));
  });

  it("rejects an outage that is not an object, and outages that are not an array", () => {
    const e = thrown(() => monthlyUptime([null as unknown as Outage], FEB_2026));
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toBe("outages[0]: expected { start, end }");
    expect(e.details.index).toBe(0);
    const f = thrown(() => monthlyUptime("none" as unknown as Outage[], FEB_2026));
    expect(f.code).toBe("INVALID_ARGUMENT");
    expect(f.message).toBe("outages must be an array of { start, end }");
  });

  it.each<[unknown, string]>([
    [0, "0"],
    [-1, "-1"],
    [100.01, "100.01"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    ["99.99", '"99.99"'], // a string, shown as one
  ])("rejects a commitment of %s (it must lie in (0, 100])", (commitmentPercent, shown) => {
    const e = thrown(() => monthlyUptime([], FEB_2026, { commitmentPercent: commitmentPercent as number }));
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toBe(`commitmentPercent must be a number in (0, 100], got ${shown}`);
  });

  it("rejects an unknown zone", () => {
    const e = thrown(() => monthlyUptime([], FEB_2026, { zone: "Mars/Olympus_Mons" }));
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toBe(
      'zone: "Mars/Olympus_Mons" is not an IANA time zone known to this runtime (e.g. "Europe/Stockholm")',
    );
  });
});

describe("monthlyUptime properties", () => {
  // Outages from a day before February to a day after it, up to three hours long, on whole seconds
  // so that splits and overlaps are frequent.
  const outage = fc
    .tuple(fc.integer({ min: -86_400, max: 29 * 86_400 }), fc.integer({ min: 0, max: 3 * 3600 }))
    .map(([s, len]): { start: number; end: number } => ({
      start: FEB_START + s * SEC,
      end: FEB_START + (s + len) * SEC,
    }));
  const outages = fc.array(outage, { maxLength: 10 });

  /** An independent measure of the union: cut at every endpoint, keep the covered pieces. */
  function unionInFebruary(list: readonly { start: number; end: number }[]): number {
    const cuts = [...new Set([FEB_START, MAR_START, ...list.flatMap((o) => [o.start, o.end])])]
      .filter((t) => t >= FEB_START && t <= MAR_START)
      .sort((a, b) => a - b);
    let total = 0;
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [a, b] = [cuts[i]!, cuts[i + 1]!];
      if (list.some((o) => o.start <= a && o.end >= b)) total += b - a;
    }
    return total;
  }

  it("agrees with a piecewise measure of the union of the outages, clipped to the month", () => {
    fc.assert(
      fc.property(outages, (list) => {
        expect(monthlyUptime(list, FEB_2026).downtimeMs).toBe(unionInFebruary(list));
      }),
      { numRuns: 400 },
    );
  });

  it("does not change when outages are reordered, duplicated, merged or split", () => {
    fc.assert(
      fc.property(
        outages,
        fc.array(fc.nat(), { minLength: 10, maxLength: 10 }),
        outage,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (list, keys, extra, cut) => {
          const base = monthlyUptime([...list, extra], FEB_2026);
          const shuffled = [...list, extra]
            .map((o, i) => ({ o, k: keys[i % keys.length]! + i / 100 }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.o);
          expect(monthlyUptime(shuffled, FEB_2026).downtimeMs).toBe(base.downtimeMs);
          expect(monthlyUptime([...list, extra, ...list], FEB_2026).downtimeMs).toBe(base.downtimeMs);
          const mid = Math.round(extra.start + (extra.end - extra.start) * cut);
          const split = [...list, { start: extra.start, end: mid }, { start: mid, end: extra.end }];
          const splitResult = monthlyUptime(split, FEB_2026);
          expect(splitResult.downtimeMs).toBe(base.downtimeMs);
          expect(splitResult.uptimePercent).toBe(base.uptimePercent);
          expect(splitResult.met).toBe(base.met);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never raises uptime when an outage is added, and keeps budget = allowance − downtime", () => {
    fc.assert(
      fc.property(outages, outage, (list, extra) => {
        const before = monthlyUptime(list, FEB_2026);
        const after = monthlyUptime([...list, extra], FEB_2026);
        expect(after.downtimeMs).toBeGreaterThanOrEqual(before.downtimeMs);
        expect(after.uptimePercent).toBeLessThanOrEqual(before.uptimePercent);
        if (!before.met) expect(after.met).toBe(false);
        for (const u of [before, after]) {
          expect(u.budgetLeftMs).toBe(241_920 - u.downtimeMs);
          expect(u.met).toBe(u.downtimeMs <= 241_920);
          expect(u.uptimePercent).toBeGreaterThanOrEqual(0);
          expect(u.uptimePercent).toBeLessThanOrEqual(100);
        }
      }),
      { numRuns: 300 },
    );
  });
});
