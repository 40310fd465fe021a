import { randomUUID } from "node:crypto";
import type { Readable, Writable } from "node:stream";
import type { Policy } from "../../clock/policy";
import { escapeForTerminal } from "../format";
import type { InputRecord } from "../io/read-records";
import { ReportBuilder } from "../report/aggregate";
import { renderComparisonReport, renderReport, type PolicyPart } from "../report/html";
import { reportPolicies, UsageError } from "../load";
import type { RowOutcome, RowPolicies } from "../run";
import type { ExportNow } from "../io/cells";
import {
  openInput,
  refuseHeaderOptionsForNdjson,
  openOutputOrClose,
  readingLine,
  streamExport,
  summaryTable,
  type ExportFacts,
  type ExportReading,
} from "./evaluate";

/** Whether a record's `policy` cell is empty, as the row reader decides it (a number is a name). */
function emptyPolicyCell(v: unknown): boolean {
  if (typeof v === "number") return false;
  return typeof v !== "string" || v.trim() === "";
}

/**
 * `sla-clock report`: evaluates an export and writes one self-contained HTML file. Returns the exit
 * code: 0 once the report is written, also with rows that failed (they are listed in it and counted
 * on stderr); 1 for failed rows only with `options.strict`.
 *
 * `policies` is the command's policy, then the `--compare` ones. Rows are grouped by the policy their
 * `policy` cell names (a given policy's id, or a built-in id); a row with an empty cell is the
 * command policy's — or, with several policies given, is evaluated under each of them (a what-if
 * comparison of contracts on the same tickets, read as `sla-clock evaluate <that policy>` reads
 * it). A row naming a policy sla-clock does not know is a failed row, listed in the command
 * policy's section with the reason. With one policy in the end the report is that policy's; with
 * several it opens with a comparison of them, then one section per policy.
 *
 * The HTML file is opened before the export is read, so an unwritable path (or the input itself)
 * fails at once; it is written to a temporary file beside the target and renamed onto it only when
 * complete, so an error or a signal leaves an existing file untouched. `now` may be `--now` still to
 * be read in the export's date format ({@link ExportNow}).
 *
 * @example
 * ```ts
 * await runReport([getPolicy("softone-se"), getPolicy("moch-standard")], "tickets.csv", "report.html", Date.now(), io);
 * ```
 */
