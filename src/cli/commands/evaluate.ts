import { closeSync, constants, createReadStream, fstatSync, openSync, statSync } from "node:fs";
import { extname } from "node:path";
import type { Readable, Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { createRequire } from "node:module";
import type cliProgressModule from "cli-progress";
import type { Policy } from "../../clock/policy";
import { onInterrupt } from "../io/cleanup";
import { inputIdentity, OutputFile, refuseStdoutOnInput, type GuardedInput } from "../io/output-file";
import { FIELDS, HeaderNamer, REQUIRED_FIELDS, type HeaderOptions } from "../io/columns";
import {
  delimiterName,
  readCsvFrames,
  readRecordBatches,
  type Delimiter,
  type DelimiterSource,
  type HeaderFacts,
  type InputFormat,
  type InputRecord,
  type ReadOptions,
} from "../io/read-records";
import { ParcelEvaluator } from "../parallel/evaluator";
import { PARCEL_ROWS, ParcelSink } from "../parallel/parcels";
import { defaultJobs, evaluateInWorkers, type DoneParcel } from "../parallel/pool";
import type { WorkerInit } from "../parallel/protocol";
import { startsTicketRow } from "../io/row-to-ticket";
import { OutputError, RowWriter, type CycleMetric, type OutputFormat, type OutputLayout } from "../io/write-rows";
import { escapeForTerminal, jsonList, textTable } from "../format";
import { UsageError, inputTextsRead, rowPolicies } from "../load";
import { evaluateRecords, type CellReading, type RowOutcome, type RowPolicies } from "../run";
import type { ExportNow } from "../io/cells";
import { SummaryByPolicy, type ExportSummary, type SummaryResult, type SummarySnapshot } from "../summary";

/**
 * Inputs at least this large (in bytes) get a progress bar, when stderr is a terminal.
 *
 * @example
 * ```ts
 * PROGRESS_FROM_BYTES; // 5 MiB
 * ```
 */
export const PROGRESS_FROM_BYTES = 5 * 1024 * 1024;

/**
 * An opened ticket export: the stream, its format, its size in bytes (0 for stdin) and a name for
 * messages.
 *
 * @example
 * ```ts
 * const input: ExportInput = openInput("examples/data/tickets.csv", process.stdin);
 * ```
 */
export interface ExportInput {
  readonly stream: Readable;
  readonly format: InputFormat;
  readonly size: number;
  readonly name: string;
  /** The file, when the input is one. */
  readonly path?: string;
}

/**
 * A system error (`ENOENT`, `EACCES`, …) in words for a usage message; other errors by their message.
 *
 * @example
 * ```ts
 * throw new UsageError(`cannot write ${path}: ${systemMessage(e)}`);
 * ```
 */
export function systemMessage(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return e instanceof Error ? e.message : String(e);
}

/**
 * A FIFO as a stream. Its open waits for a writer: opened at once, on this thread, it blocked the
 * thread that handles Ctrl-C and SIGTERM, and the command could not be stopped. The stream opens it
 * on a thread of libuv's pool instead; as the process cannot exit while that open waits (the pool's
 * threads are joined at exit), an interruption ends the wait by opening the write end for a moment.
 */
function fifoStream(file: string): Readable {
  const stream = createReadStream(file);
  const release = onInterrupt(() => {
    try {
      closeSync(openSync(file, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // No reader waits any more (ENXIO): nothing to end.
    }
    return undefined;
  });
  stream.once("open", release);
  stream.once("close", release);
  return stream;
}

/**
 * Opens the ticket export: a path (NDJSON for `.ndjson`/`.jsonl`, else CSV) or `-` for CSV on
 * stdin. The file is opened at once, so a missing or unreadable file is a `UsageError` before any
 * work starts.
 *
 * @example
 * ```ts
 * const input = openInput("examples/data/tickets.csv", process.stdin);
 * ```
 */
export function openInput(file: string, stdin: Readable): ExportInput {
  if (file === "-") return { stream: stdin, format: "csv", size: 0, name: "stdin" };
  const ext = extname(file).toLowerCase();
  const format: InputFormat = ext === ".ndjson" || ext === ".jsonl" ? "ndjson" : "csv";
  try {
    if (statSync(file).isFIFO()) return { stream: fifoStream(file), format, size: 0, name: file, path: file };
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${systemMessage(e)}`);
  }
  let fd: number;
  let size: number;
  try {
    fd = openSync(file, "r");
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    size = stat.size;
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${systemMessage(e)}`);
  }
  return { stream: createReadStream(file, { fd }), format, size, name: file, path: file };
}

/**
 * Refuses `--columns` and `--profile` for an NDJSON export with a `UsageError` (closing the input):
 * they name CSV header cells, and an NDJSON line's keys are already the field names, so the mapping
 * would be ignored in silence (a `Closed` key mapped to `resolved_at` left the ticket open).
 *
 * @example
 * ```ts
 * refuseHeaderOptionsForNdjson(openInput("tickets.ndjson", process.stdin), { profile: "zendesk" }); // throws
 * ```
 */
export function refuseHeaderOptionsForNdjson(input: ExportInput, reading: HeaderOptions | undefined): void {
  if (input.format !== "ndjson") return;
  const flag = reading?.columns !== undefined ? "--columns" : reading?.profile !== undefined ? "--profile" : undefined;
  if (flag === undefined) return;
  if (input.path !== undefined) input.stream.destroy();
  throw new UsageError(
    `${flag} applies to a CSV header, and ${input.name} is NDJSON, whose keys are the field names ` +
      `(id, priority, created_at, responded_at, resolved_at, …): rename the keys, or give the export as CSV`,
  );
}

/**
 * Opens an output file ({@link OutputFile}: a temporary file beside the target, renamed onto it
 * only when the output is complete) at once, so that a path that cannot be written is a
 * `UsageError` before any work starts; refuses a target that is the input file itself, also
 * through a symlink or a hard link (the same device and inode as the opened input).
 *
 * @example
 * ```ts
 * const out = await openOutput("evaluated.csv", openInput("tickets.csv", process.stdin), "--out");
 * ```
 */
export function openOutput(
  path: string,
  input: ExportInput,
  flag: string,
  alsoRead: readonly string[] = [],
): Promise<OutputFile> {
  return OutputFile.open(path, flag, guardOf(input, alsoRead));
}

/** The files an output of a run must not be: the export, and the run's other input files. */
function guardOf(input: ExportInput, alsoRead: readonly string[]): GuardedInput {
  return { name: input.name, path: input.path, identity: inputIdentity(input.stream), alsoRead };
}

/**
 * {@link openOutput}, closing the opened input when the output is refused.
 *
 * @example
 * ```ts
 * const out = await openOutputOrClose("report.html", openInput("tickets.csv", process.stdin), "--html");
 * ```
 */
export async function openOutputOrClose(
  path: string,
  input: ExportInput,
  flag: string,
  alsoRead: readonly string[] = [],
): Promise<OutputFile> {
  try {
    return await openOutput(path, input, flag, alsoRead);
  } catch (e) {
    if (input.path !== undefined) input.stream.destroy();
    throw e;
  }
}

/**
 * The records, with read errors of the input (a vanished disk, a directory) as usage errors naming
 * the input. One pass also notes whether the rows name their policy: the first NDJSON record tells
 * it (a CSV header already has), which fixes the output's columns; a later line that names a policy
 * when the first did not is an error row rather than a row judged on a policy the output cannot show.
 * Batches pass through as they are read; one is copied only when a row of it becomes such an error.
 */
async function* guarded(
  records: AsyncIterable<readonly InputRecord[]>,
  name: string,
  facts: ExportFacts,
): AsyncGenerator<readonly InputRecord[]> {
  yield* readingErrors(policyChecked(records, facts), name);
}

/** {@link guarded}'s check of the rows' `policy` keys. */
async function* policyChecked(
  records: AsyncIterable<readonly InputRecord[]>,
  facts: ExportFacts,
): AsyncGenerator<readonly InputRecord[]> {
  for await (const inputs of records) {
    let checked: InputRecord[] | undefined;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      const record = input.record;
      if (record !== undefined && facts.policyColumn === undefined)
        facts.policyColumn = Object.prototype.hasOwnProperty.call(record, "policy");
      if (facts.policyColumn === false && input.error === undefined && namesPolicy(record?.policy)) {
        checked ??= inputs.slice();
        checked[i] = {
          ...input,
          error: `policy: the first line names no policy, so the output has no policy column; give every line a "policy" key (an empty one means the command's policy) to judge lines on their own policies`,
        };
      }
    }
    yield checked ?? inputs;
  }
}

/**
 * How an export is read: its columns (profile, mapping, zone columns), its separator, and how its
 * cells are written.
 *
 * @example
 * ```ts
 * const reading: ExportReading = { profile: "jsm", delimiter: ";", epoch: "s", priorityMap: "Highest=1" };
 * ```
 */
export interface ExportReading extends HeaderOptions, CellReading {
  /** The CSV separator; default: detected from the header. */
  readonly delimiter?: Delimiter;
  /** The export's character encoding, a WHATWG label (`--encoding`); default UTF-8. */
  readonly encoding?: string;
}

/**
 * What the reader found out about an export, for the stderr summary: its separator and profile.
 *
 * @example
 * ```ts
 * const found: ExportFacts = { delimiter: ";", delimiterFrom: "detected", profile: "zendesk", profileDetected: true };
 * ```
 */
export interface ExportFacts {
  delimiter?: Delimiter;
  /** Where the separator came from: `--delimiter`, Excel's `sep=` first line, or detection. */
  delimiterFrom?: DelimiterSource;
  profile?: string;
  profileDetected?: boolean;
  /** Headers that look like a response or resolution but are not read. */
  unread?: readonly string[];
  /** The rows name their policy: a CSV `policy` column, or a `policy` key on the first NDJSON line. */
  policyColumn?: boolean;
  /** The character encoding read, and why (`--encoding`, a UTF-16 byte-order mark, or the default UTF-8). */
  encoding?: string;
  encodingWhy?: "given" | "default" | "byte-order mark";
  /** Byte sequences of a UTF-8 export that are not UTF-8 (each read as "�"): how many, and the first line with one. */
  undecodable?: { count: number; first: number };
}

/** A `policy` value that names a policy (not absent, null or blank). */
function namesPolicy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  return typeof value !== "string" || value.trim() !== "";
}

