// The exports help desks really produce (test/fixtures/exports/), read in one command each.
//
// Hand-checked deadlines. Every fixture holds the same three tickets, on Tuesday 2026-04-14 (no
// holiday near it), evaluated on softone-se: Europe/Stockholm (+02:00 in April), open 08–12 and
// 13–16 on weekdays (`sla-clock hours softone-se --from 2026-04-13 --to 2026-04-17`).
// - Priority 1, created 10:00: response 2 business hours → 10–12 → 12:00; resolution end of
//   business day → 16:00.
// - Priority 2, created 11:00: response 4 business hours → 11–12 (1 h) + 13–16 (3 h) → Tue 16:00;
//   resolution end of business week → Friday 2026-04-17 16:00.
// - Priority 3, created 09:30: response 12 business hours → Tue 09:30–12 (2.5) + 13–16 (3) = 5.5,
//   Wed 08–12 (4) = 9.5, 13:00–15:30 (2.5) = 12 → Wed 2026-04-15 15:30; resolution 4 weeks of
//   calendar time → 2026-05-12 09:30.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import { cli } from "./support/cli";
import { tempDir } from "./support/temp-dir";

const fixtures = fileURLToPath(new URL("./fixtures/exports/", import.meta.url));
const dir = tempDir("sla-clock-exports-");
const NOW = "2026-04-20T00:00Z";

type Row = Record<string, string>;
const rowsOf = (csv: string): Row[] => parse(csv, { columns: true }) as Row[];

async function evaluate(fixture: string, ...flags: string[]) {
  const r = await cli(["evaluate", "softone-se", join(fixtures, fixture), "--now", NOW, ...flags]);
  return { ...r, rows: r.code === 2 ? [] : rowsOf(r.out) };
}

/** The three hand-checked tickets (see the top of the file), by their ids in the fixture. */
function expectTheThree(rows: Row[], ids: [string, string, string]) {
  expect(rows.map((r) => [r.id, r.priority, r.error])).toEqual([
    [ids[0], "1", ""],
    [ids[1], "2", ""],
    [ids[2], "3", ""],
  ]);
  expect(rows.map((r) => r.response_deadline)).toEqual([
    "2026-04-14T12:00:00+02:00",
    "2026-04-14T16:00:00+02:00",
    "2026-04-15T15:30:00+02:00",
  ]);
  expect(rows.map((r) => r.resolution_deadline)).toEqual([
    "2026-04-14T16:00:00+02:00",
    "2026-04-17T16:00:00+02:00",
    "2026-05-12T09:30:00+02:00",
  ]);
}

