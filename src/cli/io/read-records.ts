import type { Readable } from "node:stream";
import { createRequire } from "node:module";
import type { Options as CsvOptions, parse as csvParse } from "csv-parse/sync";
import { UsageError } from "../load";
import { readLineBatches, type LineOptions, type PhysicalLine } from "./lines";
import { FIELDS } from "./row-to-ticket";
import { jsonList, jsonLiteral } from "../format";

/**
 * One row of an input file: its line number and either the parsed record or why it could not be
 * parsed. Every row of the input yields exactly one of these. A row with an `error` may still carry
 * the cells that could be read (its id, say) in `record`, to name the row.
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
 * The longest row read, in characters (1 MiB): a longer CSV row (over one line or several) or
 * NDJSON line becomes one error row, without being held in memory.
 *
 * @example
 * ```ts
 * readRecords(stream, "csv", { maxRowChars: MAX_ROW_CHARS });
 * ```
 */
export const MAX_ROW_CHARS = 1024 * 1024;

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
  /**
   * The CSV columns the caller reads (default: all). Only these are in each record; two header
   * cells that name the same one of them are a usage error; and a quote left open in a column after
   * all of them does not make the row unreadable.
   */
  readonly columns?: readonly string[];
  /**
   * Whether a CSV line, read as a row of its own, is the start of a row. Such a line never continues
   * a quoted field left open on an earlier line: that field's row ends before it. Default: the line
   * has a cell for every header column, and every `required` column is filled.
   */
  readonly startsRow?: (record: Readonly<Record<string, string>>) => boolean;
  /** The longest row read, in characters (default {@link MAX_ROW_CHARS}). */
  readonly maxRowChars?: number;
  /** Called with the size in bytes of every chunk read. */
  readonly onBytes?: (bytes: number) => void;
  /** The input's character encoding (see {@link LineOptions.encoding}); default UTF-8 or a UTF-16 byte-order mark's. */
  readonly encoding?: LineOptions["encoding"];
  /** Called with the encoding read (see {@link LineOptions.onEncoding}). */
  readonly onEncoding?: LineOptions["onEncoding"];
  /** Called for bytes of UTF-8 input that are not UTF-8 (see {@link LineOptions.onUndecodable}). */
  readonly onUndecodable?: LineOptions["onUndecodable"];
  /**
   * The CSV field separator; default: detected from the header line ({@link detectDelimiter}).
   */
  readonly delimiter?: Delimiter;
  /**
   * Names the header's columns (default {@link columnName} of each cell); may throw a `UsageError`
   * for a header it cannot read (no mapping fits). Called once, with the header's cells and the
   * separator in use.
   */
  readonly nameColumns?: (
    cells: readonly string[],
    delimiter: Delimiter,
    delimiterFrom: DelimiterSource,
  ) => readonly string[];
}

/**
 * The CSV field separators the reader knows: comma, semicolon (Excel's default where the decimal
 * separator is a comma, as in Sweden, Finland and Denmark) and tab.
 *
 * @example
 * ```ts
 * const d: Delimiter = ";";
 * ```
 */
export type Delimiter = "," | ";" | "\t";

/** Excel's separator directive on the first line of a CSV file: `sep=;` (quoted by some writers). */
const SEPARATOR_DIRECTIVE = /^"?sep=([,;\t])"?\s*$/i;

/**
 * The separator of a CSV header line: whichever of `,`, `;` and tab occurs outside quotes, the most
 * frequent when several do (a header rarely holds another's separator in a name); a comma when
 * none does (a one-column file). A tie between two is a `UsageError` asking for `--delimiter`.
 *
 * @example
 * ```ts
 * detectDelimiter("Ticket ID;Created at;Priority"); // ";"
 * detectDelimiter('id,"a;b",created_at'); // ","
 * ```
 */
