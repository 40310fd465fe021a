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
  type InstantInput,
  type Ticket,
  type TicketEvent,
} from "../src/index";
import { configureCaches } from "../src/index";
import { keptTicketStore } from "../src/clock/ticket-store";
import { thrown } from "./support/errors";
import { buildTicket, policies, scenario, ticketsOverPolicies } from "./support/tickets";
import { boom, unreadableTickets } from "./support/unreadable-tickets";

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

  it("gives bad tickets the very error their policy's evaluate throws, whichever form their instants take", () => {
    // Tickets read once for every policy (epoch ms, Dates) and tickets read per policy (strings,
    // read in each policy's zone) side by side, broken in ways each policy judges in its own order:
    // an unknown priority (the priority tables differ) before or after an event out of order.
    const mutation = fc.record({ kind: fc.nat({ max: 7 }), at: fc.nat(), form: fc.nat({ max: 3 }) });
    fc.assert(
      fc.property(fc.array(fc.tuple(scenario, fc.nat(), fc.nat(), mutation), { maxLength: 14 }), (rows) => {
        const tickets: Ticket[] = [];
        const chosen: Policy[] = [];
        for (const [{ policy: source, createdAt, priority, steps }, pick, id, m] of rows) {
          const built = buildTicket(source, createdAt, priority, steps);
          tickets.push(mutate({ ...built, id: id % 3 === 0 ? id : `T-${tickets.length}` }, m));
          chosen.push(policies[pick % policies.length]!);
        }
        const now = Date.parse("2028-06-01T00:00Z");
        const across = evaluateAcross(tickets, chosen, now);
        for (let i = 0; i < tickets.length; i++) {
          const got = across.get(i);
          let expected: unknown;
          try {
            expected = chosen[i]!.evaluate(tickets[i]!, now);
          } catch (e) {
            const error = e as SlaClockError;
            expect("error" in got).toBe(true);
            const failure = got as { index: number; error: SlaClockError };
            expect(failure.index).toBe(i);
            expect([failure.error.code, failure.error.message, failure.error.details]).toEqual([
              error.code,
              error.message,
              error.details,
            ]);
            continue;
          }
          expect(got).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("replays a policy's tickets by year of creation, yet reports its failures in the caller's order", () => {
    // softone-se's tickets, in the caller's order: 2027, an offset-less string (read against the
    // policy, so replayed first), 2025, 2026. Replayed by year, the failures of 0, 1 and 4 come as
    // 1, 4, 0: the batch must put them back in order, or get(i) finds another ticket's failure.
    const se = getPolicy("softone-se");
    const fi = getPolicy("softone-fi");
    const at = (iso: string) => Date.parse(iso);
    const tickets: Ticket[] = [
      { id: "late-unknown", priority: 99, createdAt: at("2027-03-01T09:00Z") },
      { id: "string-unknown", priority: 99, createdAt: "2026-06-01T09:00" },
      { id: "fi-good", priority: 1, createdAt: at("2026-02-02T09:00Z") },
      {
        id: "early-good",
        priority: 1,
        createdAt: at("2025-02-03T09:00Z"),
        events: [{ type: "respond", at: at("2025-02-03T10:00Z") }],
      },
      { id: "mid-unknown", priority: 99, createdAt: at("2026-05-04T09:00Z") },
      { id: "mid-good", priority: 2, createdAt: at("2026-05-05T09:00Z") },
    ];
    const chosen = [se, se, fi, se, se, se];
    const now = at("2027-06-01T00:00Z");
    const across = evaluateAcross(tickets, chosen, now);
    expect(across.failures.map((f) => [f.index, f.id])).toEqual([
      [0, "late-unknown"],
      [1, "string-unknown"],
      [4, "mid-unknown"],
    ]);
    const group = across.groups.find((g) => g.policy === se)!;
    expect(group.batch.failures.map((f) => f.index)).toEqual([0, 1, 3]);
    for (let i = 0; i < tickets.length; i++) {
      const got = across.get(i);
      if ("error" in got) expect(got.error).toEqual(thrown(() => chosen[i]!.evaluate(tickets[i]!, now)));
      else expect(got).toEqual(chosen[i]!.evaluate(tickets[i]!, now));
    }
  });

  it("evaluates the tickets it grouped when policyOf adds to the list during the call", () => {
    const se = getPolicy("softone-se");
    const fi = getPolicy("softone-fi");
    const at = Date.parse("2026-04-02T09:00Z");
    const tickets: Ticket[] = Array.from({ length: 6 }, (_, i) => ({
      id: i,
      priority: 1,
      createdAt: at + i * 3_600_000,
    }));
    const grouped = tickets.length;
    const across = evaluateAcross(
      tickets,
      (_, i) => {
        if (i === 0) tickets.push({ id: "late", priority: 1, createdAt: at });
        return i % 2 === 0 ? se : fi;
      },
      NOW,
    );
    expect(tickets.length).toBe(grouped + 1);
    expect(across.length).toBe(grouped);
    expect(across.failures).toEqual([]);
    for (let i = 0; i < grouped; i++) expect(across.get(i)).toEqual((i % 2 === 0 ? se : fi).evaluate(tickets[i]!, NOW));
  });

  it("fails an unreadable ticket alone when tickets are read once for several policies", () => {
    const se = getPolicy("softone-se");
    const fi = getPolicy("softone-fi");
    const createdAt = Date.parse("2026-04-02T09:00Z");
    const good: Ticket = { id: "good", priority: 1, createdAt, events: [{ type: "respond", at: createdAt + 60_000 }] };
    const unreadable = unreadableTickets(createdAt);
    const hostile = [
      unreadable["a throwing getter on an event"]!(),
      unreadable["a Proxy whose traps throw"]!(),
      unreadable["a Proxy for its events"]!(),
    ] as Ticket[];
    const list = [good, ...hostile, good];
    // The list itself a Proxy whose element 2 throws once read: when its policy is resolved.
    const tickets = new Proxy(list, {
      get(target, key, receiver) {
        if (key === "2") throw new Error("no element");
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const across = evaluateAcross(tickets, [se, fi, se, fi, se], NOW);
    expect(across.failures.map((f) => [f.index, f.error.code])).toEqual([
      [1, "INVALID_TICKET"],
      [2, "INVALID_TICKET"],
      [3, "INVALID_TICKET"],
    ]);
    expect(across.get(0)).toEqual(se.evaluate(good, NOW));
    expect(across.get(4)).toEqual(se.evaluate(good, NOW));
    // A policyOf that throws for a ticket whose id cannot be read: that ticket fails, with no id.
    const unnamed = evaluateAcross(list, (t) => (t === list[2] ? boom() : se), NOW);
    expect(unnamed.failures.map((f) => [f.index, f.id, f.error.code])).toEqual([
      [1, "getter-event", "INVALID_TICKET"],
      [2, null, "INVALID_ARGUMENT"],
      [3, "proxy-events", "INVALID_TICKET"],
    ]);
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

/**
 * `evaluateAcross` reads its tickets into a store that it keeps for the next call (its memory then
 * touched once): calls of any size, one after another or one inside another, must answer as if
 * each had a store of its own, and the kept store must hold none of a caller's values.
 */
describe("the ticket store kept between evaluateAcross calls", () => {
  /** `n` valid tickets over the test policies, many with long event lists (the store grows). */
  const ticketsOf = (n: number, seed: number) => ticketsOverPolicies(n, seed, "S", 3);
  const latest = (tickets: readonly Ticket[]) =>
    Math.max(Date.parse(NOW), ...tickets.map((t) => (t.createdAt as number) + 400 * 86_400_000));

  it("keeps its groups in the order of each policy's first ticket when calendars of one base are evaluated together", () => {
    // Customer calendars of two bases (other weekly hours), interleaved: the call evaluates the
    // groups of one base one after another (their chunks stay in the caches), and its result keeps
    // the groups in the order of their first tickets.
    const spec = getPolicy("softone-se").spec;
    const weekly = (close: string) =>
      Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["08:00", close]]]));
    const customer = (n: number, close: string): Policy =>
      definePolicy({
        ...spec,
        id: `order-${n}`,
        name: `Order ${n}`,
        calendar: { zone: "Europe/Stockholm", weekly: weekly(close), closedDates: [`2026-04-0${1 + n}`] },
      } as PolicySpec);
    const chosen = [
      customer(0, "16:00"),
      customer(1, "17:00"),
      customer(2, "16:00"),
      customer(3, "17:00"),
      customer(4, "16:00"),
    ];
    const tickets: Ticket[] = Array.from({ length: 40 }, (_, i) => ({
      id: `o-${i}`,
      priority: 1 + (i % 4),
      createdAt: Date.parse("2026-03-30T06:00Z") + i * 7_919_000,
      events: i % 3 === 0 ? [{ type: "respond", at: Date.parse("2026-03-30T06:00Z") + i * 7_919_000 + 3_600_000 }] : [],
    }));
    const policyOf = tickets.map((_, i) => chosen[i % chosen.length]!);
    const across = evaluateAcross(tickets, policyOf, NOW);
    expect(across.groups.map((g) => g.policy)).toEqual(chosen);
    for (const group of across.groups) {
      const own = Array.from(group.indexes, (i) => tickets[i]!);
      expect(group.batch.toArray()).toEqual(group.policy.evaluateMany(own, NOW).toArray());
    }
    tickets.forEach((t, i) => expect(across.get(i)).toEqual(policyOf[i]!.evaluate(t, NOW)));
  });

  it("answers as evaluate on calls that grow, shrink and grow again, and keeps no caller's value", () => {
    for (const [n, seed] of [
      [40, 1],
      [7, 2],
      [120, 3],
      [0, 4],
      [1, 5],
      [90, 6],
    ] as const) {
      const { tickets, chosen } = ticketsOf(n, seed);
      const now = latest(tickets);
      const across = evaluateAcross(tickets, chosen, now);
      expect(across.failures).toEqual([]);
      for (let i = 0; i < n; i++)
        expect(across.get(i), `call ${seed}, ticket ${i}`).toEqual(chosen[i]!.evaluate(tickets[i]!, now));
      const kept = keptTicketStore();
      if (n > 0) expect(kept).toBeDefined();
      if (kept !== undefined) {
        expect(kept.ids.every((id) => id === "")).toBe(true);
        expect(kept.priorities.every((p) => p === 0)).toBe(true);
        expect(kept.eventPriorities).toEqual([]);
      }
    }
    expect(configureCaches().ticketStoreBytes.size).toBe(keptTicketStore()!.bytes);
  });

  it("gives a call made from inside another (a ticket's getter) a store of its own", () => {
    const inner = ticketsOf(30, 7);
    const outer = ticketsOf(50, 8);
    const innerNow = latest(inner.tickets);
    const now = latest(outer.tickets);
    let innerRuns = 0;
    // An ISO string is read per policy, when its batch comes, after the store was read: the getter
    // runs both while the outer call reads its store and while it replays its batches.
    const sneaky = outer.tickets[3]!;
    const createdAtIso = new Date(sneaky.createdAt as number).toISOString();
    const tickets = outer.tickets.map((t, i) =>
      i !== 3
        ? t
        : ({
            ...t,
            get createdAt() {
              innerRuns++;
              const r = evaluateAcross(inner.tickets, inner.chosen, innerNow);
              for (let k = 0; k < inner.tickets.length; k++)
                expect(r.get(k)).toEqual(inner.chosen[k]!.evaluate(inner.tickets[k]!, innerNow));
              return createdAtIso;
            },
          } as Ticket),
    );
    const across = evaluateAcross(tickets, outer.chosen, now);
    expect(innerRuns).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < tickets.length; i++)
      expect(across.get(i), `ticket ${i}`).toEqual(outer.chosen[i]!.evaluate(outer.tickets[i]!, now));
  });

  it("keeps no store with ticketStoreBytes 0, drops a kept one larger than a lowered limit, and refuses bad limits", () => {
    const before = configureCaches().ticketStoreBytes.limit;
    try {
      const { tickets, chosen } = ticketsOf(60, 9);
      evaluateAcross(tickets, chosen, latest(tickets));
      const size = configureCaches().ticketStoreBytes.size;
      expect(size).toBeGreaterThan(0);
      expect(configureCaches({ ticketStoreBytes: size }).ticketStoreBytes).toEqual({ limit: size, size });
      expect(configureCaches({ ticketStoreBytes: size - 1 }).ticketStoreBytes).toEqual({ limit: size - 1, size: 0 });
      configureCaches({ ticketStoreBytes: 0 });
      const across = evaluateAcross(tickets, chosen, latest(tickets));
      expect(across.get(5)).toEqual(chosen[5]!.evaluate(tickets[5]!, latest(tickets)));
      expect(configureCaches().ticketStoreBytes).toEqual({ limit: 0, size: 0 });
      for (const bad of [-1, 1.5, "1", Number.NaN]) {
        const e = thrown(() => configureCaches({ ticketStoreBytes: bad as number }));
        expect([e.code, e.details.path]).toEqual(["INVALID_ARGUMENT", "options.ticketStoreBytes"]);
      }
      expect(configureCaches().ticketStoreBytes.limit).toBe(0);
    } finally {
      configureCaches({ ticketStoreBytes: before });
    }
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

/** A valid ticket broken (or not) one way, with its instants in one of the forms a ticket may use. */
function mutate(ticket: Ticket, m: { kind: number; at: number; form: number }): Ticket {
  const events = [...(ticket.events ?? [])];
  const k = events.length === 0 ? -1 : m.at % events.length;
  switch (m.kind) {
    case 1: // an event before the previous one
      if (k > 0) [events[k - 1], events[k]] = [events[k]!, events[k - 1]!];
      break;
    case 2: // a priority no table has
      if (k >= 0) events.splice(k, 0, { type: "priority", at: events[k]!.at, priority: 99 });
      else ticket = { ...ticket, priority: 99 };
      break;
    case 3: // an event before the ticket was created
      events.unshift({ type: "respond", at: (ticket.createdAt as number) - 60_000 });
      break;
    case 4: // a resume without a pause
      events.push({ type: "resume", at: (events.at(-1)?.at as number | undefined) ?? (ticket.createdAt as number) });
      break;
    case 5: // an instant that is not one
      if (k >= 0) events[k] = { ...events[k]!, at: 1.5 } as TicketEvent;
      else ticket = { ...ticket, createdAt: Number.NaN };
      break;
    case 6: // a key the schema does not know
      ticket = { ...ticket, extra: true } as Ticket;
      break;
  }
  const form = (at: InstantInput): InstantInput => {
    if (typeof at !== "number" || !Number.isInteger(at)) return at;
    if (m.form === 1) return new Date(at);
    // A wall time without an offset: read in each policy's own zone.
    if (m.form === 2) return new Date(at).toISOString().slice(0, 19);
    if (m.form === 3) return new Date(at).toISOString();
    return at;
  };
  return {
    ...ticket,
    createdAt: form(ticket.createdAt),
    events: events.map((e) => ({ ...e, at: form(e.at) })),
  };
}
