/**
 * The calendar's interval index as plain tables, for a data warehouse: the open stretches of a
 * range with their running totals, and the two lookup tables that let set-based SQL (equi-joins,
 * aggregates and arithmetic only) give the library's answers to the millisecond. The SQL itself is
 * written by src/warehouse/; docs/warehouse.md explains the tables and why the lookups are exact.
 */
import { SlaClockError } from "../errors";
import { specHash } from "../util/spec-hash";
import { DAY_MS, MINUTE_MS, civilFromDay, daysInMonth, dayFromCivil, monthIndexOfDay } from "../time/civil";
import { formatInstant } from "../time/instant";
import { END_INSTANT, MIN_INSTANT } from "../time/range";
import type { ZoneRules } from "../time/zone";
import { deepFreeze } from "../util/freeze";
import { LIBRARY_VERSION } from "../util/version";
import type { CalendarEngine } from "./engine";
import type { AnyCalendarSpec } from "./spec";

/** The width of a bucket of the business-time axis (`sla_business_hour.bucket`): one business hour. */
export const BUSINESS_BUCKET_MS = 60 * MINUTE_MS;

/** The most rows one table of an export may hold; a longer range fails before it is collected. */
export const MAX_EXPORT_ROWS = 10_000_000;

/**
 * The index tables an export writes besides `sla_meta`, with their columns (all integers), in the
 * order the SQL script creates them: the one list both the export and the generated DDL read.
 *
 * @example
 * ```ts
 * INDEX_TABLES.sla_interval; // ["i", "start_ms", "end_ms", "cum_ms"]
 * ```
 */
export const INDEX_TABLES = {
  sla_interval: ["i", "start_ms", "end_ms", "cum_ms"],
  sla_day: ["day", "valid_from_ms", "valid_to_ms", "start_ms", "end_ms", "cum_ms"],
  sla_business_hour: ["bucket", "cum_from_ms", "cum_to_ms", "start_ms"],
  sla_close: ["day", "valid_from_ms", "valid_to_ms", "close_ms", "week_last"],
  sla_offset: ["day", "start_ms", "end_ms", "offset_ms"],
  sla_wall: [
    "local_day",
    "wall_from_ms",
    "wall_to_ms",
    "offset_ms",
    "month_index",
    "day_of_month",
    "range_from_ms",
    "range_to_ms",
  ],
  sla_month: ["month_index", "first_day", "days"],
} as const satisfies Readonly<Record<string, readonly string[]>>;

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
 * The export of a calendar's open time over a range, as returned by `calendar.exportIndex`. The
 * tables cover `[identity.fromMs, identity.toMs)` (`walls` and `months`: the local dates of that
 * range); running totals count from `fromMs`.
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
 * - `closes` (`sla_close`): the closing instants of the business days (the values of
 *   `endOfBusinessDay`), per UTC `day`: a row at the day's first instant in range
 *   (`close_ms = valid_from_ms`), each close inside the day, and the first close and the first
 *   week-closing close at or after the day's end; `week_last` is 1 when the business day is the
 *   last one of its ISO week (its close is then `endOfBusinessWeek`). Closes after the range end
 *   (or that the library cannot give) are left out, so a lookup that needs them finds none.
 * - `offsets` (`sla_offset`): the zone's UTC offset, per UTC `day` in pieces
 *   `[start_ms, end_ms)` of constant `offset_ms`, clipped to the range.
 * - `walls` (`sla_wall`): the way back, per local date `local_day` (days since 1970-01-01) in
 *   pieces `[wall_from_ms, wall_to_ms)` of wall time: the instant of a wall time `w` is
 *   `w - offset_ms` (a wall time in a DST gap moves forward, an ambiguous one takes the earlier
 *   instant); with the date's `month_index` (`year * 12 + month - 1`) and `day_of_month`, and the
 *   export's range `range_from_ms`, `range_to_ms` on every row.
 * - `months` (`sla_month`): per `month_index` of those dates, `first_day` (days since
 *   1970-01-01) and `days` (its length).
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
  readonly closes: ExportTable;
  readonly offsets: ExportTable;
  readonly walls: ExportTable;
  readonly months: ExportTable;
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
  const intervals = new TableBuilder("sla_interval", INDEX_TABLES.sla_interval, range);
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
  const days = new TableBuilder("sla_day", INDEX_TABLES.sla_day, range);
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
  const hours = new TableBuilder("sla_business_hour", INDEX_TABLES.sla_business_hour, range);
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

  const closes = closeTable(engine, range);
  const { offsets, walls, months } = zoneTables(engine.zone, range);

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
  return deepFreeze({
    identity,
    intervals: intervals.build(),
    days: days.build(),
    hours: hours.build(),
    closes,
    offsets,
    walls,
    months,
  });
}

