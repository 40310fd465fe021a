import type { Writable } from "node:stream";
import { stringify, type Options } from "csv-stringify/sync";
import type { Calendar } from "../../calendar/calendar";
import type { MetricEvaluation } from "../../clock/evaluate";
import { METRIC_STATUSES, type MetricColumns } from "../../clock/result";
import { escapeForTerminal, formatLocal } from "../format";
import type { RowOutcome } from "../run";

/**
 * The output stream failed (a full disk, a closed pipe): the message says so, `code` is the system
 * error code when there is one (`EPIPE`, `ENOSPC`).
 *
 * @example
 * ```ts
 * try { await writer.write(rows); } catch (e) { if (e instanceof OutputError && e.code === "EPIPE") return; }
 * ```
 */
export class OutputError extends Error {
  readonly code: string | undefined;

  constructor(cause: Error) {
    super(cause.message, { cause });
    const code = (cause as { code?: unknown }).code;
    this.code = typeof code === "string" ? code : undefined;
  }
}

/**
 * Output formats of `sla-clock evaluate`.
 *
 * @example
 * ```ts
 * const format: OutputFormat = "ndjson";
 * ```
 */
export type OutputFormat = "csv" | "json" | "ndjson";

/**
 * The columns of an output row, in order.
 *
 * @example
 * ```ts
 * OUTPUT_COLUMNS[0]; // "line"
 * ```
 */
export const OUTPUT_COLUMNS = [
  "line",
  "id",
  "priority",
  "error",
  "response_status",
  "response_deadline",
  "response_remaining_hours",
  "response_breached_at",
  "response_at_risk",
  "resolution_status",
  "resolution_deadline",
  "resolution_remaining_hours",
  "resolution_breached_at",
  "resolution_at_risk",
] as const;

/** One output row's values, in the order of {@link OUTPUT_COLUMNS}. */
type OutputValues = (string | number)[];

function pushMetric(out: OutputValues, m: MetricEvaluation | undefined, calendar: Calendar): void {
  if (m === undefined) {
    out.push("", "", "", "", "");
    return;
  }
  out.push(
    m.status,
    m.deadline === null ? "" : formatLocal(m.deadline.getTime(), calendar),
    // A number (hours), printed with two decimals as it is written: in CSV, a number's minus sign is
    // not mistaken for a formula.
    m.remaining === null || !Number.isFinite(m.remaining) ? "" : m.remaining / 3_600_000,
    m.breachedAt === null ? "" : formatLocal(m.breachedAt.getTime(), calendar),
    m.atRisk ? "yes" : "",
  );
}

/** {@link pushMetric} from row `i` of a batch's columns (absent instants and hours are NaN there). */
function pushMetricColumns(out: OutputValues, c: MetricColumns, i: number, calendar: Calendar): void {
  const remaining = c.remaining[i]!;
  out.push(
    METRIC_STATUSES[c.status[i]!]!,
    formatLocal(c.deadline[i]!, calendar),
    // No measure (code 0): a best-effort target, no remaining time.
    c.measure[i] === 0 || !Number.isFinite(remaining) ? "" : remaining / 3_600_000,
    formatLocal(c.breachedAt[i]!, calendar),
    c.atRisk[i] === 1 ? "yes" : "",
  );
}

/**
 * One outcome as the values of an output row (in the order of {@link OUTPUT_COLUMNS}); instants in
 * the calendar's zone, remaining time as a number of hours (written with two decimals).
 *
 * @example
 * ```ts
 * toOutputValues({ line: 2, id: "T-1", priority: "1", error: "created_at: missing" }, getCalendar("softone-se"))[3]; // "created_at: missing"
 * ```
 */
export function toOutputValues(row: RowOutcome, calendar: Calendar): OutputValues {
  const out: OutputValues = [row.line, row.id, row.priority, row.error ?? ""];
  const { batch, index } = row;
  if (batch !== undefined && index !== undefined) {
    // Straight from the columns: building the evaluation object would cost more than the row.
    pushMetricColumns(out, batch.response, index, calendar);
    pushMetricColumns(out, batch.resolution, index, calendar);
    return out;
  }
  pushMetric(out, row.evaluation?.response, calendar);
  pushMetric(out, row.evaluation?.resolution, calendar);
  return out;
}

