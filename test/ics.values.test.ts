/**
 * ICS import reads every date and time exactly or refuses it: values RFC 5545 does not allow,
 * times in another zone than the series' (RDATE, EXDATE, RECURRENCE-ID), RDATE periods, moved
 * instances far from their slot or without their series, and feeds of several VCALENDARs. Each of
 * these closed the wrong dates or hours without a word, or threw a plain Error, before.
 */
import { describe, expect, it } from "vitest";
import { createCalendar, holidaysFromIcs, overridesFromIcs, type CalendarSpec } from "../src/index";
import { rejected as thrown } from "./support/errors";
import { event as anEvent, ics } from "./support/ics";

/** An event of the feed, named "Closed" (a SUMMARY) unless it says otherwise. */
const event = (uid: string, ...lines: string[]): string[] => anEvent(uid, "SUMMARY:Closed", ...lines);
const JANUARY = { from: "2026-01-01", to: "2026-01-31" };
const YEAR = { from: "2026-01-01", to: "2026-12-31" };
const ALL_DAY: [string, string][] = [["00:00", "24:00"]];
/** Open around the clock in UTC: an override's hours are the closure's UTC times. */
const utc = createCalendar({
  zone: "UTC",
  weekly: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
} satisfies CalendarSpec);

/** The closed UTC stretches of each date: the override's hours read back. */
async function closures(text: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const o of await overridesFromIcs(utc, text, JANUARY)) {
    const hours = o.hours.map(([s, e]) => `${s}-${e}`);
    out[o.date] = hours.length === 2 ? `${(hours[0] as string).slice(6)}-${(hours[1] as string).slice(0, 5)}` : "?";
  }
  return out;
}

async function closedDates(text: string, range = YEAR): Promise<string[]> {
  return (await holidaysFromIcs(text, range)).dates.map((d) => d.date);
}

describe("ICS values", () => {
  it("refuses dates and times that are not on the calendar or the clock, instead of rolling them over", async () => {
    const cases: [string[], string][] = [
      [["DTSTART;VALUE=DATE:20260230"], 'DTSTART: "20260230" is not a date of the calendar'],
      [["DTSTART:20260105"], 'DTSTART: "20260105" is not a date-time'],
      [["DTSTART:2026010"], 'DTSTART: "2026010" is not a date-time'],
      [["DTSTART:20260105T106000", "DTEND:20260105T120000"], 'DTSTART: "20260105T106000" is not a time of day'],
      [["DTSTART:20260105T250000", "DTEND:20260105T260000"], 'DTSTART: "20260105T250000" is not a time of day'],
      [["DTSTART:20261231T235960Z", "DTEND:20270101T010000Z"], "a leap second is not placed"],
      [["DTSTART;VALUE=DATE:20260105", "RRULE:FREQ=DAILY;UNTIL=20261399"], 'RRULE: UNTIL "20261399" is not a date'],
      [["DTSTART;VALUE=DATE:20260105", "RRULE:FREQ=DAILY;COUNT=3", "EXDATE;VALUE=DATE:20260132"], "EXDATE"],
      [["DTSTART;VALUE=DATE:20260105", "DTEND:20260107T000000"], "DTEND: must be a date (VALUE=DATE), as DTSTART is"],
    ];
    for (const [lines, message] of cases) {
      const error = await thrown(() => overridesFromIcs(utc, ics(...event("a", ...lines)), YEAR));
      expect(error, lines.join(" ")).toMatchObject({ code: "INVALID_ICS" });
      expect(error.message, lines.join(" ")).toContain(message);
      expect(error.message).toContain("VEVENT[0] (UID a)");
    }
  });

  it("refuses a recurrence rule with COUNT or INTERVAL 0, which ical.js reads as no count and every day", async () => {
    for (const rule of ["RRULE:FREQ=MONTHLY;COUNT=0", "RRULE:FREQ=DAILY;INTERVAL=0", "RRULE:FREQ=DAILY;INTERVAL=-2"]) {
      const error = await thrown(() => holidaysFromIcs(ics(...event("a", "DTSTART;VALUE=DATE:20260105", rule)), YEAR));
      expect(error, rule).toMatchObject({ code: "INVALID_ICS" });
      expect(error.message, rule).toMatch(/(COUNT|INTERVAL)=-?\d of "RRULE:.*" must be a whole number of at least 1/);
    }
    // A valid rule of the same shape is read.
    expect(
      await closedDates(ics(...event("a", "DTSTART;VALUE=DATE:20260105", "RRULE:FREQ=DAILY;INTERVAL=2;COUNT=3"))),
    ).toEqual(["2026-01-05", "2026-01-07", "2026-01-09"]);
  });

  it("refuses an all-day event that ends before it starts, as it refuses a timed one; DTEND equal to DTSTART is that one day", async () => {
    for (const end of ["DTEND;VALUE=DATE:20260103", "DURATION:-P1D"]) {
      const error = await thrown(() => holidaysFromIcs(ics(...event("a", "DTSTART;VALUE=DATE:20260105", end)), YEAR));
      expect(error, end).toMatchObject({ code: "INVALID_ICS" });
      expect(error.message, end).toMatch(/ends before it starts|is negative/);
    }
    expect(await closedDates(ics(...event("a", "DTSTART;VALUE=DATE:20260101", "DTEND;VALUE=DATE:20260101")))).toEqual([
      "2026-01-01",
    ]);
  });
});

