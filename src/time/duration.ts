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

/**
 * The last component of an ISO-8601 duration, the only one that may have a fraction, when it has
 * one: sign, whole part, fraction digits, unit.
 */
const FRACTION = /([+-]?)(\d+)[.,](\d+)([HMS])$/i;
const FRACTION_UNIT_MS = { H: 3_600_000n, M: 60_000n, S: 1000n } as const;
const FRACTION_UNIT = { H: "hours", M: "minutes", S: "seconds" } as const;

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
    const fraction = FRACTION.exec(text);
    if (fraction !== null && /T/i.test(text.slice(0, fraction.index))) exactFraction(units, text, fraction);
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

/**
 * Replaces luxon's reading of a time component written with a fraction (`fraction`, the match of
 * {@link FRACTION}) by its whole units and its fraction's exact milliseconds. luxon cuts a
 * fraction of seconds to whole milliseconds ("PT0.0015S" is 1 ms), and a fraction of hours or
 * minutes is a double: 0.000525 min × 60 000 came to 31.4999… ms, where the duration is 31.5 ms,
 * and 4.0005 s × 1000 to 4000.4999…. The fraction is multiplied out in integers here; what is left
 * under a millisecond is written as exactly 0.5 when it is half or more, else 0.25 when there is
 * any, so that the duration rounds as written (halves away from zero) and keeps its sign
 * (-PT0.0004S is -0.25, not 0).
 */
function exactFraction(units: Partial<Record<Unit, number>>, text: string, fraction: RegExpExecArray): void {
  const [, componentSign, whole, digits, letter] = fraction as unknown as [string, string, string, string, string];
  const unit = letter.toUpperCase() as keyof typeof FRACTION_UNIT;
  const sign = (componentSign === "-" ? -1 : 1) * (text.startsWith("-") ? -1 : 1);
  const scale = 10n ** BigInt(digits.length);
  const product = BigInt(digits) * FRACTION_UNIT_MS[unit];
  const ms = product / scale;
  const rest = product % scale;
  const under = rest === 0n ? 0 : 2n * rest >= scale ? 0.5 : 0.25;
  units[FRACTION_UNIT[unit]] = sign * Number(whole);
  // Only the last component may have a fraction, so no unit below it was given.
  units.milliseconds = sign * (Number(ms) + under);
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
