/*
 * A large batch's replay shared with a helper thread.
 *
 * `evaluateMany` over a million tickets spends most of its time replaying them, one at a time, on
 * the calling thread, while a second core idles. The tickets are the caller's objects, which only
 * the calling thread can read; the replay needs only numbers. So the calling thread reads and
 * checks every ticket as before, and writes the numbers the replay needs into a shared store
 * (replay-store.ts), a chunk of tickets at a time; a helper thread, with the policy compiled from
 * its spec in its own heap, replays chunks as they are published, writing their rows straight into
 * the batch's columns (shared memory, see batch-buffer.ts). Once the calling thread has read every
 * ticket it replays chunks too; each thread takes the next chunk with an atomic add, so neither
 * waits for the other while any is left. The helper then posts back what its rows keep beside the
 * columns (their records of earlier runs and alert crossings, and the tickets whose replay raised
 * an error), and the calling thread takes them over (TicketColumns.adoptRows).
 *
 * Nothing about the result depends on which thread replayed a row: the same code replays it with
 * the same rules, and each row is written by one thread only. The helper is an optimisation that
 * may be absent at any point: until it has started (the first large call starts it) the calling
 * thread takes every chunk; if it fails, its unfinished chunks are replayed by the calling thread;
 * if it stops making progress for {@link STALL_MS} the calling thread gives up on it (it is told to
 * write nothing more, and stopped) and replays every chunk the helper took. Where worker threads
 * are missing (a browser), forbidden, or the module cannot be loaded in one (sla-clock bundled into
 * an application's own file), every call replays on its own thread, as before.
 *
 * The helper is used only for batches of {@link SHARED_FROM} tickets or more, whose columns are
 * shared memory, for a policy whose spec another thread can compile (always, unless the application
 * registered a date-holidays class of its own), and not for a call made while another uses it (from
 * a ticket's getter). It is started on the first such call, does not keep the process alive, and
 * ends after {@link IDLE_EXIT_MS} without work. `configureCaches({ batchReplayThreads: 0 })` turns
 * it off.
 */
import { appDateHolidays } from "../calendar/holiday-class";
import type { PolicyRules } from "../policy/rules";
import { HelperThread } from "../util/helper-thread";
import { nodeBuiltin, nodeModuleBuiltin } from "../util/node-module";
import type { BatchWriter } from "./batch";
import type { TicketPipeline } from "./pipeline";
import { ReplayStore } from "./replay-store";
import {
  Control,
  DoneBy,
  helperError,
  REPLAY_WORKER_KEY,
  serveReplays,
  type GrownEvents,
  type HelperFault,
  type HelperReady,
  type ReplayJob,
  type ReplayResult,
} from "./replay-worker";
import type { EvaluationSettings } from "./result";
import { RaisedProblem } from "./ticket";

// A thread started to serve replays loads this module and finds the function to run under this
// key (set to null by its start-up script, see HELPER_START): nothing happens in any other thread.
{
  const slot = globalThis as unknown as Record<symbol, unknown>;
  if (slot[REPLAY_WORKER_KEY] === null) slot[REPLAY_WORKER_KEY] = serveReplays;
}

/** Batches of fewer tickets replay on the calling thread alone: a helper would not pay for itself. */
export const SHARED_FROM = 16_384;

/** Tickets per chunk: small enough to balance the two threads, large enough to cost little to take. */
const CHUNK_SIZE = 2048;

/** The two sizes in force (tests make them small, so that small batches are shared in many chunks). */
let sharedFrom = SHARED_FROM;
let chunkSize = CHUNK_SIZE;

/**
 * Tests only: the least batch that is shared, and the tickets per chunk (both default when left
 * out).
 * @internal
 */
export function setSharingSizes(sizes: { readonly from?: number; readonly chunk?: number } = {}): void {
  sharedFrom = sizes.from ?? SHARED_FROM;
  chunkSize = sizes.chunk ?? CHUNK_SIZE;
}

/** How long the helper waits for a job before it ends. */
const IDLE_EXIT_MS = 10_000;

/** How long the calling thread waits for a helper that makes no progress before it gives up on it. */
const STALL_MS = 30_000;
let stallMs = STALL_MS;

/** For tests: a failure the helper simulates in the next job, and the stall limit (default {@link STALL_MS}). */
let nextFault: HelperFault | null = null;

/**
 * Tests only: makes the helper simulate `fault` in the next shared call, and sets how long a stall
 * may last before the calling thread gives up on the helper.
 * @internal
 */
