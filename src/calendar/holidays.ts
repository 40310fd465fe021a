/**
 * The one module that uses `date-holidays`: the default holiday source (and the presets'), behind
 * the {@link HolidayProvider} seam of ./holiday-source.ts, and the validation of a spec's country,
 * state and region against its data. Nothing else imports the dependency.
 *
 * The dependency is loaded when a calendar first needs it (a spec with a date-holidays source is
 * validated), not when sla-clock is imported: it is about half of the package's load time and most
 * of a browser bundle (issue 14, docs/performance.md). A static `import` would be hoisted to the top
 * of dist/index.js, load in every process and be kept in every bundle, so there is none: in Node a
 * synchronous `require` from this module's location loads it (`process.getBuiltinModule`, so no
 * `node:module` import that a browser bundler would have to resolve; the module name is not a
 * literal, so bundlers do not pull it in either). Where there is no `require` (a browser bundle, a
 * bundle without node_modules), the application hands the class over once with
 * {@link registerDateHolidays}; until then a date-holidays spec is refused with that advice.
 *
 * The spec checks and the holiday seam reach this module through ./date-holidays-link.ts: a static
 * import in Node, a slot this module fills as it loads in the browser build, so that a bundle whose
 * app never imports registerDateHolidays drops this module (./date-holidays-slot.ts).
 */
import type Holidays from "date-holidays";
import type { HolidaysTypes } from "date-holidays";
import { SlaClockError, type ValidationIssue } from "../errors";
import { DAY_MS, dayFromCivil, parseDay, yearOfDay } from "../time/civil";
import type { HolidayProvider, HolidayRef } from "./holiday-source";
import { BoundedLru } from "../util/lru";
import { hostSkipsNear, repairHostSkips } from "./host-skips";
import type { CompiledHolidays, DateHolidaysSource, HolidayType } from "./spec";
import { presetHolidayTable, type HolidayTable, type ListedRow } from "./holiday-table";
import { nodeModuleBuiltin } from "../util/node-module";
import { noteAppDateHolidays } from "./holiday-class";
import { installDateHolidays, NOT_LOADED, type CompiledDateHolidays } from "./date-holidays-slot";

export type { HolidayRef } from "./holiday-source";

/**
 * The `date-holidays` default export: the class sla-clock asks for holidays (see
 * {@link registerDateHolidays}).
 *
 * @example
 * ```ts
 * import Holidays from "date-holidays";
 * const holidays: DateHolidaysClass = Holidays;
 * ```
 */
export type DateHolidaysClass = typeof Holidays;

let registered: DateHolidaysClass | undefined;
/** Whether the application handed over a class: then it alone answers, and the presets' table is not used. */
let registeredByApp = false;

/**
 * The presets' holiday table (./holiday-table.ts) when it may answer: the application registered no
 * class of its own, and the date-holidays this process loads is the one the table was made from.
 */
function tableInUse(): HolidayTable | undefined {
  return registeredByApp ? undefined : presetHolidayTable();
}

/**
 * Hands sla-clock the `date-holidays` class to use for `holidays: { country: … }` calendars (and the
 * presets). In Node there is no need: sla-clock loads it on the first such calendar. A browser
 * bundle (or any bundle shipped without node_modules) must call this once before creating one,
 * so that the bundler includes date-holidays only in apps that use it.
 *
 * @example
 * ```ts
 * import Holidays from "date-holidays";
 * import { createCalendar, registerDateHolidays } from "sla-clock";
 * registerDateHolidays(Holidays);
 * const day = [["08:00", "16:00"]] as const;
 * const cal = createCalendar({ zone: "Europe/Stockholm", weekly: { mon: day, fri: day }, holidays: { country: "SE" } });
 * ```
 */
export function registerDateHolidays(holidays: DateHolidaysClass): void {
  if (typeof holidays !== "function" || typeof holidays.prototype?.getHolidays !== "function")
    throw new SlaClockError(
      "INVALID_ARGUMENT",
      'registerDateHolidays: expected the date-holidays class (import Holidays from "date-holidays")',
    );
  if (holidays !== registered || !registeredByApp) forgetSharedHolidays();
  registered = holidays;
  registeredByApp = true;
  noteAppDateHolidays();
}

/** The package name, not a literal at the call, so that bundlers do not follow it. */
const DATE_HOLIDAYS: string = ["date", "holidays"].join("-");

