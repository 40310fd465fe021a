import { createCalendar, type Calendar } from "../calendar/calendar";
import { markVerifiedCalendarSpec, type CalendarSpec } from "../calendar/spec";
import { SlaClockError, showValue } from "../errors";
import { hiddenContentKind } from "../util/plain-data";
import type { PolicySpec } from "../policy/spec";
import { markVerifiedPolicySpec } from "../policy/rules";
import type { Provider } from "../policy/tier";
import { definePolicy, type Policy } from "../clock/policy";
import { deepFreeze } from "../util/freeze";
import {
  MOCH_PROVIDER,
  mochExtendedCalendar,
  mochExtendedPolicy,
  mochStandardCalendar,
  mochStandardPolicy,
} from "./moch";
import { SOFTONE_PROVIDER, softoneFiCalendar, softoneFiPolicy, softoneSeCalendar, softoneSePolicy } from "./softone";
import { TRINAX_PROVIDER, trinaxCalendar, trinaxPolicy } from "./trinax";

/**
 * The ids of the built-in calendars.
 *
 * @example
 * ```ts
 * const id: PresetCalendarId = "softone-se";
 * ```
 */
export type PresetCalendarId = "softone-se" | "softone-fi" | "moch-standard" | "moch-extended" | "trinax";

/**
 * The ids of the built-in policies.
 *
 * @example
 * ```ts
 * const id: PresetPolicyId = "trinax-access";
 * ```
 */
export type PresetPolicyId =
  | "softone-se"
  | "softone-fi"
  | "moch-standard"
  | "moch-extended"
  | "trinax-alert"
  | "trinax-attend"
  | "trinax-access"
  | "trinax-none";

/**
 * The priority ids of a built-in policy's table, as `getPolicy` types them: SoftOne and MOCH number
 * theirs 1–5, Trinax 1–4. A literal priority the table lacks is a compile error
 * (`getPolicy("trinax-access").deadline(t, { priority: 5 })`); `"3"` works as `3` does, and a
 * priority held in a plain `number` or `string` is checked at run time.
 *
 * @example
 * ```ts
 * const p: PresetPriority<"trinax-alert"> = 4; // 1 | 2 | 3 | 4
 * ```
 */
export type PresetPriority<Id extends PresetPolicyId> = Id extends `trinax-${string}`
  ? 1 | 2 | 3 | 4
  : 1 | 2 | 3 | 4 | 5;

/**
 * The configurable readings of the source documents (presets.md §2). Each option applies to some
 * presets only; passing it to another is an `INVALID_PRESET_OPTIONS` error.
 *
 * - `closeDeFactoHolidays` (SoftOne SE/FI): also close Julafton, Midsommarafton, Nyårsafton (and
 *   the Finnish jouluaatto, juhannusaatto, uudenvuodenaatto). Default `false`: they are eves.
 * - `hoursZone` (MOCH): read the hours in `"UTC"` (default) or as `"Europe/Copenhagen"` wall time.
 *
 * @example
 * ```ts
 * import { getPolicy } from "sla-clock";
 * const strict = getPolicy("softone-se", { closeDeFactoHolidays: true });
 * const local = getPolicy("moch-standard", { hoursZone: "Europe/Copenhagen" });
 * ```
 */
export interface PresetOptions {
  readonly closeDeFactoHolidays?: boolean;
  readonly hoursZone?: "UTC" | "Europe/Copenhagen";
}

/**
 * A line of {@link listPolicies}: what a preset is, without building it.
 *
 * @example
 * ```ts
 * import { listPolicies } from "sla-clock";
 * listPolicies().map((p: PolicySummary) => p.id);
 * ```
 */
export interface PolicySummary {
  readonly id: PresetPolicyId;
  readonly name: string;
  readonly calendarId: PresetCalendarId;
  readonly providerId: string;
  readonly tierId: string;
  /** Options this preset accepts. */
  readonly options: readonly (keyof PresetOptions)[];
}

type OptionName = keyof PresetOptions;

interface CalendarEntry {
  readonly options: readonly OptionName[];
  readonly build: (options: PresetOptions) => CalendarSpec;
}

const CALENDARS: Readonly<Record<PresetCalendarId, CalendarEntry>> = {
  "softone-se": { options: ["closeDeFactoHolidays"], build: softoneSeCalendar },
  "softone-fi": { options: ["closeDeFactoHolidays"], build: softoneFiCalendar },
  "moch-standard": { options: ["hoursZone"], build: mochStandardCalendar },
  "moch-extended": { options: ["hoursZone"], build: mochExtendedCalendar },
  trinax: { options: [], build: () => trinaxCalendar() },
};

interface PolicyEntry {
  readonly calendarId: PresetCalendarId;
  readonly providerId: string;
  readonly tierId: string;
  readonly build: (calendar: CalendarSpec) => PolicySpec;
}

