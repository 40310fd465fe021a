/**
 * Dated versions and combined calendars (issue 17, section 4): a union or intersection of
 * calendars against a minute-stepping reference over its members (test/reference/combined.ts), a
 * versioned calendar against its two versions as plain calendars, a follow-the-sun table for
 * Stockholm + New York across the weeks where Europe and the US change clocks on different dates,
 * and the errors' paths.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  SlaClockError,
  calendarToIcs,
  createCalendar,
  definePolicy,
  overridesFromIcs,
  type CalendarSpec,
  type CombinedCalendarSpec,
  type DayHours,
} from "../src/index";
import { hhmm, scenarioArb, ZONES } from "./reference/arbitraries";
import { RefCalendar } from "./reference/calendar";
import { RefCombined } from "./reference/combined";
import { cli } from "./support/cli";
import { tempDirForTest } from "./support/temp-dir";
import { DAY, MINUTE, dateOf } from "./reference/zone";

const iso = (t: number | Date): string => (typeof t === "number" ? new Date(t) : t).toISOString();
const HOUR_MS = 3_600_000;

const weekdays = (open: string, close: string): CalendarSpec["weekly"] =>
  Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [[open, close]]]));

const STOCKHOLM: CalendarSpec = {
  id: "sthlm",
  zone: "Europe/Stockholm",
  weekly: weekdays("08:00", "17:00"),
  holidays: { country: "SE" },
};
const NEW_YORK: CalendarSpec = {
  id: "nyc",
  zone: "America/New_York",
  weekly: weekdays("09:00", "17:00"),
  holidays: { country: "US" },
};

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof SlaClockError) return e.code;
    throw e;
  }
  return undefined;
}

function issuesOf(spec: unknown): string[] {
  try {
    createCalendar(spec as CalendarSpec);
  } catch (e) {
    if (e instanceof SlaClockError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}

/** More runs in CI, where the suite's time matters less than on a developer's machine. */
const COMBINED_RUNS = process.env.CI === "true" ? 60 : 15;
/** The first property test of the file also pays for the reference's holiday and zone caches. */
const PROPERTY_TIMEOUT_MS = 240_000;

