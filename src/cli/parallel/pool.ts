import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { UsageError } from "../load";
import type { ParcelEvaluator } from "./evaluator";
import type { Parcel } from "./parcels";
import type { ParcelResult, ToWorker, WorkerInit, WorkerSummary } from "./protocol";
import type { SummarySnapshot } from "../summary";

/**
 * Most threads the parallel `evaluate` uses by default (the main thread included): past four, the
 * main thread (reading the input, writing the output) is the bottleneck on the exports measured.
 *
 * @example
 * ```ts
 * defaultJobs(); // min(os.availableParallelism(), MAX_DEFAULT_JOBS)
 * ```
 */
export const MAX_DEFAULT_JOBS = 4;

/**
 * The threads `evaluate` uses when `--jobs` is not given: one per CPU the process may use, at most
 * {@link MAX_DEFAULT_JOBS}; 1 (no worker: the rows are evaluated on the main thread) on one CPU.
 *
 * @example
 * ```ts
 * defaultJobs(); // 2 on a two-core machine
 * ```
 */
export function defaultJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_JOBS));
}

/** A parcel whose rows are done, as the output needs it. */
export type DoneParcel = Extract<ParcelResult, { bytes: Uint8Array }>;

/** Parcels in flight per worker: one being evaluated, one waiting, so that no worker idles. */
const IN_FLIGHT_PER_WORKER = 2;

/** A built cli-worker.js for a CLI running from its sources; see {@link useBuiltWorker}. */
let builtWorker: URL | undefined;

/**
 * Makes a CLI that runs from its TypeScript sources start its workers from `worker`, a build of
 * src/cli/parallel/worker.ts (its entry in tsup.config.ts), instead of worker.ts through tsx;
 * `undefined` goes back to tsx. For the tests (test/support/cli-bundle.ts): each worker through tsx
 * loads every source module again, about half a second of CPU. The built CLI ignores it.
 *
 * @example
 * ```ts
 * useBuiltWorker(pathToFileURL(".cache/test-cli-x/dist/cli-worker.js"));
 * ```
 * @internal
 */
export function useBuiltWorker(worker: URL | undefined): void {
  builtWorker = worker;
}

/**
 * Starts a worker of src/cli/parallel/worker: the built file beside the CLI (dist/cli-worker.js),
 * or, when the CLI runs from its TypeScript sources (the tests, `npm run cli`), worker.ts through
 * tsx, which is then installed (a dev dependency), unless a build of it is set (useBuiltWorker).
 */
function startWorker(init: WorkerInit): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return new Worker(new URL("./cli-worker.js", here), { workerData: init });
  if (builtWorker !== undefined) return new Worker(builtWorker, { workerData: init });
  // tsx's ES module API (its CommonJS one resolves its own files from the worker's eval script).
  const tsx = pathToFileURL(
    createRequire(here)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const script = new URL("./worker.ts", here).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(script)}, ${JSON.stringify(here)}));`,
    { eval: true, workerData: init },
  );
}

/**
 * Evaluates parcels of rows on `jobs` threads — `jobs − 1` worker threads, and this thread (`here`)
 * for a parcel that finds every worker with two parcels already — and hands each parcel's result
 * to `done` in the input's order (whatever order they finish in), one at a time; returns the
 * threads' summary counts (none when there was no row). Reading waits while this thread evaluates
 * or writes, so memory stays flat however large the input. The workers start at the first parcel
 * (the header is read by then: `initOf` can tell them). A worker's error stops the run: a
 * `UsageError` in a worker is thrown here as one, anything else as an internal error; the workers
 * are stopped in every case before this returns.
 *
 * @example
 * ```ts
 * await evaluateInWorkers(parcels, 2, () => init, (init) => new ParcelEvaluator(policy, init), (p) => writer.writeFormatted(p.bytes, p.rows));
 * ```
 */
export async function evaluateInWorkers(
  parcels: AsyncIterable<readonly Parcel[]>,
  jobs: number,
  initOf: () => WorkerInit,
  hereOf: (init: WorkerInit) => ParcelEvaluator,
  done: (parcel: DoneParcel) => Promise<void>,
): Promise<SummarySnapshot[]> {
  let here: ParcelEvaluator | undefined;
  const workers: { worker: Worker; inFlight: number; summary?: SummarySnapshot }[] = [];
  const results = new Map<number, ParcelResult>();
  let failure: Error | undefined;
  // Events (a result, an error) are counted, so that one that comes while `drain` awaits the output
  // is not missed by the wait that follows it: waiting since a count already passed returns at once.
  let events = 0;
  let wake: (() => void) | undefined;
  const signal = () => {
    events++;
    const w = wake;
    wake = undefined;
    w?.();
  };
  const changedSince = (seen: number) =>
    events !== seen ? Promise.resolve() : new Promise<void>((resolve) => (wake = resolve));
  let sent = 0;
  let next = 0;

  const start = () => {
    const init = initOf();
    here = hereOf(init);
    for (let k = 1; k < jobs; k++) {
      const slot: (typeof workers)[number] = { worker: startWorker(init), inFlight: 0 };
      slot.worker.on("message", (message: ParcelResult | WorkerSummary) => {
        slot.inFlight--;
        if ("summary" in message) slot.summary = message.summary;
        else results.set(message.seq, message);
        signal();
      });
      slot.worker.on("error", (e) => {
        // Its own error, without the code of a system error (which the command reports as an output problem).
        failure ??= new Error(`a worker of the parallel evaluate failed: ${e.message}`, { cause: e });
        signal();
      });
      slot.worker.on("exit", (code) => {
        if (slot.inFlight > 0) failure ??= new Error(`a worker of the parallel evaluate stopped (exit code ${code})`);
        signal();
      });
      workers.push(slot);
    }
  };

  /** Hands over the results that are next in order; throws a worker's error. */
  const drain = async () => {
    for (;;) {
      if (failure !== undefined) throw failure;
      const result = results.get(next);
      if (result === undefined) return;
      results.delete(next);
      next++;
      if ("error" in result) {
        if (result.error.usage) throw new UsageError(result.error.message);
        throw Object.assign(new Error(`in a worker of the parallel evaluate: ${result.error.message}`), {
          stack: result.error.stack,
        });
      }
      await done(result);
    }
  };

  /** Hands over results as they come (see `drain`; its throw ends the wait) until `ready` holds. */
  const until = async (ready: () => boolean) => {
    for (;;) {
      const seen = events;
      await drain();
      if (ready()) return;
      await changedSince(seen);
    }
  };

  try {
    for await (const batch of parcels) {
      for (const parcel of batch) {
        if (here === undefined) start();
        await drain();
        sent++;
        const slot = workers.reduce<(typeof workers)[number] | undefined>(
          (a, b) => (a === undefined || b.inFlight < a.inFlight ? b : a),
          undefined,
        );
        if (slot !== undefined && slot.inFlight < IN_FLIGHT_PER_WORKER) {
          slot.inFlight++;
          slot.worker.postMessage({ parcel } satisfies ToWorker);
        } else {
          // Every worker has its parcels: this thread evaluates this one itself.
          results.set(parcel.seq, await (here as ParcelEvaluator).evaluate(parcel));
        }
      }
    }
    await until(() => next === sent);
    // Every parcel is done: each worker's summary counts.
    for (const slot of workers) {
      slot.inFlight++;
      slot.worker.postMessage({ finish: true } satisfies ToWorker);
    }
    await until(() => workers.every((w) => w.summary !== undefined));
    const summaries = workers.map((w) => w.summary as SummarySnapshot);
    return here === undefined ? summaries : [here.summary(), ...summaries];
  } finally {
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}
