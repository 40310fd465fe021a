/**
 * Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01) and on "wall
 * milliseconds" (a local date and time written as if it were UTC). Pure integer arithmetic: this is
 * the per-query hot path, where luxon would be far too slow; zone rules stay in `zone.ts`.
 */

/** Milliseconds in one civil day of wall time. */
export const DAY_MS = 86_400_000;
/** Milliseconds in one minute. */
export const MINUTE_MS = 60_000;

/** A calendar date without time or zone. */
export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Day number (days since 1970-01-01) of a proleptic Gregorian date. */
export function dayFromCivil(year: number, month: number, day: number): number {
  // Shift the year so that it starts on March 1st: the leap day is then the year's last day.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * The date of a day number packed into one integer, `(year * 12 + month - 1) * 32 + day`, so that
 * hot paths (these below, the fixed-shape instant writer) share one conversion without allocating
 * an object.
 *
 * @example
 * ```ts
 * const p = packedCivil(dayFromCivil(2026, 4, 2));
 * [Math.floor(p / 384), (Math.floor(p / 32) % 12) + 1, p % 32]; // [2026, 4, 2]
 * ```
 */
export function packedCivil(dayNumber: number): number {
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
  return (year * 12 + month - 1) * 32 + day;
}

/** The proleptic Gregorian date of a day number. */
export function civilFromDay(dayNumber: number): CivilDate {
  const packed = packedCivil(dayNumber);
  const monthIndex = Math.floor(packed / 32);
  const year = Math.floor(monthIndex / 12);
  return { year, month: monthIndex - year * 12 + 1, day: packed - monthIndex * 32 };
}

/** The year of a day number, without allocating. */
export function yearOfDay(dayNumber: number): number {
  return Math.floor(packedCivil(dayNumber) / 384);
}

/** `year * 12 + (month - 1)` of a day number, without allocating. */
export function monthIndexOfDay(dayNumber: number): number {
  return Math.floor(packedCivil(dayNumber) / 32);
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday. 1970-01-01 was a Thursday. */
export function isoWeekday(dayNumber: number): number {
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

/** Day number of the Monday that starts the ISO week containing `dayNumber`. */
export function mondayOnOrBefore(dayNumber: number): number {
  return dayNumber - (isoWeekday(dayNumber) - 1);
}

/** Number of days in a month. */
export function daysInMonth(year: number, month: number): number {
  return dayFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - dayFromCivil(year, month, 1);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** `YYYY-MM-DD` of a day number. */
export function formatDay(dayNumber: number): string {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Day number of a `YYYY-MM-DD` string, or `undefined` when the text is not such a date or names a
 * day that does not exist (2026-02-30).
 */
export function parseDay(text: string): number | undefined {
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return dayFromCivil(year, month, day);
}

/** `HH:mm` of a minute of the day (0–1440; 1440 is written `24:00`). */
export function formatMinute(minute: number): string {
  return `${pad(Math.floor(minute / 60), 2)}:${pad(minute % 60, 2)}`;
}

/**
 * Adds calendar months to a date, clamping the day to the end of a shorter month
 * (Jan 31 + 1 month = Feb 28 or 29).
 */
export function addMonthsToDay(dayNumber: number, months: number): number {
  if (months === 0) return dayNumber;
  const packed = packedCivil(dayNumber);
  const monthIndex = Math.floor(packed / 32);
  const day = packed - monthIndex * 32;
  const zeroBased = monthIndex + months;
  const newYear = Math.floor(zeroBased / 12);
  const newMonth = zeroBased - newYear * 12 + 1;
  return dayFromCivil(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)));
}
