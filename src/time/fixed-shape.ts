import { DAY_MS, dayFromCivil, daysInMonth, packedCivil } from "./civil";
import { END_INSTANT, MIN_INSTANT } from "./range";
import type { ZoneRules } from "./zone";

// Instants of the fixed shapes exports and APIs write (`2026-04-02T11:00:00+02:00`,
// `2026-04-02T11:00`), read and written with arithmetic on char codes instead of regular
// expressions, luxon and `Date#toISOString`: a CLI run over a million rows reads and writes several
// million of them, and that was a tenth of its time (issue 13). Each function handles only the
// shapes whose meaning is beyond doubt and says "not mine" (NaN, undefined) for everything else,
// which then takes the general path (./instant.ts, ./format.ts), so every answer and every error
// stays the same; test/fixed-shape.test.ts checks the two paths agree on random instants in zones
// with DST, half-hour, 45-minute and +14 offsets.

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
 * Epoch milliseconds of ISO-8601 text of a fixed shape: `YYYY-MM-DDTHH:mm`, optionally `:ss`, then
 * nothing (wall time in `rules`' zone, placed by the library's DST rule), `Z`, or an offset
 * `±HH:MM` up to ±18:00 — exactly what the general path makes of such text. NaN for any other
 * text (milliseconds, annotations, spaces, lower-case `t`/`z`), for fields out of range (month 13,
 * 2026-02-29, 24:00) and for instants outside the supported years: those take the general path,
 * which reads or refuses them with its own message.
 * @internal
 */
export function fixedShapeInstant(text: string, rules: ZoneRules): number {
  const length = text.length;
  if (length < 16 || length > 25) return Number.NaN;
  if (
    text.charCodeAt(4) !== 0x2d || // -
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x54 || // T
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

/** `±HH:MM` per offset in ms (a zone has a handful; bounded all the same). */
const SUFFIXES = new Map<number, string>();

function suffixOf(offset: number): string {
  let suffix = SUFFIXES.get(offset);
  if (suffix === undefined) {
    const minutes = Math.abs(offset) / 60_000;
    suffix = `${offset < 0 ? "-" : "+"}${TWO_DIGITS[Math.floor(minutes / 60)]!}:${TWO_DIGITS[minutes % 60]!}`;
    if (SUFFIXES.size < 256) SUFFIXES.set(offset, suffix);
  }
  return suffix;
}

/**
 * An instant (epoch ms) written as ISO-8601 with `offset` (the zone's at that instant), as the
 * general path writes it (`2026-04-08T12:00:00+02:00`), from integer arithmetic and a table of
 * two-digit strings; undefined when the general path is needed: milliseconds, an offset with
 * seconds or of 100 hours or more, the zones that write `Z`, years outside 1900–2200.
 * @internal
 */
export function fixedShapeFormat(ms: number, offset: number, rules: ZoneRules): string | undefined {
  if (ms % 1000 !== 0 || offset % 60_000 !== 0 || Math.abs(offset) >= 100 * 3_600_000) return undefined;
  if (rules.name === "UTC" || rules.name === "Etc/UTC") return undefined;
  const wall = ms + offset;
  const dayNumber = Math.floor(wall / DAY_MS);
  let rest = (wall - dayNumber * DAY_MS) / 1000;
  const second = rest % 60;
  rest = (rest - second) / 60;
  const minute = rest % 60;
  const hour = (rest - minute) / 60;
  const packed = packedCivil(dayNumber);
  const year = Math.floor(packed / 384);
  const month = (Math.floor(packed / 32) % 12) + 1;
  const day = packed % 32;
  if (year < 1900 || year > 2200) return undefined;
  return `${year}-${TWO_DIGITS[month]!}-${TWO_DIGITS[day]!}T${TWO_DIGITS[hour]!}:${TWO_DIGITS[minute]!}:${TWO_DIGITS[second]!}${suffixOf(offset)}`;
}
