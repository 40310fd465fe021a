/**
 * Many customers, one service: tickets of many policies in one call (evaluateAcross), and a
 * registry that compiles each distinct spec once (issue 20).
 */
import fc from "fast-check";
import { Duration } from "luxon";
import { describe, expect, it } from "vitest";
import {
  SlaClockError,
  createPolicyRegistry,
  definePolicy,
  evaluateAcross,
  getPolicy,
  specHash,
  type Policy,
  type PolicySpec,
  type Ticket,
} from "../src/index";
import { buildTicket, policies, scenario } from "./support/tickets";

const NOW = "2026-04-07T12:00Z";

describe("evaluateAcross", () => {
  it("gives every ticket what its own policy's evaluate gives, in the caller's order", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(scenario, fc.nat()), { maxLength: 12 }), (rows) => {
        const tickets: Ticket[] = [];
        const chosen: Policy[] = [];
        for (const [{ createdAt, priority, steps }, pick] of rows) {
          const policy = policies[pick % policies.length]!;
          tickets.push({ ...buildTicket(policy, createdAt, priority, steps), id: `T-${tickets.length}` });
          chosen.push(policy);
        }
        const now = Math.max(Date.parse(NOW), ...tickets.map((t) => t.createdAt as number));
        const across = evaluateAcross(tickets, chosen, now);
        expect(across.length).toBe(tickets.length);
        for (let i = 0; i < tickets.length; i++) {
          expect(across.get(i)).toEqual(chosen[i]!.evaluate(tickets[i]!, now));
          expect(across.policyOf(i)).toBe(chosen[i]);
          expect(across.nextAlertAt[i]).toBe(
            chosen[i]!.evaluate(tickets[i]!, now).nextAlertAt?.getTime() ?? Number.NaN,
          );
        }
        expect(new Set(across.groups.map((g) => g.policy)).size).toBe(across.groups.length);
      }),
      { numRuns: 100 },
    );
  });

  it("takes one policy, an array, or a function of the ticket", () => {
    const se = getPolicy("softone-se");
    const moch = getPolicy("moch-standard");
    const tickets = [
      { id: "A", priority: 1, createdAt: "2026-04-02T09:00Z" },
      { id: "B", priority: 1, createdAt: "2026-04-02T09:00Z" },
      { id: "C", priority: 2, createdAt: "2026-04-02T10:00Z" },
    ];
    const byFunction = evaluateAcross(tickets, (t) => (t.id === "B" ? moch : se), NOW);
    const byArray = evaluateAcross(tickets, [se, moch, se], NOW);
    expect(byFunction.failures).toEqual([]);
    expect([...byFunction]).toEqual([...byArray]);
    expect(byFunction.get(1)).toEqual(moch.evaluate(tickets[1]!, NOW));
    expect(byFunction.groups.map((g) => [g.policy.id, [...g.indexes]])).toEqual([
      ["softone-se", [0, 2]],
      ["moch-standard", [1]],
    ]);
    expect(byFunction.groups[0]!.batch.length).toBe(2);
    expect([...evaluateAcross(tickets, se, NOW)]).toEqual([...se.evaluateMany(tickets, NOW)]);
  });

  it("fails a ticket alone when its policy cannot be found, or its data is bad, keeping its place", () => {
    const se = getPolicy("softone-se");
    const tickets: Ticket[] = [
      { id: "ok", priority: 1, createdAt: "2026-04-02T09:00Z" },
      { id: "nobody", priority: 1, createdAt: "2026-04-02T09:00Z" },
      { id: "bad", priority: 9, createdAt: "2026-04-02T09:00Z" },
      { id: "ok2", priority: 2, createdAt: "2026-04-02T09:00Z" },
    ];
    const across = evaluateAcross(
      tickets,
      (t) => {
        if (t.id === "nobody") throw new Error("unknown customer");
        return se;
      },
      NOW,
    );
    expect(across.failures.map((f) => [f.index, f.id, f.error.code])).toEqual([
      [1, "nobody", "INVALID_ARGUMENT"],
      [2, "bad", "UNKNOWN_PRIORITY"],
    ]);
    expect(across.failures[0]!.error.message).toContain("unknown customer");
    expect(across.policyOf(1)).toBeNull();
    expect("error" in across.get(1)).toBe(true);
    expect(across.get(2)).toBe(across.failures[1]);
    expect(across.get(3)).toEqual(se.evaluate(tickets[3]!, NOW));
    expect(Number.isNaN(across.nextAlertAt[1]!)).toBe(true);
    // Something that is not a policy fails the ticket; a policy list of the wrong length fails the call.
    const notPolicy = evaluateAcross(tickets.slice(0, 1), () => ({ id: "fake" }) as unknown as Policy, NOW);
    expect(notPolicy.failures[0]!.error.code).toBe("INVALID_ARGUMENT");
    expect(() => evaluateAcross(tickets, [se], NOW)).toThrow(/1 policies for 4 tickets/);
    expect(() => evaluateAcross("x" as never, se, NOW)).toThrow(SlaClockError);
    expect(() => across.get(4)).toThrow(/not a ticket of the batch/);
  });
});

