/**
 * MOCH monthly uptime (support policy): at least 99.99 % per billing month — about 4.3 minutes of
 * downtime in a 30-day month. Overlapping outages count once.
 *
 *   npm run example:uptime
 */
import { monthlyUptime } from "sla-clock";

const outages = [
  { start: "2026-02-03T02:10:00Z", end: "2026-02-03T02:12:00Z" }, // deploy
  { start: "2026-02-17T14:00:00Z", end: "2026-02-17T14:01:00Z" }, // load-balancer failover…
  { start: "2026-02-17T14:00:30Z", end: "2026-02-17T14:01:30Z" }, // …reported twice, overlapping
  { start: "2026-03-09T09:00:00Z", end: "2026-03-09T09:06:00Z" }, // database restart
];

for (const month of ["2026-02", "2026-03"]) {
  const u = monthlyUptime(outages, month);
  console.log(
    `${month}: uptime ${u.uptimePercent.toFixed(5)} %, downtime ${u.downtimeMinutes.toFixed(2)} min of ${u.allowedDowntimeMinutes.toFixed(3)} allowed → ${u.met ? "met" : "MISSED"} (budget left ${(u.budgetLeftMs / 60_000).toFixed(2)} min)`,
  );
}
