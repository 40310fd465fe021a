import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The version of the sla-clock package this module belongs to, from its package.json: the nearest
 * one above the module named `sla-clock` (src/cli/ in a clone, dist/ when built or installed, where
 * package.json is always shipped). Read at run time rather than imported, so that src/ keeps no
 * import outside itself; `"unknown"` if none is found.
 *
 * @example
 * ```ts
 * packageVersion(); // "0.1.0"
 * ```
 */
export function packageVersion(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "sla-clock" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // No package.json here (or not one that can be read): look further up.
    }
    const up = dirname(dir);
    if (up === dir) return "unknown";
    dir = up;
  }
}
