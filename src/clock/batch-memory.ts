import { SlaClockError } from "../errors";
import { newBatchBuffer } from "./batch-buffer";

/*
 * The memory of a batch's rows, and its reuse by the next batch (`evaluateMany` and
 * `evaluateAcross` with `{ reuse }`).
 *
 * A batch of a million tickets writes 100–300 MB of columns and records, all of it memory the
 * process has not touched before. On the bench machine touching it costs far more than writing it
 * (about 3 ms a MB in the kernel's page faults); and where new batch memory is `ArrayBuffer`s (past
 * the shared bound of batch-buffer.ts), V8 answers every 64 MB of it with a full collection of the
 * caller's heap (for a service holding a million tickets, marking all of them). A service that
 * evaluates its queue again and again can hand the batch it no longer needs to the next call
 * instead: that call writes into the same buffers, which are not new to the kernel. The four-metric
 * benchmark took 3.6–3.9 s a call in new memory and 2.9–3.0 s in the previous batch's
 * (bench/RESULTS.md).
 *
 * The batch given up is spent: its columns, rows and iteration throw `BATCH_REUSED`. Arrays taken
 * from it before it was given up are views of memory the new batch now owns (and show its values),
 * or of memory it did not take (and keep stale values).
 */

/**
 * The buffers one batch (or one `evaluateAcross` call: all its batches) writes its columns and
 * records into, taken over from a spent batch where it can.
 * @internal
 */
export class BatchMemory {
  /** The buffers handed out, for the batch that reuses this one. */
  readonly #buffers: ArrayBuffer[] = [];
  /** The spent batch's buffers not handed out yet, largest last (none once the call is over). */
  #freeBuffers: ArrayBuffer[];
  #spent = false;

  private constructor(donor: BatchMemory | undefined) {
    if (donor === undefined) {
      this.#freeBuffers = [];
      return;
    }
    donor.#spent = true;
    this.#freeBuffers = donor.#buffers.sort((a, b) => a.byteLength - b.byteLength);
  }

  /**
   * The memory for a call's batch: that of `reuse` (a batch from evaluateMany or evaluateAcross,
   * which is then spent), or none to reuse. `path` names the option in errors.
   */
  static forCall(reuse: unknown, path: string): BatchMemory {
    if (reuse === undefined) return new BatchMemory(undefined);
    const batch = typeof reuse === "object" && reuse !== null ? reuse : undefined;
    const memory = batch === undefined ? undefined : owners.get(batch);
    if (memory === undefined) {
      const group = batch !== undefined && groupBatches.has(batch);
      throw new SlaClockError(
        "INVALID_ARGUMENT",
        group
          ? `${path}: this batch is one group of an evaluateAcross result, whose groups share their memory; reuse the whole result (the AcrossBatch)`
          : `${path}: expected a batch from evaluateMany or evaluateAcross`,
        { path },
      );
    }
    if (memory.#spent)
      throw new SlaClockError(
        "BATCH_REUSED",
        `${path}: this batch's memory was already given to another call; reuse the batch that call returned`,
        { path },
      );
    return new BatchMemory(memory);
  }

  /** Whether the memory went to another batch (its batch is spent). */
  get spent(): boolean {
    return this.#spent;
  }

  /**
   * `size` bytes at the start of a buffer: a spent batch's (the smallest large enough, and at most
   * twice as large: a queue that shrank should not keep the large buffers alive), zeroed unless
   * `zero` is false (for records, which are written in full before they are read), else a new one
   * (`parts`: see newBatchBuffer).
   */
  buffer(size: number, zero = true, parts?: readonly number[]): ArrayBuffer {
    const free = this.#freeBuffers;
    let buffer: ArrayBuffer | undefined;
    for (let k = 0; k < free.length; k++) {
      const candidate = free[k] as ArrayBuffer;
      if (candidate.byteLength > 2 * size) break;
      if (candidate.byteLength >= size) {
        buffer = candidate;
        free.splice(k, 1);
        if (zero) new Uint8Array(buffer, 0, size).fill(0);
        break;
      }
    }
    buffer ??= newBatchBuffer(size, parts);
    this.#buffers.push(buffer);
    return buffer;
  }

  /**
   * Lets go of the spent batch's memory that the call did not take, once it has written its batch:
   * a batch of ten tickets made in the memory of a million would otherwise keep all of it. What was
   * handed out stays this memory's, for the call that reuses its batch.
   */
  settle(): void {
    this.#freeBuffers = [];
  }

  /** Registers `batch` as the owner of this memory: it can be passed as `reuse`. */
  own(batch: object): void {
    owners.set(batch, this);
  }

  /** Registers `batch` as one group of an evaluateAcross result (not reusable alone). */
  static group(batch: object): void {
    groupBatches.add(batch);
  }
}

/** The memory of each batch that can be reused: evaluateMany's batches and evaluateAcross's results. */
const owners = new WeakMap<object, BatchMemory>();
/** The batches of evaluateAcross's groups, for a precise error when one is passed as `reuse`. */
const groupBatches = new WeakSet<object>();

/**
 * The error a spent batch's columns, rows and iteration throw.
 * @internal
 */
export function batchReusedError(): SlaClockError {
  return new SlaClockError(
    "BATCH_REUSED",
    "this batch was passed as `reuse` to a later call, which now owns its memory; read the batch that call returned",
    {},
  );
}
