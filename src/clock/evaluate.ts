import type { CalendarEngine } from "../calendar/engine";
import type { PolicyRules, PriorityEntry } from "../policy/rules";
import { alertLength, type AlertThreshold, type CompiledAlert } from "../policy/alerts";
import { METRIC_TABLE, METRICS, type MetricDefinition, type MetricTrigger } from "../policy/metrics";
import type { Metric, PriorityId } from "../policy/spec";
import { budgetLength, measureOf, type Measure, type Target } from "../policy/target";
import { EventKind, type TicketReader } from "./ticket";

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
 * One alert threshold of a metric (see `PolicySpec.alerts`): when the metric's used time reaches
 * it. `at` is the instant it was crossed; while the metric runs and has not reached it yet, the
 * instant it will be crossed if the clock runs on without a pause; `null` while the metric is
 * paused or stopped short of it. With `inOpenHours` an instant at which the calendar is closed
 * moves to the next opening.
 *
 * @example
 * ```ts
 * import { getPolicy } from "sla-clock";
 * const { response } = getPolicy("softone-se").evaluate(
 *   { id: "T-1", priority: 1, createdAt: "2026-04-01T15:00" },
 *   "2026-04-01T15:00",
 * );
 * response.alerts[0]; // { threshold: 0.75, usedMs: 5_400_000, at: 2026-04-02T06:30:00.000Z }: Thu 08:30 Stockholm
 * ```
 */
export interface MetricAlert {
  /** The threshold as the policy or the call gave it. */
  readonly threshold: AlertThreshold;
  /** The time used (ms of the target's measure) at which it is crossed. */
  readonly usedMs: number;
  readonly at: Date | null;
}

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
export interface MetricEvaluation<M extends Metric = Metric> {
  readonly metric: M;
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
  /** The alert thresholds in force, in order, each with its instant; empty for `none`. */
  readonly alerts: readonly MetricAlert[];
  /**
   * Every run of the metric in order, the current one last: one for `response`, one per run for
   * `resolution` (a reopen starts the next; the top-level figures are the totals), one per cycle
   * for `nextReply` and `periodicUpdate` (the top-level figures are the last cycle's).
   */
  readonly cycles: readonly MetricCycle[];
  /** How many of the runs or cycles breached their target. */
  readonly breaches: number;
}

/**
 * One run (cycle) of a metric: when it started and stopped, its own counted time, the target it
 * was judged against and how it ended. A cycle still open has `stop: null` and the status of the
 * metric (`running` or `paused`, or `breached`). Each run's times are in the measure of its own
 * target: an earlier resolution run keeps the measure it stopped under when a later priority change
 * switches the target between calendar and business time.
 *
 * @example
 * ```ts
 * const cycle: MetricCycle = {
 *   start: new Date("2026-04-07T07:00:00Z"), stop: new Date("2026-04-07T08:00:00Z"), stoppedBy: "respond",
 *   measure: "business", elapsed: 3_600_000, targetMs: 7_200_000, deadline: new Date("2026-04-07T09:00:00Z"),
 *   status: "met", breachedAt: null,
 * };
 * ```
 */
export interface MetricCycle {
  readonly start: Date;
  readonly stop: Date | null;
  /** `respond` for a `respond` or an `agentReply` (they mean the same), `resolve`, or `null` while open. */
  readonly stoppedBy: "respond" | "resolve" | null;
  /**
   * Which clock this run's target counts on, and so its `elapsed`, `targetMs` and `deadline`: the
   * metric's `measure` for the current run, the measure it stopped under for an earlier one;
   * `null` for a run without a target (its `elapsed` is business time).
   */
  readonly measure: Measure | null;
  /** This run's counted time (ms of {@link MetricCycle.measure}). */
  readonly elapsed: number;
  readonly targetMs: number | null;
  readonly deadline: Date | null;
  readonly status: MetricStatus;
  readonly breachedAt: Date | null;
}

/**
 * Where a cycle metric (`nextReply`, `periodicUpdate`) stands: a {@link MetricStatus}, or `idle`
 * while no cycle has started yet (it has a target but nothing to count).
 *
 * @example
 * ```ts
 * const s: CycleMetricStatus = "idle";
 * ```
 */
export type CycleMetricStatus = MetricStatus | "idle";

