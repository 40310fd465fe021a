import { SlaClockError, describeThrown, formatPath } from "../errors";
import { PLAIN_DATA_DEPTH, hiddenContentKind } from "./plain-data";

/*
 * One content fingerprint for specs, shared by the policy registry (equal specs compile once) and
 * the warehouse export (a stale table is one whose spec hash differs). Written out rather than
 * taken from a library because it must run in browsers too, where node:crypto is absent and Web
 * Crypto's digest is asynchronous; it is a fingerprint of the caller's own data, not a security
 * measure.
 */

/**
 * A 64-bit content hash of a spec: `fnv1a64:` and 16 hex digits (FNV-1a over the UTF-16 code units
 * of a canonical JSON text: object keys sorted, `undefined` members left out, and a value with a
 * `toJSON` method — a luxon `Duration`, a `Calendar` — written as what that method returns). Equal
 * for specs that say the same in another key order, so a service can store it beside a spec and
 * tell when the spec changed. A value that JSON cannot write as it is (a `Map`, a `Set`, a `Date`,
 * `NaN`, a BigInt, a function, a cycle) throws `INVALID_ARGUMENT` with its path rather than hash as
 * something else (JSON.stringify writes a Map as `{}`).
 *
 * @example
 * ```ts
 * import { getPolicy, specHash } from "sla-clock";
 * const spec = getPolicy("softone-se").spec;
 * specHash(spec); // "fnv1a64:…" (16 hex digits)
 * specHash(spec) === specHash(JSON.parse(JSON.stringify(spec))); // true
 * specHash({ weekly: new Map() }); // throws INVALID_ARGUMENT "specHash: spec.weekly: a Map is not plain data"
 * ```
 */
export function specHash(spec: unknown): string {
  const text = canonicalJsonOf(spec);
  if (typeof text !== "string")
    throw new SlaClockError("INVALID_ARGUMENT", `specHash: ${text.where}: ${text.why}`, {
      value: spec,
      path: text.where,
    });
  return fnv1a64(text);
}

/**
 * A text of a value with every object's keys sorted, so that specs saying the same in another key
 * order give the same text; the policy registry keys its policies by it. Unlike the hash's JSON
 * text it says everything `definePolicy` reads: an `undefined` member is written (as `undefined`:
 * `{ extra: undefined }` is refused by the schema, `{}` is not), and a value whose JSON would not be
 * what the schema reads has no text at all — an object literal with a `toJSON` method (the schema
 * reads its keys, JSON what the method returns) or an object with another prototype than an
 * object literal's and no `toJSON` (the schema also reads inherited keys). `undefined` for a value
 * that has no faithful text (see {@link canonicalJsonOf}): its caller must not take it for any
 * other value; the registry compiles such a spec. @internal
 */
export function canonicalJson(value: unknown): string | undefined {
  const text = canonicalJsonOf(value, true);
  return typeof text === "string" ? text : undefined;
}

/** Why a value has no canonical text, and where (`spec`, `spec.a[0]`). */
interface NoText {
  readonly where: string;
  readonly why: string;
}

/**
 * The canonical text of `value`, or why it has none. JSON.stringify writes a `Map`, a `Set` as
 * `{}`, `NaN` and a function as `null`, and throws on a BigInt or a cycle (a TypeError, or a stack
 * overflow in a recursive writer): two specs that say different things, one of them invalid, would
 * share a text, and the registry would hand the valid one's policy for the other. So every such
 * value ends the text instead, and its caller decides (the registry compiles the spec, which says
 * precisely what is wrong with it; specHash refuses it).
 */
function canonicalJsonOf(value: unknown, exact = false): string | NoText {
  const ancestors = new Set<object>();
  const path: (string | number)[] = [];
  let problem: string | undefined;
  const write = (v: unknown): string => {
    if (typeof v === "string" || typeof v === "boolean" || v === null) return JSON.stringify(v);
    if (typeof v === "number") {
      if (Number.isFinite(v)) return JSON.stringify(v);
      problem = `${v} has no JSON form`;
      return "";
    }
    if (typeof v !== "object") {
      const what =
        typeof v === "bigint"
          ? "a BigInt"
          : typeof v === "undefined"
            ? path.length > 0
              ? "undefined in an array"
              : "undefined"
            : `a ${typeof v}`;
      problem = `${what} has no JSON form`;
      return "";
    }
    const hidden = hiddenContentKind(v);
    if (hidden !== undefined) {
      problem = `${hidden} is not plain data`;
      return "";
    }
    if (ancestors.has(v)) {
      problem = "the value contains itself (a cycle)";
      return "";
    }
    if (ancestors.size >= PLAIN_DATA_DEPTH) {
      problem = `it is nested deeper than ${PLAIN_DATA_DEPTH} levels`;
      return "";
    }
    const toJSON = typeof (v as { toJSON?: unknown }).toJSON === "function";
    if (exact && !Array.isArray(v)) {
      const proto = Object.getPrototypeOf(v) as unknown;
      const literal = proto === Object.prototype || proto === null;
      // A Calendar or a luxon Duration is read by the schema as what its toJSON says.
      if (literal === toJSON) {
        problem = literal
          ? "an object literal with a toJSON method is read by its keys, not by what toJSON returns"
          : "an object with a prototype of its own is read with its inherited keys";
        return "";
      }
    }
    if (toJSON) return write((v as { toJSON: () => unknown }).toJSON());
    ancestors.add(v);
    let out: string;
    if (Array.isArray(v)) {
      const items: string[] = [];
      for (let i = 0; i < v.length && problem === undefined; i++) {
        path.push(i);
        items.push(write(v[i]));
        if (problem === undefined) path.pop();
      }
      out = `[${items.join(",")}]`;
    } else {
      const entries = Object.entries(v as Record<string, unknown>)
        .filter(([, item]) => exact || item !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const members: string[] = [];
      for (const [key, item] of entries) {
        if (problem !== undefined) break;
        path.push(key);
        members.push(`${JSON.stringify(key)}:${item === undefined ? "undefined" : write(item)}`);
        if (problem === undefined) path.pop();
      }
      out = `{${members.join(",")}}`;
    }
    ancestors.delete(v);
    return out;
  };
  let text: string;
  try {
    text = write(value);
  } catch (e) {
    // A getter or a Proxy trap of the caller's threw.
    problem ??= describeThrown(e);
    text = "";
  }
  return problem === undefined ? text : { where: formatPath(["spec", ...path]), why: problem };
}

/**
 * 64-bit FNV-1a of a text's UTF-16 code units. The state is kept as two unsigned 32-bit halves: the
 * prime is 2⁴⁰ + 0x1b3, so a step is `lo·0x1b3`, whose low half is `Math.imul`'s and whose high
 * half (below 2⁹) carries into `hi·0x1b3 + lo·2⁸` taken modulo 2³². All of it stays in 32-bit
 * integers, about fifteen times as fast as the BigInt arithmetic it replaced (a 3.8 KB text: 10
 * instead of 154 µs), with the same digits (test/spec-hash.test.ts checks them against FNV-1a
 * written with BigInt).
 */
function fnv1a64(text: string): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    const carry = ((lo >>> 16) * 0x1b3 + (((lo & 0xffff) * 0x1b3) >>> 16)) >>> 16;
    hi = (Math.imul(hi, 0x1b3) + (lo << 8) + carry) >>> 0;
    lo = Math.imul(lo, 0x1b3) >>> 0;
  }
  return `fnv1a64:${hi.toString(16).padStart(8, "0")}${lo.toString(16).padStart(8, "0")}`;
}
