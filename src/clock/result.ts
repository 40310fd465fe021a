import type { CalendarEngine } from "../calendar/engine";
import { alertLength, type CompiledAlert } from "../policy/alerts";
import type { PriorityInfo } from "../policy/rules";
import { METRIC_TABLE, METRICS, type Metric } from "../policy/metrics";
import type { Measure } from "../policy/target";
import {
  advance,
  earlierCycles,
  RUN_FIELDS,
  type CycleMetricStatus,
  type MetricAlert,
  type MetricCycle,
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

/**
 * The statuses of a cycle metric's column (`nextReply`, `periodicUpdate`): those of
 * {@link METRIC_STATUSES} with the same codes, and `idle` (5) before the first cycle.
 *
 * @example
 * ```ts
 * CYCLE_METRIC_STATUSES[batch.nextReply.status[0]]; // "idle"
 * ```
 */
export const CYCLE_METRIC_STATUSES: readonly CycleMetricStatus[] = Object.freeze([...METRIC_STATUSES, "idle"]);

const STATUS_CODE: Readonly<Record<CycleMetricStatus, number>> = {
  running: 0,
  paused: 1,
  met: 2,
  breached: 3,
  none: 4,
  idle: 5,
};
/** Status code of a ticket that failed (see `EvaluationBatch.failures`). */
const FAILED = 255;
const MEASURES: readonly (Measure | null)[] = [null, "business", "calendar"];
const STOPPED_BY = [null, "respond", "resolve"] as const;

/**
 * What a call asked of its results beyond the replay itself: the at-risk fraction, the alert
 * thresholds followed, and whether alert instants move out of closed hours.
 * @internal
 */
export interface EvaluationSettings {
  readonly atRiskThreshold: number;
  readonly alerts: readonly CompiledAlert[];
  readonly inOpenHours: boolean;
}

/**
 * One metric of a batch as columns: element `i` belongs to ticket `i`. Instants are epoch ms and
 * absent values are NaN; `status` holds codes into {@link METRIC_STATUSES} (into
 * {@link CYCLE_METRIC_STATUSES} for the cycle metrics; 255 for a failed ticket). The arrays belong
 * to the caller, like the other bulk results.
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
  /** When the current run or cycle started (NaN before a cycle metric's first). */
  readonly startedAt: Float64Array;
  /** The current run's or cycle's own counted time (for `resolution` after a reopen, less than `elapsed`). */
  readonly cycleElapsed: Float64Array;
  /** How many runs or cycles started. */
  readonly cycles: Float64Array;
  /** How many runs or cycles breached. */
  readonly breaches: Float64Array;
  /**
   * One column per alert threshold (in the order of the policy's `alerts`, or of the call's): the
   * instant the threshold was or will be crossed, NaN when there is none (see
   * {@link MetricEvaluation.alerts}).
   */
  readonly alertAt: readonly Float64Array[];
}

/**
 * Typed-array columns of `n` elements cut from one buffer, grouped by element size so that every
 * view is aligned: one allocation for a whole batch, since each allocation of external memory can
 * make V8 start a full collection of the caller's heap (for a million tickets, the tickets).
 */
export class ColumnSlab {
  readonly #buffer: ArrayBuffer;
  readonly #n: number;
  #f64: number;
  #i16: number;
  #u8: number;

