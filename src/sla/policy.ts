import type { Calendar } from "../calendar/calendar";
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
