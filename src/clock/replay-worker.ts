/*
 * The other side of a replay shared between threads (see replay-threads.ts): what the helper
 * thread runs. It is given a batch's job, and replays chunks of its tickets from the shared store
 * into the batch's shared columns, taking chunks as the calling thread publishes them, until none
 * is left; then it posts back what its rows keep beside the columns (their records, their failures)
 * and says it has finished.
 *
 * Everything here runs in the helper thread. The policy is compiled here from its spec (JSON), so
 * that the replay is the calling thread's replay: the same code, the same rules, the same
 * calendar, in a heap of its own.
 */
import { SlaClockError, type SlaClockErrorCode, type SlaClockErrorDetails } from "../errors";
import { compileAlerts, type AlertThreshold, type CompiledAlert } from "../policy/alerts";
import { PolicyRules } from "../policy/rules";
import type { PolicySpec } from "../policy/spec";
import { nodeBuiltin } from "../util/node-module";
import { BatchWriter, type TicketFailure } from "./batch";
import { setBatchPageThreads } from "./batch-pages";
import { TicketPipeline } from "./pipeline";
import type { StoredTicketArrays } from "./replay-store";
import type { EvaluationSettings, RowsBeside, SlabPlace } from "./result";

/** Slots of a job's control array (an Int32Array over shared memory). @internal */
export const Control = {
  /** Chunks whose tickets the calling thread has read and stored. */
  Published: 0,
  /** The next chunk to take (each thread takes one with an atomic add). */
  Next: 1,
  /** 0 until the helper enters the job (1) or the calling thread closes it to the helper (2). */
  Entered: 2,
  /** 1 once the helper has posted its result. */
  Finished: 3,
  /** Counts the helper's progress (a chunk replayed, the policy compiled). */
  Heartbeat: 4,
  /** 1 when the calling thread gave up waiting for the helper: it must write nothing more. */
  Abandoned: 5,
  /** Slots in all. */
  Length: 6,
} as const;

/** Per chunk, in a job's `done` array: who replayed it (0: nobody yet). @internal */
export const DoneBy = { Caller: 1, Helper: 2 } as const;

/**
 * A batch's job, as posted to the helper. Typed arrays over shared memory are shared, not
 * copied, by `postMessage`.
 * @internal
 */
export interface ReplayJob {
  readonly kind: "job";
  readonly job: number;
  /** The policy: a key that names its compiled rules in the helper, and its spec. */
  readonly policyKey: number;
  readonly spec: PolicySpec;
  readonly atRiskThreshold: number;
  readonly alerts: readonly AlertThreshold[];
  readonly inOpenHours: boolean;
  readonly n: number;
  readonly now: number;
  readonly chunkSize: number;
  readonly chunks: number;
  readonly control: Int32Array;
  readonly done: Uint8Array;
  readonly store: StoredTicketArrays;
  readonly slab: SlabPlace;
  /** For tests only: a failure to simulate (see HelperFault). */
  readonly fault: HelperFault | null;
}

/**
 * A failure of the helper that tests simulate, after it has replayed `afterChunks` chunks of a job:
 * an error thrown in the middle of the next chunk, or a stall there of `ms` without progress.
 * @internal
 */
export type HelperFault =
  | { readonly kind: "throw"; readonly afterChunks: number }
  | { readonly kind: "stall"; readonly afterChunks: number; readonly ms: number };

/** The store's event arrays after they grew, for the job that uses them. @internal */
export interface GrownEvents {
  readonly kind: "events";
  readonly job: number;
  readonly kinds: Uint8Array;
  readonly times: Float64Array;
  readonly eventRank: Int16Array;
}

/**
 * What the helper posts once it serves jobs: until then a call replays alone, and posts nothing
 * (a job waiting in the port for a helper still loading would hold the batch's memory).
 * @internal
 */
export interface HelperReady {
  readonly kind: "ready";
}

/** A ticket whose replay raised an error (its range), as the helper reports it. @internal */
export interface HelperFailure {
  readonly index: number;
  readonly code: SlaClockErrorCode;
  readonly message: string;
  readonly details: SlaClockErrorDetails;
}

/** What the helper posts back when it has finished a job. @internal */
export interface ReplayResult {
  readonly kind: "result";
  readonly job: number;
  /** The chunks it replayed in full (their rows are in the columns, their records `beside`). */
  readonly chunks: readonly number[];
  readonly beside: RowsBeside | null;
  readonly failures: readonly HelperFailure[];
  /** Why it stopped early, when it did (the chunks it did not finish are the caller's to replay). */
  readonly error: string | null;
}