/**
 * The closing instants of the business days that close inside the range, from the library itself:
 * `endOfBusinessDay` is a step function of the start, constant up to its value, so its values are
 * found by asking it again at each one (at a close, the clock starts on the next business day).
 * For a start `t` the answer is the smallest close after `t`, and the week's is the smallest close
 * after `t` that ends its week (docs/warehouse.md says why). A close the library cannot give (no
 * open time for years, or past 2200) ends the list: later starts get NULL, never a wrong close.
 */
function closeTable(engine: CalendarEngine, range: readonly [number, number]): ExportTable {
  const [from, to] = range;
  const closes: number[] = [];
  const weekLast: boolean[] = [];
  for (let t = from; ;) {
    let close: number;
    let weekClose: number | undefined;
    try {
      close = engine.endOfBusinessDay(t);
    } catch {
      break;
    }
    if (close > to) break;
    try {
      weekClose = engine.endOfBusinessWeek(t);
    } catch {
      weekClose = undefined;
    }
    if (closes.length === MAX_EXPORT_ROWS) throw tooManyRows("sla_close", range);
    closes.push(close);
    weekLast.push(weekClose === close);
    t = close;
  }
  const table = new TableBuilder("sla_close", INDEX_TABLES.sla_close, range);
  let j = 0; // the first close after the day's start
  for (let day = Math.floor(from / DAY_MS); day * DAY_MS < to; day++) {
    const validFrom = Math.max(from, day * DAY_MS);
    const validTo = Math.min(to, (day + 1) * DAY_MS);
    const dayEnd = (day + 1) * DAY_MS;
    while (j < closes.length && (closes[j] as number) <= day * DAY_MS) j++;
    table.add(day, validFrom, validTo, validFrom, 0);
    let k = j;
    for (; k < closes.length && (closes[k] as number) < dayEnd; k++)
      table.add(day, validFrom, validTo, closes[k] as number, weekLast[k] ? 1 : 0);
    // The next close at or after the day's end, and the next one that ends a week.
    if (k < closes.length) table.add(day, validFrom, validTo, closes[k] as number, weekLast[k] ? 1 : 0);
    if (k < closes.length && !weekLast[k]) {
      let w = k + 1;
      while (w < closes.length && !weekLast[w]) w++;
      if (w < closes.length) table.add(day, validFrom, validTo, closes[w] as number, 1);
    }
  }
  return table.build();
}

