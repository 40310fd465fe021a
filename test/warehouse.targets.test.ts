/**
 * The deadline SQL of policy targets of every kind (business, end of business day and week,
 * calendar durations, windows, none) on real engines — DuckDB and PostgreSQL as PGlite — equals
 * `policy.deadline` on every seeded start: uniform ones, closing instants and interval edges
 * (±1 ms), closed days and eves, starts a day, a week, a month or a year before a DST change (so
 * the wall-clock arithmetic lands in gaps and overlaps), month ends (clamping), and starts outside
 * the exported range (NULL). A deadline after the range's end is NULL too.
 *
 * `softone-se` is loaded from the script `sla-clock export softone-se --format sql` writes (so the
 * policy's `sla_policy_target` comes from the CLI); a policy on a random Lord Howe calendar (a
 * 30-minute DST shift, overnight shifts) with every target kind from `exportSqlScript` and
 * `policyTargetsSql`. CI runs 20 000 starts per engine and policy, a local run 2 000.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  SlaClockError,
  definePolicy,
  exportSqlScript,
  getPolicy,
  policyTargetRows,
  policyTargetsSql,
  targetDeadlineSql,
  type IndexExport,
  type Metric,
  type Policy,
  type SqlDialect,
} from "../src/index";
import { prng } from "../bench/workload";
import { cli } from "./support/cli";
import { DROP_EXPORT_TABLES, duckdb, pglite, randomLordHoweCalendar, type Engine } from "./support/warehouse";
import { tempDir } from "./support/temp-dir";

const STARTS = process.env.CI === "true" ? 20_000 : 2_000;
const DAY = 86_400_000;
const METRICS: readonly Metric[] = ["response", "resolution", "nextReply", "periodicUpdate"];

/** Every target kind, with calendar durations that clamp at month ends and cross DST changes. */
function lordHowePolicy(): Policy {
  return definePolicy({
    id: "lord-howe-all-kinds",
    name: "Every target kind on a random Lord Howe calendar",
    calendar: randomLordHoweCalendar(1804),
    priorities: [
      {
        id: "A",
        label: "A",
        targets: {
          response: { kind: "business", duration: "PT2H30M" },
          resolution: { kind: "endOfBusinessDay" },
          nextReply: { kind: "endOfBusinessWeek" },
          periodicUpdate: { kind: "calendar", duration: { months: 1 } },
        },
      },
      {
        id: "B",
        label: "B",
        targets: {
          response: { kind: "calendar", duration: { days: 1 } },
          resolution: { kind: "calendar", duration: { months: 1, days: 2, hours: 5 } },
          nextReply: { kind: "window", earliest: { days: 1 }, latest: { months: 3 } },
          periodicUpdate: { kind: "calendar", duration: { weeks: 1, minutes: 30 } },
        },
      },
      {
        id: "C",
        label: "C",
        targets: {
          response: { kind: "calendar", duration: "PT30M" },
          nextReply: { kind: "business", duration: 0 },
          resolution: { kind: "calendar", duration: { hours: 26 } },
          periodicUpdate: { kind: "calendar", duration: { years: 1 } },
        },
      },
    ],
  });
}

interface Start {
  readonly t: number;
  readonly priority: string;
  readonly metric: Metric;
}

