/**
 * A calendar answers the same whatever the zone of the process running it. date-holidays works
 * out dates with the host's local `Date`, so on a host whose zone skipped a whole date it lists
 * that date's holidays a day late (see src/calendar/host-skips.ts). These tests switch the host's
 * zone at run time (Node re-reads `process.env.TZ` when it is assigned) to each zone that skipped
 * a date between 1900 and 2200, and check holidays on and around the skipped dates against the
 * dates the countries' laws give.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createCalendar, type CalendarSpec } from "../src/index";
import { isGregorianRule, repairHostSkips } from "../src/calendar/host-skips";
import { sameHoursEveryDay } from "./support/calendars";

const savedTz = process.env.TZ;
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

/** Host zones with the local date each skipped. */
const SKIPPING_HOSTS: readonly [zone: string, skipped: [number, number, number]][] = [
  ["Pacific/Kiritimati", [1994, 12, 31]],
  ["Pacific/Kanton", [1994, 12, 31]],
  ["Pacific/Apia", [2011, 12, 30]],
  ["Pacific/Fakaofo", [2011, 12, 30]],
  ["Pacific/Kwajalein", [1993, 8, 21]],
];
const HOSTS = ["UTC", "America/Los_Angeles", ...SKIPPING_HOSTS.map(([zone]) => zone)];

/** Runs `f` as if the process ran in `zone`, after checking that the switch took effect. */
function onHost<T>(zone: string, f: () => T): T {
  process.env.TZ = zone;
  const skipped = SKIPPING_HOSTS.find(([z]) => z === zone)?.[1];
  if (skipped !== undefined) {
    const [y, m, d] = skipped;
    // The test is only worth something if local dates really are skipped now.
    expect(new Date(y, m - 1, d).getDate(), `host zone ${zone} in effect`).not.toBe(d);
  }
  return f();
}

function calendar(country: string, zone: string, types: string[] = ["public"]) {
  return createCalendar({
    zone,
    weekly: sameHoursEveryDay("09:00", "17:00"),
    holidays: { country, types },
  } as unknown as CalendarSpec);
}

function holidayNames(cal: ReturnType<typeof calendar>, date: string): string[] {
  return cal.describeDay(date).reasons.flatMap((r) => (r.kind === "holiday" ? r.holidays.map((h) => h.name) : []));
}

describe("a calendar on a host whose zone skipped a date", () => {
  // [country, calendar zone, types, date, the holiday's name on that date (none: open)]
  const cases: [string, string, string[], string, string | undefined][] = [
    // Nyårsafton is a bank holiday in date-holidays' Swedish data, on 31 December.
    ["SE", "Europe/Stockholm", ["public", "bank"], "1994-12-31", "nyårsafton"],
    ["SE", "Europe/Stockholm", ["public", "bank"], "1995-01-01", "nyårsdagen"],
    ["SE", "Europe/Stockholm", ["public", "bank"], "1994-12-30", undefined],
    // Latvia: Vecgada vakars (New Year's Eve) is a public holiday on 31 December.
    ["LV", "Europe/Riga", ["public"], "1994-12-31", "Vecgada vakars"],
    // The Philippines: Rizal Day, 30 December.
    ["PH", "Asia/Manila", ["public"], "2011-12-30", "Rizal Day"],
    ["PH", "Asia/Manila", ["public"], "2011-12-29", undefined],
    // Morocco: Revolution of the King and the People on 20 August, Youth Day on 21 August.
    ["MA", "Africa/Casablanca", ["public"], "1993-08-21", "عيد الشباب"],
    ["MA", "Africa/Casablanca", ["public"], "1993-08-22", undefined],
  ];

  for (const host of HOSTS) {
    it(`finds each holiday on its own date with the process in ${host}`, () => {
      onHost(host, () => {
        for (const [country, zone, types, date, name] of cases) {
          const names = holidayNames(calendar(country, zone, types), date);
          if (name === undefined) expect(names, `${country} ${date}`).toEqual([]);
          else expect(names, `${country} ${date}`).toContain(name);
        }
      });
    });
  }

  it("lists the same holidays on every date of the disturbed years as a process in UTC does", () => {
    const countries: [string, string][] = [
      ["SE", "Europe/Stockholm"],
      ["LV", "Europe/Riga"],
      ["PH", "Asia/Manila"],
      ["MA", "Africa/Casablanca"],
      ["IS", "Atlantic/Reykjavik"],
      ["AZ", "Asia/Baku"],
      ["US", "America/New_York"],
    ];
    const types = ["public", "bank", "optional", "school", "observance"];
    const dates: string[] = [];
    for (const year of [1993, 1994, 1995, 2011, 2012])
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000)
        dates.push(new Date(t).toISOString().slice(0, 10));
    const listAll = () =>
      countries.map(([country, zone]) => {
        const cal = calendar(country, zone, types);
        return dates.map((d) => `${country} ${d} ${holidayNames(cal, d).join("|")}`);
      });
    const expected = onHost("UTC", listAll).flat();
    for (const [zone] of SKIPPING_HOSTS) {
      const got = onHost(zone, listAll).flat();
      // The dates on which the host's answer differs, with both answers.
      const differing = got.flatMap((line, i) => (line === expected[i] ? [] : [`${expected[i]} ≠ ${line}`]));
      expect(differing, `host ${zone}`).toEqual([]);
    }
  });
});

