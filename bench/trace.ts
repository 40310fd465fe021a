/**
 * The trace figure: `calendar.trace` over 4 weeks of `softone-se`, warm (goal < 1 ms per trace).
 * `bench/run.ts` reports it among the required figures; `node --import tsx bench/trace.ts` measures
 * it alone, on src/ (no build needed), and prints the table row.
 */
import { measure } from "mitata";
import type { Calendar } from "../src/index";
import { prng } from "./workload";

const DAY = 86_400_000;
/** Traces per mitata sample: one start each, from the same seeded range as the workload. */
export const TRACES = 500;

export interface TraceFigure {
  /** Milliseconds per trace at the median sample, and at the fastest and slowest. */
  readonly medianMs: number;
  readonly fastestMs: number;
  readonly slowestMs: number;
  /** Mean stretches and listed days per trace (what a trace over 4 weeks holds). */
  readonly stretches: number;
  readonly days: number;
}

/**
 * Traces `addBusinessTime(start, d)` where `d` is the open time of the 4 weeks after `start`
 * (about 140 business hours), for `TRACES` seeded starts in 2023–2032; the calendar is warmed over
 * those years first (a trace is for one deadline at a time: its cost is the walk and the day
 * descriptions, not the first use of a year).
 */
export async function traceFigure(cal: Calendar, seed = 7, samples = 15): Promise<TraceFigure> {
  const random = prng(seed);
  const from = Date.UTC(2023, 0, 1);
  const span = Date.UTC(2032, 11, 1) - from;
  const starts = Array.from({ length: TRACES }, () => from + Math.floor(random() * span));
  const durations = starts.map((s) => cal.businessTimeBetween(s, s + 28 * DAY));
  let stretches = 0;
  let days = 0;
  for (let i = 0; i < TRACES; i++) {
    const t = cal.trace(starts[i]!, durations[i]!);
    stretches += t.stretches.length;
    days += t.days.length;
  }
  const stats = await measure(
    () => {
      let sink = 0;
      for (let i = 0; i < TRACES; i++) sink += cal.trace(starts[i]!, durations[i]!).stretches.length;
      return sink;
    },
    { min_samples: samples, max_samples: samples, min_cpu_time: 0, warmup_samples: 2 },
  );
  const perTrace = (ns: number) => ns / 1e6 / TRACES;
  return {
    medianMs: perTrace(stats.p50),
    fastestMs: perTrace(stats.min),
    slowestMs: perTrace(stats.max),
    stretches: stretches / TRACES,
    days: days / TRACES,
  };
}

/** The row of the required-figures table. */
export function traceRow(f: TraceFigure): string {
  const ms = (x: number) => `${x.toFixed(3)} ms`;
  return `| \`trace\` over 4 weeks of \`softone-se\`, warm (${TRACES} seeded starts; ${f.stretches.toFixed(1)} stretches and ${f.days.toFixed(1)} listed days a trace) | < 1 ms | ${ms(f.medianMs)} a trace (${ms(f.fastestMs)} – ${ms(f.slowestMs)}) | ${f.slowestMs < 1 ? "met" : "**not met**"} |`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { getCalendar } = await import("../src/index");
  const figure = await traceFigure(getCalendar("softone-se"));
  console.log(traceRow(figure));
}
