/**
 * The sla-clock CLI end to end on real files: every command, help, usage errors, malformed rows,
 * every input and output format, and a large generated export streamed with flat memory.
 */
import { mkdtempSync, readFileSync, writeFileSync, createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { getPolicy, type Ticket } from "../src/index";
import fc from "fast-check";
import { DateTime } from "luxon";
import { formatLocal } from "../src/cli/format";
import { runCli } from "../src/cli/program";

const dir = mkdtempSync(join(tmpdir(), "sla-clock-cli-"));

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function cli(args: string[], stdin = ""): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(["node", "sla-clock", ...args], { stdin: Readable.from([stdin]), stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}

const HEADER = "id,priority,created_at,responded_at,resolved_at,pauses,priority_changes";
const SMALL = [
  HEADER,
  "T-1,1,2026-04-01T09:00,2026-04-01T10:00,2026-04-01T15:00,,",
  "T-2,2,2026-04-01T14:00,,,2026-04-01T15:00/2026-04-07T09:00,",
  "T-3,1,2026-04-01T09:00,,,,2026-04-01T14:00=3",
  ",2,2026-04-01T09:00,,,,",
  "T-5,9,2026-04-01T09:00,,,,",
  "T-6,1,not a date,,,,",
  "T-7,1,2026-04-01T09:00,,,2026-04-01T11:00,",
  '"T-8,1,2026-04-01T09:00,,,,', // an unclosed quote swallows the rest of the file: one error row
].join("\n");
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
  });

  it("explains each day's hours", async () => {
    const r = await cli(["hours", "softone-fi", "--from", "2026-06-18", "--to", "2026-06-20"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /2026-06-19\s+fri\s+08:00–11:00, 12:00–14:00\s+5\.00\s+eve of juhannuspäivä.*closes 14:00; Perjantaisin suljemme klo 14: closes 14:00/,
    );
    expect(r.out).toMatch(/2026-06-20\s+sat\s+closed\s+0\.00\s+holiday: juhannuspäivä/);
  });

  it("lists every policy and its targets", async () => {
    const r = await cli(["policies"]);
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
  });

  it.each([
    [
      ["deadline", "acme", "--priority", "1", "2026-04-02T11:00"],
      'unknown policy "acme"; built-in policies: softone-se',
    ],
    [["deadline", "softone-se", "--priority", "9", "2026-04-02T11:00"], "valid priorities are 1, 2, 3, 4, 5"],
    [["deadline", "softone-se", "--priority", "1", "someday"], "is not an ISO-8601 date-time"],
    [["hours", "nowhere", "--from", "2026-01-01", "--to", "2026-01-02"], 'unknown calendar "nowhere"'],
    [["hours", "trinax", "--from", "2026-01-05", "--to", "2026-01-01"], "--to (2026-01-01) is before --from"],
    [["evaluate", "softone-se", join(dir, "missing.csv")], "no such file"],
    [["evaluate", "softone-se", "x.csv", "--format", "xml"], "Allowed choices are csv, json, ndjson"],
    [["deadline", "softone-se", "2026-04-02T11:00"], "required option '--priority <priority>' not specified"],
    [["frobnicate"], "unknown command 'frobnicate'"],
  ])("exits 2 with a clear message for %j", async (args, fragment) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(fragment);
  });

  it("has --help on every command", async () => {
    for (const command of [[], ["policies"], ["hours"], ["deadline"], ["evaluate"], ["report"]]) {
      const r = await cli([...command, "--help"]);
      expect(r.code).toBe(0);
      expect(r.out).toContain("Usage: sla-clock");
    }
    expect((await cli(["evaluate", "--help"])).out).toContain(
      "CSV columns: id, priority, created_at, responded_at, resolved_at, pauses, priority_changes",
    );
  });
});

