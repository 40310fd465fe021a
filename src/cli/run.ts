import { evaluateAcross } from "../clock/across";
import type { EvaluationBatch, TicketFailure } from "../clock/batch";
import type { TicketEvaluation } from "../clock/evaluate";
import type { Ticket } from "../clock/ticket";
import { SlaClockError } from "../errors";
import type { Policy } from "../clock/policy";
import { UsageError } from "./load";
import type { InputRecord } from "./io/read-records";
import { instantReader, priorityReader, rowZone, type InstantFormat } from "./io/cells";
import { looksLikeZone, pairsOrJson, withColumnHeader, type ColumnHeaders } from "./io/columns";
import { columnName } from "./io/read-records";
import { RowError, rowToTicket, type InstantReader } from "./io/row-to-ticket";
import { jsonLiteral } from "./format";

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
  /**
   * The export's headers by the field they feed, where a header is not a spelling of its field
   * (a profile's `Solved at`): row errors name the column as the export heads it too.
   */
  readonly columnHeaders?: Readonly<ColumnHeaders>;
  /** Read wall times in the policy's zone even though a key looks like a zone (NDJSON). */
  readonly ignoreZoneColumns?: boolean;
}

/**
 * An NDJSON record's keys that look like a time zone but are not `timezone` (a CSV record holds only
 * the fields read, so this is about NDJSON): a row error, since reading the row in the policy's zone
 * could be a silent wrong answer.
 */