describe("help-desk profiles", () => {
  it("reads a Zendesk export: profile detected, labels mapped, space dates with an offset", async () => {
    const r = await evaluate("zendesk.csv", "--priority-map", "Urgent=1,High=2,Normal=3");
    expect(r.code).toBe(0);
    expectTheThree(r.rows, ["101", "102", "103"]);
    // Solved at 15:00, before the end of the business day: met.
    expect(r.rows[0]!.resolution_status).toBe("met");
    expect(r.err).toContain("read as: comma-separated (detected), profile zendesk (detected)");
  });

  it("reads a Jira Service Management export in Jira's default date format", async () => {
    const r = await evaluate("jsm.csv", "--priority-map", "Highest=1,High=2,Medium=3");
    expectTheThree(r.rows, ["SD-1", "SD-2", "SD-3"]);
    expect(r.err).toContain("profile jsm (detected)");
  });

  it("reads --now in the date format of the export's profile, as its cells are", async () => {
    const iso = await evaluate("jsm.csv", "--priority-map", "Highest=1,High=2,Medium=3");
    // NOW (2026-04-20T00:00Z) is 2:00 AM in Stockholm, written as Jira writes its cells.
    const jiraNow = ["--priority-map", "Highest=1,High=2,Medium=3", "--now", "20/Apr/26 2:00 AM"];
    const detected = await evaluate("jsm.csv", ...jiraNow);
    expect(detected.err).not.toContain("--now");
    expect(detected.code).toBe(0);
    expect(detected.out).toBe(iso.out);
    const given = await evaluate("jsm.csv", "--profile", "jsm", ...jiraNow);
    expect(given.out).toBe(iso.out);
    const threads = await evaluate("jsm.csv", "--jobs", "2", ...jiraNow);
    expect(threads.out).toBe(iso.out);
    const report = await cli([
      "report",
      "softone-se",
      join(fixtures, "jsm.csv"),
      "--html",
      join(dir, "jsm-now.html"),
      ...jiraNow,
    ]);
    expect(report.code).toBe(0);
    // A profile without a date format of its own reads --now as its cells: not in Jira's format.
    const zendesk = join(dir, "zendesk-now.csv");
    writeFileSync(zendesk, "Id,Priority,Created at,Solved at\n1,1,2026-04-14 10:00:00 +0200,\n");
    const refused = await cli(["evaluate", "softone-se", zendesk, "--now", "20/Apr/26 2:00 AM"]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--now: "20/Apr/26 2:00 AM" is not an ISO-8601 date-time');
    expect(refused.out).toBe("");
  });

  it("refuses --now in a profile's format out of range as out of range, detected or given (it said not ISO-8601)", async () => {
    const early = ["--priority-map", "Highest=1,High=2,Medium=3", "--now", "01/Jan/1850 10:00 AM"];
    for (const flags of [early, ["--profile", "jsm", ...early]]) {
      const r = await cli(["evaluate", "softone-se", join(fixtures, "jsm.csv"), ...flags]);
      expect(r.code, flags.join(" ")).toBe(2);
      expect(r.err, flags.join(" ")).toMatch(/--now: "01\/Jan\/1850 10:00 AM": 1850-01-01T\S+ is out of range/);
      expect(r.err).not.toContain("ISO-8601");
      expect(r.out).toBe("");
    }
  });

  it("names the profile's date format as the profile's in messages, --date-format only when given (it said --date-format either way)", async () => {
    const jsm = join(fixtures, "jsm.csv");
    const priorities = ["--priority-map", "Highest=1,High=2,Medium=3"];
    const profileNow = await cli([
      "evaluate",
      "softone-se",
      jsm,
      "--profile",
      "jsm",
      "--now",
      "garbage",
      ...priorities,
    ]);
    expect(profileNow.code).toBe(2);
    expect(profileNow.err).toContain(
      `--now: "garbage" is not an ISO-8601 date-time (a date-time starts with its date; a time alone would silently mean today); it does not match the jsm profile's date format 'dd/MMM/yy h:mm a' either`,
    );
    const given = ["--date-format", "dd/MMM/yy h:mm a"];
    const flagNow = await cli(["evaluate", "softone-se", jsm, ...given, "--now", "garbage", ...priorities]);
    expect(flagNow.err).toContain("it does not match --date-format 'dd/MMM/yy h:mm a' either");
    const jira = join(dir, "jsm-bad-cell.csv");
    writeFileSync(jira, "Issue key,Priority,Created,Resolved\nSD-2,High,later,\n");
    for (const flags of [[], ["--profile", "jsm"], given]) {
      const r = await cli(["evaluate", "softone-se", jira, "--now", NOW, "--priority-map", "High=2", ...flags]);
      const [row] = rowsOf(r.out);
      expect(row!.error, flags.join(" ")).toMatch(
        flags === given
          ? /"later" is not an ISO-8601 date-time .*; it does not match --date-format 'dd\/MMM\/yy h:mm a' either$/
          : /"later" is not an ISO-8601 date-time .*; it does not match the jsm profile's date format 'dd\/MMM\/yy h:mm a' either$/,
      );
    }
    // With --jobs the worker threads read the cells: the same message.
    const threads = await cli([
      "evaluate",
      "softone-se",
      jira,
      "--now",
      NOW,
      "--priority-map",
      "High=2",
      "--jobs",
      "2",
    ]);
    expect(rowsOf(threads.out)[0]!.error).toMatch(/the jsm profile's date format 'dd\/MMM\/yy h:mm a' either$/);
  });

  it("names a profile's column as the export heads it, and the cell as written, in row errors", async () => {
    const file = join(dir, "zendesk-errors.csv");
    writeFileSync(
      file,
      "Id,Priority,Created at,Solved at,Requester time zone\n" +
        "1,1,2026-04-14 10:00:00 +0200,31/02/2026 10:00,\n" +
        "2,1,2026-04-14 10:00:00 +0200,2026-04-13 15:00:00 +0200,\n" +
        // The row's zone is no part of the cell: the message quotes the cell alone.
        "3,1,2026-04-14 10:00,yesterday,Europe/Helsinki\n" +
        "4,1,2026-04-14 10:00,2026-04-14 12:00:00 +0000,Europe/Helsinki\n" +
        "5,1,2026-04-14 10:00,1800-01-01 10:00,\n" +
        ",1,2026-04-14 10:00,,\n",
    );
    const flags = ["--now", NOW, "--columns", "timezone=Requester time zone"];
    const r = await cli(["evaluate", "softone-se", file, ...flags]);
    expect(r.code).toBe(0);
    const errors = rowsOf(r.out).map((row) => row.error);
    expect(errors[0]).toMatch(/^column "Solved at" \(resolved_at\): "31\/02\/2026 10:00" is not an ISO-8601 date-time/);
    expect(errors[1]).toBe(
      "ticket 2: events[0]: resolve at 2026-04-13T13:00:00.000Z is before the ticket was created (2026-04-14T08:00:00.000Z) " +
        '(events[0] is column "Solved at" (resolved_at): "2026-04-13 15:00:00 +0200")',
    );
    expect(errors[2]).toMatch(/^column "Solved at" \(resolved_at\): "yesterday" is not an ISO-8601 date-time/);
    expect(errors[3]).toMatch(
      /^column "Solved at" \(resolved_at\): "2026-04-14 12:00:00 \+0000": the offset \+0000 disagrees with \[Europe\/Helsinki\]/,
    );
    expect(errors[4]).toMatch(
      /^column "Solved at" \(resolved_at\): "1800-01-01 10:00": 1800-01-01T\S+ is out of range/,
    );
    // A column that spells its field (Zendesk's "Id", "Created at") keeps the field's name alone.
    expect(errors[5]).toBe("id: missing");
    const jira = join(dir, "jsm-errors.csv");
    writeFileSync(jira, "Issue key,Priority,Created,Resolved\n,High,14/Apr/26 10:00 AM,\nSD-2,High,later,\n");
    const j = await cli(["evaluate", "softone-se", jira, "--now", NOW, "--priority-map", "High=2", "--format", "json"]);
    const rows = (JSON.parse(j.out) as { rows: { error: string | null }[] }).rows;
    expect(rows[0]!.error).toBe('column "Issue key" (id): missing');
    expect(rows[1]!.error).toMatch(/^column "Created" \(created_at\): "later" is not an ISO-8601 date-time/);
    // The report lists failed rows with the same error.
    const html = join(dir, "zendesk-errors.html");
    expect((await cli(["report", "softone-se", file, ...flags, "--html", html])).code).toBe(0);
    expect(readFileSync(html, "utf8")).toContain("(resolved_at): &quot;31/02/2026 10:00&quot; is not");
  });

  it("writes a header holding quotes escaped in row errors, so that the message reads one way", async () => {
    const file = join(dir, "quoted-header.csv");
    writeFileSync(file, '"Ärende ""nr""",Prio,Skapad,Väntan\n,1,2026-04-14 10:00,\nK-2,1,2026-04-14 10:00,later/\n');
    const columns = 'id=Ärende "nr",priority=Prio,created_at=Skapad,pauses=Väntan';
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW, "--columns", columns]);
    const errors = rowsOf(r.out).map((row) => row.error);
    expect(errors[0]).toBe('column "Ärende \\"nr\\"" (id): missing');
    // A header without quotes is written as before.
    expect(errors[1]).toMatch(/^column "Väntan" \(pauses, pair 1, start\): "later" is not an ISO-8601 date-time/);
  });

  it("reads a Freshdesk export, with its initial response time", async () => {
    const r = await evaluate("freshdesk.csv", "--profile", "freshdesk", "--priority-map", "Urgent=1,High=2,Medium=3");
    expectTheThree(r.rows, ["1", "2", "3"]);
    // Answered at 10:30, before 12:00: 1.5 business hours to spare.
    expect(r.rows[0]).toMatchObject({ response_status: "met", response_remaining_hours: "1.50" });
    expect(r.err).toContain("profile freshdesk (--profile)");
  });

  it("an unmapped priority is a row error that lists the valid ones", async () => {
    const r = await evaluate("zendesk.csv");
    expect(r.code).toBe(0);
    expect(r.rows[0]!.error).toContain(
      'priority: "Urgent" is not a priority of the policy; valid priorities are 1, 2, 3, 4, 5',
    );
    expect(r.rows[0]!.error).toContain("--priority-map");
    expect((await evaluate("zendesk.csv", "--strict")).code).toBe(1);
  });

  it("a header that fits no profile names the headers and the --columns to write", async () => {
    const file = join(dir, "other.csv");
    writeFileSync(file, "Ticket No,Severity,Opened on,Subject\nA-1,1,2026-04-14 10:00,x\n");
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('it has "Ticket No", "Severity", "Opened on", "Subject"');
    expect(r.err).toContain("--columns 'id=Ticket No,priority=Severity,created_at=Opened on'");
    const mapped = await cli([
      "evaluate",
      "softone-se",
      file,
      "--now",
      NOW,
      "--columns",
      "id=Ticket No,priority=Severity,created_at=Opened on",
    ]);
    expect(rowsOf(mapped.out)[0]).toMatchObject({ id: "A-1", response_deadline: "2026-04-14T12:00:00+02:00" });
  });

  it("takes the mapping from a JSON file, and refuses a mapped header the file lacks", async () => {
    const file = join(dir, "other2.csv");
    writeFileSync(file, "Ticket No,Severity,Opened on\nA-1,1,2026-04-14 10:00\n");
    const mapping = join(dir, "columns.json");
    writeFileSync(mapping, JSON.stringify({ id: "Ticket No", priority: "Severity", created_at: "Opened on" }));
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW, "--columns", mapping]);
    expect(rowsOf(r.out)[0]).toMatchObject({ id: "A-1", response_deadline: "2026-04-14T12:00:00+02:00" });
    const wrong = await cli([
      "evaluate",
      "softone-se",
      file,
      "--columns",
      "id=Ticket No,priority=Prio,created_at=Opened on",
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('--columns maps priority to "Prio", which the CSV header does not have');
  });
});

