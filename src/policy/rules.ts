import { Calendar, createCalendarAt, engineOf } from "../calendar/calendar";
import type { CalendarEngine } from "../calendar/engine";
import type { AnyCalendarSpec } from "../calendar/spec";
import {
  SlaClockError,
  formatPath,
  readingInput,
  refuseHiddenContent,
  unknownKeysMessage,
  validationError,
  type ValidationIssue,
  showValue,
} from "../errors";
import { deepFreeze } from "../util/freeze";
import { allowedKeysAt } from "../util/zod";
import { Duration } from "luxon";
import {
  METRICS,
  policySpecSchema,
  priorityKey,
  type Metric,
  type PolicySpec,
  type PriorityId,
  type PrioritySpec,
} from "./spec";
import { METRIC_TABLE } from "./metrics";
import { compileAlerts, type CompiledAlert } from "./alerts";
import { compileTarget, measureCode, measureOf, type CompiledTarget, type Target } from "./target";

/**
 * Policy specs that sla-clock builds itself (the presets). policySpecSchema returns each of them
 * unchanged (test/presets.verified-specs.test.ts checks every preset and option), so zod would only
 * copy it, and loading zod for that was about a third of the first preset deadline's cold start
 * (issue 14). Only the registry marks a spec, right after building it; a WeakSet, so it holds
 * nothing alive. Targets, alerts and the calendar are still compiled and checked as for any spec.
 */
const verifiedPolicySpecs = new WeakSet<object>();

/**
 * Marks a policy spec that sla-clock built as one policySpecSchema returns unchanged (see above).
 * @internal
 */
export function markVerifiedPolicySpec<T extends PolicySpec>(spec: T): T {
  verifiedPolicySpecs.add(spec);
  return spec;
}

/**
 * A row of a policy's priority table as the library hands it out (frozen), with its position in
 * the table (0 = most urgent).
 *
 * @example
 * ```ts
 * import { getPolicy } from "sla-clock";
 * const p1: PriorityInfo = getPolicy("softone-se").priorities[0];
 * p1.labelEn; // "Priority 1"
 * ```
 */
export interface PriorityInfo extends PrioritySpec {
  readonly rank: number;
  /** A target per metric; one the row leaves out is `{ kind: "none" }`. */
  readonly targets: { readonly [M in Metric]: Target };
}

/** A priority's row and its compiled targets. @internal */
export interface PriorityEntry {
  readonly info: PriorityInfo;
  readonly compiled: Readonly<Record<Metric, CompiledTarget>>;
}

const NONE: Target = Object.freeze({ kind: "none" });

/**
 * What a policy's priority table says of one metric per rank, from which a batch's rows work out
 * their `measure`, and their `targetMs` where it does not depend on the ticket (see ColumnArrays in
 * clock/result.ts).
 * @internal
 */
export interface RankTargets {
  /** Per rank: 0 none, 1 business, 2 calendar. */
  readonly measure: readonly number[];
  /** Per rank: the target's length in ms (0 for none); NaN where it depends on the anchor. */
  readonly length: readonly number[];
  /** Whether every rank's length is known (then the rows keep no `targetMs`). */
  readonly constant: boolean;
}

/**
 * Each metric's {@link RankTargets} (in METRICS order) of a table's entries (by rank), made when
 * the policy is: `evaluateAcross` makes a batch per policy (10 000 in its benchmark), and working
 * them out on a policy's first batch was 0.07 s of such a call's first run, which the policy's own
 * compile does in a pass over targets it has just compiled. Plain arrays of their exact length:
 * two typed arrays per metric (an object, a buffer object and the bytes each) were 1.7 KB a table.
 */
function rankTargets(entries: readonly PriorityEntry[]): readonly RankTargets[] {
  const n = entries.length;
  return Object.freeze(
    METRICS.map((metric) => {
      const measure = new Array<number>(n);
      const length = new Array<number>(n);
      let constant = true;
      for (let rank = 0; rank < n; rank++) {
        const target = (entries[rank] as PriorityEntry).compiled[metric];
        measure[rank] = measureCode(measureOf(target));
        // A business target's length is its duration whatever the anchor (budgetLength); a none has 0.
        length[rank] = target.kind === "business" ? target.ms : target.kind === "none" ? 0 : Number.NaN;
        if (length[rank] !== length[rank]) constant = false;
      }
      return Object.freeze({ measure, length, constant });
    }),
  );
}

/**
 * A validated policy: its calendar, its priority table and compiled targets. The public `Policy`
 * adds the ticket clock on top.
 * @internal
 */
