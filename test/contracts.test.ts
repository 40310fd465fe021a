/**
 * Contract arithmetic from the seeds: MOCH monthly uptime (004), the Trinax time bank (003) and the
 * SoftOne support login (002). Expected values worked out by hand.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  SlaClockError,
  billTimeBank,
  getProvider,
  monthlyUptime,
  supportLoginExpiry,
  trinaxInvoice,
  type Outage,
  type WorkLog,
} from "../src/index";

const MIN = 60_000;

function rejects(fn: () => unknown, code: string, fragment: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SlaClockError);
    expect((e as SlaClockError).code).toBe(code);
    expect((e as SlaClockError).message).toContain(fragment);
    return;
  }
  throw new Error("expected an error");
}

describe("monthlyUptime — 004: 'Månedlig Oppetidsprocent … mindst 99,99%'", () => {
  it("allows 0.01 % of the month and counts overlapping outages once", () => {
    const u = monthlyUptime(
      [
        { start: "2026-02-10T03:00:00Z", end: "2026-02-10T03:03:00Z" },
        { start: "2026-02-10T03:02:00Z", end: "2026-02-10T03:04:00Z" },
        { start: "2026-02-10T03:01:00Z", end: "2026-02-10T03:02:00Z" }, // inside the first
      ],
      "2026-02",
    );
    expect(u).toMatchObject({
      minutesInMonth: 40_320,
      downtimeMs: 4 * MIN,
      downtimeMinutes: 4,
      allowedDowntimeMs: 241_920,
      met: true,
      outagesCounted: 3,
    });
    expect(u.allowedDowntimeMinutes).toBe(4.032);
    expect(u.budgetLeftMs).toBe(241_920 - 240_000);
    expect(u.uptimePercent).toBeCloseTo(100 - (4 / 40_320) * 100, 12);
  });

  it("misses the commitment at 5 minutes in February and clips outages to the month", () => {
    const u = monthlyUptime([{ start: "2026-01-31T23:58:00Z", end: "2026-02-01T00:05:00Z" }], "2026-02");
    expect(u).toMatchObject({ downtimeMs: 5 * MIN, met: false, budgetLeftMs: 241_920 - 300_000 });
    expect(monthlyUptime([{ start: "2026-03-01T00:00:00Z", end: "2026-03-02T00:00:00Z" }], "2026-02").downtimeMs).toBe(
      0,
    );
  });

  it("uses the billing month of a zone, with its real length across DST", () => {
    const u = monthlyUptime([], "2026-03", { zone: "Europe/Copenhagen" });
    expect(u.monthStart.toISOString()).toBe("2026-02-28T23:00:00.000Z");
    expect(u.monthEnd.toISOString()).toBe("2026-03-31T22:00:00.000Z");
    expect(u.minutesInMonth).toBe(31 * 1440 - 60);
    expect(monthlyUptime([], "2026-03", { commitmentPercent: 99.9 }).allowedDowntimeMinutes).toBeCloseTo(44.64, 10);
  });

  it.each<[string, () => unknown, string]>([
    ["a bad month", () => monthlyUptime([], "2026-13"), 'month: "2026-13" is not a month'],
    [
      "an outage that ends before it starts",
      () => monthlyUptime([{ start: "2026-02-10T03:00Z", end: "2026-02-10T02:00Z" }], "2026-02"),
      "outages[0]: end",
    ],
    [
      "a commitment of 0",
      () => monthlyUptime([], "2026-02", { commitmentPercent: 0 }),
      "commitmentPercent must be a number in (0, 100]",
    ],
    ["an unknown zone", () => monthlyUptime([], "2026-02", { zone: "Mars/Base" }), 'zone: "Mars/Base"'],
  ])("rejects %s", (_what, fn, fragment) => rejects(fn, "INVALID_ARGUMENT", fragment));

  it("refuses a month that reaches past the supported range in its zone, and keeps one that does not", () => {
    // December 2200 in New York ends 2201-01-01T05:00Z; January 1900 in Tokyo starts on 1899-12-31.
    rejects(() => monthlyUptime([], "2200-12", { zone: "America/New_York" }), "OUT_OF_RANGE", "2201-01-01T05:00");
    rejects(() => monthlyUptime([], "1900-01", { zone: "Asia/Tokyo" }), "OUT_OF_RANGE", "1899-12-31T15:00");
    expect(monthlyUptime([], "2200-12").monthEnd.toISOString()).toBe("2201-01-01T00:00:00.000Z");
    expect(monthlyUptime([], "1900-01", { zone: "America/New_York" }).monthStart.toISOString()).toBe(
      "1900-01-01T05:00:00.000Z",
    );
  });

  it("rejects a bad instant with its index", () =>
    rejects(
      () => monthlyUptime([{ start: "soon", end: "2026-02-10T02:00Z" }], "2026-02"),
      "INVALID_INSTANT",
      "outages[0].start",
    ));

  it("does not depend on order or on how an outage is split, and more outages never raise uptime", () => {
    const start = Date.UTC(2026, 1, 1);
    const outage = fc
      .tuple(
        fc.integer({ min: start - 86_400_000, max: start + 29 * 86_400_000 }),
        fc.integer({ min: 0, max: 3 * 3_600_000 }),
      )
      .map(([s, len]): Outage => ({ start: s, end: s + len }));
    fc.assert(
      fc.property(
        fc.array(outage, { maxLength: 8 }),
        outage,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (list, extra, cut) => {
          const base = monthlyUptime(list, "2026-02");
          expect(monthlyUptime([...list].reverse(), "2026-02").downtimeMs).toBe(base.downtimeMs);
          const s = extra.start as number;
          const e = extra.end as number;
          const mid = Math.floor(s + (e - s) * cut);
          expect(monthlyUptime([...list, { start: s, end: mid }, { start: mid, end: e }], "2026-02").downtimeMs).toBe(
            monthlyUptime([...list, extra], "2026-02").downtimeMs,
          );
          expect(monthlyUptime([...list, extra], "2026-02").uptimePercent).toBeLessThanOrEqual(base.uptimePercent);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("trinaxInvoice — 003: 'Timbank 15h / kvartal | 6h / kvartal | 4h / år', 'Löpande timpris'", () => {
  const q1: WorkLog[] = [
    { at: "2026-01-12T10:00", hours: 10 },
    { at: "2026-02-03T10:00", hours: 6 },
    { at: "2026-02-20T14:00", hours: 4 },
    { at: "2026-03-05T09:00", hours: 2 },
    { at: "2026-04-07T09:00", hours: 10 },
  ];

  it("draws Alert!'s 15 quarterly hours first and bills the rest at 850 SEK", () => {
    const bill = trinaxInvoice("alert", q1, { from: "2026-01", to: "2026-04" });
    expect(bill.currency).toBe("SEK");
    expect(
      bill.months.map((l) => [
        l.month,
        l.hoursWorked,
        l.bankHoursUsed,
        l.bankHoursLeft,
        l.billableHours,
        l.hourlyCharge,
        l.total,
      ]),
    ).toEqual([
      ["2026-01", 10, 10, 5, 0, 0, 8000],
      ["2026-02", 10, 5, 0, 5, 4250, 12_250],
      ["2026-03", 2, 0, 0, 2, 1700, 9700],
      ["2026-04", 10, 10, 5, 0, 0, 8000], // a new quarter: the bank is full again
    ]);
    expect(bill.totals).toEqual({
      fee: 32_000,
      hoursWorked: 32,
      bankHoursUsed: 25,
      billableHours: 7,
      hourlyCharge: 5950,
      total: 37_950,
    });
  });

  it("lets earlier months of the bank period use up the bank when billing one month", () => {
    expect(trinaxInvoice("alert", q1, { from: "2026-02", to: "2026-02" }).months).toEqual([
      {
        month: "2026-02",
        fee: 8000,
        hoursWorked: 10,
        bankHoursUsed: 5,
        bankHoursLeft: 0,
        billableHours: 5,
        hourlyCharge: 4250,
        total: 12_250,
      },
    ]);
  });

  it("resets Access!'s 4 hours yearly, charges Attend! 890 SEK, and no contract 980 SEK for every hour", () => {
    const year = trinaxInvoice(
      "access",
      [
        { at: "2026-01-10T10:00", hours: 3 },
        { at: "2026-06-10T10:00", hours: 3 },
        { at: "2026-12-10T10:00", hours: 1 },
      ],
      { from: "2026-01", to: "2026-12" },
    );
    expect(year.totals).toEqual({
      fee: 6000,
      hoursWorked: 7,
      bankHoursUsed: 4,
      billableHours: 3,
      hourlyCharge: 2820,
      total: 8820,
    });
    expect(
      trinaxInvoice("attend", [{ at: "2026-05-10T10:00", hours: 7.5 }], { from: "2026-05", to: "2026-05" }).totals
        .hourlyCharge,
    ).toBe(1335);
    const none = trinaxInvoice("none", [{ at: "2026-03-02T09:00", hours: 1.5 }], { from: "2026-03", to: "2026-03" });
    expect(none.totals).toEqual({
      fee: 0,
      hoursWorked: 1.5,
      bankHoursUsed: 0,
      billableHours: 1.5,
      hourlyCharge: 1470,
      total: 1470,
    });
  });

  it("puts a log in its Stockholm month and rounds hours to the hundredth", () => {
    const bill = trinaxInvoice("none", [{ at: "2026-03-31T22:30:00Z", hours: 1 / 3 }], {
      from: "2026-03",
      to: "2026-04",
    });
    expect(bill.months.map((l) => [l.month, l.hoursWorked, l.hourlyCharge])).toEqual([
      ["2026-03", 0, 0],
      ["2026-04", 0.33, 323.4],
    ]);
  });

  it.each<[string, () => unknown, string]>([
    [
      "negative hours",
      () => trinaxInvoice("alert", [{ at: "2026-01-01T10:00", hours: -1 }], { from: "2026-01", to: "2026-01" }),
      "workLogs[0].hours",
    ],
    [
      "a period backwards",
      () => trinaxInvoice("alert", [], { from: "2026-03", to: "2026-01" }),
      "to (2026-01) is before from (2026-03)",
    ],
    [
      "an unknown tier",
      () => trinaxInvoice("gold" as never, [], { from: "2026-01", to: "2026-01" }),
      "use one of alert, attend, access, none",
    ],
    ["a bad month", () => trinaxInvoice("alert", [], { from: "2026-1", to: "2026-01" }), "period.from"],
  ])("rejects %s", (_what, fn, fragment) => rejects(fn, "INVALID_ARGUMENT", fragment));

  it("bills fee + billable hours × rate, and never draws more than the bank in a bank period", () => {
    const log = fc.record({
      at: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) }),
      hours: fc.integer({ min: 0, max: 2000 }).map((h) => h / 100),
    });
    fc.assert(
      fc.property(fc.constantFrom(...getProvider("trinax").tiers), fc.array(log, { maxLength: 20 }), (tier, logs) => {
        const terms = tier.terms!;
        const bill = billTimeBank(terms, logs, { from: "2026-01", to: "2026-12" });
        for (const l of bill.months) expect(l.total).toBeCloseTo(l.fee + l.billableHours * terms.hourlyRate.amount, 6);
        const period = terms.timeBank === null ? 0 : terms.timeBank.period === "year" ? 12 : 3;
        if (period > 0) {
          for (let p = 0; p < 12; p += period) {
            const used = bill.months.slice(p, p + period).reduce((s, l) => s + l.bankHoursUsed, 0);
            expect(used).toBeLessThanOrEqual(terms.timeBank!.hours + 1e-9);
          }
        } else for (const l of bill.months) expect(l.bankHoursUsed).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe("supportLoginExpiry — 002: 'i 8 arbetstimmar framåt (24 eller 72 timmar om det är en fredag)'", () => {
  it.each<[string, 24 | 72 | undefined, string, string]>([
    ["2026-04-01T14:00", undefined, "2026-04-07T10:00+02:00", "Wed 14–16, Skärtorsdagen 08–12, Easter, Tue 08–10"],
    ["2026-04-10T15:00", undefined, "2026-04-13T16:00+02:00", "a Friday without a choice: 8 working hours"],
    ["2026-04-10T15:00", 24, "2026-04-11T15:00+02:00", "Friday, 24 hours"],
    ["2026-03-27T12:00", 72, "2026-03-30T13:00+02:00", "Friday, 72 elapsed hours across the DST switch"],
  ])("granted %s with choice %s expires %s (%s)", (granted, fridayChoice, expected) => {
    const options = fridayChoice === undefined ? {} : { fridayChoice };
    expect(supportLoginExpiry(granted, options).getTime()).toBe(Date.parse(expected));
  });

  it("refuses the Friday choice on another day, and other choices", () => {
    rejects(
      () => supportLoginExpiry("2026-04-07T10:00", { fridayChoice: 24 }),
      "INVALID_ARGUMENT",
      "granted on a Tuesday (2026-04-07 in Europe/Stockholm)",
    );
    rejects(
      () => supportLoginExpiry("2026-04-10T10:00", { fridayChoice: 48 as never }),
      "INVALID_ARGUMENT",
      "fridayChoice must be 24 or 72",
    );
  });
});

describe("contract input edges", () => {
  it("sums a month's hours before rounding them, so three thirds of an hour are one hour", () => {
    const third = { at: "2026-03-02T09:00", hours: 1 / 3 };
    expect(trinaxInvoice("none", [third, third, third], { from: "2026-03", to: "2026-03" }).totals).toMatchObject({
      hoursWorked: 1,
      hourlyCharge: 980,
    });
    expect(
      trinaxInvoice("none", [{ at: "2026-03-02T09:00", hours: 1.005 }], { from: "2026-03", to: "2026-03" }).totals
        .hoursWorked,
    ).toBe(1.01);
  });

  it("answers bad terms and bad options with typed errors", () => {
    rejects(
      () => billTimeBank(null as never, [], { from: "2026-01", to: "2026-01" }),
      "INVALID_ARGUMENT",
      "terms: expected ContractTerms",
    );
    rejects(
      () =>
        billTimeBank({ ...getProvider("trinax").tiers[0]!.terms!, hourlyRate: { amount: -1, currency: "SEK" } }, [], {
          from: "2026-01",
          to: "2026-01",
        }),
      "INVALID_ARGUMENT",
      "terms.hourlyRate",
    );
    rejects(
      () => supportLoginExpiry("2026-04-10T15:00", null as never),
      "INVALID_ARGUMENT",
      "options must be an object",
    );
  });
});
