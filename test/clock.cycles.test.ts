/**
 * The cycle metrics, hand-counted: `nextReply` (from a customer reply after the first response to
 * the next agent reply) and `periodicUpdate` (from each agent reply to the next, while unresolved),
 * each cycle counted from zero against the target of the priority in force. On softone-se
 * (weekdays 08:00–12:00 and 13:00–16:00 Stockholm, UTC+2 in April; Thu 2026-04-02 is an eve open
 * 08:00–12:00; Fri 04-03 and Mon 04-06 are holidays), with next-reply and periodic-update targets
 * added to its priority table: P1 next reply 2 business hours, update 4; P3 next reply 4 business
 * hours. The SoftOne preset itself gives neither (its documents do not).
 */
import { describe, expect, it } from "vitest";
import {
  CYCLE_METRIC_STATUSES,
  METRICS,
  METRIC_STATUSES,
  METRIC_TABLE,
  SlaClockError,
  definePolicy,
  getPolicy,
  isBreached,
  type MetricCycle,
  type PrioritySpec,
  type Target,
  type Ticket,
  type TicketEvent,
} from "../src/index";

const softone = getPolicy("softone-se");
const hours = (h: number): Target => ({ kind: "business", duration: `PT${h}H` });
const EXTRA: Readonly<Record<string, { nextReply?: Target; periodicUpdate?: Target }>> = {
  "1": { nextReply: hours(2), periodicUpdate: hours(4) },
  "3": { nextReply: hours(4) },
};
const policy = definePolicy({
  ...softone.spec,
  id: "softone-se-cycles",
  alerts: [0.5],
  priorities: softone.spec.priorities.map((p): PrioritySpec => ({
    ...p,
    targets: { ...p.targets, ...EXTRA[String(p.id)] },
  })),
});
const iso = (d: Date | null) => (d === null ? null : d.toISOString());
const H = 3_600_000;
const M = 60_000;
const cycleRows = (cycles: readonly MetricCycle[]) =>
  cycles.map((c) => [iso(c.start), iso(c.stop), c.stoppedBy, c.elapsed, c.status, iso(c.deadline), iso(c.breachedAt)]);
const ticket = (priority: number, createdAt: string, events: TicketEvent[]): Ticket => ({
  id: "T-1",
  priority,
  createdAt,
  events,
});

describe("the metric table", () => {
  it("lists the four metrics, in the order of results and columns", () => {
    expect(METRICS).toEqual(["response", "resolution", "nextReply", "periodicUpdate"]);
    expect(METRIC_TABLE.nextReply).toMatchObject({ starts: ["customerReply"], cycles: true, startsAfter: "response" });
    expect(CYCLE_METRIC_STATUSES).toEqual([...METRIC_STATUSES, "idle"]);
  });

  it("a policy without cycle targets reports them as none with no cycles, and a priority row refuses an unknown metric", () => {
    const e = softone.evaluate(
      ticket(1, "2026-04-07T08:00", [
        { type: "agentReply", at: "2026-04-07T08:30" },
        { type: "customerReply", at: "2026-04-07T09:00" },
      ]),
      "2026-04-07T10:00",
    );
    expect(e.response.stoppedBy).toBe("respond");
    expect(e.nextReply).toMatchObject({ status: "none", cycles: [], breaches: 0, elapsed: 0 });
    expect(e.periodicUpdate).toMatchObject({ status: "none", cycles: [], breaches: 0 });
    expect(() =>
      definePolicy({
        ...softone.spec,
        id: "x",
        priorities: [{ id: 1, label: "P1", targets: { response: hours(1), lastReply: hours(1) } as never }],
      }),
    ).toThrow(SlaClockError);
  });
});

