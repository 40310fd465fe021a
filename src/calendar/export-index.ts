/**
 * The calendar's interval index as plain tables, for a data warehouse: the open stretches of a
 * range with their running totals, and the two lookup tables that let set-based SQL (equi-joins,
 * aggregates and arithmetic only) give the library's answers to the millisecond. The SQL itself is
 * written by src/warehouse/; docs/warehouse.md explains the tables and why the lookups are exact.
 */
import { SlaClockError } from "../errors";
import { specHash } from "../util/spec-hash";
import { DAY_MS, MINUTE_MS } from "../time/civil";
import { formatInstant } from "../time/instant";
import { END_INSTANT, MIN_INSTANT } from "../time/range";
import { deepFreeze } from "../util/freeze";
import { LIBRARY_VERSION } from "../util/version";
import type { CalendarEngine } from "./engine";
import type { AnyCalendarSpec } from "./spec";

/** The width of a bucket of the business-time axis (`sla_business_hour.bucket`): one business hour. */
export const BUSINESS_BUCKET_MS = 60 * MINUTE_MS;

/** The most rows one table of an export may hold; a longer range fails before it is collected. */
export const MAX_EXPORT_ROWS = 10_000_000;

/**
 * One table of an {@link IndexExport}, column by column: `data[c][r]` is column `columns[c]` of row
 * `r`, every value a whole number (epoch milliseconds, a duration in milliseconds, or a key).
 *
 * @example
 * ```ts
 * const table: ExportTable = { name: "sla_interval", columns: ["i", "start_ms", "end_ms", "cum_ms"], rows: 0, data: [] };
 * ```
 */
export interface ExportTable {
  /** The SQL table name. */
  readonly name: string;
  readonly columns: readonly string[];
  readonly rows: number;
  /** One array per column, each `rows` long. */
  readonly data: readonly Float64Array[];
}

/**
 * What an export was made from, so a stale table can be detected: compare `specHash` and
 * `libraryVersion` with the calendar in use, and the range with the instants queried.
 *
 * @example
 * ```ts
 * const id: IndexIdentity = getCalendar("softone-se").exportIndex("2026-01-01T00:00Z", "2027-01-01T00:00Z").identity;
 * // id.calendarId → "softone-se"; id.fromMs → 1767225600000
 * ```
 */
export interface IndexIdentity {
  /** The spec's `id`, or `null` when it has none. */
  readonly calendarId: string | null;
  /** The spec's `name`, or `null`. */
  readonly calendarName: string | null;
  readonly zone: string;
  /** `fnv1a64:` and 16 hex digits, over the spec's JSON with its keys sorted. */
  readonly specHash: string;
  /** The exported range `[fromMs, toMs)` in epoch milliseconds; instants outside it give NULL in SQL. */
  readonly fromMs: number;
  readonly toMs: number;
  /** When the export was made (UTC ISO-8601). */
  readonly generatedAt: string;
  /** The sla-clock version that made it. */
  readonly libraryVersion: string;
  /** The width of a bucket of `sla_day` (one UTC day) and of `sla_business_hour` (one business hour). */
  readonly dayMs: number;
  readonly bucketMs: number;
}

/**
 * The export of a calendar's open time over a range, as returned by `calendar.exportIndex`. All
 * three tables cover `[identity.fromMs, identity.toMs)`; running totals count from `fromMs`.
 *
 * - `intervals` (`sla_interval`): the maximal open stretches, clipped to the range: `i`,
 *   `start_ms`, `end_ms`, `cum_ms` (open time from the range start to `start_ms`).
 * - `days` (`sla_day`): per UTC day (`day` = floor(epoch ms / 86 400 000)) one row at the day's
 *   first instant in the range (`start_ms = end_ms = valid_from_ms`), then one row per piece of a
 *   stretch inside the day; `cum_ms` is the open time before `start_ms`; `valid_from_ms`,
 *   `valid_to_ms` are the part of the day inside the range.
 * - `hours` (`sla_business_hour`): the business-time axis cut into hours: per `bucket` =
 *   floor(open time / 3 600 000), the pieces `[cum_from_ms, cum_to_ms)` of the axis and the
 *   instant `start_ms` at which each piece begins.
 *
 * @example
 * ```ts
 * const ex: IndexExport = getCalendar("softone-se").exportIndex("2026-04-02T00:00Z", "2026-04-03T00:00Z");
 * // ex.intervals.rows → 1 (08:00–12:00 Stockholm, the eve of Good Friday); ex.hours.rows → 4
 * ```
 */
export interface IndexExport {
  readonly identity: IndexIdentity;
  readonly intervals: ExportTable;
  readonly days: ExportTable;
  readonly hours: ExportTable;
}

