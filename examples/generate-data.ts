/**
 * Writes examples/data/tickets.csv: a deterministic sample export of a few thousand SoftOne tickets
 * across 2026 (seeded generator: running it again gives the same file).
 *
 *   npm run example:generate
 *
 * Columns as documented in docs/cli.md. Instants carry their offset. Besides ordinary tickets the
 * file has pauses (waiting for the customer), priority changes (the 1/2 → 3 downgrade once a
 * workaround exists, and a few upgrades), open tickets, and eight deliberately malformed rows:
 * a missing id, an unknown priority, a created_at that is not a date, a response before creation,
 * a pause that ends before it starts, a pauses cell that is not start/end, a priority change to an
 * unknown priority, and a missing created_at.
 */
import { writeFileSync } from "node:fs";
import { DateTime } from "luxon";
import { stringify } from "csv-stringify/sync";
import { getCalendar } from "sla-clock";

const ZONE = "Europe/Stockholm";
const calendar = getCalendar("softone-se");

/** mulberry32: a small seeded PRNG, so the file is the same on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const random = rng(20_260_101);
const pick = <T>(items: readonly T[], weights: readonly number[]): T => {
  const r = random() * weights.reduce((s, w) => s + w, 0);
  let acc = 0;
  for (let i = 0; i < items.length; i++) if (r < (acc += weights[i]!)) return items[i]!;
  return items[items.length - 1]!;
};
const iso = (ms: number) =>
  DateTime.fromMillis(ms - (ms % 1000), { zone: ZONE }).toISO({ suppressMilliseconds: true })!;
const H = 3_600_000;

const rows: string[][] = [
  ["id", "priority", "created_at", "responded_at", "resolved_at", "pauses", "priority_changes"],
];
const start = DateTime.fromISO("2026-01-02T08:00", { zone: ZONE }).toMillis();
const end = DateTime.fromISO("2026-12-18T16:00", { zone: ZONE }).toMillis();
const NOW = DateTime.fromISO("2026-12-21T12:00", { zone: ZONE }).toMillis();

for (let n = 1; n <= 3000; n++) {
  // Mostly created during opening hours; some in the evening or at weekends.
  let created = Math.floor(start + random() * (end - start));
  if (random() < 0.8)
    created = calendar.addBusinessTime(calendar.nextOpen(created), Math.floor(random() * 6 * H)).getTime();
  created -= created % 1000;
  const priority = pick([1, 2, 3, 4, 5], [5, 15, 30, 25, 25]);
  const responseTarget = [2, 4, 12, 48, 48][priority - 1]! * H;
  const respondAfter = Math.floor(responseTarget * pick([0.1, 0.5, 0.9, 1.3, 3], [30, 30, 20, 12, 8]) * random());
  const responded = calendar.addBusinessTime(created, respondAfter).getTime();
  const pauses: string[] = [];
  let cursor = responded;
  if (random() < 0.15) {
    for (let k = 0; k < pick([1, 2], [3, 1]); k++) {
      const a = calendar.addBusinessTime(cursor, Math.floor(random() * 8 * H)).getTime();
      const b = a + Math.floor((0.5 + random() * 72) * H);
      pauses.push(`${iso(a)}/${b > NOW ? "" : iso(b)}`);
      cursor = b;
      if (b > NOW) break;
    }
  }
  const changes: string[] = [];
  if ((priority === 1 || priority === 2) && random() < 0.35) {
    changes.push(`${iso(calendar.addBusinessTime(created, Math.floor(random() * 3 * H)).getTime())}=3`);
  } else if (priority >= 4 && random() < 0.03) {
    changes.push(`${iso(calendar.addBusinessTime(created, Math.floor(random() * 10 * H)).getTime())}=2`);
  }
  const stillPaused = pauses.length > 0 && pauses[pauses.length - 1]!.endsWith("/");
  let resolved = "";
  if (!stillPaused && random() < 0.8) {
    const after = Math.max(cursor, responded) + Math.floor(random() * [8, 40, 200, 600, 900][priority - 1]! * H);
    if (after < NOW) resolved = iso(after);
  }
  rows.push([
    `SO-${String(n).padStart(5, "0")}`,
    String(priority),
    iso(created),
    responded < NOW ? iso(responded) : "",
    resolved,
    pauses.join(";"),
    changes.join(";"),
  ]);
}

// Deliberately malformed rows, spread through the file (each becomes an error row, none is lost).
const bad: string[][] = [
  ["", "2", "2026-03-03T10:00:00+01:00", "", "", "", ""],
  ["SO-BAD-2", "9", "2026-03-04T10:00:00+01:00", "", "", "", ""],
  ["SO-BAD-3", "1", "yesterday afternoon", "", "", "", ""],
  ["SO-BAD-4", "3", "2026-05-06T10:00:00+02:00", "2026-05-05T10:00:00+02:00", "", "", ""],
  ["SO-BAD-5", "2", "2026-06-02T10:00:00+02:00", "", "", "2026-06-02T12:00:00+02:00/2026-06-02T11:00:00+02:00", ""],
  ["SO-BAD-6", "4", "2026-08-11T10:00:00+02:00", "", "", "2026-08-11T11:00:00+02:00", ""],
  ["SO-BAD-7", "1", "2026-09-15T10:00:00+02:00", "", "", "", "2026-09-15T11:00:00+02:00=7"],
  ["SO-BAD-8", "5", "", "", "", "", ""],
];
bad.forEach((row, i) => rows.splice(200 + i * 350, 0, row));

writeFileSync(new URL("./data/tickets.csv", import.meta.url), stringify(rows));
console.log(
  `wrote examples/data/tickets.csv: ${rows.length - 1} rows (${bad.length} malformed on purpose), evaluate with --now ${iso(NOW)}`,
);
