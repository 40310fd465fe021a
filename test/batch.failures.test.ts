/**
 * `evaluateMany` failures: as cheap as successes (a small record each, the error worded on first
 * read), the same errors as `evaluate` when read, and one ticket whose reading throws fails alone.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { getPolicy, SlaClockError, type Ticket, type TicketFailure } from "../src/index";
import { thrown } from "./support/errors";
import { unreadableTickets } from "./support/unreadable-tickets";

const policy = getPolicy("softone-se");
const H = 3_600_000;
const createdAt = Date.UTC(2026, 3, 1, 8);
const now = Date.UTC(2026, 5, 1);
const good: Ticket = { id: "ok", priority: 1, createdAt, events: [{ type: "respond", at: createdAt + H }] };

/** One ticket for each way a ticket can fail. */
const badTickets: readonly unknown[] = [
  { id: "resume", priority: 1, createdAt, events: [{ type: "resume", at: createdAt + H }] },
  {
    id: "pause-twice",
    priority: 1,
    createdAt,
    events: [
      { type: "pause", at: createdAt },
      { type: "pause", at: createdAt + H },
    ],
  },
  {
    id: "second-respond",
    priority: 1,
    createdAt,
    events: [
      { type: "respond", at: createdAt },
      { type: "respond", at: createdAt + H },
    ],
  },
  { id: "reopen-open", priority: 1, createdAt, events: [{ type: "reopen", at: createdAt + H }] },
  {
    id: "resolve-twice",
    priority: 1,
    createdAt,
    events: [
      { type: "resolve", at: createdAt },
      { type: "resolve", at: createdAt + H },
    ],
  },
  { id: "before-created", priority: 1, createdAt, events: [{ type: "respond", at: createdAt - H }] },
  {
    id: "out-of-order",
    priority: 1,
    createdAt,
    events: [
      { type: "pause", at: createdAt + 2 * H },
      { type: "resume", at: createdAt + H },
    ],
  },
  { id: "priority-on-pause", priority: 1, createdAt, events: [{ type: "pause", at: createdAt, priority: 2 }] },
  { id: "priority-missing", priority: 1, createdAt, events: [{ type: "priority", at: createdAt }] },
  { id: "unknown-priority", priority: 9, createdAt },
  {
    id: "unknown-event-priority",
    priority: 1,
    createdAt,
    events: [{ type: "priority", at: createdAt, priority: "P0" }],
  },
  { id: 42, priority: 1, createdAt: createdAt + 0.5 },
  { id: "invalid-date", priority: 1, createdAt: new Date(Number.NaN) },
  { id: "far-date", priority: 1, createdAt: new Date(Date.UTC(2300, 0, 1)) },
  { id: "bad-string", priority: 1, createdAt: "yesterday" },
  { id: "bad-event-instant", priority: 1, createdAt, events: [{ type: "pause", at: "2026-13-01T00:00" }] },
  { id: "future", priority: 1, createdAt: now + H },
  { id: "extra", priority: 1, createdAt, extra: true },
  { id: "", priority: 1, createdAt },
  { priority: 1, createdAt },
  null,
  "a string",
];

describe("evaluateMany failures", () => {
  it("give, when read, the very error evaluate throws: code, message and details", () => {
    const batch = policy.evaluateMany([good, ...badTickets] as Ticket[], now);
    expect(batch.failures).toHaveLength(badTickets.length);
    badTickets.forEach((t, k) => {
      const expected = thrown(() => policy.evaluate(t as Ticket, now));
      const failure = batch.get(k + 1) as TicketFailure;
      expect(failure.error).toBeInstanceOf(SlaClockError);
      expect(failure.error).toBeInstanceOf(Error);
      expect(failure.error.code).toBe(expected.code);
      expect(failure.error.message).toBe(expected.message);
      expect(failure.error.details).toEqual(expected.details);
      expect(failure.error.name).toBe("SlaClockError");
      expect(typeof failure.error.stack).toBe("string");
      expect(failure.error).toBe(failure.error); // worded once, then kept
    });
  });

  it("keep the shape of a plain { index, id, error }: own enumerable keys, spread and JSON", () => {
    const batch = policy.evaluateMany([good, badTickets[0] as Ticket], now);
    const failure = batch.get(1) as TicketFailure;
    expect(Object.keys(failure)).toEqual(["index", "id", "error"]);
    expect("error" in failure).toBe(true);
    expect(Object.isFrozen(failure)).toBe(true);
    const copy = { ...failure };
    expect(copy).toEqual({ index: 1, id: "resume", error: failure.error });
    expect(JSON.parse(JSON.stringify(failure))).toMatchObject({
      index: 1,
      id: "resume",
      error: { code: "INVALID_TICKET", name: "SlaClockError" },
    });
    expect(batch.failures[0]).toBe(failure);
    expect([...batch][1]).toBe(failure);
  });

  it("cost about what a success costs, in memory and in time (a child process with --expose-gc)", () => {
    // 100 000 tickets keep the test to a few seconds; docs/performance.md has the 1 M figures.
    const script = fileURLToPath(new URL("./support/batch-cost.ts", import.meta.url));
    const child = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", script, "100000"], {
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(child.stderr).toBe("");
    expect(child.status).toBe(0);
    const { success, failure } = JSON.parse(child.stdout) as Record<
      "success" | "failure",
      { bytes: number; us: number; failures: number }
    >;
    expect(success.failures).toBe(0);
    expect(failure.failures).toBe(100_000);
    // Before: about 1.3 KB and 15–30 µs per failure, against about 118 bytes and 2 µs per success.
    expect(failure.bytes).toBeLessThanOrEqual(3 * success.bytes);
    // Time is a ratio on a shared machine: measured 1.1–2×; it was 13–20×.
    expect(failure.us).toBeLessThanOrEqual(4 * success.us);
  });
});