/** The first instant in `(lo, hi]` with another value of `f` than at `lo` (one change in between). */
function changeAfter(f: (t: number) => number, lo: number, hi: number): number {
  const at = f(lo);
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (f(mid) === at) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Cuts `[a, b)` into maximal pieces of constant `f`, given the cut candidates inside it (sorted):
 * a piece between candidates whose ends disagree is bisected (a change the candidates missed; zones
 * change at most once a week, so once is enough).
 */
function constantPieces(f: (t: number) => number, a: number, b: number, cuts: readonly number[]): [number, number][] {
  // Most days have no change at all: one piece, without the work below.
  if (cuts.length === 0 && f(a) === f(b - 1)) return [[a, b]];
  const marks = [a, ...cuts.filter((c) => c > a && c < b), b];
  const out: [number, number][] = [];
  const push = (s: number, e: number) => {
    const last = out[out.length - 1];
    if (last !== undefined && f(last[0]) === f(s)) last[1] = e;
    else out.push([s, e]);
  };
  for (let m = 0; m + 1 < marks.length; m++) {
    const s = marks[m] as number;
    const e = marks[m + 1] as number;
    if (s === e) continue;
    if (f(s) === f(e - 1)) push(s, e);
    else {
      const c = changeAfter(f, s, e - 1);
      push(s, c);
      push(c, e);
    }
  }
  return out;
}

/**
 * The zone's offsets over the range (instant to wall time), their inverse by local date (wall time
 * to instant, by the library's own `wallToInstant`, so gaps and overlaps resolve as it does), and
 * the months of those dates, for calendar targets in SQL.
 */
function zoneTables(
  zone: ZoneRules,
  range: readonly [number, number],
): { offsets: ExportTable; walls: ExportTable; months: ExportTable } {
  const [from, to] = range;
  const offsetAt = (t: number) => zone.offsetAt(t);
  const offsets = new TableBuilder("sla_offset", INDEX_TABLES.sla_offset, range);
  const transitions: number[] = [];
  for (let day = Math.floor(from / DAY_MS); day * DAY_MS < to; day++) {
    const a = Math.max(from, day * DAY_MS);
    const b = Math.min(to, (day + 1) * DAY_MS);
    for (const [s, e] of constantPieces(offsetAt, a, b, [])) {
      if (s > a) transitions.push(s);
      offsets.add(day, s, e, offsetAt(s));
    }
    // A change exactly at a UTC midnight starts a day: keep it as a transition too.
    if (day * DAY_MS > from && offsetAt(a - 1) !== offsetAt(a)) transitions.push(a);
  }

  // Wall time w maps to w - offset, where the offset changes at T + max(before, after) for a
  // transition at T (a gap's wall times read with the offset before it; an overlap's with the
  // earlier instant's). Those are the cut candidates; the pieces check the library's answer.
  const wallOffset = (w: number) => w - zone.wallToInstant(w);
  const wallCuts = transitions.map((t) => t + Math.max(offsetAt(t - 1), offsetAt(t))).sort((x, y) => x - y);
  const firstDay = Math.floor(zone.instantToWall(from) / DAY_MS);
  const lastDay = Math.floor(zone.instantToWall(to) / DAY_MS);
  const walls = new TableBuilder("sla_wall", INDEX_TABLES.sla_wall, range);
  let cut = 0; // the first wall cut after the day's start
  for (let day = firstDay; day <= lastDay; day++) {
    const monthIndex = monthIndexOfDay(day);
    const dayOfMonth = civilFromDay(day).day;
    while (cut < wallCuts.length && (wallCuts[cut] as number) <= day * DAY_MS) cut++;
    let end = cut;
    while (end < wallCuts.length && (wallCuts[end] as number) < (day + 1) * DAY_MS) end++;
    for (const [s, e] of constantPieces(wallOffset, day * DAY_MS, (day + 1) * DAY_MS, wallCuts.slice(cut, end)))
      walls.add(day, s, e, wallOffset(s), monthIndex, dayOfMonth, from, to);
  }

  const months = new TableBuilder("sla_month", INDEX_TABLES.sla_month, range);
  for (let m = monthIndexOfDay(firstDay); m <= monthIndexOfDay(lastDay); m++) {
    const year = Math.floor(m / 12);
    const month = m - year * 12 + 1;
    months.add(m, dayFromCivil(year, month, 1), daysInMonth(year, month));
  }
  return { offsets: offsets.build(), walls: walls.build(), months: months.build() };
}
