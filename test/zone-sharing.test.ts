/**
 * Calendars of one zone share the zone's offset rules for the life of the process (issue 20:
 * "share what is shared"). Sharing must not change an answer: a calendar among many of its zone,
 * queried in between, answers exactly as the same calendar in a fresh process where it is alone.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { engineOf } from "../src/calendar/calendar";
import { createCalendar, type CalendarSpec } from "../src/index";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const hours: [string, string][] = [
  ["08:00", "12:00"],
  ["13:00", "17:00"],
];
const spec = (closed: string): CalendarSpec => ({
  id: `customer-${closed}`,
  zone: "America/Santiago", // DST rules that moved around over the years
  weekly: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours },
  holidays: { country: "CL", types: ["public"] },
  closedDates: [closed],
});

/** Queries across DST changes and decades, answered as epoch ms. */
function answers(calendar: ReturnType<typeof createCalendar>): number[] {
  const out: number[] = [];
  for (let k = 0; k < 60; k++) {
    const t = Date.UTC(1975 + k, (k * 5) % 12, 1 + ((k * 7) % 27), (k * 5) % 24, (k * 13) % 60);
    out.push(calendar.addBusinessTime(t, (1 + (k % 9)) * 3_600_000).getTime());
    out.push(calendar.businessTimeBetween(t, t + 40 * 86_400_000));
    out.push(calendar.nextClose(t).getTime());
  }
  return out;
}

describe("zone rules shared between calendars", () => {
  it("one zone, one set of rules, whatever else the calendars differ in", () => {
    const a = createCalendar(spec("2026-04-14"));
    const b = createCalendar(spec("2026-04-15"));
    expect(engineOf(a).zone).toBe(engineOf(b).zone);
    expect(engineOf(createCalendar({ ...spec("2026-04-16"), zone: "Europe/Stockholm" })).zone).not.toBe(
      engineOf(a).zone,
    );
  });

  it("a calendar among many of its zone answers as it does alone in a fresh process", () => {
    const alone = JSON.parse(
      execFileSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "-e",
          `import { createCalendar } from "./src/index.ts";
           const hours = ${JSON.stringify(hours)};
           const spec = ${JSON.stringify(spec("2001-09-18"))};
           ${answers.toString()}
           process.stdout.write(JSON.stringify(answers(createCalendar(spec))));`,
        ],
        { cwd: ROOT, encoding: "utf8" },
      ),
    ) as number[];
    // Here: other calendars of the zone read the offsets first, in another order, and keep querying.
    const others = ["1999-01-04", "2010-03-15", "2026-04-14"].map((d) => createCalendar(spec(d)));
    for (const other of others) answers(other);
    const shared = createCalendar(spec("2001-09-18"));
    expect(answers(shared)).toEqual(alone);
  });
});