const POLICIES: Readonly<Record<PresetPolicyId, PolicyEntry>> = {
  "softone-se": { calendarId: "softone-se", providerId: "softone", tierId: "se", build: softoneSePolicy },
  "softone-fi": { calendarId: "softone-fi", providerId: "softone", tierId: "fi", build: softoneFiPolicy },
  "moch-standard": { calendarId: "moch-standard", providerId: "moch", tierId: "standard", build: mochStandardPolicy },
  "moch-extended": { calendarId: "moch-extended", providerId: "moch", tierId: "extended", build: mochExtendedPolicy },
  "trinax-alert": {
    calendarId: "trinax",
    providerId: "trinax",
    tierId: "alert",
    build: (c) => trinaxPolicy("alert", c),
  },
  "trinax-attend": {
    calendarId: "trinax",
    providerId: "trinax",
    tierId: "attend",
    build: (c) => trinaxPolicy("attend", c),
  },
  "trinax-access": {
    calendarId: "trinax",
    providerId: "trinax",
    tierId: "access",
    build: (c) => trinaxPolicy("access", c),
  },
  "trinax-none": { calendarId: "trinax", providerId: "trinax", tierId: "none", build: (c) => trinaxPolicy("none", c) },
};

const PROVIDERS: readonly Provider[] = deepFreeze([SOFTONE_PROVIDER, MOCH_PROVIDER, TRINAX_PROVIDER]);

/*
 * Presets are immutable, so one instance per id and options is shared: a service that calls
 * getPolicy per ticket reuses the warm interval index. The key space is finite (ids × the few
 * option values), so the cache is bounded by construction.
 */
const calendarCache = new Map<string, Calendar>();
const policyCache = new Map<string, Policy>();

function checkOptions(kind: string, id: string, allowed: readonly OptionName[], options: unknown): PresetOptions {
  if (options === undefined) return {};
  // A Map's entries are not its keys: read key by key, `new Map([["closeDeFactoHolidays", true]])`
  // was no options at all.
  const hidden = Array.isArray(options) ? "an array" : hiddenContentKind(options);
  if (typeof options !== "object" || options === null || hidden !== undefined) {
    throw new SlaClockError(
      "INVALID_PRESET_OPTIONS",
      `options of ${kind} "${id}" must be an object${hidden === undefined ? "" : `, got ${hidden}`}`,
      { value: options },
    );
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!(allowed as readonly string[]).includes(key)) {
      throw new SlaClockError(
        "INVALID_PRESET_OPTIONS",
        `${kind} "${id}" has no option "${key}"; ${allowed.length ? `its options are ${allowed.join(", ")}` : "it takes no options"}`,
        { value: options, valid: allowed },
      );
    }
    const ok =
      key === "closeDeFactoHolidays" ? typeof value === "boolean" : value === "UTC" || value === "Europe/Copenhagen";
    if (!ok) {
      const expected = key === "closeDeFactoHolidays" ? "true or false" : '"UTC" or "Europe/Copenhagen"';
      throw new SlaClockError(
        "INVALID_PRESET_OPTIONS",
        `option ${key} of ${kind} "${id}" must be ${expected}, got ${showValue(value)}`,
        {
          value: options,
        },
      );
    }
    out[key] = value;
  }
  return out as PresetOptions;
}

function cacheKey(id: string, options: PresetOptions): string {
  return `${id}|${options.closeDeFactoHolidays === true ? "defacto" : ""}|${options.hoursZone ?? ""}`;
}

function unknownId(kind: "policy" | "calendar" | "provider", id: unknown, valid: readonly string[]): SlaClockError {
  const code = kind === "policy" ? "UNKNOWN_POLICY" : kind === "calendar" ? "UNKNOWN_CALENDAR" : "INVALID_ARGUMENT";
  return new SlaClockError(code, `${showValue(id)} is not a built-in ${kind}; valid ids are ${valid.join(", ")}`, {
    value: id,
    valid,
  });
}

/**
 * A built-in calendar by id: `softone-se`, `softone-fi`, `moch-standard`, `moch-extended`,
 * `trinax`. Throws `UNKNOWN_CALENDAR` (listing the ids) or `INVALID_PRESET_OPTIONS`.
 *
 * @example
 * ```ts
 * import { getCalendar } from "sla-clock";
 * getCalendar("softone-fi").describeDay("2026-06-19").hours; // [["08:00", "11:00"], ["12:00", "14:00"]]: an eve and a Friday
 * getCalendar("moch-standard", { hoursZone: "Europe/Copenhagen" }).zone; // "Europe/Copenhagen"
 * ```
 */
export function getCalendar(id: PresetCalendarId, options?: PresetOptions): Calendar {
  const entry =
    typeof id === "string" && Object.prototype.hasOwnProperty.call(CALENDARS, id) ? CALENDARS[id] : undefined;
  if (entry === undefined) throw unknownId("calendar", id, Object.keys(CALENDARS));
  const opts = checkOptions("calendar", id, entry.options, options);
  const key = cacheKey(id, opts);
  let calendar = calendarCache.get(key);
  if (calendar === undefined) {
    // Built here and marked before anyone else holds it: zod would return it unchanged.
    calendar = createCalendar(markVerifiedCalendarSpec(entry.build(opts)));
    calendarCache.set(key, calendar);
  }
  return calendar;
}