/** The key under which a thread that loads this module to serve replays finds {@link serveReplays}. @internal */
export const REPLAY_WORKER_KEY: unique symbol = Symbol.for("sla-clock.replay-worker") as never;

/** Policies compiled in this thread, by key (the most recent few). */
const compiled = new Map<number, PolicyRules>();
const COMPILED_KEPT = 64;
/** Alert lists compiled in this thread, by their thresholds as JSON. */
const alertLists = new Map<string, readonly CompiledAlert[]>();

function rulesFor(job: ReplayJob): PolicyRules {
  let rules = compiled.get(job.policyKey);
  if (rules !== undefined) {
    compiled.delete(job.policyKey);
  } else {
    rules = new PolicyRules(job.spec);
    if (compiled.size >= COMPILED_KEPT) compiled.delete(compiled.keys().next().value as number);
  }
  compiled.set(job.policyKey, rules);
  return rules;
}

function alertsFor(thresholds: readonly AlertThreshold[]): readonly CompiledAlert[] {
  const key = JSON.stringify(thresholds);
  let alerts = alertLists.get(key);
  if (alerts === undefined) {
    alerts = compileAlerts(thresholds, "alerts");
    if (alertLists.size < 64) alertLists.set(key, alerts);
  }
  return alerts;
}

/** A failure of the helper's rows as it is posted back (see helperError). */
function postable(failure: TicketFailure): HelperFailure {
  const error = failure.error;
  return { index: failure.index, code: error.code, message: error.message, details: cloneable(error.details) };
}

/** An error's details as they can be posted (a value that cannot be is left out). */
function cloneable(details: SlaClockErrorDetails): SlaClockErrorDetails {
  try {
    return structuredClone(details);
  } catch {
    return {};
  }
}

/**
 * Serves jobs from `port` (a MessagePort) until the thread ends: each job's chunks as they are
 * published, then its result. The thread ends after `idleMs` without a job.
 * @internal
 */
export function serveReplays(port: import("node:worker_threads").MessagePort, idleMs: number): void {
  // This thread's new batch memory needs no thread of its own to map its pages.
  setBatchPageThreads(0);
  let idle: ReturnType<typeof setTimeout> | undefined;
  let quiet: ReturnType<typeof setTimeout> | undefined;
  const rest = () => {
    clearTimeout(idle);
    clearTimeout(quiet);
    idle = setTimeout(() => port.close(), idleMs);
    // Not at once: a service's next call often follows, and this thread should be ready for it.
    quiet = setTimeout(forgetJobs, FORGET_AFTER_MS);
  };
  const events = new Map<number, GrownEvents>();
  const ready: HelperReady = { kind: "ready" };
  port.postMessage(ready);
  port.on("message", (message: ReplayJob | GrownEvents) => {
    if (message.kind === "events") {
      events.set(message.job, message);
      return;
    }
    clearTimeout(idle);
    clearTimeout(quiet);
    try {
      runJob(message, port, events);
    } finally {
      events.clear();
      rest();
    }
  });
  rest();
}

/** How long after a job, with no other, this thread collects its heap (see {@link forgetJobs}). */
const FORGET_AFTER_MS = 100;

/**
 * Lets go of the jobs' shared memory: a batch's columns, the store and the records this thread
 * posted back stay alive while any heap references them, and this thread's references (typed
 * arrays made during a job of a second or more) have been promoted to its old generation, which an
 * idle thread never collects; nor does V8 count shared memory towards collecting it. So once no job
 * has come for {@link FORGET_AFTER_MS}, this thread makes a full collection of its small heap:
 * `vm.measureMemory` with `execution: "eager"` starts one at once to measure what is live. Without
 * it, the batches of a service's calls stayed alive in this thread until it ended. (While jobs keep
 * coming, the thread's own allocation makes V8 collect its heap in the normal way.) It replaced
 * `v8.queryObjects`, which collects too but then walks every object of the heap to count: 75–110 ms
 * on a helper's heap of 8 MB where this takes 10 ms, and seconds once the helper had compiled
 * thousands of policies (docs/performance.md, "A helper thread for large batches").
 */
