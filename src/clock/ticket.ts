import { z } from "zod";
import { DateTime } from "luxon";
import { SlaClockError, formatPath } from "../errors";
import { toEpochMs, type InstantInput } from "../time/instant";
import type { PolicyRules, PriorityEntry } from "../policy/rules";
import type { PriorityId } from "../policy/spec";
import type { ZoneRules } from "../time/zone";

/**
 * Something that happened to a ticket. Events must be in time order (equal instants keep their
 * given order) and not before the ticket's creation.
 *
 * - `pause` / `resume`: waiting for the customer; paused time never counts.
 * - `priority`: the ticket's priority changes (SoftOne gives priority 3 to a priority 1 or 2 case
 *   once a workaround exists).
 * - `respond`: the first response; stops `response`. Only one.
 * - `resolve` / `reopen`: stops and restarts `resolution`.
 *
 * @example
 * ```ts
 * const events: TicketEvent[] = [
 *   { type: "respond", at: "2026-04-02T10:30" },
 *   { type: "pause", at: "2026-04-02T11:00" },
 *   { type: "resume", at: "2026-04-07T09:00" },
 *   { type: "priority", at: "2026-04-07T10:00", priority: 3 },
 *   { type: "resolve", at: "2026-04-08T15:00" },
 * ];
 * ```
 */
export type TicketEvent =
  | { readonly type: "pause"; readonly at: InstantInput }
  | { readonly type: "resume"; readonly at: InstantInput }
  | { readonly type: "priority"; readonly at: InstantInput; readonly priority: PriorityId }
  | { readonly type: "respond"; readonly at: InstantInput }
  | { readonly type: "resolve"; readonly at: InstantInput }
  | { readonly type: "reopen"; readonly at: InstantInput };

/**
 * A ticket as the clock reads it: an id, the priority it was created with, when it was created, and
 * what happened since. Instants as everywhere in sla-clock (an offset-less ISO string is wall time
 * in the policy calendar's zone).
 *
 * @example
 * ```ts
 * const ticket: Ticket = {
 *   id: "T-1042",
 *   priority: 1,
 *   createdAt: "2026-04-02T09:00",
 *   events: [{ type: "respond", at: "2026-04-02T10:30" }],
 * };
 * ```
 */
export interface Ticket {
  readonly id: string | number;
  readonly priority: PriorityId;
  readonly createdAt: InstantInput;
  readonly events?: readonly TicketEvent[];
}

/** Event kinds, as small integers for the evaluation loop. @internal */
export const EventKind = { Pause: 0, Resume: 1, Priority: 2, Respond: 3, Resolve: 4, Reopen: 5 } as const;
/** @internal */
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

const KIND: Readonly<Record<TicketEvent["type"], EventKind>> = {
  pause: EventKind.Pause,
  resume: EventKind.Resume,
  priority: EventKind.Priority,
  respond: EventKind.Respond,
  resolve: EventKind.Resolve,
  reopen: EventKind.Reopen,
};

const instant = z.custom<InstantInput>((v) => isInstantLike(v), {
  error: "expected an instant: a Date, epoch milliseconds, an ISO-8601 string or a luxon DateTime",
});
// Plain predicates rather than unions keep the per-ticket parse cheap: evaluateMany validates
// every ticket of batches of millions.
const isPriorityId = (v: unknown) =>
  (typeof v === "string" && v.length > 0 && v.length <= 100) || (typeof v === "number" && Number.isFinite(v));
const priorityId = z.custom<PriorityId>(isPriorityId, {
  error: "expected a priority id (a non-empty string or a number)",
});
const EVENT_TYPES = ["pause", "resume", "priority", "respond", "resolve", "reopen"] as const;
const eventSchema = z.strictObject(
  {
    type: z.enum(EVENT_TYPES, {
      error: () => `expected an event type: ${EVENT_TYPES.map((t) => `"${t}"`).join(", ")}`,
    }),
    at: instant,
    // Required on, and only on, "priority" events: checked by TicketReader with the event index.
    priority: priorityId.optional(),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? undefined : "expected an event object { type, at }") },
);
const ticketSchema = z.strictObject(
  {
    id: z.custom<string | number>(
      (v) =>
        (typeof v === "string" && v.length > 0 && v.length <= 500) || (typeof v === "number" && Number.isFinite(v)),
      {
        error: "expected an id (a non-empty string or a number)",
      },
    ),
    priority: priorityId,
    createdAt: instant,
    events: z.array(eventSchema, { error: "expected a list of events" }).optional(),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? undefined : "expected a ticket object") },
);

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);

