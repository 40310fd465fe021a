import { batchFloat64, batchInt32 } from "./batch-buffer";
import { chunkRecyclingSafePoint, withChunkRecycling } from "../calendar/chunk-budget";
import { SlaClockError } from "../errors";
import { toEpochMs, type InstantInput } from "../time/instant";
import { zoneRules } from "../time/zone";
import { failureAt, ticketIndex, type EvaluationBatch, type TicketFailure } from "./batch";
import type { TicketEvaluation } from "./evaluate";
import { BatchMemory, batchReusedError } from "./batch-memory";
import {
  evaluateRows,
  readBatchOptions,
  rulesOf,
  settingsFor,
  type BatchOptions,
  type Policy,
  type ReadOptions,
} from "./policy";
import { arenaBlockBytes, withColumnArena } from "./result";
import { TicketReader, UnreadableTicket, type Ticket } from "./ticket";
import { TicketStore } from "./ticket-store";

/*
 * Tickets of many policies in one call. The columns of an EvaluationBatch belong to one policy
 * (priority ranks index its table, alert columns follow its thresholds), so the tickets are grouped
 * by policy, each group is evaluated as one batch, and the result maps every ticket back to its
 * place: `get(i)` and iteration in the caller's order, columns per policy in `groups`.
 */

/**
 * Which policy judges each ticket: one policy for all, one per ticket (an array as long as the
 * tickets), or a function of the ticket and its index.
 *
 * @example
 * ```ts
 * const byCustomer: PolicyOf = (ticket) => policies.get(customerOf(ticket))!;
 * ```
 */
export type PolicyOf = Policy | readonly Policy[] | ((ticket: Ticket, index: number) => Policy);

/**
 * The tickets of one policy in an {@link AcrossBatch}: the policy, the indexes of its tickets in the
 * caller's list (ascending), and their batch — whose element `k` is ticket `indexes[k]`.
 *
 * @example
 * ```ts
 * for (const group of across.groups) {
 *   const breached = group.batch.response.status.filter((s) => s === 3).length;
 *   console.log(group.policy.id, group.indexes.length, breached);
 * }
 * ```
 */
export interface PolicyGroup {
  readonly policy: Policy;
  readonly indexes: Int32Array;
  readonly batch: EvaluationBatch;
}

/**
 * The result of {@link evaluateAcross}: every ticket evaluated on its own policy, in the caller's
 * order. `get(i)` gives what `policyOf(ticket).evaluate(ticket, now)` gives, or the ticket's
 * {@link TicketFailure} (a bad ticket, or a `policyOf` that throws or gives no policy);
 * `batch.length` always equals the number of tickets.
 *
 * @example
 * ```ts
 * const across = evaluateAcross(tickets, (t) => registry.byId(t.policyId)!, "2026-04-07T12:00");
 * for (const r of across) if (!("error" in r) && r.nextAlertAt) armTimer(r.id, r.nextAlertAt);
 * ```
 */
export class AcrossBatch implements Iterable<TicketEvaluation | TicketFailure> {
  /** Number of tickets (evaluated and failed). */
  readonly length: number;
  /** One group per policy, in the order of each policy's first ticket. */
  readonly groups: readonly PolicyGroup[];
  readonly #nextAlertAt: Float64Array;
  /** The tickets that could not be evaluated, by index (in the caller's order). */
  readonly failures: readonly TicketFailure[];
  /** Per ticket: its group in `groups` (-1 when no policy could be found), and its place in it. */
  readonly #group: Int32Array;
  readonly #place: Int32Array;
  /** The memory of all the groups' batches; once another call reuses it, this result is spent. */
  readonly #memory: BatchMemory;

  /** @internal */
  constructor(
    length: number,
    groups: readonly PolicyGroup[],
    group: Int32Array,
    place: Int32Array,
    unresolved: readonly TicketFailure[],
    memory: BatchMemory,
  ) {
    memory.own(this);
    this.#memory = memory;
    this.length = length;
    this.groups = Object.freeze(groups);
    this.#group = group;
    this.#place = place;
    const nextAlertAt = batchFloat64(length).fill(Number.NaN);
    const failures: TicketFailure[] = [...unresolved];
    for (const g of groups) {
      for (let k = 0; k < g.indexes.length; k++) nextAlertAt[g.indexes[k] as number] = g.batch.nextAlertAt[k] as number;
      for (const f of g.batch.failures) {
        const index = g.indexes[f.index] as number;
        failures.push(
          Object.freeze({
            index,
            id: f.id,
            get error() {
              return f.error;
            },
          }),
        );
      }
    }
    failures.sort((a, b) => a.index - b.index);
    this.#nextAlertAt = nextAlertAt;
    this.failures = Object.freeze(failures);
    Object.freeze(this);
  }

