import type { Ticket, TicketEvent } from "../../clock/ticket";
import { showValue } from "../../errors";
import { jsonLiteral } from "../format";

/**
 * The documented CSV columns of a ticket export (besides `timezone` and `policy`, read by the
 * caller). `pauses` holds `start/end` pairs separated by `;` (an empty end: still paused);
 * `priority_changes` holds `at=priority` pairs separated by `;`; `resolved_at` one instant, or
 * several separated by `;` for a ticket resolved again after a reopen; `agent_replies`,
 * `customer_replies` and `reopens` hold instants separated by `;`; `events` a JSON array of
 * `TicketEvent`s (a whole history, merged with the other columns' events).
 *
 * @example
 * ```ts
 * TICKET_COLUMNS.includes("customer_replies"); // true
 * ```
 */
export const TICKET_COLUMNS = [
  "id",
  "priority",
  "created_at",
  "responded_at",
  "resolved_at",
  "pauses",
  "priority_changes",
  "agent_replies",
  "customer_replies",
  "reopens",
  "events",
] as const;

/**
 * The fields a CSV column can feed: the ticket's columns plus `timezone`, the zone the row's wall
 * times are read in, and `policy`, the policy the row is judged on.
 *
 * @example
 * ```ts
 * FIELDS.includes("timezone"); // true
 * ```
 */
export const FIELDS = [...TICKET_COLUMNS, "timezone", "policy"] as const;

/**
 * The columns a CSV export must have; the others may be left out.
 *
 * @example
 * ```ts
 * REQUIRED_COLUMNS; // ["id", "priority", "created_at"]
 * ```
 */
export const REQUIRED_COLUMNS = ["id", "priority", "created_at"] as const;

/**
 * Whether a CSV line, read as a row of its own, looks like a ticket: an id, a priority and a
 * `created_at` that starts with a digit (as every date form the CLI reads does). The reader ends a quoted field left
 * open on an earlier line before such a line rather than read it as part of that field; every row the
 * CLI could evaluate passes, and text inside a field (a subject over several lines) hardly ever does.
 *
 * @example
 * ```ts
 * startsTicketRow({ id: "T-12", priority: "5", created_at: "2026-04-01T09:00" }); // true
 * startsTicketRow({ id: "printer down", priority: " toner empty" }); // false
 * ```
 */
export function startsTicketRow(record: Readonly<Record<string, string>>): boolean {
  return (
    (record.id ?? "").trim() !== "" &&
    (record.priority ?? "").trim() !== "" &&
    /^[+-]?\d/.test((record.created_at ?? "").trim())
  );
}

/**
 * A problem with one input row, reported in its output row.
 *
 * @example
 * ```ts
 * throw new RowError("id: missing");
 * ```
 */
export class RowError extends Error {}

/**
 * Reads an instant cell (ISO-8601 text, or epoch milliseconds from NDJSON) as epoch milliseconds,
 * throwing an error whose message names `column`.
 *
 * @example
 * ```ts
 * const read: InstantReader = (value, column) => calendar.parse(value, { path: column }).getTime();
 * ```
 */
export type InstantReader = (value: string | number, column: string) => number;

/** Events at the same instant apply in this order: a resume before a new pause, a resolve last. */
const ORDER: Readonly<Record<TicketEvent["type"], number>> = {
  resume: 0,
  priority: 1,
  reopen: 2,
  respond: 3,
  agentReply: 3,
  customerReply: 3,
  pause: 4,
  resolve: 5,
};

/**
 * Refuses an NDJSON id that is a number JSON cannot give back as written: past 2^53 its digits are
 * already changed by the parse (12345678901234567890 reads as 12345678901234567000), and a fraction
 * or an exponent (1.50, 1e21) comes out written otherwise. The id would reach the output changed.
 */
function refuseInexactId(v: unknown): void {
  if (typeof v === "number" && !Number.isSafeInteger(v))
    throw new RowError(
      `id: the number ${String(v)} cannot be kept exactly as JSON gives it (ids that are numbers must be whole and at most 2^53 − 1); write the id as a string`,
    );
}

function cell(record: Record<string, unknown>, key: string): string {
  const v = record[key];
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v.trim();
  if (typeof v === "number") {
    if (key === "id") refuseInexactId(v);
    return String(v);
  }
  throw new RowError(`${key}: expected text, got ${Array.isArray(v) ? "an array" : typeof v}`);
}

const TICKET_KEYS = ["id", "priority", "createdAt", "events"] as const;

