import type { Calendar } from "../calendar/calendar";
import { evaluateTicket, type TicketEvaluation } from "../clock/evaluate";
import { checkTicket, type Ticket } from "../clock/ticket";
import { SlaClockError } from "../errors";
import { toEpochMs, type InstantInput } from "../time/instant";
import { PolicyRules, type PriorityInfo } from "../policy/rules";
import type { Metric, PolicySpec, PriorityId } from "../policy/spec";
import { targetDeadline, targetEarliest, type Target } from "../policy/target";

/**
 * Which target {@link Policy.deadline} looks up.
 *
 * @example
 * ```ts
 * const opts: DeadlineOptions = { priority: 3, metric: "resolution" };
 * ```
 */
export interface DeadlineOptions {
  readonly priority: PriorityId;
  /** Default `"response"`. */
  readonly metric?: Metric;
}

/**
 * When a window target opens and closes; for other kinds `earliest` is `null`.
 *
 * @example
 * ```ts
 * const w: DueWindow = { earliest: new Date("2026-05-02T09:00:00Z"), deadline: new Date("2026-10-02T09:00:00Z") };
 * ```
 */
export interface DueWindow {
  readonly earliest: Date | null;
  readonly deadline: Date | null;
}

/**
 * Options of {@link Policy.evaluate}.
 *
 * @example
 * ```ts
 * const opts: EvaluateOptions = { atRiskThreshold: 0.5 };
 * ```
 */
export interface EvaluateOptions {
  /** Fraction of a target from which a running metric is at risk; default the policy's (0.75). */
  readonly atRiskThreshold?: number;
}

/**
 * Key under which a {@link Policy} keeps its compiled rules, for the library's own modules.
 * @internal
 */
export const RULES: unique symbol = Symbol("sla-clock.rules");

/**
 * An immutable support contract: a calendar, a priority table with a target per metric, and the
 * ticket clock. Get a built-in one with `getPolicy(id)` or define your own with
 * {@link definePolicy}.
 *
 * @example
 * ```ts
 * import { getPolicy } from "sla-clock";
 * const policy = getPolicy("softone-se");
 * policy.deadline("2026-04-02T11:00", { priority: 3 }); // P3 response: 12 business hours → 2026-04-08 12:00 local
 * policy.deadline("2026-04-02T11:00", { priority: 1, metric: "resolution" }); // same business day → 2026-04-02 12:00
 * ```
 */
export class Policy {
  readonly id: string;
  readonly name: string;
  /** The calendar the targets count on. */
  readonly calendar: Calendar;
  /** The priority table, most urgent first. */
  readonly priorities: readonly PriorityInfo[];
  /** Fraction of a target from which a running metric counts as at risk. */
  readonly atRiskThreshold: number;
  /** The validated spec (with the calendar as a spec), frozen and JSON-serialisable. */
  readonly spec: PolicySpec;
  /** @internal */
  readonly [RULES]: PolicyRules;

  /** @internal Use {@link definePolicy}. */
  constructor(rules: PolicyRules) {
    this.id = rules.spec.id;
    this.name = rules.spec.name;
    this.calendar = rules.calendar;
    this.priorities = rules.priorities;
    this.atRiskThreshold = rules.atRiskThreshold;
    this.spec = rules.spec;
    this[RULES] = rules;
    Object.freeze(this);
  }

  /**
   * The target of a priority for a metric. Throws `UNKNOWN_PRIORITY` (listing the valid ones) or
   * `UNKNOWN_METRIC`.
   *
   * @example
   * ```ts
   * getPolicy("softone-se").target(4, "resolution"); // { kind: "window", earliest: { months: 1 }, latest: { months: 6 } }
   * ```
   */
  target(priority: PriorityId, metric: Metric = "response"): Target {
    const rules = this[RULES];
    return rules.entry(priority).info.targets[rules.metric(metric)];
  }

  /**
   * The deadline of a metric for a clock started at `start`, or `null` when the priority has no
   * target for it (best effort). For a window target this is the window's end.
   *
   * @example
   * ```ts
   * getPolicy("moch-extended").deadline("2026-04-02T11:00Z", { priority: 5 }); // null: best effort
   * ```
   */
  deadline(start: InstantInput, options: DeadlineOptions): Date | null {
    const rules = this[RULES];
    const metric = rules.metric(options.metric ?? "response");
    const compiled = rules.entry(options.priority, "options.priority").compiled[metric];
    const t = targetDeadline(rules.engine, compiled, toEpochMs(start, rules.engine.zone, "start"));
    return t === null ? null : new Date(t);
  }

