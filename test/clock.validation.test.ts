/**
 * The ticket shape check: the fast recogniser used by evaluateMany must never accept what the zod
 * schema rejects (zod stays the authority), and every malformed ticket gets a typed error.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DateTime } from "luxon";
import { SlaClockError, evaluateAcross, getPolicy, type Ticket } from "../src/index";
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

/**
 * The reader checks a ticket's shape and reads its values in one pass, and stops at the first
 * problem it finds. A problem of shape later in the ticket is still the one reported (zod's
 * wording, as for any malformed ticket), never the problem of a value read before it.
 */
describe("a problem of shape after a problem of value", () => {
  const now = "2026-04-01T12:00Z";
  const cases: [string, unknown, RegExp][] = [
    [
      "a resume without a pause, then an event with an unknown key",
      {
        id: "S-1",
        priority: 1,
        createdAt: "2026-04-01T09:00Z",
        events: [
          { type: "resume", at: "2026-04-01T10:00Z" },
          { type: "pause", at: "2026-04-01T10:30Z", bogus: 1 },
        ],
      },
      /ticket S-1: events\[1\]: unknown key "bogus"/,
    ],
    [
      "an instant that is no date, then an event of an unknown type",
      {
        id: "S-2",
        priority: 1,
        createdAt: "2026-13-45T10:00Z",
        events: [{ type: "escalate", at: "2026-04-01T10:00Z" }],
      },
      /ticket S-2: events\[0\]\.type: expected an event type/,
    ],
    [
      "a priority the table does not have, then an event that is not an object",
      { id: "S-3", priority: 99, createdAt: "2026-04-01T09:00Z", events: ["respond"] },
      /ticket S-3: events\[0\]: expected an event object/,
    ],
  ];
  for (const [name, ticket, message] of cases) {
    it(name, () => {
      expect(certainlyWellShaped(ticket)).toBe(false);
      expect(() => policy.evaluate(ticket as Ticket, now)).toThrow(message);
      const batch = policy.evaluateMany([ticket as Ticket], now);
      expect((batch.get(0) as { error: SlaClockError }).error.message).toMatch(message);
      const across = evaluateAcross([ticket as Ticket, ticket as Ticket], [policy, getPolicy("moch-standard")], now);
      expect((across.get(0) as { error: SlaClockError }).error.message).toMatch(message);
    });
  }
});

/**
 * A ticket read through getters (or a Proxy) may answer each read differently. The fast shape check
 * reads a ticket once and the reader reads it again: a value whose shape changed in between must
 * not be taken as it comes (an event type read as "bogus" the second time was taken for a pause,
 * and the ticket came out `paused`). The ticket is then read once more, through zod's copy, so the
 * answer is that of one whole reading of it, in evaluate, evaluateMany and evaluateAcross alike.
 */
describe("a ticket whose getters answer differently on each read", () => {
  const now = "2026-04-01T12:00Z";
  const good: Ticket = {
    id: "G",
    priority: 1,
    createdAt: "2026-04-01T09:00Z",
    events: [{ type: "respond", at: "2026-04-01T10:00Z" }],
  };
  const expected = policy.evaluate(good, now);
  /**
   * `good` with `key` of `on(ticket)` a getter giving `answers` in turn, over and over. The fast
   * check reads a ticket's id, then its fields (an event's type twice), then the reader reads them
   * again: each list puts the other shape where the reader's read falls.
   */
  const flipping = (key: string, answers: unknown[], on: (t: Record<string, unknown>) => object) => {
    const t = structuredClone(good) as unknown as Record<string, unknown>;
    let reads = 0;
    Object.defineProperty(on(t), key, { enumerable: true, get: () => answers[reads++ % answers.length] });
    return t as unknown as Ticket;
  };
  const bogus = [{ type: "bogus", at: "2026-04-01T10:00Z" }];
  const cases: [string, () => Ticket][] = [
    ["the events, whose type turns bogus", () => flipping("events", [good.events, bogus], (t) => t)],
    ["an event's type", () => flipping("type", ["respond", "respond", "bogus"], (t) => (t.events as object[])[0]!)],
    ["an event that turns into null", () => flipping("events", [good.events, [null]], (t) => t)],
    ["the events turning into a string", () => flipping("events", [good.events, "respond"], (t) => t)],
    ["the id", () => flipping("id", ["G", "G", { not: "an id" }], (t) => t)],
  ];
  for (const [name, make] of cases) {
    it(`${name}: evaluated as one reading of it, never as a mix`, () => {
      const one = policy.evaluate(make(), now);
      expect(one).toEqual(expected);
      const batch = policy.evaluateMany([make(), make()], now);
      expect(batch.failures).toEqual([]);
      expect([batch.get(0), batch.get(1)]).toEqual([expected, expected]);
      expect(String(batch.ids[0])).toBe("G");
      const across = evaluateAcross([make(), make()], [policy, policy], now);
      expect([across.get(0), across.get(1)]).toEqual([expected, expected]);
    });
  }
});