  constructor(n: number, counts: { f64: number; i16: number; u8: number }) {
    this.#n = n;
    const size = counts.f64 * 8 * n + counts.i16 * 2 * n + counts.u8 * n;
    const arena = activeArena;
    const place = arena === undefined ? undefined : arena.take(size);
    this.#buffer = place === undefined ? new ArrayBuffer(size) : place.buffer;
    this.#f64 = place === undefined ? 0 : place.offset;
    this.#i16 = this.#f64 + counts.f64 * 8 * n;
    this.#u8 = this.#i16 + counts.i16 * 2 * n;
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

/**
 * Large buffers that many small slabs are cut from, for a call that builds many batches at once
 * (evaluateAcross: one batch per policy, 10 000 policies of 100 tickets each). Each `ArrayBuffer`
 * is external memory that V8 tracks one by one, and each allocation can start a collection of the
 * caller's whole heap (the million tickets): one slab per batch made the collector the largest
 * cost of such a call. A slab taken from an arena is a range of a shared block (8-aligned, zeroed
 * as a fresh buffer is); its columns keep the block alive, as they would keep their own buffer.
 * @internal
 */
export class ColumnArena {
  static readonly BLOCK_BYTES = 4 * 1024 * 1024;
  #block: ArrayBuffer | undefined;
  #used = 0;

  /** `size` bytes of a block, or `undefined` for a slab too large to share one (it gets its own). */
  take(size: number): { buffer: ArrayBuffer; offset: number } | undefined {
    if (size > ColumnArena.BLOCK_BYTES / 4) return undefined;
    const offset = (this.#used + 7) & ~7;
    if (this.#block === undefined || offset + size > this.#block.byteLength) {
      this.#block = new ArrayBuffer(ColumnArena.BLOCK_BYTES);
      this.#used = size;
      return { buffer: this.#block, offset: 0 };
    }
    this.#used = offset + size;
    return { buffer: this.#block, offset };
  }
}

/** The arena slabs are cut from while {@link withColumnArena} runs, else none (each slab its own buffer). */
let activeArena: ColumnArena | undefined;

/**
 * Runs `work` with the slabs it makes cut from one arena (see {@link ColumnArena}); nested calls
 * share the outer arena. Synchronous only: the arena is gone once `work` returns.
 * @internal
 */
export function withColumnArena<T>(work: () => T): T {
  if (activeArena !== undefined) return work();
  activeArena = new ColumnArena();
  try {
    return work();
  } finally {
    activeArena = undefined;
  }
}

/**
 * The columns {@link metricColumns} cuts, per metric; a cycle metric cuts {@link CYCLE_COLUMN_COUNTS}
 * more (when its current cycle started: the other cycle figures, and a response's or resolution's
 * start, follow from the rest and the run histories).
 * @internal
 */
export const METRIC_COLUMN_COUNTS = { f64: 4, i16: 1, u8: 4 };
/** @internal */
export const CYCLE_COLUMN_COUNTS = { f64: 1 };

/**
 * One metric's typed arrays, in an object of one fixed shape. The replay writes a million rows
 * through it, so its fields are plain data properties of a class: the public {@link MetricColumns}
 * object (which has accessors for the columns built on first read) would make every write a
 * dictionary lookup, and different shapes for cycle and other metrics a megamorphic one.
 *
 * Only what cannot be worked out from the rest is stored: a batch's columns are fresh memory, and
 * touching a fresh page costs more than the arithmetic that fills it (on the bench machine about
 * 3.5 ms of CPU per MB, against well under 0.1 ms to write a MB already touched), so every column
 * left out of the replay's write is time saved. `remaining`, `breachedAt` and the cycle figures
 * (`cycleElapsed`, `cycles`, `breaches`, and `startedAt` for response and resolution) are built
 * on first read (see {@link metricColumns}). `startedAt` is stored for the metrics that count
 * cycles (for the others it is `null`): NaN there means no cycle has started.
 * @internal
 */
export class ColumnArrays {
  readonly status: Uint8Array;
  readonly deadline: Float64Array;
  readonly stoppedAt: Float64Array;
  readonly elapsed: Float64Array;
  readonly targetMs: Float64Array;
  readonly atRisk: Uint8Array;
  readonly measure: Uint8Array;
  readonly stoppedBy: Uint8Array;
  readonly targetRank: Int16Array;
  readonly startedAt: Float64Array | null;

  constructor(slab: ColumnSlab, cycles: boolean) {
    this.status = slab.u8();
    this.deadline = slab.f64();
    this.stoppedAt = slab.f64();
    this.elapsed = slab.f64();
    this.targetMs = slab.f64();
    this.atRisk = slab.u8();
    this.measure = slab.u8();
    this.stoppedBy = slab.u8();
    this.targetRank = slab.i16();
    this.startedAt = cycles ? slab.f64() : null;
  }
}

/**
 * When row `i` of a metric breached: its deadline, which is the breach instant once breached
 * (NaN when it has not breached, has no target or the ticket failed).
 */
function breachedAtOf(a: ColumnArrays, i: number): number {
  return a.status[i] === STATUS_CODE.breached ? (a.deadline[i] as number) : Number.NaN;
}

/**
 * One metric's public columns over its arrays; its `alertAt` columns are built from `pairs` when
 * first read, and so are the columns the arrays leave out (see {@link ColumnArrays}).
 * @internal
 */
export function metricColumns(
  a: ColumnArrays,
  pairs: AlertPairs,
  rows: {
    readonly engine: CalendarEngine | null;
    readonly inOpenHours: boolean;
    readonly createdAt: Float64Array;
    readonly priorityRank: Int16Array;
  },
  history: RunHistories,
): MetricColumns {
  const columns = {
    status: a.status,
    deadline: a.deadline,
    stoppedAt: a.stoppedAt,
    elapsed: a.elapsed,
    targetMs: a.targetMs,
    atRisk: a.atRisk,
    measure: a.measure,
    stoppedBy: a.stoppedBy,
    targetRank: a.targetRank,
  };
  const lazy = <T>(key: string, build: () => T) => {
    let value: T | undefined;
    Object.defineProperty(columns, key, { enumerable: true, get: () => (value ??= build()) });
  };
  lazy("remaining", () => remainingColumn(a.targetMs, a.elapsed));
  lazy("breachedAt", () => {
    const breachedAt = new Float64Array(a.status.length);
    for (let i = 0; i < breachedAt.length; i++) breachedAt[i] = breachedAtOf(a, i);
    return breachedAt;
  });
  lazy("alertAt", () => alertColumns(pairs, columns.measure, rows.engine, rows.inOpenHours));
  // The figures of the current run or cycle. A response or resolution runs from the creation, a
  // reopen starting the next run; a cycle metric's runs start where `startedAt` says (NaN: none yet).
  let derived: Pick<MetricColumns, "startedAt" | "cycleElapsed" | "cycles" | "breaches"> | undefined;
  const derive = () => {
    if (derived !== undefined) return derived;
    const n = columns.status.length;
    const d = {
      startedAt: a.startedAt ?? new Float64Array(n),
      cycleElapsed: new Float64Array(n),
      cycles: new Float64Array(n),
      breaches: new Float64Array(n),
    };
    for (let i = 0; i < n; i++) {
      if (rows.priorityRank[i] === -1) {
        if (a.startedAt === null) d.startedAt[i] = Number.NaN;
        d.cycleElapsed[i] = d.cycles[i] = d.breaches[i] = Number.NaN;
        continue;
      }
      const h = history.get(i);
      if (a.startedAt === null) d.startedAt[i] = h === undefined ? (rows.createdAt[i] as number) : h.start;
      else if (a.startedAt[i] !== a.startedAt[i]) continue; // no cycle yet: nothing counted, no cycles
      const breached = a.status[i] === STATUS_CODE.breached ? 1 : 0;
      d.cycleElapsed[i] = (columns.elapsed[i] as number) - (h === undefined ? 0 : h.base);
      d.cycles[i] = h === undefined ? 1 : h.earlier.length / RUN_FIELDS + 1;
      d.breaches[i] = (h === undefined ? 0 : h.breaches) + breached;
    }
    return (derived = d);
  };
  for (const key of ["startedAt", "cycleElapsed", "cycles", "breaches"] as const)
    Object.defineProperty(columns, key, { enumerable: true, get: () => derive()[key] });
  return columns as unknown as MetricColumns;
}

/** `targetMs − elapsed` per row (NaN where the metric has no target or the ticket failed). */
function remainingColumn(targetMs: Float64Array, elapsed: Float64Array): Float64Array {
  const remaining = new Float64Array(targetMs.length);
  for (let i = 0; i < remaining.length; i++) remaining[i] = (targetMs[i] as number) - (elapsed[i] as number);
  return remaining;
}

/**
 * A ticket's runs of a metric before the current one, kept only for the tickets that had some (a
 * reopen, a second cycle): the runs (as `MetricClock.earlier` keeps them), when the current one
 * started, the time counted before it, and how many of the earlier runs breached.
 * @internal
 */
export interface RunHistory {
  /** The earlier runs as numbers, {@link RUN_FIELDS} a run (see `MetricClock.earlier`). */
  readonly earlier: ArrayLike<number>;
  readonly start: number;
  readonly base: number;
  readonly breaches: number;
}

/** Numbers of a history before its runs: start, base, breaches, and how many numbers of runs follow. */
const HISTORY_HEAD = 4;

/**
 * Numbers of the first pool chunk (512 KB); each next chunk is twice the last, up to
 * {@link HISTORY_CHUNK_MAX}, so that a million tickets' histories take a dozen allocations of
 * external memory rather than hundreds. In a synthetic test (200 MB in 512 KB pieces beside a
 * large heap) V8 started three full collections against one for doubling pieces; in the
 * four-metric batch the count stayed at four (the columns' own buffer and the total size decide
 * it there). The untouched end of the last chunk costs address space only: the operating system
 * hands out pages when they are first written.
 */
const HISTORY_CHUNK = 1 << 16;
/** Numbers of the largest pool chunk (64 MB). */
const HISTORY_CHUNK_MAX = 1 << 23;

/**
 * The {@link RunHistory} of the rows that have one, as numbers in a pool of fixed-size chunks
 * (never copied when it grows), with columns of each row's chunk and offset (built on the first
 * history). A `Map` of objects did this job before, and in a batch where most tickets have several
 * cycles its hash lookups, its growth and the objects it kept (each a ticket's own array of runs)
 * cost more than the replay itself. Rows are written once each (a batch), or one row again and
 * again (evaluate's scratch row): a row whose history is the last in the pool is rewritten in
 * place, so the pool never grows for the scratch row.
 * @internal
 */
export class RunHistories {
  readonly #n: number;
  #chunkOf: Int32Array | null = null;
  #offset: Int32Array | null = null;
  readonly #chunks: Float64Array[] = [];
  /** Numbers used in the last chunk. */
  #used = 0;

  constructor(n: number) {
    this.#n = n;
  }

  get(i: number): RunHistory | undefined {
    const o = this.#offset === null ? -1 : (this.#offset[i] as number);
    if (o < 0) return undefined;
    const pool = this.#chunks[(this.#chunkOf as Int32Array)[i] as number] as Float64Array;
    return {
      start: pool[o] as number,
      base: pool[o + 1] as number,
      breaches: pool[o + 2] as number,
      earlier: pool.subarray(o + HISTORY_HEAD, o + HISTORY_HEAD + (pool[o + 3] as number)),
    };
  }

  /** Row `i`'s history: `length` numbers of `runs`, and the figures of the current run. */
  set(i: number, runs: Float64Array, length: number, start: number, base: number, breaches: number): void {
    const offsets = (this.#offset ??= new Int32Array(this.#n).fill(-1));
    const chunkOf = (this.#chunkOf ??= new Int32Array(this.#n));
    this.delete(i);
    const size = HISTORY_HEAD + length;
    let o = this.#used;
    let pool = this.#chunks[this.#chunks.length - 1];
    if (pool === undefined || o + size > pool.length) {
      pool = new Float64Array(Math.max(size, Math.min(HISTORY_CHUNK * 2 ** this.#chunks.length, HISTORY_CHUNK_MAX)));
      this.#chunks.push(pool);
      o = 0;
    }
    pool[o] = start;
    pool[o + 1] = base;
    pool[o + 2] = breaches;
    pool[o + 3] = length;
    for (let k = 0; k < length; k++) pool[o + HISTORY_HEAD + k] = runs[k] as number;
    offsets[i] = o;
    chunkOf[i] = this.#chunks.length - 1;
    this.#used = o + size;
  }

  delete(i: number): void {
    const offsets = this.#offset;
    if (offsets === null) return;
    const o = offsets[i] as number;
    if (o < 0) return;
    offsets[i] = -1;
    // The last history in the pool: its room is free again.
    const last = this.#chunks.length - 1;
    if (
      (this.#chunkOf as Int32Array)[i] === last &&
      o + HISTORY_HEAD + ((this.#chunks[last] as Float64Array)[o + 3] as number) === this.#used
    )
      this.#used = o;
  }
}

/**
 * Where a metric's alert thresholds are crossed, per ticket: `left` ms of the metric's measure
 * after `from` (NaN for none). Finding each instant costs a business-time addition, which a batch
 * of a million tickets pays only for the column a caller reads (see {@link alertColumns}).
 * @internal
 */
export interface AlertPairs {
  readonly from: readonly Float64Array[];
  readonly left: readonly Float64Array[];
}

/** Alert pair columns for `k` thresholds, cut from a slab. */
function alertPairs(slab: ColumnSlab, k: number): AlertPairs {
  const from: Float64Array[] = [];
  const left: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    from.push(slab.f64());
    left.push(slab.f64());
  }
  return { from, left };
}

/** The instants of a metric's alert pairs, one column per threshold. */
function alertColumns(
  pairs: AlertPairs,
  measure: Uint8Array,
  engine: CalendarEngine | null,
  inOpenHours: boolean,
): readonly Float64Array[] {
  return Object.freeze(
    pairs.from.map((from, j) => {
      const left = pairs.left[j] as Float64Array;
      const at = new Float64Array(from.length);
      for (let i = 0; i < at.length; i++)
        at[i] =
          engine === null
            ? Number.NaN
            : alertInstant(engine, measure[i] as number, from[i] as number, left[i] as number, inOpenHours);
      return at;
    }),
  );
}

/**
 * The instant `left` ms of a measure (1 business, 2 calendar) after `from`; NaN for none. With
 * `inOpenHours`, an instant at which the calendar is closed (a closing instant included) moves to
 * the next opening.
 */
function alertInstant(
  engine: CalendarEngine,
  measure: number,
  from: number,
  left: number,
  inOpenHours: boolean,
): number {
  if (from !== from) return Number.NaN;
  const at = left === 0 ? from : measure === 1 ? engine.add(from, left) : from + left;
  return inOpenHours && !engine.isOpen(at) ? engine.nextOpen(at) : at;
}

/** A ticket's results as columns: what {@link ticketAt} reads. @internal */
export interface TicketRows {
  readonly ids: readonly (string | number | null)[];
  readonly priorityRank: Int16Array;
  /** Per ticket: when it was created (epoch ms; NaN for a failure). */
  readonly createdAt: Float64Array;
  /** Per ticket: the earliest alert or deadline instant after now of its running metrics, else NaN. */
  readonly nextAlertAt: Float64Array;
  /** The thresholds behind the metrics' `alertAt` columns. */
  readonly alerts: readonly CompiledAlert[];
  /** Per metric (in the order of METRICS): its columns, its alert pairs and its tickets' earlier runs. */
  readonly metrics: readonly MetricRows[];
  readonly engine: CalendarEngine | null;
  readonly inOpenHours: boolean;
  readonly response: MetricColumns;
  readonly resolution: MetricColumns;
  readonly nextReply: MetricColumns;
  readonly periodicUpdate: MetricColumns;
}

/**
 * One metric's rows: its columns, its alert pairs, and the runs before the current one of the
 * tickets that had more than one (a batch without reopens or repeated cycles keeps none).
 * @internal
 */
export interface MetricRows {
  readonly metric: Metric;
  /** Whether the metric counts cycles (its cycle figures are columns of their own). */
  readonly cycles: boolean;
  readonly columns: MetricColumns;
  /** The same typed arrays as `columns`, in the fixed-shape object the rows are written through. */
  readonly arrays: ColumnArrays;
  readonly pairs: AlertPairs;
  readonly history: RunHistories;
}

/**
 * Columns for `n` tickets: ids, priority ranks and every metric, cut from one slab.
 * @internal
 */
export class TicketColumns implements TicketRows {
  readonly ids: (string | number | null)[];
  readonly priorityRank: Int16Array;
  readonly createdAt: Float64Array;
  readonly nextAlertAt: Float64Array;
  readonly alerts: readonly CompiledAlert[];
  readonly metrics: readonly MetricRows[];
  readonly response: MetricColumns;
  readonly resolution: MetricColumns;
  readonly nextReply: MetricColumns;
  readonly periodicUpdate: MetricColumns;
  /** The calendar and setting the rows' alert instants are found with (those of the last row written). */
  engine: CalendarEngine | null = null;
  inOpenHours = false;
  /** Per metric, whether its rows are written (the others are `none` throughout, built when read). */
  readonly #written: readonly boolean[];

  /**
   * `measured`: per metric (in the order of METRICS), whether the policy measures it; the rows of
   * a metric it does not measure take no room and are filled with `none` when first read. Rows
   * reused for different policies (evaluate's scratch row) measure all.
   */
  constructor(n: number, alerts: readonly CompiledAlert[], measured?: readonly boolean[]) {
    this.ids = new Array<string | number | null>(n).fill(null);
    this.alerts = alerts;
    const k = alerts.length;
    const written = METRICS.map((_, m) => measured === undefined || measured[m] === true);
    this.#written = written;
    const counts = { f64: 2, i16: 1, u8: 0 };
    METRICS.forEach((metric, m) => {
      if (!written[m]) return;
      counts.f64 += METRIC_COLUMN_COUNTS.f64 + 2 * k + (METRIC_TABLE[metric].cycles ? CYCLE_COLUMN_COUNTS.f64 : 0);
      counts.i16 += METRIC_COLUMN_COUNTS.i16;
      counts.u8 += METRIC_COLUMN_COUNTS.u8;
    });
    const slab = new ColumnSlab(n, counts);
    this.priorityRank = slab.i16();
    this.createdAt = slab.f64();
    this.nextAlertAt = slab.f64();
    this.metrics = METRICS.map((metric, m): MetricRows => {
      const cycles = METRIC_TABLE[metric].cycles;
      const history = new RunHistories(n);
      if (!written[m]) return lazyNoneRows(metric, cycles, n, k, this, history);
      const pairs = alertPairs(slab, k);
      const arrays = new ColumnArrays(slab, cycles);
      return { metric, cycles, columns: metricColumns(arrays, pairs, this, history), arrays, pairs, history };
    });
    const [response, resolution, nextReply, periodicUpdate] = this.metrics as [
      MetricRows,
      MetricRows,
      MetricRows,
      MetricRows,
    ];
    this.response = response.columns;
    this.resolution = resolution.columns;
    this.nextReply = nextReply.columns;
    this.periodicUpdate = periodicUpdate.columns;
  }

  /** Row `i`: a replayed ticket. */
  write(
    i: number,
    id: string | number,
    engine: CalendarEngine,
    clock: TicketClock,
    settings: EvaluationSettings,
  ): void {
    this.ids[i] = id;
    this.priorityRank[i] = clock.priority.info.rank;
    this.engine = engine;
    this.inOpenHours = settings.inOpenHours;
    this.createdAt[i] = clock.createdAt;
    const now = clock.now;
    const measured = clock.measured;
    const written = this.#written;
    let next = Number.NaN;
    for (let m = 0; m < written.length; m++) {
      if (!written[m]) continue;
      const rows = this.metrics[m] as MetricRows;
      const at =
        measured[m] === true
          ? writeMetric(rows, i, engine, clock.clocks[m] as MetricClock, clock.paused, now, settings)
          : writeUnmeasured(rows, i, clock.priority.info.rank);
      if (at < next || next !== next) next = at;
    }
    this.nextAlertAt[i] = next;
  }

  /** Row `i`: a ticket that could not be evaluated. */
  clear(i: number, id: string | null): void {
    this.ids[i] = id;
    this.priorityRank[i] = -1;
    this.createdAt[i] = this.nextAlertAt[i] = Number.NaN;
    const written = this.#written;
    for (let m = 0; m < written.length; m++) if (written[m]) failMetric(this.metrics[m] as MetricRows, i);
  }
}

/**
 * The rows of a metric a batch's policy does not measure: `none` for every replayed ticket, with
 * nothing counted and no cycles (a failure as failures are), built only when first read.
 */
function lazyNoneRows(
  metric: Metric,
  cycles: boolean,
  n: number,
  k: number,
  rows: TicketColumns,
  history: RunHistories,
): MetricRows {
  let built: { columns: MetricColumns; arrays: ColumnArrays; pairs: AlertPairs } | undefined;
  const build = () => {
    if (built !== undefined) return built;
    const slab = new ColumnSlab(n, {
      f64: METRIC_COLUMN_COUNTS.f64 + 2 * k + CYCLE_COLUMN_COUNTS.f64,
      i16: METRIC_COLUMN_COUNTS.i16,
      u8: METRIC_COLUMN_COUNTS.u8,
    });
    const pairs = alertPairs(slab, k);
    const arrays = new ColumnArrays(slab, true);
    const columns = metricColumns(arrays, pairs, rows, history);
    const metricRows = { metric, cycles, columns, arrays, pairs, history };
    for (let i = 0; i < n; i++) {
      const rank = rows.priorityRank[i] as number;
      if (rank === -1) failMetric(metricRows, i);
      else writeUnmeasured(metricRows, i, rank);
    }
    return (built = { columns, arrays, pairs });
  };
  const lazyColumns = {} as MetricColumns;
  for (const key of [
    "status",
    "deadline",
    "breachedAt",
    "stoppedAt",
    "elapsed",
    "remaining",
    "targetMs",
    "atRisk",
    "measure",
    "stoppedBy",
    "targetRank",
    "startedAt",
    "cycleElapsed",
    "cycles",
    "breaches",
    "alertAt",
  ] as const)
    Object.defineProperty(lazyColumns, key, { enumerable: true, get: () => build().columns[key] });
  return {
    metric,
    cycles,
    get columns() {
      return lazyColumns;
    },
    get arrays() {
      return build().arrays;
    },
    get pairs() {
      return build().pairs;
    },
    history,
  };
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
    nextAlertAt: dateOrNull(rows.nextAlertAt[i] as number),
    response: metricAt(rows.metrics[0] as MetricRows, i, priorities, rows),
    resolution: metricAt(rows.metrics[1] as MetricRows, i, priorities, rows),
    nextReply: metricAt(rows.metrics[2] as MetricRows, i, priorities, rows),
    periodicUpdate: metricAt(rows.metrics[3] as MetricRows, i, priorities, rows),
  }) as TicketEvaluation;
}

/** Row `i` of a metric's columns as the frozen object `evaluate` returns. @internal */
export function metricAt(
  metricRows: MetricRows,
  i: number,
  priorities: readonly PriorityInfo[],
  rows: TicketRows,
): MetricEvaluation {
  const { metric, arrays: c, pairs } = metricRows;
  const measure = MEASURES[c.measure[i] as number] ?? null;
  const targetMs = c.targetMs[i] as number;
  const elapsed = c.elapsed[i] as number;
  const target = (priorities[c.targetRank[i] as number] as PriorityInfo).targets[metric];
  // For a cycle metric the status may be `idle`; the object's type says so (CycleMetricEvaluation).
  const status = CYCLE_METRIC_STATUSES[c.status[i] as number] as MetricStatus;
  return Object.freeze({
    metric,
    status,
    target,
    measure,
    targetMs: measure === null ? null : targetMs,
    elapsed,
    remaining: measure === null ? null : targetMs - elapsed,
    fractionUsed: measure === null ? null : targetMs > 0 ? elapsed / targetMs : 1,
    deadline: dateOrNull(c.deadline[i] as number),
    breachedAt: dateOrNull(breachedAtOf(c, i)),
    atRisk: c.atRisk[i] === 1,
    stoppedAt: dateOrNull(c.stoppedAt[i] as number),
    stoppedBy: STOPPED_BY[c.stoppedBy[i] as number] ?? null,
    alerts: measure === null ? NO_ALERTS : alertsAt(c, pairs, i, rows, targetMs),
    cycles: cyclesAt(metricRows, i, status, rows),
    breaches: (metricRows.history.get(i)?.breaches ?? 0) + (c.status[i] === STATUS_CODE.breached ? 1 : 0),
  });
}

const NO_CYCLES: readonly MetricCycle[] = Object.freeze([]);

/** The runs of row `i` of a metric: the earlier ones as kept, the current one from the columns. */
function cyclesAt(metricRows: MetricRows, i: number, status: MetricStatus, rows: TicketRows): readonly MetricCycle[] {
  const c = metricRows.arrays;
  const h = metricRows.history.get(i);
  const cycles = metricRows.cycles;
  if (cycles) {
    if ((c.startedAt as Float64Array)[i] !== (c.startedAt as Float64Array)[i]) return NO_CYCLES;
  } else if (c.status[i] === STATUS_CODE.none && c.measure[i] === 0 && rows.createdAt[i] !== rows.createdAt[i]) {
    return NO_CYCLES;
  }
  const stop = c.stoppedAt[i] as number;
  const measure = c.measure[i] as number;
  const elapsed = c.elapsed[i] as number;
  const current: MetricCycle = Object.freeze({
    start: new Date(
      cycles ? ((c.startedAt as Float64Array)[i] as number) : h === undefined ? (rows.createdAt[i] as number) : h.start,
    ),
    stop: dateOrNull(stop),
    stoppedBy: STOPPED_BY[c.stoppedBy[i] as number] ?? null,
    elapsed: elapsed - (h === undefined ? 0 : h.base),
    targetMs: measure === 0 ? null : (c.targetMs[i] as number),
    deadline: dateOrNull(c.deadline[i] as number),
    status,
    breachedAt: dateOrNull(breachedAtOf(c, i)),
  });
  return Object.freeze(h === undefined ? [current] : [...earlierCycles(h.earlier), current]);
}

const NO_ALERTS: readonly MetricAlert[] = Object.freeze([]);

/** The alerts of row `i` of a metric's columns. */
function alertsAt(
  c: ColumnArrays,
  pairs: AlertPairs,
  i: number,
  rows: TicketRows,
  targetMs: number,
): readonly MetricAlert[] {
  const { alerts, engine } = rows;
  if (alerts.length === 0 || engine === null) return NO_ALERTS;
  const measure = c.measure[i] as number;
  return Object.freeze(
    alerts.map((alert, j) => {
      const from = (pairs.from[j] as Float64Array)[i] as number;
      const left = (pairs.left[j] as Float64Array)[i] as number;
      return Object.freeze({
        threshold: alert.threshold,
        usedMs: alertLength(alert, targetMs),
        at: dateOrNull(alertInstant(engine, measure, from, left, rows.inOpenHours)),
      });
    }),
  );
}

function failMetric(rows: MetricRows, i: number): void {
  const c = rows.arrays;
  c.status[i] = FAILED;
  c.deadline[i] = c.stoppedAt[i] = c.elapsed[i] = c.targetMs[i] = Number.NaN;
  if (c.startedAt !== null) c.startedAt[i] = Number.NaN;
  c.targetRank[i] = -1;
  c.atRisk[i] = c.measure[i] = c.stoppedBy[i] = 0;
  for (const column of rows.pairs.from) column[i] = Number.NaN;
  rows.history.delete(i);
}

/**
 * Row `i` of a metric the policy does not measure (a cycle metric no priority gives a target):
 * `none`, no cycles, nothing counted.
 */
function writeUnmeasured(rows: MetricRows, i: number, rank: number): number {
  const c = rows.arrays;
  c.status[i] = STATUS_CODE.none;
  c.targetRank[i] = rank;
  c.deadline[i] = c.stoppedAt[i] = c.targetMs[i] = Number.NaN;
  c.elapsed[i] = 0;
  if (c.startedAt !== null) c.startedAt[i] = Number.NaN;
  c.atRisk[i] = c.measure[i] = c.stoppedBy[i] = 0;
  for (const column of rows.pairs.from) column[i] = Number.NaN;
  rows.history.delete(i);
  return Number.NaN;
}

/**
 * Row `i` of a metric's columns: the replayed metric's figures, computed here and only here.
 * Returns the metric's earliest alert or deadline instant after `now` while it runs (NaN when it
 * does not run or has none left), from which the ticket's `nextAlertAt` is taken.
 */
function writeMetric(
  rows: MetricRows,
  i: number,
  engine: CalendarEngine,
  clock: MetricClock,
  paused: boolean,
  now: number,
  settings: EvaluationSettings,
): number {
  const c = rows.arrays;
  const pairs = rows.pairs;
  const status = statusOf(clock, paused);
  c.status[i] = status;
  c.targetRank[i] = clock.entry.info.rank;
  c.stoppedAt[i] = clock.stopped ? clock.stoppedAt : Number.NaN;
  c.stoppedBy[i] = clock.stopped ? clock.stoppedBy : 0;
  const runs = clock.runs;
  // A cycle metric's other cycle figures follow from this, the history and the status (see metricColumns).
  if (c.startedAt !== null) c.startedAt[i] = runs > 0 ? clock.runStart : Number.NaN;
  if (clock.earlierLength > 0)
    rows.history.set(i, clock.earlier, clock.earlierLength, clock.runStart, clock.runBase, clock.earlierBreaches);
  else rows.history.delete(i);
  const from = pairs.from;
  if (clock.measure === null || runs === 0) {
    c.measure[i] = 0;
    c.elapsed[i] = clock.businessElapsed;
    c.targetMs[i] = c.deadline[i] = Number.NaN;
    c.atRisk[i] = 0;
    for (let j = 0; j < from.length; j++) (from[j] as Float64Array)[i] = Number.NaN;
    return Number.NaN;
  }
  const elapsed = clock.elapsed();
  const deadline = deadlineOf(engine, clock, now);
  const measure = clock.measure === "business" ? 1 : 2;
  c.measure[i] = measure;
  c.elapsed[i] = elapsed;
  c.targetMs[i] = clock.length;
  c.deadline[i] = deadline;
  c.atRisk[i] = atRiskOf(clock, status, settings.atRiskThreshold) ? 1 : 0;
  const running = status === STATUS_CODE.running;
  let next = running && deadline > now ? deadline : Number.NaN;
  for (let j = 0; j < from.length; j++) {
    // Crossed: where the replay found it. Not yet: from now on while the clock runs, else none.
    let start = clock.alertFrom[j] as number;
    let left = clock.alertLeft[j] as number;
    if (start < 0) {
      start = running ? now : Number.NaN;
      left = (clock.alertLength[j] as number) - elapsed;
    }
    (from[j] as Float64Array)[i] = start;
    (pairs.left[j] as Float64Array)[i] = left;
    // The ticket's next timer: only a running metric arms one (a stopped or paused clock warns of
    // nothing). A threshold the replay found crossed was crossed by `now`, so it arms nothing and
    // its instant (a business-time addition) is left for whoever reads the column; only
    // `inOpenHours` can move such an instant past `now` (a crossing at night moves to the opening).
    if (running && (settings.inOpenHours || (clock.alertFrom[j] as number) < 0)) {
      const at = alertInstant(engine, measure, start, left, settings.inOpenHours);
      if (at > now && !(at >= next)) next = at;
    }
  }
  return next;
}

/** The status code (into {@link CYCLE_METRIC_STATUSES}) of a replayed metric. */
function statusOf(clock: MetricClock, paused: boolean): number {
  if (clock.measure === null) return STATUS_CODE.none;
  if (clock.runs === 0) return STATUS_CODE.idle;
  if (clock.breachedAt >= 0) return STATUS_CODE.breached;
  if (clock.stopped) return STATUS_CODE.met;
  return paused ? STATUS_CODE.paused : STATUS_CODE.running;
}

/** The projected deadline of a replayed metric in epoch ms (NaN for `none`). */
function deadlineOf(engine: CalendarEngine, clock: MetricClock, now: number): number {
  if (clock.measure === null) return Number.NaN;
  if (clock.breachedAt >= 0) return clock.breachedAt;
  const remaining = clock.length - clock.elapsed();
  return advance(engine, clock.measure, clock.stopped ? clock.stoppedAt : now, remaining > 0 ? remaining : 0);
}

/** Whether a replayed metric is at risk. */
function atRiskOf(clock: MetricClock, status: number, atRiskThreshold: number): boolean {
  if (status !== STATUS_CODE.running && status !== STATUS_CODE.paused) return false;
  return (clock.length > 0 ? clock.elapsed() / clock.length : 1) >= atRiskThreshold;
}

/** An instant of a column (NaN for none) as a `Date` or `null`. */
function dateOrNull(v: number): Date | null {
  return Number.isNaN(v) ? null : new Date(v);
}
