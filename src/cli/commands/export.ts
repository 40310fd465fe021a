/**
 * `sla-clock export`: a calendar's interval index as warehouse tables (docs/warehouse.md).
 *
 * Parquet is written by DuckDB (`COPY … TO … (FORMAT parquet)`), the embedded engine from npm
 * `@duckdb/node-api`. It is an optional peer dependency, loaded with a dynamic import only for
 * `--format parquet`: a native binary of tens of megabytes that users of the library, of the other
 * commands and of CSV/SQL exports never need. Without it, `--format parquet` says how to install
 * it. DuckDB rather than a JavaScript Parquet writer: it is maintained by the DuckDB team, writes
 * every Parquet feature (compression, statistics, key-value metadata for the identity) and is also
 * the engine the warehouse SQL is tested on.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { finished } from "node:stream/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Writable } from "node:stream";
import type * as CsvStringify from "csv-stringify/sync";
import { parseRangeEnd, type Calendar } from "../../calendar/calendar";
import type { ExportTable, IndexExport } from "../../calendar/export-index";
import { SlaClockError } from "../../errors";
import type { Policy } from "../../clock/policy";
import {
  createTablesSql,
  escapeControls,
  exportSqlScript,
  metaRow,
  sqlComment,
  type SqlDialect,
} from "../../warehouse/sql";
import { policyTargetCreateSql, policyTargetTable, policyTargetsSql, targetDeadlineSql } from "../../warehouse/targets";
import { UsageError } from "../load";
import { removeOnInterrupt } from "../io/cleanup";
import { OutputFile, refuseStdoutOnInput, systemWords, type GuardedInput } from "../io/output-file";

/**
 * The options of `sla-clock export`.
 *
 * @example
 * ```ts
 * const options: ExportCommandOptions = { from: "2026-01-01T00:00Z", to: "2027-01-01T00:00Z", format: "sql", dialect: "duckdb" };
 * ```
 */
export interface ExportCommandOptions {
  readonly from: string;
  readonly to: string;
  readonly format: "csv" | "parquet" | "sql";
  readonly dialect: SqlDialect;
  /** A file for `sql` (default stdout), a folder for `csv` and `parquet` (required). */
  readonly out?: string;
  /** The generation time written into the identity (tests fix it); default now. */
  readonly generatedAt?: number;
  /** The `--closures` feeds read, which an output must not replace. */
  readonly alsoRead?: readonly string[];
}

/**
 * The tables of an export as (name, columns, rows of cells), `sla_meta` first, and a policy's
 * `sla_policy_target` last.
 */
function tablesOf(
  ex: IndexExport,
  policy: Policy | undefined,
): { name: string; columns: readonly string[]; rows: (string | number | null)[][] }[] {
  const meta = metaRow(ex);
  const rowsOf = (t: ExportTable) =>
    Array.from({ length: t.rows }, (_, r) => t.data.map((column) => column[r] as number));
  return [
    { name: "sla_meta", columns: meta.columns, rows: [[...meta.values]] },
    ...[ex.intervals, ex.days, ex.hours, ex.closes, ex.offsets, ex.walls, ex.months].map((t) => ({
      name: t.name,
      columns: t.columns,
      rows: rowsOf(t),
    })),
    ...(policy === undefined ? [] : [policyTargetTable(policy)]),
  ];
}

/**
 * The SQL script of an export; a policy's adds `sla_policy_target` and, as a comment, the deadline
 * query over it.
 */
function sqlScript(ex: IndexExport, dialect: SqlDialect, policy: Policy | undefined): string {
  const script = exportSqlScript(ex, dialect);
  if (policy === undefined) return script;
  const query = targetDeadlineSql(
    dialect,
    "(SELECT t.id AS k, t.t_ms, g.kind, g.d_ms, g.months, g.days FROM my_tickets t JOIN sla_policy_target g ON g.priority = t.priority AND g.metric = 'resolution')",
  );
  // The policy's id is the user's text: escaped, and each line a comment of its own (./sql.ts).
  const heading = `deadline of the ${escapeControls(policy.id)} targets over my_tickets(id, t_ms, priority):`;
  return `${script}${policyTargetsSql(dialect, policy)}\n${sqlComment(`${heading}\n${query}`)};\n`;
}