describe("columns that are easy to lose", () => {
  it("keeps a detected profile when --columns maps one more column", async () => {
    const file = join(dir, "zendesk-zoned.csv");
    writeFileSync(
      file,
      "Id,Priority,Created at,Solved at,Requester time zone\n" +
        // 11:00 in Helsinki = 10:00 in Stockholm; solved 15:00 Stockholm time (Z): before 16:00, met.
        "7,1,2026-04-14 11:00,2026-04-14T13:00:00Z,Europe/Helsinki\n",
    );
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW, "--columns", "timezone=Requester time zone"]);
    expect(rowsOf(r.out)[0]).toMatchObject({
      response_deadline: "2026-04-14T12:00:00+02:00",
      resolution_status: "met",
    });
    expect(r.err).toContain("profile zendesk (detected)");
  });

  it("refuses --columns and --profile with NDJSON input, whose keys are the field names", async () => {
    const file = join(dir, "mapped.ndjson");
    writeFileSync(
      file,
      '{"id":"1","priority":"2","created_at":"2026-04-14 10:00","Closed":"2026-04-14 11:00","Opened":"2026-04-14 09:00"}\n',
    );
    const columns = ["--columns", "resolved_at=Closed,created_at=Opened"];
    for (const [command, flags] of [
      ["evaluate", columns],
      ["evaluate", ["--profile", "zendesk"]],
      ["report", [...columns, "--html", join(dir, "mapped.html")]],
    ] as const) {
      const r = await cli([command, "softone-se", file, "--now", NOW, ...flags]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`${flags[0]} applies to a CSV header`);
      expect(r.out).toBe("");
    }
  });

  it("does not read Zendesk's Reopens and Replies counts as instants under its profile", async () => {
    const file = join(dir, "zendesk-counts.csv");
    writeFileSync(
      file,
      "Id,Priority,Created at,Solved at,Reopens,Replies\n201,Urgent,2026-04-14 10:00:00 +0200,2026-04-14 15:00:00 +0200,0,2\n",
    );
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW, "--priority-map", "Urgent=1"]);
    expect(r.code).toBe(0);
    // Solved 15:00, before the 16:00 deadline.
    expect(rowsOf(r.out)[0]).toMatchObject({ id: "201", error: "", resolution_status: "met" });
    expect(r.err).toContain("profile zendesk (detected)");
    expect(r.err).not.toContain("not read:");
    // Without the profile, a column named reopens is still the field.
    writeFileSync(file, "id,priority,created_at,reopens\nR-1,1,2026-04-14 10:00,0\n");
    const plain = await cli(["evaluate", "softone-se", file, "--now", NOW]);
    expect(rowsOf(plain.out)[0]?.error).toContain("reopens");
  });

  it("sees a zone word and a resolution instant inside longer headers (Jira's custom fields)", async () => {
    const file = join(dir, "jsm-custom.csv");
    writeFileSync(
      file,
      "Issue key,Priority,Created,Resolution,Resolution date,Custom field (Time zone)\n" +
        "SD-1,High,14/Apr/26 10:00 AM,Done,14/Apr/26 11:00 AM,America/New_York\n",
    );
    const flags = ["evaluate", "softone-se", file, "--now", NOW, "--priority-map", "High=2"];
    const refused = await cli(flags);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('the CSV column "Custom field (Time zone)" looks like a time zone');
    const waved = await cli([...flags, "--ignore-zone-column"]);
    expect(waved.code).toBe(0);
    // "Resolution" is the status text ("Done"), not an instant: not named.
    expect(waved.err).toContain('not read: "Resolution date" (an instant');
  });

  it("refuses a profile's column beside a column with the field's own name, unless --columns picks one", async () => {
    const file = join(dir, "jsm-twice.csv");
    writeFileSync(
      file,
      "Issue key,Priority,Created,Resolved,created_at\nSD-1,1,2026-04-14T10:00+02:00,,2026-04-14T09:00+02:00\n",
    );
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('"Created" (column 3) and "created_at" (column 5), which both read as "created_at"');
    const chosen = await cli(["evaluate", "softone-se", file, "--now", NOW, "--columns", "created_at=Created"]);
    expect(chosen.code).toBe(0);
    expect(rowsOf(chosen.out)[0]?.response_deadline).toBe("2026-04-14T12:00:00+02:00");
  });

  it("does not name Freshdesk's SLA status columns as unread instants", async () => {
    const file = join(dir, "freshdesk-statuses.csv");
    writeFileSync(
      file,
      "Ticket ID,Priority,Created time,Resolved time,Closed time,First response status,Resolution status,Every response status\n" +
        "1,Urgent,2026-04-14 10:00:00,2026-04-14 15:00:00,2026-04-14 16:00:00,Within SLA,Within SLA,SLA Violated\n",
    );
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW, "--priority-map", "Urgent=1"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("profile freshdesk (detected)");
    // "Closed time" is an instant nothing reads; the statuses ("Within SLA") hold none.
    expect(r.err).toContain('not read: "Closed time" (an instant');
    expect(r.err).not.toContain("status");
  });

  it("names columns that look like a response or resolution but are not read", async () => {
    const file = join(dir, "unread.csv");
    writeFileSync(file, "id,priority,created_at,Resolved time\nU-1,1,2026-04-14 10:00,2026-04-14 11:00\n");
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW]);
    expect(r.err).toContain('not read: "Resolved time" (an instant of the first response or the resolution?');
    // A header is text from the file: shown with its control characters escaped.
    writeFileSync(file, "id,priority,created_at,Resolved\u001b[2J\nU-1,1,2026-04-14 10:00,x\n");
    const hostile = await cli(["evaluate", "softone-se", file, "--now", NOW]);
    expect(hostile.err).toContain('not read: "Resolved\\u001b[2J"');
    expect(hostile.err).not.toContain("\u001b");
  });
});

