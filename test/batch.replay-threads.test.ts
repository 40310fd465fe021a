/**
 * A large `evaluateMany` batch shares its replay with a helper thread (src/clock/replay-threads.ts):
 * the batch must be the one the calling thread alone makes, row for row and failure for failure,
 * whichever thread replayed a row, also when the store grows during the call, when the helper
 * fails or stalls half-way, and when a ticket's getter makes a call of its own meanwhile.
 *
 * The reference is the same call with sharing turned off by size (setting `batchReplayThreads: 0`
 * would stop the helper, and restarting it through tsx here costs seconds). Batches and chunks are
 * made small, so that a few thousand tickets are shared in many chunks.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import Holidays from "date-holidays";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  configureCaches,
  definePolicy,
  getPolicy,
  METRICS,
  registerDateHolidays,
  type BatchOptions,
  type EvaluationBatch,
  type Policy,
  type Ticket,
  type TicketEvent,
} from "../src/index";
import {
  helperModuleAt,
  lastSharedReplay,
  SHARED_FROM,
  setSharingSizes,
  simulateHelperFault,
} from "../src/clock/replay-threads";
import { allMetricsPolicy, makeReplyTickets } from "../bench/metrics-scenario";
import { TICKETS_NOW } from "../bench/tickets";
import * as sla from "../src/index";
import { unreadableTickets } from "./support/unreadable-tickets";

/** Batches of this many tickets or more are shared, in chunks of CHUNK (small, for fast tests). */
const FROM = 1_000;
const CHUNK = 256;
/**
 * Tickets per batch: 64 chunks, and enough rows for the batch's columns to be shared memory
 * (1 MiB or more: a batch in an `ArrayBuffer` is never shared).
 */
const N = 64 * CHUNK;

const replies = allMetricsPolicy(sla);

beforeAll(() => setSharingSizes({ from: FROM, chunk: CHUNK }));
afterAll(() => {
  simulateHelperFault(null);
  setSharingSizes();
});

/** Every column of a batch (derived ones included), its ids, failures and some tickets as objects. */
interface Snapshot {
  readonly ids: readonly unknown[];
  /** Copies, by name (`response.deadline`, `response.alertAt0`, …). */
  readonly columns: ReadonlyMap<string, ArrayLike<number>>;
  readonly failures: unknown[];
  readonly some: string[];
}

function snapshot(batch: EvaluationBatch): Snapshot {
  const copy = (value: ArrayLike<number>) => Float64Array.from(value);
  const columns = new Map<string, ArrayLike<number>>([
    ["priorityRank", copy(batch.priorityRank)],
    ["nextAlertAt", copy(batch.nextAlertAt)],
  ]);
  for (const metric of METRICS) {
    const c = batch[metric];
    for (const key of Object.keys(c) as (keyof typeof c)[]) {
      const value = c[key];
      if (key === "alertAt") (value as Float64Array[]).forEach((a, j) => columns.set(`${metric}.alertAt${j}`, copy(a)));
      else columns.set(`${metric}.${key}`, copy(value as ArrayLike<number>));
    }
  }
  const failures = batch.failures.map((f) => [f.index, f.id, f.error.code, f.error.message]);
  const some: string[] = [];
  for (let i = 0; i < batch.length; i += 97) some.push(JSON.stringify(batch.get(i)));
  return { ids: [...batch.ids], columns, failures, some };
}

/**
 * `actual` and `expected` hold the same values (`Object.is`, so NaN equals NaN and 0 is not -0).
 * The columns are compared element by element here, and only the first difference goes through
 * `expect`: a deep `toEqual` of some fifty columns of 16 384 numbers took seconds a call.
 */
function expectSame(actual: Snapshot, expected: Snapshot): void {
  expect([...actual.columns.keys()]).toEqual([...expected.columns.keys()]);
  for (const [name, want] of expected.columns) {
    const got = actual.columns.get(name)!;
    expect(got.length, name).toBe(want.length);
    for (let i = 0; i < want.length; i++)
      if (!Object.is(got[i], want[i]))
        expect({ column: name, index: i, value: got[i] }).toEqual({ column: name, index: i, value: want[i] });
  }
  for (let i = 0; i < expected.ids.length; i++)
    if (actual.ids[i] !== expected.ids[i])
      expect({ index: i, id: actual.ids[i] }).toEqual({ index: i, id: expected.ids[i] });
  expect(actual.ids.length).toBe(expected.ids.length);
  expect(actual.failures).toEqual(expected.failures);
  expect(actual.some).toEqual(expected.some);
}

