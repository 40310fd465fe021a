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
 * table). Each project of the run builds its own and removes it at the end.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
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

export default async function setup(project: TestProject): Promise<() => void> {
  mkdirSync(join(root, ".cache"), { recursive: true });
  const dir = mkdtempSync(join(root, ".cache", "test-cli-"));
  const outdir = join(dir, "dist");
  symlinkSync(join(root, "data"), join(dir, "data"));
  await buildCli(outdir);
  project.provide("cliBundle", outdir);
  project.onTestsRerun(() => buildCli(outdir));
  return () => rmSync(dir, { recursive: true, force: true });
}
