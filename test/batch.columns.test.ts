/**
 * Every column of an `evaluateMany` batch says what `get(i)` says, and `get(i)` what `evaluate`
 * says. Several columns are not written by the replay but worked out from the others when first
 * read (`remaining`, `breachedAt`, the cycle figures; `measure`, `atRisk`, and `targetMs` where the
 * priority's target fixes it), alert thresholds not crossed by `now` are worked out from the
 * columns, and the crossings and earlier runs are kept only for the rows that have them, a run in
 * five numbers (docs/performance.md): this checks those derivations, column by column, on tickets
 * with replies, cycles, pauses, priority changes, reopens and failures, with and without
 * `inOpenHours`, and against `evaluate` (whose one scratch row stores every figure).
 */
import { describe, expect, it } from "vitest";
import { CYCLE_METRIC_STATUSES, METRICS, getPolicy, type Ticket, type TicketEvaluation } from "../src/index";
import { allMetricsPolicy, makeReplyTickets } from "../bench/metrics-scenario";
import { TICKETS_NOW } from "../bench/tickets";
import * as sla from "../src/index";

const instant = (d: Date | null | undefined): number => (d === null || d === undefined ? Number.NaN : d.getTime());

function tickets(): Ticket[] {
  const list = makeReplyTickets(4_000, 11);
  // Failures in place: an unknown priority, and a ticket created after `now`.
  list[5] = { id: "bad-priority", priority: 9, createdAt: Date.UTC(2026, 3, 1, 9) };
  list[6] = { id: "future", priority: 1, createdAt: TICKETS_NOW + 3_600_000 };
  return list;
}

describe("evaluateMany columns", () => {
  const policies = [allMetricsPolicy(sla), getPolicy("softone-se")];
  const batchTickets = tickets();
  for (const policy of policies) {
    for (const options of [
      {},
      { inOpenHours: true },
      { atRiskThreshold: 0.3, alerts: [0.5, { before: "PT30M" }, 0.9] },
    ]) {
      it(`agree with get(i) for ${policy.id} ${JSON.stringify(options)}`, () => {
        const now = TICKETS_NOW - 5 * 86_400_000;
        const batch = policy.evaluateMany(batchTickets, now, options);
        expect(batch.failures.length).toBeGreaterThanOrEqual(2);
        let cycles = 0;
        for (let i = 0; i < batch.length; i++) {
          const r = batch.get(i);
          if ("error" in r) {
            for (const m of METRICS) {
              const c = batch[m];
              expect([c.cycles[i], c.breaches[i], c.cycleElapsed[i], c.startedAt[i]]).toEqual([NaN, NaN, NaN, NaN]);
              expect([c.remaining[i], c.breachedAt[i], c.deadline[i], c.targetMs[i]]).toEqual([NaN, NaN, NaN, NaN]);
              expect([c.measure[i], c.atRisk[i]]).toEqual([0, 0]);
            }
            continue;
          }
          if (i % 4 === 0) expect(r, `ticket ${i}`).toEqual(policy.evaluate(batchTickets[i]!, now, options));
          for (const m of METRICS) {
            const c = batch[m];
            const e = (r as TicketEvaluation)[m];
            const last = e.cycles[e.cycles.length - 1];
            cycles += e.cycles.length;
            const row = {
              status: CYCLE_METRIC_STATUSES[c.status[i] as number],
              deadline: c.deadline[i],
              breachedAt: c.breachedAt[i],
              remaining: c.remaining[i],
              elapsed: c.elapsed[i],
              targetMs: c.targetMs[i],
              measure: c.measure[i],
              atRisk: c.atRisk[i],
              startedAt: c.startedAt[i],
              cycleElapsed: c.cycleElapsed[i],
              cycles: c.cycles[i],
              breaches: c.breaches[i],
              alertAt: c.alertAt.map((column) => column[i]),
            };
            expect(row, `${m} of ticket ${i}`).toEqual({
              status: e.status,
              deadline: instant(e.deadline),
              breachedAt: instant(e.breachedAt),
              remaining: e.remaining ?? Number.NaN,
              elapsed: e.elapsed,
              targetMs: e.targetMs ?? Number.NaN,
              measure: e.measure === null ? 0 : e.measure === "business" ? 1 : 2,
              atRisk: e.atRisk ? 1 : 0,
              startedAt: instant(last?.start),
              cycleElapsed: last?.elapsed ?? 0,
              cycles: e.cycles.length,
              breaches: e.breaches,
              alertAt: e.measure === null ? c.alertAt.map(() => Number.NaN) : e.alerts.map((a) => instant(a.at)),
            });
            // Earlier runs: a breach instant is the run's deadline, and only a run with a target has one.
            for (const cycle of e.cycles) {
              expect(cycle.status === "breached").toBe(cycle.breachedAt !== null);
              if (cycle.breachedAt !== null) expect(cycle.breachedAt.getTime()).toBe(instant(cycle.deadline));
              if (cycle.targetMs === null) expect([cycle.status, cycle.deadline]).toEqual(["none", null]);
              if (cycle.breachedAt !== null) expect(cycle.breachedAt).not.toBe(cycle.deadline);
            }
            expect(e.breaches).toBe(e.cycles.filter((x) => x.status === "breached").length);
          }
        }
        expect(cycles).toBeGreaterThan(batch.length);
      });
    }
  }
});

