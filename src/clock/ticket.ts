import type * as z from "zod/mini";
import { lazySchema } from "../util/zod";
import { DateTime } from "luxon";
import { SlaClockError, describeThrown, formatPath, type SlaClockErrorDetails, showValue } from "../errors";
import { toEpochMs, type InstantInput } from "../time/instant";
import type { PolicyRules, PriorityEntry } from "../policy/rules";
import type { PriorityId } from "../policy/spec";
import { inSupportedRange } from "../time/range";
import type { ZoneRules } from "../time/zone";
import {
  SLOT_CREATED,
  SLOT_EVENT_END,
  SLOT_EVENT_START,
  SLOT_PRIORITY_FROM,
  SLOT_WIDTH,
  type TicketStore,
} from "./ticket-store";
import type { StoredTicketArrays } from "./replay-store";

/**
 * Something that happened to a ticket. Events must be in time order (equal instants keep their
 * given order) and not before the ticket's creation.
 *
 * - `pause` / `resume`: waiting for the customer; paused time never counts.
 * - `priority`: the ticket's priority changes (SoftOne gives priority 3 to a priority 1 or 2 case
 *   once a workaround exists).
 * - `respond`: the first response; stops `response`. Only one.
 * - `agentReply`: an agent's public reply, any number of them. The first one stops `response` as
 *   a `respond` does; each one stops a `nextReply` cycle and starts a `periodicUpdate` cycle.
 * - `customerReply`: the requester writes; after the first response it starts a `nextReply` cycle.
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
  | { readonly type: "agentReply"; readonly at: InstantInput }
  | { readonly type: "customerReply"; readonly at: InstantInput }
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
export const EventKind = {
  Pause: 0,
  Resume: 1,
  Priority: 2,
  Respond: 3,
  Resolve: 4,
  Reopen: 5,
  AgentReply: 6,
  CustomerReply: 7,
} as const;
/** @internal */
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

/**
 * The kind of an event type, or -1 for anything that is not one. A switch rather than a lookup in
 * a record or a set: the types are compared as strings (the interned ones by reference), where a
 * keyed lookup with a different key on each event, and a set's hashing, were a tenth of reading a
 * batch's events. The most common types come first.
 */
function kindOf(type: unknown): EventKind | -1 {
  switch (type) {
    case "respond":
      return EventKind.Respond;
    case "resolve":
      return EventKind.Resolve;
    case "pause":
      return EventKind.Pause;
    case "resume":
      return EventKind.Resume;
    case "priority":
      return EventKind.Priority;
    case "agentReply":
      return EventKind.AgentReply;
    case "customerReply":
      return EventKind.CustomerReply;
    case "reopen":
      return EventKind.Reopen;
    default:
      return -1;
  }
}

// Plain predicates rather than unions keep the per-ticket parse cheap: evaluateMany validates
// every ticket of batches of millions.
const isPriorityId = (v: unknown) =>
  (typeof v === "string" && v.length > 0 && v.length <= 100) || (typeof v === "number" && Number.isFinite(v));
const EVENT_TYPES = [
  "pause",
  "resume",
  "priority",
  "respond",
  "resolve",
  "reopen",
  "agentReply",
  "customerReply",
] as const;
// Built on first use: a well-shaped ticket (certainlyWellShaped) never needs zod (src/util/zod.ts).
const ticketSchema = /* @__PURE__ */ lazySchema((z) => {
  const instant = z.custom<InstantInput>((v) => isInstantLike(v), {
    error: "expected an instant: a Date, epoch milliseconds, an ISO-8601 string or a luxon DateTime",
  });
  const priorityId = z.custom<PriorityId>(isPriorityId, {
    error: "expected a priority id (a non-empty string or a number)",
  });
  const eventSchema = z.strictObject(
    {
      type: z.enum(EVENT_TYPES, {
        error: () => `expected an event type: ${EVENT_TYPES.map((t) => `"${t}"`).join(", ")}`,
      }),
      at: instant,
      // Required on, and only on, "priority" events: checked by TicketReader with the event index.
      priority: z.optional(priorityId),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? undefined : "expected an event object { type, at }") },
  );
  return z.strictObject(
    {
      id: z.custom<string | number>(isTicketId, {
        error: "expected an id (a non-empty string or a number)",
      }),
      priority: priorityId,
      createdAt: instant,
      events: z.optional(z.array(eventSchema, { error: "expected a list of events" })),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? undefined : "expected a ticket object") },
  );
});