/**
 * A cycle metric of an evaluated ticket: the current (last) cycle's figures at top level, as for
 * {@link MetricEvaluation}, and every cycle in `cycles`. Before the first cycle its status is
 * `idle` (or `none` without a target), its elapsed time 0 and its deadline `null`.
 *
 * @example
 * ```ts
 * import { definePolicy, getPolicy } from "sla-clock";
 * const base = getPolicy("softone-se").spec;
 * const policy = definePolicy({
 *   ...base,
 *   id: "with-next-reply",
 *   priorities: base.priorities.map((p) => ({ ...p, targets: { ...p.targets, nextReply: { kind: "business", duration: "PT4H" } } })),
 * });
 * const { nextReply } = policy.evaluate({ id: 1, priority: 2, createdAt: "2026-04-07T09:00", events: [] }, "2026-04-07T10:00");
 * nextReply.status; // "idle"
 * ```
 */
export interface CycleMetricEvaluation<M extends Metric = "nextReply" | "periodicUpdate"> extends Omit<
  MetricEvaluation<M>,
  "status"
> {
  readonly status: CycleMetricStatus;
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
  /**
   * The earliest instant after `now` at which a running metric crosses an alert threshold or its
   * deadline, if nothing else happens first: the one timer a service arms for this ticket. `null`
   * when no metric runs (all stopped or paused) or none has an instant left.
   */
  readonly nextAlertAt: Date | null;
  readonly response: MetricEvaluation<"response">;
  readonly resolution: MetricEvaluation<"resolution">;
  /** From each customer reply after the first response to the next agent reply (see docs/semantics.md). */
  readonly nextReply: CycleMetricEvaluation;
  /** From each agent reply (and reopen) to the next agent reply, while unresolved. */
  readonly periodicUpdate: CycleMetricEvaluation;
}

/** Added to a kept run's stop reason when the run breached (see {@link RUN_FIELDS}). */
const RUN_BREACHED = 4;
/**
 * Added to a kept run's stop reason when its deadline field holds the business time it had left at
 * its stop rather than the deadline itself (see {@link RUN_FIELDS}).
 */
const RUN_LEFT = 8;
/** Added to a kept run's stop reason when its target counted calendar time (see {@link RUN_FIELDS}). */
const RUN_CALENDAR = 16;
/** The stop reason of a kept run's code: the bits below {@link RUN_BREACHED}. */
const RUN_REASON_MASK = 3;
/**
 * A kept run's stop instant and stop reason share one number: `stop * RUN_CODES + code`, the code
 * being the reason plus {@link RUN_BREACHED} when it breached, {@link RUN_LEFT} when its
 * deadline is kept as the time left and {@link RUN_CALENDAR} when its measure is calendar time.
 * Instants of a replay are whole epoch milliseconds within 1900–2200 (the reader rejects
 * fractional ones), so the product stays an exact integer (|stop| · 32 < 2^48).
 */
const RUN_CODES = 32;

/**
 * "No instant": a breach, a stop or an alert crossing that has not happened. -Infinity, not -1 or
 * another finite number, because every finite number is an instant (-1 is 1969-12-31T23:59:59.999Z;
 * the clock once used it, and judged tickets before 1970 never breached).
 *
 * @example
 * ```ts
 * new MetricClock().breachedAt === NO_INSTANT; // true: a fresh clock has not breached
 * ```
 * @internal
 */
export const NO_INSTANT = Number.NEGATIVE_INFINITY;

/**
 * Numbers a run takes in {@link MetricClock.earlier}: start, stop with its reason (see
 * {@link RUN_CODES}), elapsed, target (NaN for none), deadline (the breach instant when it breached;
 * NaN for none). Its measure is the one it stopped under (none without a target, else business
 * unless the code says calendar). How it ended and when it breached follow from these: a run without a target is
 * `none` (and never breached: a target of none undoes a breach), a breached one's breach instant is
 * its deadline. Five numbers rather than eight: a batch keeps the earlier runs of a million tickets,
 * and every byte of it is fresh memory, which is what costs (see result.ts, ColumnArrays).
 *
 * The deadline of a business-time run that stopped without breaching is where its time left at the
 * stop runs out: a business-time addition, which a batch makes only for the tickets whose cycles it
 * is asked for ({@link earlierCycles}), not for every earlier run of every ticket (a four-metric
 * batch keeps about three a ticket). Such a run keeps that time left instead, marked with
 * {@link RUN_LEFT} ({@link MetricClock.timeLeftAtStop}, which still makes an addition that may run
 * out of the supported range, so that it fails the ticket).
 * @internal
 */