/**
 * csv-stringify options. With `escapeFormulas`, a cell starting with `=`, `+`, `-`, `@`, a tab or a
 * CR (or their full-width forms) gets a `'` in front, as OWASP advises against CSV injection, so a
 * spreadsheet shows it as text instead of running it; csv-stringify leaves the `-` of a number
 * alone, which keeps negative remaining hours numeric. Numbers: the line as it is, hours with two
 * decimals.
 */
function csvOptions(escapeFormulas: boolean): Options {
  return {
    escape_formulas: escapeFormulas,
    cast: { number: (value, context) => (context.index === 0 ? String(value) : value.toFixed(2)) },
  };
}

/**
 * Bidirectional and C1 control characters, DEL and the Unicode line separators, which JSON.stringify
 * leaves raw (it escapes only C0 controls): written as `\uXXXX` escapes in JSON output, which keeps
 * the value and keeps them from acting on a terminal the JSON is printed to.
 */
const JSON_RAW_CONTROLS = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(JSON_RAW_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * One output row as JSON and NDJSON write it (docs/evaluate-row.schema.json): the columns of
 * {@link OUTPUT_COLUMNS}, typed. The line is a number, remaining hours a number rounded to two
 * decimals, at risk a boolean; instants are ISO-8601 with the calendar's offset; what is absent (no
 * error, a metric of a row that failed, a deadline of a best-effort target, remaining time of a met
 * target) is `null`.
 *
 * @example
 * ```ts
 * toJsonRow({ line: 2, id: "T-1", priority: "1", error: "created_at: missing" }, getCalendar("softone-se"));
 * // { line: 2, id: "T-1", priority: "1", error: "created_at: missing", response_status: null, … }
 * ```
 */
export function toJsonRow(row: RowOutcome, calendar: Calendar): Record<(typeof OUTPUT_COLUMNS)[number], unknown> {
  const instant = (ms: number) => (Number.isFinite(ms) ? formatLocal(ms, calendar) : null);
  const hours = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? null : Math.round(ms / 36_000) / 100);
  const { batch, index: i } = row;
  // From the batch's columns when the row has them (absent values are NaN there), else from the evaluation.
  const metric = (which: "response" | "resolution") => {
    if (batch !== undefined && i !== undefined) {
      const c = batch[which];
      return [
        METRIC_STATUSES[c.status[i]!]!,
        instant(c.deadline[i]!),
        hours(c.measure[i] === 0 ? null : c.remaining[i]!),
        instant(c.breachedAt[i]!),
        c.atRisk[i] === 1,
      ];
    }
    const m = row.evaluation?.[which];
    return m === undefined
      ? [null, null, null, null, null]
      : [
          m.status,
          instant(m.deadline?.getTime() ?? Number.NaN),
          hours(m.remaining),
          instant(m.breachedAt?.getTime() ?? Number.NaN),
          m.atRisk,
        ];
  };
  const [rs, rd, rr, rb, ra] = metric("response");
  const [ss, sd, sr, sb, sa] = metric("resolution");
  return {
    line: row.line,
    id: row.id,
    priority: row.priority,
    error: row.error ?? null,
    response_status: rs,
    response_deadline: rd,
    response_remaining_hours: rr,
    response_breached_at: rb,
    response_at_risk: ra,
    resolution_status: ss,
    resolution_deadline: sd,
    resolution_remaining_hours: sr,
    resolution_breached_at: sb,
    resolution_at_risk: sa,
  };
}

/**
 * How {@link RowWriter} writes cells.
 *
 * @example
 * ```ts
 * const options: RowWriterOptions = { escapeFormulas: false, terminal: process.stdout.isTTY };
 * ```
 */
export interface RowWriterOptions {
  /** CSV: put a `'` before cells a spreadsheet would run as a formula (default `true`). */
  readonly escapeFormulas?: boolean;
  /**
   * The stream is a terminal: CSV cells get control characters escaped visibly (see
   * `escapeForTerminal`). Default: the stream's `isTTY`.
   */
  readonly terminal?: boolean;
}