export class PolicyRules {
  readonly spec: PolicySpec;
  readonly calendar: Calendar;
  readonly engine: CalendarEngine;
  readonly priorities: readonly PriorityInfo[];
  readonly atRiskThreshold: number;
  /** The spec's alert thresholds, or `null` when it gives none (then the at-risk fraction in force is the one). */
  readonly alerts: readonly CompiledAlert[] | null;
  /**
   * The metrics the clock replays: all but the cycle metrics (next reply, periodic update) that no
   * priority gives a target, which a policy without them then does not pay for.
   */
  readonly measured: readonly Metric[];
  /** {@link PolicyRules.measured} as a flag per metric, in the order of METRICS. */
  readonly measuredFlags: readonly boolean[];
  /** Each metric's targets per rank (in METRICS order), as a batch's rows read them. */
  readonly rankTargets: readonly RankTargets[];
  readonly #byKey: ReadonlyMap<string, PriorityEntry>;
  /** The entries in the table's order (by rank). */
  readonly #byRank: readonly PriorityEntry[];
  /** Lookups by the id exactly as callers pass it; holds valid ids only, so it is bounded by the table. */
  readonly #byRaw = new Map<PriorityId, PriorityEntry>();

  constructor(input: PolicySpec) {
    const parsed = readingInput("INVALID_POLICY_SPEC", "Invalid policy spec", () => {
      if (verifiedPolicySpecs.has(input)) return { success: true as const, data: input };
      refuseHiddenContent(input, "INVALID_POLICY_SPEC", "Invalid policy spec");
      return policySpecSchema().safeParse(input);
    });
    if (!parsed.success) {
      throw validationError(
        "INVALID_POLICY_SPEC",
        "Invalid policy spec",
        parsed.error.issues.map((i) => ({
          path: formatPath(i.path),
          message:
            i.code === "unrecognized_keys"
              ? unknownKeysMessage(i.keys, allowedKeysAt(policySpecSchema(), i.path))
              : i.message,
        })),
      );
    }
    const spec = parsed.data as unknown as PolicySpec;
    const issues: ValidationIssue[] = [];
    const calendar = spec.calendar instanceof Calendar ? spec.calendar : buildCalendar(spec.calendar, issues);
    const byKey = new Map<string, PriorityEntry>();
    const priorities: PriorityInfo[] = [];
    spec.priorities.forEach((p, rank) => {
      const key = priorityKey(p.id);
      if (byKey.has(key)) {
        issues.push({ path: `priorities[${rank}].id`, message: `priority ${showValue(p.id)} appears twice` });
        return;
      }
      const targets = {} as Record<Metric, Target>;
      for (const metric of METRICS) targets[metric] = (p.targets as Partial<Record<Metric, Target>>)[metric] ?? NONE;
      const compiled = {} as Record<Metric, CompiledTarget>;
      for (const metric of METRICS) {
        try {
          compiled[metric] = compileTarget(targets[metric], `priorities[${rank}].targets.${metric}`);
        } catch (e) {
          if (!(e instanceof SlaClockError)) throw e;
          issues.push({
            path: typeof e.details.path === "string" ? e.details.path : `priorities[${rank}].targets.${metric}`,
            message: e.message.replace(/^[^:]*: /, ""),
          });
        }
      }
      const info: PriorityInfo = deepFreeze({ ...structuredCloneSafe(p), rank, targets: structuredCloneSafe(targets) });
      priorities.push(info);
      byKey.set(key, { info, compiled });
      compiledByInfo.set(info, compiled);
    });
    let alerts: readonly CompiledAlert[] | null = null;
    try {
      if (spec.alerts !== undefined) alerts = compileAlerts(spec.alerts, "alerts");
    } catch (e) {
      if (!(e instanceof SlaClockError)) throw e;
      issues.push({ path: String(e.details.path), message: e.message.replace(/^[^:]*: /, "") });
    }
    if (issues.length > 0 || calendar === undefined)
      throw validationError("INVALID_POLICY_SPEC", "Invalid policy spec", issues);
    this.spec = deepFreeze({
      ...structuredCloneSafe({ ...spec, calendar: undefined }),
      calendar: calendar.spec,
    }) as PolicySpec;
    this.calendar = calendar;
    this.engine = engineOf(calendar);
    this.priorities = Object.freeze(priorities);
    this.atRiskThreshold = spec.atRiskThreshold ?? 0.75;
    ({ measured: this.measured, flags: this.measuredFlags } = measuredLists(
      METRICS.map((m) => !METRIC_TABLE[m].cycles || priorities.some((p) => p.targets[m].kind !== "none")),
    ));
    this.alerts = alerts;
    this.#byKey = byKey;
    this.#byRank = priorities.map((info) => byKey.get(priorityKey(info.id)) as PriorityEntry);
    this.rankTargets = rankTargets(this.#byRank);
    // Each id as the spec gives it, looked up already: a ticket's priority is most often given
    // so, and a policy's first batch (one per policy in `evaluateAcross`) then adds nothing here.
    for (const entry of this.#byRank) this.#byRaw.set(entry.info.id, entry);
  }

  /** The entry of the priority of rank `rank` (its place in the table). */
  entryAt(rank: number): PriorityEntry {
    return this.#byRank[rank] as PriorityEntry;
  }

  /** The entry of a priority, or `undefined` when the table has none (for callers that must not throw). */
  find(priority: PriorityId): PriorityEntry | undefined {
    const cached = this.#byRaw.get(priority);
    if (cached !== undefined) return cached;
    const found =
      typeof priority === "string" || typeof priority === "number" ? this.#byKey.get(priorityKey(priority)) : undefined;
    if (found !== undefined) this.#byRaw.set(priority, found);
    return found;
  }

  /** The entry of a priority, or `UNKNOWN_PRIORITY` listing the valid ones. */
  entry(priority: PriorityId, where = "priority"): PriorityEntry {
    const found = this.find(priority);
    if (found === undefined) {
      const valid = this.priorities.map((p) => String(p.id));
      throw new SlaClockError(
        "UNKNOWN_PRIORITY",
        `${where}: ${showValue(priority)} is not a priority of policy "${this.spec.id}"; valid priorities are ${valid.join(", ")}`,
        { value: priority, valid },
      );
    }
    return found;
  }

  /** Checks a metric name, or `UNKNOWN_METRIC` listing the valid ones. */
  metric(metric: unknown): Metric {
    if ((METRICS as readonly unknown[]).includes(metric)) return metric as Metric;
    throw new SlaClockError("UNKNOWN_METRIC", `metric: ${showValue(metric)} is not a metric; use ${METRIC_NAMES}`, {
      value: metric,
      valid: METRICS,
    });
  }
}

/** The metrics as an error message lists them: `"response" or "resolution" (or a cycle metric: …)`. */
const METRIC_NAMES = ((quoted: (ms: readonly Metric[]) => string[]) =>
  `${quoted(METRICS.filter((m) => !METRIC_TABLE[m].cycles)).join(" or ")} (or a cycle metric: ${quoted(
    METRICS.filter((m) => METRIC_TABLE[m].cycles),
  ).join(", ")})`)((ms) => ms.map((m) => `"${m}"`));

function buildCalendar(spec: AnyCalendarSpec, issues: ValidationIssue[]): Calendar | undefined {
  try {
    return createCalendarAt(spec, "calendar.");
  } catch (e) {
    // An error that is not about the spec's content (no issues) is not the policy's to restate.
    if (!(e instanceof SlaClockError) || e.issues.length === 0) throw e;
    issues.push(...e.issues);
    return undefined;
  }
}

/** Copies plain data (and leaves luxon Durations, which are immutable, as they are). */
function structuredCloneSafe<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v: unknown) => structuredCloneSafe(v)) as T;
  // A luxon Duration is immutable and kept as given. Any other object — a plain one, one without a
  // prototype, an instance of an ordinary class (read by its own keys, as JSON writes it) — is
  // copied: kept by reference and frozen, the caller's own object was frozen under it, and a
  // change made to it later showed in `policy.spec` and descriptions, not in the deadlines.
  if (Duration.isDuration(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = structuredCloneSafe(v);
  return out as T;
}

/**
 * The lists of measured metrics, one frozen pair per combination (at most 2^4): policies that
 * measure the same metrics share the same arrays, so the ticket clock, which wires its metrics once
 * per list it is given, does not wire them again for every policy of an `evaluateAcross` call.
 */
const measuredByFlags = new Map<string, { measured: readonly Metric[]; flags: readonly boolean[] }>();

function measuredLists(flags: readonly boolean[]): { measured: readonly Metric[]; flags: readonly boolean[] } {
  const key = flags.map((f) => (f ? 1 : 0)).join("");
  let lists = measuredByFlags.get(key);
  if (lists === undefined) {
    lists = Object.freeze({
      measured: Object.freeze(METRICS.filter((_, i) => flags[i] === true)),
      flags: Object.freeze([...flags]),
    });
    measuredByFlags.set(key, lists);
  }
  return lists;
}

/** Each priority row's compiled targets, by its frozen public row (see {@link compiledTargetsOf}). */
const compiledByInfo = new WeakMap<PriorityInfo, Readonly<Record<Metric, CompiledTarget>>>();

/**
 * The compiled targets of a priority row of a policy, `undefined` for an object no policy made:
 * the warehouse's target tables read them rather than compile a row's targets again.
 * @internal
 */
export function compiledTargetsOf(info: PriorityInfo): Readonly<Record<Metric, CompiledTarget>> | undefined {
  return compiledByInfo.get(info);
}
