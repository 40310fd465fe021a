/**
 * The presets' holiday years, listed ahead of time from date-holidays: data/preset-holidays.json,
 * written by scripts/generate-holiday-table.ts from the installed date-holidays and checked against
 * it, year by year, by test/holiday-table.test.ts. The first `getPolicy("softone-se").deadline()`
 * loaded date-holidays with every country's data, its parser with moment-timezone and astronomia, and
 * computed the year: about two thirds of that cold start once zod was off the path (issue 14,
 * docs/performance.md). For a year in the table, a preset's source answers from it instead.
 *
 * date-holidays stays the source of truth: the table is used only when the date-holidays that
 * sla-clock would load in this process is the very one it was generated from, with the same
 * date-holidays-parser and the same versions of the parser's own dependencies (read from their
 * package.json files, a few small reads); otherwise, for years and sources outside it, and
 * whenever an application registered a class of its own (`registerDateHolidays`), date-holidays
 * answers as before. The table also names each holiday in English (what `describeDay`, `explain`
 * and the report show beside the local name), so that explaining a deadline loads no
 * date-holidays. The browser build (tsup.config.ts) replaces this module with
 * ./holiday-table.browser.ts: a bundle has no file to read, and registers date-holidays anyway.
 */
import { nodeModuleBuiltin } from "../util/node-module";

/** One holiday as date-holidays lists it for a year (`getHolidays`), reduced to what sla-clock reads. */
export interface ListedRow {
  /** The local date the holiday starts on, `YYYY-MM-DD`. */
  readonly date: string;
  /** How many dates it covers (a "P3D" rule: 3). */
  readonly days: number;
  readonly name: string;
  readonly type: string;
  /** date-holidays' rule text, which the English name is looked up by. */
  readonly rule: string;
  readonly substitute: boolean;
  /**
   * From the table only: the English name an English date-holidays instance gives the holiday of
   * this rule (substitute or not) that year, null when it gives none. Undefined when listed live.
   */
  readonly nameEn?: string | null;
}

/** The table's file (see scripts/generate-holiday-table.ts). @internal */
export interface HolidayTableFile {
  /** Versions of date-holidays, date-holidays-parser and the parser's dependencies it was made with. */
  readonly versions: Readonly<Record<string, string>>;
  readonly firstYear: number;
  readonly lastYear: number;
  /** By holiday source key (`country|state|region|types`, as src/calendar/holidays.ts makes it). */
  readonly sources: Readonly<
    Record<
      string,
      {
        readonly multiDay: boolean;
        /**
         * The distinct [name, type, rule, English name] of the source's holidays (the English name
         * as an English date-holidays instance lists the holiday of that rule, substitute or not,
         * that year; null when it lists none).
         */
        readonly holidays: readonly (readonly [string, string, string, string | null])[];
        /** Per year from firstYear: [MM-DD, days, index into holidays, substitute 0/1] in date-holidays' order. */
        readonly years: readonly (readonly (readonly [string, number, number, number])[])[];
      }
    >
  >;
}

/** What a holiday source asks of the table. @internal */
export interface HolidayTable {
  /** The year's listing of the source, or undefined when the table does not have it. */
  rows(key: string, year: number): readonly ListedRow[] | undefined;
  /** Whether a rule of the source lasts more than a day, or undefined when the table lacks the source. */
  multiDay(key: string): boolean | undefined;
  /** Whether date-holidays knows this country, state and region (upper case; "" for none). */
  knows(country: string, state: string, region: string): boolean;
}

/** Where the table lies relative to this module: dist/*.js, else src/calendar/holiday-table.ts. */
const TABLE_PATHS = ["../data/preset-holidays.json", "../../data/preset-holidays.json"];
/** Package names as values, not literals at a call, so that bundlers do not follow them. */
const DATE_HOLIDAYS = ["date", "holidays"].join("-");
const PARSER = `${DATE_HOLIDAYS}-parser`;

let loaded: HolidayTable | null | undefined;

/**
 * The table, when this process would load the date-holidays it was made from; else undefined.
 * Read once. @internal
 */
export function presetHolidayTable(): HolidayTable | undefined {
  if (loaded === undefined) loaded = readTable() ?? null;
  return loaded ?? undefined;
}

function readTable(): HolidayTable | undefined {
  const nodeModule = nodeModuleBuiltin();
  if (nodeModule === undefined) return undefined;
  try {
    const own = nodeModule.createRequire(import.meta.url);
    let file: HolidayTableFile | undefined;
    for (const path of TABLE_PATHS) {
      try {
        file = own(path) as HolidayTableFile;
        break;
      } catch {
        // not at this place: the other build layout
      }
    }
    if (file === undefined || !sameVersions(file.versions, own, nodeModule)) return undefined;
    return tableOf(file);
  } catch {
    return undefined; // date-holidays or one of its parts is missing: it decides (and says so)
  }
}

/** Whether date-holidays, its parser and the parser's dependencies are the versions the table was made with. */
function sameVersions(
  versions: Readonly<Record<string, string>>,
  own: NodeJS.Require,
  nodeModule: typeof import("node:module"),
): boolean {
  const holidaysJson = own.resolve(`${DATE_HOLIDAYS}/package.json`);
  const fromHolidays = nodeModule.createRequire(holidaysJson);
  const parserJson = fromHolidays.resolve(`${PARSER}/package.json`);
  const fromParser = nodeModule.createRequire(parserJson);
  const installed: Record<string, string> = {
    [DATE_HOLIDAYS]: (own(holidaysJson) as { version: string }).version,
    [PARSER]: (fromParser(parserJson) as { version: string }).version,
  };
  const parser = fromParser(parserJson) as { dependencies?: Record<string, string> };
  for (const name of Object.keys(parser.dependencies ?? {}))
    installed[name] = (fromParser(`${name}/package.json`) as { version: string }).version;
  const names = Object.keys(versions);
  return names.length === Object.keys(installed).length && names.every((name) => installed[name] === versions[name]);
}

function tableOf(file: HolidayTableFile): HolidayTable {
  const known = new Set(Object.keys(file.sources).map((key) => key.split("|").slice(0, 3).join("|")));
  const cache = new Map<string, readonly ListedRow[]>();
  return {
    rows(key, year) {
      const source = file.sources[key];
      if (source === undefined || !(year >= file.firstYear && year <= file.lastYear)) return undefined;
      const id = `${key}|${year}`;
      let rows = cache.get(id);
      if (rows === undefined) {
        const prefix = String(year).padStart(4, "0");
        rows = (source.years[year - file.firstYear] ?? []).map(([monthDay, days, index, substitute]) => {
          const [name, type, rule, nameEn] = source.holidays[index] as readonly [string, string, string, string | null];
          return { date: `${prefix}-${monthDay}`, days, name, type, rule, substitute: substitute === 1, nameEn };
        });
        // Bounded by the table: its sources times its years.
        cache.set(id, rows);
      }
      return rows;
    },
    multiDay: (key) => file.sources[key]?.multiDay,
    knows: (country, state, region) => known.has(`${country}|${state}|${region}`),
  };
}
