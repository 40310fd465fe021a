/**
 * The CalendarSpec features and their exact semantics (docs/semantics.md), and every validation
 * error of createCalendar with its code and message.
 */
import fc from "fast-check";
import { DateTime, Duration, FixedOffsetZone } from "luxon";
import { describe, expect, it } from "vitest";
import { SlaClockError, createCalendar, definePolicy, getPolicy, type CalendarSpec, type DayHours } from "../src/index";
import { INVALID_CALENDAR_SPECS } from "./support/invalid-specs";

const H = 3_600_000;
const ms = (iso: string) => Date.parse(iso);
const NINE_TO_FIVE: DayHours = [["09:00", "17:00"]];
const WEEKDAYS = { mon: NINE_TO_FIVE, tue: NINE_TO_FIVE, wed: NINE_TO_FIVE, thu: NINE_TO_FIVE, fri: NINE_TO_FIVE };
const ALL_DAY: DayHours = [["00:00", "24:00"]];
const EVERY_DAY = { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY };

function rejects(spec: unknown, path: string, fragment: string): void {
  let error: unknown;
  try {
    createCalendar(spec as CalendarSpec);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SlaClockError);
  const e = error as SlaClockError;
  expect(e.code).toBe("INVALID_CALENDAR_SPEC");
  expect(e.issues.some((i) => i.path === path && i.message.includes(fragment))).toBe(true);
  expect(e.message).toContain(path === "" ? fragment : `${path}: `);
  expect(e.message).toContain(fragment);
}

describe("createCalendar validation (INVALID_CALENDAR_SPEC, with path and what is allowed)", () => {
  it.each(INVALID_CALENDAR_SPECS)("rejects %s", (_what, spec, path, fragment) => {
    rejects(spec, path, fragment);
  });

  it("accepts an id and a name with characters outside the BMP (surrogate pairs), refusing only lone surrogates", () => {
    const calendar = createCalendar({ id: "desk-🚀", name: "Desk 𝔸", zone: "UTC", weekly: WEEKDAYS });
    expect(calendar.spec.id).toBe("desk-🚀");
    rejects({ id: "desk-\ud83d", zone: "UTC", weekly: WEEKDAYS }, "id", "not well-formed UTF-16");
  });

  it("rejects something that is not an object", () => {
    rejects(null, "", "expected a calendar spec object");
  });

  it("reports every problem at once", () => {
    try {
      createCalendar({ zone: "Nowhere", weekly: { mon: [["08:00", "25:00"]] }, closedDates: ["x"] } as CalendarSpec);
      expect.unreachable();
    } catch (e) {
      expect((e as SlaClockError).issues.map((i) => i.path).sort()).toEqual([
        "closedDates[0]",
        "weekly.mon[0][1]",
        "zone",
      ]);
    }
  });

  it("points at the field of an entry given in the object form of a date-or-object list", () => {
    const issuesOf = (spec: unknown): string[] => {
      try {
        createCalendar(spec as CalendarSpec);
      } catch (e) {
        return (e as SlaClockError).issues.map((i) => `${i.path}: ${i.message}`);
      }
      return [];
    };
    const base = { zone: "UTC", weekly: WEEKDAYS };
    expect(issuesOf({ ...base, closedDates: [{ date: "2026-05-15", name: 5 }] })).toEqual([
      "closedDates[0].name: expected a name (string)",
    ]);
    expect(issuesOf({ ...base, openDates: [{ date: 20260515, hours: "09-17", name: "Inventory" }] })).toEqual([
      'openDates[0].date: expected a date such as "2026-04-02"',
      'openDates[0].hours: expected a list of intervals such as [["08:00", "12:00"]]',
    ]);
    expect(
      issuesOf({
        ...base,
        versions: [{ from: "2027-01-01", spec: { weekly: {}, closedDates: [{ date: "2027-05-14", name: null }] } }],
      }),
    ).toEqual(["versions[0].spec.closedDates[0].name: expected a name (string)"]);
    expect(issuesOf({ anyOf: [{ ...base, closedDates: [{ date: "2026-05-15", name: 5 }] }] })).toEqual([
      "anyOf[0].closedDates[0].name: expected a name (string)",
    ]);
    // An entry that is neither a date nor an object is still refused as the entry, with both forms.
    expect(issuesOf({ ...base, closedDates: [5, ["2026-05-15"]] })).toEqual([
      "closedDates[0]: expected a date or { date, name }",
      "closedDates[1]: expected a date or { date, name }",
    ]);
  });
});

