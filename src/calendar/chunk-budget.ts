/**
 * The process-wide budget for the typed arrays of built index chunks (issue 20). Each calendar
 * keeps at most 48 years, but a service with 100 000 customer calendars would still keep gigabytes:
 * this budget bounds the sum over every calendar of the process. When the built chunks exceed it,
 * the least recently used ones, whatever calendar they belong to, are dropped; their owner builds
 * them again on demand (the year's total open time stays known), so a dropped chunk costs time,
 * never an answer.
 *
 * The budget holds each counted chunk and the shelf it sits on (./interval-index.ts keeps its chunks
 * on a shelf), never the calendar: a calendar that the application drops is collected at once, and
 * its chunks, still counted and no longer used, go as the least recently used ones.
 */
import type { Chunk } from "./interval-index";

/**
 * Where an index keeps its built chunks, and its last-used one. The budget holds the shelf, not the
 * index: a calendar the application drops is collected at once, and its chunks (counted, so
 * bounded) are let go on the budget's next pass.
 * @internal
 */
export abstract class ChunkShelf {
  /** The chunk read last (the fast path of an instant lookup). */
  last: Chunk | undefined;
  /** How many chunks are on the shelf. */
  live = 0;
  /** The chunk of a year, if built. */
  abstract get(year: number): Chunk | undefined;
  protected abstract put(year: number, chunk: Chunk | undefined): void;

  /** Puts a chunk just built on the shelf and counts it against the budget. */
  add(chunk: Chunk): void {
    this.put(chunk.year, chunk);
    this.live++;
    countChunk(this, chunk);
  }

  /** Lets a chunk go (it is rebuilt on demand); `false` when it is not on the shelf. */
  drop(chunk: Chunk): boolean {
    if (this.get(chunk.year) !== chunk) return false;
    this.put(chunk.year, undefined);
    if (this.last === chunk) this.last = undefined;
    chunk.dropped = true;
    this.live--;
    recycler?.quarantine(chunk.starts.buffer as ArrayBuffer);
    return true;
  }

  /** The least recently used chunk on the shelf. */
  abstract oldest(): Chunk | undefined;
}

/** A shelf with a slot per supported year, for the shared base indexes (lookups are array reads). @internal */
export class YearArrayShelf extends ChunkShelf {
  readonly #slots: (Chunk | undefined)[];
  readonly #first: number;

  constructor(first: number, years: number) {
    super();
    this.#first = first;
    this.#slots = new Array<Chunk | undefined>(years).fill(undefined);
  }

  get(year: number): Chunk | undefined {
    return this.#slots[year - this.#first];
  }

  protected put(year: number, chunk: Chunk | undefined): void {
    this.#slots[year - this.#first] = chunk;
  }

  oldest(): Chunk | undefined {
    let oldest: Chunk | undefined;
    for (const c of this.#slots)
      if (c !== undefined && (oldest === undefined || c.lastUse < oldest.lastUse)) oldest = c;
    return oldest;
  }

  get chunks(): Chunk[] {
    return this.#slots.filter((c): c is Chunk => c !== undefined);
  }
}

/** A shelf of a few years in a small array, for a calendar's own chunks (a few bytes when empty). @internal */
export class YearListShelf extends ChunkShelf {
  readonly #list: Chunk[] = [];

