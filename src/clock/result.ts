import type { CalendarEngine } from "../calendar/engine";
import { alertLength, type CompiledAlert } from "../policy/alerts";
import type { PriorityInfo } from "../policy/rules";
import { METRIC_TABLE, METRICS, type Metric } from "../policy/metrics";
import type { Measure } from "../policy/target";
import {
  advance,
  breachesAmong,
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
 * One metric's public columns over its arrays; its `alertAt` columns are built from the arrays and
 * the rows' recorded crossings when first read, and so are the columns the arrays leave out (see
 * {@link ColumnArrays}).
 * @internal
 */
export function metricColumns(
  a: ColumnArrays,
  extras: RowExtras,
  rows: AlertRows & { readonly createdAt: Float64Array; readonly priorityRank: Int16Array },
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
  lazy("alertAt", () => alertColumns(a, extras, rows));
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
      const h = extras.history(i);
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
  /** When the current run started (NaN for a cycle metric: its `startedAt` column says it). */
  readonly start: number;
  readonly base: number;
  readonly breaches: number;
}

/**
 * Numbers of the first pool chunk (512 KB); each next chunk is twice the last, up to
 * {@link EXTRAS_CHUNK_MAX}, so that a million tickets' records take a dozen allocations of
 * external memory rather than hundreds. In a synthetic test (200 MB in 512 KB pieces beside a
 * large heap) V8 started three full collections against one for doubling pieces. The untouched end
 * of the last chunk costs address space only: the operating system hands out pages when they are
 * first written.
 */
const EXTRAS_CHUNK = 1 << 16;
/** Numbers of the largest pool chunk (64 MB). */
const EXTRAS_CHUNK_MAX = 1 << 23;
/** Flags of a record's header (the rest of the header is how many numbers of earlier runs it holds). */
const HAS_CROSSINGS = 1;
const HAS_START_BASE = 2;
const HEADER_FLAGS = 4;

/**
 * What a metric's rows need beyond its columns, kept only for the rows that need it, as one record
 * of numbers per row in a pool of chunks (never copied when it grows):
 *
 * - **where its alert thresholds were crossed** by `now`, as the pair the replay found (`left` ms of
 *   the measure after `from`; see `MetricClock.alertFrom`). A threshold not crossed by `now` needs
 *   nothing: it will be crossed `alertLength − elapsed` after `now` while the metric runs, and not
 *   at all otherwise (the columns say all of that);
 * - **its runs before the current one** (a reopen, a second cycle), {@link RUN_FIELDS} numbers a
 *   run, and for a resolution the start of the current run and the time counted before it (a cycle
 *   metric's current cycle starts at its `startedAt` and counts from zero).
 *
 * Before, every row had two columns per threshold (32 bytes a metric with two thresholds, written
 * for every ticket) and a run history had a head of four numbers and six a run, with two index
 * columns filled up front. A batch's memory is fresh memory, and touching a fresh page costs more
 * than the replay's arithmetic (see {@link ColumnArrays}), so a row without a crossing or an
 * earlier run now costs nothing here beyond its 4-byte index, left untouched as zero.
 *
 * A record: a header (numbers of earlier runs × 4, plus {@link HAS_CROSSINGS} and
 * {@link HAS_START_BASE}), then `from, left` per threshold (NaN `from` for one not crossed), then
 * start and base, then the runs. Rows are written once each (a batch), or one row again and again
 * (evaluate's scratch row): a row whose record is the last in the pool is rewritten in place, so
 * the pool never grows for the scratch row.
 * @internal
 */
export class RowExtras {
  readonly #n: number;
  readonly #thresholds: number;
  /** Per row: 1 + where its record starts, counted over all chunks; 0 for none. */
  #at: Int32Array | null = null;
  readonly #chunks: Float64Array[] = [];
  /** Where each chunk starts, counted over all chunks. */
  readonly #chunkStart: number[] = [];
  /** Numbers used in the last chunk. */
  #used = 0;
  /** The chunk and offset {@link RowExtras.#find} found last. */
  #pool: Float64Array = new Float64Array(0);
  #offset = 0;

  constructor(n: number, thresholds: number) {
    this.#n = n;
    this.#thresholds = thresholds;
  }

