/**
 * Holiday sources (issue 17 §1): an explicit dated list behaves exactly as date-holidays' data
 * does (closing, eves, openDates, types, names); `substituteDays` chooses what a substitute
 * ("observed") day does to its original; and date-holidays stays behind one module, which the
 * browser build reaches through a slot that module fills.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { SlaClockError, createCalendar, getCalendar, type CalendarSpec, type ListedHoliday } from "../src/index";
import { holidaysOn } from "./reference/holidays";
import { dateOf, dayOf } from "./reference/zone";

const H = 3_600_000;

function issuesOf(spec: unknown): { path: string; message: string }[] {
  try {
    createCalendar(spec as CalendarSpec);
  } catch (e) {
    expect(e).toBeInstanceOf(SlaClockError);
    expect((e as SlaClockError).code).toBe("INVALID_CALENDAR_SPEC");
    return [...(e as SlaClockError).issues];
  }
  throw new Error("expected INVALID_CALENDAR_SPEC");
}

describe("an explicit holiday list", () => {
  // Sweden's public holidays 2025–2027, read from date-holidays by the reference (a child process
  // under TZ=UTC, no code shared with src/), as a list.
  const listed: ListedHoliday[] = [];
  for (let day = dayOf("2025-01-01"); day <= dayOf("2027-12-31"); day++)
    for (const h of holidaysOn({ country: "SE" }, dateOf(day)))
      if (h.type === "public") listed.push({ date: dateOf(day), name: h.name });
  const bySource = getCalendar("softone-se");
  const byList = createCalendar({ ...bySource.spec, holidays: { source: "list", dates: listed } });

  it("gives every date of 2026 the hours, eves and holiday names that the country source gives", () => {
    for (let day = dayOf("2026-01-01"); day <= dayOf("2026-12-31"); day++) {
      const date = dateOf(day);
      const a = bySource.describeDay(date);
      const b = byList.describeDay(date);
      expect(b.hours, date).toEqual(a.hours);
      // The list has no English names: compare the rest of each reason.
      const strip = (d: typeof a) =>
        d.reasons.map((r) =>
          "holidays" in r
            ? { ...r, holidays: r.holidays.map((h) => ({ date: h.date, name: h.name, type: h.type })) }
            : r,
        );
      expect(strip(b), date).toEqual(strip(a));
    }
    expect(byList.businessTimeBetween("2026-01-01T00:00", "2027-01-01T00:00")).toBe(
      bySource.businessTimeBetween("2026-01-01T00:00", "2027-01-01T00:00"),
    );
    expect(byList.addBusinessTime("2026-04-02T11:00", { hours: 12 })).toEqual(
      bySource.addBusinessTime("2026-04-02T11:00", { hours: 12 }),
    );
  });

  const week = {
    mon: [["09:00", "17:00"]],
    tue: [["09:00", "17:00"]],
    wed: [["09:00", "17:00"]],
    thu: [["09:00", "17:00"]],
    fri: [["09:00", "17:00"]],
  } as const;

  it("filters by type, opens on openDates and makes eves, as date-holidays' holidays do", () => {
    const spec: CalendarSpec = {
      zone: "America/New_York",
      weekly: week,
      holidays: {
        source: "list",
        dates: [
          { date: "2026-09-01", name: "Founders' Day" },
          { date: "2026-09-03", name: "Bank holiday", type: "bank" },
          { date: "2026-09-09", name: "Company picnic" },
        ],
      },
      openDates: ["2026-09-09"],
      eves: { closeAt: "12:00" },
    };
    const cal = createCalendar(spec);
    expect(cal.describeDay("2026-09-01").reasons).toEqual([
      { kind: "holiday", holidays: [{ date: "2026-09-01", name: "Founders' Day", type: "public" }] },
    ]);
    expect(cal.describeDay("2026-08-31").hours).toEqual([["09:00", "12:00"]]);
    expect(cal.describeDay("2026-09-03").open).toBe(true); // bank: not a closing type
    expect(cal.describeDay("2026-09-02").hours).toEqual([["09:00", "17:00"]]);
    expect(cal.describeDay("2026-09-09").reasons[0]).toMatchObject({ kind: "openDate" });
    const withBank = createCalendar({
      ...spec,
      holidays: { ...spec.holidays!, types: ["public", "bank"] },
    } as CalendarSpec);
    expect(withBank.describeDay("2026-09-03").open).toBe(false);
    expect(withBank.describeDay("2026-09-02").hours).toEqual([["09:00", "12:00"]]);
  });

  it("is plain JSON and survives a round trip", () => {
    const spec = JSON.parse(JSON.stringify(byList.spec)) as CalendarSpec;
    const again = createCalendar(spec);
    expect(again.businessTimeBetween("2026-01-01T00:00", "2026-07-01T00:00")).toBe(
      byList.businessTimeBetween("2026-01-01T00:00", "2026-07-01T00:00"),
    );
  });

  it.each<[string, unknown, string, string]>([
    [
      "a bad date",
      { source: "list", dates: [{ date: "2026-13-01", name: "x" }] },
      "holidays.dates[0].date",
      "is not a date",
    ],
    [
      "a holiday without a name",
      { source: "list", dates: [{ date: "2026-01-01" }] },
      "holidays.dates[0].name",
      "expected a name",
    ],
    [
      "a bad type",
      { source: "list", dates: [{ date: "2026-01-01", name: "x", type: "fun" }] },
      "holidays.dates[0].type",
      '"fun" is not a holiday type',
    ],
    ["no dates", { source: "list" }, "holidays.dates", "expected a list of holidays"],
    ["an unknown source", { source: "ics", url: "x" }, "holidays.source", "unknown holiday source"],
    ["a country in a list", { source: "list", dates: [], country: "SE" }, "holidays", 'unknown key "country"'],
    [
      "a bad substitute rule",
      { country: "US", substituteDays: "never" },
      "holidays.substituteDays",
      "is not a substitute-day rule",
    ],
  ])("refuses %s", (_what, holidays, path, fragment) => {
    const issues = issuesOf({ zone: "UTC", weekly: week, holidays });
    expect(
      issues.some((i) => i.path === path && i.message.includes(fragment)),
      JSON.stringify(issues),
    ).toBe(true);
  });
});

describe("substituteDays", () => {
  const all = [["09:00", "17:00"]] as const;
  const sixDays = { mon: all, tue: all, wed: all, thu: all, fri: all, sat: all };
  const us = (substituteDays?: "both" | "replaceOriginal" | "ignore") =>
    createCalendar({
      zone: "America/New_York",
      weekly: sixDays,
      holidays: substituteDays === undefined ? { country: "US" } : { country: "US", substituteDays },
    });

  it("both (the default): New Year's Day on Saturday 2022-01-01 and its substitute Friday 2021-12-31 close", () => {
    for (const cal of [us(), us("both")]) {
      expect(cal.isBusinessDay("2021-12-31")).toBe(false);
      expect(cal.isBusinessDay("2022-01-01")).toBe(false);
    }
  });

  it("replaceOriginal: only the substitute closes, across the new year", () => {
    const cal = us("replaceOriginal");
    expect(cal.isBusinessDay("2021-12-31")).toBe(false);
    expect(cal.describeDay("2021-12-31").reasons[0]).toMatchObject({ kind: "holiday" });
    expect(cal.isBusinessDay("2022-01-01")).toBe(true);
    expect(cal.describeDay("2022-01-01").reasons).toEqual([]);
    // Christmas 2021 (Sat 25, substitute Fri 24) and Independence Day 2021 (Sun 4, substitute Mon 5).
    expect(cal.isBusinessDay("2021-12-24")).toBe(false);
    expect(cal.isBusinessDay("2021-12-25")).toBe(true);
    expect(cal.isBusinessDay("2021-07-05")).toBe(false);
    // A holiday without a substitute is untouched.
    expect(cal.isBusinessDay("2021-11-25")).toBe(false); // Thanksgiving
    expect(cal.businessTimeBetween("2021-12-20T00:00", "2022-01-08T00:00")).toBe(
      us().businessTimeBetween("2021-12-20T00:00", "2022-01-08T00:00") + 2 * 8 * H,
    );
  });

  it("replaceOriginal: a substitute of a type outside `types` leaves its holiday closed, whatever `eveTypes` asks for", () => {
    // US Veterans Day 2018 fell on Sunday 11 November; date-holidays types it public and its
    // Monday substitute bank. Asking for bank eves must not reopen the public holiday.
    const every = { ...sixDays, sun: all };
    const vet = (eveTypes: readonly ("public" | "bank")[]) =>
      createCalendar({
        zone: "America/New_York",
        weekly: every,
        holidays: { country: "US", substituteDays: "replaceOriginal", types: ["public"], eveTypes },
      });
    for (const cal of [vet(["public"]), vet(["public", "bank"])]) {
      expect(cal.isBusinessDay("2018-11-11")).toBe(false);
      expect(cal.describeDay("2018-11-11").reasons[0]).toMatchObject({ kind: "holiday" });
      expect(cal.isBusinessDay("2018-11-12")).toBe(true);
    }
    // With bank days closing too, the substitute stands in for the holiday.
    const both = createCalendar({
      zone: "America/New_York",
      weekly: every,
      holidays: { country: "US", substituteDays: "replaceOriginal", types: ["public", "bank"] },
    });
    expect(both.isBusinessDay("2018-11-11")).toBe(true);
    expect(both.isBusinessDay("2018-11-12")).toBe(false);
  });

  it("ignore: only the original closes", () => {
    const cal = us("ignore");
    expect(cal.isBusinessDay("2021-12-31")).toBe(true);
    expect(cal.isBusinessDay("2022-01-01")).toBe(false);
    expect(cal.isBusinessDay("2021-12-24")).toBe(true);
  });

  it("pairs a substitute with its original by name where the data gives them different rules (GB, JP)", () => {
    const every = { ...sixDays, sun: all };
    const gb = createCalendar({
      zone: "Europe/London",
      weekly: every,
      holidays: { country: "GB", substituteDays: "replaceOriginal" },
    });
    expect(gb.isBusinessDay("2022-12-25")).toBe(true); // Christmas Day, a Sunday
    expect(gb.isBusinessDay("2022-12-26")).toBe(false); // Boxing Day, no substitute of its own
    expect(gb.isBusinessDay("2022-12-27")).toBe(false); // Christmas Day (substitute day)
    const jp = createCalendar({
      zone: "Asia/Tokyo",
      weekly: every,
      holidays: { country: "JP", substituteDays: "replaceOriginal" },
    });
    expect(jp.isBusinessDay("2023-01-01")).toBe(true);
    expect(jp.isBusinessDay("2023-01-02")).toBe(false);
  });
});

describe("the holiday seam", () => {
  it("keeps date-holidays behind one module: only src/calendar/holidays.ts imports it", () => {
    const root = fileURLToPath(new URL("../src", import.meta.url));
    const importers: string[] = [];
    const visit = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) visit(path);
        // An import statement, not any text: the advice to register date-holidays
        // (src/calendar/date-holidays-slot.ts) quotes `import Holidays from "date-holidays"`.
        else if (
          /\.ts$/.test(entry.name) &&
          /^import\b[^;]*\bfrom\s+["']date-holidays["']/m.test(readFileSync(path, "utf8"))
        )
          importers.push(path.slice(root.length + 1).replaceAll("\\", "/"));
      }
    };
    visit(root);
    expect(importers).toEqual(["calendar/holidays.ts"]);
  });
});

describe("date-holidays state and region codes", () => {
  const week = { mon: [["08:00", "16:00"]] as [string, string][] };
  const issue = (holidays: object) => issuesOf({ zone: "UTC", weekly: week, holidays });

  it("are read in any case, as date-holidays reads them", () => {
    expect(() => createCalendar({ zone: "UTC", weekly: week, holidays: { country: "de", state: "by" } })).not.toThrow();
  });

  it("lists the codes to use when one is unknown", () => {
    expect(issue({ country: "DE", state: "XX" })).toEqual([
      { path: "holidays.state", message: expect.stringMatching(/^"XX" is not a state of DE; use one of BB, BE, .*BY/) },
    ]);
  });

  // date-holidays upper-cases the codes it is given, so a code its data spells in mixed case is
  // listed but never found: the calendar would silently have the country's holidays alone. The
  // message used to offer exactly the code it refused ("use one of Aitutaki, Atiu, …").
  it("names a code date-holidays lists but cannot find, and does not offer it", () => {
    const [state] = issue({ country: "CK", state: "Aitutaki" });
    expect(state?.path).toBe("holidays.state");
    expect(state?.message).toContain('"Aitutaki" is listed by date-holidays as a state of CK, but');
    expect(state?.message).toContain("can use none of its states, so leave the state out");
    const [region] = issue({ country: "NZ", state: "CAN", region: "Timaru" });
    expect(region?.path).toBe("holidays.region");
    expect(region?.message).toContain('"Timaru" is listed by date-holidays as a region of NZ-CAN, but');
    expect(region?.message).not.toMatch(/use one of .*Timaru/);
  });

  it("the browser build's slot advises registering date-holidays until src/calendar/holidays.ts is loaded, then answers as it does", async () => {
    // Fresh modules: the slot alone, as in a bundle whose app never imports registerDateHolidays.
    vi.resetModules();
    const slot = await import("../src/calendar/date-holidays-slot");
    expect(slot.dateHolidaysIssues({ country: "SE" })).toEqual([{ path: "holidays", message: slot.NOT_LOADED }]);
    const holidays = await import("../src/calendar/holidays");
    for (const source of [
      { country: "SE" },
      { country: "XX" },
      { country: "SE", state: "zz" },
      { country: "DE", state: "BY", region: "x" },
    ])
      expect(slot.dateHolidaysIssues(source)).toEqual(holidays.dateHolidaysIssues(source));
    expect(slot.dateHolidaysIssues({ country: "XX" })[0]?.path).toBe("holidays.country");
    const compiled = {
      kind: "date-holidays",
      country: "SE",
      state: undefined,
      region: undefined,
      closeTypes: new Set(["public"]),
      eveTypes: new Set(["public"]),
      substituteDays: "both",
    } as const;
    const easterMonday = dayOf("2026-04-06");
    const provider = slot.dateHolidaysLookup(compiled);
    expect(provider).toBeInstanceOf(holidays.DateHolidaysLookup);
    expect(provider.closes(easterMonday)).toBe(true);
    expect(provider.describeClosing(easterMonday, "2026-04-06")).toEqual([
      { date: "2026-04-06", name: "annandag påsk", nameEn: "Easter Monday", type: "public" },
    ]);
  });
});
