/**
 * The analyst example (examples/warehouse-analyst.ts): the response metric computed by SQL in DuckDB
 * over the export's tables equals `sla-clock evaluate` on examples/data/tickets.csv, row for row —
 * status, remaining business hours (and so elapsed) — for every ticket the CLI evaluates, with
 * pauses and priority changes; and so do the counts per priority.
 */
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { analyse } from "../examples/warehouse-analyst";
import { cli } from "./support/cli";

const CSV = new URL("../examples/data/tickets.csv", import.meta.url).pathname;
const NOW = "2026-12-21T12:00:00+01:00";
/** Hours as the CLI writes them (docs/cli.md): to the hundredth, on the milliseconds, half away from zero. */
const hundredths = (ms: number) => ((Math.sign(ms) * Math.round(Math.abs(ms) / 36_000)) / 100).toFixed(2);

describe("the warehouse analyst example", () => {
  it("gives the CLI's response status and remaining hours for every ticket, and its counts per priority", async () => {
    const { code, out } = await cli(["evaluate", "softone-se", CSV, "--now", NOW]);
    expect(code).toBe(0); // the sample has a few rows with bad data on purpose: written, counted on stderr
    const cliRows = (parse(out, { columns: true }) as Record<string, string>[]).filter((r) => r.error === "");
    expect(cliRows.length).toBeGreaterThan(2900);
    const { tickets } = await analyse(CSV, NOW);
    const sql = new Map(tickets.map((t) => [String(t.id), t]));
    const mismatches = cliRows.flatMap((c) => {
      const s = sql.get(c.id as string);
      const got = s && { status: s.status, remaining: hundredths(Number(s.remaining_ms)), priority: s.priority };
      const want = { status: c.response_status, remaining: c.response_remaining_hours, priority: c.priority };
      return JSON.stringify(got) === JSON.stringify(want)
        ? []
        : [`${c.id}: sql ${JSON.stringify(got)}, cli ${JSON.stringify(want)}`];
    });
    expect(mismatches.slice(0, 10)).toEqual([]);
    // The sample (267 rows with priority changes, hundreds with pauses) has met, breached and
    // running tickets at this instant; none is paused at it.
    expect(new Set(cliRows.map((c) => c.response_status))).toEqual(new Set(["met", "breached", "running"]));
    // Counts per priority: the SQL's table over the same tickets equals the CLI's rows counted.
    const valid = new Set(cliRows.map((c) => c.id));
    const count = (rows: { priority: unknown; status: unknown }[]) => {
      const table: Record<string, Record<string, number>> = {};
      for (const r of rows) {
        const p = (table[String(r.priority)] ??= {});
        p[String(r.status)] = (p[String(r.status)] ?? 0) + 1;
      }
      return table;
    };
    expect(count(tickets.filter((t) => valid.has(String(t.id))) as never)).toEqual(
      count(cliRows.map((c) => ({ priority: c.priority, status: c.response_status }))),
    );
  });
});
