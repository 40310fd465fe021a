import { createReadStream, createWriteStream, statSync } from "node:fs";
import { extname } from "node:path";
import type { Readable, Writable } from "node:stream";
import { finished } from "node:stream/promises";
import cliProgress from "cli-progress";
import type { Policy } from "../../sla/policy";
import { readRecords, type InputFormat } from "../io/read-records";
import { RowWriter, type OutputFormat } from "../io/write-rows";
import { textTable } from "../format";
import { UsageError } from "../load";
import { evaluateRecords, type RowOutcome } from "../run";
import { SummaryBuilder, type SummaryResult } from "../summary";

/** Files larger than this get a progress bar (when stderr is a terminal). */
const PROGRESS_FROM_BYTES = 5 * 1024 * 1024;

/**
 * Where the ticket export comes from: a path (format by extension, `.ndjson`/`.jsonl` or CSV) or
 * `-` for CSV on stdin.
 *
 * @example
 * ```ts
 * const input = openInput("examples/data/tickets.csv", process.stdin);
 * ```
 */
export function openInput(file: string, stdin: Readable): { stream: Readable; format: InputFormat; size: number } {
  if (file === "-") return { stream: stdin, format: "csv", size: 0 };
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`cannot read ${file}: no such file`);
  }
  const ext = extname(file).toLowerCase();
  const format: InputFormat = ext === ".ndjson" || ext === ".jsonl" ? "ndjson" : "csv";
  return { stream: createReadStream(file), format, size };
}

/**
 * Streams an export through the ticket clock, calling `visit` per row, with a progress bar on a
 * terminal for large inputs.
 * @internal
 */
export async function streamExport(
  policy: Policy,
  input: { stream: Readable; format: InputFormat; size: number },
  now: number,
  stderr: NodeJS.WriteStream | Writable,
  visit: (rows: readonly RowOutcome[]) => void | Promise<void>,
): Promise<{ rows: number; failed: number }> {
  const tty = "isTTY" in stderr && stderr.isTTY === true;
  let bar: cliProgress.SingleBar | undefined;
  if (tty && input.size >= PROGRESS_FROM_BYTES) {
    bar = new cliProgress.SingleBar(
      { stream: stderr as NodeJS.WriteStream, format: "evaluating [{bar}] {percentage}% | {value}/{total} bytes" },
      cliProgress.Presets.shades_classic,
    );
    bar.start(input.size, 0);
    let read = 0;
    input.stream.on("data", (chunk: Buffer | string) => {
      read += chunk.length;
      bar?.update(read);
    });
  }
  try {
    return await evaluateRecords(policy, readRecords(input.stream, input.format), now, visit);
  } finally {
    bar?.stop();
  }
}

/**
 * The per-priority summary as a text table.
 *
 * @example
 * ```ts
 * process.stderr.write(summaryTable(summary));
 * ```
 */
export function summaryTable(summary: SummaryResult): string {
  const pct = (v: number | null) => (v === null ? "–" : `${v.toFixed(1)}%`);
  const rows = summary.priorities.map((p) => [
    p.priority,
    p.label,
    String(p.count),
    pct(p.response.metPct),
    String(p.response.breached),
    pct(p.resolution.metPct),
    String(p.resolution.breached),
    p.medianResponseHours === null ? "–" : p.medianResponseHours.toFixed(2),
  ]);
  return `${textTable(["priority", "label", "tickets", "response met", "breached", "resolution met", "breached", "median response h"], rows)}\nrows: ${summary.rows}, failed: ${summary.failed}\n`;
}

/**
 * `sla-clock evaluate`: one output row per input row, and the summary. Returns the exit code:
 * 0 when every row was evaluated, 1 when some rows failed.
 *
 * @example
 * ```ts
 * const code = await runEvaluate(getPolicy("softone-se"), "tickets.csv", { now: Date.now(), format: "csv" }, io);
 * ```
 */
export async function runEvaluate(
  policy: Policy,
  file: string,
  options: { now: number; format: OutputFormat; out?: string },
  io: { stdin: Readable; stdout: Writable; stderr: Writable },
): Promise<number> {
  const input = openInput(file, io.stdin);
  const out = options.out === undefined ? io.stdout : createWriteStream(options.out);
  const writer = new RowWriter(out, options.format, policy.calendar.zone);
  const summary = new SummaryBuilder(policy);
  const { failed } = await streamExport(policy, input, options.now, io.stderr, async (rows) => {
    for (const row of rows) {
      if (row.evaluation === undefined) summary.addFailure();
      else summary.add(row.evaluation);
    }
    await writer.write(rows);
  });
  const result = summary.result();
  await writer.end(result);
  if (options.out !== undefined) {
    out.end();
    await finished(out);
  }
  if (options.format !== "json" || options.out !== undefined) io.stderr.write(summaryTable(result));
  return failed > 0 ? 1 : 0;
}