describe("separators, BOM, CRLF and instant forms", () => {
  it("reads a Nordic Excel file: BOM, CRLF, semicolons, space dates, local-language priority labels", async () => {
    const r = await evaluate("nordic-excel.csv");
    expectTheThree(r.rows, ["N-1", "N-2", "N-3"]);
    expect(r.err).toContain("read as: semicolon-separated (detected)");
  });

  it("says a separator named by Excel's sep= line came from it, not from detection", async () => {
    const file = join(dir, "sep-line.csv");
    writeFileSync(file, "sep=;\nid;priority;created_at\nS-1;1;2026-04-14 10:00\n");
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("read as: semicolon-separated (sep= line)");
  });

  it("reads tab-separated text, and takes --delimiter", async () => {
    const file = join(dir, "tabs.tsv");
    writeFileSync(file, "id\tpriority\tcreated_at\nT-1\t1\t2026-04-14 10:00\n");
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW]);
    expect(rowsOf(r.out)[0]).toMatchObject({ id: "T-1", response_deadline: "2026-04-14T12:00:00+02:00" });
    expect(r.err).toContain("tab-separated (detected)");
    const forced = await cli(["evaluate", "softone-se", file, "--now", NOW, "--delimiter", "tab"]);
    expect(forced.err).toContain("tab-separated (--delimiter)");
  });

  it("reads epoch seconds and milliseconds only when told which", async () => {
    // 1776153600 s = 2026-04-14T08:00:00Z = 10:00 in Stockholm, and so on for the other rows.
    expectTheThree((await evaluate("epoch-s.csv", "--epoch", "s")).rows, ["E-1", "E-2", "E-3"]);
    expectTheThree((await evaluate("epoch-ms.csv", "--epoch", "ms")).rows, ["E-1", "E-2", "E-3"]);
    const unsaid = await evaluate("epoch-s.csv");
    expect(unsaid.rows[0]!.error).toContain("if it is an epoch time, say so with --epoch s or --epoch ms");
  });

  it("reads a pause whose instants hold a / (a day-first --date-format): at the / where both sides are instants", async () => {
    const file = join(dir, "day-first-pauses.csv");
    writeFileSync(
      file,
      [
        "id,priority,created_at,pauses",
        // Paused 10:30–13:30 on Tuesday 14 April: P1's 2 business hours are 10:00–10:30 and
        // 13:30–15:00 (lunch is 12–13), not 10:00–12:00.
        "P-1,1,14/04/2026 10:00,14/04/2026 10:30/14/04/2026 13:30",
        "P-2,1,14/04/2026 10:00,14/04/2026 10:30/", // still paused
        "P-3,1,14/04/2026 10:00,14/04/2026 10:30/garbage",
      ].join("\n") + "\n",
    );
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW, "--date-format", "dd/MM/yyyy HH:mm"]);
    const rows = rowsOf(r.out);
    expect(rows.map((x) => [x.id, x.error, x.response_deadline])).toEqual([
      ["P-1", "", "2026-04-14T15:00:00+02:00"],
      // Still paused at now (Monday 20 April 00:00): the 1.5 hours left counted from now.
      ["P-2", "", "2026-04-20T09:30:00+02:00"],
      ["P-3", expect.stringContaining('is not "start/end"'), ""],
    ]);
    expect(rows[1]!.response_status).toBe("paused");
  });

  it("reads day-first dates only with --date-format", async () => {
    const r = await evaluate("day-first.csv", "--date-format", "dd/MM/yyyy HH:mm");
    expect(r.rows.map((x) => [x.id, x.error, x.response_deadline])).toEqual([
      ["D-1", "", "2026-04-14T12:00:00+02:00"],
      ["D-2", "", "2026-04-14T16:00:00+02:00"],
      // 04/03 day-first: Wednesday 4 March 2026 (+01:00, before DST), 10:00 + 2 business hours.
      // Read month-first it would be Good Friday, 3 April: why the format is never guessed.
      ["D-3", "", "2026-03-04T12:00:00+01:00"],
    ]);
    expect(r.rows[0]!.resolution_status).toBe("met");
    const unsaid = await evaluate("day-first.csv");
    expect(unsaid.rows[0]!.error).toContain("pass --date-format");
  });

  it("keeps the zone or offset a --date-format reads from the cell: the instant, not a wall time in the policy's zone", async () => {
    const file = join(dir, "zoned-format.csv");
    writeFileSync(file, "id,priority,created_at\nA,1,2026-04-14 11:00 America/New_York\n");
    const named = await cli(["evaluate", "softone-se", file, "--now", NOW, "--date-format", "yyyy-MM-dd HH:mm z"]);
    // 11:00 in New York is 15:00Z, 17:00 in Stockholm, after hours: 2 business hours the next morning.
    expect(rowsOf(named.out).map((x) => [x.id, x.error, x.response_deadline])).toEqual([
      ["A", "", "2026-04-15T10:00:00+02:00"],
    ]);
    for (const [cell, token] of [
      ["2026-04-14 11:00 -04:00", "ZZ"],
      ["2026-04-14 11:00 -0400", "ZZZ"],
      ["2026-04-14 11:00 -4", "Z"],
    ] as const) {
      writeFileSync(file, `id,priority,created_at\nA,1,${cell}\n`);
      const r = await cli(["evaluate", "softone-se", file, "--now", NOW, "--date-format", `yyyy-MM-dd HH:mm ${token}`]);
      expect(rowsOf(r.out)[0]!.response_deadline).toBe("2026-04-15T10:00:00+02:00");
    }
  });
});

