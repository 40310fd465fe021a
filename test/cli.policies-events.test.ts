// evaluate with a policy per row, the event columns (reply lists, reopens, a JSON events column)
// and the cycle metrics' output columns, on fixtures in test/fixtures/exports/.
//
// Hand-checked deadlines, per-row-policy.csv (Easter 2026: Good Friday 3 April to Easter Monday 6
// April; `sla-clock hours <calendar> --from 2026-04-01 --to 2026-04-08` shows the hours used):
// - S-1 softone-se P1, created Wed 2026-04-01 15:00 Stockholm: response 2 business hours → Wed
//   15–16 (1 h) + Thu 08–09 (1 h) → Thu 09:00; resolution end of business day → Wed 16:00.
// - M-1 moch-standard P1, created Wed 15:00 read in MOCH's zone (UTC; its calendar is open 09–17
//   UTC and closed Skærtorsdag to Anden påskedag): response 12 business hours → Wed 15–17 (2 h),
//   Tue 7 April 09–17 (8 h), Wed 8 April 09–11 (2 h) → 2026-04-08T11:00Z; resolution best effort.
// - T-1 "Trinax-Alert" (any case) P1, created Thu 2026-04-02 16:30 Stockholm: response 1 business
//   hour → Thu 16:30–17:00, then closed to Tuesday, 08:00–08:30 → Tue 2026-04-07 08:30.
// - D-1 no policy: the command's (softone-se) P2: response 4 business hours → Wed 15–16 (1 h),
//   Thu 08–11 (3 h) → Thu 11:00; resolution end of business week → Thu 12:00 (Skärtorsdagen is an
//   eve open 08–12, and Friday is a holiday).
// - X-1 names no known policy; T-2 has priority 5, which Trinax's table (1–4) lacks: error rows.
//
// reply-policy.json: Mon–Fri 09–17 Stockholm; priority 1 response 1 h, resolution 16 h, next reply
// 2 h, periodic update 4 h; priority 2 response 4 h, next reply 4 h. All business time. Monday
// 2026-04-13; --now 2026-04-20T00:00Z is Mon 02:00 Stockholm, before opening, so "now" counts the
// whole previous week: Tue–Fri are 4 × 8 = 32 business hours.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { cli } from "./support/cli";
import { tempDir } from "./support/temp-dir";

const fixtures = fileURLToPath(new URL("./fixtures/exports/", import.meta.url));
const replyPolicy = join(fixtures, "reply-policy.json");
const dir = tempDir("sla-clock-policies-events-");
const NOW = "2026-04-20T00:00Z";

type Row = Record<string, string>;
const rowsOf = (csv: string): Row[] => parse(csv, { columns: true }) as Row[];

async function evaluate(policy: string, file: string, ...flags: string[]) {
  const r = await cli(["evaluate", policy, file, "--now", NOW, ...flags]);
  return { ...r, rows: r.code === 2 ? [] : rowsOf(r.out) };
}