/**
 * Writes output rows to a stream in CSV, NDJSON or JSON (an object with `rows` and, at the end,
 * `summary`), waiting for the stream to drain so memory stays flat. An error of the stream (a full
 * disk, a closed pipe) makes the next `write` or `end` reject with it, so the run stops instead of
 * evaluating into the void.
 *
 * CSV cells that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+cmd`, `@SUM(…)`) get a
 * `'` in front unless `escapeFormulas` is false. On a terminal, CSV cells show control characters as
 * escapes (`\x1b`, `\u{202e}`); JSON writes bidirectional and C1 controls as `\uXXXX` escapes, which
 * keep the value.
 *
 * @example
 * ```ts
 * const writer = new RowWriter(process.stdout, "csv", getCalendar("softone-se"));
 * await writer.write([row]);
 * await writer.end({ rows: 1 });
 * writer.detach();
 * ```
 */
export class RowWriter {
  readonly #out: Writable;
  readonly #format: OutputFormat;
  readonly #calendar: Calendar;
  readonly #onError = (e: Error): void => {
    this.#error ??= e;
  };
  readonly #csv: Options;
  readonly #terminal: boolean;
  #error: Error | undefined;
  #count = 0;

  constructor(out: Writable, format: OutputFormat, calendar: Calendar, options: RowWriterOptions = {}) {
    this.#out = out;
    this.#format = format;
    this.#calendar = calendar;
    this.#csv = csvOptions(options.escapeFormulas ?? true);
    this.#terminal = options.terminal ?? (out as { isTTY?: unknown }).isTTY === true;
    out.on("error", this.#onError);
  }

  /** Stops listening for the stream's errors (call when done with the writer). */
  detach(): void {
    this.#out.off("error", this.#onError);
  }

  async #put(text: string): Promise<void> {
    if (this.#error !== undefined) throw new OutputError(this.#error);
    const out = this.#out;
    if (!out.write(text)) {
      await new Promise<void>((resolve, reject) => {
        const done = (error?: Error) => {
          out.off("drain", onDrain);
          out.off("error", onFail);
          out.off("close", onClose);
          if (error === undefined) resolve();
          else reject(new OutputError(error));
        };
        const onDrain = () => done();
        const onFail = (e: Error) => done(e);
        const onClose = () => done(this.#error ?? new Error("the output stream closed"));
        out.on("drain", onDrain);
        out.on("error", onFail);
        out.on("close", onClose);
      });
    }
    if (this.#error !== undefined) throw new OutputError(this.#error);
  }

  /** Writes rows (after the header, or the JSON opening, the first time), as one chunk. */
  async write(rows: readonly RowOutcome[]): Promise<void> {
    if (rows.length === 0) return;
    let text: string;
    if (this.#format === "csv") {
      const values = rows.map((row) => toOutputValues(row, this.#calendar));
      if (this.#terminal)
        for (const row of values) row.forEach((v, i) => typeof v === "string" && (row[i] = escapeForTerminal(v)));
      text = stringify(values, this.#csv);
      if (this.#count === 0) text = stringify([OUTPUT_COLUMNS as unknown as string[]]) + text;
    } else if (this.#format === "ndjson") {
      text = `${rows.map((r) => jsonText(toJsonRow(r, this.#calendar))).join("\n")}\n`;
    } else {
      text = `${this.#count === 0 ? '{"rows":[\n' : ",\n"}${rows.map((r) => jsonText(toJsonRow(r, this.#calendar))).join(",\n")}`;
    }
    this.#count += rows.length;
    await this.#put(text);
  }

  /** Closes the document (JSON: the rows array and the summary). */
  async end(summary: unknown): Promise<void> {
    if (this.#format === "csv" && this.#count === 0)
      await this.#put(stringify([OUTPUT_COLUMNS as unknown as string[]]));
    if (this.#format === "json")
      await this.#put(`${this.#count === 0 ? '{"rows":[' : "\n"}],\n"summary":${jsonText(summary)}}\n`);
  }
}
