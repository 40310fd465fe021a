import type { Readable, Writable } from "node:stream";
import { Command, CommanderError, Option } from "commander";
import { SlaClockError } from "../errors";
import type { Policy } from "../clock/policy";
import { deadlineLine } from "./commands/deadline";
import { runEvaluate } from "./commands/evaluate";
import { runExport, type ExportCommandOptions } from "./commands/export";
import { hoursTable } from "./commands/hours";
import { policiesTable } from "./commands/policies";
import { runReport } from "./commands/report";
import { escapeForTerminal } from "./format";
import { OUTPUT_COLUMNS } from "./io/write-rows";
import { HISTOGRAM_HOURS } from "./summary";
import { UsageError, loadCalendar, loadPolicy } from "./load";

/**
 * The streams the CLI talks to (process streams, or test doubles).
 *
 * @example
 * ```ts
 * const io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
 * ```
 */
export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

const INPUT_HELP = `
Input: a CSV export with a header row, NDJSON (.ndjson/.jsonl), or - for CSV on stdin.
CSV columns (header names are case-insensitive; other columns are ignored):
  id, priority, created_at  required
  responded_at              the first response
  resolved_at               the resolution
  pauses                    start/end pairs separated by ";" (an empty end: still paused)
  priority_changes          at=priority pairs separated by ";"
  Empty cells mean none. Instants are ISO-8601; without an offset they are wall time in the
  policy calendar's zone.
NDJSON lines carry the same fields, or a whole ticket { id, priority, createdAt, events }.
Every input row gives one output row, with its line number; a row with bad data gets an error.`;

const SUMMARY_HELP = `
Summary per priority (stderr, or inside --format json): tickets, met % (met / (met + breached))
and breached per metric, and the median time to first response in business hours, from a
one-minute histogram (a response after more than ${HISTOGRAM_HOURS} hours counts as ${HISTOGRAM_HOURS}).`;

const EXIT_HELP = `
Exit codes: 0 every row evaluated, 1 some rows failed, 2 usage error (bad arguments, unknown
policy, unreadable input, unwritable output, output that is the input), 130/143 interrupted by
SIGINT/SIGTERM (no partial output file is left).`;

const OUTPUT_HELP = `
Output columns: ${OUTPUT_COLUMNS.join(", ")}
CSV cells starting with = + - @ tab or CR get a ' in front, so a spreadsheet shows them as text
instead of running them as formulas (--no-escape-formulas: as they are). An --out file is written
to a temporary file beside it and appears only when complete.`;

