import type { CalendarEngine } from "../calendar/engine";
import { SlaClockError } from "../errors";
import type { PriorityInfo } from "../policy/rules";
import type { Metric } from "../policy/spec";
import type { Measure } from "../policy/target";
import {
  atRiskOf,
  deadlineOf,
  statusOf,
  type MetricClock,
  type MetricEvaluation,
  type MetricStatus,
  type TicketClock,
  type TicketEvaluation,
} from "./evaluate";
import type { TicketProblem } from "./ticket";

/**
 * A ticket of a batch that could not be evaluated: where it was, its id when it could be read, and
 * the typed error saying what was wrong.
 *
 * @example
 * ```ts
 * import { SlaClockError } from "sla-clock";
 * const failure: TicketFailure = { index: 3, id: "T-9", error: new SlaClockError("INVALID_TICKET", "ticket T-9: …") };
 * ```
 */
export interface TicketFailure {
  readonly index: number;
  readonly id: string | null;
  readonly error: SlaClockError;
}

/**
 * The {@link TicketFailure}s of a batch. The error is worded from the problem's facts on first
 * read (then kept), so that a bad ticket costs a small record rather than an `Error` with a
 * captured stack: a million of them used to take 30 s and 1.3 GB. `error` is an own enumerable
 * property, as on a plain `{ index, id, error }`, so spreading, `Object.keys` and JSON see it.
 */
class BatchFailure implements TicketFailure {
  readonly index: number;
  readonly id: string | null;
  declare readonly error: SlaClockError;
  readonly #problem: TicketProblem;
  #error: SlaClockError | undefined = undefined;

  /** One shared descriptor: every failure then has the same hidden class. */
  static readonly #errorProperty: PropertyDescriptor = {
    get(this: BatchFailure): SlaClockError {
      return (this.#error ??= this.#problem.toError());
    },
    enumerable: true,
  };

  constructor(index: number, id: string | null, problem: TicketProblem) {
    this.index = index;
    this.id = id;
    this.#problem = problem;
    Object.defineProperty(this, "error", BatchFailure.#errorProperty);
    Object.freeze(this);
  }
}

/**
 * The metric statuses in the order of their codes in {@link MetricColumns.status}.
 *
 * @example
 * ```ts
 * METRIC_STATUSES[batch.response.status[0]]; // "running"
 * ```
 */
export const METRIC_STATUSES: readonly MetricStatus[] = Object.freeze(["running", "paused", "met", "breached", "none"]);

const STATUS_CODE: Readonly<Record<MetricStatus, number>> = { running: 0, paused: 1, met: 2, breached: 3, none: 4 };
/** Status code of a ticket that failed (see {@link EvaluationBatch.failures}). */
const FAILED = 255;
const MEASURES: readonly (Measure | null)[] = [null, "business", "calendar"];
const STOPPED_BY = [null, "respond", "resolve"] as const;

/**
 * One metric of a batch as columns: element `i` belongs to ticket `i`. Instants are epoch ms and
 * absent values are NaN; `status` holds codes into {@link METRIC_STATUSES} (255 for a failed
 * ticket). The arrays belong to the caller, like the other bulk results.
 *
 * @example
 * ```ts
 * const { response } = batch;
 * let breached = 0;
 * for (let i = 0; i < batch.length; i++) if (METRIC_STATUSES[response.status[i]] === "breached") breached++;
 * ```
 */
export interface MetricColumns {
  readonly status: Uint8Array;
  readonly deadline: Float64Array;
  readonly breachedAt: Float64Array;
  readonly stoppedAt: Float64Array;
  readonly elapsed: Float64Array;
  readonly remaining: Float64Array;
  readonly targetMs: Float64Array;
  /** 1 when at risk. */
  readonly atRisk: Uint8Array;
  /** 0 none, 1 business, 2 calendar. */
  readonly measure: Uint8Array;
  /** 0 not stopped, 1 by respond, 2 by resolve. */
  readonly stoppedBy: Uint8Array;
  /** Rank (row in the priority table) of the priority whose target is in force; -1 for a failure. */
  readonly targetRank: Int16Array;
}

/**
 * Typed-array columns of `n` elements cut from one buffer, grouped by element size so that every
 * view is aligned: one allocation for a whole batch, since each allocation of external memory can
 * make V8 start a full collection of the caller's heap (for a million tickets, the tickets).
 */
class ColumnSlab {
  readonly #buffer: ArrayBuffer;
  readonly #n: number;
  #f64 = 0;
  #i16: number;
  #u8: number;

  constructor(n: number, counts: { f64: number; i16: number; u8: number }) {
    this.#n = n;
    this.#i16 = counts.f64 * 8 * n;
    this.#u8 = this.#i16 + counts.i16 * 2 * n;
    this.#buffer = new ArrayBuffer(this.#u8 + counts.u8 * n);
  }