/** What `TicketReader`'s read of an input gives when it does not certainly have a ticket's shape. */
const RESHAPED = 2;

/** The events of a ticket without any. */
const NO_EVENTS: readonly unknown[] = [];

/** A ticket id as the schema takes it: a string of 1–500 characters, or a finite number. */
function isTicketId(v: unknown): v is string | number {
  return (typeof v === "string" && v.length > 0 && v.length <= 500) || (typeof v === "number" && Number.isFinite(v));
}

/** An array of the realm's own `Array` class, as certainlyWellShaped takes events. */
function isPlainArray(v: unknown): v is readonly unknown[] {
  return Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype;
}

function isInstantLike(v: unknown): boolean {
  return typeof v === "number" || typeof v === "string" || v instanceof Date || DateTime.isDateTime(v);
}

/*
 * The parts of a ticket's shape that certainlyWellShaped recognises and TicketReader's read checks
 * on its way (one pass over the input): one definition, so that what the read takes without zod is
 * exactly what the recogniser accepts.
 */

/** An object of the realm's own `Object` class with no other prototype, as a ticket or event is. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/** Whether a plain ticket object has no key but `id`, `priority`, `createdAt` and `events`. */
function hasOnlyTicketKeys(ticket: Record<string, unknown>): boolean {
  for (const key in ticket)
    if (key !== "id" && key !== "priority" && key !== "createdAt" && key !== "events") return false;
  return true;
}

/** Whether a plain event object has no key but `type`, `at` and `priority`. */
function hasOnlyEventKeys(event: Record<string, unknown>): boolean {
  for (const key in event) if (key !== "type" && key !== "at" && key !== "priority") return false;
  return true;
}

/** A ticket's own values, each of a type the schema certainly takes (events: none, or an array). */
function ticketValuesWellShaped(id: unknown, priority: unknown, createdAt: unknown, events: unknown): boolean {
  return (
    isTicketId(id) &&
    isPriorityId(priority) &&
    isInstantLike(createdAt) &&
    (events === undefined || isPlainArray(events))
  );
}

/** An event's values, each of a type the schema certainly takes (`kind`: its type's {@link kindOf}). */
function eventValuesWellShaped(kind: EventKind | -1, at: unknown, priority: unknown): boolean {
  return kind >= 0 && isInstantLike(at) && (priority === undefined || isPriorityId(priority));
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
  if (!isPlainObject(t) || !hasOnlyTicketKeys(t)) return false;
  const events = t.events;
  if (!ticketValuesWellShaped(t.id, t.priority, t.createdAt, events)) return false;
  if (events === undefined) return true;
  for (let i = 0; i < (events as readonly unknown[]).length; i++) {
    const e = (events as readonly unknown[])[i];
    if (!isPlainObject(e) || !hasOnlyEventKeys(e) || !eventValuesWellShaped(kindOf(e.type), e.at, e.priority))
      return false;
  }
  return true;
}

/** The id of an input for messages, or `undefined` when it has none that can be read. */
function readableIdOf(input: unknown): string | number | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  const id = (input as { id?: unknown }).id;
  return typeof id === "string" || typeof id === "number" ? id : undefined;
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
 * Why a ticket cannot be evaluated, kept as the facts and worded into a {@link SlaClockError} only
 * when someone asks. A batch with a million bad tickets then costs a small record each instead of
 * an `Error` with a captured stack (about 1.4 KB and 15–30 µs each).
 * @internal
 */
export abstract class TicketProblem {
  /** The error `policy.evaluate` throws for this ticket: same code, message and details. */
  abstract toError(): SlaClockError;
}

/** A ticket whose shape is wrong (zod's verdict), or whose id is not one. */
class ShapeProblem extends TicketProblem {
  constructor(
    readonly rawId: string | number,
    readonly path: string,
    readonly message: string,
    readonly eventIndex: number | undefined,
  ) {
    super();
  }

