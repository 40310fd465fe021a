/**
 * Explaining an evaluated ticket: per metric, the stretches of time that counted, the pauses and
 * the time they kept from counting, the priority changes with the target before and after, the
 * stops, reopens and the breach.
 *
 * This is a second pass, run only for `evaluate(ticket, now, { explain: true })`: it reads the
 * ticket again and replays it with the replay's own per-metric clocks (`MetricClock`: the same
 * `run`, `retarget` and `stop`), recording what the fast replay only sums. The fast replay and
 * `evaluateMany` are untouched, so explaining costs nothing when it is not asked for. The pass
 * checks its counted time against the evaluation's `elapsed` and `breachedAt`, so an explanation
 * can never disagree with the numbers it explains.
 */
import type { BusinessTimeTrace, TracedDay, TracedStretch } from "../calendar/trace";
import { SlaClockError } from "../errors";
import type { PolicyRules, PriorityEntry } from "../policy/rules";
import type { PriorityId } from "../policy/spec";
import { budgetLength, measureOf, type Measure, type Target } from "../policy/target";
import { formatDay } from "../time/civil";
import { deepFreeze } from "../util/freeze";
import { MetricClock, StopReason, type MetricStatus, type TicketEvaluation } from "./evaluate";
import { EventKind, TicketReader } from "./ticket";

/**
 * The metrics an explanation gives timelines for: response and resolution (the cycle metrics,
 * next reply and periodic update, are explained by their `cycles`).
 *
 * @example
 * ```ts
 * const m: ExplainedMetric = "response";
 * ```
 */
export type ExplainedMetric = "response" | "resolution";
type Metric = ExplainedMetric;
const METRICS: readonly ExplainedMetric[] = ["response", "resolution"];

/**
 * A span during which a metric's clock stood still because the ticket was paused, with the time
 * that did not count because of it (business time for a business measure, elapsed time for a
 * calendar one).
 *
 * @example
 * ```ts
 * const pause: PausedSpan = {
 *   start: new Date("2026-04-01T13:30:00Z"), end: new Date("2026-04-02T07:00:00Z"),
 *   startLocal: "2026-04-01T15:30:00+02:00", endLocal: "2026-04-02T09:00:00+02:00",
 *   stillPaused: false, uncountedMs: 2_400_000,
 * };
 * ```
 */
export interface PausedSpan {
  readonly start: Date;
  /** The resume (or a resolve, which ends a pause); `now` while still paused. */
  readonly end: Date;
  readonly startLocal: string;
  readonly endLocal: string;
  /** The ticket is still paused at `now`. */
  readonly stillPaused: boolean;
  /** Time of the metric's measure inside the pause, which did not count. */
  readonly uncountedMs: number;
}

/**
 * A priority change as one metric saw it: the target before and after, and whether the new one
 * took effect (a stopped metric keeps the target it stopped under; a reopen applies the then
 * current one).
 *
 * @example
 * ```ts
 * const change: PriorityChange = {
 *   at: new Date("2026-04-02T08:00:00Z"), atLocal: "2026-04-02T10:00:00+02:00",
 *   from: 3, to: 1,
 *   targetBefore: { kind: "business", duration: { hours: 12 } }, targetMsBefore: 43_200_000,
 *   targetAfter: { kind: "business", duration: { hours: 2 } }, targetMsAfter: 7_200_000,
 *   applied: true,
 * };
 * ```
 */
export interface PriorityChange {
  readonly at: Date;
  readonly atLocal: string;
  readonly from: PriorityId;
  readonly to: PriorityId;
  readonly targetBefore: Target;
  /** Length of the target before, in ms of its measure from creation; `null` for none. */
  readonly targetMsBefore: number | null;
  readonly targetAfter: Target;
  readonly targetMsAfter: number | null;
  /** `false` when the metric had stopped: it keeps its target (until a reopen). */
  readonly applied: boolean;
}

/**
 * A stop, a reopen or the breach of a metric, at an instant.
 *
 * @example
 * ```ts
 * const stop: MetricMoment = { type: "respond", at: new Date("2026-04-02T09:00:00Z"), atLocal: "2026-04-02T11:00:00+02:00" };
 * ```
 */
export interface MetricMoment {
  readonly type: "respond" | "resolve" | "reopen";
  readonly at: Date;
  readonly atLocal: string;
}

/**
 * One metric of an explained ticket: its result (as {@link MetricEvaluation} gives it) and the
 * timeline that leads to it. The counted stretches are disjoint, in time order, lie in open hours
 * for a business measure (or are the running spans themselves for a calendar measure), and their
 * `ms` add up to exactly `elapsed`.
 *
 * @example
 * ```ts
 * const { explanation } = getPolicy("softone-se").evaluate(ticket, now, { explain: true });
 * const t: MetricTimeline = explanation.response;
 * t.stretches.reduce((sum, s) => sum + s.ms, 0) === t.elapsed; // true
 * ```
 */
