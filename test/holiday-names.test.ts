/**
 * sla-clock cuts each date-holidays rule's name down to the languages its instance can answer in
 * (src/calendar/holidays.ts, keepReadableNames): date-holidays deep-copies every name in all its
 * languages into every holiday it lists. That may only change the speed. Here every country
 * date-holidays knows (and the first state and region of those that have them) is listed by
 * sla-clock's instance and by a plain date-holidays instance made here, in a year of the past and
 * one far ahead (1987, 2190), with every holiday type, and the listings must be equal: dates,
 * lengths, names (local and English), types, rules and substitute flags.
 */
import Holidays from "date-holidays";
import { describe, expect, it } from "vitest";
import { liveHolidaySource } from "../src/calendar/holidays";
import { hostSkipsNear } from "../src/calendar/host-skips";
import { compileCalendarSpec } from "../src/calendar/spec";
import { createCalendar } from "../src/index";

const TYPES = ["public", "bank", "school", "optional", "observance"] as const;
const YEARS = [1987, 2190];
const DAY_MS = 86_400_000;

interface Place {
  readonly country: string;
  readonly state?: string;
  readonly region?: string;
}

/**
 * Every country, plus the first state and the first region of each that has them (of those
 * date-holidays can look up: it reads codes in upper case, so "Aitutaki" of CK is listed but not
 * found; sla-clock refuses those, see test/calendar.holiday-sources.test.ts).
 */
function places(): Place[] {
  const catalogue = new Holidays();
  const out: Place[] = [];
  const usable = (codes: Record<string, string> | undefined) =>
    Object.keys(codes ?? {}).filter((code) => code === code.toUpperCase());
  for (const country of Object.keys(catalogue.getCountries())) {
    out.push({ country });
    const state = usable(catalogue.getStates(country))[0];
    if (state === undefined) continue;
    out.push({ country, state });
    const region = usable(catalogue.getRegions(country, state))[0];
    if (region !== undefined) out.push({ country, state, region });
  }
  return out;
}

/** A date-holidays instance as the library's documentation makes one, with no zone (local dates). */
function plainInstance(place: Place, languages?: string[]): Holidays {
  const options = { types: [...TYPES].sort(), ...(languages === undefined ? {} : { languages }) };
  const h =
    place.state === undefined
      ? new Holidays(place.country, options)
      : place.region === undefined
        ? new Holidays(place.country, place.state, options)
        : new Holidays(place.country, place.state, place.region, options);
  (h.setTimezone as (timezone?: string) => void).call(h, undefined);
  return h;
}

function plainRows(h: Holidays, year: number) {
  return h.getHolidays(year).map((d) => ({
    date: d.date.slice(0, 10),
    days: Math.max(1, Math.round((d.end.getTime() - d.start.getTime()) / DAY_MS)),
    name: d.name,
    type: d.type,
    rule: d.rule,
    substitute: d.substitute === true,
  }));
}

function librarySource(place: Place) {
  const { compiled } = compileCalendarSpec({
    zone: "UTC",
    weekly: { mon: [["08:00", "16:00"]] },
    holidays: { ...place, types: [...TYPES] },
  });
  if (compiled?.holidays === undefined) throw new Error(`no source for ${JSON.stringify(place)}`);
  return liveHolidaySource(compiled.holidays);
}

describe("date-holidays names cut to the readable languages", () => {
  const all = places();

  it("covers the countries, states and regions date-holidays knows", () => {
    expect(all.length).toBeGreaterThan(200);
  });

  it("lists every place's years exactly as a plain date-holidays instance does", () => {
    let holidays = 0;
    for (const place of all) {
      const source = librarySource(place);
      const plain = plainInstance(place);
      for (const year of YEARS) {
        // Near a date the host's zone skipped, sla-clock repairs date-holidays' listing (host-skips.ts).
        if (hostSkipsNear(year)) continue;
        const expected = plainRows(plain, year);
        expect(source.listed(year), `${JSON.stringify(place)} ${year}`).toEqual(expected);
        holidays += expected.length;
      }
    }
    expect(holidays).toBeGreaterThan(5_000);
  });

  it("names a holiday in English as date-holidays does", () => {
    const chosen: Place[] = [
      { country: "SE" },
      { country: "CH", state: "ZH" },
      { country: "JP" },
      { country: "DE", state: "BY" },
    ];
    const allWeek = [["08:00", "16:00"]] as [string, string][];
    let named = 0;
    for (const place of chosen) {
      const calendar = createCalendar({
        zone: "UTC",
        weekly: { mon: allWeek, tue: allWeek, wed: allWeek, thu: allWeek, fri: allWeek, sat: allWeek, sun: allWeek },
        holidays: { ...place, types: [...TYPES] },
      });
      const english = plainInstance(place, ["en"]);
      for (const year of [1987, 2064]) {
        for (const h of english.getHolidays(year)) {
          const day = calendar.describeDay(h.date.slice(0, 10));
          const names = day.reasons.flatMap((r) => ("holidays" in r ? r.holidays : [])).map((x) => x.nameEn ?? x.name);
          expect(names, `${JSON.stringify(place)} ${h.date} ${h.rule}`).toContain(h.name);
          named++;
        }
      }
    }
    expect(named).toBeGreaterThan(100);
  });
});