export function simulateHelperFault(fault: HelperFault | null, stallLimitMs = STALL_MS): void {
  nextFault = fault;
  stallMs = stallLimitMs;
}

/** How the last shared call's chunks were replayed: by the helper, by the calling thread. @internal */
export interface SharedReplayStats {
  readonly chunks: number;
  readonly helperChunks: number;
  /** Whether the helper entered the call, and whether the calling thread gave up on it. */
  readonly entered: boolean;
  readonly abandoned: boolean;
}

let lastStats: SharedReplayStats | undefined;

/** How the last call that shared its replay went (tests, benchmarks); `undefined` before any. @internal */
export function lastSharedReplay(): SharedReplayStats | undefined {
  return lastStats;
}

/**
 * The helper's start-up script (CommonJS, run with `eval`): it marks the thread as one that serves
 * replays, loads sla-clock (the file this code was loaded from, through tsx when that is a
 * TypeScript source), and hands the port to the function the module registered.
 */
const HELPER_START = `"use strict";
const { workerData } = require("node:worker_threads");
const key = Symbol.for("sla-clock.replay-worker");
globalThis[key] = null;
const loaded = workerData.tsx === null
  ? import(workerData.module)
  : import(workerData.tsx).then((api) => api.tsImport(workerData.module, workerData.module));
loaded.then(() => {
  const serve = globalThis[key];
  if (typeof serve !== "function") throw new Error("sla-clock: the replay helper's module did not register");
  serve(workerData.port, workerData.idleMs);
});
`;

type Threads = typeof import("node:worker_threads");

/**
 * The helper (see HelperThread): its worker, the port the calling thread talks to it through, and
 * whether it has said it serves jobs (see HelperReady). Given up on where it cannot start, fails,
 * or stalls: calls replay alone from then on.
 */
const helper = new HelperThread(startHelper);
type Running = NonNullable<ReturnType<typeof startHelper>>;
/** Whether a call is using the helper now (a call made meanwhile, from a ticket's getter, replays alone). */
let busy = false;
let jobs = 0;

/** Sets the number of helper threads (`configureCaches({ batchReplayThreads })`): 0 or 1. @internal */
export function setBatchReplayThreads(threads: number): void {
  helper.configure(threads);
  // Set again, a helper that failed or stalled is tried again (a runtime without one stays without).
  helper.retry();
  // Set from a ticket's getter during a shared call, the helper is stopped when that call is done:
  // stopped now, the call would wait for it to give up.
  if (threads === 0 && !busy) stopHelper();
}

/** The number of helper threads configured, and how many run now. @internal */
export function batchReplayThreadsUsage(): { readonly limit: number; readonly size: number } {
  return helper.usage();
}

function stopHelper(): void {
  helper.stop()?.port.close();
}

/** Where a helper loads sla-clock from, and tsx's module API when that is a TypeScript source. @internal */
export interface HelperModule {
  readonly module: string;
  readonly tsx: string | null;
}

/**
 * Where the helper loads sla-clock from, this code being loaded from `here` (a file URL): `here`
 * when it is sla-clock's built entry (dist/index.js or dist/index.cjs beside sla-clock's own
 * package.json, which `readText` reads), or this TypeScript source through tsx (the tests, the
 * examples; `resolveTsx` finds tsx's API from `here`); `undefined` anywhere else — in particular
 * when sla-clock was bundled into an application's own file, which a helper must not load (it would
 * run the application).
 * @internal
 */
export function helperModuleAt(
  here: string,
  readText: (url: URL) => string,
  resolveTsx: (from: string) => string,
): HelperModule | undefined {
  try {
    if (here.endsWith(".ts")) return { module: here, tsx: resolveTsx(here) };
    if (!/\/dist\/index\.c?js$/.test(here)) return undefined;
    const manifest = JSON.parse(readText(new URL("../package.json", here))) as { name?: unknown };
    return manifest.name === "sla-clock" ? { module: here, tsx: null } : undefined;
  } catch {
    return undefined;
  }
}

/** {@link helperModuleAt} for this module, in Node; `undefined` elsewhere. */
function helperModule(): HelperModule | undefined {
  const url = nodeBuiltin<typeof import("node:url")>("node:url");
  const fs = nodeBuiltin<typeof import("node:fs")>("node:fs");
  const nodeModule = nodeModuleBuiltin();
  if (url === undefined || fs === undefined || nodeModule === undefined) return undefined;
  // A CommonJS build has no import.meta.url.
  const here = import.meta.url || (typeof __filename === "string" ? url.pathToFileURL(__filename).href : "");
  return helperModuleAt(
    here,
    (file) => fs.readFileSync(file, "utf8"),
    // tsx's ES module API (its CommonJS one resolves its own files from the worker's eval script).
    (from) =>
      url.pathToFileURL(
        nodeModule
          .createRequire(from)
          .resolve("tsx/esm/api")
          .replace(/\.cjs$/, ".mjs"),
      ).href,
  );
}