describe("sla-clock evaluate", () => {
  const file = join(dir, "small.csv");
  writeFileSync(file, SMALL);

  it("gives one output row per input row, errors with their line numbers, and exit code 1", async () => {
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW]);
    expect(r.code).toBe(1);
    const rows = parse(r.out, { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => x.line)).toEqual(["2", "3", "4", "5", "6", "7", "8", "9"]);
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
    expect(rows[3]!.error).toBe("id: missing");
    expect(rows[4]!.error).toContain('"9" is not a priority');
    expect(rows[5]!.error).toContain('"not a date" is not an ISO-8601 date-time');
    expect(rows[6]!.error).toContain('pauses: pair 1 ("2026-04-01T11:00") is not "start/end"');
    expect(rows[7]!.error).toContain("unreadable CSV");
    expect(r.err).toMatch(/rows: 8, failed: 5/);
  });

  it("writes JSON and NDJSON, reads NDJSON (flat rows and whole tickets) and CSV from stdin", async () => {
    const json = await cli(["evaluate", "softone-se", file, "--now", NOW, "--format", "json"]);
    const doc = JSON.parse(json.out) as { rows: { line: number }[]; summary: { rows: number; failed: number } };
    expect(doc.rows).toHaveLength(8);
    expect(doc.summary).toMatchObject({ rows: 8, failed: 5 });
    const ndjson = await cli(["evaluate", "softone-se", file, "--now", NOW, "--format", "ndjson"]);
    expect(ndjson.out.trim().split("\n")).toHaveLength(8);
    const input = join(dir, "tickets.ndjson");
    const whole: Ticket = {
      id: "W-1",
      priority: 2,
      createdAt: "2026-04-01T09:00",
      events: [{ type: "respond", at: "2026-04-01T09:30" }],
    };
    writeFileSync(
      input,
      [
        JSON.stringify({ id: "F-1", priority: "1", created_at: "2026-04-01T09:00" }),
        "",
        JSON.stringify(whole),
        "{not json",
      ].join("\n"),
    );
    const fromNdjson = await cli(["evaluate", "softone-se", input, "--now", NOW, "--format", "ndjson"]);
    const lines = fromNdjson.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, string | number>);
    expect(lines.map((l) => [l.line, l.id, l.response_status])).toEqual([
      [1, "F-1", "breached"],
      [3, "W-1", "met"],
      [4, "", ""],
    ]);
    expect(fromNdjson.code).toBe(1);
    const fromStdin = await cli(
      ["evaluate", "trinax-alert", "-", "--now", NOW],
      SMALL.split("\n").slice(0, 3).join("\n"),
    );
    expect(parse(fromStdin.out, { columns: true })).toHaveLength(2);
    expect(fromStdin.code).toBe(0);
  });

  it("agrees with policy.evaluate row by row", async () => {
    const r = await cli(["evaluate", "softone-se", file, "--now", NOW, "--format", "ndjson"]);
    const first = JSON.parse(r.out.split("\n")[1]!) as Record<string, string>;
    const direct = getPolicy("softone-se").evaluate(
      {
        id: "T-2",
        priority: "2",
        createdAt: "2026-04-01T14:00",
        events: [
          { type: "pause", at: "2026-04-01T15:00" },
          { type: "resume", at: "2026-04-07T09:00" },
        ],
      },
      NOW,
    );
    expect(first.response_status).toBe(direct.response.status);
    expect(Number(first.response_remaining_hours)).toBeCloseTo(direct.response.remaining! / 3_600_000, 2);
  });

  it("streams a 100,000-row export: rows out equal rows in, memory stays flat", async () => {
    const big = join(dir, "big.csv");
    const stream = createWriteStream(big);
    stream.write(`${HEADER}\n`);
    const base = Date.UTC(2026, 0, 5, 8);
    for (let i = 0; i < 100_000; i++) {
      const created = new Date(base + (i % 5000) * 3_600_000).toISOString();
      const bad = i % 997 === 0;
      stream.write(`B-${i},${bad ? "x" : (i % 5) + 1},${created},,,,\n`);
    }
    stream.end();
    await finished(stream);
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    const out = join(dir, "big-out.csv");
    const r = await cli(["evaluate", "softone-se", big, "--now", "2026-12-01T00:00Z", "--out", out]);
    gc();
    const after = process.memoryUsage().heapUsed;
    expect(r.code).toBe(1);
    const text = readFileSync(out, "utf8");
    expect(text.trim().split("\n")).toHaveLength(100_001);
    expect(r.err).toContain(`rows: 100000, failed: ${Math.floor(99_999 / 997) + 1}`);
    expect(after - before).toBeLessThan(64 * 1024 * 1024);
  }, 120_000);
});

describe("output instants", () => {
  it("print as luxon prints them, with the zone's offset", () => {
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
    const html = join(dir, "report.html");
    const r = await cli(["report", "softone-se", file, "--now", NOW, "--html", html]);
    expect(r.code).toBe(1);
    const page = readFileSync(html, "utf8");
    for (const id of ["breaches-per-week", "met-per-priority", "response-distribution", "breaches", "summary"])
      expect(page).toContain(`id="${id}"`);
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(page).toContain('id="total-rows" data-value="8"');
    expect(page).toContain('id="failed-rows" data-value="5"');
    // T-3 breached its (priority 3) response on Tuesday; T-1 met both.
    expect(page).toMatch(/<tr class="breach-row"><td>T-3<\/td><td>3<\/td><td>response<\/td>/);
  });
});
