import { readFile } from "node:fs/promises";
import { createCalendar, type Calendar } from "../calendar/calendar";
import { holidaysFromIcs, icsTextOfBytes, overridesFromIcs } from "../calendar/ics";
import { isCombinedSpec, type CalendarSpec, type ClosedDate, type DateOverride, type OpenDate } from "../calendar/spec";
import { definePolicy, type Policy } from "../clock/policy";
import { SlaClockError } from "../errors";
import { inputTextOf, rememberInputText, UsageError } from "./load";

/**
 * The local dates an `--closures` feed is expanded over. Recurring events (`RRULE`) without an end
 * need a window; this one covers every date a ticket export plausibly holds, and a weekly event
 * over it is about five thousand closures, which a calendar compiles in milliseconds.
 *
 * @example
 * ```ts
 * CLOSURE_RANGE; // { from: "2000-01-01", to: "2099-12-31" }
 * ```
 */
export const CLOSURE_RANGE = { from: "2000-01-01", to: "2099-12-31" } as const;

function dateOf(entry: ClosedDate | OpenDate): string {
  return typeof entry === "string" ? entry : entry.date;
}

async function readFeed(path: string): Promise<string> {
  if (!path.toLowerCase().endsWith(".ics")) {
    throw new UsageError(`--closures ${path}: expected an iCalendar file (.ics)`);
  }
  const known = inputTextOf(path);
  if (known !== undefined) return known;
  try {
    // Read as bytes: a fold may split a UTF-8 character, so folds are undone before decoding.
    const text = icsTextOfBytes(await readFile(path));
    rememberInputText(path, text);
    return text;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why =
      code === "ENOENT"
        ? "no such file or directory"
        : code === "EISDIR"
          ? "is a directory"
          : code === "EACCES" || code === "EPERM"
            ? "permission denied"
            : (e as Error).message;
    throw new UsageError(`cannot read --closures ${path}: ${why}`);
  }
}

/** One feed on top of a spec: its all-day events close their dates, its timed events their stretches. */
async function addFeed(spec: CalendarSpec, text: string, path: string): Promise<CalendarSpec> {
  try {
    const allDay = await holidaysFromIcs(text, { ...CLOSURE_RANGE, timedEvents: "ignore" });
    const closedDays = new Map<string, string>();
    for (const h of allDay.dates) if (!closedDays.has(h.date)) closedDays.set(h.date, h.name);
    // A date may appear once among overrides, closedDates and openDates (the spec's rule): a closed
    // date turns an override into a closed one and takes the place of an openDates entry.
    const overridden = new Set((spec.overrides ?? []).map((o) => o.date));
    const overrides: DateOverride[] = (spec.overrides ?? []).map((o) =>
      closedDays.has(o.date) ? { date: o.date, hours: [], name: closedDays.get(o.date) ?? "" } : o,
    );
    const openDates = (spec.openDates ?? []).filter((o) => !closedDays.has(dateOf(o)));
    const known = new Set((spec.closedDates ?? []).map(dateOf));
    const closedDates: ClosedDate[] = [
      ...(spec.closedDates ?? []),
      ...[...closedDays]
        .filter(([date]) => !known.has(date) && !overridden.has(date))
        .map(([date, name]) => ({ date, name })),
    ];
    const withDays: CalendarSpec = { ...spec, closedDates, openDates, overrides };
    // Timed events close their stretch of the hours the day has by now (all-day closures included).
    const timed = await overridesFromIcs(createCalendar(withDays), text, CLOSURE_RANGE);
    if (timed.length === 0) return withDays;
    const byDate = new Map(overrides.map((o) => [o.date, o] as const));
    for (const o of timed) byDate.set(o.date, o);
    return {
      ...withDays,
      // The override carries the hours the openDates entry gave the day, minus the event.
      openDates: openDates.filter((o) => !byDate.has(dateOf(o))),
      overrides: [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
    };
  } catch (e) {
    if (e instanceof SlaClockError) throw new UsageError(`--closures ${path}: ${e.message}`);
    throw e;
  }
}

/**
 * The calendar with the closures of iCalendar feeds added, in order: each all-day event closes the
 * dates it covers (as `closedDates`, replacing a date override on the same date) and each timed event
 * closes its stretch of that day's hours (as `overrides`), read exactly across zones by
 * `holidaysFromIcs`/`overridesFromIcs`. Recurrences are expanded over {@link CLOSURE_RANGE}. With no
 * feeds the calendar is returned as it is. A file that is not `.ics`, cannot be read or is not a
 * usable feed is a `UsageError` naming it.
 *
 * @example
 * ```ts
 * const calendar = await withClosures(loadCalendar("softone-se"), ["./office-closures.ics"]);
 * calendar.isBusinessDay("2026-07-21"); // false when the feed closes that day
 * ```
 */
export async function withClosures(calendar: Calendar, feeds: readonly string[]): Promise<Calendar> {
  if (feeds.length === 0) return calendar;
  const own = calendar.toJSON();
  if (isCombinedSpec(own))
    throw new UsageError(
      "--closures: a combined calendar (anyOf / allOf) has no closures of its own; add the feed to a member's spec",
    );
  let spec = own as CalendarSpec;
  for (const path of feeds) spec = await addFeed(spec, await readFeed(path), path);
  try {
    return createCalendar(spec);
  } catch (e) {
    if (e instanceof SlaClockError) throw new UsageError(`--closures: ${e.message}`);
    throw e;
  }
}

/**
 * The policy with its calendar's closures extended by iCalendar feeds, as {@link withClosures} does
 * for a calendar; targets, priorities and alerts are unchanged. With no feeds the policy is returned
 * as it is.
 *
 * @example
 * ```ts
 * const policy = await policyWithClosures(loadPolicy("softone-se"), ["./office-closures.ics"]);
 * ```
 */
export async function policyWithClosures(policy: Policy, feeds: readonly string[]): Promise<Policy> {
  if (feeds.length === 0) return policy;
  const calendar = await withClosures(policy.calendar, feeds);
  try {
    return definePolicy({ ...policy.toJSON(), calendar });
  } catch (e) {
    if (e instanceof SlaClockError) throw new UsageError(`--closures: ${e.message}`);
    throw e;
  }
}
