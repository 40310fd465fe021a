import type { CalendarEngine } from "../calendar/engine";
import type { PolicyRules } from "../policy/rules";
import type { Metric, PriorityId } from "../policy/spec";
import { targetBudget, type Budget, type Measure, type Target } from "../policy/target";
import { EventKind, type CheckedTicket } from "./ticket";

/**
 * Where a metric stands at the moment of evaluation.
 *
 * - `running`: the clock runs and the target is not yet missed.
 * - `paused`: the ticket waits (for the customer); the clock stands still.
 * - `met`: the metric stopped (responded, resolved) within its target.
 * - `breached`: the target was missed — while the ticket is still open, too.
 * - `none`: the current priority has no target for this metric (best effort).
 *
 * @example
 * ```ts
 * const s: MetricStatus = "breached";
 * ```
 */
export type MetricStatus = "running" | "paused" | "met" | "breached" | "none";

/**
 * One metric of an evaluated ticket. Times are milliseconds of the target's measure: business time
 * for business targets and for end-of-day/end-of-week targets (which become the business time from
 * creation to that instant), elapsed wall-clock time for calendar targets and windows.
 *
 * @example
 * ```ts
 * import { getPolicy } from "sla-clock";
 * const { response } = getPolicy("softone-se").evaluate({ id: "T-1", priority: 1, createdAt: "2026-04-02T09:00" }, "2026-04-02T10:00");
 * response.status; // "running"
 * response.remaining; // 3_600_000 — one business hour left
 * response.fractionUsed; // 0.5
 * ```
 */
export interface MetricEvaluation {
  readonly metric: Metric;
  readonly status: MetricStatus;
  /** The target in force (the current priority's). */
  readonly target: Target;
  /** Which clock the target counts on; `null` for `none`. */
  readonly measure: Measure | null;
  /** The target's length in ms of its measure, counted from creation; `null` for `none`. */
  readonly targetMs: number | null;
  /** Time counted so far (up to now, or up to the stop), in ms of the measure. Business ms for `none`. */
  readonly elapsed: number;
  /** `targetMs − elapsed`; negative when overdue. `null` for `none`. */
  readonly remaining: number | null;
  /** `elapsed / targetMs`; `null` for `none`. */
  readonly fractionUsed: number | null;
  /**
   * When the metric is (or was) due, assuming no further pauses: the breach instant once breached;
   * for a stopped metric, when it would have been due had it kept running. `null` for `none`.
   */
  readonly deadline: Date | null;
  /** The instant the metric breached its current target (also for open tickets), else `null`. */
  readonly breachedAt: Date | null;
  /** Running or paused with at least the at-risk fraction of the target used, and not breached. */
  readonly atRisk: boolean;
  /** When the metric stopped, while it is stopped; `null` while it runs or is paused. */
  readonly stoppedAt: Date | null;
  /** What stopped it: the first `respond`, or a `resolve` (which also stops an unanswered `response`). */
  readonly stoppedBy: "respond" | "resolve" | null;
}

/**
 * A ticket evaluated at an instant: both metrics.
 *
 * @example
 * ```ts
 * import { getPolicy } from "sla-clock";
 * const e: TicketEvaluation = getPolicy("trinax-alert").evaluate(
 *   { id: 7, priority: 2, createdAt: "2026-04-02T16:30" },
 *   "2026-04-07T09:00",
 * );
 * e.response.status; // "breached" — due 2026-04-07 08:30 (30 min on Thursday, 30 min on Tuesday)
 * ```
 */
export interface TicketEvaluation {
  readonly id: string;
  /** The priority in force at the moment of evaluation. */
  readonly priority: PriorityId;
  /** The moment of evaluation. */
  readonly now: Date;
  readonly response: MetricEvaluation;
  readonly resolution: MetricEvaluation;
}

/** Per-metric clock state while replaying a ticket. */
class MetricClock {
  readonly metric: Metric;
  target: Target;
  budget: Budget | null;
  businessElapsed = 0;
  calendarElapsed = 0;
  breachedAt = -1;
  stopped = false;
  stoppedAt = -1;
  stoppedBy: "respond" | "resolve" | null = null;

  constructor(metric: Metric, target: Target, budget: Budget | null) {
    this.metric = metric;
    this.target = target;
    this.budget = budget;
  }

  elapsed(): number {
    return this.budget !== null && this.budget.measure === "calendar" ? this.calendarElapsed : this.businessElapsed;
  }

  /**
   * Counts the piece [p, q) (or [p, q] for the last piece, up to now) during which the clock runs:
   * a breach happens at the first instant at which the clock runs with the target used up.
   */
  run(engine: CalendarEngine, p: number, q: number, inclusive: boolean): void {
    const budget = this.budget;
    if (budget !== null && this.breachedAt < 0) {
      const used = this.elapsed();
      if (used >= budget.length) {
        if (inclusive || q > p) this.breachedAt = p;
      } else {
        const due = advance(engine, budget.measure, p, budget.length - used);
        if (due < q || (inclusive && due === q)) this.breachedAt = due;
      }
    }
    if (q > p) {
      this.businessElapsed += engine.between(p, q);
      this.calendarElapsed += q - p;
    }
  }

  stop(at: number, by: "respond" | "resolve"): void {
    this.stopped = true;
    this.stoppedAt = at;
    this.stoppedBy = by;
  }

