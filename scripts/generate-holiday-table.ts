/**
 * Writes data/preset-holidays.json: every preset calendar's date-holidays sources, listed year by
 * year from the installed date-holidays (src/calendar/holiday-table.ts says why and when sla-clock
 * reads it). Run `npm run holiday-table` after updating date-holidays or changing a preset's holiday
 * source; test/holiday-table.test.ts fails until the table matches the installed date-holidays.
 */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { compileCalendarSpec, type CompiledSpec } from "../src/calendar/spec";
import { englishKey, liveHolidaySource } from "../src/calendar/holidays";
import type { HolidayTableFile } from "../src/calendar/holiday-table";
import { builtPresetSpecs } from "../src/presets/registry";

/** The years listed: a support desk's past and near future; others ask date-holidays. */
export const TABLE_YEARS = { first: 2000, last: 2050 } as const;

/** The versions of date-holidays, its parser and the parser's dependencies, as the table records them. */
export function installedVersions(): Record<string, string> {
  const own = createRequire(import.meta.url);
  const holidaysJson = own.resolve("date-holidays/package.json");
  const parserJson = createRequire(holidaysJson).resolve("date-holidays-parser/package.json");
  const fromParser = createRequire(parserJson);
  const parser = fromParser(parserJson) as { version: string; dependencies?: Record<string, string> };
  const versions: Record<string, string> = {
    "date-holidays": (own(holidaysJson) as { version: string }).version,
    "date-holidays-parser": parser.version,
  };
  for (const name of Object.keys(parser.dependencies ?? {}).sort())
    versions[name] = (fromParser(`${name}/package.json`) as { version: string }).version;
  return versions;
}

/** The presets' date-holidays sources, each once. */
export function presetHolidaySources(): ReturnType<typeof liveHolidaySource>[] {
  const byKey = new Map<string, ReturnType<typeof liveHolidaySource>>();
  const visit = (compiled: CompiledSpec) => {
    if (compiled.holidays?.kind === "date-holidays") {
      const source = liveHolidaySource(compiled.holidays);
      if (!byKey.has(source.key)) byKey.set(source.key, source);
    }
    for (const version of compiled.versions) visit(version.spec);
  };
  for (const { spec } of builtPresetSpecs().calendars) {
    const { compiled } = compileCalendarSpec(spec);
    if (compiled !== undefined) visit(compiled);
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** The table as the installed date-holidays lists it. */
export function buildHolidayTable(): HolidayTableFile {
  const sources: Record<string, HolidayTableFile["sources"][string]> = {};
  for (const source of presetHolidaySources()) {
    const holidays: [string, string, string, string | null][] = [];
    const index = new Map<string, number>();
    const years: [string, number, number, number][][] = [];
    for (let year = TABLE_YEARS.first; year <= TABLE_YEARS.last; year++) {
      const english = source.englishNames(year);
      years.push(
        source.listed(year).map((row) => {
          if (row.date.slice(0, 5) !== `${year}-`)
            throw new Error(`${source.key} ${year}: ${row.date} is in another year`);
          const nameEn = english.get(englishKey(row.rule, row.substitute)) ?? null;
          const id = JSON.stringify([row.name, row.type, row.rule, nameEn]);
          let i = index.get(id);
          if (i === undefined) {
            i = holidays.length;
            index.set(id, i);
            holidays.push([row.name, row.type, row.rule, nameEn]);
          }
          return [row.date.slice(5), row.days, i, row.substitute ? 1 : 0];
        }),
      );
    }
    sources[source.key] = { multiDay: source.multiDay(), holidays, years };
  }
  return { versions: installedVersions(), firstYear: TABLE_YEARS.first, lastYear: TABLE_YEARS.last, sources };
}

/** One line per holiday and per year, so that a date-holidays update shows as a readable diff. */
export function formatHolidayTable(table: HolidayTableFile): string {
  const lines = [
    "{",
    `  "versions": ${JSON.stringify(table.versions)},`,
    `  "firstYear": ${table.firstYear},`,
    `  "lastYear": ${table.lastYear},`,
    `  "sources": {`,
  ];
  const keys = Object.keys(table.sources);
  keys.forEach((key, k) => {
    const source = table.sources[key]!;
    lines.push(`    ${JSON.stringify(key)}: {`, `      "multiDay": ${source.multiDay},`, `      "holidays": [`);
    source.holidays.forEach((h, i) =>
      lines.push(`        ${JSON.stringify(h)}${i < source.holidays.length - 1 ? "," : ""}`),
    );
    lines.push(`      ],`, `      "years": [`);
    source.years.forEach((y, i) => lines.push(`        ${JSON.stringify(y)}${i < source.years.length - 1 ? "," : ""}`));
    lines.push(`      ]`, `    }${k < keys.length - 1 ? "," : ""}`);
  });
  lines.push("  }", "}", "");
  return lines.join("\n");
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = fileURLToPath(new URL("../data/preset-holidays.json", import.meta.url));
  writeFileSync(path, formatHolidayTable(buildHolidayTable()));
  console.log(`wrote ${path}`);
}