  /**
   * Per ticket: the earliest instant after `now` (epoch ms) at which a running metric crosses an
   * alert threshold or its deadline, NaN when there is none or the ticket failed. Throws
   * `BATCH_REUSED` once the result was given to another call as `reuse`, as `get` does.
   *
   * @example
   * ```ts
   * const due = across.nextAlertAt[0]; // epoch ms, or NaN
   * ```
   */
  get nextAlertAt(): Float64Array {
    if (this.#memory.spent) throw batchReusedError();
    return this.#nextAlertAt;
  }

  /**
   * The policy of ticket `i`, or `null` when `policyOf` gave none for it (the ticket failed).
   *
   * @example
   * ```ts
   * across.policyOf(0)?.id; // "softone-se"
   * ```
   */
  policyOf(i: number): Policy | null {
    const g = this.#group[ticketIndex(i, this.length)] as number;
    return g < 0 ? null : (this.groups[g] as PolicyGroup).policy;
  }

  /**
   * Ticket `i` as its policy's `evaluate` would report it, or its failure.
   *
   * @example
   * ```ts
   * const first = across.get(0);
   * if (!("error" in first)) console.log(first.response.deadline);
   * ```
   */
  get(i: number): TicketEvaluation | TicketFailure {
    if (this.#memory.spent) throw batchReusedError();
    const g = this.#group[ticketIndex(i, this.length)] as number;
    if (g < 0) return failureAt(this.failures, i);
    const r = (this.groups[g] as PolicyGroup).batch.get(this.#place[i] as number);
    return "error" in r ? failureAt(this.failures, i) : r;
  }

  /**
   * Iterates the tickets in the caller's order, as {@link AcrossBatch.get} gives them.
   *
   * @example
   * ```ts
   * for (const r of across) if (!("error" in r) && r.resolution.status === "breached") console.log(r.id);
   * ```
   */
  *[Symbol.iterator](): Iterator<TicketEvaluation | TicketFailure> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}

/**
 * Evaluates tickets of many policies in one call, each on its own policy, without grouping them
 * yourself: `policyOf` is one policy, an array with a policy per ticket, or a function of the
 * ticket. Each policy's tickets are evaluated as one `evaluateMany` batch (the same answers, and
 * the same speed per ticket); `now` and `options` apply to all of them (a `now` without an offset
 * is read in each policy's zone, as each policy's `evaluate` reads it). A ticket whose `policyOf`
 * throws or gives something that is not a policy fails alone, with `INVALID_ARGUMENT`.
 *
 * With more than one policy, tickets whose instants are epoch ms or `Date`s are read once, in the
 * order of `tickets`, and each policy's batch loads its share from there; a ticket with ISO
 * strings (wall time in each policy's zone when they have no offset) is read when its policy's
 * batch comes. Both give the same results and errors; the first is faster on large queues. The
 * arrays they are read into are kept for the next call, up to `configureCaches({ ticketStoreBytes })`
 * (they keep none of the tickets' values).
 * `options.reuse` takes the previous call's result (or an `evaluateMany` batch) you no longer need,
 * and writes every group's batch into its memory (see {@link BatchOptions.reuse}).
 *
 * @example
 * ```ts
 * import { evaluateAcross, getPolicy } from "sla-clock";
 * const tickets = [
 *   { id: "A-1", priority: 1, createdAt: "2026-04-02T09:00Z" },
 *   { id: "B-7", priority: 1, createdAt: "2026-04-02T09:00Z" },
 * ];
 * const policies = [getPolicy("softone-se"), getPolicy("moch-standard")]; // one per ticket
 * const across = evaluateAcross(tickets, policies, "2026-04-02T12:00Z");
 * across.groups.length; // 2: one batch per policy
 * across.get(1); // as getPolicy("moch-standard").evaluate(tickets[1], "2026-04-02T12:00Z")
 * const next = evaluateAcross(tickets, policies, "2026-04-02T12:01Z", { reuse: across }); // `across` is spent
 * ```
 */
export function evaluateAcross<T extends Ticket>(
  tickets: readonly T[],
  policyOf: Policy | readonly Policy[] | ((ticket: T, index: number) => Policy),
  now: InstantInput = Date.now(),
  options: BatchOptions = {},
): AcrossBatch {
  if (!Array.isArray(tickets))
    throw new SlaClockError("INVALID_ARGUMENT", "evaluateAcross: tickets must be an array", { path: "tickets" });
  const list: readonly T[] = tickets;
  const n = list.length;
  const resolve = resolverOf(policyOf, n);
  // Group once, by counting: each ticket's group number, then the groups' places in one array of
  // indexes (each group's `indexes` is a view of it), so no list per policy grows ticket by ticket.
  const groupOf = new Map<Policy, number>();
  const policies: Policy[] = [];
  const counts: number[] = [];
  const group = batchInt32(n);
  const place = batchInt32(n);
  const unresolved: TicketFailure[] = [];
  // With more than one policy the tickets are read once into a store (TicketStore, below), taken
  // when a second policy turns up: a new store's memory is then mapped while the rest are grouped.
  let store: TicketStore | null = null;
  for (let i = 0; i < n; i++) {
    let ticket: T;
    try {
      ticket = list[i] as T;
    } catch (e) {
      // A Proxy for an array can throw for one element: that ticket cannot be read, as in evaluateMany.
      group[i] = -1;
      unresolved.push(Object.freeze({ index: i, id: null, error: new UnreadableTicket(undefined, e).toError() }));
      continue;
    }
    let policy: Policy;
    let g: number | undefined;
    try {
      policy = resolve(ticket, i);
      g = groupOf.get(policy);
      // A typed error for anything that is not a policy; a policy already grouped was checked.
      if (g === undefined) rulesOf(policy);
    } catch (e) {
      group[i] = -1;
      unresolved.push(unresolvedFailure(i, ticket, e));
      continue;
    }
    if (g === undefined) {
      g = policies.length;
      groupOf.set(policy, g);
      policies.push(policy);
      counts.push(0);
      if (policies.length === 2) store = TicketStore.reserve(n);
    }
    group[i] = g;
    place[i] = counts[g] as number;
    counts[g] = (counts[g] as number) + 1;
  }
  // The store taken above (the loop catches what it meets) is handed back, kept for the next call,
  // whatever happens from here.
  try {
    // The groups' places follow the order they are evaluated in (see evaluationOrder), so that the
    // batches read the ticket store and `order` front to back; first[policies.length] is the total.
    const evaluation = evaluationOrder(policies);
    const first = new Int32Array(policies.length + 1);
    let places = 0;
    for (const g of evaluation) {
      first[g] = places;
      places += counts[g] as number;
    }
    first[policies.length] = places;
    const order = batchInt32(places);
    for (let i = 0; i < n; i++) {
      const g = group[i] as number;
      if (g >= 0) order[(first[g] as number) + (place[i] as number)] = i;
    }
    // Each policy's batch visits its tickets scattered over the caller's list: with more than one
    // policy they are read once, in the caller's order, into a store the batches load from (see
    // TicketStore); a ticket the store cannot keep is read from the list as evaluateMany reads it.
    // The store is kept for the next call (its memory touched once), and lets go of the tickets' ids.
    // A bad `now` or option throws here, before the batch given as `reuse` is spent: `now` once per
    // zone of the policies (an offset-less `now` is wall time in each; near the end of the supported
    // range it can be valid in one zone and not in another), the options once. The batches are made
    // from what was read here: read again after the memory is taken, a getter that threw would leave
    // the caller's result spent and no new one.
    const atOfZone = new Map<object, number>();
    let readFirst: ReadOptions | undefined;
    for (const policy of policies) {
      const zone = rulesOf(policy).engine.zone;
      if (atOfZone.has(zone)) continue;
      atOfZone.set(zone, toEpochMs(now, zone, "now"));
      readFirst ??= readBatchOptions(options);
    }
    if (policies.length === 0) checkNowWithoutTickets(now, policyOf);
    const read = readFirst ?? readBatchOptions(options);
    const memory = BatchMemory.forCall(read.reuse, "options.reuse");
    // Ticket i is stored in slot first[g] + place[i], its place in `order`: each batch then loads
    // its tickets from consecutive slots.
    store?.read(list, n, new TicketReader(), { group, place, first });
    // The batches' columns are cut from shared blocks rather than a buffer each (see ColumnArena),
    // and the years of their calendars that the chunk budget drops are rebuilt in recycled buffers:
    // between two batches no walk over an index is running (see withChunkRecycling).
    const groups = withChunkRecycling(() =>
      withColumnArena(
        memory,
        () => {
          const made = new Array<PolicyGroup>(policies.length);
          for (const g of evaluation) {
            const policy = policies[g] as Policy;
            chunkRecyclingSafePoint();
            const indexes = order.subarray(first[g] as number, (first[g] as number) + (counts[g] as number));
            const rules = rulesOf(policy);
            const batch = evaluateRows(
              rules,
              indexes.length,
              atOfZone.get(rules.engine.zone) as number,
              settingsFor(rules, read),
              (pipeline, at, writer) => {
                const from = first[g] as number;
                if (store === null) {
                  for (let k = 0; k < indexes.length; k++)
                    pipeline.runElement(k, list, indexes[k] as number, at, writer);
                  return;
                }
                // Row k is ticket indexes[k]; the rows are replayed by year of creation (see
                // TicketStore.replayOrder) and written in their places, so failures come out of order.
                const rows = store.replayOrder(from, indexes.length);
                for (let r = 0; r < indexes.length; r++) {
                  const k = rows[r] as number;
                  const slot = from + k;
                  if (store.has(slot)) pipeline.runStored(k, store, slot, at, writer);
                  else pipeline.runElement(k, list, indexes[k] as number, at, writer);
                }
                writer.orderFailures();
              },
              memory,
              true,
            );
            made[g] = Object.freeze({ policy, indexes, batch });
          }
          return made;
        },
        arenaBlockBytes(n),
      ),
    );
    memory.settle();
    return new AcrossBatch(n, groups, group, place, unresolved, memory);
  } finally {
    if (store !== null) TicketStore.release(store);
  }
}

/**
 * The order to evaluate the groups in: those whose calendars read the same index (a shared base's,
 * ./calendar/shared-index.ts) one after another, in the order of their first group, so that the
 * chunks of one base stay in the processor's caches over its groups' batches instead of 25 bases'
 * chunks taking turns batch by batch. The results keep the groups' own order.
 */
function evaluationOrder(policies: readonly Policy[]): Int32Array {
  const runOf = new Map<object, number[]>();
  for (let g = 0; g < policies.length; g++) {
    const key = rulesOf(policies[g] as Policy).engine.readIndex;
    let run = runOf.get(key);
    if (run === undefined) runOf.set(key, (run = []));
    run.push(g);
  }
  const order = new Int32Array(policies.length);
  let k = 0;
  for (const run of runOf.values()) for (const g of run) order[k++] = g;
  return order;
}

/**
 * `now` of a call with no policy to evaluate (no tickets, or none whose policy was found), checked
 * as evaluateMany checks it with no tickets: in the zone of the one policy given, else as an
 * instant in UTC. In UTC only what no zone can make valid is refused: an offset-less `now` near an
 * end of the supported range is in range in some zones and not in others.
 */
function checkNowWithoutTickets(now: InstantInput, policyOf: unknown): void {
  if (typeof policyOf !== "function" && !Array.isArray(policyOf)) {
    toEpochMs(now, rulesOf(policyOf as Policy).engine.zone, "now");
    return;
  }
  try {
    toEpochMs(now, zoneRules("UTC"), "now");
  } catch (e) {
    if (!(e instanceof SlaClockError) || e.code !== "OUT_OF_RANGE") throw e;
  }
}

/** `policyOf` as a function, after checking its shape once. */
function resolverOf<T>(
  policyOf: Policy | readonly Policy[] | ((ticket: T, index: number) => Policy),
  n: number,
): (ticket: T, index: number) => Policy {
  if (typeof policyOf === "function") return policyOf;
  if (Array.isArray(policyOf)) {
    const list = policyOf as readonly Policy[];
    if (list.length !== n)
      throw new SlaClockError(
        "INVALID_ARGUMENT",
        `evaluateAcross: policyOf has ${list.length} policies for ${n} tickets; give one per ticket, one policy, or a function`,
        { path: "policyOf" },
      );
    return (_ticket, index) => list[index] as Policy;
  }
  rulesOf(policyOf as Policy);
  return () => policyOf as Policy;
}

/** The failure of a ticket whose policy could not be found. */
function unresolvedFailure(index: number, ticket: unknown, cause: unknown): TicketFailure {
  let raw: unknown;
  try {
    raw = typeof ticket === "object" && ticket !== null ? (ticket as { id?: unknown }).id : undefined;
  } catch {
    raw = undefined; // a getter or a Proxy trap that throws: the failure names no id
  }
  const id = typeof raw === "string" || typeof raw === "number" ? String(raw) : null;
  const reason =
    cause instanceof SlaClockError
      ? cause.message
      : `policyOf threw ${cause instanceof Error ? cause.message : String(cause)}`;
  const error = new SlaClockError(
    "INVALID_ARGUMENT",
    `ticket ${index}${id === null ? "" : ` (${id})`}: no policy: ${reason}`,
    {
      path: `tickets[${index}]`,
    },
  );
  return Object.freeze({ index, id, error });
}
