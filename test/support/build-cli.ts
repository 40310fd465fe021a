/**
 * Vitest `globalSetup`: builds the CLI from src/ once per run, for the tests that start it as a
 * process of its own or start its worker threads (test/support/cli-bundle.ts). Through tsx, each
 * such process or thread transformed and loaded every source module again: about half a second of
 * CPU each, and the suite starts dozens (cli.parallel's worker threads alone cost 30 s of CPU, more
 * than the rest of that file). The build is what tsup makes of the same entries (dist/cli.js and
 * dist/cli-worker.js, packages left as imports), so a child runs the code under test, as the
 * published executable runs it; it is made again when watch mode reruns the tests.
 *
 * It lies under the project's ignored `.cache/`, inside the project so that its imports of
 * packages resolve in node_modules, with `data/` beside it as beside dist/ (the presets' holiday
 * table). Each project of the run builds its own and removes it at the end; one left by a run that
 * was killed is removed by a later run once a day old.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { TestProject } from "vitest/node";

const root = fileURLToPath(new URL("../..", import.meta.url));

declare module "vitest" {
  export interface ProvidedContext {
    /** The folder holding the built cli.js and cli-worker.js. */
    cliBundle: string;
  }
}

async function buildCli(outdir: string): Promise<void> {
  await build({
    entryPoints: { cli: join(root, "src/cli/main.ts"), "cli-worker": join(root, "src/cli/parallel/worker.ts") },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
}

/** Builds of runs that ended without their teardown (killed), a day or more old: not another run's. */
function removeStaleBuilds(cache: string): void {
  for (const name of readdirSync(cache)) {
    if (!name.startsWith("test-cli-")) continue;
    const path = join(cache, name);
    // Another project's setup may be removing the same one.
    const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > 86_400_000) rmSync(path, { recursive: true, force: true });
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cache = join(root, ".cache");
  mkdirSync(cache, { recursive: true });
  removeStaleBuilds(cache);
  const dir = mkdtempSync(join(cache, "test-cli-"));
  const outdir = join(dir, "dist");
  symlinkSync(join(root, "data"), join(dir, "data"));
  await buildCli(outdir);
  project.provide("cliBundle", outdir);
  project.onTestsRerun(() => buildCli(outdir));
  return () => rmSync(dir, { recursive: true, force: true });
}