describe("a policy per row", () => {
  it("judges each row on the policy its policy cell names, the command's policy for an empty cell", async () => {
    const r = await evaluate("softone-se", join(fixtures, "per-row-policy.csv"));
    expect(r.code).toBe(0);
    expect(Object.keys(r.rows[0]!).slice(0, 5)).toEqual(["line", "id", "policy", "priority", "error"]);
    expect(r.rows.map((x) => [x.id, x.policy, x.response_deadline, x.resolution_deadline])).toEqual([
      ["S-1", "softone-se", "2026-04-02T09:00:00+02:00", "2026-04-01T16:00:00+02:00"],
      ["M-1", "moch-standard", "2026-04-08T11:00:00Z", ""],
      ["T-1", "trinax-alert", "2026-04-07T08:30:00+02:00", ""],
      ["D-1", "softone-se", "2026-04-02T11:00:00+02:00", "2026-04-02T12:00:00+02:00"],
      ["X-1", "acme", "", ""],
      ["T-2", "trinax-alert", "", ""],
    ]);
    expect(r.rows[1]!.resolution_status).toBe("none");
  });

  it("an unknown policy name is a row error listing the valid names; a priority is read in the row's own table", async () => {
    const r = await evaluate("softone-se", join(fixtures, "per-row-policy.csv"));
    expect(r.rows[4]!.error).toBe(
      'policy: "acme" is not a policy sla-clock knows; valid policies are softone-se, softone-fi, moch-standard, moch-extended, trinax-alert, trinax-attend, trinax-access, trinax-none (a built-in id, or the id of the command\'s policy)',
    );
    expect(r.rows[5]!.error).toContain(
      'priority: "5" is not a priority of the policy; valid priorities are 1, 2, 3, 4 ',
    );
    expect(r.rows).toHaveLength(6);
    expect(r.err).toContain("2 rows failed");
  });

  it("summarises per policy on stderr and in the JSON summary", async () => {
    const r = await evaluate("softone-se", join(fixtures, "per-row-policy.csv"));
    expect(r.err).toContain("policy softone-se (SoftOne Service & Kvalitet (Sverige)):");
    expect(r.err).toContain("policy moch-standard (MOCH Standard Supportservice):");
    expect(r.err).toContain("policy trinax-alert (Trinax Alert!):");
    expect(r.err).toContain("all policies: rows: 6, failed: 2 (1 naming no known policy)");
    const json = await cli([
      "evaluate",
      "softone-se",
      join(fixtures, "per-row-policy.csv"),
      "--now",
      NOW,
      "--format",
      "json",
    ]);
    const summary = (
      JSON.parse(json.out) as {
        summary: { rows: number; failed: number; policies: { policy: string; rows: number; failed: number }[] };
      }
    ).summary;
    expect(summary.rows).toBe(6);
    expect(summary.failed).toBe(2);
    expect(summary.policies.map((p) => [p.policy, p.rows, p.failed])).toEqual([
      ["softone-se", 2, 0],
      ["moch-standard", 1, 0],
      ["trinax-alert", 2, 1],
    ]);
  });

  it("a JSON spec's own id names it in the policy cell", async () => {
    const file = join(dir, "own-id.csv");
    writeFileSync(
      file,
      "id,policy,priority,created_at\nA-1,acme-replies,1,2026-04-13 09:00\nA-2,softone-se,1,2026-04-13 09:00\n",
    );
    const r = await evaluate(replyPolicy, file);
    // acme-replies P1: 1 business hour from 09:00 (open 09–17) → 10:00; softone-se P1: 2 business
    // hours from 09:00 (open 08–12) → 11:00.
    expect(r.rows.map((x) => [x.policy, x.response_deadline])).toEqual([
      ["acme-replies", "2026-04-13T10:00:00+02:00"],
      ["softone-se", "2026-04-13T11:00:00+02:00"],
    ]);
    // The command's policy has next-reply targets, so the columns are there: "none" for softone-se's row.
    expect(r.rows[1]!.next_reply_status).toBe("none");
  });

  it("a --priority-map entry a row's policy lacks fails only the rows that use it", async () => {
    const file = join(dir, "map.csv");
    writeFileSync(
      file,
      "id,policy,priority,created_at\nP-1,trinax-alert,Urgent,2026-04-02 16:30\nP-2,trinax-alert,P2,2026-04-02 16:30\nP-3,,Minor,2026-04-01 15:00\n",
    );
    // Minor=5 fits softone-se (the command's policy) but not Trinax's table of four.
    const r = await evaluate("softone-se", file, "--priority-map", "Urgent=1,Minor=5");
    expect(r.rows.map((x) => [x.policy, x.priority, x.error])).toEqual([
      ["trinax-alert", "1", ""],
      ["trinax-alert", "2", ""],
      ["softone-se", "5", ""],
    ]);
    const t = join(dir, "map-trinax.csv");
    writeFileSync(
      t,
      "id,policy,priority,created_at\nP-4,trinax-alert,Minor,2026-04-02 16:30\nP-5,trinax-alert,Urgent,2026-04-02 16:30\n",
    );
    const m = await evaluate("softone-se", t, "--priority-map", "Urgent=1,Minor=5");
    expect(m.rows[0]!.error).toBe(
      'priority: "Minor" is priority "5" by --priority-map, which policy trinax-alert does not have; its priorities are 1, 2, 3, 4',
    );
    expect(m.rows[1]!.error).toBe("");
  });

  it("quotes the policy cell a row error names as JSON does", async () => {
    // A quote, a line break and a colour escape: neither ending the quotes early, splitting the
    // message nor driving a terminal.
    const file = join(dir, "hostile-policy.csv");
    writeFileSync(file, 'id,policy,priority,created_at\nQ-1,"acme ""x""\n\u001b[31m",1,2026-04-02 16:30\n');
    const r = await evaluate("softone-se", file);
    expect(r.rows[0]!.error).toMatch(/^policy: "acme \\"x\\"\\n\\u001b\[31m" is not a policy sla-clock knows; /);
  });

  it("a header mapped to policy with --columns is read as the policy column", async () => {
    const file = join(dir, "contract.csv");
    writeFileSync(file, "id,Contract,priority,created_at\nC-1,moch-standard,1,2026-04-01 15:00\n");
    const r = await evaluate("softone-se", file, "--columns", "policy=Contract");
    // As M-1 above: moch-standard P1 from Wed 15:00 UTC → 2026-04-08T11:00Z.
    expect(r.rows[0]).toMatchObject({ policy: "moch-standard", response_deadline: "2026-04-08T11:00:00Z" });
  });

  it("NDJSON: a policy key per line; a line naming a policy when the first did not is an error row", async () => {
    const named = join(dir, "named.ndjson");
    writeFileSync(
      named,
      [
        { id: "N-1", policy: "moch-standard", priority: 1, created_at: "2026-04-01 15:00" },
        { id: "N-2", policy: "", priority: 1, created_at: "2026-04-01 15:00" },
      ]
        .map((l) => JSON.stringify(l))
        .join("\n"),
    );
    const r = await evaluate("softone-se", named);
    expect(r.rows.map((x) => [x.policy, x.response_deadline])).toEqual([
      ["moch-standard", "2026-04-08T11:00:00Z"],
      ["softone-se", "2026-04-02T09:00:00+02:00"],
    ]);
    const late = join(dir, "late.ndjson");
    writeFileSync(
      late,
      [
        { id: "L-1", priority: 1, created_at: "2026-04-01 15:00" },
        { id: "L-2", policy: "moch-standard", priority: 1, created_at: "2026-04-01 15:00" },
      ]
        .map((l) => JSON.stringify(l))
        .join("\n"),
    );
    const l = await evaluate("softone-se", late);
    expect(Object.keys(l.rows[0]!)).not.toContain("policy");
    expect(l.rows[1]!.error).toContain("policy: the first line names no policy");
  });

  it("the report gives the rows of other policies their own sections instead of mixing them in", async () => {
    const html = join(dir, "report.html");
    const r = await cli(["report", "softone-se", join(fixtures, "per-row-policy.csv"), "--html", html, "--now", NOW]);
    expect(r.code).toBe(0);
    // S-1 and D-1 are softone-se's; M-1, T-1, T-2 name other policies (their sections) and X-1 an
    // unknown one: a failed row of the command policy's section; T-2 has a priority trinax-alert lacks.
    expect(r.err).toContain("all policies: rows read: 6, failed: 2");
    const page = readFileSync(html, "utf8");
    expect(page).toContain("is not a policy sla-clock knows");
    expect(page).toContain('id="comparison-table"');
    expect(page.match(/<section class="policy-section"/g)!.length).toBeGreaterThan(1);
  });
});

