import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "sla-clock": new URL("./src/index.ts", import.meta.url).pathname } },
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
