import { DateTime } from "luxon";
import type {
  CycleMetricEvaluation,
  MetricCycle,
  MetricEvaluation,
  MetricStatus,
  TicketEvaluation,
} from "../../clock/evaluate";
import { METRIC_STATUSES, type MetricColumns } from "../../clock/result";
import { explainTicketToBreach, type CutExplanation } from "../../clock/explain-ticket";
import { rulesOf, type Policy } from "../../clock/policy";
import { METRICS as ALL_METRICS, type Metric } from "../../policy/metrics";
import { SlaClockError } from "../../errors";
import { dayFromCivil, formatDay } from "../../time/civil";
import { timelineRows } from "../commands/explain";
import type { RowOutcome } from "../run";
import { SummaryBuilder, cycleMetricsOf, type SummaryResult } from "../summary";
import { roundedHours, type CycleMetric } from "../io/write-rows";
import { BreachTable, cycleExplanationHtml, explanationHtml } from "./breaches";

export type { BreachRow } from "./breaches";

/**
 * Breach rows that keep their explanation (the timeline): the first this many breached tickets in
 * input order. Every breach is listed whatever the count; only the timeline is left out beyond it,
 * so a million-row export does not hold a million traces.
 *
 * @example
 * ```ts
 * const explained = Math.min(breaches, EXPLAINED_BREACH_LIMIT); // 2000 at most
 * ```
 */
export const EXPLAINED_BREACH_LIMIT = 2000;
/**
 * Failed rows listed in the report (line, id, error); the rest are counted.
 *
 * @example
 * ```ts
 * const listed = Math.min(failed, FAILED_ROW_LIMIT); // 1000 at most
 * ```
 */
export const FAILED_ROW_LIMIT = 1000;
/**
 * Open tickets listed in the queue (the soonest deadlines); the rest are counted.
 *
 * @example
 * ```ts
 * const listed = Math.min(open, OPEN_QUEUE_LIMIT); // 500 at most
 * ```
 */
export const OPEN_QUEUE_LIMIT = 500;
/**
 * Buckets of the time-used distribution, in percent of the target (the last is open-ended).
 *
 * @example
 * ```ts
 * FRACTION_BUCKETS; // [0, 25, 50, 75, 100, 125, 150, 200]: "0–25 %", …, "≥ 200 %"
 * ```
 */
export const FRACTION_BUCKETS = [0, 25, 50, 75, 100, 125, 150, 200] as const;

/**
 * A ticket with a metric still counting (running or paused), for the open queue.
 *
 * @example
 * ```ts
 * const q: OpenRow = { id: "T-4", priority: "2", metric: "resolution", status: "running", atRisk: true, deadline: 1775120400000, remainingHours: 1.5 };
 * ```
 */
export interface OpenRow {
  readonly id: string;
  readonly priority: string;
  /** Any metric the policy measures: a next-reply or periodic-update row is the ticket's open cycle. */
  readonly metric: Metric;
  readonly status: "running" | "paused";
  readonly atRisk: boolean;
  /** `null` while paused with no deadline known. */
  readonly deadline: number | null;
  readonly remainingHours: number | null;
}

/**
 * Tickets and outcomes of one period (week, month or year of creation) for one metric.
 *
 * @example
 * ```ts
 * const t: TrendPoint = { period: "2026-W14", metric: "response", tickets: 40, met: 36, breached: 4, metPct: 90 };
 * ```
 */
export interface TrendPoint {
  readonly period: string;
  readonly metric: "response" | "resolution";
  readonly tickets: number;
  readonly met: number;
  readonly breached: number;
  readonly metPct: number | null;
}

/**
 * Cycles of one cycle metric decided in one period (week, month or year of the cycle's stop when
 * it met, of its breach when it breached): a ticket with three next-reply cycles counts three times.
 * A cycle still running within its target is not counted yet.
 *
 * @example
 * ```ts
 * const t: CycleTrendPoint = { period: "2026-W16", metric: "nextReply", cycles: 12, met: 9, breached: 3, metPct: 75 };
 * ```
 */
