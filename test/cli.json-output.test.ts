// Typed JSON and NDJSON output, checked against docs/evaluate-row.schema.json with an independent
// validator (ajv), on the fixture exports and on a file with every kind of row error.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { cli } from "./support/cli";

const root = fileURLToPath(new URL("..", import.meta.url));
const fixtures = join(root, "test/fixtures/exports");
const schema = JSON.parse(readFileSync(join(root, "docs/evaluate-row.schema.json"), "utf8")) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const NOW = "2026-04-20T00:00Z";

const RUNS: [string, string[]][] = [
  ["zendesk.csv", ["--priority-map", "Urgent=1,High=2,Normal=3"]],
  ["freshdesk.csv", ["--priority-map", "Urgent=1,High=2,Medium=3"]],
  ["zone-column.csv", []],
  ["priority-labels.csv", []],
  ["epoch-s.csv", []], // every row an error
];

describe("typed JSON and NDJSON output", () => {
  it.each(RUNS)("every row of %s validates against the schema, in JSON and NDJSON alike", async (fixture, flags) => {
    const args = ["evaluate", "softone-se", join(fixtures, fixture), "--now", NOW, ...flags];
    const json = await cli([...args, "--format", "json"]);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.out) as { rows: unknown[]; summary: unknown };
    const ndjson = (await cli([...args, "--format", "ndjson"])).out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as unknown);
    expect(ndjson).toEqual(doc.rows);
    for (const row of doc.rows) expect(validate(row) ? [] : validate.errors).toEqual([]);
  });

  it("rounds remaining hours as the CSV does: 3.005 h is 3.01, 18 s overdue is -0.01, 1 ms overdue is 0", async () => {
    // P1: 2 business hours to respond from 09:00; P2: 4 h. Replies 18 s after the P1 deadline, 18 s
    // before the hour (P2: 3.005 h left), and 1 ms after the P1 deadline.
    const text = [
      "id,priority,created_at,responded_at",
      "A,1,2026-04-14T09:00:00+02:00,2026-04-14T11:00:18+02:00",
      "B,2,2026-04-14T09:00:00+02:00,2026-04-14T09:59:42+02:00",
      "G,1,2026-04-14T09:00:00+02:00,2026-04-14T11:00:00.001+02:00",
      "",
    ].join("\n");
    const args = ["evaluate", "softone-se", "-", "--now", "2026-04-14T12:00+02:00"];
    const csv = (await cli(args, { stdin: text })).out.trim().split("\n").slice(1);
    const column =
      "line,id,priority,error,response_status,response_deadline,response_remaining_hours".split(",").length - 1;
    expect(csv.map((line) => line.split(",")[column])).toEqual(["-0.01", "3.01", "0.00"]);
    const json = JSON.parse((await cli([...args, "--format", "json"], { stdin: text })).out) as {
      rows: { response_remaining_hours: number }[];
    };
    expect(json.rows.map((r) => r.response_remaining_hours)).toEqual([-0.01, 3.01, 0]);
  });

  // The optional columns: a policy per row, and the cycle metrics of a policy with next-reply targets.
  it.each([
    ["softone-se", "per-row-policy.csv"],
    [join(fixtures, "reply-policy.json"), "replies.csv"],
    [join(fixtures, "reply-policy.json"), "events-column.csv"],
  ])("on %s, every row of %s validates, with the optional columns", async (policy, fixture) => {
    const r = await cli(["evaluate", policy, join(fixtures, fixture), "--now", NOW, "--format", "ndjson"]);
    const rows = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const row of rows) expect(validate(row) ? [] : validate.errors).toEqual([]);
    expect(Object.keys(rows[0]!)).toContain(fixture === "per-row-policy.csv" ? "policy" : "next_reply_cycles");
  });

  it("types the cycle metrics' columns: counts as integers, idle as a status", async () => {
    const r = await cli([
      "evaluate",
      join(fixtures, "reply-policy.json"),
      join(fixtures, "replies.csv"),
      "--now",
      NOW,
      "--format",
      "json",
    ]);
    const rows = (JSON.parse(r.out) as { rows: Record<string, unknown>[] }).rows;
    expect(rows[0]).toMatchObject({ next_reply_cycles: 2, next_reply_breaches: 1, next_reply_at_risk: false });
    expect(rows[1]).toMatchObject({ next_reply_status: "idle", next_reply_deadline: null, next_reply_cycles: 0 });
    // A failed row: every metric column null.
    expect(rows[3]).toMatchObject({ next_reply_status: null, next_reply_cycles: null, periodic_update_breaches: null });
    // A cycle metric's columns come together: a status without its counts is not a valid row.
    const partial = { ...rows[0]! };
    delete partial.next_reply_cycles;
    expect(validate(partial)).toBe(false);
  });

  it("writes numbers as numbers, booleans as booleans and absent values as null", async () => {
    const r = await cli([
      "evaluate",
      "softone-se",
      join(fixtures, "freshdesk.csv"),
      "--now",
      NOW,
      "--format",
      "ndjson",
      "--priority-map",
      "Urgent=1,High=2,Medium=3",
    ]);
    const [first] = r.out.split("\n").map((l) => (l === "" ? undefined : (JSON.parse(l) as unknown)));
    // Ticket 1: created 10:00, answered 10:30 (deadline 12:00: 1.5 h left), solved 15:00 (end of day 16:00).
    expect(first).toEqual({
      line: 2,
      id: "1",
      priority: "1",
      error: null,
      response_status: "met",
      response_deadline: "2026-04-14T12:00:00+02:00",
      response_remaining_hours: 1.5,
      response_breached_at: null,
      response_at_risk: false,
      resolution_status: "met",
      resolution_deadline: "2026-04-14T16:00:00+02:00",
      resolution_remaining_hours: 1,
      resolution_breached_at: null,
      resolution_at_risk: false,
    });
    const zones = await cli([
      "evaluate",
      "softone-se",
      join(fixtures, "zone-column.csv"),
      "--now",
      NOW,
      "--format",
      "json",
    ]);
    const failed = (JSON.parse(zones.out) as { rows: Record<string, unknown>[] }).rows[3];
    expect(failed).toMatchObject({ line: 5, id: "Z-4", response_status: null, response_deadline: null });
    expect(failed!.response_at_risk).toBeNull();
    expect(failed!.resolution_remaining_hours).toBeNull();
    expect(typeof failed!.error).toBe("string");
  });

  it("the schema rejects the old all-strings rows (the validator is not a rubber stamp)", () => {
    const old = {
      line: 2,
      id: "1",
      priority: "1",
      error: "",
      response_status: "met",
      response_deadline: "2026-04-14T12:00:00+02:00",
      response_remaining_hours: "1.50",
      response_breached_at: "",
      response_at_risk: "",
      resolution_status: "met",
      resolution_deadline: "2026-04-14T16:00:00+02:00",
      resolution_remaining_hours: "1.00",
      resolution_breached_at: "",
      resolution_at_risk: "",
    };
    expect(validate(old)).toBe(false);
  });
});
