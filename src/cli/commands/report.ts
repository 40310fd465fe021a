import { writeFileSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import type { Policy } from "../../sla/policy";
import { ReportBuilder } from "../report/aggregate";
import { renderReport } from "../report/html";
import { openInput, streamExport, summaryTable } from "./evaluate";

/**
 * `sla-clock report`: evaluates an export and writes one self-contained HTML file. Returns the exit
 * code: 0 when every row was evaluated, 1 when some rows failed (they are counted in the report).
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
  const builder = new ReportBuilder(policy, policy.calendar.zone);
  const { failed } = await streamExport(policy, input, now, io.stderr, (rows) =>
    rows.forEach((row) => builder.add(row)),
  );
  const data = builder.result(now);
  writeFileSync(html, renderReport(data));
  io.stderr.write(`${summaryTable(data.summary)}report written to ${html}\n`);
  return failed > 0 ? 1 : 0;
}