export function detectDelimiter(header: string): Delimiter {
  const counts = new Map<Delimiter, number>([
    [",", 0],
    [";", 0],
    ["\t", 0],
  ]);
  let quoting = false;
  for (const c of header) {
    if (c === '"') quoting = !quoting;
    else if (!quoting && counts.has(c as Delimiter)) counts.set(c as Delimiter, counts.get(c as Delimiter)! + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked as [[Delimiter, number], [Delimiter, number]];
  if (best[1] === 0) return ",";
  if (best[1] === second[1])
    throw new UsageError(
      `cannot tell the CSV separator: the header has as many ${delimiterName(best[0])} as ${delimiterName(second[0])}; pass --delimiter`,
    );
  return best[0];
}

/**
 * A separator in words, for messages and the summary.
 *
 * @example
 * ```ts
 * delimiterName("\t"); // "tab"
 * ```
 */
export function delimiterName(d: Delimiter): string {
  return d === "," ? "comma" : d === ";" ? "semicolon" : "tab";
}

/** Each NDJSON key seen, and the field it spells otherwise (`"Resolved At"`: `resolved_at`), or null. */
const KEY_FIELDS = new Map<string, string | null>();
const FIELD_SET: ReadonlySet<string> = new Set(FIELDS);

/** The field `key` names in another spelling than the field's own, as a CSV header may; else undefined. */
function otherSpelling(key: string): string | undefined {
  let field = KEY_FIELDS.get(key);
  if (field === undefined) {
    const name = columnName(key);
    field = name !== key && FIELD_SET.has(name) ? name : null;
    // Bounded: the keys are the file's to choose.
    if (KEY_FIELDS.size < 1000) KEY_FIELDS.set(key, field);
  }
  return field ?? undefined;
}

/**
 * An NDJSON record with its keys read as a CSV header's cells are: a key that spells a field
 * otherwise (`"Resolved_At"`, `"resolved at"`, `"Timezone"`, `"Policy"`) is that field. Left as it
 * was, it was not read: a solved ticket looked open, a row's zone or policy was not its own. Two
 * keys for one field are the row's error, since which one was meant cannot be known.
 */
function withFieldKeys(line: number, record: Record<string, unknown>): InputRecord {
  const read = fieldKeysOf(record);
  return typeof read === "string" ? { line, record, error: read } : { line, record: read };
}

/**
 * An NDJSON record with its keys read as a CSV header's cells are (see the reader above), or the
 * row's error when two keys name one field.
 * @internal
 */
export function fieldKeysOf(record: Record<string, unknown>): Record<string, unknown> | string {
  let renamed: Record<string, unknown> | undefined;
  // `for…in` with an own-key test rather than an array of keys per row.
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    const field = otherSpelling(key);
    if (field === undefined) continue;
    renamed ??= { ...record };
    if (Object.prototype.hasOwnProperty.call(renamed, field)) {
      const other = Object.keys(record).find((k) => k !== key && (k === field || otherSpelling(k) === field));
      return `${jsonLiteral(other ?? field)} and ${jsonLiteral(key)} are both ${field}; keep one`;
    }
    renamed[field] = record[key];
    delete renamed[key];
  }
  return renamed ?? record;
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
 * Reads a CSV (with a header row) or NDJSON stream record by record, in one pass and bounded
 * memory. Blank lines are skipped; every other row yields one record, in order, with the line it
 * starts on. A row that cannot be read yields one record with an `error` (and the cells that could
 * be read), never a lost or an extra row: an NDJSON line that is not a JSON object; a row longer than
 * `maxRowChars`; a CSV row whose quoted field is still open at the end of the input or at a line
 * that reads as a row of its own (`startsRow`), unless the field is in a column after every column
 * the caller reads; a CSV row with more cells than the header (unless the extra ones are empty and
 * at its end), or without a column the caller reads. Stray quotes inside a field are text
 * (csv-parse's `relax_quotes`). A CSV header that lacks a `required` column, or names one of
 * `columns` twice, throws a `UsageError`.
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
  for await (const records of readRecordBatches(input, format, options)) yield* records;
}

/**
 * {@link readRecords}, a chunk of the input at a time: the records of the rows that end in each
 * chunk read, in order, as one array (none is empty). The same records, the same errors; a reader
 * of millions of rows pays one turn of the event loop per chunk instead of one per row.
 *
 * @example
 * ```ts
 * for await (const rows of readRecordBatches(createReadStream("tickets.csv"), "csv")) console.log(rows.length);
 * ```
 */
export async function* readRecordBatches(
  input: Readable,
  format: InputFormat,
  options: ReadOptions = {},
): AsyncGenerator<InputRecord[]> {
  if (format === "csv") {
    yield* readCsvFrames(input, options, new RecordSplitter());
    return;
  }
  const { lines, max } = lineBatchesOf(input, options);
  for await (const batch of lines) {
    const records: InputRecord[] = [];
    for (const { number: line, text, tooLong } of batch) {
      if (tooLong) {
        records.push({ line, error: `the line is longer than the limit of ${max} characters` });
        continue;
      }
      if (text.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        records.push({ line, error: `not JSON: ${(e as Error).message}` });
        continue;
      }
      if (typeof value !== "object" || value === null || Array.isArray(value))
        records.push({ line, error: "expected a JSON object" });
      else records.push(withFieldKeys(line, value as Record<string, unknown>));
    }
    if (records.length > 0) yield records;
  }
}

/**
 * The rows of a CSV input cut out as {@link readRecordBatches} cuts them, handed to `sink` rather
 * than split into records (the parallel `evaluate` posts them to its workers as text).
 * @internal
 */
export function readCsvFrames<T>(input: Readable, options: ReadOptions, sink: RowSink<T>): AsyncGenerator<T[]> {
  const { lines, max } = lineBatchesOf(input, options);
  return csvFrames(lines, options, max, sink);
}

/** The input's lines, a chunk at a time, cut at the longest row read (`max`). */
function lineBatchesOf(input: Readable, options: ReadOptions): { lines: AsyncGenerator<PhysicalLine[]>; max: number } {
  const max = options.maxRowChars ?? MAX_ROW_CHARS;
  const lines = readLineBatches(input, {
    maxLineChars: max,
    ...(options.onBytes === undefined ? {} : { onBytes: options.onBytes }),
    ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
    ...(options.onEncoding === undefined ? {} : { onEncoding: options.onEncoding }),
    ...(options.onUndecodable === undefined ? {} : { onUndecodable: options.onUndecodable }),
  });
  return { lines, max };
}

let csvParser: typeof csvParse | undefined;

/**
 * csv-parse's `parse`, loaded at the first row with a quote (a row without one is split by the
 * reader itself, so many exports never need it, and start-up does not pay for it).
 */
function parse(input: string, options: CsvOptions): string[][] {
  csvParser ??= (createRequire(import.meta.url)("csv-parse/sync") as { parse: typeof csvParse }).parse;
  return csvParser(input, options) as string[][];
}

/**
 * csv-parse's options for rows the reader has already cut out: quotes inside a field are text
 * (`relax_quotes`), rows may be short or long (rowRecord judges them, naming the line), and a
 * record ends at LF or CR LF only — as lines are cut — so a lone CR is text. The byte-order mark
 * is dropped with the first line.
 */
const CSV_OPTIONS: CsvOptions = {
  relax_quotes: true,
  relax_column_count: true,
  record_delimiter: ["\r\n", "\n"],
  bom: false,
};

/** Rows parsed by csv-parse in one call. */
const BATCH_ROWS = 1000;
const QUOTE = 0x22;

/**
 * Whether a line ends inside a quoted field, given whether it starts inside one. These are
 * csv-parse's quote rules under `relax_quotes` (a quote opens a field only as its first character;
 * inside, `""` is a quote, and a quote ends the quoting: before a comma or the line end it closes the
 * field, before anything else it is kept as text). csv-parse cannot say this itself without reading
 * the next line, and a stream it has read cannot be read again; knowing it per line is what lets a
 * broken row end before the next row instead of swallowing it.
 */
function endsInQuotes(text: string, quoting: boolean, delimiter: number): boolean {
  return scanQuotes(text, quoting, delimiter, false) === ENDS_QUOTED;
}

/**
 * Whether a line read from its start has a quote inside a field that does not start with one
 * (`since monday",T-1,…`): not strict CSV (RFC 4180), so it is rather the end of a quoted field
 * that an earlier line opened.
 */
function quoteInsideBareField(text: string, delimiter: number): boolean {
  return scanQuotes(text, false, delimiter, true) === BARE_QUOTE;
}

/** What {@link scanQuotes} found: the line ends outside or inside quotes, or a bare field holds one. */
const ENDS_UNQUOTED = 0;
const ENDS_QUOTED = 1;
const BARE_QUOTE = 2;

/**
 * One pass over a line under csv-parse's quote rules (see {@link endsInQuotes}), starting inside a
 * quoted field or not; with `stopAtBareQuote`, a quote inside a field that does not start with one
 * ends the pass (`relax_quotes` otherwise keeps it as text).
 */
function scanQuotes(text: string, quoting: boolean, delimiter: number, stopAtBareQuote: boolean): number {
  if (!quoting && !text.includes('"')) return ENDS_UNQUOTED;
  let fieldStart = !quoting;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoting) {
      if (c === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) i++;
        else quoting = false;
      }
    } else if (c === delimiter) {
      fieldStart = true;
    } else {
      if (c === QUOTE) {
        if (fieldStart) quoting = true;
        else if (stopAtBareQuote) return BARE_QUOTE;
      }
      fieldStart = false;
    }
  }
  return quoting ? ENDS_QUOTED : ENDS_UNQUOTED;
}

