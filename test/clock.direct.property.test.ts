/**
 * Direct properties of the ticket clock (issue 12, section 4), checked against the calendar's own
 * `businessTimeBetween` rather than against a reference replay, on random tickets with
 * millisecond instants around Easter 2026 on the softone-se calendar (eves, a long weekend):
 *
 * - each cycle's `elapsed` is the business time (wall time for calendar targets) between its start
 *   and its stop (or now) less the time the ticket was paused in between, the pauses taken from the
 *   ticket's own events;
 * - an alert threshold's instant is where the time used reaches the threshold exactly: used time
 *   at that instant == ceil(fraction × target), or target − lead (0 for a lead longer than the
 *   target);
 * - `evaluateMany` agrees with `evaluate` on every ticket, `nextAlertAt` and the columns included.
 *
 * The seed is the run's (test/support/fast-check-seed.ts): derived from the commit in CI.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  METRICS,
  definePolicy,
  getPolicy,
  type AlertThreshold,
  type Metric,
  type MetricCycle,
  type PrioritySpec,
  type Ticket,
  type TicketEvaluation,
  type TicketEvent,
} from "../src/index";

const softone = getPolicy("softone-se");
const calendar = softone.calendar;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const FROM = Date.UTC(2026, 2, 30, 5, 0); // Mon 2026-03-30 07:00 Stockholm, Easter week
const IDS = ["1", "2", "3"];
const CYCLE_METRICS: readonly Metric[] = METRICS;

type Measure = "business" | "calendar";

/** Per metric one measure (so a cycle's measure is known whatever the priority), per priority a length or none. */
const policyArb = fc.record({
  measures: fc.record({
    response: fc.constantFrom<Measure>("business", "calendar"),
    resolution: fc.constantFrom<Measure>("business", "calendar"),
    nextReply: fc.constantFrom<Measure>("business", "calendar"),
    periodicUpdate: fc.constantFrom<Measure>("business", "calendar"),
  }),
  lengths: fc.array(
    fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 * HOUR })), { minLength: 4, maxLength: 4 }),
    { minLength: 3, maxLength: 3 },
  ),
  alerts: fc.tuple(
    fc.oneof(
      fc.double({ min: 0.01, max: 1, noNaN: true }),
      fc.constantFrom(0.5, 0.75, 1),
      fc.integer({ min: 0, max: 50 * HOUR }).map((ms): AlertThreshold => ({ before: ms })),
    ),
    fc.oneof(
      fc.constantFrom(0.25, 0.9),
      fc.integer({ min: 0, max: 8 * HOUR }).map((ms): AlertThreshold => ({ before: ms })),
    ),
  ),
  inOpenHours: fc.boolean(),
});

const TYPES: readonly TicketEvent["type"][] = [
  "pause",
  "resume",
  "priority",
  "respond",
  "agentReply",
  "customerReply",
  "customerReply",
  "agentReply",
  "resolve",
  "reopen",
];

const ticketArb = fc.record({
  created: fc.integer({ min: 0, max: 12 * 24 * HOUR }),
  priority: fc.nat(2),
  steps: fc.array(
    fc.record({
      gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10 * HOUR }), fc.integer({ min: 0, max: 4 * 24 * HOUR })),
      pick: fc.nat(),
      priority: fc.nat(2),
    }),
    { maxLength: 12 },
  ),
  /** Now: this far past the last event, or (when `early` % 3 is 0) part-way through the events. */
  later: fc.integer({ min: 0, max: 4 * 24 * HOUR }),
  early: fc.nat(),
  withPriorityChanges: fc.boolean(),
});

type TicketRaw = typeof ticketArb extends fc.Arbitrary<infer T> ? T : never;
type PolicyRaw = typeof policyArb extends fc.Arbitrary<infer T> ? T : never;

interface TicketCase {
  readonly ticket: Ticket;
  readonly events: readonly { type: TicketEvent["type"]; at: number }[];
  readonly now: number;
}