describe("combined calendars against the minute-stepping reference", () => {
  // The minute-stepping reference is exact only where every member's zone offset is whole minutes:
  // before 1936 some zones of the scenarios were on local mean time with seconds (St. John's
  // -03:30:52 until 1935, Santiago -04:42:45 until 1927), so members start there.
  const WHOLE_MINUTE_OFFSETS_FROM = Date.UTC(1936, 0, 1);
  const membersArb = fc.array(
    scenarioArb.filter((s) => s.anchor >= WHOLE_MINUTE_OFFSETS_FROM),
    { minLength: 2, maxLength: 3 },
  );

  for (const kind of ["anyOf", "allOf"] as const) {
    it(
      `${kind}: open time, open stretches, isOpen and addBusinessTime equal the members' minute-by-minute ${kind === "anyOf" ? "union" : "intersection"}`,
      () => {
        fc.assert(
          fc.property(
            membersArb,
            fc.nat({ max: 3 * 24 * 60 - 1 }),
            fc.integer({ min: 1, max: 600 }),
            (scenarios, at, minutes) => {
              const specs = scenarios.map((s) => s.spec as unknown as CalendarSpec);
              const cal = createCalendar({ [kind]: specs } as CombinedCalendarSpec);
              const refs = scenarios.map((s) => new RefCalendar(s.spec));
              // Whole minutes around the first member's interesting instant (a DST change, a holiday …).
              const from = Math.floor(scenarios[0]!.anchor / MINUTE) * MINUTE - DAY;
              const to = from + 3 * DAY;
              const ref = new RefCombined(kind, refs, from, to);
              const { stretches, totalMs } = ref.stretches();

              expect(cal.businessTimeBetween(from, to), "businessTimeBetween").toBe(totalMs);
              expect(
                cal.openIntervals(from, to).map(({ start, end }) => [iso(start), iso(end)]),
                "openIntervals",
              ).toEqual(stretches.map(([s, e]) => [iso(s), iso(e)]));
              const t = from + at * MINUTE;
              expect(cal.isOpen(t), `isOpen(${iso(t)})`).toBe(ref.isOpen(t));
              const expected = ref.add(t, minutes * MINUTE);
              if (expected !== undefined) {
                expect(iso(cal.addBusinessTime(t, minutes * MINUTE)), `add(${iso(t)}, ${minutes} min)`).toBe(
                  iso(expected),
                );
                expect(iso(cal.subtractBusinessTime(expected, minutes * MINUTE)), "subtract").toBe(
                  iso(stretches.length > 0 ? firstOpenAtOrAfter(stretches, t) : t),
                );
              }
            },
          ),
          { numRuns: COMBINED_RUNS },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );
  }
});

/** The first open instant at or after `t` among sorted stretches (t itself when inside one). */
function firstOpenAtOrAfter(stretches: readonly [number, number][], t: number): number {
  for (const [s, e] of stretches) if (e > t) return Math.max(s, t);
  return t;
}

describe("dated versions", () => {
  /** A day's hours: up to two intervals of whole minutes, within the day (none runs past midnight). */
  const dayArb: fc.Arbitrary<[string, string][]> = fc
    .uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 4 })
    .map((points) => {
      const sorted = [...points].sort((a, b) => a - b);
      const out: [string, string][] = [];
      for (let i = 0; i + 1 < sorted.length; i += 2)
        out.push([hhmm(sorted[i]!), sorted[i + 1] === 1440 ? "24:00" : hhmm(sorted[i + 1]!)]);
      return out;
    });
  const rulesArb = fc.record({
    weekly: fc.array(dayArb, { minLength: 7, maxLength: 7 }).map((days) => {
      const keys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
      return Object.fromEntries(days.map((d, i) => [keys[i], d]).filter(([, d]) => d!.length > 0));
    }),
    holidays: fc.option(fc.constantFrom({ country: "SE" }, { country: "US" }, { country: "DE" }), { nil: undefined }),
  });

  it(
    "businessTimeBetween across the change equals the old version's part before it plus the new one's after it",
    () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...ZONES),
          rulesArb,
          rulesArb,
          fc.integer({ min: 9500, max: 47000 }), // the change date, 1996 … 2098
          fc.integer({ min: 0, max: 20 * DAY }),
          fc.integer({ min: 0, max: 20 * DAY }),
          (zone, before, after, changeDay, back, ahead) => {
            const from = dateOf(changeDay);
            const clean = <T extends object>(o: T): T =>
              Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
            const old = createCalendar({ zone, ...clean(before) } as CalendarSpec);
            const next = createCalendar({ zone, ...clean(after) } as CalendarSpec);
            const versioned = createCalendar({
              zone,
              ...clean(before),
              versions: [{ from, spec: clean(after) }],
            } as CalendarSpec);
            const change = versioned.parse(`${from}T00:00`).getTime();
            const a = change - back;
            const b = change + ahead;
            expect(versioned.businessTimeBetween(a, b), `${zone}, change ${from}`).toBe(
              old.businessTimeBetween(a, change) + next.businessTimeBetween(change, b),
            );
            // Each side of the change is the version in force there, day by day.
            const dayBefore = dateOf(changeDay - 1);
            expect(versioned.describeDay(dayBefore).hours).toEqual(old.describeDay(dayBefore).hours);
            expect(versioned.describeDay(from).hours).toEqual(next.describeDay(from).hours);
            expect(versioned.describeDay(from).weeklyHours).toEqual(next.describeDay(from).weeklyHours);
          },
        ),
        { numRuns: 60 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it("a ticket spanning a change of hours counts the old hours before it and the new ones after it", () => {
    const cal = createCalendar({
      zone: "Europe/Stockholm",
      weekly: weekdays("08:00", "16:00"),
      holidays: { country: "SE" },
      versions: [
        {
          from: "2027-01-01",
          name: "2027 contract",
          spec: { weekly: weekdays("07:00", "19:00"), holidays: { country: "SE" } },
        },
      ],
    });
    // Thu 2026-12-31 15:00 (old hours, 1 h left that day), Fri 2027-01-01 closed (New Year's Day),
    // Mon 2027-01-04 07:00–19:00 (new hours): 1 h + 12 h = 13 h, then 2 h into Tuesday.
    expect(iso(cal.addBusinessTime("2026-12-31T15:00", { hours: 15 }))).toBe("2027-01-05T08:00:00.000Z");
    // Mon–Thu 28–31 Dec at 8 h; Mon 4, Tue 5, Thu 7, Fri 8 Jan at 12 h (6 Jan is Epiphany).
    expect(cal.businessTimeBetween("2026-12-28T00:00", "2027-01-09T00:00")).toBe((4 * 8 + 4 * 12) * HOUR_MS);
    expect(cal.describeDay("2026-12-30").hours).toEqual([["08:00", "16:00"]]);
    expect(cal.describeDay("2027-01-05").hours).toEqual([["07:00", "19:00"]]);
    expect(cal.describeDay("2027-01-05").weeklyHours).toEqual([["07:00", "19:00"]]);
    // The trace lists the old and new stretches on their own dates.
    const trace = cal.trace("2026-12-31T15:00", { hours: 15 });
    expect(trace.stretches.map((s) => [s.date, s.startLocal.slice(11, 16), s.endLocal.slice(11, 16)])).toEqual([
      ["2026-12-31", "15:00", "16:00"],
      ["2027-01-04", "07:00", "19:00"],
      ["2027-01-05", "07:00", "09:00"],
    ]);
  });

  it("an overnight interval of the last old date runs to its end; the new hours are counted once where they overlap it", () => {
    const cal = createCalendar({
      zone: "UTC",
      weekly: { sun: [["22:00", "04:00"]] },
      versions: [{ from: "2026-03-02", spec: { weekly: { mon: [["02:00", "06:00"]] } } }],
    });
    // Sun 2026-03-01 22:00 → Mon 04:00 (old), Mon 02:00–06:00 (new): open 22:00–06:00, 8 h.
    expect(cal.openIntervals("2026-03-01T00:00Z", "2026-03-03T00:00Z").map((i) => [iso(i.start), iso(i.end)])).toEqual([
      ["2026-03-01T22:00:00.000Z", "2026-03-02T06:00:00.000Z"],
    ]);
  });

  it("refuses versions out of order, a version with a zone, and bad rules, with their paths", () => {
    expect(
      issuesOf({
        zone: "UTC",
        weekly: {},
        versions: [
          { from: "2027-01-01", spec: { weekly: {} } },
          { from: "2026-01-01", spec: { weekly: { mon: [["09:00", "17:00"]], tue: [["08:00", "09:00"]] } } },
        ],
      }),
    ).toEqual([
      "versions[1].from: 2026-01-01 is not after versions[0].from 2027-01-01; list versions in date order, each date once",
    ]);
    expect(
      issuesOf({ zone: "UTC", weekly: {}, versions: [{ from: "2027-01-01", spec: { zone: "UTC", weekly: {} } }] }),
    ).toEqual([
      "versions[0].spec.zone: a version keeps the calendar's zone; to change zones, combine two calendars with anyOf",
    ]);
    expect(
      issuesOf({
        zone: "UTC",
        weekly: {},
        versions: [
          {
            from: "2027-02-30",
            spec: {
              weekly: {
                mon: [
                  ["09:00", "08:00"],
                  ["10:00", "11:00"],
                ],
              },
              eves: { closeAt: "12:00" },
            },
          },
        ],
      }),
    ).toEqual([
      'versions[0].from: "2027-02-30" is not a date; use "YYYY-MM-DD"',
      'versions[0].spec.weekly.mon[1]: ["10:00", "11:00"] starts before the previous interval ["09:00", "08:00"] ends; intervals must be sorted and must not overlap',
      'versions[0].spec.weekly.mon[1]: only the last interval of a day may run past midnight; ["09:00", "08:00"] already does',
    ]);
    expect(
      issuesOf({
        zone: "UTC",
        weekly: {},
        versions: [{ from: "2027-01-01", spec: { weekly: {}, eves: { closeAt: "12:00" } } }],
      }),
    ).toEqual(["versions[0].spec.eves: eves need holidays: add a holidays source"]);
    expect(issuesOf({ zone: "UTC", weekly: {}, versions: [] })).toEqual([
      "versions: list at least one version, or leave versions out",
    ]);
  });

  it("refuses a dated entry outside the span of the rules it is in, naming the rules it belongs to", () => {
    // A date takes all its rules from the rule set in force on it, so these entries were never read.
    const spec = {
      zone: "UTC",
      weekly: weekdays("09:00", "17:00"),
      closedDates: ["2026-02-02", { date: "2026-05-01", name: "May Day" }],
      overrides: [{ date: "2026-03-02", hours: [] }],
      versions: [
        { from: "2026-03-02", spec: { weekly: weekdays("08:00", "16:00"), openDates: ["2026-09-07"] } },
        {
          from: "2026-09-07",
          spec: { weekly: weekdays("08:00", "17:00"), overrides: [{ date: "2026-06-01", hours: [] }] },
        },
      ],
    };
    const tail = "it would never apply";
    expect(issuesOf(spec)).toEqual([
      `closedDates[1]: 2026-05-01 falls in the span of versions[0] (from 2026-03-02, before 2026-09-07), not of the top-level rules (before 2026-03-02), where this entry is: ${tail}; move it to versions[0].spec.closedDates`,
      `overrides[0]: 2026-03-02 falls in the span of versions[0] (from 2026-03-02, before 2026-09-07), not of the top-level rules (before 2026-03-02), where this entry is: ${tail}; move it to versions[0].spec.overrides`,
      `versions[0].spec.openDates[0]: 2026-09-07 falls in the span of versions[1] (from 2026-09-07 on), not of versions[0] (from 2026-03-02, before 2026-09-07), where this entry is: ${tail}; move it to versions[1].spec.openDates`,
      `versions[1].spec.overrides[0]: 2026-06-01 falls in the span of versions[0] (from 2026-03-02, before 2026-09-07), not of versions[1] (from 2026-09-07 on), where this entry is: ${tail}; move it to versions[0].spec.overrides`,
    ]);
    // A member's paths and a policy's calendar say where the member's entry is.
    const member = {
      zone: "UTC",
      weekly: {},
      closedDates: ["2027-01-04"],
      versions: [{ from: "2027-01-01", spec: { weekly: {} } }],
    };
    expect(issuesOf({ anyOf: [NEW_YORK, member] })).toEqual([
      `anyOf[1].closedDates[0]: 2027-01-04 falls in the span of anyOf[1].versions[0] (from 2027-01-01 on), not of the top-level rules of anyOf[1] (before 2027-01-01), where this entry is: ${tail}; move it to anyOf[1].versions[0].spec.closedDates`,
    ]);
    let policyError: unknown;
    try {
      definePolicy({
        id: "p",
        name: "p",
        calendar: member,
        priorities: [{ id: 1, label: "a", targets: { response: { kind: "business", duration: "PT4H" } } }],
      });
    } catch (e) {
      policyError = e;
    }
    expect(policyError).toBeInstanceOf(SlaClockError);
    expect((policyError as SlaClockError).code).toBe("INVALID_POLICY_SPEC");
    expect((policyError as SlaClockError).issues.map((i) => i.path)).toEqual(["calendar.closedDates[0]"]);
    // Moved into the rules in force on their dates, the same entries are a valid spec.
    expect(
      issuesOf({
        zone: "UTC",
        weekly: weekdays("09:00", "17:00"),
        closedDates: ["2026-02-02"],
        versions: [
          {
            from: "2026-03-02",
            spec: {
              weekly: weekdays("08:00", "16:00"),
              closedDates: [{ date: "2026-05-01", name: "May Day" }],
              overrides: [
                { date: "2026-03-02", hours: [] },
                { date: "2026-06-01", hours: [] },
              ],
            },
          },
          { from: "2026-09-07", spec: { weekly: weekdays("08:00", "17:00"), openDates: ["2026-09-07"] } },
        ],
      }),
    ).toEqual([]);
  });

  it("accepts an openDates entry on the next version's first date in rules with eves: it decides the eve before it", () => {
    const rules = { weekly: weekdays("08:00", "17:00"), holidays: { country: "SE" }, eves: { closeAt: "13:00" } };
    const newYear = { from: "2027-01-01", spec: { weekly: weekdays("07:00", "19:00"), holidays: { country: "SE" } } };
    const closesEarly = createCalendar({ zone: "Europe/Stockholm", ...rules, versions: [newYear] });
    const worksNewYear = createCalendar({
      zone: "Europe/Stockholm",
      ...rules,
      openDates: ["2027-01-01"],
      versions: [newYear],
    });
    expect(closesEarly.describeDay("2026-12-31").hours).toEqual([["08:00", "13:00"]]);
    expect(worksNewYear.describeDay("2026-12-31").hours).toEqual([["08:00", "17:00"]]);
    // Without eves it decides nothing: refused as any other entry outside its span.
    expect(
      issuesOf({ zone: "Europe/Stockholm", weekly: rules.weekly, openDates: ["2027-01-01"], versions: [newYear] }),
    ).toEqual([
      "openDates[0]: 2027-01-01 falls in the span of versions[0] (from 2027-01-01 on), not of the top-level rules (before 2027-01-01), where this entry is: it would never apply; move it to versions[0].spec.openDates",
    ]);
  });

  it("refuses a listed holiday outside the span of the rules it is in, naming where it belongs", () => {
    // Each date reads the holidays of the one rule set in force on it, so these were never read.
    const listed = (...dates: string[]) => ({
      source: "list" as const,
      dates: dates.map((date) => ({ date, name: `Closure ${date}` })),
    });
    const spec = {
      zone: "UTC",
      weekly: weekdays("09:00", "17:00"),
      holidays: listed("2026-05-01", "2026-07-01"),
      versions: [
        { from: "2026-06-01", spec: { weekly: weekdays("08:00", "16:00"), holidays: { country: "SE" } } },
        // 2026-09-06 is the day before its from: no rule of this version looks back at it.
        {
          from: "2026-09-07",
          spec: { weekly: weekdays("08:00", "17:00"), holidays: listed("2026-05-29", "2026-09-06", "2026-12-25") },
        },
      ],
    };
    const tail = "it would never apply";
    expect(issuesOf(spec)).toEqual([
      `holidays.dates[1]: 2026-07-01 falls in the span of versions[0] (from 2026-06-01, before 2026-09-07), not of the top-level rules (before 2026-06-01), where this entry is: ${tail}; move it to versions[0].spec.closedDates`,
      `versions[1].spec.holidays.dates[0]: 2026-05-29 falls in the span of the top-level rules (before 2026-06-01), not of versions[1] (from 2026-09-07 on), where this entry is: ${tail}; move it to holidays.dates`,
      `versions[1].spec.holidays.dates[1]: 2026-09-06 falls in the span of versions[0] (from 2026-06-01, before 2026-09-07), not of versions[1] (from 2026-09-07 on), where this entry is: ${tail}; move it to versions[0].spec.closedDates`,
    ]);
    // The probe's calendar: a year's imported list at the top level, a version without holidays.
    const week = weekdays("09:00", "17:00");
    const imported = { zone: "Europe/Stockholm", weekly: week, holidays: listed("2026-07-01") };
    expect(issuesOf({ ...imported, versions: [{ from: "2026-06-01", spec: { weekly: week } }] })).toEqual([
      `holidays.dates[0]: 2026-07-01 falls in the span of versions[0] (from 2026-06-01 on), not of the top-level rules (before 2026-06-01), where this entry is: ${tail}; move it to versions[0].spec.closedDates`,
    ]);
    expect(
      issuesOf({ anyOf: [NEW_YORK, { ...imported, versions: [{ from: "2026-06-01", spec: { weekly: week } }] }] }),
    ).toEqual([
      `anyOf[1].holidays.dates[0]: 2026-07-01 falls in the span of anyOf[1].versions[0] (from 2026-06-01 on), not of the top-level rules of anyOf[1] (before 2026-06-01), where this entry is: ${tail}; move it to anyOf[1].versions[0].spec.closedDates`,
    ]);
    expect(
      issuesOf({
        zone: "UTC",
        weekly: week,
        versions: [{ from: "2026-06-01", spec: { weekly: week, holidays: listed("2026-05-29") } }],
      }),
    ).toEqual([
      `versions[0].spec.holidays.dates[0]: 2026-05-29 falls in the span of the top-level rules (before 2026-06-01), not of versions[0] (from 2026-06-01 on), where this entry is: ${tail}; move it to closedDates`,
    ]);
    // Moved into the version in force on its date, the closure applies.
    const moved = createCalendar({
      zone: "Europe/Stockholm",
      weekly: week,
      versions: [{ from: "2026-06-01", spec: { weekly: week, holidays: listed("2026-07-01") } }],
    });
    expect(moved.isBusinessDay("2026-07-01")).toBe(false);
  });

  it("accepts a listed holiday on the next version's first date in rules with eves: it decides the eve before it", () => {
    const newYearsDay = { source: "list" as const, dates: [{ date: "2027-01-01", name: "New Year's Day" }] };
    const newYear = { from: "2027-01-01", spec: { weekly: weekdays("07:00", "19:00"), holidays: newYearsDay } };
    const rules = { zone: "Europe/Stockholm", weekly: weekdays("08:00", "17:00"), eves: { closeAt: "13:00" } };
    const withEve = createCalendar({ ...rules, holidays: newYearsDay, versions: [newYear] });
    const withoutEve = createCalendar({ ...rules, holidays: { source: "list", dates: [] }, versions: [newYear] });
    expect(withEve.describeDay("2026-12-31").hours).toEqual([["08:00", "13:00"]]);
    expect(withoutEve.describeDay("2026-12-31").hours).toEqual([["08:00", "17:00"]]);
    expect(withEve.isBusinessDay("2027-01-01")).toBe(false);
    // Without eves it decides nothing: refused as any other entry outside its span (the version
    // in force on that date lists no such holiday).
    const newYearWithout = { ...newYear, spec: { ...newYear.spec, holidays: { source: "list" as const, dates: [] } } };
    expect(
      issuesOf({ zone: "Europe/Stockholm", weekly: rules.weekly, holidays: newYearsDay, versions: [newYearWithout] }),
    ).toEqual([
      "holidays.dates[0]: 2027-01-01 falls in the span of versions[0] (from 2027-01-01 on), not of the top-level rules (before 2027-01-01), where this entry is: it would never apply; move it to versions[0].spec.holidays.dates",
    ]);
  });
});

