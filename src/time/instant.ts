import { DateTime } from "luxon";
import { SlaClockError } from "../errors";
import { offsetFromParts, splitAnnotations } from "./annotations";
import { DAY_MS, daysInMonth } from "./civil";
import { fixedShapeInstant } from "./fixed-shape";
import { END_INSTANT, inSupportedRange } from "./range";
import { isKnownZone, zoneRules, type ZoneRules } from "./zone";

/**
 * Anything sla-clock accepts as an instant: a `Date`, epoch milliseconds, a luxon `DateTime`, or
 * an ISO-8601 string. A string with an offset (within ±18:00) or `Z` names that instant; a string
 * without one is a wall time in the calendar's zone (a wall time in a DST gap moves forward by the
 * gap, an ambiguous one takes the earlier offset). A date alone (`2026-04-02`) means local
 * midnight; a time alone (`09:00`) is refused. An RFC 9557 zone annotation, as Java and `Temporal`
 * print it (`2026-04-02T09:00+02:00[Europe/Stockholm]`), must agree with the offset, and without an
 * offset names the zone the wall time is read in.
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
 *   "2026-04-02T11:00+02:00[Europe/Stockholm]", // RFC 9557: the instant of "2026-04-02T11:00:00+02:00"
 * ];
 * ```
 */
export type InstantInput = Date | number | string | DateTime;

/**
 * The common, fully specified form (`2026-04-02T09:00:00.000+02:00`), which the platform's own
 * ISO parser reads exactly once the day is known to exist; anything else goes through luxon.
 */
const PLAIN_ISO =
  /^(\d{4})-(\d{2})-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?(?:Z|[+-](?:(?:0\d|1[0-7]):[0-5]\d|18:00))$/;
/** A timestamp starts with its date (`2026-04-02`, `20260402`, `2026-W14-4`, `+002026-…`). */
const STARTS_WITH_DATE = /^(?:[+-]\d{6}|\d{4})(?:$|[-W\dTt])/;
/** The offset that ends the time part: `Z`, `±HH`, `±HHMM`, `±HH:MM` or `±HH:MM:SS`. */
const OFFSET_AT_END = /(?:(Z)|([+-])(\d{2})(?::?(\d{2})(?::(\d{2}))?)?)$/i;
/** Zones named in annotations, beyond the calendar's own: a handful in practice, bounded anyway. */
const ANNOTATION_ZONES = new Map<string, ZoneRules | null>();
const ANNOTATION_ZONE_LIMIT = 64;
const RANGE_HINT = "supported instants lie between 1900-01-01 and 2200-12-31";

function notIso(what: string, text: string, why: string): SlaClockError {
  return invalid(what, text, `"${text}" is not an ISO-8601 date-time (${why})`);
}

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
  const ms = readEpochMs(input, zone, what);
  if (!inSupportedRange(ms)) throw outOfRange(ms, input, what, RANGE_HINT);
  return ms;
}

/**
 * {@link toEpochMs} for the exclusive end of a range (`exportIndex`'s `to`): an instant of the
 * supported range or the range's own end, 2201-01-01T00:00Z, which a range reaching the last
 * instant of 2200 needs as its end.
 *
 * @example
 * ```ts
 * toEndMs("2201-01-01T00:00Z", zoneRules("UTC"), "to"); // 7289654400000
 * ```
 * @internal
 */
export function toEndMs(input: InstantInput, zone: ZoneRules, what = "end"): number {
  const ms = readEpochMs(input, zone, what);
  if (!(inSupportedRange(ms) || ms === END_INSTANT))
    throw outOfRange(ms, input, what, `${RANGE_HINT}, and an end may be 2201-01-01T00:00Z`);
  return ms;
}

function outOfRange(ms: number, input: InstantInput, what: string, hint: string): SlaClockError {
  return new SlaClockError("OUT_OF_RANGE", `${what}: ${formatInstant(ms)} is out of range; ${hint}`, {
    value: input,
    path: what,
  });
}

/** An instant input as epoch milliseconds, before the range check. */
function readEpochMs(input: InstantInput, zone: ZoneRules, what: string): number {
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
  return ms;
}

