import type { Readable, Writable } from "node:stream";
import type { Policy } from "../../clock/policy";
import { ReportBuilder } from "../report/aggregate";
import { renderReport } from "../report/html";
import { reportPolicies } from "../load";
import {
  openInput,
  openOutputOrClose,
  readingLine,
  streamExport,
  summaryTable,
  type ExportFacts,
  type ExportReading,
} from "./evaluate";

/**
 * `sla-clock report`: evaluates an export and writes one self-contained HTML file. Returns the exit
 * code: 0 once the report is written, also with rows that failed (they are listed in it and counted
 * on stderr); 1 for failed rows only with `options.strict`. A report covers one policy: rows whose
 * `policy` cell names another one are failed rows of the report, listed with the reason.
 * The HTML file is opened before the export is read, so an unwritable path (or the input itself)
 * fails at once; it is written to a temporary file beside the target and renamed onto it only when
 * complete, so an error or a signal leaves an existing file untouched.
 *
 * @example
 * ```ts
 * await runReport(getPolicy("softone-se"), "tickets.csv", "report.html", Date.now(), io);
 * ```
 */
export async function runReport(
  policy: Policy,
  file: string,
  html: string,
  now: number,
  io: { stdin: Readable; stderr: Writable },
  options: { reading?: ExportReading; strict?: boolean } = {},
): Promise<number> {
  const input = openInput(file, io.stdin);
  const target = openOutputOrClose(html, input, "--html");
  try {
    const builder = new ReportBuilder(policy, policy.calendar.zone);
    const facts: ExportFacts = {};
    const { failed } = await streamExport(
      reportPolicies(policy),
      input,
      now,
      io.stderr,
      (rows) => {
        for (const row of rows) builder.add(row);
      },
      options.reading,
      facts,
    );
    const data = builder.result(now);
    await renderReport(data, policy.calendar, (chunk) => target.writeAll(chunk));
    target.commit();
    io.stderr.write(`${readingLine(facts)}${summaryTable(data.summary)}report written to ${html}\n`);
    if (failed > 0 && options.strict !== true)
      io.stderr.write(
        `${failed} row${failed > 1 ? "s" : ""} failed (listed in the report); exit code 0 (--strict: 1)\n`,
      );
    return options.strict === true && failed > 0 ? 1 : 0;
  } finally {
    target.discard();
  }
}
