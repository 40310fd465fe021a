import type { Csv, Header, HeaderFacts, InputRecord, RowSink } from "../io/read-records";
import { headerFacts, RecordSplitter, headerFromFacts } from "../io/read-records";

/**
 * Rows a parcel holds: enough that posting it to a worker and back costs little per row, few
 * enough that the rows in flight (two parcels per worker) stay a few megabytes.
 *
 * @example
 * ```ts
 * PARCEL_ROWS; // 4 000
 * ```
 */
export const PARCEL_ROWS = 4000;

/**
 * A run of consecutive CSV rows, as the main thread cut them out of the input, for a worker to
 * read and evaluate: one string of their texts (without their last line ends) and typed arrays of
 * where each starts, its line and its line end. A string and typed arrays cost little to post (a
 * million small record objects cost the main thread about a second to copy), and one string
 * arrives in a worker as one object, where thousands of row strings lived long enough to be copied
 * by its young-generation collections. A record that the framing made itself (an open row that
 * ended early, a row over the limit) comes whole, at its place, with an empty text.
 *
 * @example
 * ```ts
 * const parcel: Parcel = { seq: 0, text: "T-1,1,2026-04-01T09:00", offsets: Int32Array.of(0, 22), lines: Int32Array.of(2), ends: Uint8Array.of(1), made: [] };
 * ```
 */
export interface Parcel {
  /** Its place among the parcels of the input, from 0. */
  readonly seq: number;
  /** The rows' texts, each without its last line end, one after the other. */
  readonly text: string;
  /** Where row k's text starts in `text`; `offsets[n]` is the end. */
  readonly offsets: Int32Array;
  readonly lines: Int32Array;
  /** Row k's last line end, by length (0: none, 1: LF, 2: CR LF). */
  readonly ends: Uint8Array;
  /** The records made by the framing, by row index. */
  readonly made: readonly (readonly [number, InputRecord])[];
}

/** Row k's line end, by length. */
const LINE_ENDS = ["", "\n", "\r\n"] as const;

/**
 * The sink of the main thread's framing in a parallel `evaluate` (see `csvFrames`): it keeps the
 * rows as text and gives them out as {@link Parcel}s of {@link PARCEL_ROWS} rows (the last one
 * shorter), and notes the header for the workers.
 *
 * @example
 * ```ts
 * for await (const parcels of csvFrames(lines, options, MAX_ROW_CHARS, new ParcelSink())) post(parcels);
 * ```
 */
export class ParcelSink implements RowSink<Parcel> {
  /** The header and separator, once read. */
  facts: HeaderFacts | undefined;
  readonly #size: number;
  #texts: string[] = [];
  #chars = 0;
  #lines: Int32Array;
  #ends: Uint8Array;
  #offsets: Int32Array;
  #made: [number, InputRecord][] = [];
  #seq = 0;
  #ready: Parcel[] = [];

  constructor(size = PARCEL_ROWS) {
    this.#size = size;
    this.#lines = new Int32Array(size);
    this.#ends = new Uint8Array(size);
    this.#offsets = new Int32Array(size + 1);
  }

  header(header: Header, csv: Csv): void {
    this.facts = headerFacts(header, csv);
  }

  row(line: number, text: string, end: string): void {
    this.#add(line, text, end.length);
  }

  record(record: InputRecord): void {
    this.#made.push([this.#texts.length, record]);
    this.#add(record.line, "", 0);
  }

  end(): void {
    if (this.#texts.length > 0) this.#cut();
  }

  take(): Parcel[] {
    const ready = this.#ready;
    this.#ready = [];
    return ready;
  }

  #add(line: number, text: string, end: number): void {
    const k = this.#texts.length;
    this.#texts.push(text);
    this.#lines[k] = line;
    this.#ends[k] = end;
    this.#offsets[k] = this.#chars;
    this.#chars += text.length;
    if (k + 1 >= this.#size) this.#cut();
  }

  #cut(): void {
    const n = this.#texts.length;
    const whole = n === this.#size;
    this.#offsets[n] = this.#chars;
    this.#ready.push({
      seq: this.#seq++,
      text: this.#texts.join(""),
      offsets: whole ? this.#offsets : this.#offsets.slice(0, n + 1),
      lines: whole ? this.#lines : this.#lines.slice(0, n),
      ends: whole ? this.#ends : this.#ends.slice(0, n),
      made: this.#made,
    });
    // The arrays went into the parcel (posting copies them): the next parcel gets its own.
    if (whole) {
      this.#lines = new Int32Array(this.#size);
      this.#ends = new Uint8Array(this.#size);
      this.#offsets = new Int32Array(this.#size + 1);
    }
    this.#texts = [];
    this.#chars = 0;
    this.#made = [];
  }
}

/**
 * A parcel's records, split as the serial reader splits rows ({@link RecordSplitter}), with the
 * framing's own records at their places, `size` rows at a time: a worker evaluates each batch
 * before the next is split, so that a parcel's records are not all alive at once (they would
 * survive the young generation's collections and be copied there, as the serial reader's would not).
 *
 * @example
 * ```ts
 * for (const records of parcelRecords(parcel, sink.facts!, 250)) console.log(records.length);
 * ```
 */
export function* parcelRecords(parcel: Parcel, facts: HeaderFacts, size: number): Generator<InputRecord[]> {
  const { header, csv } = headerFromFacts(facts);
  const splitter = new RecordSplitter();
  splitter.header(header, csv);
  const made = new Map(parcel.made);
  const { text, offsets, lines, ends } = parcel;
  for (let k = 0; k < lines.length; k++) {
    const record = made.get(k);
    if (record !== undefined) splitter.record(record);
    else splitter.row(lines[k] as number, text.slice(offsets[k], offsets[k + 1]), LINE_ENDS[ends[k] as 0 | 1 | 2]);
    if ((k + 1) % size === 0) {
      const records = splitter.take();
      if (records.length > 0) yield records;
    }
  }
  splitter.end();
  const rest = splitter.take();
  if (rest.length > 0) yield rest;
}

/**
 * UTF-8 bytes appended to one growing buffer: a worker's output for a parcel. Each batch's text is
 * encoded as soon as it is formatted and can then be collected young, instead of a parcel's
 * thousands of small strings surviving collections until the end (see {@link parcelRecords}).
 *
 * @example
 * ```ts
 * const out = new Utf8Bytes(1 << 16);
 * out.append("T-1,met\n");
 * out.bytes(); // the bytes written, in a buffer of their own
 * ```
 */
export class Utf8Bytes {
  #buffer: Buffer;
  #length = 0;

  constructor(capacity: number) {
    this.#buffer = Buffer.allocUnsafeSlow(capacity);
  }

  append(text: string): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    const need = this.#length + text.length * 3;
    if (need > this.#buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(need, this.#buffer.length * 2));
      this.#buffer.copy(grown, 0, 0, this.#length);
      this.#buffer = grown;
    }
    this.#length += this.#buffer.write(text, this.#length, "utf8");
  }

  /** The bytes written, as a view of a buffer that holds nothing else (so that it can be transferred). */
  bytes(): Uint8Array {
    return new Uint8Array(this.#buffer.buffer, this.#buffer.byteOffset, this.#length);
  }
}
