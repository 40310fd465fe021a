/**
 * Broken CSV rows cost exactly their own row, in one linear pass: stray quotes (in columns the CLI
 * reads and in columns it ignores), quotes that never close, rows over the size limit, a huge field,
 * duplicate headers; the same for NDJSON's overlong lines. On real files, through the real
 * executable where the exit code matters.
 */
import { createWriteStream, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { readRecords, type InputRecord, type ReadOptions } from "../src/cli/io/read-records";
import { REQUIRED_COLUMNS, TICKET_COLUMNS, startsTicketRow } from "../src/cli/io/row-to-ticket";
import { runCli } from "../src/cli/program";
import { cli } from "./support/cli";
import { tempDir } from "./support/temp-dir";
import { spawnCli } from "./support/cli-bundle";

const dir = tempDir("sla-clock-csv-recovery-");
const HEADER = "id,priority,created_at,responded_at,resolved_at,pauses,priority_changes,subject";
/** The reader as the CLI configures it. */
const CLI_OPTIONS: ReadOptions = { required: REQUIRED_COLUMNS, columns: TICKET_COLUMNS, startsRow: startsTicketRow };

async function read(text: string, options: ReadOptions = CLI_OPTIONS): Promise<InputRecord[]> {
  const out: InputRecord[] = [];
  // Small chunks, so rows and lines are cut across chunk boundaries.
  const bytes = Buffer.from(text, "utf8");
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 61) chunks.push(bytes.subarray(i, i + 61));
  for await (const r of readRecords(Readable.from(chunks), "csv", options)) out.push(r);
  return out;
}

const csv = (...rows: string[]) => `${[HEADER, ...rows].join("\n")}\n`;
const row = (id: string, rest = ",,,,") => `${id},1,2026-04-01T09:00${rest}`;
/** Line, id and error (or "ok") of each record. */
const summary = (records: InputRecord[]) =>
  records.map((r) => [r.line, r.record?.id ?? "", r.error === undefined ? "ok" : r.error]);

/** Counts the lines written to it. */
class Sink extends Writable {
  lines = 0;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    const text = chunk.toString();
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.lines++;
    done();
  }
}