  /** Finds row `i`'s record (into #pool and #offset); false when it has none. */
  #find(i: number): boolean {
    const at = this.#at === null ? 0 : (this.#at[i] as number);
    if (at === 0) return false;
    const g = at - 1;
    let c = this.#chunks.length - 1;
    while ((this.#chunkStart[c] as number) > g) c--;
    this.#pool = this.#chunks[c] as Float64Array;
    this.#offset = g - (this.#chunkStart[c] as number);
    return true;
  }

  /** Where threshold `j` of row `i` was crossed: the pair's `from`, NaN when it was not (by `now`). */
  crossedFrom(i: number, j: number): number {
    if (!this.#find(i) || ((this.#pool[this.#offset] as number) & HAS_CROSSINGS) === 0) return Number.NaN;
    return this.#pool[this.#offset + 1 + 2 * j] as number;
  }

  /** The pair's `left` for a threshold {@link RowExtras.crossedFrom} found crossed. */
  crossedLeft(i: number, j: number): number {
    this.#find(i);
    return this.#pool[this.#offset + 2 + 2 * j] as number;
  }

  history(i: number): RunHistory | undefined {
    if (!this.#find(i)) return undefined;
    const pool = this.#pool;
    let o = this.#offset;
    const header = pool[o] as number;
    const runs = Math.floor(header / HEADER_FLAGS);
    if (runs === 0) return undefined;
    o += 1 + (header & HAS_CROSSINGS ? 2 * this.#thresholds : 0);
    let start = Number.NaN;
    let base = 0;
    if (header & HAS_START_BASE) {
      start = pool[o] as number;
      base = pool[o + 1] as number;
      o += 2;
    }
    const earlier = pool.subarray(o, o + runs);
    return { start, base, breaches: breachesAmong(earlier), earlier };
  }

  /**
   * Row `i`'s record: the crossings `alertFrom`/`alertLeft` (a `from` < 0: not crossed) when
   * `crossings`, `length` numbers of `runs`, and the start and base of the current run when
   * `startBase`. Nothing to keep deletes the row's record.
   */
  set(
    i: number,
    crossings: boolean,
    alertFrom: Float64Array,
    alertLeft: Float64Array,
    runs: Float64Array,
    length: number,
    startBase: boolean,
    start: number,
    base: number,
  ): void {
    this.delete(i);
    if (!crossings && length === 0) return;
    const k = this.#thresholds;
    const size = 1 + (crossings ? 2 * k : 0) + (startBase ? 2 : 0) + length;
    let o = this.#used;
    let pool = this.#chunks[this.#chunks.length - 1];
    if (pool === undefined || o + size > pool.length) {
      const last = this.#chunks.length - 1;
      const start0 = last < 0 ? 0 : (this.#chunkStart[last] as number) + (this.#chunks[last] as Float64Array).length;
      pool = new Float64Array(Math.max(size, Math.min(EXTRAS_CHUNK * 2 ** this.#chunks.length, EXTRAS_CHUNK_MAX)));
      this.#chunks.push(pool);
      this.#chunkStart.push(start0);
      o = 0;
    }
    const g = (this.#chunkStart[this.#chunks.length - 1] as number) + o;
    if (g + 1 > 0x7fffffff) throw new RangeError("batch too large: more than 2^31 numbers of run records");
    pool[o] = length * HEADER_FLAGS + (crossings ? HAS_CROSSINGS : 0) + (startBase ? HAS_START_BASE : 0);
    let w = o + 1;
    if (crossings) {
      for (let j = 0; j < k; j++) {
        const from = alertFrom[j] as number;
        pool[w++] = from >= 0 ? from : Number.NaN;
        pool[w++] = alertLeft[j] as number;
      }
    }
    if (startBase) {
      pool[w++] = start;
      pool[w++] = base;
    }
    for (let r = 0; r < length; r++) pool[w++] = runs[r] as number;
    (this.#at ??= new Int32Array(this.#n))[i] = g + 1;
    this.#used = o + size;
  }

  delete(i: number): void {
    if (!this.#find(i)) return;
    (this.#at as Int32Array)[i] = 0;
    // The last record in the pool: its room is free again.
    const pool = this.#pool;
    const o = this.#offset;
    const header = pool[o] as number;
    const size =
      1 +
      (header & HAS_CROSSINGS ? 2 * this.#thresholds : 0) +
      (header & HAS_START_BASE ? 2 : 0) +
      Math.floor(header / HEADER_FLAGS);
    if (pool === this.#chunks[this.#chunks.length - 1] && o + size === this.#used) this.#used = o;
  }
}

/** What finding a row's alert instants reads besides the metric's own columns. @internal */
export interface AlertRows {
  readonly engine: CalendarEngine | null;
  readonly inOpenHours: boolean;
  /** The moment of evaluation of the rows (epoch ms). */
  readonly now: number;
  readonly alerts: readonly CompiledAlert[];
}

/**
 * The instant threshold `j` of row `i` of a metric is (or will be) crossed, NaN for none: where the
 * replay found it crossed, else `alertLength − elapsed` after `now` while the metric runs (as the
 * replay's write found it for `nextAlertAt`), else none.
 */
function alertAtRow(c: ColumnArrays, extras: RowExtras, rows: AlertRows, i: number, j: number): number {
  const engine = rows.engine;
  const measure = c.measure[i] as number;
  if (engine === null || measure === 0) return Number.NaN;
  let from = extras.crossedFrom(i, j);
  let left: number;
  if (from === from) left = extras.crossedLeft(i, j);
  else {
    if (c.status[i] !== STATUS_CODE.running) return Number.NaN;
    from = rows.now;
    left = alertLength(rows.alerts[j] as CompiledAlert, c.targetMs[i] as number) - (c.elapsed[i] as number);
  }
  return alertInstant(engine, measure, from, left, rows.inOpenHours);
}

/** The instants of a metric's alert thresholds, one column per threshold. */
function alertColumns(c: ColumnArrays, extras: RowExtras, rows: AlertRows): readonly Float64Array[] {
  return Object.freeze(
    rows.alerts.map((_, j) => {
      const at = new Float64Array(c.status.length);
      for (let i = 0; i < at.length; i++) at[i] = alertAtRow(c, extras, rows, i, j);
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
export interface TicketRows extends AlertRows {
  readonly ids: readonly (string | number | null)[];
  readonly priorityRank: Int16Array;
  /** Per ticket: when it was created (epoch ms; NaN for a failure). */
  readonly createdAt: Float64Array;
  /** Per ticket: the earliest alert or deadline instant after now of its running metrics, else NaN. */
  readonly nextAlertAt: Float64Array;
  /** Per metric (in the order of METRICS): its columns, and its tickets' crossings and earlier runs. */
  readonly metrics: readonly MetricRows[];
  readonly response: MetricColumns;
  readonly resolution: MetricColumns;
  readonly nextReply: MetricColumns;
  readonly periodicUpdate: MetricColumns;
}

/**
 * One metric's rows: its columns, and the crossed alert thresholds and the runs before the current
 * one of the tickets that had some (see {@link RowExtras}).
 * @internal
 */
export interface MetricRows {
  readonly metric: Metric;
  /** Whether the metric counts cycles (its cycle figures are columns of their own). */
  readonly cycles: boolean;
  readonly columns: MetricColumns;
  /** The same typed arrays as `columns`, in the fixed-shape object the rows are written through. */
  readonly arrays: ColumnArrays;
  readonly extras: RowExtras;
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
  /** The calendar, setting and moment the rows' alert instants are found with (those of the last row written). */
  engine: CalendarEngine | null = null;
  inOpenHours = false;
  now = Number.NaN;
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
      counts.f64 += METRIC_COLUMN_COUNTS.f64 + (METRIC_TABLE[metric].cycles ? CYCLE_COLUMN_COUNTS.f64 : 0);
      counts.i16 += METRIC_COLUMN_COUNTS.i16;
      counts.u8 += METRIC_COLUMN_COUNTS.u8;
    });
    const slab = new ColumnSlab(n, counts);
    this.priorityRank = slab.i16();
    this.createdAt = slab.f64();
    this.nextAlertAt = slab.f64();
    this.metrics = METRICS.map((metric, m): MetricRows => {
      const cycles = METRIC_TABLE[metric].cycles;
      const extras = new RowExtras(n, k);
      if (!written[m]) return lazyNoneRows(metric, cycles, n, this, extras);
      const arrays = new ColumnArrays(slab, cycles);
      return { metric, cycles, columns: metricColumns(arrays, extras, this), arrays, extras };
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
    this.now = now;
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
function lazyNoneRows(metric: Metric, cycles: boolean, n: number, rows: TicketColumns, extras: RowExtras): MetricRows {
  let built: { columns: MetricColumns; arrays: ColumnArrays } | undefined;
  const build = () => {
    if (built !== undefined) return built;
    const slab = new ColumnSlab(n, {
      f64: METRIC_COLUMN_COUNTS.f64 + CYCLE_COLUMN_COUNTS.f64,
      i16: METRIC_COLUMN_COUNTS.i16,
      u8: METRIC_COLUMN_COUNTS.u8,
    });
    const arrays = new ColumnArrays(slab, true);
    const columns = metricColumns(arrays, extras, rows);
    const metricRows = { metric, cycles, columns, arrays, extras };
    for (let i = 0; i < n; i++) {
      const rank = rows.priorityRank[i] as number;
      if (rank === -1) failMetric(metricRows, i);
      else writeUnmeasured(metricRows, i, rank);
    }
    return (built = { columns, arrays });
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
    extras,
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
  const { metric, arrays: c, extras } = metricRows;
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
    alerts: measure === null ? NO_ALERTS : alertsAt(c, extras, i, rows, targetMs),
    cycles: cyclesAt(metricRows, i, status, rows),
    breaches: (extras.history(i)?.breaches ?? 0) + (c.status[i] === STATUS_CODE.breached ? 1 : 0),
  });
}

const NO_CYCLES: readonly MetricCycle[] = Object.freeze([]);

/** The runs of row `i` of a metric: the earlier ones as kept, the current one from the columns. */
function cyclesAt(metricRows: MetricRows, i: number, status: MetricStatus, rows: TicketRows): readonly MetricCycle[] {
  const c = metricRows.arrays;
  const h = metricRows.extras.history(i);
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
  extras: RowExtras,
  i: number,
  rows: TicketRows,
  targetMs: number,
): readonly MetricAlert[] {
  const { alerts, engine } = rows;
  if (alerts.length === 0 || engine === null) return NO_ALERTS;
  return Object.freeze(
    alerts.map((alert, j) =>
      Object.freeze({
        threshold: alert.threshold,
        usedMs: alertLength(alert, targetMs),
        at: dateOrNull(alertAtRow(c, extras, rows, i, j)),
      }),
    ),
  );
}

function failMetric(rows: MetricRows, i: number): void {
  const c = rows.arrays;
  c.status[i] = FAILED;
  c.deadline[i] = c.stoppedAt[i] = c.elapsed[i] = c.targetMs[i] = Number.NaN;
  if (c.startedAt !== null) c.startedAt[i] = Number.NaN;
  c.targetRank[i] = -1;
  c.atRisk[i] = c.measure[i] = c.stoppedBy[i] = 0;
  rows.extras.delete(i);
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
  rows.extras.delete(i);
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
  const status = statusOf(clock, paused);
  c.status[i] = status;
  c.targetRank[i] = clock.entry.info.rank;
  c.stoppedAt[i] = clock.stopped ? clock.stoppedAt : Number.NaN;
  c.stoppedBy[i] = clock.stopped ? clock.stoppedBy : 0;
  const runs = clock.runs;
  // A cycle metric's other cycle figures follow from this, the history and the status (see metricColumns).
  if (c.startedAt !== null) c.startedAt[i] = runs > 0 ? clock.runStart : Number.NaN;
  const alertFrom = clock.alertFrom;
  const thresholds = alertFrom.length;
  // Only what the columns cannot say is kept: thresholds the replay found crossed (a metric without
  // a target has no alerts) and the earlier runs. A cycle's current run starts at `startedAt` and
  // counts from zero, so only a resolution's run needs its start and base kept.
  let crossings = false;
  if (clock.measure !== null && runs > 0)
    for (let j = 0; j < thresholds; j++) if ((alertFrom[j] as number) >= 0) crossings = true;
  const runBase = clock.runBase;
  rows.extras.set(
    i,
    crossings,
    alertFrom,
    clock.alertLeft,
    clock.earlier,
    clock.earlierLength,
    clock.earlierLength > 0 && (!rows.cycles || runBase !== 0),
    clock.runStart,
    runBase,
  );
  if (clock.measure === null || runs === 0) {
    c.measure[i] = 0;
    c.elapsed[i] = clock.businessElapsed;
    c.targetMs[i] = c.deadline[i] = Number.NaN;
    c.atRisk[i] = 0;
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
  for (let j = 0; j < thresholds; j++) {
    // Crossed: where the replay found it. Not yet: from now on while the clock runs, else none
    // (what alertAtRow finds again from the columns when the alertAt column is read).
    let start = alertFrom[j] as number;
    let left = clock.alertLeft[j] as number;
    if (start < 0) {
      start = running ? now : Number.NaN;
      left = (clock.alertLength[j] as number) - elapsed;
    }
    // The ticket's next timer: only a running metric arms one (a stopped or paused clock warns of
    // nothing). A threshold the replay found crossed was crossed by `now`, so it arms nothing and
    // its instant (a business-time addition) is left for whoever reads the column; only
    // `inOpenHours` can move such an instant past `now` (a crossing at night moves to the opening).
    if (running && (settings.inOpenHours || (alertFrom[j] as number) < 0)) {
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