/** Starts a helper thread that loads sla-clock from {@link helperModule}; `undefined` where it cannot. */
function startHelper(threads: Threads) {
  const module = helperModule();
  if (module === undefined) return undefined;
  const { port1, port2 } = new threads.MessageChannel();
  const worker = new threads.Worker(HELPER_START, {
    eval: true,
    workerData: { ...module, port: port2, idleMs: IDLE_EXIT_MS },
    transferList: [port2],
    stdout: true,
    stderr: true,
  });
  port1.unref();
  return { worker, port: port1, ready: false };
}

/** Whether the helper serves jobs yet (it says so once, when it has loaded sla-clock). */
function isReady(running: Running): boolean {
  if (running.ready) return true;
  const threads = nodeBuiltin<Threads>("node:worker_threads") as Threads;
  for (let got = threads.receiveMessageOnPort(running.port); got !== undefined;) {
    if ((got.message as HelperReady).kind === "ready") running.ready = true;
    got = threads.receiveMessageOnPort(running.port);
  }
  return running.ready;
}

/** Each policy's spec as JSON (what another thread compiles) and the key it is known by there. */
const portable = new WeakMap<PolicyRules, { readonly key: number; readonly spec: ReplayJob["spec"] }>();
let policyKeys = 0;

function portableOf(rules: PolicyRules): { readonly key: number; readonly spec: ReplayJob["spec"] } {
  let found = portable.get(rules);
  if (found === undefined) {
    found = { key: ++policyKeys, spec: JSON.parse(JSON.stringify(rules.spec)) as ReplayJob["spec"] };
    portable.set(rules, found);
  }
  return found;
}

/**
 * Evaluates the `n` tickets of `list` into `writer` with the helper thread when it can be used
 * (see the module's comment): reads and checks every ticket here, shares the replay, and takes
 * over the helper's rows. Returns false, having done nothing, when the helper is not to be used;
 * the caller then runs the tickets through `pipeline` itself.
 * @internal
 */
export function replayShared(
  rules: PolicyRules,
  settings: EvaluationSettings,
  list: readonly unknown[],
  n: number,
  now: number,
  pipeline: TicketPipeline,
  writer: BatchWriter,
): boolean {
  if (n < sharedFrom || busy || !helper.wanted) return false;
  if (typeof SharedArrayBuffer !== "function" || !(writer.slab.buffer instanceof SharedArrayBuffer)) return false;
  if (appDateHolidays()) return false;
  let running: Running | undefined;
  try {
    running = helper.running();
    if (running === undefined || !isReady(running)) return false;
  } catch {
    // A runtime whose worker threads lack what is used here (a message port read synchronously).
    helper.fail();
    return false;
  }
  const size = chunkSize;
  const chunks = Math.ceil(n / size);
  const control = new Int32Array(new SharedArrayBuffer(4 * Control.Length));
  const done = new Uint8Array(new SharedArrayBuffer(chunks));
  const store = ReplayStore.take(n);
  const job = ++jobs;
  busy = true;
  let finished = false;
  try {
    const { key, spec } = portableOf(rules);
    const message: ReplayJob = {
      kind: "job",
      job,
      policyKey: key,
      spec,
      atRiskThreshold: settings.atRiskThreshold,
      alerts: JSON.parse(JSON.stringify(settings.alerts.map((a) => a.threshold))) as ReplayJob["alerts"],
      inOpenHours: settings.inOpenHours,
      n,
      now,
      chunkSize: size,
      chunks,
      control,
      done,
      store: {
        createdAt: store.createdAt,
        rank: store.rank,
        eventEnd: store.eventEnd,
        kinds: store.kinds,
        times: store.times,
        eventRank: store.eventRank,
      },
      slab: writer.slab,
      fault: nextFault,
    };
    nextFault = null;
    const port = running.port;
    port.postMessage(message);
    const grown = (s: ReplayStore): void => {
      const events: GrownEvents = { kind: "events", job, kinds: s.kinds, times: s.times, eventRank: s.eventRank };
      port.postMessage(events);
    };
    const ids = writer.ids;
    for (let c = 0; c < chunks; c++) {
      const to = Math.min(n, (c + 1) * size);
      for (let i = c * size; i < to; i++) {
        const id = pipeline.store(i, list, i, now, writer, store, grown);
        if (id !== undefined) ids[i] = id;
      }
      Atomics.store(control, Control.Published, c + 1);
      Atomics.notify(control, Control.Published);
    }
    for (let c = Atomics.add(control, Control.Next, 1); c < chunks; c = Atomics.add(control, Control.Next, 1)) {
      replayChunk(c, size, n, store, now, pipeline, writer);
      done[c] = DoneBy.Caller;
    }
    const result = helperResult(running, control, job);
    // The chunks the helper finished (none when it never entered, or was given up on).
    const theirs = new Set(result?.chunks);
    if (result !== undefined && result.beside !== null) {
      const ranges: number[] = [];
      for (const c of result.chunks) ranges.push(c * size, Math.min(n, (c + 1) * size));
      writer.adoptRows(result.beside, ranges);
      for (const f of result.failures)
        if (theirs.has(Math.floor(f.index / size))) writer.failedElsewhere(f.index, new RaisedProblem(helperError(f)));
      if (anyReplayed(writer, ranges)) writer.follow(rules.engine, settings, now);
    }
    // Chunks the helper took and did not finish (it failed, or was given up on).
    for (let c = 0; c < chunks; c++) {
      if (done[c] === DoneBy.Caller || theirs.has(c)) continue;
      replayChunk(c, size, n, store, now, pipeline, writer);
    }
    writer.orderFailures();
    lastStats = {
      chunks,
      helperChunks: theirs.size,
      entered: Atomics.load(control, Control.Entered) === 1,
      abandoned: Atomics.load(control, Control.Abandoned) === 1,
    };
    finished = true;
  } finally {
    // A call that threw (a bug, not a bad ticket) leaves the helper nothing to wait for.
    if (!finished) {
      Atomics.store(control, Control.Abandoned, 1);
      Atomics.notify(control, Control.Published);
    }
    ReplayStore.release(store);
    busy = false;
    if (helper.threads === 0) stopHelper();
  }
  return true;
}

