/**
 * The CLI's readers on their own: physical lines (chunk boundaries, CRLF, BOM, overlong lines),
 * CSV records through csv-parse (quotes, line breaks inside quotes, a stray quote costing one row)
 * and rows to tickets (instants read once, events sorted, the cell each event came from).
 */
import { Readable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readLines, type PhysicalLine } from "../src/cli/io/lines";
import { columnName, fieldKeysOf, readRecords, type InputRecord, type ReadOptions } from "../src/cli/io/read-records";
import { rowToTicket } from "../src/cli/io/row-to-ticket";

/** A stream of the text's UTF-8 bytes cut into the given chunk sizes (cycled). */
function chunked(text: string, sizes: readonly number[] = [7, 1, 13, 3]): Readable {
  const bytes = Buffer.from(text, "utf8");
  const chunks: Buffer[] = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = Math.max(1, sizes[k % sizes.length]!);
    chunks.push(bytes.subarray(i, i + n));
    i += n;
  }
  return Readable.from(chunks);
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const lines = (text: string, options = {}) => all(readLines(chunked(text), options));
/** readRecords over CSV text with the default options. */
const records = (text: string, options: ReadOptions = {}) => all(readRecords(chunked(text), "csv", options));

describe("readLines", () => {
  it("splits LF and CRLF lines across chunk boundaries, multi-byte characters included", async () => {
    expect(await lines("\uFEFFa,b\r\nå,ä,ö\n\nlast")).toEqual<PhysicalLine[]>([
      { number: 1, text: "a,b", cr: true },
      { number: 2, text: "å,ä,ö" },
      { number: 3, text: "" },
      { number: 4, text: "last" },
    ]);
    expect(await lines("one\n")).toEqual([{ number: 1, text: "one" }]);
    expect(await lines("")).toEqual([]);
  });

  it("reports an overlong line without keeping it (only its start), and goes on", async () => {
    const long = "x".repeat(100);
    const read = await lines(`a\n${long}\nb\n${long}`, { maxLineChars: 50 });
    // The start kept is what was read up to the limit (at least) and at most 4 096 characters.
    expect(
      read.map((l) => ({ ...l, text: l.tooLong && l.text.length > 50 && long.startsWith(l.text) ? "start" : l.text })),
    ).toEqual([
      { number: 1, text: "a" },
      { number: 2, text: "start", tooLong: true },
      { number: 3, text: "b" },
      { number: 4, text: "start", tooLong: true },
    ]);
  });

  it("counts the bytes it reads", async () => {
    let bytes = 0;
    await all(readLines(chunked("å\nb\n"), { onBytes: (n) => (bytes += n) }));
    expect(bytes).toBe(Buffer.byteLength("å\nb\n"));
  });
});