export const RUN_FIELDS = 5;

/** The stop instant and the reason code of a kept run's packed stop (see {@link RUN_CODES}). */
function unpackStop(packed: number): { stop: number; code: number } {
  // The code is the remainder counted upwards, also for a stop before 1970 (a negative product).
  const code = ((packed % RUN_CODES) + RUN_CODES) % RUN_CODES;
  return { stop: (packed - code) / RUN_CODES, code };
}

/**
 * How many of the runs kept as numbers by {@link MetricClock.earlier} breached.
 * @internal
 */
export function breachesAmong(runs: ArrayLike<number>): number {
  let breaches = 0;
  for (let k = 0; k < runs.length; k += RUN_FIELDS)
    if ((unpackStop(runs[k + 1] as number).code & RUN_BREACHED) !== 0) breaches++;
  return breaches;
}

/**
 * Runs kept as numbers by {@link MetricClock.earlier} as the cycle objects results report, with the
 * deadlines kept as time left found on `engine` (the calendar of the policy that replayed them).
 * @internal
 */
export function earlierCycles(runs: ArrayLike<number>, engine: CalendarEngine): MetricCycle[] {
  const cycles: MetricCycle[] = [];
  const instant = (v: number) => (v === v ? new Date(v) : null);
  for (let k = 0; k < runs.length; k += RUN_FIELDS) {
    const targetMs = runs[k + 3] as number;
    const { stop, code } = unpackStop(runs[k + 1] as number);
    const breached = (code & RUN_BREACHED) !== 0;
    const kept = runs[k + 4] as number;
    const deadline = instant((code & RUN_LEFT) !== 0 ? engine.add(stop, kept) : kept);
    cycles.push(
      Object.freeze({
        start: new Date(runs[k] as number),
        stop: new Date(stop),
        stoppedBy: (code & RUN_REASON_MASK) === StopReason.Resolve ? "resolve" : "respond",
        measure: targetMs !== targetMs ? null : (code & RUN_CALENDAR) !== 0 ? "calendar" : "business",
        elapsed: runs[k + 2] as number,
        targetMs: targetMs === targetMs ? targetMs : null,
        deadline,
        status: targetMs !== targetMs ? "none" : breached ? "breached" : "met",
        breachedAt: breached ? new Date(kept) : null,
      }),
    );
  }
  return cycles;
}

/** Stop reasons as small integers. @internal */
export const StopReason = { None: 0, Respond: 1, Resolve: 2 } as const;
type StopReason = (typeof StopReason)[keyof typeof StopReason];