/** Seeded starts that reach every edge of the tables the deadline SQL reads. */
function starts(policy: Policy, ex: IndexExport, count: number, seed: number): Start[] {
  const random = prng(seed);
  const pick = <T>(xs: ArrayLike<T>): T => xs[Math.floor(random() * xs.length)] as T;
  const { fromMs, toMs } = ex.identity;
  const [, , , close] = ex.closes.data as [Float64Array, Float64Array, Float64Array, Float64Array];
  const [, startMs, endMs] = ex.intervals.data as [Float64Array, Float64Array, Float64Array];
  // Instants where the offset changes, and wall pieces on the 28th–31st of a month.
  const [, offStart] = ex.offsets.data as [Float64Array, Float64Array];
  const transitions = Array.from(offStart).filter(
    (_, r) => r > 0 && ex.offsets.data[3]![r - 1] !== ex.offsets.data[3]![r],
  );
  const [, wallFrom, wallTo, wallOffset, , dayOfMonth] = ex.walls.data as Float64Array[];
  const monthEnds = Array.from({ length: ex.walls.rows }, (_, r) => r).filter((r) => dayOfMonth![r]! >= 28);
  const instant = (): number => {
    const r = random();
    if (r < 0.3) return fromMs + Math.floor(random() * (toMs - fromMs));
    if (r < 0.45) return pick(close) + pick([-1, 0, 0, 1]);
    if (r < 0.6) return pick(random() < 0.5 ? startMs : endMs) + pick([-1, 0, 1]);
    if (r < 0.78) {
      // At a DST change (an overlap's second pass included), or a day, a week, about a month or a
      // year before one, give or take an hour or two.
      if (random() < 0.5) return pick(transitions) + Math.floor((random() - 0.5) * 2 * 3_600_000);
      const before = pick([DAY, 7 * DAY, 28 * DAY, 29 * DAY, 30 * DAY, 31 * DAY, 92 * DAY, 365 * DAY]);
      return pick(transitions) - before + Math.floor((random() - 0.5) * 3 * 3_600_000);
    }
    if (r < 0.93) {
      const w = pick(monthEnds);
      return wallFrom![w]! + Math.floor(random() * (wallTo![w]! - wallFrom![w]!)) - wallOffset![w]!;
    }
    if (r < 0.95) return fromMs - 1 - Math.floor(random() * 30 * DAY);
    if (r < 0.97) return toMs + Math.floor(random() * 30 * DAY);
    return pick([fromMs, toMs - 1, toMs]);
  };
  return Array.from({ length: count }, () => ({
    t: instant(),
    priority: String(pick(policy.priorities).id),
    metric: pick(METRICS),
  }));
}

/** The library's deadline where the SQL must give it: start in range, deadline not after the end. */
function expected(policy: Policy, ex: IndexExport, s: Start): number | null {
  const { fromMs, toMs } = ex.identity;
  if (!(s.t >= fromMs && s.t < toMs)) return null;
  try {
    const due = policy.deadline(s.t, { priority: s.priority, metric: s.metric })?.getTime() ?? null;
    return due !== null && due <= toMs ? due : null;
  } catch {
    return null; // past the supported range, or no open time: the library has no answer either
  }
}

const dir = tempDir("sla-warehouse-targets-");

const CASES: readonly {
  name: string;
  policy: () => Policy;
  from: string;
  to: string;
  seed: number;
  viaCli: boolean;
}[] = [
  {
    name: "softone-se (script from sla-clock export)",
    policy: () => getPolicy("softone-se"),
    from: "2023-01-01T00:00Z",
    to: "2029-01-01T00:00Z",
    seed: 180,
    viaCli: true,
  },
  // Not on UTC midnights: the first and last UTC days are partly outside the range.
  {
    name: "every kind on random Lord Howe",
    policy: lordHowePolicy,
    from: "2020-03-15T07:45:00.5Z",
    to: "2029-10-02T19:00Z",
    seed: 181,
    viaCli: false,
  },
];

const ENGINES: readonly [SqlDialect, () => Promise<Engine>][] = [
  ["duckdb", duckdb],
  ["postgres", pglite],
];

