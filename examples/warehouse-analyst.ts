/**
 * The analyst's view in SQL: examples/data/tickets.csv loaded into DuckDB as a tickets table, a
 * pauses table and a priority-changes table, then the response metric of softone-se — elapsed
 * business time, remaining, met or breached, per ticket and per priority — computed by SQL over the
 * tables of `sla-clock export`, with the same numbers as `sla-clock evaluate` (test/warehouse
 * .analyst.test.ts compares them row by row).
 *
 * Run: `npm run example:warehouse` (needs the optional package @duckdb/node-api).
 *
 * What the SQL covers: the response metric with business-hour targets, pauses (paused time does not
 * count) and priority changes (the new target applies to the time already counted; a breach stands
 * only while the new target is used up too). What it does not: the resolution metric (calendar and
 * end-of-day/week targets, reopen), deadlines and breach instants, and rows the CLI rejects as bad
 * data (they are left out).
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { Duration } from "luxon";
import { createTablesSql, epochMsSql, getCalendar, getPolicy, insertSql } from "sla-clock";

/** The SQL of the response metric, over `tickets_raw` (the CSV as text) and the export's `sla_day`. */
export function responseMetricSql(nowMs: number, targets: Readonly<Record<string, number>>): string {
  const targetRows = Object.entries(targets)
    .map(([p, ms]) => `('${p}', ${ms})`)
    .join(", ");
  // A text column read as an instant, in epoch ms floored as the library reads it (NULL if unreadable).
  const ms = (text: string) => epochMsSql("duckdb", `TRY_CAST(${text} AS TIMESTAMPTZ)`);
  // F(x): open time from the export's start to x (docs/warehouse.md), for every instant in `pts`.
  return `
WITH targets(priority, target_ms) AS (VALUES ${targetRows}),
t AS (
  SELECT id, priority AS first_priority, ${ms("created_at")} AS created,
    LEAST(
      CASE WHEN ${ms("responded_at")} <= ${nowMs} THEN ${ms("responded_at")} END,
      CASE WHEN ${ms("resolved_at")} <= ${nowMs} THEN ${ms("resolved_at")} END
    ) AS stop
  FROM tickets_raw WHERE TRY_CAST(created_at AS TIMESTAMPTZ) IS NOT NULL
),
t2 AS (SELECT *, COALESCE(stop, ${nowMs}) AS end_ms FROM t),
pause_raw AS (
  SELECT id, unnest(string_split(pauses, ';')) AS pair FROM tickets_raw WHERE pauses IS NOT NULL AND pauses <> ''
),
pauses AS (
  SELECT p.id, ${ms("split_part(pair, '/', 1)")} AS ps,
    LEAST(COALESCE(${ms("NULLIF(split_part(pair, '/', 2), '')")}, ${nowMs}), t2.end_ms) AS pe
  FROM pause_raw p JOIN t2 ON t2.id = p.id
  WHERE ${ms("split_part(pair, '/', 1)")} < t2.end_ms
),
change_raw AS (
  SELECT id, unnest(string_split(priority_changes, ';')) AS pair FROM tickets_raw
  WHERE priority_changes IS NOT NULL AND priority_changes <> ''
),
changes AS (
  SELECT c.id, ${ms("split_part(pair, '=', 1)")} AS at_ms, split_part(pair, '=', 2) AS priority
  FROM change_raw c JOIN t2 ON t2.id = c.id
  WHERE ${ms("split_part(pair, '=', 1)")} < t2.end_ms
    OR (t2.stop IS NULL AND ${ms("split_part(pair, '=', 1)")} <= ${nowMs})
),
-- The priority in force at now (also after the response stopped), as the CLI reports it.
latest_change AS (
  SELECT c.id, split_part(pair, '=', 2) AS priority,
    ROW_NUMBER() OVER (PARTITION BY c.id ORDER BY ${ms("split_part(pair, '=', 1)")} DESC) AS rn
  FROM change_raw c WHERE ${ms("split_part(pair, '=', 1)")} <= ${nowMs}
),
final_priority AS (
  SELECT t2.id, COALESCE(lc.priority, t2.first_priority) AS priority
  FROM t2 LEFT JOIN latest_change lc ON lc.id = t2.id AND lc.rn = 1
),
-- Windows of one target: from creation or a priority change to the next change or the stop.
bounds AS (
  SELECT id, created AS w_start, first_priority AS priority, 0 AS is_change FROM t2
  UNION ALL SELECT id, at_ms, priority, 1 FROM changes
),
windows AS (
  SELECT b.id, b.w_start, b.is_change, b.priority, g.target_ms,
    COALESCE(LEAD(b.w_start) OVER (PARTITION BY b.id ORDER BY b.w_start, b.is_change), t2.end_ms) AS w_end,
    ROW_NUMBER() OVER (PARTITION BY b.id ORDER BY b.w_start, b.is_change) AS w
  FROM bounds b JOIN t2 ON t2.id = b.id JOIN targets g ON g.priority = b.priority
),
-- The last running instant of each window: its end, or the start of a pause still running there.
windows2 AS (
  SELECT w.id, w.w_start, w.is_change, w.priority, w.target_ms, w.w_end, w.w,
    CASE WHEN MAX(p.ps) IS NULL THEN w.w_end WHEN MAX(p.ps) > w.w_start THEN MAX(p.ps) ELSE w.w_start END AS r_end
  FROM windows w LEFT JOIN pauses p ON p.id = w.id AND p.ps < w.w_end AND w.w_end <= p.pe
  GROUP BY w.id, w.w_start, w.is_change, w.priority, w.target_ms, w.w_end, w.w
),
-- Instants whose elapsed time is needed.
probes AS (
  SELECT id, w, 'start' AS kind, w_start AS x FROM windows2
  UNION ALL SELECT id, w, 'last', r_end - 1 FROM windows2 WHERE r_end > w_start
  UNION ALL SELECT id, 0, 'end', end_ms FROM t2
),
pts AS (
  SELECT id, created AS x FROM t2
  UNION SELECT id, x FROM probes
  UNION SELECT id, ps FROM pauses
  UNION SELECT id, pe FROM pauses
),
f AS (
  SELECT q.id, q.x, CASE WHEN q.x >= MIN(d.valid_from_ms) AND q.x < MIN(d.valid_to_ms) THEN
    MAX(CASE WHEN q.x >= d.start_ms THEN d.cum_ms + (CASE WHEN q.x < d.end_ms THEN q.x ELSE d.end_ms END) - d.start_ms END) END AS f
  FROM pts q JOIN sla_day d ON d.day = CAST(FLOOR(q.x / 86400000.0) AS BIGINT)
  GROUP BY q.id, q.x
),
pause_f AS (
  SELECT p.id, p.ps, p.pe, fs.f AS f_ps, fe.f AS f_pe
  FROM pauses p JOIN f fs ON fs.id = p.id AND fs.x = p.ps JOIN f fe ON fe.id = p.id AND fe.x = p.pe
),
-- Elapsed business time at each probe: open time since creation minus the paused open time before it.
elapsed AS (
  SELECT pr.id, pr.w, pr.kind, pr.x,
    fx.f - fc.f - COALESCE(SUM(CASE WHEN pf.pe <= pr.x THEN pf.f_pe - pf.f_ps WHEN pf.ps < pr.x THEN fx.f - pf.f_ps ELSE 0 END), 0) AS e
  FROM probes pr
  JOIN t2 ON t2.id = pr.id
  JOIN f fx ON fx.id = pr.id AND fx.x = pr.x
  JOIN f fc ON fc.id = pr.id AND fc.x = t2.created
  LEFT JOIN pause_f pf ON pf.id = pr.id
  GROUP BY pr.id, pr.w, pr.kind, pr.x, fx.f, fc.f
),
judged AS (
  SELECT w.id, w.w, w.is_change, w.target_ms,
    CASE WHEN el.e >= w.target_ms THEN 1 ELSE 0 END AS breach,
    CASE WHEN w.is_change = 1 AND es.e < w.target_ms THEN 1 ELSE 0 END AS clears
  FROM windows2 w
  JOIN elapsed es ON es.id = w.id AND es.w = w.w AND es.kind = 'start'
  LEFT JOIN elapsed el ON el.id = w.id AND el.w = w.w AND el.kind = 'last'
),
paused_at_now AS (
  SELECT t2.id, MAX(CASE WHEN p.pe = ${nowMs} THEN 1 ELSE 0 END) = 1 AS paused_now
  FROM t2 LEFT JOIN pauses p ON p.id = t2.id GROUP BY t2.id
),
per_ticket AS (
  SELECT j.id,
    MAX(CASE WHEN j.breach = 1 THEN j.w END) AS last_breach,
    MAX(CASE WHEN j.clears = 1 THEN j.w END) AS last_clear,
    MAX(j.w) AS last_w
  FROM judged j GROUP BY j.id
),
result AS (
  SELECT t2.id, fp.priority, t2.stop, e.e AS elapsed_ms, lw.target_ms,
    pn.paused_now,
    (pt.last_breach IS NOT NULL AND pt.last_breach >= COALESCE(pt.last_clear, 0)) AS breached_window
  FROM t2
  JOIN per_ticket pt ON pt.id = t2.id
  JOIN windows2 lw ON lw.id = t2.id AND lw.w = pt.last_w
  JOIN elapsed e ON e.id = t2.id AND e.kind = 'end'
  JOIN paused_at_now pn ON pn.id = t2.id
  JOIN final_priority fp ON fp.id = t2.id
)
SELECT id, priority, elapsed_ms, target_ms - elapsed_ms AS remaining_ms,
  CASE
    WHEN breached_window OR (stop IS NULL AND NOT paused_now AND elapsed_ms >= target_ms) THEN 'breached'
    WHEN stop IS NOT NULL THEN 'met'
    WHEN paused_now THEN 'paused'
    ELSE 'running'
  END AS status
FROM result
ORDER BY id`;
}