describe("calendar features", () => {
  it("keeps an overnight interval with the day it starts on", () => {
    const cal = createCalendar({
      zone: "Europe/Stockholm",
      weekly: { fri: [["22:00", "06:00"]] },
      closedDates: ["2026-05-09"], // the Saturday: must not touch Friday's night
    });
    expect(cal.isOpen("2026-05-09T02:00")).toBe(true);
    expect(cal.nextClose("2026-05-08T23:00").getTime()).toBe(ms("2026-05-09T06:00+02:00"));
    expect(cal.describeDay("2026-05-08").hours).toEqual([["22:00", "06:00"]]);
    expect(cal.describeDay("2026-05-08").openMs).toBe(8 * H);
    const closedFriday = createCalendar({
      zone: "Europe/Stockholm",
      weekly: { fri: [["22:00", "06:00"]] },
      closedDates: ["2026-05-08"],
    });
    expect(closedFriday.isOpen("2026-05-09T02:00")).toBe(false);
  });

  it("accepts 24:00 and treats touching intervals across midnight as one stretch", () => {
    const cal = createCalendar({ zone: "UTC", weekly: { mon: [["20:00", "24:00"]], tue: [["00:00", "04:00"]] } });
    expect(cal.isOpen("2026-05-12T00:00Z")).toBe(true);
    expect(cal.nextClose("2026-05-11T21:00Z").toISOString()).toBe("2026-05-12T04:00:00.000Z");
    expect(
      cal
        .openIntervals("2026-05-11T00:00Z", "2026-05-13T00:00Z")
        .map((i) => [i.start.toISOString(), i.end.toISOString()]),
    ).toEqual([["2026-05-11T20:00:00.000Z", "2026-05-12T04:00:00.000Z"]]);
    expect(cal.addBusinessTime("2026-05-11T23:00Z", { hours: 2 }).toISOString()).toBe("2026-05-12T01:00:00.000Z");
  });

  it("measures open time in real elapsed time on DST days", () => {
    const cal = createCalendar({ zone: "Europe/Stockholm", weekly: EVERY_DAY });
    expect(cal.describeDay("2026-03-29").openMs).toBe(23 * H);
    expect(cal.describeDay("2026-10-25").openMs).toBe(25 * H);
    expect(cal.businessTimeBetween("2026-03-29T00:00", "2026-03-30T00:00")).toBe(23 * H);
  });

  it("moves a wall time in the spring gap forward by the gap and takes the earlier offset in the autumn overlap", () => {
    const cal = createCalendar({ zone: "Europe/Stockholm", weekly: EVERY_DAY });
    expect(cal.nextOpen("2026-03-29T02:30").getTime()).toBe(ms("2026-03-29T03:30+02:00"));
    expect(cal.nextOpen("2026-10-25T02:30").getTime()).toBe(ms("2026-10-25T02:30+02:00"));
    const gap = createCalendar({ zone: "Europe/Stockholm", weekly: { sun: [["01:30", "02:30"]] } });
    // 02:30 does not exist on 2026-03-29: it becomes 03:30+02:00, so the interval holds an hour.
    expect(gap.describeDay("2026-03-29").openMs).toBe(H);
    expect(gap.describeDay("2026-03-29").intervals[0]?.end.getTime()).toBe(ms("2026-03-29T03:30+02:00"));
  });

  it("handles a DST switch at midnight (America/Santiago)", () => {
    const cal = createCalendar({ zone: "America/Santiago", weekly: EVERY_DAY });
    // 2026-09-06 00:00 does not exist in Santiago: the day starts at 01:00 (-03:00).
    expect(cal.describeDay("2026-09-06").intervals[0]?.start.toISOString()).toBe("2026-09-06T04:00:00.000Z");
    expect(cal.describeDay("2026-09-06").openMs).toBe(23 * H);
  });

  it("an unknown key says which key was likely meant and which keys there are", () => {
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    };
    expect(message(() => createCalendar({ zone: "UTC", weekly: { Mon: [] } } as never))).toBe(
      'Invalid calendar spec: weekly: unknown key "Mon" (did you mean "mon"?); the keys here are mon, tue, wed, thu, fri, sat, sun',
    );
    expect(message(() => createCalendar({ zone: "UTC", weekly: {}, holiday: { country: "SE" } } as never))).toContain(
      'unknown key "holiday" (did you mean "holidays"?); the keys here are id, name, zone, weekly, holidays,',
    );
    const policy = structuredClone(getPolicy("softone-se").spec) as unknown as {
      priorities: { targets: Record<string, unknown> }[];
    };
    policy.priorities[0]!.targets.respnse = {};
    expect(message(() => definePolicy(policy as never))).toContain(
      'priorities[0].targets: unknown key "respnse" (did you mean "response"?); the keys here are response, resolution, nextReply, periodicUpdate',
    );
  });

  it("gives a date the zone skipped no hours (Pacific/Apia, 2011-12-30)", () => {
    const cal = createCalendar({ zone: "Pacific/Apia", weekly: EVERY_DAY });
    const day = cal.describeDay("2011-12-30");
    expect(day.open).toBe(false);
    expect(day.reasons).toEqual([{ kind: "nonexistentDate" }]);
    expect(cal.businessTimeBetween("2011-12-29T00:00", "2012-01-01T00:00")).toBe(48 * H);
    expect(cal.isBusinessDay("2011-12-30")).toBe(false);
  });

  it("after a skipped date, the day's hours inside the overnight interval that ran over it are not its own (Apia)", () => {
    // Thu 2011-12-29 20:00–04:00 ends at 04:00 of the skipped Fri 12-30, which is 04:00 of Sat 12-31.
    const spec = {
      zone: "Pacific/Apia",
      weekly: { thu: [["20:00", "04:00"]], sat: [["01:00", "03:00"]], sun: [["09:00", "10:00"]] },
    } as const;
    const cal = createCalendar(spec);
    const sat = cal.describeDay("2011-12-31");
    expect(sat.open).toBe(false);
    expect(sat.openMs).toBe(0);
    expect(cal.isBusinessDay("2011-12-31")).toBe(false);
    expect(cal.businessDaysBetween("2011-12-29", "2012-01-02")).toBe(2);
    expect(cal.format(cal.addBusinessDays("2011-12-29T12:00", 1))).toBe("2012-01-01T12:00:00+14:00");
    // Partly covered: Saturday 00:00–17:00 owns 04:00–17:00 only, as the index counts it.
    const partly = createCalendar({ ...spec, weekly: { ...spec.weekly, sat: [["00:00", "17:00"]] } });
    expect(partly.describeDay("2011-12-31").openMs).toBe(13 * H);
    expect(partly.describeDay("2011-12-31").intervals[0]?.start.toISOString()).toBe("2011-12-30T14:00:00.000Z");
  });

  it("applies closed dates, open dates, overrides, eve hours and weekday rules in the documented order", () => {
    const week: DayHours = [["08:00", "16:00"]];
    const cal = createCalendar({
      zone: "Europe/Stockholm",
      weekly: { mon: week, tue: week, wed: week, thu: week, fri: week },
      holidays: { country: "SE" },
      eves: { hours: [["09:00", "12:00"]] },
      weekdayRules: [{ weekdays: ["fri"], closeAt: "11:00", name: "Early Friday" }],
      closedDates: [{ date: "2026-05-15", name: "Bridge day" }],
      openDates: ["2026-05-14", { date: "2026-06-06", hours: [["10:00", "14:00"]], name: "Inventory" }],
      overrides: [{ date: "2026-05-01", hours: [["10:00", "12:00"]], name: "Half-day May Day" }],
    });
    const d = (date: string) => cal.describeDay(date);
    expect(d("2026-05-15")).toMatchObject({ hours: [], reasons: [{ kind: "closedDate", name: "Bridge day" }] });
    expect(d("2026-05-14")).toMatchObject({ hours: [["08:00", "16:00"]], reasons: [{ kind: "openDate" }] }); // Kristi himmelsfärd, opened
    expect(d("2026-05-13").hours).toEqual([["08:00", "16:00"]]); // no eve: its holiday is open
    expect(d("2026-05-01")).toMatchObject({
      hours: [["10:00", "12:00"]],
      reasons: [{ kind: "override", name: "Half-day May Day" }],
    });
    expect(d("2026-04-30").hours).toEqual([["09:00", "12:00"]]); // eve hours replace the week's
    expect(d("2026-06-05").hours).toEqual([["08:00", "11:00"]]); // not an eve: Nationaldagen is opened
    expect(d("2026-10-30").hours).toEqual([["09:00", "11:00"]]); // eve hours, cut by the Friday rule
    expect(d("2026-06-06")).toMatchObject({
      hours: [["10:00", "14:00"]],
      reasons: [{ kind: "openDate", name: "Inventory" }],
    });
    expect(d("2026-04-04").hours).toEqual([]); // Påskafton: eve hours never open a Saturday
    expect(d("2026-05-08").hours).toEqual([["08:00", "11:00"]]);
  });

  it("on an eve, an openDates entry's own hours replace the eve's hours, and the eve's closeAt still cuts them", () => {
    const week: DayHours = [["08:00", "16:00"]];
    const base = {
      zone: "Europe/Stockholm",
      weekly: { mon: week, tue: week, wed: week, thu: week, fri: week },
      holidays: { country: "SE" },
    } as const;
    // 2026-04-30 (Thursday) is Valborgsmässoafton, the eve of Första maj.
    const openDates = [{ date: "2026-04-30", hours: [["07:00", "15:00"]] as DayHours, name: "Stocktaking" }];
    const withEveHours = createCalendar({ ...base, eves: { hours: [["09:00", "12:00"]] }, openDates });
    expect(withEveHours.describeDay("2026-04-30")).toMatchObject({
      hours: [["07:00", "15:00"]],
      reasons: [{ kind: "openDate", name: "Stocktaking" }, { kind: "eve" }],
    });
    const withCloseAt = createCalendar({ ...base, eves: { closeAt: "13:00" }, openDates });
    expect(withCloseAt.describeDay("2026-04-30").hours).toEqual([["07:00", "13:00"]]);
    // An entry without hours only opens a holiday; on an eve the eve's hours stay.
    const withoutHours = createCalendar({ ...base, eves: { hours: [["09:00", "12:00"]] }, openDates: ["2026-04-30"] });
    expect(withoutHours.describeDay("2026-04-30").hours).toEqual([["09:00", "12:00"]]);
  });

  it("takes holidays of a state and of chosen types", () => {
    const week = { mon: NINE_TO_FIVE, tue: NINE_TO_FIVE };
    expect(
      createCalendar({ zone: "Europe/Berlin", weekly: week, holidays: { country: "DE", state: "BY" } }).isBusinessDay(
        "2026-01-06",
      ),
    ).toBe(false);
    expect(
      createCalendar({ zone: "Europe/Berlin", weekly: week, holidays: { country: "DE" } }).isBusinessDay("2026-01-06"),
    ).toBe(true);
    const se = { mon: NINE_TO_FIVE, thu: NINE_TO_FIVE };
    expect(
      createCalendar({
        zone: "Europe/Stockholm",
        weekly: se,
        holidays: { country: "SE", types: ["public", "bank"] },
      }).isBusinessDay("2026-12-24"),
    ).toBe(false);
  });
});

