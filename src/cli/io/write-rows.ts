import type { Writable } from "node:stream";
import type { Calendar } from "../../calendar/calendar";
import type { EvaluationBatch } from "../../clock/batch";
import type { CycleMetricEvaluation, MetricEvaluation } from "../../clock/evaluate";
import { CYCLE_METRIC_STATUSES, type MetricColumns } from "../../clock/result";
import { escapeForTerminal, formatLocal, jsonLiteral } from "../format";
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

/**
 * The metrics that run in cycles (see docs/semantics.md), whose columns the output has only when a
 * policy of the run has targets for them.
 *
 * @example
 * ```ts
 * const metric: CycleMetric = "nextReply";
 * ```
 */
export type CycleMetric = "nextReply" | "periodicUpdate";

/**
 * Which optional columns an output has: `policy` (the input has a `policy` column) and the columns
 * of the cycle metrics some policy of the run measures, in this order.
 *
 * @example
 * ```ts
 * const layout: OutputLayout = { policy: true, cycleMetrics: ["nextReply"] };
 * ```
 */
export interface OutputLayout {
  readonly policy: boolean;
  readonly cycleMetrics: readonly CycleMetric[];
}

/**
 * The layout of an export with neither a `policy` column nor cycle metrics: {@link OUTPUT_COLUMNS}.
 *
 * @example
 * ```ts
 * outputColumns(BASE_LAYOUT).length; // 14
 * ```
 */
export const BASE_LAYOUT: OutputLayout = Object.freeze({ policy: false, cycleMetrics: Object.freeze([]) });

const CYCLE_PREFIX: Readonly<Record<CycleMetric, string>> = {
  nextReply: "next_reply",
  periodicUpdate: "periodic_update",
};
const CYCLE_SUFFIXES = ["status", "deadline", "remaining_hours", "breached_at", "at_risk", "cycles", "breaches"];

/**
 * The columns of an output with this layout, in order: {@link OUTPUT_COLUMNS} with `policy` after
 * `id` when the layout has it, then per cycle metric `<metric>_status`, `_deadline`,
 * `_remaining_hours`, `_breached_at`, `_at_risk` (the current cycle's, as for response), `_cycles`
 * (how many started) and `_breaches` (how many breached).
 *
 * @example
 * ```ts
 * outputColumns({ policy: true, cycleMetrics: ["nextReply"] }).slice(0, 4); // ["line", "id", "policy", "priority"]
 * outputColumns({ policy: false, cycleMetrics: ["nextReply"] }).at(-1); // "next_reply_breaches"
 * ```
 */
export function outputColumns(layout: OutputLayout): string[] {
  const columns: string[] = [...OUTPUT_COLUMNS];
  if (layout.policy) columns.splice(2, 0, "policy");
  for (const m of layout.cycleMetrics)
    for (const suffix of CYCLE_SUFFIXES) columns.push(`${CYCLE_PREFIX[m]}_${suffix}`);
  return columns;
}

/** One output row's values, in the order of {@link outputColumns}. */
type OutputValues = (string | number)[];

function pushMetric(
  out: OutputValues,
  m: MetricEvaluation | CycleMetricEvaluation | undefined,
  calendar: Calendar,
  cycles = false,
): void {
  if (m === undefined) {
    out.push("", "", "", "", "");
    if (cycles) out.push("", "");
    return;
  }
  out.push(
    m.status,
    m.deadline === null ? "" : formatLocal(m.deadline.getTime(), calendar),
    // A number (hours), printed with two decimals as it is written: in CSV, a number's minus sign is
    // not mistaken for a formula.
    m.remaining === null || !Number.isFinite(m.remaining) ? "" : roundedHours(m.remaining),
    m.breachedAt === null ? "" : formatLocal(m.breachedAt.getTime(), calendar),
    m.atRisk ? "yes" : "",
  );
  // Counts are text, so the CSV writer leaves them as they are rather than give them two decimals.
  if (cycles) out.push(String(m.cycles.length), String(m.breaches));
}