function parseIsoInstant(text: string, zone: ZoneRules, what: string): number {
  // The commonest shapes by arithmetic (the same answers; see ./fixed-shape.ts).
  const fixed = fixedShapeInstant(text, zone);
  if (!Number.isNaN(fixed)) return fixed;
  const plain = PLAIN_ISO.exec(text);
  if (plain !== null) {
    const month = Number(plain[2]);
    const day = Number(plain[3]);
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(plain[1]), month)) return Date.parse(text);
  }
  const split = splitAnnotations(text.trim());
  if (typeof split === "string") throw invalid(what, text, `"${text}": ${split}`);
  const { core, zone: annotation } = split;
  if (!STARTS_WITH_DATE.test(core))
    throw notIso(what, text, "a date-time starts with its date; a time alone would silently mean today");
  const timeStart = core.search(/[Tt]/);
  const offset = timeStart < 0 ? null : OFFSET_AT_END.exec(core.slice(timeStart + 1));

  if (offset !== null) {
    const offsetMs =
      offset[1] !== undefined
        ? undefined
        : offsetFromParts(offset[2] as string, offset[3] as string, offset[4] ?? "00", offset[5] ?? "00");
    if (offset[1] === undefined && offsetMs === undefined)
      throw invalid(what, text, `"${text}": the offset ${offset[0]} lies outside ±18:00`);
    // The fields before the offset are read as UTC and the offset applied here, so that offsets
    // with seconds (Java prints local mean time as -00:44:30) read as exactly as the others.
    const wallMs = readWallFields(core.slice(0, core.length - offset[0].length), text, what);
    const ms = wallMs - (offsetMs ?? 0);
    // `Z` says the instant is known and the local offset is not (RFC 9557 §2), so any zone fits.
    if (offsetMs === undefined || annotation.kind === "none") return ms;
    if (annotation.kind === "offset") {
      if (annotation.offsetMs === offsetMs) return ms;
      throw invalid(what, text, `"${text}": the offset ${offset[0]} disagrees with ${annotation.text}`);
    }
    const rules = annotationZone(annotation.name, zone, text, what);
    const fitting = offsetInZone(rules, wallMs, offsetMs, offset[5] === undefined);
    if (fitting === undefined)
      throw invalid(
        what,
        text,
        `"${text}": the offset ${offset[0]} disagrees with ${annotation.text}, which is at ` +
          `${formatOffset(rules.offsetAt(ms))} then; the offset decides the instant, so the two must agree (RFC 9557)`,
      );
    return wallMs - fitting;
  }

  // No offset: read the fields as wall time, then place them in the zone (the annotation's, else
  // the calendar's) by the library's own gap/overlap rule (luxon would pick the later instant in
  // an overlap).
  const wallMs = readWallFields(core, text, what);
  if (annotation.kind === "offset") return wallMs - annotation.offsetMs;
  if (annotation.kind === "zone") return annotationZone(annotation.name, zone, text, what).wallToInstant(wallMs);
  return zone.wallToInstant(wallMs);
}

/**
 * The date and time fields of an offset-less ISO-8601 string as milliseconds written as if UTC.
 * They are read in an IANA zone so that an offset luxon finds where `OFFSET_AT_END` saw none shows
 * up as a fixed zone and is refused instead of silently moving the instant.
 */
function readWallFields(fields: string, text: string, what: string): number {
  // Decimals past the millisecond are cut here (docs/semantics.md): luxon rounds a long fraction,
  // and ".99999999999999999" became a whole second, which it then refused as 1000 milliseconds.
  const wall = DateTime.fromISO(fields.replace(/([.,]\d{3})\d+$/, "$1"), { zone: "Etc/UTC", setZone: true });
  if (!wall.isValid) throw notIso(what, text, `${wall.invalidExplanation ?? wall.invalidReason}`);
  if (wall.zone.type !== "iana") throw notIso(what, text, "an offset sla-clock cannot read");
  const wallMs = wall.toMillis();
  if (!Number.isFinite(wallMs) || Math.abs(wallMs) > 1e15) throw invalid(what, text, `"${text}" is out of range`);
  return wallMs;
}
/** The rules of a zone named in an annotation, or `INVALID_INSTANT` when the zone is unknown. */
function annotationZone(name: string, calendarZone: ZoneRules, text: string, what: string): ZoneRules {
  if (name === calendarZone.name) return calendarZone;
  let rules = ANNOTATION_ZONES.get(name);
  if (rules === undefined) {
    rules = isKnownZone(name) ? zoneRules(name) : null;
    if (ANNOTATION_ZONES.size >= ANNOTATION_ZONE_LIMIT) ANNOTATION_ZONES.delete(ANNOTATION_ZONES.keys().next().value!);
    ANNOTATION_ZONES.set(name, rules);
  }
  if (rules === null) throw invalid(what, text, `"${text}": [${name}] is not an IANA time zone`);
  return rules;
}

/**
 * The zone's offset at wall time `wall` that the written offset names, if any. An offset written
 * in whole minutes also names a zone offset with seconds (local mean time, before 1973 in some
 * zones) within a minute of it: `Temporal` rounds such an offset when it prints it, luxon
 * truncates. In a fall-back overlap the offset picks which of the two instants is meant.
 */
function offsetInZone(rules: ZoneRules, wall: number, written: number, wholeMinutes: boolean): number | undefined {
  const candidates = [
    written,
    rules.offsetAt(wall - written),
    rules.offsetAt(wall - DAY_MS),
    rules.offsetAt(wall + DAY_MS),
  ];
  for (const candidate of candidates) {
    const names = wholeMinutes ? Math.abs(candidate - written) < 60_000 : candidate === written;
    if (names && rules.offsetAt(wall - candidate) === candidate) return candidate;
  }
  return undefined;
}

function formatOffset(offsetMs: number): string {
  const seconds = Math.round(Math.abs(offsetMs) / 1000);
  const minutes = Math.floor(seconds / 60);
  const pad = (n: number) => String(n).padStart(2, "0");
  const hhmm = `${offsetMs < 0 ? "-" : "+"}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
  return seconds % 60 === 0 ? hhmm : `${hhmm}:${pad(seconds % 60)}`;
}

/**
 * A short description of an unexpected value, for error messages.
 * @internal
 */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined"; // not "undefined undefined"
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
