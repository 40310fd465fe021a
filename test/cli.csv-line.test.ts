/**
 * The CLI writes CSV records itself (csvLine), exactly as csv-stringify wrote them with the options
 * the CLI used before (issue 13, speed): random rows with quotes, separators, line breaks and
 * formula starts, and numbers (the line as it is, hours with two decimals).
 */
import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvLine } from "../src/cli/io/write-rows";

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
