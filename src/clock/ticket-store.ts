import type { PriorityId } from "../policy/spec";
import { TicketReader } from "./ticket";

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
 */

/**
 * Tickets read by {@link TicketReader.checkAlone}, in flat arrays indexed by the ticket's place in
 * the caller's list: slot `i` is ticket `i`, stored when `has(i)`.
 * @internal
 */
export class TicketStore {
  readonly length: number;
  readonly ids: (string | number)[];
  readonly createdAt: Float64Array;
  readonly priorities: PriorityId[];
  /** Ticket `i`'s events are `kinds`/`times` from `eventStart[i]` to `eventStart[i + 1]`. */
  readonly eventStart: Int32Array;
  kinds: Uint8Array;
  times: Float64Array;
  /** The ids of all `priority` events, in order; ticket `i`'s start at `priorityStart[i]`. */
  readonly eventPriorities: PriorityId[] = [];
  readonly priorityStart: Int32Array;
  readonly #stored: Uint8Array;

  private constructor(n: number) {
    this.length = n;
    this.ids = new Array<string | number>(n).fill("");
    this.createdAt = new Float64Array(n);
    this.priorities = new Array<PriorityId>(n).fill(0);
    this.eventStart = new Int32Array(n + 1);
    this.priorityStart = new Int32Array(n);
    this.#stored = new Uint8Array(n);
    const events = 16 + n * 2; // grown when tickets have more than two events on average
    this.kinds = new Uint8Array(events);
    this.times = new Float64Array(events);
  }

  /**
   * Reads every ticket of `list` that can be read once for every policy. Reading an element of
   * `list` that throws (a Proxy) leaves it unstored, to fail when its policy reads it.
   */
  static read(list: readonly unknown[], reader: TicketReader): TicketStore {
    const n = list.length;
    const store = new TicketStore(n);
    let e = 0;
    for (let i = 0; i < n; i++) {
      store.eventStart[i] = e;
      store.priorityStart[i] = store.eventPriorities.length;
      let ticket: unknown;
      try {
        ticket = list[i];
      } catch {
        continue;
      }
      if (!reader.checkAlone(ticket)) continue;
      const count = reader.count;
      if (e + count > store.kinds.length) store.#grow(e + count);
      const { kinds, times } = store;
      for (let k = 0; k < count; k++, e++) {
        kinds[e] = reader.kinds[k] as number;
        times[e] = reader.times[k] as number;
      }
      const raw = reader.rawPriorities;
      for (let k = 0; k < raw.length; k++) store.eventPriorities.push(raw[k] as PriorityId);
      store.ids[i] = reader.rawId;
      store.createdAt[i] = reader.createdAt;
      store.priorities[i] = reader.rawPriority;
      store.#stored[i] = 1;
    }
    store.eventStart[n] = e;
    return store;
  }

  /** Whether ticket `i` is stored (otherwise it must be read from the caller's list). */
  has(i: number): boolean {
    return this.#stored[i] === 1;
  }

  #grow(needed: number): void {
    const size = Math.max(needed, this.kinds.length * 2);
    const kinds = new Uint8Array(size);
    kinds.set(this.kinds);
    const times = new Float64Array(size);
    times.set(this.times);
    this.kinds = kinds;
    this.times = times;
  }
}
