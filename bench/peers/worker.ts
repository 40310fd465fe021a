/**
 * Runs one peer on one sample of the workload in a process of its own, so that each peer gets the
 * host zone it needs (TZ is set by the parent) and its own JIT state. Usage:
 *
 *   TZ=Europe/Stockholm node --import tsx bench/peers/worker.ts '{"peer":"dayjs","n":10000,"seed":3,"wholeMinutes":false,"out":"bench/.out/x.f64"}'
 *
 * Writes the answers (epoch ms, NaN where the peer threw) as raw float64 to `out` and prints one
 * JSON line with the time of each block of items.
 */
import { writeFileSync } from "node:fs";
import { swedishPublicHolidays, workload } from "../workload";
import { makeDayjsBusinessTime } from "./dayjs-business-time";
import { makeLuxonLoop } from "./luxon-loop";
import { makeMomentBusinessTime } from "./moment-business-time";

export type PeerId = "moment" | "dayjs" | "luxon";

export interface WorkerTask {
  readonly peer: PeerId;
  readonly n: number;
  readonly seed: number;
  readonly wholeMinutes: boolean;
  readonly out: string;
  /** How many blocks to time the sample in (the rate is the median block's). */
  readonly blocks: number;
}

export interface WorkerResult {
  readonly peer: PeerId;
  readonly tz: string;
  readonly n: number;
  readonly blockSize: number;
  /** Milliseconds per block. */
  readonly blockMs: number[];
  readonly errors: number;
  readonly firstError?: string;
}

const task = JSON.parse(process.argv[2] ?? "{}") as WorkerTask;
const holidays = swedishPublicHolidays();
const makers = { moment: makeMomentBusinessTime, dayjs: makeDayjsBusinessTime, luxon: makeLuxonLoop } as const;
const add = makers[task.peer](holidays);
const { starts, durations } = workload(task.n, task.seed, task.wholeMinutes);
const answers = new Float64Array(task.n);
let errors = 0;
let firstError: string | undefined;

function run(i: number): number {
  try {
    return add(starts[i]!, durations[i]!);
  } catch (e) {
    errors++;
    firstError ??= String(e);
    return Number.NaN;
  }
}

// Warm up on the first items (the timed pass computes them again).
for (let i = 0; i < Math.min(100, task.n); i++) run(i);
errors = 0;
firstError = undefined;

const blockSize = Math.floor(task.n / task.blocks);
const blockMs: number[] = [];
for (let b = 0; b < task.blocks; b++) {
  const from = b * blockSize;
  const to = b === task.blocks - 1 ? task.n : from + blockSize;
  const t0 = performance.now();
  for (let i = from; i < to; i++) answers[i] = run(i);
  blockMs.push(((performance.now() - t0) * blockSize) / (to - from));
}
writeFileSync(task.out, new Uint8Array(answers.buffer));
const result: WorkerResult = {
  peer: task.peer,
  tz: process.env.TZ ?? "(unset)",
  n: task.n,
  blockSize,
  blockMs,
  errors,
  ...(firstError === undefined ? {} : { firstError }),
};
console.log(JSON.stringify(result));
