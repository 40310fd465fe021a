/**
 * Hand-written tables for the built-in calendars over real dates. Every expected value was worked
 * out by hand from the source documents (the seed clause is cited per table) and the 2026
 * holiday calendars; none was produced by the library.
 */
import { describe, expect, it } from "vitest";
import { getCalendar, type Calendar } from "../src/index";

const ms = (iso: string) => Date.parse(iso);
const H = 3_600_000;

function hoursOf(cal: Calendar, date: string) {
  return cal.describeDay(date).hours.map(([a, b]) => `${a}-${b}`);
}

describe("softone-se — 002 Öppettider: 'vardagar 8-16 med lunchstängt 12-13. Dag före röd dag stänger vi kl 13'", () => {
  const cal = getCalendar("softone-se");
  const FULL = ["08:00-12:00", "13:00-16:00"];
  const EVE = ["08:00-12:00"];

  it.each([
    ["2026-04-01", FULL, [], "ordinary Wednesday"],
    ["2026-04-02", EVE, ["eve"], "Skärtorsdagen: eve of Långfredagen"],
    ["2026-04-03", [], ["holiday"], "Långfredagen"],
    ["2026-04-04", [], ["eve"], "Påskafton: a Saturday, so closed, though it is the eve of Påskdagen"],
    ["2026-04-06", [], ["holiday"], "Annandag påsk"],
    ["2026-04-07", FULL, [], "Tuesday after Easter"],
    ["2026-04-30", EVE, ["eve"], "Valborgsmässoafton: eve of Första maj"],
    ["2026-05-13", EVE, ["eve"], "eve of Kristi himmelsfärdsdag"],
    ["2026-05-14", [], ["holiday"], "Kristi himmelsfärdsdag"],
    ["2026-06-05", EVE, ["eve"], "eve of Nationaldagen, which falls on a Saturday"],
    ["2026-06-19", EVE, ["eve"], "Midsommarafton: an eve, not a public holiday (literal reading)"],
    ["2026-10-30", EVE, ["eve"], "eve of Alla helgons dag (Saturday)"],
    ["2026-12-23", FULL, [], "day before Julafton (Julafton is not a public holiday)"],
    ["2026-12-24", EVE, ["eve"], "Julafton: eve of Juldagen"],
    ["2026-12-25", [], ["holiday"], "Juldagen"],
    ["2026-12-31", EVE, ["eve"], "Nyårsafton: eve of Nyårsdagen"],
    ["2026-03-29", [], [], "DST switch, a Sunday"],
    [
      "2004-05-31",
      FULL,
      [],
      "Annandag pingst 2004: a holiday by law until 2005, but typed observance in date-holidays: the data wins",
    ],
  ])("%s has %j (%s)", (date, hours, reasons) => {
    expect(hoursOf(cal, date)).toEqual(hours);
    expect(cal.describeDay(date).reasons.map((r) => r.kind)).toEqual(reasons);
  });

  it("names the holiday behind an eve and a closed day", () => {
    const eve = cal.describeDay("2026-04-02").reasons[0];
    expect(eve).toMatchObject({
      kind: "eve",
      closeAt: "13:00",
      holidays: [{ date: "2026-04-03", name: "långfredagen", nameEn: "Good Friday", type: "public" }],
    });
    const closed = cal.describeDay("2026-12-25").reasons[0];
    expect(closed).toMatchObject({
      kind: "holiday",
      holidays: [{ date: "2026-12-25", name: "juldagen", type: "public" }],
    });
  });

  it("with closeDeFactoHolidays closes Julafton, Midsommarafton and Nyårsafton; eves stay defined by public holidays", () => {
    const strict = getCalendar("softone-se", { closeDeFactoHolidays: true });
    expect(hoursOf(strict, "2026-06-19")).toEqual([]);
    expect(hoursOf(strict, "2026-12-24")).toEqual([]);
    expect(hoursOf(strict, "2026-12-31")).toEqual([]);
    expect(hoursOf(strict, "2026-06-18")).toEqual(FULL); // Midsommarafton is not public: no eve before it
    expect(hoursOf(strict, "2026-12-23")).toEqual(FULL);
    expect(hoursOf(strict, "2026-04-02")).toEqual(EVE);
  });

  it("reads hours as Stockholm wall time on both sides of the 2026 DST switches", () => {
    expect(cal.describeDay("2026-03-27").intervals.map((i) => [i.start.toISOString(), i.end.toISOString()])).toEqual([
      ["2026-03-27T07:00:00.000Z", "2026-03-27T11:00:00.000Z"],
      ["2026-03-27T12:00:00.000Z", "2026-03-27T15:00:00.000Z"],
    ]);
    expect(cal.describeDay("2026-03-30").intervals[0]?.start.toISOString()).toBe("2026-03-30T06:00:00.000Z");
    expect(cal.describeDay("2026-10-26").intervals[0]?.start.toISOString()).toBe("2026-10-26T07:00:00.000Z");
  });

  it.each([
    ["2026-04-02T11:00", 1, "2026-04-02T12:00+02:00", "used up exactly at the eve's close: the closing instant"],
    ["2026-04-02T11:00", 2, "2026-04-07T09:00+02:00", "over Easter"],
    ["2026-04-02T11:00", 12, "2026-04-08T12:00+02:00", "P3 response from Skärtorsdagen 11:00"],
    ["2026-03-27T15:00", 2, "2026-03-30T09:00+02:00", "across the spring DST weekend"],
    ["2026-10-23T15:00", 2, "2026-10-26T09:00+01:00", "across the autumn DST weekend"],
    ["2026-12-23T15:00", 4, "2026-12-24T11:00+01:00", "into Julafton's short day"],
    ["2026-12-23T15:00", 5, "2026-12-24T12:00+01:00", "ends exactly at Julafton's close"],
    ["2026-12-23T15:00", 6, "2026-12-28T09:00+01:00", "over Christmas"],
    ["2026-04-01T12:30", 1, "2026-04-01T14:00+02:00", "a start in the lunch break counts from 13:00"],
    ["2026-04-01T07:00", 0, "2026-04-01T07:00+02:00", "zero duration returns the start, even when closed"],
  ])("addBusinessTime(%s, %d h) = %s (%s)", (start, hours, expected) => {
    expect(cal.addBusinessTime(start, { hours }).getTime()).toBe(ms(expected));
  });

  it("measures and subtracts the same stretches", () => {
    expect(cal.businessTimeBetween("2026-04-02T11:00", "2026-04-07T09:00")).toBe(2 * H);
    expect(cal.businessTimeBetween("2026-04-07T09:00", "2026-04-02T11:00")).toBe(-2 * H);
    expect(cal.subtractBusinessTime("2026-04-07T09:00", { hours: 2 }).getTime()).toBe(ms("2026-04-02T11:00+02:00"));
    // The latest instant: Thursday's opening, not Wednesday's close.
    expect(cal.subtractBusinessTime("2026-04-07T09:00", { hours: 5 }).getTime()).toBe(ms("2026-04-02T08:00+02:00"));
    expect(cal.businessTimeBetween("2026-03-27T00:00", "2026-04-04T00:00")).toBe((7 + 7 + 7 + 7 + 4) * H);
  });

  it.each([
    ["2026-04-01T18:00", "2026-04-02T12:00+02:00", "after hours: the next business day is the eve"],
    ["2026-04-01T16:00", "2026-04-02T12:00+02:00", "a start exactly at the close belongs to the next business day"],
    ["2026-04-01T15:59", "2026-04-01T16:00+02:00", "open: same day"],
    ["2026-04-03T10:00", "2026-04-07T16:00+02:00", "Långfredagen: the clock starts on Tuesday"],
  ])("endOfBusinessDay(%s) = %s (%s)", (start, expected) => {
    expect(cal.endOfBusinessDay(start).getTime()).toBe(ms(expected));
  });

  it.each([
    ["2026-12-21T10:00", "2026-12-24T12:00+01:00", "Julafton's early close ends Christmas week"],
    ["2026-03-30T09:00", "2026-04-02T12:00+02:00", "Easter week ends on Skärtorsdagen"],
    ["2026-04-03T10:00", "2026-04-10T16:00+02:00", "from Långfredagen the clock starts in the next week"],
    ["2026-06-20T10:00", "2026-06-26T16:00+02:00", "Midsommardagen (Saturday): next week"],
  ])("endOfBusinessWeek(%s) = %s (%s)", (start, expected) => {
    expect(cal.endOfBusinessWeek(start).getTime()).toBe(ms(expected));
  });

  it("answers is-open and next open/close around the lunch break and a holiday", () => {
    expect(cal.isOpen("2026-04-01T12:00")).toBe(false);
    expect(cal.isOpen("2026-04-01T11:59:59.999")).toBe(true);
    expect(cal.isOpen("2026-04-01T13:00")).toBe(true);
    expect(cal.nextOpen("2026-04-01T12:15").getTime()).toBe(ms("2026-04-01T13:00+02:00"));
    expect(cal.nextOpen("2026-04-02T12:00").getTime()).toBe(ms("2026-04-07T08:00+02:00"));
    expect(cal.nextClose("2026-04-02T09:00").getTime()).toBe(ms("2026-04-02T12:00+02:00"));
    expect(cal.nextClose("2026-04-02T12:00").getTime()).toBe(ms("2026-04-07T12:00+02:00"));
    expect(cal.isBusinessDay("2026-04-06")).toBe(false);
    expect(cal.addBusinessDays("2026-04-02T10:00", 1).getTime()).toBe(ms("2026-04-07T10:00+02:00"));
    expect(cal.addBusinessDays("2026-04-07T10:00", -1).getTime()).toBe(ms("2026-04-02T10:00+02:00"));
  });
});

