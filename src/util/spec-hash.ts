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
 * tell when the spec changed.
 *
 * @example
 * ```ts
 * import { getPolicy, specHash } from "sla-clock";
 * const spec = getPolicy("softone-se").spec;
 * specHash(spec); // "fnv1a64:…" (16 hex digits)
 * specHash(spec) === specHash(JSON.parse(JSON.stringify(spec))); // true
 * ```
 */
export function specHash(spec: unknown): string {
  return fnv1a64(canonicalJson(spec));
}

/**
 * A JSON text of a value with every object's keys sorted and `undefined` members left out, so
 * that specs saying the same in another key order give the same text (and hash alike); the policy
 * registry keys its policies by it. @internal
 */
export function canonicalJson(value: unknown): string {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function")
    return canonicalJson((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
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
