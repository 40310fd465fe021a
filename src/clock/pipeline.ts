import type { CalendarEngine } from "../calendar/engine";
import { SlaClockError } from "../errors";
import type { CompiledAlert } from "../policy/alerts";
import type { PolicyRules, PriorityInfo } from "../policy/rules";
import { toEpochMs, type InstantInput } from "../time/instant";
import { TicketClock, type TicketEvaluation } from "./evaluate";
import { TicketColumns, ticketAt, type EvaluationSettings } from "./result";
import { NowBeforeCreation, RaisedProblem, TicketReader, UnreadableTicket, type TicketProblem } from "./ticket";
import type { TicketStore } from "./ticket-store";
import type { ReplayStore, StoredTicketArrays } from "./replay-store";

/**
 * Where the pipeline puts each ticket's outcome: the batch's columns for `evaluateMany`, one result
 * object (or a thrown error) for `evaluate`.
 * @internal
 */
export interface EvaluationSink {
  /** Ticket `i` replayed: its results are in `clock`. */
  write(i: number, id: string | number, engine: CalendarEngine, clock: TicketClock, settings: EvaluationSettings): void;
  /** Ticket `i` cannot be evaluated; `id` is its id when it could be read. */
  /** `id` as the ticket gives it (a failure's `id` is its text; the batch's `ids` keep it as given). */
  fail(i: number, id: string | number | null, problem: TicketProblem): void;
}

/**
 * The ticket clock's one pipeline, read → replay → report, shared by `Policy.evaluate` and
 * `Policy.evaluateMany` so that a ticket is judged the same way by both. One instance serves a
 * whole batch: the reader and the clock are scratch state reused from ticket to ticket, so a
 * ticket allocates nothing here beyond what the sink keeps.
 *
 * The two stages are separate calls because `evaluate` reads its ticket before it reads `now` (a
 * bad ticket is reported before a bad `now`), while `evaluateMany` reads `now` once for the batch.
 * @internal
 */
export class TicketPipeline {
  #rules: PolicyRules;
  #settings: EvaluationSettings;
  readonly #reader = new TicketReader();
  readonly #clock = new TicketClock();

  constructor(rules: PolicyRules, settings: EvaluationSettings) {
    this.#rules = rules;
    this.#settings = settings;
    this.#clock.follow(settings.alerts);
  }

  /** The same pipeline for another policy or settings (its scratch state is per ticket anyway). */
  retarget(rules: PolicyRules, settings: EvaluationSettings): void {
    this.#rules = rules;
    this.#settings = settings;
    this.#clock.follow(settings.alerts);
  }

  /**
   * Both stages for ticket `i` of the batch, element `index` of the caller's list. A Proxy for an
   * array can throw for one element: that ticket cannot be read, the rest can.
   */
  runElement(i: number, list: readonly unknown[], index: number, now: number, sink: EvaluationSink): void {
    if (this.#readElement(i, list, index, sink)) this.replay(i, now, sink);
  }

  /** {@link TicketPipeline.read} of element `index` of the caller's list, which may throw for it. */
  #readElement(i: number, list: readonly unknown[], index: number, sink: EvaluationSink): boolean {
    let ticket: unknown;
    try {
      ticket = list[index];
    } catch (e) {
      sink.fail(i, null, new UnreadableTicket(undefined, e));
      return false;
    }
    return this.read(i, ticket, sink);
  }