/**
 * The cells of one row's text, with a quote left open closed at its end; undefined if csv-parse
 * cannot read it as one row. Text without a quote is split at its commas, as csv-parse would, without
 * the cost of a csv-parse call (it is asked once per line of a field over several lines).
 */
function cellsOf(text: string, open: boolean, csv: Csv): string[] | undefined {
  if (!open && !text.includes('"')) return text.split(csv.delimiter);
  try {
    const rows = parse(open ? `${text}"` : text, csv.options);
    return rows.length === 1 ? rows[0] : undefined;
  } catch {
    return undefined;
  }
}

/** The separator in use, as text, as a char code and in csv-parse's options. */
export interface Csv {
  readonly delimiter: Delimiter;
  /** Where the separator came from: the option, Excel's `sep=` first line, or the header's cells. */
  readonly from: DelimiterSource;
  readonly code: number;
  readonly options: CsvOptions;
}

/**
 * Where a CSV's separator came from: `--delimiter`, Excel's `sep=` directive, or detection.
 *
 * @example
 * ```ts
 * const from: DelimiterSource = "directive"; // the file starts with "sep=;"
 * ```
 */
export type DelimiterSource = "given" | "directive" | "detected";

function csvOf(delimiter: Delimiter, from: DelimiterSource): Csv {
  return { delimiter, from, code: delimiter.charCodeAt(0), options: { ...CSV_OPTIONS, delimiter } };
}