  /**
   * The earliest and latest instants of a target: for a window target both ends, for other kinds
   * `earliest` is `null` and `deadline` is {@link Policy.deadline}'s answer.
   *
   * @example
   * ```ts
   * getPolicy("softone-se").window("2026-01-31T10:00", { priority: 4, metric: "resolution" });
   * // { earliest: 2026-02-28 10:00 local, deadline: 2026-07-31 10:00 local }
   * ```
   */
  window(start: InstantInput, options: DeadlineOptions): DueWindow {
    const rules = this[RULES];
    const metric = rules.metric(options.metric ?? "response");
    const compiled = rules.entry(options.priority, "options.priority").compiled[metric];
    const t = toEpochMs(start, rules.engine.zone, "start");
    const earliest = targetEarliest(rules.engine, compiled, t);
    const deadline = targetDeadline(rules.engine, compiled, t);
    return Object.freeze({
      earliest: earliest === null ? null : new Date(earliest),
      deadline: deadline === null ? null : new Date(deadline),
    });
  }

  /**
   * The ticket clock: where each metric of a ticket stands at `now` (default: the current time).
   *
   * The rules (as Zendesk, Jira Service Management and ServiceNow apply them):
   * - `response` runs from `createdAt` and stops at the first `respond` — or at a `resolve` that
   *   comes first (a ticket resolved without an answer no longer awaits one). It never restarts.
   * - `resolution` runs from `createdAt`, stops at `resolve` and runs again after `reopen`; its
   *   elapsed time keeps accumulating across the cycles.
   * - Paused time (between `pause` and `resume`) never counts. For a business target the deadline
   *   moves by the paused business time, for a calendar target by the paused calendar time. A
   *   `resolve` ends a pause.
   * - Every target is a length counted from `createdAt`: business targets in business time; end of
   *   business day/week as the business time from `createdAt` to that instant; calendar targets and
   *   windows as elapsed time to `createdAt + duration`.
   * - On a `priority` change the new priority's target applies to the time already counted from
   *   `createdAt` (ServiceNow's "retroactive start"). If that time already exceeds the new target,
   *   the metric breaches at the change — or, when paused, at the resume. A breach of the old
   *   target stands (from its original instant) while the new target is used up too. A metric that
   *   has stopped keeps the target it stopped under.
   * - A metric breaches at the first instant at which its clock runs with the whole target used:
   *   stopping exactly at the deadline is met; the deadline passing while paused is not a breach.
   *   `breachedAt` is reported for open tickets too.
   * - Events after `now` are ignored, so an export can be evaluated as of any past moment. Bad
   *   events (out of order, before creation, resume without pause, a second respond…) throw
   *   `INVALID_TICKET` naming the ticket and the event index; unknown priorities throw
   *   `UNKNOWN_PRIORITY`. `now` before `createdAt` is `INVALID_ARGUMENT`.
   *
   * @example
   * ```ts
   * import { getPolicy } from "sla-clock";
   * const policy = getPolicy("softone-se");
   * const result = policy.evaluate(
   *   {
   *     id: "T-1",
   *     priority: 1,
   *     createdAt: "2026-04-01T15:00",
   *     events: [
   *       { type: "pause", at: "2026-04-01T15:30" },
   *       { type: "resume", at: "2026-04-02T09:00" },
   *     ],
   *   },
   *   "2026-04-02T10:00",
   * );
   * result.response.elapsed; // 5_400_000: 30 min on Wednesday + 1 h on Thursday
   * result.response.status; // "running", at risk (75 % used)
   * ```
   */
  evaluate(ticket: Ticket, now: InstantInput = Date.now(), options: EvaluateOptions = {}): TicketEvaluation {
    const rules = this[RULES];
    const checked = checkTicket(rules, ticket);
    const at = toEpochMs(now, rules.engine.zone, "now");
    if (at < checked.createdAt) {
      throw new SlaClockError(
        "INVALID_ARGUMENT",
        `now (${new Date(at).toISOString()}) is before ticket ${checked.id} was created (${new Date(checked.createdAt).toISOString()})`,
        { ticketId: checked.id },
      );
    }
    return evaluateTicket(rules, checked, at, threshold(options.atRiskThreshold ?? this.atRiskThreshold));
  }

  /** @internal */
  toJSON(): PolicySpec {
    return this.spec;
  }
}

/**
 * Validates a {@link PolicySpec} and returns an immutable {@link Policy}. Throws
 * `INVALID_POLICY_SPEC` listing every problem with its path (`priorities[2].targets.response`).
 *
 * @example
 * ```ts
 * import { definePolicy, getCalendar } from "sla-clock";
 * const policy = definePolicy({
 *   id: "internal-it",
 *   name: "Internal IT",
 *   calendar: getCalendar("trinax"),
 *   priorities: [
 *     { id: 1, label: "Hög", labelEn: "High", targets: { response: { kind: "business", duration: "PT30M" } } },
 *     { id: 2, label: "Låg", labelEn: "Low", targets: { response: { kind: "calendar", duration: { days: 3 } } } },
 *   ],
 * });
 * ```
 */
export function definePolicy(spec: PolicySpec): Policy {
  return new Policy(new PolicyRules(spec));
}

function threshold(value: unknown): number {
  if (typeof value !== "number" || !(value > 0 && value <= 1)) {
    throw new SlaClockError("INVALID_ARGUMENT", `atRiskThreshold must be a number in (0, 1], got ${String(value)}`, {
      value,
    });
  }
  return value;
}