describe("rules shared by every version", () => {
  it("accept the same holiday list and closed dates given to each version: the copy in force is read", () => {
    // One company holiday list and one list of closed dates, spread into the top level and a version
    // that only changes the weekly hours: each date is read from the rules in force on it.
    const holidays = {
      source: "list" as const,
      dates: [
        { date: "2026-12-25", name: "Christmas Day" },
        { date: "2027-05-13", name: "Ascension Day" },
      ],
    };
    const closedDates = ["2026-11-06", { date: "2027-03-05", name: "Inventory" }];
    const shared = { weekly: weekdays("08:00", "17:00"), holidays, closedDates };
    const spec = {
      zone: "Europe/Stockholm",
      ...shared,
      versions: [{ from: "2027-01-01", spec: { ...shared, weekly: weekdays("07:00", "19:00") } }],
    };
    expect(issuesOf(spec)).toEqual([]);
    const cal = createCalendar(spec);
    for (const date of ["2026-12-25", "2027-05-13", "2026-11-06", "2027-03-05"])
      expect(cal.isBusinessDay(date), date).toBe(false);
    expect(cal.describeDay("2027-03-04").hours).toEqual([["07:00", "19:00"]]);
    // A date only the other rules list is still refused: it would never apply.
    expect(
      issuesOf({ ...spec, versions: [{ from: "2027-01-01", spec: { weekly: weekdays("07:00", "19:00"), holidays } }] }),
    ).toEqual([
      "closedDates[1]: 2027-03-05 falls in the span of versions[0] (from 2027-01-01 on), not of the top-level rules (before 2027-01-01), where this entry is: it would never apply; move it to versions[0].spec.closedDates",
    ]);
  });
});

