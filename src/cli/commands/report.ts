import { closeSync, writeFileSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import type { Policy } from "../../sla/policy";
import { UsageError } from "../load";
import { ReportBuilder } from "../report/aggregate";
import { renderReport } from "../report/html";
import { openInput, openOutput, streamExport, summaryTable, systemMessage } from "./evaluate";

/**
 * `sla-clock report`: evaluates an export and writes one self-contained HTML file. Returns the exit
 * code: 0 when every row was evaluated, 1 when some rows failed (they are counted in the report).
 * The HTML file is opened before the export is read, so an unwritable path fails at once.
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
  const fd = openOutput(html, file, "--html");
  try {
    const builder = new ReportBuilder(policy, policy.calendar.zone);
    const { failed } = await streamExport(policy, input, now, io.stderr, (rows) => {
      for (const row of rows) builder.add(row);
    });
    const data = builder.result(now);
    try {
      writeFileSync(fd, renderReport(data));
    } catch (e) {
      throw new UsageError(`cannot write ${html}: ${systemMessage(e)}`);
    }
    io.stderr.write(`${summaryTable(data.summary)}report written to ${html}\n`);
    return failed > 0 ? 1 : 0;
  } finally {
    closeSync(fd);
  }
}
