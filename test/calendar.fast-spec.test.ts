/**
 * The zod-free recogniser of common calendar specs (certainlyValidPlainSpec in src/calendar/spec.ts,
 * issue 14's cold start): whatever it accepts, zod accepts and returns unchanged, so skipping zod
 * for it cannot change a calendar; whatever it does not accept goes to zod, so every error message
 * and path stays zod's. Checked on generated specs near the edge of validity, and on the odd objects
 * (getters, proxies, class instances, inherited keys) that only zod may judge.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lazyLoadChild } from "./support/lazy-load-child";
import { calendarSchemas, certainlyValidPlainSpec, parseCommonSpec } from "../src/calendar/spec";
import { createCalendar, SlaClockError } from "../src/index";

/** Mostly `valid` (weight 9), sometimes `invalid`: specs near the edge of validity. */
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: invalid });

const TIMES = ["00:00", "08:00", "12:00", "13:00", "16:00", "22:00", "23:59", "24:00"];
const time = mostly(fc.constantFrom(...TIMES), fc.constantFrom<unknown>("8:00", "25:00", "12:60", "", 8, undefined));
const INTERVALS = [
  ["08:00", "12:00"],
  ["13:00", "16:00"],
  ["00:00", "24:00"],
  ["22:00", "06:00"],
  ["16:00", "08:00"],
];
const interval = mostly(
  fc.oneof(
    fc.constantFrom(...INTERVALS).map((iv) => [...iv]),
    fc.tuple(time, time),
  ),
  fc.oneof(fc.array(time, { maxLength: 3 }), fc.constantFrom<unknown>("08:00-16:00", null, {})),
);
const dayHours = mostly(fc.array(interval, { maxLength: 3 }), fc.constantFrom<unknown>(undefined, null, "08:00", {}));
const weekday = mostly(fc.constantFrom("mon", "tue", "wed", "thu", "fri", "sat", "sun"), fc.constant("xyz"));
const weekly = fc.dictionary(weekday as fc.Arbitrary<string>, dayHours, { maxKeys: 3 });
const DATES = ["2026-01-01", "2024-02-29", "1900-01-01", "2200-12-31"];
const date = mostly(
  fc.constantFrom(...DATES),
  fc.constantFrom<unknown>("2026-02-29", "1899-12-31", "2201-01-01", "2026-1-1", 20260101, { date: "2026-01-01" }),
);
const holidays = mostly(
  fc.constantFrom({ country: "SE" }, { country: "SE", state: "AB" }, { country: "DE", state: "BY", region: "A" }),
  fc.constantFrom<unknown>({ country: 5 }, { country: "SE", types: ["public"] }, { state: "AB" }, {}, undefined),
);
const text = mostly(fc.constantFrom("", "Support", "x".repeat(200)), fc.constantFrom<unknown>("x".repeat(201), 5));
const specInOrder = fc.record(
  {
    id: text,
    name: text,
    zone: mostly(
      fc.constantFrom("Europe/Stockholm", "UTC", "America/Los_Angeles"),
      fc.constantFrom<unknown>("Nope/Zone", 5, undefined),
    ),
    weekly,
    holidays,
    closedDates: mostly(fc.array(date, { maxLength: 3 }), fc.constant("2026-01-01")),
    other: fc.constantFrom<unknown>(1, "x", undefined),
  },
  { requiredKeys: ["zone", "weekly"] },
);
// The keys in the schema's order or the reverse: zod's output follows the schema's.
const spec = fc
  .tuple(specInOrder, fc.boolean())
  .map(([o, reverse]) => (reverse ? Object.fromEntries(Object.entries(o).reverse()) : o));

