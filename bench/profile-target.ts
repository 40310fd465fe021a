/**
 * Workloads that bench/run.ts runs in a child process: `addMany` and `evaluateMany` under
 * `node --cpu-prof`, and `years` (first use of a year in a fresh process).
 */
import { createCalendar, getCalendar, getPolicy } from "../dist/index.js";
import { HOUR, prng, workload } from "./workload";

const what = process.argv[2];
if (what === "addMany") {
  const cal = getCalendar("softone-se");
  const w = workload(1_000_000, 1);
  const out = new Float64Array(w.starts.length);
  for (let k = 0; k < 5; k++) cal.addBusinessTimeMany(w.starts, w.durations, out);
} else if (what === "evaluateMany") {
  const policy = getPolicy("softone-se");
  const r = prng(5);
  const from = Date.UTC(2026, 0, 1);
  const tickets = Array.from({ length: 300_000 }, (_, i) => {
    const c = Math.floor(from + r() * 330 * 24 * HOUR);
    return i % 10 === 0
      ? {
          id: i,
          priority: 1 + (i % 5),
          createdAt: c,
          events: [
            { type: "pause" as const, at: c + HOUR },
            { type: "resume" as const, at: c + 2 * HOUR },
            { type: "priority" as const, at: c + 2.5 * HOUR, priority: 3 },
            { type: "respond" as const, at: c + 3 * HOUR },
          ],
        }
      : { id: i, priority: 1 + (i % 5), createdAt: c, events: [{ type: "respond" as const, at: c + 1.4 * HOUR }] };
  });
  for (let k = 0; k < 3; k++) policy.evaluateMany(tickets, Date.UTC(2026, 11, 15));
} else if (what === "years") {
  // First use of a year in a fresh process, as a service meets it: warm 2023–2032, then time the
  // first query of each following year, and of years far from any built one.
  const cal = createCalendar(getCalendar("softone-se").spec);
  for (let y = 2023; y <= 2032; y++) cal.isOpen(Date.UTC(y, 5, 1));
  const time = (y: number) => {
    const t0 = performance.now();
    cal.isOpen(Date.UTC(y, 5, 1));
    return performance.now() - t0;
  };
  const sequential = Array.from({ length: 12 }, (_, k) => time(2033 + k));
  const isolated = [1905, 1931, 1957, 1983, 2061, 2087, 2113, 2139, 2165, 2191].map(time);
  console.log(JSON.stringify({ sequential, isolated }));
} else {
  throw new Error("usage: profile-target.ts addMany|evaluateMany|years");
}