  /**
   * A new target for a running or paused metric. A breach stands (with its original instant) only
   * while the new target is used up too; otherwise it no longer does, and a new target that is
   * already used up breaches at the next instant the clock runs.
   */
  retarget(target: Target, budget: Budget | null): void {
    if (this.stopped) return;
    this.target = target;
    if (sameBudget(this.budget, budget)) return;
    this.budget = budget;
    if (this.breachedAt >= 0 && (budget === null || this.elapsed() < budget.length)) this.breachedAt = -1;
  }
}

function sameBudget(a: Budget | null, b: Budget | null): boolean {
  return a === b || (a !== null && b !== null && a.measure === b.measure && a.length === b.length);
}

function advance(engine: CalendarEngine, measure: Measure, from: number, amount: number): number {
  return measure === "business" ? engine.add(from, amount) : from + amount;
}

/**
 * Replays a validated ticket up to `now` and reports both metrics. See `Policy.evaluate` for the
 * rules.
 * @internal
 */
export function evaluateTicket(
  rules: PolicyRules,
  ticket: CheckedTicket,
  now: number,
  atRiskThreshold: number,
): TicketEvaluation {
  const engine = rules.engine;
  const createdAt = ticket.createdAt;
  const budgets = new Map<string, Budget | null>();
  const budgetOf = (priority: string, metric: Metric): Budget | null => {
    const key = `${metric}|${priority}`;
    let b = budgets.get(key);
    if (b === undefined) {
      b = targetBudget(engine, rules.entry(priority).compiled[metric], createdAt);
      budgets.set(key, b);
    }
    return b;
  };
  const targetOf = (priority: string, metric: Metric): Target => rules.entry(priority).info.targets[metric];

  let priority = ticket.priority;
  const response = new MetricClock("response", targetOf(priority, "response"), budgetOf(priority, "response"));
  const resolution = new MetricClock("resolution", targetOf(priority, "resolution"), budgetOf(priority, "resolution"));
  let paused = false;
  let p = createdAt;
  const { kinds, times, priorities } = ticket;
  for (let i = 0; i < kinds.length; i++) {
    const at = times[i] as number;
    if (at > now) break;
    if (!paused) {
      if (!response.stopped) response.run(engine, p, at, false);
      if (!resolution.stopped) resolution.run(engine, p, at, false);
    }
    p = at;
    switch (kinds[i]) {
      case EventKind.Pause:
        paused = true;
        break;
      case EventKind.Resume:
        paused = false;
        break;
      case EventKind.Priority:
        priority = priorities[i] as string;
        response.retarget(targetOf(priority, "response"), budgetOf(priority, "response"));
        resolution.retarget(targetOf(priority, "resolution"), budgetOf(priority, "resolution"));
        break;
      case EventKind.Respond:
        if (!response.stopped) response.stop(at, "respond");
        break;
      case EventKind.Resolve:
        if (!response.stopped) response.stop(at, "resolve");
        resolution.stop(at, "resolve");
        paused = false;
        break;
      case EventKind.Reopen:
        resolution.stopped = false;
        resolution.stoppedAt = -1;
        resolution.stoppedBy = null;
        // A target that changed while resolved applies from the reopen on.
        resolution.retarget(targetOf(priority, "resolution"), budgetOf(priority, "resolution"));
        break;
    }
  }
  if (!paused) {
    if (!response.stopped) response.run(engine, p, now, true);
    if (!resolution.stopped) resolution.run(engine, p, now, true);
  }
  return Object.freeze({
    id: ticket.id,
    priority: rules.entry(priority).info.id,
    now: new Date(now),
    response: report(engine, response, paused, now, atRiskThreshold),
    resolution: report(engine, resolution, paused, now, atRiskThreshold),
  });
}

function report(
  engine: CalendarEngine,
  clock: MetricClock,
  paused: boolean,
  now: number,
  atRiskThreshold: number,
): MetricEvaluation {
  const stoppedAt = clock.stopped ? new Date(clock.stoppedAt) : null;
  const budget = clock.budget;
  if (budget === null) {
    return Object.freeze({
      metric: clock.metric,
      status: "none",
      target: clock.target,
      measure: null,
      targetMs: null,
      elapsed: clock.businessElapsed,
      remaining: null,
      fractionUsed: null,
      deadline: null,
      breachedAt: null,
      atRisk: false,
      stoppedAt,
      stoppedBy: clock.stopped ? clock.stoppedBy : null,
    });
  }
  const elapsed = clock.elapsed();
  const remaining = budget.length - elapsed;
  const breached = clock.breachedAt >= 0;
  const status: MetricStatus = breached ? "breached" : clock.stopped ? "met" : paused ? "paused" : "running";
  const fractionUsed = budget.length > 0 ? elapsed / budget.length : 1;
  const deadline = breached
    ? clock.breachedAt
    : advance(engine, budget.measure, clock.stopped ? clock.stoppedAt : now, Math.max(0, remaining));
  return Object.freeze({
    metric: clock.metric,
    status,
    target: clock.target,
    measure: budget.measure,
    targetMs: budget.length,
    elapsed,
    remaining,
    fractionUsed,
    deadline: new Date(deadline),
    breachedAt: breached ? new Date(clock.breachedAt) : null,
    atRisk: (status === "running" || status === "paused") && fractionUsed >= atRiskThreshold,
    stoppedAt,
    stoppedBy: clock.stopped ? clock.stoppedBy : null,
  });
}