describe("certainlyValidPlainSpec", () => {
  it("accepts only what zod accepts and returns unchanged, and most well-formed specs", () => {
    let accepted = 0;
    let zodAccepted = 0;
    fc.assert(
      fc.property(spec, (input) => {
        const parsed = calendarSchemas().calendarSpecSchema.safeParse(input);
        if (parsed.success) zodAccepted++;
        if (!certainlyValidPlainSpec(input)) return;
        accepted++;
        expect(parsed.success).toBe(true);
        // What the fast path goes on with is zod's output, to the order of every object's keys.
        const fast = parseCommonSpec(input);
        expect(fast).toStrictEqual(parsed.data);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
      }),
      { numRuns: 4000, seed: 14 },
    );
    // The generator reaches both sides, and the recogniser takes most of what zod accepts here.
    // (seed 14: 168 of zod's 181)
    expect(accepted).toBeGreaterThan(100);
    expect(zodAccepted).toBeLessThan(4000);
    expect(accepted).toBeGreaterThan(zodAccepted * 0.8);
  });

  it("leaves getters, hidden keys, proxies, class instances, inherited keys and holes to zod", () => {
    const day = [["08:00", "16:00"]];
    const plain = { zone: "Europe/Stockholm", weekly: { mon: day } };
    expect(certainlyValidPlainSpec(plain)).toBe(true);
    expect(certainlyValidPlainSpec({ ...plain, weekly: { mon: [] } })).toBe(true);
    const withGetter = {
      zone: "Europe/Stockholm",
      get weekly() {
        return { mon: day };
      },
    };
    expect(certainlyValidPlainSpec(withGetter)).toBe(false);
    const hidden = Object.defineProperty({ ...plain }, "extra", { value: 1, enumerable: false });
    expect(certainlyValidPlainSpec(hidden)).toBe(false);
    class Spec {
      zone = "Europe/Stockholm";
      weekly = { mon: day };
    }
    expect(certainlyValidPlainSpec(new Spec())).toBe(false);
    expect(certainlyValidPlainSpec(Object.create({ extra: 1 }, Object.getOwnPropertyDescriptors(plain)))).toBe(false);
    const holey = [["08:00", "12:00"]];
    holey.length = 2;
    expect(certainlyValidPlainSpec({ ...plain, weekly: { mon: holey } })).toBe(false);
    expect(certainlyValidPlainSpec({ ...plain, [Symbol("s")]: 1 })).toBe(false);
    // A proxy passes the recogniser's look, but cannot be copied: zod judges it, and accepts it here.
    const proxy = new Proxy(plain, {});
    expect(certainlyValidPlainSpec(proxy)).toBe(true);
    expect(parseCommonSpec(proxy)).toBeUndefined();
    expect(createCalendar(proxy).isOpen("2026-03-02T08:00:00Z")).toBe(true);
  });

  it("gives zod's errors for what it does not accept", () => {
    const bad = {
      zone: "Europe/Stockholm",
      weekly: {
        mon: [
          ["16:00", "08:00"],
          ["09:00", "10:00"],
        ],
      },
    };
    expect(certainlyValidPlainSpec(bad)).toBe(false);
    expect(() => createCalendar(bad)).toThrow(SlaClockError);
    try {
      createCalendar(bad);
    } catch (e) {
      expect((e as SlaClockError).details.issues).toEqual([
        {
          path: "weekly.mon[1]",
          message:
            '["09:00", "10:00"] starts before the previous interval ["16:00", "08:00"] ends; intervals must be sorted and must not overlap',
        },
        {
          path: "weekly.mon[1]",
          message: 'only the last interval of a day may run past midnight; ["16:00", "08:00"] already does',
        },
      ]);
    }
  });
});

/** Runs `body` in a fresh child with `sla`, `day` and `zodLoaded()` (see lazyLoadChild). */
function child(body: string): string[] {
  return lazyLoadChild("[\\\\/]node_modules[\\\\/]zod[\\\\/]", `const zodLoaded = probe;\n${body}`);
}

describe("zod is loaded on first need", () => {
  it("not by importing sla-clock nor by a well-formed custom calendar's deadline; by a malformed spec", () => {
    const out = child(`
console.log("import", zodLoaded());
const cal = sla.createCalendar({ id: "c", zone: "Europe/Stockholm", weekly: { mon: day, tue: day }, closedDates: ["2026-03-03"] });
console.log("calendar", zodLoaded(), cal.addBusinessTime("2026-03-02T09:00:00Z", { hours: 12 }).toISOString());
try { sla.createCalendar({ zone: "Europe/Stockholm", weekly: { mon: [["8:00", "16:00"]] } }); } catch (e) { console.log(e.code, e.message); }
console.log("malformed", zodLoaded());
`);
    expect(out).toEqual([
      "import false",
      // Mon 09:00Z = 10:00 Stockholm, 6 h left on Monday; Tuesday closed; 6 h more on Monday 9 March.
      "calendar false 2026-03-09T13:00:00.000Z",
      'INVALID_CALENDAR_SPEC Invalid calendar spec: weekly.mon[0][0]: "8:00" is not a time of day; use "HH:mm" from "00:00" to "24:00"',
      "malformed true",
    ]);
  });
});