/**
 * The line of the stderr summary that says how the export was read (empty for NDJSON).
 *
 * @example
 * ```ts
 * readingLine({ delimiter: ";", delimiterFrom: "detected", profile: "zendesk", profileDetected: true });
 * // "read as: semicolon-separated (detected), profile zendesk (detected)\n"
 * ```
 */
export function readingLine(facts: ExportFacts): string {
  return readAsLine(facts) + undecodableLine(facts);
}

/**
 * The warning of the stderr summary for an export that is not UTF-8 (empty when it is): its text
 * reached the output with "�" in place of the bytes, so it is said, with the way to read it right.
 *
 * @example
 * ```ts
 * undecodableLine({ undecodable: { count: 3, first: 2 } });
 * // "warning: 3 characters (the first on line 2) are not UTF-8 and were read as �; add --encoding …"
 * ```
 */
export function undecodableLine(facts: ExportFacts): string {
  const u = facts.undecodable;
  if (u === undefined) return "";
  const what = u.count === 1 ? "1 character (on line" : `${u.count} characters (the first on line`;
  return `warning: ${what} ${u.first}) ${u.count === 1 ? "is" : "are"} not UTF-8 and ${u.count === 1 ? "was" : "were"} read as �; add --encoding with the export's encoding (a CSV saved by Excel on Windows: --encoding windows-1252; --strict: exit 1)\n`;
}

