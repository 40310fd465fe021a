/**
 * Explaining one deadline of a policy: which target applies (and the clause it comes from, where
 * the policy says), and the arithmetic that leads to `Policy.deadline` — the business-time trace,
 * the business day or week and its closing instant, or the calendar arithmetic. Kept apart from
 * the ticket clock's replay so that nothing here runs unless an explanation is asked for.
 */
import type { BusinessTimeTrace } from "../calendar/trace";
import type { PolicyRules, PriorityEntry } from "../policy/rules";
import type { Metric, PriorityId } from "../policy/spec";
import { describeTarget, targetDeadline, targetEarliest, type Target } from "../policy/target";
import {
  DAY_MS,
  addMonthsToDay,
  civilFromDay,
  dayFromCivil,
  formatDay,
  isoWeekday,
  mondayOnOrBefore,
} from "../time/civil";
import type { CalendarDuration } from "../time/duration";
import { deepFreeze } from "../util/freeze";

/**
 * Calendar arithmetic as a calendar target or a window applies it: months and days are added by
 * wall clock in the calendar's zone (the time of day kept, the day of month clamped to the month's
 * end), then the rest as elapsed time.
 *
 * @example
 * ```ts
 * const step: CalendarArithmetic = {
 *   months: 1, days: 0, ms: 0,
 *   fromLocal: "2026-01-31T10:00:00+01:00",
 *   wallLocal: "2026-02-28T10:00:00+01:00",
 *   clampedToMonthEnd: true,
 *   resultLocal: "2026-02-28T10:00:00+01:00",
 *   result: new Date("2026-02-28T09:00:00Z"),
 * };
 * ```
 */
export interface CalendarArithmetic {
  /** Whole months added by wall clock. */
  readonly months: number;
  /** Whole days added by wall clock (weeks count as 7 days). */
  readonly days: number;
  /** Elapsed milliseconds added after the months and days (hours, minutes, seconds). */
  readonly ms: number;
  /** The start, local time. */
  readonly fromLocal: string;
  /** The instant after the months and days (local time), before the elapsed part. */
  readonly wallLocal: string;
  /** The start's day of month does not exist in the month reached (Jan 31 + 1 month → Feb 28). */
  readonly clampedToMonthEnd: boolean;
  readonly result: Date;
  readonly resultLocal: string;
}

/**
 * How a target's deadline is found, in the vocabulary of its kind:
 * - `business`: business time counted from the start (the trace is {@link TargetExplanation.trace}).
 * - `endOfBusinessDay`: the business day the clock starts on (the next open day when it starts
 *   closed) and that day's last closing instant.
 * - `endOfBusinessWeek`: the ISO week of that business day, its last open day and closing instant.
 * - `calendar`: the calendar arithmetic to the deadline.
 * - `window`: the calendar arithmetic to the window's opening and to its end (the deadline).
 * - `none`: no deadline.
 *
 * @example
 * ```ts
 * const rule: TargetRule = { kind: "business", businessMs: 43_200_000 };
 * ```
 */
export type TargetRule =
  | { readonly kind: "business"; readonly businessMs: number }
  | {
      readonly kind: "endOfBusinessDay";
      /** The business day (`YYYY-MM-DD`, local) whose close is the deadline. */
      readonly businessDay: string;
      readonly closesAt: Date;
      readonly closesAtLocal: string;
      /** Business time from the start to the close. */
      readonly businessMs: number;
    }
  | {
      readonly kind: "endOfBusinessWeek";
      /** The ISO week (`2026-W14`) of the business day the clock starts on. */
      readonly week: string;
      /** The business day the clock starts on. */
      readonly businessDay: string;
      /** The last day of that week with open time, whose close is the deadline. */
      readonly lastOpenDay: string;
      readonly closesAt: Date;
      readonly closesAtLocal: string;
      readonly businessMs: number;
    }
  | { readonly kind: "calendar"; readonly arithmetic: CalendarArithmetic }
  | { readonly kind: "window"; readonly earliest: CalendarArithmetic; readonly latest: CalendarArithmetic }
  | { readonly kind: "none" };

/**
 * The answer of {@link Policy.explain}: which target a priority has for a metric, where the policy
 * takes it from, and how its deadline follows from the start. A frozen plain value;
 * `JSON.stringify` writes the `Date`s as UTC ISO strings.
 *
 * @example
 * ```ts
 * import { getPolicy } from "sla-clock";
 * const why: TargetExplanation = getPolicy("softone-se").explain("2026-04-02T11:00", { priority: 3 });
 * why.description; // "12 business hours"
 * why.deadlineLocal; // "2026-04-08T12:00:00+02:00"
 * why.trace?.stretches.length; // 4: Thu 11–12, Tue 08–12, Tue 13–16, Wed 08–12
 * ```
 */
