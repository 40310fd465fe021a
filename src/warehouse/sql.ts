/**
 * SQL for a data warehouse over the tables of `calendar.exportIndex`: the DDL, the rows, and the
 * set-based queries `business_ms_between`, `add_business_ms`, `subtract_business_ms` and the
 * deadline of a policy target of any kind.
 *
 * The queries are portable by construction: equi-joins (plus range filters on the joined rows),
 * GROUP BY with MIN/MAX, CASE, FLOOR, CAST, UNION ALL and arithmetic on BIGINT epoch milliseconds.
 * No ASOF join, LATERAL, correlated subquery, window-less self join on ranges or UDF, so an engine
 * that shards by the join key (Spark, BigQuery, Snowflake, Trino) runs them in parallel. The
 * dialects differ only in type names and in how a timestamp becomes epoch milliseconds.
 * docs/warehouse.md explains why each lookup is exact.
 */
import { BUSINESS_BUCKET_MS, INDEX_TABLES, type ExportTable, type IndexExport } from "../calendar/export-index";
import { SlaClockError, showValue } from "../errors";
import { DAY_MS } from "../time/civil";

/**
 * The SQL dialects the generator writes. `duckdb` and `postgres` are tested on real engines
 * (DuckDB and PGlite); `ansi` is the same SQL with standard type names, for other engines.
 *
 * @example
 * ```ts
 * const dialect: SqlDialect = "postgres";
 * ```
 */
export type SqlDialect = "duckdb" | "postgres" | "ansi";

/** The dialects, for validation and the CLI's choices. @internal */
export const SQL_DIALECTS: readonly SqlDialect[] = Object.freeze(["duckdb", "postgres", "ansi"]);

/** The text type of each dialect. @internal */
export const TEXT_TYPE: Readonly<Record<SqlDialect, string>> = {
  duckdb: "VARCHAR",
  postgres: "TEXT",
  ansi: "VARCHAR(200)",
};

/** @internal */
export function checkDialect(dialect: unknown): SqlDialect {
  if (typeof dialect === "string" && (SQL_DIALECTS as readonly string[]).includes(dialect))
    return dialect as SqlDialect;
  throw new SlaClockError(
    "INVALID_ARGUMENT",
    `dialect: expected one of ${SQL_DIALECTS.join(", ")}, got ${showValue(dialect)}`,
    { value: dialect, allowed: [...SQL_DIALECTS] },
  );
}

/** An SQL text argument (a relation or an expression): a non-empty string. @internal */
export function checkText(value: unknown, what: string, example: string): string {
  if (typeof value === "string" && value.trim() !== "") return value;
  throw new SlaClockError(
    "INVALID_ARGUMENT",
    `${what}: expected SQL text such as ${example}, got ${showValue(value)}`,
    {
      value,
    },
  );
}

/** An export from `calendar.exportIndex`. */
function checkExport(value: unknown): IndexExport {
  const ex = value as Partial<IndexExport> | null;
  if (
    typeof ex === "object" &&
    ex !== null &&
    ex.identity &&
    ex.intervals &&
    ex.days &&
    ex.hours &&
    ex.closes &&
    ex.offsets &&
    ex.walls &&
    ex.months
  )
    return ex as IndexExport;
  throw new SlaClockError("INVALID_ARGUMENT", "exported: expected the result of calendar.exportIndex(from, to)", {
    value: typeof value,
  });
}

/** The columns of the identity table `sla_meta`, with whether each is text. */
const META_COLUMNS: readonly (readonly [string, "text" | "bigint"])[] = [
  ["calendar_id", "text"],
  ["calendar_name", "text"],
  ["zone", "text"],
  ["spec_hash", "text"],
  ["from_ms", "bigint"],
  ["to_ms", "bigint"],
  ["range_from", "text"],
  ["range_to", "text"],
  ["generated_at", "text"],
  ["library_version", "text"],
  ["day_ms", "bigint"],
  ["bucket_ms", "bigint"],
];

/**
 * Text as an SQL comment: every line starts with `--`, whatever ends the line before. SQL engines
 * end a `--` comment at a carriage return too, so an id with one could have put a statement of its
 * own into a script.
 *
 * @example
 * ```ts
 * sqlComment("export of acme\rDROP TABLE x"); // "-- export of acme\n-- DROP TABLE x"
 * ```
 * @internal
 */