export interface MetricTimeline {
  readonly metric: Metric;
  readonly status: MetricStatus;
  /** The measure `elapsed` is counted in; `null` for no target (then business time is counted). */
  readonly measure: Measure | null;
  /** The target in force at `now`. */
  readonly target: Target;
  readonly targetMs: number | null;
  /** The evaluation's `elapsed`: the sum of the counted stretches. */
  readonly elapsed: number;
  readonly deadline: Date | null;
  readonly deadlineLocal: string | null;
  readonly breachedAt: Date | null;
  readonly breachedAtLocal: string | null;
  /** The time that counted, in time order, with running totals (`runningMs` ends at `elapsed`). */
  readonly stretches: readonly TracedStretch[];
  /** Pauses while the metric ran (not stopped). */
  readonly pauses: readonly PausedSpan[];
  readonly priorityChanges: readonly PriorityChange[];
  /** Responds, resolves and reopens that stopped or restarted this metric. */
  readonly moments: readonly MetricMoment[];
}

/**
 * The timeline of a ticket as `Policy.evaluate(ticket, now, { explain: true })` gives it: both
 * metrics, and every local date in the time looked at that was closed or not its usual hours.
 *
 * @example
 * ```ts
 * const { explanation } = getPolicy("softone-se").evaluate(ticket, now, { explain: true });
 * explanation.days.map((d) => `${d.date} ${d.status}`); // ["2026-04-03 closed", …]
 * ```
 */
export interface TicketExplanation {
  readonly id: string;
  /** The calendar's zone, in which the `…Local` times and dates are read. */
  readonly zone: string;
  readonly createdAt: Date;
  readonly createdAtLocal: string;
  readonly now: Date;
  readonly nowLocal: string;
  /** Closed or unusual days from creation to the last instant either metric ran or was paused. */
  readonly days: readonly TracedDay[];
  readonly response: MetricTimeline;
  readonly resolution: MetricTimeline;
}

/**
 * What `evaluate(ticket, now, { explain: true })` returns: the evaluation and its explanation.
 *
 * @example
 * ```ts
 * const e: ExplainedTicketEvaluation = getPolicy("softone-se").evaluate(ticket, now, { explain: true });
 * e.response.elapsed === e.explanation.response.elapsed; // true
 * ```
 */
export interface ExplainedTicketEvaluation extends TicketEvaluation {
  readonly explanation: TicketExplanation;
}

/** What one metric went through, as spans and moments in epoch ms. */
class MetricLog {
  readonly running: [number, number][] = [];
  readonly paused: [number, number][] = [];
  readonly changes: PriorityChange[] = [];
  readonly moments: MetricMoment[] = [];
}

/**
 * Explains a ticket that `evaluation` is the result of (evaluated under `rules` at `evaluation.now`).
 * @internal
 */
