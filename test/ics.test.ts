/**
 * ICS in and out (issue 17 §2): the softone-se round trip, recurrences with EXDATE, zones that
 * differ from the calendar's, and the errors.
 */
import { describe, expect, it } from "vitest";
import {
  SlaClockError,
  calendarToIcs,
  createCalendar,
  deadlineToIcs,
  getCalendar,
  getPolicy,
  holidaysFromIcs,
  overridesFromIcs,
  type CalendarSpec,
} from "../src/index";
import { event, ics } from "./support/ics";

function datesOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00Z`); t <= Date.parse(`${to}T00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const WEEKDAYS_9_17: CalendarSpec["weekly"] = {
  mon: [["09:00", "17:00"]],
  tue: [["09:00", "17:00"]],
  wed: [["09:00", "17:00"]],
  thu: [["09:00", "17:00"]],
  fri: [["09:00", "17:00"]],
};

describe("ICS round trip", () => {
  it("softone-se 2026 exported and imported as a list gives the same closed dates and hours as describeDay", async () => {
    const original = getCalendar("softone-se");
    // A month past the year: the eve of 2027-01-01 (2026-12-31) needs that holiday in the list.
    const feed = await calendarToIcs(original, "2026-01-01", "2027-01-31");
    expect(feed.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    const holidays = await holidaysFromIcs(feed, { from: "2026-01-01", to: "2027-01-31", timedEvents: "ignore" });
    const spec = original.toJSON() as CalendarSpec;
    const imported = createCalendar({ ...spec, holidays });
    const closedOf = (cal: typeof original) =>
      datesOf("2026-01-01", "2026-12-31").filter((d) => {
        const day = cal.describeDay(d);
        return !day.open && day.weeklyHours.length > 0;
      });
    expect(closedOf(imported)).toEqual(closedOf(original));
    expect(closedOf(original)).toContain("2026-12-25");
    // Eves come back too, from the listed holidays: every day's hours are the same.
    for (const d of datesOf("2026-01-01", "2026-12-31"))
      expect(imported.describeDay(d).hours, d).toEqual(original.describeDay(d).hours);

    // And without holidays or eves: the closed dates from the list, the short days from the timed events.
    const plain = createCalendar({ zone: spec.zone, weekly: spec.weekly });
    const overrides = await overridesFromIcs(plain, feed, { from: "2026-01-01", to: "2026-12-31" });
    const rebuilt = createCalendar({ zone: spec.zone, weekly: spec.weekly, holidays, overrides });
    for (const d of datesOf("2026-01-01", "2026-12-31"))
      expect(rebuilt.describeDay(d).intervals, d).toEqual(original.describeDay(d).intervals);
    expect(overrides.find((o) => o.date === "2026-12-24")).toMatchObject({ hours: [["08:00", "12:00"]] });
  });
});

describe("ICS import across a date the zone skipped", () => {
  it("a closure after the skipped date cuts the overnight interval of the date before it (Apia 2011)", async () => {
    // Thu 2011-12-29 20:00–04:00 runs over the skipped Fri 12-30 into Sat 12-31 04:00.
    const spec: CalendarSpec = {
      zone: "Pacific/Apia",
      weekly: { thu: [["20:00", "04:00"]], sat: [["09:00", "17:00"]] },
    };
    const feed = ics(
      ...event(
        "a",
        "SUMMARY:closure",
        "DTSTART;TZID=Pacific/Apia:20111231T010000",
        "DTEND;TZID=Pacific/Apia:20111231T050000",
      ),
    );
    const overrides = await overridesFromIcs(createCalendar(spec), feed, { from: "2011-12-28", to: "2012-01-01" });
    expect(overrides).toEqual([{ date: "2011-12-29", hours: [["20:00", "01:00"]], name: "closure" }]);
    const back = createCalendar({ ...spec, overrides });
    expect(back.isOpen("2011-12-31T00:30")).toBe(true);
    expect(back.isOpen("2011-12-31T01:30")).toBe(false);
  });
});

describe("ICS export of openDates", () => {
  it("an openDates entry with shorter hours is published as the stretches it loses, and reads back", async () => {
    const base: CalendarSpec = { id: "desk", zone: "Europe/Stockholm", weekly: WEEKDAYS_9_17 };
    const calendar = createCalendar({
      ...base,
      holidays: { country: "SE" },
      openDates: [
        { date: "2026-03-18", hours: [["10:00", "12:00"]], name: "Training" }, // a Wednesday: loses 09–10, 12–17
        { date: "2026-04-03", hours: [["09:00", "17:00"]] }, // Good Friday opened as usual: loses nothing
      ],
    });
    const feed = await calendarToIcs(calendar, "2026-03-16", "2026-04-06");
    expect(feed).toContain("SUMMARY:Training");
    expect(feed).toContain("DTSTART:20260318T080000Z"); // 09:00 CET
    expect(feed).toContain("DTSTART:20260318T110000Z"); // 12:00 CET
    expect(feed).not.toContain("20260403");
    const overrides = await overridesFromIcs(createCalendar(base), feed, { from: "2026-03-16", to: "2026-04-06" });
    // The timed events come back as the day's hours (the closed days are all-day events).
    expect(overrides.map((o) => [o.date, o.hours])).toEqual([["2026-03-18", [["10:00", "12:00"]]]]);
  });
});

describe("ICS round trip of overnight hours", () => {
  it("a stretch lost after midnight cuts the day before's overnight interval, not the next day's hours", async () => {
    const base: CalendarSpec = { id: "night", zone: "Europe/Stockholm", weekly: { tue: [["22:00", "06:00"]] } };
    // Tue 17 March: 23:00–05:00 instead of 22:00–06:00; it loses 22–23 Tue and 05–06 Wed.
    const calendar = createCalendar({ ...base, overrides: [{ date: "2026-03-17", hours: [["23:00", "05:00"]] }] });
    const feed = await calendarToIcs(calendar, "2026-03-14", "2026-03-25");
    const range = { from: "2026-03-14", to: "2026-03-25" };
    const overrides = await overridesFromIcs(createCalendar(base), feed, range);
    expect(overrides.map((o) => [o.date, o.hours])).toEqual([["2026-03-17", [["23:00", "05:00"]]]]);
    const back = createCalendar({ ...base, overrides });
    // Before, Wednesday's 05:00–06:00 closed nothing (Wednesday has no hours of its own): 7 h, not 6.
    expect(back.businessTimeBetween("2026-03-14T00:00", "2026-03-25T00:00")).toBe(
      calendar.businessTimeBetween("2026-03-14T00:00", "2026-03-25T00:00"),
    );
    expect(back.describeDay("2026-03-17").openMs).toBe(6 * 3_600_000);
  });
});

describe("ICS closure inside an overnight interval", () => {
  // Friday 21:00–03:00 in Stockholm (UTC+2 in June).
  const nov: CalendarSpec = { id: "nov", zone: "Europe/Stockholm", weekly: { fri: [["21:00", "03:00"]] } };
  const closure = (start: string, end: string, name = "Night maint") =>
    ics(...event(name, `SUMMARY:${name}`, `DTSTART:${start}`, `DTEND:${end}`));
  const june = { from: "2026-06-01", to: "2026-07-01" };

  it("the open time left after midnight goes to the next date, which it starts on", async () => {
    // 22:00–02:30 Stockholm: Friday keeps 21:00–22:00, Saturday 02:30–03:00.
    const overrides = await overridesFromIcs(
      createCalendar(nov),
      closure("20260619T200000Z", "20260620T003000Z"),
      june,
    );
    // Before, Friday's hours were [["21:00", "22:00"], ["26:30", "03:00"]], which createCalendar refuses.
    expect(overrides).toEqual([
      { date: "2026-06-19", hours: [["21:00", "22:00"]], name: "Night maint" },
      { date: "2026-06-20", hours: [["02:30", "03:00"]], name: "Night maint" },
    ]);
    const back = createCalendar({ ...nov, overrides });
    expect(back.isOpen("2026-06-19T21:30")).toBe(true);
    expect(back.isOpen("2026-06-20T01:00")).toBe(false);
    expect(back.isOpen("2026-06-20T02:45")).toBe(true);
    expect(back.businessTimeBetween("2026-06-19T00:00", "2026-06-21T00:00")).toBe(1.5 * 3_600_000);

    // 00:30–01:00: before, "25:00".
    const short = await overridesFromIcs(createCalendar(nov), closure("20260619T223000Z", "20260619T230000Z"), june);
    expect(short.map((o) => [o.date, o.hours])).toEqual([
      ["2026-06-19", [["21:00", "00:30"]]],
      ["2026-06-20", [["01:00", "03:00"]]],
    ]);
  });

  it("merges it with the next date's own hours, its own overnight interval and its own closures", async () => {
    const spec: CalendarSpec = {
      ...nov,
      weekly: {
        fri: [["21:00", "03:00"]],
        sat: [
          ["03:00", "06:00"],
          ["22:00", "02:00"],
        ],
      },
    };
    const calendar = createCalendar(spec);
    const feed = ics(
      ...event("a", "SUMMARY:Night maint", "DTSTART:20260619T200000Z", "DTEND:20260620T003000Z"),
      ...event("b", "SUMMARY:Backup", "DTSTART;TZID=Europe/Stockholm:20260620T230000", "DURATION:PT30M"),
    );
    const overrides = await overridesFromIcs(calendar, feed, june);
    expect(overrides).toEqual([
      { date: "2026-06-19", hours: [["21:00", "22:00"]], name: "Night maint" },
      {
        date: "2026-06-20",
        hours: [
          ["02:30", "06:00"],
          ["22:00", "23:00"],
          ["23:30", "02:00"],
        ],
        name: "Night maint; Backup",
      },
    ]);
    const back = createCalendar({ ...spec, overrides });
    // 21:00–06:00 and 22:00–02:00 (13 h) less 22:00–02:30 and 23:00–23:30.
    expect(calendar.businessTimeBetween("2026-06-19T00:00", "2026-06-22T00:00")).toBe(13 * 3_600_000);
    expect(back.businessTimeBetween("2026-06-19T00:00", "2026-06-22T00:00")).toBe(8 * 3_600_000);
  });

  it("refuses a range that ends before the date the open time belongs to, and an ambiguous wall time, rather than write a wrong override", async () => {
    const feed = closure("20260619T200000Z", "20260620T003000Z");
    const early = await overridesFromIcs(createCalendar(nov), feed, { from: "2026-06-01", to: "2026-06-19" }).catch(
      (e: unknown) => e,
    );
    expect(early).toBeInstanceOf(SlaClockError);
    expect(early).toMatchObject({ code: "INVALID_ARGUMENT" });
    expect((early as Error).message).toMatch(/2026-06-20.*options\.to|options\.to.*2026-06-20/);

    // Sat 24 October 21:00–05:00; clocks go back at 03:00 CEST on Sunday, so the open time left from
    // the second 02:30 (01:30Z) would read as the first one (00:30Z).
    const autumn: CalendarSpec = { zone: "Europe/Stockholm", weekly: { sat: [["21:00", "05:00"]] } };
    const ambiguous = await overridesFromIcs(createCalendar(autumn), closure("20261024T200000Z", "20261025T013000Z"), {
      from: "2026-10-01",
      to: "2026-10-31",
    }).catch((e: unknown) => e);
    expect(ambiguous).toMatchObject({ code: "INVALID_ICS" });
    expect(JSON.stringify((ambiguous as SlaClockError).issues)).toContain("2026-10-25");
  });
});

describe("ICS import", () => {
  it("expands an RRULE and leaves out its EXDATEs, moved and cancelled instances follow their own event", async () => {
    // Every first Monday of the month a closure day, except in May (EXDATE); the March one moved to Tuesday.
    const feed = ics(
      ...event(
        "maint",
        "SUMMARY:Maintenance day",
        "DTSTART;VALUE=DATE:20260105",
        "DTEND;VALUE=DATE:20260106",
        "RRULE:FREQ=MONTHLY;BYDAY=1MO;COUNT=12",
        "EXDATE;VALUE=DATE:20260504",
      ),
      ...event(
        "maint",
        "RECURRENCE-ID;VALUE=DATE:20260302",
        "SUMMARY:Maintenance day (moved)",
        "DTSTART;VALUE=DATE:20260303",
        "DTEND;VALUE=DATE:20260304",
      ),
      ...event(
        "maint",
        "RECURRENCE-ID;VALUE=DATE:20260706",
        "STATUS:CANCELLED",
        "SUMMARY:Maintenance day",
        "DTSTART;VALUE=DATE:20260706",
        "DTEND;VALUE=DATE:20260707",
      ),
    );
    const holidays = await holidaysFromIcs(feed, { from: "2026-01-01", to: "2026-08-31" });
    expect(holidays.dates).toEqual([
      { date: "2026-01-05", name: "Maintenance day" },
      { date: "2026-02-02", name: "Maintenance day" },
      { date: "2026-03-03", name: "Maintenance day (moved)" },
      { date: "2026-04-06", name: "Maintenance day" },
      { date: "2026-06-01", name: "Maintenance day" },
      { date: "2026-08-03", name: "Maintenance day" },
    ]);
    const cal = createCalendar({ zone: "Europe/Stockholm", weekly: WEEKDAYS_9_17, holidays });
    expect(cal.isBusinessDay("2026-05-04")).toBe(true);
    expect(cal.describeDay("2026-03-03").reasons).toEqual([
      { kind: "holiday", holidays: [{ date: "2026-03-03", name: "Maintenance day (moved)", type: "public" }] },
    ]);
  });

  it("reads a TZID other than the calendar's exactly, across both zones' DST changes, and a timed RRULE with EXDATE", async () => {
    // A weekly Wednesday stand-down 08:00–10:00 New York time. New York moves to summer time on
    // 2026-03-08, Stockholm on 2026-03-29: in between, 08:00 New York is 13:00 in Stockholm, else 14:00.
    const feed = ics(
      ...event(
        "standdown",
        "SUMMARY:Stand-down",
        "DTSTART;TZID=America/New_York:20260304T080000",
        "DTEND;TZID=America/New_York:20260304T100000",
        "RRULE:FREQ=WEEKLY;BYDAY=WE",
        "EXDATE;TZID=America/New_York:20260318T080000",
      ),
    );
    const cal = createCalendar({ zone: "Europe/Stockholm", weekly: WEEKDAYS_9_17 });
    const overrides = await overridesFromIcs(cal, feed, { from: "2026-03-01", to: "2026-04-05" });
    expect(overrides).toEqual([
      {
        date: "2026-03-04",
        hours: [
          ["09:00", "14:00"],
          ["16:00", "17:00"],
        ],
        name: "Stand-down",
      },
      {
        date: "2026-03-11",
        hours: [
          ["09:00", "13:00"],
          ["15:00", "17:00"],
        ],
        name: "Stand-down",
      },
      {
        date: "2026-03-25",
        hours: [
          ["09:00", "13:00"],
          ["15:00", "17:00"],
        ],
        name: "Stand-down",
      },
      {
        date: "2026-04-01",
        hours: [
          ["09:00", "14:00"],
          ["16:00", "17:00"],
        ],
        name: "Stand-down",
      },
    ]);
    const withOverrides = createCalendar({ ...cal.toJSON(), overrides });
    expect(withOverrides.isOpen("2026-03-11T12:30Z")).toBe(false); // 08:30 New York
    expect(withOverrides.isOpen("2026-03-18T12:30Z")).toBe(true); // the EXDATE
    // The same with "hours": the events are the day's hours.
    const shifts = await overridesFromIcs(cal, feed, { from: "2026-03-10", to: "2026-03-12", timed: "hours" });
    expect(shifts).toEqual([{ date: "2026-03-11", hours: [["13:00", "15:00"]], name: "Stand-down" }]);
  });

  it("reads a TZID defined only by the feed's VTIMEZONE (a Windows zone name)", async () => {
    const feed = ics(
      "BEGIN:VTIMEZONE",
      "TZID:W. Europe Standard Time",
      "BEGIN:STANDARD",
      "DTSTART:16011028T030000",
      "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
      "TZOFFSETFROM:+0200",
      "TZOFFSETTO:+0100",
      "END:STANDARD",
      "BEGIN:DAYLIGHT",
      "DTSTART:16010325T020000",
      "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
      "TZOFFSETFROM:+0100",
      "TZOFFSETTO:+0200",
      "END:DAYLIGHT",
      "END:VTIMEZONE",
      ...event(
        "w",
        "SUMMARY:Team day",
        "DTSTART;TZID=W. Europe Standard Time:20260610T090000",
        "DTEND;TZID=W. Europe Standard Time:20260610T120000",
      ),
    );
    const cal = createCalendar({ zone: "Europe/London", weekly: WEEKDAYS_9_17 });
    const overrides = await overridesFromIcs(cal, feed, { from: "2026-06-01", to: "2026-06-30" });
    expect(overrides).toEqual([{ date: "2026-06-10", hours: [["11:00", "17:00"]], name: "Team day" }]);
  });

  it("refuses, with INVALID_ICS naming the event, what it cannot read exactly", async () => {
    const reject = async (p: Promise<unknown>, fragment: string) => {
      const error = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SlaClockError);
      expect((error as SlaClockError).code).toBe("INVALID_ICS");
      expect((error as SlaClockError).message).toContain(fragment);
    };
    const range = { from: "2026-01-01", to: "2026-12-31" };
    await reject(holidaysFromIcs("hello", range), "not iCalendar text");
    await reject(
      holidaysFromIcs(ics(...event("t", "SUMMARY:Call", "DTSTART:20260105T100000Z", "DTEND:20260105T110000Z")), range),
      "Call: is a timed event",
    );
    await reject(
      holidaysFromIcs(
        ics(...event("z", "DTSTART;TZID=Mars/Base:20260105T100000", "DTEND;TZID=Mars/Base:20260105T110000")),
        {
          ...range,
          timedEvents: "ignore",
        },
      ),
      'TZID "Mars/Base"',
    );
    await reject(
      holidaysFromIcs(ics(...event("r", "DTSTART:20260101T000000Z", "DTEND:20260101T000100Z", "RRULE:FREQ=MINUTELY")), {
        ...range,
        timedEvents: "ignore",
      }),
      "recurs more than",
    );
    const cal = createCalendar({ zone: "Europe/Stockholm", weekly: WEEKDAYS_9_17 });
    await reject(
      overridesFromIcs(
        cal,
        ics(...event("s", "SUMMARY:Odd", "DTSTART:20260105T100030Z", "DTEND:20260105T110000Z")),
        range,
      ),
      "between whole minutes",
    );
    const error = await holidaysFromIcs(ics(), { from: "2026-02-01", to: "2026-01-01" }).catch((e: unknown) => e);
    expect((error as SlaClockError).code).toBe("INVALID_ARGUMENT");
  });
});

