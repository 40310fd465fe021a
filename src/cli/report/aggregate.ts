import { DateTime } from "luxon";
import type { ExplainedTicketEvaluation } from "../../clock/explain-ticket";
import type { Policy } from "../../clock/policy";
import { SlaClockError } from "../../errors";
import { timelineRows } from "../commands/explain";
import type { RowOutcome } from "../run";
import { SummaryBuilder, type SummaryResult } from "../summary";

/**
 * Rows of the breached-tickets table kept in the report; the rest are counted.
 *
 * @example
 * ```ts
 * const shown = Math.min(breaches, BREACH_TABLE_LIMIT); // 500 at most
 * ```
 */
export const BREACH_TABLE_LIMIT = 500;
/**
 * Buckets of the response-time distribution, in percent of the target (the last is open-ended).
 *
 * @example
 * ```ts
 * FRACTION_BUCKETS; // [0, 25, 50, 75, 100, 125, 150, 200]: "0–25 %", …, "≥ 200 %"
 * ```
 */
export const FRACTION_BUCKETS = [0, 25, 50, 75, 100, 125, 150, 200] as const;

/**
 * A breached metric of one ticket, for the report's table.
 *
 * @example
 * ```ts
 * const b: BreachRow = { id: "T-9", priority: "1", metric: "response", deadline: 1775120400000, breachedAt: 1775120400000, overdueHours: 3 };
 * ```
 */
export interface BreachRow {
  readonly id: string;
  readonly priority: string;
  readonly metric: "response" | "resolution";
  readonly deadline: number;
  readonly breachedAt: number;
  readonly overdueHours: number;
  /**
   * The metric's timeline as rows of words (`timelineRows` of `sla-clock explain`), or why the
   * ticket could not be explained (`explainError`); both absent when the row had no ticket.
   */
  readonly timeline?: readonly (readonly string[])[];
  readonly explainError?: string;
}

/**
 * What the HTML report shows, gathered in one pass over the export in bounded memory (weeks are
 * bounded by the export's span; the breach table by {@link BREACH_TABLE_LIMIT}).
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
  /** ISO week (`2026-W14`) → tickets with a breach (response or resolution) in that week. */
  readonly breachesPerWeek: readonly (readonly [string, number])[];
  /** Per priority: responded tickets per bucket of {@link FRACTION_BUCKETS}. */
  readonly responseDistribution: readonly {
    readonly priority: string;
    readonly label: string;
    readonly counts: readonly number[];
  }[];
  readonly breaches: readonly BreachRow[];
  readonly breachesLeftOut: number;
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
  readonly #weeks = new Map<string, number>();
  readonly #distribution = new Map<string, number[]>();
  readonly #breaches: BreachRow[] = [];
  #left = 0;

  constructor(policy: Policy, zone: string) {
    this.#policy = policy;
    this.#zone = zone;
    this.#summary = new SummaryBuilder(policy);
  }

  /** Adds one evaluated row. */
  add(row: RowOutcome): void {
    const e = row.evaluation;
    if (e === undefined) {
      this.#summary.addFailure();
      return;
    }
    this.#summary.add(e);
    const firstBreach = [e.response.breachedAt, e.resolution.breachedAt]
      .filter((d): d is Date => d !== null)
      .sort((a, b) => a.getTime() - b.getTime())[0];
    if (firstBreach !== undefined) {
      const week = DateTime.fromMillis(firstBreach.getTime(), { zone: this.#zone }).toFormat("kkkk-'W'WW");
      this.#weeks.set(week, (this.#weeks.get(week) ?? 0) + 1);
    }
    if (e.response.stoppedBy === "respond" && e.response.fractionUsed !== null) {
      const key = String(e.priority);
      let counts = this.#distribution.get(key);
      if (counts === undefined) {
        counts = new Array<number>(FRACTION_BUCKETS.length).fill(0);
        this.#distribution.set(key, counts);
      }
      const pct = e.response.fractionUsed * 100;
      let bucket = FRACTION_BUCKETS.length - 1;
      while (bucket > 0 && pct < FRACTION_BUCKETS[bucket]!) bucket--;
      counts[bucket]!++;
    }
    // Explained once per ticket, and only for the rows the table keeps (at most BREACH_TABLE_LIMIT).
    let explained: ExplainedTicketEvaluation | string | undefined;
    for (const m of [e.response, e.resolution]) {
      if (m.status !== "breached" || m.breachedAt === null) continue;
      if (this.#breaches.length >= BREACH_TABLE_LIMIT) {
        this.#left++;
        continue;
      }
      if (explained === undefined && row.ticket !== undefined) explained = this.#explain(row.ticket, e.now);
      const x = typeof explained === "object" ? explained.explanation : undefined;
      this.#breaches.push({
        id: row.id,
        priority: String(e.priority),
        metric: m.metric,
        deadline: m.deadline?.getTime() ?? m.breachedAt.getTime(),
        breachedAt: m.breachedAt.getTime(),
        overdueHours: Math.round((-(m.remaining ?? 0) / 3_600_000) * 100) / 100,
        ...(x === undefined ? {} : { timeline: timelineRows(x[m.metric], x.days, x.createdAtLocal) }),
        ...(typeof explained === "string" ? { explainError: explained } : {}),
      });
    }
  }

  /**
   * The explanation of a ticket already evaluated, or the message of why there is none (a trace
   * too long to explain): the breach row is shown either way.
   */
  #explain(ticket: NonNullable<RowOutcome["ticket"]>, now: Date): ExplainedTicketEvaluation | string {
    try {
      return this.#policy.evaluate(ticket, now, { explain: true });
    } catch (e) {
      if (e instanceof SlaClockError) return e.message;
      throw e;
    }
  }

  /** The report's data. */
  result(now: number): ReportData {
    const summary = this.#summary.result();
    return {
      policyId: this.#policy.id,
      policyName: this.#policy.name,
      zone: this.#zone,
      now,
      summary,
      breachesPerWeek: [...this.#weeks.entries()].sort((a, b) => a[0].localeCompare(b[0])),
      responseDistribution: this.#policy.priorities
        .filter((p) => this.#distribution.has(String(p.id)))
        .map((p) => ({
          priority: String(p.id),
          label: p.labelEn ?? p.label,
          counts: this.#distribution.get(String(p.id))!,
        })),
      breaches: this.#breaches,
      breachesLeftOut: this.#left,
    };
  }
}
