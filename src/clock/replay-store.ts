import type { TicketReader } from "./ticket";
import { DEFAULT_TICKET_STORE_BYTES } from "./ticket-store";

/*
 * Tickets read by the calling thread for a replay that another thread shares (replay-threads.ts).
 *
 * A ticket is the caller's object: only the thread that was given it can read it. That thread
 * reads and checks every ticket as `evaluateMany` always has (its `TicketReader.check`, against the
 * policy), and writes what the replay needs into shared arrays, indexed by the ticket's place in
 * the batch: its creation instant, its priority's rank in the policy's table, and its events
 * (kind, instant, and for a priority change the new priority's rank). Ids stay with the caller's
 * thread, which writes them into the batch itself. Another thread then loads a ticket from here
 * into its own reader (`TicketReader.loadStored`) exactly as the caller's thread would have read
 * it.
 *
 * The arrays are kept for the next call (up to `configureCaches({ ticketStoreBytes })`): a million
 * tickets of a few events are about 70 MB, and memory the process has not touched costs more to
 * write the first time than reading the tickets does (see ticket-store.ts).
 */

/** What a shared replay reads of a stored ticket: the arrays, as another thread receives them. @internal */
export interface StoredTicketArrays {
  /** Per ticket: its creation instant (epoch ms). */
  readonly createdAt: Float64Array;
  /** Per ticket: its priority's rank in the policy's table; -1 when it is not stored (it failed its read). */
  readonly rank: Int16Array;
  /** Per ticket: where its events end; they start where the ticket before's end (0 for the first). */
  readonly eventEnd: Int32Array;
  /** Per event: its kind (EventKind), instant, and the rank of a priority event's new priority (else -1). */
  readonly kinds: Uint8Array;
  readonly times: Float64Array;
  readonly eventRank: Int16Array;
}

/** The store kept for the next call, and the limit on its bytes (ticketStoreBytes, as ticket-store.ts's). */
let kept: ReplayStore | undefined;
let keptLimit = DEFAULT_TICKET_STORE_BYTES;

/**
 * Sets the largest replay store kept between calls (`configureCaches({ ticketStoreBytes })`),
 * dropping the kept one if it is larger.
 * @internal
 */
export function setReplayStoreBytes(limit: number): void {
  keptLimit = limit;
  if (kept !== undefined && kept.bytes > limit) kept = undefined;
}

/** The kept replay store's bytes (0 for none). @internal */
export function replayStoreSize(): number {
  return kept === undefined ? 0 : kept.bytes;
}

/**
 * Shared arrays of tickets for a replay split over threads (see the module's comment). The event
 * arrays grow while tickets are written; `grown` is told of each new set, so that another thread
 * already reading the old ones can be handed the new (the old keep every event written before).
 * @internal
 */
export class ReplayStore implements StoredTicketArrays {
  readonly createdAt: Float64Array;
  readonly rank: Int16Array;
  readonly eventEnd: Int32Array;
  kinds: Uint8Array;
  times: Float64Array;
  eventRank: Int16Array;
  /** Events written so far. */
  #events = 0;
  readonly #capacity: number;

  private constructor(capacity: number, events: number) {
    this.#capacity = capacity;
    this.createdAt = new Float64Array(new SharedArrayBuffer(8 * capacity));
    this.rank = new Int16Array(new SharedArrayBuffer(2 * capacity));
    this.eventEnd = new Int32Array(new SharedArrayBuffer(4 * capacity));
    this.kinds = new Uint8Array(new SharedArrayBuffer(events));
    this.times = new Float64Array(new SharedArrayBuffer(8 * events));
    this.eventRank = new Int16Array(new SharedArrayBuffer(2 * events));
  }

  /** A store for `n` tickets: the kept one when it has room (it is then not kept until {@link ReplayStore.release}). */
  static take(n: number): ReplayStore {
    let store = kept;
    kept = undefined;
    if (store === undefined || store.#capacity < n) store = new ReplayStore(n, 4 * n + 16);
    store.#events = 0;
    return store;
  }

  /** Keeps the store for the next call when it is within the limit (and larger than the one kept). */
  static release(store: ReplayStore): void {
    if (store.bytes <= keptLimit && (kept === undefined || kept.#capacity < store.#capacity)) kept = store;
  }

  /** Bytes of the store's arrays. */
  get bytes(): number {
    return 14 * this.#capacity + 11 * this.kinds.length;
  }

  /**
   * Stores ticket `i` as `reader` has just read it (checked against the policy: every priority it
   * names has an entry). `grown` is called with the new arrays when the events did not fit.
   */
  put(i: number, reader: TicketReader, grown: (store: ReplayStore) => void): void {
    const count = reader.count;
    let e = this.#events;
    if (e + count > this.kinds.length) {
      this.#grow(e + count);
      grown(this);
    }
    const { kinds, times, eventRank } = this;
    const readKinds = reader.kinds;
    const readTimes = reader.times;
    const priorities = reader.priorities;
    for (let k = 0; k < count; k++, e++) {
      kinds[e] = readKinds[k] as number;
      times[e] = readTimes[k] as number;
      const entry = priorities[k];
      eventRank[e] = entry === undefined ? -1 : entry.info.rank;
    }
    this.#events = e;
    this.eventEnd[i] = e;
    this.createdAt[i] = reader.createdAt;
    this.rank[i] = reader.priority.info.rank;
  }

  /** Marks ticket `i` as not stored (it failed its read, and is the caller's thread's to report). */
  skip(i: number): void {
    this.eventEnd[i] = this.#events;
    this.rank[i] = -1;
  }

  /** Room for `events` events (half as much again, at least), keeping those written. */
  #grow(events: number): void {
    const length = Math.max(events, Math.ceil(this.kinds.length * 1.5));
    const kinds = new Uint8Array(new SharedArrayBuffer(length));
    const times = new Float64Array(new SharedArrayBuffer(8 * length));
    const eventRank = new Int16Array(new SharedArrayBuffer(2 * length));
    kinds.set(this.kinds.subarray(0, this.#events));
    times.set(this.times.subarray(0, this.#events));
    eventRank.set(this.eventRank.subarray(0, this.#events));
    this.kinds = kinds;
    this.times = times;
    this.eventRank = eventRank;
  }
}