  f64(): Float64Array {
    const view = new Float64Array(this.#buffer, this.#f64, this.#n);
    this.#f64 += view.byteLength;
    return view;
  }

  i16(): Int16Array {
    const view = new Int16Array(this.#buffer, this.#i16, this.#n);
    this.#i16 += view.byteLength;
    return view;
  }

  u8(): Uint8Array {
    const view = new Uint8Array(this.#buffer, this.#u8, this.#n);
    this.#u8 += view.byteLength;
    return view;
  }
}

/** The columns {@link metricColumns} cuts, per metric. */
const METRIC_COLUMN_COUNTS = { f64: 6, i16: 1, u8: 4 };

function metricColumns(slab: ColumnSlab): MetricColumns {
  return {
    status: slab.u8(),
    deadline: slab.f64(),
    breachedAt: slab.f64(),
    stoppedAt: slab.f64(),
    elapsed: slab.f64(),
    remaining: slab.f64(),
    targetMs: slab.f64(),
    atRisk: slab.u8(),
    measure: slab.u8(),
    stoppedBy: slab.u8(),
    targetRank: slab.i16(),
  };
}

/**
 * The result of `policy.evaluateMany`: both metrics of every ticket as columns, compact enough for
 * millions of tickets, plus the failures. `get(i)` (and iteration) gives the same objects as
 * `policy.evaluate` would — a {@link TicketFailure} in the place of a ticket with bad data — so
 * `batch.length` always equals the number of tickets.
 *
 * @example
 * ```ts
 * const batch = getPolicy("softone-se").evaluateMany(tickets, "2026-04-07T12:00");
 * for (const r of batch) {
 *   if ("error" in r) console.error(`ticket #${r.index}: ${r.error.message}`);
 *   else if (r.response.status === "breached") console.log(r.id, r.response.breachedAt);
 * }
 * ```
 */
export class EvaluationBatch implements Iterable<TicketEvaluation | TicketFailure> {
  /** Number of tickets (evaluated and failed). */
  readonly length: number;
  /** The moment of evaluation. */
  readonly now: Date;
  /** Ticket ids as the tickets give them (`null` where the id could not be read). */
  readonly ids: readonly (string | number | null)[];
  /** Rank of each ticket's priority at `now` in the policy's table; -1 for a failure. */
  readonly priorityRank: Int16Array;
  readonly response: MetricColumns;
  readonly resolution: MetricColumns;
  /** The tickets that could not be evaluated, by index. */
  readonly failures: readonly TicketFailure[];
  readonly #priorities: readonly PriorityInfo[];

  /** @internal */
  constructor(n: number, now: number, priorities: readonly PriorityInfo[], fill: (batch: BatchWriter) => void) {
    const writer = new BatchWriter(n);
    fill(writer);
    this.length = n;
    this.now = new Date(now);
    this.ids = Object.freeze(writer.ids);
    this.priorityRank = writer.priorityRank;
    this.response = Object.freeze(writer.response);
    this.resolution = Object.freeze(writer.resolution);
    this.failures = Object.freeze(writer.failures);
    this.#priorities = priorities;
    Object.freeze(this);
  }

  /**
   * Whether ticket `i` failed (its entry is a {@link TicketFailure}).
   *
   * @example
   * ```ts
   * const bad = batch.failures.length; // or, per ticket: batch.isFailure(i)
   * ```
   */
  isFailure(i: number): boolean {
    return this.priorityRank[this.#index(i)] === -1;
  }

  /** Checks a ticket index: an index outside the batch is a typed error, not `undefined`. */
  #index(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new SlaClockError(
        "INVALID_ARGUMENT",
        `index: ${typeof i === "number" ? i : (JSON.stringify(i) ?? String(i))} is not a ticket of the batch; use a whole number in 0…${this.length - 1}`,
        { value: i, path: "index" },
      );
    }
    return i;
  }

  /**
   * Ticket `i` as `policy.evaluate` would report it, or its failure.
   *
   * @example
   * ```ts
   * const first = batch.get(0);
   * if (!("error" in first)) console.log(first.response.deadline);
   * ```
   */
  get(i: number): TicketEvaluation | TicketFailure {
    if (this.isFailure(i)) return this.#failureAt(i);
    const rank = this.priorityRank[i] as number;
    return Object.freeze({
      id: String(this.ids[i]),
      priority: (this.#priorities[rank] as PriorityInfo).id,
      now: new Date(this.now.getTime()),
      response: this.#metric("response", this.response, i),
      resolution: this.#metric("resolution", this.resolution, i),
    });
  }

  /** The failure of ticket `i`: `failures` is in index order, so a binary search (no map to keep). */
  #failureAt(i: number): TicketFailure {
    const failures = this.failures;
    let lo = 0;
    let hi = failures.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((failures[mid] as TicketFailure).index < i) lo = mid + 1;
      else hi = mid;
    }
    return failures[lo] as TicketFailure;
  }

