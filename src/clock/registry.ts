import { Duration } from "luxon";
import { Calendar, createCalendar } from "../calendar/calendar";
import type { CalendarSpec } from "../calendar/spec";
import { SlaClockError, optionsObject } from "../errors";
import { describe } from "../time/instant";
import type { PolicySpec } from "../policy/spec";
import { definePolicy, type Policy } from "./policy";

/*
 * A service that keeps one policy per customer stores specs as JSON and meets the same spec again
 * and again (every request, every worker). Compiling a spec builds its calendar (holiday tables,
 * the interval index), which is the expensive part; a registry compiles each distinct spec once and
 * hands out the same Policy for equal specs, and lets policies whose calendars are equal share one
 * Calendar (and so one index). Equality is by content: a canonical JSON text of the spec (keys
 * sorted, luxon Durations as ISO text, a Calendar as its spec), hashed.
 *
 * The hash is a small non-cryptographic one written here (two 32-bit FNV-1a lanes, 64 bits): the
 * registry must run in browsers too, where node:crypto is absent and Web Crypto's digest is
 * asynchronous; specs are the service's own data, not an attacker's, and at 64 bits a collision
 * among a million specs has a probability of about 3 × 10⁻⁸.
 */

/**
 * Options of {@link createPolicyRegistry}.
 *
 * @example
 * ```ts
 * const registry = createPolicyRegistry({ maxPolicies: 50_000 });
 * ```
 */
export interface PolicyRegistryOptions {
  /**
   * How many compiled policies (and as many calendars) the registry keeps; the least recently used
   * one is dropped beyond that (it is compiled again when its spec comes back). Default 10 000.
   */
  readonly maxPolicies?: number;
}

/**
 * Compiled policies by content: `define(spec)` compiles a spec the first time it is seen and gives
 * the same {@link Policy} for every equal spec after that; policies with equal calendar specs share
 * one `Calendar`. Bounded: the least recently used policies are dropped beyond `maxPolicies`.
 * Create one with {@link createPolicyRegistry}.
 *
 * @example
 * ```ts
 * import { createPolicyRegistry } from "sla-clock";
 * const registry = createPolicyRegistry();
 * const a = registry.define(JSON.parse(storedSpecText));
 * const b = registry.define(JSON.parse(storedSpecText));
 * a === b; // true: compiled once
 * registry.byId(a.id) === a; // true
 * ```
 */
export class PolicyRegistry {
  readonly maxPolicies: number;
  readonly #policies = new Map<string, Policy>();
  readonly #calendars = new Map<string, Calendar>();
  readonly #byId = new Map<string, string>();

  /** @internal Use {@link createPolicyRegistry}. */
  constructor(maxPolicies: number) {
    this.maxPolicies = maxPolicies;
  }

  /**
   * Number of compiled policies kept.
   *
   * @example
   * ```ts
   * createPolicyRegistry().size; // 0
   * ```
   */
  get size(): number {
    return this.#policies.size;
  }

  /**
   * The compiled policy of a spec: the one already compiled for an equal spec, else a new one
   * (whose calendar is shared with earlier policies when their calendar specs are equal). Throws
   * what `definePolicy` throws for a bad spec.
   *
   * @example
   * ```ts
   * const policy = registry.define({ ...getPolicy("softone-se").spec, id: "acme", name: "Acme" });
   * ```
   */
  define(spec: PolicySpec): Policy {
    const key = specHash(spec);
    const known = this.#policies.get(key);
    if (known !== undefined) {
      this.#touch(this.#policies, key, known);
      this.#byId.set(known.id, key);
      return known;
    }
    const policy = definePolicy(this.#withSharedCalendar(spec));
    this.#policies.set(key, policy);
    this.#byId.set(policy.id, key);
    this.#trim();
    return policy;
  }

  /**
   * The policy last defined with this id, or `undefined` (never defined, or dropped as least
   * recently used).
   *
   * @example
   * ```ts
   * registry.byId("acme")?.deadline("2026-04-02T11:00", { priority: 1 });
   * ```
   */
  byId(id: string): Policy | undefined {
    if (typeof id !== "string")
      throw new SlaClockError("INVALID_ARGUMENT", `byId: id must be a string, got ${describe(id)}`, {
        value: id,
        path: "id",
      });
    const key = this.#byId.get(id);
    return key === undefined ? undefined : this.#policies.get(key);
  }

  /**
   * Forgets every policy and calendar.
   *
   * @example
   * ```ts
   * registry.clear();
   * registry.size; // 0
   * ```
   */
  clear(): void {
    this.#policies.clear();
    this.#calendars.clear();
    this.#byId.clear();
  }

  /** The spec with its calendar spec replaced by the shared Calendar built for an equal one. */
  #withSharedCalendar(spec: PolicySpec): PolicySpec {
    const given = typeof spec === "object" && spec !== null ? (spec as { calendar?: unknown }).calendar : undefined;
    if (given instanceof Calendar || typeof given !== "object" || given === null) return spec;
    const key = specHash(given);
    let calendar = this.#calendars.get(key);
    if (calendar === undefined) {
      try {
        calendar = createCalendar(given as CalendarSpec);
      } catch (e) {
        // A bad calendar spec fails as definePolicy reports it, with the policy's paths.
        if (e instanceof SlaClockError) definePolicy(spec);
        throw e;
      }
      this.#calendars.set(key, calendar);
    } else this.#touch(this.#calendars, key, calendar);
    return { ...spec, calendar };
  }

  #touch<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
  }

  #trim(): void {
    for (const [key, policy] of this.#policies) {
      if (this.#policies.size <= this.maxPolicies) break;
      this.#policies.delete(key);
      if (this.#byId.get(policy.id) === key) this.#byId.delete(policy.id);
    }
    for (const key of this.#calendars.keys()) {
      if (this.#calendars.size <= this.maxPolicies) break;
      this.#calendars.delete(key);
    }
  }
}

/**
 * A registry of compiled policies by content (see {@link PolicyRegistry}).
 *
 * @example
 * ```ts
 * import { createPolicyRegistry } from "sla-clock";
 * const registry = createPolicyRegistry({ maxPolicies: 100_000 });
 * ```
 */
export function createPolicyRegistry(options?: PolicyRegistryOptions): PolicyRegistry {
  const given = optionsObject(options, "options", "{ maxPolicies: 10000 }").maxPolicies;
  const max = given === undefined ? 10_000 : given;
  if (typeof max !== "number" || !Number.isInteger(max) || max < 1)
    throw new SlaClockError(
      "INVALID_ARGUMENT",
      `options.maxPolicies must be a whole number of at least 1, got ${describe(max)}`,
      { value: max, path: "options.maxPolicies" },
    );
  return new PolicyRegistry(max);
}

/**
 * A 64-bit hash of a spec's content (16 hex digits): equal for specs that say the same (keys in any
 * order; a luxon `Duration` and its ISO text; a `Calendar` and its spec), so a service can store it
 * beside the spec and tell when a stored spec changed.
 *
 * @example
 * ```ts
 * import { getPolicy, specHash } from "sla-clock";
 * const spec = getPolicy("softone-se").spec;
 * specHash(spec) === specHash(JSON.parse(JSON.stringify(spec))); // true
 * ```
 */
export function specHash(spec: unknown): string {
  const text = canonical(spec);
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/** Canonical JSON text: sorted keys, Durations as ISO, Calendars as their spec, undefined keys left out. */
function canonical(value: unknown): string {
  if (value instanceof Calendar) return canonical(value.spec);
  if (Duration.isDuration(value)) return JSON.stringify(value.toISO());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonical(v))).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