describe("zones", () => {
  it("reads each row's wall times in its timezone column; an unknown zone is a row error", async () => {
    const r = await evaluate("zone-column.csv");
    expect(r.rows.map((x) => [x.id, x.error, x.response_deadline])).toEqual([
      // 11:00 in Helsinki (+03:00) is 10:00 in Stockholm: + 2 business hours.
      ["Z-1", "", "2026-04-14T12:00:00+02:00"],
      // 03:00 in New York (-04:00) is 07:00Z, 09:00 in Stockholm: + 2 business hours.
      ["Z-2", "", "2026-04-14T11:00:00+02:00"],
      // No zone: the policy's.
      ["Z-3", "", "2026-04-14T12:00:00+02:00"],
      ["Z-4", 'timezone: "Mars/Olympus" is not an IANA time zone (such as Europe/Stockholm or UTC)', ""],
      // An instant with Z is that instant whatever the zone: 10:00 in Stockholm.
      ["Z-5", "", "2026-04-14T12:00:00+02:00"],
    ]);
  });

  it("refuses an offset that contradicts the row's zone, also when that zone is the policy's", async () => {
    const file = join(dir, "contradicting.csv");
    writeFileSync(
      file,
      "id,priority,created_at,timezone\n" +
        "A,1,2026-04-14 10:00 +0300,Europe/Stockholm\n" +
        "C,1,2026-04-14 10:00 +0300,europe/stockholm\n" +
        "D,1,2026-04-14 10:00 +0200,Europe/Stockholm\n",
    );
    const rows = rowsOf((await cli(["evaluate", "softone-se", file, "--now", NOW])).out);
    expect(rows.map((x) => x.id)).toEqual(["A", "C", "D"]);
    expect(rows[0]!.error).toContain("the offset +0300 disagrees with [Europe/Stockholm], which is at +02:00 then");
    expect(rows[1]!.error).toContain("the offset +0300 disagrees with [europe/stockholm], which is at +02:00 then");
    expect(rows[0]!.response_deadline).toBe("");
    // The offset Stockholm has then: it agrees.
    expect([rows[2]!.error, rows[2]!.response_deadline]).toEqual(["", "2026-04-14T12:00:00+02:00"]);
  });

  it("refuses a zone column nobody mapped, unless mapped or waved off", async () => {
    const file = join(dir, "zoned.csv");
    writeFileSync(file, "id,priority,created_at,Requester time zone\nQ-1,1,2026-04-14 11:00,Europe/Helsinki\n");
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('the CSV column "Requester time zone" looks like a time zone');
    expect(r.out).toBe("");
    const mapped = await cli(["evaluate", "softone-se", file, "--now", NOW, "--columns", "zone=Requester time zone"]);
    expect(rowsOf(mapped.out)[0]!.response_deadline).toBe("2026-04-14T12:00:00+02:00");
    const ignored = await cli(["evaluate", "softone-se", file, "--now", NOW, "--ignore-zone-column"]);
    expect(rowsOf(ignored.out)[0]!.response_deadline).toBe("2026-04-14T14:00:00+02:00"); // 11:00 in Stockholm: 11–12, 13–14
  });
});

