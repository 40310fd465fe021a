/**
 * SQL for the deadline of a policy target of any kind over the tables of `calendar.exportIndex`:
 * business durations through the business-hour axis (as `add_business_ms`), end of business day
 * and week through `sla_close`, calendar durations and windows through the zone's tables
 * (`sla_offset`, `sla_wall`, `sla_month`). Like the rest of src/warehouse/ it uses equi-joins with
 * range filters on the joined rows, GROUP BY with MIN/MAX, CASE and integer arithmetic only.
 * docs/warehouse.md explains each lookup; test/warehouse.targets.test.ts runs it on DuckDB and
 * PGlite against `policy.deadline`.
 */
import { SlaClockError } from "../errors";
import { METRICS, type Metric } from "../policy/metrics";
import { priorityKey } from "../policy/spec";
import { compiledTargetsOf, type PriorityInfo } from "../policy/rules";
import type { CompiledTarget, Target } from "../policy/target";
import { DAY_MS } from "../time/civil";
import { addCtes, checkDialect, checkText, dayKey, literal, TEXT_TYPE, type SqlDialect } from "./sql";

/**
 * One row of `sla_policy_target`: what a priority's target for a metric is, in the numbers the
 * deadline SQL reads. `priority` is the id as the library matches a ticket's priority (a string
 * trimmed, a number as text); `kind` is the target's kind; `d_ms` is the business duration (`business`) or
 * the elapsed part of a calendar duration (`calendar`, and a `window`'s latest end); `months` and
 * `days` are the wall-clock part. Other kinds have zeros.
 *
 * @example
 * ```ts
 * const row: PolicyTargetRow = { priority: "1", metric: "response", kind: "business", d_ms: 3_600_000, months: 0, days: 0 };
 * ```
 */
export interface PolicyTargetRow {
  readonly priority: string;
  readonly metric: Metric;
  readonly kind: Target["kind"];
  readonly d_ms: number;
  readonly months: number;
  readonly days: number;
}

/** The columns of `sla_policy_target`, in order, with whether each is text. */
const TARGET_COLUMNS: readonly (readonly [keyof PolicyTargetRow, "text" | "bigint"])[] = [
  ["priority", "text"],
  ["metric", "text"],
  ["kind", "text"],
  ["d_ms", "bigint"],
  ["months", "bigint"],
  ["days", "bigint"],
];

/**
 * The priority rows of a policy with their compiled targets, or INVALID_ARGUMENT: each row must be
 * one a policy validated (`compiledTargetsOf` knows only those), so a look-alike object can neither
 * throw a raw error nor put a target no policy accepts (`kind: "bogus"`) into the table.
 */
function priorityRowsOf(
  policy: unknown,
): readonly { readonly info: PriorityInfo; readonly compiled: Readonly<Record<Metric, CompiledTarget>> }[] {
  const priorities =
    typeof policy === "object" && policy !== null ? (policy as { priorities?: unknown }).priorities : undefined;
  const rows = Array.isArray(priorities)
    ? priorities.map((info: unknown) => ({
        info: info as PriorityInfo,
        compiled: typeof info === "object" && info !== null ? compiledTargetsOf(info as PriorityInfo) : undefined,
      }))
    : [];
  if (rows.length === 0 || rows.some((row) => row.compiled === undefined))
    throw new SlaClockError("INVALID_ARGUMENT", "policy: expected a Policy from definePolicy or getPolicy", {
      value: typeof policy,
      path: "policy",
    });
  return rows as { info: PriorityInfo; compiled: Readonly<Record<Metric, CompiledTarget>> }[];
}

/**
 * The rows of `sla_policy_target` for a policy: one per priority and metric (`none` included, so
 * that every ticket finds its row). A window gives its latest end, the deadline. Anything but a
 * `Policy` from `definePolicy` or `getPolicy` is `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * policyTargetRows(getPolicy("softone-se")).find((r) => r.priority === "4" && r.metric === "resolution");
 * // { priority: "4", metric: "resolution", kind: "window", d_ms: 0, months: 6, days: 0 }
 * ```
 */