  /**
   * Both stages for ticket `i` of the batch, loaded from slot `slot` of a store (which checked
   * all but its priorities: see {@link TicketReader.load}).
   */
  runStored(i: number, store: TicketStore, slot: number, now: number, sink: EvaluationSink): void {
    const reader = this.#reader;
    if (reader.load(this.#rules, store, slot)) this.replay(i, now, sink);
    else sink.fail(i, String(reader.rawId), reader.problem as TicketProblem);
  }

  /**
   * Reads ticket `i` of the batch (element `index` of the caller's list) for a replay that another
   * thread shares (replay-threads.ts): a ticket that can be replayed at `now` goes into `store`
   * (`grown`: see ReplayStore.put) and its id is returned; one that cannot is reported to the sink
   * here, as {@link TicketPipeline.run} would report it, and `undefined` is returned.
   */
  store(
    i: number,
    list: readonly unknown[],
    index: number,
    now: number,
    sink: EvaluationSink,
    store: ReplayStore,
    grown: (store: ReplayStore) => void,
  ): string | number | undefined {
    const reader = this.#reader;
    if (this.#readElement(i, list, index, sink) && this.#createdBy(i, now, sink)) {
      store.put(i, reader, grown);
      return reader.rawId;
    }
    store.skip(i);
    return undefined;
  }

  /**
   * Replays ticket `i` of a replay store (see {@link TicketPipeline.store}), whose id is `id`, and
   * reports it to the sink.
   */
  replayStored(i: number, store: StoredTicketArrays, id: string | number, now: number, sink: EvaluationSink): void {
    const reader = this.#reader;
    reader.loadStored(this.#rules, store, i);
    reader.rawId = id;
    this.replay(i, now, sink);
  }

  /**
   * Reads and validates ticket `i`. A bad ticket is recorded as facts (no Error is built here: see
   * TicketProblem) and reported to the sink; returns whether the ticket can be replayed.
   */
  read(i: number, ticket: unknown, sink: EvaluationSink): boolean {
    const reader = this.#reader;
    if (reader.check(this.#rules, ticket)) return true;
    const id = reader.readableId;
    sink.fail(i, id === undefined ? null : id, reader.problem as TicketProblem);
    return false;
  }

  /**
   * Replays the ticket just read up to `now` and reports it to the sink. Only a replay that runs
   * out of the supported range raises an error; it fails its ticket alone.
   */
  replay(i: number, now: number, sink: EvaluationSink): void {
    const rules = this.#rules;
    const reader = this.#reader;
    if (!this.#createdBy(i, now, sink)) return;
    try {
      this.#clock.replay(rules, reader, now);
      sink.write(i, reader.rawId, rules.engine, this.#clock, this.#settings);
    } catch (e) {
      if (!(e instanceof SlaClockError)) throw e;
      sink.fail(i, String(reader.rawId), new RaisedProblem(e));
    }
  }

  /** Whether the ticket just read was created by `now`; if not, it is reported to the sink. */
  #createdBy(i: number, now: number, sink: EvaluationSink): boolean {
    const reader = this.#reader;
    if (!(now < reader.createdAt)) return true;
    sink.fail(i, String(reader.rawId), new NowBeforeCreation(reader.rawId, now, reader.createdAt));
    return false;
  }
}

/**
 * The pipeline kept between `evaluate` calls: reusing its reader and clock spares every call their
 * allocation, which kept `evaluate` as fast as it was before it shared the pipeline. A call takes it
 * and puts it back when done, so a nested `evaluate` (a ticket's getter calling it) builds its own.
 * It holds the last evaluated ticket's priorities until the next call.
 */
let idle: TicketPipeline | undefined;

/**
 * Runs `work` with the kept pipeline (or a new one when it is in use), retargeted to `rules` and
 * `settings`, and keeps it again afterwards: `evaluateMany` of a small batch (evaluateAcross makes
 * one per policy) then allocates no reader and clock of its own.
 * @internal
 */
export function withPipeline<T>(
  rules: PolicyRules,
  settings: EvaluationSettings,
  work: (pipeline: TicketPipeline) => T,
): T {
  const pipeline = idle ?? new TicketPipeline(rules, settings);
  idle = undefined;
  try {
    pipeline.retarget(rules, settings);
    return work(pipeline);
  } finally {
    idle = pipeline;
  }
}

/**
 * The one row `evaluate` writes its ticket into before building the result object from it, as
 * `evaluateMany` does for each of its rows, per list of alert thresholds (a policy's, or a call's:
 * at most a few). Shared: between writing the row and reading it back no caller code runs (the
 * ticket's own getters run while it is read, before), so a nested `evaluate` cannot interleave.
 */
const scratch = new WeakMap<readonly CompiledAlert[], TicketColumns>();

function scratchFor(alerts: readonly CompiledAlert[]): TicketColumns {
  let rows = scratch.get(alerts);
  if (rows === undefined) scratch.set(alerts, (rows = new TicketColumns(1, alerts)));
  return rows;
}

/**
 * One ticket through the pipeline, for `Policy.evaluate`: its result, or its problem thrown as the
 * typed error. The ticket is read before `now`, so a bad ticket is reported before a bad `now`.
 * @internal
 */
export function evaluateTicket(
  rules: PolicyRules,
  settings: EvaluationSettings,
  ticket: unknown,
  now: InstantInput,
): TicketEvaluation {
  const pipeline = idle ?? new TicketPipeline(rules, settings);
  idle = undefined;
  try {
    pipeline.retarget(rules, settings);
    const sink = new SingleEvaluation(rules.priorities);
    if (pipeline.read(0, ticket, sink)) pipeline.replay(0, toEpochMs(now, rules.engine.zone, "now"), sink);
    return sink.result as TicketEvaluation;
  } finally {
    idle = pipeline;
  }
}

/** The sink of {@link evaluateTicket}: keeps the one ticket's result, and throws a problem as its typed error. */
class SingleEvaluation implements EvaluationSink {
  readonly #priorities: readonly PriorityInfo[];
  result: TicketEvaluation | undefined = undefined;

  constructor(priorities: readonly PriorityInfo[]) {
    this.#priorities = priorities;
  }

  write(
    _i: number,
    id: string | number,
    engine: CalendarEngine,
    clock: TicketClock,
    settings: EvaluationSettings,
  ): void {
    const rows = scratchFor(settings.alerts);
    rows.write(0, id, engine, clock, settings);
    this.result = ticketAt(rows, 0, clock.now, this.#priorities);
  }

  fail(_i: number, _id: string | number | null, problem: TicketProblem): never {
    throw problem.toError();
  }
}
