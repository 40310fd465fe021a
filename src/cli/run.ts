import type { EvaluationBatch, TicketFailure } from "../clock/batch";
import type { TicketEvaluation } from "../clock/evaluate";
import type { Ticket } from "../clock/ticket";
import { SlaClockError } from "../errors";
import type { Policy } from "../clock/policy";
import type { InputRecord } from "./io/read-records";
import { instantReader, priorityReader, rowZone, type InstantFormat } from "./io/cells";
import { looksLikeZone } from "./io/columns";
import { columnName } from "./io/read-records";
import { RowError, rowToTicket, type InstantReader } from "./io/row-to-ticket";

/**
 * How {@link evaluateRecords} reads cells: the instant formats, and a `--priority-map`.
 *
 * @example
 * ```ts
 * const reading: CellReading = { epoch: "ms", priorityMap: "Urgent=1,High=2" };
 * ```
 */
export interface CellReading extends InstantFormat {
  readonly priorityMap?: string;
  /** Read wall times in the policy's zone even though a key looks like a zone (NDJSON). */
  readonly ignoreZoneColumns?: boolean;
}

/**
 * An NDJSON record's keys that look like a time zone but are not `timezone` (a CSV record holds only
 * the fields read, so this is about NDJSON): a row error, since reading the row in the policy's zone
 * could be a silent wrong answer.
 */
function refuseUnreadZone(record: Record<string, unknown>): void {
  for (const key of Object.keys(record))
    if (keyLooksLikeZone(key))
      throw new RowError(
        `${key}: looks like a time zone, but sla-clock reads a row's zone from "timezone"; rename the key, or pass --ignore-zone-column to read the row in the policy's zone`,
      );
}

/** Whether a record key looks like a zone, remembered per key: every row of a file has the same keys. */
const ZONE_KEYS = new Map<string, boolean>();
function keyLooksLikeZone(key: string): boolean {
  let zone = ZONE_KEYS.get(key);
  if (zone === undefined) {
    zone = looksLikeZone(columnName(key));
    // Bounded: NDJSON keys are the file's to choose.
    if (ZONE_KEYS.size < 1000) ZONE_KEYS.set(key, zone);
  }
  return zone;
}

/**
 * A whole NDJSON ticket whose `timezone` names a zone: its text instants read in that zone (as epoch
 * milliseconds), since the ticket clock reads offset-less text in the policy's zone.
 */
function inZone(record: Record<string, unknown>, read: InstantReader): Record<string, unknown> {
  const at = (v: unknown, path: string) => (typeof v === "string" ? read(v, path) : v);
  const events = record.events;
  return {
    ...record,
    createdAt: at(record.createdAt, "createdAt"),
    ...(Array.isArray(events)
      ? {
          events: events.map((e: unknown, i) =>
            typeof e === "object" && e !== null && "at" in e
              ? { ...e, at: at((e as { at: unknown }).at, `events[${i}].at`) }
              : e,
          ),
        }
      : {}),
  };
}

/**
 * The outcome of one input row: the evaluation, or the error that stopped it, with its line.
 *
 * @example
 * ```ts
 * const row: RowOutcome = { line: 7, id: "T-9", priority: "1", error: "ticket T-9: events[0]: resume without a pause before it" };
 * ```
 */
export interface RowOutcome {
  readonly line: number;
  readonly id: string;
  readonly priority: string;
  readonly evaluation?: TicketEvaluation;
  /** The ticket the row became, beside its evaluation (the HTML report explains breached ones). */
  readonly ticket?: Ticket;
  readonly error?: string;
  /**
   * The batch whose row `index` is the evaluation, when the outcome comes from
   * {@link evaluateRecords}: readers of many rows (the CSV writer, the summary) read its columns,
   * and `evaluation` is built only when asked for.
   */
  readonly batch?: EvaluationBatch;
  readonly index?: number;
}

/**
 * An evaluated row of {@link evaluateRecords}: its evaluation stays in the batch's columns until
 * `evaluation` is read (building the objects of a million evaluations is most of the cost of a
 * large export otherwise).
 */
class EvaluatedRow implements RowOutcome {
  readonly line: number;
  readonly id: string;
  readonly priority: string;
  readonly ticket: Ticket;
  readonly batch: EvaluationBatch;
  readonly index: number;
  #evaluation: TicketEvaluation | undefined;

  constructor(line: number, id: string, priority: string, ticket: Ticket, batch: EvaluationBatch, index: number) {
    this.line = line;
    this.id = id;
    this.priority = priority;
    this.ticket = ticket;
    this.batch = batch;
    this.index = index;
  }