/** Random steps walked through the ticket state machine into valid events with epoch-ms instants. */
function ticketOf(r: TicketRaw, k: number): TicketCase {
  const createdAt = FROM + r.created;
  let t = createdAt;
  let paused = false;
  let resolved = false;
  let responded = false;
  const events: TicketEvent[] = [];
  for (const s of r.steps) {
    t += s.gap;
    const allowed = TYPES.filter((type) => {
      if (type === "pause") return !resolved && !paused;
      if (type === "resume") return !resolved && paused;
      if (type === "respond") return !responded;
      if (type === "resolve") return !resolved;
      if (type === "reopen") return resolved;
      if (type === "priority") return r.withPriorityChanges;
      return true;
    });
    const type = allowed[s.pick % allowed.length] as TicketEvent["type"];
    events.push(type === "priority" ? { type, at: t, priority: IDS[s.priority] as string } : { type, at: t });
    if (type === "pause") paused = true;
    if (type === "resume") paused = false;
    if (type === "respond") responded = true;
    if (type === "resolve") {
      resolved = true;
      paused = false;
    }
    if (type === "reopen") resolved = false;
  }
  const now = r.early % 3 === 0 ? createdAt + Math.floor(((t - createdAt) * (r.early % 7)) / 7) : t + r.later;
  return {
    ticket: { id: `T${k}`, priority: IDS[r.priority] as string, createdAt, events },
    events: events.map((e) => ({ type: e.type, at: e.at as number })),
    now,
  };
}

/** The ticket's paused intervals up to `now`, from its own events: a pause ends at resume or resolve. */
function pausesOf(events: TicketCase["events"], now: number): [number, number][] {
  const out: [number, number][] = [];
  let from = -1;
  for (const e of events) {
    if (e.at > now) break;
    if (e.type === "pause") from = e.at;
    else if ((e.type === "resume" || e.type === "resolve") && from >= 0) {
      out.push([from, e.at]);
      from = -1;
    }
  }
  if (from >= 0) out.push([from, now]);
  return out;
}

/** Counted time over [a, b] in a measure: its business (or wall) time less the paused part of it. */
function counted(measure: Measure, a: number, b: number, pauses: readonly [number, number][]): number {
  const span = (p: number, q: number) =>
    q <= p ? 0 : measure === "business" ? calendar.businessTimeBetween(p, q) : q - p;
  let paused = 0;
  for (const [p, q] of pauses) paused += span(Math.max(p, a), Math.min(q, b));
  return span(a, b) - paused;
}

function makePolicy(p: PolicyRaw) {
  const priorities = IDS.map((id, i): PrioritySpec => {
    const targets: Record<string, unknown> = {};
    METRICS.forEach((m, j) => {
      const ms = (p.lengths[i] as number[])[j] as number;
      if (ms === 0) {
        if (m === "response") targets[m] = { kind: "none" };
        return;
      }
      targets[m] = { kind: p.measures[m], duration: ms };
    });
    return { id, label: `P${id}`, targets: targets as PrioritySpec["targets"] };
  });
  return definePolicy({ id: "direct", name: "direct", calendar: softone.calendar, priorities, alerts: p.alerts });
}

/**
 * The `usedMs` the docs allow for a fraction, computed exactly in integers from the fraction as
 * written (its shortest decimal, `String(0.55)`): the ceiling of `fraction × targetMs`, or the whole
 * millisecond below it when the product is less than a microsecond past it (55 % of an hour is
 * 1 980 000 ms, where the floating-point product is 1 980 000.0000000002). Both when the product is
 * within a floating-point error of exactly a microsecond past a whole millisecond.
 */