/** The date-holidays class: the registered one, else loaded now from node_modules (Node only). */
function dateHolidays(): DateHolidaysClass | undefined {
  if (registered !== undefined) return registered;
  const nodeModule = nodeModuleBuiltin();
  if (nodeModule === undefined) return undefined;
  try {
    const loaded = nodeModule.createRequire(import.meta.url)(DATE_HOLIDAYS) as
      DateHolidaysClass | { default: DateHolidaysClass };
    registered = typeof loaded === "function" ? loaded : loaded.default;
    return registered;
  } catch {
    return undefined;
  }
}

type Source = CompiledDateHolidays;

interface Entry {
  readonly name: string;
  readonly type: HolidayType;
  readonly rule: string;
  /** A substitute day (date-holidays names it after its holiday, with a suffix). */
  readonly substitute: boolean;
  /**
   * `substituteDays: "replaceOriginal"`: the types of this holiday's substitute days. The holiday
   * does not count for a role (closing, or making the day before an eve) whose types include one of
   * them: there the substitute stands in for it. A substitute of a type outside the role leaves the
   * holiday in place, as if date-holidays had been asked for the role's types alone.
   */
  readonly replacedBy?: readonly string[];
}

/** Whether an entry counts for a role of these types (its own type, and not replaced there). */
function countsFor(e: Entry, types: ReadonlySet<string>): boolean {
  if (!types.has(e.type)) return false;
  return e.replacedBy === undefined || !e.replacedBy.some((t) => types.has(t));
}

/** A year's entries by local day number. */
type YearEntries = ReadonlyMap<number, readonly Entry[]>;

/** How many years of English names one holiday source keeps (they are only read to explain a day). */
const ENGLISH_YEARS = 16;
/** How many holiday sources keep their date-holidays instances (a few hundred kB each). */
const SHARED_SOURCES_LIMIT = 256;
/** Default of `configureCaches({ holidayYears })`: (holiday source, year) lists kept process-wide. */
export const DEFAULT_HOLIDAY_YEARS = 4096;

/**
 * What every calendar with the same country, state, region and holiday types shares: the
 * date-holidays instances (one per language asked) and facts derived from their rules. It is a
 * pure function of that key, so sharing it cannot change an answer.
 */
class SharedSource {
  readonly key: string;
  readonly #source: Source;
  readonly #types: HolidayType[];
  #data: Holidays | undefined;
  #en: Holidays | undefined;
  #spans: boolean | undefined;
  readonly english = new Map<number, ReadonlyMap<string, string>>();

  constructor(key: string, source: Source, types: HolidayType[]) {
    this.key = key;
    this.#source = source;
    this.#types = types;
  }