describe("softone-fi — 001: 'Arkisin 8-15, lounasaikana suljettuna 11-12. Perjantaisin suljemme klo 14. Pyhäpäivien aattona suljemme klo 14.'", () => {
  const cal = getCalendar("softone-fi");
  const FULL = ["08:00-11:00", "12:00-15:00"];
  const SHORT = ["08:00-11:00", "12:00-14:00"];

  it.each([
    ["2026-04-01", FULL, [], "ordinary Wednesday"],
    ["2026-04-02", SHORT, ["eve"], "eve of pitkäperjantai"],
    ["2026-04-03", [], ["holiday"], "pitkäperjantai"],
    ["2026-04-06", [], ["holiday"], "toinen pääsiäispäivä"],
    ["2026-04-10", SHORT, ["weekdayRule"], "an ordinary Friday"],
    ["2026-04-30", SHORT, ["eve"], "eve of vappu"],
    ["2026-06-19", SHORT, ["eve", "weekdayRule"], "juhannusaatto: an eve and a Friday"],
    ["2026-12-04", SHORT, ["weekdayRule"], "Friday; itsenäisyyspäivä (6th) is a Sunday, its eve a Saturday"],
    ["2026-12-24", SHORT, ["eve"], "jouluaatto"],
    ["2026-12-25", [], ["holiday"], "joulupäivä"],
  ])("%s has %j (%s)", (date, hours, reasons) => {
    expect(hoursOf(cal, date)).toEqual(hours);
    expect(cal.describeDay(date).reasons.map((r) => r.kind)).toEqual(reasons);
  });

  it("closes the Finnish de-facto holidays on request", () => {
    const strict = getCalendar("softone-fi", { closeDeFactoHolidays: true });
    expect(hoursOf(strict, "2026-06-19")).toEqual([]);
    expect(hoursOf(strict, "2026-12-24")).toEqual([]);
    expect(hoursOf(strict, "2026-12-31")).toEqual([]);
  });

  it.each([
    ["2026-04-02T13:00", 2, "2026-04-07T09:00+03:00", "eve closes 14:00, Easter Monday closed"],
    ["2026-04-10T13:30", 1, "2026-04-13T08:30+03:00", "Friday closes 14:00"],
    ["2026-03-27T13:00", 2, "2026-03-30T09:00+03:00", "Friday before the DST switch (+02:00 → +03:00)"],
    ["2026-04-01T10:00", 4, "2026-04-01T15:00+03:00", "through lunch: 10–11 and 12–15"],
  ])("addBusinessTime(%s, %d h) = %s (%s)", (start, hours, expected) => {
    expect(cal.addBusinessTime(start, { hours }).getTime()).toBe(ms(expected));
  });
});