function fractionLengths(fraction: number, targetMs: number): number[] {
  const [mantissa = "", exponent = "0"] = String(fraction).split("e");
  const [whole = "", decimals = ""] = mantissa.split(".");
  const scale = decimals.length - Number(exponent);
  const product = BigInt(whole + decimals) * BigInt(targetMs);
  if (scale <= 0) return [Number(product * 10n ** BigInt(-scale))];
  const unit = 10n ** BigInt(scale);
  const below = Number(product / unit);
  const rest = product % unit;
  if (rest === 0n) return [below];
  // How far past a microsecond (1e-3 ms) the product is, against the floating-point product's error.
  const past = Number(rest) / Number(unit) - 1e-3;
  const band = Math.max(1e-9, 8 * Number.EPSILON * (below + 1));
  if (past < -band) return [below];
  if (past > band) return [below + 1];
  return [below, below + 1];
}

/** The time used at which a threshold is crossed, as the docs define it (PolicySpec.alerts). */
function thresholdLengths(threshold: AlertThreshold, targetMs: number): number[] {
  if (typeof threshold === "number") return fractionLengths(threshold, targetMs);
  const lead = threshold.before as number;
  return [targetMs > lead ? targetMs - lead : 0];
}

/** A cycle's measure: the metric's (one per metric in these policies); `none` counts business time. */
function measureOfCycle(measures: Record<Metric, Measure>, m: Metric, cycle: MetricCycle): Measure {
  const measure = cycle.targetMs === null ? null : measures[m];
  expect(cycle.measure, "the cycle's own measure").toBe(measure);
  return measure ?? "business";
}

