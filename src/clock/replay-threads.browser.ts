/**
 * The browser build's ./replay-threads.ts (tsup.config.ts swaps it in): a browser has no worker
 * thread that could load sla-clock's files, so a batch always replays on the calling thread, and
 * the bundle leaves the helper's side (./replay-worker.ts) out. Exports what ./replay-threads.ts
 * exports to the rest of src/, with the same types.
 */
import type * as NodeReplayThreads from "./replay-threads";

/**
 * Never shares a replay here: returns false, and the caller replays every ticket itself.
 *
 * @example
 * ```ts
 * if (!replayShared(rules, settings, list, n, now, pipeline, writer)) replayAlone();
 * ```
 * @internal
 */
export const replayShared: typeof NodeReplayThreads.replayShared = () => false;

/** Accepts the setting (0 or 1, checked by configureCaches); no helper runs here. @internal */
export const setBatchReplayThreads: typeof NodeReplayThreads.setBatchReplayThreads = () => undefined;

/** No helper threads here: the setting reads 0, and none runs. @internal */
export const batchReplayThreadsUsage: typeof NodeReplayThreads.batchReplayThreadsUsage = () => ({ limit: 0, size: 0 });
