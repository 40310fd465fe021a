/**
 * date-holidays is loaded when a calendar first needs it, not when sla-clock is imported (issue 14:
 * it was about half of every process's load time and most of a browser bundle). Each case runs in a
 * fresh child process (the module registry is per process), importing src/ through tsx as CommonJS
 * so that every module loaded, ours or a dependency's, shows in `require.cache`.
 */
import { describe, expect, it } from "vitest";
import { lazyLoadChild } from "./support/lazy-load-child";
import { registerDateHolidays, SlaClockError } from "../src/index";

/**
 * Runs `body` in a fresh child with `sla`, `day` and `loaded()` (see lazyLoadChild): whether
 * date-holidays' code (or its parser's) is loaded. Its package.json alone does not count: the
 * presets' holiday table reads the version from it (src/calendar/holiday-table.ts).
 */
function child(body: string): string[] {
  return lazyLoadChild("[\\\\/]date-holidays(-parser)?[\\\\/]lib[\\\\/]", `const loaded = probe;\n${body}`);
}

describe("date-holidays is loaded on first need", () => {
  it("is not loaded by importing sla-clock nor by a calendar without holidays, and is by one with them", () => {
    const out = child(`
console.log("import", loaded());
const plain = sla.createCalendar({ zone: "Europe/Stockholm", weekly: { mon: day, tue: day } });
plain.addBusinessTime("2026-03-02T09:00:00Z", { hours: 12 });
const listed = sla.createCalendar({ zone: "Europe/Stockholm", weekly: { mon: day }, holidays: { source: "list", dates: [{ date: "2026-03-09", name: "Closed" }] } });
listed.addBusinessTime("2026-03-02T09:00:00Z", { hours: 12 });
console.log("no date-holidays source", loaded());
const se = sla.createCalendar({ zone: "Europe/Stockholm", weekly: { mon: day, tue: day, wed: day, thu: day, fri: day }, holidays: { country: "SE" } });
console.log("country SE", loaded(), se.addBusinessTime("2026-04-02T15:00:00Z", { hours: 2 }).toISOString());
const no = sla.createCalendar({ zone: "Europe/Oslo", weekly: { mon: day, tue: day, wed: day, thu: day, fri: day }, holidays: { country: "NO" } });
console.log("country NO", loaded(), no.addBusinessTime("2026-04-02T15:00:00Z", { hours: 2 }).toISOString());
`);
    expect(out).toEqual([
      "import false",
      "no date-holidays source false",
      // Thu 2 April 17:00 Stockholm is after close; Good Friday and Easter Monday are closed.
      // Sweden's public holidays of 2026 are in the presets' table (the same source as softone-se's).
      "country SE false 2026-04-07T08:00:00.000Z",
      // Norway's are not: date-holidays lists them. Maundy Thursday is closed there too.
      "country NO true 2026-04-07T08:00:00.000Z",
    ]);
  });

  it("is not loaded by the presets on their table's years, with unchanged answers", () => {
    const out = child(`
const before = loaded();
const due = sla.getPolicy("softone-se").deadline("2026-04-02T09:00:00Z", { priority: 2 });
console.log(before, loaded(), due.toISOString());
`);
    const expected = child(`
const Holidays = require("date-holidays");
sla.registerDateHolidays(Holidays);
console.log(sla.getPolicy("softone-se").deadline("2026-04-02T09:00:00Z", { priority: 2 }).toISOString());
`);
    expect(out[0]).toBe(`false false ${expected[0]}`);
  });

  it("without a Node require, a date-holidays spec says to register the class, and works once it is", () => {
    const out = child(`
const Holidays = require("date-holidays");
require("./src/util/zod.ts").zod(); // a browser bundle has zod (dist/browser/ imports it statically)...
process.getBuiltinModule = undefined; // ...and no Node require
const spec = { zone: "Europe/Stockholm", weekly: { mon: day }, holidays: { country: "SE" } };
try { sla.createCalendar(spec); console.log("created"); } catch (e) { console.log(e.code, JSON.stringify(e.details.issues)); }
sla.registerDateHolidays(Holidays);
console.log(sla.createCalendar(spec).isOpen("2026-04-06T08:00:00Z"));
`);
    expect(out[0]).toMatch(
      /^INVALID_CALENDAR_SPEC \[\{"path":"holidays","message":"date-holidays is not available here.*registerDateHolidays\(Holidays\)/,
    );
    expect(out[1]).toBe("false"); // Easter Monday, closed
  });

  it("registerDateHolidays refuses anything but the date-holidays class", () => {
    for (const bad of [undefined, null, {}, "date-holidays", () => 1]) {
      expect(() => registerDateHolidays(bad as never)).toThrow(SlaClockError);
      try {
        registerDateHolidays(bad as never);
      } catch (e) {
        expect((e as SlaClockError).code).toBe("INVALID_ARGUMENT");
      }
    }
  });
});