/**
 * Writes several files as one output: each to a temporary file beside its target, and all renamed
 * into place only once every one is complete, in one synchronous loop (no signal handler runs
 * between two renames; a rename that fails puts back those done: `OutputFile.commitAll`), and the
 * `stale` files of an earlier export that this one does not write are removed with them. An
 * interruption or an error leaves every target as it was: a folder of tables never holds new tables
 * beside old ones, or old ones beside a new `sla_meta` that would vouch for them.
 */
async function writeAllSafely(
  files: readonly { readonly path: string; readonly content: string | Uint8Array }[],
  input: GuardedInput,
  stale: readonly string[] = [],
): Promise<void> {
  const outs: OutputFile[] = [];
  try {
    for (const file of files) outs.push(await OutputFile.open(file.path, "--out", input));
    await Promise.all(
      outs.map(async (out, i) => {
        const stream = out.createStream();
        stream.end((files[i] as (typeof files)[number]).content);
        try {
          await finished(stream);
        } catch (e) {
          // A full disk or a failing device is the output's problem, as for evaluate: exit 2.
          throw new UsageError(`cannot write ${out.target}: ${systemWords(e)}`);
        }
      }),
    );
    OutputFile.commitAll(outs, stale);
  } finally {
    for (const out of outs) out.discard();
  }
}

/**
 * The tables of an earlier export in the folder that this one does not write: a calendar's export
 * over a policy's left its `sla_policy_target` beside the new `sla_meta`, which vouched for it.
 */
function staleTables(folder: string, format: "csv" | "parquet", policy: Policy | undefined): string[] {
  return policy === undefined ? [join(folder, `sla_policy_target.${format}`)] : [];
}

/** `--from`, or `--to` (`end`: an exclusive end, which may be 2201-01-01T00:00Z, the range's end). */
function parseInstant(calendar: Calendar, text: string, flag: string, end = false): number {
  try {
    return end ? parseRangeEnd(calendar, text, flag) : calendar.parse(text, { path: flag }).getTime();
  } catch (e) {
    if (e instanceof SlaClockError) throw new UsageError(e.message);
    throw e;
  }
}

function outFolder(out: string | undefined, format: string): string {
  if (out === undefined) throw new UsageError(`--format ${format} writes one file per table: give a folder with --out`);
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw new UsageError(`cannot write to the folder ${out}: ${(e as Error).message}`);
  }
  if (!statSync(out).isDirectory()) throw new UsageError(`--out ${out} is not a folder`);
  return out;
}

/** The DuckDB package, or a clear error saying how to get it. */
async function loadDuckDb(): Promise<typeof import("@duckdb/node-api")> {
  try {
    return await import("@duckdb/node-api");
  } catch (e) {
    const missing = (e as { code?: unknown }).code === "ERR_MODULE_NOT_FOUND";
    throw new UsageError(
      `--format parquet needs the optional package @duckdb/node-api (DuckDB writes the Parquet files)${missing ? ", which is not installed" : ` and could not load it: ${(e as Error).message}`}: run npm install @duckdb/node-api, or use --format csv or sql`,
    );
  }
}