  #metric(metric: Metric, c: MetricColumns, i: number): MetricEvaluation {
    const measure = MEASURES[c.measure[i] as number] ?? null;
    const date = (v: number) => (Number.isNaN(v) ? null : new Date(v));
    const targetMs = c.targetMs[i] as number;
    const elapsed = c.elapsed[i] as number;
    const target = (this.#priorities[c.targetRank[i] as number] as PriorityInfo).targets[metric];
    return Object.freeze({
      metric,
      status: METRIC_STATUSES[c.status[i] as number] as MetricStatus,
      target,
      measure,
      targetMs: measure === null ? null : targetMs,
      elapsed,
      remaining: measure === null ? null : (c.remaining[i] as number),
      fractionUsed: measure === null ? null : targetMs > 0 ? elapsed / targetMs : 1,
      deadline: date(c.deadline[i] as number),
      breachedAt: date(c.breachedAt[i] as number),
      atRisk: c.atRisk[i] === 1,
      stoppedAt: date(c.stoppedAt[i] as number),
      stoppedBy: STOPPED_BY[c.stoppedBy[i] as number] ?? null,
    });
  }

  /**
   * Iterates the tickets in order, as {@link EvaluationBatch.get} gives them.
   *
   * @example
   * ```ts
   * for (const r of batch) if (!("error" in r) && r.resolution.atRisk) console.log(r.id);
   * ```
   */
  *[Symbol.iterator](): Iterator<TicketEvaluation | TicketFailure> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }

  /**
   * Every ticket as objects (what iterating gives). Convenient for small batches; for millions of
   * tickets read the columns instead.
   *
   * @example
   * ```ts
   * const breached = batch.toArray().filter((r) => !("error" in r) && r.response.status === "breached");
   * ```
   */
  toArray(): (TicketEvaluation | TicketFailure)[] {
    return Array.from(this);
  }
}

/**
 * Writes replayed tickets into the batch's columns.
 * @internal
 */
export class BatchWriter {
  readonly ids: (string | number | null)[];
  readonly priorityRank: Int16Array;
  readonly response: MetricColumns;
  readonly resolution: MetricColumns;
  readonly failures: TicketFailure[] = [];

  constructor(n: number) {
    this.ids = new Array<string | number | null>(n).fill(null);
    const slab = new ColumnSlab(n, {
      f64: 2 * METRIC_COLUMN_COUNTS.f64,
      i16: 2 * METRIC_COLUMN_COUNTS.i16 + 1,
      u8: 2 * METRIC_COLUMN_COUNTS.u8,
    });
    this.priorityRank = slab.i16();
    this.response = metricColumns(slab);
    this.resolution = metricColumns(slab);
  }

  write(i: number, id: string | number, engine: CalendarEngine, clock: TicketClock, atRiskThreshold: number): void {
    this.ids[i] = id;
    this.priorityRank[i] = clock.priority.info.rank;
    writeMetric(this.response, i, engine, clock.response, clock.paused, clock.now, atRiskThreshold);
    writeMetric(this.resolution, i, engine, clock.resolution, clock.paused, clock.now, atRiskThreshold);
  }

  /** Records ticket `i` as failed; tickets must fail in index order. */
  fail(i: number, id: string | null, problem: TicketProblem): void {
    this.ids[i] = id;
    this.priorityRank[i] = -1;
    failMetric(this.response, i);
    failMetric(this.resolution, i);
    this.failures.push(new BatchFailure(i, id, problem));
  }
}

function failMetric(c: MetricColumns, i: number): void {
  c.status[i] = FAILED;
  c.deadline[i] = c.breachedAt[i] = c.stoppedAt[i] = c.elapsed[i] = c.remaining[i] = c.targetMs[i] = Number.NaN;
  c.targetRank[i] = -1;
  c.atRisk[i] = c.measure[i] = c.stoppedBy[i] = 0;
}

function writeMetric(
  c: MetricColumns,
  i: number,
  engine: CalendarEngine,
  clock: MetricClock,
  paused: boolean,
  now: number,
  atRiskThreshold: number,
): void {
  const status = statusOf(clock, paused);
  c.status[i] = STATUS_CODE[status];
  c.targetRank[i] = clock.entry.info.rank;
  c.stoppedAt[i] = clock.stopped ? clock.stoppedAt : Number.NaN;
  c.stoppedBy[i] = clock.stopped ? clock.stoppedBy : 0;
  if (clock.measure === null) {
    c.measure[i] = 0;
    c.elapsed[i] = clock.businessElapsed;
    c.targetMs[i] = c.remaining[i] = c.deadline[i] = c.breachedAt[i] = Number.NaN;
    c.atRisk[i] = 0;
    return;
  }
  const elapsed = clock.elapsed();
  c.measure[i] = clock.measure === "business" ? 1 : 2;
  c.elapsed[i] = elapsed;
  c.targetMs[i] = clock.length;
  c.remaining[i] = clock.length - elapsed;
  c.deadline[i] = deadlineOf(engine, clock, now);
  c.breachedAt[i] = clock.breachedAt >= 0 ? clock.breachedAt : Number.NaN;
  c.atRisk[i] = atRiskOf(clock, status, atRiskThreshold) ? 1 : 0;
}
