import { DAY_MS } from "../time/civil";
import { END_INSTANT, MIN_INSTANT } from "../time/range";
import { batchFloat64, batchUint8 } from "./batch-buffer";
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

/**
 * A slot's numbers, side by side in {@link TicketStore.slots}: the read writes each ticket's slot
 * at its place in policy order, not the caller's, so each array written per slot was a cache miss
 * per ticket; four numbers in one record of 32 bytes are one.
 * @internal
 */
export const SLOT_WIDTH = 4;
/** The ticket's creation instant (epoch ms). @internal */
export const SLOT_CREATED = 0;
/** Where its events start in `kinds`/`times` (in the read arrays until the gather). @internal */
export const SLOT_EVENT_START = 1;
/** Where its events end. @internal */
export const SLOT_EVENT_END = 2;
/**
 * One more than where its `priority` events' ids start in `eventPriorities`; 0: the slot holds no
 * ticket (so that new memory, which is zero, needs no clearing). @internal
 */
export const SLOT_PRIORITY_FROM = 3;

/** The mean Gregorian year, and the years of the supported range as {@link TicketStore.replayOrder} keys them. */
const MEAN_YEAR_MS = 365.2425 * DAY_MS;
const YEAR_KEYS = Math.ceil((END_INSTANT - MIN_INSTANT) / MEAN_YEAR_MS) + 1;

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
  /**
   * Each slot's numbers, {@link SLOT_WIDTH} a slot: its creation instant, where its events start
   * and end in `kinds`/`times` (in slot order: a ticket's events follow those of the slot before),
   * and one more than where its `priority` events' ids start in `eventPriorities` (0: no ticket).
   */
  readonly slots: Float64Array;
  kinds: Uint8Array;
  times: Float64Array;
  /** The events as read, in the caller's order, before {@link TicketStore.#gather} (as long as `kinds`). */
  #readKinds: Uint8Array;
  #readTimes: Float64Array;
  /** The ids of all `priority` events, in the caller's order (see {@link TicketStore.slots}). */
  readonly eventPriorities: PriorityId[] = [];
  /** Tickets the arrays have room for. */
  readonly #capacity: number;
  /** Tickets of the last read (the slots {@link TicketStore.release} clears). */
  #length = 0;
  /** Whether every slot is empty (new memory, or cleared): a read need not clear them. */
  #empty = true;
  /** {@link TicketStore.replayOrder}'s answer and each slot's key, grown as groups need. */
  #order = new Int32Array(0);
  #keys = new Int32Array(0);
  /** Tickets per key (one per year of the supported range, and one for slots not stored). */
  readonly #perKey = new Int32Array(YEAR_KEYS + 1);

  private constructor(capacity: number) {
    this.#capacity = capacity;
    this.ids = new Array<string | number>(capacity).fill("");
    this.priorities = new Array<PriorityId>(capacity).fill(0);
    this.slots = batchFloat64(SLOT_WIDTH * capacity);
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
      this.slots.byteLength +
      2 * (this.kinds.byteLength + this.times.byteLength)
    );
  }

  /**
   * A store for a call over `n` tickets: the kept one when it has room (it is then not kept until
   * {@link TicketStore.release}: a call made meanwhile, from a getter of a ticket, gets a store of
   * its own), or a new one. Taken before the call groups its tickets, so that a new store's pages
   * are mapped by the page helper (batch-pages.ts) while it does: the read writes its slots in
   * policy order, not the caller's, and would otherwise meet most of those pages first itself.
   */
  static reserve(n: number): TicketStore {
    let store = kept;
    kept = undefined;
    if (store === undefined || store.#capacity < n) store = new TicketStore(n);
    return store;
  }

  /**
   * Reads every ticket of the first `n` of `list` (the `n` of {@link TicketStore.reserve}: those
   * grouped, whatever the list's length is now) that can be read once for every policy, ticket `i`
   * into slot `first[group[i]] + place[i]` (its place among the tickets grouped by policy; a group
   * of -1 leaves the ticket unread). The list is read in its own order, which memory prefetching
   * follows, and its events are read into the read arrays in that order; the slots are written in
   * any. Reading an element of `list` that throws (a Proxy) leaves its slot unstored, to fail when
   * its policy reads it. The events are then gathered into slot order.
   */
  read(list: readonly unknown[], n: number, reader: TicketReader, grouping: Grouping): void {
    this.#length = n;
    const { ids, priorities, slots, eventPriorities } = this;
    const { group, place, first } = grouping;
    eventPriorities.length = 0;
    if (!this.#empty) for (let at = SLOT_PRIORITY_FROM; at < SLOT_WIDTH * n; at += SLOT_WIDTH) slots[at] = 0;
    this.#empty = false;
    let events = 0;
    for (let i = 0; i < n; i++) {
      const g = group[i] as number;
      if (g < 0) continue;
      const slot = (first[g] as number) + (place[i] as number);
      const at = SLOT_WIDTH * slot;
      let ticket: unknown;
      try {
        ticket = list[i];
      } catch {
        continue;
      }
      if (!reader.checkAlone(ticket)) continue;
      const count = reader.count;
      if (events + count > this.kinds.length) this.#roomFor(events + count);
      const kinds = this.#readKinds;
      const times = this.#readTimes;
      slots[at + SLOT_EVENT_START] = events;
      for (let k = 0; k < count; k++, events++) {
        kinds[events] = reader.kinds[k] as number;
        times[events] = reader.times[k] as number;
      }
      slots[at + SLOT_EVENT_END] = events;
      slots[at + SLOT_PRIORITY_FROM] = eventPriorities.length + 1;
      slots[at + SLOT_CREATED] = reader.createdAt;
      const raw = reader.rawPriorities;
      for (let k = 0; k < raw.length; k++) eventPriorities.push(raw[k] as PriorityId);
      ids[slot] = reader.rawId;
      priorities[slot] = reader.rawPriority;
    }
    this.#gather(first[first.length - 1] as number);
  }

  /**
   * Moves the events of slots 0 to `count - 1` from the read arrays (caller's order) into `kinds`
   * and `times` in slot order, and points each stored slot's event start and end at them.
   */
  #gather(count: number): void {
    const { slots, kinds, times } = this;
    const readKinds = this.#readKinds;
    const readTimes = this.#readTimes;
    let to = 0;
    for (let at = 0; at < SLOT_WIDTH * count; at += SLOT_WIDTH) {
      if (slots[at + SLOT_PRIORITY_FROM] === 0) continue;
      const from = slots[at + SLOT_EVENT_START] as number;
      const end = slots[at + SLOT_EVENT_END] as number;
      slots[at + SLOT_EVENT_START] = to;
      for (let e = from; e < end; e++, to++) {
        kinds[to] = readKinds[e] as number;
        times[to] = readTimes[e] as number;
      }
      slots[at + SLOT_EVENT_END] = to;
    }
  }

  /**
   * The order to replay the `count` tickets from slot `from` on in (a group's): their places
   * 0…count-1 by year of creation, those not stored first, each year's in place order. A group's
   * tickets are in the caller's order, their years mixed; replayed in it, nearly every ticket
   * reads another year of its calendar than the one before, and finds none of that year's index
   * in the processor's caches (nor in the calendar's memo of the year it read last). The answer
   * is valid until the next call.
   */
  replayOrder(from: number, count: number): Int32Array {
    if (this.#order.length < count) {
      this.#order = new Int32Array(Math.max(count, 2 * this.#order.length));
      this.#keys = new Int32Array(this.#order.length);
    }
    const { slots } = this;
    const order = this.#order;
    const keys = this.#keys;
    const perKey = this.#perKey;
    let lo = YEAR_KEYS;
    let hi = 0;
    for (let k = 0; k < count; k++) {
      const at = SLOT_WIDTH * (from + k);
      // Key 0: not stored; otherwise 1 + years since the range's start (a mean year: only an order).
      const key =
        slots[at + SLOT_PRIORITY_FROM] === 0
          ? 0
          : Math.min(
              YEAR_KEYS,
              1 + Math.max(0, Math.floor(((slots[at + SLOT_CREATED] as number) - MIN_INSTANT) / MEAN_YEAR_MS)),
            );
      keys[k] = key;
      if (key < lo) lo = key;
      if (key > hi) hi = key;
    }
    if (lo === hi) {
      for (let k = 0; k < count; k++) order[k] = k;
      return order;
    }
    perKey.fill(0, lo, hi + 1);
    for (let k = 0; k < count; k++) perKey[keys[k] as number]++;
    let start = 0;
    for (let key = lo; key <= hi; key++) {
      const tickets = perKey[key] as number;
      perKey[key] = start;
      start += tickets;
    }
    for (let k = 0; k < count; k++) order[perKey[keys[k] as number]++] = k;
    return order;
  }

  /** Whether a ticket is stored in `slot` (otherwise it must be read from the caller's list). */
  has(slot: number): boolean {
    return this.slots[SLOT_WIDTH * slot + SLOT_PRIORITY_FROM] !== 0;
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