function isInstantLike(v: unknown): boolean {
  return typeof v === "number" || typeof v === "string" || v instanceof Date || DateTime.isDateTime(v);
}

/**
 * A conservative recogniser of tickets that `ticketSchema` certainly accepts: plain objects with
 * only the known keys and values of the right types. The zod schema stays the authority — anything
 * this does not recognise goes through zod, which decides and words the error — but batches of
 * millions of ordinary tickets skip zod's per-object copying, which would otherwise dominate
 * `evaluateMany`. A property test checks that whatever this accepts, zod accepts too.
 * @internal
 */
export function certainlyWellShaped(t: unknown): boolean {
  if (typeof t !== "object" || t === null || Object.getPrototypeOf(t) !== Object.prototype) return false;
  const ticket = t as Record<string, unknown>;
  for (const key in ticket) {
    if (key !== "id" && key !== "priority" && key !== "createdAt" && key !== "events") return false;
  }
  const id = ticket.id;
  if (!(
    (typeof id === "string" && id.length > 0 && id.length <= 500) ||
    (typeof id === "number" && Number.isFinite(id))
  ))
    return false;
  if (!isPriorityId(ticket.priority) || !isInstantLike(ticket.createdAt)) return false;
  const events = ticket.events;
  if (events === undefined) return true;
  if (!Array.isArray(events) || Object.getPrototypeOf(events) !== Array.prototype) return false;
  for (let i = 0; i < events.length; i++) {
    const e: unknown = events[i];
    if (typeof e !== "object" || e === null || Object.getPrototypeOf(e) !== Object.prototype) return false;
    const event = e as Record<string, unknown>;
    for (const key in event) if (key !== "type" && key !== "at" && key !== "priority") return false;
    if (typeof event.type !== "string" || !EVENT_TYPE_SET.has(event.type) || !isInstantLike(event.at)) return false;
    if (event.priority !== undefined && !isPriorityId(event.priority)) return false;
  }
  return true;
}

function idOf(input: unknown): string {
  if (typeof input === "object" && input !== null && "id" in input) {
    const id = (input as { id: unknown }).id;
    if (typeof id === "string" || typeof id === "number") return String(id);
  }
  return "(no id)";
}

function ticketError(rawId: string | number, path: string, message: string, eventIndex?: number): SlaClockError {
  const ticketId = String(rawId);
  return new SlaClockError("INVALID_TICKET", `ticket ${ticketId}: ${path ? `${path}: ` : ""}${message}`, {
    ticketId,
    path,
    ...(eventIndex === undefined ? {} : { eventIndex }),
  });
}

/**
 * A validated ticket in flat arrays (epoch-ms instants, priority rows). One reader is reused across
 * a whole batch, so reading a ticket allocates nothing beyond zod's own parse.
 * @internal
 */
export class TicketReader {
  /** The id as the ticket gives it (converted to a string only when needed). */
  rawId: string | number = "";
  createdAt = 0;
  priority!: PriorityEntry;
  count = 0;
  kinds = new Uint8Array(8);
  times = new Float64Array(8);
  /** The new priority of `priority` events. */
  priorities: (PriorityEntry | undefined)[] = [];

