import type { PriorityId } from "../policy/spec";
import type { TicketReader } from "./ticket";

/*
 * Tickets read once, for many policies. `evaluateAcross` replays each policy's tickets as one
 * batch, so it visits the caller's tickets in policy order: scattered over the caller's heap (a
 * ticket, its id, its events and their instants are a dozen objects), each visit a run of cache
 * misses. Validating a million tickets that way cost more than replaying them. The store reads
 * them once in the caller's order, which memory prefetching follows, into a few flat arrays, and
 * each batch then loads its tickets from those.
 *
 * Only what does not depend on the policy is stored: a ticket whose instants are epoch ms or Dates
 * (an offset-less string is wall time in the policy's zone) and that is well formed. Its priority
 * ids are kept as given and looked up in each policy's table at load. Anything else is not stored
 * and is read from the caller's object against its policy, as `evaluateMany` reads it, so that a
 * bad ticket's error (which problem, in which order) is exactly the one `evaluate` gives.
 *
 * The store is kept for the next call (up to a limit). On this machine a megabyte of memory the
 * process has not touched before costs about 3 ms to touch (the kernel's page faults), far more
 * than writing it; a fresh store for a million tickets was 50–80 MB of such memory on every call,
 * and as plain arrays on V8's heap (typed arrays were worse: each 64 MiB of new `ArrayBuffer`s
 * starts a full collection of the caller's heap) it also grew the heap the collector marks. A kept
 * store's typed arrays are touched once, allocated once, and are not on the heap.
 */

/** Default of `configureCaches({ ticketStoreBytes })`: the largest store kept between calls. */
export const DEFAULT_TICKET_STORE_BYTES = 128 * 1024 * 1024;

/** The store kept for the next call, and the limit on its bytes. */
let kept: TicketStore | undefined;
let keptLimit = DEFAULT_TICKET_STORE_BYTES;

/**
 * Sets the largest store kept between calls, in bytes (0: none is kept), dropping the kept one if
 * it is larger.
 * @internal
 */
export function setTicketStoreBytes(limit: number): void {
  keptLimit = limit;
  if (kept !== undefined && kept.bytes > limit) kept = undefined;
}

/** The kept store's bytes, and the limit. @internal */
export function ticketStoreUsage(): { readonly limit: number; readonly size: number } {
  return { limit: keptLimit, size: kept === undefined ? 0 : kept.bytes };
}

/** The store kept for the next call, if any (for tests: it must hold none of a caller's values). @internal */
export function keptTicketStore(): TicketStore | undefined {
  return kept;
}

/**
 * Tickets read by {@link TicketReader.checkAlone}, in flat arrays indexed by the ticket's place in
 * the caller's list: slot `i` is ticket `i`, stored when `has(i)`. The arrays may be longer than
 * the list (a store kept from a larger call); only the list's slots are meaningful.
 * @internal
 */
export class TicketStore {
  /** Ids and priority ids as given: values of the caller's, let go of by {@link TicketStore.release}. */
  readonly ids: (string | number)[];
  readonly priorities: PriorityId[];
  readonly createdAt: Float64Array;
  /** Ticket `i`'s events are `kinds`/`times` from `eventStart[i]` to `eventStart[i + 1]`. */
  readonly eventStart: Int32Array;
  kinds: Uint8Array;
  times: Float64Array;
  /** The ids of all `priority` events, in order; ticket `i`'s start here at `priorityStart[i]` (-1: not stored). */
  readonly eventPriorities: PriorityId[] = [];
  readonly priorityStart: Int32Array;
  /** Tickets the arrays have room for. */
  readonly #capacity: number;
  /** Tickets of the last read (the slots {@link TicketStore.release} clears). */
  #length = 0;

  private constructor(capacity: number) {
    this.#capacity = capacity;
    this.ids = new Array<string | number>(capacity).fill("");
    this.priorities = new Array<PriorityId>(capacity).fill(0);
    this.createdAt = new Float64Array(capacity);
    this.eventStart = new Int32Array(capacity + 1);
    this.priorityStart = new Int32Array(capacity);
    // Two events a ticket to start with; more as needed (see #roomFor).
    this.kinds = new Uint8Array(2 * capacity + 16);
    this.times = new Float64Array(2 * capacity + 16);
  }

  /** Bytes of the store's arrays (a slot of a plain array as 8). */
  get bytes(): number {
    return (
      8 * (this.ids.length + this.priorities.length + this.eventPriorities.length) +
      this.createdAt.byteLength +
      this.eventStart.byteLength +
      this.priorityStart.byteLength +
      this.kinds.byteLength +
      this.times.byteLength
    );
  }

  /**
   * Reads every ticket of `list` that can be read once for every policy, into the kept store when
   * it has room (it is then not kept until {@link TicketStore.release}: a call made meanwhile, from
   * a getter of a ticket, gets a store of its own). Reading an element of `list` that throws (a
   * Proxy) leaves it unstored, to fail when its policy reads it.
   */
  static read(list: readonly unknown[], reader: TicketReader): TicketStore {
    const n = list.length;
    let store = kept;
    kept = undefined;
    if (store === undefined || store.#capacity < n) store = new TicketStore(n);
    store.#length = n;
    const { ids, priorities, createdAt, eventStart, priorityStart, eventPriorities } = store;
    eventPriorities.length = 0;
    let events = 0;
    for (let i = 0; i < n; i++) {
      eventStart[i] = events;
      priorityStart[i] = -1;
      let ticket: unknown;
      try {
        ticket = list[i];
      } catch {
        continue;
      }
      if (!reader.checkAlone(ticket)) continue;
      const count = reader.count;
      if (events + count > store.kinds.length) store.#roomFor(events + count);
      const { kinds, times } = store;
      for (let k = 0; k < count; k++, events++) {
        kinds[events] = reader.kinds[k] as number;
        times[events] = reader.times[k] as number;
      }
      priorityStart[i] = eventPriorities.length;
      const raw = reader.rawPriorities;
      for (let k = 0; k < raw.length; k++) eventPriorities.push(raw[k] as PriorityId);
      ids[i] = reader.rawId;
      createdAt[i] = reader.createdAt;
      priorities[i] = reader.rawPriority;
    }
    eventStart[n] = events;
    return store;
  }

  /** Whether ticket `i` is stored (otherwise it must be read from the caller's list). */
  has(i: number): boolean {
    return (this.priorityStart[i] as number) >= 0;
  }

  /**
   * Lets go of the caller's values in `store` (ids and priority ids) and keeps it for the next call
   * if it is within the limit. The store must not be used after.
   */
  static release(store: TicketStore): void {
    store.ids.fill("", 0, store.#length);
    store.priorities.fill(0, 0, store.#length);
    store.eventPriorities.length = 0;
    store.#length = 0;
    if (store.bytes <= keptLimit && (kept === undefined || kept.#capacity < store.#capacity)) kept = store;
  }

  /** Room for `events` events in all, keeping those stored (half as much again, at least). */
  #roomFor(events: number): void {
    const length = Math.max(events, Math.ceil(this.kinds.length * 1.5));
    const kinds = new Uint8Array(length);
    kinds.set(this.kinds);
    const times = new Float64Array(length);
    times.set(this.times);
    this.kinds = kinds;
    this.times = times;
  }
}
