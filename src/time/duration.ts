import { Duration } from "luxon";
import { SlaClockError } from "../errors";
import { describe } from "./instant";
import { hiddenContentKind } from "../util/plain-data";

/**
 * A duration as a plain object, as luxon and most date libraries spell it.
 *
 * @example
 * ```ts
 * const d: DurationObject = { hours: 2, minutes: 30 };
 * ```
 */
export interface DurationObject {
  readonly years?: number;
  readonly quarters?: number;
  readonly months?: number;
  readonly weeks?: number;
  readonly days?: number;
  readonly hours?: number;
  readonly minutes?: number;
  readonly seconds?: number;
  readonly milliseconds?: number;
}

/**
 * Anything sla-clock accepts as a duration: milliseconds, a luxon `Duration`, an ISO-8601
 * duration (`"PT2H30M"`), or an object (`{ hours: 2 }`).
 *
 * Business durations (added on a calendar's open hours) may only use hours, minutes, seconds and
 * milliseconds: "one business day" or "one business month" has no fixed length, so `days`,
 * `weeks`, `months` and `years` are rejected with `INVALID_DURATION` (use `addBusinessDays` for
 * days). Calendar durations (targets such as "4 weeks") may use every unit. A negative duration
 * counts backwards. Fractions of a millisecond are rounded to the nearest millisecond, halves away
 * from zero (1.5 ms is 2, −1.5 ms is −2).
 *
 * @example
 * ```ts
 * import { Duration } from "luxon";
 * const inputs: DurationInput[] = [7_200_000, "PT2H", { hours: 2 }, Duration.fromObject({ hours: 2 })];
 * ```
 */
export type DurationInput = number | string | Duration | DurationObject;

/**
 * A calendar duration split into the parts that are added by wall clock (months, days) and the
 * part that is added as elapsed time (milliseconds).
 * @internal
 */
export interface CalendarDuration {
  readonly months: number;
  readonly days: number;
  readonly ms: number;
}

const UNITS = ["years", "quarters", "months", "weeks", "days", "hours", "minutes", "seconds", "milliseconds"] as const;
type Unit = (typeof UNITS)[number];
const ELAPSED_MS: Partial<Record<Unit, number>> = { hours: 3_600_000, minutes: 60_000, seconds: 1000, milliseconds: 1 };
const WALL_UNITS: readonly Unit[] = ["years", "quarters", "months", "weeks", "days"];

/** The seconds of an ISO-8601 duration written with a fraction: sign, whole part, fraction. */
const SECONDS_FRACTION = /([+-]?)(\d+)[.,](\d+)S$/i;

/**
 * Milliseconds rounded to the nearest whole one, halves away from zero, so that a duration and its
 * negation round to opposite values (`addBusinessTime(s, -d)` is `subtractBusinessTime(s, d)`).
 * @internal
 */
export function roundMs(ms: number): number {
  // A negative amount that rounds to nothing stays -0, so that a check for a negative duration
  // still sees its sign (-0.4 ms is not a duration of 0); zero itself (-0 included) is +0.
  return ms < 0 ? -Math.round(-ms) : Math.round(ms) + 0;
}

/** Whether rounded milliseconds came from a negative amount (-0 from one under half a millisecond). @internal */
export function isNegativeMs(ms: number): boolean {
  return ms < 0 || Object.is(ms, -0);
}

function invalid(what: string, value: unknown, why: string): SlaClockError {
  return new SlaClockError("INVALID_DURATION", `${what}: ${why}`, { value, path: what });
}

