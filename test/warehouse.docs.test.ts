/**
 * docs/warehouse.md shows the SQL the generator writes, and its per-dialect examples run: the
 * DuckDB one on the Parquet files of `sla-clock export`, the PostgreSQL one on PGlite after the
 * `--format sql --dialect postgres` script, both on a small tickets table, giving the library's
 * numbers.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { addBusinessMsSql, businessMsBetweenSql, getCalendar, getPolicy, targetDeadlineSql } from "../src/index";
import { cli } from "./support/cli";
import { tempDir } from "./support/temp-dir";
import { freshPglite } from "./support/warehouse";

const doc = readFileSync(new URL("../docs/warehouse.md", import.meta.url), "utf8");
/** The ```sql block after an HTML comment marker. */
function blockAfter(marker: string): string {
  const at = doc.indexOf(`<!-- ${marker} -->`);
  expect(at, marker).toBeGreaterThan(-1);
  const match = /```sql\n([\s\S]*?)```/.exec(doc.slice(at));
  return (match?.[1] ?? "").trim();
}

const dir = tempDir("sla-warehouse-docs-");

const cal = getCalendar("softone-se");
const TICKETS: readonly [number, string, string, number][] = [
  [1, "2026-04-02T09:30:00Z", "2026-04-07T13:15:00Z", 1], // across Easter; end of the eve
  [2, "2026-04-02T10:00:00Z", "2026-04-02T10:00:00Z", 2], // the eve's close; end of the week
  [3, "2026-06-18T20:00:00Z", "2026-06-22T06:00:00.001Z", 4], // across Midsommar; a 6-month window
  [4, "2026-03-31T09:00:00Z", "2026-04-01T09:00:00Z", 4], // March 31 + 6 months: September 30
  [5, "2026-08-31T09:00:00Z", "2026-09-01T09:00:00Z", 4], // due 2027-02-28, after the export: NULL
];
const expectedBetween = TICKETS.map(([k, a, b]) => [k, cal.businessTimeBetween(a, b)]);
const expectedAdd = TICKETS.map(([k, a]) => [k, cal.addBusinessTime(a, 4 * 3_600_000).getTime()]);
// The 2026 export cannot hold the window's deadline in 2027: NULL, not a wrong instant.
const policy = getPolicy("softone-se");
const expectedDeadline = TICKETS.map(([k, a, , p]) => {
  const due = policy.deadline(a, { priority: p, metric: "resolution" })!.getTime();
  return [k, due < Date.parse("2027-01-01T00:00Z") ? due : null];
});
const values = TICKETS.map(([k, a, b, p]) => `(${k}, TIMESTAMPTZ '${a}', TIMESTAMPTZ '${b}', ${p})`).join(", ");
const numbers = (rows: unknown[][]) =>
  rows.map((r) => r.map((v) => (v === null ? null : Number(v)))).sort((x, y) => x[0]! - y[0]!);

describe("docs/warehouse.md", () => {
  it("shows the queries the generator writes", () => {
    expect(blockAfter('generated: businessMsBetweenSql("ansi", "my_pairs")')).toBe(
      businessMsBetweenSql("ansi", "my_pairs"),
    );
    expect(blockAfter('generated: addBusinessMsSql("ansi", "my_starts")')).toBe(addBusinessMsSql("ansi", "my_starts"));
    expect(blockAfter('generated: targetDeadlineSql("ansi", "my_targets")')).toBe(
      targetDeadlineSql("ansi", "my_targets"),
    );
  });

  it("has a DuckDB example that runs on the exported Parquet files", async () => {
    const folder = join(dir, "sla");
    const range = ["--from", "2026-01-01T00:00Z", "--to", "2027-01-01T00:00Z"];
    expect((await cli(["export", "softone-se", ...range, "--format", "parquet", "--out", folder])).code).toBe(0);
    const db = await (await DuckDBInstance.create(":memory:")).connect();
    try {
      await db.run("SET TimeZone = 'UTC'");
      await db.run(
        `CREATE TABLE tickets AS SELECT * FROM (VALUES ${values}) t(id, created_at, responded_at, priority)`,
      );
      await db.run(blockAfter("example: duckdb").replaceAll("'sla/", `'${folder}/`));
      const between = (await db.runAndReadAll(businessMsBetweenSql("duckdb", "my_pairs"))).getRows();
      expect(numbers(between)).toEqual(expectedBetween);
      const added = (await db.runAndReadAll(addBusinessMsSql("duckdb", "my_starts"))).getRows();
      expect(numbers(added)).toEqual(expectedAdd);
      const due = (await db.runAndReadAll(targetDeadlineSql("duckdb", "my_targets"))).getRows();
      expect(numbers(due)).toEqual(expectedDeadline);
    } finally {
      db.closeSync();
    }
  });

  it("has a PostgreSQL example that runs on PGlite after the exported script", async () => {
    const range = ["--from", "2026-01-01T00:00Z", "--to", "2027-01-01T00:00Z"];
    const script = await cli(["export", "softone-se", ...range, "--format", "sql", "--dialect", "postgres"]);
    const pg = await freshPglite();
    await pg.exec(script.out);
    await pg.exec(`CREATE TABLE tickets AS SELECT * FROM (VALUES ${values}) t(id, created_at, responded_at, priority)`);
    await pg.exec(blockAfter("example: postgres"));
    const rows = async (sql: string) => (await pg.query<unknown[]>(sql, [], { rowMode: "array" })).rows;
    expect(numbers(await rows(businessMsBetweenSql("postgres", "my_pairs")))).toEqual(expectedBetween);
    expect(numbers(await rows(addBusinessMsSql("postgres", "my_starts")))).toEqual(expectedAdd);
    expect(numbers(await rows(targetDeadlineSql("postgres", "my_targets")))).toEqual(expectedDeadline);
  });
});