  toError(): SlaClockError {
    return ticketError(this.rawId, this.path, this.message, this.eventIndex);
  }
}

/** An instant of a ticket that cannot be read; worded by the instant parser itself, with the full path. */
class InstantProblem extends TicketProblem {
  constructor(
    readonly rawId: string | number,
    readonly zone: ZoneRules,
    readonly value: InstantInput,
    readonly field: string,
    readonly eventIndex: number | undefined,
  ) {
    super();
  }

  toError(): SlaClockError {
    let message = `${fieldPath(this.field, this.eventIndex)}: not a valid instant`;
    try {
      toEpochMs(this.value, this.zone, fieldPath(this.field, this.eventIndex));
    } catch (e) {
      if (e instanceof SlaClockError) message = e.message;
    }
    // The parser's message starts with the path already; the details carry it too.
    const ticketId = String(this.rawId);
    return new SlaClockError("INVALID_TICKET", `ticket ${ticketId}: ${message}`, {
      ticketId,
      path: fieldPath(this.field, this.eventIndex),
      ...(this.eventIndex === undefined ? {} : { eventIndex: this.eventIndex }),
    });
  }
}

/** A priority of a ticket (its own or an event's) that is not in the policy's table. */
class PriorityProblem extends TicketProblem {
  constructor(
    readonly rawId: string | number,
    readonly rules: PolicyRules,
    readonly value: PriorityId,
    readonly field: string,
    readonly eventIndex: number | undefined,
  ) {
    super();
  }

  toError(): SlaClockError {
    const id = String(this.rawId);
    const path = fieldPath(this.field, this.eventIndex);
    let details: SlaClockErrorDetails = {};
    let message = `${path}: ${showValue(this.value)} is not a priority of policy "${this.rules.spec.id}"`;
    try {
      this.rules.entry(this.value, path);
    } catch (e) {
      if (e instanceof SlaClockError) {
        message = e.message;
        details = e.details;
      }
    }
    return new SlaClockError("UNKNOWN_PRIORITY", `ticket ${id}: ${message}`, {
      ...details,
      ticketId: id,
      path,
      ...(this.eventIndex === undefined ? {} : { eventIndex: this.eventIndex }),
    });
  }
}

/** The rules an event can break, as small numbers (see {@link EventProblem}). */
const EventRule = {
  BeforeCreation: 0,
  OutOfOrder: 1,
  PauseWhileResolved: 2,
  PauseWhilePaused: 3,
  ResumeWhileResolved: 4,
  ResumeWithoutPause: 5,
  SecondRespond: 6,
  ResolveWhileResolved: 7,
  ReopenWhileOpen: 8,
  PriorityOnOtherEvent: 9,
  PriorityMissing: 10,
} as const;
type EventRule = (typeof EventRule)[keyof typeof EventRule];

/**
 * An event that breaks the ticket's order or state machine. `other` is the instant or event index
 * the message compares with: the creation, the previous event, the first respond.
 */
class EventProblem extends TicketProblem {
  constructor(
    readonly rawId: string | number,
    readonly eventIndex: number,
    readonly rule: EventRule,
    readonly type: TicketEvent["type"],
    readonly at: number,
    readonly other: number,
  ) {
    super();
  }

  toError(): SlaClockError {
    const i = this.eventIndex;
    const isPriority = this.rule === EventRule.PriorityOnOtherEvent || this.rule === EventRule.PriorityMissing;
    return ticketError(this.rawId, isPriority ? `events[${i}].priority` : `events[${i}]`, this.#message(), i);
  }

  #message(): string {
    const { type, at, other } = this;
    switch (this.rule) {
      case EventRule.BeforeCreation:
        return `${type} at ${iso(at)} is before the ticket was created (${iso(other)})`;
      case EventRule.OutOfOrder:
        return `${type} at ${iso(at)} is before the previous event (${iso(other)}); events must be in time order`;
      case EventRule.PauseWhileResolved:
        return "pause while the ticket is resolved; reopen it first";
      case EventRule.PauseWhilePaused:
        return "pause while already paused; resume it first";
      case EventRule.ResumeWhileResolved:
        return "resume while the ticket is resolved; use reopen";
      case EventRule.ResumeWithoutPause:
        return "resume without a pause before it";
      case EventRule.SecondRespond:
        return `a second respond (the first is events[${other}]); only the first response counts, send it once`;
      case EventRule.ResolveWhileResolved:
        return "resolve while the ticket is already resolved; reopen it first";
      case EventRule.ReopenWhileOpen:
        return "reopen while the ticket is not resolved";
      case EventRule.PriorityOnOtherEvent:
        return `only "priority" events carry a priority, not "${type}"`;
      case EventRule.PriorityMissing:
        return "a priority event needs the new priority";
    }
  }
}

