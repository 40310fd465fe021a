import { DAY_MS, dayFromCivil, daysInMonth, isoWeekday } from "../time/civil";

/**
 * `date-holidays` works out dates with the host's local `Date` (through `caldate`), so on a host
 * whose own zone skipped a whole local date it puts that date's holidays, and holidays counted
 * from it, a day or more late, or drops them. In 1900–2200 that is Pacific/Kiritimati and Pacific/Kanton
 * (1994-12-31), Pacific/Apia and Pacific/Fakaofo (2011-12-30) and Pacific/Kwajalein (1993-08-21).
 * A calendar's answers must not depend on where the process runs, so the years around such a
 * date are repaired here: a holiday of a Gregorian rule ("12-31", "friday after 06-19",
 * "1st monday in June") falls on the same month and day in every year that starts on the same
 * weekday and has the same length, so its date is taken from such a "twin" year that the host did
 * not disturb. Rules of other calendars (Easter, lunar, Hebrew, Islamic, equinoxes) are kept as
 * date-holidays gives them: no twin year exists for them, and none of them falls on those dates.
 */

/**
 * One holiday as `getHolidays(year)` lists it; only the fields the repair reads or rewrites.
 *
 * @example
 * ```ts
 * const nyarsafton: ListedHoliday = { date: "1994-12-31 00:00:00", rule: "12-31", name: "nyårsafton" };
 * ```
 * @internal
 */
export interface ListedHoliday {
  /** Local date and time, `YYYY-MM-DD hh:mm:ss`. */
  readonly date: string;
  readonly rule: string;
  readonly name: string;
}

const WEEKDAY = "(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
const ORDINAL = "(?:\\d+(?:st|nd|rd|th)|last)";
const MONTH = "(?:january|february|march|april|may|june|july|august|september|october|november|december)";
/**
 * A rule whose date is Gregorian: after any chain of "(1st) monday before/after", it rests on a
 * month and day ("12-31", "2023-09-1"), on "4th thursday in November", or on a month ("monday
 * before October") that is not an equinox or solstice.
 */
const GREGORIAN_RULE = new RegExp(
  `^(?:substitutes\\s+)?(?:(?:${ORDINAL}\\s+)?${WEEKDAY}\\s+(?:before|after)\\s+)*` +
    `(?:(?:\\d{4}-)?\\d\\d?-\\d\\d?|(?:${ORDINAL}\\s+${WEEKDAY}\\s+in\\s+)?${MONTH}(?!\\s+(?:equinox|solstice)))\\b`,
  "i",
);

/**
 * Whether a date-holidays rule text names a date of the Gregorian calendar.
 *
 * @example
 * ```ts
 * isGregorianRule("friday after 06-19"); // true
 * isGregorianRule("easter -2"); // false
 * ```
 * @internal
 */
export function isGregorianRule(rule: string): boolean {
  return GREGORIAN_RULE.test(rule);
}

/** Whether the host's zone skips a local date in one month (`month` 1–12). */
function skipsInMonth(year: number, month: number): boolean {
  for (let d = 1, n = daysInMonth(year, month); d <= n; d++) {
    const local = new Date(year, month - 1, d);
    if (local.getDate() !== d || local.getMonth() !== month - 1) return true;
  }
  return false;
}

/**
 * Whether the host's zone skipped a local date between December of the year before and January
 * of the year after (the dates date-holidays touches while it lists `year`). Fifteen `Date`s on
 * every host that skipped nothing then: a month whose length in host time is off by half a day
 * or more is scanned day by day.
 *
 * @example
 * ```ts
 * hostSkipsNear(1994); // true in a process with TZ=Pacific/Kiritimati, false with TZ=UTC
 * ```
 * @internal
 */
export function hostSkipsNear(year: number): boolean {
  // Month by month from December of the year before to January of the year after; `new Date`
  // carries a month index of 12 or 13 into the next year.
  let start = new Date(year - 1, 11, 1).getTime();
  for (let index = -1; index <= 12; index++) {
    const [y, month] = index < 0 ? [year - 1, 12] : index > 11 ? [year + 1, 1] : [year, index + 1];
    const next = new Date(year, index + 1, 1).getTime();
    if (Math.abs(next - start - daysInMonth(y, month) * DAY_MS) >= DAY_MS / 2 && skipsInMonth(y, month)) return true;
    start = next;
  }
  return false;
}