  get evaluation(): TicketEvaluation {
    return (this.#evaluation ??= this.batch.get(this.index) as TicketEvaluation);
  }
}

/**
 * Rows per `evaluateMany` call: large enough to be fast, small enough to keep memory flat (the
 * rows of one batch, their tickets and their output are all that is held at a time).
 *
 * @example
 * ```ts
 * BATCH_ROWS; // 1000
 * ```
 */
export const BATCH_ROWS = 1000;

interface Pending {
  readonly input: InputRecord;
  readonly ticket?: Ticket;
  readonly sources?: readonly string[];
  readonly error?: string;
}

/**
 * Evaluates every row of an export — given as batches of records, as {@link readRecordBatches}
 * reads them — at `now`, in order, in batches of {@link BATCH_ROWS}, calling
 * `visit` with each batch of outcomes — one per input row, in input order — and awaiting it, so a
 * slow writer holds the reader back. Rows that cannot become a ticket, and tickets with bad data,
 * become outcomes with an error; none is skipped. An error about one event of a CSV row says which
 * cell the event came from. `reading` says how cells are written (instant formats, a priority map);
 * a row's `timezone` cell, when filled, is the zone its wall times are read in.
 *
 * @example
 * ```ts
 * await evaluateRecords(getPolicy("softone-se"), readRecordBatches(stream, "csv"), Date.now(), (rows) => rows.forEach((r) => console.log(r.line, r.error)));
 * ```
 */
export async function evaluateRecords(
  policy: Policy,
  records: AsyncIterable<readonly InputRecord[]>,
  now: number,
  visit: (rows: readonly RowOutcome[]) => void | Promise<void>,
  reading: CellReading = {},
): Promise<{ rows: number; failed: number }> {
  const readIn = instantReader(policy.calendar, reading);
  const priorityOf = priorityReader(policy, reading.priorityMap);
  let rows = 0;
  let failed = 0;
  let pending: Pending[] = [];

  const flush = async (): Promise<void> => {
    const tickets: Ticket[] = [];
    for (const p of pending) if (p.ticket !== undefined) tickets.push(p.ticket);
    const batch = policy.evaluateMany(tickets, now);
    const outcomes: RowOutcome[] = new Array<RowOutcome>(pending.length);
    let k = 0;
    const ranks = batch.priorityRank;
    for (let j = 0; j < pending.length; j++) {
      const p = pending[j]!;
      const line = p.input.line;
      const id = scalar(p.input.record?.id);
      let outcome: RowOutcome;
      if (p.ticket === undefined) {
        outcome = { line, id, priority: scalar(p.input.record?.priority), error: p.error ?? "unreadable row" };
      } else {
        const i = k++;
        if (batch.isFailure(i)) {
          const result = batch.get(i) as TicketFailure;
          outcome = {
            line,
            id,
            priority: scalar(p.input.record?.priority),
            error: failureMessage(result.error, p.sources),
          };
        } else {
          // The priority in force at `now`, as `batch.get(i).priority` gives it.
          const priority = String(policy.priorities[ranks[i]!]!.id);
          outcome = new EvaluatedRow(line, id, priority, p.ticket, batch, i);
        }
      }
      rows++;
      if (outcome.error !== undefined) failed++;
      outcomes[j] = outcome;
    }
    pending = [];
    await visit(outcomes);
  };

  const readInCalendarZone: InstantReader = (value, column) => readIn(value, column);
  for await (const inputs of records) {
    for (const input of inputs) {
      if (input.error !== undefined || input.record === undefined) {
        pending.push({ input, error: input.error ?? "unreadable row" });
      } else {
        try {
          const sources: string[] = [];
          // The row's wall times are read in its own zone when it names one.
          if (reading.ignoreZoneColumns !== true) refuseUnreadZone(input.record);
          const zone = rowZone(input.record.timezone);
          const read: InstantReader =
            zone === undefined ? readInCalendarZone : (value, column) => readIn(value, column, zone);
          const record = zone !== undefined && "createdAt" in input.record ? inZone(input.record, read) : input.record;
          pending.push({ input, ticket: rowToTicket(record, read, sources, priorityOf), sources });
        } catch (e) {
          if (!(e instanceof RowError) && !(e instanceof SlaClockError)) throw e;
          pending.push({ input, error: e.message });
        }
      }
      if (pending.length >= BATCH_ROWS) await flush();
    }
  }
  if (pending.length > 0) await flush();
  return { rows, failed };
}

/** The clock's message, plus the cell an event came from when the error names an event of a flat row. */
function failureMessage(error: SlaClockError, sources: readonly string[] | undefined): string {
  const index = error.details.eventIndex;
  const source = typeof index === "number" ? sources?.[index] : undefined;
  return source === undefined ? error.message : `${error.message} (events[${index}] is ${source})`;
}

/**
 * A cell as text for the output row: strings trimmed, numbers as they are, anything else empty. A
 * tab or CR right before `=`, `+`, `-` or `@` is kept: it is an upstream defence against CSV formula
 * injection, and trimming it would turn a defused value back into a formula.
 */
function scalar(v: unknown): string {
  if (typeof v === "number") return String(v);
  if (typeof v !== "string") return "";
  const trimmed = v.trim();
  const start = v.length - v.trimStart().length;
  const guarded = start > 0 && (v[start - 1] === "\t" || v[start - 1] === "\r") && /^[=+\-@]/.test(trimmed);
  return guarded ? `${v[start - 1]}${trimmed}` : trimmed;
}