/** How the reading summary says where the separator came from. */
const DELIMITER_FROM: Readonly<Record<DelimiterSource, string>> = {
  given: "--delimiter",
  directive: "sep= line",
  detected: "detected",
};

function readAsLine(facts: ExportFacts): string {
  if (facts.delimiter === undefined) return "";
  const parts = [`${delimiterName(facts.delimiter)}-separated (${DELIMITER_FROM[facts.delimiterFrom ?? "given"]})`];
  if (facts.encoding !== undefined && facts.encodingWhy !== "default")
    parts.unshift(`${facts.encoding} (${facts.encodingWhy === "given" ? "--encoding" : "byte-order mark"})`);
  if (facts.profile !== undefined)
    parts.push(`profile ${facts.profile} (${facts.profileDetected ? "detected" : "--profile"})`);
  const unread =
    facts.unread === undefined || facts.unread.length === 0
      ? ""
      : // The headers come from the file: quoted as JSON, so no control character reaches the terminal.
        `not read: ${jsonList(facts.unread)} (an instant of the first response or the resolution? map it with --columns responded_at=… or resolved_at=…)\n`;
  return `read as: ${parts.join(", ")}\n${unread}`;
}

/**
 * cli-progress, loaded when a progress bar is first shown (a terminal and a large input): not
 * before the first row of every run, most of which have no bar.
 */
