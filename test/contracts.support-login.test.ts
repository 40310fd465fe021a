/**
 * SoftOne support login (seed 002): "Då kan ni välja om supportinloggningen ska gälla i 8
 * arbetstimmar framåt (24 eller 72 timmar om det är en fredag)". Working hours are the
 * `softone-se` calendar: weekdays 08–12 and 13–16 Europe/Stockholm, Swedish public holidays
 * closed, the day before a public holiday closes at 13:00 (so 08–12). Every expected instant below
 * was worked out by hand (comments show the hours counted); none is produced by the code under test.
 */
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { getCalendar, supportLoginExpiry } from "../src/index";
import { thrown } from "./support/errors";

const HOUR = 3_600_000;

describe("002 'i 8 arbetstimmar framåt': 8 working hours on softone-se", () => {
  // [granted (Stockholm wall time), expires, hours counted]
  it.each<[string, string, string]>([
    ["2026-03-30T08:00", "2026-03-31T09:00+02:00", "Mon 08–12, 13–16 (7), Tue 08–09"],
    ["2026-03-31T12:00", "2026-04-01T14:00+02:00", "granted at lunch: Tue 13–16 (3), Wed 08–12 (7), 13–14"],
    [
      "2026-04-01T14:00",
      "2026-04-07T10:00+02:00",
      "Wed 14–16 (2), Maundy Thursday is Good Friday's eve: 08–12 (6), Easter Friday–Monday closed, Tue 08–10",
    ],
    ["2026-01-08T07:00", "2026-01-09T09:00+01:00", "before opening: Thu 08–12, 13–16 (7), Fri 08–09"],
    [
      "2026-12-23T15:00",
      "2026-12-28T11:00+01:00",
      "Wed 15–16 (1), Christmas Eve is Christmas Day's eve: 08–12 (5), Fri 25 closed, Mon 08–11",
    ],
    ["2026-06-18T11:00", "2026-06-19T12:00+02:00", "Thu 11–12, 13–16 (4), Midsummer Eve 08–12 closes the 8 h"],
    ["2026-04-11T10:00", "2026-04-14T09:00+02:00", "a Saturday: Mon 08–12, 13–16 (7), Tue 08–09"],
  ])("granted %s expires %s (%s)", (granted, expected) => {
    expect(supportLoginExpiry(granted).toISOString()).toBe(new Date(expected).toISOString());
  });
});

describe("002 '(24 eller 72 timmar om det är en fredag)': Friday grants", () => {
  // Reading: without a choice a Friday grant gets the 8 working hours too.
  it.each<[string, string, string]>([
    ["2026-04-10T15:00", "2026-04-13T16:00+02:00", "Fri 15–16 (1), Mon 08–12, 13–16"],
    ["2026-04-10T16:00", "2026-04-14T09:00+02:00", "at Friday's close: Mon 08–12, 13–16 (7), Tue 08–09"],
    ["2026-04-10T12:30", "2026-04-13T14:00+02:00", "Friday lunch: Fri 13–16 (3), Mon 08–12 (7), 13–14"],
    ["2026-06-19T10:00", "2026-06-22T15:00+02:00", "Midsummer Eve 10–12 (2), Mon 08–12 (6), 13–15"],
    [
      "2026-10-23T15:00",
      "2026-10-26T16:00+01:00",
      "Fri 15–16 (1), Mon 08–12, 13–16 — wall-clock hours across the autumn switch",
    ],
  ])("without a choice, Friday %s expires %s (%s)", (granted, expected) => {
    expect(supportLoginExpiry(granted).toISOString()).toBe(new Date(expected).toISOString());
  });

  // The choice is elapsed time: 72 h across a DST switch is 72 real hours, so the wall clock moves.
  it.each<[string, 24 | 72, string, string]>([
    ["2026-04-10T15:00", 24, "2026-04-11T15:00+02:00", "Saturday, same time"],
    ["2026-04-10T15:00", 72, "2026-04-13T15:00+02:00", "Monday, same time"],
    ["2026-04-10T23:59", 24, "2026-04-11T23:59+02:00", "the last minute of Friday"],
    ["2026-04-03T10:00", 72, "2026-04-06T10:00+02:00", "Good Friday is still a Friday"],
    ["2026-03-27T12:00", 24, "2026-03-28T12:00+01:00", "before the spring switch"],
    ["2026-03-27T12:00", 72, "2026-03-30T13:00+02:00", "72 h across the spring switch: 13:00 on the wall"],
    ["2026-10-23T12:00", 72, "2026-10-26T11:00+01:00", "72 h across the autumn switch: 11:00 on the wall"],
  ])("Friday %s with %d h expires %s (%s)", (granted, fridayChoice, expected) => {
    expect(supportLoginExpiry(granted, { fridayChoice }).toISOString()).toBe(new Date(expected).toISOString());
  });

  it("decides Friday by the Stockholm date, not UTC's or the host's", () => {
    // 2026-04-09T22:30Z is Thursday in UTC but Friday 00:30 in Stockholm (+02:00).
    expect(supportLoginExpiry("2026-04-09T22:30:00Z", { fridayChoice: 24 }).toISOString()).toBe(
      "2026-04-10T22:30:00.000Z",
    );
    // 2026-04-10T22:30Z is Friday in UTC but Saturday 00:30 in Stockholm.
    const e = thrown(() => supportLoginExpiry("2026-04-10T22:30:00Z", { fridayChoice: 24 }));
    expect(e.message).toBe(
      "fridayChoice applies only to a login granted on a Friday; this one is granted on a Saturday (2026-04-11 in Europe/Stockholm)",
    );
  });

  it("accepts every instant form: Date, epoch ms, luxon DateTime, ISO with an offset", () => {
    const expected = "2026-04-13T13:00:00.000Z"; // Friday 15:00 +02:00 + 72 h
    const inputs = [
      new Date("2026-04-10T13:00:00Z"),
      Date.UTC(2026, 3, 10, 13),
      DateTime.fromISO("2026-04-10T09:00", { zone: "America/New_York" }),
      "2026-04-10T15:00:00+02:00",
    ];
    for (const grantedAt of inputs) {
      expect(supportLoginExpiry(grantedAt, { fridayChoice: 72 }).toISOString()).toBe(expected);
    }
  });
});

