import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

/**
 * One physical line of a text stream: its number (from 1) and its text without the line break, or,
 * for a line longer than the limit, `tooLong` and no text.
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
  /** Set when the line exceeded the length limit: its text was dropped, not kept in memory. */
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
 * Splits a byte stream into UTF-8 lines (LF or CRLF; a byte-order mark at the start is dropped) in
 * bounded memory: at most one chunk and one line are held at a time, and a line longer than
 * `maxLineChars` is reported as `tooLong` and skipped rather than buffered.
 *
 * @example
 * ```ts
 * for await (const line of readLines(createReadStream("tickets.csv"))) console.log(line.number, line.text);
 * ```
 */
export async function* readLines(input: Readable, options: LineOptions = {}): AsyncGenerator<PhysicalLine> {
  const max = options.maxLineChars ?? MAX_LINE_CHARS;
  const decoder = new StringDecoder("utf8");
  let carry = "";
  let number = 0;
  let skipping = false; // inside a line that is too long: drop text up to its end
  let first = true;
  const line = (text: string): PhysicalLine => {
    number++;
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text.endsWith("\r") ? { number, text: text.slice(0, -1), cr: true } : { number, text };
  };
  const tooLong = (): PhysicalLine => {
    number++;
    first = false;
    return { number, text: "", tooLong: true };
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    options.onBytes?.(typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length);
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl === -1) break;
      if (skipping) {
        skipping = false;
        yield tooLong();
      } else if (carry.length + (nl - start) > max) {
        carry = "";
        yield tooLong();
      } else {
        const piece = text.slice(start, nl);
        const whole = carry === "" ? piece : carry + piece;
        carry = "";
        yield line(whole);
      }
      start = nl + 1;
    }
    if (!skipping) {
      carry += text.slice(start);
      if (carry.length > max) {
        carry = "";
        skipping = true;
      }
    }
  }
  carry += decoder.end();
  if (skipping) yield tooLong();
  else if (carry !== "") yield line(carry);
}
