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
 * dist/browser.js, the package's `browser` export condition: the ESM build with
 * src/util/zod-module.browser.ts (a static `import * as z from "zod"`) in place of
 * src/util/zod-module.ts (a Node `require` on first validation). Node loads zod only when a schema is
 * first needed (issue 14's cold start); a bundler can include only what is imported statically, so
 * the build it resolves for a browser imports zod as before and a bundled app needs nothing extra.
 */
const zodStatically: NonNullable<Options["esbuildPlugins"]>[number] = {
  name: "zod-statically",
  setup(build) {
    build.onResolve({ filter: /^\.\/zod-module$/ }, () => ({
      path: fileURLToPath(new URL("src/util/zod-module.browser.ts", import.meta.url)),
    }));
    // The presets' holiday table is a file that Node reads next to dist/; a bundle has none
    // (src/calendar/holiday-table.ts), so the browser build leaves its reader out.
    build.onResolve({ filter: /^\.\/holiday-table$/ }, () => ({
      path: fileURLToPath(new URL("src/calendar/holiday-table.browser.ts", import.meta.url)),
    }));
  },
};

export default defineConfig([
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
    entry: { browser: "src/index.ts" },
    format: ["esm"],
    dts: false,
    sourcemap: true,
    esbuildOptions: withoutSourcesContent,
    esbuildPlugins: [zodStatically],
    clean: false,
    target: "node20",
    treeshake: true,
  },
  {
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    dts: false,
    sourcemap: true,
    esbuildOptions: withoutSourcesContent,
    clean: false,
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
  },
]);
