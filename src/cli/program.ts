import { statSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import { Argument, Command, CommanderError, Option } from "commander";
import { SlaClockError } from "../errors";
import type { Policy } from "../clock/policy";
import { deadlineLine } from "./commands/deadline";
import { runEvaluate, type ExportReading } from "./commands/evaluate";
import { MAX_DEFAULT_JOBS } from "./parallel/pool";
import { explainCommand, type ExplainCommandOptions } from "./commands/explain";
import { runExport, type ExportCommandOptions } from "./commands/export";
import { currentWeek, hoursIcs, hoursTable } from "./commands/hours";
import { SCHEMA_KINDS, schemaFileText } from "./commands/schema";
import { nowOf as readNow, priorityReader, readsInFormat, type ExportNow, type InstantFormat } from "./io/cells";
import { checkEncoding } from "./io/lines";
import { PROFILES, parseColumnMapping } from "./io/columns";
import { policiesTable } from "./commands/policies";
import { runReport } from "./commands/report";
import { escapeForTerminal } from "./format";
import { packageVersion } from "./version";
import { OUTPUT_COLUMNS } from "./io/write-rows";
import { HISTOGRAM_HOURS } from "./summary";
import { UsageError, forgetInputTexts, loadCalendar, loadPolicy, namesPolicy } from "./load";
import { policyWithClosures, withClosures } from "./closures";
import { refuseStdoutOnInput } from "./io/output-file";

/** `--closures <file.ics>`, repeatable: iCalendar feeds whose events close days or stretches. */
function closuresOption(): Option {
  return new Option(
    "--closures <file>",
    "an .ics feed of closures added to the calendar (all-day events close the day, timed events their stretch); repeatable",
  )
    .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .default([] as string[], "none");
}

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
  resolved_at               the resolution (several separated by ";" after reopens)
  pauses                    start/end pairs separated by ";" (an empty end: still paused)
  priority_changes          at=priority pairs separated by ";"
  agent_replies, customer_replies, reopens
                            instants separated by ";"
  events                    a JSON array of events [{"type":"customerReply","at":"…"}, …]
  timezone                  the IANA zone the row's wall times are read in (default: the policy's)
  policy                    the policy the row is judged on: a built-in id or the <policy>'s id
                            (empty: <policy>); the output then has a policy column
  Other header names: --profile (${PROFILES.map((p) => p.id).join(", ")}; detected when the header fits
  exactly one) or --columns 'id=Ticket ID,created_at=Created at'. A column that looks like a time zone
  (time zone, tz, zone) must be mapped (--columns timezone=…) or waved off (--ignore-zone-column).
  Separator: comma, semicolon or tab, detected from the header (or --delimiter).
  Empty cells mean none. Instants: ISO-8601 or 2026-04-02 11:00[:00]; without an offset they are
  wall time in the row's zone. --date-format 'dd/MM/yyyy HH:mm' (luxon tokens) for other forms,
  --epoch s|ms for epoch numbers: neither is ever guessed.
  Priorities: the policy's ids, P1, Priority 1 and its labels (any case), or --priority-map.