describe("direct properties of the ticket clock", () => {
  it("a resolution run after a priority change that switches its measure counts its own time (found by the elapsed property)", () => {
    // P1: resolution 1 h calendar; P2: no resolution target (counts business time). The calendar is
    // closed at 07:00–08:00, so the first run counted 10 calendar minutes and no business time.
    const policy = definePolicy({
      id: "switch",
      name: "switch",
      calendar: softone.calendar,
      priorities: [
        {
          id: "1",
          label: "P1",
          targets: { response: { kind: "none" }, resolution: { kind: "calendar", duration: HOUR } },
        },
        { id: "2", label: "P2", targets: { response: { kind: "none" } } },
      ],
    });
    const ticket: Ticket = {
      id: "T-1",
      priority: "1",
      createdAt: FROM,
      events: [
        { type: "resolve", at: FROM + 10 * MINUTE },
        { type: "reopen", at: FROM + 20 * MINUTE },
        { type: "priority", at: FROM + 30 * MINUTE, priority: "2" },
      ],
    };
    const now = FROM + 40 * MINUTE;
    const { resolution } = policy.evaluate(ticket, now);
    expect(resolution.cycles.map((c) => c.elapsed)).toEqual([10 * MINUTE, 0]); // was [600000, -600000]
    const batch = policy.evaluateMany([ticket], now);
    expect(batch.resolution.cycleElapsed[0]).toBe(0);
  });

  it("each cycle's elapsed is businessTimeBetween(start, stop) less its paused business time", () => {
    fc.assert(
      fc.property(policyArb, fc.array(ticketArb, { minLength: 1, maxLength: 4 }), (p, raw) => {
        const policy = makePolicy(p);
        raw.forEach((r, k) => {
          const c = ticketOf(r, k);
          const result = policy.evaluate(c.ticket, c.now);
          const pauses = pausesOf(c.events, c.now);
          for (const m of CYCLE_METRICS) {
            for (const cycle of result[m].cycles) {
              const stop = cycle.stop === null ? c.now : cycle.stop.getTime();
              const want = counted(measureOfCycle(p.measures, m, cycle), cycle.start.getTime(), stop, pauses);
              expect({ metric: m, start: cycle.start, elapsed: cycle.elapsed }).toEqual({
                metric: m,
                start: cycle.start,
                elapsed: want,
              });
            }
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it("an alert instant is where the used time reaches the threshold, to the millisecond", () => {
    fc.assert(
      fc.property(
        policyArb.map((p) => ({ ...p, inOpenHours: false })),
        fc.array(
          ticketArb.map((r) => ({ ...r, withPriorityChanges: false })),
          { minLength: 1, maxLength: 4 },
        ),
        (p, raw) => {
          const policy = makePolicy(p);
          raw.forEach((r, k) => {
            const c = ticketOf(r, k);
            const result = policy.evaluate(c.ticket, c.now);
            const pauses = pausesOf(c.events, c.now);
            for (const m of CYCLE_METRICS) {
              const metric = result[m];
              const current = metric.cycles[metric.cycles.length - 1];
              if (metric.measure === null || metric.targetMs === null || current === undefined) continue;
              for (const alert of metric.alerts) {
                if (alert.at === null) continue;
                const at = alert.at.getTime();
                // The cycle the instant falls in: a resolution's total counts its earlier runs too.
                let used: number;
                if (m === "resolution") {
                  const k2 = metric.cycles.findIndex(
                    (x) => x.start.getTime() <= at && (x.stop === null || at <= x.stop.getTime()),
                  );
                  const run = metric.cycles[k2] as MetricCycle;
                  used = metric.cycles.slice(0, k2).reduce((s, x) => s + x.elapsed, 0);
                  used += counted(metric.measure, run.start.getTime(), at, pauses);
                } else {
                  used = counted(metric.measure, current.start.getTime(), at, pauses);
                }
                const allowed = thresholdLengths(alert.threshold, metric.targetMs);
                expect(allowed, `${alert.threshold} of ${metric.targetMs}`).toContain(alert.usedMs);
                expect({ metric: m, threshold: alert.threshold, at: alert.at, used }).toEqual({
                  metric: m,
                  threshold: alert.threshold,
                  at: alert.at,
                  used: alert.usedMs,
                });
              }
            }
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("evaluateMany agrees with evaluate on every ticket, nextAlertAt and the columns included", () => {
    fc.assert(
      fc.property(policyArb, fc.array(ticketArb, { minLength: 1, maxLength: 6 }), (p, raw) => {
        const policy = makePolicy(p);
        const cases = raw.map((r, k) => ticketOf(r, k));
        const now = Math.max(...cases.map((c) => c.now));
        const options = { inOpenHours: p.inOpenHours };
        const batch = policy.evaluateMany(
          cases.map((c) => c.ticket),
          now,
          options,
        );
        cases.forEach((c, i) => {
          const one = policy.evaluate(c.ticket, now, options);
          expect(batch.get(i)).toEqual(one);
          expect(columnsAt(batch, i)).toEqual(fromObject(one));
        });
      }),
      { numRuns: 150 },
    );
  });
});

const nanToNull = (v: number) => (Number.isNaN(v) ? null : v);
const ms = (d: Date | null) => (d === null ? null : d.getTime());

/** Ticket `i` as the batch's columns give it. */
function columnsAt(batch: ReturnType<ReturnType<typeof definePolicy>["evaluateMany"]>, i: number) {
  return {
    nextAlertAt: nanToNull(batch.nextAlertAt[i] as number),
    metrics: METRICS.map((m) => {
      const c = batch[m];
      return {
        deadline: nanToNull(c.deadline[i] as number),
        breachedAt: nanToNull(c.breachedAt[i] as number),
        elapsed: c.elapsed[i],
        cycles: c.cycles[i],
        breaches: c.breaches[i],
        alertAt: c.measure[i] === 0 ? [] : c.alertAt.map((col) => nanToNull(col[i] as number)),
      };
    }),
  };
}

/** The same figures from `evaluate`'s object. */
function fromObject(e: TicketEvaluation) {
  return {
    nextAlertAt: ms(e.nextAlertAt),
    metrics: METRICS.map((m) => {
      const r = e[m];
      return {
        deadline: ms(r.deadline),
        breachedAt: ms(r.breachedAt),
        elapsed: r.elapsed,
        cycles: r.cycles.length,
        breaches: r.breaches,
        alertAt: r.alerts.map((a) => ms(a.at)),
      };
    }),
  };
}
