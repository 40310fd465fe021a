/**
 * The code that bench/cpu-profile.ts runs under `node --cpu-prof`, one process per mode, on the
 * built package: `add` runs `addBusinessTimeMany` on the 1 M-item workload ten times; `evaluate`
 * runs `evaluateMany` on 1 M tickets twice; `metrics` the same on
 * the four-metric scenario of bench/metrics-scenario.ts (nextAlertAt read); `year` times first uses of a year on warm calendars. Setup (inputs, warming the index and the JIT) happens
 * before the measured window, whose monotonic start and end (µs, the clock of the CPU profile) are
 * written to the file named by the second argument, so that the report counts only samples inside.
 */
import { writeFileSync } from "node:fs";
import { allMetricsPolicy, makeReplyTickets } from "./metrics-scenario";
import { makeTickets, TICKETS_NOW } from "./tickets";
import { workload } from "./workload";

type Sla = typeof import("../src/index");
const sla = (await import(new URL("../dist/index.js", import.meta.url).href)) as Sla;

const [mode, windowFile] = process.argv.slice(2);
const windows: [number, number][] = [];
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

if (mode === "add") {
  const cal = sla.getCalendar("softone-se");
  const { starts, durations } = workload(1_000_000, 1);
  const out = new Float64Array(starts.length);
  cal.addBusinessTimeMany(starts, durations, out); // warm the index and the JIT
  for (let k = 0; k < 10; k++) {
    const t0 = nowUs();
    cal.addBusinessTimeMany(starts, durations, out);
    windows.push([t0, nowUs()]);
  }
} else if (mode === "evaluate") {
  const policy = sla.getPolicy("softone-se");
  const tickets = makeTickets(1_000_000, 5, false);
  policy.evaluateMany(tickets.slice(0, 50_000), TICKETS_NOW); // warm
  for (let k = 0; k < 2; k++) {
    const t0 = nowUs();
    policy.evaluateMany(tickets, TICKETS_NOW);
    windows.push([t0, nowUs()]);
  }
} else if (mode === "metrics") {
  // The second evaluateMany figure (bench/metrics-scenario.ts): four metrics, two thresholds, replies.
  const policy = allMetricsPolicy(sla);
  const tickets = makeReplyTickets(Number(process.env.PROFILE_TICKETS ?? 1_000_000), 7);
  const armed = (b: { nextAlertAt: Float64Array }) => b.nextAlertAt.reduce((s, x) => (x === x ? s + 1 : s), 0);
  armed(policy.evaluateMany(tickets.slice(0, 50_000), TICKETS_NOW)); // warm
  for (let k = 0; k < 2; k++) {
    const t0 = nowUs();
    armed(policy.evaluateMany(tickets, TICKETS_NOW));
    windows.push([t0, nowUs()]);
  }
} else if (mode === "year") {
  // First use of a year on calendars already warm over 2023–2032: the following years, then years
  // far from any built one.
  const spec = sla.getCalendar("softone-se").spec;
  for (let round = 0; round < 20; round++) {
    const cal = sla.createCalendar(spec);
    for (let y = 2023; y <= 2032; y++) cal.isOpen(Date.UTC(y, 6, 1));
    for (const y of [2033, 2034, 2035, 2036, 1950 + round, 2000 + round, 2100 + round, 2150 + round]) {
      const t0 = nowUs();
      cal.addBusinessTime(Date.UTC(y, 5, 10, 7), 7_200_000);
      windows.push([t0, nowUs()]);
    }
  }
} else {
  throw new Error(`unknown mode ${String(mode)}; use "add", "evaluate", "metrics" or "year"`);
}
if (windowFile !== undefined) writeFileSync(windowFile, JSON.stringify(windows));