  holidays(): Holidays {
    if (this.#data === undefined) this.#data = this.#create();
    return this.#data;
  }

  /**
   * A second instance for English names: asking the main one for another language adds that
   * language to its own list, after which it names every holiday in English.
   */
  englishData(): Holidays {
    if (this.#en === undefined) this.#en = this.#create(["en"]);
    return this.#en;
  }

  #create(languages?: string[]): Holidays {
    const types = this.#types;
    const { country, state, region } = this.#source;
    const options = languages === undefined ? { types } : { types, languages };
    const Holidays = dateHolidays();
    // Validation (dateHolidaysIssues) has refused the spec already when it is missing.
    if (Holidays === undefined) throw new Error(NOT_LOADED);
    const data =
      state === undefined
        ? new Holidays(country, options)
        : region === undefined
          ? new Holidays(country, state, options)
          : new Holidays(country, state, region, options);
    // Only the local date strings and the lengths in days are used, and neither depends on the zone
    // date-holidays turns them into instants in. Without a zone it skips that conversion, which
    // parses every holiday's date with moment-timezone: a year costs a quarter as much. (Its docs:
    // "if timezone is undefined, then all dates are considered local dates"; the typings want a
    // string.)
    (data.setTimezone as (timezone?: string) => void).call(data, undefined);
    keepReadableNames(data);
    return data;
  }

  /**
   * Whether any rule lasts longer than a day ("… P3D", "… PT48H"): only then can a holiday of the
   * previous year reach into January, and only then is that year worth computing for it.
   */
  multiDay(): boolean {
    if (this.#spans === undefined) this.#spans = tableInUse()?.multiDay(this.key) ?? this.liveMultiDay();
    return this.#spans;
  }

  /** {@link SharedSource.multiDay} from date-holidays' rules. */
  liveMultiDay(): boolean {
    return (
      this.holidays()
        .getRules()
        // The class type omits the rule text that every rule object carries.
        .some((r) => {
          const text = (r as unknown as { rule?: unknown }).rule;
          return typeof text === "string" && /\sP(?:T?\d)/.test(text);
        })
    );
  }

  /** The year's holidays as date-holidays lists them: from the presets' table when it has the year. */
  listed(year: number): readonly ListedRow[] {
    return tableInUse()?.rows(this.key, year) ?? this.liveListed(year);
  }

  /**
   * The year's English names by {@link englishKey}: from the presets' table when it has the year
   * (naming a holiday in English then loads no date-holidays), else as an English date-holidays
   * instance lists them.
   */
  englishNames(year: number): ReadonlyMap<string, string> {
    const rows = tableInUse()?.rows(this.key, year);
    if (rows === undefined) return this.liveEnglishNames(year);
    const names = new Map<string, string>();
    for (const row of rows)
      if (typeof row.nameEn === "string") names.set(englishKey(row.rule, row.substitute), row.nameEn);
    return names;
  }

  /** {@link SharedSource.englishNames} from date-holidays (never the table). */
  liveEnglishNames(year: number): ReadonlyMap<string, string> {
    const names = new Map<string, string>();
    for (const h of this.englishData().getHolidays(year)) names.set(englishKey(h.rule, h.substitute === true), h.name);
    return names;
  }

  /** The year's holidays as date-holidays lists them now, with the host-skip repair. */
  liveListed(year: number): readonly ListedRow[] {
    const data = this.holidays();
    const listed = data.getHolidays(year);
    return (hostSkipsNear(year) ? repairHostSkips(year, listed, (y) => data.getHolidays(y)) : listed).map(rowOf);
  }
}

/**
 * A holiday's key among a year's English names: its rule, and whether it is the substitute day (a
 * holiday and its substitute day share their rule). @internal
 */
export function englishKey(rule: string, substitute: boolean): string {
  return substitute ? `substitute ${rule}` : rule;
}

/**
 * Cuts every rule's name down to the languages an instance can answer in. date-holidays keeps each
 * rule's name in every language it knows (54 for Sweden) and deep-copies that object into every
 * holiday it lists, then names the holiday with the first of `getLanguages()` the name has (a
 * value that is not empty): for Sweden that copying was about 120 of the 190 KB of garbage a year
 * made and a third of its time. Only those languages can be read, so the name is replaced by a new
 * object of them (the old one is shared with date-holidays' data and stays as it is), which lists
 * the same names. A name with none of them is left whole: date-holidays then gives the object
 * itself, as before. An instance without the shape this knows (another version, an application's
 * own class) is left as it is; only the speed depends on it.
 */
function keepReadableNames(data: Holidays): void {
  const rules = (data as unknown as { holidays?: unknown }).holidays;
  const languages: unknown = typeof data.getLanguages === "function" ? data.getLanguages() : undefined;
  if (typeof rules !== "object" || rules === null || !Array.isArray(languages)) return;
  for (const rule of Object.values(rules as Record<string, unknown>)) {
    // A rule switched off is `false`.
    if (typeof rule !== "object" || rule === null) continue;
    const name = (rule as { name?: unknown }).name;
    if (typeof name !== "object" || name === null) continue;
    const all = name as Record<string, unknown>;
    const kept: Record<string, unknown> = {};
    let named = false;
    for (const language of languages) {
      if (typeof language !== "string" || !Object.hasOwn(all, language)) continue;
      kept[language] = all[language];
      if (all[language]) named = true;
    }
    if (named) (rule as { name: unknown }).name = kept;
  }
}

/** What sla-clock reads of a holiday date-holidays lists. */
function rowOf(h: HolidaysTypes.Holiday): ListedRow {
  return {
    date: h.date.slice(0, 10),
    // Half-day holidays ("01-05 12:00") and DST days still cover one date; "P3D" rules cover three.
    days: Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY_MS)),
    name: h.name,
    type: h.type,
    rule: h.rule,
    substitute: h.substitute === true,
  };
}

/**
 * A compiled date-holidays source's key, and its listing and multi-day flag straight from
 * date-holidays (never the table): what scripts/generate-holiday-table.ts writes into the table and
 * test/holiday-table.test.ts compares it with.
 * @internal
 */