export async function runReport(
  policies: Policy | readonly [Policy, ...Policy[]],
  file: string,
  html: string,
  now: ExportNow,
  io: { stdin: Readable; stderr: Writable },
  options: { reading?: ExportReading; strict?: boolean; alsoRead?: readonly string[] } = {},
): Promise<number> {
  const given: readonly [Policy, ...Policy[]] = "calendar" in policies ? [policies] : policies;
  const seen = new Set<string>();
  for (const p of given) {
    if (seen.has(p.id.toLowerCase()))
      throw new UsageError(`policy "${p.id}" is given twice; each policy of a report needs its own id`);
    seen.add(p.id.toLowerCase());
  }
  const command = given[0];
  const extra = given.slice(1);
  const base = reportPolicies(given);
  // A row with an empty policy cell goes to each --compare policy as a copy whose cell holds a
  // name no data can hold (a fresh random one), which names that policy.
  const nonce = randomUUID();
  const copyNames = new Map(extra.map((p, k) => [`compare ${nonce} ${k}`, p]));
  const rowPolicies: RowPolicies = {
    ...base,
    byName: (name) => copyNames.get(name) ?? base.byName(name),
  };
  let rowsRead = 0;
  const expand =
    extra.length === 0
      ? undefined
      : async function* (batches: AsyncIterable<readonly InputRecord[]>): AsyncIterable<readonly InputRecord[]> {
          for await (const batch of batches) {
            const out: InputRecord[] = [];
            for (const r of batch) {
              out.push(r);
              if (r.error === undefined && r.record !== undefined && emptyPolicyCell(r.record.policy))
                for (const name of copyNames.keys()) out.push({ line: r.line, record: { ...r.record, policy: name } });
            }
            rowsRead += batch.length;
            yield out;
          }
        };

  const input = openInput(file, io.stdin);
  refuseHeaderOptionsForNdjson(input, options.reading);
  const target = await openOutputOrClose(html, input, "--html", options.alsoRead);
  const builders = new Map<string, { policy: Policy; builder: ReportBuilder }>();
  try {
    const builderOf = (policy: Policy) => {
      let b = builders.get(policy.id);
      if (b === undefined)
        builders.set(policy.id, (b = { policy, builder: new ReportBuilder(policy, policy.calendar.zone) }));
      return b.builder;
    };
    for (const p of given) builderOf(p);
    const facts: ExportFacts = {};
    let failedRows = 0;
    let lastFailedLine = -1;
    const add = (row: RowOutcome) => {
      // A row naming no known policy is the command policy's failed row.
      builderOf(row.judgedBy ?? command).add(row);
      // Copies of a row are adjacent: a row failing under several policies counts once.
      if (row.error !== undefined && row.line !== lastFailedLine) {
        failedRows++;
        lastFailedLine = row.line;
      }
    };
    const { rows, now: at } = await streamExport(
      rowPolicies,
      input,
      now,
      io.stderr,
      (outcomes) => {
        for (const row of outcomes) add(row);
      },
      options.reading,
      facts,
      expand,
    );
    if (expand === undefined) rowsRead = rows;
    const parts: PolicyPart[] = [...builders.values()].map(({ policy, builder }) => ({
      data: builder.result(at),
      calendar: policy.calendar,
      note: sectionNote(policy, command, extra.length > 0 && given.some((g) => g.id === policy.id)),
    }));
    const write = (chunk: string | Uint8Array) => target.writeAll(chunk);
    let summaries: string;
    if (parts.length === 1) {
      await renderReport(parts[0]!.data, parts[0]!.calendar, write);
      summaries = summaryTable(parts[0]!.data.summary);
    } else {
      await renderComparisonReport(
        { now: at, rowsRead, rowsFailed: failedRows, whatIf: extra.length > 0 ? given.map((p) => p.id) : null, parts },
        write,
      );
      summaries = `${parts
        .map(
          (p) =>
            `policy ${escapeForTerminal(p.data.policyId)} (${escapeForTerminal(p.data.policyName)}):\n${summaryTable(p.data.summary)}`,
        )
        .join("\n")}\nall policies: rows read: ${rowsRead}, failed: ${failedRows}\n`;
    }
    target.commit();
    io.stderr.write(`${readingLine(facts)}${summaries}report written to ${html}\n`);
    if (failedRows > 0 && options.strict !== true)
      io.stderr.write(
        `${failedRows} row${failedRows > 1 ? "s" : ""} failed (listed in the report); exit code 0 (--strict: 1)\n`,
      );
    return options.strict === true && (failedRows > 0 || facts.undecodable !== undefined) ? 1 : 0;
  } finally {
    target.discard();
    for (const { builder } of builders.values()) builder.dispose();
  }
}

/** Which rows a policy's section holds, said under its heading. */
function sectionNote(policy: Policy, command: Policy, whatIf: boolean): string {
  if (whatIf && policy === command)
    return `Rows naming ${policy.id} in their policy column, every row with an empty policy cell (evaluated under each given policy), and rows naming a policy sla-clock does not know (failed rows).`;
  if (whatIf)
    return `Rows naming ${policy.id} in their policy column, and every row with an empty policy cell (evaluated under each given policy).`;
  if (policy === command)
    return `Rows naming ${policy.id} in their policy column, rows with an empty policy cell, and rows naming a policy sla-clock does not know (failed rows).`;
  return `Rows naming ${policy.id} in their policy column.`;
}
