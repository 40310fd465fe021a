/**
 * The analyst's compliance report: evaluate the sample export (examples/data/tickets.csv) against
 * SoftOne's Swedish SLA as of 2026-12-21 12:00, print the summary per priority, and write the
 * per-ticket table and the HTML report to examples/out/. It runs the `sla-clock` command line, as
 * an analyst would once the package is installed:
 *
 *   npx sla-clock evaluate softone-se examples/data/tickets.csv --now 2026-12-21T12:00:00+01:00 --out examples/out/tickets-evaluated.csv
 *   npx sla-clock report softone-se examples/data/tickets.csv --now 2026-12-21T12:00:00+01:00 --html examples/out/report.html
 *
 * (In this repository the command is src/cli/main.ts run through tsx, so no build is needed.)
 * The sample has eight malformed rows on purpose: they come out as error rows, counted on stderr,
 * and the command still exits 0 (1 only with --strict); anything else is a real failure.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const now = "2026-12-21T12:00:00+01:00";
const data = here("./data/tickets.csv");
const rows = here("./out/tickets-evaluated.csv");
const html = here("./out/report.html");
mkdirSync(here("./out"), { recursive: true });

/** `sla-clock …` from this checkout. */
function slaClock(args: string[], stderr: "inherit" | "pipe") {
  const cli = here("../src/cli/main.ts");
  return spawnSync(process.execPath, ["--import", "tsx", cli, ...args], {
    cwd: here(".."),
    stdio: ["ignore", "inherit", stderr],
    encoding: "utf8",
  });
}

console.log(`SoftOne SE, ${data.split("/").slice(-2).join("/")}, as of ${now}:\n`);
// The summary per priority goes to stderr; the rows to the --out file.
const evaluated = slaClock(["evaluate", "softone-se", data, "--now", now, "--out", rows], "inherit");
const reported = slaClock(["report", "softone-se", data, "--now", now, "--html", html], "pipe");
if (reported.status !== 0 && reported.status !== 1) process.stderr.write(reported.stderr);

console.log(`\nper-ticket table: examples/out/tickets-evaluated.csv`);
console.log(`HTML report:      examples/out/report.html (open it in a browser)`);
for (const [what, r] of [
  ["evaluate", evaluated],
  ["report", reported],
] as const) {
  if (r.status !== 0 && r.status !== 1) {
    console.error(`sla-clock ${what} failed (exit code ${r.status ?? r.signal})`);
    process.exitCode = 1;
  }
}
