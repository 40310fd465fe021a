import { batchFloat64, batchUint8, newBatchBuffer } from "./batch-buffer";
import { batchReusedError, type BatchMemory } from "./batch-memory";
import type { CalendarEngine } from "../calendar/engine";
import { SlaClockError } from "../errors";
import { alertLength, type CompiledAlert } from "../policy/alerts";
import type { PriorityInfo, RankTargets } from "../policy/rules";
import { METRIC_TABLE, METRICS, type Metric } from "../policy/metrics";
import { measureCode, type Measure } from "../policy/target";
import {
  advance,
  breachesAmong,
  earlierCycles,
  NO_INSTANT,
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
 * // A policy with next-reply targets, a ticket with no customer reply yet (a policy without them: "none").
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
  /**
   * The deadline (epoch ms; NaN for none): projected from `now` while running, the breach instant
   * once breached. For a metric that met a business-time target it is where the time it had left
   * at its stop runs out, a business-time addition the batch makes for the whole column when the
   * column is first read (`get(i)` makes it for its row), not while it evaluates.
   */
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
  /** Where the slab is: a buffer, and the byte its first column starts at. */
  readonly place: SlabPlace;
  readonly #buffer: ArrayBuffer;
  readonly #n: number;
  #f64: number;
  #i16: number;
  #u8: number;

  /**
   * `arena`: the one to cut the slab from (see {@link batchArena}), else a buffer of its own, from
   * the batch's `memory` when it has one (see BatchMemory).
   */
  constructor(
    n: number,
    counts: { f64: number; i16: number; u8: number },
    arena: ColumnArena | undefined,
    memory?: BatchMemory,
    given?: SlabPlace,
  ) {
    this.#n = n;
    const size = counts.f64 * 8 * n + counts.i16 * 2 * n + counts.u8 * n;
    // Where the columns start matters only to a buffer of the slab's own (not a range of a block).
    const place = given ??
      arena?.take(size) ?? { buffer: batchBuffer(size, memory, true, columnStarts(n, counts)), offset: 0 };
    this.place = { buffer: place.buffer, offset: place.offset };
    this.#buffer = place.buffer;
    this.#f64 = place.offset;
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

/** Where a slab of columns is: a buffer, and the byte its first column starts at. @internal */
export interface SlabPlace {
  readonly buffer: ArrayBuffer;
  readonly offset: number;
}

/**
 * Where each column of a slab of `n` rows starts, in bytes: the columns a batch writes row by row,
 * side by side, which the helper that maps new pages walks together (batch-pages.ts).
 */
function columnStarts(n: number, counts: { f64: number; i16: number; u8: number }): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const [columns, bytes] of [
    [counts.f64, 8],
    [counts.i16, 2],
    [counts.u8, 1],
  ] as const) {
    for (let k = 0; k < columns; k++, at += bytes * n) starts.push(at);
  }
  return starts;
}

/**
 * `size` bytes for a batch's arrays, 8-aligned: a range of `arena`'s block when it has one for
 * them (zeroed), else a buffer of their own (see {@link batchBuffer}).
 */
function batchBytes(
  size: number,
  arena: ColumnArena | undefined,
  memory: BatchMemory | undefined,
  zero = true,
): { buffer: ArrayBuffer; offset: number } {
  return arena?.take(size) ?? { buffer: batchBuffer(size, memory, zero), offset: 0 };
}

/**
 * A buffer of at least `size` bytes: from the batch's `memory` (see BatchMemory; zeroed unless
 * `zero` is false), else new batch memory (see batch-buffer.ts; zeroed). `parts`: where the columns
 * written side by side start, for a new buffer (see newBatchBuffer).
 */