describe("follow-the-sun: Stockholm + New York", () => {
  const followTheSun = createCalendar({ id: "fts", zone: "Europe/Stockholm", anyOf: [STOCKHOLM, NEW_YORK] });
  const bothStaffed = createCalendar({ zone: "Europe/Stockholm", allOf: [STOCKHOLM, NEW_YORK] });

  // Stockholm 08–17 local; New York 09–17 local, read in Stockholm time. The US changes clocks on
  // 2026-03-08 and 2026-11-01, Europe on 2026-03-29 and 2026-10-25: in between, the two are 5 hours
  // apart instead of 6.
  const table: [date: string, why: string, anyOf: DayHours, allOf: DayHours][] = [
    ["2026-03-02", "both on standard time (6 h apart)", [["08:00", "23:00"]], [["15:00", "17:00"]]],
    ["2026-03-09", "New York on summer time, Stockholm not (5 h)", [["08:00", "22:00"]], [["14:00", "17:00"]]],
    ["2026-03-27", "the last Friday of that gap", [["08:00", "22:00"]], [["14:00", "17:00"]]],
    ["2026-03-30", "both on summer time (6 h)", [["08:00", "23:00"]], [["15:00", "17:00"]]],
    ["2026-04-03", "Good Friday: Stockholm closed, New York open", [["15:00", "23:00"]], []],
    ["2026-04-06", "Easter Monday: Stockholm closed", [["15:00", "23:00"]], []],
    ["2026-05-25", "Memorial Day: New York closed", [["08:00", "17:00"]], []],
    ["2026-10-26", "Stockholm back on standard time, New York not (5 h)", [["08:00", "22:00"]], [["14:00", "17:00"]]],
    ["2026-10-30", "the last Friday of that gap", [["08:00", "22:00"]], [["14:00", "17:00"]]],
    ["2026-11-02", "both on standard time again (6 h)", [["08:00", "23:00"]], [["15:00", "17:00"]]],
    ["2026-03-29", "Sunday of the European change: closed", [], []],
  ];
  for (const [date, why, anyHours, allHours] of table) {
    it(`${date} (${why}): anyOf ${JSON.stringify(anyHours)}, allOf ${JSON.stringify(allHours)}`, () => {
      const union = followTheSun.describeDay(date);
      expect(union.hours).toEqual(anyHours);
      expect(union.open).toBe(anyHours.length > 0);
      expect(bothStaffed.describeDay(date).hours).toEqual(allHours);
      // describeDay of a combined calendar tells each member's own day.
      expect(union.members?.map((m) => m.date)).toEqual([date, date]);
      expect(followTheSun.isBusinessDay(date)).toBe(anyHours.length > 0);
    });
  }

  it("weeks of open time, deadlines across the weekend and the members' reasons", () => {
    const week = (monday: string) =>
      followTheSun.businessTimeBetween(`${monday}T00:00`, followTheSun.addBusinessDays(`${monday}T00:00`, 5)) / HOUR_MS;
    expect(week("2026-03-02")).toBe(75); // 5 × 15 h
    expect(week("2026-03-09")).toBe(70); // 5 × 14 h
    expect(week("2026-10-26")).toBe(70);
    expect(week("2026-11-02")).toBe(75);
    // Fri 22:30 Stockholm: New York is open until 23:00, then Monday from 08:00 in Stockholm.
    expect(followTheSun.format(followTheSun.addBusinessTime("2026-03-06T22:30", { hours: 2 }))).toBe(
      "2026-03-09T09:30:00+01:00",
    );
    expect(followTheSun.format(followTheSun.nextClose("2026-03-06T10:00"))).toBe("2026-03-06T23:00:00+01:00");
    expect(followTheSun.format(followTheSun.endOfBusinessDay("2026-03-06T10:00"))).toBe("2026-03-06T23:00:00+01:00");
    expect(followTheSun.format(followTheSun.previousOpen("2026-03-09T09:00"))).toBe("2026-03-09T08:00:00+01:00");
    expect(bothStaffed.format(bothStaffed.addBusinessTime("2026-03-06T16:00", { hours: 2 }))).toBe(
      "2026-03-09T15:00:00+01:00",
    );
    const goodFriday = followTheSun.describeDay("2026-04-03");
    expect(goodFriday.members?.[0]?.reasons.map((r) => r.kind)).toEqual(["holiday"]);
    expect(goodFriday.members?.[1]?.open).toBe(true);
    expect(followTheSun.members.map((m) => m.zone)).toEqual(["Europe/Stockholm", "America/New_York"]);
  });

  it("bulk, trace, export and a policy work on a combined calendar as on any other", () => {
    const starts = Float64Array.from([Date.parse("2026-03-06T21:30:00Z"), Date.parse("2026-03-09T12:00:00Z"), NaN]);
    const due = followTheSun.addBusinessTimeMany(starts, 2 * HOUR_MS);
    expect(Array.from(due.subarray(0, 2), (t) => iso(t))).toEqual([
      iso(followTheSun.addBusinessTime(starts[0]!, 2 * HOUR_MS)),
      iso(followTheSun.addBusinessTime(starts[1]!, 2 * HOUR_MS)),
    ]);
    expect(Number.isNaN(due[2]!)).toBe(true);
    const trace = followTheSun.trace("2026-03-06T22:30", { hours: 2 });
    expect(trace.stretches.map((s) => [s.date, s.ms / MINUTE])).toEqual([
      ["2026-03-06", 30],
      ["2026-03-09", 90],
    ]);
    expect(trace.days.map((d) => [d.date, d.status])).toEqual([
      ["2026-03-07", "closed"],
      ["2026-03-08", "closed"],
    ]);
    const exported = followTheSun.exportIndex("2026-03-02T00:00Z", "2026-03-09T00:00Z", {
      generatedAt: "2026-03-01T00:00Z",
    });
    expect(exported.identity.zone).toBe("Europe/Stockholm");
    expect(exported.intervals.rows).toBe(5);
    const policy = definePolicy({
      id: "fts",
      name: "Follow the sun",
      calendar: { zone: "Europe/Stockholm", anyOf: [STOCKHOLM, NEW_YORK] },
      priorities: [{ id: "P1", label: "Urgent", targets: { response: { kind: "business", duration: "PT2H" } } }],
    });
    expect(policy.deadline("2026-03-06T22:30", { priority: "P1" })?.toISOString()).toBe("2026-03-09T08:30:00.000Z");
    expect(JSON.parse(JSON.stringify(followTheSun)).anyOf.length).toBe(2);
  });

  it("ICS export and override import refuse a combined calendar instead of answering with no closures", async () => {
    await expect(calendarToIcs(followTheSun, "2026-04-01", "2026-04-30")).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringMatching(/^calendarToIcs: the calendar is combined.*\(calendar\.members\)$/),
    });
    const ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nEND:VCALENDAR";
    await expect(overridesFromIcs(followTheSun, ics, { from: "2026-04-01", to: "2026-04-30" })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    // Each member exports its own closures: Good Friday is Stockholm's.
    expect(await calendarToIcs(followTheSun.members[0]!, "2026-04-01", "2026-04-30")).toContain("20260403");
  });

  it("sla-clock hours reads a combined spec file: each day's why is its members' days; --format ics is a usage error", async () => {
    const dir = tempDirForTest("sla-clock-combined-");
    const file = join(dir, "fts.json");
    writeFileSync(file, JSON.stringify({ id: "fts", zone: "Europe/Stockholm", anyOf: [STOCKHOLM, NEW_YORK] }));
    const table = await cli(["hours", file, "--from", "2026-04-03", "--to", "2026-04-03"]);
    expect(table.code).toBe(0);
    expect(table.out).toContain("15:00–23:00");
    expect(table.out).toContain("sthlm: closed (holiday: långfredagen (Good Friday)); nyc: 09:00–17:00");
    const ics = await cli(["hours", file, "--from", "2026-04-01", "--to", "2026-04-30", "--format", "ics"]);
    expect(ics.code).toBe(2);
    expect(ics.err).toMatch(/--format ics: the calendar is combined/);
  });

  it("an intersection of calendars that never meet has no open time (NO_OPEN_TIME, not a hang)", () => {
    const never = createCalendar({
      allOf: [
        { zone: "UTC", weekly: { mon: [["09:00", "12:00"]] } },
        { zone: "UTC", weekly: { tue: [["09:00", "12:00"]] } },
      ],
    });
    expect(never.businessTimeBetween("2026-01-01T00:00Z", "2030-01-01T00:00Z")).toBe(0);
    expect(codeOf(() => never.addBusinessTime("2026-01-01T00:00Z", 1))).toBe("NO_OPEN_TIME");
    expect(codeOf(() => never.nextOpen("2026-01-01T00:00Z"))).toBe("NO_OPEN_TIME");
  });

  it("refuses a bad combination with the member's path", () => {
    expect(issuesOf({ anyOf: [STOCKHOLM, { ...NEW_YORK, weekly: { mon: [["9", "17:00"]] } }] })).toEqual([
      'anyOf[1].weekly.mon[0][0]: "9" is not a time of day; use "HH:mm" from "00:00" to "24:00"',
    ]);
    expect(issuesOf({ anyOf: [STOCKHOLM], allOf: [NEW_YORK] })).toEqual([
      ": give exactly one of anyOf (open while any is) or allOf (while all are)",
    ]);
    expect(issuesOf({ anyOf: [], zone: "Mars/Olympus" })).toEqual([
      'zone: "Mars/Olympus" is not an IANA time zone known to this runtime (e.g. "Europe/Stockholm")',
      "anyOf: list at least one calendar",
    ]);
    expect(issuesOf({ anyOf: [STOCKHOLM], weekly: {} })).toEqual([
      ': unknown key "weekly"; the keys here are id, name, zone, anyOf, allOf',
    ]);
    expect(issuesOf({ allOf: [{ ...STOCKHOLM, holidays: { country: "XX" } }] })).toEqual([
      'allOf[0].holidays.country: "XX" is not a country known to date-holidays (ISO 3166-1 alpha-2 such as "SE", "FI", "DK")',
    ]);
  });

  it("names a member's versions with the member's path in the message too, not only in the issue's path", () => {
    const member = {
      ...NEW_YORK,
      versions: [
        {
          from: "2027-01-01",
          spec: {
            weekly: { mon: [["22:00", "06:00"]], tue: [["05:00", "12:00"]] },
            closedDates: ["2027-05-17"],
            openDates: ["2027-05-17"],
          },
        },
        { from: "2026-01-01", spec: { weekly: {} } },
      ],
    };
    expect(issuesOf({ anyOf: [STOCKHOLM, member] })).toEqual([
      'anyOf[1].versions[0].spec.weekly.mon[0]: ["22:00", "06:00"] runs until 06:00 on tue, which overlaps anyOf[1].versions[0].spec.weekly.tue[0] ["05:00", "12:00"]',
      "anyOf[1].versions[0].spec.openDates[0]: 2027-05-17 is already given at anyOf[1].versions[0].spec.closedDates[0]; a date may appear only once among overrides, closedDates and openDates",
      "anyOf[1].versions[1].from: 2026-01-01 is not after anyOf[1].versions[0].from 2027-01-01; list versions in date order, each date once",
    ]);
  });
});