export interface CycleTrendPoint {
  readonly period: string;
  readonly metric: CycleMetric;
  /** Met and breached cycles of the period. */
  readonly cycles: number;
  readonly met: number;
  readonly breached: number;
  readonly metPct: number | null;
}

/**
 * One metric of one policy for the comparison section: decided and open counts over every
 * evaluated ticket, and the median share of the target used by the tickets that stopped.
 *
 * @example
 * ```ts
 * const m: MetricComparison = { metric: "response", tickets: 120, met: 100, breached: 12, running: 6, paused: 2, atRisk: 3, metPct: 89.29, medianSharePct: 41.2, medianShareAbove: false };
 * ```
 */
export interface MetricComparison {
  readonly metric: "response" | "resolution";
  readonly tickets: number;
  readonly met: number;
  readonly breached: number;
  readonly running: number;
  readonly paused: number;
  /** Running or paused metrics flagged at risk. */
  readonly atRisk: number;
  readonly metPct: number | null;
  /**
   * The lower median of the share of the target used (percent, floored to a tenth of a percent) by
   * the metrics that met or breached; `null` without any.
   */
  readonly medianSharePct: number | null;
  /** The median lies at or above {@link SHARE_HISTOGRAM_MAX_PCT} (shown as "≥ 1000 %"). */
  readonly medianShareAbove: boolean;
}

/**
 * The top of the share-of-target histogram behind {@link MetricComparison.medianSharePct}: shares
 * are counted in tenths of a percent up to here, above it in one bucket (bounded memory).
 *
 * @example
 * ```ts
 * SHARE_HISTOGRAM_MAX_PCT; // 1000
 * ```
 */
export const SHARE_HISTOGRAM_MAX_PCT = 1000;

/**
 * What the HTML report shows, gathered in one pass over the export in bounded memory (days by
 * the export's span; failed rows, open queue and explanations by their limits; breach rows are one
 * small record per breach).
 *
 * @example
 * ```ts
 * const data: ReportData = new ReportBuilder(getPolicy("softone-se"), "Europe/Stockholm").result(Date.now());
 * ```
 */
export interface ReportData {
  readonly policyId: string;
  readonly policyName: string;
  readonly zone: string;
  readonly now: number;
  readonly summary: SummaryResult;
  /** Earliest and latest creation instant of the evaluated tickets; `null` without any. */
  readonly period: { readonly from: number; readonly to: number } | null;
  readonly failedRows: readonly { readonly line: number; readonly id: string; readonly error: string }[];
  /**
   * The period of both trends: `week` (ISO `2026-W14`), for a span over 26 weeks `month`
   * (`2026-04`), for one over ten years `year` (`2026`). The span runs from the first creation to
   * the last creation or decided cycle, whichever is later (see {@link trendUnitOf}).
   */
  readonly trendUnit: TrendUnit;
  readonly trend: readonly TrendPoint[];
  /** Per priority and metric: stopped tickets (met or breached) per bucket of {@link FRACTION_BUCKETS}. */
  readonly distribution: readonly {
    readonly priority: string;
    readonly label: string;
    readonly metric: "response" | "resolution";
    readonly counts: readonly number[];
  }[];
  /**
   * The cycle metrics the policy has a target for, per period in the unit of {@link trendUnit}
   * (every period from the first to the last decided cycle), next reply before periodic update;
   * empty without such a target or a cycle that met or breached.
   */
  readonly cycleTrend: readonly CycleTrendPoint[];
  /**
   * Per priority (the ticket's, as in the breach list) and cycle metric: cycles that met or
   * breached per bucket of {@link FRACTION_BUCKETS}, by the share of the cycle's own target it used.
   */
  readonly cycleDistribution: readonly {
    readonly priority: string;
    readonly label: string;
    readonly metric: CycleMetric;
    readonly counts: readonly number[];
  }[];
  /** Soonest deadline first (paused without a deadline last), at most {@link OPEN_QUEUE_LIMIT}. */
  readonly open: readonly OpenRow[];
  readonly openTotal: number;
  /** Running or paused metrics at risk, of every metric in the open queue (not only those listed). */
  readonly openAtRisk: number;
  /**
   * The metrics of the open queue and the breach list: response and resolution, and the cycle
   * metrics (next reply, periodic update) the policy has a target for, in {@link METRICS} order.
   */
  readonly queueMetrics: readonly Metric[];
  /**
   * Every breach, read back one at a time in the page's order: the largest business overrun first
   * (then calendar overrun, then id). Holds a temporary file: `ReportBuilder.dispose` removes it.
   */
  readonly breaches: BreachTable;
  /** Response and resolution, for the comparison of several policies. */
  readonly metrics: readonly MetricComparison[];
  /** Whether breached tickets past {@link EXPLAINED_BREACH_LIMIT} were left without a timeline. */
  readonly timelinesCut: boolean;
}