/**
 * Whether a row in `ranges` (pairs of first row and end) holds a replayed ticket: a failed or
 * unread one has no priority rank.
 */
function anyReplayed(writer: BatchWriter, ranges: readonly number[]): boolean {
  const ranks = writer.priorityRank;
  for (let r = 0; r < ranges.length; r += 2)
    for (let i = ranges[r] as number; i < (ranges[r + 1] as number); i++) if ((ranks[i] as number) >= 0) return true;
  return false;
}

/** Replays chunk `c` (of `size` tickets) of the store on the calling thread. */
function replayChunk(
  c: number,
  size: number,
  n: number,
  store: ReplayStore,
  now: number,
  pipeline: TicketPipeline,
  writer: BatchWriter,
): void {
  const to = Math.min(n, (c + 1) * size);
  const ids = writer.ids;
  for (let i = c * size; i < to; i++) {
    if ((store.rank[i] as number) < 0) continue;
    pipeline.replayStored(i, store, ids[i] as string | number, now, writer);
  }
}

/**
 * The helper's result for `job`, once it has finished; `undefined` when it never entered the job
 * (it had not started yet), or stopped making progress (then it is given up on and stopped).
 */
function helperResult(running: Running, control: Int32Array, job: number): ReplayResult | undefined {
  if (Atomics.compareExchange(control, Control.Entered, 0, 2) === 0) return undefined;
  let heartbeat = Atomics.load(control, Control.Heartbeat);
  let since = Date.now();
  while (Atomics.load(control, Control.Finished) === 0) {
    // Never longer than the stall limit: a stall is then seen within twice the limit.
    Atomics.wait(control, Control.Finished, 0, Math.min(1000, stallMs));
    const now = Atomics.load(control, Control.Heartbeat);
    if (now !== heartbeat) {
      heartbeat = now;
      since = Date.now();
    } else if (Date.now() - since > stallMs && Atomics.load(control, Control.Finished) === 0) {
      Atomics.store(control, Control.Abandoned, 1);
      Atomics.notify(control, Control.Published);
      helper.fail();
      stopHelper();
      return undefined;
    }
  }
  const threads = nodeBuiltin<Threads>("node:worker_threads") as Threads;
  for (;;) {
    const got = threads.receiveMessageOnPort(running.port) as { message: ReplayResult } | undefined;
    // The result was posted before Finished was set, so it is there.
    if (got === undefined) return undefined;
    if (got.message.kind === "result" && got.message.job === job) return got.message;
  }
}