  get(year: number): Chunk | undefined {
    for (const c of this.#list) if (c.year === year) return c;
    return undefined;
  }

  protected put(year: number, chunk: Chunk | undefined): void {
    const at = this.#list.findIndex((c) => c.year === year);
    if (chunk === undefined) {
      if (at >= 0) this.#list.splice(at, 1);
    } else if (at >= 0) this.#list[at] = chunk;
    else this.#list.push(chunk);
  }

  oldest(): Chunk | undefined {
    let oldest: Chunk | undefined;
    for (const c of this.#list) if (oldest === undefined || c.lastUse < oldest.lastUse) oldest = c;
    return oldest;
  }

  get chunks(): Chunk[] {
    return [...this.#list];
  }
}

interface Entry {
  readonly shelf: ChunkShelf;
  readonly chunk: Chunk;
  readonly bytes: number;
}

/** Default of `configureCaches({ indexBytes })`: 64 MiB of typed arrays over all calendars. */
export const DEFAULT_INDEX_BYTES = 64 * 1024 * 1024;

let budget = DEFAULT_INDEX_BYTES;
let counted = 0;
let entries: Entry[] = [];
let tick = 0;

/** A new use stamp: larger is more recent, across every calendar of the process. @internal */
export function useStamp(): number {
  return ++tick;
}

/** The bytes of a chunk's typed arrays (of its one buffer, when they are cut from one). @internal */
export function chunkByteLength(c: Chunk): number {
  if (c.starts.buffer === c.dayFirst.buffer) return c.starts.buffer.byteLength;
  return c.starts.byteLength + c.ends.byteLength + c.cum.byteLength + c.owners.byteLength + c.dayFirst.byteLength;
}

/**
 * Counts a chunk just built against the budget, and drops the least recently used chunks of any
 * calendar while the budget is exceeded. The new chunk itself is never dropped here: its owner is
 * about to use it.
 * @internal
 */
function countChunk(shelf: ChunkShelf, chunk: Chunk): void {
  const bytes = chunkByteLength(chunk);
  entries.push({ shelf, chunk, bytes });
  counted += bytes;
  if (counted > budget) shrink(chunk);
}

/**
 * Drops chunks, oldest use first, until at most three quarters of the budget is counted (so that
 * the sort is paid once per many builds). Entries of chunks that their owner dropped itself (its
 * own limit of years) are forgotten first.
 */
function shrink(keep: Chunk | undefined): void {
  const live = recount();
  const target = Math.floor(budget * 0.75);
  if (counted > target) {
    live.sort((a, b) => a.chunk.lastUse - b.chunk.lastUse);
    let k = 0;
    for (; k < live.length && counted > target; k++) {
      const { chunk, shelf, bytes } = live[k]!;
      if (chunk === keep) continue;
      shelf.drop(chunk);
      chunk.dropped = true;
      counted -= bytes;
    }
  }
  entries = live.filter((l) => !l.chunk.dropped);
}

/** Forgets the entries of chunks their owner dropped itself and counts the rest. */
function recount(): Entry[] {
  entries = entries.filter((e) => !e.chunk.dropped);
  counted = 0;
  for (const e of entries) counted += e.bytes;
  return entries;
}

/**
 * Sets the budget in bytes (0: only the chunk built last is kept, until the next build); lowering
 * it drops the least recently used chunks at once.
 * @internal
 */
export function setIndexBytes(bytes: number): void {
  budget = bytes;
  if (counted > budget) shrink(undefined);
}

/** The budget in force and the bytes counted now (chunks of collected calendars included until the next pass). @internal */
export function indexBytesUsage(): { limit: number; size: number } {
  recount();
  return { limit: budget, size: counted };
}

/*
 * Recycling the buffers of dropped chunks (issue 20). `evaluateAcross` over thousands of customer
 * calendars patches a year of its own for most of them, and the budget drops most of those years
 * again within the same call (10 000 calendars: about 17 000 years of 16 KB, against 64 MiB). Each
 * new buffer is external memory, and V8 answers every 64 MB of it with a full collection of the
 * whole heap (the caller's million tickets): allocating them was a large part of such a call. Within
 * {@link withChunkRecycling}, the buffers of dropped own years (only those: made by
 * {@link chunkBuffer}, never shared with anything else) are kept and given to the next years built.
 *
 * A dropped chunk may still be read by the walk that is running when the budget drops it (a walk
 * holds the chunk it is in while it builds the next year), so its buffer is only quarantined at
 * first, and handed out again after {@link chunkRecyclingSafePoint}, which a caller calls where no
 * walk can be on the stack (evaluateAcross: between two policies' batches; walks never call the
 * application's code). The one reader that keeps a chunk across the application's code, the
 * open-interval iterator (./index-walk.ts), fetches its year again when it finds its chunk dropped.
 * Outside the scope nothing is recycled: a dropped buffer is left to the collector, as before.
 */

/** Own years' buffers are sized in steps of this many bytes, so that similar years can share them. */
const BUFFER_STEP = 256;
/** A recycled buffer may be this many steps larger than asked for (a year with a few intervals less). */
const LARGER_STEPS = 8;
/** Buffers made by {@link chunkBuffer}: those of an overlay's own years, and nothing else. */
const recyclable = new WeakSet<ArrayBuffer>();

class Recycler {
  /** Buffers of chunks dropped since the last safe point (they may still be read). */
  #quarantined: ArrayBuffer[] = [];
  #quarantinedBytes = 0;
  /** Buffers free for new chunks, by size. */
  readonly #free = new Map<number, ArrayBuffer[]>();
  #freeBytes = 0;

  /** At most this many bytes wait or lie free (the rest is left to the collector). */
  get #limit(): number {
    return Math.max(budget / 2, 1 << 20);
  }

  quarantine(buffer: ArrayBuffer): void {
    if (!recyclable.has(buffer) || this.#quarantinedBytes + buffer.byteLength > this.#limit) return;
    // Handed out at most once: a buffer that came back is not recyclable until it is given out again.
    recyclable.delete(buffer);
    this.#quarantined.push(buffer);
    this.#quarantinedBytes += buffer.byteLength;
  }

  release(): void {
    for (const buffer of this.#quarantined) {
      if (this.#freeBytes + buffer.byteLength > this.#limit) break;
      const list = this.#free.get(buffer.byteLength);
      if (list === undefined) this.#free.set(buffer.byteLength, [buffer]);
      else list.push(buffer);
      this.#freeBytes += buffer.byteLength;
    }
    this.#quarantined = [];
    this.#quarantinedBytes = 0;
  }

  take(size: number): ArrayBuffer | undefined {
    for (let k = 0; k <= LARGER_STEPS; k++) {
      const buffer = this.#free.get(size + k * BUFFER_STEP)?.pop();
      if (buffer !== undefined) {
        this.#freeBytes -= buffer.byteLength;
        return buffer;
      }
    }
    return undefined;
  }
}

let recycler: Recycler | undefined;

/**
 * Runs `work` with the buffers of dropped own years recycled (see above); nested calls share the
 * outer scope. Synchronous only: the kept buffers are let go when `work` returns.
 * @internal
 */
export function withChunkRecycling<T>(work: () => T): T {
  if (recycler !== undefined) return work();
  recycler = new Recycler();
  try {
    return work();
  } finally {
    recycler = undefined;
  }
}

/**
 * Declares that no walk over any index is running (nothing between the caller and the application
 * holds a chunk): the buffers dropped so far may be handed out again.
 * @internal
 */
export function chunkRecyclingSafePoint(): void {
  recycler?.release();
}

/**
 * A buffer of at least `bytes` (rounded up to a step, at most 2 KB more when recycled) for a chunk
 * of an overlay's own: a recycled one inside {@link withChunkRecycling} when one is free, else a new
 * one (zero-filled only when new: the caller writes every byte it reads).
 * @internal
 */
export function chunkBuffer(bytes: number): ArrayBuffer {
  const size = Math.ceil(bytes / BUFFER_STEP) * BUFFER_STEP;
  const buffer = recycler?.take(size) ?? new ArrayBuffer(size);
  recyclable.add(buffer);
  return buffer;
}