const METRICS = ["response", "resolution"] as const;

/**
 * The period the report's trends count in.
 *
 * @example
 * ```ts
 * const unit: TrendUnit = "month"; // periods keyed 2026-04
 * ```
 */
export type TrendUnit = "week" | "month" | "year";

const HOUR = 3_600_000;
/** Above this span the trends count per month: 26 weekly periods fit the chart. */
const MONTHS_ABOVE_MS = 26 * 7 * 24 * HOUR;
/**
 * Above this span (ten years, leap days averaged) the trends count per year: months of a stray
 * 1900 date (a spreadsheet's zero date) in a 2026 export were 1 500 periods, and 1900–2200, the
 * supported range, 3 612, a page of megabytes whose axis could not be read; years are at most 301.
 */
const YEARS_ABOVE_MS = 10 * 365.25 * 24 * HOUR;

/**
 * The unit of the report's trends for a span of instants (epoch ms): week up to 26 weeks, month up
 * to ten years, year beyond. One unit for the ticket trend and the cycle trend, chosen from both
 * spans together, so that their charts read side by side.
 *
 * @example
 * ```ts
 * trendUnitOf(Date.parse("2025-11-04"), Date.parse("2026-06-02")); // "month"
 * ```
 */
export function trendUnitOf(from: number, to: number): TrendUnit {
  const span = to - from;
  return span > YEARS_ABOVE_MS ? "year" : span > MONTHS_ABOVE_MS ? "month" : "week";
}

/**
 * What the report reads of a metric's evaluation; instants in epoch ms, NaN for none. The builder
 * holds one per metric and fills it in place for each row: two objects a row were a million-row
 * report's garbage.
 */
interface MetricView {
  readonly metric: Metric;
  status: MetricStatus;
  fractionUsed: number | null;
  remaining: number | null;
  deadline: number;
  breachedAt: number;
  stoppedAt: number;
  atRisk: boolean;
}

const emptyView = (metric: Metric): MetricView => ({
  metric,
  status: "met",
  fractionUsed: null,
  remaining: null,
  deadline: Number.NaN,
  breachedAt: Number.NaN,
  stoppedAt: Number.NaN,
  atRisk: false,
});

/** Fills `v` with row `i` of a batch's metric columns, as `metricAt` in src/clock/result.ts reads them (measure 0: none). */
function readColumns(v: MetricView, c: MetricColumns, i: number): void {
  const measured = c.measure[i] !== 0;
  const targetMs = c.targetMs[i]!;
  v.status = METRIC_STATUSES[c.status[i]!]!;
  v.fractionUsed = measured ? (targetMs > 0 ? c.elapsed[i]! / targetMs : 1) : null;
  v.remaining = measured ? c.remaining[i]! : null;
  v.deadline = c.deadline[i]!;
  v.breachedAt = c.breachedAt[i]!;
  v.stoppedAt = c.stoppedAt[i]!;
  v.atRisk = c.atRisk[i] === 1;
}

/** Fills `v` with a metric's evaluation object (a cycle metric's current cycle; idle reads as met: not open). */
function readObject(v: MetricView, m: MetricEvaluation<Metric> | CycleMetricEvaluation): void {
  v.status = m.status === "idle" ? "met" : m.status;
  v.fractionUsed = m.fractionUsed;
  v.remaining = m.remaining;
  v.deadline = m.deadline?.getTime() ?? Number.NaN;
  v.breachedAt = m.breachedAt?.getTime() ?? Number.NaN;
  v.stoppedAt = m.stoppedAt?.getTime() ?? Number.NaN;
  v.atRisk = m.atRisk;
}
/** Hours to the hundredth as evaluate writes them (roundedHours): 0.145 h was 0.14 here, 0.15 there. */
const hours = roundedHours;

