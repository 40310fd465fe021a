/**
 * Properties of the ticket clock over random tickets on the built-in policies.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TicketEvent } from "../src/index";
import { DAY, buildTicket, scenario } from "./support/tickets";

describe("ticket clock properties", () => {
  it("remaining = target − elapsed, and a running metric is due after now", () => {
    fc.assert(
      fc.property(scenario, ({ policy, createdAt, priority, steps, later }) => {
        const ticket = buildTicket(policy, createdAt, priority, steps);
        const now = createdAt + later;
        const e = policy.evaluate(ticket, now);
        for (const m of [e.response, e.resolution]) {
          if (m.status === "none") {
            expect(m.remaining).toBeNull();
            continue;
          }
          expect(m.remaining).toBe(m.targetMs! - m.elapsed);
          if (m.status === "running") {
            expect(m.breachedAt).toBeNull();
            expect(m.deadline!.getTime()).toBeGreaterThan(now);
          }
          if (m.status === "breached") expect(m.breachedAt!.getTime()).toBeLessThanOrEqual(now);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("elapsed never decreases as now grows (for the same measure)", () => {
    fc.assert(
      fc.property(scenario, ({ policy, createdAt, priority, steps, later, later2 }) => {
        const ticket = buildTicket(policy, createdAt, priority, steps);
        const a = policy.evaluate(ticket, createdAt + later);
        const b = policy.evaluate(ticket, createdAt + later + later2);
        for (const metric of ["response", "resolution"] as const) {
          if (a[metric].measure === b[metric].measure)
            expect(b[metric].elapsed).toBeGreaterThanOrEqual(a[metric].elapsed);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("adding a pause never makes a ticket breach earlier", () => {
    fc.assert(
      fc.property(
        scenario,
        fc.nat(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ({ policy, createdAt, priority, steps, later }, gapPick, f1, f2) => {
          const ticket = buildTicket(policy, createdAt, priority, steps, false);
          const events = ticket.events ?? [];
          const now = createdAt + later;
          // Choose a gap between consecutive events (or after the last) in which the ticket is open.
          const bounds = [createdAt, ...events.map((e) => e.at as number), now + DAY];
          let open = true;
          const openGaps: number[] = [];
          for (let i = 0; i < bounds.length - 1; i++) {
            if (i > 0) {
              const type = events[i - 1]!.type;
              if (type === "resolve") open = false;
              if (type === "reopen") open = true;
            }
            if (open && bounds[i + 1]! > bounds[i]!) openGaps.push(i);
          }
          if (openGaps.length === 0) return;
          const g = openGaps[gapPick % openGaps.length]!;
          const lo = bounds[g]!;
          const hi = bounds[g + 1]!;
          const a = Math.floor(lo + (hi - lo) * Math.min(f1, f2));
          const b = Math.floor(lo + (hi - lo) * Math.max(f1, f2));
          const paused: TicketEvent[] = [
            ...events.slice(0, g),
            { type: "pause", at: a },
            { type: "resume", at: b },
            ...events.slice(g),
          ];
          const base = policy.evaluate(ticket, now);
          const withPause = policy.evaluate({ ...ticket, events: paused }, now);
          for (const metric of ["response", "resolution"] as const) {
            const before = base[metric].breachedAt;
            const after = withPause[metric].breachedAt;
            if (before === null) expect(after).toBeNull();
            else if (after !== null) expect(after.getTime()).toBeGreaterThanOrEqual(before.getTime());
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("is not breached at breachedAt − 1 ms and is breached at breachedAt", () => {
    fc.assert(
      fc.property(scenario, ({ policy, createdAt, priority, steps, later }) => {
        const ticket = buildTicket(policy, createdAt, priority, steps);
        const e = policy.evaluate(ticket, createdAt + later);
        for (const metric of ["response", "resolution"] as const) {
          const b = e[metric].breachedAt;
          if (b === null) continue;
          const t = b.getTime();
          const at = policy.evaluate(ticket, t)[metric];
          expect(at.status).toBe("breached");
          expect(at.breachedAt!.getTime()).toBe(t);
          if (t - 1 >= createdAt) expect(policy.evaluate(ticket, t - 1)[metric].status).not.toBe("breached");
        }
      }),
      { numRuns: 400 },
    );
  });

  it("gives the same answer twice, and frozen results", () => {
    fc.assert(
      fc.property(scenario, ({ policy, createdAt, priority, steps, later }) => {
        const ticket = buildTicket(policy, createdAt, priority, steps);
        const a = policy.evaluate(ticket, createdAt + later);
        const b = policy.evaluate(ticket, createdAt + later);
        expect(b).toEqual(a);
        expect(Object.isFrozen(a) && Object.isFrozen(a.response) && Object.isFrozen(a.resolution)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
