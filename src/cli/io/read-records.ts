import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { parse } from "csv-parse";

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

/** Input formats the CLI reads. */
export type InputFormat = "csv" | "ndjson";

/**
 * Reads a CSV (with a header row) or NDJSON stream record by record, without holding the file in
 * memory. A malformed CSV record (an unclosed quote, say) or a line that is not JSON becomes a
 * record with an `error` and its line number, never a lost row.
 *
 * @example
 * ```ts
 * for await (const row of readRecords(createReadStream("tickets.csv"), "csv")) console.log(row.line, row.record);
 * ```
 */
export async function* readRecords(input: Readable, format: InputFormat): AsyncGenerator<InputRecord> {
  if (format === "ndjson") {
    let line = 0;
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      line++;
      if (text.trim() === "") continue;
      try {
        const value: unknown = JSON.parse(text);
        if (typeof value !== "object" || value === null || Array.isArray(value))
          yield { line, error: "expected a JSON object" };
        else yield { line, record: value as Record<string, unknown> };
      } catch (e) {
        yield { line, error: `not JSON: ${(e as Error).message}` };
      }
    }
    return;
  }
  const skipped: InputRecord[] = [];
  const parser = input.pipe(
    parse({
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      info: true,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        const line = typeof err?.lines === "number" ? err.lines : 0;
        skipped.push({ line, error: `unreadable CSV: ${err?.message ?? "unknown error"}` });
        return undefined;
      },
    }),
  );
  for await (const item of parser as AsyncIterable<{ record: Record<string, unknown>; info: { lines: number } }>) {
    while (skipped.length > 0) yield skipped.shift() as InputRecord;
    yield { line: item.info.lines, record: item.record };
  }
  while (skipped.length > 0) yield skipped.shift() as InputRecord;
}