/** The header: column names, what they came from, and which the caller reads. */
export interface Header {
  readonly names: readonly string[];
  readonly cells: readonly string[];
  /** Per column: whether records keep it. */
  readonly kept: readonly boolean[];
  /** The last column the caller reads (-1: none). */
  readonly lastRead: number;
}

function readHeader(cells: readonly string[], options: ReadOptions, csv: Csv): Header {
  const names =
    options.nameColumns === undefined ? cells.map(columnName) : options.nameColumns(cells, csv.delimiter, csv.from);
  const missing = (options.required ?? []).filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new UsageError(
      `the CSV header has no ${missing.map((c) => `"${c}"`).join(", ")} column${missing.length > 1 ? "s" : ""}; it has ${jsonList(names)}`,
    );
  }
  const read = options.columns;
  const kept = names.map((n) => read === undefined || read.includes(n));
  const first = new Map<string, number>();
  names.forEach((name, i) => {
    if (!kept[i]) return;
    const j = first.get(name);
    if (j === undefined) first.set(name, i);
    else
      throw new UsageError(
        `the CSV header has both ${jsonLiteral(cells[j])} (column ${j + 1}) and ${jsonLiteral(cells[i])} (column ${i + 1}), which both read as ${jsonLiteral(name)}; rename or remove one`,
      );
  });
  return { names, cells, kept, lastRead: kept.lastIndexOf(true) };
}

function toRecord(cells: readonly string[], header: Header): Record<string, string> {
  const record: Record<string, string> = {};
  const n = Math.min(cells.length, header.names.length);
  for (let i = 0; i < n; i++) if (header.kept[i]) record[header.names[i] as string] = cells[i] as string;
  return record;
}

/**
 * The record of a whole row's cells, or its error row when its cells do not line up with the
 * header's columns. csv-parse is told to accept rows of any length (`relax_column_count`), so this is
 * where a row of another length is judged: a separator left unquoted inside a field (`Printer, 2nd
 * floor`) moves every later cell one column on, and a row cut short leaves columns unread — either
 * would read another column's date as this one's, silently. Empty trailing cells are an exporter's
 * line-end separator, and missing columns the caller does not read cannot be misread.
 */
