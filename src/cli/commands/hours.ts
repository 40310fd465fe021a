import type { Calendar } from "../../calendar/calendar";
import type { DayHours } from "../../calendar/spec";
import { calendarToIcs } from "../../calendar/ics";
import { formatDay, parseDay } from "../../time/civil";
import { escapeForTerminal, textTable } from "../format";
import { UsageError } from "../load";
import { whyDay } from "../reasons";

/** Longest range `hours` prints, in days. */
const MAX_DAYS = 3660;

/**
 * The Monday and Sunday (`YYYY-MM-DD`) of the week of `now` in the calendar's zone: what `hours`
 * shows without `--from`/`--to`.
 *
 * @example
 * ```ts
 * currentWeek(getCalendar("softone-se"), Date.parse("2026-04-02T09:00Z")); // { from: "2026-03-30", to: "2026-04-05" }
 * ```
 */
export function currentWeek(calendar: Calendar, now: number): { from: string; to: string } {
  const local = calendar.toLocal(now).startOf("day");
  const monday = local.minus({ days: local.weekday - 1 });
  return { from: monday.toISODate() as string, to: monday.plus({ days: 6 }).toISODate() as string };
}

/** `--from`/`--to` as day numbers, refused as a usage error when not a range `hours` prints. */
function dayRange(from: string, to: string): [number, number] {
  const a = parseDay(from);
  const b = parseDay(to);
  if (a === undefined) throw new UsageError(`--from: "${from}" is not a date; use YYYY-MM-DD`);
  if (b === undefined) throw new UsageError(`--to: "${to}" is not a date; use YYYY-MM-DD`);
  if (b < a) throw new UsageError(`--to (${to}) is before --from (${from})`);
  if (b - a >= MAX_DAYS) throw new UsageError(`the range is ${b - a + 1} days; at most ${MAX_DAYS} at a time`);
  return [a, b];
}

/**
 * `sla-clock hours <calendar> --format ics`: the closed and shortened days of the range as an ICS
 * feed ({@link calendarToIcs}), to publish to customers' calendars.
 *
 * @example
 * ```ts
 * process.stdout.write(await hoursIcs(getCalendar("softone-se"), "2026-12-01", "2026-12-31"));
 * ```
 */
export async function hoursIcs(calendar: Calendar, from: string, to: string): Promise<string> {
  dayRange(from, to);
  if (calendar.members.length > 0) {
    throw new UsageError(
      "--format ics: the calendar is combined (anyOf / allOf) and has no closures of its own; export each member's spec",
    );
  }
  return calendarToIcs(calendar, from, to);
}

/**
 * `sla-clock hours <calendar> --from --to`: each day's open hours (wall time in the calendar's
 * zone) and why a day is short or closed.
 *
 * @example
 * ```ts
 * process.stdout.write(hoursTable(getCalendar("softone-se"), "2026-04-01", "2026-04-07"));
 * ```
 */
export function hoursTable(calendar: Calendar, from: string, to: string): string {
  const [a, b] = dayRange(from, to);
  const rows: string[][] = [];
  for (let day = a; day <= b; day++) {
    const d = calendar.describeDay(formatDay(day));
    // A combined calendar has no rules of its own: the why is each member's day.
    const why = d.members
      ? d.members.map((m, i) => `${memberName(calendar, i)}: ${hoursText(m.hours)}${whyText(m)}`).join("; ")
      : whyDay(d).join("; ");
    rows.push([d.date, d.weekday, hoursText(d.hours), (d.openMs / 3_600_000).toFixed(2), why]);
  }
  // The name comes from the user's spec file: shown escaped, like every cell of the table.
  const title = escapeForTerminal(`${calendar.spec.name ?? calendar.spec.id ?? "calendar"} (${calendar.zone})`);
  return `${title}\n${textTable(["date", "day", "hours", "open h", "why"], rows)}\n`;
}

function hoursText(hours: DayHours): string {
  return hours.length === 0 ? "closed" : hours.map(([s, e]) => `${s}–${e}`).join(", ");
}

function whyText(d: Parameters<typeof whyDay>[0]): string {
  const why = whyDay(d);
  return why.length === 0 ? "" : ` (${why.join(", ")})`;
}

/** A member of a combined calendar as the table names it: its id, else its position and zone. */
function memberName(calendar: Calendar, i: number): string {
  const member = calendar.members[i] as Calendar;
  return member.spec.id ?? `#${i + 1} ${member.zone}`;
}
