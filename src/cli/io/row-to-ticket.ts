import type { Ticket, TicketEvent } from "../../clock/ticket";

/**
 * The documented CSV columns of a ticket export. `pauses` holds `start/end` pairs separated by `;`
 * (an empty end: still paused); `priority_changes` holds `at=priority` pairs separated by `;`.
 *
 * @example
 * ```ts
 * const columns = TICKET_COLUMNS; // ["id", "priority", "created_at", "responded_at", "resolved_at", "pauses", "priority_changes"]
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
] as const;

/** A problem with one input row, reported in its output row. */
export class RowError extends Error {}

/** Events at the same instant apply in this order: a resume before a new pause, a resolve last. */
const ORDER: Readonly<Record<TicketEvent["type"], number>> = {
  resume: 0,
  priority: 1,
  reopen: 2,
  respond: 3,
  pause: 4,
  resolve: 5,
};

function cell(record: Record<string, unknown>, key: string): string {
  const v = record[key];
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v.trim();
  if (typeof v === "number") return String(v);
  throw new RowError(`${key}: expected text, got ${typeof v}`);
}

/**
 * Turns one row of an export into a ticket: either the flat columns ({@link TICKET_COLUMNS}) or, in
 * NDJSON, a whole `Ticket` object (`{ id, priority, createdAt, events }`). Events are sorted by
 * time. Throws `RowError` for a row that cannot describe a ticket; the ticket's own validation
 * (instants, order, priorities) happens in `evaluateMany`.
 *
 * @example
 * ```ts
 * rowToTicket({ id: "T-1", priority: "2", created_at: "2026-04-01T09:00", pauses: "2026-04-01T10:00/2026-04-01T11:00" }, Date.parse);
 * // { id: "T-1", priority: "2", createdAt: "2026-04-01T09:00", events: [{ type: "pause", … }, { type: "resume", … }] }
 * ```
 */
export function rowToTicket(record: Record<string, unknown>, toMs: (text: string) => number): Ticket {
  if ("createdAt" in record) return record as unknown as Ticket;
  const id = cell(record, "id");
  if (id === "") throw new RowError("id: missing");
  const priority = cell(record, "priority");
  if (priority === "") throw new RowError("priority: missing");
  const createdAt = cell(record, "created_at");
  if (createdAt === "") throw new RowError("created_at: missing");
  const events: { event: TicketEvent; time: number; order: number }[] = [];
  const add = (event: TicketEvent) => events.push({ event, time: toMs(String(event.at)), order: ORDER[event.type] });
  const responded = cell(record, "responded_at");
  if (responded !== "") add({ type: "respond", at: responded });
  const resolved = cell(record, "resolved_at");
  if (resolved !== "") add({ type: "resolve", at: resolved });
  const pauses = cell(record, "pauses");
  if (pauses !== "") {
    pauses.split(";").forEach((pair, k) => {
      const [start, end, extra] = pair.split("/").map((x) => x.trim());
      if (!start || end === undefined || extra !== undefined) {
        throw new RowError(
          `pauses: pair ${k + 1} ("${pair}") is not "start/end" (leave end empty, "start/", for a pause still running)`,
        );
      }
      add({ type: "pause", at: start });
      if (end) add({ type: "resume", at: end });
    });
  }
  const changes = cell(record, "priority_changes");
  if (changes !== "") {
    changes.split(";").forEach((pair, k) => {
      const [at, to, extra] = pair.split("=").map((x) => x.trim());
      if (!at || !to || extra !== undefined)
        throw new RowError(`priority_changes: entry ${k + 1} ("${pair}") is not "at=priority"`);
      add({ type: "priority", at, priority: to });
    });
  }
  // Sort by instant; an instant that does not parse sorts by its text, and the clock reports it.
  events.sort((a, b) => {
    const byTime =
      Number.isNaN(a.time) || Number.isNaN(b.time)
        ? String(a.event.at).localeCompare(String(b.event.at))
        : a.time - b.time;
    return byTime || a.order - b.order;
  });
  return { id, priority, createdAt, events: events.map((e) => e.event) };
}