function forgetJobs(): void {
  const vm = nodeBuiltin<typeof import("node:vm")>("node:vm");
  vm?.measureMemory({ mode: "summary", execution: "eager" }).catch(() => undefined);
}

/** The store of a job, with its event arrays as they were last grown (when they were). */
function storeOf(job: ReplayJob, grown: GrownEvents | undefined): StoredTicketArrays {
  if (grown === undefined) return job.store;
  return { ...job.store, kinds: grown.kinds, times: grown.times, eventRank: grown.eventRank };
}

function runJob(
  job: ReplayJob,
  port: import("node:worker_threads").MessagePort,
  events: Map<number, GrownEvents>,
): void {
  const { control, done } = job;
  // A job the caller closed (it finished without this thread) is not entered.
  if (Atomics.compareExchange(control, Control.Entered, 0, 1) !== 0) return;
  const chunks: number[] = [];
  // The batch's rows as this thread writes them: into the shared columns, with failures kept.
  let rows: BatchWriter | undefined;
  let error: string | null = null;
  try {
    const rules = rulesFor(job);
    const alerts = alertsFor(job.alerts);
    const settings: EvaluationSettings = {
      atRiskThreshold: job.atRiskThreshold,
      alerts,
      inOpenHours: job.inOpenHours,
    };
    Atomics.add(control, Control.Heartbeat, 1);
    rows = new BatchWriter(job.n, alerts, rules.measuredFlags, rules.rankTargets, undefined, job.slab);
    const pipeline = new TicketPipeline(rules, settings);
    let store = storeOf(job, events.get(job.job));
    for (;;) {
      const c = Atomics.add(control, Control.Next, 1);
      if (c >= job.chunks) break;
      for (let published = Atomics.load(control, Control.Published); published <= c;) {
        Atomics.wait(control, Control.Published, published, 100);
        if (Atomics.load(control, Control.Abandoned) === 1) return;
        published = Atomics.load(control, Control.Published);
      }
      const from = c * job.chunkSize;
      const to = Math.min(job.n, from + job.chunkSize);
      // The chunk's events may be in arrays grown after the job was posted: they were posted first.
      if (to > 0 && (store.eventEnd[to - 1] as number) > store.kinds.length) {
        for (let m = receive(port); m !== undefined; m = receive(port)) events.set(m.job, m);
        store = storeOf(job, events.get(job.job));
        // Never read past the arrays: the chunk is then the calling thread's to replay.
        if ((store.eventEnd[to - 1] as number) > store.kinds.length)
          throw new Error("the store's events did not arrive");
      }
      const fault = job.fault !== null && chunks.length === job.fault.afterChunks ? job.fault : null;
      for (let i = from; i < to; i++) {
        if ((store.rank[i] as number) < 0) continue;
        if (fault !== null && i === from + ((to - from) >> 1)) simulate(fault);
        // A caller that gave up on this thread replays its chunks itself: no row may be written after.
        if (Atomics.load(control, Control.Abandoned) === 1) return;
        pipeline.replayStored(i, store, "", job.now, rows);
      }
      chunks.push(c);
      Atomics.store(done, c, DoneBy.Helper);
      Atomics.add(control, Control.Heartbeat, 1);
    }
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  const result: ReplayResult = {
    kind: "result",
    job: job.job,
    chunks,
    beside: rows === undefined ? null : rows.rowsBeside,
    failures: rows === undefined ? [] : rows.failures.map(postable),
    error,
  };
  port.postMessage(result);
  Atomics.store(control, Control.Finished, 1);
  Atomics.notify(control, Control.Finished);
}

/** Simulates a {@link HelperFault} (tests). */
function simulate(fault: HelperFault): void {
  if (fault.kind === "throw") throw new Error("simulated failure of the replay helper");
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, fault.ms);
}

/** The next grown-events message waiting on `port`, if any (others are dropped: there are none). */
function receive(port: import("node:worker_threads").MessagePort): GrownEvents | undefined {
  const threads = nodeBuiltin<typeof import("node:worker_threads")>("node:worker_threads");
  const got = threads?.receiveMessageOnPort(port) as { message: GrownEvents | ReplayJob } | undefined;
  if (got === undefined) return undefined;
  return got.message.kind === "events" ? got.message : undefined;
}

/** Rebuilds a failure the helper reported, as the calling thread's typed error. @internal */
export function helperError(failure: HelperFailure): SlaClockError {
  return new SlaClockError(failure.code, failure.message, failure.details);
}
