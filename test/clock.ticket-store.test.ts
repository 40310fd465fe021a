/**
 * The store evaluateAcross reads its tickets into (src/clock/ticket-store.ts): the order a group's
 * tickets are replayed in.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TicketReader } from "../src/clock/ticket";
import { TicketStore } from "../src/clock/ticket-store";

const YEAR_MS = 366 * 86_400_000;
const FIRST = Date.UTC(1900, 0, 1);
const LAST = Date.UTC(2200, 11, 31);

describe("TicketStore.replayOrder", () => {
  it("replays a group's tickets by year of creation: those read against the policy first, ties in place order", () => {
    const ticket = fc.record({
      createdAt: fc.oneof(
        fc.integer({ min: FIRST, max: LAST }),
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) }),
      ),
      // An offset-less string needs the policy's zone: the store leaves it to the policy.
      stored: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(ticket, { minLength: 1, maxLength: 40 }), fc.nat({ max: 3 }), (rows, before) => {
        // One group after `before` tickets of another, so that the group starts at a later slot.
        const list = [
          ...Array.from({ length: before }, (_, k) => ({ id: `other-${k}`, priority: 1, createdAt: FIRST })),
          ...rows.map((r, k) => ({
            id: k,
            priority: 1,
            createdAt: r.stored ? r.createdAt : new Date(r.createdAt).toISOString().slice(0, 16),
          })),
        ];
        const n = list.length;
        const group = Int32Array.from(list, (_, i) => (i < before ? 0 : 1));
        const place = Int32Array.from(list, (_, i) => (i < before ? i : i - before));
        const first = Int32Array.from([0, before, n]);
        const store = TicketStore.reserve(n);
        try {
          store.read(list, n, new TicketReader(), { group, place, first });
          const order = Array.from(store.replayOrder(before, rows.length).subarray(0, rows.length));
          expect([...order].sort((a, b) => a - b)).toEqual(rows.map((_, k) => k));
          for (let r = 1; r < order.length; r++) {
            const a = rows[order[r - 1]!]!;
            const b = rows[order[r]!]!;
            // Not stored after stored: never. A year or more earlier after a later one: never.
            expect(a.stored && !b.stored).toBe(false);
            if (a.stored && b.stored) expect(b.createdAt - a.createdAt).toBeGreaterThan(-YEAR_MS);
            if (a.stored === b.stored && (!a.stored || a.createdAt === b.createdAt))
              expect(order[r - 1]!).toBeLessThan(order[r]!);
          }
        } finally {
          TicketStore.release(store);
        }
      }),
      { numRuns: 200 },
    );
  });
});
