import type { Readable, Writable } from "node:stream";
import type { Policy } from "../../clock/policy";
import { ReportBuilder } from "../report/aggregate";
import { renderReport } from "../report/html";
import { openInput, openOutputOrClose, streamExport, summaryTable } from "./evaluate";

/**
 * `sla-clock report`: evaluates an export and writes one self-contained HTML file. Returns the exit
 * code: 0 when every row was evaluated, 1 when some rows failed (they are counted in the report).
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
): Promise<number> {
  const input = openInput(file, io.stdin);
  const target = openOutputOrClose(html, input, "--html");
  try {
    const builder = new ReportBuilder(policy, policy.calendar.zone);
    const { failed } = await streamExport(policy, input, now, io.stderr, (rows) => {
      for (const row of rows) builder.add(row);
    });
    const data = builder.result(now);
    target.writeAll(renderReport(data, policy.calendar));
    target.commit();
    io.stderr.write(`${summaryTable(data.summary)}report written to ${html}\n`);
    return failed > 0 ? 1 : 0;
  } finally {
    target.discard();
  }
}