describe.each(ENGINES)("target deadline SQL on %s", (dialect, open) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await open();
  });
  afterAll(() => engine.close());

  it.each(CASES)(
    `equals policy.deadline on ${STARTS} starts: $name`,
    { timeout: 600_000 },
    async ({ policy: make, from, to, seed, viaCli }) => {
      const policy = make();
      const ex = policy.calendar.exportIndex(from, to, { generatedAt: "2026-01-01T00:00Z" });
      await engine.exec(`${DROP_EXPORT_TABLES} DROP TABLE IF EXISTS tickets;`);
      if (viaCli) {
        const run = await cli([
          "export",
          policy.id,
          "--from",
          from,
          "--to",
          to,
          "--format",
          "sql",
          "--dialect",
          dialect,
        ]);
        expect(run.code).toBe(0);
        await engine.exec(run.out);
      } else {
        await engine.exec(`${exportSqlScript(ex, dialect)}\n${policyTargetsSql(dialect, policy)}`);
      }
      const text = dialect === "duckdb" ? "VARCHAR" : "TEXT";
      await engine.exec(`CREATE TABLE tickets (k BIGINT, t_ms BIGINT, priority ${text}, metric ${text});`);
      const sample = starts(policy, ex, STARTS, seed);
      const csv = sample.map((s, k) => `${k},${s.t},${s.priority},${s.metric}`).join("\n") + "\n";
      writeFileSync(join(dir, `${dialect}-${seed}.csv`), csv);
      await engine.loadCsv("tickets", join(dir, `${dialect}-${seed}.csv`), csv);

      const sql = targetDeadlineSql(
        dialect,
        "(SELECT t.k, t.t_ms, g.kind, g.d_ms, g.months, g.days FROM tickets t JOIN sla_policy_target g ON g.priority = t.priority AND g.metric = t.metric)",
      );
      const got = new Array<number | null>(STARTS).fill(Number.NaN);
      for (const [k, v] of await engine.rows(sql)) got[k] = v;
      const want = sample.map((s) => expected(policy, ex, s));
      const wrong: string[] = [];
      for (let k = 0; k < STARTS && wrong.length < 5; k++) {
        if (got[k] !== want[k]) {
          const s = sample[k]!;
          const target = JSON.stringify(policy.target(s.priority, s.metric));
          wrong.push(
            `#${k} ${new Date(s.t).toISOString()} ${s.priority} ${s.metric} ${target}: sql ${got[k]}, library ${want[k]}`,
          );
        }
      }
      expect(wrong).toEqual([]);
      // Every kind was asked and answered, and the range's edges gave NULL.
      const answered = new Map<string, number>();
      sample.forEach((s, k) => {
        const kind = policy.target(s.priority, s.metric).kind;
        if (want[k] !== null) answered.set(kind, (answered.get(kind) ?? 0) + 1);
      });
      const kinds = new Set(policy.priorities.flatMap((p) => METRICS.map((m) => p.targets[m].kind)));
      kinds.delete("none");
      for (const kind of kinds) expect(answered.get(kind) ?? 0, kind).toBeGreaterThan(STARTS / 100);
      expect(want.filter((v) => v === null).length).toBeGreaterThan(STARTS / 50);
    },
  );
});

describe("policyTargetRows", () => {
  it("writes each priority under the key the library matches tickets by: a string id trimmed", () => {
    const policy = definePolicy({
      id: "padded",
      name: "Padded priority ids",
      calendar: { zone: "UTC", weekly: { mon: [["09:00", "17:00"]] } },
      priorities: [
        { id: " P1 ", label: "Urgent", targets: { response: { kind: "business", duration: "PT1H" } } },
        { id: 2, label: "Normal", targets: { response: { kind: "business", duration: "PT2H" } } },
      ],
    });
    // The library finds " P1 " by "P1": a ticket with priority "P1" must join its row.
    expect(policy.target("P1", "response")).toEqual({ kind: "business", duration: "PT1H" });
    const rows = policyTargetRows(policy);
    expect([...new Set(rows.map((r) => r.priority))]).toEqual(["P1", "2"]);
    expect(policyTargetsSql("postgres", policy)).toContain("('P1', 'response', 'business', 3600000, 0, 0)");
  });

  it("takes only a Policy: a look-alike object is INVALID_ARGUMENT at `policy`, never a raw error or a bad row", () => {
    const lookAlikes: unknown[] = [
      { priorities: [{ id: 1, targets: { response: { kind: "bogus" } } }] },
      { priorities: [{ id: 1, targets: { response: "x" } }] },
      { priorities: [{ id: 1, targets: { response: null } }] },
      { priorities: [{ id: 1, targets: { response: { kind: "business", duration: -5 } } }] },
      { priorities: [{ id: { toString: null }, targets: {} }] },
      { priorities: [] },
      { ...getPolicy("softone-se"), priorities: [...getPolicy("softone-se").priorities, { id: 9, targets: {} }] },
    ];
    const failure = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof SlaClockError ? { code: e.code, path: e.details.path } : e;
      }
      return "no error";
    };
    for (const value of lookAlikes) {
      const policy = value as Policy;
      expect(
        failure(() => policyTargetRows(policy)),
        JSON.stringify(value),
      ).toEqual({
        code: "INVALID_ARGUMENT",
        path: "policy",
      });
      expect(failure(() => policyTargetsSql("duckdb", policy))).toEqual({ code: "INVALID_ARGUMENT", path: "policy" });
    }
    expect(policyTargetRows(getPolicy("softone-se"))).toHaveLength(20);
  });
});