describe("nextReply, hand-counted", () => {
  it("three customer replies → three cycles with their own deadlines (a reply while one is open starts none)", () => {
    // Tue 2026-04-07 (UTC+2). Respond 08:30. Cycle 1: customer 09:00 → agent 10:00, 1 h of 2: met,
    // due 11:00. Cycle 2: customer 11:00 (another at 11:30 is inside it) → agent 14:30: 11–12 and
    // 13–14:30 = 2 h 30 min: breached at 14:00. Cycle 3: customer 15:00, now 15:30: 30 min used,
    // due 16:00 (1 h) + Wed 08:00–09:00.
    const e = policy.evaluate(
      ticket(1, "2026-04-07T08:00", [
        { type: "respond", at: "2026-04-07T08:30" },
        { type: "customerReply", at: "2026-04-07T09:00" },
        { type: "agentReply", at: "2026-04-07T10:00" },
        { type: "customerReply", at: "2026-04-07T11:00" },
        { type: "customerReply", at: "2026-04-07T11:30" },
        { type: "agentReply", at: "2026-04-07T14:30" },
        { type: "customerReply", at: "2026-04-07T15:00" },
      ]),
      "2026-04-07T15:30",
    );
    const n = e.nextReply;
    expect(cycleRows(n.cycles)).toEqual([
      ["2026-04-07T07:00:00.000Z", "2026-04-07T08:00:00.000Z", "respond", H, "met", "2026-04-07T09:00:00.000Z", null],
      [
        "2026-04-07T09:00:00.000Z",
        "2026-04-07T12:30:00.000Z",
        "respond",
        2.5 * H,
        "breached",
        "2026-04-07T12:00:00.000Z",
        "2026-04-07T12:00:00.000Z",
      ],
      ["2026-04-07T13:00:00.000Z", null, null, 30 * M, "running", "2026-04-08T07:00:00.000Z", null],
    ]);
    expect(n.breaches).toBe(1);
    expect(n.status).toBe("running");
    expect(n.elapsed).toBe(30 * M);
    expect(n.remaining).toBe(90 * M);
    expect(iso(n.deadline)).toBe("2026-04-08T07:00:00.000Z");
    // The 50 % alert of the open cycle: 1 h used, at 16:00 (30 min + 30 min).
    expect(n.alerts.map((a) => iso(a.at))).toEqual(["2026-04-07T14:00:00.000Z"]);
    // Periodic update: 08:30–10:00 (1 h 30 min, met), 10:00–14:30 (2 h + 1 h 30 min = 3 h 30 min, met), 14:30– (1 h).
    expect(cycleRows(e.periodicUpdate.cycles).map((r) => [r[0], r[1], r[3], r[4]])).toEqual([
      ["2026-04-07T06:30:00.000Z", "2026-04-07T08:00:00.000Z", 1.5 * H, "met"],
      ["2026-04-07T08:00:00.000Z", "2026-04-07T12:30:00.000Z", 3.5 * H, "met"],
      ["2026-04-07T12:30:00.000Z", null, H, "running"],
    ]);
    // The one timer: the next-reply 50 % at 16:00 comes before the periodic update's 50 % (2 h: Wed 09:00).
    expect(iso(e.nextAlertAt)).toBe("2026-04-07T14:00:00.000Z");
  });

  it("before the first response a customer reply starts no cycle: idle", () => {
    const e = policy.evaluate(
      ticket(1, "2026-04-07T08:00", [{ type: "customerReply", at: "2026-04-07T08:10" }]),
      "2026-04-07T09:00",
    );
    expect(e.nextReply).toMatchObject({ status: "idle", cycles: [], elapsed: 0, deadline: null, breaches: 0 });
    expect(e.periodicUpdate.status).toBe("idle");
  });

  it("a reply during a pause starts a cycle that counts from the resume", () => {
    // Pause 09:00–11:00; the customer writes at 10:00. The cycle counts 11–12 and 13–13:30: 1 h 30 min.
    const events: TicketEvent[] = [
      { type: "respond", at: "2026-04-07T08:15" },
      { type: "pause", at: "2026-04-07T09:00" },
      { type: "customerReply", at: "2026-04-07T10:00" },
      { type: "resume", at: "2026-04-07T11:00" },
      { type: "agentReply", at: "2026-04-07T13:30" },
    ];
    const during = policy.evaluate(ticket(1, "2026-04-07T08:00", events), "2026-04-07T10:30").nextReply;
    expect(during).toMatchObject({ status: "paused", elapsed: 0 });
    expect(iso(during.cycles[0]?.start ?? null)).toBe("2026-04-07T08:00:00.000Z");
    const after = policy.evaluate(ticket(1, "2026-04-07T08:00", events), "2026-04-07T14:00").nextReply;
    expect(cycleRows(after.cycles)).toEqual([
      [
        "2026-04-07T08:00:00.000Z",
        "2026-04-07T11:30:00.000Z",
        "respond",
        1.5 * H,
        "met",
        "2026-04-07T12:00:00.000Z",
        null,
      ],
    ]);
  });

  it("a priority change applies the new target to the open cycle: breached at the change when already over", () => {
    // P3 (4 h). Customer 09:00; at 11:30 (2 h 30 min used) escalated to P1 (2 h): breached at 11:30.
    const base: TicketEvent[] = [
      { type: "respond", at: "2026-04-07T08:15" },
      { type: "customerReply", at: "2026-04-07T09:00" },
    ];
    const over = policy.evaluate(
      ticket(3, "2026-04-07T08:00", [...base, { type: "priority", at: "2026-04-07T11:30", priority: 1 }]),
      "2026-04-07T11:45",
    ).nextReply;
    expect(over).toMatchObject({ status: "breached", targetMs: 2 * H, elapsed: 2.75 * H });
    expect(iso(over.breachedAt)).toBe("2026-04-07T09:30:00.000Z");
    // Escalated at 10:00 (1 h used): 1 h left, due 11:00.
    const room = policy.evaluate(
      ticket(3, "2026-04-07T08:00", [...base, { type: "priority", at: "2026-04-07T10:00", priority: 1 }]),
      "2026-04-07T10:15",
    ).nextReply;
    expect(room).toMatchObject({ status: "running", targetMs: 2 * H, elapsed: 1.25 * H });
    expect(iso(room.deadline)).toBe("2026-04-07T09:00:00.000Z");
    // The next cycle counts against the priority in force at its start (P1 from then on).
    expect(room.cycles).toHaveLength(1);
  });

  it("resolve stops an open cycle (met unless already breached); reopen then a customer reply starts the next", () => {
    const events: TicketEvent[] = [
      { type: "respond", at: "2026-04-07T08:15" },
      { type: "customerReply", at: "2026-04-07T09:00" },
      { type: "resolve", at: "2026-04-07T10:00" },
      { type: "customerReply", at: "2026-04-07T10:30" }, // resolved: starts nothing
      { type: "reopen", at: "2026-04-07T13:00" },
      { type: "customerReply", at: "2026-04-07T14:00" },
    ];
    const e = policy.evaluate(ticket(1, "2026-04-07T08:00", events), "2026-04-07T15:00");
    expect(cycleRows(e.nextReply.cycles)).toEqual([
      ["2026-04-07T07:00:00.000Z", "2026-04-07T08:00:00.000Z", "resolve", H, "met", "2026-04-07T09:00:00.000Z", null],
      ["2026-04-07T12:00:00.000Z", null, null, H, "running", "2026-04-07T14:00:00.000Z", null],
    ]);
    // Periodic update: 08:15–10:00 stopped by resolve; the reopen at 13:00 starts the next.
    expect(cycleRows(e.periodicUpdate.cycles).map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
      ["2026-04-07T06:15:00.000Z", "2026-04-07T08:00:00.000Z", "resolve", 1.75 * H],
      ["2026-04-07T11:00:00.000Z", null, null, 2 * H],
    ]);
    // Resolution: one run per reopen, with the totals at top level.
    expect(e.resolution.cycles.map((c) => [iso(c.start), iso(c.stop), c.elapsed])).toEqual([
      ["2026-04-07T06:00:00.000Z", "2026-04-07T08:00:00.000Z", 2 * H],
      ["2026-04-07T11:00:00.000Z", null, 2 * H],
    ]);
    expect(e.resolution.elapsed).toBe(4 * H);
    expect(e.response.cycles).toHaveLength(1);
  });

  it("a resolve before any response stops response; after a reopen a customer reply starts a cycle", () => {
    const e = policy.evaluate(
      ticket(1, "2026-04-07T08:00", [
        { type: "resolve", at: "2026-04-07T08:30" },
        { type: "reopen", at: "2026-04-07T09:00" },
        { type: "customerReply", at: "2026-04-07T09:30" },
      ]),
      "2026-04-07T10:00",
    );
    expect(e.response.stoppedBy).toBe("resolve");
    expect(e.nextReply).toMatchObject({ status: "running", elapsed: 30 * M });
    expect(e.periodicUpdate).toMatchObject({ status: "running", elapsed: H });
  });

  it("a breach inside a cycle across the Easter eve, holidays and the weekend", () => {
    // Customer Thu 2026-04-02 11:00 (eve, open to 12:00): 1 h. Fri and Mon holidays, weekend: the
    // second hour is Tue 04-07 08:00–09:00: breached Tue 09:00. The agent answers at 09:30: 2 h 30 min.
    const t = ticket(1, "2026-04-02T08:00", [
      { type: "respond", at: "2026-04-02T08:30" },
      { type: "customerReply", at: "2026-04-02T11:00" },
      { type: "agentReply", at: "2026-04-07T09:30" },
    ]);
    const e = policy.evaluate(t, "2026-04-07T10:00");
    expect(cycleRows(e.nextReply.cycles)).toEqual([
      [
        "2026-04-02T09:00:00.000Z",
        "2026-04-07T07:30:00.000Z",
        "respond",
        2.5 * H,
        "breached",
        "2026-04-07T07:00:00.000Z",
        "2026-04-07T07:00:00.000Z",
      ],
    ]);
    expect(e.nextReply.breaches).toBe(1);
    expect(isBreached(policy, { ...t, events: t.events?.slice(0, 2) }, "2026-04-07T10:00")).toBe(true);
    expect(isBreached(policy, { ...t, events: t.events?.slice(0, 2) }, "2026-04-07T10:00", "nextReply")).toBe(true);
    expect(isBreached(policy, { ...t, events: t.events?.slice(0, 2) }, "2026-04-07T10:00", "response")).toBe(false);
    // Periodic update (4 h): Thu 08:30–12:00 is 3 h 30 min; Tue 08:00–08:30 the rest: breached Tue 08:30.
    expect(iso(e.periodicUpdate.cycles[0]?.breachedAt ?? null)).toBe("2026-04-07T06:30:00.000Z");
  });

  it("evaluateMany gives the same objects, with columns for the new metrics", () => {
    const t = ticket(1, "2026-04-07T08:00", [
      { type: "respond", at: "2026-04-07T08:30" },
      { type: "customerReply", at: "2026-04-07T09:00" },
      { type: "agentReply", at: "2026-04-07T10:00" },
      { type: "customerReply", at: "2026-04-07T11:00" },
    ]);
    const batch = policy.evaluateMany([t, { ...t, id: "T-2", events: [] }], "2026-04-07T11:30");
    expect(batch.get(0)).toEqual(policy.evaluate(t, "2026-04-07T11:30"));
    expect(Array.from(batch.nextReply.cycles)).toEqual([2, 0]);
    expect(CYCLE_METRIC_STATUSES[batch.nextReply.status[1] as number]).toBe("idle");
    expect(batch.nextReply.elapsed[0]).toBe(30 * M);
  });

  it("a batch of a policy without cycle targets gives none columns and the same objects as evaluate", () => {
    const t = ticket(1, "2026-04-07T08:00", [
      { type: "agentReply", at: "2026-04-07T08:30" },
      { type: "customerReply", at: "2026-04-07T09:00" },
      { type: "resolve", at: "2026-04-07T10:00" },
      { type: "reopen", at: "2026-04-07T11:00" },
    ]);
    const batch = softone.evaluateMany(
      [t, { id: "bad", priority: 9, createdAt: "2026-04-07T08:00" } as Ticket],
      "2026-04-07T11:30",
    );
    expect(batch.get(0)).toEqual(softone.evaluate(t, "2026-04-07T11:30"));
    expect(Array.from(batch.nextReply.status)).toEqual([4, 255]);
    expect(Array.from(batch.periodicUpdate.cycles)).toEqual([0, Number.NaN]);
    // Resolution: two runs (the reopen starts the second), its totals at top level.
    expect(Array.from(batch.resolution.cycles)).toEqual([2, Number.NaN]);
    expect(batch.resolution.cycleElapsed[0]).toBe(30 * M);
    expect(batch.resolution.elapsed[0]).toBe(2.5 * H);
  });

  it("agent and customer replies may come any number of times, in any state; explain follows an agentReply as a respond", () => {
    const t = ticket(1, "2026-04-07T08:00", [
      { type: "customerReply", at: "2026-04-07T08:05" },
      { type: "agentReply", at: "2026-04-07T08:30" },
      { type: "agentReply", at: "2026-04-07T08:40" },
      { type: "resolve", at: "2026-04-07T09:00" },
      { type: "agentReply", at: "2026-04-07T09:10" },
      { type: "customerReply", at: "2026-04-07T09:20" },
      { type: "respond", at: "2026-04-07T09:30" },
    ]);
    const e = policy.evaluate(t, "2026-04-07T10:00", { explain: true });
    expect(e.response).toMatchObject({ status: "met", elapsed: 30 * M, stoppedBy: "respond" });
    expect(e.explanation.response.moments.map((m) => m.type)).toEqual(["respond"]);
    expect(e.periodicUpdate.cycles.map((c) => c.stoppedBy)).toEqual(["respond", "resolve"]);
    expect(e.nextReply.status).toBe("idle");
    expect(() =>
      policy.evaluate(
        ticket(1, "2026-04-07T08:00", [
          { type: "respond", at: "2026-04-07T08:30" },
          { type: "respond", at: "2026-04-07T08:40" },
        ]),
        "2026-04-07T10:00",
      ),
    ).toThrow(/a second respond/);
  });
});

