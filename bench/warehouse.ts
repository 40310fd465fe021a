/**
 * `npm run bench:warehouse`: 1 000 000 `business_ms_between` pairs in DuckDB (the generated SQL over
 * the export's tables) against `businessTimeBetweenMany` on the same pairs, in one run, and the size
 * of a 2000–2040 export of softone-se in each format. Prints the figures; the two answers are
 * checked equal on every pair. The DuckDB time is the query alone (the pairs are loaded first, as
 * they would already be in a warehouse); the library time is the bulk call alone. Median of 5 runs.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { businessMsBetweenSql, createTablesSql, getCalendar } from "../src/index";
import { runCli } from "../src/cli/program";
import { prng } from "./workload";

const N = 1_000_000;
const RUNS = 5;
const FROM = "2000-01-01T00:00Z";
const TO = "2041-01-01T00:00Z";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

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
for (const table of [ex.intervals, ex.days, ex.hours]) {
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
for (let run = 0; run < RUNS; run++) {
  const t0 = performance.now();
  await db.run(sql);
  duckTimes.push(performance.now() - t0);
}

// The library on the same pairs.
const libTimes: number[] = [];
let lib: Float64Array = new Float64Array(N);
for (let run = 0; run < RUNS; run++) {
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

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const cpus = os.cpus();
console.log(`warehouse benchmark: ${N.toLocaleString("en")} business_ms_between pairs, softone-se ${FROM} … ${TO}`);
console.log(
  `machine: ${cpus[0]?.model ?? "?"} × ${cpus.length}, Node ${process.version}, DuckDB ${(await import("@duckdb/node-api")).version()}`,
);
console.log(
  `DuckDB SQL:               ${median(duckTimes).toFixed(0)} ms (median of ${RUNS}; runs ${duckTimes.map((t) => t.toFixed(0)).join(", ")})`,
);
console.log(
  `businessTimeBetweenMany:  ${median(libTimes).toFixed(0)} ms (median of ${RUNS}; runs ${libTimes.map((t) => t.toFixed(0)).join(", ")})`,
);
console.log(`answers equal on all ${rows.length.toLocaleString("en")} pairs`);
console.log(
  `export rows: sla_interval ${ex.intervals.rows}, sla_day ${ex.days.rows}, sla_business_hour ${ex.hours.rows}`,
);
console.log(`export size: parquet ${mb(sizes.parquet)}, csv ${mb(sizes.csv)}, sql ${mb(sizes.sql)}`);
