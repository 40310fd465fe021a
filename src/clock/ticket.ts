import { z } from "zod";
import { DateTime } from "luxon";
import { SlaClockError, formatPath } from "../errors";
import { toEpochMs, type InstantInput } from "../time/instant";
import type { PolicyRules } from "../policy/rules";
import { priorityKey, type PriorityId } from "../policy/spec";

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

/** A validated ticket: epoch-ms instants, priority keys. @internal */
export interface CheckedTicket {
  readonly id: string;
  readonly priority: string;
  readonly createdAt: number;
  readonly kinds: readonly EventKind[];
  readonly times: readonly number[];
  /** Priority key for `priority` events, `""` for the others. */
  readonly priorities: readonly string[];
}

const instant = z.custom<InstantInput>(
  (v) => typeof v === "number" || typeof v === "string" || v instanceof Date || DateTime.isDateTime(v),
  { error: "expected an instant: a Date, epoch milliseconds, an ISO-8601 string or a luxon DateTime" },
);
const priorityId = z.union([z.string().min(1).max(100), z.number().finite()], {
  error: "expected a priority id (string or number)",
});
const eventSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("pause"), at: instant }),
    z.strictObject({ type: z.literal("resume"), at: instant }),
    z.strictObject({ type: z.literal("priority"), at: instant, priority: priorityId }),
    z.strictObject({ type: z.literal("respond"), at: instant }),
    z.strictObject({ type: z.literal("resolve"), at: instant }),
    z.strictObject({ type: z.literal("reopen"), at: instant }),
  ],
  { error: () => 'expected an event with type "pause", "resume", "priority", "respond", "resolve" or "reopen"' },
);
const ticketSchema = z.strictObject(
  {
    id: z.union([z.string().min(1).max(500), z.number().finite()], { error: "expected an id (string or number)" }),
    priority: priorityId,
    createdAt: instant,
    events: z.array(eventSchema, { error: "expected a list of events" }).optional(),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? undefined : "expected a ticket object") },
);

function idOf(input: unknown): string {
  if (typeof input === "object" && input !== null && "id" in input) {
    const id = (input as { id: unknown }).id;
    if (typeof id === "string" || typeof id === "number") return String(id);
  }
  return "(no id)";
}

function ticketError(ticketId: string, path: string, message: string, eventIndex?: number): SlaClockError {
  return new SlaClockError("INVALID_TICKET", `ticket ${ticketId}: ${path ? `${path}: ` : ""}${message}`, {
    ticketId,
    path,
    ...(eventIndex === undefined ? {} : { eventIndex }),
  });
}

/**
 * Validates a ticket against a policy: its shape (zod), its instants, that events are in time order
 * and not before creation, that each event makes sense in the ticket's state (no resume without a
 * pause, one respond, no reopen of an open ticket…), and that every priority is in the table.
 * Errors name the ticket id and the event index.
 * @internal
 */
export function checkTicket(rules: PolicyRules, input: Ticket): CheckedTicket {
  const parsed = ticketSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const path = formatPath(issue.path);
    const eventIndex = issue.path[0] === "events" && typeof issue.path[1] === "number" ? issue.path[1] : undefined;
    const message =
      issue.code === "unrecognized_keys"
        ? `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`
        : issue.message;
    throw ticketError(idOf(input), path, message, eventIndex);
  }
  const ticket = parsed.data;
  const id = String(ticket.id);
  const zone = rules.engine.zone;
  const time = (value: InstantInput, path: string, eventIndex?: number): number => {
    try {
      return toEpochMs(value, zone, path);
    } catch (e) {
      if (e instanceof SlaClockError) throw ticketError(id, "", e.message, eventIndex);
      throw e;
    }
  };
  const known = (p: PriorityId, path: string, eventIndex?: number): string => {
    try {
      rules.entry(p, path);
    } catch (e) {
      if (e instanceof SlaClockError) {
        throw new SlaClockError("UNKNOWN_PRIORITY", `ticket ${id}: ${e.message}`, {
          ...e.details,
          ticketId: id,
          path,
          ...(eventIndex === undefined ? {} : { eventIndex }),
        });
      }
      throw e;
    }
    return priorityKey(p);
  };

  const createdAt = time(ticket.createdAt, "createdAt");
  const priority = known(ticket.priority, "priority");
  const events = ticket.events ?? [];
  const kinds: EventKind[] = [];
  const times: number[] = [];
  const priorities: string[] = [];
  let paused = false;
  let resolved = false;
  let responded = -1;
  let previous = createdAt;
  events.forEach((event, i) => {
    const path = `events[${i}]`;
    const at = time(event.at, `${path}.at`, i);
    if (at < createdAt) {
      throw ticketError(
        id,
        path,
        `${event.type} at ${iso(at)} is before the ticket was created (${iso(createdAt)})`,
        i,
      );
    }
    if (at < previous) {
      throw ticketError(
        id,
        path,
        `${event.type} at ${iso(at)} is before the previous event (${iso(previous)}); events must be in time order`,
        i,
      );
    }
    previous = at;
    const why = stateError(event.type, paused, resolved, responded);
    if (why !== undefined) throw ticketError(id, path, why, i);
    switch (event.type) {
      case "pause":
        paused = true;
        break;
      case "resume":
        paused = false;
        break;
      case "respond":
        responded = i;
        break;
      case "resolve":
        resolved = true;
        paused = false;
        break;
      case "reopen":
        resolved = false;
        break;
      case "priority":
        break;
    }
    kinds.push(KIND[event.type]);
    times.push(at);
    priorities.push(event.type === "priority" ? known(event.priority, `${path}.priority`, i) : "");
  });
  return { id, priority, createdAt, kinds, times, priorities };
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
