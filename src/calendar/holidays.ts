import Holidays from "date-holidays";
import { DAY_MS, dayFromCivil, parseDay, yearOfDay } from "../time/civil";
import { hostSkipsNear, repairHostSkips } from "./host-skips";
import type { CompiledSpec, HolidayType } from "./spec";

/**
 * A holiday from the `date-holidays` data, on its local date.
 *
 * @example
 * ```ts
 * const goodFriday: HolidayRef = { date: "2026-04-03", name: "långfredagen", nameEn: "Good Friday", type: "public" };
 * ```
 */
export interface HolidayRef {
  /** Local date, `YYYY-MM-DD`. */
  readonly date: string;
  /** Name in the country's language. */
  readonly name: string;
  /** English name, when the data has one. */
  readonly nameEn?: string;
  /** `date-holidays` type. */
  readonly type: HolidayType;
}

interface Entry {
  readonly name: string;
  readonly type: HolidayType;
  readonly rule: string;
}

/** How many years of holiday lists one calendar keeps. */
const YEAR_CACHE_SIZE = 16;

/**
 * A calendar's view of `date-holidays`: the holidays of the types it cares about, by local day
 * number, computed one year at a time (`getHolidays(year)`, never per day) and kept in a small
 * bounded cache.
 * @internal
 */
export class HolidayLookup {
  readonly #source: NonNullable<CompiledSpec["holidays"]>;
  #data: Holidays | undefined;
  #en: Holidays | undefined;
  #spans: boolean | undefined;
  readonly #years = new Map<number, Map<number, Entry[]>>();
  readonly #english = new Map<number, Map<string, string>>();

  constructor(source: NonNullable<CompiledSpec["holidays"]>) {
    this.#source = source;
  }

  /**
   * A second instance for English names: asking the main one for another language adds that
   * language to its own list, after which it names every holiday in English.
   */
  #englishData(): Holidays {
    if (this.#en === undefined) this.#en = this.#create(["en"]);
    return this.#en;
  }

  #create(languages?: string[]): Holidays {
    const types = [...new Set([...this.#source.closeTypes, ...this.#source.eveTypes])] as HolidayType[];
    const { country, state, region } = this.#source;
    const options = languages === undefined ? { types } : { types, languages };
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
    return data;
  }

  #holidays(): Holidays {
    if (this.#data === undefined) this.#data = this.#create();
    return this.#data;
  }

  /** Entries whose holiday starts in `year` (a multi-day holiday may spill into the next year). */
  #year(year: number): Map<number, Entry[]> {
    const cached = this.#years.get(year);
    if (cached) return cached;
    const byDay = new Map<number, Entry[]>();
    const data = this.#holidays();
    const listed = data.getHolidays(year);
    const holidays = hostSkipsNear(year) ? repairHostSkips(year, listed, (y) => data.getHolidays(y)) : listed;
    for (const h of holidays) {
      const first = parseDay(h.date.slice(0, 10));
      if (first === undefined) continue;
      // Half-day holidays ("01-05 12:00") and DST days still cover one date; "P3D" rules cover three.
      const days = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY_MS));
      for (let k = 0; k < days; k++) {
        const day = first + k;
        const entry: Entry = { name: h.name, type: h.type as HolidayType, rule: h.rule };
        const list = byDay.get(day);
        if (list) list.push(entry);
        else byDay.set(day, [entry]);
      }
    }
    if (this.#years.size >= YEAR_CACHE_SIZE) this.#years.delete(this.#years.keys().next().value as number);
    this.#years.set(year, byDay);
    return byDay;
  }

  /**
   * Whether any rule lasts longer than a day ("… P3D", "… PT48H"): only then can a holiday of the
   * previous year reach into January, and only then is that year worth computing for it.
   */
  #multiDay(): boolean {
    if (this.#spans === undefined)
      this.#spans = this.#holidays()
        .getRules()
        // The class type omits the rule text that every rule object carries.
        .some((r) => {
          const text = (r as unknown as { rule?: unknown }).rule;
          return typeof text === "string" && /\sP(?:T?\d)/.test(text);
        });
    return this.#spans;
  }

  #entries(day: number): readonly Entry[] {
    const year = yearOfDay(day);
    const own = this.#year(year).get(day);
    // A holiday of several days that started late in the previous year.
    const spill = day - dayFromCivil(year, 1, 1) < 7 && this.#multiDay() ? this.#year(year - 1).get(day) : undefined;
    if (spill === undefined) return own ?? [];
    return own === undefined ? spill : [...own, ...spill];
  }

  /** Whether a closing holiday falls on the day. */
  closes(day: number): boolean {
    for (const e of this.#entries(day)) if (this.#source.closeTypes.has(e.type)) return true;
    return false;
  }

  /** Whether the day is a holiday of the eve types (so the day before is an eve). */
  hasEveHoliday(day: number): boolean {
    for (const e of this.#entries(day)) if (this.#source.eveTypes.has(e.type)) return true;
    return false;
  }

  /** The holidays on a day whose type is in `types`, with English names. */
  describe(day: number, types: ReadonlySet<string>, dateText: string): HolidayRef[] {
    const out: HolidayRef[] = [];
    for (const e of this.#entries(day)) {
      if (!types.has(e.type)) continue;
      const nameEn = this.#englishName(yearOfDay(day), e.rule);
      out.push(
        nameEn === undefined || nameEn === e.name
          ? { date: dateText, name: e.name, type: e.type }
          : { date: dateText, name: e.name, nameEn, type: e.type },
      );
    }
    return out;
  }

  #englishName(year: number, rule: string): string | undefined {
    let names = this.#english.get(year);
    if (names === undefined) {
      names = new Map();
      for (const h of this.#englishData().getHolidays(year)) names.set(h.rule, h.name);
      if (this.#english.size >= YEAR_CACHE_SIZE) this.#english.delete(this.#english.keys().next().value as number);
      this.#english.set(year, names);
    }
    return names.get(rule);
  }
}
