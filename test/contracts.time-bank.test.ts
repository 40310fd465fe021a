/**
 * Trinax time bank (seed 003): "Timbank 15h / kvartal | 6h / kvartal | 4h / år", "Fast
 * månadsavgift 8 000 kr | 3 000 kr | 500 kr", "Löpande timpris (8-17) 850 kr | 890 kr | 940 kr |
 * 980 kr" for Alert! / Attend! / Access! / no contract. Reading: hours are drawn from the bank
 * first, the rest is billed at the hourly rate, unused bank hours expire at the end of the bank
 * period (calendar quarter or year in Europe/Stockholm). Every expected value below was worked out
 * by hand; none is produced by the code under test.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  billTimeBank,
  trinaxInvoice,
  type BillingPeriod,
  type ContractTerms,
  type Invoice,
  type TrinaxTier,
  type WorkLog,
} from "../src/index";
import { TRINAX_TERMS } from "../src/presets/trinax";
import { thrown } from "./support/errors";

type Row = [
  month: string,
  fee: number,
  hoursWorked: number,
  bankHoursUsed: number,
  bankHoursLeft: number,
  billableHours: number,
  hourlyCharge: number,
  total: number,
];
const rows = (bill: Invoice): Row[] =>
  bill.months.map((l) => [
    l.month,
    l.fee,
    l.hoursWorked,
    l.bankHoursUsed,
    l.bankHoursLeft,
    l.billableHours,
    l.hourlyCharge,
    l.total,
  ]);

describe("003 Alert!: 'Timbank 15h / kvartal', 8 000 kr a month, 850 kr an hour beyond the bank", () => {
  const logs: WorkLog[] = [
    { at: "2026-01-15T10:00", hours: 3, ticketId: "A-1" },
    { at: "2026-01-28T13:00", hours: 4.5, ticketId: "A-2" },
    { at: "2026-02-10T09:00", hours: 6 },
    { at: "2026-03-03T09:00", hours: 2.25 },
    { at: "2026-03-30T15:00", hours: 1 },
  ];
  // Jan 7.5 h from the bank (7.5 left); Feb 6 h from the bank (1.5 left); Mar 3.25 h: 1.5 from the
  // bank, 1.75 h × 850 = 1 487.50 kr.
  const JAN: Row = ["2026-01", 8000, 7.5, 7.5, 7.5, 0, 0, 8000];
  const FEB: Row = ["2026-02", 8000, 6, 6, 1.5, 0, 0, 8000];
  const MAR: Row = ["2026-03", 8000, 3.25, 1.5, 0, 1.75, 1487.5, 9487.5];

  it("bills the first quarter month by month", () => {
    const bill = trinaxInvoice("alert", logs, { from: "2026-01", to: "2026-03" });
    expect(bill.currency).toBe("SEK");
    expect(rows(bill)).toEqual([JAN, FEB, MAR]);
    expect(bill.totals).toEqual({
      fee: 24_000,
      hoursWorked: 16.75,
      bankHoursUsed: 15,
      billableHours: 1.75,
      hourlyCharge: 1487.5,
      total: 25_487.5,
    });
  });

  it("knows what January and February used when billing March alone", () => {
    const bill = trinaxInvoice("alert", logs, { from: "2026-03", to: "2026-03" });
    expect(rows(bill)).toEqual([MAR]);
    expect(bill.totals).toEqual({
      fee: 8000,
      hoursWorked: 3.25,
      bankHoursUsed: 1.5,
      billableHours: 1.75,
      hourlyCharge: 1487.5,
      total: 9487.5,
    });
    expect(rows(trinaxInvoice("alert", logs, { from: "2026-02", to: "2026-03" }))).toEqual([FEB, MAR]);
  });

  it("ignores hours of the previous quarter: the bank is full again on 1 January", () => {
    // December's 20 h belong to Q4 2025; January's 16 h draw 15 from a full bank, 1 h × 850.
    const bill = trinaxInvoice(
      "alert",
      [
        { at: "2025-12-20T10:00", hours: 20 },
        { at: "2026-01-05T10:00", hours: 16 },
      ],
      { from: "2026-01", to: "2026-01" },
    );
    expect(rows(bill)).toEqual([["2026-01", 8000, 16, 15, 0, 1, 850, 8850]]);
  });
});

describe("003 Attend!: 'Timbank … 6h / kvartal', 3 000 kr a month, 890 kr an hour", () => {
  it("bills April–July across a quarter boundary and ignores logs outside the period", () => {
    const bill = trinaxInvoice(
      "attend",
      [
        { at: "2026-03-31T16:00", hours: 3 }, // Q1: a different bank period, ignored
        { at: "2026-04-14T10:00", hours: 2 },
        { at: "2026-05-05T10:00", hours: 5 },
        { at: "2026-07-01T08:00", hours: 7 },
        { at: "2026-08-03T10:00", hours: 4 }, // after the period, ignored
      ],
      { from: "2026-04", to: "2026-07" },
    );
    // Apr 2 h from the bank (4 left); May 5 h: 4 from the bank, 1 × 890; Jun nothing; Jul a new
    // quarter: 6 from the bank, 1 × 890.
    expect(rows(bill)).toEqual([
      ["2026-04", 3000, 2, 2, 4, 0, 0, 3000],
      ["2026-05", 3000, 5, 4, 0, 1, 890, 3890],
      ["2026-06", 3000, 0, 0, 0, 0, 0, 3000],
      ["2026-07", 3000, 7, 6, 0, 1, 890, 3890],
    ]);
    expect(bill.totals).toEqual({
      fee: 12_000,
      hoursWorked: 14,
      bankHoursUsed: 12,
      billableHours: 2,
      hourlyCharge: 1780,
      total: 13_780,
    });
  });
});

describe("003 Access!: 'Timbank … 4h / år', 500 kr a month, 940 kr an hour", () => {
  it("resets the bank on 1 January and lets March's hours use up the 2026 bank", () => {
    const bill = trinaxInvoice(
      "access",
      [
        { at: "2026-03-10T10:00", hours: 2.5 }, // before the period, same bank year: 1.5 h left
        { at: "2026-11-02T10:00", hours: 1 },
        { at: "2026-12-01T10:00", hours: 1 },
        { at: "2027-01-11T10:00", hours: 3 },
        { at: "2027-02-01T10:00", hours: 2 },
      ],
      { from: "2026-11", to: "2027-02" },
    );
    // Nov 1 h from the bank (0.5 left); Dec 1 h: 0.5 from the bank, 0.5 × 940 = 470; Jan a new
    // year: 3 from the bank (1 left); Feb 2 h: 1 from the bank, 1 × 940.
    expect(rows(bill)).toEqual([
      ["2026-11", 500, 1, 1, 0.5, 0, 0, 500],
      ["2026-12", 500, 1, 0.5, 0, 0.5, 470, 970],
      ["2027-01", 500, 3, 3, 1, 0, 0, 500],
      ["2027-02", 500, 2, 1, 0, 1, 940, 1440],
    ]);
    expect(bill.totals).toEqual({
      fee: 2000,
      hoursWorked: 7,
      bankHoursUsed: 5.5,
      billableHours: 1.5,
      hourlyCharge: 1410,
      total: 3410,
    });
  });
});

describe("003 no contract ('Avtalslös'): 980 kr for every hour, no fee, no bank", () => {
  it("bills every hour and an empty month as zero", () => {
    const bill = trinaxInvoice(
      "none",
      [
        { at: "2026-03-02T09:00", hours: 0.25 },
        { at: "2026-03-20T14:00", hours: 2 },
      ],
      { from: "2026-03", to: "2026-04" },
    );
    // 2.25 h × 980 = 2 205 kr.
    expect(rows(bill)).toEqual([
      ["2026-03", 0, 2.25, 0, 0, 2.25, 2205, 2205],
      ["2026-04", 0, 0, 0, 0, 0, 0, 0],
    ]);
    expect(bill.totals).toEqual({
      fee: 0,
      hoursWorked: 2.25,
      bankHoursUsed: 0,
      billableHours: 2.25,
      hourlyCharge: 2205,
      total: 2205,
    });
  });
});

describe("time-bank arithmetic is exact to the hundredth of an hour and the öre", () => {
  it.each<[string, TrinaxTier, number[], number, number, number]>([
    // [what, tier, hours of the logs (all in January), hours worked, hourly charge, total]
    ["0.1 h + 0.2 h is 0.3 h, not 0.30000000000000004", "none", [0.1, 0.2], 0.3, 294, 294], // 0.3 × 980
    ["Alert! 15.1 h + 0.2 h leaves 0.3 h to bill", "alert", [15.1, 0.2], 15.3, 255, 8255], // 0.3 × 850
    ["one hundredth of an hour at 890 kr", "attend", [6.01], 6.01, 8.9, 3008.9], // 0.01 × 890
    ["4.37 h with a 4 h bank at 940 kr", "access", [4.37], 4.37, 347.8, 847.8], // 0.37 × 940
    ["a third of an hour is rounded to 0.33 h", "none", [1 / 3], 0.33, 323.4, 323.4], // 0.33 × 980
    ["two thirds of an hour are rounded to 0.67 h", "none", [2 / 3], 0.67, 656.6, 656.6], // 0.67 × 980
  ])("%s", (_what, tier, hours, hoursWorked, hourlyCharge, total) => {
    const logs = hours.map((h, i): WorkLog => ({ at: `2026-01-${String(10 + i)}T10:00`, hours: h }));
    const bill = trinaxInvoice(tier, logs, { from: "2026-01", to: "2026-01" });
    expect(bill.totals.hoursWorked).toBe(hoursWorked);
    expect(bill.totals.hourlyCharge).toBe(hourlyCharge);
    expect(bill.totals.total).toBe(total);
  });
});

describe("the month of a log is its month in the contract's zone, not the host's", () => {
  // 2026-03-31T22:30Z is 1 April 00:30 in Stockholm (+02:00) but still 31 March in UTC.
  const logs: WorkLog[] = [{ at: "2026-03-31T22:30:00Z", hours: 16 }];
  const period: BillingPeriod = { from: "2026-03", to: "2026-04" };

  it("puts it in April (Q2) in Europe/Stockholm, the default", () => {
    expect(rows(trinaxInvoice("alert", logs, period))).toEqual([
      ["2026-03", 8000, 0, 0, 15, 0, 0, 8000],
      ["2026-04", 8000, 16, 15, 0, 1, 850, 8850],
    ]);
  });

  it("puts it in March (Q1) with zone UTC", () => {
    expect(rows(trinaxInvoice("alert", logs, period, { zone: "UTC" }))).toEqual([
      ["2026-03", 8000, 16, 15, 0, 1, 850, 8850],
      ["2026-04", 8000, 0, 0, 15, 0, 0, 8000],
    ]);
  });

  it("reads a Date and epoch milliseconds the same way", () => {
    const at = Date.UTC(2026, 2, 31, 22, 30);
    expect(trinaxInvoice("alert", [{ at, hours: 16 }], period)).toEqual(trinaxInvoice("alert", logs, period));
    expect(trinaxInvoice("alert", [{ at: new Date(at), hours: 16 }], period)).toEqual(
      trinaxInvoice("alert", logs, period),
    );
  });
});

describe("billTimeBank with other terms", () => {
  const eur = (amount: number) => ({ amount, currency: "EUR" });
  const terms = (period: "month" | "half-year", hours: number): ContractTerms => ({
    timeBank: { hours, period },
    monthlyFee: eur(100),
    hourlyRate: eur(95.5),
    termMonths: null,
    reconciliationMeetings: null,
    reporting: null,
  });

  it("resets a monthly bank every month", () => {
    const bill = billTimeBank(
      terms("month", 2),
      [
        { at: "2026-01-20T10:00", hours: 3 },
        { at: "2026-02-20T10:00", hours: 1 },
      ],
      { from: "2026-01", to: "2026-02" },
      { zone: "Europe/Berlin" },
    );
    // Jan 3 h: 2 from the bank, 1 × 95.50; Feb 1 h from a fresh bank (1 left).
    expect(bill.currency).toBe("EUR");
    expect(rows(bill)).toEqual([
      ["2026-01", 100, 3, 2, 0, 1, 95.5, 195.5],
      ["2026-02", 100, 1, 1, 1, 0, 0, 100],
    ]);
    expect(bill.totals.total).toBe(295.5);
  });

  it("resets a half-year bank on 1 July, and May's hours count towards June", () => {
    const bill = billTimeBank(
      terms("half-year", 10),
      [
        { at: "2026-05-05T10:00", hours: 6 },
        { at: "2026-06-05T10:00", hours: 6 },
        { at: "2026-07-05T10:00", hours: 1 },
      ],
      { from: "2026-06", to: "2026-07" },
    );
    // June: 4 h left after May, 2 × 95.50 = 191; July: a fresh bank of 10, 1 used (9 left).
    expect(rows(bill)).toEqual([
      ["2026-06", 100, 6, 4, 0, 2, 191, 291],
      ["2026-07", 100, 1, 1, 9, 0, 0, 100],
    ]);
  });
});

describe("invoices are frozen", () => {
  it("freezes the invoice, its lines and totals", () => {
    const bill = trinaxInvoice("alert", [{ at: "2026-01-10T10:00", hours: 1 }], { from: "2026-01", to: "2026-02" });
    expect(Object.isFrozen(bill)).toBe(true);
    expect(Object.isFrozen(bill.months)).toBe(true);
    expect(Object.isFrozen(bill.months[0])).toBe(true);
    expect(Object.isFrozen(bill.totals)).toBe(true);
  });
});

describe("time-bank errors", () => {
  const JAN: BillingPeriod = { from: "2026-01", to: "2026-01" };
  const ok: WorkLog = { at: "2026-01-10T10:00", hours: 1 };
  const MONTH_HINT = 'use "YYYY-MM" between 1900-01 and 2200-12';

  it.each<[string, number, string]>([
    ["negative hours", -1, "-1"],
    ["NaN hours", Number.NaN, "NaN"],
    ["infinite hours", Number.POSITIVE_INFINITY, "Infinity"],
    ["more hours than a year has", 8785, "8785"],
  ])("names the log with %s", (_what, hours, shown) => {
    const e = thrown(() => trinaxInvoice("alert", [ok, ok, { at: "2026-01-12T10:00", hours }], JAN));
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toBe(`workLogs[2].hours: expected a number of hours from 0 to 8784, got ${shown}`);
    expect(e.details.index).toBe(2);
  });

  it("names the log whose hours are not a number", () => {
    const e = thrown(() => trinaxInvoice("alert", [{ at: "2026-01-12T10:00", hours: "2" as unknown as number }], JAN));
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message.startsWith("workLogs[0].hours: expected a number of hours from 0 to 8784, got")).toBe(true);
  });

  it("names the log with a bad instant", () => {
    const e = thrown(() => trinaxInvoice("alert", [ok, { at: "tomorrow", hours: 1 }], JAN));
    expect(e.code).toBe("INVALID_INSTANT");
    expect(e.message.startsWith('workLogs[1].at: "tomorrow" is not an ISO-8601 date-time')).toBe(true);
    expect(e.details.path).toBe("workLogs[1].at");
  });

  it("rejects terms with an inherited period name, or a fee in another currency than the rate", () => {
    const terms = (over: Partial<ContractTerms>) => ({ ...TRINAX_TERMS.alert, ...over }) as ContractTerms;
    // "toString" is `in` every object: it was read as a period, and the bill came out empty.
    for (const period of ["toString", "constructor"]) {
      const e = thrown(() => billTimeBank(terms({ timeBank: { hours: 5, period } as never }), [ok], JAN));
      expect(e.code).toBe("INVALID_ARGUMENT");
      expect(e.message).toContain("terms.timeBank");
    }
    // 100 EUR and 2 000 SEK were added into "SEK 2100".
    const mixed = terms({
      monthlyFee: { amount: 100, currency: "EUR" },
      hourlyRate: { amount: 1000, currency: "SEK" },
    });
    const e = thrown(() => billTimeBank(mixed, [ok], JAN));
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toContain("currency");
  });

  it("rejects a log that is not an object, and logs that are not an array", () => {
    const e = thrown(() => trinaxInvoice("alert", [null as unknown as WorkLog], JAN));
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toBe("workLogs[0]: expected { at, hours }");
    expect(e.details.index).toBe(0);
    const f = thrown(() => trinaxInvoice("alert", {} as unknown as WorkLog[], JAN));
    expect(f.code).toBe("INVALID_ARGUMENT");
    expect(f.message).toBe("workLogs must be an array of { at, hours }");
  });

  it.each<[string, BillingPeriod, string]>([
    ["a one-digit month", { from: "2026-1", to: "2026-01" }, `period.from: "2026-1" is not a month; ${MONTH_HINT}`],
    ["month 13", { from: "2026-01", to: "2026-13" }, `period.to: "2026-13" is not a month; ${MONTH_HINT}`],
    ["a full date", { from: "2026-01-01", to: "2026-01" }, `period.from: "2026-01-01" is not a month; ${MONTH_HINT}`],
    ["a year after 2200", { from: "2026-01", to: "2201-01" }, `period.to: "2201-01" is not a month; ${MONTH_HINT}`],
    ["from after to", { from: "2026-03", to: "2026-01" }, "period: to (2026-01) is before from (2026-03)"],
    [
      "from after to across a year",
      { from: "2027-01", to: "2026-12" },
      "period: to (2026-12) is before from (2027-01)",
    ],
  ])("rejects %s", (_what, period, message) => {
    const e = thrown(() => trinaxInvoice("alert", [], period));
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toBe(message);
  });

  it("rejects a period that is not an object", () => {
    const e = thrown(() => trinaxInvoice("alert", [], null as unknown as BillingPeriod));
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toBe('period must be { from: "YYYY-MM", to: "YYYY-MM" }');
  });

  it("rejects a key of the period other than from and to: a zone there was ignored", () => {
    const logs = [{ at: "2026-03-31T23:30Z", hours: 20 }];
    const period = { from: "2026-03", to: "2026-03", zone: "UTC" } as BillingPeriod;
    const e = thrown(() => trinaxInvoice("alert", logs, period));
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toBe(
      'period: unknown key "zone"; it holds from and to only (the zone goes in options: { zone })',
    );
    expect(e.details.path).toBe("period.zone");
    // Where it belongs, the log is March's (UTC), and billed.
    expect(trinaxInvoice("alert", logs, { from: "2026-03", to: "2026-03" }, { zone: "UTC" }).totals.hoursWorked).toBe(
      20,
    );
  });

  it.each(["gold", "Alert", "toString", ""])("rejects the tier %j and lists the valid ones", (tier) => {
    const e = thrown(() => trinaxInvoice(tier as TrinaxTier, [], JAN));
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toBe(
      `tier: ${JSON.stringify(tier)} is not a Trinax tier; use one of alert, attend, access, none`,
    );
    expect(e.details.valid).toEqual(["alert", "attend", "access", "none"]);
  });

  it("rejects an unknown zone", () => {
    const e = thrown(() => trinaxInvoice("alert", [], JAN, { zone: "Europe/Atlantis" }));
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toBe(
      'zone: "Europe/Atlantis" is not an IANA time zone known to this runtime (e.g. "Europe/Stockholm")',
    );
  });
});

describe("time-bank properties (2026, every Trinax tier)", () => {
  const TIERS: readonly TrinaxTier[] = ["alert", "attend", "access", "none"];
  const YEAR: BillingPeriod = { from: "2026-01", to: "2026-12" };
  // Logs on whole hundredths of an hour, anywhere in 2026 (Stockholm), so the arithmetic is exact.
  const log = fc.record({
    at: fc.integer({ min: Date.UTC(2025, 11, 31, 23), max: Date.UTC(2026, 11, 31, 22, 59) }),
    hours: fc.integer({ min: 0, max: 1200 }).map((h) => h / 100),
  });
  const logs = fc.array(log, { maxLength: 25 });
  const cents = (x: number) => Math.round(x * 100);
  const bankMonths = (tier: TrinaxTier) => ({ alert: 3, attend: 3, access: 12, none: 0 })[tier];

  it("bills fee + billable hours × rate, and hours worked = bank hours + billable hours", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TIERS), logs, (tier, list) => {
        const { hourlyRate, monthlyFee } = TRINAX_TERMS[tier];
        const bill = trinaxInvoice(tier, list, YEAR);
        expect(bill.months).toHaveLength(12);
        for (const l of bill.months) {
          expect(cents(l.fee)).toBe(cents(monthlyFee?.amount ?? 0));
          // In öre: billable hundredths of an hour × whole-krona rate.
          expect(cents(l.hourlyCharge)).toBe(cents(l.billableHours) * hourlyRate.amount);
          expect(cents(l.total)).toBe(cents(l.fee) + cents(l.hourlyCharge));
          expect(cents(l.hoursWorked)).toBe(cents(l.bankHoursUsed) + cents(l.billableHours));
        }
        for (const key of ["fee", "hoursWorked", "bankHoursUsed", "billableHours", "hourlyCharge", "total"] as const) {
          expect(cents(bill.totals[key])).toBe(bill.months.reduce((s, l) => s + cents(l[key]), 0));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("draws min(bank, hours worked) per bank period, never more than the bank", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TIERS), logs, (tier, list) => {
        const bank = TRINAX_TERMS[tier].timeBank;
        const bill = trinaxInvoice(tier, list, YEAR);
        const size = bankMonths(tier);
        if (bank === null) {
          for (const l of bill.months) expect([l.bankHoursUsed, l.bankHoursLeft]).toEqual([0, 0]);
          return;
        }
        for (let p = 0; p < 12; p += size) {
          const lines = bill.months.slice(p, p + size);
          const used = lines.reduce((s, l) => s + cents(l.bankHoursUsed), 0);
          const worked = lines.reduce((s, l) => s + cents(l.hoursWorked), 0);
          expect(used).toBe(Math.min(cents(bank.hours), worked));
          expect(cents(lines.at(-1)!.bankHoursLeft)).toBe(cents(bank.hours) - used);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same month lines whether a month is billed alone, in a shorter period or in the year", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TIERS),
        logs,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        (tier, list, a, b) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          const m = (n: number) => `2026-${String(n).padStart(2, "0")}`;
          const year = trinaxInvoice(tier, list, YEAR);
          const part = trinaxInvoice(tier, list, { from: m(from), to: m(to) });
          expect(part.months).toEqual(year.months.slice(from - 1, to));
          expect(trinaxInvoice(tier, [...list].reverse(), { from: m(from), to: m(to) })).toEqual(part);
        },
      ),
      { numRuns: 300 },
    );
  });
});