export function explainTicket(
  rules: PolicyRules,
  ticket: unknown,
  evaluation: TicketEvaluation,
): ExplainedTicketEvaluation {
  const reader = new TicketReader();
  if (!reader.check(rules, ticket)) throw (reader.problem as NonNullable<TicketReader["problem"]>).toError();
  const engine = rules.engine;
  const calendar = rules.calendar;
  const local = (t: number) => calendar.format(t);
  const now = evaluation.now.getTime();
  const createdAt = reader.createdAt;
  const clocks: Record<Metric, MetricClock> = {
    response: new MetricClock("response"),
    resolution: new MetricClock("resolution"),
  };
  const logs: Record<Metric, MetricLog> = { response: new MetricLog(), resolution: new MetricLog() };
  let priority: PriorityEntry = reader.priority;
  for (const m of METRICS) clocks[m].reset(engine, priority, createdAt);

  const piece = (p: number, q: number, paused: boolean, inclusive: boolean) => {
    const business = !paused && q > p ? engine.between(p, q) : 0;
    for (const m of METRICS) {
      const clock = clocks[m];
      if (clock.stopped) continue;
      if (paused) {
        if (q > p) logs[m].paused.push([p, q]);
        continue;
      }
      clock.run(engine, p, q, business, inclusive);
      if (q > p) logs[m].running.push([p, q]);
    }
  };
  const moment = (m: Metric, type: MetricMoment["type"], at: number) =>
    logs[m].moments.push({ type, at: new Date(at), atLocal: local(at) });

  let paused = false;
  let p = createdAt;
  for (let i = 0; i < reader.count; i++) {
    const at = reader.times[i] as number;
    if (at > now) break;
    piece(p, at, paused, false);
    p = at;
    switch (reader.kinds[i]) {
      case EventKind.Pause:
        paused = true;
        break;
      case EventKind.Resume:
        paused = false;
        break;
      case EventKind.Priority: {
        const next = reader.priorities[i] as PriorityEntry;
        for (const m of METRICS) {
          const clock = clocks[m];
          const before = clock.entry;
          const lengthBefore = clock.measure === null ? null : clock.length;
          const applied = !clock.stopped;
          clock.retarget(engine, next, createdAt);
          const after = next.compiled[m];
          logs[m].changes.push({
            at: new Date(at),
            atLocal: local(at),
            from: priority.info.id,
            to: next.info.id,
            targetBefore: before.info.targets[m],
            targetMsBefore: lengthBefore,
            targetAfter: next.info.targets[m],
            targetMsAfter: measureOf(after) === null ? null : budgetLength(engine, after, createdAt),
            applied,
          });
        }
        priority = next;
        break;
      }
      case EventKind.Respond:
      case EventKind.AgentReply:
        if (!clocks.response.stopped) {
          clocks.response.stop(at, StopReason.Respond);
          moment("response", "respond", at);
        }
        break;
      case EventKind.Resolve:
        if (!clocks.response.stopped) {
          clocks.response.stop(at, StopReason.Resolve);
          moment("response", "resolve", at);
        }
        clocks.resolution.stop(at, StopReason.Resolve);
        moment("resolution", "resolve", at);
        paused = false;
        break;
      case EventKind.Reopen: {
        clocks.resolution.resumeRun(engine, priority, at);
        moment("resolution", "reopen", at);
        break;
      }
    }
  }
  piece(p, now, paused, true);

  const days = new Map<string, TracedDay>();
  const traceOf = (a: number, b: number): BusinessTimeTrace => {
    const trace = calendar.traceBetween(a, b);
    for (const d of trace.days) if (!days.has(d.date)) days.set(d.date, d);
    return trace;
  };
  const timelines = {} as Record<Metric, MetricTimeline>;
  for (const m of METRICS) {
    const clock = clocks[m];
    const result = evaluation[m];
    const calendarMeasure = clock.measure === "calendar";
    const stretches = countedStretches(logs[m].running, calendarMeasure, traceOf, engine.localDay.bind(engine), local);
    const counted = stretches.reduce((sum, s) => sum + s.ms, 0);
    // The second read replays the same facts as the first unless the ticket's own code answered
    // differently (a getter): then there is no one ticket to explain.
    if (counted !== result.elapsed || clock.breachedAt !== (result.breachedAt?.getTime() ?? -1)) {
      throw new SlaClockError(
        "INVALID_TICKET",
        `ticket ${evaluation.id}: its explanation does not add up to its evaluation: the ticket read differently the second time (explain reads it twice; a getter?); pass plain data`,
        { ticketId: evaluation.id },
      );
    }
    const breach = result.breachedAt?.getTime();
    const deadline = result.deadline?.getTime();
    timelines[m] = {
      metric: m,
      status: result.status,
      measure: result.measure,
      target: result.target,
      targetMs: result.targetMs,
      elapsed: result.elapsed,
      deadline: result.deadline,
      deadlineLocal: deadline === undefined ? null : local(deadline),
      breachedAt: result.breachedAt,
      breachedAtLocal: breach === undefined ? null : local(breach),
      stretches,
      pauses: mergeSpans(logs[m].paused).map(([a, b]) => ({
        start: new Date(a),
        end: new Date(b),
        startLocal: local(a),
        endLocal: local(b),
        stillPaused: paused && b === now && !clock.stopped,
        uncountedMs: calendarMeasure ? b - a : traceOf(a, b).totalMs,
      })),
      priorityChanges: logs[m].changes,
      moments: logs[m].moments,
    };
  }
  const explanation: TicketExplanation = {
    id: evaluation.id,
    zone: calendar.zone,
    createdAt: new Date(createdAt),
    createdAtLocal: local(createdAt),
    now: new Date(now),
    nowLocal: local(now),
    days: [...days.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    response: timelines.response,
    resolution: timelines.resolution,
  };
  return deepFreeze({ ...evaluation, explanation });
}

/** Joins spans that touch (a priority change or another metric's stop splits a span in two). */
function mergeSpans(spans: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [a, b] of spans) {
    const last = out[out.length - 1];
    if (last !== undefined && last[1] === a) last[1] = b;
    else out.push([a, b]);
  }
  return out;
}

/**
 * The counted stretches of a metric's running spans: the open stretches inside them for a business
 * measure (and for no target, whose elapsed time is business time), the spans themselves for a
 * calendar measure. Touching stretches of the same date are joined; running totals from the start.
 */
function countedStretches(
  running: readonly [number, number][],
  calendarMeasure: boolean,
  traceOf: (a: number, b: number) => BusinessTimeTrace,
  localDay: (t: number) => number,
  local: (t: number) => string,
): TracedStretch[] {
  const pieces: { date: string; start: number; end: number }[] = [];
  const add = (date: string, start: number, end: number) => {
    const last = pieces[pieces.length - 1];
    if (last !== undefined && last.end === start && last.date === date) last.end = end;
    else pieces.push({ date, start, end });
  };
  for (const [a, b] of mergeSpans(running)) {
    const trace = traceOf(a, b);
    if (calendarMeasure) add(formatDay(localDay(a)), a, b);
    else for (const s of trace.stretches) add(s.date, s.start.getTime(), s.end.getTime());
  }
  let total = 0;
  return pieces.map(({ date, start, end }) => {
    total += end - start;
    return {
      date,
      start: new Date(start),
      end: new Date(end),
      startLocal: local(start),
      endLocal: local(end),
      ms: end - start,
      runningMs: total,
    };
  });
}
