/**
 * The four metrics against the naive minute-stepping replay of test/reference/ticket-clock.ts
 * (which shares no code with src/): random policies (business or calendar targets, or none, per
 * priority and metric) on the softone-se calendar around Easter 2026, random tickets walked through
 * the ticket state machine with agent and customer replies. Every metric's status, elapsed time,
 * breach instant, deadline, breaches, cycles and 50 % alert instant agree; evaluateMany agrees with
 * evaluate.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  METRICS,
  definePolicy,
  getPolicy,
  type MetricCycle,
  type PrioritySpec,
  type Target,
  type Ticket,
  type TicketEvent,
} from "../src/index";
import {
  MINUTE,
  REF_METRICS,
  refEvaluate,
  type RefCycle,
  type RefEvent,
  type RefMeasure,
  type RefMetric,
} from "./reference/ticket-clock";

const softone = getPolicy("softone-se");
const FROM = Date.UTC(2026, 2, 30, 5, 0); // Mon 2026-03-30 07:00 Stockholm
const IDS = ["1", "2", "3"];

const targetsArb = fc.record({
  measures: fc.record({
    response: fc.constantFrom<RefMeasure>("business", "calendar"),
    resolution: fc.constantFrom<RefMeasure>("business", "calendar"),
    nextReply: fc.constantFrom<RefMeasure>("business", "calendar"),
    periodicUpdate: fc.constantFrom<RefMeasure>("business", "calendar"),
  }),
  // Per priority and metric: minutes of target, or 0 for none.
  minutes: fc.array(
    fc.array(
      fc.oneof(
        fc.constant(0),
        fc.integer({ min: 1, max: 16 }).map((n) => n * 30),
      ),
      {
        minLength: 4,
        maxLength: 4,
      },
    ),
    { minLength: 3, maxLength: 3 },
  ),
});

const TYPES: readonly TicketEvent["type"][] = [
  "pause",
  "resume",
  "priority",
  "respond",
  "agentReply",
  "customerReply",
  "resolve",
  "reopen",
];

const ticketArb = fc.record({
  created: fc.integer({ min: 0, max: 10 * 24 * 60 }),
  priority: fc.nat(2),
  steps: fc.array(
    fc.record({
      gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 600, max: 3 * 24 * 60 })),
      pick: fc.nat(),
      priority: fc.nat(2),
    }),
    { maxLength: 10 },
  ),
  later: fc.integer({ min: 0, max: 3 * 24 * 60 }),
  early: fc.nat(),
});

/** Random steps walked through the state machine into valid events. */
function buildEvents(createdAt: number, steps: readonly { gap: number; pick: number; priority: number }[]): RefEvent[] {
  let t = createdAt;
  let paused = false;
  let resolved = false;
  let responded = false;
  const out: RefEvent[] = [];
  for (const s of steps) {
    t += s.gap * MINUTE;
    const allowed = TYPES.filter((type) => {
      if (type === "pause") return !resolved && !paused;
      if (type === "resume") return !resolved && paused;
      if (type === "respond") return !responded;
      if (type === "resolve") return !resolved;
      if (type === "reopen") return resolved;
      return true;
    });
    const type = allowed[s.pick % allowed.length] as RefEvent["type"];
    out.push(type === "priority" ? { type, at: t, priority: IDS[s.priority] as string } : { type, at: t });
    if (type === "pause") paused = true;
    if (type === "resume") paused = false;
    if (type === "respond") responded = true;
    if (type === "resolve") {
      resolved = true;
      paused = false;
    }
    if (type === "reopen") resolved = false;
  }
  return out;
}

const ms = (d: Date | null) => (d === null ? null : d.getTime());
const libCycles = (cycles: readonly MetricCycle[]): RefCycle[] =>
  cycles.map((c) => ({
    start: c.start.getTime(),
    stop: ms(c.stop),
    stoppedBy: c.stoppedBy,
    measure: c.measure,
    elapsed: c.elapsed,
    targetMs: c.targetMs,
    deadline: ms(c.deadline),
    status: c.status,
    breachedAt: ms(c.breachedAt),
  }));

