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
import type { CalendarEngine } from "../calendar/engine";
import type { BusinessTimeTrace, TracedDay, TracedStretch } from "../calendar/trace";
import { SlaClockError } from "../errors";
import type { PolicyRules, PriorityEntry } from "../policy/rules";
import type { PriorityId } from "../policy/spec";
import { budgetLength, measureOf, type CompiledTarget, type Measure, type Target } from "../policy/target";
import { DAY_MS, formatDay } from "../time/civil";
import { deepFreeze } from "../util/freeze";
import { MetricClock, NO_INSTANT, StopReason, type MetricStatus, type TicketEvaluation } from "./evaluate";
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
  /**
   * Length of the target after, as `targetMsBefore`; `null` for none, and for a change not applied
   * whose target would end outside the supported range (the evaluation never measures it).
   */
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

/**
 * A metric's timeline cut at its breach, for the HTML report: everything of {@link MetricTimeline}
 * up to the breach instant (the counted stretches end there, so `runningMs` of the last one is the
 * time counted when the target ran out), every pause, priority change and moment whatever its time,
 * and the time counted after the breach as one sum. A ticket open for a year breached in its first
 * days: tracing the rest day by day was most of the report's time, and says nothing about how the
 * deadline was reached. Not frozen (the report's own value, never handed to a caller).
 *
 * @example
 * ```ts
 * const t: CutTimeline = explainTicketToBreach(rulesOf(policy), ticket, policy.evaluate(ticket, now)).response;
 * t.stretches.reduce((sum, s) => sum + s.ms, 0) + t.countedAfterMs === t.elapsed; // true
 * ```
 * @internal
 */
export interface CutTimeline extends MetricTimeline {
  /** The instant the stretches are cut at: the breach (creation for a metric that did not breach). */
  readonly cutAt: number;
  /** Time counted after `cutAt` (in the metric's measure); `elapsed` is the stretches' sum plus this. */
  readonly countedAfterMs: number;
  /** The end of the last span the metric ran in (its stop, or `now`); `null` when it never ran after `cutAt`. */
  readonly ranUntil: number | null;
  readonly ranUntilLocal: string | null;
  /** The metric still runs at `now`. */
  readonly ranUntilNow: boolean;
}

/**
 * The report's explanation of a breached ticket: both metrics cut at their breach, and the closed or
 * unusual days traced (those up to each metric's breach; a day after both breaches may be missing).
 *
 * @example
 * ```ts
 * const x: CutExplanation = explainTicketToBreach(rulesOf(policy), ticket, policy.evaluate(ticket, now));
 * timelineRows(x.response, x.days, x.createdAtLocal); // up to the breach, then "counted after the breach until …"
 * ```
 * @internal
 */
export interface CutExplanation {
  readonly id: string;
  readonly createdAtLocal: string;
  readonly days: readonly TracedDay[];
  readonly response: CutTimeline;
  readonly resolution: CutTimeline;
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
  const { createdAt, days, timelines } = replayExplained(rules, ticket, evaluation, false);
  const local = (t: number) => rules.calendar.format(t);
  const now = evaluation.now.getTime();
  const explanation: TicketExplanation = {
    id: evaluation.id,
    zone: rules.calendar.zone,
    createdAt: new Date(createdAt),
    createdAtLocal: local(createdAt),
    now: new Date(now),
    nowLocal: local(now),
    days,
    response: timelines.response,
    resolution: timelines.resolution,
  };
  return deepFreeze({ ...evaluation, explanation });
}

/**
 * The report's explanation of a ticket that `evaluation` is the result of: each metric's timeline
 * cut at its breach ({@link CutTimeline}; a metric that did not breach is cut at creation, all of
 * it one sum). Checked against the evaluation like {@link explainTicket}; not frozen.
 *
 * @example
 * ```ts
 * const x = explainTicketToBreach(rulesOf(policy), ticket, policy.evaluate(ticket, now));
 * x.response.cutAt === x.response.breachedAt?.getTime(); // true for a breached response
 * ```
 * @internal
 */
export function explainTicketToBreach(
  rules: PolicyRules,
  ticket: unknown,
  evaluation: TicketEvaluation,
): CutExplanation {
  const { createdAt, days, timelines, cuts } = replayExplained(rules, ticket, evaluation, true);
  return {
    id: evaluation.id,
    createdAtLocal: rules.calendar.format(createdAt),
    days,
    response: { ...timelines.response, ...cuts.response },
    resolution: { ...timelines.resolution, ...cuts.resolution },
  };
}

/** What a cut timeline adds to a {@link MetricTimeline}. */
type Cut = Omit<CutTimeline, keyof MetricTimeline>;

/**
 * The second read of a ticket behind both explanations: the timelines of both metrics, whole, or
 * (`cut`) traced only up to each metric's breach with the time counted after it summed.
 */
