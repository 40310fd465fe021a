/**
 * The CLI's throughput and memory on a 1 M-row export (issues 13 and 15, "Speed"): a seeded CSV
 * written to a temporary folder, then three child processes over it, each timed from spawn to exit
 * with its peak RSS:
 *
 * - a plain csv-parse → csv-stringify pass (stream to stream, every cell as it is), the floor any
 *   CSV → CSV tool built on those two libraries pays;
 * - `sla-clock evaluate softone-se <file> --out <csv>` of the built CLI (dist/cli.js);
 * - `sla-clock report softone-se <file> --html <html>`.
 *
 * Peak RSS is the kernel's own figure, the high-water mark of the child's memory (`VmHWM` in
 * /proc/self/status; `process.resourceUsage().maxRSS` where there is no /proc; not that first on
 * Linux, because ru_maxrss is kept across execve and a spawned child would report at least this
 * bench process's RSS), written by each child as it exits through a preloaded `--import` module, so no polling can miss a
 * peak and nothing outside Node (such as /usr/bin/time) is needed. `npm run bench` calls
 * {@link cliFigures}; `node --import tsx bench/cli.ts [rows]` runs it alone and prints the figures.
 */
import { spawn } from "node:child_process";
import { defaultJobs } from "../src/cli/parallel/pool";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Calendar } from "../src/index";
import { HOUR, prng } from "./workload";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "dist", "cli.js");
/** After every event of the generated tickets, so each is evaluated to its end. */
export const CLI_NOW = "2027-03-01T00:00:00Z";
const FROM = Date.UTC(2025, 0, 1);
const TO = Date.UTC(2026, 11, 1);
const DAY = 24 * HOUR;
/** Per priority, the calendar time within which first responses and resolutions fall (skewed early). */
const RESPONSE_SPREAD = [8 * HOUR, 16 * HOUR, 3 * DAY, 6 * DAY, 8 * DAY];
const RESOLUTION_SPREAD = [10 * HOUR, 4 * DAY, 30 * DAY, 90 * DAY, 200 * DAY];

/**
 * Writes a seeded export of `rows` tickets in the documented CSV columns, instants as the help desk
 * would write them (ISO-8601 with the local Stockholm offset, as `calendar.format` prints), created
 * to the second, over 2025-01-01 … 2026-12-01 with priorities 1–5: 90 % have a first response
 * and 70 % of those are resolved, sooner for the urgent priorities (most within target, some not);
 * one in ten is paused once (one in thirty twice), one in twelve changes priority, and one in fifty
 * is still paused. Returns the file's size in bytes.
 */