describe("ICS times in another zone than the series'", () => {
  it("reads an RDATE in UTC or in another TZID at its own instant", async () => {
    const series = ["DTSTART;TZID=Europe/Stockholm:20260105T100000", "DURATION:PT1H"];
    // 09:00Z is 10:00 in Stockholm; 09:00 New York is 14:00Z.
    expect(await closures(ics(...event("a", ...series, "RDATE:20260107T090000Z")))).toEqual({
      "2026-01-05": "09:00-10:00",
      "2026-01-07": "09:00-10:00",
    });
    expect(await closures(ics(...event("a", ...series, "RDATE;TZID=America/New_York:20260107T090000")))).toEqual({
      "2026-01-05": "09:00-10:00",
      "2026-01-07": "14:00-15:00",
    });
  });

  it("leaves out an instance named by an EXDATE in UTC, also in a series of the feed's own VTIMEZONE", async () => {
    const vtimezone = [
      "BEGIN:VTIMEZONE",
      "TZID:W. Europe Standard Time",
      "BEGIN:STANDARD",
      "DTSTART:16010101T030000",
      "TZOFFSETFROM:+0200",
      "TZOFFSETTO:+0100",
      "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
      "END:STANDARD",
      "BEGIN:DAYLIGHT",
      "DTSTART:16010101T020000",
      "TZOFFSETFROM:+0100",
      "TZOFFSETTO:+0200",
      "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
      "END:DAYLIGHT",
      "END:VTIMEZONE",
    ];
    const rule = ["DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=3", "EXDATE:20260106T090000Z"];
    const expected = { "2026-01-05": "09:00-10:00", "2026-01-07": "09:00-10:00" };
    expect(await closures(ics(...event("a", "DTSTART;TZID=Europe/Stockholm:20260105T100000", ...rule)))).toEqual(
      expected,
    );
    expect(
      await closures(ics(...vtimezone, ...event("a", "DTSTART;TZID=W. Europe Standard Time:20260105T100000", ...rule))),
    ).toEqual(expected);
  });

  it("matches a RECURRENCE-ID in UTC to the instance it names", async () => {
    const text = ics(
      ...event("a", "DTSTART;TZID=Europe/Stockholm:20260105T100000", "DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=3"),
      ...event("a", "RECURRENCE-ID:20260106T090000Z", "DTSTART:20260106T150000Z", "DTEND:20260106T160000Z"),
    );
    expect(await closures(text)).toEqual({
      "2026-01-05": "09:00-10:00",
      "2026-01-06": "15:00-16:00",
      "2026-01-07": "09:00-10:00",
    });
  });

  it("reads RDATE periods (start/end and start/duration), each with its own end, and keeps DTSTART in an RDATE-only set", async () => {
    const text = ics(
      ...event(
        "a",
        "DTSTART;TZID=Europe/Stockholm:20260105T100000",
        "DURATION:PT1H",
        "RDATE;VALUE=PERIOD:20260107T100000Z/20260107T120000Z,20260109T100000Z/PT30M",
      ),
    );
    expect(await closures(text)).toEqual({
      "2026-01-05": "09:00-10:00",
      "2026-01-07": "10:00-12:00",
      "2026-01-09": "10:00-10:30",
    });
    // All-day: DTSTART and the RDATEs (one of them DTSTART again) are the set.
    expect(
      await closedDates(ics(...event("a", "DTSTART;VALUE=DATE:20260105", "RDATE;VALUE=DATE:20260105,20260107"))),
    ).toEqual(["2026-01-05", "2026-01-07"]);
  });
});

describe("ICS moved instances and feeds", () => {
  it("keeps an instance moved into the range from a slot far after it", async () => {
    const text = ics(
      ...event("w", "SUMMARY:Weekly", "DTSTART;VALUE=DATE:20261201", "RRULE:FREQ=WEEKLY;COUNT=10"),
      ...event("w", "RECURRENCE-ID;VALUE=DATE:20270105", "DTSTART;VALUE=DATE:20261231"),
      ...event("w", "RECURRENCE-ID;VALUE=DATE:20270202", "DTSTART;VALUE=DATE:20261230"),
    );
    expect((await closedDates(text)).filter((d) => d >= "2026-12-28")).toEqual([
      "2026-12-29",
      "2026-12-30",
      "2026-12-31",
    ]);
  });

  it("reads a moved instance whose series is not in the feed, or names no instance of it, as an event of its own", async () => {
    expect(
      await closedDates(ics(...event("o", "RECURRENCE-ID;VALUE=DATE:20260601", "DTSTART;VALUE=DATE:20260601"))),
    ).toEqual(["2026-06-01"]);
    const stray = ics(
      ...event("q", "DTSTART;VALUE=DATE:20260105", "RRULE:FREQ=DAILY;COUNT=2"),
      ...event("q", "RECURRENCE-ID;VALUE=DATE:20260110", "DTSTART;VALUE=DATE:20260120"),
    );
    expect(await closedDates(stray)).toEqual(["2026-01-05", "2026-01-06", "2026-01-20"]);
    // A cancelled one closes nothing.
    const cancelled = ics(
      ...event("o", "RECURRENCE-ID;VALUE=DATE:20260601", "DTSTART;VALUE=DATE:20260601", "STATUS:CANCELLED"),
    );
    expect(await closedDates(cancelled)).toEqual([]);
  });

  it("reads every VCALENDAR of a feed that has several one after the other", async () => {
    const text = `${ics(...event("a", "DTSTART;VALUE=DATE:20260105"))}\r\n${ics(...event("b", "DTSTART;VALUE=DATE:20260106"))}`;
    expect(await closedDates(text)).toEqual(["2026-01-05", "2026-01-06"]);
  });
});
