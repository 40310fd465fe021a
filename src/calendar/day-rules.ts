import { formatDay, formatMinute, isoWeekday } from "../time/civil";
import type { HolidayProvider, HolidayRef } from "./holiday-source";
import type { CompiledSpec, DayHours, MinuteInterval } from "./spec";

/**
 * Why a day's hours differ from its weekday's weekly hours. `describeDay` lists every rule that
 * applied to the date, in the order of the resolution rules.
 *
 * @example
 * ```ts
 * const reason: DayReason = {
 *   kind: "eve",
 *   holidays: [{ date: "2026-04-03", name: "långfredagen", nameEn: "Good Friday", type: "public" }],
 *   closeAt: "13:00",
 * };
 * ```
 */
export type DayReason =
  /** A date override gave the day's hours exactly. */
  | { readonly kind: "override"; readonly name?: string }
  /** A closing holiday closed the day. */
  | { readonly kind: "holiday"; readonly holidays: readonly HolidayRef[] }
  /** The spec's `closedDates` closed the day. */
  | { readonly kind: "closedDate"; readonly name?: string }
  /** The spec's `openDates` kept the day open despite its holidays. */
  | { readonly kind: "openDate"; readonly name?: string; readonly holidays: readonly HolidayRef[] }
  /** The next day is a holiday: the eve rule applied. */
  | {
      readonly kind: "eve";
      readonly holidays: readonly HolidayRef[];
      readonly closeAt?: string;
      readonly hours?: DayHours;
    }
  /** A weekday rule cut the day. */
  | { readonly kind: "weekdayRule"; readonly closeAt: string; readonly name?: string }
  /** The local date does not exist in the zone (a whole day skipped, as Pacific/Apia on 2011-12-30). */
  | { readonly kind: "nonexistentDate" };

/** The hours of one local date, in minutes from its midnight, and why. @internal */
export interface ResolvedDay {
  readonly intervals: readonly MinuteInterval[];
  readonly reasons: readonly DayReason[];
}

const NO_REASONS: readonly DayReason[] = Object.freeze([]);

function cut(intervals: readonly MinuteInterval[], at: number): MinuteInterval[] {
  const out: MinuteInterval[] = [];
  for (const iv of intervals) {
    if (iv.start >= at) continue;
    out.push(iv.end > at ? { start: iv.start, end: at } : iv);
  }
  return out;
}

/** `[["08:00","12:00"], …]` of minute intervals; an overnight end is written as its wall time. @internal */
export function formatHours(intervals: readonly MinuteInterval[]): DayHours {
  return intervals.map((iv) => [formatMinute(iv.start), formatMinute(iv.end > 1440 ? iv.end - 1440 : iv.end)] as const);
}

/**
 * Applies the resolution order of {@link CalendarSpec} to one local date. With `explain` it also
 * collects the reasons (for `describeDay`); without, it allocates as little as possible because the
 * interval index calls it for every day it builds.
 * @internal
 */
export function resolveDay(
  spec: CompiledSpec,
  holidays: HolidayProvider | undefined,
  day: number,
  explain: boolean,
): ResolvedDay {
  const reasons: DayReason[] | undefined = explain ? [] : undefined;
  const override = spec.overrides.get(day);
  if (override) {
    reasons?.push(override.name === undefined ? { kind: "override" } : { kind: "override", name: override.name });
    return { intervals: override.hours, reasons: reasons ?? NO_REASONS };
  }
  const openDate = spec.openDates.get(day);
  if (spec.closedDates.has(day)) {
    const name = spec.closedDates.get(day);
    reasons?.push(name === undefined ? { kind: "closedDate" } : { kind: "closedDate", name });
    return { intervals: [], reasons: reasons ?? NO_REASONS };
  }
  if (holidays && holidays.closes(day)) {
    if (openDate === undefined) {
      reasons?.push({ kind: "holiday", holidays: holidays.describeClosing(day, formatDay(day)) });
      return { intervals: [], reasons: reasons ?? NO_REASONS };
    }
    reasons?.push({
      kind: "openDate",
      ...(openDate.name === undefined ? {} : { name: openDate.name }),
      holidays: holidays.describeClosing(day, formatDay(day)),
    });
  } else if (openDate !== undefined && reasons) {
    reasons.push(
      openDate.name === undefined
        ? { kind: "openDate", holidays: [] }
        : { kind: "openDate", name: openDate.name, holidays: [] },
    );
  }

  const weekday = isoWeekday(day);
  const weekly = spec.weekly[weekday] as readonly MinuteInterval[];
  const isEve = spec.eve !== undefined && holidays !== undefined && isEveDay(spec, holidays, day);
  let intervals: readonly MinuteInterval[] = openDate?.hours ?? weekly;
  if (isEve && spec.eve!.hours !== undefined && weekly.length > 0 && openDate?.hours === undefined)
    intervals = spec.eve!.hours;

  let cutAt = Infinity;
  if (isEve) {
    const eve = spec.eve!;
    if (eve.closeAt !== undefined) cutAt = eve.closeAt;
    if (reasons) {
      const next = holidays!.describeEve(day + 1, formatDay(day + 1));
      reasons.push(
        eve.closeAt !== undefined
          ? { kind: "eve", holidays: next, closeAt: formatMinute(eve.closeAt) }
          : { kind: "eve", holidays: next, hours: formatHours(eve.hours ?? []) },
      );
    }
  }
  for (const rule of spec.weekdayRules) {
    if (!rule.weekdays.has(weekday)) continue;
    cutAt = Math.min(cutAt, rule.closeAt);
    reasons?.push(
      rule.name === undefined
        ? { kind: "weekdayRule", closeAt: formatMinute(rule.closeAt) }
        : { kind: "weekdayRule", closeAt: formatMinute(rule.closeAt), name: rule.name },
    );
  }
  if (cutAt !== Infinity) intervals = cut(intervals, cutAt);
  return { intervals, reasons: reasons ?? NO_REASONS };
}

function isEveDay(spec: CompiledSpec, holidays: HolidayProvider, day: number): boolean {
  const next = day + 1;
  if (!holidays.hasEveHoliday(next) || spec.openDates.has(next)) return false;
  // The eve itself must not be such a holiday (one that it opens is not).
  return !holidays.hasEveHoliday(day) || spec.openDates.has(day);
}
