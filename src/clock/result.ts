import type { CalendarEngine } from "../calendar/engine";
import type { PriorityInfo } from "../policy/rules";
import type { Metric } from "../policy/spec";
import type { Measure } from "../policy/target";
import {
  advance,
  type MetricClock,
  type MetricEvaluation,
  type MetricStatus,
  type TicketClock,
  type TicketEvaluation,
} from "./evaluate";

/*
 * The one description of a metric's result. A replayed metric becomes a row of numbers in its
 * {@link MetricColumns} (writeMetric), and a row becomes the {@link MetricEvaluation} object
 * (metricAt): `evaluateMany` keeps the rows of a whole batch and builds objects on `get(i)`,
 * `evaluate` writes its one ticket into a scratch row and builds the object at once, and the CLI
 * reads the batch's objects. So a field is computed in one place, and the three cannot disagree.
 */

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
/** Status code of a ticket that failed (see `EvaluationBatch.failures`). */
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
export class ColumnSlab {
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

/** The columns {@link metricColumns} cuts, per metric. @internal */
export const METRIC_COLUMN_COUNTS = { f64: 6, i16: 1, u8: 4 };

/** One metric's columns, cut from a slab. @internal */
export function metricColumns(slab: ColumnSlab): MetricColumns {
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

/** A ticket's results as columns: what {@link ticketAt} reads. @internal */
export interface TicketRows {
  readonly ids: readonly (string | number | null)[];
  readonly priorityRank: Int16Array;
  readonly response: MetricColumns;
  readonly resolution: MetricColumns;
}

/**
 * Columns for `n` tickets: ids, priority ranks and both metrics, cut from one slab.
 * @internal
 */
export class TicketColumns implements TicketRows {
  readonly ids: (string | number | null)[];
  readonly priorityRank: Int16Array;
  readonly response: MetricColumns;
  readonly resolution: MetricColumns;

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

  /** Row `i`: a replayed ticket. */
  write(i: number, id: string | number, engine: CalendarEngine, clock: TicketClock, atRiskThreshold: number): void {
    this.ids[i] = id;
    this.priorityRank[i] = clock.priority.info.rank;
    writeMetric(this.response, i, engine, clock.response, clock.paused, clock.now, atRiskThreshold);
    writeMetric(this.resolution, i, engine, clock.resolution, clock.paused, clock.now, atRiskThreshold);
  }

  /** Row `i`: a ticket that could not be evaluated. */
  clear(i: number, id: string | null): void {
    this.ids[i] = id;
    this.priorityRank[i] = -1;
    failMetric(this.response, i);
    failMetric(this.resolution, i);
  }
}

/**
 * Row `i` of a ticket's columns as the frozen object `evaluate` returns (the row must not be a
 * failure).
 * @internal
 */
export function ticketAt(
  rows: TicketRows,
  i: number,
  now: number,
  priorities: readonly PriorityInfo[],
): TicketEvaluation {
  const rank = rows.priorityRank[i] as number;
  return Object.freeze({
    id: String(rows.ids[i]),
    priority: (priorities[rank] as PriorityInfo).id,
    now: new Date(now),
    response: metricAt("response", rows.response, i, priorities),
    resolution: metricAt("resolution", rows.resolution, i, priorities),
  });
}

/** Row `i` of a metric's columns as the frozen object `evaluate` returns. @internal */
export function metricAt(
  metric: Metric,
  c: MetricColumns,
  i: number,
  priorities: readonly PriorityInfo[],
): MetricEvaluation {
  const measure = MEASURES[c.measure[i] as number] ?? null;
  const targetMs = c.targetMs[i] as number;
  const elapsed = c.elapsed[i] as number;
  const target = (priorities[c.targetRank[i] as number] as PriorityInfo).targets[metric];
  return Object.freeze({
    metric,
    status: METRIC_STATUSES[c.status[i] as number] as MetricStatus,
    target,
    measure,
    targetMs: measure === null ? null : targetMs,
    elapsed,
    remaining: measure === null ? null : (c.remaining[i] as number),
    fractionUsed: measure === null ? null : targetMs > 0 ? elapsed / targetMs : 1,
    deadline: dateOrNull(c.deadline[i] as number),
    breachedAt: dateOrNull(c.breachedAt[i] as number),
    atRisk: c.atRisk[i] === 1,
    stoppedAt: dateOrNull(c.stoppedAt[i] as number),
    stoppedBy: STOPPED_BY[c.stoppedBy[i] as number] ?? null,
  });
}

function failMetric(c: MetricColumns, i: number): void {
  c.status[i] = FAILED;
  c.deadline[i] = c.breachedAt[i] = c.stoppedAt[i] = c.elapsed[i] = c.remaining[i] = c.targetMs[i] = Number.NaN;
  c.targetRank[i] = -1;
  c.atRisk[i] = c.measure[i] = c.stoppedBy[i] = 0;
}

/** Row `i` of a metric's columns: the replayed metric's figures, computed here and only here. */
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

/** The status of a replayed metric. */
function statusOf(clock: MetricClock, paused: boolean): MetricStatus {
  if (clock.measure === null) return "none";
  if (clock.breachedAt >= 0) return "breached";
  if (clock.stopped) return "met";
  return paused ? "paused" : "running";
}

/** The projected deadline of a replayed metric in epoch ms (NaN for `none`). */
function deadlineOf(engine: CalendarEngine, clock: MetricClock, now: number): number {
  if (clock.measure === null) return Number.NaN;
  if (clock.breachedAt >= 0) return clock.breachedAt;
  const remaining = clock.length - clock.elapsed();
  return advance(engine, clock.measure, clock.stopped ? clock.stoppedAt : now, remaining > 0 ? remaining : 0);
}

/** Whether a replayed metric is at risk. */
function atRiskOf(clock: MetricClock, status: MetricStatus, atRiskThreshold: number): boolean {
  if (status !== "running" && status !== "paused") return false;
  return (clock.length > 0 ? clock.elapsed() / clock.length : 1) >= atRiskThreshold;
}

/** An instant of a column (NaN for none) as a `Date` or `null`. */
function dateOrNull(v: number): Date | null {
  return Number.isNaN(v) ? null : new Date(v);
}