  /**
   * Validates a ticket against a policy: its shape (zod), its instants, that events are in time
   * order and not before creation, that each event makes sense in the ticket's state (no resume
   * without a pause, one respond, no reopen of an open ticket…), and that every priority is in the
   * table. Errors name the ticket id and the event index.
   */
  read(rules: PolicyRules, input: Ticket): void {
    if (!certainlyWellShaped(input)) {
      const parsed = ticketSchema.safeParse(input);
      if (!parsed.success) throw shapeError(input, parsed.error);
    }
    const ticket = input;
    const id = ticket.id;
    this.rawId = id;
    const zone = rules.engine.zone;
    const createdAt = instantOf(ticket.createdAt, zone, id, "createdAt", undefined);
    this.createdAt = createdAt;
    this.priority = priorityOf(rules, ticket.priority, id, "priority", undefined);
    const events = ticket.events ?? [];
    const n = events.length;
    if (this.kinds.length < n) {
      this.kinds = new Uint8Array(n * 2);
      this.times = new Float64Array(n * 2);
    }
    this.count = n;
    let paused = false;
    let resolved = false;
    let responded = -1;
    let previous = createdAt;
    for (let i = 0; i < n; i++) {
      const event = events[i] as TicketEvent;
      const at = instantOf(event.at, zone, id, "at", i);
      if (at < createdAt) {
        throw ticketError(
          id,
          `events[${i}]`,
          `${event.type} at ${iso(at)} is before the ticket was created (${iso(createdAt)})`,
          i,
        );
      }
      if (at < previous) {
        throw ticketError(
          id,
          `events[${i}]`,
          `${event.type} at ${iso(at)} is before the previous event (${iso(previous)}); events must be in time order`,
          i,
        );
      }
      previous = at;
      const why = stateError(event.type, paused, resolved, responded);
      if (why !== undefined) throw ticketError(id, `events[${i}]`, why, i);
      const hasPriority = (event as { priority?: unknown }).priority !== undefined;
      if (hasPriority !== (event.type === "priority")) {
        throw ticketError(
          id,
          `events[${i}].priority`,
          hasPriority
            ? `only "priority" events carry a priority, not "${event.type}"`
            : "a priority event needs the new priority",
          i,
        );
      }
      const kind = KIND[event.type];
      if (kind === EventKind.Pause) paused = true;
      else if (kind === EventKind.Resume) paused = false;
      else if (kind === EventKind.Respond) responded = i;
      else if (kind === EventKind.Resolve) {
        resolved = true;
        paused = false;
      } else if (kind === EventKind.Reopen) resolved = false;
      this.kinds[i] = kind;
      this.times[i] = at;
      this.priorities[i] = event.type === "priority" ? priorityOf(rules, event.priority, id, "priority", i) : undefined;
    }
  }
}

function shapeError(input: unknown, error: z.ZodError): SlaClockError {
  const issue = error.issues[0] as z.core.$ZodIssue;
  const path = formatPath(issue.path);
  const eventIndex = issue.path[0] === "events" && typeof issue.path[1] === "number" ? issue.path[1] : undefined;
  const message =
    issue.code === "unrecognized_keys"
      ? `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`
      : issue.message;
  return ticketError(idOf(input), path, message, eventIndex);
}

/** The path of a ticket field: `createdAt`, or `events[3].at`. */
function fieldPath(field: string, eventIndex: number | undefined): string {
  return eventIndex === undefined ? field : `events[${eventIndex}].${field}`;
}

function instantOf(
  value: InstantInput,
  zone: ZoneRules,
  id: string | number,
  field: string,
  eventIndex: number | undefined,
): number {
  try {
    return toEpochMs(value, zone, field);
  } catch (e) {
    if (!(e instanceof SlaClockError)) throw e;
    // Cold path: convert again with the full path, for a message that says where.
    let message = e.message;
    try {
      toEpochMs(value, zone, fieldPath(field, eventIndex));
    } catch (again) {
      if (again instanceof SlaClockError) message = again.message;
    }
    throw ticketError(id, "", message, eventIndex);
  }
}

function priorityOf(
  rules: PolicyRules,
  p: PriorityId,
  id: string | number,
  field: string,
  eventIndex: number | undefined,
): PriorityEntry {
  try {
    return rules.entry(p, field);
  } catch (e) {
    if (!(e instanceof SlaClockError)) throw e;
    const path = fieldPath(field, eventIndex);
    let message = e.message;
    try {
      rules.entry(p, path);
    } catch (again) {
      if (again instanceof SlaClockError) message = again.message;
    }
    throw new SlaClockError("UNKNOWN_PRIORITY", `ticket ${String(id)}: ${message}`, {
      ...e.details,
      ticketId: String(id),
      path,
      ...(eventIndex === undefined ? {} : { eventIndex }),
    });
  }
}

function stateError(
  type: TicketEvent["type"],
  paused: boolean,
  resolved: boolean,
  responded: number,
): string | undefined {
  switch (type) {
    case "pause":
      if (resolved) return "pause while the ticket is resolved; reopen it first";
      return paused ? "pause while already paused; resume it first" : undefined;
    case "resume":
      if (resolved) return "resume while the ticket is resolved; use reopen";
      return paused ? undefined : "resume without a pause before it";
    case "respond":
      return responded >= 0
        ? `a second respond (the first is events[${responded}]); only the first response counts, send it once`
        : undefined;
    case "resolve":
      return resolved ? "resolve while the ticket is already resolved; reopen it first" : undefined;
    case "reopen":
      return resolved ? undefined : "reopen while the ticket is not resolved";
    case "priority":
      return undefined;
  }
}

function iso(t: number): string {
  return new Date(t).toISOString();
}