async function writeParquet(
  ex: IndexExport,
  policy: Policy | undefined,
  folder: string,
  input: GuardedInput,
): Promise<string[]> {
  const { DuckDBInstance } = await loadDuckDb();
  const instance = await DuckDBInstance.create(":memory:");
  const db = await instance.connect();
  const scratch = mkdtempSync(join(tmpdir(), "sla-clock-parquet-"));
  const forgetScratch = removeOnInterrupt(scratch, "no Parquet file was written");
  const written: string[] = [];
  try {
    await db.run(createTablesSql("duckdb"));
    if (policy !== undefined) await db.run(policyTargetCreateSql("duckdb"));
    const tables = tablesOf(ex, policy);
    for (const table of tables) {
      const appender = await db.createAppender(table.name);
      for (const row of table.rows) {
        for (const cell of row) {
          if (cell === null) appender.appendNull();
          else if (typeof cell === "number") appender.appendBigInt(BigInt(cell));
          else appender.appendVarchar(cell);
        }
        appender.endRow();
      }
      appender.closeSync();
    }
    // The identity travels in every file's key-value metadata too, so a lone file can be checked.
    const id = ex.identity;
    const kv = `{calendar_id: '${(id.calendarId ?? "").replaceAll("'", "''")}', spec_hash: '${id.specHash}', from_ms: '${id.fromMs}', to_ms: '${id.toMs}', generated_at: '${id.generatedAt}', library_version: '${id.libraryVersion}'}`;
    const files: { path: string; content: Uint8Array }[] = [];
    for (const { name: table } of tables) {
      const temp = join(scratch, `${table}.parquet`);
      await db.run(`COPY ${table} TO '${temp.replaceAll("'", "''")}' (FORMAT parquet, KV_METADATA ${kv})`);
      files.push({ path: join(folder, `${table}.parquet`), content: readFileSync(temp) });
    }
    await writeAllSafely(files, input, staleTables(folder, "parquet", policy));
    written.push(...files.map((f) => f.path));
  } finally {
    db.closeSync();
    instance.closeSync();
    rmSync(scratch, { recursive: true, force: true });
    forgetScratch();
  }
  return written;
}

/**
 * Runs `sla-clock export`: writes the export of `[from, to)` as one SQL script (stdout or `--out`),
 * or as one CSV or Parquet file per table into the `--out` folder, each written to a temporary
 * file and renamed when complete. With a policy (the argument named one), its targets are added as
 * `sla_policy_target`. Returns the exit code (0).
 *
 * @example
 * ```ts
 * await runExport(getCalendar("softone-se"), "softone-se", { from: "2026-01-01T00:00Z", to: "2027-01-01T00:00Z", format: "sql", dialect: "duckdb" }, io);
 * ```
 */
export async function runExport(
  calendar: Calendar,
  source: string,
  opts: ExportCommandOptions,
  io: { stdout: Writable; stderr: Writable },
  policy?: Policy,
): Promise<number> {
  const from = parseInstant(calendar, opts.from, "--from");
  const to = parseInstant(calendar, opts.to, "--to", true);
  if (!(from < to)) throw new UsageError(`--to (${opts.to}) must be after --from (${opts.from})`);
  let ex: IndexExport;
  try {
    ex = calendar.exportIndex(from, to, opts.generatedAt === undefined ? {} : { generatedAt: opts.generatedAt });
  } catch (e) {
    if (e instanceof SlaClockError) throw new UsageError(e.message);
    throw e;
  }
  // A .json spec is the only file read: an output must never replace it.
  const input: GuardedInput = {
    name: source,
    ...(source.endsWith(".json") ? { path: source } : {}),
    alsoRead: opts.alsoRead ?? [],
  };
  if (opts.format === "sql") {
    const script = sqlScript(ex, opts.dialect, policy);
    if (opts.out === undefined) {
      refuseStdoutOnInput(io.stdout, input);
      io.stdout.write(script);
    } else await writeAllSafely([{ path: opts.out, content: script }], input);
    return 0;
  }
  const folder = outFolder(opts.out, opts.format);
  const written =
    opts.format === "parquet"
      ? await writeParquet(ex, policy, folder, input)
      : await writeCsvTables(ex, policy, folder, input);
  io.stderr.write(`wrote ${written.join(", ")}\n`);
  return 0;
}

/**
 * The tables as one CSV file each. csv-stringify is loaded here, on the first CSV export, rather than
 * when the CLI starts: every other command paid about 25 ms of start-up for it.
 */
async function writeCsvTables(
  ex: IndexExport,
  policy: Policy | undefined,
  folder: string,
  input: GuardedInput,
): Promise<string[]> {
  const { stringify } = createRequire(import.meta.url)("csv-stringify/sync") as typeof CsvStringify;
  const files = tablesOf(ex, policy).map((t) => ({
    path: join(folder, `${t.name}.csv`),
    content: stringify(t.rows, { header: true, columns: [...t.columns] }),
  }));
  await writeAllSafely(files, input, staleTables(folder, "csv", policy));
  return files.map((f) => f.path);
}