function rowRecord(line: number, cells: readonly string[], header: Header, csv: Csv): InputRecord {
  const record = toRecord(cells, header);
  const columns = header.names.length;
  // The usual row costs this one comparison.
  if (cells.length === columns) return { line, record };
  const counts = `the row on line ${line} has ${cells.length} cell${cells.length === 1 ? "" : "s"} and the header ${columns}`;
  if (cells.length > columns) {
    for (let i = columns; i < cells.length; i++) {
      if (cells[i] !== "") {
        const separator = delimiterName(csv.delimiter);
        const sample = csv.delimiter === "\t" ? '"a<tab>b"' : `"a${csv.delimiter} b"`;
        return {
          line,
          record,
          error: `unreadable CSV: ${counts}; a field with a ${separator} in it must be quoted (${sample})`,
        };
      }
    }
    return { line, record };
  }
  if (cells.length > header.lastRead) return { line, record };
  const missing: string[] = [];
  for (let i = cells.length; i < columns; i++) if (header.kept[i]) missing.push(jsonLiteral(header.cells[i]));
  return { line, record, error: `unreadable CSV: ${counts}; it has no ${missing.join(", ")}` };
}

/** A row whose quoted field is still open at the end of its last line so far (or that is too long to read). */
interface OpenRow {
  readonly line: number;
  /** Its first line (only the start of it when that line is too long). */
  readonly head: string;
  /** Whether `head` ends inside quotes (false when it was cut short). */
  readonly headOpen: boolean;
  /** Its lines with their line ends, while it is within the limit. */
  texts: string[] | undefined;
  chars: number;
  /** Whether the field is still open; undefined when a line was too long to tell. */
  quoting: boolean | undefined;
  /** Set when the row is too long: it is an error however it ends. */
  tooLong: boolean;
}

/**
 * Where {@link csvFrames} puts what it cuts out of the lines, in input order: the header, each whole
 * row's text (without its last line end, and that end), and the records the framing makes itself
 * (an open row that ends early, a row over the limit). {@link RecordSplitter} splits the rows into
 * records at once; the parallel `evaluate` (src/cli/parallel/) keeps them as text for a worker,
 * which splits them with the same class. `take` gives what is ready, in order.
 * @internal
 */
export interface RowSink<T> {
  header(header: Header, csv: Csv): void;
  row(line: number, text: string, end: string): void;
  /** A record made by the framing; everything before it must come out first. */
  record(record: InputRecord): void;
  /** The end of the input: nothing is held back any longer. */
  end(): void;
  take(): T[];
}

/**
 * Splits whole rows into records: a row without a quote at its separators, as csv-parse would
 * split it (see cellsOf); the rows with quotes go to csv-parse together, in one call per
 * {@link BATCH_ROWS} rows. Records come out in the order of their rows.
 * @internal
 */
export class RecordSplitter implements RowSink<InputRecord> {
  #header: Header | undefined;
  #csv: Csv = csvOf(",", "detected");
  /** Whole rows waiting for csv-parse: each row's text without its last line end, and that end. */
  #batch: { line: number; text: string; end: string }[] = [];
  #out: InputRecord[] = [];

  header(header: Header, csv: Csv): void {
    this.#header = header;
    this.#csv = csv;
  }

  row(line: number, text: string, end: string): void {
    // A row without a quote, with none waiting before it, is split at once (as flush would).
    if (this.#batch.length === 0 && !text.includes('"')) {
      this.#out.push(rowRecord(line, text.split(this.#csv.delimiter), this.#header as Header, this.#csv));
      return;
    }
    this.#batch.push({ line, text, end });
    if (this.#batch.length >= BATCH_ROWS) this.#flush();
  }

  record(record: InputRecord): void {
    this.#flush();
    this.#out.push(record);
  }

  end(): void {
    this.#flush();
  }

  take(): InputRecord[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  #flush(): void {
    const batch = this.#batch;
    if (batch.length === 0) return;
    const h = this.#header as Header;
    const csv = this.#csv;
    let quoted = "";
    let count = 0;
    for (const row of batch)
      if (row.text.includes('"')) {
        quoted += row.text + row.end;
        count++;
      }
    let rows: string[][] | undefined;
    if (count > 0) {
      try {
        rows = parse(quoted, csv.options);
      } catch {
        rows = undefined;
      }
      // Every text is one whole row, so this holds; should csv-parse ever disagree, each row is read alone.
      if (rows?.length !== count) rows = undefined;
    }
    let k = 0;
    for (const { line, text, end } of batch) {
      const cells = !text.includes('"')
        ? text.split(csv.delimiter)
        : rows === undefined
          ? cellsOf(text + end, false, csv)
          : rows[k++];
      this.#out.push(
        cells === undefined
          ? { line, error: "unreadable CSV: csv-parse cannot read this row" }
          : rowRecord(line, cells, h, csv),
      );
    }
    this.#batch = [];
  }
}