describe("stray quotes", () => {
  it('reads "URGENT" printer down in a column the CLI ignores as text: 2 000 such rows give 2 000 rows, none failed', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => row(`U-${i}`, `,,,,,"URGENT" printer down`));
    const file = join(dir, "urgent.csv");
    writeFileSync(file, csv(...rows));
    const r = spawnCli(["evaluate", "softone-se", file, "--now", "2026-04-07T12:00"]);
    expect(r.err).toContain("rows: 2000, failed: 0");
    expect(r.code).toBe(0);
    const out = parse(r.out, { columns: true }) as Record<string, string>[];
    expect(out).toHaveLength(2000);
    expect(out.map((o) => [o.line, o.id, o.error])).toEqual(rows.map((_, i) => [String(i + 2), `U-${i}`, ""]));
  }, 60_000);

  it("reads a row with many stray quotes as one row", async () => {
    expect(summary(await read(csv(row("A", ',,,,,5" screen "big" one "x" y'), row("B"))))).toEqual([
      [2, "A", "ok"],
      [3, "B", "ok"],
    ]);
  });

  it("makes a quote left open in a column the CLI reads one error row, with its id; the next row is read", async () => {
    const read1 = await read(csv(row("A"), 'B,1,2026-04-01T09:00,,,"2026-04-01T10:00/,,', row("C"), "", row("D")));
    expect(summary(read1)).toEqual([
      [2, "A", "ok"],
      [
        3,
        "B",
        'unreadable CSV: the quoted field "pauses" is not closed before line 4, which reads as a row of its own',
      ],
      [4, "C", "ok"],
      [6, "D", "ok"],
    ]);
    // A quote opened in the id itself: the id cannot be read.
    expect(summary(await read(csv('"B,1,2026-04-01T09:00', row("C"))))).toEqual([
      [2, "", 'unreadable CSV: the quoted field "id" is not closed before line 3, which reads as a row of its own'],
      [3, "C", "ok"],
    ]);
  });

  it("reads a row whose quote is left open in a column the CLI ignores, and the rows after it", async () => {
    expect(summary(await read(csv(row("A", ',,,,,"printer down'), row("B", ',,,,,,"toner'), row("C"))))).toEqual([
      [2, "A", "ok"],
      [3, "B", "ok"],
      [4, "C", "ok"],
    ]);
    // Its text over the next lines is part of it, up to the next row.
    expect(summary(await read(csv(row("A", ',,,,,"printer down'), "since Monday, all floors", row("B"))))).toEqual([
      [2, "A", "ok"],
      [4, "B", "ok"],
    ]);
  });

  it("keeps a quoted field over several lines one row, and a quote that never closes costs only its row", async () => {
    const text = csv(
      row("A", ',,,,,"a subject,'),
      "over two lines, 2026",
      'and three"',
      row("B", ',,,,"2026-04-01T10:00/'),
      "no row here",
    );
    expect(summary(await read(text))).toEqual([
      [2, "A", "ok"],
      [5, "B", 'unreadable CSV: the quoted field "priority_changes" is never closed'],
    ]);
    expect((await read(text))[0]!.record).toMatchObject({ id: "A", priority: "1" });
  });

  it("reads a field over two lines in the first column or the id, whose last line looks like a row, as one row", async () => {
    // The closing line `since monday",A,1,…` has a row's cells, but starts with a bare field
    // holding a quote: not strict CSV on its own, so it ends the open field (it was one error row
    // and a second row made of the closing line; with an id over two lines, an invented ticket).
    const header = "subject,id,priority,created_at";
    const first = `${header}\n"Printer down\nsince monday",A,1,2026-04-01T09:00\nok,B,1,2026-04-01T09:00\n`;
    const records = await read(first);
    expect(summary(records)).toEqual([
      [2, "A", "ok"],
      [4, "B", "ok"],
    ]);
    expect(records[0]!.record).toMatchObject({ id: "A", priority: "1", created_at: "2026-04-01T09:00" });
    const id = `id,priority,created_at\n"A part\nB",1,2026-04-01T09:00\n`;
    expect(summary(await read(id))).toEqual([[2, "A part\nB", "ok"]]);
    // A quote left open before a row that is strict CSV on its own still costs only its own row.
    const stray = csv(row('"A'), row('"B"'));
    expect(summary(await read(stray)).map(([line, , error]) => [line, error === "ok"])).toEqual([
      [2, false],
      [3, true],
    ]);
  });

  it("gives one row per row in, with the right line, on a generated mix", async () => {
    const lines: string[] = [HEADER];
    const expected: [number, string, boolean][] = [];
    for (let i = 0; i < 300; i++) {
      const kind = i % 5;
      const id = `M-${i}`;
      if (kind === 0) lines.push(row(id, ',,,,,"URGENT" printer down'));
      else if (kind === 1) lines.push(row(id, ',,,"2026-04-01T10:00/,,x'));
      else if (kind === 2) lines.push(row(id, ',,,,,"two'), 'line subject, 1999"');
      else if (kind === 3) lines.push(row(id, ',,,,,"open to the next row'));
      else lines.push(row(id), "");
      expected.push([lines.length - (kind === 2 ? 1 : kind === 4 ? 1 : 0), id, kind !== 1]);
    }
    const records = await read(`${lines.join("\n")}\n`);
    expect(records.map((r) => [r.line, r.record?.id, r.error === undefined])).toEqual(expected);
  });

  it("takes linear time: four times the lines with a stray quote on every line cost less than 8× the time", async () => {
    // Through the CLI on real files (the path that re-read the file after each stray quote, which
    // made the time grow with the square of the rows: 16× for four times the rows). This compared
    // with a clean file once (< 5×); since instants of the fixed shapes are read by arithmetic
    // (issue 13) the clean file costs a tenth of what it did, and its rows never reach csv-parse,
    // while a stray quote still costs a csv-parse call or two per line: a constant factor, not
    // growth. Measured in this process's CPU time (the CLI runs in-process), best of three, so that
    // other processes on a busy machine do not count: linear is 4×, quadratic 16×.
    const n = 2000;
    const stray = join(dir, "stray.csv");
    const strayFour = join(dir, "stray-four.csv");
    const lines = (count: number) =>
      csv(...Array.from({ length: count }, (_, i) => row(`T-${i}`, ',,,"2026-04-01T10:00/,,down')));
    writeFileSync(stray, lines(n));
    writeFileSync(strayFour, lines(4 * n));
    const cpuMs = async (file: string, rows: number): Promise<number> => {
      let best = Infinity;
      for (let k = 0; k < 3; k++) {
        const stdout = new Sink();
        const started = process.cpuUsage();
        const args = ["node", "sla-clock", "evaluate", "softone-se", file, "--now", "2026-04-07T12:00"];
        await runCli(args, { stdin: Readable.from([]), stdout, stderr: new Sink() });
        const used = process.cpuUsage(started);
        best = Math.min(best, (used.user + used.system) / 1000);
        expect(stdout.lines).toBe(rows + 1);
      }
      return best;
    };
    await cpuMs(stray, n); // warm up
    const onceMs = await cpuMs(stray, n);
    const fourMs = await cpuMs(strayFour, 4 * n);
    console.log(
      `a stray quote on every line: ${n} rows ${onceMs.toFixed(0)} ms, ${4 * n} rows ${fourMs.toFixed(0)} ms of CPU`,
    );
    expect(fourMs).toBeLessThan(8 * onceMs);
  }, 60_000);
});