describe("the four metrics agree with a naive minute-stepping replay", () => {
  it("cycles, elapsed, status, breach instant, deadline and breaches; evaluateMany equals evaluate", () => {
    fc.assert(
      fc.property(targetsArb, fc.array(ticketArb, { minLength: 1, maxLength: 3 }), ({ measures, minutes }, raw) => {
        const targets: Record<string, Partial<Record<RefMetric, number>>> = {};
        const priorities = IDS.map((id, p): PrioritySpec => {
          const row: Partial<Record<RefMetric, Target>> = {};
          targets[id] = {};
          REF_METRICS.forEach((m, j) => {
            const n = (minutes[p] as number[])[j] as number;
            if (n === 0) {
              if (m === "response") row[m] = { kind: "none" };
              return;
            }
            row[m] = { kind: measures[m], duration: n * MINUTE };
            (targets[id] as Partial<Record<RefMetric, number>>)[m] = n * MINUTE;
          });
          return { id, label: `P${id}`, targets: row as PrioritySpec["targets"] };
        });
        const policy = definePolicy({
          id: "prop",
          name: "prop",
          calendar: softone.calendar,
          priorities,
          alerts: [0.5],
        });
        const tickets: Ticket[] = [];
        const nows: number[] = [];
        for (const r of raw) {
          const createdAt = FROM + r.created * MINUTE;
          const events = buildEvents(createdAt, r.steps);
          const lastAt = events.length === 0 ? createdAt : (events[events.length - 1] as RefEvent).at;
          // Now: past the last event, or (sometimes) in the middle of the events.
          const now =
            r.early % 3 === 0 ? createdAt + ((lastAt - createdAt) * (r.early % 7)) / 7 : lastAt + r.later * MINUTE;
          const nowMinute = createdAt + Math.floor((now - createdAt) / MINUTE) * MINUTE;
          tickets.push({
            id: `T${tickets.length}`,
            priority: IDS[r.priority] as string,
            createdAt,
            events: events as TicketEvent[],
          });
          nows.push(nowMinute);
        }
        const batchNow = Math.max(...nows);
        const open = policy.calendar
          .openIntervals(FROM - 86_400_000, batchNow + 90 * 86_400_000)
          .map((i) => [i.start.getTime(), i.end.getTime()] as const);
        const batch = policy.evaluateMany(tickets, batchNow);
        tickets.forEach((ticket, i) => {
          expect(batch.get(i)).toEqual(policy.evaluate(ticket, batchNow));
          // Each ticket against the reference at its own now (sometimes in the middle of its events).
          const now = nows[i] as number;
          const e = policy.evaluate(ticket, now);
          const ref = refEvaluate(
            { targets, measures, open, alert: 0.5 },
            {
              priority: String(ticket.priority),
              createdAt: ticket.createdAt as number,
              events: (ticket.events ?? []) as RefEvent[],
            },
            now,
          );
          for (const m of METRICS) {
            const got = e[m];
            const want = ref[m as RefMetric];
            expect({ metric: m, cycles: libCycles(got.cycles) }).toEqual({ metric: m, cycles: want.cycles });
            expect({
              metric: m,
              status: got.status,
              elapsed: got.elapsed,
              breachedAt: ms(got.breachedAt),
              deadline: ms(got.deadline),
              breaches: got.breaches,
              alertAt: ms(got.alerts[0]?.at ?? null),
            }).toEqual({
              metric: m,
              status: want.status,
              elapsed: want.elapsed,
              breachedAt: want.breachedAt,
              deadline: want.deadline,
              breaches: want.breaches,
              alertAt: want.alertAt,
            });
          }
        });
      }),
      { numRuns: 150 },
    );
  });
});
