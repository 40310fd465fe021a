/**
 * compileAlerts reads a list of plain fractions without its zod schema (so that `evaluate`'s
 * default alert does not load zod at start-up): the result must be what the schema path gives,
 * and a list the schema refuses must still be refused by it, with its message.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { alertsSchema, compileAlerts } from "../src/policy/alerts";

/** What compileAlerts gave for a list of fractions when every list went through the schema. */
function throughSchema(list: unknown): unknown {
  const parsed = alertsSchema().safeParse(list);
  if (!parsed.success) return "refused";
  return (parsed.data as number[]).map((threshold) => ({ threshold, fraction: threshold, beforeMs: 0 }));
}

describe("compileAlerts on plain fractions", () => {
  it("gives the schema's result, frozen, and refuses what the schema refuses", () => {
    const value = fc.oneof(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom(0, -0, 1, 1.0000001, -0.5, Number.NaN, Infinity, Number.MIN_VALUE, 2),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 12 }), (list) => {
        const expected = throughSchema(list);
        let got: unknown;
        try {
          const compiled = compileAlerts(list, "alerts");
          expect(Object.isFrozen(compiled) && compiled.every((a) => Object.isFrozen(a))).toBe(true);
          got = compiled.map((a) => ({ ...a }));
        } catch {
          got = "refused";
        }
        expect(got).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("still names the problem of a list it refuses", () => {
    expect(() => compileAlerts([0.5, 0], "options.alerts")).toThrow(
      "options.alerts[1]: a fraction must be greater than 0",
    );
    expect(() =>
      compileAlerts(
        Array.from({ length: 11 }, () => 0.5),
        "alerts",
      ),
    ).toThrow("at most 10 alert thresholds");
  });
});
