/**
 * The presets' specs skip zod (markVerifiedCalendarSpec, markVerifiedPolicySpec: issue 14's cold
 * start). That is only right because zod returns each of them unchanged: same values, same keys in
 * the same order, nothing added or dropped. Checked here for every preset and option combination.
 */
import { describe, expect, it } from "vitest";
import { calendarSchemas } from "../src/calendar/spec";
import { policySpecSchema } from "../src/policy/spec";
import { builtPresetSpecs } from "../src/presets/registry";
import { lazyLoadChild } from "./support/lazy-load-child";

/** JSON with `undefined` shown, so that an added `key: undefined` is a difference too. */
const shape = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (v === undefined ? "<undefined>" : v));

describe("the presets' specs are what zod returns for them", () => {
  const { calendars, policies } = builtPresetSpecs();

  it("covers every preset and option value", () => {
    expect(calendars.length).toBe(2 * 3 + 2 * 3 + 1);
    expect(policies.length).toBe(2 * 3 + 2 * 3 + 4);
  });

  it.each(calendars.map((c) => [c.id, JSON.stringify(c.options), c.spec] as const))(
    "calendar %s %s",
    (_id, _options, spec) => {
      const parsed = calendarSchemas().calendarSpecSchema.safeParse(spec);
      expect(parsed.success).toBe(true);
      expect(parsed.data).toStrictEqual(spec);
      expect(shape(parsed.data)).toBe(shape(spec));
    },
  );

  it.each(policies.map((p) => [p.id, JSON.stringify(p.options), p.spec] as const))(
    "policy %s %s",
    (_id, _options, spec) => {
      const parsed = policySpecSchema().safeParse(spec);
      expect(parsed.success).toBe(true);
      expect(parsed.data).toStrictEqual(spec);
      expect(parsed.data?.calendar).toBe(spec.calendar);
      // The Calendar instance is passed through as it is (checked above); the rest as JSON.
      const withoutCalendar = (v: object): string => shape({ ...v, calendar: "<the Calendar>" });
      expect(withoutCalendar(parsed.data as object)).toBe(withoutCalendar(spec));
    },
  );
});

describe("zod and the presets", () => {
  it("a preset's first deadline does not load zod; a custom policy spec still does", () => {
    const out = lazyLoadChild(
      "[\\\\/]node_modules[\\\\/]zod[\\\\/]",
      `
const due = sla.getPolicy("softone-se").deadline("2026-04-02T09:00:00Z", { priority: 3 });
console.log("preset", probe(), due.toISOString());
console.log("calendar", probe(), sla.getCalendar("moch-standard", { hoursZone: "Europe/Copenhagen" }).zone);
try { sla.definePolicy({ id: "x", name: "X", calendar: sla.getCalendar("trinax"), priorities: [] }); } catch (e) { console.log(e.code, e.message); }
console.log("custom", probe());
`,
    );
    expect(out).toEqual([
      "preset false 2026-04-08T10:00:00.000Z",
      "calendar false Europe/Copenhagen",
      "INVALID_POLICY_SPEC Invalid policy spec: priorities: list at least one priority",
      "custom true",
    ]);
  });
});
