/**
 * Exports that are not UTF-8. Excel on Windows saves "CSV" in windows-1252, so a Swedish or Finnish
 * help desk's export of "Göran" or "Hög" has bytes that are not UTF-8. The reader used to decode
 * them as U+FFFD ("�") without a word: ids and names reached the output changed. Now it counts them
 * (bytes that really encode U+FFFD are not counted), the CLI warns with the first line and the way
 * to read the file right (`--encoding windows-1252`), `--strict` exits 1, and `--encoding` reads
 * any encoding the runtime knows. A UTF-16 byte-order mark (Excel's "Unicode text") is read as
 * UTF-16 without being asked.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkEncoding, readLines, type LineOptions } from "../src/cli/io/lines";
import { cli } from "./support/cli";
import { tempDir } from "./support/temp-dir";

/** The lines of `bytes` cut into chunks of the given sizes (cycled), with what the reader reported. */
async function read(bytes: Buffer, sizes: readonly number[] = [bytes.length || 1], options: LineOptions = {}) {
  const chunks: Buffer[] = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = Math.max(1, sizes[k % sizes.length]!);
    chunks.push(bytes.subarray(i, i + n));
    i += n;
  }
  const reports: [number, number][] = [];
  const encodings: string[] = [];
  const texts: string[] = [];
  for await (const line of readLines(Readable.from(chunks), {
    ...options,
    onUndecodable: (at, count) => reports.push([at, count]),
    onEncoding: (encoding, why) => encodings.push(`${encoding} (${why})`),
  }))
    texts.push(line.text);
  return { texts, reports, encodings };
}

const latin1 = (text: string) => Buffer.from(text, "latin1");

