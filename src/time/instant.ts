import { DateTime } from "luxon";
import { SlaClockError } from "../errors";
import { daysInMonth } from "./civil";
import { inSupportedRange } from "./range";
import type { ZoneRules } from "./zone";

/**
 * Anything sla-clock accepts as an instant: a `Date`, epoch milliseconds, a luxon `DateTime`, or
 * an ISO-8601 string. A string with an offset or `Z` names that instant; a string without one is a
 * wall time in the calendar's zone (a wall time in a DST gap moves forward by the gap, an
 * ambiguous one takes the earlier offset). A date alone (`2026-04-02`) means local midnight.
 *
 * @example
 * ```ts
 * import { DateTime } from "luxon";
 * const inputs: InstantInput[] = [
 *   new Date("2026-04-02T09:00:00Z"),
 *   1775120400000,
 *   DateTime.fromISO("2026-04-02T11:00", { zone: "Europe/Stockholm" }),
 *   "2026-04-02T11:00:00+02:00",
 *   "2026-04-02T11:00", // wall time in the calendar's zone
 * ];
 * ```
 */
export type InstantInput = Date | number | string | DateTime;

const HAS_OFFSET = /T.*(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
/**
 * The common, fully specified form (`2026-04-02T09:00:00.000+02:00`), which the platform's own
 * ISO parser reads exactly once the day is known to exist; anything else goes through luxon.
 */
const PLAIN_ISO =
  /^(\d{4})-(\d{2})-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const RANGE_HINT = "supported instants lie between 1900-01-01 and 2200-12-31";

function invalid(what: string, value: unknown, why: string): SlaClockError {
  return new SlaClockError("INVALID_INSTANT", `${what}: ${why}`, { value, path: what });
}

/**
 * Converts an instant input to epoch milliseconds, reading offset-less ISO strings as wall time in
 * `zone`. Throws `INVALID_INSTANT` for anything that is not an instant and `OUT_OF_RANGE` outside
 * 1900–2200.
 * @internal
 */
export function toEpochMs(input: InstantInput, zone: ZoneRules, what = "instant"): number {
  let ms: number;
  if (typeof input === "number") {
    if (!Number.isFinite(input)) throw invalid(what, input, `${input} is not a finite number of epoch milliseconds`);
    if (!Number.isInteger(input)) throw invalid(what, input, `${input} is not a whole number of epoch milliseconds`);
    ms = input;
  } else if (input instanceof Date) {
    ms = input.getTime();
    if (Number.isNaN(ms)) throw invalid(what, input, "Invalid Date");
  } else if (typeof input === "string") {
    ms = parseIsoInstant(input, zone, what);
  } else if (DateTime.isDateTime(input)) {
    if (!input.isValid)
      throw invalid(what, String(input), `invalid luxon DateTime (${input.invalidReason ?? "unknown reason"})`);
    ms = input.toMillis();
  } else {
    throw invalid(
      what,
      input,
      `expected a Date, epoch milliseconds, a luxon DateTime or an ISO-8601 string, got ${describe(input)}`,
    );
  }
  if (!inSupportedRange(ms)) {
    throw new SlaClockError("OUT_OF_RANGE", `${what}: ${formatInstant(ms)} is out of range; ${RANGE_HINT}`, {
      value: input,
      path: what,
    });
  }
  return ms;
}

function parseIsoInstant(text: string, zone: ZoneRules, what: string): number {
  const plain = PLAIN_ISO.exec(text);
  if (plain !== null) {
    const month = Number(plain[2]);
    const day = Number(plain[3]);
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(plain[1]), month)) return Date.parse(text);
  }
  const trimmed = text.trim();
  if (HAS_OFFSET.test(trimmed)) {
    const dt = DateTime.fromISO(trimmed, { setZone: true });
    if (!dt.isValid)
      throw invalid(
        what,
        text,
        `"${text}" is not an ISO-8601 date-time (${dt.invalidExplanation ?? dt.invalidReason})`,
      );
    return dt.toMillis();
  }
  // No offset: read the fields as wall time, then place them in the calendar's zone by the
  // library's own gap/overlap rule (luxon would pick the later instant in an overlap).
  const wall = DateTime.fromISO(trimmed, { zone: "UTC" });
  if (!wall.isValid)
    throw invalid(
      what,
      text,
      `"${text}" is not an ISO-8601 date-time (${wall.invalidExplanation ?? wall.invalidReason})`,
    );
  const wallMs = wall.toMillis();
  if (!Number.isFinite(wallMs) || Math.abs(wallMs) > 1e15) throw invalid(what, text, `"${text}" is out of range`);
  return zone.wallToInstant(wallMs);
}

/**
 * A short description of an unexpected value, for error messages.
 * @internal
 */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return `an object (${Object.prototype.toString.call(value)})`;
  if (typeof value === "string") return `the string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  return `${typeof value} ${String(value as number | boolean | bigint | undefined)}`;
}

/**
 * An instant for messages: ISO-8601 when a `Date` can hold it, else the raw milliseconds.
 * @internal
 */
export function formatInstant(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms`;
}