export function policyTargetRows(policy: {
  // Structural: src/warehouse/ sits below the Policy class (test/layers.test.ts); the rows are checked.
  readonly priorities: readonly PriorityInfo[];
}): readonly PolicyTargetRow[] {
  return priorityRowsOf(policy).flatMap(({ info, compiled: targets }) =>
    METRICS.map((metric): PolicyTargetRow => {
      const compiled = targets[metric];
      // The key the library finds a ticket's priority by (a string id trimmed), so that a ticket
      // table's "P1" joins the row of a priority given as " P1 ".
      const base = { priority: priorityKey(info.id), metric, kind: compiled.kind };
      switch (compiled.kind) {
        case "business":
          return { ...base, d_ms: compiled.ms, months: 0, days: 0 };
        case "calendar":
          return {
            ...base,
            d_ms: compiled.duration.ms,
            months: compiled.duration.months,
            days: compiled.duration.days,
          };
        case "window":
          return { ...base, d_ms: compiled.latest.ms, months: compiled.latest.months, days: compiled.latest.days };
        default:
          return { ...base, d_ms: 0, months: 0, days: 0 };
      }
    }),
  );
}

/**
 * `sla_policy_target` as (columns, rows of cells), for the CSV and Parquet writers.
 *
 * @example
 * ```ts
 * policyTargetTable(getPolicy("softone-se")).columns; // ["priority", "metric", "kind", "d_ms", "months", "days"]
 * ```
 */
export function policyTargetTable(policy: Parameters<typeof policyTargetRows>[0]): {
  readonly name: string;
  readonly columns: readonly string[];
  readonly rows: (string | number)[][];
} {
  return {
    name: "sla_policy_target",
    columns: TARGET_COLUMNS.map(([c]) => c),
    rows: policyTargetRows(policy).map((r) => TARGET_COLUMNS.map(([c]) => r[c])),
  };
}

/**
 * `CREATE TABLE sla_policy_target` and its `INSERT`: the targets of a policy, for
 * {@link targetDeadlineSql}.
 *
 * @example
 * ```ts
 * policyTargetsSql("postgres", getPolicy("softone-se")); // "CREATE TABLE sla_policy_target (priority TEXT, …);\nINSERT …"
 * ```
 */
export function policyTargetsSql(dialect: SqlDialect, policy: Parameters<typeof policyTargetRows>[0]): string {
  const create = policyTargetCreateSql(dialect);
  const table = policyTargetTable(policy);
  const values = table.rows.map((row) => `(${row.map(literal).join(", ")})`).join(",\n");
  return `${create}\nINSERT INTO sla_policy_target (${table.columns.join(", ")}) VALUES\n${values};`;
}

/** `CREATE TABLE sla_policy_target` alone. @internal */
export function policyTargetCreateSql(dialect: SqlDialect): string {
  const text = TEXT_TYPE[checkDialect(dialect)];
  return `CREATE TABLE sla_policy_target (${TARGET_COLUMNS.map(([c, t]) => `${c} ${t === "text" ? text : "BIGINT"}`).join(", ")});`;
}

/**
 * The query giving the deadline of a target for every row of `input`, a table or parenthesised
 * subquery with the columns `k` (a unique key), `t_ms` (BIGINT epoch ms: when the clock starts),
 * `kind` (a target kind: `business`, `calendar`, `endOfBusinessDay`, `endOfBusinessWeek`,
 * `window`, `none`), `d_ms`, `months` and `days` (as in `sla_policy_target`, which a ticket table
 * joins to get them). It returns `k` and `deadline_ms`, like `policy.deadline`: NULL for `none`,
 * when an input is NULL, when `t_ms` is outside the exported range, and when the deadline would be
 * after the range's end (or is one the library cannot give).
 *
 * @example
 * ```ts
 * targetDeadlineSql("duckdb", "(SELECT t.id AS k, t.created_ms AS t_ms, g.kind, g.d_ms, g.months, g.days FROM tickets t JOIN sla_policy_target g ON g.priority = t.priority AND g.metric = 'resolution')");
 * ```
 */