describe("supportLoginExpiry errors", () => {
  it.each<[string, string, string]>([
    ["2026-04-06T10:00", "Monday", "2026-04-06"],
    ["2026-04-07T10:00", "Tuesday", "2026-04-07"],
    ["2026-04-08T10:00", "Wednesday", "2026-04-08"],
    ["2026-04-09T23:59", "Thursday", "2026-04-09"],
    ["2026-04-11T00:00", "Saturday", "2026-04-11"],
    ["2026-04-12T10:00", "Sunday", "2026-04-12"],
  ])("refuses a Friday choice for a grant at %s (a %s)", (grantedAt, weekday, date) => {
    for (const fridayChoice of [24, 72] as const) {
      const e = thrown(() => supportLoginExpiry(grantedAt, { fridayChoice }));
      expect(e.code).toBe("INVALID_ARGUMENT");
      expect(e.message).toBe(
        `fridayChoice applies only to a login granted on a Friday; this one is granted on a ${weekday} (${date} in Europe/Stockholm)`,
      );
      expect(e.details.value).toBe(fridayChoice);
    }
  });

  it.each<[unknown, string]>([
    [48, "48"],
    [8, "8"],
    ["24", '"24"'],
    [null, "null"],
  ])("refuses the choice %j (only 24 or 72)", (fridayChoice, shown) => {
    const e = thrown(() => supportLoginExpiry("2026-04-10T10:00", { fridayChoice: fridayChoice as 24 }));
    expect(e.code).toBe("INVALID_ARGUMENT");
    expect(e.message).toBe(`fridayChoice must be 24 or 72 (hours), got ${shown}`);
  });

  it("names grantedAt when it is not an instant", () => {
    const e = thrown(() => supportLoginExpiry("next Friday"));
    expect(e.code).toBe("INVALID_INSTANT");
    expect(e.message.startsWith('grantedAt: "next Friday" is not an ISO-8601 date-time')).toBe(true);
    expect(e.details.path).toBe("grantedAt");
    const f = thrown(() => supportLoginExpiry(Number.NaN));
    expect(f.code).toBe("INVALID_INSTANT");
    expect(f.message).toBe("grantedAt: NaN is not a finite number of epoch milliseconds");
  });

  it("reports an expiry beyond 2200 as OUT_OF_RANGE", () => {
    // Wednesday 2200-12-31 15:00: one working hour is left in the supported range.
    const e = thrown(() => supportLoginExpiry("2200-12-31T15:00"));
    expect(e.code).toBe("OUT_OF_RANGE");
    expect(e.message).toContain("1900-01-01 … 2200-12-31");
  });
});

describe("supportLoginExpiry properties (2026–2027)", () => {
  const calendar = getCalendar("softone-se");
  const grant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) });
  // An oracle for the Stockholm weekday that shares nothing with the library.
  const weekdayInStockholm = (ms: number) =>
    new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Stockholm", weekday: "long" }).format(ms);

  it("expires at the earliest instant after which exactly 8 working hours have passed", () => {
    fc.assert(
      fc.property(grant, (t) => {
        const expiry = supportLoginExpiry(t).getTime();
        expect(expiry).toBeGreaterThan(t);
        expect(calendar.businessTimeBetween(t, expiry)).toBe(8 * HOUR);
        expect(calendar.businessTimeBetween(t, expiry - 1)).toBe(8 * HOUR - 1);
        expect(calendar.isOpen(expiry - 1)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("adds exactly 24 or 72 elapsed hours on a Stockholm Friday, and refuses the choice on any other day", () => {
    fc.assert(
      fc.property(grant, fc.constantFrom(24 as const, 72 as const), (t, fridayChoice) => {
        const weekday = weekdayInStockholm(t);
        if (weekday === "Friday") {
          expect(supportLoginExpiry(t, { fridayChoice }).getTime() - t).toBe(fridayChoice * HOUR);
        } else {
          const e = thrown(() => supportLoginExpiry(t, { fridayChoice }));
          expect(e.code).toBe("INVALID_ARGUMENT");
          expect(e.message).toContain(`granted on a ${weekday} (`);
        }
      }),
      { numRuns: 400 },
    );
  });
});