function isLeap(year: number): boolean {
  return daysInMonth(year, 2) === 29;
}

/**
 * The nearest year before (`direction` -1) or after (+1) `year` with the same weekdays on the same
 * dates, that the host left alone. Distances of 28 years come first: they also keep the year's
 * parity and its place in a four-year cycle, which rules "in even years" and "every 4 years" use.
 */
function twinYear(year: number, direction: -1 | 1): number | undefined {
  const weekday = isoWeekday(dayFromCivil(year, 1, 1));
  const leap = isLeap(year);
  const fits = (twin: number) =>
    isoWeekday(dayFromCivil(twin, 1, 1)) === weekday && isLeap(twin) === leap && !hostSkipsNear(twin);
  for (let distance = 28; distance <= 400; distance += 28)
    if (fits(year + direction * distance)) return year + direction * distance;
  for (let distance = 1; distance <= 400; distance++)
    if (fits(year + direction * distance)) return year + direction * distance;
  return undefined;
}

/** A list's Gregorian-rule holidays by rule, each rule's listings in order. */
function byGregorianRule<T extends ListedHoliday>(list: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const h of list) if (isGregorianRule(h.rule)) map.set(h.rule, [...(map.get(h.rule) ?? []), h]);
  return map;
}

/**
 * The holidays of `year` as a host that skipped no date would list them. Holidays of other
 * calendars stay as listed. Holidays of Gregorian rules take their month and day from the nearest
 * twin years before and after: a rule's n-th listing counts when both twins have it, or when the
 * host listed the rule at least n times this year (a rule bounded in years, "since 1995", is in
 * one twin only; the host may have lost a listing it pushed into the next year). A Gregorian rule
 * that no twin lists keeps the host's date. `listOf` lists a year as `getHolidays` does. The
 * result is by date; holidays of one date keep the order the host listed them in, and one it did
 * not list comes after those, in its twin's order. As in date-holidays, a holiday listed twice
 * under one name on one date (a one-off rule "2011-06-19" beside the yearly "06-19") counts once.
 *
 * @example
 * ```ts
 * // On a host in Pacific/Kiritimati, date-holidays lists Swedish New Year's Eve 1994 on 1995-01-01.
 * const list = holidays.getHolidays(1994);
 * const fixed = hostSkipsNear(1994) ? repairHostSkips(1994, list, (y) => holidays.getHolidays(y)) : list;
 * ```
 * @internal
 */
export function repairHostSkips<T extends ListedHoliday>(
  year: number,
  listed: readonly T[],
  listOf: (year: number) => readonly T[],
): readonly T[] {
  const twins = ([-1, 1] as const).flatMap((direction) => {
    const twin = twinYear(year, direction);
    return twin === undefined ? [] : [{ year: twin, byRule: byGregorianRule(listOf(twin)) }];
  });
  const hosted = byGregorianRule(listed);
  const rank = new Map<ListedHoliday, number>(listed.map((h, i) => [h, i]));
  const out: { holiday: T; rank: number }[] = listed
    .filter((h) => !isGregorianRule(h.rule) || !twins.some((t) => t.byRule.has(h.rule)))
    .map((holiday) => ({ holiday, rank: rank.get(holiday)! }));
  const rules = new Set(twins.flatMap((t) => [...t.byRule.keys()]));
  for (const rule of rules) {
    const listings = twins.map((t) => t.byRule.get(rule) ?? []);
    const count = Math.max(...listings.map((l) => l.length));
    for (let nth = 0; nth < count; nth++) {
      const inTwins = listings.filter((l) => l[nth] !== undefined).length;
      const own = hosted.get(rule)?.[nth];
      if (inTwins < twins.length && own === undefined) continue;
      const k = listings.findIndex((l) => l[nth] !== undefined);
      const same = listings[k]![nth]!;
      const date = String(Number(same.date.slice(0, 4)) + year - twins[k]!.year).padStart(4, "0") + same.date.slice(4);
      out.push({ holiday: { ...same, date }, rank: own === undefined ? listed.length + nth : rank.get(own)! });
    }
  }
  return out
    .sort((a, b) => {
      const [x, y] = [a.holiday.date.slice(0, 10), b.holiday.date.slice(0, 10)];
      return x < y ? -1 : x > y ? 1 : a.rank - b.rank;
    })
    .map((x) => x.holiday)
    .filter((h, i, all) => all.findIndex((other) => other.name === h.name && other.date === h.date) === i);
}
