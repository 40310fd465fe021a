/**
 * The report's breach table (src/cli/report/breaches.ts) reads its breaches back in the page's
 * order — the largest business overrun first, then the largest calendar overrun, then by id (UTF-8
 * bytes), ties in the order pushed — whether it sorts packed keys natively (overruns in hundredths
 * of an hour, as the report writes them) or with a comparator (any other overrun).
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
  it("property: overruns in hundredths of an hour (packed keys) come back in the page's order", () => {
    fc.assert(
      fc.property(fc.array(breach(hundredths, hundredths), { maxLength: 300 }), (rows) => {
        expect(readBack(rows)).toEqual(pageOrder(rows));
      }),
      { numRuns: 300 },
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
