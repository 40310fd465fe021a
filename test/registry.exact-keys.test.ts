/**
 * The policy registry tells specs apart by their whole canonical text, never by a hash alone. Its
 * keys used to be `specHash`, a 64-bit FNV-1a hash, which is not collision-resistant: a spec
 * written to collide with another (a customer's own closed dates and names reach the spec) would
 * have been handed the other spec's compiled policy. A real FNV collision is costly to find, so
 * here every hash collides: `specHash` is replaced by a constant for this file.
 */
import { describe, expect, it, vi } from "vitest";

vi.mock("../src/util/spec-hash", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../src/util/spec-hash")>();
  return { ...actual, specHash: () => "fnv1a64:0000000000000000" };
});

const { createPolicyRegistry, getPolicy, specHash } = await import("../src/index");

describe("policy registry keys", () => {
  const base = getPolicy("softone-se").spec;

  it("keeps specs apart even when their hashes collide", () => {
    const a = { ...base, id: "tenant-a", name: "Tenant A" };
    const b = { ...base, id: "tenant-b", name: "Tenant B", atRiskThreshold: 0.5 };
    expect(specHash(a)).toBe(specHash(b)); // every hash collides in this file
    const registry = createPolicyRegistry();
    const policyA = registry.define(a);
    const policyB = registry.define(b);
    expect(policyB).not.toBe(policyA);
    expect(policyA.id).toBe("tenant-a");
    expect(policyB.id).toBe("tenant-b");
    expect(registry.size).toBe(2);
    // Equal specs still share one policy.
    expect(registry.define({ ...a })).toBe(policyA);
  });

  it("shares a calendar only between equal calendar specs", () => {
    const registry = createPolicyRegistry();
    const one = registry.define({ ...base, id: "one", calendar: { ...base.calendar, closedDates: ["2026-06-01"] } });
    const two = registry.define({ ...base, id: "two", calendar: { ...base.calendar, closedDates: ["2026-06-02"] } });
    expect(two.calendar).not.toBe(one.calendar);
    expect(one.calendar.isBusinessDay("2026-06-01")).toBe(false);
    expect(two.calendar.isBusinessDay("2026-06-01")).toBe(true);
    expect(two.calendar.isBusinessDay("2026-06-02")).toBe(false);
  });
});
