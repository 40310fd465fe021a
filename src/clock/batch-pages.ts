/*
 * A helper thread that maps a large batch's new memory ahead of the call that writes it.
 *
 * A batch of a million tickets writes 100–300 MB of columns and records into memory the process
 * has not touched before (batch-buffer.ts). The kernel maps such memory a 4 KiB page at a time, on
 * the first write to each page: on the bench machine (a virtual machine) 73 000 page faults a
 * four-metric call, 0.8 s of a 3.8 s call, all of it on the thread doing the work. A page the
 * kernel has mapped for one thread is mapped for every thread of the process, so a second thread
 * can take those faults on another core while the call replays its tickets: it touches one word of
 * each page, in the order the call will write them, and the call then finds its pages mapped. The
 * call went from 3.3–4.4 s to 2.9–3.1 s (docs/performance.md, "A helper thread for new pages").
 *
 * The touch is `Atomics.compareExchange(word, 0, 0)`: it stores only where the word still holds
 * zero, and stores zero there, atomically with respect to the call's own writes; whatever the
 * interleaving, no value the call wrote is ever changed. Only `SharedArrayBuffer`s can be touched
 * from another thread, so only batch memory that is shared (batch-buffer.ts) is handed over, and
 * only buffers of {@link PAGE_HELPER_FROM_BYTES} or more: a small batch's pages cost little and a
 * thread is not started for them.
 *
 * The thread is started on the first large buffer, is `unref`ed (it never keeps a process alive),
 * and ends itself after {@link IDLE_EXIT_MS} without work. Each buffer it was given is referenced
 * by its own heap until that heap is collected, so once its queue has been empty for
 * {@link QUIET_MS} it allocates a little garbage outside the message handler: its young generation
 * (2 MiB) is then collected and it holds no batch's memory (without that, a helper that had touched ten 100 MB batches kept all
 * 1 GB mapped after the caller had dropped them). If it cannot be started (no worker threads here,
 * or a permission model that forbids them) or fails, batches simply take their pages themselves.
 */
import { HelperThread } from "../util/helper-thread";

/** Buffers smaller than this map their own pages (a batch of about 16 000 tickets or more is handed over). */
const PAGE_HELPER_FROM_BYTES = 4 * 1024 * 1024;

/** How long the helper waits for more work before it ends (a batch in progress sends more within it). */
const IDLE_EXIT_MS = 2000;

/**
 * When the helper lets go of the buffers it was given (see the module's comment): once its queue
 * has stayed empty for {@link QUIET_MS}, or as soon as its queue is empty when it has been given
 * {@link FORGET_BYTES} since it last did. A call hands over a buffer every few milliseconds (`evaluateAcross`'s 4 MiB
 * blocks) and the queue is empty between them: letting go after each one was some forty rounds of
 * 200 000 small allocations in a call over a million tickets (887 collections of the helper's
 * young generation over three such calls, 60 now), CPU that the call's own collector
 * threads wanted on a two-core machine. The bound on bytes keeps a steady stream of calls (never
 * quiet for long) from holding much more than that mapped through the helper besides the buffers
 * it is still working on.
 */
const QUIET_MS = 100;
const FORGET_BYTES = 256 * 1024 * 1024;

/** The two in force, sent with each buffer (tests lengthen the wait, to see the bound alone). */
let quietMs = QUIET_MS;
let forgetBytes = FORGET_BYTES;

/**
 * Tests only: how long the helper's queue stays empty before it lets go, and after how many bytes
 * given it lets go at once (both default when left out).
 * @internal
 */
export function setPageHelperRelease(release: { readonly quietMs?: number; readonly forgetBytes?: number } = {}): void {
  quietMs = release.quietMs ?? QUIET_MS;
  forgetBytes = release.forgetBytes ?? FORGET_BYTES;
}

/**
 * The helper's program, a CommonJS script run with `eval`. A message is `{ buffer, parts }` and
 * the release settings in force (see {@link setPageHelperRelease}); `parts` are the byte offsets
 * where the buffer's columns start, which the call writes side by side (row i of each), so the
 * helper advances through all of them together, a few pages of each per turn; a buffer written
 * from its start (a chunk of records, a block of an arena) is one part. Several buffers are served
 * in turns, so that the one a call has just taken is not left for the end.
 */
