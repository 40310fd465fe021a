import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

/**
 * One physical line of a text stream: its number (from 1) and its text without the line break, or,
 * for a line longer than the limit, `tooLong` and only the start of its text (its first
 * {@link LINE_HEAD_CHARS} characters, enough to name the row).
 *
 * @example
 * ```ts
 * const line: PhysicalLine = { number: 2, text: "T-1,1,2026-04-01T09:00,,,," };
 * ```
 */
export interface PhysicalLine {
  readonly number: number;
  readonly text: string;
  /** Set when the line ended with CR LF (the CR is not in `text`). */
  readonly cr?: true;
  /** Set when the line exceeded the length limit: all but its start was dropped, not kept in memory. */
  readonly tooLong?: true;
}

/**
 * Options of {@link readLines}.
 *
 * @example
 * ```ts
 * const options: LineOptions = { maxLineChars: 1_000_000, onBytes: (n) => bar.increment(n) };
 * ```
 */
export interface LineOptions {
  /** Longest line kept, in characters (default 1 048 576); a longer line comes out as `tooLong`. */
  readonly maxLineChars?: number;
  /** Called with the size in bytes of every chunk read, for a progress bar. */
  readonly onBytes?: (bytes: number) => void;
  /**
   * The stream's character encoding, as a WHATWG label (what `TextDecoder` takes: "utf-8",
   * "windows-1252", "iso-8859-15", "utf-16le"…). Default: UTF-8, or UTF-16 when the stream starts
   * with a UTF-16 byte-order mark (as Excel's "Unicode text" does). Check a label with
   * {@link checkEncoding} first: an unknown one throws here.
   */
  readonly encoding?: string;
  /** Called once, before the first line, with the encoding read (its canonical name). */
  readonly onEncoding?: (encoding: string, why: "given" | "default" | "byte-order mark") => void;
  /**
   * UTF-8 input only: called for each line with bytes that are not UTF-8 (the decoder reads each
   * such sequence as U+FFFD, "�"), with the line's number and how many there are, so that the
   * caller can say so instead of passing the mangled text on silently. A U+FFFD that the file
   * itself encodes (EF BF BD) is not counted. A line too long to keep is not looked at (it is an
   * error row of its own).
   */
  readonly onUndecodable?: (line: number, count: number) => void;
}

/**
 * The canonical name of an encoding label (`"latin1"` is `"windows-1252"`, as in browsers), or
 * `undefined` for a label `TextDecoder` does not know.
 *
 * @example
 * ```ts
 * checkEncoding("Latin1"); // "windows-1252"
 * checkEncoding("ebcdic"); // undefined
 * ```
 */
export function checkEncoding(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

/** A stream decoder: UTF-8 through Node's StringDecoder (the fast path), others through TextDecoder. */
interface ChunkDecoder {
  write(chunk: Buffer): string;
  end(): string;
}

function decoderFor(encoding: string): ChunkDecoder {
  if (encoding === "utf-8") return new StringDecoder("utf8");
  const decoder = new TextDecoder(encoding);
  return { write: (chunk) => decoder.decode(chunk, { stream: true }), end: () => decoder.decode() };
}

const REPLACEMENT = "\uFFFD";

/** How many times U+FFFD occurs in `text`. */
function replacements(text: string): number {
  let n = 0;
  for (let i = text.indexOf(REPLACEMENT); i !== -1; i = text.indexOf(REPLACEMENT, i + 1)) n++;
  return n;
}

/** How many UTF-8 encodings of U+FFFD (EF BF BD) `bytes` holds. */
function encodedReplacements(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(0xef); i !== -1 && i + 2 < bytes.length; i = bytes.indexOf(0xef, i + 1))
    if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) n++;
  return n;
}

/**
 * Default {@link LineOptions.maxLineChars}: 1 MiB of text.
 *
 * @example
 * ```ts
 * readLines(stream, { maxLineChars: MAX_LINE_CHARS });
 * ```
 */
export const MAX_LINE_CHARS = 1024 * 1024;

/**
 * How much of a line longer than the limit is kept: 4 096 characters.
 *
 * @example
 * ```ts
 * if (line.tooLong) console.log(`line ${line.number} starts with ${line.text}`); // at most LINE_HEAD_CHARS
 * ```
 */
export const LINE_HEAD_CHARS = 4096;

/**
 * Splits a byte stream into lines (LF or CRLF; a byte-order mark at the start is dropped), decoded
 * as UTF-8 or as {@link LineOptions.encoding} says, in bounded memory: at most one chunk and one
 * line are held at a time, and a line longer than `maxLineChars` is reported as `tooLong` with only
 * its start, the rest skipped rather than buffered.
 *
 * @example
 * ```ts
 * for await (const line of readLines(createReadStream("tickets.csv"))) console.log(line.number, line.text);
 * ```
 */
export async function* readLines(input: Readable, options: LineOptions = {}): AsyncGenerator<PhysicalLine> {
  for await (const lines of readLineBatches(input, options)) yield* lines;
}

/**
 * {@link readLines}, a chunk of the stream at a time: the lines that end in each chunk read, as
 * one array (none is empty). A reader of millions of lines pays one turn of the event loop per
 * chunk instead of one per line.
 *
 * @example
 * ```ts
 * for await (const lines of readLineBatches(createReadStream("tickets.csv"))) console.log(lines.length);
 * ```
 */