export function sqlComment(text: string): string {
  return text
    .split(/\r\n|[\n\r\v\f\u0085\u2028\u2029]/)
    .map((line) => `-- ${line}`)
    .join("\n");
}

/**
 * A name (a calendar's or a policy's id) with its control characters escaped, for a comment.
 *
 * @example
 * ```ts
 * escapeControls("acme\n1"); // "acme\\u{a}1"
 * ```
 * @internal
 */
export function escapeControls(name: string): string {
  // eslint-disable-next-line no-control-regex -- the point: control characters are escaped
  return name.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/**
 * The one row of `sla_meta`: the identity of an export, in the order of its columns.
 *
 * @example
 * ```ts
 * metaRow(getCalendar("softone-se").exportIndex("2026-01-01T00:00Z", "2027-01-01T00:00Z")).values[3]; // "fnv1a64:…"
 * ```
 */
export function metaRow(exported: IndexExport): {
  readonly columns: readonly string[];
  readonly values: readonly (string | number | null)[];
} {
  const id = checkExport(exported).identity;
  return {
    columns: META_COLUMNS.map(([name]) => name),
    values: [
      id.calendarId,
      id.calendarName,
      id.zone,
      id.specHash,
      id.fromMs,
      id.toMs,
      new Date(id.fromMs).toISOString(),
      new Date(id.toMs).toISOString(),
      id.generatedAt,
      id.libraryVersion,
      id.dayMs,
      id.bucketMs,
    ],
  };
}

/** The tables of an export after `sla_meta`, in the order they are created and filled. */
function exportTables(ex: IndexExport): readonly ExportTable[] {
  return [ex.intervals, ex.days, ex.hours, ex.closes, ex.offsets, ex.walls, ex.months];
}

/**
 * `CREATE TABLE` statements for `sla_meta`, `sla_interval`, `sla_day`, `sla_business_hour`,
 * `sla_close`, `sla_offset`, `sla_wall` and `sla_month`.
 *
 * @example
 * ```ts
 * createTablesSql("postgres"); // "CREATE TABLE sla_meta (calendar_id TEXT, …);\n…"
 * ```
 */
export function createTablesSql(dialect: SqlDialect): string {
  const text = TEXT_TYPE[checkDialect(dialect)];
  const bigints = (name: string, columns: readonly string[]): string =>
    `CREATE TABLE ${name} (${columns.map((c) => `${c} BIGINT NOT NULL`).join(", ")});`;
  return [
    `CREATE TABLE sla_meta (${META_COLUMNS.map(([c, t]) => `${c} ${t === "text" ? text : "BIGINT"}`).join(", ")});`,
    ...Object.entries(INDEX_TABLES).map(([name, columns]) => bigints(name, columns)),
  ].join("\n");
}

/** @internal */
export function literal(value: string | number | null): string {
  if (value === null) return "NULL";
  if (typeof value === "number") return String(value);
  return `'${value.replaceAll("'", "''")}'`;
}

/** Rows per INSERT statement: big enough to load fast, small enough for every engine's parser. */
const INSERT_BATCH = 1000;

function insertTable(table: ExportTable): string[] {
  const out: string[] = [];
  const head = `INSERT INTO ${table.name} (${table.columns.join(", ")}) VALUES`;
  for (let r0 = 0; r0 < table.rows; r0 += INSERT_BATCH) {
    const rows: string[] = [];
    for (let r = r0; r < Math.min(table.rows, r0 + INSERT_BATCH); r++) {
      rows.push(`(${table.data.map((column) => String(column[r])).join(", ")})`);
    }
    out.push(`${head}\n${rows.join(",\n")};`);
  }
  return out;
}

/**
 * `INSERT` statements filling the tables with an export.
 *
 * @example
 * ```ts
 * insertSql(getCalendar("softone-se").exportIndex("2026-04-02T00:00Z", "2026-04-03T00:00Z")); // "INSERT INTO sla_meta …"
 * ```
 */
export function insertSql(exported: IndexExport): string {
  const meta = metaRow(checkExport(exported));
  return [
    `INSERT INTO sla_meta (${meta.columns.join(", ")}) VALUES (${meta.values.map(literal).join(", ")});`,
    ...exportTables(exported).flatMap(insertTable),
  ].join("\n");
}

/** The UTC-day bucket of an epoch-ms expression (a double divided, then floored: exact for ±2^53). @internal */
export function dayKey(t: string): string {
  return `CAST(FLOOR(${t} / ${DAY_MS}.0) AS BIGINT)`;
}

/**
 * The open time from the range start to `t` (`F(t)`), as an aggregate over the `sla_day` rows of
 * `t`'s UTC day (alias `p`): the largest running total among the rows starting at or before `t`
 * (the day's first row always does), NULL when `t` is outside the range.
 */
function openBefore(t: string): string {
  return (
    `CASE WHEN ${t} >= MIN(p.valid_from_ms) AND ${t} < MIN(p.valid_to_ms) THEN ` +
    `MAX(CASE WHEN ${t} >= p.start_ms THEN p.cum_ms + (CASE WHEN ${t} < p.end_ms THEN ${t} ELSE p.end_ms END) - p.start_ms END) END`
  );
}

/**
 * The query giving `business_ms_between(a_ms, b_ms)` for every row of `input`, a table or
 * parenthesised subquery with the columns `k` (a unique key), `a_ms` and `b_ms` (BIGINT epoch ms).
 * It returns `k` and `business_ms`: signed like `businessTimeBetween`, NULL when either instant is
 * NULL or outside the exported range.
 *
 * @example
 * ```ts
 * businessMsBetweenSql("duckdb", `(SELECT id AS k, ${epochMsSql("duckdb", "created")} AS a_ms, ${epochMsSql("duckdb", "answered")} AS b_ms FROM tickets)`);
 * ```
 */
export function businessMsBetweenSql(dialect: SqlDialect, input: string): string {
  checkDialect(dialect);
  checkText(input, "input", "my_pairs");
  return `WITH sla_q AS (
  SELECT k, 0 AS side, a_ms AS t FROM ${input} sla_in
  UNION ALL
  SELECT k, 1 AS side, b_ms AS t FROM ${input} sla_in
), sla_f AS (
  SELECT q.k, q.side, ${openBefore("q.t")} AS open_ms
  FROM sla_q q JOIN sla_day p ON p.day = ${dayKey("q.t")}
  GROUP BY q.k, q.side, q.t
), sla_r AS (
  SELECT k, MAX(CASE WHEN side = 1 THEN open_ms END) - MAX(CASE WHEN side = 0 THEN open_ms END) AS business_ms
  FROM sla_f GROUP BY k
)
SELECT i.k, r.business_ms FROM ${input} i LEFT JOIN sla_r r ON r.k = i.k`;
}

/**
 * The three CTEs of adding business time: `sla_f` (F(t) per row of `input` that `where` keeps),
 * `sla_target` and `sla_hit` (the instant reached, for d ≠ 0). `d` is the duration expression.
 * @internal
 */
export function addCtes(input: string, d: string, where = ""): string {
  // T = F(t) + d is the running total to reach. Adding: the earliest instant with total T lies in
  // the piece holding T - 1 (so a duration used up at a close ends at the closing instant).
  // Subtracting: the latest instant with total T lies in the piece holding T (a total reached at a
  // close is also reached at the next opening, and that is later).
  return `sla_f AS (
  SELECT q.k, q.t_ms, ${d} AS d_ms, ${openBefore("q.t_ms")} AS open_ms
  FROM ${input} q JOIN sla_day p ON p.day = ${dayKey("q.t_ms")}${where === "" ? "" : `\n  WHERE ${where}`}
  GROUP BY q.k, q.t_ms, q.d_ms
), sla_target AS (
  SELECT k, t_ms, d_ms, open_ms + d_ms AS target_ms,
    CASE WHEN d_ms > 0 THEN open_ms + d_ms - 1 ELSE open_ms + d_ms END AS probe_ms
  FROM sla_f WHERE open_ms IS NOT NULL
), sla_hit AS (
  SELECT s.k, h.start_ms + (s.target_ms - h.cum_from_ms) AS at_ms
  FROM sla_target s JOIN sla_business_hour h ON h.bucket = CAST(FLOOR(s.probe_ms / ${BUSINESS_BUCKET_MS}.0) AS BIGINT)
  WHERE s.d_ms <> 0 AND h.cum_from_ms <= s.probe_ms AND s.probe_ms < h.cum_to_ms
)`;
}

function addSql(dialect: SqlDialect, input: string, sign: 1 | -1): string {
  checkDialect(dialect);
  checkText(input, "input", "my_starts");
  return `WITH ${addCtes(input, sign === 1 ? "q.d_ms" : "(-q.d_ms)")}
SELECT i.k, CASE WHEN i.d_ms = 0 THEN s.t_ms ELSE x.at_ms END AS result_ms
FROM ${input} i LEFT JOIN sla_target s ON s.k = i.k LEFT JOIN sla_hit x ON x.k = i.k`;
}

/**
 * The query giving `add_business_ms(t_ms, d_ms)` for every row of `input` (columns `k` unique,
 * `t_ms` BIGINT epoch ms, `d_ms` BIGINT ms, negative to subtract), like `addBusinessTime`: a
 * duration used up at a closing instant gives that instant, `d_ms = 0` gives `t_ms`. Returns `k`
 * and `result_ms`, NULL when an input is NULL or the start or the result is outside the range.
 *
 * @example
 * ```ts
 * addBusinessMsSql("postgres", "(SELECT id AS k, created_ms AS t_ms, 4 * 3600000 AS d_ms FROM tickets)");
 * ```
 */
export function addBusinessMsSql(dialect: SqlDialect, input: string): string {
  return addSql(dialect, input, 1);
}

/**
 * The query giving `subtract_business_ms(t_ms, d_ms)` for every row of `input` (columns `k`,
 * `t_ms`, `d_ms`), like `subtractBusinessTime`: the latest instant with `d_ms` of open time up to
 * `t_ms`. Returns `k` and `result_ms`, NULL outside the range.
 *
 * @example
 * ```ts
 * subtractBusinessMsSql("ansi", "(SELECT id AS k, due_ms AS t_ms, 3600000 AS d_ms FROM tickets)");
 * ```
 */
export function subtractBusinessMsSql(dialect: SqlDialect, input: string): string {
  return addSql(dialect, input, -1);
}

/**
 * An SQL expression turning a timestamp expression into BIGINT epoch milliseconds, floored like
 * the library reads an instant (`ansi`: the SQL standard has no such function; the expression is
 * PostgreSQL's, which Trino, BigQuery, Snowflake and Spark each spell differently, see
 * docs/warehouse.md).
 *
 * @example
 * ```ts
 * epochMsSql("duckdb", "created_at"); // "CAST(FLOOR(epoch_us(created_at) / 1000.0) AS BIGINT)"
 * ```
 */
export function epochMsSql(dialect: SqlDialect, timestamp: string): string {
  checkText(timestamp, "timestamp", "created_at");
  // DuckDB's epoch_ms(timestamp) truncates toward zero, so a sub-millisecond instant before 1970
  // would move to a millisecond it has not reached. The microseconds divided as a double are
  // exact up to 2^53 µs (year 2255), past the supported range, so FLOOR sees the true quotient.
  return checkDialect(dialect) === "duckdb"
    ? `CAST(FLOOR(epoch_us(${timestamp}) / 1000.0) AS BIGINT)`
    : `CAST(FLOOR(EXTRACT(EPOCH FROM ${timestamp}) * 1000) AS BIGINT)`;
}

/**
 * The whole `--format sql` script: the tables, their rows, and (as comments) the three queries.
 *
 * @example
 * ```ts
 * exportSqlScript(getCalendar("softone-se").exportIndex("2026-01-01T00:00Z", "2027-01-01T00:00Z"), "duckdb");
 * ```
 */
export function exportSqlScript(exported: IndexExport, dialect: SqlDialect): string {
  checkDialect(dialect);
  const id = checkExport(exported).identity;
  const comment = sqlComment;
  const shown = escapeControls;
  return `${[
    comment(
      `sla-clock ${id.libraryVersion} export of ${shown(id.calendarId ?? id.calendarName ?? "a calendar")} (${id.zone}), spec ${id.specHash}\n` +
        `range [${new Date(id.fromMs).toISOString()}, ${new Date(id.toMs).toISOString()}), generated ${id.generatedAt}, dialect ${dialect}\n` +
        `Instants outside the range give NULL. docs/warehouse.md explains the tables and the queries.`,
    ),
    createTablesSql(dialect),
    insertSql(exported),
    comment(
      `business_ms_between over a relation (k, a_ms, b_ms):\n${businessMsBetweenSql(dialect, "my_pairs")};\n\n` +
        `add_business_ms over a relation (k, t_ms, d_ms):\n${addBusinessMsSql(dialect, "my_starts")};\n\n` +
        `subtract_business_ms over a relation (k, t_ms, d_ms):\n${subtractBusinessMsSql(dialect, "my_ends")};`,
    ),
  ].join("\n")}\n`;
}
