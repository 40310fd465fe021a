import { Calendar, createCalendar } from "../calendar/calendar";
import type { CalendarSpec } from "../calendar/spec";
import { SlaClockError, optionsObject } from "../errors";
import { describe } from "../time/instant";
import type { PolicySpec } from "../policy/spec";
import { definePolicy, type Policy } from "./policy";
import { canonicalJson } from "../util/spec-hash";

/*
 * A service that keeps one policy per customer stores specs as JSON and meets the same spec again
 * and again (every request, every worker). Compiling a spec builds its calendar (holiday tables,
 * the interval index), which is the expensive part; a registry compiles each distinct spec once and
 * hands out the same Policy for equal specs, and lets policies whose calendars are equal share one
 * Calendar (and so one index). Equality is by content: two specs are equal when their canonical
 * JSON texts (src/util/spec-hash.ts: keys sorted, `undefined` left out) are, and the registry keys
 * its maps by that text itself, compared whole. It used to key them by `specHash`, a 64-bit FNV-1a
 * hash of the text: not collision-resistant, so a spec written to collide (a customer's own closed
 * dates and names reach the spec) could have been handed another spec's policy; the hash's BigInt
 * arithmetic was also most of a `define` (about 120 µs of a 1 KB spec). A key costs the text's
 * bytes (about 1 KB a customer policy, 0.3 KB a calendar), next to the compiled policy it keys.
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

  /**
   * Prefer {@link createPolicyRegistry}. Called directly it checks its limit the same way (a registry
   * made with `new PolicyRegistry()` kept nothing: its limit was `undefined`).
   * @internal
   */
  constructor(maxPolicies: number = 10_000) {
    if (typeof maxPolicies !== "number" || !Number.isInteger(maxPolicies) || maxPolicies < 1)
      throw new SlaClockError(
        "INVALID_ARGUMENT",
        `options.maxPolicies must be a whole number of at least 1, got ${describe(maxPolicies)}`,
        { value: maxPolicies, path: "options.maxPolicies" },
      );
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
    const key = canonicalJson(spec);
    // No faithful text (a Map, NaN, a cycle…): such a spec is compiled, which says what is wrong
    // with it, rather than looked up under a text that another spec may have.
    if (key === undefined) return this.#remember(definePolicy(spec));
    return this.#known(key) ?? this.#remember(definePolicy(this.#withSharedCalendar(spec)), key);
  }

  /** The policy kept under `key`, made the most recently used (and its id's), or `undefined`. */
  #known(key: string): Policy | undefined {
    const known = this.#policies.get(key);
    if (known === undefined) return undefined;
    this.#touch(this.#policies, key, known);
    this.#byId.set(known.id, key);
    return known;
  }

  /**
   * Keeps a compiled policy under `key`, its spec's text (or the policy already kept there); a
   * policy whose own spec (the parsed one) has no text either is handed out without being kept.
   */
  #remember(policy: Policy, key = canonicalJson(policy.spec)): Policy {
    if (key === undefined) return policy;
    const known = this.#known(key);
    if (known !== undefined) return known;
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
    let given: unknown;
    try {
      given = typeof spec === "object" && spec !== null ? (spec as { calendar?: unknown }).calendar : undefined;
    } catch {
      return spec; // a getter of the caller's threw: definePolicy reads it again and says so
    }
    if (given instanceof Calendar || typeof given !== "object" || given === null) return spec;
    const key = canonicalJson(given);
    if (key === undefined) return spec;
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
      // Bounded now, not at the next policy kept: specs whose priorities then fail kept their
      // calendars past maxPolicies (20 000 failing specs, 37 MB of heap, with maxPolicies 10).
      this.#trim();
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
  const given = optionsObject(options, "options", "{ maxPolicies: 10000 }", false, ["maxPolicies"]).maxPolicies;
  return new PolicyRegistry(given as number | undefined);
}
