// The rough edges of the small commands: --version, hours' default week, deadline's start forms and
// window targets, and help texts that speak only of their own command.
import { readFileSync } from "node:fs";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { getPolicy, holidaysFromIcs } from "../src/index";
import { cli } from "./support/cli";

describe("sla-clock --version", () => {
  it("prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(await cli(["--version"])).toMatchObject({ code: 0, out: `${version}\n` });
  });
});

describe("sla-clock hours", () => {
  it("shows the current week, Monday to Sunday in the calendar's zone, without --from/--to", async () => {
    const r = await cli(["hours", "softone-fi"]);
    expect(r.code).toBe(0);
    const monday = DateTime.now().setZone("Europe/Helsinki").startOf("week");
    const days = r.out.split("\n").filter((l) => /^\d{4}-\d{2}-\d{2} /.test(l));
    expect(days.map((l) => l.slice(0, 10))).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map((d) => monday.plus({ days: d }).toISODate()),
    );
  });
});

describe("sla-clock hours --format ics", () => {
  it("prints the closed and short days as an iCalendar feed that reads back as the calendar's holidays", async () => {
    const r = await cli(["hours", "softone-se", "--from", "2026-12-01", "--to", "2026-12-31", "--format", "ics"]);
    expect(r.code).toBe(0);
    expect(r.out.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    const holidays = await holidaysFromIcs(r.out, { from: "2026-12-01", to: "2026-12-31", timedEvents: "ignore" });
    expect(holidays.dates.map((d) => d.date)).toEqual(["2026-12-25", "2026-12-26"]);
    expect((await cli(["hours", "softone-se", "--format", "pdf"])).code).toBe(2);
  });
});

describe("sla-clock deadline", () => {
  it("takes now", async () => {
    const before = Date.now();
    const r = await cli(["deadline", "softone-se", "now", "--priority", "3"]);
    const after = Date.now();
    expect(r.code).toBe(0);
    const policy = getPolicy("softone-se");
    const due = Date.parse(r.out.trim());
    expect(due).toBeGreaterThanOrEqual(policy.deadline(before, { priority: 3 })!.getTime());
    expect(due).toBeLessThanOrEqual(policy.deadline(after, { priority: 3 })!.getTime());
  });

  it.each([
    // Tuesday 2026-04-14 10:00 in Stockholm + 2 business hours (open 08–12, 13–16).
    [["2026-04-14 10:00"]],
    [["2026-04-14T10:00:00+02:00"]],
    [["14/04/2026 10:00", "--date-format", "dd/MM/yyyy HH:mm"]],
    [["1776153600", "--epoch", "s"]],
    [["1776153600000", "--epoch", "ms"]],
  ])("reads the start forms evaluate reads: %j", async ([start, ...flags]) => {
    const r = await cli(["deadline", "softone-se", start!, "--priority", "P1", ...flags]);
    expect(r).toMatchObject({ code: 0, out: "2026-04-14T12:00:00+02:00\n" });
  });

  it("prints both ends of a window target", async () => {
    // Priority 4 resolution: between 1 month and 6 months of calendar time.
    const r = await cli(["deadline", "softone-se", "2026-01-31 10:00", "--priority", "4", "--metric", "resolution"]);
    expect(r).toMatchObject({ code: 0, out: "between 2026-02-28T10:00:00+01:00 and 2026-07-31T10:00:00+02:00\n" });
  });

  it("names a priority that does not exist, with the valid ones", async () => {
    const r = await cli(["deadline", "softone-se", "now", "--priority", "Urgent"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--priority: "Urgent" is not a priority of the policy; valid priorities are 1, 2, 3, 4, 5');
  });
});

describe("help texts", () => {
  it("speak of each command's own exit codes and options", async () => {
    for (const command of ["policies", "hours", "deadline"]) {
      const help = (await cli([command, "--help"])).out;
      expect(help).toContain("Exit codes: 0 success");
      expect(help).not.toContain("some rows failed");
    }
    for (const command of ["evaluate", "report"]) {
      const help = (await cli([command, "--help"])).out;
      expect(help).toContain("1 --strict was given and some rows failed");
      expect(help).toContain("3 unexpected");
    }
    expect((await cli(["report", "--help"])).out).not.toContain("--format json");
  });
});