/** Per priority (the one in force at `now`, as the CLI's `priority` column): tickets, met, breached, and still running or paused. */
export function perPrioritySql(metricSql: string): string {
  return `SELECT priority, COUNT(*) AS tickets,
  SUM(CASE WHEN status = 'met' THEN 1 ELSE 0 END) AS met,
  SUM(CASE WHEN status = 'breached' THEN 1 ELSE 0 END) AS breached,
  SUM(CASE WHEN status IN ('running', 'paused') THEN 1 ELSE 0 END) AS open
FROM (${metricSql}) m GROUP BY priority ORDER BY priority`;
}

/** Loads the CSV and the export into a DuckDB connection and returns the per-ticket and per-priority rows. */
export async function analyse(
  csvPath: string,
  now: string,
): Promise<{ tickets: Record<string, unknown>[]; priorities: Record<string, unknown>[] }> {
  const policy = getPolicy("softone-se");
  const targets: Record<string, number> = {};
  for (const p of policy.priorities) {
    const target = p.targets.response;
    if (target.kind !== "business")
      throw new Error(`priority ${p.id}: the example covers business-hour response targets only`);
    const d = target.duration;
    targets[String(p.id)] = (typeof d === "string" ? Duration.fromISO(d) : Duration.fromDurationLike(d)).toMillis();
  }
  const ex = getCalendar("softone-se").exportIndex("2025-01-01T00:00Z", "2028-01-01T00:00Z");
  const instance = await DuckDBInstance.create(":memory:");
  const db = await instance.connect();
  try {
    await db.run(createTablesSql("duckdb"));
    await db.run(insertSql(ex));
    await db.run(
      `CREATE TABLE tickets_raw AS SELECT * FROM read_csv('${csvPath.replaceAll("'", "''")}', all_varchar = true)`,
    );
    const metric = responseMetricSql(Date.parse(now), targets);
    return {
      tickets: (await db.runAndReadAll(metric)).getRowObjectsJson() as Record<string, unknown>[],
      priorities: (await db.runAndReadAll(perPrioritySql(metric))).getRowObjectsJson() as Record<string, unknown>[],
    };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/** `npm run example:warehouse`: the per-priority table for examples/data/tickets.csv. */
async function main(): Promise<void> {
  const now = "2026-12-21T12:00:00+01:00";
  const { tickets, priorities } = await analyse(new URL("./data/tickets.csv", import.meta.url).pathname, now);
  console.log(
    `response metric of softone-se as of ${now}, in DuckDB over the exported tables: ${tickets.length} tickets`,
  );
  console.table(priorities);
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();
