/**
 * The CLI's cost per row and its memory on large exports (issues 13 and 15, "Speed"). Not timed
 * against absolute thresholds: `evaluate` is compared with a plain csv-parse → csv-stringify pass
 * over the same file in the same process, and the report's memory is what its builder holds per
 * row of timeline. The figures themselves (1 M rows) are bench/cli.ts's, in bench/RESULTS.md.
 */
import { createReadStream, createWriteStream, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import v8 from "node:v8";
import vm from "node:vm";
import { parse } from "csv-parse";
import { stringify } from "csv-stringify";
import { describe, expect, it } from "vitest";
import { cycleMetricsOf, openInput, streamExport } from "../src/cli/commands/evaluate";
import { toJsonRow, toOutputValues, type OutputLayout } from "../src/cli/io/write-rows";
import { loadPolicy, rowPolicies } from "../src/cli/load";
import { runCli } from "../src/cli/program";
import { ReportBuilder } from "../src/cli/report/aggregate";
import type { RowOutcome } from "../src/cli/run";
import { SummaryByPolicy } from "../src/cli/summary";
import { getCalendar, getPolicy } from "../src/index";
import { tempDir } from "./support/temp-dir";

const dir = tempDir("sla-clock-throughput-");
const cal = getCalendar("softone-se");
const HOUR = 3_600_000;
const NOW = "2027-03-01T00:00:00Z";

class Sink extends Writable {
  override _write(_chunk: unknown, _enc: string, done: () => void): void {
    done();
  }
}

/** mulberry32, seeded: the same file every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * An export as help desks write it: instants to the second with the Stockholm offset, a tenth of
 * the rows paused once, a twelfth with a priority change, most responded and resolved.
 */
function exportText(rows: number, seed: number): string {
  const next = random(seed);
  const at = (ms: number) => cal.format(ms - (ms % 1000));
  const lines = ["id,priority,created_at,responded_at,resolved_at,pauses,priority_changes"];
  for (let i = 0; i < rows; i++) {
    const created = Date.UTC(2025, 0, 1) + Math.floor(next() * 600 * 24 * HOUR);
    const priority = 1 + Math.floor(next() * 5);
    let t = created;
    let pauses = "";
    if (i % 10 === 0) {
      const start = (t += Math.floor(next() * 4 * HOUR));
      pauses = `${at(start)}/${at((t += HOUR + Math.floor(next() * 30 * HOUR)))}`;
    }
    const change = i % 12 === 0 ? `${at((t += Math.floor(next() * HOUR)))}=${1 + ((priority + 1) % 5)}` : "";
    const responded = next() < 0.9 ? at((t += Math.floor(next() * 20 * HOUR))) : "";
    const resolved = responded !== "" && next() < 0.8 ? at((t += Math.floor(next() * 200 * HOUR))) : "";
    lines.push(`T-${i + 1},${priority},${at(created)},${responded},${resolved},${pauses},${change}`);
  }
  return `${lines.join("\n")}\n`;
}

/** CPU time (user and system, in ms) of one run of `fn`: not wall time, so that other work on a shared machine does not stretch one side only. */
async function cpuMs(fn: () => Promise<unknown>): Promise<number> {
  const started = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

describe("evaluate on a large export", () => {
  it("costs at most 4× the CPU time of a plain csv-parse → csv-stringify pass over the same file", async () => {
    // 4.3× before rows were read a chunk at a time and evaluations stayed in the batch's columns; 2× after.
    const rows = process.env.CI === "true" ? 60_000 : 20_000;
    const file = join(dir, "tickets.csv");
    writeFileSync(file, exportText(rows, 11));
    const plain = () =>
      pipeline(createReadStream(file), parse(), stringify(), createWriteStream(join(dir, "plain.csv")));
    const out = join(dir, "evaluated.csv");
    const evaluate = async () => {
      const args = ["node", "sla-clock", "evaluate", "softone-se", file, "--now", NOW, "--out", out];
      expect(await runCli(args, { stdin: Readable.from([]), stdout: new Sink(), stderr: new Sink() })).toBe(0);
    };
    // Warmed up, then the least of three runs of each, taken in turn.
    await plain();
    await evaluate();
    let plainMs = Infinity;
    let evaluateMs = Infinity;
    for (let k = 0; k < 3; k++) {
      plainMs = Math.min(plainMs, await cpuMs(plain));
      evaluateMs = Math.min(evaluateMs, await cpuMs(evaluate));
    }
    const written = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(written).toHaveLength(rows + 1);
    expect(written.filter((l) => l.includes(",,,running,") || l.includes("error")).length).toBeLessThan(rows);
    console.log(
      `${rows} rows, CPU time: csv-parse → csv-stringify ${plainMs.toFixed(0)} ms, evaluate ${evaluateMs.toFixed(0)} ms (${(evaluateMs / plainMs).toFixed(2)}×)`,
    );
    // Measured 2.1–2.5× on an idle machine and up to 3.55× in CI under Pacific/Kiritimati (the
    // pre-batching CLI: 4.3×); 4× keeps the regression guard without failing on a loaded runner.
    expect(evaluateMs).toBeLessThan(4 * plainMs);
  }, 120_000);
});

/** A garbage collection on demand (the test runner's process is not started with --expose-gc). */
function collector(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}

describe("report on an export of long-open breaches", () => {
  it("explains each breach up to the breach: a few timeline rows, not a year of days, in little memory", async () => {
    // 300 priority-1 tickets opened in January 2026 and never answered, evaluated in 2027: each
    // breaches both targets and is explained. Traced to `now`, each timeline was some 290 business
    // days a metric (600 breaches: 150 000 rows, most of a 1 M-row report's time). Cut at the
    // breach, it is the stretches up to the breach, the breach, and one row of the time after.
    const lines = ["id,priority,created_at,responded_at,resolved_at,pauses,priority_changes"];
    for (let i = 0; i < 300; i++) lines.push(`L-${i},1,${cal.format(Date.UTC(2026, 0, 5, 8) + i * 60_000)},,,,`);
    const file = join(dir, "long-open.csv");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const policy = getPolicy("softone-se");
    const now = Date.parse(NOW);
    const gc = collector();
    const held = () => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const before = held();
    const builder = new ReportBuilder(policy, policy.calendar.zone);
    await streamExport(policy, openInput(file, Readable.from([])), now, new Sink(), (rows) => {
      for (const row of rows) builder.add(row);
    });
    const grown = held() - before;
    const data = builder.result(now);
    expect(data.breaches).toHaveLength(600);
    let timelineRows = 0;
    let after = 0;
    for (let i = 0; i < data.breaches.length; i++) {
      const html = data.breaches.explanation(i)?.toString() ?? "";
      const rows = (html.match(/<tr>/g)?.length ?? 1) - 1; // less the header
      expect(rows).toBeGreaterThanOrEqual(3);
      expect(rows).toBeLessThanOrEqual(6);
      timelineRows += rows;
      if (html.includes("counted after the breach until Mon 2027-03-01 01:00 (now), not listed day by day")) after++;
    }
    builder.dispose();
    expect(after).toBe(600);
    console.log(`${timelineRows} timeline rows of 600 breaches; ${(grown / 1e6).toFixed(1)} MB held`);
    expect(grown).toBeLessThan(10e6);
  }, 180_000);
});

describe("the report's open queue", () => {
  it("holds the 500 soonest open metrics of thousands, exactly as sorting them all would (ties by id)", async () => {
    // 6000 tickets in shuffled id order, opened in the day before now: every other one a P4 created
    // at the same instant (3000 metrics due at the same instant, the soonest: a tie across the
    // 500th place, decided by id, that many trims see), the rest P5 created on the hours after it,
    // a third answered, one in seven still paused (no deadline: last).
    const next = random(15);
    const lines = ["id,priority,created_at,responded_at,resolved_at,pauses,priority_changes"];
    const start = Date.parse(NOW) - 24 * HOUR;
    for (let i = 0; i < 6000; i++) {
      const same = i % 2 === 0;
      const created = same ? start : start + Math.floor(1 + next() * 22) * HOUR;
      const responded = !same && next() < 0.33 ? cal.format(created + 30 * 60_000) : "";
      const paused = !same && i % 7 === 0 ? `${cal.format(created + 60_000)}/` : "";
      lines.push(`Q-${Math.floor(next() * 1e6)}-${i},${same ? 4 : 5},${cal.format(created)},${responded},,${paused},`);
    }
    const file = join(dir, "open-queue.csv");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const policy = getPolicy("softone-se");
    const now = Date.parse(NOW);
    const builder = new ReportBuilder(policy, policy.calendar.zone);
    const all: { id: string; metric: string; deadline: number | null }[] = [];
    await streamExport(policy, openInput(file, Readable.from([])), now, new Sink(), (rows) => {
      for (const row of rows) {
        builder.add(row);
        // The same rows read from their evaluation objects, every open metric kept.
        for (const metric of ["response", "resolution"] as const) {
          const m = row.evaluation?.[metric];
          if (m?.status === "running" || m?.status === "paused")
            all.push({ id: row.id, metric, deadline: m.deadline?.getTime() ?? null });
        }
      }
    });
    const data = builder.result(now);
    builder.dispose();
    expect(data.openTotal).toBe(all.length);
    expect(all.length).toBeGreaterThan(4000);
    const key = (o: { deadline: number | null }) => o.deadline ?? Number.POSITIVE_INFINITY;
    const soonest = [...all].sort((a, b) => key(a) - key(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, 500);
    expect(data.open.map((o) => ({ id: o.id, metric: o.metric, deadline: o.deadline }))).toEqual(soonest);
    // The tie crosses the 500th place: which of them are listed is decided by id.
    expect(all.filter((o) => key(o) === key(soonest[499]!)).length).toBeGreaterThan(1000);
  });
});

describe("the rows read from a batch's columns", () => {
  const fixtures = join(import.meta.dirname, "fixtures", "exports");
  /** The same outcome without its batch: the writer and the summary read its evaluation object. */
  const asObjects = (row: RowOutcome): RowOutcome => {
    const { line, id, policy, judgedBy, priority, evaluation, ticket, error } = row;
    return {
      line,
      id,
      policy,
      priority,
      ...(judgedBy === undefined ? {} : { judgedBy }),
      ...(evaluation === undefined ? {} : { evaluation, ticket }),
      ...(error === undefined ? {} : { error }),
    };
  };

  it.each([
    ["per-row-policy.csv", "softone-se"],
    ["replies.csv", join(fixtures, "reply-policy.json")],
    ["events-column.csv", join(fixtures, "reply-policy.json")],
  ])(
    "%s: are written and summarised as from their evaluation objects, also in batches mixing policies",
    async (file, policyArg) => {
      const policies = rowPolicies(loadPolicy(policyArg));
      const layout: OutputLayout = { policy: true, cycleMetrics: cycleMetricsOf(policies.possible()) };
      const rows: RowOutcome[] = [];
      await streamExport(
        policies,
        openInput(join(fixtures, file), Readable.from([])),
        Date.parse("2026-04-20T00:00Z"),
        new Sink(),
        (batch) => void rows.push(...batch),
      );
      const evaluated = rows.filter((r) => r.error === undefined);
      expect(evaluated.length).toBeGreaterThan(0);
      // Every evaluated row, of whichever policy, is read from columns.
      for (const row of evaluated) expect(row.batch).toBeDefined();
      const calendar = policies.fallback.calendar;
      const columns = new SummaryByPolicy(policies.fallback);
      const objects = new SummaryByPolicy(policies.fallback);
      for (const row of rows) {
        const plain = asObjects(row);
        expect(toOutputValues(row, calendar, layout)).toEqual(toOutputValues(plain, calendar, layout));
        expect(toJsonRow(row, calendar, layout)).toEqual(toJsonRow(plain, calendar, layout));
        if (row.evaluation !== undefined) expect(row.priority).toBe(String(row.evaluation.priority));
        columns.add(row);
        objects.add(plain);
      }
      expect(columns.result(true)).toEqual(objects.result(true));
    },
  );
});
