/**
 * `sla-clock export`: the SQL script, one CSV or Parquet file per table, the identity in each, and
 * clear usage errors (no folder for CSV, a reversed range, DuckDB not installed for Parquet).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { getCalendar } from "../src/index";
import { cli } from "./support/cli";
import { tempDir } from "./support/temp-dir";
import { cliProcessArgs } from "./support/cli-bundle";

const dir = tempDir("sla-export-");

const RANGE = ["--from", "2026-01-01T00:00Z", "--to", "2027-01-01T00:00Z"];
const expected = getCalendar("softone-se").exportIndex("2026-01-01T00:00Z", "2027-01-01T00:00Z");
// softone-se is also a policy: its targets come along as sla_policy_target (5 priorities × 4 metrics).
const TABLES = [
  "sla_business_hour",
  "sla_close",
  "sla_day",
  "sla_interval",
  "sla_meta",
  "sla_month",
  "sla_offset",
  "sla_policy_target",
  "sla_wall",
];
const ROWS: Record<string, number> = {
  sla_meta: 1,
  sla_interval: expected.intervals.rows,
  sla_day: expected.days.rows,
  sla_business_hour: expected.hours.rows,
  sla_close: expected.closes.rows,
  sla_offset: expected.offsets.rows,
  sla_wall: expected.walls.rows,
  sla_month: expected.months.rows,
  sla_policy_target: 20,
};

describe("sla-clock export", () => {
  it("writes the SQL script to stdout, with the identity in its header", async () => {
    const { code, out } = await cli(["export", "softone-se", ...RANGE, "--dialect", "postgres"]);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^-- sla-clock \d+\.\d+\.\d+ export of softone-se \(Europe\/Stockholm\), spec fnv1a64:[0-9a-f]{16}\n/,
    );
    expect(out).toContain("CREATE TABLE sla_meta (calendar_id TEXT,");
    expect(out).toContain(`'${expected.identity.specHash}'`);
  });

  it("writes one CSV per table into the --out folder", async () => {
    const folder = join(dir, "csv");
    const { code, err } = await cli(["export", "softone-se", ...RANGE, "--format", "csv", "--out", folder]);
    expect(code).toBe(0);
    expect(err).toContain("sla_day.csv");
    expect(readdirSync(folder).sort()).toEqual(TABLES.map((t) => `${t}.csv`));
    for (const table of TABLES) {
      const rows = parse(readFileSync(join(folder, `${table}.csv`)), { columns: true }) as Record<string, string>[];
      expect(rows.length, table).toBe(ROWS[table]);
    }
    const [meta] = parse(readFileSync(join(folder, "sla_meta.csv")), { columns: true }) as Record<string, string>[];
    expect(meta).toMatchObject({
      calendar_id: "softone-se",
      spec_hash: expected.identity.specHash,
      from_ms: String(Date.parse("2026-01-01T00:00Z")),
      range_to: "2027-01-01T00:00:00.000Z",
    });
  });

  it("adds sla_policy_target for a .json policy spec, and not for a calendar spec", async () => {
    const calendar = { zone: "UTC", weekly: { mon: [["09:00", "17:00"]] } };
    const policySpec = join(dir, "policy.json");
    writeFileSync(
      policySpec,
      JSON.stringify({
        id: "p",
        name: "P",
        calendar,
        priorities: [
          {
            id: "high",
            label: "High",
            targets: {
              response: { kind: "business", duration: "PT2H" },
              resolution: { kind: "calendar", duration: "P1M2DT3H" },
            },
          },
        ],
      }),
    );
    const calendarSpec = join(dir, "calendar.json");
    writeFileSync(calendarSpec, JSON.stringify(calendar));
    const withPolicy = await cli(["export", policySpec, ...RANGE, "--format", "csv", "--out", join(dir, "p")]);
    expect(withPolicy.code).toBe(0);
    expect(parse(readFileSync(join(dir, "p", "sla_policy_target.csv")), { columns: true })).toEqual([
      { priority: "high", metric: "response", kind: "business", d_ms: "7200000", months: "0", days: "0" },
      { priority: "high", metric: "resolution", kind: "calendar", d_ms: "10800000", months: "1", days: "2" },
      { priority: "high", metric: "nextReply", kind: "none", d_ms: "0", months: "0", days: "0" },
      { priority: "high", metric: "periodicUpdate", kind: "none", d_ms: "0", months: "0", days: "0" },
    ]);
    const plain = await cli(["export", calendarSpec, ...RANGE, "--format", "csv", "--out", join(dir, "c")]);
    expect(plain.code).toBe(0);
    expect(readdirSync(join(dir, "c"))).not.toContain("sla_policy_target.csv");
    expect(readdirSync(join(dir, "c"))).toContain("sla_close.csv");
    // A calendar's export into the policy's folder takes its sla_policy_target away with the rest:
    // it stayed beside the new sla_meta, which vouched for it.
    const over = await cli(["export", calendarSpec, ...RANGE, "--format", "csv", "--out", join(dir, "p")]);
    expect(over.code).toBe(0);
    expect(readdirSync(join(dir, "p")).sort()).toEqual(readdirSync(join(dir, "c")).sort());
  });

  it("writes one Parquet file per table through DuckDB, the identity also in each file's metadata", async () => {
    const folder = join(dir, "parquet");
    const { code } = await cli(["export", "softone-se", ...RANGE, "--format", "parquet", "--out", folder]);
    expect(code).toBe(0);
    expect(readdirSync(folder).sort()).toEqual(TABLES.map((t) => `${t}.parquet`));
    const db = await (await DuckDBInstance.create(":memory:")).connect();
    try {
      for (const table of TABLES) {
        const [[count]] = (
          await db.runAndReadAll(`SELECT count(*) FROM '${join(folder, `${table}.parquet`)}'`)
        ).getRows();
        expect(Number(count), table).toBe(ROWS[table]);
      }
      const kv = (
        await db.runAndReadAll(
          `SELECT key::VARCHAR, value::VARCHAR FROM parquet_kv_metadata('${join(folder, "sla_day.parquet")}')`,
        )
      ).getRows();
      expect(kv).toContainEqual(["spec_hash", expected.identity.specHash]);
    } finally {
      db.closeSync();
    }
  });

  it("exports up to the end of the supported range, --to 2201-01-01T00:00Z (an exclusive end)", async () => {
    const folder = join(dir, "end");
    const range = ["--from", "2200-12-01T00:00Z", "--to", "2201-01-01T00:00Z"];
    const run = await cli(["export", "softone-se", ...range, "--format", "csv", "--out", folder]);
    expect(run.err).toContain("sla_meta.csv");
    expect(run.code).toBe(0);
    expect(readdirSync(folder).sort()).toEqual(TABLES.map((t) => `${t}.csv`));
    const [meta] = parse(readFileSync(join(folder, "sla_meta.csv")), { columns: true }) as Record<string, string>[];
    expect(meta).toMatchObject({ range_to: "2201-01-01T00:00:00.000Z" });
    const past = await cli(["export", "softone-se", "--from", "2200-12-01T00:00Z", "--to", "2201-01-01T00:00:00.001Z"]);
    expect(past.code).toBe(2);
    expect(past.err).toContain("--to: 2201-01-01T00:00:00.001Z is out of range");
  });

  it("refuses CSV without a folder, a reversed range, and an --out that is the spec it reads", async () => {
    const noFolder = await cli(["export", "softone-se", ...RANGE, "--format", "csv"]);
    expect(noFolder.code).toBe(2);
    expect(noFolder.err).toContain("give a folder with --out");
    const reversed = await cli(["export", "softone-se", "--from", "2027-01-01", "--to", "2026-01-01"]);
    expect(reversed.code).toBe(2);
    expect(reversed.err).toContain("--to (2026-01-01) must be after --from (2027-01-01)");
    const spec = join(dir, "cal.json");
    const text = JSON.stringify({ zone: "UTC", weekly: { mon: [["09:00", "17:00"]] } });
    writeFileSync(spec, text);
    const self = await cli(["export", spec, ...RANGE, "--out", spec]);
    expect(self.code).toBe(2);
    expect(self.err).toContain("is the input file");
    expect(readFileSync(spec, "utf8")).toBe(text);
  });

  it("refuses a calendar id with U+0000, which no export could hold, as a spec error naming the id", async () => {
    const spec = join(dir, "nul.json");
    writeFileSync(spec, JSON.stringify({ id: "a\u0000b", zone: "UTC", weekly: { mon: [["09:00", "17:00"]] } }));
    const folder = join(dir, "nul");
    const run = await cli(["export", spec, ...RANGE, "--format", "parquet", "--out", folder]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("id: an id cannot hold U+0000");
    expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
  });

  it("refuses a calendar id with a lone UTF-16 surrogate, which SQL text would store as U+FFFD, naming the id", async () => {
    const spec = join(dir, "surrogate.json");
    // JSON.stringify writes the lone surrogate as the escape \ud800, which JSON.parse reads back as it.
    writeFileSync(spec, JSON.stringify({ id: "a\ud800b", zone: "UTC", weekly: { mon: [["09:00", "17:00"]] } }));
    const folder = join(dir, "surrogate");
    const run = await cli(["export", spec, ...RANGE, "--format", "parquet", "--out", folder]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("id: an id is not well-formed UTF-16");
    expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
  });

  it("refuses a target longer than the supported range, which no BIGINT column could hold, naming its path", async () => {
    const spec = join(dir, "huge.json");
    const calendar = { zone: "UTC", weekly: { mon: [["09:00", "17:00"]] } };
    const targets = { response: { kind: "business", duration: 1e300 }, resolution: { kind: "none" } };
    writeFileSync(
      spec,
      JSON.stringify({ id: "huge", name: "H", calendar, priorities: [{ id: 1, label: "x", targets }] }),
    );
    for (const format of ["parquet", "csv", "sql"]) {
      const folder = join(dir, `huge-${format}`);
      const run = await cli(["export", spec, ...RANGE, "--format", format, "--out", folder]);
      expect(run.code, format).toBe(2);
      expect(run.err).toContain("priorities[0].targets.response.duration: a target longer than the supported range");
      expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
    }
  });

  it("says how to install DuckDB when --format parquet runs without it, and writes nothing", () => {
    // A resolve hook that makes @duckdb/node-api missing, as in an install without the optional peer.
    const hooks = join(dir, "no-duckdb-hooks.mjs");
    writeFileSync(
      hooks,
      `export async function resolve(specifier, context, next) {
  if (specifier === "@duckdb/node-api") throw Object.assign(new Error("Cannot find package '@duckdb/node-api'"), { code: "ERR_MODULE_NOT_FOUND" });
  return next(specifier, context);
}\n`,
    );
    const register = join(dir, "no-duckdb.mjs");
    writeFileSync(
      register,
      `import { register } from "node:module";\nregister(${JSON.stringify(`file://${hooks}`)});\n`,
    );
    const folder = join(dir, "no-duckdb");
    const r = spawnSync(
      process.execPath,
      cliProcessArgs(
        ["export", "softone-se", ...RANGE, "--format", "parquet", "--out", folder],
        ["--import", register],
      ),
      { encoding: "utf8" },
    );
    expect(r.stderr).toContain("needs the optional package @duckdb/node-api");
    expect(r.stderr).toContain("not installed");
    expect(r.status).toBe(2);
    expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
  });
});
