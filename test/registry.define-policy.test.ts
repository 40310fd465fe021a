/**
 * The policy registry hands out what `definePolicy` would make of a spec: it keys its policies by a
 * text that says everything the schema reads. Its keys were the JSON text, which leaves out an
 * `undefined` member and writes what a `toJSON` returns, so a spec that definePolicy refuses got
 * an earlier valid spec's policy, and a spec with inherited keys got the plain spec's.
 */
import { describe, expect, it } from "vitest";
import {
  Calendar,
  Policy,
  PolicyRegistry,
  createPolicyRegistry,
  definePolicy,
  getPolicy,
  specHash,
  type PolicySpec,
} from "../src/index";
import { thrown } from "./support/errors";

describe("policy registry: a spec is what definePolicy reads", () => {
  const OFFICE: [string, string][] = [["09:00", "17:00"]];
  const base = (): PolicySpec => ({
    id: "acme",
    name: "Acme",
    calendar: { zone: "Europe/Berlin", weekly: { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE } },
    priorities: [{ id: 1, label: "P1", targets: { response: { kind: "business", duration: "PT2H" } } }],
  });
  const ticket = { id: "T", priority: 1, createdAt: "2026-04-13T09:00" };

  it("throws what definePolicy throws, whatever it defined before: an unknown key with an undefined value, a toJSON of an object literal", () => {
    const registry = createPolicyRegistry();
    registry.define(base());
    const extra = { ...base(), extraKey: undefined } as unknown as PolicySpec;
    const eight = base();
    // The schema reads the object's keys (8 hours, and a toJSON unit it refuses); JSON would say PT2H.
    (eight.priorities[0]!.targets.response as { duration: unknown }).duration = {
      hours: 8,
      toJSON: () => "PT2H",
    };
    for (const spec of [extra, eight]) {
      const error = thrown(() => definePolicy(spec));
      expect(thrown(() => registry.define(spec))).toMatchObject({ code: error.code, message: error.message });
    }
  });

  it("reads inherited keys as definePolicy does, and keeps reusing a spec with an undefined optional member", () => {
    const registry = createPolicyRegistry();
    const plain = registry.define(base());
    const withAlerts = Object.assign(Object.create({ alerts: [0.1] }) as object, base()) as PolicySpec;
    const inherited = registry.define(withAlerts);
    expect(inherited).not.toBe(plain);
    expect(inherited.evaluate(ticket, ticket.createdAt).response.alerts.map((a) => a.threshold)).toEqual(
      definePolicy(withAlerts)
        .evaluate(ticket, ticket.createdAt)
        .response.alerts.map((a) => a.threshold),
    );
    const described = { ...base(), description: undefined } as unknown as PolicySpec;
    expect(registry.define(described)).toBe(registry.define({ ...described }));
    // specHash stays the hash of the JSON text, where an undefined member is not written.
    expect(specHash(described)).toBe(specHash(base()));
  });
});

describe("policy registry: calendars", () => {
  it("stay within maxPolicies also when the specs that brought them fail", () => {
    const registry = createPolicyRegistry({ maxPolicies: 2 });
    const calendar = (hour: number) => ({
      zone: "UTC",
      weekly: { mon: [[`${String(hour).padStart(2, "0")}:00`, "17:00"]] as [string, string][] },
    });
    const spec = (id: string, hour: number, priorities: unknown): PolicySpec =>
      ({ id, name: id, calendar: calendar(hour), priorities }) as PolicySpec;
    const good = [{ id: 1, label: "P1", targets: { response: { kind: "business", duration: "PT2H" } } }];
    const first = registry.define(spec("a", 8, good));
    // Three specs whose calendars are fine and whose priorities are not: their calendars were kept
    // until the next good spec, beyond the limit.
    for (const hour of [9, 10, 11]) expect(() => registry.define(spec(`bad-${hour}`, hour, []))).toThrow();
    const again = registry.define(spec("b", 8, good));
    expect(again.calendar).not.toBe(first.calendar);
  });
});

describe("policy registry: made with new", () => {
  it("keeps policies with the default limit, and checks a limit given, as createPolicyRegistry does", () => {
    const registry = new PolicyRegistry();
    expect(registry.maxPolicies).toBe(10_000);
    registry.define(getPolicy("softone-se").spec);
    expect(registry.size).toBe(1); // before: 0, its limit was undefined
    expect(() => new PolicyRegistry(0)).toThrow(/maxPolicies must be a whole number of at least 1/);
  });
});

describe("the exported classes made with new", () => {
  it("refuse with a typed error that names the function to use, instead of an object whose methods throw TypeErrors", () => {
    const calendar = thrown(() => new (Calendar as unknown as new (spec: unknown) => unknown)({ zone: "UTC" }));
    expect(calendar.code).toBe("INVALID_ARGUMENT");
    expect(calendar.message).toContain("createCalendar(spec)");
    const policy = thrown(() => new (Policy as unknown as new (spec: unknown) => unknown)({}));
    expect(policy.code).toBe("INVALID_ARGUMENT");
    expect(policy.message).toContain("definePolicy(spec)");
  });
});
