import { build as esbuild } from "esbuild";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Options } from "tsup";

/**
 * Source maps: kept, but without `sourcesContent`. The embedded sources were two thirds of the maps'
 * bytes and the maps 64 % of the unpacked package (2.18 MB); without them the package unpacks to
 * 1.27 MB, of which the maps are 37 %. What the maps still give is worth that: with
 * `node --enable-source-maps` a stack trace names `src/…/file.ts:line`, which a bug report can
 * quote and which can be read in the repository at the released version, and bench/cpu-profile.ts
 * maps profiled positions in dist/ back to src/ functions through dist/index.js.map (positions
 * only, never the source text). The sources themselves are not published, so embedding them only
 * repeated the repository. (docs/performance.md, "The published package".)
 *
 * Types: dist/index.d.ts imports `DateTime` and `Duration` from luxon (`InstantInput` and
 * `DurationInput` accept them), so @types/luxon is a dependency, not a devDependency: without it a
 * strict consumer fails with TS7016, and under skipLibCheck both types silently become `any`. This is
 * what TypeScript's publishing guide asks of declarations that depend on other packages' types, and
 * what e.g. `cron` (luxon-based, luxon's types in its API) does. The alternative, structural
 * stand-ins for luxon's classes in our own .d.ts, would accept look-alike objects and show
 * consumers an unfamiliar type instead of luxon's. The range is wide (^3.0.0) so that npm dedupes it
 * with a consumer's own @types/luxon: two copies would make the consumer's `DateTime` a different
 * type from ours. .ci/consumer/ (npm run check:consumer) checks all of this on the packed tarball.
 */
const withoutSourcesContent: Options["esbuildOptions"] = (options) => {
  options.sourcesContent = false;
};

/**
 * Where the browser build takes another module than Node's (relative imports of src/, by the
 * specifier written in the importer):
 * - `./zod-module` → src/util/zod-module.browser.ts, a static `import * as z from "zod"` in place of a
 *   Node `require` on first validation. Node loads zod only when a schema is first needed (issue 14's
 *   cold start); a bundler can include only what is imported statically, so the build it resolves
 *   for a browser imports zod as before and a bundled app needs nothing extra.
 * - `./holiday-table` → src/calendar/holiday-table.browser.ts: the presets' holiday table is a file
 *   that Node reads next to dist/; a bundle has none, so the browser build leaves its reader out.
 * - `./date-holidays-link` → src/calendar/date-holidays-slot.ts: the spec checks and the holiday
 *   seam reach the date-holidays source (src/calendar/holidays.ts) through a slot that module fills
 *   as it loads, not a static import, so that a bundle keeps it only when the app imports
 *   `registerDateHolidays` (without it a bundle cannot use date-holidays anyway). Both modules
 *   export the same functions; a name missing from the slot fails every bundle (check-size).
 * - `./replay-threads` → src/clock/replay-threads.browser.ts: a large batch's replay is shared with a
 *   worker thread that loads sla-clock's built files (Node only), so the browser build replays on the
 *   calling thread and leaves the helper's side out of bundles (4 KB gzipped).
 */
const BROWSER_SWAPS: Readonly<Record<string, string>> = {
  "./zod-module": "src/util/zod-module.browser.ts",
  "./holiday-table": "src/calendar/holiday-table.browser.ts",
  "./date-holidays-link": "src/calendar/date-holidays-slot.ts",
  "./replay-threads": "src/clock/replay-threads.browser.ts",
};

const fromRoot = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const SRC = fromRoot("src/");

const browserSwaps: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "browser-swaps",
  setup(build) {
    // The swapped imports, as written (`./name`): the keys of BROWSER_SWAPS, so the two cannot differ.
    const filter = new RegExp(
      `^(?:${Object.keys(BROWSER_SWAPS)
        .map((k) => k.replace(/[.]/g, "\\."))
        .join("|")})$`,
    );
    build.onResolve({ filter }, (args) => ({
      path: fromRoot(BROWSER_SWAPS[args.path]!),
    }));
  },
};

/**
 * The browser build, dist/browser/ (the package's `browser` export condition), is one ESM file per
 * source module, mirroring src/, not one bundled file. With `sideEffects: false` a bundler then
 * drops every module an app does not reach, whatever its top level does; in one file it can only
 * drop statements it can prove pure, and module-level `Object.freeze(…)` tables, the presets'
 * provider data and the like kept most of the package: the holiday-less app's bundle had 115 KB
 * (minified) of sla-clock from dist/browser.js, 55 KB less from the same sources one file each
 * (docs/performance.md, "Cold start and bundle size"). Each entry is built alone: every relative
 * import becomes an external `./module.js` (with the swaps above applied), packages stay imports.
 */
const eachModuleAlone: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "each-module-alone",
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === "entry-point") return undefined;
      const swap = BROWSER_SWAPS[args.path];
      const target = swap === undefined ? args.path : `./${basename(swap, ".ts")}`;
      return { path: `${target}.js`, external: true };
    });
  },
};

/**
 * The source modules that src/index.ts reaches in the browser build (its swaps applied): the
 * entries of dist/browser/, named by their path under src/.
 */
async function browserModules(): Promise<Record<string, string>> {
  const result = await esbuild({
    entryPoints: [fromRoot("src/index.ts")],
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    format: "esm",
    packages: "external",
    logLevel: "silent",
    plugins: [browserSwaps],
  });
  const entries: Record<string, string> = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = fromRoot(input);
    if (!path.startsWith(SRC)) continue;
    entries[`browser/${path.slice(SRC.length).replace(/\.ts$/, "")}`] = path;
  }
  return entries;
}

export default defineConfig(async (): Promise<Options[]> => [
  {
    entry: { index: "src/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    esbuildOptions: withoutSourcesContent,
    clean: true,
    target: "node20",
    treeshake: true,
  },
  {
    entry: await browserModules(),
    format: ["esm"],
    dts: false,
    sourcemap: true,
    esbuildOptions: withoutSourcesContent,
    esbuildPlugins: [eachModuleAlone],
    splitting: false,
    clean: false,
    target: "node20",
  },
  {
    entry: { cli: "src/cli/main.ts", "cli-worker": "src/cli/parallel/worker.ts" },
    format: ["esm"],
    dts: false,
    sourcemap: true,
    esbuildOptions: withoutSourcesContent,
    clean: false,
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
  },
]);