describe("reading lines that are not UTF-8", () => {
  it("counts the bytes that are not UTF-8, line by line", async () => {
    const bytes = latin1("id,name\nA\xd6,G\xf6ran\nB,ok\n");
    const { texts, reports, encodings } = await read(bytes);
    expect(texts).toEqual(["id,name", "A\uFFFD,G\uFFFDran", "B,ok"]);
    expect(reports).toEqual([[2, 2]]);
    expect(encodings).toEqual(["utf-8 (default)"]);
  });

  it("does not count a U+FFFD that the file itself encodes, nor a character split between chunks", async () => {
    const bytes = Buffer.concat([Buffer.from("a,\uFFFD\nå,ä,ö\n", "utf8"), latin1("b,\xe5\n")]);
    for (const sizes of [[bytes.length], [1], [2, 3], [4, 1, 2], [12]]) {
      const { texts, reports } = await read(bytes, sizes);
      expect(texts).toEqual(["a,\uFFFD", "å,ä,ö", "b,\uFFFD"]);
      expect(reports).toEqual([[3, 1]]);
    }
  });

  it("counts a multi-byte sequence cut off by the end of the input", async () => {
    const bytes = Buffer.concat([Buffer.from("x\nå", "utf8"), Buffer.from([0xe2, 0x82])]);
    expect((await read(bytes, [2])).reports).toEqual([[2, 1]]);
  });

  it("reads the encoding it is given, and says none is wrong there", async () => {
    const { texts, reports, encodings } = await read(latin1("A\xd6,G\xf6ran\n"), [3], { encoding: "latin1" });
    expect(texts).toEqual(["AÖ,Göran"]);
    expect(reports).toEqual([]);
    expect(encodings).toEqual(["windows-1252 (given)"]);
    expect(checkEncoding(" UTF8 ")).toBe("utf-8");
    expect(checkEncoding("ebcdic")).toBeUndefined();
  });

  it("reads UTF-16 from its byte-order mark", async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("id,namn\n1,Göran\n", "utf16le")]);
    const { texts, reports, encodings } = await read(le, [3, 1]);
    expect(texts).toEqual(["id,namn", "1,Göran"]);
    expect(reports).toEqual([]);
    expect(encodings).toEqual(["utf-16le (byte-order mark)"]);
    const be = Buffer.from(le.toString("utf16le"), "utf16le").swap16();
    expect((await read(be)).texts).toEqual(["id,namn", "1,Göran"]);
  });

  it("counts exactly the sequences that are not UTF-8, however the stream is cut (property)", async () => {
    // Pieces: ASCII, valid multi-byte characters, U+FFFD encoded, and bytes that are not UTF-8.
    const piece = fc.oneof(
      fc.constantFrom("a", ",", "\n", "å", "€", "😀", "\uFFFD").map((t) => ({ bytes: Buffer.from(t, "utf8"), bad: 0 })),
      fc
        .constantFrom([0x80], [0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98])
        .map((b) => ({ bytes: Buffer.from(b), bad: 1 })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }),
        async (pieces, sizes) => {
          // A lone lead byte followed by a continuation byte would make a valid or a different
          // sequence; keep each bad piece followed by ASCII so that it stays one bad sequence.
          const bytes = Buffer.concat(pieces.flatMap((p) => (p.bad ? [p.bytes, Buffer.from("a")] : [p.bytes])));
          const expected = new TextDecoder().decode(bytes).split("\uFFFD").length - 1;
          const encoded = pieces.filter((p) => !p.bad && p.bytes.equals(Buffer.from("\uFFFD", "utf8"))).length;
          const { reports } = await read(bytes, sizes);
          expect(reports.reduce((sum, [, n]) => sum + n, 0)).toBe(expected - encoded);
          // Each line's own count: the same pieces, line by line (a newline piece ends a line).
          const perLine: [number, number][] = [];
          let lineNo = 1;
          let bad = 0;
          for (const p of pieces) {
            bad += p.bad;
            if (p.bytes.toString() === "\n") {
              if (bad > 0) perLine.push([lineNo, bad]);
              lineNo++;
              bad = 0;
            }
          }
          if (bad > 0) perLine.push([lineNo, bad]);
          expect(reports).toEqual(perLine);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("sla-clock evaluate and report on an export that is not UTF-8", () => {
  const dir = tempDir("sla-clock-encoding-");
  const file = join(dir, "windows-1252.csv");
  writeFileSync(file, latin1("id,priority,created_at\nA\xd6,1,2026-04-01T10:00\nB,1,2026-04-01T10:00\n"));
  const now = ["--now", "2026-04-10T10:00"];

  it("warns, with the first line and the flag to use, and --strict exits 1", async () => {
    const run = await cli(["evaluate", "softone-se", file, ...now]);
    expect(run.code).toBe(0);
    expect(run.out.split("\n")[1]).toMatch(/^2,A\uFFFD,1,,/);
    expect(run.err).toContain(
      "warning: 1 character (on line 2) is not UTF-8 and was read as �; add --encoding with the export's encoding (a CSV saved by Excel on Windows: --encoding windows-1252; --strict: exit 1)",
    );
    expect((await cli(["evaluate", "softone-se", file, ...now, "--strict"])).code).toBe(1);
    const html = join(dir, "report.html");
    const report = await cli(["report", "softone-se", file, ...now, "--html", html, "--strict"]);
    expect(report.code).toBe(1);
    expect(report.err).toContain("warning: 1 character (on line 2) is not UTF-8");
  });

  it("reads it right with --encoding, and says so", async () => {
    const run = await cli(["evaluate", "softone-se", file, ...now, "--encoding", "windows-1252", "--strict"]);
    expect(run.code).toBe(0);
    expect(run.out.split("\n")[1]).toMatch(/^2,AÖ,1,,/);
    expect(run.err).toContain("read as: windows-1252 (--encoding), comma-separated (detected)");
    expect(run.err).not.toContain("warning");
  });

  it("reads the same on several threads", async () => {
    const serial = await cli(["evaluate", "softone-se", file, ...now, "--encoding", "windows-1252", "--jobs", "1"]);
    const parallel = await cli(["evaluate", "softone-se", file, ...now, "--encoding", "windows-1252", "--jobs", "2"]);
    expect(parallel.out).toBe(serial.out);
    const warned = await cli(["evaluate", "softone-se", file, ...now, "--jobs", "2"]);
    expect(warned.err).toContain("warning: 1 character (on line 2) is not UTF-8");
  });

  it("refuses an encoding the runtime does not know, before reading anything", async () => {
    const run = await cli(["evaluate", "softone-se", file, ...now, "--encoding", "ebcdic"]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--encoding: "ebcdic" is not an encoding this runtime can read');
  });

  it("says why a header that is not UTF-8 cannot be mapped", async () => {
    const header = join(dir, "header.csv");
    writeFileSync(header, latin1("\xc4rende,priority,created_at\n1,1,2026-04-01T10:00\n"));
    const run = await cli(["evaluate", "softone-se", header, ...now]);
    expect(run.code).toBe(2);
    expect(run.err).toContain('"\uFFFDrende"');
    expect(run.err).toContain("1 character (on line 1) is not UTF-8");
  });

  it("reads a UTF-16 export (Excel's Unicode text) from its byte-order mark", async () => {
    const utf16 = join(dir, "utf16.csv");
    const text = "id,priority,created_at\r\nÖ-1,1,2026-04-01T10:00\r\n";
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    const run = await cli(["evaluate", "softone-se", utf16, ...now, "--strict"]);
    expect(run.code).toBe(0);
    expect(run.out.split("\n")[1]).toMatch(/^2,Ö-1,1,,/);
    expect(run.err).toContain("read as: utf-16le (byte-order mark), comma-separated (detected)");
  });
});

describe("the CSV header's cells in messages", () => {
  const dir = tempDir("sla-clock-header-");
  it("quotes the last header cell without its line break", async () => {
    for (const end of ["\n", "\r\n"]) {
      const file = join(dir, `dup${end.length}.csv`);
      writeFileSync(file, `id,priority,created_at,ID${end}1,1,2026-04-01T10:00,2${end}`);
      const run = await cli(["evaluate", "softone-se", file, "--now", "2026-04-10T10:00"]);
      expect(run.code).toBe(2);
      expect(run.err).toContain('the CSV header has both "id" (column 1) and "ID" (column 4), which both read as "id"');
    }
  });
});
