import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Files that change process-wide state another file could see: the host zone (process.env.TZ),
// and the library's process-wide cache limits (configureCaches); and those that measure the
// process's ArrayBuffer memory around a call (record-pool, batch.reuse), which another file's
// buffers being collected meanwhile would disturb; and one that replaces a module of src/ (vi.mock), which a process
// sharing modules with other files would not see. They run each in a process of its own.
const ownProcess = [
  "test/host-zone.test.ts",
  "test/shared-caches.test.ts",
  "test/hardening.null-options.test.ts",
  "test/clock.record-pool.test.ts",
  "test/batch.reuse.test.ts",
  "test/registry.exact-keys.test.ts",
  "test/batch.page-helper.test.ts",
  "test/batch.replay-threads.test.ts",
];

export default defineConfig({
  resolve: { alias: { "sla-clock": new URL("./src/index.ts", import.meta.url).pathname } },
  test: {
    exclude: ["test/e2e/**"],
    // fast-check's seed: from FC_SEED, else from the commit in CI (see the file); the CLI built
    // once per run for the tests that start it as a process or start its worker threads.
    setupFiles: ["test/support/fast-check-seed.ts", "test/support/cli-bundle.ts"],
    globalSetup: ["test/support/build-cli.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one fork per CPU but one: on a two-core machine (CI's, and this project's
    // bench machine) that is a single fork, and the suite ran one file at a time (2.5–2.7 min).
    // Two forks there: under 2 minutes, and the timing checks (ratios, not absolute times) still pass.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        // Every other file runs in one of a few long-lived processes, one after the other
        // (`isolate: false`): a fresh process and a fresh import of src/ per file was about 40 % of
        // the suite's CPU time. Files therefore share module state (the library's bounded caches),
        // which is what a real process does too; a file that changes process-wide settings goes to
        // the project below.
        extends: true,
        test: {
          name: "shared",
          include: ["test/**/*.test.ts"],
          exclude: ["test/e2e/**", ...ownProcess],
          isolate: false,
        },
      },
      { extends: true, test: { name: "own-process", include: ownProcess } },
    ],
  },
});