/**
 * A whole `Ticket` from an NDJSON line: its own keys only (others, such as a subject, are ignored as
 * extra CSV columns are), events sorted by time when every instant can be read (equal instants keep
 * their order; otherwise the order is left for the ticket clock to judge).
 */
function wholeTicket(record: Record<string, unknown>, read: InstantReader): Ticket {
  refuseInexactId(record.id);
  const ticket: Record<string, unknown> = {};
  for (const key of TICKET_KEYS) if (record[key] !== undefined) ticket[key] = record[key];
  const events = ticket.events;
  if (Array.isArray(events) && events.length > 1) {
    const times: number[] = [];
    for (const e of events as unknown[]) {
      const at = typeof e === "object" && e !== null ? (e as { at?: unknown }).at : undefined;
      if (typeof at !== "string" && typeof at !== "number") return ticket as unknown as Ticket;
      try {
        times.push(read(at, "at"));
      } catch {
        return ticket as unknown as Ticket;
      }
    }
    ticket.events = events
      .map((e: unknown, i) => [e, times[i]!] as const)
      .sort((a, b) => a[1] - b[1])
      .map(([e]) => e);
  }
  return ticket as unknown as Ticket;
}

/**
 * Turns one row of an export into a ticket: either the flat columns ({@link TICKET_COLUMNS}) or, in
 * NDJSON, a whole `Ticket` object (`{ id, priority, createdAt, events }`). Instants are read once,
 * here (`read` throws for an instant that cannot be read, naming its column), and passed on as
 * epoch milliseconds; events are sorted by time, and at the same instant a resume comes before a
 * new pause and a resolve last. `priorityOf` turns a written priority into one of the policy's (default:
 * as written). Throws `RowError` (or the reader's error) for a row that cannot
 * describe a ticket; whether the events make sense together (order, state, priorities) is for the
 * ticket clock in `evaluateMany` to judge. Pass `sources` to learn which cell each event came from,
 * with its text as written (`pauses pair 2, end: "2026-04-02 11:00"`), in the order of the ticket's
 * events.
 *
 * @example
 * ```ts
 * rowToTicket({ id: "T-1", priority: "2", created_at: "2026-04-01T09:00Z", pauses: "2026-04-01T10:00Z/2026-04-01T11:00Z" }, (v) => Date.parse(String(v)));
 * // { id: "T-1", priority: "2", createdAt: 1775034000000, events: [{ type: "pause", … }, { type: "resume", … }] }
 * ```
 */