function refuseUnreadZone(record: Record<string, unknown>): void {
  // `for…in` (own keys only, as `Object.keys`) rather than an array of keys per row.
  for (const key in record)
    if (Object.prototype.hasOwnProperty.call(record, key) && keyLooksLikeZone(key))
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
 * The policies an export's rows may name in a `policy` cell: `fallback` for a row without one,
 * `byName` for the others (`undefined`: not one the command takes), the `names` that work, and
 * `refusal`, the error of a row that names another.
 *
 * @example
 * ```ts
 * const policies: RowPolicies = rowPolicies(loadPolicy("softone-se"));
 * policies.byName("moch-standard")?.calendar.zone; // "UTC"
 * ```
 */
export interface RowPolicies {
  readonly fallback: Policy;
  byName(name: string): Policy | undefined;
  readonly names: readonly string[];
  /** Every policy a row may name (built on first call). */
  possible(): readonly Policy[];
  /** The error of a row whose `policy` cell names `name`, which `byName` does not give. */
  refusal(name: string): string;
}

/**
 * The outcome of one input row: the evaluation, or the error that stopped it, with its line.
 *
 * @example
 * ```ts
 * const row: RowOutcome = { line: 7, id: "T-9", policy: "softone-se", priority: "1", error: "ticket T-9: events[0]: resume without a pause before it" };
 * ```
 */
export interface RowOutcome {
  readonly line: number;
  readonly id: string;
  /** The id of the policy the row was judged on; for a row naming an unknown one, the cell as written. */
  readonly policy: string;
  /** The policy the row was judged on (absent when its `policy` cell names none the CLI knows). */
  readonly judgedBy?: Policy;
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
  readonly policy: string;
  readonly judgedBy: Policy;
  readonly priority: string;
  readonly ticket: Ticket;
  readonly batch: EvaluationBatch;
  readonly index: number;
  #evaluation: TicketEvaluation | undefined;

  constructor(
    line: number,
    id: string,
    policy: string,
    judgedBy: Policy,
    priority: string,
    ticket: Ticket,
    batch: EvaluationBatch,
    index: number,
  ) {
    this.line = line;
    this.id = id;
    this.policy = policy;
    this.judgedBy = judgedBy;
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
 * Rows per `evaluateMany` call: large enough that a call's fixed cost is spread thin, small enough
 * to keep memory flat (the rows of one batch, their tickets and their output are all that is held
 * at a time). Smaller than it was (1 000): what a batch holds is alive when the young generation
 * is collected, and copying it there cost a large export more than the extra calls do (GC time on
 * 200 000 rows: 1.3 s at 1 000 rows per batch, 0.7 s at 250; docs/performance.md).
 *
 * @example
 * ```ts
 * BATCH_ROWS; // 250
 * ```
 */
export const BATCH_ROWS = 250;

interface Pending {
  readonly input: InputRecord;
  readonly policy: string;
  readonly judgedBy?: Policy;
  readonly ticket?: Ticket;
  /**
   * The record the ticket was read from, and (`read`, `priorityOf`) its instant and priority
   * readers: to learn which cell each of its events came from when the clock finds fault with
   * one, the row is read again then (see sourcesOf), rather than noted for every row.
   */
  readonly source?: Record<string, unknown>;
  readonly read?: InstantReader;
  readonly priorityOf?: (value: string, column: string) => string;
  readonly error?: string;
}

/** How one policy's rows are read: its calendar's instants and its priorities. */
/**
 * One record's ticket as `evaluate` reads it under a policy (`reader`: its instant and priority
 * readers): its wall times in the row's own `timezone` when it names one (a key that looks like a
 * zone but is not read is the row's error, unless `ignoreZoneColumns`), priorities by id or label.
 * Also what `explain --ticket` reads its one ticket with, so that both read a line alike. Throws
 * `RowError` or `SlaClockError` for a row that cannot be read.
 * @internal
 */
export function readRecordTicket(
  input: Record<string, unknown>,
  reader: PolicyReading,
  reading: CellReading,
): { ticket: Ticket; record: Record<string, unknown>; read: InstantReader } {
  const { readIn, readInCalendarZone, priorityOf } = reader;
  // The row's wall times are read in its own zone when it names one.
  if (reading.ignoreZoneColumns !== true) refuseUnreadZone(input);
  const zone = rowZone(input.timezone);
  const read: InstantReader = zone === undefined ? readInCalendarZone : (value, column) => readIn(value, column, zone);
  const record = zone !== undefined && "createdAt" in input ? inZone(input, read) : input;
  return { ticket: rowToTicket(record, read, undefined, priorityOf), record, read };
}

/**
 * The readers of a policy's cells: instants (in the calendar's zone, or a row's own) and priorities.
 * @internal
 */
export function policyReading(
  policy: Policy,
  reading: CellReading,
  priorityOf: PolicyReading["priorityOf"] = priorityReader(policy, reading.priorityMap),
): PolicyReading {
  const readIn = instantReader(policy.calendar, reading);
  return { readIn, readInCalendarZone: (value, column) => readIn(value, column), priorityOf };
}

/** How one policy's cells are read (see {@link policyReading}). @internal */
export interface PolicyReading {
  readonly readIn: ReturnType<typeof instantReader>;
  /** `readIn` for a row without a zone of its own (one function for all of them, not one per row). */
  readonly readInCalendarZone: InstantReader;
  readonly priorityOf: (value: string, column: string) => string;
}

/**
 * The priority reader of a row's policy (not the command's) when `--priority-map` names a priority
 * that policy lacks (the map was checked against the command's policy): the entries that fit are
 * used as the map, and a cell holding a label of an entry that does not fit is a `RowError` saying
 * so — only the rows that use that label fail.
 */
function partialMapReader(policy: Policy, map: string): (value: string, column: string) => string {
  const base = priorityReader(policy);
  const fits = new Map<string, string>();
  const misfits = new Map<string, string>();
  for (const [label, to] of pairsOrJson(map, "--priority-map", "Label=priority")) {
    const key = label.trim().toLowerCase();
    try {
      fits.set(key, base(to, "--priority-map"));
    } catch {
      misfits.set(key, to);
    }
  }
  const ids = policy.priorities.map((p) => String(p.id)).join(", ");
  return (value, column) => {
    const key = value.trim().toLowerCase();
    const id = fits.get(key);
    if (id !== undefined) return id;
    const to = misfits.get(key);
    if (to !== undefined)
      throw new RowError(
        `${column}: ${jsonLiteral(value)} is priority "${to}" by --priority-map, which policy ${policy.id} does not have; its priorities are ${ids}`,
      );
    return base(value, column);
  };
}

/** The policy a row names in its `policy` cell (or the fallback), or a `RowError` listing the valid names. */
function policyOfRow(
  record: Record<string, unknown>,
  policies: RowPolicies,
  onFallback: { readonly name: string; readonly policy: Policy },
): { readonly name: string; readonly policy?: Policy } {
  const name = scalar(record.policy);
  // The same answer for every row without a policy cell: one object, not one per row.
  if (name === "") return onFallback;
  const policy = policies.byName(name);
  return policy === undefined ? { name } : { name: policy.id, policy };
}

/**
 * Evaluates every row of an export — given as batches of records, as {@link readRecordBatches}
 * reads them — at `now`, in order, in batches of {@link BATCH_ROWS}, calling
 * `visit` with each batch of outcomes — one per input row, in input order — and awaiting it, so a
 * slow writer holds the reader back. Rows that cannot become a ticket, and tickets with bad data,
 * become outcomes with an error; none is skipped. An error about one event of a CSV row says which
 * cell the event came from. `reading` says how cells are written (instant formats, a priority map);
 * a row's `timezone` cell, when filled, is the zone its wall times are read in. `now` may be a
 * function, asked when the first batch is evaluated: `--now` in a profile's date format can only
 * be read once the export's header is.
 *
 * `policies` is one policy for every row, or {@link RowPolicies}: then a row's `policy` cell names
 * the policy it is judged on (empty: the fallback), its wall times are read in that policy's zone
 * and its priorities in that policy's table, and a name the CLI does not know is an error row
 * listing the valid ones. A batch whose rows are all on one policy is evaluated with that policy's
 * `evaluateMany`, a batch mixing policies with `evaluateAcross` (one `evaluateMany` per policy);
 * rows stay in input order, and each evaluated row is read from its policy's batch columns.
 *
 * @example
 * ```ts
 * await evaluateRecords(getPolicy("softone-se"), readRecordBatches(stream, "csv"), Date.now(), (rows) => rows.forEach((r) => console.log(r.line, r.error)));
 * ```
 */
export async function evaluateRecords(
  policies: Policy | RowPolicies,
  records: AsyncIterable<readonly InputRecord[]> | Iterable<readonly InputRecord[]>,
  now: number | (() => number),
  visit: (rows: readonly RowOutcome[]) => void | Promise<void>,
  reading: CellReading = {},
): Promise<{ rows: number; failed: number }> {
  const perRow = "fallback" in policies ? policies : undefined;
  const fallback = perRow === undefined ? (policies as Policy) : perRow.fallback;
  const readings = new Map<Policy, PolicyReading>();
  const readingOf = (policy: Policy): PolicyReading => {
    let r = readings.get(policy);
    if (r === undefined) {
      let priorityOf: PolicyReading["priorityOf"];
      try {
        priorityOf = priorityReader(policy, reading.priorityMap);
      } catch (e) {
        // The map was checked against the fallback policy; another policy may lack one of its priorities.
        if (!(e instanceof UsageError) || policy === fallback || reading.priorityMap === undefined) throw e;
        priorityOf = partialMapReader(policy, reading.priorityMap);
      }
      r = policyReading(policy, reading, priorityOf);
      readings.set(policy, r);
    }
    return r;
  };
  readingOf(fallback);
  let rows = 0;
  let failed = 0;
  let pending: Pending[] = [];

  const flush = async (): Promise<void> => {
    const tickets: Ticket[] = [];
    const judges: Policy[] = [];
    let mixed = false;
    for (const p of pending)
      if (p.ticket !== undefined) {
        tickets.push(p.ticket);
        judges.push(p.judgedBy!);
        if (p.judgedBy !== judges[0]) mixed = true;
      }
    // Ticket k's evaluation is row `place[k]` of `batches[k]`, its policy's batch: with one policy
    // (whichever it is) that is the batch itself; with several, evaluateAcross evaluates each
    // policy's tickets as one batch and its groups say which ticket went where, so every row is
    // still read from columns.
    let single: EvaluationBatch | undefined;
    let across: ReturnType<typeof evaluateAcross> | undefined;
    let batches: (EvaluationBatch | undefined)[] = [];
    let place: Int32Array | undefined;
    const at = typeof now === "number" ? now : now();
    if (!mixed) single = (judges[0] ?? fallback).evaluateMany(tickets, at);
    else {
      across = evaluateAcross(tickets, judges, at);
      batches = new Array<EvaluationBatch | undefined>(tickets.length);
      place = new Int32Array(tickets.length);
      for (const group of across.groups)
        for (let m = 0; m < group.indexes.length; m++) {
          const t = group.indexes[m]!;
          batches[t] = group.batch;
          place[t] = m;
        }
    }
    const outcomes: RowOutcome[] = new Array<RowOutcome>(pending.length);
    let k = 0;
    for (let j = 0; j < pending.length; j++) {
      const p = pending[j]!;
      const line = p.input.line;
      const id = scalar(p.input.record?.id);
      const policy = p.policy;
      let outcome: RowOutcome;
      if (p.ticket === undefined) {
        const judged = p.judgedBy === undefined ? {} : { judgedBy: p.judgedBy };
        const priority = scalar(p.input.record?.priority);
        outcome = { line, id, policy, ...judged, priority, error: p.error ?? "unreadable row" };
      } else {
        const t = k++;
        const batch = single ?? batches[t];
        const i = single === undefined ? place![t]! : t;
        if (batch === undefined || batch.isFailure(i)) {
          const result = (batch === undefined ? across!.get(t) : batch.get(i)) as TicketFailure;
          const priority = scalar(p.input.record?.priority);
          outcome = {
            line,
            id,
            policy,
            judgedBy: p.judgedBy!,
            priority,
            error: failureMessage(result.error, p, reading.columnHeaders),
          };
        } else {
          // The priority in force at `now`, in the row's own policy, as `batch.get(i).priority` gives it.
          const priority = priorityIdsOf(p.judgedBy!)[batch.priorityRank[i]!]!;
          outcome = new EvaluatedRow(line, id, policy, p.judgedBy!, priority, p.ticket, batch, i);
        }
      }
      rows++;
      if (outcome.error !== undefined) failed++;
      outcomes[j] = outcome;
    }
    pending = [];
    await visit(outcomes);
  };

  const onFallback = { name: fallback.id, policy: fallback } as const;
  for await (const inputs of records) {
    for (const input of inputs) {
      if (input.error !== undefined || input.record === undefined) {
        const named =
          perRow === undefined || input.record === undefined
            ? undefined
            : policyOfRow(input.record, perRow, onFallback);
        pending.push({
          input,
          policy: named?.name ?? fallback.id,
          ...(named === undefined
            ? { judgedBy: fallback }
            : named.policy === undefined
              ? {}
              : { judgedBy: named.policy }),
          error: input.error ?? "unreadable row",
        });
      } else {
        const { name, policy } = perRow === undefined ? onFallback : policyOfRow(input.record, perRow, onFallback);
        try {
          if (policy === undefined) throw new RowError(perRow!.refusal(name));
          const reader = readingOf(policy);
          const { ticket, record, read } = readRecordTicket(input.record, reader, reading);
          pending.push({
            input,
            policy: name,
            judgedBy: policy,
            ticket,
            source: record,
            read,
            priorityOf: reader.priorityOf,
          });
        } catch (e) {
          if (!(e instanceof RowError) && !(e instanceof SlaClockError)) throw e;
          pending.push({
            input,
            policy: name,
            ...(policy === undefined ? {} : { judgedBy: policy }),
            error: withColumnHeader(e.message, reading.columnHeaders),
          });
        }
      }
      if (pending.length >= BATCH_ROWS) await flush();
    }
  }
  if (pending.length > 0) await flush();
  return { rows, failed };
}

/** Each policy's priority ids as text, by rank (one string per priority, not one per row). */
const PRIORITY_IDS = new WeakMap<Policy, readonly string[]>();
function priorityIdsOf(policy: Policy): readonly string[] {
  let ids = PRIORITY_IDS.get(policy);
  if (ids === undefined) PRIORITY_IDS.set(policy, (ids = policy.priorities.map((p) => String(p.id))));
  return ids;
}

/**
 * The clock's message, plus the cell an event came from when the error names an event of a flat
 * row: its column (as the export heads it, when not a spelling of the field) and its text as
 * written, since the clock shows the instant it read.
 */
function failureMessage(error: SlaClockError, row: Pending, headers: Readonly<ColumnHeaders> | undefined): string {
  const index = error.details.eventIndex;
  const source = typeof index === "number" ? sourcesOf(row)?.[index] : undefined;
  return source === undefined
    ? error.message
    : `${error.message} (events[${index}] is ${withColumnHeader(source, headers)})`;
}

/**
 * The cell each event of a row's ticket came from, in the ticket's order: the row read again, as
 * it was read the first time (the same readers, so the same events; an NDJSON ticket names none).
 */
function sourcesOf(row: Pending): string[] | undefined {
  if (row.source === undefined || row.read === undefined) return undefined;
  const sources: string[] = [];
  rowToTicket(row.source, row.read, sources, row.priorityOf);
  return sources;
}

/**
 * A cell as text for the output row: strings trimmed, numbers as they are, anything else empty. A
 * tab or CR right before `=`, `+`, `-` or `@` is kept: it is an upstream defence against CSV formula
 * injection, and trimming it would turn a defused value back into a formula.
 */
export function scalar(v: unknown): string {
  if (typeof v === "number") return String(v);
  if (typeof v !== "string") return "";
  const trimmed = v.trim();
  const start = v.length - v.trimStart().length;
  const guarded = start > 0 && (v[start - 1] === "\t" || v[start - 1] === "\r") && /^[=+\-@]/.test(trimmed);
  return guarded ? `${v[start - 1]}${trimmed}` : trimmed;
}
