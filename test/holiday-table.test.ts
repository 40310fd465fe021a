/**
 * The presets' holiday table (data/preset-holidays.json, src/calendar/holiday-table.ts) stands in
 * for date-holidays on a preset's common years. It may only ever say what date-holidays says: here
 * it is compared, source by source and year by year, with the installed date-holidays listing live
 * (under each host zone the suite runs in), and the presets' answers with and without it.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildHolidayTable, formatHolidayTable, installedVersions } from "../scripts/generate-holiday-table";
import type { HolidayTableFile } from "../src/calendar/holiday-table";
import { lazyLoadChild } from "./support/lazy-load-child";

const tablePath = fileURLToPath(new URL("../data/preset-holidays.json", import.meta.url));
const table = JSON.parse(readFileSync(tablePath, "utf8")) as HolidayTableFile;

const DATE_HOLIDAYS = "[\\\\/]node_modules[\\\\/]date-holidays(-parser)?[\\\\/]lib[\\\\/]";

describe("the presets' holiday table", () => {
  it("was made from the installed date-holidays (else run `npm run holiday-table`)", () => {
    expect(table.versions).toEqual(installedVersions());
  });

  it("lists every preset source's years exactly as date-holidays does now", () => {
    const live = buildHolidayTable();
    expect(Object.keys(table.sources)).toEqual(Object.keys(live.sources));
    for (const key of Object.keys(live.sources)) {
      expect(table.sources[key]?.multiDay, key).toBe(live.sources[key]?.multiDay);
      expect(table.sources[key]?.holidays, key).toEqual(live.sources[key]?.holidays);
      live.sources[key]?.years.forEach((rows, i) =>
        expect(table.sources[key]?.years[i], `${key} ${table.firstYear + i}`).toEqual(rows),
      );
    }
    // And the file is the generator's output byte for byte.
    expect(readFileSync(tablePath, "utf8")).toBe(formatHolidayTable(live));
  });

  it("answers a preset's first deadline without loading date-holidays, as date-holidays would", () => {
    const body = (register: string) => `
${register}
const due = sla.getPolicy("softone-se").deadline("2026-04-02T09:00:00Z", { priority: 3 });
const fi = sla.getPolicy("softone-fi", { closeDeFactoHolidays: true }).deadline("2026-12-23T12:00:00Z", { priority: 2 });
const dk = sla.getCalendar("moch-standard").addBusinessTime("2026-05-13T12:00:00Z", { hours: 10 });
console.log(probe(), due.toISOString(), fi.toISOString(), dk.toISOString());
const easterMonday = sla.getCalendar("softone-se").describeDay("2026-04-06");
console.log(probe(), easterMonday.open, JSON.stringify(easterMonday.reasons));
const far = sla.getPolicy("softone-se").deadline("2071-04-09T09:00:00Z", { priority: 3 });
console.log(probe(), far.toISOString());`;
    const withTable = lazyLoadChild(DATE_HOLIDAYS, body(""));
    // Registering the class makes date-holidays answer everything, as before the table.
    const live = lazyLoadChild(DATE_HOLIDAYS, body(`sla.registerDateHolidays(require("date-holidays"));`));
    expect(withTable[0]).toMatch(/^false /);
    expect(live[0]).toMatch(/^true /);
    expect(withTable[0]?.slice(6)).toBe(live[0]?.slice(5));
    // The table names a holiday in English too (`sla-clock explain`, the report's timelines), as
    // date-holidays does; a year outside the table asks date-holidays.
    expect(withTable[1]).toMatch(/^false false .*"nameEn":"Easter Monday"/);
    expect(withTable[1]?.slice(6)).toBe(live[1]?.slice(5));
    expect(withTable[2]).toBe(live[2]);
    expect(withTable[0]?.split(" ").slice(1)).toEqual([
      "2026-04-08T10:00:00.000Z",
      expect.any(String),
      expect.any(String),
    ]);
  });

  it("does not take a source out of the table that the table lacks", () => {
    const out = lazyLoadChild(
      DATE_HOLIDAYS,
      `
const cal = sla.createCalendar({ zone: "Europe/Oslo", weekly: { mon: day, tue: day, wed: day, thu: day, fri: day }, holidays: { country: "NO" } });
console.log(probe(), cal.isOpen("2026-05-25T10:00:00Z"));
try { sla.createCalendar({ zone: "Europe/Oslo", weekly: { mon: day }, holidays: { country: "SE", state: "XX" } }); } catch (e) { console.log(e.code, e.message); }`,
    );
    expect(out[0]).toBe("true false"); // Whit Monday in Norway
    expect(out[1]).toMatch(/^INVALID_CALENDAR_SPEC .*holidays\.state: "XX" is not a state of SE/);
  });
});
