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
 * Splits a byte stream into UTF-8 lines (LF or CRLF; a byte-order mark at the start is dropped) in
 * bounded memory: at most one chunk and one line are held at a time, and a line longer than
 * `maxLineChars` is reported as `tooLong` with only its start, the rest skipped rather than buffered.
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
  const decoder = new StringDecoder("utf8");
  let carry = "";
  let number = 0;
  let skipping = false; // inside a line that is too long: drop text up to its end
  let head = ""; // the start of that line
  let first = true;
  const line = (text: string): PhysicalLine => {
    number++;
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
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const lines: PhysicalLine[] = [];
    options.onBytes?.(typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length);
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl === -1) break;
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
        lines.push(line(whole));
      }
      start = nl + 1;
    }
    if (!skipping) {
      carry += text.slice(start);
      if (carry.length > max) {
        head = carry.slice(0, LINE_HEAD_CHARS + 1);
        carry = "";
        skipping = true;
      }
    }
    if (lines.length > 0) yield lines;
  }
  carry += decoder.end();
  if (skipping) yield [tooLong(head)];
  else if (carry !== "") yield [line(carry)];
}