export function liveHolidaySource(source: CompiledHolidays): {
  key: string;
  listed: (year: number) => readonly ListedRow[];
  englishNames: (year: number) => ReadonlyMap<string, string>;
  multiDay: () => boolean;
} {
  if (source.kind !== "date-holidays") throw new Error("not a date-holidays source");
  const shared = sharedSourceOf(source);
  return {
    key: shared.key,
    listed: (year) => shared.liveListed(year),
    englishNames: (year) => shared.liveEnglishNames(year),
    multiDay: () => shared.liveMultiDay(),
  };
}

/** The date-holidays instances per (country, state, region, types). */
const sharedSources = new BoundedLru<string, SharedSource>(SHARED_SOURCES_LIMIT);
/**
 * The holiday lists per (country, state, region, types, substitute days, year), shared by every
 * calendar of that source: issue 20 measured each customer calendar recomputing its country's
 * years as most of its build time. Bounded by {@link setHolidayYearsLimit}.
 */
const sharedYears = new BoundedLru<string, YearEntries>(DEFAULT_HOLIDAY_YEARS);

/**
 * Sets how many (holiday source, year) lists the process keeps (0: none are shared; each calendar
 * then keeps only the two years it used last). Lowering it drops the least recently used at once.
 * @internal
 */
export function setHolidayYearsLimit(limit: number): void {
  sharedYears.limit = limit;
}

/** The limit in force and how many lists are kept now. @internal */
export function holidayYearsUsage(): { limit: number; size: number } {
  return { limit: sharedYears.limit, size: sharedYears.size };
}

function sharedSourceOf(source: Source): SharedSource {
  const types = [...new Set([...source.closeTypes, ...source.eveTypes])].sort() as HolidayType[];
  const key = `${source.country}|${source.state ?? ""}|${source.region ?? ""}|${types.join(",")}`;
  let shared = sharedSources.get(key);
  if (shared === undefined) {
    shared = new SharedSource(key, source, types);
    sharedSources.set(key, shared);
  }
  return shared;
}

/**
 * A calendar's view of `date-holidays`: the holidays of the types it cares about, by local day
 * number, computed one year at a time (`getHolidays(year)`, never per day). The years are shared
 * process-wide with every calendar of the same source (a bounded LRU); the lookup itself remembers
 * only the two years it used last, which is what building a year's index asks for.
 * @internal
 */
export class DateHolidaysLookup implements HolidayProvider {
  readonly #source: Source;
  readonly #shared: SharedSource;
  readonly #yearsKey: string;
  #lastYear = Number.NaN;
  #lastEntries: YearEntries | undefined;
  #prevYear = Number.NaN;
  #prevEntries: YearEntries | undefined;
  /** The year of the last day asked about, and its first day and the next year's (day numbers). */
  #spanYear = Number.NaN;
  #spanFirst = Number.NaN;
  #spanEnd = Number.NaN;

  constructor(source: Source) {
    this.#source = source;
    this.#shared = sharedSourceOf(source);
    this.#yearsKey = `${this.#shared.key}|${source.substituteDays}|`;
  }

  /** Entries whose holiday starts in `year` (a multi-day holiday may spill into the next year). */
  #year(year: number): YearEntries {
    if (year === this.#lastYear) return this.#lastEntries as YearEntries;
    if (year === this.#prevYear) return this.#prevEntries as YearEntries;
    const key = this.#yearsKey + year;
    let byDay = sharedYears.get(key);
    if (byDay === undefined) {
      byDay = this.#compute(year);
      sharedYears.set(key, byDay);
    }
    this.#prevYear = this.#lastYear;
    this.#prevEntries = this.#lastEntries;
    this.#lastYear = year;
    this.#lastEntries = byDay;
    return byDay;
  }

  #compute(year: number): YearEntries {
    const byDay = new Map<number, Entry[]>();
    let holidays = this.#shared.listed(year);
    const substituteDays = this.#source.substituteDays;
    if (substituteDays === "ignore") holidays = holidays.filter((h) => !h.substitute);
    const replaced = substituteDays === "replaceOriginal" ? this.#substitutedTypes(year, holidays) : undefined;
    for (const h of holidays) {
      const first = parseDay(h.date);
      if (first === undefined) continue;
      const replacedBy = replaced?.get(h);
      for (let k = 0; k < h.days; k++) {
        const day = first + k;
        const entry: Entry =
          replacedBy === undefined
            ? { name: h.name, type: h.type as HolidayType, rule: h.rule, substitute: h.substitute }
            : { name: h.name, type: h.type as HolidayType, rule: h.rule, substitute: h.substitute, replacedBy };
        const list = byDay.get(day);
        if (list) list.push(entry);
        else byDay.set(day, [entry]);
      }
    }
    return byDay;
  }