export function writeTicketExport(path: string, rows: number, seed: number, calendar: Calendar): number {
  const random = prng(seed);
  const fd = openSync(path, "w");
  const at = (ms: number) => calendar.format(ms - (ms % 1000));
  let chunk = "id,priority,created_at,responded_at,resolved_at,pauses,priority_changes\n";
  try {
    for (let i = 0; i < rows; i++) {
      const created = FROM + Math.floor(random() * (TO - FROM));
      const priority = 1 + Math.floor(random() * 5);
      let t = created;
      const pauses: string[] = [];
      let change = "";
      const pauseCount = i % 30 === 0 ? 2 : i % 10 === 0 ? 1 : 0;
      for (let k = 0; k < pauseCount; k++) {
        t += Math.floor(random() * 6 * HOUR);
        const start = t;
        t += 10 * 60_000 + Math.floor(random() * 2 * DAY);
        pauses.push(`${at(start)}/${i % 50 === 0 && k === pauseCount - 1 ? "" : at(t)}`);
      }
      const stillPaused = i % 50 === 0 && pauseCount > 0;
      if (i % 12 === 0) {
        t += Math.floor(random() * 4 * HOUR);
        const to = priority <= 2 ? 3 : 1 + ((priority + Math.floor(random() * 4)) % 5);
        if (!stillPaused) change = `${at(t)}=${to}`;
      }
      let responded = "";
      let resolved = "";
      if (!stillPaused && random() < 0.9) {
        t += Math.floor(random() ** 2 * RESPONSE_SPREAD[priority - 1]!);
        responded = at(t);
        if (random() < 0.78) {
          t += 10 * 60_000 + Math.floor(random() ** 2 * RESOLUTION_SPREAD[priority - 1]!);
          resolved = at(t);
        }
      }
      chunk += `SO-${String(i + 1).padStart(7, "0")},${priority},${at(created)},${responded},${resolved},${pauses.join(";")},${change}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = "";
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return statSync(path).size;
}

/**
 * The plain pass the CLI is compared with: csv-parse's stream into csv-stringify's stream, file to
 * file, every record as an array of its cells. Run as an ES module in a child of its own.
 */
const PLAIN_PASS = `
import { createReadStream, createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";
import { stringify } from "csv-stringify";
await pipeline(createReadStream(process.argv[1]), parse(), stringify(), createWriteStream(process.argv[2]));
`;

/**
 * Preloaded into every child: writes its resource usage (peak RSS in kilobytes, CPU time in
 * microseconds) as JSON to the file named in SLA_BENCH_RSS as it exits.
 */
const RSS_PROBE =
  "data:text/javascript," +
  encodeURIComponent(
    'import { readFileSync, writeFileSync } from "node:fs"; process.on("exit", () => { let hwm = null; try { hwm = Number(/VmHWM:\\s*(\\d+)/.exec(readFileSync("/proc/self/status", "utf8"))[1]); } catch {} writeFileSync(process.env.SLA_BENCH_RSS, JSON.stringify({ ...process.resourceUsage(), vmHWM: hwm })); });',
  );

/** One child's run: wall time from spawn to exit, peak RSS, exit code and what it said on stderr. */
export interface ChildRun {
  readonly ms: number;
  readonly peakRssBytes: number;
  /** User and system CPU time of the child (all its threads: the garbage collector's helpers too). */
  readonly cpuMs: number;
  readonly code: number | null;
  readonly stderr: string;
}

function runChild(args: readonly string[], rssFile: string): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ["--import", RSS_PROBE, ...args], {
      cwd: ROOT,
      env: { ...process.env, SLA_BENCH_RSS: rssFile },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - t0;
      const usage = JSON.parse(readFileSync(rssFile, "utf8")) as NodeJS.ResourceUsage & { vmHWM: number | null };
      resolve({
        ms,
        code,
        stderr,
        // VmHWM (Linux) is the peak of this process image alone; ru_maxrss survives execve, so a
        // child spawned by this (large) bench process would report at least the parent's RSS.
        peakRssBytes: (usage.vmHWM ?? usage.maxRSS) * 1024,
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      });
    });
  });
}

/** The figures of one run of {@link cliFigures}. */
export interface CliFigures {
  readonly rows: number;
  readonly fileBytes: number;
  readonly plain: ChildRun;
  /** `evaluate` as a user runs it: on this machine's default threads (see `--jobs`). */
  readonly evaluate: ChildRun;
  /** The same with `--jobs 1`: one thread, as `report` runs. */
  readonly evaluateOne: ChildRun;
  /** The threads `evaluate` used by default here. */
  readonly jobs: number;
  readonly report: ChildRun;
  /** Bytes of the evaluate output, and its data rows (one per input row). */
  readonly outBytes: number;
  readonly outRows: number;
}

/**
 * Generates the export (`rows` rows, seeded) in a temporary folder, runs the three children one
 * after the other, checks that each exited 0 and that evaluate wrote one row per input row, and
 * removes the folder.
 */
export async function cliFigures(rows: number, seed: number, calendar: Calendar): Promise<CliFigures> {
  const dir = mkdtempSync(join(os.tmpdir(), "sla-clock-bench-cli-"));
  try {
    const input = join(dir, "tickets.csv");
    const fileBytes = writeTicketExport(input, rows, seed, calendar);
    const rss = join(dir, "rss");
    const plain = await runChild(["--input-type=module", "-e", PLAIN_PASS, input, join(dir, "plain.csv")], rss);
    const out = join(dir, "evaluated.csv");
    const evaluate = await runChild([CLI, "evaluate", "softone-se", input, "--now", CLI_NOW, "--out", out], rss);
    const one = join(dir, "evaluated-one.csv");
    const evaluateOne = await runChild(
      [CLI, "evaluate", "softone-se", input, "--now", CLI_NOW, "--out", one, "--jobs", "1"],
      rss,
    );
    const report = await runChild(
      [CLI, "report", "softone-se", input, "--now", CLI_NOW, "--html", join(dir, "report.html")],
      rss,
    );
    for (const [name, run] of [
      ["csv-parse → csv-stringify", plain],
      ["evaluate", evaluate],
      ["evaluate --jobs 1", evaluateOne],
      ["report", report],
    ] as const)
      if (run.code !== 0) throw new Error(`${name} exited with ${run.code}: ${run.stderr}`);
    const text = readFileSync(out, "utf8");
    let outRows = -1; // the header
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) outRows++;
    if (outRows !== rows) throw new Error(`evaluate wrote ${outRows} rows for ${rows} input rows`);
    if (!readFileSync(one).equals(Buffer.from(text, "utf8")))
      throw new Error("evaluate on several threads and with --jobs 1 wrote different files");
    const jobs = defaultJobs();
    return { rows, fileBytes, plain, evaluate, evaluateOne, jobs, report, outBytes: statSync(out).size, outRows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rowsPerSecond = (f: CliFigures, r: ChildRun) => f.rows / (r.ms / 1000);
const mega = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const seconds = (r: ChildRun) => `${(r.ms / 1000).toFixed(2)} s`;
const thousands = (n: number) => Math.round(n).toLocaleString("en-US").replace(/,/g, " ");

/**
 * Rows of bench/RESULTS.md's "Required figures" table: evaluate's rate and peak RSS, its time
 * against the plain pass, and report's peak RSS and time against evaluate. `ok` words a verdict.
 */
export function cliRequiredRows(f: CliFigures, ok: (met: boolean) => string): string[] {
  const rate = rowsPerSecond(f, f.evaluate);
  const vsPlain = f.evaluate.ms / f.plain.ms;
  // report runs on one thread: its cost is judged against evaluate on one thread.
  const vsEvaluate = f.report.ms / f.evaluateOne.ms;
  return [
    `| \`sla-clock evaluate\` CSV → CSV, ${thousands(f.rows)} rows (the built CLI in a child process, spawn to exit; its default here: ${f.jobs} threads) | ≥ 150 000 rows/s, peak RSS < 300 MB | ${thousands(rate)} rows/s (${seconds(f.evaluate)}), peak RSS ${mega(f.evaluate.peakRssBytes)}; with \`--jobs 1\`: ${thousands(rowsPerSecond(f, f.evaluateOne))} rows/s (${seconds(f.evaluateOne)}), peak RSS ${mega(f.evaluateOne.peakRssBytes)} | ${ok(rate >= 150_000 && f.evaluate.peakRssBytes < 300e6)} |`,
    `| the same against a plain csv-parse → csv-stringify pass over the same file, same run | aim ≤ 2× | ${vsPlain.toFixed(2)}× (the pass: ${seconds(f.plain)}, ${thousands(rowsPerSecond(f, f.plain))} rows/s, peak RSS ${mega(f.plain.peakRssBytes)}) | ${vsPlain <= 2 ? "met" : "**over 2×**"} |`,
    `| \`sla-clock report\` on the same file: peak RSS, and time against \`evaluate --jobs 1\` (both on one thread) | < 500 MB, ≤ 1.5× | peak RSS ${mega(f.report.peakRssBytes)}; ${vsEvaluate.toFixed(2)}× (${seconds(f.report)}) | ${ok(f.report.peakRssBytes < 500e6 && vsEvaluate <= 1.5)} |`,
  ];
}

/** The "CLI" section of bench/RESULTS.md: the workload and every child's figures. */
export function cliSection(f: CliFigures): string[] {
  const row = (name: string, r: ChildRun) =>
    `| ${name} | ${seconds(r)} | ${thousands(rowsPerSecond(f, r))} | ${(r.cpuMs / 1000).toFixed(2)} s | ${mega(r.peakRssBytes)} |`;
  return [
    "## The CLI on a 1 M-row export",
    "",
    `bench/cli.ts writes a seeded export of ${thousands(f.rows)} tickets (${mega(f.fileBytes)} of CSV, the documented columns, instants to the second with the Stockholm offset; a tenth paused, a thirtieth twice, a fiftieth still paused, a twelfth with a priority change; most responses and resolutions within target, some not) to a temporary folder and runs four child processes over it, one after the other: a plain csv-parse → csv-stringify pass (stream to stream, every cell as it is: the floor of any CSV → CSV tool built on those libraries), \`sla-clock evaluate softone-se --out\` as a user runs it (here on ${f.jobs} threads: the main thread and ${f.jobs - 1} worker${f.jobs > 2 ? "s" : ""}, docs/cli.md "Large files"), the same with \`--jobs 1\`, and \`sla-clock report softone-se --html\` of the built CLI (dist/cli.js). The two evaluate outputs are compared byte for byte (equal). Time is wall time from spawn to exit (Node's start included, as a user sees it); peak RSS is the kernel's high-water mark of the child's own memory (\`VmHWM\` in /proc/self/status; not \`ru_maxrss\`, which Linux carries over from the spawning bench process across \`execve\`), written by a preloaded module as it exits. evaluate wrote ${thousands(f.outRows)} rows (${mega(f.outBytes)}), one per input row (checked).`,
    "",
    "| child | wall time | rows/s | CPU time (user + system, all threads) | peak RSS |",
    "| --- | --- | --- | --- | --- |",
    row("csv-parse → csv-stringify", f.plain),
    row(`\`sla-clock evaluate\` CSV → CSV (${f.jobs} threads)`, f.evaluate),
    row("`sla-clock evaluate --jobs 1`", f.evaluateOne),
    row("`sla-clock report` (HTML)", f.report),
    "",
    `On a machine shared with other work the wall times stretch; the CPU times are the steadier comparison: evaluate on one thread ${(f.evaluateOne.cpuMs / f.plain.cpuMs).toFixed(2)}× the plain pass, on ${f.jobs} threads ${(f.evaluate.cpuMs / f.evaluateOne.cpuMs).toFixed(2)}× the CPU of one thread (what running two isolates side by side costs on this machine: each has its own heap and collections), report ${(f.report.cpuMs / f.evaluateOne.cpuMs).toFixed(2)}× evaluate on one thread.`,
    "",
  ];
}

/** The figures as printed lines (for a run of this module alone). */
export function describeCliFigures(f: CliFigures): string[] {
  const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
  const line = (name: string, r: ChildRun) =>
    `${name.padEnd(28)} ${(r.ms / 1000).toFixed(2).padStart(6)} s  ${Math.round(f.rows / (r.ms / 1000))
      .toLocaleString("en")
      .padStart(9)} rows/s  peak RSS ${mb(r.peakRssBytes)}`;
  return [
    `${f.rows.toLocaleString("en")} rows, ${mb(f.fileBytes)} of CSV in, ${mb(f.outBytes)} out`,
    line("csv-parse → csv-stringify", f.plain),
    line(`sla-clock evaluate (${f.jobs} thr)`, f.evaluate),
    line("sla-clock evaluate --jobs 1", f.evaluateOne),
    line("sla-clock report", f.report),
    `evaluate / plain pass: ${(f.evaluate.ms / f.plain.ms).toFixed(2)}×; report / evaluate --jobs 1: ${(f.report.ms / f.evaluateOne.ms).toFixed(2)}× (wall)`,
    `CPU time: plain ${(f.plain.cpuMs / 1000).toFixed(2)} s, evaluate ${(f.evaluate.cpuMs / 1000).toFixed(2)} s (--jobs 1: ${(f.evaluateOne.cpuMs / 1000).toFixed(2)} s), report ${(f.report.cpuMs / 1000).toFixed(2)} s; report / evaluate --jobs 1 ${(f.report.cpuMs / f.evaluateOne.cpuMs).toFixed(2)}×`,
  ];
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sla = (await import(new URL("../dist/index.js", import.meta.url).href)) as typeof import("../src/index");
  const rows = Number(process.argv[2] ?? 1_000_000);
  const figures = await cliFigures(rows, 7, sla.getCalendar("softone-se"));
  for (const l of describeCliFigures(figures)) console.log(l);
  console.log(
    `load average: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(", ")}`,
  );
}