function toUnits(input: DurationInput, what: string): Partial<Record<Unit, number>> | number {
  if (typeof input === "number") {
    if (!Number.isFinite(input)) throw invalid(what, input, `${input} is not a finite number of milliseconds`);
    return input;
  }
  if (typeof input === "string") {
    const text = input.trim();
    const d = Duration.fromISO(text);
    // luxon reads "P" and "PT", which name no amount (ISO 8601 wants one), as zero, and a sign
    // after a seconds' decimal mark ("PT12.-5S") as no fraction at all.
    if (!d.isValid || !/\d/.test(text) || /[.,]-/.test(text))
      throw invalid(what, input, `"${input}" is not an ISO-8601 duration such as "PT2H30M"`);
    const units: Partial<Record<Unit, number>> = d.toObject();
    // luxon cuts a fraction of seconds to whole milliseconds ("PT0.0015S" is 1 ms); it is kept
    // whole here, so that it is rounded as every other duration is. The digits past the third are
    // read as a fraction of a millisecond, not of a second: 4.0005 s is no double, and 4.0005 × 1000
    // came to 4000.4999…, which rounded to 4000 ms where the nearest is 4001.
    const fraction = SECONDS_FRACTION.exec(text);
    const digits = fraction?.[3];
    if (fraction !== null && digits !== undefined && digits.length > 3) {
      const sign = (fraction[1] === "-" ? -1 : 1) * (text.startsWith("-") ? -1 : 1);
      units.seconds = sign * Number(fraction[2]);
      units.milliseconds = sign * Number(`${digits.slice(0, 3)}.${digits.slice(3)}`);
    }
    return units;
  }
  if (Duration.isDuration(input)) {
    if (!input.isValid)
      throw invalid(what, String(input), `invalid luxon Duration (${input.invalidReason ?? "unknown reason"})`);
    return input.toObject();
  }
  if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    // Read by its keys, a Map or a Date would be zero.
    const hidden = hiddenContentKind(input);
    if (hidden !== undefined)
      throw invalid(
        what,
        input,
        `expected an object such as { hours: 2 }, got ${hidden}, whose content is not its keys`,
      );
    const out: Partial<Record<Unit, number>> = {};
    for (const [key, value] of Object.entries(input)) {
      if (!(UNITS as readonly string[]).includes(key)) {
        throw invalid(what, input, `unknown unit "${key}"; allowed units are ${UNITS.join(", ")}`);
      }
      if (value === undefined) continue;
      out[key as Unit] = value as number;
    }
    return out;
  }
  throw invalid(
    what,
    input,
    `expected milliseconds, an ISO-8601 duration, a luxon Duration or an object such as { hours: 2 }, got ${describe(input)}`,
  );
}

function checkFinite(units: Partial<Record<Unit, number>>, what: string, input: unknown): void {
  for (const [unit, value] of Object.entries(units)) {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw invalid(what, input, `${unit} must be a finite number, got ${describe(value)}`);
    }
  }
}

/**
 * Converts a duration to whole milliseconds of elapsed (or business) time. Units without a fixed
 * length (days, weeks, months, quarters, years) are rejected.
 * @internal
 */
export function toElapsedMs(input: DurationInput, what = "duration"): number {
  const units = toUnits(input, what);
  if (typeof units === "number") return roundMs(units);
  checkFinite(units, what, input);
  let ms = 0;
  for (const [unit, value] of Object.entries(units) as [Unit, number][]) {
    const factor = ELAPSED_MS[unit];
    if (factor === undefined) {
      if (value === 0) continue;
      throw invalid(
        what,
        input,
        `${unit} have no fixed length in business time; use hours, minutes, seconds or milliseconds (for whole business days use addBusinessDays)`,
      );
    }
    ms += value * factor;
  }
  if (!Number.isFinite(ms)) throw invalid(what, input, "the duration is too large");
  return roundMs(ms);
}

/**
 * Converts a duration to its calendar parts: months and days are added by wall clock, the rest as
 * elapsed time. Months and days must be whole numbers.
 * @internal
 */
export function toCalendarDuration(input: DurationInput, what = "duration"): CalendarDuration {
  const units = toUnits(input, what);
  if (typeof units === "number") return { months: 0, days: 0, ms: roundMs(units) };
  checkFinite(units, what, input);
  for (const unit of WALL_UNITS) {
    const value = units[unit];
    if (value !== undefined && !Number.isInteger(value)) {
      throw invalid(
        what,
        input,
        `${unit} must be a whole number in a calendar duration, got ${value}; use a smaller unit`,
      );
    }
  }
  const months = (units.years ?? 0) * 12 + (units.quarters ?? 0) * 3 + (units.months ?? 0);
  const days = (units.weeks ?? 0) * 7 + (units.days ?? 0);
  let ms = 0;
  for (const [unit, factor] of Object.entries(ELAPSED_MS) as [Unit, number][]) ms += (units[unit] ?? 0) * factor;
  if (!Number.isFinite(ms) || Math.abs(months) > 12 * 400 || Math.abs(days) > 366 * 400) {
    throw invalid(what, input, "the duration is too large");
  }
  return { months, days, ms: roundMs(ms) };
}
