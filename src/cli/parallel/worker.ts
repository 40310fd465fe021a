/**
 * A worker thread of the parallel `evaluate` (see pool.ts): builds the command's policy from the
 * same arguments as the main thread, then evaluates each parcel of rows it is posted
 * ({@link ParcelEvaluator}), in the order posted, and posts back each one's bytes; told to finish,
 * it posts its summary counts.
 */
import { parentPort, workerData } from "node:worker_threads";
import { policyWithClosures } from "../closures";
import { loadPolicy, useInputTexts } from "../load";
import { failedParcel, ParcelEvaluator } from "./evaluator";
import type { ToWorker, WorkerInit, WorkerSummary } from "./protocol";

const port = parentPort;
if (port === null) throw new Error("src/cli/parallel/worker.ts runs as a worker thread of the parallel evaluate");
const init = workerData as WorkerInit;
// A policy that cannot be built here (a feed removed since the main thread read it) fails every parcel.
const evaluator: Promise<ParcelEvaluator | Error> = (async () => {
  try {
    useInputTexts(init.files);
    return new ParcelEvaluator(await policyWithClosures(loadPolicy(init.policy), init.closures), init);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
})();

// One message at a time, in the order posted.
let queue: Promise<void> = Promise.resolve();
port.on("message", (message: ToWorker) => {
  queue = queue.then(async () => {
    const here = await evaluator;
    if ("finish" in message) {
      if (!(here instanceof Error)) port.postMessage({ summary: here.summary() } satisfies WorkerSummary);
      return;
    }
    const result = here instanceof Error ? failedParcel(message.parcel.seq, here) : await here.evaluate(message.parcel);
    // The bytes move to the main thread rather than being copied (their buffer holds nothing else).
    port.postMessage(result, "bytes" in result ? [result.bytes.buffer as ArrayBuffer] : []);
  });
});
