/**
 * The presets are shared: `getPolicy(id)` and `getCalendar(id)` hand every caller the same
 * instance. Nothing a caller can reach from them may change what another caller gets: the engine
 * and the compiled rules are private fields (no symbol key leads to them), and everything else
 * reachable is frozen.
 */
import { describe, expect, it } from "vitest";
import { getCalendar, getPolicy, listPolicies, listProviders, type Ticket } from "../src/index";

const H = 3_600_000;
const ticket: Ticket = {
  id: "T-1",
  priority: 2,
  createdAt: "2026-04-02T09:00",
  events: [
    { type: "pause", at: "2026-04-02T10:00" },
    { type: "resume", at: "2026-04-07T09:00" },
  ],
};

/** What "another caller" computes with the presets. */
function answers(): unknown {
  const policy = getPolicy("softone-se");
  const calendar = getCalendar("softone-se");
  return JSON.parse(
    JSON.stringify({
      deadline: policy.deadline("2026-04-02T11:00", { priority: 3 }),
      window: policy.window("2026-01-31T10:00", { priority: 4, metric: "resolution" }),
      evaluation: policy.evaluate(ticket, "2026-04-08T12:00"),
      batch: policy.evaluateMany([ticket], "2026-04-08T12:00").toArray(),
      added: calendar.addBusinessTime("2026-04-02T15:00", 2 * H),
      between: calendar.businessTimeBetween("2026-04-01T00:00", "2026-04-10T00:00"),
      open: calendar.isOpen("2026-04-06T10:00"),
      day: calendar.describeDay("2026-04-03"),
      priorities: policy.priorities,
      spec: policy.spec,
    }),
  );
}

/** Every object reachable from `roots` through own properties (string and symbol keys) and getters. */
function reachable(roots: readonly unknown[]): Set<object> {
  const seen = new Set<object>();
  const queue = [...roots];
  while (queue.length > 0) {
    const value = queue.pop();
    if ((typeof value !== "object" && typeof value !== "function") || value === null || seen.has(value)) continue;
    seen.add(value);
    for (const key of Reflect.ownKeys(value)) {
      const descriptor: PropertyDescriptor = Reflect.getOwnPropertyDescriptor(value, key)!;
      if ("value" in descriptor) queue.push(descriptor.value);
      else {
        try {
          queue.push(descriptor.get?.call(value));
        } catch {
          // a getter that needs another receiver
        }
      }
    }
  }
  return seen;
}

/** Tries every way to change an object: set, redefine and delete each own key, add a key. */
function tamper(target: object): string[] {
  const changed: string[] = [];
  const object = target as Record<PropertyKey, unknown>;
  for (const key of Reflect.ownKeys(object)) {
    const before = Reflect.getOwnPropertyDescriptor(object, key);
    const replacement = typeof before?.value === "function" ? () => 0 : 0;
    if (Reflect.set(object, key, replacement) && object[key] === replacement) changed.push(`set ${String(key)}`);
    if (Reflect.defineProperty(object, key, { value: replacement })) {
      const after = Reflect.getOwnPropertyDescriptor(object, key);
      if (after?.value !== before?.value) changed.push(`define ${String(key)}`);
    }
    if (Reflect.deleteProperty(object, key) && !Reflect.has(object, key)) changed.push(`delete ${String(key)}`);
  }
  if (Reflect.set(object, "add", () => 0) && Object.prototype.hasOwnProperty.call(object, "add"))
    changed.push("add a key");
  return changed;
}

describe("the shared presets", () => {
  it("expose no symbol key and no mutable object to a caller", () => {
    const roots = [getPolicy("softone-se"), getCalendar("softone-se"), getPolicy("trinax-alert"), listProviders()];
    for (const root of roots) expect(Object.getOwnPropertySymbols(root)).toEqual([]);
    const mutable = [...reachable(roots)].filter((o) => typeof o !== "function" && !Object.isFrozen(o));
    expect(mutable).toEqual([]);
  });

  it("give another caller the same answers after every attempt to change them", () => {
    const expected = answers();
    const roots = [
      getPolicy("softone-se"),
      getCalendar("softone-se"),
      getPolicy("softone-se").calendar,
      getPolicy("softone-se", {}),
      listProviders(),
      listPolicies(),
    ];
    const changed: string[] = [];
    for (const object of reachable(roots)) {
      if (typeof object === "function") continue; // the public classes' methods, as for any class
      changed.push(...tamper(object));
    }
    expect(changed).toEqual([]);
    expect(answers()).toEqual(expected);
  });
});
