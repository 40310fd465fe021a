import { SlaClockError, showValue } from "../errors";
import { BatchMemory, batchReusedError } from "./batch-memory";
import type { PriorityInfo, RankTargets } from "../policy/rules";
import type { TicketEvaluation } from "./evaluate";
import type { AlertThreshold, CompiledAlert } from "../policy/alerts";
import { TicketColumns, ticketAt, type MetricColumns, type MetricRows, type TicketRows } from "./result";
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
  declare readonly priorityRank: Int16Array;
  /**
   * Per ticket: the earliest instant after `now` (epoch ms) at which a running metric crosses an
   * alert threshold or its deadline, NaN when there is none (see `TicketEvaluation.nextAlertAt`):
   * the one timer a service arms per ticket.
   */
  declare readonly nextAlertAt: Float64Array;
  /** The alert thresholds behind each metric's `alertAt` columns, in their order. */
  declare readonly alertThresholds: readonly AlertThreshold[];
  /** The response of each ticket. */
  declare readonly response: MetricColumns;
  /** The resolution of each ticket (its current run, with totals over reopens). */
  declare readonly resolution: MetricColumns;
  /** The current next-reply cycle of each ticket (all `none` when no priority has a next-reply target). */
  declare readonly nextReply: MetricColumns;
  /** The current periodic-update cycle of each ticket (all `none` when no priority has such a target). */
  declare readonly periodicUpdate: MetricColumns;
  /** The tickets that could not be evaluated, by index. */
  declare readonly failures: readonly TicketFailure[];
  readonly #priorities: readonly PriorityInfo[];
  readonly #rows: TicketRows;
  /** The memory the rows are written in; once another call reuses it, this batch is spent. */
  readonly #memory: BatchMemory;
  /** Each metric's columns, frozen, once read (see {@link EvaluationBatch.#columnsProperty}). */
  readonly #columns: (MetricColumns | undefined)[] = [undefined, undefined, undefined, undefined];

  /**
   * The metrics' columns are own enumerable properties (as they always were: `Object.keys`, spread
   * and the order of the keys are unchanged) whose shared getters make each metric's columns on
   * first read: a batch's callers read few of them (`evaluateAcross` makes a batch per policy), and
   * making them all up front was a fifth of a small batch's time.
   */
  static readonly #columnsProperty = (m: number): PropertyDescriptor => ({
    // m: the metric's place in METRICS (response, resolution, nextReply, periodicUpdate).
    enumerable: true,
    get(this: EvaluationBatch): MetricColumns {
      this.#usable();
      return (this.#columns[m] ??= Object.freeze((this.#rows.metrics[m] as MetricRows).columns));
    },
  });
  static readonly #columnsProperties = [0, 1, 2, 3].map(EvaluationBatch.#columnsProperty);
  /** `priorityRank` and `nextAlertAt`: own enumerable accessors too, so that a spent batch refuses them. */
  static readonly #rowsProperties = {
    priorityRank: {
      enumerable: true,
      get(this: EvaluationBatch): Int16Array {
        this.#usable();
        return this.#rows.priorityRank;
      },
    },
    nextAlertAt: {
      enumerable: true,
      get(this: EvaluationBatch): Float64Array {
        this.#usable();
        return this.#rows.nextAlertAt;
      },
    },
  } satisfies Record<string, PropertyDescriptor>;

  /**
   * `memory`: where the rows are written (see BatchMemory); `owner`: whether the batch owns it (an
   * evaluateMany batch, which can be reused) or shares it with the other groups of an evaluateAcross
   * call (which reuses them together).
   * @internal
   */
  constructor(
    n: number,
    now: number,
    priorities: readonly PriorityInfo[],
    ranks: readonly RankTargets[],
    alerts: readonly CompiledAlert[],
    fill: (batch: BatchWriter) => void,
    measured: readonly boolean[] | undefined,
    memory: BatchMemory,
    owner: boolean,
  ) {
    const writer = new BatchWriter(n, alerts, measured, ranks, memory);
    fill(writer);
    this.#memory = memory;
    if (owner) memory.own(this);
    else BatchMemory.group(this);
    this.length = n;
    this.now = new Date(now);
    this.ids = Object.freeze(writer.ids);
    Object.defineProperty(this, "priorityRank", EvaluationBatch.#rowsProperties.priorityRank);
    Object.defineProperty(this, "nextAlertAt", EvaluationBatch.#rowsProperties.nextAlertAt);
    this.alertThresholds = Object.freeze(alerts.map((a) => a.threshold));
    this.#priorities = priorities;
    this.#rows = writer;
    const properties = EvaluationBatch.#columnsProperties;
    Object.defineProperty(this, "response", properties[0]!);
    Object.defineProperty(this, "resolution", properties[1]!);
    Object.defineProperty(this, "nextReply", properties[2]!);
    Object.defineProperty(this, "periodicUpdate", properties[3]!);
    this.failures = Object.freeze(writer.failures);
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
    this.#usable();
    return this.#rows.priorityRank[ticketIndex(i, this.length)] === -1;
  }

  /** Throws when another call reuses the batch's memory (see BatchMemory). */
  #usable(): void {
    if (this.#memory.spent) throw batchReusedError();
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
    if (this.isFailure(i)) return failureAt(this.failures, i);
    return ticketAt(this.#rows, i, this.now.getTime(), this.#priorities);
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
export class BatchWriter extends TicketColumns {
  readonly failures: TicketFailure[] = [];

  /** Records ticket `i` as failed; tickets must fail in index order. */
  fail(i: number, id: string | number | null, problem: TicketProblem): void {
    // `ids` keep the id as the ticket gives it (8, not "8"); the failure's `id` is its text.
    this.clear(i, id);
    this.#record(i, id, problem);
  }

  /**
   * Records ticket `i` as failed whose row another thread cleared (see replay-threads.ts); its id
   * is in `ids` already. Failures may then come out of index order: see {@link BatchWriter.orderFailures}.
   */
  failedElsewhere(i: number, problem: TicketProblem): void {
    this.#record(i, this.ids[i] ?? null, problem);
  }

  #record(i: number, id: string | number | null, problem: TicketProblem): void {
    this.failures.push(new BatchFailure(i, id === null ? null : String(id), problem));
  }

  /** Puts the failures in index order (a shared replay records them as the threads finish). */
  orderFailures(): void {
    const failures = this.failures;
    for (let k = 1; k < failures.length; k++) {
      if ((failures[k - 1] as TicketFailure).index > (failures[k] as TicketFailure).index) {
        failures.sort((a, b) => a.index - b.index);
        return;
      }
    }
  }
}

/**
 * Checks a ticket index of a batch of `length`: an index outside it is a typed error, not
 * `undefined`.
 * @internal
 */
export function ticketIndex(i: number, length: number): number {
  if (!Number.isInteger(i) || i < 0 || i >= length) {
    throw new SlaClockError(
      "INVALID_ARGUMENT",
      `index: ${showValue(i)} is not a ticket of the batch; use a whole number in 0…${length - 1}`,
      { value: i, path: "index" },
    );
  }
  return i;
}

/**
 * The failure of ticket `i`: `failures` is in index order, so a binary search (no map to keep).
 * @internal
 */
export function failureAt(failures: readonly TicketFailure[], i: number): TicketFailure {
  let lo = 0;
  let hi = failures.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((failures[mid] as TicketFailure).index < i) lo = mid + 1;
    else hi = mid;
  }
  return failures[lo] as TicketFailure;
}
