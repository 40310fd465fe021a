/**
 * The CLI built from src/ for this run (test/support/build-cli.ts): `cliProcessArgs(args)` are the
 * arguments of `node` that run `sla-clock <args>` as the published executable runs, and setting up a
 * test file (vitest `setupFiles`) makes an in-process `evaluate --jobs` start its worker threads
 * from the built cli-worker.js instead of worker.ts through tsx (src/cli/parallel/pool.ts).
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { inject } from "vitest";
import { useBuiltWorker } from "../../src/cli/parallel/pool";

/** The built executable, dist/cli.js of this run's build. */
export function cliScript(): string {
  return join(inject("cliBundle"), "cli.js");
}

/** `node` arguments running `sla-clock <args>` from the build (options for node itself go first). */
export function cliProcessArgs(args: readonly string[], nodeOptions: readonly string[] = []): string[] {
  return [...nodeOptions, cliScript(), ...args];
}

/** The built worker of `evaluate --jobs`. */
export function builtWorker(): URL {
  return pathToFileURL(join(inject("cliBundle"), "cli-worker.js"));
}

useBuiltWorker(builtWorker());
