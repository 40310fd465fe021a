import type { CalendarEngine } from "../calendar/engine";
import { SlaClockError } from "../errors";
import type { PolicyRules } from "../policy/rules";
import { TicketClock, reportTicket, type TicketEvaluation } from "./evaluate";
import { NowBeforeCreation, RaisedProblem, TicketReader, type TicketProblem } from "./ticket";

/**
 * Where the pipeline puts each ticket's outcome: the batch's columns for `evaluateMany`, one result
 * object (or a thrown error) for `evaluate`.
 * @internal
 */
export interface EvaluationSink {
  /** Ticket `i` replayed: its results are in `clock`. */
  write(i: number, id: string | number, engine: CalendarEngine, clock: TicketClock, atRiskThreshold: number): void;
  /** Ticket `i` cannot be evaluated; `id` is its id when it could be read. */
  fail(i: number, id: string | null, problem: TicketProblem): void;
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
  readonly #rules: PolicyRules;
  readonly #atRiskThreshold: number;
  readonly #reader = new TicketReader();
  readonly #clock = new TicketClock();

  constructor(rules: PolicyRules, atRiskThreshold: number) {
    this.#rules = rules;
    this.#atRiskThreshold = atRiskThreshold;
  }

  /** Both stages for ticket `i` at `now` (epoch ms). */
  run(i: number, ticket: unknown, now: number, sink: EvaluationSink): void {
    if (this.read(i, ticket, sink)) this.replay(i, now, sink);
  }

  /**
   * Reads and validates ticket `i`. A bad ticket is recorded as facts (no Error is built here: see
   * TicketProblem) and reported to the sink; returns whether the ticket can be replayed.
   */
  read(i: number, ticket: unknown, sink: EvaluationSink): boolean {
    const reader = this.#reader;
    if (reader.check(this.#rules, ticket)) return true;
    const id = reader.readableId;
    sink.fail(i, id === undefined ? null : String(id), reader.problem as TicketProblem);
    return false;
  }

  /**
   * Replays the ticket just read up to `now` and reports it to the sink. Only a replay that runs
   * out of the supported range raises an error; it fails its ticket alone.
   */
  replay(i: number, now: number, sink: EvaluationSink): void {
    const rules = this.#rules;
    const reader = this.#reader;
    if (now < reader.createdAt) {
      sink.fail(i, String(reader.rawId), new NowBeforeCreation(reader.rawId, now, reader.createdAt));
      return;
    }
    try {
      this.#clock.replay(rules, reader, now);
      sink.write(i, reader.rawId, rules.engine, this.#clock, this.#atRiskThreshold);
    } catch (e) {
      if (!(e instanceof SlaClockError)) throw e;
      sink.fail(i, String(reader.rawId), new RaisedProblem(e));
    }
  }
}

/**
 * The sink of `Policy.evaluate`: keeps the one ticket's result, and throws a problem as its typed
 * error.
 * @internal
 */
export class SingleEvaluation implements EvaluationSink {
  result: TicketEvaluation | undefined = undefined;

  write(_i: number, id: string | number, engine: CalendarEngine, clock: TicketClock, atRiskThreshold: number): void {
    this.result = reportTicket(engine, clock, String(id), atRiskThreshold);
  }

  fail(_i: number, _id: string | null, problem: TicketProblem): never {
    throw problem.toError();
  }
}