describe("zones in NDJSON", () => {
  it("reads flat rows and whole tickets in their timezone, and refuses a zone key it would not read", async () => {
    const file = join(dir, "zones.ndjson");
    writeFileSync(
      file,
      [
        // 11:00 in Helsinki = 10:00 in Stockholm: + 2 business hours.
        { id: "J-1", priority: "1", created_at: "2026-04-14 11:00", timezone: "Europe/Helsinki" },
        {
          id: "J-2",
          priority: 1,
          createdAt: "2026-04-14T11:00",
          timezone: "Europe/Helsinki",
          // 11:30 in Helsinki = 10:30 in Stockholm: 1.5 business hours before the deadline.
          events: [{ type: "respond", at: "2026-04-14T11:30" }],
        },
        { id: "J-3", priority: "1", created_at: "2026-04-14 11:00", tz: "Europe/Helsinki" },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n"),
    );
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW, "--format", "ndjson"]);
    const rows = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows[0]).toMatchObject({ id: "J-1", error: null, response_deadline: "2026-04-14T12:00:00+02:00" });
    expect(rows[1]).toMatchObject({
      id: "J-2",
      error: null,
      response_status: "met",
      response_deadline: "2026-04-14T12:00:00+02:00",
      response_remaining_hours: 1.5,
    });
    expect(rows[2]!.error).toMatch(/^tz: looks like a time zone, but sla-clock reads a row's zone from "timezone"/);
    const waved = await cli([
      "evaluate",
      "softone-se",
      file,
      "--now",
      NOW,
      "--format",
      "ndjson",
      "--ignore-zone-column",
    ]);
    // Read in Stockholm: 11:00 + 2 business hours = 11–12, 13–14.
    expect(JSON.parse(waved.out.trim().split("\n")[2]!)).toMatchObject({
      error: null,
      response_deadline: "2026-04-14T14:00:00+02:00",
    });
  });
});