describe("event columns", () => {
  it("reads agent and customer reply lists into next-reply and periodic-update cycles", async () => {
    const r = await evaluate(replyPolicy, join(fixtures, "replies.csv"));
    expect(r.code).toBe(0);
    const [r1, r2, r3, r4, r5] = r.rows;
    // agent replies 09:30, 11:30; customer replies 10:00, 15:00. Response met at 09:30 (due
    // 10:00, 0.5 h left). Next reply: cycle 1 10:00 → 11:30 (1.5 of 2 h: met); cycle 2 from 15:00,
    // due 17:00 the same day, breached; elapsed 2 h Monday + 32 h → −32 h. Periodic update: 09:30 →
    // 11:30 (2 of 4 h: met), then from 11:30 due 15:30, breached; 5.5 h Monday + 32 h → −33.5 h.
    expect(r1).toMatchObject({
      response_status: "met",
      response_remaining_hours: "0.50",
      next_reply_status: "breached",
      next_reply_deadline: "2026-04-13T17:00:00+02:00",
      next_reply_remaining_hours: "-32.00",
      next_reply_cycles: "2",
      next_reply_breaches: "1",
      periodic_update_status: "breached",
      periodic_update_deadline: "2026-04-13T15:30:00+02:00",
      periodic_update_remaining_hours: "-33.50",
      periodic_update_cycles: "2",
      periodic_update_breaches: "1",
    });
    // R-2 (P2): resolved 10:00, reopened 11:00, resolved 12:00 — two resolutions in resolved_at; no
    // customer reply, so next reply is idle; P2 has no periodic-update target.
    expect(r2).toMatchObject({
      error: "",
      response_remaining_hours: "3.83",
      resolution_status: "none",
      next_reply_status: "idle",
      next_reply_cycles: "0",
      periodic_update_status: "none",
    });
    // a trailing ";" is fine.
    expect(r3!.error).toBe("");
    expect(r4!.error).toBe('agent_replies: entry 2 is empty (instants are separated by ";")');
    expect(r5!.error).toBe(
      'ticket R-5: events[0]: reopen while the ticket is not resolved (events[0] is reopens entry 1: "2026-04-13 11:00")',
    );
  });

  it("reads a JSON events column, in the row's zone, and says what is wrong with a bad one", async () => {
    const r = await evaluate(replyPolicy, join(fixtures, "events-column.csv"));
    expect(r.code).toBe(0);
    const byId = new Map(r.rows.map((x) => [x.id, x]));
    // E-1: agent reply 09:20 (response due 10:00: 40 min left); customer reply 10:00 → next reply due 12:00.
    expect(byId.get("E-1")).toMatchObject({
      response_remaining_hours: "0.67",
      next_reply_deadline: "2026-04-13T12:00:00+02:00",
      next_reply_cycles: "1",
    });
    // E-2: Helsinki wall times: created 10:00 = 09:00 Stockholm, replied 10:40 = 09:40: 20 min left.
    expect(byId.get("E-2")).toMatchObject({
      response_deadline: "2026-04-13T10:00:00+02:00",
      response_remaining_hours: "0.33",
    });
    expect(byId.get("E-3")!.error).toMatch(/^events: not JSON \(.+\); write a JSON array such as \[/);
    expect(byId.get("E-4")!.error).toBe('events: expected a JSON array of events [{"type": …, "at": …}], got object');
    expect(byId.get("E-5")!.error).toBe("events[0].at: expected an instant (text or epoch milliseconds), got nothing");
    expect(byId.get("E-6")!.error).toMatch(
      /^ticket E-6: events\[0\]\.type: expected an event type: .*\(events\[0\] is events cell item 1: \{"type":"wave","at":"2026-04-13 09:20"\}\)$/,
    );
    // E-7: a priority event's label is read like a priority cell: "Normal" is 2, whose 4 h from 09:00 → 13:00.
    expect(byId.get("E-7")).toMatchObject({ error: "", priority: "2", response_deadline: "2026-04-13T13:00:00+02:00" });
    expect(byId.get("E-8")!.error).toMatch(/^events\[0\]\.at: "yesterday" is not an ISO-8601 date-time/);
    expect(r.rows).toHaveLength(8);
  });

  it("names an events item by the column's header and with its text, as the other columns' events are named", async () => {
    const file = join(dir, "swedish-events.csv");
    writeFileSync(
      file,
      "Ärende,Prioritet,Skapad,Väntan,Händelser\n" +
        'H-1,1,2026-04-14 09:00,,"[{""type"":""bogus"",""at"":""2026-04-14T11:00""}]"\n' +
        "H-2,1,2026-04-14 09:00,2026-04-14 10:00/2026-04-14 09:30,\n",
    );
    const columns = "id=Ärende,priority=Prioritet,created_at=Skapad,pauses=Väntan,events=Händelser";
    const r = await evaluate(replyPolicy, file, "--columns", columns);
    expect(r.rows[0]!.error).toMatch(
      /^ticket H-1: events\[0\]\.type: expected an event type: .*\(events\[0\] is column "Händelser" \(events cell item 1\): \{"type":"bogus","at":"2026-04-14T11:00"\}\)$/,
    );
    expect(r.rows[1]!.error).toMatch(
      /\(events\[\d\] is column "Väntan" \(pauses pair 1, (start|end)\): "2026-04-14 \d\d:\d\d"\)$/,
    );
  });

  it("reads the events column's instants with --date-format, like every other cell", async () => {
    const file = join(dir, "day-first.csv");
    writeFileSync(
      file,
      'id,priority,created_at,events\nF-1,1,13/04/2026 09:00,"[{""type"":""agentReply"",""at"":""13/04/2026 09:45""}]"\n',
    );
    const r = await evaluate(replyPolicy, file, "--date-format", "dd/MM/yyyy HH:mm");
    // 09:00 → replied 09:45: 15 min of the hour left.
    expect(r.rows[0]).toMatchObject({ error: "", response_status: "met", response_remaining_hours: "0.25" });
  });

  it("merges the events column with the other columns: at an equal instant the columns' events come first", async () => {
    const file = join(dir, "merged.csv");
    // resolved_at 10:00 from its column, then the events cell's reopen at the same instant: a valid
    // order (resolve, then reopen), so resolution runs again from 10:00: 1 h Monday before the
    // resolve, 7 h after it, 8 h Tuesday → 16 h at Tue 17:00 (without the reopen it would be met).
    writeFileSync(
      file,
      'id,priority,created_at,resolved_at,events\nG-1,1,2026-04-13 09:00,2026-04-13 10:00,"[{""type"":""reopen"",""at"":""2026-04-13 10:00""}]"\n',
    );
    const r = await evaluate(replyPolicy, file);
    expect(r.rows[0]).toMatchObject({
      error: "",
      resolution_status: "breached",
      resolution_deadline: "2026-04-14T17:00:00+02:00",
    });
  });
});

describe("cycle metric columns", () => {
  it("are summed per cycle in the summary: met % and breaches of next reply and periodic update", async () => {
    const r = await evaluate(replyPolicy, join(fixtures, "replies.csv"));
    // P1 rows R-1 and R-3 (R-4, R-5 failed). Next reply: R-1's two cycles, one met, one breached →
    // 50.0 %, 1. Periodic update: R-1 met + breached, R-3's one breached → 33.3 %, 2.
    expect(r.err).toContain("next reply cycles met  breached  periodic update cycles met  breached");
    expect(r.err).toMatch(/\n1 +Urgent +2 +100\.0% +0 +0\.0% +2 +0\.50 +50\.0% +1 +33\.3% +2\n/);
    const json = await cli(["evaluate", replyPolicy, join(fixtures, "replies.csv"), "--now", NOW, "--format", "json"]);
    const [p1] = (JSON.parse(json.out) as { summary: { priorities: Record<string, unknown>[] } }).summary.priorities;
    expect(p1!.nextReply).toMatchObject({ met: 1, breached: 1, metPct: 50 });
    expect(p1!.periodicUpdate).toMatchObject({ met: 1, breached: 2 });
  });

  it("are left out when no policy of the run has targets for them", async () => {
    const r = await evaluate("softone-se", join(fixtures, "replies.csv"));
    expect(Object.keys(r.rows[0]!)).not.toContain("next_reply_status");
    expect(Object.keys(r.rows[0]!)).not.toContain("periodic_update_status");
  });
});
