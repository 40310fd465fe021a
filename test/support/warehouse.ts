/**
 * The pieces the warehouse tests share: a random calendar with overnight shifts in an odd-DST zone,
 * and one small face over the two real engines (DuckDB from npm, PostgreSQL as PGlite).
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { PGlite } from "@electric-sql/pglite";
import { createCalendar, type Calendar, type Weekday } from "../../src/index";
import { prng } from "../../bench/workload";

/** Drops every table an export (and a policy's targets) creates, so a second export can load. */
export const DROP_EXPORT_TABLES = [
  "sla_meta",
  "sla_interval",
  "sla_day",
  "sla_business_hour",
  "sla_close",
  "sla_offset",
  "sla_wall",
  "sla_month",
  "sla_policy_target",
]
  .map((t) => `DROP TABLE IF EXISTS ${t};`)
  .join(" ");

/** A random weekly calendar in Lord Howe's zone (30-minute DST shift at 02:00), with overnight shifts. */
export function randomLordHoweCalendar(seed: number): Calendar {
  const random = prng(seed);
  const days: Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  const weekly: Partial<Record<Weekday, [string, string][]>> = {};
  for (const day of days) {
    if (random() < 0.15) continue; // closed
    // Sorted distinct half-hour marks between 00:30 and 21:30 make up to three intervals ...
    const marks = new Set<number>();
    const count = 2 * (1 + Math.floor(random() * 3));
    while (marks.size < count) marks.add(30 * (1 + Math.floor(random() * 43)));
    const sorted = [...marks].sort((a, b) => a - b);
    const hours: [string, string][] = [];
    for (let k = 0; k < sorted.length; k += 2) hours.push([hhmm(sorted[k] as number), hhmm(sorted[k + 1] as number)]);
    // ... and most days end with a shift past midnight (into the next day's DST change at 02:00).
    if (random() < 0.6)
      hours.push([hhmm(22 * 60 + 30 * Math.floor(random() * 3)), hhmm(30 * (1 + Math.floor(random() * 5)))]);
    weekly[day] = hours;
  }
  weekly.mon ??= [["01:30", "02:30"]]; // never an empty week; 01:30–02:30 straddles the shift
  return createCalendar({
    id: `random-lord-howe-${seed}`,
    zone: "Australia/Lord_Howe",
    weekly,
    holidays: { country: "AU", state: "NSW" },
  });
}

/** A minimal common face over the two engines. */
export interface Engine {
  exec(script: string): Promise<void>;
  loadCsv(table: string, path: string, csv: string): Promise<void>;
  rows(sql: string): Promise<[number, number | null][]>;
  close(): Promise<void>;
}

export async function duckdb(): Promise<Engine> {
  const instance = await DuckDBInstance.create(":memory:");
  const db = await instance.connect();
  return {
    exec: async (script) => void (await db.run(script)),
    loadCsv: async (table, path) => void (await db.run(`COPY ${table} FROM '${path}' (FORMAT csv)`)),
    rows: async (sql) =>
      (await db.runAndReadAll(sql)).getRows().map(([k, v]) => [Number(k), v === null ? null : Number(v)]),
    close: async () => db.closeSync(),
  };
}

let sharedPglite: Promise<PGlite> | undefined;

/**
 * The PGlite of this test process, its `public` schema emptied for the caller. Starting one costs
 * 2.5–4 s of CPU (it makes its database in WebAssembly) and three files use one, which share a
 * process when vitest runs them in the same fork; emptying the schema takes milliseconds. It is
 * never closed: it ends with the process.
 */
export async function freshPglite(): Promise<PGlite> {
  sharedPglite ??= (async () => {
    const pg = new PGlite();
    await pg.waitReady;
    return pg;
  })();
  const pg = await sharedPglite;
  await pg.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
  return pg;
}

/** PostgreSQL as this process's PGlite ({@link freshPglite}); `close` leaves it to the next user. */
export async function pglite(): Promise<Engine> {
  const pg = await freshPglite();
  return {
    exec: async (script) => void (await pg.exec(script)),
    loadCsv: async (table, _path, csv) =>
      void (await pg.query(`COPY ${table} FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([csv]) })),
    rows: async (sql) =>
      (await pg.query<Record<string, unknown>>(sql, [], { rowMode: "object" })).rows.map((r) => {
        const [k, v] = Object.values(r);
        return [Number(k), v === null ? null : Number(v)];
      }),
    close: async () => {},
  };
}