describe("a combined calendar at the ends of the supported range", () => {
  it("describes and traces the local dates just outside 1900–2200 that a supported instant falls on", () => {
    const ny = { zone: "America/New_York", weekly: { mon: [["09:00", "17:00"]] } } as const;
    const combined = createCalendar({ anyOf: [ny] });
    // 1900-01-01T00:00Z is Sunday 1899-12-31 in New York: the plain calendar describes it, so must the combination.
    expect(createCalendar(ny).describeDay("1900-01-01T00:00Z").date).toBe("1899-12-31");
    const day = combined.describeDay("1900-01-01T00:00Z");
    expect(day.date).toBe("1899-12-31");
    expect(day.members?.[0]?.date).toBe("1899-12-31");
    expect(() => combined.traceBetween("1900-01-01T00:00Z", "1900-01-03T00:00Z")).not.toThrow();
    const east = createCalendar({
      anyOf: [
        { zone: "Pacific/Kiritimati", weekly: { sat: [["00:00", "24:00"]] } },
        { zone: "UTC", weekly: { fri: [["00:00", "24:00"]] } },
      ],
    });
    expect(east.describeDay("2200-12-31T12:00Z").date).toBe("2201-01-01");
    expect(() => east.traceBetween("2200-12-31T00:00Z", "2200-12-31T20:00Z")).not.toThrow();
  });
});
