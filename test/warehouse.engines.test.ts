/**
 * The generated SQL on real engines gives the library's answers to the millisecond: DuckDB (the
 * embedded engine from npm, `@duckdb/node-api`) and PostgreSQL as PGlite (`@electric-sql/pglite`,
 * the PostgreSQL server compiled to WASM). PGlite rather than a Debian postgres service: it needs
 * no system package, no running server and no socket, so the same test runs in `npm test` on any
 * machine and in CI alike.
 *
 * Each engine loads the `--format sql` script of an export (so the script is tested too), then runs
 * `business_ms_between`, `add_business_ms` and `subtract_business_ms` over seeded random pairs and
 * compares every row with `businessTimeBetweenMany` / `addBusinessTimeMany`. The pairs mix uniform
 * instants with opening and closing instants (±1 ms), instants inside breaks, DST days, durations
 * that end exactly at a close, zero and negative durations, and instants outside the exported range
 * (which must give NULL). CI (`CI=true`) runs 100 000 pairs per engine and calendar; a local run
 * 5 000, to keep `npm test` fast (PGlite takes seconds to start and about 0.15 ms a pair).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addBusinessMsSql,
  businessMsBetweenSql,
  exportSqlScript,
  createCalendar,
  epochMsSql,
  getCalendar,
  subtractBusinessMsSql,
  type Calendar,
  type IndexExport,
  type SqlDialect,
} from "../src/index";
import { prng } from "../bench/workload"; // mulberry32: a failure replays exactly
import { DROP_EXPORT_TABLES, duckdb, pglite, randomLordHoweCalendar, type Engine } from "./support/warehouse";
import { tempDir } from "./support/temp-dir";

const PAIRS = process.env.CI === "true" ? 100_000 : 5_000;
const H = 3_600_000;

interface Sample {
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly d: Float64Array;
}

/** Seeded instants and durations that hit every edge of the export. */
function samples(calendar: Calendar, ex: IndexExport, count: number, seed: number): Sample {
  const random = prng(seed);
  const { fromMs, toMs } = ex.identity;
  const iv = ex.intervals.data;
  const n = ex.intervals.rows;
  const edge = (): number => {
    const k = Math.floor(random() * n);
    const start = iv[1]![k]!;
    const end = iv[2]![k]!;
    const next = k + 1 < n ? iv[1]![k + 1]! : end;
    switch (Math.floor(random() * 6)) {
      case 0:
        return start;
      case 1:
        return end; // a closing instant
      case 2:
        return end + Math.floor(random() * (next - end + 1)); // inside the break after it
      case 3:
        return start - 1;
      case 4:
        return end - 1;
      default:
        return start + Math.floor(random() * (end - start));
    }
  };
  const instant = (): number => {
    const r = random();
    if (r < 0.45) return fromMs + Math.floor(random() * (toMs - fromMs));
    if (r < 0.93) return edge();
    if (r < 0.95) return fromMs - 1 - Math.floor(random() * 100 * H); // before the range
    if (r < 0.97) return toMs + Math.floor(random() * 100 * H); // at or after its end
    return r < 0.98 ? fromMs : toMs - 1;
  };
  const a = new Float64Array(count);
  const b = new Float64Array(count);
  const d = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    a[i] = instant();
    b[i] = random() < 0.5 ? instant() : a[i]! + Math.floor((random() - 0.3) * 400 * H);
    const r = random();
    d[i] =
      r < 0.05
        ? 0
        : r < 0.35
          ? Math.round(calendar.businessTimeBetween(a[i]!, Math.min(Math.max(edge(), -2.2e12), 7.2e12))) // ends at an edge
          : Math.floor((random() - 0.25) * 300 * H);
  }
  return { a, b, d };
}

/** What the SQL must answer: the library's number inside the range, NULL outside it. */
function expectedBetween(calendar: Calendar, ex: IndexExport, s: Sample): (number | null)[] {
  const lib = calendar.businessTimeBetweenMany(s.a, s.b);
  const inRange = (t: number) => t >= ex.identity.fromMs && t < ex.identity.toMs;
  return Array.from(lib, (v, i) => (inRange(s.a[i]!) && inRange(s.b[i]!) ? v : null));
}

function expectedAdd(calendar: Calendar, ex: IndexExport, s: Sample, sign: 1 | -1): (number | null)[] {
  const lib = calendar.addBusinessTimeMany(s.a, sign === 1 ? s.d : s.d.map((x) => -x));
  const { fromMs, toMs } = ex.identity;
  return Array.from(lib, (v, i) =>
    s.a[i]! >= fromMs && s.a[i]! < toMs && !Number.isNaN(v) && v >= fromMs && v <= toMs ? v : null,
  );
}

const dir = tempDir("sla-warehouse-");

const CASES: readonly { name: string; calendar: () => Calendar; from: string; to: string; seed: number }[] = [
  {
    name: "softone-se",
    calendar: () => getCalendar("softone-se"),
    from: "2019-01-01T00:00Z",
    to: "2031-01-01T00:00Z",
    seed: 18,
  },
  // Not on UTC midnights: the first and last UTC days are partly outside the range.
  {
    name: "random Lord Howe",
    calendar: () => randomLordHoweCalendar(1804),
    from: "2020-03-15T07:45:00.5Z",
    to: "2029-10-02T19:00Z",
    seed: 7,
  },
];

const ENGINES: readonly [SqlDialect, () => Promise<Engine>][] = [
  ["duckdb", duckdb],
  ["postgres", pglite],
];