describe("repairHostSkips", () => {
  it("takes Gregorian rules from the twin years 28 years either side, other rules from the host", () => {
    // 1966 and 2022 start on a Saturday and are not leap years, as 1994 is.
    const lists: Record<number, { date: string; name: string; rule: string }[]> = {
      1966: [
        { date: "1966-12-30 00:00:00", name: "x", rule: "12-31 if saturday then previous friday" },
        { date: "1966-12-31 13:00:00", name: "x", rule: "12-31 13:00" },
      ],
      2022: [
        { date: "2022-12-30 00:00:00", name: "x", rule: "12-31 if saturday then previous friday" },
        { date: "2022-12-31 13:00:00", name: "x", rule: "12-31 13:00" },
        { date: "2022-06-24 00:00:00", name: "x", rule: "friday after 06-19 since 2000" },
        { date: "2022-06-25 00:00:00", name: "x", rule: "saturday after 06-20 since 1990" },
      ],
    };
    const disturbed = [
      { date: "1994-04-01 00:00:00", name: "x", rule: "easter -2" },
      { date: "1994-06-25 00:00:00", name: "x", rule: "saturday after 06-20 since 1990" },
      { date: "1995-01-02 00:00:00", name: "x", rule: "12-31 if saturday then previous friday" },
      // "12-31 13:00" was lost by the host.
    ];
    const asked: number[] = [];
    process.env.TZ = "UTC";
    const fixed = repairHostSkips(1994, disturbed, (y) => {
      asked.push(y);
      return lists[y] ?? [];
    });
    expect(asked).toEqual([1966, 2022]);
    expect(fixed.map((h) => `${h.date} ${h.rule}`)).toEqual([
      "1994-04-01 00:00:00 easter -2", // another calendar's rule: as the host listed it
      "1994-06-25 00:00:00 saturday after 06-20 since 1990", // in one twin, and listed by the host
      // "friday after 06-19 since 2000": in one twin only, not listed by the host
      "1994-12-30 00:00:00 12-31 if saturday then previous friday",
      "1994-12-31 13:00:00 12-31 13:00", // in both twins
    ]);
  });

  it("tells Gregorian rules from rules of other calendars", () => {
    for (const rule of [
      "12-31",
      "2023-09-1",
      "12-31 13:00 if sunday then 00:00",
      "substitutes 12-26 if sunday then next monday",
      "friday after 06-19",
      "friday after 4th thursday in November",
      "1st monday before September",
      "monday before October #1",
      "3rd monday in January",
    ])
      expect(isGregorianRule(rule), rule).toBe(true);
    for (const rule of [
      "easter -2",
      "orthodox 49",
      "julian 12-25",
      "10 Dhu al-Hijjah",
      "15 Nisan",
      "1 Farvardin",
      "chinese 01-0-01",
      "march equinox",
      "substitutes march equinox if sunday then next monday",
      "Thursday before easter -46",
      "1 day before vietnamese 1-0-1 P5D",
      "bengali-revised 1-1",
    ])
      expect(isGregorianRule(rule), rule).toBe(false);
  });
});
