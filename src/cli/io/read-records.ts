import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import { UsageError } from "../load";
import { readLines } from "./lines";

/**
 * One row of an input file: its line number and either the parsed record or why it could not be
 * parsed. Every row of the input yields exactly one of these.
 *
 * @example
 * ```ts
 * const row: InputRecord = { line: 2, record: { id: "T-1", priority: "1", created_at: "2026-04-01T09:00" } };
 * ```
 */
export interface InputRecord {
  readonly line: number;
  readonly record?: Record<string, unknown>;
  readonly error?: string;
}

/**
 * Input formats the CLI reads.
 *
 * @example
 * ```ts
 * const format: InputFormat = file.endsWith(".ndjson") ? "ndjson" : "csv";
 * ```
 */
export type InputFormat = "csv" | "ndjson";

/**
 * Options of {@link readRecords}.
 *
 * @example
 * ```ts
 * const options: ReadOptions = { required: ["id", "priority", "created_at"], onBytes: (n) => (read += n) };
 * ```
 */
export interface ReadOptions {
  /** CSV columns the header must have (after normalising); a header without one is a usage error. */
  readonly required?: readonly string[];
  /** Called with the size in bytes of every chunk read. */
  readonly onBytes?: (bytes: number) => void;
  /**
   * Opens the input again from a byte offset. With it, a CSV quote that never closes costs only its
   * own row: reading goes on after that line. Without it, the rest of the input after such a quote
   * is one error row.
   */
  readonly reopen?: (start: number) => Readable;
}

/**
 * A CSV header cell as a column name: trimmed, lower case, spaces and hyphens as underscores
 * (`"Created At"` → `created_at`).
 *
 * @example
 * ```ts
 * columnName(" Responded-At "); // "responded_at"
 * ```
 */
export function columnName(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

/**
 * Reads a CSV (with a header row) or NDJSON stream record by record, in bounded memory. Blank lines
 * are skipped; every other row yields one record, in order, with the line it starts on. A row that
 * cannot be read — a malformed CSV record (a stray quote costs only its own row), a line that is
 * not a JSON object, a line over 1 MiB — yields a record with an `error`, never a lost row. A CSV
 * header that lacks a `required` column throws a `UsageError`.
 *
 * @example
 * ```ts
 * for await (const row of readRecords(createReadStream("tickets.csv"), "csv")) console.log(row.line, row.record);
 * ```
 */
export async function* readRecords(
  input: Readable,
  format: InputFormat,
  options: ReadOptions = {},
): AsyncGenerator<InputRecord> {
  if (format === "ndjson") {
    const lines = readLines(input, options.onBytes === undefined ? {} : { onBytes: options.onBytes });
    for await (const { number: line, text, tooLong } of lines) {
      if (tooLong) {
        yield { line, error: "the line is too long (over 1 MiB)" };
        continue;
      }
      if (text.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        yield { line, error: `not JSON: ${(e as Error).message}` };
        continue;
      }
      if (typeof value !== "object" || value === null || Array.isArray(value))
        yield { line, error: "expected a JSON object" };
      else yield { line, record: value as Record<string, unknown> };
    }
    return;
  }
  yield* csvRecords(input, options);
}

/** What one pass of csv-parse over (part of) the input gives, in input order. */
type CsvItem =
  /** A record: the line it starts on and the line it ends on (they differ across quoted line breaks). */
  | { readonly kind: "record"; readonly line: number; readonly end: number; readonly record: Record<string, unknown> }
  /** A record csv-parse could not read, ending on `line` (its first line is not known here). */
  | { readonly kind: "error"; readonly line: number; readonly error: string }
  /** A quote that never closed: everything from the last record on is one field. */
  | { readonly kind: "unclosed" };

/**
 * One pass of csv-parse over a stream whose first line is line `firstLine` of the input. With
 * `header` undefined the first record is the header, handed to `onHeader`.
 */
async function* csvPass(
  stream: Readable,
  firstLine: number,
  header: readonly string[] | undefined,
  onHeader: (columns: string[]) => void,
  onBytes: ((bytes: number) => void) | undefined,
): AsyncGenerator<CsvItem> {
  if (onBytes !== undefined) stream.on("data", (chunk: Buffer | string) => onBytes(chunk.length));
  const skipped: CsvItem[] = [];
  let unclosed = false;
  const parser = stream.pipe(
    parse({
      columns:
        header === undefined
          ? (cells: string[]) => {
              const columns = cells.map(columnName);
              onHeader(columns);
              return columns;
            }
          : [...header],
      info: true,
      bom: firstLine === 1,
      skip_empty_lines: true,
      relax_column_count: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        if (err?.code === "CSV_QUOTE_NOT_CLOSED") unclosed = true;
        else {
          const line = typeof err?.lines === "number" ? err.lines + firstLine - 1 : firstLine;
          const message = (err?.message ?? "unknown error").replace(/ at line \d+/, "");
          skipped.push({ kind: "error", line, error: `unreadable CSV: ${message}` });
        }
        return undefined;
      },
    }),
  );
  // Without a header yet, this pass starts with it (one line).
  let previousEnd = header === undefined ? firstLine : firstLine - 1;
  let previousEmpty = 0;
  try {
    for await (const item of parser as AsyncIterable<{
      record: Record<string, unknown>;
      info: { lines: number; empty_lines: number };
    }>) {
      const end = item.info.lines + firstLine - 1;
      while (skipped.length > 0 && (skipped[0] as { line: number }).line < end) {
        const bad = skipped.shift() as CsvItem & { line: number };
        previousEnd = bad.line;
        yield bad;
      }
      // The record starts after the previous one and the blank lines csv-parse skipped since.
      const line = Math.min(end, previousEnd + 1 + (item.info.empty_lines - previousEmpty));
      previousEnd = end;
      previousEmpty = item.info.empty_lines;
      yield { kind: "record", line, end, record: item.record };
    }
    while (skipped.length > 0) yield skipped.shift() as CsvItem;
    if (unclosed) yield { kind: "unclosed" };
  } finally {
    stream.destroy();
  }
}

