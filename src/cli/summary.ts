import type { MetricEvaluation, MetricStatus, TicketEvaluation } from "../clock/evaluate";
import type { Policy } from "../clock/policy";
import { METRIC_STATUSES } from "../clock/result";
import type { RowOutcome } from "./run";

/**
 * The cycle metrics (next reply, periodic update) a policy has a target for on some priority: the
 * ones the summary counts per cycle and the report lists, in the metric table's order.
 *
 * @example
 * ```ts
 * cycleMetricsOf(getPolicy("softone-se")); // [] (its documents give no such targets)
 * ```
 */
export function cycleMetricsOf(policy: Policy): readonly ("nextReply" | "periodicUpdate")[] {
  return (["nextReply", "periodicUpdate"] as const).filter((m) =>
    policy.priorities.some((p) => p.targets[m].kind !== "none"),
  );
}

/**
 * Range of the response-time histogram behind the median: one-minute bins up to this many hours (a
 * longer response counts as this many hours), 120 001 counters per priority however many rows.
 *
 * @example
 * ```ts
 * HISTOGRAM_HOURS; // 2000
 * ```
 */
export const HISTOGRAM_HOURS = 2000;
const BINS = HISTOGRAM_HOURS * 60;

/**
 * Counts of one metric over a set of tickets.
 *
 * @example
 * ```ts
 * const counts: MetricCounts = { running: 3, paused: 1, met: 40, breached: 6, none: 0, metPct: 86.96 };
 * ```
 */
export interface MetricCounts {
  readonly running: number;
  readonly paused: number;
  readonly met: number;
  readonly breached: number;
  readonly none: number;
  /** met ÷ (met + breached) in percent, `null` when neither happened. */
  readonly metPct: number | null;
}

/**
 * The summary of one priority.
 *
 * @example
 * ```ts
 * const row: PrioritySummary = {
 *   priority: "1", label: "Priority 1", count: 50,
 *   response: { running: 0, paused: 0, met: 45, breached: 5, none: 0, metPct: 90 },
 *   resolution: { running: 4, paused: 0, met: 40, breached: 6, none: 0, metPct: 86.96 },
 *   medianResponseHours: 1.25,
 * };
 * ```
 */
export interface PrioritySummary {
  readonly priority: string;
  readonly label: string;
  readonly count: number;
  readonly response: MetricCounts;
  readonly resolution: MetricCounts;
  /**
   * Median time to the first response, in hours of the response target's measure (business hours
   * for every preset), over the tickets that were responded to; to the minute, and reported as
   * `HISTOGRAM_HOURS` when beyond it. `null` when none were.
   */
  readonly medianResponseHours: number | null;
  /**
   * Next-reply cycles of this priority's tickets, counted per cycle by the cycle's status; only when
   * the policy has a next-reply target at some priority.
   */
  readonly nextReply?: MetricCounts;
  /** Periodic-update cycles, counted the same way; only when the policy has such a target. */
  readonly periodicUpdate?: MetricCounts;
}

/**
 * The summary of an evaluated export.
 *
 * @example
 * ```ts
 * const s: SummaryResult = { rows: 1000, failed: 3, priorities: [] };
 * ```
 */
export interface SummaryResult {
  readonly rows: number;
  readonly failed: number;
  readonly priorities: readonly PrioritySummary[];
}

class Counts {
  running = 0;
  paused = 0;
  met = 0;
  breached = 0;
  none = 0;

  add(status: MetricStatus): void {
    this[status]++;
  }

  /** Adds another count's figures to this one. */
  absorb(other: CountsData): void {
    this.running += other.running;
    this.paused += other.paused;
    this.met += other.met;
    this.breached += other.breached;
    this.none += other.none;
  }

  result(): MetricCounts {
    const decided = this.met + this.breached;
    return {
      running: this.running,
      paused: this.paused,
      met: this.met,
      breached: this.breached,
      none: this.none,
      metPct: decided === 0 ? null : Math.round((this.met / decided) * 10_000) / 100,
    };
  }
}