function instantMs(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === "number") return v;
  if (typeof v === "string") return Date.parse(v);
  if (DateTime.isDateTime(v)) return v.toMillis();
  return Number.NaN;
}

/**
 * Collects {@link ReportData} row by row.
 *
 * @example
 * ```ts
 * const builder = new ReportBuilder(policy, policy.calendar.zone);
 * await evaluateRecords(policy, records, now, (row) => builder.add(row));
 * const data = builder.result(now);
 * ```
 */
export class ReportBuilder {
  readonly #policy: Policy;
  readonly #zone: string;
  readonly #summary: SummaryBuilder;
  /**
   * Local creation day (days since 1970-01-01 in the report's zone: formatting a date string per
   * row was a tenth of a 1 M-row report's time) → per metric [tickets, met, breached].
   */
  readonly #days = new Map<number, number[]>();
  /** The local day of an instant in the report's zone. */
  readonly #localDay: (t: number) => number;
  /**
   * Priority → per metric (response, resolution) the stopped metrics per bucket of
   * FRACTION_BUCKETS. Keyed by the priority alone: a key string built per row was a large share of
   * the per-row cost.
   */
  readonly #distribution = new Map<string, [number[] | undefined, number[] | undefined]>();
  readonly #breaches = new BreachTable();
  /** The row being added, metric by metric (filled in place: see MetricView). */
  readonly #views: readonly [MetricView, MetricView] = [emptyView("response"), emptyView("resolution")];
  readonly #failed: { line: number; id: string; error: string }[] = [];
  #open: OpenRow[] = [];
  #openTotal = 0;
  /**
   * The deadline of the last open metric kept at the latest trim (+∞ for one without a deadline):
   * a metric due strictly later cannot be among the soonest, and is only counted.
   */
  #openCutoff = Number.POSITIVE_INFINITY;
  #openTrimmed = false;
  #explained = 0;
  /** Whether a breached ticket came after the limit and got no timeline. */
  #timelinesCut = false;
  /** Per metric of ALL_METRICS: running or paused metrics at risk. */
  readonly #atRisk = ALL_METRICS.map(() => 0);
  /** The cycle metrics the policy has a target for: their open cycles and breached cycles are listed too. */
  readonly #cycleMetrics: readonly CycleMetric[];
  /** Local day of a cycle's stop (met) or breach → per cycle metric [met, breached]. */
  readonly #cycleDays = new Map<number, number[]>();
  /** The latest stop or breach counted in #cycleDays: it can fall long after the last creation. */
  #lastCycleDecided = Number.NEGATIVE_INFINITY;
  /** Priority → per cycle metric the met or breached cycles per bucket of FRACTION_BUCKETS. */
  readonly #cycleDistribution = new Map<string, (number[] | undefined)[]>();
  /** One view per cycle metric, filled in place as #views are. */
  readonly #cycleViews: readonly MetricView[];
  /** Per metric: stopped metrics per tenth of a percent of the target used (the last: above the top). */
  readonly #shares = [0, 1].map(() => new Uint32Array(SHARE_HISTOGRAM_MAX_PCT * 10 + 1));
  #from = Number.POSITIVE_INFINITY;
  #to = Number.NEGATIVE_INFINITY;

  constructor(policy: Policy, zone: string) {
    this.#policy = policy;
    this.#zone = zone;
    this.#summary = new SummaryBuilder(policy);
    this.#cycleMetrics = cycleMetricsOf(policy);
    this.#cycleViews = this.#cycleMetrics.map(emptyView);
    const engine = rulesOf(policy).engine;
    this.#localDay =
      zone === policy.calendar.zone
        ? (t) => engine.localDay(t)
        : (t) => {
            const d = DateTime.fromMillis(t, { zone });
            return dayFromCivil(d.year, d.month, d.day);
          };
  }