  /**
   * `substituteDays: "replaceOriginal"`: the year's holidays that have a substitute day, with the
   * substitutes' types. date-holidays marks the substitute (`substitute: true`) and names it after
   * the holiday with a parenthesised suffix ("Christmas Day (substitute day)", "元日 (振替休日)"); its
   * original is the holiday of that name within a week of it, which may lie in the neighbouring
   * year (US: New Year's Day 2022-01-01, substitute 2021-12-31). The types matter because a
   * substitute may have another type than its holiday (US Veterans Day 2018: public, its
   * substitute bank), and the years are shared by calendars that ask for the same types in
   * different roles.
   */
  #substitutedTypes(year: number, holidays: readonly ListedRow[]): Map<ListedRow, string[]> | undefined {
    const substitutes: { day: number; name: string; type: string }[] = [];
    for (const y of [year - 1, year, year + 1]) {
      for (const h of y === year ? holidays : this.#shared.listed(y)) {
        const day = parseDay(h.date);
        if (h.substitute && day !== undefined)
          substitutes.push({ day, name: h.name.replace(/\s*\([^()]*\)\s*$/, ""), type: h.type });
      }
    }
    if (substitutes.length === 0) return undefined;
    const replaced = new Map<ListedRow, string[]>();
    for (const h of holidays) {
      if (h.substitute) continue;
      const day = parseDay(h.date);
      if (day === undefined) continue;
      for (const s of substitutes) {
        if (s.name !== h.name || Math.abs(s.day - day) > 7) continue;
        const types = replaced.get(h);
        if (types === undefined) replaced.set(h, [s.type]);
        else if (!types.includes(s.type)) types.push(s.type);
      }
    }
    return replaced;
  }

  #entries(day: number): readonly Entry[] {
    // Building a year asks three times a day for days of the same year: the year's first day and
    // the next year's are remembered rather than worked out from the day number each time.
    if (!(day >= this.#spanFirst && day < this.#spanEnd)) {
      const y = yearOfDay(day);
      this.#spanYear = y;
      this.#spanFirst = dayFromCivil(y, 1, 1);
      this.#spanEnd = dayFromCivil(y + 1, 1, 1);
    }
    const year = this.#spanYear;
    const own = this.#year(year).get(day);
    // A holiday of several days that started late in the previous year.
    const spill = day - this.#spanFirst < 7 && this.#shared.multiDay() ? this.#year(year - 1).get(day) : undefined;
    if (spill === undefined) return own ?? [];
    return own === undefined ? spill : [...own, ...spill];
  }

  /** Whether a closing holiday falls on the day. */
  closes(day: number): boolean {
    for (const e of this.#entries(day)) if (countsFor(e, this.#source.closeTypes)) return true;
    return false;
  }

  /** Whether the day is a holiday of the eve types (so the day before is an eve). */
  hasEveHoliday(day: number): boolean {
    for (const e of this.#entries(day)) if (countsFor(e, this.#source.eveTypes)) return true;
    return false;
  }

  describeClosing(day: number, dateText: string): HolidayRef[] {
    return this.#describe(day, this.#source.closeTypes, dateText);
  }

  describeEve(day: number, dateText: string): HolidayRef[] {
    return this.#describe(day, this.#source.eveTypes, dateText);
  }

  /** The holidays on a day whose type is in `types`, with English names. */
  #describe(day: number, types: ReadonlySet<string>, dateText: string): HolidayRef[] {
    const out: HolidayRef[] = [];
    for (const e of this.#entries(day)) {
      if (!countsFor(e, types)) continue;
      const nameEn = this.#englishName(yearOfDay(day), e.rule, e.substitute);
      out.push(
        nameEn === undefined || nameEn === e.name
          ? { date: dateText, name: e.name, type: e.type }
          : { date: dateText, name: e.name, nameEn, type: e.type },
      );
    }
    return out;
  }

  /**
   * The English name of the year's holiday of `rule`: of its substitute day when `substitute`. A
   * holiday and its substitute day share their rule ("05-04 and if sunday then next tuesday"), and
   * keyed by the rule alone the original day was named after its substitute ("Greenery Day
   * (substitute day)").
   */
  #englishName(year: number, rule: string, substitute: boolean): string | undefined {
    const english = this.#shared.english;
    let names = english.get(year);
    if (names === undefined) {
      names = this.#shared.englishNames(year);
      if (english.size >= ENGLISH_YEARS) english.delete(english.keys().next().value as number);
      english.set(year, names);
    }
    return names.get(englishKey(rule, substitute));
  }
}

