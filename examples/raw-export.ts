/**
 * From a help desk's raw export to an SLA table in one command. `data/zendesk-export.csv` is shaped
 * like Zendesk's ticket CSV export (`Id`, `Priority` as Urgent/High/Normal/Low, `Created at` and
 * `Solved at` written `2026-04-07 08:49:55 +0200`); sla-clock recognises the header as Zendesk's,
 * reads the space-separated dates, and maps the priority labels to SoftOne's priorities:
 *
 *   npx sla-clock evaluate softone-se examples/data/zendesk-export.csv \
 *     --priority-map 'Urgent=1,High=2,Normal=3,Low=4' --now 2026-12-21T12:00:00+01:00 --format json
 *
 * (In this repository the command is src/cli/main.ts run through tsx, so no build is needed.)
 * The typed JSON rows (numbers as numbers, null for absent values: docs/evaluate-row.schema.json)
 * are then summed per priority: how many tickets were resolved within SoftOne's resolution goal.
 * Zendesk's export has no first-reply instant, only a duration, so the response metric is left
 * out here (map a column with --columns responded_at=… when your export has one).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const now = "2026-12-21T12:00:00+01:00";
const cli = here("../src/cli/main.ts");
const run = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    cli,
    "evaluate",
    "softone-se",
    here("./data/zendesk-export.csv"),
    "--priority-map",
    "Urgent=1,High=2,Normal=3,Low=4",
    "--now",
    now,
    "--format",
    "json",
  ],
  { cwd: here(".."), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
);
if (run.status !== 0) {
  process.stderr.write(run.stderr);
  throw new Error(`sla-clock evaluate failed (exit code ${run.status ?? run.signal})`);
}

interface Row {
  readonly id: string;
  readonly priority: string | null;
  readonly error: string | null;
  readonly resolution_status: string | null;
  readonly resolution_remaining_hours: number | null;
}
const { rows } = JSON.parse(run.stdout) as { rows: Row[] };

const byPriority = new Map<string, { tickets: number; met: number; breached: number; open: number }>();
for (const row of rows) {
  if (row.error !== null || row.priority === null) continue;
  const p = byPriority.get(row.priority) ?? { tickets: 0, met: 0, breached: 0, open: 0 };
  p.tickets++;
  if (row.resolution_status === "met") p.met++;
  else if (row.resolution_status === "breached") p.breached++;
  else p.open++;
  byPriority.set(row.priority, p);
}

console.log(`Zendesk export (${rows.length} tickets) under softone-se, as of ${now}:\n`);
console.log("priority  tickets  resolved in time  breached  open");
for (const [priority, p] of [...byPriority].sort(([a], [b]) => Number(a) - Number(b))) {
  const pct = p.met + p.breached === 0 ? "–" : `${((100 * p.met) / (p.met + p.breached)).toFixed(1)} %`;
  console.log(
    `P${priority.padEnd(8)}${String(p.tickets).padStart(7)}  ${`${p.met} (${pct})`.padStart(16)}  ${String(p.breached).padStart(8)}  ${String(p.open).padStart(4)}`,
  );
}
process.stderr.write(`\n${run.stderr}`); // the CLI's own summary: which profile and separator it read