export function rowToTicket(
  record: Record<string, unknown>,
  read: InstantReader,
  sources?: string[],
  priorityOf: (value: string, column: string) => string = (v) => v,
): Ticket {
  if ("createdAt" in record) return wholeTicket(record, read);
  const id = cell(record, "id");
  if (id === "") throw new RowError("id: missing");
  const written = cell(record, "priority");
  if (written === "") throw new RowError("priority: missing");
  const priority = priorityOf(written, "priority");
  const createdAt = instantCell(record, "created_at", read);
  if (createdAt === undefined) throw new RowError("created_at: missing");
  // The events in the order they are found and, only when `sources` is asked for, the cell each
  // came from: a row of an export is read millions of times, and most rows never need to name a
  // cell. At an equal instant they rank by ORDER, the `events` cell's items after them in their
  // own order (see rankOf); whether they are in order already is noted as they come.
  const events: TicketEvent[] = [];
  const from: string[] | undefined = sources === undefined ? undefined : [];
  let sorted = true;
  let lastAt = -Infinity;
  let lastRank = -Infinity;
  const add = (event: TicketEvent, rank: number): void => {
    const at = event.at as number;
    if (sorted && (at < lastAt || (at === lastAt && rank < lastRank))) sorted = false;
    lastAt = at;
    lastRank = rank;
    events.push(event);
  };
  const responded = instantCell(record, "responded_at", read);
  if (responded !== undefined) {
    add({ type: "respond", at: responded }, ORDER.respond);
    from?.push(sourceText("responded_at", record.responded_at));
  }
  // Instant lists: a ticket resolved, reopened and resolved again has two resolutions.
  for (const [column, type] of INSTANT_LISTS) {
    const v = record[column];
    if (v === undefined || v === "") continue;
    const text = typeof v === "string" ? v.trim() : undefined;
    if (text !== undefined && text !== "" && !text.includes(";")) {
      // One instant (instantList would give [text]).
      const single = column === "resolved_at";
      add({ type, at: read(text, single ? column : `${column} (entry 1)`) }, ORDER[type]);
      from?.push(sourceText(single ? column : `${column} entry 1`, text));
      continue;
    }
    const all = instantList(record, column);
    for (let k = 0; k < all.length; k++) {
      const single = all.length === 1 && column === "resolved_at";
      add({ type, at: read(all[k]!, single ? column : `${column} (entry ${k + 1})`) }, ORDER[type]);
      from?.push(sourceText(single ? column : `${column} entry ${k + 1}`, all[k]!));
    }
  }
  const pauses = cell(record, "pauses");
  if (pauses !== "") {
    pauses.split(";").forEach((pair, k) => {
      if (pair.trim() === "" && k > 0) return; // a trailing ";"
      const split = pauseSplit(pair, (text) => {
        try {
          read(text, "pauses");
          return true;
        } catch {
          return false;
        }
      });
      if (split === undefined) {
        throw new RowError(
          `pauses: pair ${k + 1} (${jsonLiteral(pair)}) is not "start/end" (leave end empty, "start/", for a pause still running)`,
        );
      }
      const [start, end] = split;
      add({ type: "pause", at: read(start, `pauses (pair ${k + 1}, start)`) }, ORDER.pause);
      from?.push(sourceText(`pauses pair ${k + 1}, start`, start));
      if (end) {
        add({ type: "resume", at: read(end, `pauses (pair ${k + 1}, end)`) }, ORDER.resume);
        from?.push(sourceText(`pauses pair ${k + 1}, end`, end));
      }
    });
  }
  const changes = cell(record, "priority_changes");
  if (changes !== "") {
    changes.split(";").forEach((pair, k) => {
      if (pair.trim() === "" && k > 0) return;
      const [at, to, extra] = pair.split("=").map((x) => x.trim());
      if (!at || !to || extra !== undefined)
        throw new RowError(`priority_changes: entry ${k + 1} (${jsonLiteral(pair)}) is not "at=priority"`);
      add(
        {
          type: "priority",
          at: read(at, `priority_changes (entry ${k + 1})`),
          priority: priorityOf(to, `priority_changes (entry ${k + 1})`),
        },
        ORDER.priority,
      );
      from?.push(sourceText(`priority_changes entry ${k + 1}`, pair.trim()));
    });
  }
  // The `events` cell comes after the columns at an equal instant, in its own written order.
  const fromColumns = events.length;
  const history = eventsCell(record.events, read, priorityOf);
  history.forEach((h, k) => {
    add(h.event, EVENTS_CELL_ORDER + k);
    from?.push(h.source);
  });
  if (sorted) {
    if (from !== undefined) sources!.push(...from);
    return { id, priority, createdAt, events };
  }
  // In time order, and at an equal instant by rank, else as found (a stable sort).
  const ranks = events.map((e, k) => (k < fromColumns ? ORDER[e.type] : EVENTS_CELL_ORDER + (k - fromColumns)));
  const order = events.map((_, k) => k).sort((a, b) => compareEvents(events, ranks, a, b));
  if (from !== undefined) for (const k of order) sources!.push(from[k]!);
  return { id, priority, createdAt, events: order.map((k) => events[k]!) };
}

/**
 * Where an event came from, for a message about it: the cell and its text as written
 * (`pauses pair 1, end: "2026-04-01 11:00"`), since the ticket clock shows the instant it read.
 */
function sourceText(where: string, value: unknown): string {
  return `${where}: ${typeof value === "string" ? jsonLiteral(value.trim()) : String(value)}`;
}

/** An instant cell of a flat row as epoch milliseconds (undefined when empty). */
function instantCell(record: Record<string, unknown>, column: string, read: InstantReader): number | undefined {
  const v = record[column];
  if (typeof v === "number") return read(v, column);
  const text = cell(record, column);
  return text === "" ? undefined : read(text, column);
}

/** Events `a` and `b` of a row by time, then by rank (negative: `a` first; 0: as found). */
function compareEvents(events: readonly TicketEvent[], ranks: readonly number[], a: number, b: number): number {
  return (events[a]!.at as number) - (events[b]!.at as number) || ranks[a]! - ranks[b]!;
}

/** The columns of instant lists, with the event each instant is. */
const INSTANT_LISTS = [
  ["resolved_at", "resolve"],
  ["agent_replies", "agentReply"],
  ["customer_replies", "customerReply"],
  ["reopens", "reopen"],
] as const;