/**
 * Milliseconds as hours to the hundredth, as every output writes them (CSV with two decimals, JSON
 * as a number): rounded on the milliseconds, half away from zero, so that 3.005 h is 3.01 in both
 * (a float's 3.005 is 3.00499…, which `toFixed` made 3.00) and an overdue 0.005 h is -0.01; a
 * rounded zero is 0, never -0.
 *
 * @example
 * ```ts
 * roundedHours(10_818_000); // 3.01
 * roundedHours(-18_000); // -0.01
 * roundedHours(-1); // 0
 * ```
 * @internal
 */
export function roundedHours(ms: number): number {
  const hundredths = Math.round(Math.abs(ms) / 36_000);
  return hundredths === 0 ? 0 : (ms < 0 ? -hundredths : hundredths) / 100;
}

/**
 * {@link pushMetric} from row `i` of a batch's columns (absent instants and hours are NaN there);
 * a cycle metric's counts are columns too. The statuses of {@link CYCLE_METRIC_STATUSES} are those
 * of every metric (only a cycle metric can be `idle`).
 */
function pushMetricColumns(out: OutputValues, c: MetricColumns, i: number, calendar: Calendar, cycles = false): void {
  const remaining = c.remaining[i]!;
  out.push(
    CYCLE_METRIC_STATUSES[c.status[i]!]!,
    formatLocal(c.deadline[i]!, calendar),
    // No measure (code 0): a best-effort target, no remaining time.
    c.measure[i] === 0 || !Number.isFinite(remaining) ? "" : roundedHours(remaining),
    formatLocal(c.breachedAt[i]!, calendar),
    c.atRisk[i] === 1 ? "yes" : "",
  );
  if (cycles) out.push(String(c.cycles[i]!), String(c.breaches[i]!));
}

/** The batch and row of an outcome read from columns, or `undefined` for one read from its objects. */
function columnsOf(row: RowOutcome): { batch: EvaluationBatch; i: number } | undefined {
  const { batch, index } = row;
  return batch === undefined || index === undefined ? undefined : { batch, i: index };
}

/**
 * One outcome as the values of an output row (in the order of {@link outputColumns}); instants in
 * the zone of the row's policy's calendar (`calendar` for a row without one), remaining time as a
 * number of hours (written with two decimals).
 *
 * @example
 * ```ts
 * toOutputValues({ line: 2, id: "T-1", policy: "softone-se", priority: "1", error: "created_at: missing" }, getCalendar("softone-se"))[3]; // "created_at: missing"
 * ```
 */
export function toOutputValues(row: RowOutcome, calendar: Calendar, layout: OutputLayout = BASE_LAYOUT): OutputValues {
  const zone = row.judgedBy?.calendar ?? calendar;
  const out: OutputValues = layout.policy
    ? [row.line, row.id, row.policy, row.priority, row.error ?? ""]
    : [row.line, row.id, row.priority, row.error ?? ""];
  const columns = columnsOf(row);
  if (columns !== undefined) {
    // Straight from the columns: building the evaluation object would cost more than the row.
    const { batch, i } = columns;
    pushMetricColumns(out, batch.response, i, zone);
    pushMetricColumns(out, batch.resolution, i, zone);
    for (const m of layout.cycleMetrics) pushMetricColumns(out, batch[m], i, zone, true);
    return out;
  }
  pushMetric(out, row.evaluation?.response, zone);
  pushMetric(out, row.evaluation?.resolution, zone);
  for (const m of layout.cycleMetrics) pushMetric(out, row.evaluation?.[m], zone, true);
  return out;
}

