import { readFile } from "node:fs/promises";
import { createCalendar, type Calendar } from "../calendar/calendar";
import { holidaysFromIcs, icsTextOfBytes, overridesFromIcs } from "../calendar/ics";
import {
  isCombinedSpec,
  type CalendarSpec,
  type CalendarVersion,
  type ClosedDate,
  type DateOverride,
  type OpenDate,
} from "../calendar/spec";
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

/** The dated rules of one rule set: the spec's own, or a version's. */
interface DatedRules {
  readonly closedDates?: readonly ClosedDate[];
  readonly openDates?: readonly OpenDate[];
  readonly overrides?: readonly DateOverride[];
}

/**
 * `rules` with the all-day closures of `closedDays` added: a date may appear once among overrides,
 * closedDates and openDates (the spec's rule), so a closed date turns an override into a closed
 * one and takes the place of an openDates entry.
 */
function withClosedDays<R extends DatedRules>(rules: R, closedDays: ReadonlyMap<string, string>): R {
  if (closedDays.size === 0) return rules;
  const overridden = new Set((rules.overrides ?? []).map((o) => o.date));
  const overrides: DateOverride[] = (rules.overrides ?? []).map((o) =>
    closedDays.has(o.date) ? { date: o.date, hours: [], name: closedDays.get(o.date) ?? "" } : o,
  );
  const known = new Set((rules.closedDates ?? []).map(dateOf));
  const closedDates: ClosedDate[] = [
    ...(rules.closedDates ?? []),
    ...[...closedDays]
      .filter(([date]) => !known.has(date) && !overridden.has(date))
      .map(([date, name]) => ({ date, name })),
  ];
  return {
    ...rules,
    closedDates,
    openDates: (rules.openDates ?? []).filter((o) => !closedDays.has(dateOf(o))),
    overrides,
  };
}

/** `rules` with the timed closures' overrides (each carries the day's hours less the event). */
function withTimed<R extends DatedRules>(rules: R, timed: readonly DateOverride[]): R {
  if (timed.length === 0) return rules;
  const byDate = new Map((rules.overrides ?? []).map((o) => [o.date, o] as const));
  for (const o of timed) byDate.set(o.date, o);
  return {
    ...rules,
    // The override carries the hours the openDates entry gave the day, minus the event.
    openDates: (rules.openDates ?? []).filter((o) => !byDate.has(dateOf(o))),
    overrides: [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
  };
}

/**
 * `spec` with per-date entries added to the rule set in force on each date: the spec's own rules
 * before its first version, else that version's (a date's rules are its version's alone, so an
 * entry at the top level after `versions[0].from` would never apply).
 */
function addDated(
  spec: CalendarSpec,
  dates: readonly string[],
  add: <R extends DatedRules>(rules: R, dates: ReadonlySet<string>) => R,
): CalendarSpec {
  const versions = spec.versions ?? [];
  const setOf = (date: string): number => {
    let k = -1;
    for (let i = 0; i < versions.length; i++) if ((versions[i] as CalendarVersion).from <= date) k = i;
    return k;
  };
  const bySet = new Map<number, Set<string>>();
  for (const date of dates) {
    const k = setOf(date);
    let set = bySet.get(k);
    if (set === undefined) bySet.set(k, (set = new Set()));
    set.add(date);
  }
  const own = bySet.get(-1);
  const top = own === undefined ? spec : add(spec, own);
  if (versions.length === 0) return top;
  return {
    ...top,
    versions: versions.map((v, k) => {
      const mine = bySet.get(k);
      return mine === undefined ? v : { ...v, spec: add(v.spec, mine) };
    }),
  };
}

/** One feed on top of a spec: its all-day events close their dates, its timed events their stretches. */
async function addFeed(spec: CalendarSpec, text: string, path: string): Promise<CalendarSpec> {
  try {
    const allDay = await holidaysFromIcs(text, { ...CLOSURE_RANGE, timedEvents: "ignore" });
    const closedDays = new Map<string, string>();
    for (const h of allDay.dates) if (!closedDays.has(h.date)) closedDays.set(h.date, h.name);
    const withDays = addDated(spec, [...closedDays.keys()], (rules, dates) =>
      withClosedDays(rules, new Map([...dates].map((d) => [d, closedDays.get(d) ?? ""]))),
    );
    // Timed events close their stretch of the hours the day has by now (all-day closures included).
    const timed = await overridesFromIcs(createCalendar(withDays), text, CLOSURE_RANGE);
    if (timed.length === 0) return withDays;
    const timedByDate = new Map(timed.map((o) => [o.date, o] as const));
    return addDated(withDays, [...timedByDate.keys()], (rules, dates) =>
      withTimed(
        rules,
        [...dates].map((d) => timedByDate.get(d) as DateOverride),
      ),
    );
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