/**
 * A ticket whose reading ran the caller's code (a getter, a Proxy trap) and that code threw: the
 * ticket cannot be read, which fails that ticket only.
 * @internal
 */
export class UnreadableTicket extends TicketProblem {
  readonly rawId: string | number | undefined;
  readonly reason: string;

  constructor(rawId: string | number | undefined, thrown: unknown) {
    super();
    this.rawId = rawId;
    this.reason = describeThrown(thrown);
  }

  toError(): SlaClockError {
    const id = this.rawId === undefined ? "(no id)" : String(this.rawId);
    return new SlaClockError("INVALID_TICKET", `ticket ${id}: the ticket cannot be read: ${this.reason}`, {
      ticketId: id,
      path: "",
    });
  }
}

/**
 * `now` before a ticket's creation: `INVALID_ARGUMENT`, since the ticket itself may be fine.
 * @internal
 */
export class NowBeforeCreation extends TicketProblem {
  constructor(
    readonly rawId: string | number,
    readonly now: number,
    readonly createdAt: number,
  ) {
    super();
  }

  toError(): SlaClockError {
    return new SlaClockError(
      "INVALID_ARGUMENT",
      `now (${iso(this.now)}) is before ticket ${this.rawId} was created (${iso(this.createdAt)})`,
      { ticketId: String(this.rawId) },
    );
  }
}

/**
 * An error that was raised as such (a deadline out of the supported range while replaying): it is
 * kept as it came.
 * @internal
 */
export class RaisedProblem extends TicketProblem {
  constructor(readonly error: SlaClockError) {
    super();
  }

  toError(): SlaClockError {
    return this.error;
  }
}

/**
 * A validated ticket in flat arrays (epoch-ms instants, priority rows). One reader is reused across
 * a whole batch, so reading a ticket allocates nothing beyond zod's own parse.
 * @internal
 */
export class TicketReader {
  /** The id as the ticket gives it (converted to a string only when needed). */
  rawId: string | number = "";
  /** The id of the last ticket checked, when it has one that can be read (also for a bad ticket). */
  readableId: string | number | undefined = undefined;
  createdAt = 0;
  priority!: PriorityEntry;
  count = 0;
  kinds: Uint8Array = new Uint8Array(8);
  times: Float64Array = new Float64Array(8);
  /** The new priority of `priority` events. */
  priorities: (PriorityEntry | undefined)[] = [];
  /** The ticket's priority id as given (set by {@link TicketReader.checkAlone}, looked up by {@link TicketReader.load}). */
  rawPriority: PriorityId = "";
  /** The priority ids of the `priority` events, in order, as given (set by {@link TicketReader.checkAlone}). */
  readonly rawPriorities: PriorityId[] = [];
  /** Why the last ticket checked was refused (set when {@link TicketReader.check} returns false). */
  problem: TicketProblem | undefined = undefined;

  /**
   * Validates a ticket against a policy: its shape (zod), its instants, that events are in time
   * order and not before creation, that each event makes sense in the ticket's state (no resume
   * without a pause, one respond, no reopen of an open ticket…), and that every priority is in the
   * table. Returns false and sets {@link TicketReader.problem} rather than throwing, so that a bad
   * ticket in a batch constructs no `Error`. Whatever the input's own code throws while it is read
   * (a getter, a Proxy trap) makes the ticket unreadable instead of escaping.
   */
  check(rules: PolicyRules, input: unknown): boolean {
    this.problem = undefined;
    this.readableId = undefined;
    try {
      return this.#check(rules, input);
    } catch (e) {
      this.problem = new UnreadableTicket(this.readableId, e);
      return false;
    }
  }