/** First characters a spreadsheet reads as the start of a formula (OWASP), with their full-width forms. */
const FORMULA_STARTS = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d, 0xff1d, 0xff0b, 0xff0d, 0xff20]);
const NEEDS_QUOTES = /[",\n\r]/;

/**
 * One output row as a CSV record with its line end, as csv-stringify (6.x, default options, `\n`
 * line ends) writes it with the options the CLI used before it wrote CSV itself: a cell with a
 * quote, comma, CR or LF is quoted (quotes doubled); with `escapeFormulas`, a text cell starting
 * with `=`, `+`, `-`, `@`, a tab or a CR (or their full-width forms) gets a `'` in front, as OWASP
 * advises against CSV injection, so a spreadsheet shows it as text instead of running it; numbers
 * are never escaped (negative remaining hours stay numeric): the first (the line) as it is, the
 * others (hours) with two decimals. Written here rather than by csv-stringify because its
 * per-cell generality (casts, per-cell options) was a tenth of a large run's time;
 * test/cli.csv-line.test.ts checks the two agree on random rows.
 *
 * @example
 * ```ts
 * csvLine([2, "T-1", "=1+1", -1.5], true); // "2,T-1,'=1+1,-1.50\n"
 * ```
 */
export function csvLine(values: readonly (string | number)[], escapeFormulas: boolean): string {
  let line = "";
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i > 0) line += ",";
    if (typeof v === "number") {
      line += i === 0 ? String(v) : v.toFixed(2);
      continue;
    }
    if (v === "") continue;
    const text = escapeFormulas && FORMULA_STARTS.has(v.charCodeAt(0)) ? `'${v}` : v;
    line += NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  }
  return `${line}\n`;
}