const HELPER_SOURCE = `"use strict";
const { parentPort, receiveMessageOnPort } = require("node:worker_threads");
const PAGE_WORDS = 1024;
const PAGES_PER_TURN = 256;
let idle;
let quiet;
let quietMs;
let forgetBytes;
let given = 0;
let sink;
function task(message) {
  given += message.buffer.byteLength;
  quietMs = message.quietMs;
  forgetBytes = message.forgetBytes;
  const words = message.buffer.byteLength >>> 2;
  const starts = message.parts.map((byte) => byte >>> 2);
  const ends = starts.slice(1);
  ends.push(words);
  const pages = Math.ceil(words / PAGE_WORDS);
  return { view: new Int32Array(message.buffer, 0, words), starts, ends, rounds: Math.max(1, Math.ceil(pages / PAGES_PER_TURN)), round: 0 };
}
function turn(task) {
  const { view, starts, ends, rounds, round } = task;
  for (let k = 0; k < starts.length; k++) {
    const start = starts[k];
    const length = ends[k] - start;
    const from = start + Math.floor((length * round) / rounds);
    const to = start + Math.floor((length * (round + 1)) / rounds);
    for (let w = Math.ceil(from / PAGE_WORDS) * PAGE_WORDS; w < to; w += PAGE_WORDS) Atomics.compareExchange(view, w, 0, 0);
  }
  task.round = round + 1;
  return task.round < rounds;
}
function forget() {
  given = 0;
  for (let i = 0; i < 200000; i++) sink = [i, i];
  sink = undefined;
  idle = setTimeout(() => process.exit(0), ${IDLE_EXIT_MS});
}
parentPort.on("message", (message) => {
  clearTimeout(idle);
  clearTimeout(quiet);
  // The tasks live in this call only: an array that outlived it would be in the old generation,
  // and what it had held would survive the young generation's collections. For the same reason
  // nothing is collected while a task is live (two collections would move its buffer's view to
  // the old generation): past the bound, it lets go as soon as the queue is empty.
  let tasks = [task(message)];
  for (;;) {
    for (let m = receiveMessageOnPort(parentPort); m !== undefined; m = receiveMessageOnPort(parentPort)) tasks.push(task(m.message));
    if (tasks.length === 0) break;
    tasks = tasks.filter(turn);
  }
  if (given >= forgetBytes) setImmediate(forget);
  else quiet = setTimeout(forget, quietMs);
});
`;

/** The helper: started on the first large buffer (see HelperThread). */
const helper = new HelperThread((threads) => ({
  worker: new threads.Worker(HELPER_SOURCE, {
    eval: true,
    resourceLimits: { maxYoungGenerationSizeMb: 2 },
    stdout: true,
    stderr: true,
  }),
}));

/**
 * Hands a new shared buffer of a batch to the helper thread, which maps its pages ahead of the
 * call writing it. `parts`: the byte offsets where the buffer's columns start (`[0]` for a buffer
 * written from its start). Does nothing for a small buffer, or where no helper is used.
 * @internal
 */
export function mapPagesAhead(buffer: SharedArrayBuffer, parts: readonly number[]): void {
  if (buffer.byteLength < PAGE_HELPER_FROM_BYTES || !helper.wanted) return;
  helper.running()?.worker.postMessage({ buffer, parts, quietMs, forgetBytes });
}

/** Sets the number of helper threads (`configureCaches({ batchPageThreads })`): 0 or 1. @internal */
export function setBatchPageThreads(threads: number): void {
  helper.configure(threads);
  if (threads === 0) helper.stop();
}

/**
 * The number of helper threads configured (by default 1 where the process can run two threads at
 * once, else 0) and how many run now. @internal
 */
export function batchPageThreadsUsage(): { readonly limit: number; readonly size: number } {
  return helper.usage();
}