/** Per-metric clock state while replaying a ticket; reused from ticket to ticket. @internal */
export class MetricClock {
  readonly metric: Metric;
  readonly definition: MetricDefinition;
  /** The priority whose target is in force. */
  entry!: PriorityEntry;
  /** The instant the target counts from: the creation, or the start of the current cycle. */
  anchor = 0;
  /** How many runs (cycles) started; 0 while a cycle metric waits for its first. */
  runs = 0;
  /** When the current run started, and the time counted before it (a resolution's earlier runs). */
  runStart = 0;
  /**
   * The time counted before the current run in each measure: a priority change after a reopen can
   * switch the measure (calendar, business, or none, which counts business time), and the run's own
   * time is the total less the base in the measure in force (a base in the other measure made it
   * negative).
   */
  runBaseBusiness = 0;
  runBaseCalendar = 0;
  /**
   * The runs before the current one, oldest first, as {@link RUN_FIELDS} numbers a run (see
   * {@link earlierCycles}), in the first {@link MetricClock.earlierLength} elements: scratch space
   * reused from ticket to ticket, which the results copy. Numbers rather than {@link MetricCycle}
   * objects: a batch with many cycles keeps them for a million tickets, and builds the objects
   * (four `Date`s each) only for the tickets it is asked for.
   */
  earlier: Float64Array = new Float64Array(8 * RUN_FIELDS);
  /** How many numbers of {@link MetricClock.earlier} are in use (0: no earlier run, the common case). */
  earlierLength = 0;
  measure: Measure | null = null;
  length = 0;
  businessElapsed = 0;
  calendarElapsed = 0;
  breachedAt = NO_INSTANT;
  stopped = false;
  stoppedAt = NO_INSTANT;
  stoppedBy: StopReason = StopReason.None;
  /** The alert thresholds followed (the same for every ticket of a batch). */
  alerts: readonly CompiledAlert[] = [];
  /** Per threshold: the time used at which it is crossed under the target in force. */
  alertLength: Float64Array = new Float64Array(0);
  /**
   * Per threshold, where it was crossed, or NO_INSTANT: `alertLeft` ms of the measure after `alertFrom`.
   * A crossing is kept as that pair rather than as an instant because finding the instant costs a
   * business-time addition, and a batch of a million tickets only needs the instants it is asked
   * for (see result.ts); 0 left means the crossing is `alertFrom` itself.
   */
  alertFrom: Float64Array = new Float64Array(0);
  alertLeft: Float64Array = new Float64Array(0);
  /**
   * Per threshold crossed strictly inside a stretch: 1 when every stretch of the run before it was
   * counted without a gap from the run's start (no pause) and nothing was counted before the run,
   * so that the time used at `alertFrom` is all the time from the run's start. The crossing is then
   * also `alertLengthAt` (the threshold's length when it was crossed) after the run's start, which a
   * batch's columns give back without keeping the pair (see result.ts, RowExtras).
   */
  alertFromStart: Uint8Array = new Uint8Array(0);
  alertLengthAt: Float64Array = new Float64Array(0);
  /** Whether the measure changed since the run started (a pair from the start would read differently). */
  measureChanged = false;
  /** The end of the last stretch the run counted (its start before any). */
  #countedTo = 0;
  /** Whether the run has counted every stretch so far without a gap. */
  #gapless = true;

  constructor(metric: Metric) {
    this.metric = metric;
    this.definition = METRIC_TABLE[metric];
  }

  /** Whether a run is open (started and not stopped): the clock runs unless the ticket is paused. */
  get open(): boolean {
    return this.runs > 0 && !this.stopped;
  }

  /** Follows these alert thresholds from the next ticket on. */
  follow(alerts: readonly CompiledAlert[]): void {
    if (alerts === this.alerts) return;
    this.alerts = alerts;
    this.alertLength = new Float64Array(alerts.length);
    this.alertFrom = new Float64Array(alerts.length);
    this.alertLeft = new Float64Array(alerts.length);
    this.alertFromStart = new Uint8Array(alerts.length);
    this.alertLengthAt = new Float64Array(alerts.length);
  }