function batchBuffer(
  size: number,
  memory: BatchMemory | undefined,
  zero: boolean,
  parts?: readonly number[],
): ArrayBuffer {
  return memory === undefined ? newBatchBuffer(size, parts) : memory.buffer(size, zero, parts);
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
  /** Where the blocks come from: the call's memory (see BatchMemory). */
  readonly #memory: BatchMemory;
  readonly #blockBytes: number;

  /** `blockBytes`: the size of each block (see {@link arenaBlockBytes}). */
  constructor(memory: BatchMemory, blockBytes = ColumnArena.BLOCK_BYTES) {
    this.#memory = memory;
    this.#blockBytes = blockBytes;
  }

  /** `size` bytes of a block, or `undefined` for a slab too large to share one (it gets its own). */
  take(size: number): { buffer: ArrayBuffer; offset: number } | undefined {
    if (size > this.#blockBytes / 4) return undefined;
    const offset = (this.#used + 7) & ~7;
    if (this.#block === undefined || offset + size > this.#block.byteLength) {
      this.#block = this.#memory.buffer(this.#blockBytes);
      this.#used = size;
      return { buffer: this.#block, offset: 0 };
    }
    this.#used = offset + size;
    return { buffer: this.#block, offset };
  }
}

/**
 * The block size of the arena of a call that evaluates `rows` tickets: 4 MiB blocks for a large
 * call, 128 bytes a row for a smaller one (at least 64 KiB). A block of 1 MiB or more is shared
 * memory, which V8 does not count (batch-buffer.ts): 4 MiB blocks for every call made each
 * `evaluateAcross` of a few thousand rows (the CLI evaluates 4 000 at a time) leave 4 MiB of
 * uncounted garbage for a few hundred KB of columns.
 * @internal
 */
export function arenaBlockBytes(rows: number): number {
  return Math.min(ColumnArena.BLOCK_BYTES, Math.max(64 * 1024, rows * 128));
}

/** The arena slabs are cut from while {@link withColumnArena} runs, else none (each slab its own buffer). */
let activeArena: ColumnArena | undefined;

/**
 * The arena a batch's columns and row indexes are cut from: the active one, for a batch (rows
 * written once and handed to the caller). Never for evaluate's scratch row, which a policy keeps
 * for the life of the process: made inside a call with an arena (from a ticket's getter), it would
 * keep the whole 4 MB block alive.
 */
function batchArena(batch: boolean): ColumnArena | undefined {
  return batch ? activeArena : undefined;
}

/**
 * Runs `work` with the slabs it makes cut from one arena (see {@link ColumnArena}) whose blocks
 * come from `memory`. A call made inside `work` (from a ticket's getter) gets an arena of its own:
 * its batches must not share blocks with the outer call's, which a later call may reuse (see
 * BatchMemory). Synchronous only: the arena is gone once `work` returns.
 * @internal
 */
export function withColumnArena<T>(memory: BatchMemory, work: () => T, blockBytes?: number): T {
  const outer = activeArena;
  activeArena = new ColumnArena(memory, blockBytes);
  try {
    return work();
  } finally {
    activeArena = outer;
  }
}

/**
 * Runs `work` with no arena active: a batch of its own memory (`evaluateMany`) made inside
 * `evaluateAcross`, from a ticket's getter, cut its columns from the outer call's blocks, which a
 * later call given the outer result as `reuse` zeroed and rewrote under it.
 * @internal
 */
export function withoutColumnArena<T>(work: () => T): T {
  const outer = activeArena;
  activeArena = undefined;
  try {
    return work();
  } finally {
    activeArena = outer;
  }
}

/**
 * One metric's typed arrays, in an object of one fixed shape. The replay writes a million rows
 * through it, so its fields are plain data properties of a class: the public {@link MetricColumns}
 * object (which has accessors for the columns built on first read) would make every write a
 * dictionary lookup, and different shapes for cycle and other metrics a megamorphic one.
 *
 * Only what cannot be worked out from the rest is stored: a batch's columns are fresh memory, and
 * touching a fresh page costs more than the arithmetic that fills it (on the bench machine about
 * 3.5 ms of CPU per MB, against well under 0.1 ms to write a MB already touched; and the external
 * memory a batch allocates starts full collections of the caller's heap), so every column left out
 * of the replay's write is time saved. `remaining`, `breachedAt` and the cycle figures
 * (`cycleElapsed`, `cycles`, `breaches`, and `startedAt` for response and resolution) are built
 * on first read (see {@link metricColumns}). `startedAt` is stored for the metrics that count
 * cycles (for the others it is `null`): NaN there means no cycle has started.
 *
 * With the policy's {@link RankTargets} (a batch; not evaluate's scratch row, which serves every
 * policy) `measure` and `atRisk` are not stored either (`null`): a row's measure is its target
 * rank's, unless its status says there is none (`none`, `idle`, failed), and at risk follows from
 * the status, `elapsed` and `targetMs`. Nor is `targetMs` when every rank's target has a length of
 * its own (business, none): only end-of-day, calendar and window targets depend on the ticket.
 * @internal
 */
export class ColumnArrays {
  readonly status: Uint8Array;
  readonly deadline: Float64Array;
  readonly stoppedAt: Float64Array;
  readonly elapsed: Float64Array;
  readonly targetMs: Float64Array | null;
  readonly atRisk: Uint8Array | null;
  readonly measure: Uint8Array | null;
  readonly stoppedBy: Uint8Array;
  readonly targetRank: Int16Array;
  readonly startedAt: Float64Array | null;
  readonly ranks: RankTargets | null;
  /**
   * Whether the rows that met a business-time target keep, in `deadline`, the time they had left at
   * their stop instead of the deadline (all of them, while this is true; see {@link deadlineAt}):
   * where that time runs out is a business-time addition, made for the whole column when it is
   * first read, and for one row when its evaluation is asked for, rather than for every met metric
   * of every ticket of a batch.
   */
  leftInDeadline = false;

  /** The columns a metric's arrays cut from a slab. */
  static counts(cycles: boolean, ranks: RankTargets | null): { f64: number; i16: number; u8: number } {
    return {
      f64: 3 + (ranks === null || !ranks.constant ? 1 : 0) + (cycles ? 1 : 0),
      i16: 1,
      u8: 2 + (ranks === null ? 2 : 0),
    };
  }

  constructor(slab: ColumnSlab, cycles: boolean, ranks: RankTargets | null) {
    this.ranks = ranks;
    this.status = slab.u8();
    this.deadline = slab.f64();
    this.stoppedAt = slab.f64();
    this.elapsed = slab.f64();
    this.targetMs = ranks === null || !ranks.constant ? slab.f64() : null;
    this.atRisk = ranks === null ? slab.u8() : null;
    this.measure = ranks === null ? slab.u8() : null;
    this.stoppedBy = slab.u8();
    this.targetRank = slab.i16();
    this.startedAt = cycles ? slab.f64() : null;
  }
}

/** Row `i`'s measure: 0 none, 1 business, 2 calendar (see {@link ColumnArrays}). */
function measureAt(c: ColumnArrays, i: number): number {
  if (c.measure !== null) return c.measure[i] as number;
  const status = c.status[i] as number;
  if (status === STATUS_CODE.none || status === STATUS_CODE.idle || status === FAILED) return 0;
  return (c.ranks as RankTargets).measure[c.targetRank[i] as number] as number;
}

/** Whether row `i` keeps its time left in `deadline` (see {@link ColumnArrays.leftInDeadline}). */
function keepsLeft(c: ColumnArrays, i: number): boolean {
  return c.leftInDeadline && c.status[i] === STATUS_CODE.met && measureAt(c, i) === 1;
}

/** Row `i`'s deadline (NaN for none), found on `engine` where the row keeps its time left. */
function deadlineAt(c: ColumnArrays, i: number, engine: CalendarEngine | null): number {
  const kept = c.deadline[i] as number;
  return keepsLeft(c, i) ? (engine as CalendarEngine).add(c.stoppedAt[i] as number, kept) : kept;
}

/** Completes the `deadline` column of rows that keep their time left there, once (see {@link ColumnArrays}). */
function settleDeadlines(c: ColumnArrays, engine: CalendarEngine | null): void {
  if (!c.leftInDeadline) return;
  for (let i = 0; i < c.status.length; i++) if (keepsLeft(c, i)) c.deadline[i] = deadlineAt(c, i, engine);
  c.leftInDeadline = false;
}

/** Row `i`'s target length in ms of its measure, NaN without one (see {@link ColumnArrays}). */
function targetMsAt(c: ColumnArrays, i: number): number {
  if (c.targetMs !== null) return c.targetMs[i] as number;
  if (measureAt(c, i) === 0) return Number.NaN;
  return (c.ranks as RankTargets).length[c.targetRank[i] as number] as number;
}

/** Whether row `i` is at risk, 1 or 0 (see {@link atRiskOf}). */
function atRiskAt(c: ColumnArrays, i: number, atRiskThreshold: number): number {
  if (c.atRisk !== null) return c.atRisk[i] as number;
  const status = c.status[i] as number;
  if (status !== STATUS_CODE.running && status !== STATUS_CODE.paused) return 0;
  const length = targetMsAt(c, i);
  return (length > 0 ? (c.elapsed[i] as number) / length : 1) >= atRiskThreshold ? 1 : 0;
}

/** A column of a figure that rows may or may not store: the stored array, or one built from `at`. */
function columnOf<T extends Uint8Array | Float64Array>(
  stored: T | null,
  n: number,
  make: (n: number) => T,
  at: (i: number) => number,
): T {
  if (stored !== null) return stored;
  const column = make(n);
  for (let i = 0; i < n; i++) column[i] = at(i);
  return column;
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
  return new LazyMetricColumns(a, extras, rows) as unknown as MetricColumns;
}

/**
 * Every metric's public columns, in the order their keys have always listed (measured or not: see
 * {@link LazyMetricColumns}, {@link LazyNoneColumns}).
 */
const COLUMN_KEYS = [
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
] as const;

/** The rows {@link LazyMetricColumns} reads beside its arrays. */
type ColumnRows = AlertRows & {
  readonly createdAt: Float64Array;
  readonly priorityRank: Int16Array;
  /** The batch's memory (none for evaluate's scratch row): once spent, the columns refuse to be read. */
  readonly memory?: BatchMemory | undefined;
};

/** The figures of a metric's current run or cycle, built together on first read. */
type DerivedColumns = Pick<MetricColumns, "startedAt" | "cycleElapsed" | "cycles" | "breaches">;

/**
 * A metric's public columns (see {@link metricColumns}): its stored arrays as data properties, and
 * the columns built on first read as accessor properties, all own and enumerable, in the order the
 * columns always had. The accessors are shared by every instance (one descriptor and one getter per
 * column, reading the instance's private state), where each batch used to define them with closures
 * of its own: `evaluateAcross` makes a batch per policy, and those closures and descriptors were
 * about half of a small batch's garbage. Every instance gets the same properties in the same order,
 * so all share one hidden class.
 */
class LazyMetricColumns {
  readonly #a: ColumnArrays;
  readonly #extras: RowExtras;
  readonly #rows: ColumnRows;
  #targetMs: Float64Array | undefined;
  #atRisk: Uint8Array | undefined;
  #measure: Uint8Array | undefined;
  #remaining: Float64Array | undefined;
  #breachedAt: Float64Array | undefined;
  #alertAt: readonly Float64Array[] | undefined;
  #derived: DerivedColumns | undefined;

  static readonly #lazy = {
    deadline: {
      enumerable: true,
      get(this: LazyMetricColumns): Float64Array {
        this.#usable();
        settleDeadlines(this.#a, this.#rows.engine);
        return this.#a.deadline;
      },
    },
    targetMs: {
      enumerable: true,
      get(this: LazyMetricColumns): Float64Array {
        this.#usable();
        const a = this.#a;
        return (this.#targetMs ??= columnOf(a.targetMs, a.status.length, batchFloat64, (i) => targetMsAt(a, i)));
      },
    },
    atRisk: {
      enumerable: true,
      get(this: LazyMetricColumns): Uint8Array {
        this.#usable();
        const a = this.#a;
        const threshold = this.#rows.atRiskThreshold;
        return (this.#atRisk ??= columnOf(a.atRisk, a.status.length, batchUint8, (i) => atRiskAt(a, i, threshold)));
      },
    },
    measure: {
      enumerable: true,
      get(this: LazyMetricColumns): Uint8Array {
        this.#usable();
        const a = this.#a;
        return (this.#measure ??= columnOf(a.measure, a.status.length, batchUint8, (i) => measureAt(a, i)));
      },
    },
    remaining: {
      enumerable: true,
      get(this: LazyMetricColumns): Float64Array {
        this.#usable();
        const targetMs = (this as unknown as MetricColumns).targetMs;
        return (this.#remaining ??= remainingColumn(targetMs, this.#a.elapsed));
      },
    },
    breachedAt: {
      enumerable: true,
      get(this: LazyMetricColumns): Float64Array {
        this.#usable();
        if (this.#breachedAt !== undefined) return this.#breachedAt;
        const a = this.#a;
        const breachedAt = batchFloat64(a.status.length);
        for (let i = 0; i < breachedAt.length; i++) breachedAt[i] = breachedAtOf(a, i);
        return (this.#breachedAt = breachedAt);
      },
    },
    alertAt: {
      enumerable: true,
      get(this: LazyMetricColumns): readonly Float64Array[] {
        this.#usable();
        return (this.#alertAt ??= alertColumns(this.#a, this.#extras, this.#rows));
      },
    },
    startedAt: {
      enumerable: true,
      get(this: LazyMetricColumns): Float64Array {
        this.#usable();
        return this.#derive().startedAt;
      },
    },
    cycleElapsed: {
      enumerable: true,
      get(this: LazyMetricColumns): Float64Array {
        this.#usable();
        return this.#derive().cycleElapsed;
      },
    },
    cycles: {
      enumerable: true,
      get(this: LazyMetricColumns): Float64Array {
        this.#usable();
        return this.#derive().cycles;
      },
    },
    breaches: {
      enumerable: true,
      get(this: LazyMetricColumns): Float64Array {
        this.#usable();
        return this.#derive().breaches;
      },
    },
  } satisfies Record<string, PropertyDescriptor>;

  constructor(a: ColumnArrays, extras: RowExtras, rows: ColumnRows) {
    this.#a = a;
    this.#extras = extras;
    this.#rows = rows;
    const self = this as unknown as Record<string, unknown>;
    const lazy: Readonly<Record<string, PropertyDescriptor>> = LazyMetricColumns.#lazy;
    // The stored columns are their arrays (see ColumnArrays), the others accessors, in key order.
    for (const key of COLUMN_KEYS) {
      const descriptor = lazy[key];
      if (descriptor !== undefined) Object.defineProperty(this, key, descriptor);
      else self[key] = (a as unknown as Record<string, unknown>)[key];
    }
  }

  /** Throws once another call reuses the batch's memory (its arrays then hold that call's rows). */
  #usable(): void {
    if (this.#rows.memory?.spent === true) throw batchReusedError();
  }

  /**
   * The figures of the current run or cycle. A response or resolution runs from the creation, a
   * reopen starting the next run; a cycle metric's runs start where `startedAt` says (NaN: none yet).
   */
  #derive(): DerivedColumns {
    if (this.#derived !== undefined) return this.#derived;
    const a = this.#a;
    const rows = this.#rows;
    const extras = this.#extras;
    const n = a.status.length;
    const d = {
      startedAt: a.startedAt ?? batchFloat64(n),
      cycleElapsed: batchFloat64(n),
      cycles: batchFloat64(n),
      breaches: batchFloat64(n),
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
      d.cycleElapsed[i] = (a.elapsed[i] as number) - (h === undefined ? 0 : h.base);
      d.cycles[i] = h === undefined ? 1 : h.earlier.length / RUN_FIELDS + 1;
      d.breaches[i] = (h === undefined ? 0 : h.breaches) + breached;
    }
    return (this.#derived = d);
  }
}

/** `targetMs − elapsed` per row (NaN where the metric has no target or the ticket failed). */
function remainingColumn(targetMs: Float64Array, elapsed: Float64Array): Float64Array {
  const remaining = batchFloat64(targetMs.length);
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
 * {@link EXTRAS_CHUNK_MAX}, so that a million tickets' records take a dozen chunks rather than
 * hundreds. A chunk is written in full when it is made (see {@link RecordPool}), so the last one's
 * unused end costs at most 8 MB of writes.
 */
const EXTRAS_CHUNK = 1 << 16;
/** Numbers of the largest pool chunk (8 MB). */
const EXTRAS_CHUNK_MAX = 1 << 20;
/** The pool a row without a record points at: none found yet. */
const NO_RECORDS = new Float64Array(0);
/** What a row's record holds, in the low bits of its index (see {@link RowExtras}). */
const HAS_CROSSINGS = 1;
const HAS_RUNS = 2;
const INDEX_FLAGS = 4;
/** Records start below 2^29 numbers (4 GiB of pool), so that an index with its flags fits an Int32. */
const MAX_RECORD_START = 2 ** 29;

/**
 * The chunks of numbers that the {@link RowExtras} of a batch's metrics cut their records from: one
 * pool for all metrics, so that only one chunk is partly used at the end of a batch.
 *
 * Where the records live decides how often V8 collects the caller's whole heap. A four-metric
 * batch of a million tickets keeps about 115 MB of records (the earlier runs of its cycles, and the
 * crossed alert thresholds). As `ArrayBuffer`s they were two more full collections of the caller's
 * million tickets per batch (V8 starts one for each 64 MiB of new external memory); as plain
 * arrays of doubles on V8's heap they counted against the old generation's limit instead, and
 * started one in most calls once the heap was large (0.45 s in bench/metrics-scenario.ts). They
 * are Float64Arrays in new batch memory now, which V8 counts in neither way while it is shared
 * (see batch-buffer.ts); a call with an arena cuts them from its blocks, as it does the rows'
 * index arrays.
 * @internal
 */
export class RecordPool {
  /**
   * Numbers of the first chunk: {@link EXTRAS_CHUNK} for a large batch, less for a small one.
   * `evaluateAcross` makes a batch per policy (10 000 of about 100 tickets in its benchmark): a
   * 512 KB first chunk each was 5 GB of external memory per call, and V8 answered it with a full
   * collection of the caller's heap every 64 MB (a call took ten times as long); a first chunk of
   * eight numbers a row was still 60 MB of heap a call, nearly all of it unused.
   */
  readonly #first: number;
  readonly chunks: Float64Array[] = [];
  /** Where each chunk starts, counted over all chunks. */
  readonly chunkStart: number[] = [];
  /** Numbers used in the last chunk. */
  used = 0;
  /**
   * The arena the batch's columns are cut from (see {@link ColumnArena}), taken when the pool is
   * made: the rows' index arrays are cut from it too, so that `evaluateAcross`'s batches (a batch
   * per policy, each with an index array or two per metric) make no `ArrayBuffer` of their own.
   * None for evaluate's scratch row (see {@link batchArena}).
   */
  readonly #arena: ColumnArena | undefined;
  /** The batch's memory, which chunks and index arrays come from when it has one (see BatchMemory). */
  readonly #memory: BatchMemory | undefined;

  /**
   * A pool for a batch of `rows` rows: one number a row to start with (at least 16, at most
   * {@link EXTRAS_CHUNK}), and chunks twice as large as they fill. Most rows keep no record: the
   * benchmark's `evaluateAcross` batches use 0.4 numbers a row, and eight a row (the earlier
   * start) were 60 MB of unused arrays a call.
   */
  constructor(rows: number, arena: ColumnArena | undefined, memory?: BatchMemory) {
    this.#first = Math.min(EXTRAS_CHUNK, Math.max(16, rows));
    this.#arena = arena;
    this.#memory = memory;
  }

  /** Room for `size` numbers: where it starts, counted over all chunks. */
  take(size: number): number {
    let o = this.used;
    const last = this.chunks.length - 1;
    if (last < 0 || o + size > (this.chunks[last] as Float64Array).length) {
      const first = last < 0 ? 0 : (this.chunkStart[last] as number) + (this.chunks[last] as Float64Array).length;
      const length = Math.max(size, Math.min(this.#first * 2 ** this.chunks.length, EXTRAS_CHUNK_MAX));
      this.chunks.push(this.#chunk(length));
      this.chunkStart.push(first);
      o = 0;
    }
    this.used = o + size;
    return (this.chunkStart[this.chunks.length - 1] as number) + o;
  }

  /**
   * A chunk of `length` numbers (see {@link batchBytes}). A spent batch's memory is not zeroed for
   * it: a record is written in full before anything reads it, so the old numbers are never seen.
   */
  #chunk(length: number): Float64Array {
    const place = batchBytes(8 * length, this.#arena, this.#memory, false);
    return new Float64Array(place.buffer, place.offset, length);
  }

  /** A zeroed array of `n` 32-bit integers (see {@link batchBytes}). */
  int32(n: number): Int32Array {
    const place = batchBytes(4 * n, this.#arena, this.#memory);
    return new Int32Array(place.buffer, place.offset, n);
  }

  /** A zeroed array of `n` bytes (see {@link batchBytes}). */
  uint8(n: number): Uint8Array {
    const place = batchBytes(n, this.#arena, this.#memory);
    return new Uint8Array(place.buffer, place.offset, n);
  }

  /** The chunk holding position `g` (counted over all chunks). */
  chunkOf(g: number): number {
    let c = this.chunks.length - 1;
    while ((this.chunkStart[c] as number) > g) c--;
    return c;
  }

  /**
   * Takes over another pool's chunks (another thread's, for rows it wrote: see replay-threads.ts)
   * after this pool's own; returns what to add to a position counted over the other pool's chunks
   * to count it over this pool's. No more room is taken from this pool after.
   */
  adopt(chunks: readonly Float64Array[], chunkStart: readonly number[]): number {
    const last = this.chunks.length - 1;
    const base = last < 0 ? 0 : (this.chunkStart[last] as number) + (this.chunks[last] as Float64Array).length;
    for (let c = 0; c < chunks.length; c++) {
      this.chunks.push(chunks[c] as Float64Array);
      this.chunkStart.push(base + (chunkStart[c] as number));
    }
    if (chunks.length > 0) this.used = (chunks[chunks.length - 1] as Float64Array).length;
    return base;
  }

  /** Gives back the room [g, end) when it is the last taken. */
  giveBack(g: number, end: number): void {
    const last = this.chunks.length - 1;
    const start = this.chunkStart[last] as number;
    if (end - start === this.used && g >= start) this.used = g - start;
  }
}

/**
 * What a metric's rows need beyond its columns, kept only for the rows that need it, as one record
 * of numbers per row in a pool of chunks (never copied when it grows):
 *
 * - **where its alert thresholds were crossed** by `now`, as the pair the replay found (`left` ms of
 *   the measure after `from`; see `MetricClock.alertFrom`). A threshold not crossed by `now` needs
 *   nothing: it will be crossed `alertLength − elapsed` after `now` while the metric runs, and not
 *   at all otherwise (the columns say all of that). Nor does one crossed before any pause of the
 *   current run, under the target and measure still in force (the usual case): the run's start and
 *   the threshold's whole length, which the columns give, name the same instant as its pair (see
 *   `MetricClock.alertFromStart`); such a row keeps one bit per threshold in a byte per row
 *   ({@link RowExtras.crossedFromStart}; the first eight thresholds). A two-metric batch of a
 *   million tickets kept 24 MB of heap with a pair for each of these, 12 MB without;
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
 * A row's index is `4 × (where its record starts, counted over all chunks) + flags`
 * ({@link HAS_CROSSINGS}, {@link HAS_RUNS}; 0: no record). A record: `from, left` per threshold
 * when it has crossings (NaN `from` for one not crossed); then, when it has runs, a header (numbers
 * of runs × 2, plus 1 when start and base follow), start and base, and the runs. Rows are written
 * once each (a batch), or one row again and again (evaluate's scratch row): a row whose record is
 * the last in the pool is rewritten in place, so the pool never grows for the scratch row.
 * @internal
 */
export class RowExtras {
  readonly #n: number;
  readonly #thresholds: number;
  readonly #records: RecordPool;
  /** Per row: see the class; 0 for none. */
  #at: Int32Array | null = null;
  /** Per row: the thresholds crossed from the run's start (bit j: threshold j), kept in no record. */
  #fromStart: Uint8Array | null = null;
  /** The chunk, offset and flags {@link RowExtras.#find} found last, and where the record starts. */
  #start = 0;
  #pool: Float64Array = NO_RECORDS;
  #offset = 0;
  #flags = 0;

  constructor(n: number, thresholds: number, records: RecordPool) {
    this.#n = n;
    this.#thresholds = thresholds;
    this.#records = records;
  }

  /** Finds row `i`'s record (into #pool, #offset and #flags); false when it has none. */
  #find(i: number): boolean {
    const at = this.#at === null ? 0 : (this.#at[i] as number);
    if (at === 0) return false;
    const g = (at - (at % INDEX_FLAGS)) / INDEX_FLAGS;
    const records = this.#records;
    const c = records.chunkOf(g);
    this.#start = g;
    this.#pool = records.chunks[c] as Float64Array;
    this.#offset = g - (records.chunkStart[c] as number);
    this.#flags = at % INDEX_FLAGS;
    return true;
  }

  /** Where threshold `j` of row `i` was crossed: the pair's `from`, NaN when it was not (by `now`). */
  crossedFrom(i: number, j: number): number {
    if (!this.#find(i) || (this.#flags & HAS_CROSSINGS) === 0) return Number.NaN;
    return this.#pool[this.#offset + 2 * j] as number;
  }

  /**
   * Whether threshold `j` of row `i` was crossed where the run's start and the threshold's whole
   * length say (see `MetricClock.alertFromStart`), with no pair kept.
   */
  crossedFromStart(i: number, j: number): boolean {
    const mask = this.#fromStart === null ? 0 : (this.#fromStart[i] as number);
    return (mask & (1 << j)) !== 0;
  }

  /** The pair's `left` for a threshold {@link RowExtras.crossedFrom} found crossed. */
  crossedLeft(i: number, j: number): number {
    this.#find(i);
    return this.#pool[this.#offset + 2 * j + 1] as number;
  }

  history(i: number): RunHistory | undefined {
    if (!this.#find(i) || (this.#flags & HAS_RUNS) === 0) return undefined;
    const pool = this.#pool;
    let o = this.#offset + (this.#flags & HAS_CROSSINGS ? 2 * this.#thresholds : 0);
    const header = pool[o++] as number;
    let start = Number.NaN;
    let base = 0;
    if (header % 2 === 1) {
      start = pool[o] as number;
      base = pool[o + 1] as number;
      o += 2;
    }
    const earlier = pool.slice(o, o + Math.floor(header / 2));
    return { start, base, breaches: breachesAmong(earlier), earlier };
  }

  /**
   * Row `i`'s record: the crossings `alertFrom`/`alertLeft` (a `from` of NO_INSTANT: not crossed) when
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
    fromStart: number,
  ): void {
    this.delete(i);
    if (fromStart !== 0) (this.#fromStart ??= this.#records.uint8(this.#n))[i] = fromStart;
    if (!crossings && length === 0) return;
    const k = this.#thresholds;
    const size = (crossings ? 2 * k : 0) + (length > 0 ? 1 + (startBase ? 2 : 0) + length : 0);
    const records = this.#records;
    const g = records.take(size);
    const pool = records.chunks[records.chunks.length - 1] as Float64Array;
    const o = g - (records.chunkStart[records.chunks.length - 1] as number);
    if (g >= MAX_RECORD_START) throw recordsTooLarge();
    let w = o;
    if (crossings) {
      for (let j = 0; j < k; j++) {
        const from = alertFrom[j] as number;
        pool[w++] = from !== NO_INSTANT ? from : Number.NaN;
        pool[w++] = alertLeft[j] as number;
      }
    }
    if (length > 0) {
      pool[w++] = length * 2 + (startBase ? 1 : 0);
      if (startBase) {
        pool[w++] = start;
        pool[w++] = base;
      }
      for (let r = 0; r < length; r++) pool[w++] = runs[r] as number;
    }
    (this.#at ??= this.#records.int32(this.#n))[i] =
      g * INDEX_FLAGS + (crossings ? HAS_CROSSINGS : 0) + (length > 0 ? HAS_RUNS : 0);
  }

  /** The per-row arrays, for the thread that takes over these rows (see {@link RowExtras.adoptRows}). */
  get rowArrays(): { readonly at: Int32Array | null; readonly fromStart: Uint8Array | null } {
    return { at: this.#at, fromStart: this.#fromStart };
  }

  /**
   * Takes over rows `from` to `to − 1` that another thread wrote into its own {@link RowExtras}
   * (`rows`, its per-row arrays), whose records were cut from a pool whose chunks this pool has
   * adopted at `base` ({@link RecordPool.adopt}).
   */
  adoptRows(
    rows: { readonly at: Int32Array | null; readonly fromStart: Uint8Array | null },
    from: number,
    to: number,
    base: number,
  ): void {
    const fromStart = rows.fromStart;
    if (fromStart !== null) {
      const own = (this.#fromStart ??= this.#records.uint8(this.#n));
      own.set(fromStart.subarray(from, to), from);
    }
    const at = rows.at;
    if (at === null) return;
    const own = (this.#at ??= this.#records.int32(this.#n));
    const shift = base * INDEX_FLAGS;
    for (let i = from; i < to; i++) {
      const index = at[i] as number;
      if (index === 0) continue;
      if (index / INDEX_FLAGS + base >= MAX_RECORD_START) throw recordsTooLarge();
      own[i] = index + shift;
    }
  }

  delete(i: number): void {
    if (this.#fromStart !== null) this.#fromStart[i] = 0;
    if (!this.#find(i)) return;
    (this.#at as Int32Array)[i] = 0;
    // The last record in the pool: its room is free again.
    const pool = this.#pool;
    const o = this.#offset;
    let end = o + (this.#flags & HAS_CROSSINGS ? 2 * this.#thresholds : 0);
    if (this.#flags & HAS_RUNS) {
      const header = pool[end] as number;
      end += 1 + (header % 2 === 1 ? 2 : 0) + Math.floor(header / 2);
    }
    this.#records.giveBack(this.#start, this.#start + (end - o));
  }
}

/** The error of a batch whose records outgrow what a row's index can point at. */
function recordsTooLarge(): SlaClockError {
  return new SlaClockError(
    "INVALID_ARGUMENT",
    "evaluateMany: the batch's alert crossings and earlier runs exceed 4 GiB; evaluate the tickets in smaller batches",
  );
}

/** What finding a row's alert instants reads besides the metric's own columns. @internal */
export interface AlertRows {
  readonly engine: CalendarEngine | null;
  readonly inOpenHours: boolean;
  /** The moment of evaluation of the rows (epoch ms). */
  readonly now: number;
  /** The at-risk fraction the rows were evaluated with. */
  readonly atRiskThreshold: number;
  readonly alerts: readonly CompiledAlert[];
  /** Each ticket's creation (epoch ms): where the first run of response and resolution starts. */
  readonly createdAt: Float64Array;
}

/**
 * The instant threshold `j` of row `i` of a metric is (or will be) crossed, NaN for none: where the
 * replay found it crossed, else `alertLength − elapsed` after `now` while the metric runs (as the
 * replay's write found it for `nextAlertAt`), else none.
 */
function alertAtRow(c: ColumnArrays, extras: RowExtras, rows: AlertRows, i: number, j: number): number {
  const engine = rows.engine;
  const measure = measureAt(c, i);
  if (engine === null || measure === 0) return Number.NaN;
  let from = extras.crossedFrom(i, j);
  let left: number;
  if (from === from) left = extras.crossedLeft(i, j);
  else if (extras.crossedFromStart(i, j)) {
    // Crossed before any pause of the run (see RowExtras): from the run's start, its whole length.
    from = c.startedAt !== null ? (c.startedAt[i] as number) : (rows.createdAt[i] as number);
    left = alertLength(rows.alerts[j] as CompiledAlert, targetMsAt(c, i));
  } else {
    if (c.status[i] !== STATUS_CODE.running) return Number.NaN;
    from = rows.now;
    left = alertLength(rows.alerts[j] as CompiledAlert, targetMsAt(c, i)) - (c.elapsed[i] as number);
  }
  return alertInstant(engine, measure, from, left, rows.inOpenHours);
}

/** The instants of a metric's alert thresholds, one column per threshold. */
function alertColumns(c: ColumnArrays, extras: RowExtras, rows: AlertRows): readonly Float64Array[] {
  return Object.freeze(
    rows.alerts.map((_, j) => {
      const at = batchFloat64(c.status.length);
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
  // A calendar-time instant is checked as `advance` checks it. A column read later cannot throw
  // here: a running row's projection was made (and checked) when the row was written, and a
  // crossing found by the replay lies at or before `now`.
  const at =
    left === 0
      ? from
      : measure === 1
        ? engine.add(from, left)
        : engine.checked(from + left, "the result of adding calendar time");
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
 * The rows of a metric a batch writes: its arrays, and its public columns made on first read. A
 * batch's columns are read by few callers (`evaluateAcross` makes a batch per policy, and its
 * callers read `nextAlertAt` and single tickets), while making the face's own accessor properties
 * took a fifth of a small batch's time; so the face waits for its first reader.
 */
class WrittenRows implements MetricRows {
  readonly metric: Metric;
  readonly cycles: boolean;
  readonly arrays: ColumnArrays;
  readonly extras: RowExtras;
  readonly #rows: ColumnRows;
  #columns: MetricColumns | undefined = undefined;

  constructor(metric: Metric, cycles: boolean, arrays: ColumnArrays, extras: RowExtras, rows: ColumnRows) {
    this.metric = metric;
    this.cycles = cycles;
    this.arrays = arrays;
    this.extras = extras;
    this.#rows = rows;
  }

  get columns(): MetricColumns {
    return (this.#columns ??= metricColumns(this.arrays, this.extras, this.#rows));
  }
}

/**
 * What rows written by one thread keep besides their columns, for the thread whose batch they are
 * (see {@link TicketColumns.adoptRows}). Typed arrays only (and plain values): it is posted between
 * threads.
 * @internal
 */
export interface RowsBeside {
  readonly chunks: readonly Float64Array[];
  readonly chunkStart: readonly number[];
  /** Per metric (in METRICS order). */
  readonly extras: readonly { readonly at: Int32Array | null; readonly fromStart: Uint8Array | null }[];
  readonly leftInDeadline: readonly boolean[];
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
  /** The calendar, setting and moment the rows' alert instants are found with (those of the last row written). */
  engine: CalendarEngine | null = null;
  inOpenHours = false;
  now = Number.NaN;
  atRiskThreshold = Number.NaN;
  /** Per metric, whether its rows are written (the others are `none` throughout, built when read). */
  readonly #written: readonly boolean[];
  /** The batch's memory the rows are written in (see BatchMemory); none for evaluate's scratch row. */
  readonly memory: BatchMemory | undefined;
  /** Whether `ids` holds the rows' ids (not for rows written over another thread's slab). */
  readonly #keepsIds: boolean;
  /** Where the columns are (one slab), and the pool the rows' records are cut from. */
  readonly slab: SlabPlace;
  readonly records: RecordPool;

  /**
   * `measured`: per metric (in the order of METRICS), whether the policy measures it; the rows of
   * a metric it does not measure take no room and are filled with `none` when first read. Rows
   * reused for different policies (evaluate's scratch row) measure all. `ranks`: what the policy's
   * table says per rank (its `rankTargets`), from which rows work out what does not depend on the
   * ticket (see ColumnArrays); rows reused for different policies store everything. `memory`: a
   * batch's (see BatchMemory), which its columns and records are written into; none for
   * evaluate's scratch row.
   */
  constructor(
    n: number,
    alerts: readonly CompiledAlert[],
    measured?: readonly boolean[],
    ranks?: readonly RankTargets[],
    memory?: BatchMemory,
    slab?: SlabPlace,
  ) {
    // Rows written over another thread's slab keep no ids: that thread has them (replay-threads.ts).
    this.#keepsIds = slab === undefined;
    this.ids = this.#keepsIds ? new Array<string | number | null>(n).fill(null) : [];
    this.alerts = alerts;
    this.memory = memory;
    const k = alerts.length;
    const written = METRICS.map((_, m) => measured === undefined || measured[m] === true);
    this.#written = written;
    const arena = batchArena(ranks !== undefined);
    const records = new RecordPool(n, arena, memory);
    const counts = { f64: 2, i16: 1, u8: 0 };
    METRICS.forEach((metric, m) => {
      if (!written[m]) return;
      const c = ColumnArrays.counts(METRIC_TABLE[metric].cycles, ranks?.[m] ?? null);
      counts.f64 += c.f64;
      counts.i16 += c.i16;
      counts.u8 += c.u8;
    });
    const columns = new ColumnSlab(n, counts, arena, memory, slab);
    this.slab = columns.place;
    this.records = records;
    this.priorityRank = columns.i16();
    this.createdAt = columns.f64();
    this.nextAlertAt = columns.f64();
    this.metrics = METRICS.map((metric, m): MetricRows => {
      const cycles = METRIC_TABLE[metric].cycles;
      const extras = new RowExtras(n, k, records);
      if (!written[m]) return new UnmeasuredRows(metric, cycles, n, this, extras);
      return new WrittenRows(metric, cycles, new ColumnArrays(columns, cycles, ranks?.[m] ?? null), extras, this);
    });
  }

  /** Row `i`: a replayed ticket. */
  write(
    i: number,
    id: string | number,
    engine: CalendarEngine,
    clock: TicketClock,
    settings: EvaluationSettings,
  ): void {
    if (this.#keepsIds) this.ids[i] = id;
    this.priorityRank[i] = clock.priority.info.rank;
    this.engine = engine;
    this.inOpenHours = settings.inOpenHours;
    this.atRiskThreshold = settings.atRiskThreshold;
    this.createdAt[i] = clock.createdAt;
    const now = clock.now;
    this.now = now;
    const measured = clock.measured;
    const written = this.#written;
    this.#dropRecords(i);
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

  /**
   * What this batch's rows written by this thread keep besides their columns (see
   * {@link TicketColumns.adoptRows}): the records' chunks, each metric's per-row arrays, and
   * whether a metric keeps time left in its deadlines.
   */
  get rowsBeside(): RowsBeside {
    return {
      chunks: this.records.chunks,
      chunkStart: this.records.chunkStart,
      extras: this.metrics.map((rows) => rows.extras.rowArrays),
      // An unmeasured metric's arrays are built when read: not here.
      leftInDeadline: this.metrics.map((rows, m) => this.#written[m] === true && rows.arrays.leftInDeadline),
    };
  }

  /**
   * Takes over the rows in `ranges` (pairs of first row and end) that another thread wrote into
   * this batch's columns (the same slab, its own {@link TicketColumns} over it): their columns are
   * already here; their records and per-row arrays are `beside` (its {@link TicketColumns.rowsBeside}).
   */
  adoptRows(beside: RowsBeside, ranges: readonly number[]): void {
    const base = this.records.adopt(beside.chunks, beside.chunkStart);
    for (let m = 0; m < this.metrics.length; m++) {
      if (!this.#written[m]) continue;
      const rows = this.metrics[m] as MetricRows;
      const theirs = beside.extras[m] as RowsBeside["extras"][number];
      for (let r = 0; r < ranges.length; r += 2)
        rows.extras.adoptRows(theirs, ranges[r] as number, ranges[r + 1] as number, base);
      if (beside.leftInDeadline[m] === true) rows.arrays.leftInDeadline = true;
    }
  }

  /**
   * Sets what {@link TicketColumns.write} sets beside the row (the calendar, the setting and the
   * moment alert instants are found with), for rows another thread wrote.
   */
  follow(engine: CalendarEngine, settings: EvaluationSettings, now: number): void {
    this.engine = engine;
    this.inOpenHours = settings.inOpenHours;
    this.atRiskThreshold = settings.atRiskThreshold;
    this.now = now;
  }

  /** Row `i`: a ticket that could not be evaluated. */
  clear(i: number, id: string | number | null): void {
    if (this.#keepsIds) this.ids[i] = id;
    this.priorityRank[i] = -1;
    this.createdAt[i] = this.nextAlertAt[i] = Number.NaN;
    const written = this.#written;
    this.#dropRecords(i);
    for (let m = 0; m < written.length; m++) if (written[m]) failMetric(this.metrics[m] as MetricRows, i);
  }

  /**
   * Drops row `i`'s records, the last metric's first: a row written again (evaluate's scratch row)
   * then gives all its room in the shared pool back, since its records are the pool's last.
   */
  #dropRecords(i: number): void {
    for (let m = this.metrics.length - 1; m >= 0; m--)
      if (this.#written[m]) (this.metrics[m] as MetricRows).extras.delete(i);
  }
}

/**
 * The columns of a metric no priority measures, built on first read (see {@link UnmeasuredRows}):
 * accessor properties shared by every instance, as {@link LazyMetricColumns}'s are, over the one
 * function of the instance that builds the columns.
 */
class LazyNoneColumns {
  readonly #build: () => { readonly columns: MetricColumns };

  static readonly #descriptors: Readonly<Record<string, PropertyDescriptor>> = Object.fromEntries(
    COLUMN_KEYS.map((key) => [
      key,
      {
        enumerable: true,
        get(this: LazyNoneColumns): unknown {
          return this.#build().columns[key];
        },
      },
    ]),
  );

  constructor(build: () => { readonly columns: MetricColumns }) {
    this.#build = build;
    for (const key of COLUMN_KEYS) Object.defineProperty(this, key, LazyNoneColumns.#descriptors[key]!);
  }
}

/**
 * The rows of a metric a batch's policy does not measure: `none` for every replayed ticket, with
 * nothing counted and no cycles (a failure as failures are), built only when first read; the face
 * of its columns too (see {@link WrittenRows}).
 */
class UnmeasuredRows implements MetricRows {
  readonly metric: Metric;
  readonly cycles: boolean;
  readonly extras: RowExtras;
  readonly #n: number;
  readonly #rows: TicketColumns;
  /** The rows once built: `none` written for every ticket, in rows of their own. */
  #built: WrittenRows | undefined = undefined;
  #face: MetricColumns | undefined = undefined;

  constructor(metric: Metric, cycles: boolean, n: number, rows: TicketColumns, extras: RowExtras) {
    this.metric = metric;
    this.cycles = cycles;
    this.#n = n;
    this.#rows = rows;
    this.extras = extras;
  }

  get columns(): MetricColumns {
    return (this.#face ??= new LazyNoneColumns(() => this.#build()) as unknown as MetricColumns);
  }

  get arrays(): ColumnArrays {
    return this.#build().arrays;
  }

  #build(): WrittenRows {
    if (this.#built !== undefined) return this.#built;
    const n = this.#n;
    const rows = this.#rows;
    if (rows.memory?.spent === true) throw batchReusedError();
    // A buffer of its own: built when first read, maybe during another call, whose arena belongs
    // to that call's result (which a later call may reuse).
    const slab = new ColumnSlab(n, ColumnArrays.counts(true, null), undefined);
    const written = new WrittenRows(this.metric, this.cycles, new ColumnArrays(slab, true, null), this.extras, rows);
    for (let i = 0; i < n; i++) {
      const rank = rows.priorityRank[i] as number;
      if (rank === -1) failMetric(written, i);
      else writeUnmeasured(written, i, rank);
    }
    return (this.#built = written);
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
  const measure = MEASURES[measureAt(c, i)] ?? null;
  const targetMs = targetMsAt(c, i);
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
    deadline: dateOrNull(deadlineAt(c, i, rows.engine)),
    breachedAt: dateOrNull(breachedAtOf(c, i)),
    atRisk: atRiskAt(c, i, rows.atRiskThreshold) === 1,
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
  } else if (c.status[i] === STATUS_CODE.none && measureAt(c, i) === 0 && rows.createdAt[i] !== rows.createdAt[i]) {
    return NO_CYCLES;
  }
  const stop = c.stoppedAt[i] as number;
  const measure = measureAt(c, i);
  const elapsed = c.elapsed[i] as number;
  const current: MetricCycle = Object.freeze({
    start: new Date(
      cycles ? ((c.startedAt as Float64Array)[i] as number) : h === undefined ? (rows.createdAt[i] as number) : h.start,
    ),
    stop: dateOrNull(stop),
    stoppedBy: STOPPED_BY[c.stoppedBy[i] as number] ?? null,
    measure: MEASURES[measure] ?? null,
    elapsed: elapsed - (h === undefined ? 0 : h.base),
    targetMs: measure === 0 ? null : targetMsAt(c, i),
    deadline: dateOrNull(deadlineAt(c, i, rows.engine)),
    status,
    breachedAt: dateOrNull(breachedAtOf(c, i)),
  });
  return Object.freeze(
    h === undefined ? [current] : [...earlierCycles(h.earlier, rows.engine as CalendarEngine), current],
  );
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
  c.deadline[i] = c.stoppedAt[i] = c.elapsed[i] = Number.NaN;
  if (c.targetMs !== null) c.targetMs[i] = Number.NaN;
  if (c.startedAt !== null) c.startedAt[i] = Number.NaN;
  c.targetRank[i] = -1;
  c.stoppedBy[i] = 0;
  if (c.measure !== null) c.measure[i] = 0;
  if (c.atRisk !== null) c.atRisk[i] = 0;
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
  c.deadline[i] = c.stoppedAt[i] = Number.NaN;
  if (c.targetMs !== null) c.targetMs[i] = Number.NaN;
  c.elapsed[i] = 0;
  if (c.startedAt !== null) c.startedAt[i] = Number.NaN;
  c.stoppedBy[i] = 0;
  if (c.measure !== null) c.measure[i] = 0;
  if (c.atRisk !== null) c.atRisk[i] = 0;
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
  // Most crossings come before any pause of the run (see MetricClock.alertFromStart), under the
  // target still in force: the run's start and the threshold's whole length give the same instant
  // as the pair, and the columns give those back (`startedAt`, or the creation for a first run;
  // `targetMs`), so such a row keeps only a bit per threshold. A row with any other crossing keeps
  // all of its pairs, as before.
  let crossings = false;
  let fromStart = 0;
  if (clock.measure !== null && runs > 0) {
    const startKnown = rows.cycles || clock.earlierLength === 0;
    for (let j = 0; j < thresholds; j++) {
      const from = alertFrom[j] as number;
      if (from === NO_INSTANT) continue;
      if (
        startKnown &&
        j < 8 &&
        clock.alertFromStart[j] === 1 &&
        !clock.measureChanged &&
        clock.alertLengthAt[j] === clock.alertLength[j]
      )
        fromStart |= 1 << j;
      else crossings = true;
    }
    if (crossings) fromStart = 0;
  }
  // The start and base are read only for a row that keeps them: passing two computed doubles to
  // the call boxes them (two heap numbers a metric a ticket, most of them for nothing).
  const runBase = clock.earlierLength > 0 ? clock.runBase : 0;
  const startBase = clock.earlierLength > 0 && (!rows.cycles || runBase !== 0);
  rows.extras.set(
    i,
    crossings,
    alertFrom,
    clock.alertLeft,
    clock.earlier,
    clock.earlierLength,
    startBase,
    startBase ? clock.runStart : 0,
    runBase,
    fromStart,
  );
  if (clock.measure === null || runs === 0) {
    c.elapsed[i] = clock.businessElapsed;
    c.deadline[i] = Number.NaN;
    if (c.targetMs !== null) c.targetMs[i] = Number.NaN;
    if (c.measure !== null) c.measure[i] = 0;
    if (c.atRisk !== null) c.atRisk[i] = 0;
    return Number.NaN;
  }
  const elapsed = clock.elapsed();
  const measure = measureCode(clock.measure);
  c.elapsed[i] = elapsed;
  let deadline: number;
  if (measure === 1 && status === STATUS_CODE.met) {
    // Met: where its time left runs out is found when asked for (see ColumnArrays.leftInDeadline).
    // Every met row keeps its time left alike, so that the column can tell which rows to complete.
    c.deadline[i] = clock.timeLeftAtStop(engine);
    c.leftInDeadline = true;
    deadline = Number.NaN;
  } else {
    deadline = deadlineOf(engine, clock, now);
    c.deadline[i] = deadline;
  }
  if (c.targetMs !== null) c.targetMs[i] = clock.length;
  if (c.measure !== null) c.measure[i] = measure;
  if (c.atRisk !== null) c.atRisk[i] = atRiskOf(clock, status, settings.atRiskThreshold) ? 1 : 0;
  const running = status === STATUS_CODE.running;
  let next = running && deadline > now ? deadline : Number.NaN;
  for (let j = 0; j < thresholds; j++) {
    // Crossed: where the replay found it. Not yet: from now on while the clock runs, else none
    // (what alertAtRow finds again from the columns when the alertAt column is read).
    let start = alertFrom[j] as number;
    let left = clock.alertLeft[j] as number;
    if (start === NO_INSTANT) {
      start = running ? now : Number.NaN;
      left = (clock.alertLength[j] as number) - elapsed;
    }
    // The ticket's next timer: only a running metric arms one (a stopped or paused clock warns of
    // nothing). A threshold the replay found crossed was crossed by `now`, so it arms nothing and
    // its instant (a business-time addition) is left for whoever reads the column; only
    // `inOpenHours` can move such an instant past `now` (a crossing at night moves to the opening).
    if (running && (settings.inOpenHours || (alertFrom[j] as number) === NO_INSTANT)) {
      const at = alertInstant(engine, measure, start, left, settings.inOpenHours);
      if (at > now && !(at >= next)) next = at;
    } else if (settings.inOpenHours && (alertFrom[j] as number) !== NO_INSTANT && !opensAfter(engine, now)) {
      // A crossing (by `now`) of a stopped or paused metric is moved to the next opening when its
      // column is read; when the calendar has no opening after `now` (a contract that ends, the
      // range's end) that move may fail, and it must fail this ticket here, as `evaluate` does,
      // not the whole column later.
      alertInstant(engine, measure, start, left, true);
    }
  }
  return next;
}

/** The last (engine, now) asked of {@link opensAfter} and its answer: a batch asks with one pair. */
let opensAfterEngine: CalendarEngine | null = null;
let opensAfterNow = Number.NaN;
let opensAfterAnswer = false;

/**
 * Whether the calendar opens at or after `now`: then every instant up to `now` has a next opening,
 * and moving a crossing (by `now`) into open hours cannot fail.
 */
function opensAfter(engine: CalendarEngine, now: number): boolean {
  if (engine !== opensAfterEngine || now !== opensAfterNow) {
    let answer = true;
    try {
      engine.nextOpen(now);
    } catch {
      answer = false;
    }
    opensAfterEngine = engine;
    opensAfterNow = now;
    opensAfterAnswer = answer;
  }
  return opensAfterAnswer;
}

/** The status code (into {@link CYCLE_METRIC_STATUSES}) of a replayed metric. */
function statusOf(clock: MetricClock, paused: boolean): number {
  if (clock.measure === null) return STATUS_CODE.none;
  if (clock.runs === 0) return STATUS_CODE.idle;
  if (clock.breachedAt !== NO_INSTANT) return STATUS_CODE.breached;
  if (clock.stopped) return STATUS_CODE.met;
  return paused ? STATUS_CODE.paused : STATUS_CODE.running;
}

/** The projected deadline of a replayed metric in epoch ms (NaN for `none`). */
function deadlineOf(engine: CalendarEngine, clock: MetricClock, now: number): number {
  if (clock.measure === null) return Number.NaN;
  if (clock.breachedAt !== NO_INSTANT) return clock.breachedAt;
  return advance(engine, clock.measure, clock.stopped ? clock.stoppedAt : now, clock.timeLeft());
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