  /**
   * Whether a ticket can be read once for every policy: what {@link TicketReader.check} checks
   * except the priority table, for a well-shaped ticket (certainlyWellShaped) whose instants are
   * epoch ms or Dates (an offset-less string is read in the policy's zone). Its priority ids are
   * kept as given ({@link TicketReader.rawPriority}, {@link TicketReader.rawPriorities}), for
   * {@link TicketReader.load} to look up in a policy's table.
   *
   * False means "read it with `check` against its policy": the ticket is bad, or needs a zone, or
   * its reading threw; no problem is recorded, since `check` words it in the order it finds it.
   */
  checkAlone(input: unknown): boolean {
    this.problem = undefined;
    this.readableId = undefined;
    try {
      return this.#check(null, input);
    } catch {
      return false;
    }
  }

  /**
   * Loads ticket `slot` of a store (tickets read by {@link TicketReader.checkAlone}) and looks up
   * its priorities in the policy's table, in the order `check` does: the ticket's own, then each
   * event's. Everything else was checked when it was stored, so the outcome (an unknown priority,
   * with its path) is what `check` would give for the ticket itself.
   */
  load(rules: PolicyRules, store: TicketStore, slot: number): boolean {
    this.problem = undefined;
    const id = store.ids[slot] as string | number;
    this.rawId = id;
    this.readableId = id;
    const { slots, kinds, times } = store;
    const at = SLOT_WIDTH * slot;
    this.createdAt = slots[at + SLOT_CREATED] as number;
    const priority = this.#priority(rules, store.priorities[slot] as PriorityId, "priority", undefined);
    if (priority === undefined) return false;
    this.priority = priority;
    const from = slots[at + SLOT_EVENT_START] as number;
    const n = (slots[at + SLOT_EVENT_END] as number) - from;
    this.#holdEvents(n);
    let p = (slots[at + SLOT_PRIORITY_FROM] as number) - 1;
    for (let i = 0; i < n; i++) {
      const kind = kinds[from + i] as EventKind;
      this.kinds[i] = kind;
      this.times[i] = times[from + i] as number;
      if (kind !== EventKind.Priority) this.priorities[i] = undefined;
      else {
        const entry = this.#priority(rules, store.eventPriorities[p++] as PriorityId, "priority", i);
        if (entry === undefined) return false;
        this.priorities[i] = entry;
      }
    }
    return true;
  }

  /**
   * Loads ticket `i` of a replay store (replay-store.ts): a ticket the calling thread read with
   * {@link TicketReader.check} against the same policy, whose priorities were found then, so
   * nothing can fail here. Only what the replay reads is set (no ids: the calling thread writes
   * them).
   */
  loadStored(rules: PolicyRules, store: StoredTicketArrays, i: number): void {
    const from = i === 0 ? 0 : (store.eventEnd[i - 1] as number);
    const n = (store.eventEnd[i] as number) - from;
    this.problem = undefined;
    this.createdAt = store.createdAt[i] as number;
    this.priority = rules.entryAt(store.rank[i] as number);
    this.#holdEvents(n);
    const { kinds, times, eventRank } = store;
    for (let k = 0; k < n; k++) {
      this.kinds[k] = kinds[from + k] as number;
      this.times[k] = times[from + k] as number;
      const rank = eventRank[from + k] as number;
      this.priorities[k] = rank < 0 ? undefined : rules.entryAt(rank);
    }
  }

