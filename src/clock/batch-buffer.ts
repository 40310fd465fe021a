/*
 * New memory for batches: the columns, row indexes and records of `evaluateMany` and
 * `evaluateAcross` results, and the ticket store `evaluateAcross` reads into.
 *
 * V8 counts every `ArrayBuffer` as external memory and, for each 64 MiB of it allocated since its
 * last full collection, starts another one, whatever the size of the heap: a service holding a
 * million tickets (half a gigabyte of objects) paid 0.35–0.5 s of marking them for every batch of
 * a million rows (two collections for `evaluateAcross`'s first call, whose ticket store is new
 * too). A `SharedArrayBuffer` is not counted (V8 leaves shared memory to the embedder, since
 * several isolates may hold it), so a batch's memory comes from one where the runtime has it (Node;
 * a browser page only when it is cross-origin isolated). Memory that V8 does not count is memory
 * it will not collect early either: what such buffers hold is bounded here, by
 * `configureCaches({ sharedBatchBytes })`. A buffer counts against the bound from its allocation
 * until V8 has collected it and the event loop has run the finalizer that says so; beyond the
 * bound, batches get `ArrayBuffer`s again (counted, and so collected as before) until it has room.
 * Only buffers of {@link SHARED_FROM_BYTES} or more are shared: the collections are a cost of large
 * batches, and a stream of small ones (the CLI evaluates 4 000 rows at a time) would otherwise
 * leave its garbage uncounted until the bound (the CLI's peak RSS grew from 127 to 220 MB on a
 * million rows).
 *
 * A column backed by a `SharedArrayBuffer` reads and writes like any other typed array. Two
 * differences show: its `buffer` is a `SharedArrayBuffer`, and `postMessage` shares it with the
 * receiver instead of copying it (it cannot be in a transfer list). docs/performance.md says so.
 */

import { mapPagesAhead } from "./batch-pages";

/** The runtime's `SharedArrayBuffer`, if it has one. */
const Shared: SharedArrayBufferConstructor | undefined =
  typeof SharedArrayBuffer === "function" ? SharedArrayBuffer : undefined;

/** Default of `configureCaches({ sharedBatchBytes })`: a few large batches' worth. */
const DEFAULT_SHARED_BATCH_BYTES = 512 * 1024 * 1024;

/** The smallest buffer made shared: smaller ones are `ArrayBuffer`s, counted and collected as usual. */
const SHARED_FROM_BYTES = 1024 * 1024;

let sharedLimit = DEFAULT_SHARED_BATCH_BYTES;
/** Bytes of the shared buffers allocated here that no finalizer has reported collected yet. */
let sharedBytes = 0;
/** Reports each shared buffer's bytes once V8 has collected it; never keeps a buffer alive. */
const collected: FinalizationRegistry<number> | undefined =
  Shared !== undefined && typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<number>((bytes) => {
        sharedBytes -= bytes;
      })
    : undefined;

/**
 * `bytes` zeroed bytes of new memory for a batch: shared (uncounted by V8) while the bound allows,
 * else an `ArrayBuffer`. Typed as `ArrayBuffer`: a `SharedArrayBuffer` is used through the same
 * typed-array views, and nothing here transfers or detaches a batch's memory. A large shared one
 * is handed to the helper thread that maps its pages ahead of the call (batch-pages.ts); `parts`
 * says where the columns that the call writes side by side start (by default, one written from
 * its start).
 * @internal
 */
export function newBatchBuffer(bytes: number, parts: readonly number[] = FROM_THE_START): ArrayBuffer {
  if (Shared === undefined || collected === undefined || bytes < SHARED_FROM_BYTES || sharedBytes + bytes > sharedLimit)
    return new ArrayBuffer(bytes);
  const buffer = new Shared(bytes);
  sharedBytes += bytes;
  collected.register(buffer, bytes);
  mapPagesAhead(buffer, parts);
  return buffer as unknown as ArrayBuffer;
}

/** The parts of a buffer written from its start: one. */
const FROM_THE_START: readonly number[] = Object.freeze([0]);

/** A zeroed `Float64Array` of `n` elements in new batch memory. @internal */
export function batchFloat64(n: number): Float64Array {
  return new Float64Array(newBatchBuffer(8 * n), 0, n);
}

/** A zeroed `Int32Array` of `n` elements in new batch memory. @internal */
export function batchInt32(n: number): Int32Array {
  return new Int32Array(newBatchBuffer(4 * n), 0, n);
}

/** A zeroed `Uint8Array` of `n` elements in new batch memory. @internal */
export function batchUint8(n: number): Uint8Array {
  return new Uint8Array(newBatchBuffer(n), 0, n);
}

/** Sets the bound on shared batch memory not yet collected (`configureCaches`). @internal */
export function setSharedBatchBytes(limit: number): void {
  sharedLimit = limit;
}

/**
 * The bound, and the bytes of shared batch memory allocated and not yet reported collected (live
 * batches, and dropped ones V8 has not collected or whose finalizer has not run). 0 bytes and no
 * effect where the runtime has no `SharedArrayBuffer`. @internal
 */
export function sharedBatchUsage(): { readonly limit: number; readonly size: number } {
  return { limit: sharedLimit, size: sharedBytes };
}