describe("instants and durations in", () => {
  const cal = createCalendar({ zone: "Europe/Stockholm", weekly: WEEKDAYS });
  const expected = ms("2026-04-02T11:00:00+02:00");

  it("accepts a Date, epoch ms, a luxon DateTime and ISO strings with or without an offset", () => {
    const inputs = [
      new Date(expected),
      expected,
      DateTime.fromISO("2026-04-02T11:00", { zone: "Europe/Stockholm" }),
      "2026-04-02T11:00:00+02:00",
      "2026-04-02T18:00+09:00", // the same instant written in another offset
      "2026-04-02T09:00:00Z",
      "2026-04-02T11:00",
    ];
    for (const input of inputs) expect(cal.businessTimeBetween(input, expected)).toBe(0);
    expect(cal.addBusinessTime("2026-04-02", 0).getTime()).toBe(ms("2026-04-02T00:00+02:00"));
  });

  it("accepts durations as ms, ISO-8601, objects and luxon Durations, rounded to the millisecond", () => {
    const start = "2026-04-01T09:00";
    const end = ms("2026-04-01T11:30+02:00");
    for (const d of [2.5 * H, "PT2H30M", { hours: 2, minutes: 30 }, Duration.fromObject({ minutes: 150 })]) {
      expect(cal.addBusinessTime(start, d).getTime()).toBe(end);
    }
    expect(cal.addBusinessTime(start, 1.4).getTime() - ms("2026-04-01T09:00+02:00")).toBe(1);
    expect(cal.addBusinessTime(start, { hours: 1.1 }).getTime() - ms("2026-04-01T09:00+02:00")).toBe(3_960_000);
  });

  it("treats a negative duration as the other direction", () => {
    expect(cal.addBusinessTime("2026-04-07T10:00", { hours: -3 }).getTime()).toBe(
      cal.subtractBusinessTime("2026-04-07T10:00", { hours: 3 }).getTime(),
    );
    expect(cal.subtractBusinessTime("2026-04-02T16:30", -H).getTime()).toBe(ms("2026-04-03T09:30+02:00"));
  });
});

