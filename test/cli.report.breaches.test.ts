/**
 * The report's breach table (src/cli/report/breaches.ts) reads its breaches back in the page's
 * order — the largest business overrun first, then the largest calendar overrun, then by id (UTF-8
 * bytes), ties in the order pushed — whether it radix-sorts the overruns or sorts packed 64-bit keys
 * natively (overruns in hundredths of an hour, as the report writes them: below 2³² hundredths, or
 * larger) or sorts with a comparator (any other overrun).
 */
import { Buffer } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BreachTable, type BreachRow } from "../src/cli/report/breaches";

const breach = (overdue: fc.Arbitrary<number>, calendar: fc.Arbitrary<number>) =>
  fc.record({
    id: fc.constantFrom("T-1", "T-10", "T-2", "ä-1", "Z", "<b>", "T-1\u202e"),
    priority: fc.constantFrom("1", "2", "3"),
    metric: fc.constantFrom("response" as const, "resolution" as const),
    deadline: fc.integer({ min: 0, max: 2e12 }),
    breachedAt: fc.integer({ min: 0, max: 2e12 }),
    overdueHours: overdue,
    calendarOverdueHours: calendar,
  });

/** Hundredths of an hour, as `hours()` of the report rounds them; few values, so many ties. */
const hundredths = fc.oneof(
  fc.constantFrom(0, -0, 0.01, 1.5, 12.34, 100),
  fc.integer({ min: 0, max: 5_000_000 }).map((k) => k / 100),
);

function pageOrder(rows: readonly BreachRow[]): BreachRow[] {
  return rows
    .map((b, i) => ({ b, i }))
    .sort(
      (x, y) =>
        y.b.overdueHours - x.b.overdueHours ||
        y.b.calendarOverdueHours - x.b.calendarOverdueHours ||
        Buffer.compare(Buffer.from(x.b.id), Buffer.from(y.b.id)) ||
        x.i - y.i,
    )
    .map(({ b }) => b);
}

function readBack(rows: readonly BreachRow[]): BreachRow[] {
  const table = new BreachTable();
  for (const b of rows) table.push(b);
  const out = Array.from({ length: table.length }, (_, k) => table.at(k));
  table.dispose();
  return out;
}

describe("the breach table's order", () => {
  it("property: overruns in hundredths of an hour (the radix sort) come back in the page's order", () => {
    fc.assert(
      fc.property(fc.array(breach(hundredths, hundredths), { maxLength: 300 }), (rows) => {
        expect(readBack(rows)).toEqual(pageOrder(rows));
      }),
      { numRuns: 300 },
    );
  });

  it("property: an overrun of 2³² hundredths of an hour or more (64-bit keys, not the radix sort) comes back in the page's order", () => {
    const large = fc.oneof(hundredths, fc.constantFrom(5e7, 42_949_672.96, 42_949_672.95));
    const small = fc.integer({ min: 0, max: 100_000 }).map((k) => k / 100);
    fc.assert(
      fc.property(fc.array(breach(large, small), { maxLength: 300 }), (rows) => {
        expect(readBack(rows)).toEqual(pageOrder(rows));
      }),
      { numRuns: 200 },
    );
  });

  it("property: any other overruns (negative, thirds of an hour, huge) come back in the page's order", () => {
    const any = fc.oneof(hundredths, fc.constantFrom(-0.01, 1 / 3, 1e9, 2 ** 40));
    fc.assert(
      fc.property(fc.array(breach(any, any), { maxLength: 300 }), (rows) => {
        expect(readBack(rows)).toEqual(pageOrder(rows));
      }),
      { numRuns: 300 },
    );
  });

  it("a thousand breaches with equal overruns are ordered by id, ties in the order pushed", () => {
    const rows: BreachRow[] = Array.from({ length: 1000 }, (_, i) => ({
      id: `T-${(i * 7919) % 250}`,
      priority: String(1 + (i % 3)),
      metric: i % 2 === 0 ? "response" : "resolution",
      deadline: i,
      breachedAt: i,
      overdueHours: i % 4 === 0 ? 2.5 : 0,
      calendarOverdueHours: 5.68,
    }));
    const back = readBack(rows);
    expect(back).toEqual(pageOrder(rows));
    expect(back[0]).toMatchObject({ id: "T-0", overdueHours: 2.5, deadline: 0 });
  });
});

describe("the breach table's columns", () => {
  it("read back in the page's order as `at` gives them, ids of any length and script included (the id buffer grows)", () => {
    // Ids of up to 300 code units, ASCII or not (two- to four-byte UTF-8, a lone surrogate), so the
    // 64 KB id buffer grows several times, also in the middle of a non-ASCII id.
    const pieces = ["T-", "é", "€", "😀", "\ud800", "<&>", "x".repeat(97)];
    const rows: BreachRow[] = Array.from({ length: 3000 }, (_, i) => ({
      id: Array.from({ length: 1 + (i % 4) }, (_, j) => pieces[(i + j * 3) % pieces.length]!).join("") + String(i),
      priority: String(1 + (i % 5)),
      metric: i % 3 === 0 ? "response" : "resolution",
      deadline: 1_700_000_000_000 + i * 60_000,
      breachedAt: 1_700_000_000_000 + i * 60_000,
      overdueHours: (i % 17) / 4,
      calendarOverdueHours: (i % 11) / 4,
      ...(i % 250 === 0 ? { explanation: `<p>why ${i}</p>` } : {}),
    }));
    const table = new BreachTable();
    try {
      for (const b of rows) table.push(b);
      const order = table.pageOrder();
      expect(order).toHaveLength(rows.length);
      const expected = pageOrder(rows);
      for (let k = 0; k < order.length; k++) {
        const i = order[k]!;
        const b = expected[k]!;
        expect(table.at(k)).toEqual({ ...b, id: table.idOf(i), explanation: undefined });
        expect({
          priority: table.priorities[table.priorityNumberOf(i)],
          metric: table.metricNumberOf(i) === 0 ? "response" : "resolution",
          deadline: table.deadlineOf(i),
          overdueHours: table.overdueHoursOf(i),
          calendarOverdueHours: table.calendarOverdueHoursOf(i),
          explanation: table.explanationOf(i)?.toString("utf8"),
        }).toEqual({
          priority: b.priority,
          metric: b.metric,
          deadline: b.deadline,
          overdueHours: b.overdueHours,
          calendarOverdueHours: b.calendarOverdueHours,
          explanation: b.explanation,
        });
        // The id's UTF-8 bytes (a lone surrogate is U+FFFD in UTF-8, as in the page).
        expect(Buffer.from(table.idOf(i))).toEqual(Buffer.from(b.id));
      }
    } finally {
      table.dispose();
    }
  });
});