  /**
   * Turns each crossing kept as a pair (`alertLeft` ms of the measure after `alertFrom`) into its
   * instant, in the measure in force, before the measure changes: read later in the new measure,
   * the pair named another instant (5 calendar hours after 08:00 read as 5 business hours).
   */
  #fixCrossings(engine: CalendarEngine): void {
    const measure = this.measure;
    if (measure === null) return;
    for (let j = 0; j < this.alerts.length; j++) {
      const from = this.alertFrom[j] as number;
      const left = this.alertLeft[j] as number;
      if (from === NO_INSTANT || left === 0) continue;
      this.alertFrom[j] = measure === "business" ? engine.add(from, left) : from + left;
      this.alertLeft[j] = 0;
      this.alertFromStart[j] = 0;
    }
  }

  /** The crossing lengths of the thresholds for the target in force; a crossing that no longer holds is undone. */
  #scaleAlerts(): void {
    const alerts = this.alerts;
    const used = this.elapsed();
    for (let j = 0; j < alerts.length; j++) {
      const length = alertLength(alerts[j] as CompiledAlert, this.length);
      this.alertLength[j] = length;
      // The rule a breach follows on a new target: a crossing stands only while it is still crossed.
      if ((this.alertFrom[j] as number) !== NO_INSTANT && (this.measure === null || used < length))
        this.alertFrom[j] = NO_INSTANT;
    }
  }

  reset(engine: CalendarEngine, entry: PriorityEntry, createdAt: number): void {
    this.runs = 1;
    this.runStart = this.anchor = createdAt;
    this.runBaseBusiness = this.runBaseCalendar = 0;
    this.earlierLength = 0;
    this.#start(engine, entry, createdAt);
  }

  /** No run yet (a cycle metric before its first start): the target in force is `entry`'s. */
  idle(entry: PriorityEntry): void {
    this.runs = 0;
    this.earlierLength = 0;
    this.entry = entry;
    this.measure = measureOf(entry.compiled[this.metric]);
    this.length = 0;
    this.#clearRun();
  }

  /** A run with nothing counted, not breached and not stopped. */
  #clearRun(): void {
    this.businessElapsed = 0;
    this.calendarElapsed = 0;
    this.breachedAt = NO_INSTANT;
    this.stopped = false;
    this.stoppedAt = NO_INSTANT;
    this.stoppedBy = StopReason.None;
  }

  /** A new cycle from `at`, counted from zero against `entry`'s target; the previous one is kept. */
  startCycle(engine: CalendarEngine, entry: PriorityEntry, at: number): void {
    if (this.runs > 0) this.#keepRun(engine);
    this.runs++;
    this.runStart = this.anchor = at;
    this.runBaseBusiness = this.runBaseCalendar = 0;
    this.#start(engine, entry, at);
  }

  /**
   * The next run of an accumulating metric (resolution after a reopen): the time counted so far
   * stays, and a target that changed while it was stopped applies from here on.
   */
  resumeRun(engine: CalendarEngine, entry: PriorityEntry, at: number): void {
    this.#keepRun(engine);
    this.runs++;
    this.runStart = this.#countedTo = at;
    this.#gapless = true;
    this.measureChanged = false;
    this.runBaseBusiness = this.businessElapsed;
    this.runBaseCalendar = this.calendarElapsed;
    this.stopped = false;
    this.stoppedAt = NO_INSTANT;
    this.stoppedBy = StopReason.None;
    this.retarget(engine, entry, this.anchor);
  }

  /**
   * Keeps the stopped run just ended as a cycle record (a batch keeps only tickets' extra runs); a
   * business-time deadline not reached is kept as the time left (see {@link RUN_FIELDS}).
   */
  #keepRun(engine: CalendarEngine): void {
    const measure = this.measure;
    const breached = this.breachedAt !== NO_INSTANT;
    const elapsed = this.elapsed();
    let deadline = Number.NaN;
    let code: number = breached ? this.stoppedBy + RUN_BREACHED : this.stoppedBy;
    // The run keeps the measure it stopped under, which a later priority change does not convert.
    if (measure === "calendar") code += RUN_CALENDAR;
    if (measure !== null) {
      if (breached) deadline = this.breachedAt;
      else if (measure === "business") {
        deadline = this.timeLeftAtStop(engine);
        code += RUN_LEFT;
      } else deadline = advance(engine, measure, this.stoppedAt, this.timeLeft());
    }
    let runs = this.earlier;
    const k = this.earlierLength;
    if (k + RUN_FIELDS > runs.length) {
      runs = new Float64Array(runs.length * 2);
      runs.set(this.earlier);
      this.earlier = runs;
    }
    runs[k] = this.runStart;
    runs[k + 1] = this.stoppedAt * RUN_CODES + code;
    runs[k + 2] = elapsed - this.runBase;
    runs[k + 3] = measure === null ? Number.NaN : this.length;
    runs[k + 4] = deadline;
    this.earlierLength = k + RUN_FIELDS;
  }

  #start(engine: CalendarEngine, entry: PriorityEntry, anchor: number): void {
    this.entry = entry;
    const target = entry.compiled[this.metric];
    this.measure = measureOf(target);
    this.length = budgetLength(engine, target, anchor);
    this.#clearRun();
    this.#countedTo = anchor;
    this.#gapless = true;
    this.measureChanged = false;
    // A fresh clock: no crossing yet, and each threshold's length for this target (a plain loop:
    // this runs for every metric of every ticket, where a call to fill costs more than the work).
    const alerts = this.alerts;
    for (let j = 0; j < alerts.length; j++) {
      this.alertFrom[j] = NO_INSTANT;
      this.alertFromStart[j] = 0;
      this.alertLength[j] = alertLength(alerts[j] as CompiledAlert, this.length);
    }
  }

  /** The time of the target in force not used yet, in its measure (0 once used up). */
  timeLeft(): number {
    const left = this.length - this.elapsed();
    return left > 0 ? left : 0;
  }

  /**
   * A stopped business-time run's {@link MetricClock.timeLeft}, which a result keeps in place of its
   * deadline (where that time runs out, a business-time addition made by whoever reads it: see
   * {@link RUN_FIELDS} and result.ts, ColumnArrays.leftInDeadline). An addition the calendar does not
   * show to return (`CalendarEngine.addReturns`) is made here all the same, so that one past the
   * supported range fails the ticket now, as it always has.
   */
  timeLeftAtStop(engine: CalendarEngine): number {
    const left = this.timeLeft();
    if (!engine.addReturns(this.stoppedAt, left)) engine.add(this.stoppedAt, left);
    return left;
  }

  /** The time counted before the current run, in the measure in force (see {@link MetricClock.runBaseBusiness}). */
  get runBase(): number {
    return this.measure === "calendar" ? this.runBaseCalendar : this.runBaseBusiness;
  }

  elapsed(): number {
    return this.measure === "calendar" ? this.calendarElapsed : this.businessElapsed;
  }

  /**
   * Counts the piece [p, q) (or [p, q] for the last piece, up to now) during which the clock runs,
   * `business` ms of which are open (the caller computes it once for both metrics): a breach
   * happens at the first instant at which the clock runs with the target used up.
   */
  run(engine: CalendarEngine, p: number, q: number, business: number, inclusive: boolean): void {
    const measure = this.measure;
    if (measure !== null) {
      const used = this.elapsed();
      const gained = measure === "business" ? business : q - p;
      if (this.breachedAt === NO_INSTANT)
        this.breachedAt = crossing(engine, measure, p, q, inclusive, used, gained, this.length);
      const from = this.alertFrom;
      const fromStart = this.#gapless && p === this.#countedTo && this.runBase === 0 ? 1 : 0;
      for (let j = 0; j < from.length; j++) {
        if ((from[j] as number) !== NO_INSTANT) continue;
        const length = this.alertLength[j] as number;
        if (used < length && used + gained > length) {
          // Crossed strictly inside the piece: the instant is `length - used` after p (found on demand).
          from[j] = p;
          this.alertLeft[j] = length - used;
          this.alertFromStart[j] = fromStart;
          this.alertLengthAt[j] = length;
        } else {
          // Already used up (crossed at p, if the clock runs), or used up exactly at the piece's end,
          // where only the instant itself tells whether it is inside the piece: as for a breach.
          const at = crossing(engine, measure, p, q, inclusive, used, gained, length);
          if (at !== NO_INSTANT) {
            from[j] = at;
            this.alertLeft[j] = 0;
            this.alertFromStart[j] = 0;
          }
        }
      }
    }
    if (p !== this.#countedTo) this.#gapless = false;
    this.#countedTo = q;
    if (q > p) {
      this.businessElapsed += business;
      this.calendarElapsed += q - p;
    }
  }

  /**
   * At a priority change while running, or at the resume (or the resolve, which ends a pause too)
   * after one made while paused: a target (or
   * alert threshold) that the time already counted exceeds is crossed at this instant, even when the
   * clock stops at the same instant (a reply stamped with the change's second). Its deadline lies
   * before the instant, so stopping there cannot meet it; a target used up exactly is still met by
   * a stop at the same instant, as a stop at the deadline is.
   */
  crossOverAt(at: number): void {
    const measure = this.measure;
    if (!this.open || measure === null) return;
    const used = this.elapsed();
    if (this.breachedAt === NO_INSTANT && used > this.length) this.breachedAt = at;
    const from = this.alertFrom;
    for (let j = 0; j < from.length; j++) {
      if ((from[j] as number) !== NO_INSTANT || !(used > (this.alertLength[j] as number))) continue;
      from[j] = at;
      this.alertLeft[j] = 0;
      this.alertFromStart[j] = 0;
    }
  }

  stop(at: number, by: StopReason): void {
    this.stopped = true;
    this.stoppedAt = at;
    this.stoppedBy = by;
  }

  /**
   * A new target for a running or paused metric. A breach stands (with its original instant) only
   * while the new target is used up too; otherwise it no longer does, and a new target that is
   * already used up breaches at the next instant the clock runs.
   */
  retarget(engine: CalendarEngine, entry: PriorityEntry, createdAt: number): void {
    if (this.stopped) return;
    if (this.runs === 0) return this.idle(entry);
    this.entry = entry;
    const target = entry.compiled[this.metric];
    const measure = measureOf(target);
    const length = budgetLength(engine, target, createdAt);
    if (measure === this.measure && length === this.length) return;
    if (measure !== this.measure) {
      this.measureChanged = true;
      if (this.alerts.length > 0) this.#fixCrossings(engine);
    }
    this.measure = measure;
    this.length = length;
    if (this.breachedAt !== NO_INSTANT && (measure === null || this.elapsed() < length)) this.breachedAt = NO_INSTANT;
    if (this.alerts.length > 0) this.#scaleAlerts();
  }
}