describe("a batch's list and ids", () => {
  const policy = getPolicy("softone-se");
  const now = "2026-04-10T12:00";

  it("is the list as the call found it: a getter that shrinks the array leaves failures, not invented rows", () => {
    const list: Ticket[] = [];
    list.push(
      {
        id: "T-0",
        priority: 1,
        get createdAt() {
          list.length = 1;
          return "2026-04-09T09:00";
        },
      },
      { id: "T-1", priority: 1, createdAt: "2026-04-09T09:00" },
      { id: "T-2", priority: 1, createdAt: "2026-04-09T09:00" },
    );
    const batch = policy.evaluateMany(list, now);
    expect(batch.length).toBe(3);
    // Rows 1 and 2 were never written: ids null and a "running" ticket with nextAlertAt 1970.
    expect(batch.failures.map((f) => [f.index, f.error.code])).toEqual([
      [1, "INVALID_TICKET"],
      [2, "INVALID_TICKET"],
    ]);
    // A getter that grows it: the batch stays the length the call found.
    const grown: Ticket[] = [];
    grown.push({
      id: "G-0",
      priority: 1,
      get createdAt() {
        grown.push({ id: "G-1", priority: 1, createdAt: "2026-04-09T09:00" });
        return "2026-04-09T09:00";
      },
    });
    const g = policy.evaluateMany(grown, now);
    expect([g.length, g.ids.length, g.failures.length]).toEqual([1, 1, 0]);
  });

  it("keeps a failed ticket's id as the ticket gives it in ids (a number was turned into text)", () => {
    const batch = policy.evaluateMany(
      [
        { id: 7, priority: 1, createdAt: "2026-04-09T09:00" },
        { id: 8, priority: 99, createdAt: "2026-04-09T09:00" },
      ],
      now,
    );
    expect(batch.ids).toEqual([7, 8]);
    expect(batch.failures[0]!.id).toBe("8");
  });

  it("leaves deadlineMany's starts as they were when a priority is unknown, also when out is starts", () => {
    const starts = Float64Array.from([Date.parse("2026-04-02T09:00Z"), Date.parse("2026-04-02T10:00Z"), 0]);
    const before = Float64Array.from(starts);
    const error = thrown(() => policy.deadlineMany(starts, [1, 2, 99 as never], "response", starts));
    expect(error.code).toBe("UNKNOWN_PRIORITY");
    expect(error.message).toContain("priorities[2]");
    expect(starts).toEqual(before);
  });
});

describe("a ticket whose reading throws", () => {
  const cases = unreadableTickets(createdAt);

  for (const [name, make] of Object.entries(cases)) {
    it(`fails that ticket alone (INVALID_TICKET) for ${name}, in evaluate too`, () => {
      const batch = policy.evaluateMany([good, make() as Ticket, good], now);
      expect(batch.length).toBe(3);
      expect(batch.isFailure(0)).toBe(false);
      expect(batch.isFailure(2)).toBe(false);
      const failure = batch.get(1) as TicketFailure;
      expect(failure.index).toBe(1);
      expect(failure.error).toBeInstanceOf(SlaClockError);
      expect(failure.error.code).toBe("INVALID_TICKET");
      const single = thrown(() => policy.evaluate(make() as Ticket, now));
      expect(single.code).toBe("INVALID_TICKET");
    });
  }

  it("fails only the element of a Proxy array whose read throws", () => {
    const tickets = new Proxy([good, good, good], {
      get(target, key, receiver) {
        if (key === "1") throw new Error("boom");
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const batch = policy.evaluateMany(tickets, now);
    expect(batch.length).toBe(3);
    expect(batch.failures.map((f) => [f.index, f.id, f.error.code])).toEqual([[1, null, "INVALID_TICKET"]]);
  });
});