/** One text cell as {@link csvLine} writes it (the empty cell included). */
function csvText(v: string, escapeFormulas: boolean): string {
  if (v === "") return v;
  const text = escapeFormulas && FORMULA_STARTS.has(v.charCodeAt(0)) ? `'${v}` : v;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The statuses as CSV cells, by code, with formula escaping on and off (the same text: no status
 * starts a formula or needs quotes, but this way that is not assumed).
 */
const CSV_STATUSES = [false, true].map((escape) => CYCLE_METRIC_STATUSES.map((status) => csvText(status, escape)));

/**
 * An instant cell (`formatLocal`) as CSV: ISO-8601 text starts with a digit in the supported
 * range and holds only digits, `-`, `:`, `.`, `T`, `Z` and `+`, so it is written as it is; any
 * other start goes through {@link csvText}.
 */
function csvInstant(ms: number, calendar: Calendar, escapeFormulas: boolean): string {
  const text = formatLocal(ms, calendar);
  const first = text.charCodeAt(0);
  return first >= 0x30 && first <= 0x39 ? text : csvText(text, escapeFormulas);
}

/** {@link pushMetricColumns} as CSV text: the metric's cells, each after a comma. */
function csvMetricColumns(
  c: MetricColumns,
  i: number,
  calendar: Calendar,
  cycles: boolean,
  escapeFormulas: boolean,
): string {
  const remaining = c.remaining[i]!;
  const deadline = c.deadline[i]!;
  const deadlineText = csvInstant(deadline, calendar, escapeFormulas);
  let text = `,${CSV_STATUSES[escapeFormulas ? 1 : 0]![c.status[i]!]!},${deadlineText},`;
  if (c.measure[i] !== 0 && Number.isFinite(remaining)) text += roundedHours(remaining).toFixed(2);
  // A breach is mostly at the deadline itself: the same text, formatted once.
  const breachedAt = c.breachedAt[i]!;
  const breachedText = breachedAt === deadline ? deadlineText : csvInstant(breachedAt, calendar, escapeFormulas);
  text += `,${breachedText},${c.atRisk[i] === 1 ? "yes" : ""}`;
  // Counts are whole numbers: digits only.
  if (cycles) text += `,${c.cycles[i]!},${c.breaches[i]!}`;
  return text;
}

/**
 * `csvLine(toOutputValues(row, …), escapeFormulas)` for an evaluated row read from its batch's
 * columns, without the array of values between them (the same text; a million-row export writes
 * a million of these). `calendar` is the row's policy's.
 */
function csvRowFromColumns(
  row: RowOutcome,
  batch: EvaluationBatch,
  i: number,
  calendar: Calendar,
  layout: OutputLayout,
  escapeFormulas: boolean,
): string {
  let text = `${row.line},${csvText(row.id, escapeFormulas)},`;
  if (layout.policy) text += `${csvText(row.policy, escapeFormulas)},`;
  text += `${csvText(row.priority, escapeFormulas)},${csvText(row.error ?? "", escapeFormulas)}`;
  text += csvMetricColumns(batch.response, i, calendar, false, escapeFormulas);
  text += csvMetricColumns(batch.resolution, i, calendar, false, escapeFormulas);
  for (const m of layout.cycleMetrics) text += csvMetricColumns(batch[m], i, calendar, true, escapeFormulas);
  return `${text}\n`;
}

/**
 * One output row as JSON and NDJSON write it (docs/evaluate-row.schema.json): the columns of
 * {@link outputColumns}, typed. The line is a number, remaining hours a number rounded to two
 * decimals, at risk a boolean, cycles and breaches whole numbers; instants are ISO-8601 with the
 * offset of the row's policy's calendar; what is absent (no error, a metric of a row that failed, a
 * deadline of a best-effort target, remaining time of a met target) is `null`.
 *
 * @example
 * ```ts
 * toJsonRow({ line: 2, id: "T-1", policy: "softone-se", priority: "1", error: "created_at: missing" }, getCalendar("softone-se"));
 * // { line: 2, id: "T-1", priority: "1", error: "created_at: missing", response_status: null, … }
 * ```
 */
export function toJsonRow(
  row: RowOutcome,
  calendar: Calendar,
  layout: OutputLayout = BASE_LAYOUT,
): Record<string, unknown> {
  const zone = row.judgedBy?.calendar ?? calendar;
  const instant = (ms: number) => (Number.isFinite(ms) ? formatLocal(ms, zone) : null);
  const hours = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? null : roundedHours(ms));
  const columns = columnsOf(row);
  // From the batch's columns when the row has them (absent values are NaN there), else from the
  // evaluation: the five values of a metric, and for a cycle metric its counts of cycles and breaches.
  // (A response's or resolution's counts of runs are not read: for them those columns are derived.)
  const metric = (which: "response" | "resolution" | CycleMetric, cycles = false): unknown[] => {
    if (columns !== undefined) {
      const { batch, i } = columns;
      const c = batch[which];
      const values: unknown[] = [
        CYCLE_METRIC_STATUSES[c.status[i]!]!,
        instant(c.deadline[i]!),
        hours(c.measure[i] === 0 ? null : c.remaining[i]!),
        instant(c.breachedAt[i]!),
        c.atRisk[i] === 1,
      ];
      if (cycles) values.push(c.cycles[i]!, c.breaches[i]!);
      return values;
    }
    const m: MetricEvaluation | CycleMetricEvaluation | undefined = row.evaluation?.[which];
    const values: unknown[] =
      m === undefined
        ? [null, null, null, null, null]
        : [
            m.status,
            instant(m.deadline?.getTime() ?? Number.NaN),
            hours(m.remaining),
            instant(m.breachedAt?.getTime() ?? Number.NaN),
            m.atRisk,
          ];
    if (cycles) values.push(m === undefined ? null : m.cycles.length, m === undefined ? null : m.breaches);
    return values;
  };
  const [rs, rd, rr, rb, ra] = metric("response");
  const [ss, sd, sr, sb, sa] = metric("resolution");
  const json: Record<string, unknown> = {
    line: row.line,
    id: row.id,
    ...(layout.policy ? { policy: row.policy } : {}),
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
  for (const name of layout.cycleMetrics) {
    const values = metric(name, true);
    CYCLE_SUFFIXES.forEach((suffix, i) => (json[`${CYCLE_PREFIX[name]}_${suffix}`] = values[i]));
  }
  return json;
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
  /**
   * The optional columns (default none: {@link OUTPUT_COLUMNS}); a function is asked once, at the
   * first write, when the input's header has been read.
   */
  readonly layout?: OutputLayout | (() => OutputLayout);
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
  readonly #escapeFormulas: boolean;
  readonly #terminal: boolean;
  readonly #layoutOf: () => OutputLayout;
  #layout: OutputLayout | undefined;
  #error: Error | undefined;
  #count = 0;

  constructor(out: Writable, format: OutputFormat, calendar: Calendar, options: RowWriterOptions = {}) {
    this.#out = out;
    this.#format = format;
    this.#calendar = calendar;
    this.#escapeFormulas = options.escapeFormulas ?? true;
    this.#terminal = options.terminal ?? (out as { isTTY?: unknown }).isTTY === true;
    const layout = options.layout ?? BASE_LAYOUT;
    this.#layoutOf = typeof layout === "function" ? layout : () => layout;
    out.on("error", this.#onError);
  }

  /** The layout, fixed at the first write. */
  get #columns(): OutputLayout {
    return (this.#layout ??= this.#layoutOf());
  }

  /** Stops listening for the stream's errors (call when done with the writer). */
  detach(): void {
    this.#out.off("error", this.#onError);
  }

  async #put(text: string | Uint8Array): Promise<void> {
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
    await this.writeFormatted(this.format(rows), rows.length);
  }

  /**
   * The text of rows as {@link RowWriter.write} writes them, without the header or the JSON
   * framing: the parallel `evaluate` formats rows in its workers (with a writer of their own, never
   * a terminal) and hands the text to the writer of the output ({@link RowWriter.writeFormatted}).
   */
  format(rows: readonly RowOutcome[]): string {
    const layout = this.#columns;
    if (this.#format === "csv") {
      // One string per chunk of rows: a write per row would cost more than the row.
      let text = "";
      for (const row of rows) {
        const { batch, index } = row;
        if (!this.#terminal && batch !== undefined && index !== undefined) {
          const calendar = row.judgedBy?.calendar ?? this.#calendar;
          text += csvRowFromColumns(row, batch, index, calendar, layout, this.#escapeFormulas);
          continue;
        }
        const values = toOutputValues(row, this.#calendar, layout);
        if (this.#terminal) values.forEach((v, i) => typeof v === "string" && (values[i] = escapeForTerminal(v)));
        text += csvLine(values, this.#escapeFormulas);
      }
      return text;
    }
    const separator = this.#format === "ndjson" ? "\n" : ",\n";
    const text = rows.map((r) => jsonLiteral(toJsonRow(r, this.#calendar, layout))).join(separator);
    return this.#format === "ndjson" ? `${text}\n` : text;
  }

  /**
   * What goes between two texts of {@link RowWriter.format} written one after the other (JSON: the
   * comma between rows, which `format` writes only inside one text).
   */
  get textSeparator(): string {
    return this.#format === "json" ? ",\n" : "";
  }

  /** Writes `count` rows formatted by {@link RowWriter.format} (after the header, or the JSON opening, the first time). */
  async writeFormatted(text: string | Uint8Array, count: number): Promise<void> {
    if (count === 0) return;
    const first = this.#count === 0;
    let head = "";
    if (this.#format === "csv") head = first ? csvLine(outputColumns(this.#columns), false) : "";
    else if (this.#format === "json") head = first ? '{"rows":[\n' : ",\n";
    this.#count += count;
    if (typeof text === "string") await this.#put(head + text);
    else {
      if (head !== "") await this.#put(head);
      await this.#put(text);
    }
  }

  /** Closes the document (JSON: the rows array and the summary). */
  async end(summary: unknown): Promise<void> {
    if (this.#format === "csv" && this.#count === 0) await this.#put(csvLine(outputColumns(this.#columns), false));
    if (this.#format === "json")
      await this.#put(`${this.#count === 0 ? '{"rows":[' : "\n"}],\n"summary":${jsonLiteral(summary)}}\n`);
  }
}