/**
 * When a clock that has used `used` ms of `length` crosses it within the piece [p, q) (or [p, q]
 * for the last piece, up to now), during which it gains `gained` ms: the first instant at which
 * the clock runs with `length` used up, or -1 when it is not crossed in the piece.
 */
function crossing(
  engine: CalendarEngine,
  measure: Measure,
  p: number,
  q: number,
  inclusive: boolean,
  used: number,
  gained: number,
  length: number,
): number {
  if (used >= length) return inclusive || q > p ? p : NO_INSTANT;
  if (used + gained < length) return NO_INSTANT;
  // The length runs out within the piece (or exactly at its end): find the instant.
  const due = advance(engine, measure, p, length - used);
  return due < q || (inclusive && due === q) ? due : NO_INSTANT;
}

/**
 * `amount` ms of a measure after `from`. A calendar-time instant past the supported range is
 * OUT_OF_RANGE, as a business-time addition's is (it fails the ticket), never a 2201 `Date`.
 * @internal
 */
export function advance(engine: CalendarEngine, measure: Measure, from: number, amount: number): number {
  return measure === "business"
    ? engine.add(from, amount)
    : engine.checked(from + amount, "the result of adding calendar time");
}

/** The event kinds of the triggers a metric definition names. */
const TRIGGER_KIND: Readonly<Record<Exclude<MetricTrigger, "created">, EventKind>> = {
  respond: EventKind.Respond,
  agentReply: EventKind.AgentReply,
  customerReply: EventKind.CustomerReply,
  resolve: EventKind.Resolve,
  reopen: EventKind.Reopen,
};

