/**
 * The limits of every process-wide cache, in one place: a service with many customer calendars, or
 * large queues, sets them once at start-up. The rows are the calendars' caches
 * (calendar/caches.ts), the ticket stores kept between calls (ticket-store.ts, replay-store.ts),
 * and the helper threads of large batches (batch-pages.ts, replay-threads.ts).
 */
import { applyCacheLimits, CALENDAR_CACHES, type CacheControl } from "../calendar/caches";
import { sharedBasesCount } from "../calendar/shared-index";
import { setSharedBatchBytes, sharedBatchUsage } from "./batch-buffer";
import { batchPageThreadsUsage, setBatchPageThreads } from "./batch-pages";
import { setTicketStoreBytes, ticketStoreUsage } from "./ticket-store";
import { replayStoreSize, setReplayStoreBytes } from "./replay-store";
import { batchReplayThreadsUsage, setBatchReplayThreads } from "./replay-threads";

/**
 * Limits of the caches that the whole process shares, for {@link configureCaches}. Each is
 * optional: a limit left out stays as it is.
 *
 * @example
 * ```ts
 * const limits: CacheLimits = { holidayYears: 8192, indexBytes: 256 * 1024 * 1024 };
 * ```
 */
export interface CacheLimits {
  /**
   * How many holiday lists, one per (country, state, region, holiday types, substitute days,
   * year), are kept for all calendars together. Default 4 096 (about 3 KB each). 0 shares none:
   * each calendar then computes its own years.
   */
  readonly holidayYears?: number;
  /**
   * Bytes of index chunks (the typed arrays of built years) kept for all calendars together; when
   * exceeded, the least recently used years of any calendar are dropped and rebuilt on demand.
   * The year built last is never dropped by the build that made it (its query is about to read
   * it), so the chunks kept can exceed the budget by that one year. Default 64 MiB. 0 keeps only
   * the year built last, until the next build (of any calendar) drops it.
   */
  readonly indexBytes?: number;
  /** How many time zones' offset rules are kept (at least 1). Default 1 024. */
  readonly zones?: number;
  /**
   * The largest ticket store kept from one `evaluateAcross` call to the next, in bytes. Such a
   * call reads its tickets once into flat arrays (about 50 bytes a ticket and 18 an event); keeping
   * them saves touching that much fresh memory on every call, which costs more than reading the
   * tickets. The store keeps none of the caller's values between calls. The same limit applies,
   * separately, to the store of numbers a shared `evaluateMany` replay reads its tickets into
   * (about 14 bytes a ticket and 11 an event; see `batchReplayThreads`). Default 128 MiB (over a
   * million tickets of a few events each); 0 keeps none.
   */
  readonly ticketStoreBytes?: number;
  /**
   * Bytes of batch memory that may be `SharedArrayBuffer`s not yet collected. Batches (the columns
   * of `evaluateMany` and `evaluateAcross` results, and `evaluateAcross`'s ticket store) take their
   * new memory as `SharedArrayBuffer`s where the runtime has them, because V8 does not count those
   * as external memory: an `ArrayBuffer` batch of a million rows made V8 collect the caller's whole
   * heap once for every 64 MiB of it. What V8 does not count it does not collect early either, so
   * the bytes of such buffers, from their allocation until V8 has collected them and the event loop
   * has run the finalizer that reports it, are kept under this bound; beyond it batches get
   * `ArrayBuffer`s. Only buffers of 1 MiB or more are shared (large batches; a stream of small
   * ones stays counted). Default 512 MiB: a service that holds a large heap and makes large
   * batches without `reuse` can raise it, trading memory for fewer full collections; 0 makes every
   * batch an `ArrayBuffer` one. Lowering it frees nothing (the memory is the batches'): it decides
   * where the next batches' memory comes from. See docs/performance.md, "New memory for batches".
   */
  readonly sharedBatchBytes?: number;
  /**
   * Helper threads that map a large batch's new memory ahead of the call writing it: 1 or 0. A
   * batch of a million tickets writes 100–300 MB of memory the process has not touched, and the
   * kernel maps it a page at a time on first write; a helper thread takes those page faults on
   * another core while the call works (the four-metric benchmark: 3.3–4.4 s a call without, 2.9–3.1 s
   * with). It touches only shared batch memory of 4 MiB or more (batches of about 16 000 tickets or
   * more), never changes a value, is started on first need, does not keep the process alive, and
   * ends after two seconds without work. Default 1 where the process can run two threads at once
   * (`os.availableParallelism()`), else 0; 0 stops it. See docs/performance.md, "A helper thread
   * for new pages".
   */
  readonly batchPageThreads?: number;
  /**
   * Helper threads that share the replay of a large `evaluateMany` batch: 1 or 0. The calling
   * thread reads and checks every ticket (they are its objects) into a shared store; a helper
   * thread, with the policy compiled from its spec, replays chunks of them into the batch's shared
   * columns while the calling thread reads the rest, and then both replay what is left. Results are
   * the same, row for row, as on one thread. Used for batches of 16 384 tickets or more whose
   * columns are shared memory, unless the application registered a date-holidays class of its own
   * (another thread cannot be given it); not for a call made from a ticket's getter during another.
   * The helper loads sla-clock from its installed files (not from a bundle an application made of
   * it: then every batch replays on its own thread), is started on first need, does not keep the
   * process alive, and ends after ten seconds without work. Default 1 where the process can run two
   * threads at once (`os.availableParallelism()`), else 0; 0 stops it. See docs/performance.md,
   * "Sharing the replay with a helper thread".
   */
  readonly batchReplayThreads?: number;
}

