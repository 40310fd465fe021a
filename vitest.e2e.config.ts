import { defineConfig } from "vitest/config";

// Browser tests: run by `npm run test:e2e` (CI installs Chromium first), not by `npm test`.
export default defineConfig({
  resolve: { alias: { "sla-clock": new URL("./src/index.ts", import.meta.url).pathname } },
  test: {
    include: ["test/e2e/**/*.e2e.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