function loadCliProgress(): typeof cliProgressModule {
  return createRequire(import.meta.url)("cli-progress") as typeof cliProgressModule;
}

/**
 * Streams an export through the ticket clock, calling `visit` per batch of rows, with a progress
 * bar on stderr when it is a terminal and the input is large ({@link PROGRESS_FROM_BYTES}). `reading`
 * says how to read it; `facts` is filled in with what the header showed. With {@link RowPolicies},
 * each row is judged on the policy its `policy` cell names. `expand`, when given, sees the records
 * between the reader and the clock (the report evaluates some rows under several policies). `now`
 * may be `--now` still to be read ({@link ExportNow}): it is read as soon as the header is, and the
 * result says which instant the rows were evaluated at.
 *
 * @example
 * ```ts
 * await streamExport(policy, openInput("tickets.csv", process.stdin), Date.now(), process.stderr, (rows) => console.log(rows.length));
 * ```
 */
export async function streamExport(
  policy: Policy | RowPolicies,
  input: ExportInput,
  now: ExportNow,
  stderr: Writable,
  visit: (rows: readonly RowOutcome[]) => void | Promise<void>,
  reading: ExportReading = {},
  facts: ExportFacts = {},
  expand?: (records: AsyncIterable<readonly InputRecord[]>) => AsyncIterable<readonly InputRecord[]>,
): Promise<{ rows: number; failed: number; now: number }> {
  const read = exportReader(input, stderr, reading, facts, now);
  let done = 0;
  // One pass over the input, file or stdin alike: nothing is read twice or copied aside.
  const records = readRecordBatches(input.stream, input.format, read.options);
  try {
    const counts = await evaluateRecords(
      policy,
      expand === undefined ? guarded(records, input.name, facts) : expand(guarded(records, input.name, facts)),
      read.now,
      (rows) => {
        done += rows.length;
        read.progress(done);
        return visit(rows);
      },
      read.cells,
    );
    return { ...counts, now: read.now() };
  } finally {
    read.close();
  }
}

/**
 * How an export is read, shared by the serial and the parallel evaluation: the reader's options
 * (columns named by the profile or mapping, separator, what the header showed going into `facts`),
 * the cells' reading (a profile's date format applies unless --date-format says otherwise), `now`
 * read as the cells are (once the header has named the profile, so that a bad `--now` is a usage
 * error even for an export without rows), and a progress bar on stderr when it is a terminal and
 * the input is large ({@link PROGRESS_FROM_BYTES}).
 */
