import { rmSync } from "node:fs";
import type { Writable } from "node:stream";

/**
 * Undoes one piece of unfinished work (removes a temporary file, stops a progress bar) and returns
 * what to tell the user about it, if anything. Runs synchronously: it may run inside a signal
 * handler just before the process exits.
 */
type Cleanup = () => string | undefined;

/** The cleanups of the work in progress, in the order they were added. */
const pending = new Set<Cleanup>();

/**
 * Registers work to undo if the run is cut short (a signal, or an exit before the work finished);
 * call the returned function once the work is done or undone normally.
 *
 * @example
 * ```ts
 * const done = onInterrupt(() => { bar.stop(); return undefined; });
 * try { await work(); } finally { bar.stop(); done(); }
 * ```
 */
export function onInterrupt(cleanup: Cleanup): () => void {
  pending.add(cleanup);
  return () => {
    pending.delete(cleanup);
  };
}

/**
 * Registers a temporary file or folder to remove if the run is cut short; `note` says what the
 * removal means for the user. Call the returned function once the path is renamed or removed.
 *
 * @example
 * ```ts
 * const forget = removeOnInterrupt(".out.csv.tmp", "out.csv was not written");
 * ```
 */
export function removeOnInterrupt(path: string, note: string): () => void {
  return onInterrupt(() => {
    rmSync(path, { recursive: true, force: true });
    return note;
  });
}

/**
 * Runs every registered cleanup now, the latest first, and forgets them; returns their notes. A
 * cleanup that fails does not stop the others.
 *
 * @example
 * ```ts
 * process.on("exit", () => runCleanups());
 * ```
 */
export function runCleanups(): string[] {
  const notes: string[] = [];
  for (const cleanup of [...pending].reverse()) {
    pending.delete(cleanup);
    try {
      const note = cleanup();
      // A cleanup with nothing to tell the user (a scratch folder) says "": no empty note.
      if (note !== undefined && note !== "") notes.push(note);
    } catch {
      // Best effort: the process is ending; the other cleanups still run.
    }
  }
  return notes;
}

/**
 * The exit code for each signal the CLI handles: 128 + the signal's number, as shells report a
 * process killed by it.
 *
 * @example
 * ```ts
 * SIGNAL_EXIT_CODES.SIGINT; // 130
 * ```
 */
export const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Makes the process end cleanly on SIGINT, SIGTERM and SIGHUP: run the registered cleanups (so no
 * partial output or temporary spool is left behind), say on stderr what happened, and exit with
 * {@link SIGNAL_EXIT_CODES}. Also runs the cleanups on any other exit (`process.exit` after a closed
 * pipe, say). For the executable only: tests that call the CLI in-process do not install it.
 *
 * @example
 * ```ts
 * exitCleanlyOnSignals(process, process.stderr);
 * ```
 */
export function exitCleanlyOnSignals(proc: NodeJS.Process, stderr: Writable): void {
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
    proc.on(signal, () => {
      const notes = runCleanups();
      try {
        stderr.write(
          `sla-clock: interrupted by ${signal}; stopped before the end of the input${notes.map((n) => `; ${n}`).join("")}\n`,
        );
      } catch {
        // stderr may be gone (a closed terminal): exit all the same.
      }
      proc.exit(code);
    });
  }
  proc.on("exit", () => {
    runCleanups();
  });
}