/** Per event kind, whether it is one of the triggers (a small lookup for the replay loop). */
function kindSet(triggers: readonly MetricTrigger[]): readonly boolean[] {
  const set: boolean[] = new Array<boolean>(8).fill(false);
  for (const t of triggers) if (t !== "created") set[TRIGGER_KIND[t]] = true;
  return set;
}

/** A metric definition as the replay loop reads it. */
interface MetricWiring {
  readonly clock: MetricClock;
  readonly startsAtCreation: boolean;
  readonly startsOn: readonly boolean[];
  readonly stopsOn: readonly boolean[];
  readonly cycles: boolean;
  /** The clock that must have stopped before a start counts, or `null`. */
  readonly after: MetricClock | null;
}

/**
 * Replays validated tickets up to `now`, every metric by its row of the metric table. One instance
 * serves a whole batch: it holds no state between tickets beyond scratch fields that `replay`
 * resets.
 * @internal
 */
export class TicketClock {
  /** One clock per metric, in the order of METRICS. */
  readonly clocks: readonly MetricClock[] = METRICS.map((m) => new MetricClock(m));
  readonly response = this.clocks[0] as MetricClock;
  readonly resolution = this.clocks[1] as MetricClock;
  /** Per metric, whether the policy replayed last measures it (see PolicyRules.measured). */
  measured: readonly boolean[] = METRICS.map(() => true);
  #wiring: readonly MetricWiring[] = [];
  #wiredFor: readonly string[] | null = null;
  paused = false;
  priority!: PriorityEntry;
  createdAt = 0;
  now = 0;

  /** Follows these alert thresholds from the next ticket on. */
  follow(alerts: readonly CompiledAlert[]): void {
    for (const clock of this.clocks) clock.follow(alerts);
  }