function nowOf(policy: Policy, text: string | undefined): number {
  if (text === undefined) return Date.now();
  try {
    return policy.calendar.parse(text, { path: "--now" }).getTime();
  } catch (e) {
    if (e instanceof SlaClockError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * Runs the `sla-clock` command line and resolves to its exit code: 0 success, 1 some rows failed,
 * 2 usage error (unknown policy, bad flag, unreadable file).
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(["node", "sla-clock", "deadline", "softone-se", "--priority", "1", "2026-04-02T11:00"], io);
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code = 0;
  const program = new Command()
    .name("sla-clock")
    .description("Support SLA deadlines, remaining time and breaches on real opening hours.")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `\nRun sla-clock <command> --help for a command's options; docs/cli.md has the details.\n${EXIT_HELP}`,
    );

  program
    .command("policies")
    .description("every built-in policy with its calendar and its targets per priority")
    .addHelpText("after", EXIT_HELP)
    .action(() => {
      io.stdout.write(policiesTable());
    });

  program
    .command("hours")
    .description("open hours day by day, with why a day is short or closed")
    .addHelpText("after", EXIT_HELP)
    .argument("<calendar>", "a built-in calendar or policy id, or a .json spec")
    .requiredOption("--from <date>", "first date, YYYY-MM-DD")
    .requiredOption("--to <date>", "last date, YYYY-MM-DD")
    .action((calendar: string, opts: { from: string; to: string }) => {
      io.stdout.write(hoursTable(loadCalendar(calendar), opts.from, opts.to));
    });

  program
    .command("export")
    .description("the calendar's open time as warehouse tables (CSV, Parquet or an SQL script), see docs/warehouse.md")
    .addHelpText("after", EXIT_HELP)
    .argument("<calendar>", "a built-in calendar or policy id, or a .json spec")
    .requiredOption("--from <instant>", "start of the range (ISO-8601; without an offset: the calendar's wall time)")
    .requiredOption("--to <instant>", "end of the range, not included")
    .addOption(new Option("--format <format>", "output format").choices(["csv", "parquet", "sql"]).default("sql"))
    .addOption(new Option("--dialect <dialect>", "SQL dialect").choices(["duckdb", "postgres", "ansi"]).default("ansi"))
    .option("--out <path>", "sql: a file (default stdout); csv, parquet: a folder, one file per table")
    .action(async (calendar: string, opts: Omit<ExportCommandOptions, "generatedAt">) => {
      code = await runExport(loadCalendar(calendar), calendar, opts, io);
    });

  program
    .command("deadline")
    .description("one deadline, ISO-8601 with the calendar's offset")
    .addHelpText("after", EXIT_HELP)
    .argument("<policy>", "a built-in policy id, or a .json policy spec")
    .argument("<start>", "when the clock starts (ISO-8601; without an offset: the calendar's wall time)")
    .requiredOption("--priority <priority>", "a priority of the policy's table")
    .addOption(new Option("--metric <metric>", "which target").choices(["response", "resolution"]).default("response"))
    .action((policy: string, start: string, opts: { priority: string; metric: string }) => {
      io.stdout.write(`${deadlineLine(loadPolicy(policy), opts.priority, opts.metric, start)}\n`);
    });

  program
    .command("evaluate")
    .description("evaluate a ticket export: one output row per input row, and a summary per priority")
    .argument("<policy>", "a built-in policy id, or a .json policy spec")
    .argument("<file>", "CSV or NDJSON export, or - for CSV on stdin")
    .option("--now <instant>", "evaluate as of this instant (default: now)")
    .addOption(new Option("--format <format>", "output format").choices(["csv", "json", "ndjson"]).default("csv"))
    .option("--out <file>", "write the rows to a file instead of stdout")
    .option("--no-escape-formulas", "CSV: write cells starting with = + - @ tab or CR as they are")
    .addHelpText("after", `${INPUT_HELP}\n${OUTPUT_HELP}\n${SUMMARY_HELP}\n${EXIT_HELP}`)
    .action(
      async (
        policyArg: string,
        file: string,
        opts: { now?: string; format: "csv" | "json" | "ndjson"; out?: string; escapeFormulas: boolean },
      ) => {
        const policy = loadPolicy(policyArg);
        code = await runEvaluate(
          policy,
          file,
          {
            now: nowOf(policy, opts.now),
            format: opts.format,
            escapeFormulas: opts.escapeFormulas,
            ...(opts.out === undefined ? {} : { out: opts.out }),
          },
          io,
        );
      },
    );

  program
    .command("report")
    .description("evaluate a ticket export into one self-contained HTML report with charts")
    .argument("<policy>", "a built-in policy id, or a .json policy spec")
    .argument("<file>", "CSV or NDJSON export, or - for CSV on stdin")
    .requiredOption("--html <file>", "where to write the report")
    .option("--now <instant>", "evaluate as of this instant (default: now)")
    .addHelpText("after", `${INPUT_HELP}\n${SUMMARY_HELP}\n${EXIT_HELP}`)
    .action(async (policyArg: string, file: string, opts: { html: string; now?: string }) => {
      const policy = loadPolicy(policyArg);
      code = await runReport(policy, file, opts.html, nowOf(policy, opts.now), io);
    });

  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) {
      // The message may quote the input (a header, a path): no control characters reach the terminal.
      io.stderr.write(`sla-clock: ${e.message.split("\n").map(escapeForTerminal).join("\n")}\n`);
      return 2;
    }
    throw e;
  }
}
