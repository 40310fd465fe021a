/**
 * sla-clock's side of the peer comparison, in a process of its own as each peer's is (issue 14):
 * timed in bench/run.ts's own process after the throughput, evaluateMany and first-use sections,
 * the same calls ran well below the rates of the required section (RESULTS.md of 2026-12-03:
 * 1.6–1.9 against 6.7 M/s with `Date`, 5–8 against 11.7 M/s in bulk), probably the heap and JIT
 * state those sections leave, so the two sections disagreed. Here only the built package, the
 * `softone-se` calendar and the peer's items are in the heap. Usage:
 *
 *   node --expose-gc --import tsx bench/peers/sla-clock-side.ts '{"n":20000,"seed":3}'
 *
 * Prints one JSON line: items per second (mitata, median and range of the samples) of
 * `addBusinessTimeMany` and of `addBusinessTime(Date)` on the first `n` items of the seeded
 * workload, after warming the calendar over the workload's years as the required section does.
 */
import { measure } from "mitata";
import { builtPackage } from "../dist";
import { workload } from "../workload";

type Sla = typeof import("../../src/index");
const sla: Sla = builtPackage();

export interface SideTask {
  readonly n: number;
  readonly seed: number;
  /** mitata samples per figure (default 15, as bench/run.ts). */
  readonly samples?: number;
}

/** Items per second at the median sample, and at the slowest and fastest. */
export interface SideRate {
  readonly median: number;
  readonly low: number;
  readonly high: number;
  readonly samples: number;
}

export interface SideResult {
  readonly n: number;
  readonly bulk: SideRate;
  readonly date: SideRate;
}

async function itemsPerSecond(fn: () => unknown, items: number, samples: number): Promise<SideRate> {
  const stats = await measure(fn, { min_samples: samples, max_samples: samples, min_cpu_time: 0, warmup_samples: 2 });
  const perSecond = (ns: number) => items / (ns / 1e9);
  return { median: perSecond(stats.p50), low: perSecond(stats.max), high: perSecond(stats.min), samples };
}

const task = JSON.parse(process.argv[2] ?? "{}") as SideTask;
const samples = task.samples ?? 15;
const cal = sla.getCalendar("softone-se");
// Warm the years the items fall in (2023–2033), as the required section's 1 M items do.
for (let y = 2023; y <= 2033; y++) cal.isOpen(Date.UTC(y, 6, 1));
const w = workload(task.n, task.seed);
const out = new Float64Array(task.n);
const bulk = await itemsPerSecond(() => cal.addBusinessTimeMany(w.starts, w.durations, out), task.n, samples);
const dates = Array.from(w.starts, (s) => new Date(s));
const date = await itemsPerSecond(
  () => {
    let sink = 0;
    for (let i = 0; i < task.n; i++) sink += cal.addBusinessTime(dates[i]!, w.durations[i]!).getTime();
    return sink;
  },
  task.n,
  samples,
);
const result: SideResult = { n: task.n, bulk, date };
console.log(JSON.stringify(result));