/**
 * The header and separator {@link csvFrames} found, as plain data: what a worker needs to read the
 * rows the same way (see {@link headerFromFacts}).
 * @internal
 */
export interface HeaderFacts {
  readonly cells: readonly string[];
  readonly names: readonly string[];
  readonly kept: readonly boolean[];
  readonly lastRead: number;
  readonly delimiter: Delimiter;
}

/** The header and separator of {@link HeaderFacts}. @internal */
export function headerFromFacts(facts: HeaderFacts): { header: Header; csv: Csv } {
  const { delimiter, ...header } = facts;
  return { header, csv: csvOf(delimiter, "given") };
}

/** {@link HeaderFacts} of a header and separator. @internal */
export function headerFacts(header: Header, csv: Csv): HeaderFacts {
  return { ...header, delimiter: csv.delimiter };
}

/**
 * Cuts CSV lines into rows, in one pass over the lines, and hands them to `sink`. A line that ends
 * inside a quoted field opens a row that takes the next lines until the field closes. An open row
 * ends early — as one error row, or as a row of the cells before the open field when that field is
 * in a column the caller does not read — at a line that reads as a row of its own, or at the end of
 * the input, so it never takes a row with it. A row over the limit is one error row and its lines
 * are not kept. Yields what the sink has ready after each batch of lines.
 * @internal
 */