function replayExplained(
  rules: PolicyRules,
  ticket: unknown,
  evaluation: TicketEvaluation,
  cut: boolean,
): { createdAt: number; days: TracedDay[]; timelines: Record<Metric, MetricTimeline>; cuts: Record<Metric, Cut> } {
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
        // As the fast replay: a metric the change put over its target while paused breaches here.
        for (const m of METRICS) clocks[m].crossOverAt(at);
        break;
      case EventKind.Priority: {
        const next = reader.priorities[i] as PriorityEntry;
        for (const m of METRICS) {
          const clock = clocks[m];
          const before = clock.entry;
          const lengthBefore = clock.measure === null ? null : clock.length;
          const applied = !clock.stopped;
          clock.retarget(engine, next, createdAt);
          // Over the new target: breached at the change, even if it stops at this same instant.
          if (!paused) clock.crossOverAt(at);
          const after = next.compiled[m];
          logs[m].changes.push({
            at: new Date(at),
            atLocal: local(at),
            from: priority.info.id,
            to: next.info.id,
            targetBefore: before.info.targets[m],
            targetMsBefore: lengthBefore,
            targetAfter: next.info.targets[m],
            targetMsAfter: applied ? lengthOf(engine, after, createdAt) : unappliedLengthOf(engine, after, createdAt),
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
        // As the fast replay: a resolve ends a pause as a resume does, before it stops the metrics.
        if (paused) for (const m of METRICS) clocks[m].crossOverAt(at);
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
  // Business time (or elapsed time, for a calendar measure) in [a, b) without tracing it.
  const measured = (calendarMeasure: boolean, a: number, b: number) => (calendarMeasure ? b - a : engine.between(a, b));
  const timelines = {} as Record<Metric, MetricTimeline>;
  const cuts = {} as Record<Metric, Cut>;
  for (const m of METRICS) {
    const clock = clocks[m];
    const result = evaluation[m];
    const calendarMeasure = clock.measure === "calendar";
    const breach = result.breachedAt?.getTime();
    // Cut: traced up to the breach; a metric that did not breach is not traced at all.
    const cutAt = cut ? (breach ?? createdAt) : Number.POSITIVE_INFINITY;
    // The closed or short day of the breach's date is listed under it, so the rest of that date is
    // traced too (for its days only): a reopen at the breach on a Saturday starts a span there.
    const daysTo =
      !cut || breach === undefined ? cutAt : engine.zone.wallToInstant((engine.localDay(cutAt) + 1) * DAY_MS);
    const running = mergeSpans(logs[m].running);
    const traced: [number, number][] = [];
    let countedAfterMs = 0;
    let ranUntil: number | null = null;
    for (const [a, b] of running) {
      if (a < cutAt) traced.push([a, Math.min(b, cutAt)]);
      if (b > cutAt) {
        countedAfterMs += measured(calendarMeasure, Math.max(a, cutAt), b);
        ranUntil = b;
        if (!calendarMeasure && Math.max(a, cutAt) < Math.min(b, daysTo))
          traceOf(Math.max(a, cutAt), Math.min(b, daysTo));
      }
    }
    // A calendar measure's spans are traced only for the closed days they cross, which the report's
    // cut timelines do not list for it (months of them for a resolution target of months).
    const stretches = countedStretches(
      traced,
      calendarMeasure,
      cut && calendarMeasure ? null : traceOf,
      engine.localDay.bind(engine),
      local,
    );
    const counted = stretches.reduce((sum, s) => sum + s.ms, 0) + countedAfterMs;
    // The second read replays the same facts as the first unless the ticket's own code answered
    // differently (a getter): then there is no one ticket to explain.
    if (counted !== result.elapsed || clock.breachedAt !== (breach ?? NO_INSTANT)) {
      throw new SlaClockError(
        "INVALID_TICKET",
        `ticket ${evaluation.id}: its explanation does not add up to its evaluation: the ticket read differently the second time (explain reads it twice; a getter?); pass plain data`,
        { ticketId: evaluation.id },
      );
    }
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
        uncountedMs: calendarMeasure
          ? b - a
          : b <= daysTo
            ? traceOf(a, b).totalMs
            : (a < daysTo ? traceOf(a, daysTo).totalMs : 0) + engine.between(Math.max(a, daysTo), b),
      })),
      priorityChanges: logs[m].changes,
      moments: logs[m].moments,
    };
    cuts[m] = {
      cutAt,
      countedAfterMs,
      ranUntil,
      ranUntilLocal: ranUntil === null ? null : local(ranUntil),
      ranUntilNow: ranUntil === now,
    };
  }
  return {
    createdAt,
    days: [...days.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    timelines,
    cuts,
  };
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
 * The counted stretches of a metric's running spans (merged, in time order): the open stretches inside them for a business
 * measure (and for no target, whose elapsed time is business time), the spans themselves for a
 * calendar measure. Touching stretches of the same date are joined; running totals from the start.
 * `traceOf` is `null` only for a calendar measure whose spans need not be traced for their days.
 */
function countedStretches(
  running: readonly [number, number][],
  calendarMeasure: boolean,
  traceOf: ((a: number, b: number) => BusinessTimeTrace) | null,
  localDay: (t: number) => number,
  local: (t: number) => string,
): TracedStretch[] {
  const pieces: { date: string; start: number; end: number }[] = [];
  const add = (date: string, start: number, end: number) => {
    const last = pieces[pieces.length - 1];
    if (last !== undefined && last.end === start && last.date === date) last.end = end;
    else pieces.push({ date, start, end });
  };
  for (const [a, b] of running) {
    if (calendarMeasure) {
      traceOf?.(a, b); // for the closed days the span crosses
      add(formatDay(localDay(a)), a, b);
    } else {
      for (const s of (traceOf as NonNullable<typeof traceOf>)(a, b).stretches)
        add(s.date, s.start.getTime(), s.end.getTime());
    }
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

/** A target's length in ms of its measure from creation; `null` for none. */
function lengthOf(engine: CalendarEngine, target: CompiledTarget, createdAt: number): number | null {
  return measureOf(target) === null ? null : budgetLength(engine, target, createdAt);
}

/**
 * {@link lengthOf} a change the metric did not apply (it had stopped). The evaluation never
 * measures such a target, so one that would end past the supported range is `null` here rather
 * than an OUT_OF_RANGE that `evaluate` does not raise: the explanation answers when it does.
 */
function unappliedLengthOf(engine: CalendarEngine, target: CompiledTarget, createdAt: number): number | null {
  try {
    return lengthOf(engine, target, createdAt);
  } catch (e) {
    if (e instanceof SlaClockError && e.code === "OUT_OF_RANGE") return null;
    throw e;
  }
}
