import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Runs `body` in a fresh CommonJS child (src/ through tsx) with `sla` = src/index.ts, `day` = one
 * 08–16 interval and `probe()` = whether a module whose path matches `modulePath` (a regular
 * expression's source, as it appears in the child's script) is in the require cache, so a test can
 * see what sla-clock loaded at import and on first use. Returns the child's stdout lines; the child
 * must write nothing to stderr and exit 0.
 */
export function lazyLoadChild(modulePath: string, body: string): string[] {
  const script = `
const sla = require("./src/index.ts");
const probe = () => Object.keys(require.cache).some((k) => /${modulePath}/.test(k));
const day = [["08:00", "16:00"]];
${body}`;
  const r = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: root, encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout.trim().split("\n");
}