/**
 * The first line with text at or after `line` in a stream whose first line is line `firstLine` of
 * the input, and the byte offset (in the stream) of the line after it; `undefined` when there is
 * none.
 */
async function nextTextLine(
  stream: Readable,
  line: number,
  firstLine: number,
): Promise<{ line: number; after: number } | undefined> {
  let current = firstLine;
  let offset = 0;
  let blank = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i] as number;
        if (byte === 0x0a) {
          if (current >= line && !blank) return { line: current, after: offset + i + 1 };
          current++;
          blank = true;
        } else if (current >= line && byte !== 0x0d && byte !== 0x20 && byte !== 0x09) {
          blank = false;
        }
      }
      offset += chunk.length;
    }
    return current >= line && !blank ? { line: current, after: offset } : undefined;
  } finally {
    stream.destroy();
  }
}

/**
 * CSV records through csv-parse, one input row each. By CSV's rules a stray quote makes the lines
 * up to the next quote one field, or the rest of the input when none follows; csv-parse then
 * reports one bad record over several lines. Here the row where that record starts becomes an error
 * row and reading starts again on the row after it (when the input can be reopened), so a stray
 * quote costs exactly its own row and no other row is lost.
 */
async function* csvRecords(input: Readable, options: ReadOptions): AsyncGenerator<InputRecord> {
  let header: readonly string[] | undefined;
  let headerLine = 0;
  const checkHeader = (columns: string[]): void => {
    header = columns;
    const missing = (options.required ?? []).filter((c) => !columns.includes(c));
    if (missing.length > 0) {
      throw new UsageError(
        `the CSV header has no ${missing.map((c) => `"${c}"`).join(", ")} column${missing.length > 1 ? "s" : ""}; it has ${columns.map((c) => `"${c}"`).join(", ")}`,
      );
    }
  };
  const reopen = options.reopen;
  let stream = input;
  let firstLine = 1;
  /** Byte offset in the input where `stream` starts. */
  let offset = 0;
  for (;;) {
    /** The line the last record (or the header) ended on. */
    let last = Math.max(firstLine - 1, headerLine);
    /** Set when a bad record starts on a row of its own and runs over the next ones. */
    let broken: { line: number; after: number } | undefined;
    let unclosed = false;
    for await (const item of csvPass(stream, firstLine, header, checkHeader, options.onBytes)) {
      if (header !== undefined && headerLine === 0 && reopen !== undefined) {
        headerLine = (await nextTextLine(reopen(0), 1, 1))?.line ?? 1;
        last = Math.max(last, headerLine);
      }
      if (item.kind === "record") {
        last = item.end;
        yield { line: item.line, record: item.record };
        continue;
      }
      if (item.kind === "error" && item.line <= last + 1) {
        // A bad record on one line: it costs its own row and csv-parse goes on.
        last = item.line;
        yield { line: item.line, error: item.error };
        continue;
      }
      // A bad record over several lines (or a quote that never closes): it starts on the first
      // line with text after the last record (looked for from where this pass started).
      unclosed = item.kind === "unclosed";
      const found = reopen === undefined ? undefined : await nextTextLine(reopen(offset), last + 1, firstLine);
      const start = found === undefined ? undefined : { line: found.line, after: offset + found.after };
      if (start === undefined || reopen === undefined) {
        yield {
          line: last + 1,
          error: item.kind === "error" ? item.error : "unreadable CSV: a quote opened on this line is never closed",
        };
        if (item.kind === "error") {
          last = item.line;
          continue;
        }
        return;
      }
      broken = start;
      yield {
        line: start.line,
        error: unclosed
          ? "unreadable CSV: a quote opened on this line is never closed"
          : `${item.kind === "error" ? item.error : ""} (a stray quote on this line)`,
      };
      break;
    }
    if (header === undefined) {
      if (unclosed || broken !== undefined)
        throw new UsageError("cannot read the CSV header: a quote in it never closes");
      return;
    }
    if (broken === undefined) return;
    offset = broken.after;
    stream = (reopen as (start: number) => Readable)(offset);
    firstLine = broken.line + 1;
  }
}