describe("a resolution's runs after a change of measure", () => {
  it("each run keeps the measure of the target it was judged against, and says which", () => {
    // P2: resolution within a month (calendar time); P1: 100 business hours. Weekdays 08–17 UTC.
    const weekdays: [string, string][] = [["08:00", "17:00"]];
    const switching = definePolicy({
      id: "measure-switch",
      name: "Measure switch",
      calendar: { zone: "UTC", weekly: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays } },
      priorities: [
        { id: 1, label: "business", targets: { response: { kind: "none" }, resolution: hours(100) } },
        {
          id: 2,
          label: "calendar",
          targets: { response: { kind: "none" }, resolution: { kind: "calendar", duration: { months: 1 } } },
        },
      ],
    });
    const t: Ticket = {
      id: "T-switch",
      priority: 2,
      createdAt: "2026-03-02T10:00Z",
      events: [
        { type: "resolve", at: "2026-03-03T10:00Z" },
        { type: "priority", at: "2026-03-04T10:00Z", priority: 1 },
        { type: "reopen", at: "2026-03-05T10:00Z" },
      ],
    };
    const { resolution } = switching.evaluate(t, "2026-03-05T12:00Z");
    // The total is in the measure in force: Mon 10–17 and Tue 08–10 (9 business hours), Thu 10–12.
    expect(resolution).toMatchObject({ measure: "business", elapsed: 11 * H });
    // The first run was judged against the month: 24 calendar hours, met, due a month after creation.
    expect(resolution.cycles.map((c) => [c.measure, c.elapsed, c.targetMs, c.status, iso(c.deadline)])).toEqual([
      ["calendar", 24 * H, 31 * 24 * H, "met", "2026-04-02T10:00:00.000Z"],
      ["business", 2 * H, 100 * H, "running", "2026-03-19T11:00:00.000Z"],
    ]);
    expect(switching.evaluateMany([t], "2026-03-05T12:00Z").get(0)).toEqual(switching.evaluate(t, "2026-03-05T12:00Z"));
  });
});