export async function* csvFrames<T>(
  lineBatches: AsyncIterable<PhysicalLine[]>,
  options: ReadOptions,
  max: number,
  sink: RowSink<T>,
): AsyncGenerator<T[]> {
  let header: Header | undefined;
  /** The separator: set at the first line that is not blank (the header's first line). */
  let csv: Csv = csvOf(options.delimiter ?? ",", options.delimiter === undefined ? "detected" : "given");
  let delimiterKnown = false;
  let open: OpenRow | undefined;

  const defaultStartsRow = (record: Readonly<Record<string, string>>): boolean =>
    (options.required ?? []).every((c) => (record[c] ?? "").trim() !== "");
  /** Whether a line, read as a row of its own, starts a row. */
  const startsRow = (line: PhysicalLine, h: Header): boolean => {
    let cells = cellsOf(line.text, !line.tooLong && endsInQuotes(line.text, false, csv.code), csv);
    if (cells === undefined) return false;
    if (line.tooLong) cells = cells.slice(0, -1);
    else if (options.startsRow === undefined && cells.length < h.names.length) return false;
    return (options.startsRow ?? defaultStartsRow)(toRecord(cells, h));
  };

  /** A whole row's text and its line end: the header, or a row for the sink. */
  function complete(line: number, text: string, end: string): void {
    if (header === undefined) {
      // The header's text without its line end, or the last cell of an unquoted header keeps it.
      const cells = cellsOf(text, false, csv);
      if (cells === undefined) throw new UsageError("cannot read the CSV header");
      header = readHeader(cells, options, csv);
      sink.header(header, csv);
      return;
    }
    sink.row(line, text, end);
  }

  /** The usage error for a header that is an open row. */
  const openRowError = (row: Pick<OpenRow, "tooLong">): UsageError =>
    new UsageError(
      row.tooLong
        ? `cannot read the CSV header: it is longer than the limit of ${max} characters`
        : "cannot read the CSV header: a quote in it is never closed",
    );

  /** The record of an open row that ends before line `before` (undefined: at the end of the input). */
  function openRowRecord(row: OpenRow, before: number | undefined): InputRecord {
    if (header === undefined) throw openRowError(row);
    const h = header;
    // The cells before the one that is open or cut short are whole: they name the row.
    const whole = row.tooLong || row.texts === undefined ? undefined : cellsOf(row.texts.join("").trimEnd(), true, csv);
    const start = whole ?? cellsOf(row.head, row.headOpen, csv);
    const known = start === undefined ? {} : toRecord(start.slice(0, -1), h);
    if (row.tooLong) {
      return {
        line: row.line,
        record: known,
        error: `unreadable CSV: the row is longer than the limit of ${max} characters`,
      };
    }
    const column = whole === undefined ? undefined : whole.length - 1;
    if (column !== undefined && column > h.lastRead) return { line: row.line, record: known };
    const where =
      column === undefined
        ? "a quoted field"
        : `the quoted field ${jsonLiteral(h.cells[column] ?? `column ${column + 1}`)}`;
    return {
      line: row.line,
      record: known,
      error:
        before === undefined
          ? `unreadable CSV: ${where} is never closed`
          : `unreadable CSV: ${where} is not closed before line ${before}, which reads as a row of its own`,
    };
  }

  for await (const lines of lineBatches) {
    for (const line of lines) readLine(line);
    const ready = sink.take();
    if (ready.length > 0) yield ready;
  }
  if (open !== undefined) sink.record(openRowRecord(open, undefined));
  // No header at all (an empty file, or blank lines only: a download cut off at its start) is not
  // an export of no tickets: it would pass as a clean run.
  if (header === undefined)
    throw new UsageError(
      `the CSV export is empty: expected a header line naming its columns (${(options.required ?? []).join(", ") || "id, priority, created_at"}) and a row per ticket`,
    );
  sink.end();
  const rest = sink.take();
  if (rest.length > 0) yield rest;

  /** Takes one physical line: into the open row, or as a row (or the start of one) of its own. */
  function readLine(line: PhysicalLine): void {
    const end = line.cr === true ? "\r\n" : "\n";
    if (open !== undefined) {
      // A line that reads as a row of its own ends the open row, unless it also closes the open
      // field and, read on its own, is not strict CSV: a field over two lines in the first
      // column (or in the id) ends in a line such as `since monday",T-1,2,…`, which is a row's
      // worth of cells but starts with a bare field holding a quote.
      const closes =
        open.quoting === true &&
        !line.tooLong &&
        !endsInQuotes(line.text, true, csv.code) &&
        quoteInsideBareField(line.text, csv.code);
      if (header === undefined || closes || !startsRow(line, header)) {
        // The line continues the open row.
        const row = open;
        row.chars += line.text.length + end.length;
        if (line.tooLong || row.chars > max) {
          row.tooLong = true;
          row.texts = undefined;
        }
        if (header === undefined && row.tooLong) throw openRowError(row);
        if (line.tooLong) row.quoting = undefined;
        else if (row.quoting === true) row.quoting = endsInQuotes(line.text, true, csv.code);
        row.texts?.push(line.text + end);
        if (row.quoting === false) {
          open = undefined;
          if (row.tooLong) sink.record(openRowRecord(row, undefined));
          else complete(row.line, (row.texts as string[]).join(""), "");
        }
        return;
      }
      sink.record(openRowRecord(open, line.number));
      open = undefined;
    }
    if (line.tooLong) {
      if (header === undefined) throw openRowError({ tooLong: true });
      open = {
        line: line.number,
        head: line.text,
        headOpen: false,
        texts: undefined,
        chars: Infinity,
        quoting: undefined,
        tooLong: true,
      };
      return;
    }
    // Blank: nothing but spaces. A line of tabs in a tab-separated file is a row of empty cells (an
    // error row, as ",,," is in a comma-separated one), not a blank line to skip.
    if (line.text.trim() === "" && !(csv.delimiter === "\t" && line.text.includes("\t"))) return;
    if (!delimiterKnown) {
      delimiterKnown = true;
      // Excel's separator directive, a first line "sep=;" (some exports carry it so that Excel
      // splits the file right in any locale): it names the separator and is not the header.
      const directive = SEPARATOR_DIRECTIVE.exec(line.text);
      if (directive !== null) {
        if (options.delimiter === undefined) csv = csvOf(directive[1] as Delimiter, "directive");
        return;
      }
      if (options.delimiter === undefined) csv = csvOf(detectDelimiter(line.text), "detected");
    }
    if (!endsInQuotes(line.text, false, csv.code)) {
      complete(line.number, line.text, end);
      return;
    }
    const chars = line.text.length + end.length;
    open = {
      line: line.number,
      head: line.text,
      headOpen: true,
      texts: [line.text + end],
      chars,
      quoting: true,
      tooLong: false,
    };
  }
}