/**
 * A built-in policy by id (see {@link PresetPolicyId}). Throws `UNKNOWN_POLICY` (listing the ids)
 * or `INVALID_PRESET_OPTIONS`.
 *
 * @example
 * ```ts
 * import { getPolicy } from "sla-clock";
 * const policy = getPolicy("trinax-access");
 * policy.deadline("2026-04-02T15:00", { priority: 2 }); // 16 h of 08–17 over Easter → 2026-04-08 13:00 local
 * ```
 */
export function getPolicy<Id extends PresetPolicyId>(id: Id, options?: PresetOptions): Policy<PresetPriority<Id>> {
  const entry = typeof id === "string" && Object.prototype.hasOwnProperty.call(POLICIES, id) ? POLICIES[id] : undefined;
  if (entry === undefined) throw unknownId("policy", id, Object.keys(POLICIES));
  const opts = checkOptions("policy", id, CALENDARS[entry.calendarId].options, options);
  const key = cacheKey(id, opts);
  let policy = policyCache.get(key);
  if (policy === undefined) {
    const calendar = getCalendar(entry.calendarId, opts);
    // A preset calendar is a plain one.
    policy = definePolicy(markVerifiedPolicySpec({ ...entry.build(calendar.spec as CalendarSpec), calendar }));
    policyCache.set(key, policy);
  }
  return policy as Policy<PresetPriority<Id>>;
}

/**
 * Every built-in policy, with its calendar, provider and tier.
 *
 * @example
 * ```ts
 * import { listPolicies } from "sla-clock";
 * listPolicies().length; // 8
 * ```
 */
export function listPolicies(): readonly PolicySummary[] {
  return deepFreeze(
    (Object.entries(POLICIES) as [PresetPolicyId, PolicyEntry][]).map(([id, e]) => ({
      id,
      name: e.build(CALENDARS[e.calendarId].build({})).name,
      calendarId: e.calendarId,
      providerId: e.providerId,
      tierId: e.tierId,
      options: CALENDARS[e.calendarId].options,
    })),
  );
}

/**
 * The ids of the built-in calendars.
 *
 * @example
 * ```ts
 * import { listCalendars } from "sla-clock";
 * listCalendars(); // ["softone-se", "softone-fi", "moch-standard", "moch-extended", "trinax"]
 * ```
 */
export function listCalendars(): readonly PresetCalendarId[] {
  return Object.freeze(Object.keys(CALENDARS) as PresetCalendarId[]);
}

/**
 * Every provider whose published terms ship as presets, with its tiers and their contract terms.
 *
 * @example
 * ```ts
 * import { listProviders } from "sla-clock";
 * listProviders().map((p) => p.id); // ["softone", "moch", "trinax"]
 * ```
 */
export function listProviders(): readonly Provider[] {
  return PROVIDERS;
}

/**
 * A provider by id (`softone`, `moch`, `trinax`). Throws `INVALID_ARGUMENT` listing the ids.
 *
 * @example
 * ```ts
 * import { getProvider } from "sla-clock";
 * getProvider("trinax").tiers[0].terms?.timeBank; // { hours: 15, period: "quarter" }
 * ```
 */
export function getProvider(id: string): Provider {
  const found = PROVIDERS.find((p) => p.id === id);
  if (found === undefined)
    throw unknownId(
      "provider",
      id,
      PROVIDERS.map((p) => p.id),
    );
  return found;
}

/**
 * Every preset's calendar and policy spec as the registry builds them, for each combination of the
 * options it accepts (unset included), so that a test can check that zod returns each unchanged
 * (see markVerifiedCalendarSpec). The policies' `calendar` is the preset's Calendar, as getPolicy
 * passes it.
 * @internal
 */
export function builtPresetSpecs(): {
  calendars: { id: PresetCalendarId; options: PresetOptions; spec: CalendarSpec }[];
  policies: { id: PresetPolicyId; options: PresetOptions; spec: PolicySpec }[];
} {
  const choices: { readonly [K in OptionName]: readonly (PresetOptions[K] | undefined)[] } = {
    closeDeFactoHolidays: [undefined, false, true],
    hoursZone: [undefined, "UTC", "Europe/Copenhagen"],
  };
  const combinations = (names: readonly OptionName[]): PresetOptions[] =>
    names.reduce<PresetOptions[]>(
      (acc, name) => acc.flatMap((o) => choices[name].map((v) => (v === undefined ? o : { ...o, [name]: v }))),
      [{}],
    );
  const calendars = (Object.entries(CALENDARS) as [PresetCalendarId, CalendarEntry][]).flatMap(([id, e]) =>
    combinations(e.options).map((options) => ({ id, options, spec: e.build(options) })),
  );
  const policies = (Object.entries(POLICIES) as [PresetPolicyId, PolicyEntry][]).flatMap(([id, e]) =>
    combinations(CALENDARS[e.calendarId].options).map((options) => {
      const calendar = getCalendar(e.calendarId, options);
      return { id, options, spec: { ...e.build(calendar.spec as CalendarSpec), calendar } };
    }),
  );
  return { calendars, policies };
}
