/**
 * The bracketed suffix RFC 9557 adds to an RFC 3339 timestamp: a time-zone annotation
 * (`[Europe/Stockholm]`, `[+02:00]`) and tagged annotations (`[u-ca=iso8601]`), each optionally
 * marked critical with `!`. Java's `ZonedDateTime.toString()` and `Temporal.ZonedDateTime` print
 * them by default, so ticket exports carry them.
 *
 * This module only splits and checks the syntax; what an annotation means for the instant is
 * decided by `instant.ts`. The grammar follows RFC 9557 §4.1: a time-zone annotation may only come
 * first, tag keys are lower case (`[a-z_][a-z0-9_-]*`), values are alphanumeric words joined by
 * `-`. An unknown tag is ignored unless it is critical, in which case the timestamp must be
 * refused (§3.3).
 */

/** Tags whose meaning does not change the instant and that a reader may therefore accept. */
const KNOWN_TAGS = new Set(["u-ca"]);

const SUFFIX = /(?:\[[^[\]]*\])+$/;
const ANNOTATION = /\[(!?)([^[\]]*)\]/g;
const TAG = /^([a-z_][a-z0-9_-]*)=([A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)$/;
const OFFSET_ZONE = /^([+-])(\d{2}):?(\d{2})$/;
const ZONE_NAME = /^[A-Za-z._][A-Za-z0-9._+-]*(?:\/[A-Za-z0-9._+-]+)*$/;

/**
 * What the bracketed suffix of a timestamp says about its zone.
 * @internal
 */
export type ZoneAnnotation =
  | { readonly kind: "none" }
  | { readonly kind: "zone"; readonly name: string; readonly text: string }
  | { readonly kind: "offset"; readonly offsetMs: number; readonly text: string };

/**
 * A timestamp split into the RFC 3339 part and what its annotations say.
 * @internal
 */
export interface AnnotatedTimestamp {
  readonly core: string;
  readonly zone: ZoneAnnotation;
}

/**
 * Splits `text` into its timestamp and its RFC 9557 annotations. Returns a reason (a string) when
 * the suffix breaks the grammar or carries a critical tag sla-clock cannot honour.
 *
 * @example
 * ```ts
 * splitAnnotations("2026-04-02T09:00+02:00[Europe/Stockholm][u-ca=iso8601]");
 * // → { core: "2026-04-02T09:00+02:00", zone: { kind: "zone", name: "Europe/Stockholm", text: "[Europe/Stockholm]" } }
 * ```
 * @internal
 */
export function splitAnnotations(text: string): AnnotatedTimestamp | string {
  if (!text.includes("[") && !text.includes("]")) return { core: text, zone: { kind: "none" } };
  const suffix = SUFFIX.exec(text);
  const core = suffix === null ? text : text.slice(0, suffix.index);
  if (core.includes("[") || core.includes("]")) return "brackets may only close the timestamp (RFC 9557 annotations)";
  let zone: ZoneAnnotation = { kind: "none" };
  let first = true;
  for (const match of (suffix?.[0] ?? "").matchAll(ANNOTATION)) {
    const [whole, critical, body = ""] = match;
    const tag = TAG.exec(body);
    if (tag !== null) {
      if (critical === "!" && !KNOWN_TAGS.has(tag[1] as string))
        return `the critical annotation ${whole} is not one sla-clock understands (RFC 9557 §3.3)`;
    } else if (body.includes("=")) {
      return `${whole} is not a valid annotation (a key is lower case, a value letters and digits)`;
    } else if (!first) {
      return `the time-zone annotation ${whole} must come first`;
    } else {
      const offset = OFFSET_ZONE.exec(body);
      if (offset !== null) {
        const offsetMs = offsetFromParts(offset[1] as string, offset[2] as string, offset[3] as string);
        if (offsetMs === undefined) return `the offset in ${whole} lies outside ±18:00`;
        zone = { kind: "offset", offsetMs, text: whole };
      } else if (ZONE_NAME.test(body)) {
        zone = { kind: "zone", name: body, text: whole };
      } else {
        return `${whole} is neither a time-zone name nor an offset`;
      }
    }
    first = false;
  }
  return { core, zone };
}

/**
 * An offset `±HH:MM[:SS]` in milliseconds, or `undefined` when it lies outside ±18:00 or its
 * minutes or seconds exceed 59 (no zone has ever been further from UTC than 15:13; ±18:00 is the bound Java and
 * most parsers share).
 *
 * @example
 * ```ts
 * offsetFromParts("+", "02", "00"); // 7_200_000
 * offsetFromParts("+", "25", "00"); // undefined
 * ```
 * @internal
 */
export function offsetFromParts(sign: string, hours: string, minutes: string, seconds = "00"): number | undefined {
  const total = (Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds);
  if (Number(minutes) > 59 || Number(seconds) > 59 || total > 18 * 3600) return undefined;
  return (sign === "-" ? -1 : 1) * total * 1000;
}