/** The same call on the calling thread alone (no batch is shared meanwhile). */
function reference(policy: Policy, tickets: readonly Ticket[], now: number | string, options?: BatchOptions): Snapshot {
  setSharingSizes({ from: Number.POSITIVE_INFINITY });
  try {
    return snapshot(policy.evaluateMany(tickets, now, options));
  } finally {
    setSharingSizes({ from: FROM, chunk: CHUNK });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls until the helper takes part (it may still be starting: through tsx that takes seconds). */
async function untilShared(policy: Policy, tickets: readonly Ticket[], now: number | string, options?: BatchOptions) {
  const until = Date.now() + 60_000;
  for (;;) {
    const before = lastSharedReplay();
    policy.evaluateMany(tickets, now, options);
    const stats = lastSharedReplay();
    if (stats !== before && stats !== undefined && stats.helperChunks > 0) return;
    if (Date.now() > until) throw new Error(`the helper never took part: ${JSON.stringify(stats)}`);
    await sleep(250);
  }
}

/**
 * The batch of a call in which both threads replayed chunks: once the helper takes part, it is
 * made to pause in its third chunk, so that the calling thread takes most of the others (a fast
 * helper can otherwise keep up with the reading and replay every chunk itself).
 */
async function shared(
  policy: Policy,
  tickets: readonly Ticket[],
  now: number | string,
  options?: BatchOptions,
): Promise<EvaluationBatch> {
  await untilShared(policy, tickets, now, options);
  simulateHelperFault({ kind: "stall", afterChunks: 2, ms: 150 });
  const before = lastSharedReplay();
  const batch = policy.evaluateMany(tickets, now, options);
  const stats = lastSharedReplay()!;
  expect(stats).not.toBe(before);
  expect(stats.helperChunks).toBeGreaterThan(0);
  expect(stats.helperChunks).toBeLessThan(stats.chunks);
  return batch;
}

/** Tickets created in December 2200 at `now` 2200-12-31: a P5 resolution window runs out of the supported range. */
function lateTickets(n: number): Ticket[] {
  const start = Date.UTC(2200, 11, 1);
  return Array.from({ length: n }, (_, i): Ticket => {
    const createdAt = start + (i % 29) * 86_400_000 + (i % 600) * 60_000;
    return { id: `late-${i}`, priority: i % 7 === 0 ? 5 : 1 + (i % 3), createdAt };
  });
}

describe("a batch shared with the replay helper", () => {
  it("is the batch the calling thread makes alone, for every metric, alert setting and preset", async () => {
    const tickets = makeReplyTickets(N, 11);
    const cases: [Policy, BatchOptions | undefined][] = [
      [replies, undefined],
      [replies, { alerts: [0.5, { before: "PT30M" }, 0.9], inOpenHours: true }],
      [getPolicy("softone-se"), { atRiskThreshold: 0.6 }],
      [getPolicy("moch-extended"), undefined],
      [getPolicy("trinax-attend"), undefined],
    ];
    for (const [policy, options] of cases) {
      const own = tickets.map((t) => ({
        ...t,
        priority: policy.priorities[(t.priority as number) % policy.priorities.length]!.id,
      }));
      const batch = await shared(policy, own, TICKETS_NOW, options);
      expectSame(snapshot(batch), reference(policy, own, TICKETS_NOW, options));
    }
  }, 180_000);

  it("reports bad tickets where they are, in index order, with the ids as given", async () => {
    const tickets: unknown[] = makeReplyTickets(N, 12);
    const bad = Object.values(unreadableTickets(TICKETS_NOW - 86_400_000));
    for (let i = 5; i < N; i += 251) {
      const k = Math.floor(i / 251);
      tickets[i] =
        k % 4 === 0
          ? bad[k % bad.length]!()
          : k % 4 === 1
            ? { id: `unknown-${i}`, priority: 99, createdAt: TICKETS_NOW - 1000 }
            : k % 4 === 2
              ? { id: i, priority: 1, createdAt: TICKETS_NOW + 60_000 }
              : { id: `shape-${i}`, priority: 1, createdAt: "yesterday" };
    }
    const batch = await shared(replies, tickets as Ticket[], TICKETS_NOW);
    expect(batch.failures.length).toBeGreaterThanOrEqual(48);
    expectSame(snapshot(batch), reference(replies, tickets as Ticket[], TICKETS_NOW));
  }, 120_000);

  it("reports a replay that runs out of the supported range, in either thread's chunks", async () => {
    const tickets = lateTickets(N);
    const now = "2200-12-31T10:00+01:00";
    const batch = await shared(replies, tickets, now);
    const late = batch.failures.filter((f) => f.error.code === "OUT_OF_RANGE");
    expect(late.length).toBeGreaterThan(N / 10);
    expectSame(snapshot(batch), reference(replies, tickets, now));
  }, 120_000);

  it("hands the helper the store's events when they grow during the call", async () => {
    // No store kept: the call starts with room for four events a ticket, and these have twelve.
    configureCaches({ ticketStoreBytes: 0 });
    try {
      const tickets = makeReplyTickets(N, 13).map((t, i): Ticket => {
        const events: TicketEvent[] = [];
        let at = (t.createdAt as number) + 60_000;
        for (let k = 0; k < 6; k++, at += 3_600_000)
          events.push({ type: "pause", at }, { type: "resume", at: at + 600_000 });
        return { ...t, id: `many-${i}`, events: at < TICKETS_NOW ? events : [] };
      });
      const batch = await shared(replies, tickets, TICKETS_NOW);
      expectSame(snapshot(batch), reference(replies, tickets, TICKETS_NOW));
    } finally {
      configureCaches({ ticketStoreBytes: 128 * 1024 * 1024 });
    }
  }, 120_000);

  it("finishes the chunks of a helper that fails half-way, with the same batch", async () => {
    const tickets = makeReplyTickets(N, 14);
    await untilShared(replies, tickets, TICKETS_NOW);
    simulateHelperFault({ kind: "throw", afterChunks: 1 });
    const before = lastSharedReplay();
    const batch = replies.evaluateMany(tickets, TICKETS_NOW);
    const stats = lastSharedReplay()!;
    expect(stats).not.toBe(before);
    expect(stats.entered).toBe(true);
    expect(stats.helperChunks).toBeLessThanOrEqual(1);
    expectSame(snapshot(batch), reference(replies, tickets, TICKETS_NOW));
  }, 120_000);

  it("evaluates a call made from a ticket's getter during a shared call on the calling thread", async () => {
    const inner = makeReplyTickets(N, 16);
    let innerBatch: EvaluationBatch | undefined;
    const tickets: Ticket[] = makeReplyTickets(N, 17);
    const plain = tickets[100]!;
    tickets[100] = {
      ...plain,
      get id(): string {
        innerBatch ??= replies.evaluateMany(inner, TICKETS_NOW);
        return "with-a-getter";
      },
    } as Ticket;
    const outer = await shared(replies, tickets, TICKETS_NOW);
    expect(innerBatch).toBeDefined();
    expectSame(snapshot(innerBatch!), reference(replies, inner, TICKETS_NOW));
    expect(outer.ids[100]).toBe("with-a-getter");
    tickets[100] = { ...plain, id: "with-a-getter" };
    expectSame(snapshot(outer), reference(replies, tickets, TICKETS_NOW));
  }, 120_000);

  it("keeps no batch alive in the helper once the calls are over", async () => {
    // This file runs in a process of its own: its resident memory is its own.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const rss = () => process.memoryUsage().rss;
    const settle = async () => {
      for (let k = 0; k < 3; k++) {
        gc();
        await sleep(100);
      }
      gc();
    };
    setSharingSizes();
    try {
      // 60 000 tickets a call: about 20 MB of batch.
      const tickets = makeReplyTickets(60_000, 3);
      await untilShared(replies, tickets, TICKETS_NOW);
      await sleep(300);
      await settle();
      const start = rss();
      let shared = 0;
      let batchBytes = 0;
      for (let k = 0; k < 5; k++) {
        // The batch's memory that this thread made (its columns, its own records): the helper's
        // records come on top.
        const before = configureCaches().sharedBatchBytes.size;
        replies.evaluateMany(tickets, TICKETS_NOW);
        batchBytes = Math.max(batchBytes, configureCaches().sharedBatchBytes.size - before);
        if (lastSharedReplay()!.helperChunks > 0) shared++;
        await settle();
      }
      // The helper collects its heap once no job has come for 100 ms.
      await sleep(500);
      await settle();
      const kept = rss() - start;
      expect(shared).toBeGreaterThanOrEqual(3);
      expect(batchBytes).toBeGreaterThan(10 * 1024 * 1024);
      // Five batches dropped: what is still resident (the ticket store kept for the next call, the
      // helper's heap) is less than three times this thread's share of one (1.7 times here); a
      // helper that kept them held seven times as much.
      expect(kept).toBeLessThan(3 * batchBytes);
    } finally {
      setSharingSizes({ from: FROM, chunk: CHUNK });
    }
  }, 120_000);

  it("gives up on a helper that stalls, replays its chunks itself, and starts one again once set", async () => {
    const tickets = makeReplyTickets(N, 15);
    await untilShared(replies, tickets, TICKETS_NOW);
    simulateHelperFault({ kind: "stall", afterChunks: 1, ms: 4_000 }, 300);
    const started = Date.now();
    const before = lastSharedReplay();
    const batch = replies.evaluateMany(tickets, TICKETS_NOW);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(lastSharedReplay()).not.toBe(before);
    expect(lastSharedReplay()).toMatchObject({ entered: true, abandoned: true, helperChunks: 0 });
    expectSame(snapshot(batch), reference(replies, tickets, TICKETS_NOW));
    // The stalled helper was stopped; the process replays alone until the setting is made again.
    await sleep(4_000); // the stalled thread wakes, sees it was given up on, and writes nothing
    expectSame(snapshot(batch), reference(replies, tickets, TICKETS_NOW));
    expect(configureCaches().batchReplayThreads.size).toBe(0);
    simulateHelperFault(null);
    configureCaches({ batchReplayThreads: 1 });
    // Set again, the next large call starts a helper (and replays alone while it loads).
    expectSame(snapshot(replies.evaluateMany(tickets, TICKETS_NOW)), reference(replies, tickets, TICKETS_NOW));
    expect(configureCaches().batchReplayThreads.size).toBe(1);
  }, 180_000);

  it("stops the helper after the call when a ticket's getter turns it off during a shared call", async () => {
    const tickets: Ticket[] = makeReplyTickets(N, 20);
    await untilShared(replies, tickets, TICKETS_NOW);
    const plain = tickets[N - 1]!;
    tickets[N - 1] = {
      ...plain,
      get id(): string {
        configureCaches({ batchReplayThreads: 0 });
        return "turns-it-off";
      },
    } as Ticket;
    const started = Date.now();
    const batch = replies.evaluateMany(tickets, TICKETS_NOW);
    // Stopped in the middle of the call, the helper would have been waited for until given up (30 s).
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(lastSharedReplay()!.abandoned).toBe(false);
    expect(configureCaches().batchReplayThreads).toEqual({ limit: 0, size: 0 });
    tickets[N - 1] = { ...plain, id: "turns-it-off" };
    expectSame(snapshot(batch), reference(replies, tickets, TICKETS_NOW));
    configureCaches({ batchReplayThreads: 1 });
  }, 120_000);

  it("is not used for a small batch, and the setting is checked", () => {
    setSharingSizes();
    try {
      const before = lastSharedReplay();
      replies.evaluateMany(makeReplyTickets(SHARED_FROM - 1, 18), TICKETS_NOW);
      expect(lastSharedReplay()).toBe(before);
    } finally {
      setSharingSizes({ from: FROM, chunk: CHUNK });
    }
    expect(configureCaches().batchReplayThreads.limit).toBe(1);
    for (const bad of [2, -1, 0.5, "1"]) {
      expect(() => configureCaches({ batchReplayThreads: bad as number })).toThrow(/batchReplayThreads/);
    }
  });

  it("loads sla-clock in the helper only from its own built files or its sources", () => {
    const manifest = (name: string) => () => JSON.stringify({ name });
    const tsx = () => "file:///x/node_modules/tsx/dist/esm/api/index.mjs";
    expect(helperModuleAt("file:///p/node_modules/sla-clock/dist/index.js", manifest("sla-clock"), tsx)).toEqual({
      module: "file:///p/node_modules/sla-clock/dist/index.js",
      tsx: null,
    });
    expect(helperModuleAt("file:///p/node_modules/sla-clock/dist/index.cjs", manifest("sla-clock"), tsx)?.tsx).toBe(
      null,
    );
    // sla-clock bundled into an application's file: loading that in a thread would run the application.
    expect(helperModuleAt("file:///app/dist/server.js", manifest("my-app"), tsx)).toBeUndefined();
    expect(helperModuleAt("file:///app/dist/index.js", manifest("my-app"), tsx)).toBeUndefined();
    expect(
      helperModuleAt(
        "file:///app/dist/index.js",
        () => {
          throw new Error("ENOENT");
        },
        tsx,
      ),
    ).toBeUndefined();
    expect(helperModuleAt("file:///repo/src/clock/replay-threads.ts", manifest("sla-clock"), tsx)?.tsx).toBe(tsx());
  });

  it("is not used once the application registered a date-holidays class of its own", () => {
    registerDateHolidays(Holidays);
    const before = lastSharedReplay();
    const policy = definePolicy({ ...replies.spec, id: "after-registration" });
    const tickets = makeReplyTickets(N, 19);
    const batch = policy.evaluateMany(tickets, TICKETS_NOW);
    expect(lastSharedReplay()).toBe(before);
    expect(batch.failures).toEqual([]);
  });
});
