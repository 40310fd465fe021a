import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "sla-clock": new URL("./src/index.ts", import.meta.url).pathname } },
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**"],
    // Each test file in a process of its own: test/host-zone.test.ts switches process.env.TZ, which
    // in worker threads would change the zone of every file running beside it.
    pool: "forks",
    // fast-check's seed: from FC_SEED, else from the commit in CI (see the file).
    setupFiles: ["test/support/fast-check-seed.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