/** The figures of a {@link Counts}, as plain data. */
type CountsData = Pick<Counts, "running" | "paused" | "met" | "breached" | "none">;

/**
 * What a summary has counted, as plain data that a worker thread can post (each thread of the
 * parallel `evaluate` counts its own rows and posts its counts once, at the end).
 * @internal
 */
export interface SummarySnapshot {
  readonly rows: number;
  readonly failed: number;
  readonly builders: readonly { readonly policy: string; readonly data: BuilderSnapshot }[];
}

interface BuilderSnapshot {
  readonly rows: number;
  readonly failed: number;
  readonly stats: readonly {
    readonly priority: string;
    readonly count: number;
    readonly response: CountsData;
    readonly resolution: CountsData;
    readonly nextReply: CountsData;
    readonly periodicUpdate: CountsData;
    readonly histogram: Uint32Array;
    readonly responded: number;
  }[];
}

const countsData = (c: Counts): CountsData => ({
  running: c.running,
  paused: c.paused,
  met: c.met,
  breached: c.breached,
  none: c.none,
});

class PriorityStats {
  count = 0;
  readonly response = new Counts();
  readonly resolution = new Counts();
  readonly nextReply = new Counts();
  readonly periodicUpdate = new Counts();
  readonly histogram = new Uint32Array(BINS + 1);
  responded = 0;
}

/**
 * Accumulates the per-priority summary of an export in bounded memory, however many rows pass
 * through: counts, and a one-minute histogram for the median response time.
 *
 * @example
 * ```ts
 * const summary = new SummaryBuilder(getPolicy("softone-se"));
 * summary.add(getPolicy("softone-se").evaluate(ticket, now));
 * summary.result().priorities[0]?.medianResponseHours;
 * ```
 */
export class SummaryBuilder {
  readonly #policy: Policy;
  readonly #stats = new Map<string, PriorityStats>();
  /** The cycle metrics the policy has a target for: counted per cycle. */
  readonly #cycleMetrics: readonly ("nextReply" | "periodicUpdate")[];
  #rows = 0;
  #failed = 0;

  constructor(policy: Policy) {
    this.#policy = policy;
    this.#cycleMetrics = cycleMetricsOf(policy);
  }