  /** `check`, or with `rules` null `checkAlone`'s part: no zone, no priority table. */
  #check(rules: PolicyRules | null, input: unknown): boolean {
    this.readableId = readableIdOf(input);
    const read = this.#read(rules, input, false);
    if (read === true) return true;
    // Without a policy (checkAlone) any false means "read it against its policy". With one, a
    // problem the read found is the ticket's only when the whole ticket is certainly well shaped:
    // zod words a problem of shape first, wherever in the ticket it is.
    if (rules === null) return false;
    if (read === false && certainlyWellShaped(input)) return false;
    this.problem = undefined;
    const parsed = ticketSchema().safeParse(input);
    if (!parsed.success) {
      this.problem = shapeProblem(this.readableId, parsed.error);
      return false;
    }
    // Go on with what zod validated: a getter of the input could answer differently next time.
    return this.#read(rules, parsed.data, true) as boolean;
  }

  /**
   * Reads a ticket: zod's copy of it (`validated`), or the input itself, whose shape is then
   * recognised on the way as certainlyWellShaped recognises it (plain objects with only the known
   * keys, values of the right types): anything it does not certainly accept gives {@link RESHAPED},
   * and the caller reads the ticket through zod. Each property of the input is read once, so a
   * getter cannot answer a check and the read differently. A problem found on the way (an instant,
   * a priority, an event's order or state) returns false at once; the caller then checks the rest
   * of the ticket's shape, since a problem of shape anywhere is the one to report.
   *
   * One pass rather than certainlyWellShaped and then a read: a batch of a million tickets went
   * over every event twice, the second time for what the first had looked up already.
   */
  #read(rules: PolicyRules | null, input: unknown, validated: boolean): boolean | typeof RESHAPED {
    if (!validated && !(isPlainObject(input) && hasOnlyTicketKeys(input))) return RESHAPED;
    const ticket = input as Record<string, unknown>;
    const id = ticket.id;
    const rawPriority = ticket.priority;
    const rawCreatedAt = ticket.createdAt;
    const rawEvents = ticket.events;
    if (!validated && !ticketValuesWellShaped(id, rawPriority, rawCreatedAt, rawEvents)) return RESHAPED;
    this.rawId = id as string | number;
    const zone = rules === null ? null : rules.engine.zone;
    const createdAt = this.#instant(rawCreatedAt as InstantInput, zone, "createdAt", undefined);
    if (Number.isNaN(createdAt)) return false;
    this.createdAt = createdAt;
    if (rules === null) {
      this.rawPriority = rawPriority as PriorityId;
      if (this.rawPriorities.length !== 0) this.rawPriorities.length = 0;
    } else {
      const priority = this.#priority(rules, rawPriority as PriorityId, "priority", undefined);
      if (priority === undefined) return false;
      this.priority = priority;
    }
    const events = (rawEvents ?? NO_EVENTS) as readonly unknown[];
    const n = events.length;
    this.#holdEvents(n);
    let paused = false;
    let resolved = false;
    let responded = -1;
    let previous = createdAt;
    for (let i = 0; i < n; i++) {
      const e = events[i];
      if (!validated && !(isPlainObject(e) && hasOnlyEventKeys(e))) return RESHAPED;
      const event = e as Record<string, unknown>;
      const type = event.type;
      const rawAt = event.at;
      const newPriority = event.priority as PriorityId | undefined;
      const typeKind = kindOf(type);
      if (!validated && !eventValuesWellShaped(typeKind, rawAt, newPriority)) return RESHAPED;
      const eventType = type as TicketEvent["type"];
      // One of the event types (zod's enum or the check above): kindOf has a kind for each.
      const kind = typeKind as EventKind;
      const at = this.#instant(rawAt as InstantInput, zone, "at", i);
      if (Number.isNaN(at)) return false;
      if (at < createdAt) return this.#eventProblem(i, EventRule.BeforeCreation, eventType, at, createdAt);
      if (at < previous) return this.#eventProblem(i, EventRule.OutOfOrder, eventType, at, previous);
      previous = at;
      const broken = stateRule(kind, paused, resolved, responded);
      if (broken !== undefined) return this.#eventProblem(i, broken, eventType, at, responded);
      if ((newPriority !== undefined) !== (kind === EventKind.Priority)) {
        const rule = newPriority !== undefined ? EventRule.PriorityOnOtherEvent : EventRule.PriorityMissing;
        return this.#eventProblem(i, rule, eventType, at, 0);
      }
      if (kind === EventKind.Pause) paused = true;
      else if (kind === EventKind.Resume) paused = false;
      else if (kind === EventKind.Respond) responded = i;
      else if (kind === EventKind.Resolve) {
        resolved = true;
        paused = false;
      } else if (kind === EventKind.Reopen) resolved = false;
      this.kinds[i] = kind;
      this.times[i] = at;
      if (newPriority === undefined) this.priorities[i] = undefined;
      else if (rules === null) this.rawPriorities.push(newPriority);
      else {
        const entry = this.#priority(rules, newPriority, "priority", i);
        if (entry === undefined) return false;
        this.priorities[i] = entry;
      }
    }
    return true;
  }

  /**
   * An instant in epoch ms, or NaN with {@link TicketReader.problem} set. Without a zone (`checkAlone`)
   * only epoch ms and Dates are read, and NaN records no problem.
   */
  #instant(value: InstantInput, zone: ZoneRules | null, field: string, eventIndex: number | undefined): number {
    // Epoch ms and Dates are judged here, so that a bad one builds no Error: a whole number in the
    // supported range, as toEpochMs requires (which words the problem later). Strings and luxon
    // DateTimes go through the parser, whose error is then dropped for the same lazy record.
    if (typeof value === "number" || value instanceof Date) {
      const ms = typeof value === "number" ? value : Date.prototype.getTime.call(value);
      if (Number.isInteger(ms) && inSupportedRange(ms)) return ms;
      if (zone === null) return Number.NaN;
      // A Date can be changed later; the problem keeps the value it had.
      this.problem = new InstantProblem(
        this.rawId,
        zone,
        typeof value === "number" ? ms : new Date(ms),
        field,
        eventIndex,
      );
      return Number.NaN;
    }
    if (zone === null) return Number.NaN;
    try {
      return toEpochMs(value, zone, field);
    } catch (e) {
      if (!(e instanceof SlaClockError)) throw e;
      this.problem = new InstantProblem(this.rawId, zone, value, field, eventIndex);
      return Number.NaN;
    }
  }

  /** Room for `n` events in the reader's arrays (twice as many when they grow), and `count` set to `n`. */
  #holdEvents(n: number): void {
    if (this.kinds.length < n) {
      this.kinds = new Uint8Array(n * 2);
      this.times = new Float64Array(n * 2);
    }
    this.count = n;
  }

  /** A priority's entry, or `undefined` with {@link TicketReader.problem} set. */
  #priority(
    rules: PolicyRules,
    value: PriorityId,
    field: string,
    eventIndex: number | undefined,
  ): PriorityEntry | undefined {
    const entry = rules.find(value);
    if (entry === undefined) this.problem = new PriorityProblem(this.rawId, rules, value, field, eventIndex);
    return entry;
  }

  #eventProblem(i: number, rule: EventRule, type: TicketEvent["type"], at: number, other: number): false {
    this.problem = new EventProblem(this.rawId, i, rule, type, at, other);
    return false;
  }
}

