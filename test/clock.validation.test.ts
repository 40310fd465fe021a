/**
 * The ticket shape check: the fast recogniser used by evaluateMany must never accept what the zod
 * schema rejects (zod stays the authority), and every malformed ticket gets a typed error.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { SlaClockError, getPolicy, type Ticket } from "../src/index";
import { certainlyWellShaped } from "../src/clock/ticket";

const policy = getPolicy("softone-se");

/** Values close to tickets: right keys with arbitrary values, extra keys, odd prototypes. */
const value = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 4 }),
  fc.constantFrom("", "2026-04-01T10:00", "respond", "priority", "pause", "x".repeat(501)),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(new Date(Date.UTC(2026, 3, 1))),
  fc.constant(DateTime.fromMillis(Date.UTC(2026, 3, 1))),
  fc.constant(Number.NaN),
  fc.constant(Infinity),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 2 }),
);
const event = fc.oneof(
  fc.record(
    { type: fc.constantFrom("pause", "resume", "respond", "resolve", "reopen", "priority", "escalate"), at: value },
    { requiredKeys: [] },
  ),
  fc.record({ type: fc.constantFrom("priority", "respond"), at: value, priority: value }, { requiredKeys: ["type"] }),
  fc.record({ type: value, at: value, extra: value }, { requiredKeys: ["extra"] }),
  value,
);
const ticketLike = fc.oneof(
  fc.record(
    { id: value, priority: value, createdAt: value, events: fc.oneof(fc.array(event, { maxLength: 3 }), value) },
    { requiredKeys: [] },
  ),
  fc.record({ id: value, priority: value, createdAt: value, note: value }, { requiredKeys: ["note"] }),
  fc.anything(),
);

describe("ticket shape validation", () => {
  it("the fast recogniser accepts nothing that evaluate's zod schema rejects", () => {
    fc.assert(
      fc.property(ticketLike, (t) => {
        if (!certainlyWellShaped(t)) return;
        // Accepted by the recogniser: evaluate may still reject it for its values (instants,
        // priorities, order), but never with a shape error from zod.
        try {
          policy.evaluate(t as Ticket, "2027-01-01T00:00Z");
        } catch (e) {
          expect(e).toBeInstanceOf(SlaClockError);
          const err = e as SlaClockError;
          expect(err.message).not.toMatch(/expected an? (instant|priority id|id|event|list|ticket)|unknown key/);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("answers every malformed ticket with a typed error, in evaluate and in evaluateMany", () => {
    fc.assert(
      fc.property(fc.array(ticketLike, { maxLength: 5 }), (tickets) => {
        const batch = policy.evaluateMany(tickets as Ticket[], "2027-01-01T00:00Z");
        expect(batch.length).toBe(tickets.length);
        tickets.forEach((t, i) => {
          let single: unknown;
          try {
            single = policy.evaluate(t as Ticket, "2027-01-01T00:00Z");
          } catch (e) {
            expect(e).toBeInstanceOf(SlaClockError);
            expect(batch.isFailure(i)).toBe(true);
            const failure = batch.get(i) as { error: SlaClockError };
            expect(failure.error.code).toBe((e as SlaClockError).code);
            return;
          }
          expect(batch.get(i)).toEqual(single);
        });
      }),
      { numRuns: 500 },
    );
  });
});