describe("errors raised by queries", () => {
  const cal = createCalendar({ zone: "Europe/Stockholm", weekly: WEEKDAYS });
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(SlaClockError);
      return [(e as SlaClockError).code, (e as SlaClockError).message];
    }
    return ["none", ""];
  };

  it.each<[string, () => unknown, string, string]>([
    ["Invalid Date", () => cal.isOpen(new Date("nope")), "INVALID_INSTANT", "t: Invalid Date"],
    ["NaN", () => cal.isOpen(Number.NaN), "INVALID_INSTANT", "not a finite number"],
    ["Infinity", () => cal.nextOpen(Infinity), "INVALID_INSTANT", "not a finite number"],
    ["a fractional epoch", () => cal.isOpen(1.5), "INVALID_INSTANT", "not a whole number"],
    ["a non-ISO string", () => cal.isOpen("next tuesday"), "INVALID_INSTANT", "is not an ISO-8601 date-time"],
    ["an invalid DateTime", () => cal.isOpen(DateTime.invalid("test")), "INVALID_INSTANT", "invalid luxon DateTime"],
    ["an object", () => cal.isOpen({} as unknown as Date), "INVALID_INSTANT", "expected a Date, epoch milliseconds"],
    ["a year before 1900", () => cal.isOpen("1899-12-31T12:00Z"), "OUT_OF_RANGE", "between 1900-01-01 and 2200-12-31"],
    ["a year after 2200", () => cal.isOpen("2201-01-01T00:00Z"), "OUT_OF_RANGE", "out of range"],
    [
      "a result after 2200",
      () => cal.addBusinessTime("2200-12-31T16:00", { hours: 2 }),
      "OUT_OF_RANGE",
      "outside the supported range",
    ],
    [
      "business days as a duration",
      () => cal.addBusinessTime(0, { days: 1 }),
      "INVALID_DURATION",
      "days have no fixed length in business time",
    ],
    [
      "months in an ISO duration",
      () => cal.addBusinessTime(0, "P1M"),
      "INVALID_DURATION",
      "months have no fixed length",
    ],
    ["a NaN duration", () => cal.addBusinessTime(0, Number.NaN), "INVALID_DURATION", "not a finite number"],
    ["a bad ISO duration", () => cal.addBusinessTime(0, "2 hours"), "INVALID_DURATION", "is not an ISO-8601 duration"],
    ["an unknown unit", () => cal.addBusinessTime(0, { hrs: 2 } as never), "INVALID_DURATION", 'unknown unit "hrs"'],
    ["a date that does not exist", () => cal.describeDay("2026-02-30"), "INVALID_DATE", "is not a calendar date"],
    ["fractional business days", () => cal.addBusinessDays(0, 1.5), "INVALID_ARGUMENT", "whole number of days"],
    [
      "a reversed range",
      () => cal.openIntervals("2026-04-02T00:00", "2026-04-01T00:00"),
      "INVALID_ARGUMENT",
      "is before",
    ],
  ])("%s → %s", (_what, fn, expectedCode, fragment) => {
    const [c, message] = code(fn);
    expect(c).toBe(expectedCode);
    expect(message).toContain(fragment);
  });

  it("ends a search in a calendar without open time with NO_OPEN_TIME", () => {
    const closed = createCalendar({ zone: "UTC", weekly: {} });
    expect(code(() => closed.addBusinessTime("2026-01-01T00:00Z", 1))[0]).toBe("NO_OPEN_TIME");
    expect(code(() => closed.nextOpen("2026-01-01T00:00Z"))[0]).toBe("NO_OPEN_TIME");
    expect(code(() => closed.subtractBusinessTime("2026-01-01T00:00Z", 1))[0]).toBe("NO_OPEN_TIME");
    expect(code(() => closed.endOfBusinessDay("2026-01-01T00:00Z"))[0]).toBe("NO_OPEN_TIME");
    expect(code(() => closed.addBusinessDays("2026-01-01T00:00Z", 1))[0]).toBe("NO_OPEN_TIME");
    expect(closed.isOpen("2026-01-01T00:00Z")).toBe(false);
    expect(closed.businessTimeBetween("2026-01-01T00:00Z", "2040-01-01T00:00Z")).toBe(0);
    expect(closed.openIntervals("2026-01-01T00:00Z", "2027-01-01T00:00Z")).toEqual([]);
  });

  it("ends nextClose on a calendar that is always open with NO_CLOSING_TIME", () => {
    const always = createCalendar({ zone: "UTC", weekly: EVERY_DAY });
    const [c, message] = code(() => always.nextClose("2026-01-01T00:00Z"));
    expect(c).toBe("NO_CLOSING_TIME");
    expect(message).toContain("open around the clock");
  });
});

describe("ISO strings with an offset", () => {
  const cal = createCalendar({ zone: "UTC", weekly: {} });
  it("read the same through the fast path as through luxon", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 11, 31) }),
        fc.integer({ min: -14 * 4, max: 14 * 4 }),
        (t, quarters) => {
          const offset = quarters * 15;
          const dt = DateTime.fromMillis(t, { zone: FixedOffsetZone.instance(offset) });
          for (const text of [dt.toISO()!, dt.toISO({ suppressMilliseconds: true })!, dt.toUTC().toISO()!]) {
            expect(cal.businessTimeBetween(text, t)).toBe(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("reject a day that does not exist; read 24:00 as the next midnight, as ISO 8601 does", () => {
    expect(() => cal.isOpen("2026-02-30T10:00:00Z")).toThrow(SlaClockError);
    expect(cal.businessTimeBetween("2026-02-28T24:00:00Z", Date.UTC(2026, 2, 1))).toBe(0);
  });
});