function shapeProblem(rawId: string | number | undefined, error: z.core.$ZodError): TicketProblem {
  const issue = error.issues[0] as z.core.$ZodIssue;
  const path = formatPath(issue.path);
  const eventIndex = issue.path[0] === "events" && typeof issue.path[1] === "number" ? issue.path[1] : undefined;
  const message =
    issue.code === "unrecognized_keys"
      ? `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`
      : issue.message;
  return new ShapeProblem(rawId ?? "(no id)", path, message, eventIndex);
}

/** The path of a ticket field: `createdAt`, or `events[3].at`. */
function fieldPath(field: string, eventIndex: number | undefined): string {
  return eventIndex === undefined ? field : `events[${eventIndex}].${field}`;
}

/** The state rule an event breaks, if any. */
function stateRule(kind: EventKind, paused: boolean, resolved: boolean, responded: number): EventRule | undefined {
  switch (kind) {
    case EventKind.Pause:
      if (resolved) return EventRule.PauseWhileResolved;
      return paused ? EventRule.PauseWhilePaused : undefined;
    case EventKind.Resume:
      if (resolved) return EventRule.ResumeWhileResolved;
      return paused ? undefined : EventRule.ResumeWithoutPause;
    case EventKind.Respond:
      return responded >= 0 ? EventRule.SecondRespond : undefined;
    case EventKind.Resolve:
      return resolved ? EventRule.ResolveWhileResolved : undefined;
    case EventKind.Reopen:
      return resolved ? undefined : EventRule.ReopenWhileOpen;
    default:
      // priority, agentReply, customerReply: allowed in any state.
      return undefined;
  }
}

function iso(t: number): string {
  return new Date(t).toISOString();
}