/** Sort rank of the `events` cell's first item: after every rank of {@link ORDER}. */
const EVENTS_CELL_ORDER = 100;

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * The instants of a list cell: `;`-separated text (a trailing `;` and spaces allowed), or, in
 * NDJSON, an array of instants (text or epoch numbers); a single number is one instant.
 */
function instantList(record: Record<string, unknown>, column: string): readonly (string | number)[] {
  const v = record[column];
  if (v === undefined || v === null) return EMPTY;
  if (typeof v === "number") return [v];
  if (Array.isArray(v)) {
    return v.map((item, k) => {
      if (typeof item === "string" || typeof item === "number") return item;
      throw new RowError(`${column}: entry ${k + 1} is not an instant (text or epoch milliseconds)`);
    });
  }
  const text = cell(record, column);
  if (text === "") return EMPTY;
  if (!text.includes(";")) return [text];
  const parts = text.split(";").map((x) => x.trim());
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  const empty = parts.indexOf("");
  if (empty >= 0) throw new RowError(`${column}: entry ${empty + 1} is empty (instants are separated by ";")`);
  return parts;
}

/**
 * The `events` cell: a JSON array of `TicketEvent`s (`[{"type":"customerReply","at":"2026-04-02T10:00"}]`),
 * as text in CSV or as an array in NDJSON. Each `at` is read by `read` (the row's zone, the date
 * format), each `priority` through `priorityOf`; what the events mean together (a known type, the
 * order of states) is for the ticket clock to judge. Throws `RowError` for text that is not JSON or
 * not an array of objects with an `at`.
 */
function eventsCell(
  value: unknown,
  read: InstantReader,
  priorityOf: (value: string, column: string) => string,
): { event: TicketEvent; source: string }[] {
  if (value === undefined || value === null) return [];
  let list: unknown = value;
  if (typeof value === "string") {
    const text = value.trim();
    if (text === "") return [];
    try {
      list = JSON.parse(text) as unknown;
    } catch (e) {
      throw new RowError(
        `events: not JSON (${(e as Error).message}); write a JSON array such as [{"type":"customerReply","at":"2026-04-02T10:00"}]`,
      );
    }
  }
  if (!Array.isArray(list))
    throw new RowError(
      `events: expected a JSON array of events [{"type": …, "at": …}], got ${list === null ? "null" : typeof list}`,
    );
  return list.map((item: unknown, k) => {
    const where = `events[${k}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item))
      throw new RowError(`${where}: expected an event object {"type": …, "at": …}`);
    const { at, priority, ...rest } = item as Record<string, unknown>;
    if (typeof at !== "string" && typeof at !== "number")
      throw new RowError(
        `${where}.at: expected an instant (text or epoch milliseconds), got ${at === undefined ? "nothing" : showValue(at)}`,
      );
    const event: Record<string, unknown> = { ...rest, at: read(at, `${where}.at`) };
    if (priority !== undefined)
      event.priority =
        typeof priority === "string" || typeof priority === "number"
          ? priorityOf(String(priority), `${where}.priority`)
          : priority;
    // Named as the other cells' events are (sourceText): the field first, so that the column's
    // header can name it (withColumnHeader), then the item's text, its JSON as the cell holds it.
    return { event: event as unknown as TicketEvent, source: `events cell item ${k + 1}: ${jsonLiteral(item)}` };
  });
}

/**
 * A pause cell's pair split into start and end at its `/`. Where the instants themselves hold `/`
 * (`--date-format dd/MM/yyyy`, the JSM profile's `dd/MMM/yy h:mm a`), the one `/` at which both
 * sides read as instants (the end may be empty: still paused); `undefined` when there is no such
 * `/`, or more than one.
 */
function pauseSplit(pair: string, readable: (text: string) => boolean): [string, string] | undefined {
  const parts = pair.split("/");
  if (parts.length === 2) {
    const [start, end] = parts.map((x) => x.trim()) as [string, string];
    return start === "" ? undefined : [start, end];
  }
  let found: [string, string] | undefined;
  for (let i = pair.indexOf("/"); i !== -1; i = pair.indexOf("/", i + 1)) {
    const start = pair.slice(0, i).trim();
    const end = pair.slice(i + 1).trim();
    if (start === "" || !readable(start) || (end !== "" && !readable(end))) continue;
    if (found !== undefined) return undefined; // two ways to read it: say so rather than guess
    found = [start, end];
  }
  return found;
}