describe("moch-standard — 004: 'mandag til fredag (undtagen helligdage i Danmark) fra 09.00 til 17.00 UTC'", () => {
  const cal = getCalendar("moch-standard");

  it.each([
    ["2026-04-01", ["09:00-17:00"], "ordinary Wednesday"],
    ["2026-04-02", [], "Skærtorsdag is a Danish public holiday"],
    ["2026-04-03", [], "Langfredag"],
    ["2026-04-06", [], "Anden påskedag"],
    ["2026-05-14", [], "Kristi Himmelfartsdag"],
    ["2026-05-25", [], "Anden Pinsedag"],
    ["2026-06-05", ["09:00-17:00"], "Grundlovsdag is typed observance in date-holidays, so open"],
    ["2026-12-24", ["09:00-17:00"], "Juleaftensdag is typed observance, so open"],
    ["2026-12-25", [], "Juledag"],
    ["2023-05-05", [], "Store Bededag 2023: a public holiday"],
    ["2024-04-26", ["09:00-17:00"], "Store Bededag was abolished from 2024: an ordinary Friday"],
  ])("%s has %j (%s)", (date, hours) => {
    expect(hoursOf(cal, date)).toEqual(hours);
  });

  it("keeps UTC hours across the Danish DST switch; the Copenhagen reading moves them", () => {
    expect(cal.nextOpen("2026-03-30T00:00Z").toISOString()).toBe("2026-03-30T09:00:00.000Z");
    expect(cal.nextOpen("2026-03-27T00:00Z").toISOString()).toBe("2026-03-27T09:00:00.000Z");
    const local = getCalendar("moch-standard", { hoursZone: "Europe/Copenhagen" });
    expect(local.nextOpen("2026-03-30T00:00Z").toISOString()).toBe("2026-03-30T07:00:00.000Z");
    expect(local.nextOpen("2026-03-27T00:00Z").toISOString()).toBe("2026-03-27T08:00:00.000Z");
  });

  it("answers '12 arbejdstimer' from a Friday over Whitsun: Fri 10–17 (7 h) + Tue 09–14 (5 h)", () => {
    expect(cal.addBusinessTime("2026-05-22T10:00Z", { hours: 12 }).toISOString()).toBe("2026-05-26T14:00:00.000Z");
  });
});

