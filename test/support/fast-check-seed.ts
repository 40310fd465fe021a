/**
 * One seed for every fast-check property in a run (vitest `setupFiles`), so that a failure can be
 * replayed and different commits still explore different inputs:
 * - `FC_SEED=<n>` replays a run (fast-check prints the seed and path of every failure);
 * - in CI (`CI=true`) the seed is derived from the commit under test, so a rerun of the same commit
 *   is the same run and the next commit draws new cases;
 * - elsewhere each run draws a fresh seed, as fast-check does by default.
 * A property that pins its own `seed` keeps it. A seed that found a bug becomes a fixed test.
 */
import { execFileSync } from "node:child_process";
import fc from "fast-check";

function commitSeed(): number | undefined {
  try {
    const sha = execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return Number.parseInt(sha.trim().slice(0, 8), 16) | 0;
  } catch {
    return undefined; // not a git checkout: fall back to fast-check's own random seed
  }
}

const fromEnv = process.env.FC_SEED;
const seed = fromEnv !== undefined && fromEnv !== "" ? Number(fromEnv) : process.env.CI ? commitSeed() : undefined;
if (seed !== undefined) {
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${fromEnv}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