export async function* readLineBatches(input: Readable, options: LineOptions = {}): AsyncGenerator<PhysicalLine[]> {
  const max = options.maxLineChars ?? MAX_LINE_CHARS;
  const given = options.encoding === undefined ? undefined : checkEncoding(options.encoding);
  if (options.encoding !== undefined && given === undefined)
    throw new RangeError(`unknown encoding "${options.encoding}"`);
  let decoder: ChunkDecoder | undefined; // made at the first chunk (a byte-order mark may choose it)
  // UTF-8 input with bytes that are not UTF-8 (another encoding's export): the decoder puts U+FFFD in
  // their place. A line whose text has more of them than its bytes encode (EF BF BD) had that many
  // such sequences. A line's bytes are found only where its text shows a U+FFFD: a newline byte
  // (0x0A) is never part of a multi-byte sequence, so the k-th "\n" of a chunk's text is its k-th
  // 0x0A. Input that is UTF-8 throughout pays one `includes` and one `lastIndexOf` a chunk.
  let watch: LineOptions["onUndecodable"];
  let carryParts: Buffer[] = []; // the bytes of the carried start of a line
  let carryShows = false; // the carried text holds a U+FFFD
  let carry = "";
  let number = 0;
  let skipping = false; // inside a line that is too long: drop text up to its end
  let head = ""; // the start of that line
  let first = true;
  const line = (text: string, bytes?: readonly Buffer[]): PhysicalLine => {
    number++;
    if (bytes !== undefined && text.includes(REPLACEMENT)) {
      const undecodable = replacements(text) - encodedReplacements(Buffer.concat(bytes));
      if (undecodable > 0) (watch as NonNullable<typeof watch>)(number, undecodable);
    }
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text.endsWith("\r") ? { number, text: text.slice(0, -1), cr: true } : { number, text };
  };
  const tooLong = (start: string): PhysicalLine => {
    number++;
    const text = (first && start.charCodeAt(0) === 0xfeff ? start.slice(1) : start).slice(0, LINE_HEAD_CHARS);
    first = false;
    return { number, text, tooLong: true };
  };
  const begin = (chunk: Buffer | string): ChunkDecoder => {
    let encoding = given;
    let why: "given" | "default" | "byte-order mark" = "given";
    if (encoding === undefined) {
      const bytes = typeof chunk === "string" ? [] : [chunk[0], chunk[1]];
      encoding =
        bytes[0] === 0xff && bytes[1] === 0xfe
          ? "utf-16le"
          : bytes[0] === 0xfe && bytes[1] === 0xff
            ? "utf-16be"
            : "utf-8";
      why = encoding === "utf-8" ? "default" : "byte-order mark";
    }
    options.onEncoding?.(encoding, why);
    if (encoding === "utf-8") watch = options.onUndecodable;
    return decoderFor(encoding);
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const lines: PhysicalLine[] = [];
    options.onBytes?.(typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length);
    decoder ??= begin(chunk);
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    const raw = watch !== undefined && typeof chunk !== "string" ? chunk : undefined;
    // Whether lines ending in this chunk need their bytes: some text of theirs shows a U+FFFD.
    const track = raw !== undefined && (carryShows || text.includes(REPLACEMENT));
    let byte = 0; // where the next line's bytes start in `raw` (when tracking)
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl === -1) break;
      let bytes: Buffer[] | undefined;
      if (track) {
        const end = (raw as Buffer).indexOf(0x0a, byte);
        bytes = [...carryParts, (raw as Buffer).subarray(byte, end)];
        byte = end + 1;
      }
      carryParts = [];
      carryShows = false;
      if (skipping) {
        skipping = false;
        lines.push(tooLong(head));
      } else if (carry.length + (nl - start) > max) {
        const beginning =
          carry.length >= LINE_HEAD_CHARS + 1 ? carry : carry + text.slice(start, start + LINE_HEAD_CHARS + 1);
        carry = "";
        lines.push(tooLong(beginning));
      } else {
        const piece = text.slice(start, nl);
        const whole = carry === "" ? piece : carry + piece;
        carry = "";
        lines.push(line(whole, bytes));
      }
      start = nl + 1;
    }
    if (!skipping) {
      const piece = text.slice(start);
      carry += piece;
      if (raw !== undefined) {
        const from = start === 0 ? 0 : track ? byte : raw.lastIndexOf(0x0a) + 1;
        if (from < raw.length) carryParts.push(raw.subarray(from));
        carryShows ||= piece.includes(REPLACEMENT);
      }
      if (carry.length > max) {
        head = carry.slice(0, LINE_HEAD_CHARS + 1);
        carry = "";
        carryParts = [];
        carryShows = false;
        skipping = true;
      }
    }
    if (lines.length > 0) yield lines;
  }
  // A multi-byte sequence cut off by the end of the input comes out here, as a U+FFFD.
  const rest = decoder?.end() ?? "";
  carry += rest;
  if (skipping) yield [tooLong(head)];
  else if (carry !== "") yield [line(carry, watch === undefined ? undefined : carryParts)];
}