describe("moch-extended — 004: 'Udvidede åbningstider … fra 08.00 til 22.00 UTC'", () => {
  const cal = getCalendar("moch-extended");
  it("opens 08–22 UTC and closes on Danish public holidays", () => {
    expect(hoursOf(cal, "2026-04-01")).toEqual(["08:00-22:00"]);
    expect(cal.addBusinessTime("2026-04-01T21:00Z", { hours: 2 }).toISOString()).toBe("2026-04-07T09:00:00.000Z");
    expect(cal.businessTimeBetween("2026-04-01T00:00Z", "2026-04-08T00:00Z")).toBe(14 * H * 2);
  });
});

describe("trinax — 003: 'Inställelsetid (8-17)', weekdays, Swedish public holidays", () => {
  const cal = getCalendar("trinax");
  it.each([
    ["2026-04-02", ["08:00-17:00"], "no eve rule: Skärtorsdagen is a full day"],
    ["2026-04-03", [], "Långfredagen"],
    ["2026-06-19", ["08:00-17:00"], "Midsommarafton is not a public holiday"],
    ["2026-12-24", ["08:00-17:00"], "Julafton is not a public holiday"],
    ["2026-06-06", [], "Saturday"],
  ])("%s has %j (%s)", (date, hours) => {
    expect(hoursOf(cal, date)).toEqual(hours);
  });

  it.each([
    ["2026-04-02T15:00", 16, "2026-04-08T13:00+02:00", "Access! over Easter: Thu 2 h, Tue 9 h, Wed 5 h"],
    ["2026-05-13T10:00", 16, "2026-05-15T17:00+02:00", "over Kristi himmelsfärd, used up exactly at Friday's close"],
    ["2026-05-13T11:00", 16, "2026-05-18T09:00+02:00", "over a holiday and a weekend"],
    ["2026-05-13T16:30", 1, "2026-05-15T08:30+02:00", "Alert!: 1 h over the holiday"],
  ])("addBusinessTime(%s, %d h) = %s (%s)", (start, hours, expected) => {
    expect(cal.addBusinessTime(start, { hours }).getTime()).toBe(ms(expected));
  });
});