export function targetDeadlineSql(dialect: SqlDialect, input: string): string {
  checkDialect(dialect);
  checkText(input, "input", "my_targets");
  const wallOf = (day: string, timeOfDay: string) => `${day} * ${DAY_MS} + ${timeOfDay}`;
  const newWall = wallOf("d.new_day", "d.time_of_day_ms");
  // Business: the add_business_ms lookups, on the business rows only.
  // End of day / week: the smallest close after t (of a week's last business day for a week).
  // Calendar: t's wall time (sla_offset), its date's month and day (sla_wall), the new date with
  // the day clamped to the month's end (sla_month), and that date's wall time back to an instant
  // (sla_wall again), then the elapsed part. Months and days both 0: t itself, untouched by the
  // wall-clock round trip (an ambiguous wall time would move it to the earlier instant).
  return `WITH ${addCtes(input, "q.d_ms", "q.kind = 'business'")}, sla_close_at AS (
  SELECT q.k, CASE WHEN q.t_ms >= MIN(p.valid_from_ms) AND q.t_ms < MIN(p.valid_to_ms) THEN MIN(CASE WHEN p.close_ms > q.t_ms AND (q.kind = 'endOfBusinessDay' OR p.week_last = 1) THEN p.close_ms END) END AS deadline_ms
  FROM ${input} q JOIN sla_close p ON p.day = ${dayKey("q.t_ms")}
  WHERE q.kind IN ('endOfBusinessDay', 'endOfBusinessWeek')
  GROUP BY q.k, q.t_ms, q.kind
), sla_wall_at AS (
  SELECT q.k, q.t_ms, q.d_ms, q.months, q.days, q.t_ms + o.offset_ms AS wall_ms
  FROM ${input} q JOIN sla_offset o ON o.day = ${dayKey("q.t_ms")}
  WHERE q.kind IN ('calendar', 'window') AND o.start_ms <= q.t_ms AND q.t_ms < o.end_ms
), sla_new_day AS (
  SELECT c.k, c.t_ms, c.d_ms, c.months, c.days, c.wall_ms - w.local_day * ${DAY_MS} AS time_of_day_ms,
    m.first_day + (CASE WHEN w.day_of_month < m.days THEN w.day_of_month ELSE m.days END) - 1 + c.days AS new_day
  FROM sla_wall_at c JOIN sla_wall w ON w.local_day = ${dayKey("c.wall_ms")}
    JOIN sla_month m ON m.month_index = w.month_index + c.months
  WHERE w.wall_from_ms <= c.wall_ms AND c.wall_ms < w.wall_to_ms
), sla_calendar_at AS (
  SELECT d.k, (CASE WHEN d.months = 0 AND d.days = 0 THEN d.t_ms ELSE ${newWall} - w.offset_ms END) + d.d_ms AS at_ms,
    w.range_from_ms, w.range_to_ms
  FROM sla_new_day d JOIN sla_wall w ON w.local_day = d.new_day
  WHERE w.wall_from_ms <= ${newWall} AND ${newWall} < w.wall_to_ms
)
SELECT i.k, CASE
    WHEN i.kind = 'business' THEN CASE WHEN i.d_ms = 0 THEN s.t_ms ELSE b.at_ms END
    WHEN i.kind IN ('endOfBusinessDay', 'endOfBusinessWeek') THEN c.deadline_ms
    WHEN i.kind IN ('calendar', 'window') AND x.at_ms >= x.range_from_ms AND x.at_ms <= x.range_to_ms THEN x.at_ms
  END AS deadline_ms
FROM ${input} i
  LEFT JOIN sla_target s ON s.k = i.k LEFT JOIN sla_hit b ON b.k = i.k
  LEFT JOIN sla_close_at c ON c.k = i.k LEFT JOIN sla_calendar_at x ON x.k = i.k`;
}
