/**
 * `sla-clock explain` (docs/cli.md, docs/explain.md): the worked example as a table and as JSON,
 * a ticket from a file and from an NDJSON line, and the usage errors (exit code 2).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getPolicy, type Ticket } from "../src/index";
import { cli } from "./support/cli";
import { tempDir } from "./support/temp-dir";

const dir = tempDir("sla-explain-");

const TICKET = {
  id: "T-1",
  priority: 3,
  createdAt: "2026-04-01T15:00",
  events: [
    { type: "pause", at: "2026-04-01T15:30" },
    { type: "resume", at: "2026-04-02T09:00" },
    { type: "priority", at: "2026-04-02T10:00", priority: 1 },
    { type: "respond", at: "2026-04-07T10:00" },
  ],
};

describe("sla-clock explain <policy> <start>", () => {
  it("the worked example: softone-se P3 from Thu 2026-04-02 11:00, hand-checked, in Stockholm time", async () => {
    const r = await cli(["explain", "softone-se", "2026-04-02T11:00", "--priority", "3"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const lines = r.out.split("\n");
    expect(lines[0]).toBe("softone-se · Priority 3 · response: 12 business hours");
    expect(lines[1]).toBe("Clause: SoftOne SLA Service & Kvalitet §4 Supportnivåer (000)");
    expect(lines[2]).toBe("Start: Thu 2026-04-02 11:00 (Europe/Stockholm)");
    // Thu: the eve of Långfredagen closes 13:00 and lunch is 12–13, so 11–12 counts.
    expect(r.out).toMatch(
      /Thu 2026-04-02\s+11:00–12:00\s+1 h 00 min\s+1 h 00 min\s+eve of långfredagen \(Good Friday\): closes 13:00; open 08:00–12:00/,
    );
    expect(r.out).toMatch(/Fri 2026-04-03\s+closed\s+holiday: långfredagen \(Good Friday\)/);
    expect(r.out).toMatch(/Sat 2026-04-04\s+closed\s+weekend; eve of påskdagen \(Easter Sunday\)/);
    expect(r.out).toMatch(/Sun 2026-04-05\s+closed\s+holiday: påskdagen \(Easter Sunday\)/);
    expect(r.out).toMatch(/Mon 2026-04-06\s+closed\s+holiday: annandag påsk \(Easter Monday\)/);
    expect(r.out).toMatch(/Tue 2026-04-07\s+08:00–12:00, 13:00–16:00\s+7 h 00 min\s+8 h 00 min/);
    expect(r.out).toMatch(/Wed 2026-04-08\s+08:00–12:00\s+4 h 00 min\s+12 h 00 min/);
    expect(r.out).toContain("Due Wed 2026-04-08 12:00 (2026-04-08T10:00Z), 12 h 00 min counted.");
  });

  it("prints exactly the tables docs/explain.md shows", async () => {
    const guide = readFileSync(new URL("../docs/explain.md", import.meta.url), "utf8");
    const blocks = [...guide.matchAll(/```text\n\$ npx sla-clock (.*)\n([\s\S]*?)```/g)];
    expect(blocks).toHaveLength(2);
    const file = join(dir, "ticket.json");
    writeFileSync(file, JSON.stringify(TICKET));
    for (const [, command, shown] of blocks) {
      const args = command!.split(" ").map((a) => (a === "ticket.json" ? file : a));
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.out).toBe(shown);
    }
  });

  it("--format json is the library's explanation", async () => {
    const r = await cli(["explain", "softone-se", "2026-04-02T11:00", "--priority", "3", "--format", "json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    const direct = getPolicy("softone-se").explain("2026-04-02T11:00", { priority: "3" });
    expect(json).toEqual(JSON.parse(JSON.stringify(direct)));
    expect(json.deadline).toBe("2026-04-08T10:00:00.000Z");
  });

  it("reads <start> and --priority as deadline reads them: P3, a label, a space for the T, now, --date-format", async () => {
    const json = async (...args: string[]) => {
      const r = await cli(["explain", "softone-se", ...args, "--format", "json"]);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      return JSON.parse(r.out) as { deadline: string };
    };
    const expected = "2026-04-08T10:00:00.000Z";
    expect((await json("2026-04-02 11:00", "--priority", "P3")).deadline).toBe(expected);
    expect((await json("02/04/2026 11:00", "--date-format", "dd/MM/yyyy HH:mm", "--priority", "3")).deadline).toBe(
      expected,
    );
    const deadline = await cli(["deadline", "softone-se", "now", "--priority", "P1"]);
    const now = await cli(["explain", "softone-se", "now", "--priority", "P1", "--format", "json"]);
    expect(now.code).toBe(0);
    // Both read "now" as the current time: the deadlines agree unless a second ticked between them.
    expect(typeof (JSON.parse(now.out) as { deadline: string }).deadline).toBe("string");
    expect(deadline.code).toBe(0);
    const ticket = await cli(["explain", "softone-se", "--ticket", "{}", "--epoch", "s"]);
    expect(ticket).toMatchObject({ code: 2 });
    expect(ticket.err).toContain("--date-format and --epoch: only with <start>");
  });

  it("explains end of business week, windows and no target in words", async () => {
    const week = await cli(["explain", "softone-se", "2026-04-11T10:00", "--priority", "2", "--metric", "resolution"]);
    expect(week.out).toContain(
      "End of business week: the clock starts on Mon 2026-04-13, in week 2026-W16; its last open day is Fri 2026-04-17, which closes 16:00",
    );
    const window = await cli([
      "explain",
      "softone-se",
      "2026-01-31T10:00",
      "--priority",
      "4",
      "--metric",
      "resolution",
    ]);
    expect(window.out).toContain(
      "opens: Sat 2026-01-31 10:00 + 1 month by the wall clock = Sat 2026-02-28 10:00 (that day of the month does not exist: the month's last day)",
    );
    expect(window.out).toContain("Due Fri 2026-07-31 10:00 (2026-07-31T08:00Z).");
    const none = await cli(["explain", "moch-extended", "2026-04-02T11:00Z", "--priority", "5"]);
    expect(none.out).toContain("No target (best effort): no deadline.");
  });
});

describe("sla-clock explain <policy> --ticket", () => {
  it("reads a ticket file and prints each metric's timeline", async () => {
    const file = join(dir, "ticket.json");
    writeFileSync(file, JSON.stringify(TICKET));
    const r = await cli([
      "explain",
      "softone-se",
      "--ticket",
      file,
      "--now",
      "2026-04-08T10:00",
      "--metric",
      "response",
    ]);
    expect(r.code).toBe(0);
    const rows = r.out.split("\n").filter((l) => /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) /.test(l));
    expect(rows.map((l) => l.replace(/\s{2,}/g, " | ").trim())).toEqual([
      "Wed 2026-04-01 15:00 | counted 15:00–15:30 | 0 h 30 min | 0 h 30 min",
      "Wed 2026-04-01 15:30 | paused until Thu 2026-04-02 09:00: 1 h 30 min of business time not counted",
      "Thu 2026-04-02 | shortened: eve of långfredagen (Good Friday): closes 13:00; open 08:00–12:00",
      "Thu 2026-04-02 09:00 | counted 09:00–12:00 | 3 h 00 min | 3 h 30 min",
      "Thu 2026-04-02 10:00 | priority 3 → 1: target 12 business hours → 2 business hours",
      "Thu 2026-04-02 10:30 | BREACHED: the target is used up",
      "Fri 2026-04-03 | closed: holiday: långfredagen (Good Friday)",
      "Sat 2026-04-04 | closed: weekend; eve of påskdagen (Easter Sunday)",
      "Sun 2026-04-05 | closed: holiday: påskdagen (Easter Sunday)",
      "Mon 2026-04-06 | closed: holiday: annandag påsk (Easter Monday)",
      "Tue 2026-04-07 08:00 | counted 08:00–10:00 | 2 h 00 min | 5 h 30 min",
      "Tue 2026-04-07 10:00 | responded: the clock stops",
    ]);
    expect(r.out).toContain(
      "elapsed 5 h 30 min of 2 h 00 min; due Thu 2026-04-02 10:30; breached Thu 2026-04-02 10:30",
    );
    expect(r.out).not.toContain("resolution:");
  });

  it("reads an NDJSON line of an export (flat columns) and gives JSON whose counted time is elapsed", async () => {
    const line = JSON.stringify({
      id: "T-2",
      priority: "2",
      created_at: "2026-04-01T14:00",
      pauses: "2026-04-01T15:00/",
    });
    const r = await cli(["explain", "softone-se", "--ticket", line, "--now", "2026-04-08T10:00", "--format", "json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as {
      response: { elapsed: number; status: string };
      explanation: {
        response: { stretches: { ms: number }[]; pauses: { uncountedMs: number; stillPaused: boolean }[] };
      };
    };
    expect(json.response.status).toBe("paused");
    expect(json.explanation.response.stretches.reduce((n, s) => n + s.ms, 0)).toBe(json.response.elapsed);
    // Wed 15–16, Thu 08–12 (the eve), Tue 08–12 and 13–16, Wed 08–10: 14 h kept from counting.
    expect(json.explanation.response.pauses).toEqual([
      expect.objectContaining({ uncountedMs: 14 * 3_600_000, stillPaused: true }),
    ]);
  });

  it("reads the line as evaluate reads it: its own timezone, space-separated instants, labels, header spellings", async () => {
    const explainJson = async (record: Record<string, unknown>) => {
      const r = await cli([
        "explain",
        "softone-se",
        "--ticket",
        JSON.stringify(record),
        "--now",
        "2026-04-01T15:00",
        "--format",
        "json",
      ]);
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out) as { response: { deadline: string; elapsed: number } };
    };
    // 11:00 in Helsinki is 10:00 in Stockholm: P3's 12 business hours are due Tue 2026-04-07 11:00
    // (Easter between). Before, the line was read in Stockholm and due at 12:00.
    const helsinki = await explainJson({
      id: "T-3",
      priority: "3",
      created_at: "2026-04-01T11:00",
      timezone: "Europe/Helsinki",
    });
    expect(helsinki.response.deadline).toBe("2026-04-07T09:00:00.000Z");
    const spelled = await explainJson({ id: "T-3", Priority: "P3", "Created At": "2026-04-01 10:00" });
    expect(spelled.response).toEqual(helsinki.response);
    // The same line through evaluate.
    const file = join(dir, "helsinki.ndjson");
    writeFileSync(
      file,
      JSON.stringify({ id: "T-3", priority: "3", created_at: "2026-04-01T11:00", timezone: "Europe/Helsinki" }),
    );
    const evaluated = await cli(["evaluate", "softone-se", file, "--now", "2026-04-01T15:00", "--format", "ndjson"]);
    expect(JSON.parse(evaluated.out)).toMatchObject({ response_deadline: "2026-04-07T11:00:00+02:00" });
  });

  it("reads --now as a cell is read, and takes now, in explain and evaluate", async () => {
    const line = JSON.stringify({ id: "T-3", priority: "3", created_at: "2026-04-01T10:00" });
    const at = (now: string) => cli(["explain", "softone-se", "--ticket", line, "--now", now, "--format", "json"]);
    const iso = await at("2026-04-01T15:00");
    const spaced = await at("2026-04-01 15:00");
    expect(spaced.code, spaced.err).toBe(0);
    expect(spaced.out).toBe(iso.out);
    expect((await at("now")).code).toBe(0);
    const file = join(dir, "now.ndjson");
    writeFileSync(file, line);
    const evaluated = (now: string) => cli(["evaluate", "softone-se", file, "--now", now, "--format", "ndjson"]);
    expect((await evaluated("2026-04-01 15:00")).out).toBe((await evaluated("2026-04-01T15:00")).out);
    expect((await evaluated("NOW")).code).toBe(0);
  });

  it("refuses a line that names another policy, or a zone the time-zone database does not know", async () => {
    const run = (record: Record<string, unknown>) =>
      cli(["explain", "softone-se", "--ticket", JSON.stringify(record), "--now", "2026-04-01T15:00"]);
    const other = await run({ id: "T", priority: "1", created_at: "2026-04-01T09:00", policy: "moch-standard" });
    expect(other.code).toBe(2);
    expect(other.err).toContain('the ticket names the policy "moch-standard", but this explains softone-se');
    const mars = await run({ id: "T", priority: "1", created_at: "2026-04-01T09:00", timezone: "Mars/Base" });
    expect(mars.code).toBe(2);
    expect(mars.err).toContain('timezone: "Mars/Base" is not an IANA time zone');
    expect((await run({ id: "T", priority: "1", created_at: "2026-04-01T09:00", policy: "SoftOne-SE" })).code).toBe(0);
  });

  it("a hostile id is shown as text, not as terminal controls", async () => {
    const line = JSON.stringify({ ...TICKET, id: "T-\u001b[2J\u202eX" });
    const r = await cli(["explain", "softone-se", "--ticket", line, "--now", "2026-04-08T10:00"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Ticket T-\\x1b[2J\\u{202e}X (softone-se)");
    // eslint-disable-next-line no-control-regex -- the point: no control character is printed
    expect(r.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
  });

  it.each([
    [["explain", "softone-se", "2026-04-02T11:00"], "--priority: required with <start>"],
    [["explain", "softone-se"], "give <start> with --priority, or --ticket"],
    [["explain", "softone-se", "2026-04-02T11:00", "--priority", "9"], "valid priorities are 1, 2, 3, 4, 5"],
    [["explain", "softone-se", "someday", "--priority", "1"], "is not an ISO-8601 date-time"],
    [["explain", "softone-se", "2026-04-02", "--priority", "1", "--metric", "speed"], "Allowed choices are response"],
    [["explain", "softone-se", "2026-04-02", "--priority", "1", "--format", "xml"], "Allowed choices are text, json"],
    [["explain", "acme", "2026-04-02", "--priority", "1"], 'unknown policy "acme"'],
    [["explain", "softone-se", "2026-04-02", "--priority", "1", "--now", "2026-04-03"], "--now: only with --ticket"],
    [["explain", "softone-se", "2026-04-02", "--ticket", "{}"], "either <start> with --priority, or --ticket"],
    [["explain", "softone-se", "--ticket", "{}", "--priority", "1"], "a ticket carries its own priority"],
    [["explain", "softone-se", "--ticket", "/no/such/ticket.json"], "--ticket: cannot read /no/such/ticket.json"],
    [["explain", "softone-se", "--ticket", "{not json"], "--ticket: --ticket is not JSON"],
    [["explain", "softone-se", "--ticket", "[1]"], "must hold a JSON object"],
    [
      ["explain", "softone-se", "--ticket", '{"id":"T","priority":9,"createdAt":"2026-04-01T09:00"}'],
      "valid priorities",
    ],
    [
      [
        "explain",
        "softone-se",
        "--ticket",
        '{"id":"T","priority":1,"createdAt":"2026-04-01T09:00"}',
        "--now",
        "2026-03-01",
      ],
      "before",
    ],
  ])("exits 2 with a clear message for %j", async (args, fragment) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(fragment);
    expect(r.out).toBe("");
  });

  it("refuses a file of many tickets: explain takes one", async () => {
    const file = join(dir, "many.ndjson");
    writeFileSync(file, `${JSON.stringify(TICKET)}\n${JSON.stringify({ ...TICKET, id: "T-2" })}\n`);
    const r = await cli(["explain", "softone-se", "--ticket", file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("is not one JSON object (2 lines); explain takes one ticket: pass its line");
  });

  it("has --help", async () => {
    const r = await cli(["explain", "--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("--ticket <ticket>");
  });
});

describe("sla-clock explain --ticket of a metric still running", () => {
  it("lists the closed days it ran through up to now, as the library's explanation does", async () => {
    // Created Thu 2026-04-02 17:00 (after the eve's close), seen Tue 07:30: nothing counted yet; the
    // table showed only Thursday, as if the clock had not run through Easter.
    const ticket = '{"id":"C-1","priority":"1","created_at":"2026-04-02 17:00"}';
    const r = await cli([
      "explain",
      "softone-se",
      "--ticket",
      ticket,
      "--now",
      "2026-04-07T07:30",
      "--metric",
      "response",
    ]);
    expect(r.code).toBe(0);
    for (const day of [
      "Fri 2026-04-03  closed",
      "Sat 2026-04-04  closed",
      "Sun 2026-04-05  closed",
      "Mon 2026-04-06  closed",
    ])
      expect(r.out).toContain(day);
  });
});

describe("sla-clock report: each breach expands to its explanation", () => {
  it("a <details> under every breach row holds the metric's timeline, escaped; hostile ids stay text", async () => {
    const hostile = '<img src=x onerror="alert(1)">\u202eT';
    const file = join(dir, "breaches.ndjson");
    writeFileSync(
      file,
      [
        JSON.stringify(TICKET),
        JSON.stringify({ ...TICKET, id: hostile }),
        JSON.stringify({ id: "OK", priority: 3, createdAt: "2026-04-07T09:00" }),
      ].join("\n"),
    );
    const html = join(dir, "report.html");
    const r = await cli(["report", "softone-se", file, "--now", "2026-04-08T10:00", "--html", html]);
    expect(r.code).toBe(0);
    expect(existsSync(html)).toBe(true);
    const page = readFileSync(html, "utf8");
    const breachRows = page.match(/<tr class="breach-row">/g) ?? [];
    const explanations = page.match(/<tr class="breach-explanation"><td colspan="6"><details>/g) ?? [];
    // T-1 and the hostile copy breach response (2 h after the raise) and resolution (same day).
    expect(breachRows).toHaveLength(4);
    expect(explanations).toHaveLength(4);
    // Each explanation follows its own breach row, and its timeline is the CLI's.
    expect(page).toMatch(
      /<tr class="breach-row"><td><bdi>T-1<\/bdi><\/td><td>1<\/td><td>response<\/td>.*<\/tr>\n<tr class="breach-explanation"><td colspan="6"><details><summary>Why: the response timeline of <bdi>T-1<\/bdi><\/summary><table class="timeline">/,
    );
    expect(page).toContain(
      "<tr><td>Thu 2026-04-02 10:00</td><td>priority 3 → 1: target 12 business hours → 2 business hours</td><td></td><td></td></tr>",
    );
    expect(page).toContain(
      "<tr><td>Thu 2026-04-02 10:30</td><td>BREACHED: the target is used up</td><td></td><td></td></tr>",
    );
    expect(page).toContain(
      "<td>Thu 2026-04-02</td><td>shortened: eve of långfredagen (Good Friday): closes 13:00; open 08:00–12:00</td>",
    );
    // The hostile id is text everywhere: escaped, and isolated in <bdi>.
    expect(page).not.toContain("<img");
    expect(page).toContain("<bdi>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;\u202eT</bdi></summary>");
  });

  it("each timeline is explain()'s up to the breach, then the time counted after it in one row (hand-checked)", async () => {
    // T-1 (hand-checked): 15:00–15:30 counted, paused to Thu 09:00 (Thu is the eve of Good Friday,
    // open 08–12), raised to P1 at 10:00: 2 h response → breached 10:30 with 09:00–10:30 counted;
    // end of business day (Wed 16:00, already past) → breached at the raise, 10:00. After the
    // breaches: Thu to 12:00, Easter Fri–Mon closed, Tue 08–10 until the response (3 h 30 min), and
    // Tue 08–12, 13–16 and Wed 08–10 until the resolve for the resolution (11 h). L-1: P1 opened on the eve
    // of Epiphany (open 08–12) and never answered: breached 10:00 and 12:00, then 2012 and 2010
    // business hours to now, as `evaluate`'s remaining hours say — one row, not a year of days.
    const resolved = { ...TICKET, events: [...TICKET.events, { type: "resolve", at: "2026-04-08T10:00" }] } as Ticket;
    const file = join(dir, "cut.ndjson");
    writeFileSync(
      file,
      [JSON.stringify(resolved), JSON.stringify({ id: "L-1", priority: 1, createdAt: "2026-01-05T08:00" })].join("\n"),
    );
    const html = join(dir, "cut.html");
    expect((await cli(["report", "softone-se", file, "--now", "2027-03-01T00:00Z", "--html", html])).code).toBe(0);
    const page = readFileSync(html, "utf8");
    const rows = (id: string, metric: string) => {
      const start = page.indexOf(`<summary>Why: the ${metric} timeline of <bdi>${id}</bdi></summary>`);
      expect(start).toBeGreaterThan(-1);
      const table = page.slice(page.indexOf("<tbody>", start) + 7, page.indexOf("</tbody>", start));
      return table
        .split("<tr>")
        .filter((r) => r !== "")
        .map((r) => r.replace(/<\/td><td>/g, " | ").replace(/<[^>]*>/g, ""));
    };
    const t1 = [
      "Wed 2026-04-01 15:00 | counted 15:00–15:30 | 0 h 30 min | 0 h 30 min",
      "Wed 2026-04-01 15:30 | paused until Thu 2026-04-02 09:00: 1 h 30 min of business time not counted |  | ",
      "Thu 2026-04-02 | shortened: eve of långfredagen (Good Friday): closes 13:00; open 08:00–12:00 |  | ",
    ];
    expect(rows("T-1", "response")).toEqual([
      ...t1,
      "Thu 2026-04-02 09:00 | counted 09:00–10:30 | 1 h 30 min | 2 h 00 min",
      "Thu 2026-04-02 10:00 | priority 3 → 1: target 12 business hours → 2 business hours |  | ",
      "Thu 2026-04-02 10:30 | BREACHED: the target is used up |  | ",
      "Thu 2026-04-02 10:30 | counted after the breach until Tue 2026-04-07 10:00, not listed day by day | 3 h 30 min | 5 h 30 min",
      "Tue 2026-04-07 10:00 | responded: the clock stops |  | ",
    ]);
    expect(rows("T-1", "resolution")).toEqual([
      ...t1,
      "Thu 2026-04-02 09:00 | counted 09:00–10:00 | 1 h 00 min | 1 h 30 min",
      "Thu 2026-04-02 10:00 | priority 3 → 1: target 4 weeks (calendar time) → end of business day |  | ",
      "Thu 2026-04-02 10:00 | BREACHED: the target is used up |  | ",
      "Thu 2026-04-02 10:00 | counted after the breach until Wed 2026-04-08 10:00, not listed day by day | 11 h 00 min | 12 h 30 min",
      "Wed 2026-04-08 10:00 | resolved: the clock stops |  | ",
    ]);
    const eve = "Mon 2026-01-05 | shortened: eve of trettondedag jul (Epiphany): closes 13:00; open 08:00–12:00 |  | ";
    expect(rows("L-1", "response")).toEqual([
      eve,
      "Mon 2026-01-05 08:00 | counted 08:00–10:00 | 2 h 00 min | 2 h 00 min",
      "Mon 2026-01-05 10:00 | BREACHED: the target is used up |  | ",
      "Mon 2026-01-05 10:00 | counted after the breach until Mon 2027-03-01 01:00 (now), not listed day by day | 2012 h 00 min | 2014 h 00 min",
    ]);
    expect(rows("L-1", "resolution")).toEqual([
      eve,
      "Mon 2026-01-05 08:00 | counted 08:00–12:00 | 4 h 00 min | 4 h 00 min",
      "Mon 2026-01-05 12:00 | BREACHED: the target is used up |  | ",
      "Mon 2026-01-05 12:00 | counted after the breach until Mon 2027-03-01 01:00 (now), not listed day by day | 2010 h 00 min | 2014 h 00 min",
    ]);
    // The totals are the library's: explain()'s elapsed for each metric.
    const policy = getPolicy("softone-se");
    for (const [ticket, metric, total] of [
      [resolved, "response", "5 h 30 min"],
      [resolved, "resolution", "12 h 30 min"],
    ] as const) {
      const x = policy.evaluate(ticket, "2027-03-01T00:00Z", { explain: true }).explanation[metric];
      expect(x.elapsed / 60_000).toBe(Number(total.split(" ")[0]) * 60 + Number(total.split(" ")[2]));
    }
  });
});
