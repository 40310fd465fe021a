/**
 * The built package as bench/with-dist.mjs loaded it: by Node's own loader, untransformed (a
 * dynamic import from here would go through tsx and measure a transformed copy; see that file).
 */
type Sla = typeof import("../src/index");

/**
 * The package bench/with-dist.mjs loaded; throws when the script was started another way.
 *
 * @example
 * ```ts
 * const sla = builtPackage(); // node bench/with-dist.mjs bench/run.ts
 * ```
 */
export function builtPackage(): Sla {
  const sla = (globalThis as { __slaClockDist?: Sla }).__slaClockDist;
  if (sla === undefined)
    throw new Error(
      "start this benchmark with node bench/with-dist.mjs <script> (npm run bench does): it measures dist/ as published",
    );
  return sla;
}