describe("ICS recurrence ends", () => {
  const cal = createCalendar({ zone: "Europe/Stockholm", weekly: WEEKDAYS_9_17 });
  const march = { from: "2026-03-01", to: "2026-03-31" };
  const datesOfSeries = async (...lines: string[]) =>
    (await overridesFromIcs(cal, ics(...event("s", "SUMMARY:Standup", ...lines)), march)).map((o) => o.date);
  /** The dates of an all-day series (its DTSTART and rule lines) that holidaysFromIcs lists. */
  const allDayDates = async (range: { from: string; to: string }, ...lines: string[]) =>
    (await holidaysFromIcs(ics(...event("y", "SUMMARY:Yearly", ...lines)), range)).dates.map((d) => d.date);

  it("reads an RRULE's UNTIL in UTC as the instant it is, for a series in an IANA TZID without a VTIMEZONE", async () => {
    // Mondays 09:00 Stockholm (08:00Z in winter): UNTIL is the fourth instance itself, which counts.
    expect(
      await datesOfSeries(
        "DTSTART;TZID=Europe/Stockholm:20260302T090000",
        "DTEND;TZID=Europe/Stockholm:20260302T100000",
        "RRULE:FREQ=WEEKLY;UNTIL=20260323T080000Z",
      ),
    ).toEqual(["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"]);
    // Mondays 08:30 New York (12:30Z on 23 March): UNTIL 10:00Z is before the fourth.
    expect(
      await datesOfSeries(
        "DTSTART;TZID=America/New_York:20260302T083000",
        "DTEND;TZID=America/New_York:20260302T093000",
        "RRULE:FREQ=WEEKLY;UNTIL=20260323T100000Z",
      ),
    ).toEqual(["2026-03-02", "2026-03-09", "2026-03-16"]);
  });

  it("expands a yearly rule from 29 February to leap years only, counting only those, and a monthly one from the 31st to months that have it", async () => {
    const datesOfRule = (start: string, rule: string, range = { from: "2024-01-01", to: "2033-12-31" }) =>
      allDayDates(range, start, rule);
    const leapDays = ["2024-02-29", "2028-02-29", "2032-02-29"];
    // ical.js gave 1 March in the other years (RFC 5545, 3.3.10: an invalid date is not an instance).
    expect(await datesOfRule("DTSTART;VALUE=DATE:20240229", "RRULE:FREQ=YEARLY")).toEqual(leapDays);
    expect(await datesOfRule("DTSTART;VALUE=DATE:20240229", "RRULE:FREQ=YEARLY;COUNT=3")).toEqual(leapDays);
    expect(await datesOfRule("DTSTART;VALUE=DATE:20240229", "RRULE:FREQ=YEARLY;BYMONTH=2;COUNT=3")).toEqual(leapDays);
    const timed = await overridesFromIcs(
      cal,
      ics(
        ...event(
          "leap",
          "DTSTART;TZID=Europe/Stockholm:20240229T100000",
          "DTEND;TZID=Europe/Stockholm:20240229T110000",
          "RRULE:FREQ=YEARLY;COUNT=2",
        ),
      ),
      { from: "2024-01-01", to: "2033-12-31" },
    );
    expect(timed.map((o) => o.date)).toEqual(["2024-02-29", "2028-02-29"]);
    expect(await datesOfRule("DTSTART;VALUE=DATE:20260131", "RRULE:FREQ=MONTHLY;COUNT=4")).toEqual([
      "2026-01-31",
      "2026-03-31",
      "2026-05-31",
      "2026-07-31",
    ]);
  });

  it("expands a yearly rule that lists months to the real dates of the day DTSTART gives, counting only those, with DTSTART first", async () => {
    const datesOfRule = (start: string, ...lines: string[]) =>
      allDayDates({ from: "2024-01-01", to: "2029-12-31" }, start, ...lines);
    // ical.js gave 1 March in common years (RFC 5545, 3.3.10: an invalid date is not an instance).
    expect(await datesOfRule("DTSTART;VALUE=DATE:20240229", "RRULE:FREQ=YEARLY;BYMONTH=2,3")).toEqual([
      "2024-02-29",
      "2024-03-29",
      "2025-03-29",
      "2026-03-29",
      "2027-03-29",
      "2028-02-29",
      "2028-03-29",
      "2029-03-29",
    ]);
    expect(await datesOfRule("DTSTART;VALUE=DATE:20240229", "RRULE:FREQ=YEARLY;BYMONTH=2,3;COUNT=4")).toEqual([
      "2024-02-29",
      "2024-03-29",
      "2025-03-29",
      "2026-03-29",
    ]);
    // COUNT counts the rule's instances before EXDATE takes one out (RFC 5545, 3.8.5.1).
    expect(
      await datesOfRule(
        "DTSTART;VALUE=DATE:20240229",
        "RRULE:FREQ=YEARLY;BYMONTH=2,3;COUNT=4",
        "EXDATE;VALUE=DATE:20240329",
      ),
    ).toEqual(["2024-02-29", "2025-03-29", "2026-03-29"]);
    expect(
      await datesOfRule("DTSTART;VALUE=DATE:20240229", "RRULE:FREQ=YEARLY;INTERVAL=2;BYMONTH=2,3;COUNT=5"),
    ).toEqual(["2024-02-29", "2024-03-29", "2026-03-29", "2028-02-29", "2028-03-29"]);
    // February before March: a February without the 29th must not stop the next January.
    expect(await datesOfRule("DTSTART;VALUE=DATE:20240129", "RRULE:FREQ=YEARLY;BYMONTH=1,2;COUNT=7")).toEqual([
      "2024-01-29",
      "2024-02-29",
      "2025-01-29",
      "2026-01-29",
      "2027-01-29",
      "2028-01-29",
      "2028-02-29",
    ]);
    // Days written in the rule are checked the same way.
    expect(
      await datesOfRule("DTSTART;VALUE=DATE:20240330", "RRULE:FREQ=YEARLY;BYMONTH=3,4;BYMONTHDAY=30,31;COUNT=5"),
    ).toEqual(["2024-03-30", "2024-03-31", "2024-04-30", "2025-03-30", "2025-03-31"]);
    // April has no 31st: the rule has no instance, and DTSTART is the only one (ical.js gave 1 May
    // every year, without 31 January).
    expect(await datesOfRule("DTSTART;VALUE=DATE:20240131", "RRULE:FREQ=YEARLY;BYMONTH=4")).toEqual(["2024-01-31"]);
    expect(await datesOfRule("DTSTART;VALUE=DATE:20240131", "RRULE:FREQ=YEARLY;BYMONTH=4;COUNT=3")).toEqual([
      "2024-01-31",
    ]);
    // DTSTART on a day the rule does not give is still the first instance, and counts for COUNT.
    expect(await datesOfRule("DTSTART;VALUE=DATE:20240115", "RRULE:FREQ=YEARLY;BYMONTH=4;COUNT=3")).toEqual([
      "2024-01-15",
      "2024-04-15",
      "2025-04-15",
    ]);
    // A timed series keeps its time of day: 10:00–11:00 Stockholm on each real date.
    const timed = await overridesFromIcs(
      cal,
      ics(
        ...event(
          "y",
          "DTSTART;TZID=Europe/Stockholm:20240131T100000",
          "DTEND;TZID=Europe/Stockholm:20240131T110000",
          "RRULE:FREQ=YEARLY;BYMONTH=1,4,5;COUNT=3",
        ),
      ),
      { from: "2024-01-01", to: "2029-12-31" },
    );
    expect(timed).toEqual(
      ["2024-01-31", "2024-05-31", "2025-01-31"].map((date) => ({
        date,
        name: "Closed",
        hours: [
          ["09:00", "10:00"],
          ["11:00", "17:00"],
        ],
      })),
    );
  });

  it("refuses an UNTIL of another value type than DTSTART's (a date for a date-time, or the reverse)", async () => {
    const cases: [string[], string][] = [
      [
        ["DTSTART;TZID=Europe/Stockholm:20260302T090000", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;UNTIL=20260323"],
        "RRULE: UNTIL must be a date-time, as DTSTART is",
      ],
      [
        ["DTSTART;VALUE=DATE:20260302", "RRULE:FREQ=WEEKLY;UNTIL=20260323T000000Z"],
        "RRULE: UNTIL must be a date, as DTSTART is",
      ],
    ];
    for (const [lines, message] of cases) {
      const error = await overridesFromIcs(cal, ics(...event("s", ...lines)), march).catch((e: unknown) => e);
      expect(error, lines.join(" ")).toBeInstanceOf(SlaClockError);
      expect((error as SlaClockError).code).toBe("INVALID_ICS");
      expect((error as SlaClockError).message).toContain(`VEVENT[0] (UID s) ${message}`);
    }
  });

  it("refuses an RRULE with both UNTIL and COUNT (RFC 5545, 3.3.10: they must not both occur)", async () => {
    const cases: string[][] = [
      ["DTSTART;VALUE=DATE:20260302", "RRULE:FREQ=WEEKLY;UNTIL=20260323;COUNT=2"],
      ["DTSTART:20260302T090000Z", "DTEND:20260302T100000Z", "RRULE:FREQ=DAILY;COUNT=10;UNTIL=20260305T090000Z"],
    ];
    for (const lines of cases) {
      const error = await overridesFromIcs(cal, ics(...event("s", ...lines)), march).catch((e: unknown) => e);
      expect(error, lines.join(" ")).toBeInstanceOf(SlaClockError);
      expect((error as SlaClockError).code).toBe("INVALID_ICS");
      expect((error as SlaClockError).message).toContain("VEVENT[0] (UID s) RRULE: must not have both UNTIL and COUNT");
    }
  });
});

describe("ICS durations", () => {
  const ALL_DAY: [string, string][] = [["00:00", "24:00"]];
  const around = createCalendar({
    zone: "Europe/Stockholm",
    weekly: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
  });
  /** The Stockholm hours left on each date of the weekend of the spring change (29 March 2026). */
  const hoursLeft = async (...lines: string[]) =>
    Object.fromEntries(
      (await overridesFromIcs(around, ics(...event("d", ...lines)), { from: "2026-03-27", to: "2026-03-31" })).map(
        (o) => [o.date, o.hours.map(([s, e]) => `${s}-${e}`).join(",")],
      ),
    );

  it("refuses an event with both DTEND and DURATION, and an all-day DURATION that is not whole days", async () => {
    const cases: [string[], string][] = [
      [
        ["DTSTART:20260302T100000Z", "DTEND:20260302T110000Z", "DURATION:PT5H"],
        "VEVENT[0] (UID d) DURATION: must not be given with DTEND",
      ],
      [
        ["DTSTART;VALUE=DATE:20260302", "DTEND;VALUE=DATE:20260303", "DURATION:P3D"],
        "VEVENT[0] (UID d) DURATION: must not be given with DTEND",
      ],
      [
        ["DTSTART;VALUE=DATE:20260302", "DURATION:PT36H"],
        'VEVENT[0] (UID d) DURATION: "PT36H" is not in days or weeks',
      ],
      [["DTSTART;VALUE=DATE:20260302", "DURATION:P1DT1H"], 'DURATION: "P1DT1H" is not in days or weeks'],
      // Whole days in hours too: RFC 5545 allows days and weeks only, and ical.js read it as one day.
      [["DTSTART;VALUE=DATE:20260302", "DURATION:PT48H"], 'DURATION: "PT48H" is not in days or weeks'],
    ];
    for (const [lines, message] of cases) {
      const error = await holidaysFromIcs(ics(...event("d", ...lines)), {
        from: "2026-03-01",
        to: "2026-03-31",
        timedEvents: "ignore",
      }).catch((e: unknown) => e);
      expect(error, lines.join(" ")).toBeInstanceOf(SlaClockError);
      expect((error as SlaClockError).code).toBe("INVALID_ICS");
      expect((error as SlaClockError).message).toContain(message);
    }
    for (const duration of ["DURATION:P2D", "DURATION:P1W"])
      expect(
        (
          await holidaysFromIcs(ics(...event("d", "SUMMARY:Off", "DTSTART;VALUE=DATE:20260302", duration)), {
            from: "2026-03-01",
            to: "2026-03-31",
          })
        ).dates.length,
        duration,
      ).toBe(duration === "DURATION:P2D" ? 2 : 7);
  });

  it("reads days and weeks of a DURATION as nominal (the same wall time), hours as exact, across a DST change", async () => {
    // Noon Saturday to noon Sunday is 23 hours in Stockholm on 28–29 March 2026.
    const noonToNoon = { "2026-03-28": "00:00-12:00", "2026-03-29": "12:00-24:00" };
    expect(await hoursLeft("DTSTART;TZID=Europe/Stockholm:20260328T120000", "DURATION:P1D")).toEqual(noonToNoon);
    expect(await hoursLeft("DTSTART:20260328T120000", "DURATION:P1D")).toEqual(noonToNoon); // floating
    expect(await hoursLeft("DTSTART;TZID=Europe/Stockholm:20260328T120000", "DURATION:PT24H")).toEqual({
      "2026-03-28": "00:00-12:00",
      "2026-03-29": "13:00-24:00",
    });
    expect(await hoursLeft("DTSTART;TZID=Europe/Stockholm:20260328T120000", "DURATION:P1DT1H")).toEqual({
      "2026-03-28": "00:00-12:00",
      "2026-03-29": "13:00-24:00",
    });
    expect(await hoursLeft("DTSTART;TZID=Europe/Stockholm:20260322T120000", "DURATION:P1W")).toMatchObject({
      "2026-03-29": "12:00-24:00",
    });
    // An RDATE period's duration the same way: its day nominal, its hours exact.
    expect(
      await hoursLeft(
        "DTSTART;TZID=Europe/Stockholm:20260327T120000",
        "DURATION:PT1H",
        "RDATE;VALUE=PERIOD;TZID=Europe/Stockholm:20260328T120000/PT24H",
      ),
    ).toEqual({ "2026-03-27": "00:00-12:00,13:00-24:00", "2026-03-28": "00:00-12:00", "2026-03-29": "13:00-24:00" });
  });
});

describe("ICS bytes", () => {
  it("reads a feed given as bytes, undoing folds on the octets, so a fold inside a character is read right", async () => {
    const bytes = new TextEncoder().encode(
      ics(...event("g", "SUMMARY:Stängt i Göteborg", "DTSTART;VALUE=DATE:20260720", "DTEND;VALUE=DATE:20260721")),
    );
    // RFC 5545 folds after 75 octets: here between the two octets of "ö" (C3 B6), and with a tab.
    const at = bytes.indexOf(0xb6);
    const folded = new Uint8Array([...bytes.subarray(0, at), 0x0d, 0x0a, 0x09, ...bytes.subarray(at)]);
    const range = { from: "2026-07-01", to: "2026-07-31" };
    expect((await holidaysFromIcs(folded, range)).dates).toEqual([{ date: "2026-07-20", name: "Stängt i Göteborg" }]);
    const cal = createCalendar({ zone: "Europe/Stockholm", weekly: WEEKDAYS_9_17 });
    expect(await overridesFromIcs(cal, folded, range)).toEqual([]);
  });
});

describe("ICS export", () => {
  it("lists closed days as all-day events and short days as the stretches they lose, with their reasons", async () => {
    const feed = await calendarToIcs(getCalendar("softone-se"), "2026-12-23", "2026-12-27");
    const unfolded = feed.replace(/\r\n[ \t]/g, "");
    expect(unfolded).toContain("DTSTART;VALUE=DATE:20261225\r\nDTEND;VALUE=DATE:20261226\r\nSUMMARY:juldagen");
    // Julafton is the eve of juldagen: it loses 13:00–16:00 Stockholm (12:00Z–15:00Z).
    expect(unfolded).toContain("DTSTART:20261224T120000Z\r\nDTEND:20261224T150000Z\r\nSUMMARY:Eve of juldagen");
    // Weekday rules are the ordinary week: softone-fi's Fridays are not listed.
    const fi = await calendarToIcs(getCalendar("softone-fi"), "2026-06-01", "2026-06-07");
    expect(fi).not.toContain("BEGIN:VEVENT");
  });

  it("writes text values RFC 5545 allows: escaped (X-WR-CALNAME too), no control characters, lines of at most 75 octets", async () => {
    const ICAL = (await import("ical.js")).default;
    const calendar = createCalendar({
      id: "f",
      name: "Desk\r\nX-INJECTED:yes; a,b\\c",
      zone: "UTC",
      weekly: { mon: [["08:00", "17:00"]] },
      holidays: {
        source: "list",
        dates: [
          { date: "2026-06-22", name: `${"a".repeat(150)}${"ö".repeat(40)}` },
          { date: "2026-06-29", name: "ctl\u0001\u001b[31mred\u007f\rX-EVIL:2" },
        ],
      },
    });
    const feed = await calendarToIcs(calendar, "2026-06-22", "2026-06-29");
    const deadline = await deadlineToIcs({
      uid: "T-2\r\nX-EVIL:1",
      at: new Date("2026-04-02T10:00Z"),
      summary: "ctl\u0001\u0007\rX-EVIL:3",
      description: "line2\r\nline3",
    });
    for (const text of [feed, deadline]) {
      // Every line, a continuation's leading space included, fits 75 octets (ical.js wrote 76).
      expect(Math.max(...text.split("\r\n").map((line) => Buffer.byteLength(line)))).toBeLessThanOrEqual(75);
      // eslint-disable-next-line no-control-regex -- the point: no control character but CRLF
      expect(text.replace(/\r\n/g, "")).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f]/);
      const root = new ICAL.Component(ICAL.parse(text) as unknown[]);
      const names = [root, ...root.getAllSubcomponents("vevent")].flatMap((c) =>
        c.getAllProperties().map((p) => p.name),
      );
      expect(names.filter((n) => n.startsWith("x-") && n !== "x-wr-calname")).toEqual([]);
    }
    const root = new ICAL.Component(ICAL.parse(feed) as unknown[]);
    expect(root.getFirstPropertyValue("x-wr-calname")).toBe("Desk\nX-INJECTED:yes; a,b\\c");
    // The names read back as written, but a CR as a line break and other controls as U+FFFD.
    const back = await holidaysFromIcs(feed, { from: "2026-06-22", to: "2026-06-29" });
    expect(back.dates.map((d) => d.name)).toEqual([
      `${"a".repeat(150)}${"ö".repeat(40)}`,
      "ctl\uFFFD\uFFFD[31mred\uFFFD\nX-EVIL:2",
    ]);
  });

  it("writes one ticket's deadline as an event that a calendar reads back at the same instant", async () => {
    const policy = getPolicy("softone-se");
    const at = policy.deadline("2026-04-02T11:00", { priority: 3 })!;
    const feed = await deadlineToIcs({
      uid: "T-7-resolution@example.com",
      at,
      summary: "T-7: resolution due",
      description:
        "softone-se, priority 3; a long line that the writer folds at 75 octets, as RFC 5545 asks, and a comma",
    });
    const ICAL = (await import("ical.js")).default;
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(feed) as unknown[]).getFirstSubcomponent("vevent")!);
    expect(event.startDate.toJSDate().getTime()).toBe(at.getTime());
    expect(event.summary).toBe("T-7: resolution due");
    expect(event.description).toContain("and a comma");
    expect(event.uid).toBe("T-7-resolution@example.com");
    const error = await deadlineToIcs({ uid: "x", at: new Date(Number.NaN), summary: "s" }).catch((e: unknown) => e);
    expect((error as SlaClockError).message).toContain("deadline.at must be a valid Date");
  });

  it("refuses instants and dates outside the supported years 1900–2200 with OUT_OF_RANGE, as the rest of the library", async () => {
    for (const at of [
      new Date("0099-01-01T00:00:00Z"),
      new Date("1899-12-31T23:59:59Z"),
      new Date("2201-01-01T00:00:00Z"),
    ]) {
      const error = await deadlineToIcs({ uid: "x", at, summary: "s" }).catch((e: unknown) => e);
      expect(error, at.toISOString()).toBeInstanceOf(SlaClockError);
      expect((error as SlaClockError).code).toBe("OUT_OF_RANGE");
      expect((error as SlaClockError).message).toContain("deadline.at");
    }
    expect(await deadlineToIcs({ uid: "x", at: new Date("2200-12-31T23:59:59Z"), summary: "s" })).toContain(
      "DTSTART:22001231T235959Z",
    );
    const feed = ics(...event("far", "SUMMARY:Far", "DTSTART;VALUE=DATE:99990104"));
    const cal = createCalendar({ zone: "UTC", weekly: WEEKDAYS_9_17 });
    for (const [from, to, field] of [
      ["9999-01-01", "9999-12-31", "options.from"],
      ["2200-12-01", "2201-01-31", "options.to"],
      ["0099-01-01", "2026-01-01", "options.from"],
    ] as const) {
      for (const call of [() => holidaysFromIcs(feed, { from, to }), () => overridesFromIcs(cal, feed, { from, to })]) {
        const error = await call().catch((e: unknown) => e);
        expect(error, `${from} ${to}`).toBeInstanceOf(SlaClockError);
        expect((error as SlaClockError).code).toBe("OUT_OF_RANGE");
        expect((error as SlaClockError).message).toContain(`${field}: "`);
        expect((error as SlaClockError).message).toContain("outside the supported years 1900–2200");
      }
    }
    const error = await calendarToIcs(cal, "2200-12-25", "2201-01-10").catch((e: unknown) => e);
    expect((error as SlaClockError).code).toBe("OUT_OF_RANGE");
  });

  it("writes the DTSTAMP given as stamp and a deadline's SEQUENCE, so a re-export reads as a newer revision; by default the same bytes", async () => {
    const due = { uid: "T-7-response@example.com", at: new Date("2026-04-08T10:00:00Z"), summary: "T-7: response due" };
    // Without them the output stays byte for byte what it was: users and tests diff it.
    expect(await deadlineToIcs(due)).toBe(
      [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//sla-clock//deadline//EN",
        "BEGIN:VEVENT",
        "UID:T-7-response@example.com",
        "DTSTAMP:20000101T000000Z",
        "DTSTART:20260408T100000Z",
        "SUMMARY:T-7: response due",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
      ].join("\r\n"),
    );
    // The deadline moved: same UID, a later DTSTART, a higher SEQUENCE and a later DTSTAMP (RFC 5546).
    const moved = await deadlineToIcs(
      { ...due, at: new Date("2026-04-09T10:00:00Z"), sequence: 1 },
      { stamp: new Date("2026-04-03T08:15:30.750Z") },
    );
    expect(moved).toContain("UID:T-7-response@example.com\r\nDTSTAMP:20260403T081530Z\r\n");
    expect(moved).toContain("DTSTART:20260409T100000Z\r\nSEQUENCE:1\r\n");
    expect(await deadlineToIcs({ ...due, sequence: 0 })).toContain("SEQUENCE:0\r\n");
    const cal = getCalendar("softone-se");
    const stamped = await calendarToIcs(cal, "2026-12-23", "2026-12-27", { stamp: new Date("2026-11-30T12:00:00Z") });
    const stamps = stamped.match(/^DTSTAMP:.*$/gm) ?? [];
    expect(stamps.length).toBeGreaterThan(1);
    expect(new Set(stamps)).toEqual(new Set(["DTSTAMP:20261130T120000Z"]));
    expect(await calendarToIcs(cal, "2026-12-23", "2026-12-27")).toBe(
      stamped.replaceAll("DTSTAMP:20261130T120000Z", "DTSTAMP:20000101T000000Z"),
    );

    const refused = async (call: () => Promise<string>, code: string, message: string) => {
      const error = await call().catch((e: unknown) => e);
      expect(error, message).toBeInstanceOf(SlaClockError);
      expect((error as SlaClockError).code, message).toBe(code);
      expect((error as SlaClockError).message).toContain(message);
    };
    for (const stamp of ["2026-04-03T08:15:30Z", Date.parse("2026-04-03T08:15:30Z"), new Date(Number.NaN), null]) {
      const options = { stamp } as unknown as { stamp: Date };
      await refused(() => deadlineToIcs(due, options), "INVALID_ARGUMENT", "options.stamp must be a valid Date");
      await refused(() => calendarToIcs(cal, "2026-12-23", "2026-12-27", options), "INVALID_ARGUMENT", "options.stamp");
    }
    await refused(
      () => deadlineToIcs(due, { stamp: new Date("2201-01-01T00:00:00Z") }),
      "OUT_OF_RANGE",
      "options.stamp: 2201-01-01T00:00:00",
    );
    for (const sequence of [-1, 1.5, Number.NaN, 2 ** 31, "2"])
      await refused(
        () => deadlineToIcs({ ...due, sequence } as unknown as typeof due),
        "INVALID_ARGUMENT",
        "deadline.sequence must be a whole number from 0 to 2147483647",
      );
    await refused(
      () => deadlineToIcs(due, { stamps: new Date() } as unknown as { stamp: Date }),
      "INVALID_ARGUMENT",
      'unknown option "stamps" (did you mean "stamp"?); the options are prodId, name, stamp',
    );
  });

  it("does not load ical.js until an ICS function is called", async () => {
    const { readFileSync } = await import("node:fs");
    const source = readFileSync(new URL("../src/calendar/ics.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/^import (?!type)[^;]*from "ical\.js"/m);
    expect(source).toContain('await import("ical.js")');
  });
});
