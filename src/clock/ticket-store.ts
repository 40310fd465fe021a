import { batchFloat64, batchInt32, batchUint8 } from "./batch-buffer";
import type { PriorityId } from "../policy/spec";
import type { TicketReader } from "./ticket";

/*
 * Tickets read once, for many policies. `evaluateAcross` replays each policy's tickets as one
 * batch, so it visits the caller's tickets in policy order: scattered over the caller's heap (a
 * ticket, its id, its events and their instants are a dozen objects), each visit a run of cache
 * misses. Validating a million tickets that way cost more than replaying them. The store reads
 * them once in the caller's order, which memory prefetching follows, into a few flat arrays laid
 * out in policy order, and each batch then loads its tickets from consecutive slots of those.
 *
 * Only what does not depend on the policy is stored: a ticket whose instants are epoch ms or Dates
 * (an offset-less string is wall time in the policy's zone) and that is well formed. Its priority
 * ids are kept as given and looked up in each policy's table at load. Anything else is not stored
 * and is read from the caller's object against its policy, as `evaluateMany` reads it, so that a
 * bad ticket's error (which problem, in which order) is exactly the one `evaluate` gives.
 *
 * A ticket's events are read in the caller's order too, into staging arrays, and then gathered into
 * slot order in one tight pass: each batch's replay then reads them front to back. Left in the
 * caller's order, every ticket's events were a cache miss at load, in the middle of its replay
 * (about a tenth of a million-ticket call); the gather's reads are independent of each other, so
 * the processor overlaps their misses.
 *
 * The store is kept for the next call (up to a limit). On this machine a megabyte of memory the
 * process has not touched before costs about 3 ms to touch (the kernel's page faults), far more
 * than writing it; a fresh store for a million tickets is 60–100 MB of such memory on every call,
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
 * How `evaluateAcross` groups the tickets by policy: ticket `i` is in group `group[i]` (-1: none)
 * at place `place[i]`, and group `g`'s tickets take places from `first[g]` on, one after another,
 * of the grouped order (the groups in the order they are evaluated, not necessarily by number);
 * `first` has one more element, the number of places.
 * @internal
 */
export interface Grouping {
  readonly group: Int32Array;
  readonly place: Int32Array;
  readonly first: Int32Array;
}

/**
 * Tickets read by {@link TicketReader.checkAlone}, in flat arrays indexed by slot: ticket `i` of
 * the caller's list is in the slot of its place in the grouped order (see {@link Grouping}), the
 * order the batches load them in, so that each batch reads the arrays front to back; a slot holds
 * a ticket when `has(slot)`. The arrays may be longer than the list (a store kept from a larger
 * call); only the slots of the last read are meaningful.
 * @internal
 */
