/**
 * The warehouse figure: 1 000 000 `business_ms_between` pairs in DuckDB (the generated SQL over the
 * export's tables) against `businessTimeBetweenMany` on the same pairs, in one run, and the size of
 * a 2000–2040 export of softone-se in each format. `npm run bench` calls {@link warehouseFigure}
 * for its section of bench/RESULTS.md; `npm run bench:warehouse` runs it alone and prints it. The two
 * answers are checked equal on every pair. The DuckDB time is the query alone (the pairs are loaded
 * first, as they would already be in a warehouse); the library time is the bulk call alone. Median
 * of the runs.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DuckDBInstance, version as duckdbVersion } from "@duckdb/node-api";
import { businessMsBetweenSql, createTablesSql, getCalendar, type ExportTable } from "../src/index";
import { runCli } from "../src/cli/program";
import { prng } from "./workload";

const N = 1_000_000;
const FROM = "2000-01-01T00:00Z";
const TO = "2041-01-01T00:00Z";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** What one run measured. */
export interface WarehouseFigure {
  readonly pairs: number;
  readonly duckMs: readonly number[];
  readonly libMs: readonly number[];
  /** Rows per exported table, and bytes of the whole export per format. */
  readonly rows: Readonly<Record<string, number>>;
  readonly sizes: { readonly parquet: number; readonly csv: number; readonly sql: number };
  readonly duckdb: string;
}

/** Measures the figure: `runs` timed runs of each side (the answers checked equal on every pair). */
export async function warehouseFigure(runs = 5): Promise<WarehouseFigure> {
  const cal = getCalendar("softone-se");
  const ex = cal.exportIndex(FROM, TO);
  const from = ex.identity.fromMs;
  const span = ex.identity.toMs - from;
  const random = prng(42);
  const a = new Float64Array(N);
  const b = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    a[i] = from + Math.floor(random() * span);
    b[i] = Math.min(ex.identity.toMs - 1, a[i]! + Math.floor(random() * 30 * 86_400_000)); // up to 30 days later
  }

  // Sizes of the export in each format, written by the CLI into a temporary folder.
  const dir = mkdtempSync(join(os.tmpdir(), "sla-bench-warehouse-"));
  const quiet = { stdin: process.stdin, stdout: process.stdout, stderr: { write: () => true } as never };
  const folderBytes = (folder: string) => readdirSync(folder).reduce((s, f) => s + statSync(join(folder, f)).size, 0);
  /** `sla-clock export softone-se --from FROM --to TO` with these options, its output silenced. */
  const exportWith = (options: string[]) =>
    runCli(["node", "sla-clock", "export", "softone-se", "--from", FROM, "--to", TO, ...options], quiet);
  await exportWith(["--format", "parquet", "--out", join(dir, "pq")]);
  await exportWith(["--format", "csv", "--out", join(dir, "csv")]);
  await exportWith(["--format", "sql", "--dialect", "duckdb", "--out", join(dir, "x.sql")]);
  const sizes = {
    parquet: folderBytes(join(dir, "pq")),
    csv: folderBytes(join(dir, "csv")),
    sql: statSync(join(dir, "x.sql")).size,
  };
  rmSync(dir, { recursive: true, force: true });

  // DuckDB: the tables by appender, the pairs by appender, then the query timed alone.
  const db = await (await DuckDBInstance.create(":memory:")).connect();
  await db.run(createTablesSql("duckdb"));
  const tables: ExportTable[] = [ex.intervals, ex.days, ex.hours, ex.closes, ex.offsets, ex.walls, ex.months];
  for (const table of tables) {
    const appender = await db.createAppender(table.name);
    for (let r = 0; r < table.rows; r++) {
      for (const column of table.data) appender.appendBigInt(BigInt(column[r]!));
      appender.endRow();
    }
    appender.closeSync();
  }
  await db.run("CREATE TABLE pairs (k BIGINT, a_ms BIGINT, b_ms BIGINT)");
  const pairs = await db.createAppender("pairs");
  for (let i = 0; i < N; i++) {
    pairs.appendBigInt(BigInt(i));
    pairs.appendBigInt(BigInt(a[i]!));
    pairs.appendBigInt(BigInt(b[i]!));
    pairs.endRow();
  }
  pairs.closeSync();
  const sql = `CREATE OR REPLACE TABLE result AS ${businessMsBetweenSql("duckdb", "pairs")}`;
  const duckTimes: number[] = [];
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    await db.run(sql);
    duckTimes.push(performance.now() - t0);
  }

  // The library on the same pairs.
  const libTimes: number[] = [];
  let lib: Float64Array = new Float64Array(N);
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    lib = cal.businessTimeBetweenMany(a, b, lib);
    libTimes.push(performance.now() - t0);
  }

  // Every pair agrees.
  const rows = (await db.runAndReadAll("SELECT k, business_ms FROM result ORDER BY k")).getRows();
  let mismatches = 0;
  for (const [k, v] of rows) if (Number(v) !== lib[Number(k)]) mismatches++;
  if (rows.length !== N || mismatches > 0)
    throw new Error(`DuckDB and the library disagree on ${mismatches} of ${rows.length} pairs`);
  db.closeSync();

  return {
    pairs: N,
    duckMs: duckTimes,
    libMs: libTimes,
    rows: Object.fromEntries(tables.map((t) => [t.name, t.rows])),
    sizes,
    duckdb: duckdbVersion(),
  };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const ms = (xs: readonly number[]) => xs.map((t) => t.toFixed(0)).join(", ");

/** The figure as the lines of its section of bench/RESULTS.md (Markdown). */
export function warehouseLines(f: WarehouseFigure): string[] {
  const duck = median([...f.duckMs]);
  const lib = median([...f.libMs]);
  return [
    "## In a warehouse: the generated SQL in DuckDB",
    "",
    `${f.pairs.toLocaleString("en-US").replace(/,/g, " ")} \`business_ms_between\` pairs of \`softone-se\` (starts uniform over ${FROM.slice(0, 10)} … ${TO.slice(0, 10)}, ends up to 30 days later), answered by the generated SQL in DuckDB ${f.duckdb} (embedded, in this process, its default threads) over the export's tables, and by \`businessTimeBetweenMany\` (sla-clock's sources through tsx) on the same pairs, in this run; the answers are equal on every pair. The DuckDB time is the query alone (tables and pairs loaded first, as in a warehouse); median of ${f.duckMs.length} runs each.`,
    "",
    "| | median | runs |",
    "| --- | --- | --- |",
    `| DuckDB SQL, 1 M pairs | ${duck.toFixed(0)} ms | ${ms(f.duckMs)} ms |`,
    `| \`businessTimeBetweenMany\`, the same pairs | ${lib.toFixed(0)} ms | ${ms(f.libMs)} ms |`,
    "",
    `The SQL takes ${(duck / lib).toFixed(1)}× the library's time here, on one machine. Export of 2000–2040 (\`sla-clock export softone-se --from ${FROM} --to ${TO}\`, the policy's targets included): ${mb(f.sizes.parquet)} as Parquet, ${mb(f.sizes.csv)} as CSV, ${mb(f.sizes.sql)} as an SQL script; rows: ${Object.entries(
      f.rows,
    )
      .map(([t, n]) => `${t} ${n.toLocaleString("en-US").replace(/,/g, " ")}`)
      .join(", ")}.`,
    "",
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const f = await warehouseFigure();
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus[0]?.model ?? "?"} × ${cpus.length}, Node ${process.version}, load ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(", ")}`,
  );
  console.log(warehouseLines(f).join("\n"));
}
