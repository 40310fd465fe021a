import type { Calendar } from "../../calendar/calendar";
import { DAY_MS, dayFromCivil, daysInMonth } from "../../time/civil";
import { END_INSTANT, MIN_INSTANT } from "../../time/range";
import { zoneRules, type ZoneRules } from "../../time/zone";

// Instants of the fixed shapes help desks write (`2026-04-02T11:00:00+02:00`, `2026-04-02 11:00`),
// read and written with arithmetic on char codes instead of regular expressions, luxon and
// `Date#toISOString`: a CLI run over a million rows reads and writes several million of them, and
// that was a tenth of its time. Each function handles only the shapes whose meaning is beyond doubt
// and says "not mine" (NaN, undefined) for everything else, which then takes the library's general
// path, so every answer and every error stays the library's own (test/cli.instants.test.ts checks
// the two paths agree on random instants in zones with DST, half-hour and 45-minute offsets).

const ZERO = 48;

/** The number of `count` ASCII digits at `at`, or -1 when one of them is not a digit. */
function digits(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Epoch milliseconds of an instant cell of a fixed shape: `YYYY-MM-DD`, `T` or a space, `HH:mm`,
 * optionally `:ss`, then nothing (wall time in `rules`' zone, placed by the library's DST rule),
 * `Z`, or an offset `±HH:MM` (up to ±18:00) — exactly what `Calendar#parse` (after the CLI's
 * space-for-`T` rewrite) makes of such text. NaN for any other text, for fields out of range
 * (month 13, 2026-02-29, 24:00) and for instants outside the supported years: those take the
 * general path, which reads or refuses them with its own message.
 *
 * @example
 * ```ts
 * import { zoneRules } from "../../time/zone";
 * fixedShapeInstant("2026-04-02T11:00:00+02:00", zoneRules("Europe/Stockholm")); // 1775120400000
 * fixedShapeInstant("2026-04-02 11:00", zoneRules("Europe/Stockholm")); // 1775120400000 (wall time)
 * fixedShapeInstant("02/04/2026 11:00", zoneRules("Europe/Stockholm")); // NaN: the general path's
 * ```
 */
export function fixedShapeInstant(text: string, rules: ZoneRules): number {
  const length = text.length;
  if (length < 16 || length > 25) return Number.NaN;
  const separator = text.charCodeAt(10);
  if (
    text.charCodeAt(4) !== 0x2d || // -
    text.charCodeAt(7) !== 0x2d ||
    (separator !== 0x54 && separator !== 0x20) || // T or space
    text.charCodeAt(13) !== 0x3a // :
  )
    return Number.NaN;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59)
    return Number.NaN;
  let at = 16;
  let second = 0;
  if (text.charCodeAt(at) === 0x3a) {
    second = digits(text, at + 1, 2);
    if (second < 0 || second > 59) return Number.NaN;
    at += 3;
  }
  if (day > daysInMonth(year, month)) return Number.NaN;
  const wall = dayFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000;
  let ms: number;
  if (at === length) {
    ms = rules.wallToInstant(wall);
  } else if (at + 1 === length && text.charCodeAt(at) === 0x5a) {
    ms = wall; // Z
  } else if (at + 6 === length && text.charCodeAt(at + 3) === 0x3a) {
    const sign = text.charCodeAt(at);
    const hours = digits(text, at + 1, 2);
    const minutes = digits(text, at + 4, 2);
    if ((sign !== 0x2b && sign !== 0x2d) || hours < 0 || minutes < 0 || minutes > 59) return Number.NaN;
    if (hours > 18 || (hours === 18 && minutes !== 0)) return Number.NaN;
    const offset = (hours * 60 + minutes) * 60_000;
    ms = sign === 0x2b ? wall - offset : wall + offset;
  } else return Number.NaN;
  return ms >= MIN_INSTANT && ms < END_INSTANT ? ms : Number.NaN;
}

/** `"00"` … `"99"`. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));

/**
 * A writer of instants as `calendar.format(ms)` writes them (ISO-8601 with the calendar zone's
 * offset), for output of many rows: the date and time from integer arithmetic and a table of
 * two-digit strings, the offset's text kept per offset. Instants it has no fast form for
 * (milliseconds, an offset with seconds, the zone UTC, years outside 1900–2200) are written by
 * `calendar.format` itself; NaN and infinities (an absent instant) are `""`.
 *
 * @example
 * ```ts
 * const write = instantWriter(getCalendar("softone-se"));
 * write(Date.parse("2026-04-08T10:00:00Z")); // "2026-04-08T12:00:00+02:00"
 * write(Number.NaN); // ""
 * ```
 */
export function instantWriter(calendar: Calendar): (ms: number) => string {
  const rules = zoneRules(calendar.zone);
  // `Z` for these zones (see formatInZone): left to calendar.format.
  const utc = rules.name === "UTC" || rules.name === "Etc/UTC";
  const suffixes = new Map<number, string>();
  const suffixOf = (offset: number): string => {
    let suffix = suffixes.get(offset);
    if (suffix === undefined) {
      const minutes = Math.abs(offset) / 60_000;
      suffix = `${offset < 0 ? "-" : "+"}${TWO_DIGITS[Math.floor(minutes / 60)]!}:${TWO_DIGITS[minutes % 60]!}`;
      // A zone has a handful of offsets; bounded all the same.
      if (suffixes.size < 64) suffixes.set(offset, suffix);
    }
    return suffix;
  };
  return (ms) => {
    if (!Number.isFinite(ms)) return "";
    const offset = rules.offsetAt(ms);
    if (utc || ms % 1000 !== 0 || offset % 60_000 !== 0 || Math.abs(offset) >= 100 * 3_600_000)
      return calendar.format(ms);
    const wall = ms + offset;
    const dayNumber = Math.floor(wall / DAY_MS);
    let rest = (wall - dayNumber * DAY_MS) / 1000;
    const second = rest % 60;
    rest = (rest - second) / 60;
    const minute = rest % 60;
    const hour = (rest - minute) / 60;
    // civil-from-days (H. Hinnant), as src/time/civil.ts
    const z = dayNumber + 719_468;
    const era = Math.floor(z / 146_097);
    const dayOfEra = z - era * 146_097;
    const yearOfEra = Math.floor(
      (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
    );
    const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
    const mp = Math.floor((5 * dayOfYear + 2) / 153);
    const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 1900 || year > 2200) return calendar.format(ms);
    return `${year}-${TWO_DIGITS[month]!}-${TWO_DIGITS[day]!}T${TWO_DIGITS[hour]!}:${TWO_DIGITS[minute]!}:${TWO_DIGITS[second]!}${suffixOf(offset)}`;
  };
}

/** The writer of each calendar seen (weakly held: a calendar that goes takes its writer along). */
const WRITERS = new WeakMap<Calendar, (ms: number) => string>();

/**
 * {@link instantWriter} of `calendar`, made once per calendar: `calendar.format(ms)` for a finite
 * instant, `""` for NaN.
 *
 * @example
 * ```ts
 * writeInstant(Date.parse("2026-04-08T10:00:00Z"), getCalendar("softone-se")); // "2026-04-08T12:00:00+02:00"
 * ```
 */
export function writeInstant(ms: number, calendar: Calendar): string {
  let write = WRITERS.get(calendar);
  if (write === undefined) {
    write = instantWriter(calendar);
    WRITERS.set(calendar, write);
  }
  return write(ms);
}