describe("priorities", () => {
  it("reads the policy's own labels in any case, also in priority changes", async () => {
    const r = await evaluate("priority-labels.csv");
    expect(r.rows.map((x) => [x.id, x.priority, x.error === "" ? "" : "error"])).toEqual([
      ["L-1", "1", ""],
      ["L-2", "2", ""],
      ["L-3", "3", ""],
      ["L-4", "Urgent", "error"],
      ["L-5", "1", ""],
    ]);
    expect(r.rows.slice(0, 3).map((x) => x.response_deadline)).toEqual([
      "2026-04-14T12:00:00+02:00",
      "2026-04-14T16:00:00+02:00",
      "2026-04-15T15:30:00+02:00",
    ]);
  });

  it("refuses a --priority-map entry that names no priority of the policy, before reading", async () => {
    const r = await evaluate("zendesk.csv", "--priority-map", "Urgent=9");
    expect(r.code).toBe(2);
    expect(r.err).toContain('--priority-map: "9" (for "Urgent") is not a priority of the policy; use 1, 2, 3, 4, 5');
  });
  it("reads an NDJSON key spelt as a CSV header may spell its field (case, spaces), and refuses two keys for one field", async () => {
    const file = join(dir, "spellings.ndjson");
    writeFileSync(
      file,
      [
        { id: "S-1", priority: "1", created_at: "2026-04-14T09:00", timezone: "America/New_York" },
        { id: "S-2", Priority: "1", "Created At": "2026-04-14T09:00", Timezone: "America/New_York" },
        { ID: "S-3", priority: "1", created_at: "2026-04-14T09:00", Resolved_At: "2026-04-14T10:00" },
        { id: "S-4", priority: "1", created_at: "2026-04-14T09:00", Policy: "moch-standard" },
        {
          id: "S-5",
          priority: "1",
          created_at: "2026-04-14T09:00",
          resolved_at: "2026-04-14T10:00",
          "Resolved At": "x",
        },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n"),
    );
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW, "--format", "ndjson"]);
    const rows = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(5);
    // 09:00 in New York is 15:00 in Stockholm: the response (2 business hours) is due the next morning.
    expect(rows[1]).toMatchObject({ id: "S-2", error: null, response_deadline: rows[0]!.response_deadline });
    expect(rows[0]!.response_deadline).toBe("2026-04-15T09:00:00+02:00");
    expect(rows[2]).toMatchObject({ id: "S-3", error: null, resolution_status: "met" });
    // Read as its policy: the first line named none, so the output has no policy column for it.
    expect(rows[3]!.error).toContain("policy: the first line names no policy");
    expect(rows[4]).toMatchObject({
      id: "S-5",
      error: '"resolved_at" and "Resolved At" are both resolved_at; keep one',
    });
  });
  it("refuses an NDJSON id that is a number JSON cannot keep as written, and keeps one it can", async () => {
    const file = join(dir, "numeric-ids.ndjson");
    const lines = [
      '{"id":12345678901234567890,"priority":"1","created_at":"2026-04-14T09:00"}',
      '{"id":1.50,"priority":"1","created_at":"2026-04-14T09:00"}',
      '{"id":1e21,"priority":"1","createdAt":"2026-04-14T09:00","events":[]}',
      '{"id":9007199254740991,"priority":"1","created_at":"2026-04-14T09:00"}',
    ];
    writeFileSync(file, lines.join("\n"));
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW, "--format", "ndjson"]);
    const rows = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(4);
    for (const row of rows.slice(0, 3)) expect(row.error).toMatch(/^id: the number .* cannot be kept exactly/);
    expect(rows[3]).toMatchObject({ id: "9007199254740991", error: null });
  });
});