  /** Counts an evaluated ticket. */
  add(evaluation: TicketEvaluation): void {
    this.#count(
      String(evaluation.priority),
      evaluation.response.status,
      evaluation.resolution.status,
      respondedMinutes(evaluation.response),
    );
    this.#countCycles(String(evaluation.priority), evaluation);
  }

  /**
   * Counts an outcome of `evaluateRecords`: a row that failed, or its evaluation, read from the
   * batch's columns when the outcome has them (without building the evaluation object).
   */
  addRow(row: RowOutcome): void {
    const { batch, index: i } = row;
    if (batch === undefined || i === undefined) {
      if (row.evaluation === undefined) this.addFailure();
      else this.add(row.evaluation);
      return;
    }
    const response = batch.response;
    this.#count(
      row.priority,
      METRIC_STATUSES[response.status[i]!]!,
      METRIC_STATUSES[batch.resolution.status[i]!]!,
      // Stopped by `respond` (code 1): whole minutes to the first response.
      response.stoppedBy[i] === 1 ? Math.floor(response.elapsed[i]! / 60_000) : null,
    );
    // Every cycle's status is counted, and the columns hold only the current cycle's: the rows of
    // a policy with cycle targets (no preset has them) are read from their evaluation objects.
    if (this.#cycleMetrics.length > 0) this.#countCycles(row.priority, row.evaluation!);
  }

  /** Counts each cycle of the cycle metrics the policy has a target for, by its status. */
  #countCycles(priority: string, evaluation: TicketEvaluation): void {
    if (this.#cycleMetrics.length === 0) return;
    const stats = this.#stats.get(priority)!;
    for (const m of this.#cycleMetrics) for (const cycle of evaluation[m].cycles) stats[m].add(cycle.status);
  }

  #count(priority: string, response: MetricStatus, resolution: MetricStatus, respondedMinutes: number | null): void {
    this.#rows++;
    let stats = this.#stats.get(priority);
    if (stats === undefined) {
      stats = new PriorityStats();
      this.#stats.set(priority, stats);
    }
    stats.count++;
    stats.response.add(response);
    stats.resolution.add(resolution);
    if (respondedMinutes !== null) {
      stats.histogram[Math.min(BINS, respondedMinutes)]!++;
      stats.responded++;
    }
  }

  /** Counts a row that could not be evaluated. */
  addFailure(): void {
    this.#rows++;
    this.#failed++;
  }

  /** What has been counted, as plain data (see {@link SummarySnapshot}). */
  snapshot(): BuilderSnapshot {
    return {
      rows: this.#rows,
      failed: this.#failed,
      stats: [...this.#stats].map(([priority, s]) => ({
        priority,
        count: s.count,
        response: countsData(s.response),
        resolution: countsData(s.resolution),
        nextReply: countsData(s.nextReply),
        periodicUpdate: countsData(s.periodicUpdate),
        histogram: s.histogram,
        responded: s.responded,
      })),
    };
  }

  /** Adds what another builder of the same policy counted (see {@link SummaryBuilder.snapshot}). */
  absorb(other: BuilderSnapshot): void {
    this.#rows += other.rows;
    this.#failed += other.failed;
    for (const o of other.stats) {
      let stats = this.#stats.get(o.priority);
      if (stats === undefined) this.#stats.set(o.priority, (stats = new PriorityStats()));
      stats.count += o.count;
      stats.response.absorb(o.response);
      stats.resolution.absorb(o.resolution);
      stats.nextReply.absorb(o.nextReply);
      stats.periodicUpdate.absorb(o.periodicUpdate);
      for (let bin = 0; bin < o.histogram.length; bin++) stats.histogram[bin]! += o.histogram[bin]!;
      stats.responded += o.responded;
    }
  }

  /** The summary so far, priorities in the policy's order. */
  result(): SummaryResult {
    const priorities: PrioritySummary[] = [];
    for (const p of this.#policy.priorities) {
      const stats = this.#stats.get(String(p.id));
      if (stats === undefined) continue;
      priorities.push({
        priority: String(p.id),
        label: p.labelEn ?? p.label,
        count: stats.count,
        response: stats.response.result(),
        resolution: stats.resolution.result(),
        medianResponseHours: median(stats.histogram, stats.responded),
        ...Object.fromEntries(this.#cycleMetrics.map((m) => [m, stats[m].result()])),
      });
    }
    return { rows: this.#rows, failed: this.#failed, priorities };
  }
}

/** Whole minutes to the first response, for a response stopped by `respond`. */
function respondedMinutes(m: MetricEvaluation): number | null {
  if (m.stoppedBy !== "respond") return null;
  return Math.floor(m.elapsed / 60_000);
}

function median(histogram: Uint32Array, n: number): number | null {
  if (n === 0) return null;
  const rank = Math.ceil(n / 2);
  let seen = 0;
  for (let bin = 0; bin <= BINS; bin++) {
    seen += histogram[bin] as number;
    if (seen >= rank) return Math.round((bin / 60) * 100) / 100;
  }
  return HISTOGRAM_HOURS;
}

/**
 * The summary of one policy's rows in an export whose rows name their policy.
 *
 * @example
 * ```ts
 * const s: PolicySummaryResult = { policy: "moch-standard", name: "MOCH Standard", rows: 2, failed: 0, priorities: [] };
 * ```
 */
export interface PolicySummaryResult extends SummaryResult {
  readonly policy: string;
  readonly name: string;
}

/**
 * The summary of an evaluated export: per priority for one policy ({@link SummaryResult}), or, when
 * the rows name their policy, the totals and one {@link PolicySummaryResult} per policy in the order
 * of its first row (rows naming a policy the CLI does not know count only in the totals).
 *
 * @example
 * ```ts
 * const s: ExportSummary = { rows: 3, failed: 1, policies: [] };
 * ```
 */
export type ExportSummary =
  SummaryResult | { readonly rows: number; readonly failed: number; readonly policies: readonly PolicySummaryResult[] };

/**
 * A {@link SummaryBuilder} per policy, for rows judged on several policies; `result(true)` gives one
 * summary per policy, `result(false)` the summary of `fallback` alone (every row is on it then).
 *
 * @example
 * ```ts
 * const summary = new SummaryByPolicy(getPolicy("softone-se"));
 * for (const row of rows) summary.add(row);
 * summary.result(true);
 * ```
 */
export class SummaryByPolicy {
  readonly #fallback: Policy;
  readonly #builders = new Map<Policy, SummaryBuilder>();
  #rows = 0;
  #failed = 0;

  constructor(fallback: Policy) {
    this.#fallback = fallback;
    this.#builders.set(fallback, new SummaryBuilder(fallback));
  }

  /**
   * Counts a row of `evaluateRecords`, on the policy that judged it (from the batch's columns when
   * the row has them, see {@link SummaryBuilder.addRow}).
   */
  add(row: RowOutcome): void {
    this.#rows++;
    // A row read from columns has an evaluation (asking for it would build it).
    if (row.batch === undefined && row.evaluation === undefined) this.#failed++;
    const policy = row.judgedBy;
    if (policy === undefined) return;
    this.#builderOf(policy).addRow(row);
  }

  /** What has been counted, as plain data (see {@link SummarySnapshot}). */
  snapshot(): SummarySnapshot {
    return {
      rows: this.#rows,
      failed: this.#failed,
      builders: [...this.#builders].map(([policy, b]) => ({ policy: policy.id, data: b.snapshot() })),
    };
  }

  /**
   * Adds what another summary counted (a thread of the parallel `evaluate`). Policies the other
   * counted that this one has not seen come after those it has: the parallel `evaluate` notes them
   * in input order first ({@link SummaryByPolicy.notePolicies}). `policyOf` gives the policy of an
   * id the rows were judged on.
   */
  absorb(other: SummarySnapshot, policyOf: (id: string) => Policy | undefined): void {
    this.#rows += other.rows;
    this.#failed += other.failed;
    for (const { policy: id, data } of other.builders) {
      if (data.rows === 0) continue;
      const policy = id === this.#fallback.id ? this.#fallback : policyOf(id);
      if (policy === undefined) throw new Error(`summary: no policy "${id}" to add counts to`);
      this.#builderOf(policy).absorb(data);
    }
  }

  /**
   * Makes room for the policies `ids`, in this order, for those not counted yet: the parallel
   * `evaluate` learns per parcel which policies judged rows first there, and adds the counts
   * themselves at the end ({@link SummaryByPolicy.absorb}).
   */
  notePolicies(ids: readonly string[], policyOf: (id: string) => Policy | undefined): void {
    for (const id of ids) {
      const policy = id === this.#fallback.id ? this.#fallback : policyOf(id);
      if (policy !== undefined) this.#builderOf(policy);
    }
  }

  /** The builder of `policy`, made (after the others, for the result's order) when it has none. */
  #builderOf(policy: Policy): SummaryBuilder {
    let builder = this.#builders.get(policy);
    if (builder === undefined) this.#builders.set(policy, (builder = new SummaryBuilder(policy)));
    return builder;
  }

  /** Rows counted so far, and how many failed. */
  get counts(): { rows: number; failed: number } {
    return { rows: this.#rows, failed: this.#failed };
  }

  /** Per policy (the fallback first only when it has rows), or the fallback's summary with the totals. */
  result(perPolicy: boolean): ExportSummary {
    if (!perPolicy) return { ...this.#builders.get(this.#fallback)!.result(), rows: this.#rows, failed: this.#failed };
    const policies: PolicySummaryResult[] = [];
    for (const [policy, builder] of this.#builders) {
      const r = builder.result();
      if (r.rows > 0) policies.push({ policy: policy.id, name: policy.name, ...r });
    }
    return { rows: this.#rows, failed: this.#failed, policies };
  }
}