NDJSON lines carry the same fields, or a whole ticket { id, priority, createdAt, events }.
Every input row gives one output row, with its line number; a row with bad data gets an error.`;

const REPORT_SUMMARY_HELP = `
Summary per priority (on stderr, and in the report): tickets, met % (met / (met + breached)) and
breached per metric, and the median time to first response in business hours.`;

const REPORT_COMPARE_HELP = `
Several policies: rows are grouped by the policy their policy column names (a built-in id or the
id of a given policy; empty: the command's policy). --compare <policy> (repeatable) adds a policy
and evaluates every row with an empty policy cell under each given policy too (a what-if
comparison of contracts on the same tickets). With rows on more than one policy the report opens
with a comparison of them, then one section per policy.`;

const SUMMARY_HELP = `
Summary per priority (stderr, or inside --format json): tickets, met % (met / (met + breached))
and breached per metric, and the median time to first response in business hours, from a
one-minute histogram (a response after more than ${HISTOGRAM_HOURS} hours counts as ${HISTOGRAM_HOURS}).`;

/** Exit codes every command shares. */
const COMMON_EXITS = `2 usage error (bad arguments, unknown policy or calendar, unreadable file), 3 unexpected
internal error (a bug: please report it)`;

const EXIT_HELP = `
Exit codes: 0 output written (rows that failed carry their error and are counted on stderr),
1 --strict was given and some rows failed or characters were not valid in the encoding, 2 usage error (bad arguments, unknown policy, unreadable
input, a header that cannot be mapped, unwritable output, output that is the input), 3 unexpected
internal error, 129/130/143 interrupted by SIGHUP/SIGINT/SIGTERM (no partial output file is left).`;

const SIMPLE_EXIT_HELP = `
Exit codes: 0 success, ${COMMON_EXITS}.`;

const READING_OPTIONS = (command: Command): Command =>
  command
    .addOption(new Option("--profile <profile>", "help-desk export profile").choices(PROFILES.map((p) => p.id)))
    .option("--columns <mapping>", "field=Header pairs, or a .json file: 'id=Ticket ID,created_at=Created at'")
    .addOption(new Option("--delimiter <separator>", "CSV separator (default: detected)").choices([",", ";", "tab"]))
    .option(
      "--encoding <encoding>",
      "the export's character encoding: utf-8 (default), windows-1252 (Excel's CSV on Windows), iso-8859-15, utf-16le…",
    )
    .option("--date-format <format>", "luxon format of instants that are not ISO-8601, e.g. 'dd/MM/yyyy HH:mm'")
    .addOption(new Option("--epoch <unit>", "plain numbers are epoch seconds or milliseconds").choices(["s", "ms"]))
    .option("--priority-map <map>", "Label=priority pairs, or a .json file: 'Urgent=1,High=2'")
    .option("--ignore-zone-column", "read wall times in the policy's zone even if a column looks like a zone")
    .option("--strict", "exit 1 when some rows failed or characters were not valid in the encoding");

interface ReadingFlags {
  profile?: "zendesk" | "jsm" | "freshdesk";
  columns?: string;
  delimiter?: "," | ";" | "tab";
  encoding?: string;
  dateFormat?: string;
  epoch?: "s" | "ms";
  priorityMap?: string;
  ignoreZoneColumn?: boolean;
  strict?: boolean;
}

/** `--encoding`: a label TextDecoder knows, as its canonical name. */
function encodingOf(label: string): string {
  const encoding = checkEncoding(label);
  if (encoding === undefined)
    throw new UsageError(
      `--encoding: "${label}" is not an encoding this runtime can read; use a WHATWG label such as utf-8, windows-1252, iso-8859-15 or utf-16le`,
    );
  return encoding;
}

/**
 * The files a run reads besides the export, which its output must not replace: `.json` policies
 * (the command's and `--compare`'s), a `--columns` or `--priority-map` given as a `.json` file, and
 * the `--closures` feeds.
 */
function sideInputs(policies: readonly string[], flags: ReadingFlags & { closures?: readonly string[] }): string[] {
  const isJson = (text: string | undefined): text is string => text?.trim().toLowerCase().endsWith(".json") === true;
  return [
    ...policies.filter((p) => p.endsWith(".json")),
    ...[flags.columns, flags.priorityMap].filter(isJson).map((text) => text.trim()),
    ...(flags.closures ?? []),
  ];
}

/**
 * Refuses standard output redirected onto a file the command reads (`sla-clock deadline p.json … >>
 * p.json` appended to the policy spec): its `.json` arguments (and `explain --ticket`'s file, if it
 * is one) and its `--closures` feeds, as `evaluate` and `export` refuse it.
 */
function refuseStdoutOnFiles(stdout: unknown, args: readonly string[], closures: readonly string[]): void {
  const files = [...args.filter((a) => a.trim().toLowerCase().endsWith(".json") || isFile(a)), ...closures];
  if (files.length > 0) refuseStdoutOnInput(stdout, { name: files[0] as string, alsoRead: files });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The reading options of the flags, checked before any file is opened. */
function readingOf(policy: Policy, flags: ReadingFlags): ExportReading {
  if (flags.priorityMap !== undefined) priorityReader(policy, flags.priorityMap);
  return {
    ...(flags.profile === undefined ? {} : { profile: flags.profile }),
    ...(flags.columns === undefined ? {} : { columns: parseColumnMapping(flags.columns) }),
    ...(flags.delimiter === undefined ? {} : { delimiter: flags.delimiter === "tab" ? "\t" : flags.delimiter }),
    ...(flags.encoding === undefined ? {} : { encoding: encodingOf(flags.encoding) }),
    ...(flags.dateFormat === undefined ? {} : { dateFormat: flags.dateFormat }),
    ...(flags.epoch === undefined ? {} : { epoch: flags.epoch }),
    ...(flags.priorityMap === undefined ? {} : { priorityMap: flags.priorityMap }),
    ...(flags.ignoreZoneColumn === true ? { ignoreZoneColumns: true } : {}),
  };
}

const OUTPUT_HELP = `
Output columns: ${OUTPUT_COLUMNS.join(", ")}
(plus policy after id when the input has a policy column, and next_reply_* / periodic_update_*
status, deadline, remaining_hours, breached_at, at_risk, cycles, breaches when a policy has targets
for those metrics)
CSV cells starting with = + - @ tab or CR get a ' in front, so a spreadsheet shows them as text
instead of running them as formulas (--no-escape-formulas: as they are). An --out file is written
to a temporary file beside it and appears only when complete.`;

/** Most threads `--jobs` takes: each worker holds its own heap (about 70 MB). */
const MAX_JOBS = 16;

/** `--jobs`: a whole number from 1 to {@link MAX_JOBS}. */
function jobsOf(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !(n >= 1 && n <= MAX_JOBS))
    throw new UsageError(`--jobs: expected a whole number from 1 to ${MAX_JOBS}, got "${text}"`);
  return n;
}

function nowOf(policy: Policy, text: string | undefined, format: InstantFormat = {}): number {
  try {
    return readNow(policy.calendar, text, format);
  } catch (e) {
    if (e instanceof SlaClockError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * `--now` of `evaluate` and `report`, read as the export's cells are: with `--date-format`, else
 * with the date format of the profile (`--profile`, or the one detected from the header). A text
 * that only a built-in profile's format reads (`20/Apr/26 2:00 AM`, Jira's) is read once the header
 * has said which profile the export is, also when the instant is then refused (out of range: the
 * deferred read gives that reason, where the ISO-8601 read said it was not ISO-8601). Any other
 * text is read at once, so that a bad one is refused before the export is opened.
 */
function exportNowOf(policy: Policy, text: string | undefined, reading: ExportReading): ExportNow {
  if (reading.dateFormat !== undefined) return nowOf(policy, text, reading);
  if (reading.profile !== undefined) {
    const dateFormat = PROFILES.find((p) => p.id === reading.profile)?.dateFormat;
    return nowOf(policy, text, { ...reading, dateFormat, dateFormatProfile: reading.profile });
  }
  try {
    return nowOf(policy, text, reading);
  } catch (e) {
    // Refused, so `text` is an instant's text (neither absent nor "now").
    if (!PROFILES.some((p) => p.dateFormat !== undefined && readsInFormat(text!, p.dateFormat))) throw e;
    return (format) => nowOf(policy, text, format);
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
  // A run reads each input file once (see readInputText); a new run reads them afresh.
  forgetInputTexts();
  let code = 0;
  const program = new Command()
    .name("sla-clock")
    .description("Support SLA deadlines, remaining time and breaches on real opening hours.")
    .version(packageVersion(), "-V, --version", "print the version")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `\nRun sla-clock <command> --help for a command's options and exit codes; docs/cli.md has the details.\nExit codes: 0 success, 2 usage error, 3 unexpected internal error; evaluate and report say more.\n`,
    );

  program
    .command("policies")
    .description("every built-in policy with its calendar and its targets per priority")
    .addHelpText("after", `\nExit codes: 0 success, 3 unexpected internal error.`)
    .action(() => {
      io.stdout.write(policiesTable());
    });

  program
    .command("hours")
    .description("open hours day by day, with why a day is short or closed")
    .addHelpText("after", SIMPLE_EXIT_HELP)
    .argument("<calendar>", "a built-in calendar or policy id, or a .json spec")
    .option("--from <date>", "first date, YYYY-MM-DD (default: Monday of the current week)")
    .option("--to <date>", "last date, YYYY-MM-DD (default: --from's date; without --from, Sunday of the current week)")
    .addOption(
      new Option("--format <format>", "text: a table; ics: the closed and short days as an iCalendar feed")
        .choices(["text", "ics"])
        .default("text"),
    )
    .addOption(closuresOption())
    .action(
      async (calendarArg: string, opts: { from?: string; to?: string; format: "text" | "ics"; closures: string[] }) => {
        refuseStdoutOnFiles(io.stdout, [calendarArg], opts.closures);
        const calendar = await withClosures(loadCalendar(calendarArg), opts.closures);
        const week = currentWeek(calendar, Date.now());
        const from = opts.from ?? week.from;
        const to = opts.to ?? opts.from ?? week.to;
        io.stdout.write(opts.format === "ics" ? await hoursIcs(calendar, from, to) : hoursTable(calendar, from, to));
      },
    );

  program
    .command("export")
    .description("the calendar's open time as warehouse tables (CSV, Parquet or an SQL script), see docs/warehouse.md")
    .addHelpText("after", SIMPLE_EXIT_HELP)
    .argument("<calendar>", "a built-in calendar or policy id, or a .json spec (a policy adds sla_policy_target)")
    .requiredOption("--from <instant>", "start of the range (ISO-8601; without an offset: the calendar's wall time)")
    .requiredOption("--to <instant>", "end of the range, not included")
    .addOption(new Option("--format <format>", "output format").choices(["csv", "parquet", "sql"]).default("sql"))
    .addOption(new Option("--dialect <dialect>", "SQL dialect").choices(["duckdb", "postgres", "ansi"]).default("ansi"))
    .option("--out <path>", "sql: a file (default stdout); csv, parquet: a folder, one file per table")
    .addOption(closuresOption())
    .action(async (calendar: string, opts: Omit<ExportCommandOptions, "generatedAt"> & { closures: string[] }) => {
      const { closures, ...exportOptions } = opts;
      // A policy (a preset id, which may also name a calendar, or a .json policy spec) adds its targets.
      const policy = namesPolicy(calendar) ? await policyWithClosures(loadPolicy(calendar), closures) : undefined;
      const exported = policy?.calendar ?? (await withClosures(loadCalendar(calendar), closures));
      code = await runExport(exported, calendar, { ...exportOptions, alsoRead: closures }, io, policy);
    });

  program
    .command("deadline")
    .description("one deadline, ISO-8601 with the calendar's offset (a window target: both ends)")
    .addHelpText("after", SIMPLE_EXIT_HELP)
    .argument("<policy>", "a built-in policy id, or a .json policy spec")
    .argument(
      "<start>",
      "when the clock starts: now, or an instant as evaluate reads it (ISO-8601, 2026-04-02 11:00; without an offset: the calendar's wall time)",
    )
    .requiredOption("--priority <priority>", "a priority of the policy's table (id, P1, Priority 1 or a label)")
    .addOption(new Option("--metric <metric>", "which target").choices(["response", "resolution"]).default("response"))
    .option("--date-format <format>", "luxon format of a start that is not ISO-8601, e.g. 'dd/MM/yyyy HH:mm'")
    .addOption(new Option("--epoch <unit>", "a start that is a plain number is epoch s or ms").choices(["s", "ms"]))
    .addOption(closuresOption())
    .action(
      async (
        policyArg: string,
        start: string,
        opts: { priority: string; metric: string; dateFormat?: string; epoch?: "s" | "ms"; closures: string[] },
      ) => {
        refuseStdoutOnFiles(io.stdout, [policyArg], opts.closures);
        const policy = await policyWithClosures(loadPolicy(policyArg), opts.closures);
        const priority = priorityOption(policy, opts.priority);
        io.stdout.write(`${deadlineLine(policy, priority, opts.metric, start, startFormat(opts))}\n`);
      },
    );

  program
    .command("explain")
    .description("why a deadline is where it is, or a ticket's timeline: the hours that counted and why others did not")
    .argument("<policy>", "a built-in policy id, or a .json policy spec")
    .argument(
      "[start]",
      "when the clock starts: now, or an instant as evaluate reads it (ISO-8601, 2026-04-02 11:00; without an offset: the calendar's wall time)",
    )
    .option("--priority <priority>", "with <start>: a priority of the policy's table (id, P1, Priority 1 or a label)")
    .addOption(
      new Option("--metric <metric>", "which target (default: response; for a ticket, both)").choices([
        "response",
        "resolution",
      ]),
    )
    .option(
      "--ticket <ticket>",
      "a ticket: a .json file, or one NDJSON line of an export (flat fields or a whole ticket)",
    )
    .option("--now <instant>", "with --ticket: evaluate as of this instant (default: now)")
    .option("--date-format <format>", "luxon format of a start that is not ISO-8601, e.g. 'dd/MM/yyyy HH:mm'")
    .addOption(new Option("--epoch <unit>", "a start that is a plain number is epoch s or ms").choices(["s", "ms"]))
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(closuresOption())
    .addHelpText("after", SIMPLE_EXIT_HELP)
    .action(
      async (
        policyArg: string,
        start: string | undefined,
        opts: ExplainCommandOptions & { closures: string[]; dateFormat?: string; epoch?: "s" | "ms" },
      ) => {
        const { closures, dateFormat, epoch, ...explainOptions } = opts;
        refuseStdoutOnFiles(io.stdout, [policyArg, ...(opts.ticket === undefined ? [] : [opts.ticket])], closures);
        const policy = await policyWithClosures(loadPolicy(policyArg), closures);
        // With <start>, the priority and the start are read as deadline reads them (P3, a label, now).
        const priority =
          start !== undefined && opts.priority !== undefined ? priorityOption(policy, opts.priority) : opts.priority;
        io.stdout.write(
          explainCommand(policy, start, {
            ...explainOptions,
            ...(priority === undefined ? {} : { priority }),
            startFormat: startFormat({ dateFormat, epoch }),
          }),
        );
      },
    );

  READING_OPTIONS(
    program
      .command("evaluate")
      .description("evaluate a ticket export: one output row per input row, and a summary per priority")
      .argument("<policy>", "a built-in policy id, or a .json policy spec (with a policy column: for empty cells)")
      .argument("<file>", "CSV or NDJSON export, or - for CSV on stdin")
      .option("--now <instant>", "evaluate as of this instant (default: now)")
      .addOption(new Option("--format <format>", "output format").choices(["csv", "json", "ndjson"]).default("csv"))
      .option("--out <file>", "write the rows to a file instead of stdout")
      .option("--no-escape-formulas", "CSV: write cells starting with = + - @ tab or CR as they are")
      .option(
        "--jobs <n>",
        `threads that evaluate a CSV export's rows (this one and n − 1 workers, about 70 MB each), 1 to ${MAX_JOBS} (default: one per CPU, at most ${MAX_DEFAULT_JOBS}, for a CSV file of 8 MiB or more; else 1)`,
        jobsOf,
      )
      .addOption(closuresOption())
      .addHelpText("after", `${INPUT_HELP}\n${OUTPUT_HELP}\n${SUMMARY_HELP}\n${EXIT_HELP}`),
  ).action(
    async (
      policyArg: string,
      file: string,
      opts: ReadingFlags & {
        now?: string;
        format: "csv" | "json" | "ndjson";
        out?: string;
        escapeFormulas: boolean;
        closures: string[];
        jobs?: number;
      },
    ) => {
      const policy = await policyWithClosures(loadPolicy(policyArg), opts.closures);
      const reading = readingOf(policy, opts);
      code = await runEvaluate(
        policy,
        file,
        {
          now: exportNowOf(policy, opts.now, reading),
          format: opts.format,
          escapeFormulas: opts.escapeFormulas,
          reading,
          strict: opts.strict === true,
          ...(opts.out === undefined ? {} : { out: opts.out }),
          ...(opts.jobs === undefined ? {} : { jobs: opts.jobs }),
          alsoRead: sideInputs([policyArg], opts),
          source: { policy: policyArg, closures: opts.closures },
        },
        io,
      );
    },
  );

  READING_OPTIONS(
    program
      .command("report")
      .description("evaluate a ticket export into one self-contained HTML report with charts")
      .argument("<policy>", "a built-in policy id, or a .json policy spec")
      .argument("<file>", "CSV or NDJSON export, or - for CSV on stdin")
      .requiredOption("--html <file>", "where to write the report")
      .option("--now <instant>", "evaluate as of this instant (default: now)")
      .addOption(
        new Option(
          "--compare <policy>",
          "also evaluate rows with an empty policy cell under this policy (built-in id or .json spec) and compare; repeatable",
        )
          .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value])
          .default([] as string[], "none"),
      )
      .addOption(closuresOption())
      .addHelpText("after", `${INPUT_HELP}\n${REPORT_SUMMARY_HELP}\n${REPORT_COMPARE_HELP}\n${EXIT_HELP}`),
  ).action(
    async (
      policyArg: string,
      file: string,
      opts: ReadingFlags & { html: string; now?: string; compare: string[]; closures: string[] },
    ) => {
      const policy = await policyWithClosures(loadPolicy(policyArg), opts.closures);
      const compared: Policy[] = [];
      for (const arg of opts.compare) compared.push(await policyWithClosures(loadPolicy(arg), opts.closures));
      const reading = readingOf(policy, opts);
      code = await runReport([policy, ...compared], file, opts.html, exportNowOf(policy, opts.now, reading), io, {
        reading,
        strict: opts.strict === true,
        alsoRead: sideInputs([policyArg, ...opts.compare], opts),
      });
    },
  );

  program
    .command("schema")
    .description("print the JSON Schema of a calendar or policy spec (also shipped as sla-clock/schema/<kind>.json)")
    .addHelpText("after", SIMPLE_EXIT_HELP)
    .addArgument(new Argument("<kind>", "which spec").choices(SCHEMA_KINDS))
    .action((kind: (typeof SCHEMA_KINDS)[number]) => {
      io.stdout.write(schemaFileText(kind));
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

/** `--priority` of `deadline` and `explain`: an id, `P1`, `Priority 1` or a label, as `evaluate` reads a row's. */
function priorityOption(policy: Policy, text: string): string {
  try {
    return priorityReader(policy)(text, "--priority");
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. Map other values.*$/, ""));
  }
}

/** `--date-format` and `--epoch` of a command's `<start>`. */
function startFormat(opts: { dateFormat?: string | undefined; epoch?: "s" | "ms" | undefined }): InstantFormat {
  return {
    ...(opts.dateFormat === undefined ? {} : { dateFormat: opts.dateFormat }),
    ...(opts.epoch === undefined ? {} : { epoch: opts.epoch }),
  };
}