export interface TargetExplanation {
  readonly policy: string;
  readonly priority: PriorityId;
  /** The priority's label in English when it has one, else in the document's language. */
  readonly priorityLabel: string;
  readonly metric: Metric;
  readonly target: Target;
  /** {@link describeTarget} of the target ("12 business hours", "end of business day"). */
  readonly description: string;
  /**
   * Where the target is stated (`PrioritySpec.clauses`); else the policy's `source` (for a target
   * other than `none`); else `null`.
   */
  readonly clause: string | null;
  /** The calendar's zone, in which the `…Local` times are written. */
  readonly zone: string;
  readonly start: Date;
  readonly startLocal: string;
  /** `Policy.deadline(start, …)`; `null` for no target. */
  readonly deadline: Date | null;
  readonly deadlineLocal: string | null;
  readonly rule: TargetRule;
  /**
   * The business time that leads to the deadline: `calendar.trace(start, duration)` for a business
   * target, `calendar.traceBetween(start, deadline)` for end of business day or week (whose length
   * is that business time). `null` for calendar, window and no targets, which do not count open
   * hours.
   */
  readonly trace: BusinessTimeTrace | null;
}

/** The explanation of a priority's target for a metric, for a clock started at `start` (epoch ms). @internal */
export function explainTarget(
  rules: PolicyRules,
  entry: PriorityEntry,
  metric: Metric,
  start: number,
): TargetExplanation {
  const calendar = rules.calendar;
  const engine = rules.engine;
  const compiled = entry.compiled[metric];
  const target = entry.info.targets[metric];
  const deadline = targetDeadline(engine, compiled, start);
  const local = (t: number) => calendar.format(t);
  let rule: TargetRule;
  let trace: BusinessTimeTrace | null = null;
  switch (compiled.kind) {
    case "business":
      trace = calendar.trace(start, compiled.ms);
      rule = { kind: "business", businessMs: compiled.ms };
      break;
    case "endOfBusinessDay":
    case "endOfBusinessWeek": {
      const close = deadline as number;
      trace = calendar.traceBetween(start, close);
      const firstOpen = engine.nextOpen(start);
      const businessDay = formatDay(ownerDay(trace, engine.localDay(firstOpen)));
      if (compiled.kind === "endOfBusinessDay") {
        rule = {
          kind: "endOfBusinessDay",
          businessDay,
          closesAt: new Date(close),
          closesAtLocal: local(close),
          businessMs: trace.totalMs,
        };
      } else {
        const lastOpenDay = trace.stretches.at(-1)?.date ?? businessDay;
        rule = {
          kind: "endOfBusinessWeek",
          week: isoWeek(businessDay),
          businessDay,
          lastOpenDay,
          closesAt: new Date(close),
          closesAtLocal: local(close),
          businessMs: trace.totalMs,
        };
      }
      break;
    }
    case "calendar":
      rule = { kind: "calendar", arithmetic: arithmetic(rules, compiled.duration, start) };
      break;
    case "window":
      rule = {
        kind: "window",
        earliest: arithmetic(rules, compiled.earliest, start, targetEarliest(engine, compiled, start) as number),
        latest: arithmetic(rules, compiled.latest, start),
      };
      break;
    case "none":
      rule = { kind: "none" };
      break;
  }
  const info = entry.info;
  return deepFreeze({
    policy: rules.spec.id,
    priority: info.id,
    priorityLabel: info.labelEn ?? info.label,
    metric,
    target,
    description: describeTarget(target),
    // A best-effort target states nothing: the policy's source is no clause for it.
    clause: info.clauses?.[metric] ?? (compiled.kind === "none" ? null : (rules.spec.source ?? null)),
    zone: calendar.zone,
    start: new Date(start),
    startLocal: local(start),
    deadline: deadline === null ? null : new Date(deadline),
    deadlineLocal: deadline === null ? null : local(deadline),
    rule,
    trace,
  });
}

/** The business day a clock starts on: the owner of the first counted stretch (the day of the first opening without one). */
function ownerDay(trace: BusinessTimeTrace, fallback: number): number {
  const first = trace.stretches[0];
  if (first === undefined) return fallback;
  const [y, m, d] = first.date.split("-").map(Number) as [number, number, number];
  return dayFromCivil(y, m, d);
}

/** The ISO week (`2026-W14`) of a local date `YYYY-MM-DD`. */
function isoWeek(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const day = dayFromCivil(y, m, d);
  // The ISO week belongs to the year of its Thursday.
  const thursday = mondayOnOrBefore(day) + 3;
  const year = civilFromDay(thursday).year;
  const firstThursday = dayFromCivil(year, 1, 1) + ((4 - isoWeekday(dayFromCivil(year, 1, 1)) + 7) % 7);
  const week = 1 + Math.floor((thursday - firstThursday) / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The steps of `engine.addCalendar(start, d)`, ending at exactly its answer (or at `result` when given). */
function arithmetic(rules: PolicyRules, d: CalendarDuration, start: number, result?: number): CalendarArithmetic {
  const engine = rules.engine;
  const calendar = rules.calendar;
  const wall = engine.addCalendar(start, { months: d.months, days: d.days, ms: 0 });
  const end = result ?? engine.addCalendar(start, d);
  const startLocalDay = Math.floor(engine.zone.instantToWall(start) / DAY_MS);
  // Clamped when the month reached has no such day (31 January + 1 month), read from the dates
  // alone: the wall time of the sum can also move for a date the zone skipped (Apia, 2011-12-30).
  const clamped =
    d.months !== 0 && civilFromDay(addMonthsToDay(startLocalDay, d.months)).day !== civilFromDay(startLocalDay).day;
  return {
    months: d.months,
    days: d.days,
    ms: d.ms,
    fromLocal: calendar.format(start),
    wallLocal: calendar.format(wall),
    clampedToMonthEnd: clamped,
    result: new Date(end),
    resultLocal: calendar.format(end),
  };
}
