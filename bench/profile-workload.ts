/**
 * The code that bench/cpu-profile.ts runs under `node --cpu-prof`, one process per mode, on the
 * built package: `add` runs `addBusinessTimeMany` on the 1 M-item workload ten times; `evaluate`
 * runs `evaluateMany` on 1 M tickets twice; `metrics` the same on
 * the four-metric scenario of bench/metrics-scenario.ts (nextAlertAt read); `year` times first uses of a year with nothing shared (bench/first-use.ts). Setup (inputs, warming the index and the JIT) happens
 * before the measured window, whose monotonic start and end (µs, the clock of the CPU profile) are
 * written to the file named by the second argument, so that the report counts only samples inside.
 */
import { writeFileSync } from "node:fs";
import {
  forgetSharedCaches,
  PROFILE_YEAR_ROUNDS,
  roundYears,
  useYear,
  warmCalendar,
  warmDateHolidays,
} from "./first-use";
import { allMetricsPolicy, makeReplyTickets } from "./metrics-scenario";
import { makeTickets, TICKETS_NOW } from "./tickets";
import { workload } from "./workload";

type Sla = typeof import("../src/index");
type CalendarSpec = import("../src/index").CalendarSpec;
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
  // First uses of a year with nothing shared (bench/first-use.ts): each round drops the process's
  // shared zone offsets and holiday years, warms a calendar with a base of its own over 2023–2032,
  // then times the following years and years far from any built one.
  const spec = sla.getCalendar("softone-se").spec as CalendarSpec; // a preset: a plain calendar
  warmDateHolidays(sla, spec);
  for (let round = 0; round < PROFILE_YEAR_ROUNDS; round++) {
    forgetSharedCaches(sla);
    const cal = warmCalendar(sla, spec, round);
    for (const { year } of roundYears(round)) {
      const t0 = nowUs();
      useYear(cal, year);
      windows.push([t0, nowUs()]);
    }
  }
} else {
  throw new Error(`unknown mode ${String(mode)}; use "add", "evaluate", "metrics" or "year"`);
}
if (windowFile !== undefined) writeFileSync(windowFile, JSON.stringify(windows));
