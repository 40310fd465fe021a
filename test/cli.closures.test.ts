// `--closures <file.ics>`: iCalendar feeds read wherever the CLI builds a calendar (hours, deadline,
// explain, evaluate, report, export). softone-se is open Mon–Fri 08–12 and 13–16 in Stockholm
// (SoftOne SE, "ordinarie öppettider"); July 2026 has no Swedish holidays or eves.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./support/cli";
import { tempDir } from "./support/temp-dir";

const dir = tempDir("sla-clock-closures-");

function ics(...events: string[][]): string {
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//sla-clock test//EN",
    ...events.flatMap((lines, i) => ["BEGIN:VEVENT", `UID:e${i}`, "DTSTAMP:20260101T000000Z", ...lines, "END:VEVENT"]),
    "END:VCALENDAR",
    "",
  ].join("\r\n");
}

function feed(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// Mon–Tue 20–21 July closed all day; Wed 22 July 02:30–03:30 in New York (UTC−4) is 08:30–09:30 in
// Stockholm (UTC+2).
const summer = feed(
  "summer.ics",
  ics(
    ["SUMMARY:Summer closure", "DTSTART;VALUE=DATE:20260720", "DTEND;VALUE=DATE:20260722"],
    [
      "SUMMARY:All-hands (New York)",
      "DTSTART;TZID=America/New_York:20260722T023000",
      "DTEND;TZID=America/New_York:20260722T033000",
    ],
  ),
);

describe("--closures", () => {
  it("hours: all-day events close their dates, a timed event in another zone closes its stretch", async () => {
    const r = await cli(["hours", "softone-se", "--from", "2026-07-20", "--to", "2026-07-22", "--closures", summer]);
    expect(r.code).toBe(0);
    const lines = r.out.split("\n").filter((l) => /^2026-07-2/.test(l));
    expect(lines[0]).toMatch(/^2026-07-20 +mon +closed .*closed: Summer closure/);
    expect(lines[1]).toMatch(/^2026-07-21 +tue +closed .*closed: Summer closure/);
    expect(lines[2]).toMatch(/^2026-07-22 +wed +08:00–08:30, 09:30–12:00, 13:00–16:00 +6\.00 +override: All-hands/);
  });

  it("goes into the rules in force on each date: a calendar's version, not only its own rules", async () => {
    const week = (close: string) =>
      Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["08:00", close]]]));
    const spec = join(dir, "versioned.json");
    writeFileSync(
      spec,
      JSON.stringify({
        zone: "Europe/Stockholm",
        weekly: week("16:00"),
        versions: [{ from: "2026-06-01", spec: { weekly: week("17:00") } }],
      }),
    );
    const closures = feed(
      "versioned.ics",
      ics(
        ["SUMMARY:Spring closure", "DTSTART;VALUE=DATE:20260519"],
        ["SUMMARY:Summer closure", "DTSTART;VALUE=DATE:20260721"],
        [
          "SUMMARY:Workshop",
          "DTSTART;TZID=Europe/Stockholm:20260722T090000",
          "DTEND;TZID=Europe/Stockholm:20260722T110000",
        ],
      ),
    );
    const hours = async (from: string, to: string) =>
      (await cli(["hours", spec, "--from", from, "--to", to, "--closures", closures])).out
        .split("\n")
        .filter((l) => /^2026-/.test(l));
    expect((await hours("2026-05-19", "2026-05-19"))[0]).toMatch(/^2026-05-19 +tue +closed .*Spring closure/);
    const july = await hours("2026-07-20", "2026-07-22");
    expect(july[0]).toMatch(/^2026-07-20 +mon +08:00–17:00 +9\.00/);
    // Before, both were 08:00–17:00: the entries went to the spec's own rules, which end on 1 June.
    expect(july[1]).toMatch(/^2026-07-21 +tue +closed .*Summer closure/);
    expect(july[2]).toMatch(/^2026-07-22 +wed +08:00–09:00, 11:00–17:00 +7\.00 +override: Workshop/);
  });

  it("a closure inside an overnight interval leaves the time after midnight to the next date, in that date's version", async () => {
    // Friday 19 June 21:00–03:00 from the spec's own rules; Saturday 20 June is in the version from
    // that date, open 08:00–12:00. The closure 22:00–02:30 leaves Friday 21:00–22:00 and Saturday
    // 02:30–03:00, which goes into the version's overrides (the spec's own would be refused there).
    const spec = join(dir, "nov.json");
    writeFileSync(
      spec,
      JSON.stringify({
        id: "nov",
        zone: "Europe/Stockholm",
        weekly: { fri: [["21:00", "03:00"]] },
        versions: [{ from: "2026-06-20", spec: { weekly: { fri: [["21:00", "03:00"]], sat: [["08:00", "12:00"]] } } }],
      }),
    );
    const night = feed("night.ics", ics(["SUMMARY:Night maint", "DTSTART:20260619T200000Z", "DTEND:20260620T003000Z"]));
    const r = await cli(["hours", spec, "--from", "2026-06-19", "--to", "2026-06-20", "--closures", night]);
    // Before, exit 2: "26:30" is not a time of day.
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const lines = r.out.split("\n").filter((l) => /^2026-/.test(l));
    expect(lines[0]).toMatch(/^2026-06-19 +fri +21:00–22:00 +1\.00 +override: Night maint/);
    expect(lines[1]).toMatch(/^2026-06-20 +sat +02:30–03:00, 08:00–12:00 +4\.50 +override: Night maint/);
  });

  it("deadline: Fri 15:00 + 2 business hours moves from Mon 09:00 to Wed 10:00", async () => {
    // Without the feed: Fri 15–16 (1 h), Mon 08–09. With it: Fri 15–16, Wed 08:00–08:30, 09:30–10:00.
    const args = ["deadline", "softone-se", "2026-07-17 15:00", "--priority", "1"];
    expect((await cli(args)).out).toBe("2026-07-20T09:00:00+02:00\n");
    expect((await cli([...args, "--closures", summer])).out).toBe("2026-07-22T10:00:00+02:00\n");
  });

  it("is repeatable, and expands recurrences: a weekly all-day closure every Thursday", async () => {
    const thursdays = feed(
      "thursdays.ics",
      ics([
        "SUMMARY:Training day",
        "DTSTART;VALUE=DATE:20260102",
        "DTEND;VALUE=DATE:20260103",
        "RRULE:FREQ=WEEKLY;BYDAY=TH",
      ]),
    );
    const r = await cli([
      "hours",
      "softone-se",
      "--from",
      "2026-07-20",
      "--to",
      "2026-07-24",
      "--closures",
      summer,
      "--closures",
      thursdays,
    ]);
    expect(r.code).toBe(0);
    const closed = r.out
      .split("\n")
      .filter((l) => /^2026-07-2\d .* closed /.test(l))
      .map((l) => l.slice(0, 10));
    expect(closed).toEqual(["2026-07-20", "2026-07-21", "2026-07-23"]);
  });

  it("an all-day closure wins over a date override or an open date of the spec; a timed one cuts an open date's hours", async () => {
    const spec = feed(
      "spec.json",
      JSON.stringify({
        zone: "Europe/Stockholm",
        weekly: { mon: [["08:00", "16:00"]] },
        holidays: {
          source: "list",
          dates: [
            { date: "2026-07-21", name: "Own holiday" },
            { date: "2026-07-22", name: "Other" },
          ],
        },
        overrides: [{ date: "2026-07-20", hours: [["10:00", "12:00"]], name: "Short Monday" }],
        openDates: [
          { date: "2026-07-21", hours: [["09:00", "11:00"]] },
          { date: "2026-07-22", hours: [["08:00", "12:00"]] },
        ],
      }),
    );
    const r = await cli(["hours", spec, "--from", "2026-07-20", "--to", "2026-07-22", "--closures", summer]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/2026-07-20 +mon +closed +0\.00/);
    expect(r.out).toMatch(/2026-07-21 +tue +closed +0\.00/);
    expect(r.out).toMatch(/2026-07-22 +wed +08:00–08:30, 09:30–12:00 +3\.00/);
  });

  it("evaluate and export read the feed too", async () => {
    const csv = feed("tickets.csv", "id,priority,created_at\nT-1,1,2026-07-17T15:00\n");
    const r = await cli([
      "evaluate",
      "softone-se",
      csv,
      "--now",
      "2026-07-30T00:00",
      "--format",
      "json",
      "--closures",
      summer,
    ]);
    expect(r.code).toBe(0);
    const { rows } = JSON.parse(r.out) as { rows: { response_deadline: string }[] };
    expect(rows[0]?.response_deadline).toBe("2026-07-22T10:00:00+02:00");
    const sql = await cli([
      "export",
      "softone-se",
      "--from",
      "2026-07-20",
      "--to",
      "2026-07-23",
      "--format",
      "csv",
      "--out",
      join(dir, "export"),
      "--closures",
      summer,
    ]);
    expect(sql.code).toBe(0);
    const intervals = readFileSync(join(dir, "export", "sla_interval.csv"), "utf8");
    // Only Wednesday is open in the range: three stretches.
    expect(intervals.trim().split("\n").length - 1).toBe(3);
    // The closures are part of the exported spec's hash: a table built without them reads as stale.
    const plain = await cli([
      "export",
      "softone-se",
      "--from",
      "2026-07-20",
      "--to",
      "2026-07-23",
      "--format",
      "csv",
      "--out",
      join(dir, "plain"),
    ]);
    expect(plain.code).toBe(0);
    const hashOf = (folder: string) =>
      readFileSync(join(dir, folder, "sla_meta.csv"), "utf8")
        .split("\n")[1]
        ?.split(",")[3];
    expect(hashOf("export")).toMatch(/^fnv1a64:[0-9a-f]+$/);
    expect(hashOf("export")).not.toBe(hashOf("plain"));
  });

  it("refuses closures on a combined calendar (they belong to a member's spec)", async () => {
    const combined = feed(
      "combined.json",
      JSON.stringify({
        anyOf: [
          { zone: "Europe/Stockholm", weekly: { mon: [["08:00", "16:00"]] } },
          { zone: "America/New_York", weekly: { mon: [["09:00", "17:00"]] } },
        ],
      }),
    );
    const r = await cli(["hours", combined, "--from", "2026-07-20", "--to", "2026-07-20", "--closures", summer]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("combined calendar");
  });

  it("reads a name folded inside a multi-byte character (RFC 5545 folds octets), with CRLF or LF line ends", async () => {
    const text = ics(["SUMMARY:Stängt i Göteborg", "DTSTART;VALUE=DATE:20260720", "DTEND;VALUE=DATE:20260721"]);
    const bytes = Buffer.from(text, "utf8");
    // The fold goes between the two octets of "ö" (C3 B6).
    const at = bytes.indexOf(Buffer.from("ö", "utf8")) + 1;
    const folded = (lineEnd: string, fold: string) =>
      Buffer.concat([bytes.subarray(0, at), Buffer.from(fold), bytes.subarray(at)])
        .toString("latin1")
        .replace(/\r\n/g, lineEnd);
    for (const [name, lineEnd, fold] of [
      ["fold-crlf.ics", "\r\n", "\r\n "],
      ["fold-lf.ics", "\n", "\n\t"],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, Buffer.from(folded(lineEnd, fold), "latin1"));
      const r = await cli(["hours", "softone-se", "--from", "2026-07-20", "--to", "2026-07-20", "--closures", path]);
      expect(r.code, name).toBe(0);
      expect(r.out, name).toMatch(/^2026-07-20 +mon +closed .*closed: Stängt i Göteborg/m);
    }
  });

  it("refuses a file that is not .ics, a missing file and a bad feed with exit 2, naming the file", async () => {
    const args = ["deadline", "softone-se", "2026-07-17 15:00", "--priority", "1", "--closures"];
    const txt = feed("closures.txt", "x");
    const bad = feed("bad.ics", "not a calendar");
    const missing = join(dir, "missing.ics");
    for (const [path, message] of [
      [txt, "expected an iCalendar file (.ics)"],
      [missing, "no such file or directory"],
      [bad, "Invalid ICS"],
    ] as const) {
      const r = await cli([...args, path]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(path);
      expect(r.err).toContain(message);
    }
  });
});
