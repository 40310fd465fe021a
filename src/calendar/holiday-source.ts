/**
 * The holiday seam: what the day rules and the engine ask about holidays, whatever the source.
 * A spec's `holidays` names the source; {@link holidayProvider} builds the one that answers.
 * `date-holidays` is used only by ./holidays.ts (the default source, and the presets'); an explicit
 * list is answered here from a map built when the spec is compiled.
 */
import type { HolidayType } from "./spec";
import type { CompiledHolidays, HolidayEntry } from "./spec";
// ./holidays.ts in Node, a slot it fills in the browser build (see ./date-holidays-slot.ts).
import { dateHolidaysLookup } from "./date-holidays-link";

/**
 * A holiday on its local date, as `describeDay` and traces name it.
 *
 * @example
 * ```ts
 * const goodFriday: HolidayRef = { date: "2026-04-03", name: "långfredagen", nameEn: "Good Friday", type: "public" };
 * ```
 */
export interface HolidayRef {
  /** Local date, `YYYY-MM-DD`. */
  readonly date: string;
  /** Name in the source's language (for date-holidays, the country's). */
  readonly name: string;
  /** English name, when the source has one that differs. */
  readonly nameEn?: string;
  /** Holiday type (`date-holidays`' types; a listed holiday's, default `"public"`). */
  readonly type: HolidayType;
}

/**
 * The questions the day rules ask about one local day (a day number). Implementations answer
 * `closes` and `hasEveHoliday` on every day the index builds, so those must be cheap; the
 * describing ones run only when a day is explained.
 * @internal
 */
export interface HolidayProvider {
  /** Whether a holiday of the closing types falls on the day. */
  closes(day: number): boolean;
  /** Whether a holiday of the eve types falls on the day (so the day before is an eve). */
  hasEveHoliday(day: number): boolean;
  /** The day's holidays of the closing types, named. */
  describeClosing(day: number, dateText: string): HolidayRef[];
  /** The day's holidays of the eve types, named. */
  describeEve(day: number, dateText: string): HolidayRef[];
}

/** The provider for a compiled holiday source. @internal */
export function holidayProvider(source: CompiledHolidays): HolidayProvider {
  return source.kind === "list"
    ? new HolidayList(source.days, source.closeTypes, source.eveTypes)
    : dateHolidaysLookup(source);
}

const NONE: readonly HolidayEntry[] = [];

/** An explicit list: entries by local day, from the spec. */
class HolidayList implements HolidayProvider {
  readonly #days: ReadonlyMap<number, readonly HolidayEntry[]>;
  readonly #closeTypes: ReadonlySet<string>;
  readonly #eveTypes: ReadonlySet<string>;

  constructor(
    days: ReadonlyMap<number, readonly HolidayEntry[]>,
    closeTypes: ReadonlySet<string>,
    eveTypes: ReadonlySet<string>,
  ) {
    this.#days = days;
    this.#closeTypes = closeTypes;
    this.#eveTypes = eveTypes;
  }

  closes(day: number): boolean {
    for (const e of this.#days.get(day) ?? NONE) if (this.#closeTypes.has(e.type)) return true;
    return false;
  }

  hasEveHoliday(day: number): boolean {
    for (const e of this.#days.get(day) ?? NONE) if (this.#eveTypes.has(e.type)) return true;
    return false;
  }

  describeClosing(day: number, dateText: string): HolidayRef[] {
    return this.#describe(day, this.#closeTypes, dateText);
  }

  describeEve(day: number, dateText: string): HolidayRef[] {
    return this.#describe(day, this.#eveTypes, dateText);
  }

  #describe(day: number, types: ReadonlySet<string>, dateText: string): HolidayRef[] {
    const out: HolidayRef[] = [];
    for (const e of this.#days.get(day) ?? NONE)
      if (types.has(e.type)) out.push({ date: dateText, name: e.name, type: e.type });
    return out;
  }
}
