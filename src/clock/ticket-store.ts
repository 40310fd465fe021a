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
 *
 * The arrays are plain arrays of numbers (V8 keeps them as unboxed doubles or small integers), not
 * typed arrays: every ArrayBuffer is external memory, and each 64 MiB of it allocated since the last
 * full collection starts the next one, which marks the caller's whole heap (its million tickets).
 * The columns of the result are such memory already; a store of typed arrays (50 MB for the
 * benchmark's million tickets) was one more full collection per call.
 * @internal
 */
export class TicketStore {
  readonly ids: (string | number)[];
  readonly createdAt: number[];
  readonly priorities: PriorityId[];
  /** Ticket `i`'s events are `kinds`/`times` from `eventStart[i]` to `eventStart[i + 1]`. */
  readonly eventStart: number[];
  readonly kinds: number[] = [];
  readonly times: number[] = [];
  /** The ids of all `priority` events, in order; ticket `i`'s start here at `priorityStart[i]` (-1: not stored). */
  readonly eventPriorities: PriorityId[] = [];
  readonly priorityStart: number[];

  private constructor(n: number) {
    this.ids = new Array<string | number>(n).fill("");
    this.createdAt = new Array<number>(n).fill(Number.NaN);
    this.priorities = new Array<PriorityId>(n).fill(0);
    this.eventStart = new Array<number>(n + 1).fill(0);
    this.priorityStart = new Array<number>(n).fill(-1);
  }

  /**
   * Reads every ticket of `list` that can be read once for every policy. Reading an element of
   * `list` that throws (a Proxy) leaves it unstored, to fail when its policy reads it.
   */
  static read(list: readonly unknown[], reader: TicketReader): TicketStore {
    const n = list.length;
    const store = new TicketStore(n);
    const { kinds, times, eventPriorities } = store;
    for (let i = 0; i < n; i++) {
      store.eventStart[i] = kinds.length;
      let ticket: unknown;
      try {
        ticket = list[i];
      } catch {
        continue;
      }
      if (!reader.checkAlone(ticket)) continue;
      for (let k = 0; k < reader.count; k++) {
        kinds.push(reader.kinds[k] as number);
        times.push(reader.times[k] as number);
      }
      store.priorityStart[i] = eventPriorities.length;
      const raw = reader.rawPriorities;
      for (let k = 0; k < raw.length; k++) eventPriorities.push(raw[k] as PriorityId);
      store.ids[i] = reader.rawId;
      store.createdAt[i] = reader.createdAt;
      store.priorities[i] = reader.rawPriority;
    }
    store.eventStart[n] = kinds.length;
    return store;
  }

  /** Whether ticket `i` is stored (otherwise it must be read from the caller's list). */
  has(i: number): boolean {
    return (this.priorityStart[i] as number) >= 0;
  }
}
