import type { Writable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import type { MetricEvaluation } from "../../clock/evaluate";
import { formatHours, formatLocal } from "../format";
import type { RowOutcome } from "../run";

/** Output formats of `sla-clock evaluate`. */
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

function pushMetric(out: OutputValues, m: MetricEvaluation | undefined, zone: string): void {
  if (m === undefined) {
    out.push("", "", "", "", "");
    return;
  }
  out.push(
    m.status,
    m.deadline === null ? "" : formatLocal(m.deadline.getTime(), zone),
    m.remaining === null ? "" : formatHours(m.remaining),
    m.breachedAt === null ? "" : formatLocal(m.breachedAt.getTime(), zone),
    m.atRisk ? "yes" : "",
  );
}

/**
 * One outcome as the values of an output row (in the order of {@link OUTPUT_COLUMNS}); instants in
 * the calendar's zone.
 *
 * @example
 * ```ts
 * toOutputValues({ line: 2, id: "T-1", priority: "1", error: "created_at: missing" }, "Europe/Stockholm")[3]; // "created_at: missing"
 * ```
 */
export function toOutputValues(row: RowOutcome, zone: string): OutputValues {
  const out: OutputValues = [row.line, row.id, row.priority, row.error ?? ""];
  pushMetric(out, row.evaluation?.response, zone);
  pushMetric(out, row.evaluation?.resolution, zone);
  return out;
}

function asObject(values: OutputValues): Record<string, string | number> {
  const o: Record<string, string | number> = {};
  OUTPUT_COLUMNS.forEach((c, i) => (o[c] = values[i] as string | number));
  return o;
}

/**
 * Writes output rows to a stream in CSV, NDJSON or JSON (an object with `rows` and, at the end,
 * `summary`), waiting for the stream to drain so memory stays flat.
 *
 * @example
 * ```ts
 * const writer = new RowWriter(process.stdout, "csv", "Europe/Stockholm");
 * await writer.write([row]);
 * await writer.end({ rows: 1 });
 * ```
 */
export class RowWriter {
  readonly #out: Writable;
  readonly #format: OutputFormat;
  readonly #zone: string;
  #count = 0;

  constructor(out: Writable, format: OutputFormat, zone: string) {
    this.#out = out;
    this.#format = format;
    this.#zone = zone;
  }

  async #put(text: string): Promise<void> {
    if (!this.#out.write(text)) await new Promise<void>((resolve) => this.#out.once("drain", resolve));
  }

  /** Writes rows (after the header, or the JSON opening, the first time), as one chunk. */
  async write(rows: readonly RowOutcome[]): Promise<void> {
    if (rows.length === 0) return;
    const values = rows.map((row) => toOutputValues(row, this.#zone));
    let text: string;
    if (this.#format === "csv") {
      text = stringify(values);
      if (this.#count === 0) text = stringify([OUTPUT_COLUMNS as unknown as string[]]) + text;
    } else if (this.#format === "ndjson") {
      text = `${values.map((v) => JSON.stringify(asObject(v))).join("\n")}\n`;
    } else {
      text = `${this.#count === 0 ? '{"rows":[\n' : ",\n"}${values.map((v) => JSON.stringify(asObject(v))).join(",\n")}`;
    }
    this.#count += rows.length;
    await this.#put(text);
  }

  /** Closes the document (JSON: the rows array and the summary). */
  async end(summary: unknown): Promise<void> {
    if (this.#format === "csv" && this.#count === 0)
      await this.#put(stringify([OUTPUT_COLUMNS as unknown as string[]]));
    if (this.#format === "json")
      await this.#put(`${this.#count === 0 ? '{"rows":[' : "\n"}],\n"summary":${JSON.stringify(summary)}}\n`);
  }
}
