/**
 * The CSV writer writes an evaluated row straight from its batch's columns (issue 13, speed):
 * that text must be what it wrote before, `csvLine(toOutputValues(row))`, for every row: random
 * tickets (breached, met, running, paused, failed), ids and priorities with quotes, separators and
 * formula starts, formula escaping on and off, a `policy` column, several policies, and a policy
 * with cycle-metric columns.
 */
import { PassThrough } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadPolicy, rowPolicies } from "../src/cli/load";
import type { InputRecord } from "../src/cli/io/read-records";
import { csvLine, outputColumns, RowWriter, toOutputValues, type OutputLayout } from "../src/cli/io/write-rows";
import { evaluateRecords, type RowOutcome } from "../src/cli/run";
import { getPolicy } from "../src/index";

const replyPolicy = loadPolicy(new URL("./fixtures/exports/reply-policy.json", import.meta.url).pathname);
const NOW = Date.parse("2026-06-01T00:00:00Z");

const text = fc.oneof(
  fc.constantFrom("T-1", "=cmd", "+1", "-2", "@x", "a,b", 'say "hi"', "line\nbreak", "＝1", " padded "),
  fc.string({ maxLength: 6 }),
);
const START = Date.parse("2026-01-01T00:00:00Z");
/** An instant `minutes` after the start (whole minutes, as an export writes them). */
const at = (minutes: number) => new Date(START + minutes * 60_000).toISOString().slice(0, 16) + "Z";
const DAY = 24 * 60;
const later = fc.integer({ min: 1, max: 60 * DAY });
const record = fc
  .record({
    id: text,
    priority: fc.constantFrom("1", "2", "3", "4", "5", "P2", "1", "9"),
    policy: fc.constantFrom("", "", "softone-se", "moch-standard", "nope"),
    created: fc.integer({ min: 0, max: 120 * DAY }),
    responded: fc.option(later, { nil: undefined }),
    resolved: fc.option(later, { nil: undefined }),
    pause: fc.option(fc.tuple(later, fc.option(later, { nil: undefined })), { nil: undefined }),
    replies: fc.array(later, { maxLength: 3 }),
  })
  .map((r) => ({
    id: r.id,
    priority: r.priority,
    policy: r.policy,
    created_at: at(r.created),
    responded_at: r.responded === undefined ? "" : at(r.created + r.responded),
    resolved_at: r.resolved === undefined ? "" : at(r.created + (r.responded ?? 0) + r.resolved),
    pauses:
      r.pause === undefined
        ? ""
        : `${at(r.created + r.pause[0])}/${r.pause[1] === undefined ? "" : at(r.created + r.pause[0] + r.pause[1])}`,
    customer_replies: r.replies.map((m) => at(r.created + m)).join(";"),
  }));

async function outcomes(policy: ReturnType<typeof getPolicy>, records: Record<string, string>[], perRow: boolean) {
  const rows: RowOutcome[] = [];
  const inputs: InputRecord[] = records.map((r, i) => {
    const { policy: named, ...rest } = r;
    return { line: i + 2, record: perRow ? { ...rest, policy: named! } : rest };
  });
  async function* batches() {
    yield inputs;
  }
  await evaluateRecords(rowPolicies(policy), batches(), NOW, (batch) => void rows.push(...batch));
  return rows;
}

async function written(
  rows: RowOutcome[],
  policy: ReturnType<typeof getPolicy>,
  layout: OutputLayout,
  escapeFormulas: boolean,
) {
  const out = new PassThrough();
  let text = "";
  out.setEncoding("utf8").on("data", (s: string) => (text += s));
  const writer = new RowWriter(out, "csv", policy.calendar, { escapeFormulas, terminal: false, layout });
  await writer.write(rows);
  await writer.end({});
  writer.detach();
  return text;
}

describe("the CSV writer's rows from batch columns", () => {
  for (const [name, policy, cycles] of [
    ["softone-se", getPolicy("softone-se"), []],
    ["a policy with next-reply targets", replyPolicy, ["nextReply"]],
  ] as const)
    for (const perRow of [false, true])
      it(`are csvLine(toOutputValues(row)): ${name}${perRow ? ", a policy column" : ""}`, async () => {
        let fromColumns = 0;
        let failed = 0;
        await fc.assert(
          fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 40 }), fc.boolean(), async (records, escape) => {
            const rows = await outcomes(policy, records, perRow);
            for (const r of rows)
              if (r.batch === undefined) failed++;
              else fromColumns++;
            const layout: OutputLayout = { policy: perRow, cycleMetrics: [...cycles] };
            const expected =
              csvLine(outputColumns(layout), false) +
              rows.map((r) => csvLine(toOutputValues(r, policy.calendar, layout), escape)).join("");
            expect(await written(rows, policy, layout, escape)).toBe(expected);
          }),
          { numRuns: 150 },
        );
        // Both kinds of row were written: from columns and failed (from their objects).
        expect(fromColumns).toBeGreaterThan(200);
        expect(failed).toBeGreaterThan(100);
      });
});
