/**
 * Browser bundle size of the built package (dist/browser/index.js, what a bundler resolves `sla-clock` to for
 * the browser): a
 * small app per case bundled by esbuild (browser, ESM, minified, tree-shaken with the package's
 * `sideEffects: false`), gzipped at level 9. Run with `npm run bench:size` (which builds first);
 * prints a table. `.ci/check-size.ts` uses {@link measureBundles} to hold the budgets.
 */
import { build } from "esbuild";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/** One measured bundle. */
export interface BundleCase {
  readonly name: string;
  /** The app's source; it imports from "sla-clock". */
  readonly source: string;
  /** The issue's goal for the gzipped size, when it names one (bytes). */
  readonly goal?: number;
}

const DAY = `[["08:00", "16:00"]]`;

const root = fileURLToPath(new URL("..", import.meta.url));

export const BUNDLE_CASES: readonly BundleCase[] = [
  {
    name: "custom calendar without holidays",
    goal: 60 * 1024,
    source: `import { createCalendar } from "sla-clock";
const cal = createCalendar({ zone: "Europe/Stockholm", weekly: { mon: ${DAY}, tue: ${DAY}, wed: ${DAY}, thu: ${DAY}, fri: ${DAY} } });
console.log(cal.addBusinessTime("2026-03-02T09:00:00Z", { hours: 4 }));`,
  },
  {
    name: "preset with one country's holidays (softone-se), date-holidays registered",
    // A bundle has no Node require: the app hands sla-clock the date-holidays class.
    source: `import Holidays from "date-holidays";
import { getPolicy, registerDateHolidays } from "sla-clock";
registerDateHolidays(Holidays);
console.log(getPolicy("softone-se").deadline("2026-03-02T09:00:00Z", { priority: 2 }));`,
  },
  {
    name: "preset with one country's holidays (softone-se), date-holidays custom data build (SE only)",
    source: customDataApp("SE"),
  },
];

/**
 * The custom data build date-holidays documents: its parser (date-holidays-parser, the engine the
 * date-holidays class extends) with only the countries used, handed over with registerDateHolidays.
 * The data is cut from date-holidays' own holidays.json here; an app would generate it once.
 */
function customDataApp(country: string): string {
  const all = JSON.parse(readFileSync(`${root}node_modules/date-holidays/data/holidays.json`, "utf8")) as {
    version: string;
    license: string;
    holidays: Record<string, unknown>;
    names: unknown;
  };
  const data = {
    version: all.version,
    license: all.license,
    holidays: { [country]: all.holidays[country] },
    names: all.names,
  };
  return `import HolidaysParser from "date-holidays-parser";
import { getPolicy, registerDateHolidays } from "sla-clock";
const data = ${JSON.stringify(data)};
class Holidays extends HolidaysParser {
  constructor(country, state, region, opts) { super(data, country, state, region, opts); }
}
registerDateHolidays(Holidays);
console.log(getPolicy("softone-se").deadline("2026-03-02T09:00:00Z", { priority: 2 }));`;
}

/** Minified and gzipped bytes of one case's bundle. */
export interface BundleSize {
  readonly name: string;
  readonly minified: number;
  readonly gzipped: number;
  readonly goal?: number;
}

/** Bundles every case against dist/ (build first) and measures it. */
export async function measureBundles(): Promise<BundleSize[]> {
  if (!existsSync(`${root}dist/browser/index.js`)) throw new Error("dist/ is missing: run `npm run build` first");
  const out: BundleSize[] = [];
  for (const c of BUNDLE_CASES) {
    const result = await build({
      stdin: { contents: c.source, resolveDir: root, loader: "ts", sourcefile: "app.ts" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      logLevel: "silent",
      // The built package, as a bundler for the browser resolves "sla-clock" (exports' "browser"
      // condition: dist/browser/, which imports zod statically); without this esbuild would follow
      // tsconfig.json's `paths` to src/.
      alias: { "sla-clock": `${root}dist/browser/index.js` },
    });
    const code = result.outputFiles[0]!.contents;
    out.push({ name: c.name, minified: code.length, gzipped: gzipSync(code, { level: 9 }).length, goal: c.goal });
  }
  return out;
}

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sizes = await measureBundles();
  console.log("Browser bundles (esbuild, minified, ESM, gzip -9) of dist/\n");
  console.log("| bundle | minified | gzipped | goal (gzipped) | |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const s of sizes)
    console.log(
      `| ${s.name} | ${kb(s.minified)} | ${kb(s.gzipped)} | ${s.goal === undefined ? "as small as date-holidays allows" : `≤ ${kb(s.goal)}`} | ${s.goal === undefined ? "" : s.gzipped <= s.goal ? "met" : "**not met**"} |`,
    );
}