describe("CSV records (csv-parse)", () => {
  it("numbers each record by the line it starts on, keeps line breaks inside quotes and skips blank lines", async () => {
    expect(await records('h1,h2\na,"b\nc"\n\nd,e\n')).toEqual<InputRecord[]>([
      { line: 2, record: { h1: "a", h2: "b\nc" } },
      { line: 5, record: { h1: "d", h2: "e" } },
    ]);
  });

  it("ends a quote that never closes before the next full row: one error row, and the rows after it", async () => {
    expect(await records('h,v\n"stray,1\nA,2\n\nB,3\n')).toEqual([
      {
        line: 2,
        record: {},
        error: 'unreadable CSV: the quoted field "h" is not closed before line 3, which reads as a row of its own',
      },
      { line: 3, record: { h: "A", v: "2" } },
      { line: 5, record: { h: "B", v: "3" } },
    ]);
    // Two stray quotes: each costs its own row.
    const read = await records('h,v\nA,1\nx,"open\nB,2\ny,"again\nC,3\n');
    expect(read.map((r) => [r.line, r.error === undefined ? r.record?.h : "error"])).toEqual([
      [2, "A"],
      [3, "error"],
      [4, "B"],
      [5, "error"],
      [6, "C"],
    ]);
  });

  it("reads a quote inside a field as text (relax_quotes)", async () => {
    expect(await records('h,v\nab"c,"d" e\ne,f\n')).toEqual([
      { line: 2, record: { h: 'ab"c', v: '"d" e' } },
      { line: 3, record: { h: "e", v: "f" } },
    ]);
  });

  it("reads back whatever csv-stringify writes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(fc.string({ unit: fc.constantFrom("a", "b", ",", '"', "\n", "\r\n", " ", "é") }), {
            minLength: 3,
            maxLength: 3,
          }),
          { minLength: 1, maxLength: 5 },
        ),
        async (rows) => {
          // Read by CSV's rules alone: no line inside a quoted field is taken for a row of its own.
          const read = await records(stringify([["x", "y", "z"], ...rows]), { startsRow: () => false });
          // Three empty cells are written as ",,", not a blank line, so they come back as a record too.
          const expected = rows.map((r) => ({ x: r[0], y: r[1], z: r[2] }));
          expect(read.map((r) => r.record)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("readRecords", () => {
  it("maps CSV cells to normalised column names; a row with a cell too many or too few is an error row", async () => {
    const read = await all(readRecords(chunked("ID,Created At,Responded-At\nT-1,x,y,extra\nT-2\nT-3,x,y,,\n"), "csv"));
    expect(read).toEqual<InputRecord[]>([
      {
        line: 2,
        record: { id: "T-1", created_at: "x", responded_at: "y" },
        error:
          'unreadable CSV: the row on line 2 has 4 cells and the header 3; a field with a comma in it must be quoted ("a, b")',
      },
      {
        line: 3,
        record: { id: "T-2" },
        error: 'unreadable CSV: the row on line 3 has 1 cell and the header 3; it has no "Created At", "Responded-At"',
      },
      // Empty cells at the end: a separator some exporters end each line with.
      { line: 4, record: { id: "T-3", created_at: "x", responded_at: "y" } },
    ]);
    expect(columnName("  Priority Changes ")).toBe("priority_changes");
  });

  it("takes Excel's separator directive (a first line sep=;) as the separator, not as the header", async () => {
    for (const directive of ["sep=;\n", '"sep=;"\r\n', "SEP=;\n"]) {
      const read = await all(readRecords(chunked(`${directive}ID;Created At\nT-1;x,y\n`), "csv"));
      expect(read).toEqual<InputRecord[]>([{ line: 3, record: { id: "T-1", created_at: "x,y" } }]);
    }
    // --delimiter still decides; the directive line is not a header either way.
    const given = await all(readRecords(chunked("sep=;\nID,Created At\nT-1,x\n"), "csv", { delimiter: "," }));
    expect(given).toEqual<InputRecord[]>([{ line: 3, record: { id: "T-1", created_at: "x" } }]);
    // A header that merely starts like one is a header.
    const header = await all(readRecords(chunked("sep=x,id\n1,2\n"), "csv"));
    expect(header).toEqual<InputRecord[]>([{ line: 2, record: { "sep=x": "1", id: "2" } }]);
  });

  it("refuses a CSV with no header at all (an empty file passed as an export of no tickets)", async () => {
    for (const text of ["", "\n\n", "  \r\n"])
      await expect(all(readRecords(chunked(text), "csv", { required: ["id"] }))).rejects.toThrow(
        "the CSV export is empty",
      );
    // A header and no rows is an export of no tickets.
    expect(await all(readRecords(chunked("id,priority\n"), "csv"))).toEqual([]);
  });

  it("reads a line of tabs in a tab-separated file as a row of empty cells, as ',,' in a comma-separated one", async () => {
    const read = await all(readRecords(chunked("id\tpriority\nT-1\t1\n\t\nT-2\t1\n"), "csv", { delimiter: "\t" }));
    expect(read.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(read[1]!.record).toEqual({ id: "", priority: "" });
  });

  it("refuses a CSV header without a required column", async () => {
    await expect(all(readRecords(chunked("id,prio\n1,2\n"), "csv", { required: ["id", "priority"] }))).rejects.toThrow(
      'the CSV header has no "priority" column; it has "id", "prio"',
    );
  });

  it("reads NDJSON objects, with an error for each line that is not one", async () => {
    const read = await all(readRecords(chunked('{"id":1}\n\n[1]\n{oops\n"text"\n'), "ndjson"));
    expect(read).toEqual([
      { line: 1, record: { id: 1 } },
      { line: 3, error: "expected a JSON object" },
      { line: 4, error: expect.stringContaining("not JSON") as string },
      { line: 5, error: "expected a JSON object" },
    ]);
  });
});

describe("rowToTicket", () => {
  const read = (v: string | number, column: string) => {
    const t = typeof v === "number" ? v : Date.parse(v);
    if (Number.isNaN(t)) throw new Error(`${column}: "${v}" is not a date`);
    return t;
  };
  const t = (iso: string) => Date.parse(iso);

  it("reads instants once, sorts the events and says where each came from", () => {
    const sources: string[] = [];
    const ticket = rowToTicket(
      {
        id: " T-1 ",
        priority: "2",
        created_at: "2026-04-01T09:00Z",
        responded_at: "2026-04-01T10:00Z",
        resolved_at: "2026-04-02T10:00Z",
        pauses: "2026-04-01T10:00Z/2026-04-01T12:00Z;2026-04-02T09:00Z/;",
        priority_changes: "2026-04-01T09:30Z=3",
      },
      read,
      sources,
    );
    expect(ticket).toEqual({
      id: "T-1",
      priority: "2",
      createdAt: t("2026-04-01T09:00Z"),
      events: [
        { type: "priority", at: t("2026-04-01T09:30Z"), priority: "3" },
        { type: "respond", at: t("2026-04-01T10:00Z") },
        { type: "pause", at: t("2026-04-01T10:00Z") },
        { type: "resume", at: t("2026-04-01T12:00Z") },
        { type: "pause", at: t("2026-04-02T09:00Z") },
        { type: "resolve", at: t("2026-04-02T10:00Z") },
      ],
    });
    // Each with its text as written, for a message about the event.
    expect(sources).toEqual([
      'priority_changes entry 1: "2026-04-01T09:30Z=3"',
      'responded_at: "2026-04-01T10:00Z"',
      'pauses pair 1, start: "2026-04-01T10:00Z"',
      'pauses pair 1, end: "2026-04-01T12:00Z"',
      'pauses pair 2, start: "2026-04-02T09:00Z"',
      'resolved_at: "2026-04-02T10:00Z"',
    ]);
  });

  it.each([
    [{ priority: "1", created_at: "2026-04-01T09:00Z" }, "id: missing"],
    [{ id: "T", created_at: "2026-04-01T09:00Z" }, "priority: missing"],
    [{ id: "T", priority: "1" }, "created_at: missing"],
    [{ id: "T", priority: "1", created_at: "soon" }, 'created_at: "soon" is not a date'],
    [
      { id: "T", priority: "1", created_at: "2026-04-01T09:00Z", pauses: "2026-04-01T10:00Z" },
      'pauses: pair 1 ("2026-04-01T10:00Z") is not "start/end"',
    ],
    [
      { id: "T", priority: "1", created_at: "2026-04-01T09:00Z", pauses: "x/" },
      'pauses (pair 1, start): "x" is not a date',
    ],
    [
      { id: "T", priority: "1", created_at: "2026-04-01T09:00Z", priority_changes: "2026-04-01T10:00Z" },
      'priority_changes: entry 1 ("2026-04-01T10:00Z") is not "at=priority"',
    ],
    [{ id: ["T"], priority: "1", created_at: "2026-04-01T09:00Z" }, "id: expected text, got an array"],
  ])("rejects %j", (record, message) => {
    expect(() => rowToTicket(record, read)).toThrow(message);
  });

  it("takes a whole ticket as it is, keeping only its own keys, its events sorted by time", () => {
    const ticket = rowToTicket(
      {
        id: "W-1",
        priority: 2,
        createdAt: "2026-04-01T09:00Z",
        subject: "ignored",
        events: [
          { type: "resume", at: "2026-04-01T11:00Z" },
          { type: "pause", at: "2026-04-01T10:00Z" },
        ],
      },
      read,
    );
    expect(ticket).toEqual({
      id: "W-1",
      priority: 2,
      createdAt: "2026-04-01T09:00Z",
      events: [
        { type: "pause", at: "2026-04-01T10:00Z" },
        { type: "resume", at: "2026-04-01T11:00Z" },
      ],
    });
    // An instant that cannot be read leaves the order alone, for the clock to report by index.
    const events = [
      { type: "resume", at: "later" },
      { type: "pause", at: "2026-04-01T10:00Z" },
    ];
    expect(rowToTicket({ id: "W-2", priority: 1, createdAt: "2026-04-01T09:00Z", events }, read)).toMatchObject({
      events,
    });
  });
});

describe("texts from the file in messages", () => {
  // A header or cell with a quote, a line break, a colour escape and a right-to-left override:
  // quoted as a JSON string literal, so that it neither ends the quotes early, splits the message
  // nor drives the terminal it is printed to.
  const hostile = 'Bad "x"\n\u001b[31m\u202e';
  const quoted = '"Bad \\"x\\"\\n\\u001b[31m\\u202e"';
  const header = stringify([["id", hostile]]);

  it("quotes the headers of a header error and of a row error as JSON does", async () => {
    await expect(all(readRecords(chunked(`${header}1,2\n`), "csv", { required: ["priority"] }))).rejects.toThrow(
      'the CSV header has no "priority" column; it has "id", "bad_\\"x\\"_\\u001b[31m\\u202e"',
    );
    const bothId = { nameColumns: (cells: readonly string[]) => cells.map(() => "id") };
    await expect(all(readRecords(chunked(`${header}1,2\n`), "csv", bothId))).rejects.toThrow(
      `the CSV header has both "id" (column 1) and ${quoted} (column 2), which both read as "id"`,
    );
    const [short, open] = await all(readRecords(chunked(`${header}T-1\nT-2,"open\n`), "csv"));
    expect(short!.error).toBe(`unreadable CSV: the row on line 3 has 1 cell and the header 2; it has no ${quoted}`);
    expect(open!.error).toBe(`unreadable CSV: the quoted field ${quoted} is never closed`);
    // An NDJSON key that reads as a field can hold a line break only at its ends (trimmed).
    expect(fieldKeysOf({ id: 1, "ID\n": 2 })).toBe('"id" and "ID\\n" are both id; keep one');
  });

  it("quotes the cell of a row error and of an event's source as JSON does", () => {
    const anyInstant = () => Date.parse("2026-04-01T10:00Z");
    const base = { id: "T", priority: "1", created_at: "2026-04-01T09:00Z" };
    expect(() => rowToTicket({ ...base, pauses: hostile }, anyInstant)).toThrow(
      `pauses: pair 1 (${quoted}) is not "start/end"`,
    );
    expect(() => rowToTicket({ ...base, priority_changes: hostile }, anyInstant)).toThrow(
      `priority_changes: entry 1 (${quoted}) is not "at=priority"`,
    );
    const sources: string[] = [];
    const events = JSON.stringify([{ type: "respond", at: hostile }]);
    rowToTicket({ ...base, responded_at: hostile, events }, anyInstant, sources);
    expect(sources).toEqual([
      `responded_at: ${quoted}`,
      // JSON.stringify alone leaves U+202E raw.
      'events cell item 1: {"type":"respond","at":"Bad \\"x\\"\\n\\u001b[31m\\u202e"}',
    ]);
  });
});
