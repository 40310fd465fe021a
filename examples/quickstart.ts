/**
 * Quickstart (`npm start`): one ticket, every built-in policy. A priority-2 case opened on
 * Skärtorsdagen (Maundy Thursday) 2026 at 11:00 Stockholm time, just before the Easter weekend:
 * when is the first response due, and the resolution, under each support contract?
 */
import { DateTime } from "luxon";
import { describeTarget, getPolicy, listPolicies } from "sla-clock";

const created = "2026-04-02T11:00:00+02:00";
const priority = 2;

const local = (d: Date | null, zone: string) =>
  d === null ? "no target" : DateTime.fromJSDate(d, { zone }).toFormat("ccc yyyy-LL-dd HH:mm ZZZZ");

const rows = listPolicies().map(({ id }) => {
  const policy = getPolicy(id);
  const zone = policy.calendar.zone;
  return [
    id,
    `${describeTarget(policy.target(priority, "response"))}`,
    local(policy.deadline(created, { priority }), zone),
    local(policy.deadline(created, { priority, metric: "resolution" }), zone),
  ];
});

const header = ["policy", "response target", "response due", "resolution due"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
console.log(`A priority-${priority} ticket created ${created} (Skärtorsdagen, before Easter):\n`);
console.log(line(header));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const r of rows) console.log(line(r));

// The ticket clock: the same ticket under softone-se, paused while waiting for the customer.
const policy = getPolicy("softone-se");
const status = policy.evaluate(
  {
    id: "T-1",
    priority,
    createdAt: created,
    events: [
      { type: "pause", at: "2026-04-02T11:30:00+02:00" },
      { type: "resume", at: "2026-04-07T10:00:00+02:00" },
    ],
  },
  "2026-04-07T12:00:00+02:00",
);
const { response } = status;
console.log(
  `\nsoftone-se, Tuesday after Easter 12:00, after a pause until 10:00: response ${response.status}, ` +
    `${(response.elapsed / 3_600_000).toFixed(2)} of ${(response.targetMs! / 3_600_000).toFixed(0)} business hours used, ` +
    `due ${local(response.deadline, policy.calendar.zone)}${response.atRisk ? " (at risk)" : ""}.`,
);
