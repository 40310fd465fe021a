/**
 * The sla-clock CLI end to end on real files: every command, help, usage errors, malformed rows,
 * every input and output format, I/O errors, the real executable's exit codes, and a large
 * generated export streamed with flat memory.
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { createCalendar, getPolicy, type Calendar, type Ticket } from "../src/index";
import { runCli } from "../src/cli/program";
import { Capture, cli as runInProcess } from "./support/cli";
import { tempDir } from "./support/temp-dir";
import { cliProcessArgs, spawnCli } from "./support/cli-bundle";

const dir = tempDir("sla-clock-cli-");
const root = fileURLToPath(new URL("..", import.meta.url));

async function cli(args: string[], stdin = "", stderr = new Capture()) {
  return runInProcess(args, { stdin, stderr });
}

const csvRows = (text: string) => parse(text, { columns: true }) as Record<string, string>[];

const HEADER = "id,priority,created_at,responded_at,resolved_at,pauses,priority_changes,subject";
const SMALL = [
  HEADER, // line 1
  "T-1,1,2026-04-01T09:00,2026-04-01T10:00,2026-04-01T15:00,,,", // 2: met, met
  "T-2,2,2026-04-01T14:00,,,2026-04-01T15:00/2026-04-07T09:00,,", // 3: paused over Easter
  "T-3,1,2026-04-01T09:00,,,,2026-04-01T14:00=3,", // 4: the SoftOne 1 → 3 downgrade
  ",2,2026-04-01T09:00,,,,,", // 5: no id
  "T-5,9,2026-04-01T09:00,,,,,", // 6: unknown priority
  "T-6,1,not a date,,,,,", // 7: bad instant
  "T-7,1,2026-04-01T09:00,,,2026-04-01T11:00,,", // 8: a pause that is not start/end
  "T-8,1,2026-04-01T09:00,,,2026-04-01T12:00/2026-04-01T11:00,,", // 9: resumes before it pauses
  "T-9,3,2026-04-01T09:00,2026-03-31T16:00,,,,", // 10: answered before it was created
  '"T-10, quoted",4,2026-04-01T09:00,2026-04-01T09:30,,,,"a subject', // 11: quoted id, subject over two lines
  'on two lines"',
  "", // 13: blank, skipped
  'T-11,1,2026-04-01T09:00,,,"2026-04-01T10:00/,,', // 14: a quote left open in pauses: one error row
  "T-12,5,2026-04-01T09:00,,,,,", // 15: read again after the stray quote
].join("\n");
const SMALL_LINES = ["2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "14", "15"];
const NOW = "2026-04-07T12:00";

describe("sla-clock deadline, hours, policies", () => {
  it("prints one deadline with the calendar's offset", async () => {
    const r = await cli(["deadline", "softone-se", "--priority", "3", "2026-04-02T11:00"]);
    expect(r).toEqual({ code: 0, out: "2026-04-08T12:00:00+02:00\n", err: "" });
    expect(
      (await cli(["deadline", "softone-se", "--priority", "1", "--metric", "resolution", "2026-04-02T11:00"])).out,
    ).toBe("2026-04-02T12:00:00+02:00\n");
    expect((await cli(["deadline", "moch-extended", "--priority", "5", "2026-04-02T11:00Z"])).out).toBe(
      "no target (best effort)\n",
    );
    // An instant with an offset is that instant; the answer is in the calendar's zone.
    expect((await cli(["deadline", "trinax-alert", "--priority", "2", "2026-04-02T14:30Z"])).out).toBe(
      "2026-04-07T08:30:00+02:00\n",
    );
  });

  it("explains each day's hours", async () => {
    const r = await cli(["hours", "softone-fi", "--from", "2026-06-18", "--to", "2026-06-20"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /2026-06-19\s+fri\s+08:00–11:00, 12:00–14:00\s+5\.00\s+eve of juhannuspäivä.*closes 14:00; Perjantaisin suljemme klo 14: closes 14:00/,
    );
    expect(r.out).toMatch(/2026-06-20\s+sat\s+closed\s+0\.00\s+holiday: juhannuspäivä/);
    const easter = await cli(["hours", "softone-se", "--from", "2026-04-02", "--to", "2026-04-06"]);
    expect(easter.out).toMatch(/2026-04-02\s+thu\s+08:00–12:00\s+4\.00\s+eve of långfredagen/);
    expect(easter.out).toMatch(/2026-04-03\s+fri\s+closed\s+0\.00\s+holiday: långfredagen/);
    expect(easter.out).toMatch(/2026-04-04\s+sat\s+closed\s+0\.00\s+no weekly hours/);
  });

  it("lists every policy and its targets", async () => {
    const r = await cli(["policies"]);
    expect(r.code).toBe(0);
    for (const id of [
      "softone-se",
      "softone-fi",
      "moch-standard",
      "moch-extended",
      "trinax-alert",
      "trinax-attend",
      "trinax-access",
      "trinax-none",
    ])
      expect(r.out).toContain(id);
    expect(r.out).toMatch(
      /moch-extended\s+moch-extended\s+5\s+Priority 5 – Request for information\s+best effort \(no target\)/,
    );
    expect(r.out).toMatch(/softone-se\s+softone-se\s+1\s+\S.*\s+2 business hours/);
  });

  it.each([
    [
      ["deadline", "acme", "--priority", "1", "2026-04-02T11:00"],
      'unknown policy "acme"; built-in policies: softone-se, softone-fi, moch-standard, moch-extended, trinax-alert, trinax-attend, trinax-access, trinax-none',
    ],
    [["evaluate", "acme", "x.csv"], 'unknown policy "acme"; built-in policies: softone-se'],
    [["report", "acme", "x.csv", "--html", "x.html"], 'unknown policy "acme"; built-in policies: softone-se'],
    [["deadline", "softone-se", "--priority", "9", "2026-04-02T11:00"], "valid priorities are 1, 2, 3, 4, 5"],
    [["deadline", "softone-se", "--priority", "1", "someday"], "is not an ISO-8601 date-time"],
    [["deadline", "softone-se", "--priority", "1", "--metric", "speed", "2026-04-02"], "Allowed choices are response"],
    [["hours", "nowhere", "--from", "2026-01-01", "--to", "2026-01-02"], 'unknown calendar "nowhere"'],
    [["hours", "trinax", "--from", "2026-01-05", "--to", "2026-01-01"], "--to (2026-01-01) is before --from"],
    [["hours", "trinax", "--from", "monday", "--to", "2026-01-01"], '--from: "monday" is not a date'],
    [["evaluate", "softone-se", join(dir, "missing.csv")], "no such file or directory"],
    [["evaluate", "softone-se", dir], "is a directory"],
    [["evaluate", "softone-se", "x.csv", "--format", "xml"], "Allowed choices are csv, json, ndjson"],
    [["evaluate", "softone-se", "-", "--now", "yesterday"], '--now: "yesterday" is not an ISO-8601 date-time'],
    [["evaluate", "softone-se", "-", "--frobnicate"], "unknown option '--frobnicate'"],
    [["deadline", "softone-se", "2026-04-02T11:00"], "required option '--priority <priority>' not specified"],
    [["report", "softone-se", "-"], "required option '--html <file>' not specified"],
    [["frobnicate"], "unknown command 'frobnicate'"],
  ])("exits 2 with a clear message for %j", async (args, fragment) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(fragment);
    expect(r.out).toBe("");
  });

  it("has --help on every command", async () => {
    for (const command of [[], ["policies"], ["hours"], ["deadline"], ["evaluate"], ["report"]]) {
      const r = await cli([...command, "--help"]);
      expect(r.code).toBe(0);
      expect(r.out).toContain("Usage: sla-clock");
      expect(r.out).toContain("Exit codes: 0");
    }
    const help = (await cli(["evaluate", "--help"])).out;
    expect(help).toContain("id, priority, created_at  required");
    expect(help).toContain('pauses                    start/end pairs separated by ";"');
    expect(help).toContain("Output columns: line, id, priority, error, response_status, response_deadline");
    expect(help).toContain("one-minute histogram");
  });
});

describe("sla-clock evaluate", () => {
  const file = join(dir, "small.csv");
  writeFileSync(file, SMALL);

  it("gives one output row per input row, errors with their line numbers, and exit code 0 (1 with --strict)", async () => {
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("7 rows failed (see the error column); exit code 0 (--strict: 1)");
    const strict = await cli(["evaluate", "softone-se", file, "--now", NOW, "--strict"]);
    expect(strict.code).toBe(1);
    expect(strict.out).toBe(r.out);
    const rows = csvRows(r.out);
    expect(rows.map((x) => x.line)).toEqual(SMALL_LINES);
    expect(rows[0]).toMatchObject({ id: "T-1", response_status: "met", resolution_status: "met", error: "" });
    // 1 h on Wednesday, paused over Easter, 3 h on Tuesday: the 4 h run out exactly at now.
    expect(rows[1]).toMatchObject({
      id: "T-2",
      response_status: "breached",
      response_remaining_hours: "0.00",
      response_breached_at: "2026-04-07T12:00:00+02:00",
    });
    // Downgraded 1 → 3 at 14:00 with 4 h counted: the 12 h target ran out on Tuesday at 10:00.
    expect(rows[2]).toMatchObject({
      id: "T-3",
      priority: "3",
      response_status: "breached",
      response_breached_at: "2026-04-07T10:00:00+02:00",
    });
    const errors = rows.map((x) => x.error);
    expect(errors[3]).toBe("id: missing");
    expect(errors[4]).toContain('"9" is not a priority');
    expect(errors[5]).toMatch(/^created_at: "not a date" is not an ISO-8601 date-time/);
    expect(errors[6]).toContain('pauses: pair 1 ("2026-04-01T11:00") is not "start/end"');
    // The event's cell and its text as written: the clock shows the instant it read (in UTC).
    expect(errors[7]).toBe(
      'ticket T-8: events[0]: resume without a pause before it (events[0] is pauses pair 1, end: "2026-04-01T11:00")',
    );
    expect(errors[8]).toMatch(
      /^ticket T-9: events\[0\]: respond at .* is before the ticket was created .*\(events\[0\] is responded_at: "[^"]+"\)$/,
    );
    expect(rows[9]).toMatchObject({ id: "T-10, quoted", error: "", response_status: "met" });
    expect(rows[10]).toMatchObject({
      id: "T-11",
      error: 'unreadable CSV: the quoted field "pauses" is not closed before line 15, which reads as a row of its own',
    });
    expect(rows[11]).toMatchObject({ id: "T-12", error: "", response_status: "running" });
    expect(r.err).toMatch(/rows: 12, failed: 7/);
  });

  it("writes JSON and NDJSON with the same rows and the summary", async () => {
    const csv = csvRows((await cli(["evaluate", "softone-se", file, "--now", NOW])).out);
    const json = await cli(["evaluate", "softone-se", file, "--now", NOW, "--format", "json"]);
    expect(json.code).toBe(0);
    expect(json.err).not.toContain("rows:"); // the summary is inside the JSON
    const doc = JSON.parse(json.out) as {
      rows: Record<string, string | number>[];
      summary: { rows: number; failed: number; priorities: { priority: string; count: number }[] };
    };
    expect(doc.rows.map((r) => String(r.line))).toEqual(SMALL_LINES);
    // The same values, typed: null is an empty CSV cell, true is "yes", hours have two decimals.
    const asCsv = (k: string, v: unknown): string =>
      v === null || v === false
        ? ""
        : v === true
          ? "yes"
          : typeof v === "number" && k !== "line"
            ? v.toFixed(2)
            : String(v as string | number);
    expect(doc.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, asCsv(k, v)])))).toEqual(csv);
    expect(doc.summary).toMatchObject({ rows: 12, failed: 7 });
    expect(doc.summary.priorities.map((p) => [p.priority, p.count])).toEqual([
      ["1", 1],
      ["2", 1],
      ["3", 1],
      ["4", 1],
      ["5", 1],
    ]);
    const ndjson = await cli(["evaluate", "softone-se", file, "--now", NOW, "--format", "ndjson"]);
    const lines = ndjson.out.trim().split("\n");
    expect(lines).toHaveLength(12);
    expect(JSON.parse(lines[1]!)).toEqual(doc.rows[1]);
    expect(ndjson.err).toMatch(/rows: 12, failed: 7/);
    const empty = await cli(["evaluate", "softone-se", "-", "--now", NOW, "--format", "json"], HEADER);
    expect(JSON.parse(empty.out)).toEqual({ rows: [], summary: { rows: 0, failed: 0, priorities: [] } });
    expect(empty.code).toBe(0);
  });

  it("reads NDJSON (flat rows and whole tickets), CSV from stdin, CRLF and a byte-order mark", async () => {
    const input = join(dir, "tickets.ndjson");
    const whole = {
      id: "W-1",
      priority: 2,
      createdAt: "2026-04-01T09:00",
      subject: "ignored, as extra CSV columns are",
      events: [
        { type: "resolve", at: "2026-04-01T11:00" },
        { type: "respond", at: "2026-04-01T09:30" },
      ],
    };
    writeFileSync(
      input,
      [
        JSON.stringify({ id: "F-1", priority: "1", created_at: "2026-04-01T09:00" }),
        "",
        JSON.stringify(whole),
        "{not json",
        JSON.stringify({ id: "F-2", priority: 1, created_at: Date.parse("2026-04-07T07:00:00Z") }),
        JSON.stringify({
          id: "W-2",
          priority: 1,
          createdAt: "2026-04-01T09:00",
          events: [{ type: "reopen", at: "2026-04-01T10:00" }],
        }),
      ].join("\n"),
    );
    const r = await cli(["evaluate", "softone-se", input, "--now", NOW, "--format", "ndjson"]);
    const rows = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, string | number>);
    expect(rows.map((l) => [l.line, l.id, l.response_status, l.resolution_status])).toEqual([
      [1, "F-1", "breached", "breached"],
      [3, "W-1", "met", "met"],
      [4, "", null, null],
      [5, "F-2", "breached", "running"], // 09:00 local: P1's 2 h ran out at 11:00
      [6, "W-2", null, null],
    ]);
    expect(rows[2]!.error).toMatch(/^not JSON/);
    expect(rows[4]!.error).toBe("ticket W-2: events[0]: reopen while the ticket is not resolved");
    expect(r.code).toBe(0);

    const crlf = `\uFEFF${SMALL.split("\n").slice(0, 4).join("\r\n")}\r\n`.replace("id,priority", "ID,Priority");
    const fromStdin = await cli(["evaluate", "trinax-alert", "-", "--now", NOW], crlf);
    expect(csvRows(fromStdin.out).map((x) => [x.line, x.id, x.error])).toEqual([
      ["2", "T-1", ""],
      ["3", "T-2", ""],
      ["4", "T-3", ""],
    ]);
    expect(fromStdin.code).toBe(0);
  });

  it("agrees with policy.evaluate row by row", async () => {
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW, "--format", "ndjson"]);
    const second = JSON.parse(r.out.split("\n")[1]!) as Record<string, unknown>;
    const ticket: Ticket = {
      id: "T-2",
      priority: "2",
      createdAt: "2026-04-01T14:00",
      events: [
        { type: "pause", at: "2026-04-01T15:00" },
        { type: "resume", at: "2026-04-07T09:00" },
      ],
    };
    const direct = getPolicy("softone-se").evaluate(ticket, NOW);
    const calendar = getPolicy("softone-se").calendar;
    expect(second).toMatchObject({
      response_status: direct.response.status,
      response_deadline: calendar.format(direct.response.deadline!),
      response_remaining_hours: Math.round(direct.response.remaining! / 36_000) / 100,
      resolution_status: direct.resolution.status,
      resolution_deadline: calendar.format(direct.resolution.deadline!),
      resolution_at_risk: direct.resolution.atRisk,
    });
  });

  it("writes --out files, refuses to overwrite the input, and fails cleanly on an unwritable path", async () => {
    const out = join(dir, "out.csv");
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe("");
    expect(csvRows(readFileSync(out, "utf8"))).toHaveLength(12);
    const same = await cli(["evaluate", "softone-se", file, "--now", NOW, "--out", file]);
    expect(same).toMatchObject({ code: 2, err: expect.stringContaining("is the input file") as string });
    expect(readFileSync(file, "utf8")).toBe(SMALL);
    const nowhere = join(dir, "no-such-dir", "out.csv");
    const bad = await cli(["evaluate", "softone-se", file, "--now", NOW, "--out", nowhere]);
    expect(bad).toMatchObject({ code: 2, err: `sla-clock: cannot write ${nowhere}: no such file or directory\n` });
    const html = await cli(["report", "softone-se", file, "--now", NOW, "--html", nowhere]);
    expect(html).toMatchObject({ code: 2, err: `sla-clock: cannot write ${nowhere}: no such file or directory\n` });
  });

  it("stops quietly when the output stream breaks (a closed pipe)", async () => {
    let writes = 0;
    const stdout = new Writable({
      write(_chunk, _enc, done) {
        writes++;
        done(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      },
    });
    const rows = [HEADER, ...Array.from({ length: 20_000 }, (_, i) => `P-${i},3,2026-04-01T09:00,,,,,`)].join("\n");
    const stderr = new Capture();
    const code = await runCli(["node", "sla-clock", "evaluate", "softone-se", "-", "--now", NOW], {
      stdin: Readable.from([rows]),
      stdout,
      stderr,
    });
    expect(code).toBe(0);
    expect(writes).toBeLessThanOrEqual(2); // it stopped, rather than evaluating all 20 000 rows
    expect(stderr.text).toBe("");
  });

  it("refuses a CSV without the required columns", async () => {
    const r = await cli(["evaluate", "softone-se", "-", "--now", NOW], "ticket,prio,opened\nT-1,1,2026-04-01\n");
    expect(r.code).toBe(2);
    expect(r.err).toContain('the CSV header has no "id", "priority", "created_at" columns');
  });
});

describe("the sla-clock executable", () => {
  it("exits 0, 1 and 2 and stops quietly on a closed pipe", async () => {
    const ok = spawnCli(["deadline", "softone-se", "--priority", "3", "2026-04-02T11:00"]);
    expect(ok).toMatchObject({ code: 0, out: "2026-04-08T12:00:00+02:00\n" });
    const unknown = spawnCli(["evaluate", "acme", "x.csv"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("built-in policies: softone-se, softone-fi");
    const rows = spawnCli(["evaluate", "softone-se", join(dir, "small.csv"), "--now", NOW, "--strict"]);
    expect(rows.code).toBe(1);
    expect(csvRows(rows.out)).toHaveLength(SMALL_LINES.length);
    // `sla-clock evaluate … | head -1`: the reader goes away after the first chunk.
    const child = spawn(
      process.execPath,
      cliProcessArgs(["evaluate", "softone-se", "examples/data/tickets.csv", "--now", NOW]),
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", (status) => resolve(status)));
    expect(err).not.toMatch(/Error|EPIPE/);
    expect(code).toBe(0);
  }, 30_000);
});

describe("a large export", () => {
  it("streams 200,000 rows: rows out equal rows in, memory stays flat, a progress bar on a terminal", async () => {
    const big = join(dir, "big.csv");
    const stream = createWriteStream(big);
    stream.write(`${HEADER}\n`);
    const zone = "Europe/Stockholm";
    const base = DateTime.fromISO("2026-01-05T08:00", { zone }).toMillis();
    // As luxon's toISO({ suppressMilliseconds: true }) writes it, with luxon asked for the offset
    // once per UTC hour (Stockholm's offset changes on the hour): 600 000 toISO calls took 2 s.
    const offsets = new Map<number, { minutes: number; text: string }>();
    const iso = (ms: number) => {
      const hour = Math.floor(ms / 3_600_000);
      let offset = offsets.get(hour);
      if (offset === undefined) {
        const at = DateTime.fromMillis(ms, { zone });
        offsets.set(hour, (offset = { minutes: at.offset, text: at.toFormat("ZZ") }));
      }
      return `${new Date(ms + offset.minutes * 60_000).toISOString().slice(0, 19)}${offset.text}`;
    };
    expect(iso(base + 86_400_000 * 100 + 1_234_000)).toBe(
      DateTime.fromMillis(base + 86_400_000 * 100 + 1_234_000, { zone }).toISO({ suppressMilliseconds: true }),
    );
    let chunk: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      // Office hours on 290 days from 5 January; evaluated on 1 December.
      const created = base + ((i * 7919) % 290) * 86_400_000 + ((i * 37) % 480) * 60_000;
      const p = (i % 5) + 1;
      const bad = i % 997 === 0;
      const responded = i % 3 === 0 ? iso(created + ((i % 11) + 1) * 1_800_000) : "";
      const pause =
        i % 13 === 0 ? `${iso(created + 3_600_000)}/${i % 2 === 0 ? iso(created + 30 * 3_600_000) : ""}` : "";
      const change = p <= 2 && i % 7 === 0 ? `${iso(created + 600_000)}=3` : "";
      chunk.push(`B-${i},${bad ? "x" : p},${iso(created)},${responded},,${pause},${change},"subject ${i}, quoted"`);
      if (chunk.length === 10_000) {
        if (!stream.write(`${chunk.join("\n")}\n`)) await new Promise<void>((r) => stream.once("drain", () => r()));
        chunk = [];
      }
    }
    stream.end();
    await finished(stream);

    const stderr = Object.assign(new Capture(), { isTTY: true, columns: 100 });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const out = join(dir, "big-out.csv");
    const started = performance.now();
    // One thread: this is the reader's and writer's memory (a worker thread adds its own heap; its
    // output is compared with this path's in test/cli.parallel.test.ts).
    const r = await cli(
      ["evaluate", "softone-se", big, "--now", "2026-12-01T00:00Z", "--out", out, "--jobs", "1"],
      "",
      stderr,
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(r.code).toBe(0);
    const failed = Math.floor(199_999 / 997) + 1;
    expect(r.err).toContain(`rows: 200000, failed: ${failed}`);
    expect(r.err).toContain("evaluating ["); // the progress bar
    let lines = 0;
    const text = readFileSync(out, "utf8");
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines++;
    expect(lines).toBe(200_001);
    const growth = (peak - before) / 1024 / 1024;
    console.log(`200,000 rows in ${seconds.toFixed(1)} s; peak RSS growth ${growth.toFixed(0)} MB`);
    // Holding the rows would take well over 300 MB; streaming in batches of 5 000 stays far below.
    expect(growth).toBeLessThan(200);
  }, 120_000);
});

describe("output instants", () => {
  it("print as luxon prints them, with the zone's offset", () => {
    const calendars = new Map<string, Calendar>();
    const formatLocal = (t: number, zone: string): string => {
      let calendar = calendars.get(zone);
      if (calendar === undefined) {
        calendar = createCalendar({ zone, weekly: { mon: [["09:00", "17:00"]] } });
        calendars.set(zone, calendar);
      }
      return calendar.format(t);
    };
    const zones = [
      "Europe/Stockholm",
      "America/St_Johns",
      "Australia/Lord_Howe",
      "UTC",
      "Pacific/Kiritimati",
      "Africa/Monrovia",
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.constantFrom(...zones),
        (t, zone) => {
          // (luxon keeps ".000" for some historical offsets; the instant is the same.)
          const expected = DateTime.fromMillis(t, { zone })
            .toISO({ suppressMilliseconds: true })
            ?.replace(/\.000(?=[-+Z])/, "");
          // An offset with seconds (St John's -03:30:52 in 1935) prints as UTC, which luxon would not.
          if (!formatLocal(t, zone).endsWith("Z") || zone === "UTC") expect(formatLocal(t, zone)).toBe(expected);
          expect(Date.parse(formatLocal(t, zone))).toBe(t);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("sla-clock report", () => {
  it("writes one self-contained HTML file with the charts and the numbers of the summary", async () => {
    const file = join(dir, "report.csv");
    writeFileSync(file, SMALL);
    const out = join(dir, "reports");
    mkdirSync(out, { recursive: true });
    const html = join(out, "report.html");
    const r = await cli(["report", "softone-se", file, "--now", NOW, "--html", html]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`report written to ${html}`);
    expect(r.err).toContain("rows failed (listed in the report); exit code 0 (--strict: 1)");
    expect((await cli(["report", "softone-se", file, "--now", NOW, "--html", html, "--strict"])).code).toBe(1);
    expect(existsSync(html)).toBe(true);
    const page = readFileSync(html, "utf8");
    for (const id of [
      "met-per-priority",
      "tickets-per-period",
      "met-trend",
      "time-used-distribution",
      "open-queue",
      "breaches",
      "summary",
      "failed-rows-table",
    ])
      expect(page).toContain(`id="${id}"`);
    // Self-contained: one inline script (filter and paging), nothing fetched.
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).toContain("<script>\n(function () {");
    expect(page).not.toMatch(
      /<link|@import|url\(|\ssrc=|href="(?!#)|https?:\/\/(?!www\.w3\.org\/(2000\/svg|1999\/xlink)")/,
    );
    expect(page).toContain('id="total-rows" data-value="12"');
    expect(page).toContain('id="failed-rows" data-value="7"');
    // T-3 breached its (priority 3) response on Tuesday; T-1 met both.
    expect(page).toMatch(/<tr class="breach-row"><td><bdi>T-3<\/bdi><\/td><td>3<\/td><td>response<\/td>/);
    expect(page).not.toMatch(/<tr class="breach-row"><td><bdi>T-1</);
    // Its numbers are the evaluate command's summary.
    const json = JSON.parse((await cli(["evaluate", "softone-se", file, "--now", NOW, "--format", "json"])).out) as {
      summary: { priorities: { priority: string; count: number; medianResponseHours: number | null }[] };
    };
    for (const p of json.summary.priorities) {
      expect(page).toContain(`data-priority="${p.priority}" data-count="${p.count}"`);
      expect(page).toContain(`data-median-response-hours="${p.medianResponseHours ?? ""}"`);
    }
  });
});