/** A column being filled, grown by doubling. */
class Column {
  data = new Float64Array(1024);
  push(value: number, at: number): void {
    if (at === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[at] = value;
  }
}

/** A table being filled, refusing to grow past {@link MAX_EXPORT_ROWS}. */
class TableBuilder {
  readonly #columns: Column[];
  rows = 0;
  constructor(
    readonly name: string,
    readonly columns: readonly string[],
    readonly range: readonly [number, number],
  ) {
    this.#columns = columns.map(() => new Column());
  }
  add(...values: number[]): void {
    if (this.rows === MAX_EXPORT_ROWS) throw tooManyRows(this.name, this.range);
    values.forEach((v, c) => (this.#columns[c] as Column).push(v, this.rows));
    this.rows++;
  }
  build(): ExportTable {
    return {
      name: this.name,
      columns: Object.freeze([...this.columns]),
      rows: this.rows,
      data: Object.freeze(this.#columns.map((c) => c.data.slice(0, this.rows))),
    };
  }
}

function tooManyRows(table: string, [from, to]: readonly [number, number]): SlaClockError {
  return new SlaClockError(
    "INVALID_ARGUMENT",
    `exportIndex: the table ${table} would hold more than ${MAX_EXPORT_ROWS} rows between ${formatInstant(from)} and ${formatInstant(to)}; export a shorter range`,
    { limit: MAX_EXPORT_ROWS, table },
  );
}

/**
 * Builds the tables of an export of `[from, to)` (epoch ms, checked by the caller to lie in the
 * supported range with `from < to`).
 * @internal
 */
export function buildIndexExport(
  engine: CalendarEngine,
  spec: AnyCalendarSpec,
  zone: string,
  from: number,
  to: number,
  generatedAt: number,
): IndexExport {
  if (!(from >= MIN_INSTANT && to <= END_INSTANT && from < to)) {
    throw new SlaClockError(
      "INVALID_ARGUMENT",
      `exportIndex: the range ${formatInstant(from)} … ${formatInstant(to)} must be non-empty and lie within 1900-01-01T00:00Z … 2201-01-01T00:00Z`,
      { from: formatInstant(from), to: formatInstant(to) },
    );
  }
  const range = [from, to] as const;

  // 1. The maximal stretches (the index hands out year-split and touching pieces: merge them).
  const intervals = new TableBuilder("sla_interval", ["i", "start_ms", "end_ms", "cum_ms"], range);
  const starts: number[] = [];
  const ends: number[] = [];
  engine.index.walk(from, to, (s, e) => {
    const last = ends.length - 1;
    if (last >= 0 && ends[last] === s) ends[last] = e;
    else {
      if (starts.length === MAX_EXPORT_ROWS) throw tooManyRows("sla_interval", range);
      starts.push(s);
      ends.push(e);
    }
  });
  const n = starts.length;
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    cum[i + 1] = (cum[i] as number) + (ends[i] as number) - (starts[i] as number);
    intervals.add(i, starts[i] as number, ends[i] as number, cum[i] as number);
  }

  // 2. Per UTC day: a row at the day's first instant in range, then the pieces of stretches inside it.
  const days = new TableBuilder(
    "sla_day",
    ["day", "valid_from_ms", "valid_to_ms", "start_ms", "end_ms", "cum_ms"],
    range,
  );
  let j = 0;
  for (let day = Math.floor(from / DAY_MS); day * DAY_MS < to; day++) {
    const validFrom = Math.max(from, day * DAY_MS);
    const validTo = Math.min(to, (day + 1) * DAY_MS);
    while (j < n && (ends[j] as number) <= validFrom) j++;
    const before = j < n ? (cum[j] as number) + Math.max(0, validFrom - (starts[j] as number)) : (cum[n] as number);
    days.add(day, validFrom, validTo, validFrom, validFrom, before);
    for (let k = j; k < n && (starts[k] as number) < validTo; k++) {
      const s = Math.max(starts[k] as number, validFrom);
      const e = Math.min(ends[k] as number, validTo);
      days.add(day, validFrom, validTo, s, e, (cum[k] as number) + s - (starts[k] as number));
    }
  }

  // 3. The business-time axis cut at every whole business hour.
  const hours = new TableBuilder("sla_business_hour", ["bucket", "cum_from_ms", "cum_to_ms", "start_ms"], range);
  for (let k = 0; k < n; k++) {
    const c0 = cum[k] as number;
    const c1 = cum[k + 1] as number;
    for (let x = c0; x < c1;) {
      const bucket = Math.floor(x / BUSINESS_BUCKET_MS);
      const next = Math.min(c1, (bucket + 1) * BUSINESS_BUCKET_MS);
      hours.add(bucket, x, next, (starts[k] as number) + (x - c0));
      x = next;
    }
  }

  const identity: IndexIdentity = {
    calendarId: spec.id ?? null,
    calendarName: spec.name ?? null,
    zone,
    specHash: specHash(spec),
    fromMs: from,
    toMs: to,
    generatedAt: new Date(generatedAt).toISOString(),
    libraryVersion: LIBRARY_VERSION,
    dayMs: DAY_MS,
    bucketMs: BUSINESS_BUCKET_MS,
  };
  return deepFreeze({ identity, intervals: intervals.build(), days: days.build(), hours: hours.build() });
}