  /** The metrics a policy measures, wired for the loop (kept while the same list comes back). */
  #wire(measured: readonly Metric[]): readonly MetricWiring[] {
    // The wiring is made apart: a closure in this method (`clockOf`) made every call, the cached
    // ones too, allocate its context (56 bytes a ticket of a batch).
    return measured === this.#wiredFor ? this.#wiring : this.#rewire(measured);
  }

  #rewire(measured: readonly Metric[]): readonly MetricWiring[] {
    const clockOf = (m: Metric) => this.clocks[METRICS.indexOf(m)] as MetricClock;
    this.measured = METRICS.map((m) => measured.includes(m));
    this.#wiring = measured.map((m) => {
      const d = METRIC_TABLE[m];
      return {
        clock: clockOf(m),
        startsAtCreation: d.starts.includes("created"),
        startsOn: kindSet(d.starts),
        stopsOn: kindSet(d.stops),
        cycles: d.cycles,
        after: d.startsAfter === null ? null : clockOf(d.startsAfter),
      };
    });
    this.#wiredFor = measured;
    return this.#wiring;
  }

  replay(rules: PolicyRules, ticket: TicketReader, now: number): void {
    const engine = rules.engine;
    const createdAt = ticket.createdAt;
    const wiring = this.#wire(rules.measured);
    const n = wiring.length;
    let priority = ticket.priority;
    for (let m = 0; m < n; m++) {
      const w = wiring[m] as MetricWiring;
      if (w.startsAtCreation) w.clock.reset(engine, priority, createdAt);
      else w.clock.idle(priority);
    }
    let paused = false;
    let resolved = false;
    let p = createdAt;
    const { kinds, times, priorities, count } = ticket;
    for (let i = 0; i < count; i++) {
      const at = times[i] as number;
      if (at > now) break;
      if (!paused) runPiece(engine, wiring, p, at, false);
      p = at;
      const kind = kinds[i] as EventKind;
      switch (kind) {
        case EventKind.Pause:
          paused = true;
          break;
        case EventKind.Resume:
          paused = false;
          for (let m = 0; m < n; m++) (wiring[m] as MetricWiring).clock.crossOverAt(at);
          break;
        case EventKind.Priority:
          priority = priorities[i] as PriorityEntry;
          for (let m = 0; m < n; m++) {
            const clock = (wiring[m] as MetricWiring).clock;
            clock.retarget(engine, priority, clock.anchor);
            if (!paused) clock.crossOverAt(at);
          }
          break;
        default: {
          if (kind === EventKind.Resolve) {
            resolved = true;
            // A resolve ends a pause as a resume does: a metric a change put over its target while
            // paused breaches here, before the resolve stops it (as at a resume and a resolve).
            if (paused) for (let m = 0; m < n; m++) (wiring[m] as MetricWiring).clock.crossOverAt(at);
            paused = false;
          } else if (kind === EventKind.Reopen) resolved = false;
          const reason = kind === EventKind.Resolve ? StopReason.Resolve : StopReason.Respond;
          for (let m = 0; m < n; m++) {
            const w = wiring[m] as MetricWiring;
            const clock = w.clock;
            if (w.stopsOn[kind] === true && clock.open) clock.stop(at, reason);
            if (w.startsOn[kind] !== true || resolved || clock.open) continue;
            if (w.after !== null && !w.after.stopped) continue;
            if (w.cycles) clock.startCycle(engine, priority, at);
            else clock.resumeRun(engine, priority, at);
          }
        }
      }
    }
    if (!paused) runPiece(engine, wiring, p, now, true);
    this.paused = paused;
    this.priority = priority;
    this.createdAt = createdAt;
    this.now = now;
  }
}

/** Runs the metrics whose run is open over [p, q), counting its business time once. */
function runPiece(
  engine: CalendarEngine,
  wiring: readonly MetricWiring[],
  p: number,
  q: number,
  inclusive: boolean,
): void {
  let business = -1;
  for (let m = 0; m < wiring.length; m++) {
    const clock = (wiring[m] as MetricWiring).clock;
    if (!clock.open) continue;
    if (business < 0) business = q > p ? engine.between(p, q) : 0;
    clock.run(engine, p, q, business, inclusive);
  }
}