describe("rows over the size limit", () => {
  const small: ReadOptions = { ...CLI_OPTIONS, maxRowChars: 200 };

  it("makes a row over the limit one error row, with its id, on one line or several", async () => {
    const long = "x".repeat(500);
    const text = csv(
      row("A"),
      row("B", `,,,,,,${long}`),
      row("C", ',,,,,,"a subject'),
      ...Array.from({ length: 10 }, () => "x".repeat(30)),
      'end"',
      row("D"),
    );
    expect(summary(await read(text, small))).toEqual([
      [2, "A", "ok"],
      [3, "B", "unreadable CSV: the row is longer than the limit of 200 characters"],
      [4, "C", "unreadable CSV: the row is longer than the limit of 200 characters"],
      [16, "D", "ok"],
    ]);
  });

  it("writes every other row when one field is larger than 1 MiB, through the real executable", async () => {
    const file = join(dir, "huge.csv");
    const out = createWriteStream(file);
    out.write(`${HEADER}\n${row("A")}\n${row("B", ",,,,,,")}`);
    for (let i = 0; i < 48; i++) out.write("y".repeat(64 * 1024)); // 3 MiB, unquoted
    out.write(`\n${row("C", ',,,,,,"')}`);
    for (let i = 0; i < 48; i++) out.write("z,\n".repeat(16 * 1024)); // 2.25 MiB, quoted over many lines
    out.write(`"\n${row("D")}\n`);
    out.end();
    await finished(out);
    const r = spawnCli(["evaluate", "softone-se", file, "--now", "2026-04-07T12:00"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain("rows: 4, failed: 2");
    const rows = parse(r.out, { columns: true }) as Record<string, string>[];
    const limit = "unreadable CSV: the row is longer than the limit of 1048576 characters";
    expect(rows.map((o) => [o.line, o.id, o.error])).toEqual([
      ["2", "A", ""],
      ["3", "B", limit],
      ["4", "C", limit],
      [String(5 + 48 * 16 * 1024), "D", ""],
    ]);
  }, 60_000);

  it("makes an NDJSON line over the limit one error row and reads the others", async () => {
    const text = `{"id":"A"}\n{"id":"B","subject":"${"x".repeat(300)}"}\n{"id":"C"}\n`;
    const records: InputRecord[] = [];
    for await (const r of readRecords(Readable.from([text]), "ndjson", { maxRowChars: 200 })) records.push(r);
    expect(records).toEqual([
      { line: 1, record: { id: "A" } },
      { line: 2, error: "the line is longer than the limit of 200 characters" },
      { line: 3, record: { id: "C" } },
    ]);
  });
});

describe("the CSV header", () => {
  it("refuses two header cells that read as the same column the CLI reads (exit 2), naming both", () => {
    const file = join(dir, "duplicate.csv");
    writeFileSync(file, "id,priority,created_at,subject,Created At\nA,1,2026-04-01T09:00,x,2026-04-02T09:00\n");
    const r = spawnCli(["evaluate", "softone-se", file]);
    expect(r.code).toBe(2);
    // (The message is wrapped to the terminal's width.)
    expect(r.err.replace(/\s+/g, "")).toContain(
      'the CSV header has both "created_at" (column 3) and "Created At" (column 5), which both read as "created_at"'.replace(
        /\s+/g,
        "",
      ),
    );
    expect(r.out).toBe("");
  }, 30_000);

  it("ignores duplicates among columns the CLI does not read", async () => {
    const records = await read("id,priority,created_at,Notes,notes\nA,1,2026-04-01T09:00,x,y\n");
    expect(records).toEqual([{ line: 2, record: { id: "A", priority: "1", created_at: "2026-04-01T09:00" } }]);
  });

  it("refuses a header whose quote never closes or that is too long", async () => {
    await expect(read('id,"priority,created_at\nA,1,2026-04-01T09:00\n')).rejects.toThrow(
      "cannot read the CSV header: a quote in it is never closed",
    );
    await expect(
      read(`id,priority,created_at,${"x".repeat(300)}\n`, { ...CLI_OPTIONS, maxRowChars: 200 }),
    ).rejects.toThrow("cannot read the CSV header: it is longer than the limit of 200 characters");
  });
});

describe("rows with more or fewer cells than the header", () => {
  const SHIFT_HEADER = "Id,Priority,Created at,Subject,Updated at,Solved at";
  const shifted = [
    SHIFT_HEADER,
    "5,Urgent,2026-04-14 10:00,Printer, 2nd floor,2026-04-14 18:00,2026-04-14 15:00",
    "6,Urgent,2026-04-14 10:00,Printer,2026-04-14 18:00",
  ].join("\n");
  const tooMany =
    'unreadable CSV: the row on line 2 has 7 cells and the header 6; a field with a comma in it must be quoted ("a, b")';
  const tooFew = 'unreadable CSV: the row on line 3 has 5 cells and the header 6; it has no "Solved at"';

  it("makes a row with a cell too many, or without a column the CLI reads, an error row, in evaluate and report, with --strict", async () => {
    const file = join(dir, "shift.csv");
    writeFileSync(file, `${shifted}\n`);
    const args = [file, "--priority-map", "Urgent=1", "--now", "2026-04-20T00:00Z", "--strict"];
    const evaluated = await cli(["evaluate", "softone-se", ...args, "--format", "json"]);
    expect(evaluated.code).toBe(1);
    const rows = (JSON.parse(evaluated.out) as { rows: { line: number; id: string; error: string | null }[] }).rows;
    expect(rows.map((r) => [r.line, r.id, r.error])).toEqual([
      [2, "5", tooMany],
      [3, "6", tooFew],
    ]);
    const html = join(dir, "shift.html");
    const report = await cli(["report", "softone-se", ...args, "--html", html]);
    expect(report.code).toBe(1);
    expect(readFileSync(html, "utf8")).toContain('id="failed-rows" data-value="2"');
  }, 60_000);

  it("reads a row whose extra cells are empty and trailing, or that lacks only columns the CLI does not read", async () => {
    const text = `${[
      "id,priority,created_at,resolved_at,subject,notes",
      "A,1,2026-04-01T09:00,,s,n,,",
      "B,1,2026-04-01T09:00,2026-04-02T09:00",
      "C,1,2026-04-01T09:00,,s,n,x",
      "D,1,2026-04-01T09:00",
      'E,1,2026-04-01T09:00,,"s, t",n,',
      'F,1,2026-04-01T09:00,,"s", t,n',
    ].join("\n")}\n`;
    expect(summary(await read(text))).toEqual([
      [2, "A", "ok"],
      [3, "B", "ok"],
      [
        4,
        "C",
        'unreadable CSV: the row on line 4 has 7 cells and the header 6; a field with a comma in it must be quoted ("a, b")',
      ],
      [5, "D", 'unreadable CSV: the row on line 5 has 3 cells and the header 6; it has no "resolved_at"'],
      [6, "E", "ok"],
      [
        7,
        "F",
        'unreadable CSV: the row on line 7 has 7 cells and the header 6; a field with a comma in it must be quoted ("a, b")',
      ],
    ]);
    expect((await read(text))[1]).toEqual({
      line: 3,
      record: { id: "B", priority: "1", created_at: "2026-04-01T09:00", resolved_at: "2026-04-02T09:00" },
    });
  });

  it("names the separator in use", async () => {
    const records = await read("id;priority;created_at\nA;1;2026-04-01T09:00;x\n");
    expect(records.map((r) => r.error)).toEqual([
      'unreadable CSV: the row on line 2 has 4 cells and the header 3; a field with a semicolon in it must be quoted ("a; b")',
    ]);
  });
});