function exportReader(
  input: ExportInput,
  stderr: Writable,
  reading: ExportReading,
  facts: ExportFacts,
  now: ExportNow,
): {
  options: ReadOptions;
  cells: CellReading;
  now: () => number;
  progress: (rows: number) => void;
  close: () => void;
} {
  const tty = (stderr as { isTTY?: unknown }).isTTY === true;
  let bar: cliProgressModule.SingleBar | undefined;
  if (tty && input.size >= PROGRESS_FROM_BYTES) {
    const cliProgress = loadCliProgress();
    bar = new cliProgress.SingleBar(
      {
        stream: stderr as NodeJS.WriteStream,
        format: "evaluating [{bar}] {percentage}% | {rows} rows | ETA {eta_formatted}",
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(input.size, 0, { rows: 0 });
  }
  // On a signal, give the terminal its cursor back.
  const forgetBar = bar === undefined ? undefined : onInterrupt(() => (bar.stop(), undefined));
  const namer = new HeaderNamer(reading);
  const options: ReadOptions = {
    required: REQUIRED_FIELDS,
    columns: FIELDS,
    startsRow: startsTicketRow,
    ...(reading.delimiter === undefined ? {} : { delimiter: reading.delimiter }),
    ...(reading.encoding === undefined ? {} : { encoding: reading.encoding }),
    onEncoding: (encoding, why) => {
      facts.encoding = encoding;
      facts.encodingWhy = why;
    },
    onUndecodable: (line, count) => {
      if (facts.undecodable === undefined) facts.undecodable = { count, first: line };
      else facts.undecodable.count += count;
    },
    nameColumns: (cells, delimiter, delimiterFrom) => {
      let names: readonly string[];
      try {
        names = namer.name(cells);
      } catch (e) {
        // A header that is not UTF-8 cannot be mapped: say why its names show "�".
        if (e instanceof UsageError && facts.undecodable !== undefined)
          throw new UsageError(`${e.message}\n${undecodableLine(facts).trimEnd()}`);
        throw e;
      }
      facts.delimiter = delimiter;
      facts.delimiterFrom = delimiterFrom;
      facts.unread = namer.unread;
      facts.policyColumn = names.includes("policy");
      if (namer.profile !== undefined) {
        facts.profile = namer.profile.id;
        facts.profileDetected = namer.detected;
      }
      nowAt();
      return names;
    },
    ...(bar === undefined ? {} : { onBytes: (n: number) => bar.increment(n) }),
  };
  // Known once the header is read, which is before the first row reaches the clock.
  const cells: CellReading = {
    ...reading,
    get dateFormat() {
      return reading.dateFormat ?? namer.profile?.dateFormat;
    },
    get dateFormatProfile() {
      return reading.dateFormat === undefined ? namer.profile?.id : undefined;
    },
    get columnHeaders() {
      return namer.headers;
    },
  };
  let nowMs = typeof now === "number" ? now : undefined;
  const nowAt = (): number => (nowMs ??= (now as Exclude<ExportNow, number>)(cells));
  // NDJSON has no header, hence no profile: its cells' format is known now.
  if (input.format === "ndjson") nowAt();
  return {
    options,
    cells,
    now: nowAt,
    progress: (rows) => bar?.update({ rows }),
    close: () => {
      bar?.stop();
      forgetBar?.();
      if (input.path !== undefined) input.stream.destroy();
    },
  };
}

/**
 * {@link streamExport} of a CSV export on `jobs` threads (src/cli/parallel/): this thread reads the
 * input and cuts it into parcels of whole rows (the same cuts as the serial reader); `jobs − 1`
 * worker threads, and this one when they are all busy, read, evaluate and format them; `done` gets
 * each parcel's bytes, row count and first policies in the input's order, and `counted` the
 * summary counts of each thread at the end. The output is the serial path's, byte for byte.
 */
async function streamExportInWorkers(
  input: ExportInput,
  stderr: Writable,
  reading: ExportReading,
  facts: ExportFacts,
  now: ExportNow,
  jobs: number,
  parcelRows: number,
  initOf: (header: HeaderFacts, cells: CellReading, now: number) => WorkerInit,
  here: (init: WorkerInit) => ParcelEvaluator,
  done: (parcel: DoneParcel) => Promise<void>,
  counted: (summary: SummarySnapshot) => void,
): Promise<void> {
  const read = exportReader(input, stderr, reading, facts, now);
  const sink = new ParcelSink(parcelRows);
  let rows = 0;
  try {
    const summaries = await evaluateInWorkers(
      readingErrors(readCsvFrames(input.stream, read.options, sink), input.name),
      jobs,
      () => {
        const header = sink.facts;
        if (header === undefined) throw new Error("streamExportInWorkers: a parcel before the header");
        return initOf(
          header,
          { ...read.cells, dateFormat: read.cells.dateFormat, dateFormatProfile: read.cells.dateFormatProfile },
          read.now(),
        );
      },
      here,
      async (parcel) => {
        rows += parcel.rows;
        read.progress(rows);
        await done(parcel);
      },
    );
    for (const summary of summaries) counted(summary);
  } finally {
    read.close();
  }
}

/** Read errors of the input (a vanished disk, a directory) as usage errors naming it. */
async function* readingErrors<T>(items: AsyncIterable<T>, name: string): AsyncGenerator<T> {
  try {
    yield* items;
  } catch (e) {
    if (isSystemError(e)) throw new UsageError(`cannot read ${name}: ${systemMessage(e)}`);
    throw e;
  }
}

/**
 * The summary as text: the per-priority table, or with rows on several policies one table per
 * policy under its id and name, then the totals.
 *
 * @example
 * ```ts
 * process.stderr.write(summaryTable(summary));
 * ```
 */
export function summaryTable(summary: ExportSummary): string {
  if (!("policies" in summary)) return priorityTable(summary);
  const blocks = summary.policies.map(
    (p) => `policy ${escapeForTerminal(p.policy)} (${escapeForTerminal(p.name)}):\n${priorityTable(p)}`,
  );
  const unknown = summary.rows - summary.policies.reduce((n, p) => n + p.rows, 0);
  return `${blocks.join("\n")}\nall policies: rows: ${summary.rows}, failed: ${summary.failed}${unknown > 0 ? ` (${unknown} naming no known policy)` : ""}\n`;
}

/**
 * The cycle metrics whose columns the output of a run carries: those some policy the rows may be
 * judged on has a target for (at any priority).
 *
 * @example
 * ```ts
 * cycleMetricsOf([getPolicy("softone-se")]); // []: no preset has next-reply or periodic-update targets
 * ```
 */
export function cycleMetricsOf(policies: readonly Policy[]): CycleMetric[] {
  const metrics: CycleMetric[] = ["nextReply", "periodicUpdate"];
  return metrics.filter((m) => policies.some((p) => p.priorities.some((row) => row.targets[m].kind !== "none")));
}

function priorityTable(summary: SummaryResult): string {
  const pct = (v: number | null) => (v === null ? "–" : `${v.toFixed(1)}%`);
  // The cycle metrics a priority row has counts for (the policy has a target for them): met % and
  // breaches over cycles.
  const cycles = (["nextReply", "periodicUpdate"] as const).filter((m) => summary.priorities.some((p) => p[m]));
  const rows = summary.priorities.map((p) => [
    p.priority,
    p.label,
    String(p.count),
    pct(p.response.metPct),
    String(p.response.breached),
    pct(p.resolution.metPct),
    String(p.resolution.breached),
    p.medianResponseHours === null ? "–" : p.medianResponseHours.toFixed(2),
    ...cycles.flatMap((m) => [pct(p[m]?.metPct ?? null), String(p[m]?.breached ?? 0)]),
  ]);
  const header = [
    "priority",
    "label",
    "tickets",
    "response met",
    "breached",
    "resolution met",
    "breached",
    "median response h",
    ...cycles.flatMap((m) => [`${m === "nextReply" ? "next reply" : "periodic update"} cycles met`, "breached"]),
  ];
  return `${textTable(header, rows)}\nrows: ${summary.rows}, failed: ${summary.failed}\n`;
}

/**
 * Options of {@link runEvaluate}. `escapeFormulas` (default `true`) neutralises CSV cells that a
 * spreadsheet would run as a formula (see {@link RowWriter}).
 *
 * @example
 * ```ts
 * const options: EvaluateCommandOptions = { now: Date.now(), format: "csv", out: "evaluated.csv" };
 * ```
 */
export interface EvaluateCommandOptions {
  /** The instant the rows are evaluated at, or `--now` read once the header is ({@link ExportNow}). */
  readonly now: ExportNow;
  readonly format: OutputFormat;
  readonly out?: string;
  /** The run's other input files (a `.json` policy, `--columns`, `--priority-map`, `--closures`), which the output must not replace. */
  readonly alsoRead?: readonly string[];
  readonly escapeFormulas?: boolean;
  /** How to read the export (columns, separator, instant formats, priorities). */
  readonly reading?: ExportReading;
  /** Exit 1 when some rows failed (default: 0 once the output is written). */
  readonly strict?: boolean;
  /**
   * Threads that evaluate a CSV export's rows (`--jobs`): this one and `jobs − 1` worker threads;
   * 1: this thread alone. Default: {@link defaultJobs} for a CSV file of at least
   * {@link PARALLEL_FROM_BYTES}, else 1. Only with `source`, from which the workers build the policy.
   */
  readonly jobs?: number;
  /** The command's `<policy>` argument and `--closures` feeds, from which a worker builds the same policy. */
  readonly source?: { readonly policy: string; readonly closures: readonly string[] };
  /** Rows per parcel of the parallel path (default {@link PARCEL_ROWS}; small in tests, to make many). @internal */
  readonly parcelRows?: number;
}

/**
 * CSV files at least this large (in bytes) are evaluated on several threads by default (see
 * {@link EvaluateCommandOptions.jobs}): starting a worker takes about a tenth of a second, which a
 * smaller file does not win back.
 *
 * @example
 * ```ts
 * PARALLEL_FROM_BYTES; // 8 MiB, about 90 000 rows of the documented columns
 * ```
 */
export const PARALLEL_FROM_BYTES = 8 * 1024 * 1024;

/** How many threads evaluate the rows (1: this one alone; see {@link EvaluateCommandOptions.jobs}). */
function threadsFor(options: EvaluateCommandOptions, input: ExportInput): number {
  if (options.source === undefined || input.format !== "csv") return 1;
  if (options.jobs !== undefined) return options.jobs;
  return input.size >= PARALLEL_FROM_BYTES ? defaultJobs() : 1;
}

/** Resolves once a stream has released its file descriptor (or at once if it has none left). */
function closed(stream: Writable): Promise<void> {
  if (stream.closed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once("close", () => resolve());
    stream.destroy();
  });
}

/**
 * `sla-clock evaluate`: one output row per input row, and the summary. Returns the exit code:
 * 0 once the output is written, also with rows that failed (they carry their error and the summary
 * counts them); 1 for failed rows only with `strict`. When stdout is closed early (`| head`)
 * it stops quietly. Throws `UsageError` for an input it cannot read or an output it cannot write.
 * An `--out` file appears only complete: it is written to a temporary file beside it and renamed
 * onto it at the end; on an error the temporary file is removed and an existing file is untouched.
 *
 * @example
 * ```ts
 * const code = await runEvaluate(getPolicy("softone-se"), "tickets.csv", { now: Date.now(), format: "csv" }, io);
 * ```
 */
export async function runEvaluate(
  policy: Policy,
  file: string,
  options: EvaluateCommandOptions,
  io: { stdin: Readable; stdout: Writable; stderr: Writable },
): Promise<number> {
  const input = openInput(file, io.stdin);
  refuseHeaderOptionsForNdjson(input, options.reading);
  const alsoRead = options.alsoRead ?? [];
  const target = options.out === undefined ? undefined : await openOutputOrClose(options.out, input, "--out", alsoRead);
  if (target === undefined) {
    try {
      refuseStdoutOnInput(io.stdout, guardOf(input, alsoRead));
    } catch (e) {
      if (input.path !== undefined) input.stream.destroy();
      throw e;
    }
  }
  const out = target === undefined ? io.stdout : target.createStream();
  const terminal = target === undefined ? (io.stdout as { isTTY?: unknown }).isTTY === true : target.isTerminal;
  const facts: ExportFacts = {};
  const policies = rowPolicies(policy);
  // Known once the header (or the first NDJSON line) is read, which is before the first write.
  const layout = (): OutputLayout => ({
    policy: facts.policyColumn === true,
    cycleMetrics: cycleMetricsOf(facts.policyColumn === true ? policies.possible() : [policy]),
  });
  const writer = new RowWriter(out, options.format, policy.calendar, {
    escapeFormulas: options.escapeFormulas ?? true,
    terminal,
    layout,
  });
  const summary = new SummaryByPolicy(policy);
  const forgetStdout =
    target === undefined ? onInterrupt(() => "the rows already written to stdout are incomplete") : undefined;
  const exitCode = () =>
    options.strict === true && (summary.counts.failed > 0 || facts.undecodable !== undefined) ? 1 : 0;
  try {
    const jobs = threadsFor(options, input);
    const source = options.source;
    if (jobs > 1 && source !== undefined)
      await streamExportInWorkers(
        input,
        io.stderr,
        options.reading ?? {},
        facts,
        options.now,
        jobs,
        options.parcelRows ?? PARCEL_ROWS,
        (header, cells, now) => ({
          policy: source.policy,
          closures: source.closures,
          files: inputTextsRead(),
          reading: cells,
          now,
          format: options.format,
          escapeFormulas: options.escapeFormulas ?? true,
          terminal,
          layout: layout(),
          header,
        }),
        (init) => new ParcelEvaluator(policy, init),
        async (parcel) => {
          summary.notePolicies(parcel.policies, (id) => policies.byName(id));
          await writer.writeFormatted(parcel.bytes, parcel.rows);
        },
        (counts) => summary.absorb(counts, (id) => policies.byName(id)),
      );
    else
      await streamExport(
        policies,
        input,
        options.now,
        io.stderr,
        async (rows) => {
          for (const row of rows) summary.add(row);
          await writer.write(rows);
        },
        options.reading,
        facts,
      );
    await writer.end(summary.result(facts.policyColumn === true));
    if (target !== undefined) {
      out.end();
      await finished(out);
      target.commit();
    }
  } catch (e) {
    if (!(e instanceof OutputError) && !(target !== undefined && isSystemError(e))) throw e;
    // The reader of stdout went away (`sla-clock evaluate … | head`): stop quietly.
    if (target === undefined && e instanceof OutputError && e.code === "EPIPE") return exitCode();
    throw new UsageError(`cannot write ${options.out ?? "to stdout"}: ${systemMessage(e)}`);
  } finally {
    writer.detach();
    forgetStdout?.();
    if (target !== undefined) {
      // Not committed (an error on the way): the partial output goes, the target stays as it was.
      await closed(out);
      target.discard();
    }
  }
  const result = summary.result(facts.policyColumn === true);
  if (options.format !== "json" || target !== undefined) io.stderr.write(readingLine(facts) + summaryTable(result));
  else io.stderr.write(readingLine(facts));
  if (result.failed > 0 && options.strict !== true)
    io.stderr.write(
      `${result.failed} row${result.failed > 1 ? "s" : ""} failed (see the error column); exit code 0 (--strict: 1)\n`,
    );
  return exitCode();
}

function isSystemError(e: unknown): boolean {
  return e instanceof Error && typeof (e as { code?: unknown }).code === "string";
}