/**
 * What {@link configureCaches} returns: each cache's limit and how much of it is in use now.
 *
 * @example
 * ```ts
 * const usage: CacheUsage = configureCaches();
 * // At most the budget, or the bytes of the year built last when that one year is larger:
 * // with `indexBytes: 0`, that one year (about 8.7 KB for a year of one interval a weekday).
 * usage.indexBytes.size;
 * ```
 */
export interface CacheUsage {
  /** Holiday lists kept, and the limit. */
  readonly holidayYears: { readonly limit: number; readonly size: number };
  /** Bytes of index chunks kept, and the budget. */
  readonly indexBytes: { readonly limit: number; readonly size: number };
  /** Zones whose rules are kept, and the limit. */
  readonly zones: { readonly limit: number; readonly size: number };
  /** Bytes of the ticket stores kept for the next call (`evaluateAcross`'s and a shared replay's), and the limit. */
  readonly ticketStoreBytes: { readonly limit: number; readonly size: number };
  /**
   * Bytes of batch memory held as `SharedArrayBuffer`s (live batches, and dropped ones not yet
   * reported collected), and the bound; 0 where the runtime has no `SharedArrayBuffer`.
   */
  readonly sharedBatchBytes: { readonly limit: number; readonly size: number };
  /** Helper threads for new batch pages: the setting (0 or 1), and how many run now. */
  readonly batchPageThreads: { readonly limit: number; readonly size: number };
  /** Helper threads that share large batches' replay: the setting (0 or 1), and how many run now. */
  readonly batchReplayThreads: { readonly limit: number; readonly size: number };
  /** Shared base indexes kept for new calendars (one per zone, hours, holidays, eves and weekday rules). */
  readonly bases: number;
}

/** Every cache `configureCaches` sets: the calendars', then the clock's. */
const CACHES: readonly CacheControl[] = Object.freeze([
  ...CALENDAR_CACHES,
  {
    name: "ticketStoreBytes",
    least: 0,
    set: (limit) => {
      setTicketStoreBytes(limit);
      setReplayStoreBytes(limit);
    },
    usage: () => {
      const { limit, size } = ticketStoreUsage();
      return { limit, size: size + replayStoreSize() };
    },
  },
  { name: "sharedBatchBytes", least: 0, set: setSharedBatchBytes, usage: sharedBatchUsage },
  { name: "batchPageThreads", least: 0, most: 1, set: setBatchPageThreads, usage: batchPageThreadsUsage },
  { name: "batchReplayThreads", least: 0, most: 1, set: setBatchReplayThreads, usage: batchReplayThreadsUsage },
]);

/**
 * Sets the limits of the caches that the whole process shares, and returns each cache's limit and
 * use. Call it with no argument to read them. Lowering a limit drops the least recently used
 * entries at once. Throws `INVALID_ARGUMENT` for an unknown option or a limit that is not a whole
 * number ≥ 0 (≥ 1 for `zones`); nothing is changed then. (`sharedBatchBytes` bounds memory that
 * batches own, so lowering it drops nothing; it applies to the batches made after.)
 *
 * Calendars share what does not depend on their own dates: a zone's offsets, a country's holiday
 * years, and the index of their base (zone, weekly hours, holidays, eves, weekday rules); see
 * `docs/performance.md` ("Many calendars in one process"). `evaluateAcross` keeps the arrays it
 * reads tickets into for its next call.
 *
 * @example
 * ```ts
 * import { configureCaches } from "sla-clock";
 * configureCaches({ indexBytes: 256 * 1024 * 1024 }); // a service with 100 000 customer calendars
 * configureCaches().holidayYears.limit; // 4096
 * configureCaches({ ticketStoreBytes: 0 }); // keep no ticket store between evaluateAcross calls
 * configureCaches({ sharedBatchBytes: 0 }); // batches in ArrayBuffers only (counted by V8)
 * configureCaches({ batchPageThreads: 0 }); // no helper thread: each call maps its own new pages
 * configureCaches({ batchReplayThreads: 0 }); // every batch replays on the calling thread
 * ```
 */
export function configureCaches(limits?: CacheLimits): CacheUsage {
  const usage = applyCacheLimits(CACHES, limits);
  return {
    holidayYears: usage.holidayYears!,
    indexBytes: usage.indexBytes!,
    zones: usage.zones!,
    ticketStoreBytes: usage.ticketStoreBytes!,
    sharedBatchBytes: usage.sharedBatchBytes!,
    batchPageThreads: usage.batchPageThreads!,
    batchReplayThreads: usage.batchReplayThreads!,
    bases: sharedBasesCount(),
  };
}
