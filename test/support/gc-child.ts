import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Runs `body` (a module's text: imports from `./src/…` and top-level `await` allowed) in a child
 * process of its own, started with `--expose-gc` and tsx in the project's root, so that the memory
 * and threads it measures are only its own. Before `body`, `pause(ms)` and `settle()` (collections,
 * with turns of the event loop between them, until the buffers they free are gone) are defined.
 * Returns what it writes to standard output; `timeoutMs` bounds it (none by default).
 *
 * @example
 * ```ts
 * const out = inGcChild(`import { configureCaches } from "./src/index.ts";
 *   await settle();
 *   process.stdout.write(String(process.memoryUsage().rss));`);
 * ```
 */
export function inGcChild(body: string, timeoutMs?: number): string {
  return execFileSync(
    process.execPath,
    [
      "--expose-gc",
      "--import",
      "tsx",
      "-e",
      `const pause = (ms) => new Promise((r) => setTimeout(r, ms));
       const settle = async () => { for (let k = 0; k < 3; k++) { gc(); await pause(100); } gc(); };
       ${body}`,
    ],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 20, ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }) },
  );
}
