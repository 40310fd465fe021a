/**
 * Reference holiday lookup: `date-holidays` in its default configuration (all types, the country's
 * own zone), judged by the holiday's local date (`date`'s first ten characters), never by its UTC
 * start and end. A holiday lasting several days covers every local date it reaches.
 *
 * Shares no code with src/.
 */
import Holidays from "date-holidays";
import { DAY, HOUR, dateOf, dayOf } from "./zone";

export interface RefHoliday {
  /** The local date covered, `YYYY-MM-DD`. */
  readonly date: string;
  readonly type: string;
  readonly name: string;
}

export interface HolidaySourceLike {
  readonly country: string;
  readonly state?: string;
  readonly region?: string;
}

const instances = new Map<string, Holidays>();
const byYear = new Map<string, Map<string, RefHoliday[]>>();

function keyOf(source: HolidaySourceLike): string {
  return [source.country, source.state ?? "", source.region ?? ""].join("|").toUpperCase();
}

function instance(source: HolidaySourceLike): Holidays {
  const key = keyOf(source);
  let h = instances.get(key);
  if (h === undefined) {
    const { country, state, region } = source;
    h =
      state === undefined
        ? new Holidays(country.toUpperCase())
        : region === undefined
          ? new Holidays(country.toUpperCase(), state.toUpperCase())
          : new Holidays(country.toUpperCase(), state.toUpperCase(), region.toUpperCase());
    instances.set(key, h);
  }
  return h;
}

/**
 * The holidays that date-holidays lists for `year`, by every local date each covers. A holiday
 * starting at `date` and lasting `end - start` covers its own date and each later date whose
 * midnight comes before its (wall-clock) end; two hours of slack absorb a DST change inside it.
 */
function listOfYear(source: HolidaySourceLike, year: number): Map<string, RefHoliday[]> {
  const key = `${keyOf(source)}|${year}`;
  let map = byYear.get(key);
  if (map !== undefined) return map;
  map = new Map();
  for (const h of instance(source).getHolidays(year) || []) {
    const first = dayOf(h.date.slice(0, 10));
    const startWall = Date.UTC(
      Number(h.date.slice(0, 4)),
      Number(h.date.slice(5, 7)) - 1,
      Number(h.date.slice(8, 10)),
      Number(h.date.slice(11, 13) || 0),
      Number(h.date.slice(14, 16) || 0),
    );
    const endWall = startWall + (h.end.getTime() - h.start.getTime());
    for (let day = first; day === first || day * DAY < endWall - 2 * HOUR; day++) {
      const date = dateOf(day);
      const list = map.get(date) ?? [];
      list.push({ date, type: h.type, name: h.name });
      map.set(date, list);
    }
  }
  byYear.set(key, map);
  return map;
}

/** Every holiday (any type) on a local date. */
export function holidaysOn(source: HolidaySourceLike, date: string): RefHoliday[] {
  const year = Number(date.slice(0, 4));
  const out: RefHoliday[] = [];
  // A holiday listed under a neighbouring year may still cover this date.
  for (const y of [year - 1, year, year + 1]) out.push(...(listOfYear(source, y).get(date) ?? []));
  return out;
}

/** The local dates in [from, to] (inclusive, `YYYY-MM-DD`) with a holiday of one of `types`. */
export function holidayDatesBetween(
  source: HolidaySourceLike,
  types: readonly string[],
  from: string,
  to: string,
): string[] {
  const out: string[] = [];
  for (let day = dayOf(from); day <= dayOf(to); day++) {
    const date = dateOf(day);
    if (holidaysOn(source, date).some((h) => types.includes(h.type))) out.push(date);
  }
  return out;
}