describe.each(ENGINES)("generated SQL on %s", (dialect, open) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await open();
  });
  afterAll(() => engine.close());

  it.each(CASES)(
    `equals the library on ${PAIRS} pairs: $name`,
    { timeout: 600_000 },
    async ({ calendar: make, from, to, seed }) => {
      const calendar = make();
      const ex = calendar.exportIndex(from, to, { generatedAt: "2026-01-01T00:00Z" });
      const s = samples(calendar, ex, PAIRS, seed);
      await engine.exec(`${DROP_EXPORT_TABLES} DROP TABLE IF EXISTS pairs; DROP TABLE IF EXISTS starts;`);
      {
        await engine.exec(exportSqlScript(ex, dialect));
        const typ = "BIGINT";
        await engine.exec(
          `CREATE TABLE pairs (k ${typ}, a_ms ${typ}, b_ms ${typ}); CREATE TABLE starts (k ${typ}, t_ms ${typ}, d_ms ${typ});`,
        );
        const lines = (x: Float64Array, y: Float64Array) =>
          Array.from(x, (v, i) => `${i},${v},${y[i]}`).join("\n") + "\n";
        const pairsCsv = lines(s.a, s.b);
        const startsCsv = lines(s.a, s.d);
        writeFileSync(join(dir, `${dialect}-pairs.csv`), pairsCsv);
        writeFileSync(join(dir, `${dialect}-starts.csv`), startsCsv);
        await engine.loadCsv("pairs", join(dir, `${dialect}-pairs.csv`), pairsCsv);
        await engine.loadCsv("starts", join(dir, `${dialect}-starts.csv`), startsCsv);

        const check = async (sql: string, expected: (number | null)[]) => {
          const got = new Array<number | null>(PAIRS).fill(Number.NaN);
          for (const [k, v] of await engine.rows(sql)) got[k] = v;
          const wrong: string[] = [];
          for (let i = 0; i < PAIRS && wrong.length < 5; i++) {
            if (got[i] !== expected[i])
              wrong.push(`#${i} a=${s.a[i]} b=${s.b[i]} d=${s.d[i]}: sql ${got[i]}, library ${expected[i]}`);
          }
          expect(wrong).toEqual([]);
          return expected;
        };
        const between = await check(businessMsBetweenSql(dialect, "pairs"), expectedBetween(calendar, ex, s));
        const added = await check(addBusinessMsSql(dialect, "starts"), expectedAdd(calendar, ex, s, 1));
        const subtracted = await check(subtractBusinessMsSql(dialect, "starts"), expectedAdd(calendar, ex, s, -1));
        // The samples reach every edge: NULLs, closing instants as results, zero durations.
        expect(between.filter((v) => v === null).length).toBeGreaterThan(PAIRS / 50);
        expect(added.filter((v) => v === null).length).toBeGreaterThan(PAIRS / 50);
        const ends = new Set(ex.intervals.data[2]);
        expect(added.filter((v) => v !== null && ends.has(v)).length).toBeGreaterThan(PAIRS / 50);
        expect(subtracted.filter((v) => v !== null).length).toBeGreaterThan(PAIRS / 2);
      }
    },
  );
  it("turns a timestamp into epoch milliseconds as the library reads it, flooring before 1970 too", async () => {
    // Sub-millisecond digits: an instant is never moved to a millisecond it has not reached, so
    // 1969-12-31T23:59:59.9995Z is -1 ms, not 0 (truncation toward zero).
    const instants = [
      "1969-12-31T23:59:59.9995Z",
      "1969-12-31T23:59:59.999999Z",
      "1960-05-01T10:00:00.123999Z",
      "1900-01-01T00:00:00.000001Z",
      "1970-01-01T00:00:00.0005Z",
      "2026-05-01T10:00:00.123999Z",
      "2200-12-31T23:59:59.999999Z",
    ];
    const cal = getCalendar("softone-se");
    const values = instants.map((s, k) => `(${k}, TIMESTAMPTZ '${s.replace("T", " ").replace("Z", "+00")}')`);
    const got = await engine.rows(
      `SELECT k, ${epochMsSql(dialect, "ts")} AS ms FROM (VALUES ${values.join(", ")}) t(k, ts) ORDER BY k`,
    );
    expect(got).toEqual(instants.map((s, k) => [k, cal.parse(s).getTime()]));
  });

  it("keeps a calendar id with a carriage return or another line end inside its header comment", async () => {
    const injected = "acme\rCREATE TABLE pwned AS SELECT 42 AS x; --\u2028CREATE TABLE pwned2 AS SELECT 1 AS y; --";
    const spec = { ...getCalendar("softone-se").spec, id: injected };
    const ex = createCalendar(spec).exportIndex("2026-01-01T00:00Z", "2026-01-08T00:00Z", {
      generatedAt: "2026-01-01T00:00Z",
    });
    const script = exportSqlScript(ex, dialect);
    // Each line of the header is a comment, and the id's line ends are shown escaped.
    expect(script.split("\n")[0]).toContain("acme\\u{d}CREATE TABLE pwned");
    await engine.exec(`${DROP_EXPORT_TABLES}`);
    await engine.exec(script);
    const tables = await engine.rows(
      "SELECT COUNT(*) AS k, NULL AS v FROM information_schema.tables WHERE table_name IN ('pwned', 'pwned2')",
    );
    expect(tables).toEqual([[0, null]]);
  });
});