  /**
   * Adds one evaluated row. A row of `evaluateRecords` is read from its batch's columns: building
   * the evaluation object of each of a million rows was a large share of the report's time.
   */
  add(row: RowOutcome): void {
    const { batch, index } = row;
    const views = this.#views;
    let now: Date;
    if (batch !== undefined && index !== undefined) {
      readColumns(views[0], batch.response, index);
      readColumns(views[1], batch.resolution, index);
      now = batch.now;
    } else {
      const e = row.evaluation;
      if (e === undefined) {
        this.#summary.addFailure();
        if (this.#failed.length < FAILED_ROW_LIMIT)
          this.#failed.push({ line: row.line, id: row.id, error: row.error ?? "not evaluated" });
        return;
      }
      readObject(views[0], e.response);
      readObject(views[1], e.resolution);
      now = e.now;
    }
    this.#summary.addRow(row);
    const priority = row.priority;
    const created = instantMs(row.ticket?.createdAt);
    if (Number.isFinite(created)) {
      if (created < this.#from) this.#from = created;
      if (created > this.#to) this.#to = created;
      const day = this.#localDay(created);
      let c = this.#days.get(day);
      if (c === undefined) this.#days.set(day, (c = [0, 0, 0, 0, 0, 0]));
      for (let k = 0; k < 2; k++) {
        const status = views[k].status;
        c[k * 3]!++;
        if (status === "met") c[k * 3 + 1]!++;
        if (status === "breached") c[k * 3 + 2]!++;
      }
    }
    let explained: CutExplanation | string | undefined;
    for (const m of views) {
      if ((m.status === "met" || m.status === "breached") && m.fractionUsed !== null) {
        const k = m.metric === "response" ? 0 : 1;
        let perMetric = this.#distribution.get(priority);
        if (perMetric === undefined) this.#distribution.set(priority, (perMetric = [undefined, undefined]));
        const counts = (perMetric[k] ??= new Array<number>(FRACTION_BUCKETS.length).fill(0));
        const pct = m.fractionUsed * 100;
        this.#shares[m.metric === "response" ? 0 : 1]![
          Math.max(0, Math.min(SHARE_HISTOGRAM_MAX_PCT * 10, Math.floor(pct * 10 + 1e-9)))
        ]!++;
        counts[fractionBucket(pct)]!++;
      }
      if (m.status === "running" || m.status === "paused") this.#addOpen(row.id, priority, m);
      if (m.status !== "breached" || Number.isNaN(m.breachedAt)) continue;
      // Explained once per ticket, for the first EXPLAINED_BREACH_LIMIT breached tickets.
      if (explained === undefined && row.ticket !== undefined) {
        if (this.#explained < EXPLAINED_BREACH_LIMIT) {
          this.#explained++;
          explained = this.#explain(row.ticket, row.evaluation!);
        } else this.#timelinesCut = true;
      }
      const x = typeof explained === "object" ? explained : undefined;
      const why =
        typeof explained === "string"
          ? explanationHtml(explained)
          : x === undefined
            ? undefined
            : // The views of this loop are response and resolution (cycles: #addCycles).
              explanationHtml(timelineRows(x[m.metric as "response" | "resolution"], x.days, x.createdAtLocal));
      const deadline = Number.isNaN(m.deadline) ? m.breachedAt : m.deadline;
      const stop = Number.isNaN(m.stoppedAt) ? now.getTime() : m.stoppedAt;
      this.#breaches.add(
        row.id,
        priority,
        m.metric,
        deadline,
        m.breachedAt,
        hours(-(m.remaining ?? 0)),
        hours(Math.max(0, stop - deadline)),
        why,
      );
    }
    if (this.#cycleMetrics.length > 0 && row.evaluation !== undefined)
      this.#addCycles(row.id, priority, row.evaluation, now.getTime());
  }

  /**
   * The cycle metrics of a ticket: its open cycle joins the open queue, every cycle that met or
   * breached is counted in the cycle trend and distribution, and every breached cycle (not only
   * the last) is a breach row, explained by the cycle's own figures (`sla-clock explain` gives
   * timelines of response and resolution only).
   */
  #addCycles(id: string, priority: string, evaluation: TicketEvaluation, now: number): void {
    this.#cycleMetrics.forEach((metric, k) => {
      const m = evaluation[metric];
      const v = this.#cycleViews[k]!;
      readObject(v, m);
      if (v.status === "running" || v.status === "paused") this.#addOpen(id, priority, v);
      m.cycles.forEach((c, n) => {
        this.#countCycle(priority, k, c);
        if (c.status !== "breached" || c.breachedAt === null) return;
        const breachedAt = c.breachedAt.getTime();
        const deadline = c.deadline?.getTime() ?? breachedAt;
        const stop = c.stop?.getTime() ?? now;
        const over = c.targetMs === null ? 0 : c.elapsed - c.targetMs;
        const used = `${hours(c.elapsed).toFixed(2)} h used of a ${hours(c.targetMs ?? 0).toFixed(2)} h target`;
        const stopped = c.stop === null ? "still open at now" : `stopped ${this.#local(stop)} by ${c.stoppedBy ?? "—"}`;
        this.#breaches.add(
          id,
          priority,
          metric,
          deadline,
          breachedAt,
          hours(Math.max(0, over)),
          hours(Math.max(0, stop - deadline)),
          cycleExplanationHtml(
            `Cycle ${n + 1} of ${m.cycles.length}: started ${this.#local(c.start.getTime())}, ${stopped}; due ${this.#local(deadline)}; ${used}.`,
          ),
        );
      });
    });
  }

  /**
   * Counts a cycle that met or breached (a cycle without a target has neither) in the cycle trend,
   * by the local day of its stop or breach, and in the cycle distribution of the `k`th cycle metric.
   */
  #countCycle(priority: string, k: number, c: MetricCycle): void {
    const decidedAt = c.status === "met" ? c.stop : c.status === "breached" ? c.breachedAt : null;
    if (decidedAt === null || c.targetMs === null) return;
    const decided = decidedAt.getTime();
    if (decided > this.#lastCycleDecided) this.#lastCycleDecided = decided;
    const day = this.#localDay(decided);
    let perDay = this.#cycleDays.get(day);
    if (perDay === undefined)
      this.#cycleDays.set(day, (perDay = new Array<number>(2 * this.#cycleMetrics.length).fill(0)));
    perDay[2 * k + (c.status === "met" ? 0 : 1)]!++;
    let perMetric = this.#cycleDistribution.get(priority);
    if (perMetric === undefined) this.#cycleDistribution.set(priority, (perMetric = []));
    const counts = (perMetric[k] ??= new Array<number>(FRACTION_BUCKETS.length).fill(0));
    counts[fractionBucket(c.targetMs > 0 ? (c.elapsed / c.targetMs) * 100 : 100)]!++;
  }

  /** An instant as local time in the report's zone, minutes shown. */
  #local(ms: number): string {
    return DateTime.fromMillis(ms, { zone: this.#zone }).toFormat("ccc yyyy-MM-dd HH:mm");
  }

  /**
   * Keeps the OPEN_QUEUE_LIMIT soonest open metrics: trimmed when twice as many are held; after a
   * trim, one due later than every kept one is not held at all (most of a large export's open
   * metrics: sorting and building them was a measurable share of the report's time).
   */
  #addOpen(id: string, priority: string, m: MetricView): void {
    this.#openTotal++;
    if (m.atRisk) this.#atRisk[ALL_METRICS.indexOf(m.metric)]!++;
    // Ties with the cutoff are kept (the id decides between them at the next trim).
    if (this.#openTrimmed && (Number.isNaN(m.deadline) ? Number.POSITIVE_INFINITY : m.deadline) > this.#openCutoff)
      return;
    this.#open.push({
      id,
      priority,
      metric: m.metric,
      status: m.status === "paused" ? "paused" : "running",
      atRisk: m.atRisk,
      deadline: Number.isNaN(m.deadline) ? null : m.deadline,
      remainingHours: m.remaining === null ? null : hours(m.remaining),
    });
    if (this.#open.length >= 2 * OPEN_QUEUE_LIMIT) {
      this.#open = sortOpen(this.#open).slice(0, OPEN_QUEUE_LIMIT);
      this.#openCutoff = this.#open[OPEN_QUEUE_LIMIT - 1]!.deadline ?? Number.POSITIVE_INFINITY;
      this.#openTrimmed = true;
    }
  }

  /**
   * The explanation of a ticket already evaluated, each metric cut at its breach (how the deadline
   * was reached, then the time counted after it as one sum: tracing a ticket open for a year day by
   * day was most of the report's time), or the message of why there is none (a trace too long to
   * explain): the breach row is shown either way. `evaluation` is the row's own, as its batch
   * gives it (the ticket is not evaluated again).
   */
  #explain(ticket: NonNullable<RowOutcome["ticket"]>, evaluation: TicketEvaluation): CutExplanation | string {
    try {
      return explainTicketToBreach(rulesOf(this.#policy), ticket, evaluation);
    } catch (e) {
      if (e instanceof SlaClockError) return e.message;
      throw e;
    }
  }

  /** Removes the temporary file of the breach explanations (the report is written, or failed). */
  dispose(): void {
    this.#breaches.dispose();
  }

  /** The report's data. */
  result(now: number): ReportData {
    const summary = this.#summary.result();
    const period = Number.isFinite(this.#from) ? { from: this.#from, to: this.#to } : null;
    // A cycle is decided after its ticket's creation: the first creation starts both spans. Without
    // cycles (a two-metric policy) the span is the creations' alone, as before cycles were charted.
    const trendUnit = period === null ? "week" : trendUnitOf(period.from, Math.max(period.to, this.#lastCycleDecided));
    const buckets = sumByPeriod(this.#days, trendUnit);
    const trend: TrendPoint[] = [];
    // Every period of the range, those without tickets too: skipping them drew a gap as continuous.
    for (const key of periodKeysOf(this.#days.keys(), trendUnit)) {
      const c = buckets.get(key) ?? NO_TICKETS;
      METRICS.forEach((metric, k) => {
        const [tickets, met, breached] = [c[k * 3]!, c[k * 3 + 1]!, c[k * 3 + 2]!];
        trend.push({ period: key, metric, tickets, met, breached, metPct: metPctOf(met, breached) });
      });
    }
    const cycleBuckets = sumByPeriod(this.#cycleDays, trendUnit);
    const cycleTrend: CycleTrendPoint[] = [];
    for (const key of periodKeysOf(this.#cycleDays.keys(), trendUnit)) {
      const c = cycleBuckets.get(key);
      this.#cycleMetrics.forEach((metric, k) => {
        const [met, breached] = [c?.[2 * k] ?? 0, c?.[2 * k + 1] ?? 0];
        cycleTrend.push({
          period: key,
          metric,
          cycles: met + breached,
          met,
          breached,
          metPct: metPctOf(met, breached),
        });
      });
    }
    return {
      policyId: this.#policy.id,
      policyName: this.#policy.name,
      zone: this.#zone,
      now,
      summary,
      period,
      failedRows: this.#failed,
      trendUnit,
      trend,
      distribution: this.#policy.priorities.flatMap((p) => {
        const perMetric = this.#distribution.get(String(p.id));
        return METRICS.flatMap((metric, k) => {
          const counts = perMetric?.[k];
          return counts === undefined ? [] : [{ priority: String(p.id), label: p.labelEn ?? p.label, metric, counts }];
        });
      }),
      cycleTrend,
      cycleDistribution: this.#policy.priorities.flatMap((p) => {
        const perMetric = this.#cycleDistribution.get(String(p.id));
        return this.#cycleMetrics.flatMap((metric, k) => {
          const counts = perMetric?.[k];
          return counts === undefined ? [] : [{ priority: String(p.id), label: p.labelEn ?? p.label, metric, counts }];
        });
      }),
      open: sortOpen(this.#open).slice(0, OPEN_QUEUE_LIMIT),
      openTotal: this.#openTotal,
      openAtRisk: this.#atRisk.reduce((total, n) => total + n, 0),
      queueMetrics: [...METRICS, ...this.#cycleMetrics],
      breaches: this.#breaches,
      timelinesCut: this.#timelinesCut,
      metrics: METRICS.map((metric, k) => {
        const sum = (pick: (c: SummaryResult["priorities"][number]["response"]) => number) =>
          summary.priorities.reduce((total, p) => total + pick(p[metric]), 0);
        const met = sum((c) => c.met);
        const breached = sum((c) => c.breached);
        const median = lowerMedian(this.#shares[k]!);
        return {
          metric,
          tickets: summary.priorities.reduce((total, p) => total + p.count, 0),
          met,
          breached,
          running: sum((c) => c.running),
          paused: sum((c) => c.paused),
          atRisk: this.#atRisk[ALL_METRICS.indexOf(metric)]!,
          metPct: met + breached === 0 ? null : Math.round((met / (met + breached)) * 10_000) / 100,
          medianSharePct: median === null ? null : median / 10,
          medianShareAbove: median === SHARE_HISTOGRAM_MAX_PCT * 10,
        };
      }),
    };
  }
}

/** Per metric [tickets, met, breached] of a period in which no ticket was created. */
const NO_TICKETS: readonly number[] = [0, 0, 0, 0, 0, 0];

/** A local day (days since 1970-01-01) as a civil date; UTC only carries the date, no zone's rules apply. */
const civilDate = (day: number): DateTime => DateTime.fromISO(formatDay(day), { zone: "utc" });

/** The trend's key of the week (ISO `2026-W14`), month (`2026-04`) or year (`2026`) a civil date falls in. */
const periodKey = (date: DateTime, unit: TrendUnit): string =>
  unit === "year" ? date.toFormat("yyyy") : unit === "month" ? date.toFormat("yyyy-MM") : date.toFormat("kkkk-'W'WW");

/** The keys of every period from the one holding the first of these local days to the one holding the last, in order. */
function periodKeysOf(days: Iterable<number>, unit: TrendUnit): string[] {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const day of days) {
    first = Math.min(first, day);
    last = Math.max(last, day);
  }
  if (first > last) return [];
  const end = civilDate(last);
  const keys: string[] = [];
  const step = unit === "year" ? { years: 1 } : unit === "month" ? { months: 1 } : { weeks: 1 };
  for (let d = civilDate(first).startOf(unit); d <= end; d = d.plus(step)) keys.push(periodKey(d, unit));
  return keys;
}

/** Counters per local day summed per period, keyed as the trend keys its periods. */
function sumByPeriod(days: ReadonlyMap<number, readonly number[]>, unit: TrendUnit): Map<string, number[]> {
  const sums = new Map<string, number[]>();
  for (const [day, c] of days) {
    const key = periodKey(civilDate(day), unit);
    const sum = sums.get(key);
    if (sum === undefined) sums.set(key, [...c]);
    else c.forEach((v, i) => (sum[i]! += v));
  }
  return sums;
}

/** Met ÷ (met + breached) in percent to the hundredth; `null` with nothing decided. */
const metPctOf = (met: number, breached: number): number | null =>
  met + breached === 0 ? null : Math.round((met / (met + breached)) * 10_000) / 100;

/** The index in FRACTION_BUCKETS of the bucket a share of the target (in percent) falls in. */
function fractionBucket(pct: number): number {
  let bucket = FRACTION_BUCKETS.length - 1;
  while (bucket > 0 && pct < FRACTION_BUCKETS[bucket]!) bucket--;
  return bucket;
}

/** The lower median bucket of a histogram; `null` when it is empty. */
function lowerMedian(histogram: Uint32Array): number | null {
  let total = 0;
  for (const n of histogram) total += n;
  if (total === 0) return null;
  const rank = Math.ceil(total / 2);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]!;
    if (seen >= rank) return i;
  }
  return histogram.length - 1;
}

function sortOpen(rows: readonly OpenRow[]): OpenRow[] {
  return [...rows].sort(
    (a, b) =>
      (a.deadline ?? Number.POSITIVE_INFINITY) - (b.deadline ?? Number.POSITIVE_INFINITY) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