/**
 * A metric that met a business-time target keeps the time it had left in the batch, and its
 * deadline (a business-time addition from its stop) is found when asked for: for the whole column
 * on its first read, for one row by `get(i)` (docs/performance.md). The same goes for the deadlines
 * of earlier cycles. Either order of reading gives the deadlines `evaluate` gives.
 */
describe("deadlines of met metrics and earlier cycles, found when read", () => {
  const policy = allMetricsPolicy(sla);
  const list = makeReplyTickets(3_000, 23);
  const now = TICKETS_NOW;
  const deadlinesOf = (r: TicketEvaluation) =>
    METRICS.map((m) => [instant(r[m].deadline), ...r[m].cycles.map((c) => instant(c.deadline))]);

  it("read through get(i) before the columns, through the columns, and through get(i) after them", () => {
    const batch = policy.evaluateMany(list, now);
    const expected = list.map((t) => deadlinesOf(policy.evaluate(t, now)));
    let metBusiness = 0;
    let earlierCycles = 0;
    for (let i = 0; i < batch.length; i++) {
      const r = batch.get(i) as TicketEvaluation;
      expect(deadlinesOf(r), `ticket ${i}, before the columns`).toEqual(expected[i]);
      for (const m of METRICS) {
        if (r[m].status === "met" && r[m].measure === "business") metBusiness++;
        earlierCycles += Math.max(0, r[m].cycles.length - 1);
      }
    }
    // The path under test is taken, often.
    expect(metBusiness).toBeGreaterThan(2_000);
    expect(earlierCycles).toBeGreaterThan(1_000);
    for (const [k, m] of METRICS.entries()) {
      const column = batch[m].deadline;
      expect(batch[m].deadline).toBe(column);
      for (let i = 0; i < batch.length; i++) expect(column[i], `${m} of ticket ${i}`).toBe(expected[i]![k]![0]);
    }
    for (let i = 0; i < batch.length; i++)
      expect(deadlinesOf(batch.get(i) as TicketEvaluation), `ticket ${i}, after the columns`).toEqual(expected[i]);
  });

  it("a spent batch's deadline column throws BATCH_REUSED, as its other worked-out columns do", () => {
    const first = policy.evaluateMany(list.slice(0, 200), now);
    const columns = first.response;
    policy.evaluateMany(list.slice(0, 200), now, { reuse: first });
    expect(() => columns.deadline).toThrow(expect.objectContaining({ code: "BATCH_REUSED" }));
  });
});

/**
 * A batch makes each metric's columns when they are first read (a batch per policy in
 * `evaluateAcross`, most never read): the batch must look as it did when it made them up front.
 */
describe("a batch's shape", () => {
  const keys = [
    "length",
    "now",
    "ids",
    "priorityRank",
    "nextAlertAt",
    "alertThresholds",
    "response",
    "resolution",
    "nextReply",
    "periodicUpdate",
    "failures",
  ];
  const columnKeys = [
    "status",
    "deadline",
    "stoppedAt",
    "elapsed",
    "targetMs",
    "atRisk",
    "measure",
    "stoppedBy",
    "targetRank",
    "remaining",
    "breachedAt",
    "alertAt",
    "startedAt",
    "cycleElapsed",
    "cycles",
    "breaches",
  ];
  const list = tickets().slice(0, 40);

  it("has its keys in order, each metric's columns own, enumerable, frozen and the same on every read", () => {
    // softone-se measures response and resolution only: nextReply and periodicUpdate are `none`.
    for (const policy of [allMetricsPolicy(sla), getPolicy("softone-se")]) {
      const batch = policy.evaluateMany(list, TICKETS_NOW);
      expect(Object.isFrozen(batch)).toBe(true);
      expect(Object.keys(batch)).toEqual(keys);
      const spread = { ...batch };
      for (const m of METRICS) {
        const columns = batch[m];
        expect(columns, m).toBe(batch[m]);
        expect(spread[m], m).toBe(columns);
        expect(Object.isFrozen(columns), m).toBe(true);
        // Measured or not (softone-se measures no nextReply), a metric's columns list the same keys.
        expect(Object.keys(columns), m).toEqual(columnKeys);
        expect(columns.status.length, m).toBe(list.length);
        expect(() => {
          (batch as unknown as Record<string, unknown>)[m] = null;
        }, m).toThrow(TypeError);
        expect(batch[m], m).toBe(columns);
      }
      expect(JSON.parse(JSON.stringify(batch)).response.status["0"]).toBe(batch.response.status[0]);
    }
  });

  it("gives the same columns read late, after other batches, as read at once", () => {
    const policy = allMetricsPolicy(sla);
    const early = policy.evaluateMany(list, TICKETS_NOW);
    const readAtOnce = METRICS.map((m) => Object.values(early[m]).map((c) => JSON.stringify(c)));
    const late = policy.evaluateMany(list, TICKETS_NOW);
    for (let k = 0; k < 3; k++) policy.evaluateMany(tickets().slice(k, 40 + k), TICKETS_NOW - k * 86_400_000);
    expect(METRICS.map((m) => Object.values(late[m]).map((c) => JSON.stringify(c)))).toEqual(readAtOnce);
  });
});
