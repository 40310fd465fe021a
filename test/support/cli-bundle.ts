/**
 * The CLI built from src/ for this run (test/support/build-cli.ts): `cliProcessArgs(args)` are the
 * arguments of `node` that run `sla-clock <args>` as the published executable runs (`spawnCli` runs
 * it to its end), and setting up a test file (vitest `setupFiles`) makes an in-process
 * `evaluate --jobs` start its worker threads from the built cli-worker.js instead of worker.ts
 * through tsx (src/cli/parallel/pool.ts).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inject } from "vitest";
import { useBuiltWorker } from "../../src/cli/parallel/pool";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** `node` arguments running `sla-clock <args>` from the build (options for node itself go first). */
export function cliProcessArgs(args: readonly string[], nodeOptions: readonly string[] = []): string[] {
  return [...nodeOptions, join(inject("cliBundle"), "cli.js"), ...args];
}

/**
 * Runs `sla-clock <args>` from the build to its end, in the project's root, and returns its exit
 * code and output (up to 64 MiB of each).
 */
export function spawnCli(args: readonly string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, cliProcessArgs(args), {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The built worker of `evaluate --jobs`. */
export function builtWorker(): URL {
  return pathToFileURL(join(inject("cliBundle"), "cli-worker.js"));
}

useBuiltWorker(builtWorker());
