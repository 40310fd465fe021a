/**
 * The analyst's compliance report: evaluate the sample export (examples/data/tickets.csv) against
 * SoftOne's Swedish SLA as of 2026-12-21 12:00, print the summary per priority, and write the
 * per-ticket table and the HTML report to examples/out/. The same as running:
 *
 *   npx sla-clock evaluate softone-se examples/data/tickets.csv --now 2026-12-21T12:00:00+01:00 --out examples/out/tickets-evaluated.csv
 *   npx sla-clock report softone-se examples/data/tickets.csv --now 2026-12-21T12:00:00+01:00 --html examples/out/report.html
 *
 * The sample has eight malformed rows on purpose: they come out as error rows, so the exit code is 1.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCli } from "../src/cli/program";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
mkdirSync(here("./out"), { recursive: true });
const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stdout };
const now = "2026-12-21T12:00:00+01:00";
const data = here("./data/tickets.csv");

const evaluated = await runCli(
  ["node", "sla-clock", "evaluate", "softone-se", data, "--now", now, "--out", here("./out/tickets-evaluated.csv")],
  io,
);
const reported = await runCli(
  ["node", "sla-clock", "report", "softone-se", data, "--now", now, "--html", here("./out/report.html")],
  io,
);
console.log(`\nper-ticket table: examples/out/tickets-evaluated.csv; open examples/out/report.html in a browser`);
// 1 = some rows were malformed (expected for this sample); anything else is a real failure.
if (evaluated > 1 || reported > 1) process.exitCode = 1;