describe("policy registry", () => {
  const base = getPolicy("softone-se").spec;
  const customer = (n: number, closed: string): PolicySpec => ({
    ...base,
    id: `customer-${n}`,
    name: `Customer ${n}`,
    calendar: { ...base.calendar, id: `cal-${closed}`, closedDates: [closed] } as PolicySpec["calendar"],
  });

  it("compiles an equal spec once, whatever its key order or duration form, and finds it by id", () => {
    const registry = createPolicyRegistry();
    const spec = customer(1, "2026-06-01");
    const a = registry.define(spec);
    const reverse = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverse)
        : typeof v === "object" && v !== null
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverse(x)]),
            )
          : v;
    const reordered = reverse(JSON.parse(JSON.stringify(spec))) as PolicySpec;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(spec));
    expect(registry.define(reordered)).toBe(a);
    const b = registry.define(JSON.parse(JSON.stringify(spec)) as PolicySpec);
    expect(b).toBe(a);
    expect(specHash(reordered)).toBe(specHash(spec));
    const withDuration = {
      ...spec,
      priorities: spec.priorities.map((p, i) =>
        i === 0
          ? { ...p, targets: { ...p.targets, response: { kind: "business", duration: Duration.fromISO("PT2H") } } }
          : p,
      ),
    } as PolicySpec;
    const iso = {
      ...spec,
      priorities: spec.priorities.map((p, i) =>
        i === 0 ? { ...p, targets: { ...p.targets, response: { kind: "business", duration: "PT2H" } } } : p,
      ),
    } as PolicySpec;
    expect(specHash(withDuration)).toBe(specHash(iso));
    expect(registry.byId("customer-1")).toBe(a);
    expect(registry.size).toBe(1);
  });

  it("shares one calendar between policies with equal calendar specs, and they answer as alone", () => {
    const registry = createPolicyRegistry();
    const one = registry.define(customer(1, "2026-06-01"));
    const two = registry.define({ ...customer(1, "2026-06-01"), id: "customer-2", atRiskThreshold: 0.5 });
    const other = registry.define(customer(3, "2026-06-02"));
    expect(two).not.toBe(one);
    expect(two.calendar).toBe(one.calendar);
    expect(other.calendar).not.toBe(one.calendar);
    const alone = definePolicy(customer(3, "2026-06-02"));
    for (const start of ["2026-05-29T15:00", "2026-06-01T09:00", "2026-06-02T09:00"])
      for (const priority of [1, 2, 3])
        expect(other.deadline(start, { priority })).toEqual(alone.deadline(start, { priority }));
  });

  it("drops the least recently used beyond maxPolicies, and compiles a dropped spec again", () => {
    const registry = createPolicyRegistry({ maxPolicies: 2 });
    const a = registry.define(customer(1, "2026-06-01"));
    registry.define(customer(2, "2026-06-02"));
    registry.define(customer(1, "2026-06-01")); // a is used again
    registry.define(customer(3, "2026-06-03")); // drops customer 2
    expect(registry.size).toBe(2);
    expect(registry.byId("customer-2")).toBeUndefined();
    expect(registry.byId("customer-1")).toBe(a);
    const again = registry.define(customer(2, "2026-06-02"));
    expect(again.id).toBe("customer-2");
    expect(registry.byId("customer-1")).toBeUndefined(); // now the least recently used
    registry.clear();
    expect(registry.size).toBe(0);
  });

  it("refuses bad options and bad specs with typed errors", () => {
    expect(() => createPolicyRegistry({ maxPolicies: 0 })).toThrow(/maxPolicies/);
    expect(() => createPolicyRegistry({ maxPolicies: 1.5 })).toThrow(SlaClockError);
    const registry = createPolicyRegistry();
    const bad = { ...customer(1, "2026-06-01"), calendar: { ...base.calendar, zone: "Mars/Base" } } as PolicySpec;
    let direct: unknown;
    try {
      definePolicy(bad);
    } catch (e) {
      direct = e;
    }
    expect(() => registry.define(bad)).toThrow(SlaClockError);
    try {
      registry.define(bad);
    } catch (e) {
      expect((e as SlaClockError).code).toBe((direct as SlaClockError).code);
      expect((e as SlaClockError).message).toBe((direct as SlaClockError).message);
    }
    expect(registry.size).toBe(0);
  });
});
