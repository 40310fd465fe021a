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

/** The bytes of a chunk's typed arrays. @internal */
export function chunkByteLength(c: Chunk): number {
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
 * Sets the budget in bytes (0: no chunk outlives the query that built it); lowering it drops the
 * least recently used chunks at once.
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