/**
 * The date-holidays source's country, state and region checked against its data, with the valid
 * codes in the message. @internal
 */
export function dateHolidaysIssues(source: DateHolidaysSource): ValidationIssue[] {
  // A source of the presets' table is one that this date-holidays knows (it was listed from it).
  const upper = (code: string | undefined) => (code === undefined ? "" : code.toUpperCase());
  if (tableInUse()?.knows(upper(source.country), upper(source.state), upper(source.region)) === true) return [];
  const Holidays = dateHolidays();
  if (Holidays === undefined) return [{ path: "holidays", message: NOT_LOADED }];
  // A service validates a spec per customer; the answer depends on these three strings alone, and
  // reading the catalogue's country list cost a third of creating a calendar (issue 20).
  const key = `${source.country}|${source.state ?? ""}|${source.region ?? ""}|${source.region === undefined ? 0 : 1}|${source.state === undefined ? 0 : 1}`;
  let known = checkedSources.get(key);
  if (known === undefined) {
    known = sourceIssues(source, catalogueOf(Holidays));
    checkedSources.set(key, known);
  }
  return known.map((issue) => ({ ...issue }));
}

// The browser build reaches this module through the slot this fills (./date-holidays-slot.ts): a
// bundle keeps the module only when the app imports registerDateHolidays, and then it answers.
installDateHolidays({ issues: dateHolidaysIssues, lookup: (source) => new DateHolidaysLookup(source) });

/** Validation results per (country, state, region) as written. */
const checkedSources = new BoundedLru<string, readonly ValidationIssue[]>(1024);
let catalogue: { readonly of: DateHolidaysClass; readonly data: Holidays } | undefined;

/** One date-holidays instance to read the country, state and region lists from. */
function catalogueOf(Holidays: DateHolidaysClass): Holidays {
  if (catalogue === undefined || catalogue.of !== Holidays) catalogue = { of: Holidays, data: new Holidays() };
  return catalogue.data;
}

/** Drops everything computed with a date-holidays class (another one was registered). */
function forgetSharedHolidays(): void {
  sharedSources.clear();
  sharedYears.clear();
  checkedSources.clear();
  catalogue = undefined;
}

function sourceIssues(source: DateHolidaysSource, catalogue: Holidays): ValidationIssue[] {
  const countries = catalogue.getCountries() ?? {};
  const country = source.country.toUpperCase();
  if (!(country in countries)) {
    return [
      {
        path: "holidays.country",
        message: `"${source.country}" is not a country known to date-holidays (ISO 3166-1 alpha-2 such as "SE", "FI", "DK")`,
      },
    ];
  }
  if (source.state === undefined) {
    return source.region === undefined ? [] : [{ path: "holidays.region", message: "a region needs a state" }];
  }
  const states = catalogue.getStates(country) ?? {};
  const state = source.state.toUpperCase();
  if (!(state in states)) {
    return [{ path: "holidays.state", message: unknownCode(source.state, "state", country, states) }];
  }
  if (source.region === undefined) return [];
  const regions = catalogue.getRegions(country, state) ?? {};
  const region = source.region.toUpperCase();
  if (!(region in regions)) {
    return [{ path: "holidays.region", message: unknownCode(source.region, "region", `${country}-${state}`, regions) }];
  }
  return [];
}

/**
 * Why a state or region code cannot be used, with the codes that can. date-holidays looks codes up
 * in upper case, so a code its data spells otherwise (the Cook Islands' "Aitutaki", New Zealand's
 * "Timaru") is listed by it but never found: it would silently give the holidays of the place above
 * alone. Such codes are named as unusable and left out of the list.
 */
function unknownCode(written: string, kind: "state" | "region", of: string, known: Record<string, string>): string {
  const codes = Object.keys(known);
  const usable = codes.filter((code) => code.toUpperCase() in known);
  const choice = usable.length
    ? `; use one of ${usable.join(", ")}`
    : codes.length
      ? `; date-holidays can use none of its ${kind}s, so leave the ${kind} out`
      : ` (it has none)`;
  if (written in known)
    return `"${written}" is listed by date-holidays as a ${kind} of ${of}, but date-holidays looks codes up in upper case and cannot find it (its holidays would be ${of}'s alone)${choice}`;
  return `"${written}" is not a ${kind} of ${of}${choice}`;
}