describe("texts from the export in messages", () => {
  // A header or cell with a quote, a line break, a colour escape and a right-to-left override:
  // quoted as a JSON string literal, so that it neither ends the quotes early, splits the message
  // over lines nor drives the terminal it is printed to.
  const hostile = 'Bad "x"\n\u001b[31m\u202e';
  const quoted = '"Bad \\"x\\"\\n\\u001b[31m\\u202e"';
  const csvFile = (name: string, rows: string[][]) => {
    const file = join(dir, name);
    writeFileSync(file, stringify(rows));
    return file;
  };
  const run = (file: string, ...flags: string[]) => cli(["evaluate", "softone-se", file, "--now", NOW, ...flags]);

  it("quotes the headers a header error lists", async () => {
    const file = csvFile("hostile-header.csv", [
      [hostile, "priority", "created_at"],
      ["H-1", "1", "2026-04-14 10:00"],
    ]);
    const missing = await run(file);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`it has ${quoted}, "priority", "created_at". Say which column`);
    const mapped = await run(file, "--columns", "id=Nope");
    expect(mapped.err).toContain(`which the CSV header does not have; it has ${quoted}, "priority", "created_at"`);
  });

  it("quotes a header that looks like a time zone or an unread instant", async () => {
    const zone = csvFile("hostile-zone.csv", [
      ["id", "priority", "created_at", `Zone ${hostile}`],
      ["H-1", "1", "2026-04-14 10:00", "UTC"],
    ]);
    const refused = await run(zone);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`the CSV column "Zone ${quoted.slice(1)} looks like a time zone`);
    const unread = csvFile("hostile-unread.csv", [
      ["id", "priority", "created_at", `Resolved ${hostile}`],
      ["H-1", "1", "2026-04-14 10:00", ""],
    ]);
    expect((await run(unread)).err).toContain(`not read: "Resolved ${quoted.slice(1)} (an instant`);
  });

  // The `--columns` a message suggests, pasted into a real POSIX shell, must map the header it names.
  const shellWords = (option: string) => {
    const r = spawnSync("/bin/sh", ["-c", `printf '%s\\0' ${option}`], { encoding: "utf8" });
    expect(r.status).toBe(0);
    return r.stdout.split("\0").slice(0, -1);
  };
  const suggested = (err: string) => /--columns '(?:[^']|'\\'')*'/.exec(err)?.[0];

  it("suggests a --columns that a shell passes as written, for a header with a quote", async () => {
    const zone = csvFile("quote-zone.csv", [
      ["id", "priority", "created_at", "Customer's time zone"],
      ["Q-1", "1", "2026-04-14 10:00", "Europe/Helsinki"],
    ]);
    const refused = await run(zone);
    expect(refused.code).toBe(2);
    const option = suggested(refused.err);
    expect(option).toBe("--columns 'timezone=Customer'\\''s time zone'");
    const words = shellWords(option!);
    expect(words).toEqual(["--columns", "timezone=Customer's time zone"]);
    const mapped = await run(zone, ...words);
    expect(mapped.code).toBe(0);
    // Read in Helsinki (+03:00): 10:00 there is 09:00 in Stockholm, two business hours → 11:00.
    expect(rowsOf(mapped.out)[0]!.response_deadline).toBe("2026-04-14T11:00:00+02:00");

    const missing = csvFile("quote-missing.csv", [
      ["Ticket's ID", "Priority", "Created at"],
      ["Q-2", "1", "2026-04-14 10:00"],
    ]);
    const noId = await run(missing);
    expect(noId.code).toBe(2);
    const guess = shellWords(suggested(noId.err)!);
    expect(guess).toEqual(["--columns", "id=Ticket's ID,priority=Priority,created_at=Created at"]);
    const read = await run(missing, ...guess);
    expect(read.code).toBe(0);
    expect(rowsOf(read.out)[0]).toMatchObject({ id: "Q-2", response_deadline: "2026-04-14T12:00:00+02:00" });
  });

  it("suggests a JSON file for a header the inline --columns cannot hold", async () => {
    for (const [name, header] of [
      ["comma-zone.csv", "Zone, requester"],
      ["hostile-zone-json.csv", `Zone ${hostile}`],
    ] as const) {
      const zone = csvFile(name, [
        ["id", "priority", "created_at", header],
        ["J-1", "1", "2026-04-14 10:00", "Europe/Helsinki"],
      ]);
      const refused = await run(zone);
      expect(refused.code).toBe(2);
      expect(suggested(refused.err)).toBeUndefined();
      const json = /--columns columns\.json, a file holding (\{.*?\}) to read/.exec(refused.err)?.[1];
      expect(json).toBeDefined();
      expect(JSON.parse(json!)).toEqual({ timezone: header });
      const file = join(dir, `${name}.columns.json`);
      writeFileSync(file, json!);
      const mapped = await run(zone, "--columns", file);
      expect(mapped.code).toBe(0);
      expect(rowsOf(mapped.out)[0]!.response_deadline).toBe("2026-04-14T11:00:00+02:00");
    }
  });

  it("quotes the cell a row error names", async () => {
    const file = csvFile("hostile-cells.csv", [
      ["id", "priority", "created_at", "timezone"],
      ["C-1", "1", hostile, ""],
      ["C-2", hostile, "2026-04-14 10:00", ""],
      ["C-3", "1", "2026-04-14 10:00", hostile],
    ]);
    const r = await run(file);
    expect(r.code).toBe(0);
    const errors = rowsOf(r.out).map((row) => row.error);
    // The calendar words why; the cell is quoted as written (its message quotes what it parsed).
    expect(errors[0]).toContain(`created_at: ${quoted}`);
    expect(errors[1]).toContain(`priority: ${quoted} is not a priority of the policy`);
    expect(errors[2]).toBe(`timezone: ${quoted} is not an IANA time zone (such as Europe/Stockholm or UTC)`);
    // eslint-disable-next-line no-control-regex -- no raw control character is the point
    expect(errors.join("")).not.toMatch(/[\u0000-\u001f\u202e]/);
  });
});
