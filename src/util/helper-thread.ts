/**
 * A process-wide helper thread of sla-clock's (the batch page mapper, clock/batch-pages.ts; the
 * replay helper, clock/replay-threads.ts): its setting (`configureCaches`), started on first need
 * and `unref`ed so that it never keeps a process alive, forgotten when it ends, and given up on
 * where it cannot run (no worker threads, a permission model that forbids them, or it failed).
 */
import { nodeBuiltin } from "./node-module";

type Threads = typeof import("node:worker_threads");

/**
 * One helper thread: `start` makes it (and whatever the caller keeps beside it, such as a port),
 * or returns `undefined` where it cannot run here.
 *
 * @example
 * ```ts
 * const pages = new HelperThread((threads) => ({ worker: new threads.Worker(SOURCE, { eval: true }) }));
 * if (pages.wanted) pages.running()?.worker.postMessage(task);
 * ```
 * @internal
 */
export class HelperThread<T extends { readonly worker: import("node:worker_threads").Worker }> {
  /** The configured number of threads (0 or 1); `undefined` until set: the default applies. */
  #configured: number | undefined = undefined;
  #running: T | undefined = undefined;
  /** Set when a thread could not be started or failed: callers do the work themselves from then on. */
  #unavailable = false;
  readonly #start: (threads: Threads) => T | undefined;

  constructor(start: (threads: Threads) => T | undefined) {
    this.#start = start;
  }

  /** The setting: as configured, else 1 where the process can run two threads at once (else it only competes). */
  get threads(): number {
    return (this.#configured ??= defaultThreads());
  }

  /** Whether a thread is to be used now (configured or by default, and not given up on). */
  get wanted(): boolean {
    return !this.#unavailable && this.threads > 0;
  }

  /** The running thread, started if need be; `undefined` where none can run. */
  running(): T | undefined {
    if (this.#running !== undefined) return this.#running;
    const threads = nodeBuiltin<Threads>("node:worker_threads");
    try {
      const started = threads === undefined ? undefined : this.#start(threads);
      if (started === undefined) {
        this.#unavailable = true;
        return undefined;
      }
      started.worker.unref();
      started.worker.on("error", () => {
        this.#unavailable = true;
        if (this.#running === started) this.#running = undefined;
      });
      started.worker.on("exit", () => {
        if (this.#running === started) this.#running = undefined;
      });
      this.#running = started;
      return started;
    } catch {
      this.#unavailable = true;
      return undefined;
    }
  }

  /** Sets the number of threads (0 or 1); 0 does not stop a running one (see {@link HelperThread.stop}). */
  configure(threads: number): void {
    this.#configured = threads;
  }

  /** Gives up on the thread: callers do the work themselves until {@link HelperThread.retry}. */
  fail(): void {
    this.#unavailable = true;
  }

  /** Tries a thread again after {@link HelperThread.fail} (where none can run, it is given up on again). */
  retry(): void {
    this.#unavailable = false;
  }

  /** Terminates the running thread, if any, and returns what `start` made for it. */
  stop(): T | undefined {
    const stopped = this.#running;
    if (stopped === undefined) return undefined;
    this.#running = undefined;
    void stopped.worker.terminate();
    return stopped;
  }

  /** The setting, and how many threads run now (what `configureCaches` reports). */
  usage(): { readonly limit: number; readonly size: number } {
    return { limit: this.threads, size: this.#running === undefined ? 0 : 1 };
  }
}

function defaultThreads(): number {
  const os = nodeBuiltin<typeof import("node:os")>("node:os");
  return os !== undefined && os.availableParallelism() >= 2 ? 1 : 0;
}