export class TicketStore {
  /** Ids and priority ids as given: values of the caller's, let go of by {@link TicketStore.release}. */
  readonly ids: (string | number)[];
  readonly priorities: PriorityId[];
  readonly createdAt: Float64Array;
  /**
   * The events of the ticket in a slot are `kinds`/`times` from its `eventStart` to its `eventEnd`,
   * in slot order (a ticket's events follow those of the slot before).
   */
  readonly eventStart: Int32Array;
  readonly eventEnd: Int32Array;
  kinds: Uint8Array;
  times: Float64Array;
  /** The events as read, in the caller's order, before {@link TicketStore.#gather} (as long as `kinds`). */
  #readKinds: Uint8Array;
  #readTimes: Float64Array;
  /**
   * The ids of all `priority` events, in the caller's order; a slot's start here at its
   * `priorityStart` (-1: not stored).
   */
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
    this.createdAt = batchFloat64(capacity);
    this.eventStart = batchInt32(capacity);
    this.eventEnd = batchInt32(capacity);
    this.priorityStart = batchInt32(capacity);
    // Two events a ticket to start with; more as needed (see #roomFor).
    this.kinds = batchUint8(2 * capacity + 16);
    this.times = batchFloat64(2 * capacity + 16);
    this.#readKinds = batchUint8(this.kinds.length);
    this.#readTimes = batchFloat64(this.kinds.length);
  }

  /** Bytes of the store's arrays (a slot of a plain array as 8). */
  get bytes(): number {
    return (
      8 * (this.ids.length + this.priorities.length + this.eventPriorities.length) +
      this.createdAt.byteLength +
      this.eventStart.byteLength +
      this.eventEnd.byteLength +
      this.priorityStart.byteLength +
      2 * (this.kinds.byteLength + this.times.byteLength)
    );
  }

  /**
   * Reads every ticket of `list` that can be read once for every policy, ticket `i` into slot
   * `first[group[i]] + place[i]` (its place among the tickets grouped by policy; a group of -1
   * leaves the ticket unread), into the kept store when it has room (it is then not kept until
   * {@link TicketStore.release}: a call made meanwhile, from a getter of a ticket, gets a store of
   * its own). The list is read in its own order, which memory prefetching follows, and its events
   * are read into the read arrays in that order; the slots are written in any. Reading an element of `list` that
   * throws (a Proxy) leaves its slot unstored, to fail when its policy reads it. The events are
   * then gathered into slot order.
   */
  static read(list: readonly unknown[], reader: TicketReader, grouping: Grouping): TicketStore {
    const n = list.length;
    let store = kept;
    kept = undefined;
    if (store === undefined || store.#capacity < n) store = new TicketStore(n);
    store.#length = n;
    const { ids, priorities, createdAt, eventStart, eventEnd, priorityStart, eventPriorities } = store;
    const { group, place, first } = grouping;
    eventPriorities.length = 0;
    priorityStart.fill(-1, 0, n);
    let events = 0;
    for (let i = 0; i < n; i++) {
      const g = group[i] as number;
      if (g < 0) continue;
      const slot = (first[g] as number) + (place[i] as number);
      let ticket: unknown;
      try {
        ticket = list[i];
      } catch {
        continue;
      }
      if (!reader.checkAlone(ticket)) continue;
      const count = reader.count;
      if (events + count > store.kinds.length) store.#roomFor(events + count);
      const kinds = store.#readKinds;
      const times = store.#readTimes;
      eventStart[slot] = events;
      for (let k = 0; k < count; k++, events++) {
        kinds[events] = reader.kinds[k] as number;
        times[events] = reader.times[k] as number;
      }
      eventEnd[slot] = events;
      priorityStart[slot] = eventPriorities.length;
      const raw = reader.rawPriorities;
      for (let k = 0; k < raw.length; k++) eventPriorities.push(raw[k] as PriorityId);
      ids[slot] = reader.rawId;
      createdAt[slot] = reader.createdAt;
      priorities[slot] = reader.rawPriority;
    }
    store.#gather(first[first.length - 1] as number);
    return store;
  }

  /**
   * Moves the events of slots 0 to `slots - 1` from the read arrays (caller's order) into `kinds`
   * and `times` in slot order, and points each stored slot's `eventStart`/`eventEnd` at them.
   */
  #gather(slots: number): void {
    const { eventStart, eventEnd, priorityStart, kinds, times } = this;
    const readKinds = this.#readKinds;
    const readTimes = this.#readTimes;
    let to = 0;
    for (let slot = 0; slot < slots; slot++) {
      if ((priorityStart[slot] as number) < 0) continue;
      const from = eventStart[slot] as number;
      const end = eventEnd[slot] as number;
      eventStart[slot] = to;
      for (let e = from; e < end; e++, to++) {
        kinds[to] = readKinds[e] as number;
        times[to] = readTimes[e] as number;
      }
      eventEnd[slot] = to;
    }
  }

  /** Whether a ticket is stored in `slot` (otherwise it must be read from the caller's list). */
  has(slot: number): boolean {
    return (this.priorityStart[slot] as number) >= 0;
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

  /**
   * Room for `events` events in all (half as much again, at least), keeping those read so far; the
   * slot-order arrays are only written by {@link TicketStore.#gather}, after the read.
   */
  #roomFor(events: number): void {
    const length = Math.max(events, Math.ceil(this.kinds.length * 1.5));
    const readKinds = batchUint8(length);
    readKinds.set(this.#readKinds);
    const readTimes = batchFloat64(length);
    readTimes.set(this.#readTimes);
    this.#readKinds = readKinds;
    this.#readTimes = readTimes;
    this.kinds = batchUint8(length);
    this.times = batchFloat64(length);
  }
}
