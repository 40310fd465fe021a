/**
 * A batch's memory reused by the next call (`{ reuse }` of evaluateMany and evaluateAcross): the
 * new batch answers exactly as a fresh one, whatever the spent batch held (records of cycles and
 * reopens, failures, more or fewer tickets, another policy), and the spent batch refuses to be read.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  METRICS,
  configureCaches,
  definePolicy,
  evaluateAcross,
  getPolicy,
  type AcrossBatch,
  type BatchOptions,
  type EvaluateOptions,
  type EvaluationBatch,
  type Policy,
  type Ticket,
} from "../src/index";
import { allMetricsPolicy, makeReplyTickets } from "../bench/metrics-scenario";
import { TICKETS_NOW } from "../bench/tickets";
import * as sla from "../src/index";
import { thrown } from "./support/errors";
import { buildTicket, policies, scenario, ticketsOverPolicies } from "./support/tickets";

const replies = allMetricsPolicy(sla as never);
const plain = getPolicy("softone-se");

/** Everything a batch tells, as plain values: every column of every metric, the rows and failures. */
function snapshot(batch: EvaluationBatch): unknown {
  const metrics = METRICS.map((m) =>
    Object.entries(batch[m]).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.map((c: Float64Array) => Array.from(c)) : Array.from(value as Float64Array),
    ]),
  );
  return {
    length: batch.length,
    ids: [...batch.ids],
    priorityRank: Array.from(batch.priorityRank),
    nextAlertAt: Array.from(batch.nextAlertAt),
    metrics,
    rows: batch
      .toArray()
      .map((r) => ("error" in r ? { index: r.index, code: r.error.code, message: r.error.message } : r)),
  };
}

/** The tickets of the four-metric benchmark (replies, reopens, pauses), a few broken. */
function replyTickets(n: number, seed: number): Ticket[] {
  return makeReplyTickets(n, seed).map((t, i) => (i % 37 === 5 ? { ...t, priority: 99 } : t));
}

/** Tickets without events: no records, no cycles. */
function bareTickets(n: number): Ticket[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `bare-${i}`,
    priority: 1 + (i % 5),
    createdAt: TICKETS_NOW - (i % 200) * 3_600_000,
  }));
}

describe("evaluateMany with { reuse }", () => {
  it("answers as a fresh call, whatever the spent batch held", () => {
    // Each step reuses the batch of the step before: more tickets, fewer, another policy, records
    // of cycles after none and none after many (a stale record or column would show).
    const steps: [Policy, Ticket[], number][] = [
      [replies, replyTickets(3_000, 1), TICKETS_NOW],
      [replies, bareTickets(1_200), TICKETS_NOW + 3_600_000],
      [replies, replyTickets(5_000, 2), TICKETS_NOW],
      [
        plain,
        replyTickets(800, 3).map(({ events, ...t }) => ({
          ...t,
          events: events?.filter((e) => e.type !== "agentReply" && e.type !== "customerReply"),
        })),
        TICKETS_NOW,
      ],
      [replies, replyTickets(5_000, 4), TICKETS_NOW - 86_400_000],
      [replies, [], TICKETS_NOW],
      [replies, replyTickets(2_000, 5), TICKETS_NOW],
    ];
    let previous: EvaluationBatch | undefined;
    for (const [k, [policy, tickets, now]] of steps.entries()) {
      const batch = policy.evaluateMany(tickets, now, previous === undefined ? {} : { reuse: previous });
      expect(snapshot(batch), `step ${k}`).toEqual(snapshot(policy.evaluateMany(tickets, now)));
      previous = batch;
    }
  });

  it("leaves the spent batch unreadable but its ids, failures, length and now as they were", () => {
    const tickets = replyTickets(400, 6);
    const first = replies.evaluateMany(tickets, TICKETS_NOW);
    const columns = first.resolution; // a columns object taken before: its lazy columns refuse too
    const ids = [...first.ids];
    const failures = first.failures.map((f) => [f.index, f.id, f.error.code]);
    replies.evaluateMany(replyTickets(400, 7), TICKETS_NOW, { reuse: first });
    for (const read of [
      () => first.response,
      () => first.periodicUpdate,
      () => first.priorityRank,
      () => first.nextAlertAt,
      () => first.get(0),
      () => first.isFailure(0),
      () => [...first],
      () => first.toArray(),
      () => ({ ...first }),
      () => columns.remaining,
      () => columns.alertAt,
      () => columns.cycles,
    ])
      expect(thrown(read).code).toBe("BATCH_REUSED");
    expect([...first.ids]).toEqual(ids);
    expect(first.failures.map((f) => [f.index, f.id, f.error.code])).toEqual(failures);
    expect(first.length).toBe(400);
    expect(first.now.getTime()).toBe(TICKETS_NOW);
    // The columns of a metric the policy does not measure are built when first read: not from a
    // spent batch's rows either.
    const preset = plain.evaluateMany(tickets, TICKETS_NOW);
    const unmeasured = preset.nextReply;
    plain.evaluateMany(tickets, TICKETS_NOW, { reuse: preset });
    expect(thrown(() => unmeasured.status).code).toBe("BATCH_REUSED");
    // Reusing it again is refused: its memory is another batch's now.
    const again = thrown(() => replies.evaluateMany(tickets, TICKETS_NOW, { reuse: first }));
    expect([again.code, again.details.path]).toEqual(["BATCH_REUSED", "options.reuse"]);
  });

  it("spends nothing when the call is refused, and refuses what is not a whole batch", () => {
    /** An array of `length` with holes where `entries` gives nothing. */
    const sparse = (length: number, entries: Record<number, number>) =>
      Object.assign(new Array<number>(length), entries);
    const tickets = replyTickets(50, 8);
    const batch = replies.evaluateMany(tickets, TICKETS_NOW);
    for (const [call, code, path] of [
      [() => replies.evaluateMany(tickets, "not an instant", { reuse: batch }), "INVALID_INSTANT", "now"],
      [
        () => replies.evaluateMany(tickets, TICKETS_NOW, { reuse: batch, atRiskThreshold: 2 }),
        "INVALID_ARGUMENT",
        "options.atRiskThreshold",
      ],
      [() => evaluateAcross(tickets, replies, "not an instant", { reuse: batch }), "INVALID_INSTANT", "now"],
      // A sparse list of thresholds: its hole is refused as `undefined` is, before anything is spent.
      [
        () => replies.evaluateMany(tickets, TICKETS_NOW, { reuse: batch, alerts: sparse(3, { 0: 0.5, 2: 0.9 }) }),
        "INVALID_ARGUMENT",
        "options.alerts[1]",
      ],
      [
        () => evaluateAcross(tickets, replies, TICKETS_NOW, { reuse: batch, alerts: sparse(2, { 1: 0.5 }) }),
        "INVALID_ARGUMENT",
        "options.alerts[0]",
      ],
    ] as const) {
      const e = thrown(call);
      expect(e.code).toBe(code);
      expect(e.details.path).toBe(path);
      expect(e.message.startsWith(`${path}`)).toBe(true);
    }
    expect(thrown(() => replies.evaluate(tickets[0]!, TICKETS_NOW, { alerts: new Array(1) })).details.path).toBe(
      "options.alerts[0]",
    );
    // With nothing to evaluate, the options and `now` are checked all the same.
    expect(thrown(() => replies.evaluateMany([], TICKETS_NOW, { alerts: sparse(2, { 1: 0.5 }) })).details.path).toBe(
      "options.alerts[0]",
    );
    expect(thrown(() => evaluateAcross([], replies, "nope")).code).toBe("INVALID_INSTANT");
    expect(thrown(() => evaluateAcross([], replies, "2300-01-01T00:00Z")).code).toBe("OUT_OF_RANGE");
    expect(thrown(() => evaluateAcross([tickets[0]!], () => null as never, "nope")).code).toBe("INVALID_INSTANT");
    expect(thrown(() => evaluateAcross([], [], "nope")).code).toBe("INVALID_INSTANT");
    // No zone to read it in: an offset-less `now` near a range end may be valid in the tickets' zones.
    expect(evaluateAcross([], [], "2200-12-31T23:30").length).toBe(0);
    expect(snapshot(batch)).toEqual(snapshot(replies.evaluateMany(tickets, TICKETS_NOW)));
    // An offset-less `now` just before the end of the supported range (2201-01-01T00:00Z) is in range
    // in Stockholm and past it in New York: refused before anything is spent, whichever policy
    // comes first.
    const newYork = definePolicy({
      id: "new-york",
      name: "New York desk",
      calendar: { zone: "America/New_York", weekly: { mon: [["09:00", "17:00"]] } },
      priorities: [{ id: 1, label: "High", targets: { response: { kind: "business", duration: "PT4H" } } }],
    });
    const late = "2200-12-31T23:30";
    const mixed = thrown(() => evaluateAcross(tickets, (_t, i) => (i < 3 ? plain : newYork), late, { reuse: batch }));
    expect(mixed.code).toBe("OUT_OF_RANGE");
    expect(snapshot(batch)).toEqual(snapshot(replies.evaluateMany(tickets, TICKETS_NOW)));
    const across = evaluateAcross(tickets, (_t, i) => (i % 2 === 0 ? replies : plain), TICKETS_NOW);
    const group = thrown(() => replies.evaluateMany(tickets, TICKETS_NOW, { reuse: across.groups[0]!.batch }));
    expect([group.code, group.details.path]).toEqual(["INVALID_ARGUMENT", "options.reuse"]);
    expect(group.message).toContain("reuse the whole result");
    for (const bad of [{}, [], "batch", 1, null]) {
      const e = thrown(() => replies.evaluateMany(tickets, TICKETS_NOW, { reuse: bad as never }));
      expect([e.code, e.details.path]).toEqual(["INVALID_ARGUMENT", "options.reuse"]);
    }
  });
});

describe("a chain of calls, each reusing the result before", () => {
  it("answers in every call as fresh calls do (fast-check: random calls, sizes, policies and contents)", () => {
    const call = fc.oneof(
      // evaluateMany with all four metrics, on tickets with replies (records of cycles), some broken
      fc.record({ kind: fc.constant("replies" as const), n: fc.nat({ max: 400 }), seed: fc.nat() }),
      // evaluateMany on a preset, on random tickets of the state machine
      fc.record({ kind: fc.constant("many" as const), rows: fc.array(scenario, { maxLength: 40 }) }),
      // evaluateAcross over the presets
      fc.record({
        kind: fc.constant("across" as const),
        rows: fc.array(fc.tuple(scenario, fc.nat()), { maxLength: 40 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(call, { minLength: 2, maxLength: 5 }), (calls) => {
        let previous: EvaluationBatch | AcrossBatch | undefined;
        for (const c of calls) {
          const reuse = previous === undefined ? {} : { reuse: previous };
          if (c.kind === "replies") {
            const tickets = replyTickets(c.n, c.seed);
            const batch = replies.evaluateMany(tickets, TICKETS_NOW, reuse);
            expect(snapshot(batch)).toEqual(snapshot(replies.evaluateMany(tickets, TICKETS_NOW)));
            previous = batch;
          } else if (c.kind === "many") {
            const policy = c.rows[0]?.policy ?? plain;
            const tickets = c.rows.map((r, i) => ({
              ...buildTicket(policy, r.createdAt, r.priority, r.steps),
              id: `M-${i}`,
            }));
            const now = Math.max(Date.parse("2028-06-01T00:00Z"), ...tickets.map((t) => t.createdAt as number));
            const batch = policy.evaluateMany(tickets, now, reuse);
            expect(snapshot(batch)).toEqual(snapshot(policy.evaluateMany(tickets, now)));
            previous = batch;
          } else {
            const chosen = c.rows.map(([, pick]) => policies[pick % policies.length]!);
            const tickets = c.rows.map(([r], i) => ({
              ...buildTicket(chosen[i]!, r.createdAt, r.priority, r.steps),
              id: `A-${i}`,
            }));
            const now = Math.max(Date.parse("2028-06-01T00:00Z"), ...tickets.map((t) => t.createdAt as number));
            const across = evaluateAcross(tickets, chosen, now, reuse);
            const fresh = evaluateAcross(tickets, chosen, now);
            for (let i = 0; i < tickets.length; i++) expect(across.get(i)).toEqual(fresh.get(i));
            expect(Array.from(across.nextAlertAt)).toEqual(Array.from(fresh.nextAlertAt));
            for (let g = 0; g < across.groups.length; g++)
              expect(snapshot(across.groups[g]!.batch)).toEqual(snapshot(fresh.groups[g]!.batch));
            previous = across;
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe("evaluateAcross with { reuse }", () => {
  const ticketsOf = (n: number, seed: number) => ticketsOverPolicies(n, seed, "R", 2);
  const now = Date.parse("2031-01-01T00:00Z");

  it("answers as evaluate, reusing an across result or a batch, and a batch reuses an across result", () => {
    let previous: AcrossBatch | EvaluationBatch | undefined;
    for (const [n, seed] of [
      [300, 1],
      [80, 2],
      [500, 3],
      [0, 4],
      [260, 5],
    ] as const) {
      const { tickets, chosen } = ticketsOf(n, seed);
      const across = evaluateAcross(tickets, chosen, now, previous === undefined ? {} : { reuse: previous });
      for (let i = 0; i < n; i++)
        expect(across.get(i), `call ${seed}, ticket ${i}`).toEqual(chosen[i]!.evaluate(tickets[i]!, now));
      if (previous !== undefined) expect(thrown(() => previous!.get(0)).code).toBe("BATCH_REUSED");
      previous = across;
    }
    const tickets = replyTickets(700, 9);
    const batch = replies.evaluateMany(tickets, TICKETS_NOW, { reuse: previous });
    expect(snapshot(batch)).toEqual(snapshot(replies.evaluateMany(tickets, TICKETS_NOW)));
  });

  it("reads each option once, before the result given as reuse is spent", () => {
    // Four policies in two zones: the options were read for each zone before the memory was
    // taken, then again for each policy after it, so a getter that threw on a later read left the
    // caller's result spent and no new one.
    const { tickets, chosen } = ticketsOf(200, 10);
    const reads = new Map<string, number>();
    const counted = (values: Record<string, unknown>): BatchOptions =>
      Object.defineProperties(
        {},
        Object.fromEntries(
          Object.entries(values).map(([key, value]) => [
            key,
            {
              enumerable: true,
              get: () => {
                const read = (reads.get(key) ?? 0) + 1;
                reads.set(key, read);
                if (read > 1) throw new Error(`options.${key} read ${read} times`);
                return value;
              },
            },
          ]),
        ),
      ) as BatchOptions;
    const settings = { atRiskThreshold: 0.6, alerts: [0.5, { before: "PT1H" }], inOpenHours: true, explain: false };
    const previous = evaluateAcross(tickets, chosen, now);
    const across = evaluateAcross(tickets, chosen, now, counted({ ...settings, reuse: previous }));
    expect(Object.fromEntries(reads)).toEqual({ atRiskThreshold: 1, alerts: 1, inOpenHours: 1, explain: 1, reuse: 1 });
    for (let i = 0; i < tickets.length; i++)
      expect(across.get(i), `ticket ${i}`).toEqual(chosen[i]!.evaluate(tickets[i]!, now, settings));
    expect(thrown(() => previous.get(0)).code).toBe("BATCH_REUSED");
    reads.clear();
    const batch = replies.evaluateMany(tickets, now, counted({ ...settings, reuse: across }));
    expect(Object.fromEntries(reads)).toEqual({ atRiskThreshold: 1, alerts: 1, inOpenHours: 1, explain: 1, reuse: 1 });
    expect(snapshot(batch)).toEqual(snapshot(replies.evaluateMany(tickets, now, settings)));
    // evaluate too, with an explanation asked for.
    reads.clear();
    const explained = replies.evaluate(tickets[0]!, now, counted({ ...settings, explain: true }) as EvaluateOptions);
    expect(Object.fromEntries(reads)).toEqual({ atRiskThreshold: 1, alerts: 1, inOpenHours: 1, explain: 1 });
    expect("explanation" in explained).toBe(true);
    // Without a policy to evaluate (no tickets), the options are read and checked all the same.
    for (const bad of [null, { atRiskThreshold: 2 }])
      expect(thrown(() => evaluateAcross([], replies, now, bad as never)).code).toBe("INVALID_ARGUMENT");
  });

  it("never writes into the batches of a call made from inside it (a ticket's getter)", () => {
    // The inner call's batches must have memory of their own: were they cut from the outer call's,
    // reusing the outer result would overwrite them.
    const inner = ticketsOf(40, 6);
    const outer = ticketsOf(60, 7);
    let innerResult: AcrossBatch | undefined;
    const tickets = outer.tickets.map((t, i) =>
      i !== 2
        ? t
        : ({
            ...t,
            get createdAt() {
              // Read while the store is read and again while the batches run: the last one is made
              // inside the outer call's batches.
              innerResult = evaluateAcross(inner.tickets, inner.chosen, now);
              return new Date(outer.tickets[2]!.createdAt as number).toISOString();
            },
          } as Ticket),
    );
    const first = evaluateAcross(tickets, outer.chosen, now);
    const expected = inner.tickets.map((t, k) => inner.chosen[k]!.evaluate(t, now));
    const next = ticketsOf(60, 8);
    evaluateAcross(next.tickets, next.chosen, now, { reuse: first });
    for (let k = 0; k < inner.tickets.length; k++) expect(innerResult!.get(k)).toEqual(expected[k]);
    expect(innerResult!.groups.length).toBeGreaterThan(1);
  });

  it("never writes into an evaluateMany batch made from inside it either", () => {
    // evaluateMany took no arena of its own: inside evaluateAcross it cut its columns from the outer
    // call's blocks, and reusing the outer result zeroed them (elapsed 0, "running").
    const ticket = (id: string, hoursBefore: number): Ticket => ({
      id,
      priority: 1,
      createdAt: now - hoursBefore * 3_600_000,
    });
    const inner = [ticket("in-1", 7), ticket("in-2", 14), ticket("in-3", 21)];
    let innerBatch: EvaluationBatch | undefined;
    const tickets: Ticket[] = [
      {
        id: "o-0",
        priority: 2,
        get createdAt() {
          innerBatch ??= plain.evaluateMany(inner, now);
          return now - 86_400_000;
        },
      },
      ticket("o-1", 24),
    ];
    const first = evaluateAcross(tickets, plain, now);
    evaluateAcross(tickets, plain, now + 60_000, { reuse: first });
    for (let k = 0; k < inner.length; k++) expect(innerBatch!.get(k)).toEqual(plain.evaluate(inner[k]!, now));
    // The spent outer result refuses nextAlertAt as it refuses get (it was a plain property).
    expect(thrown(() => first.nextAlertAt).code).toBe("BATCH_REUSED");
  });
});

describe("a small batch made in a large one's memory", () => {
  it("keeps what a fresh one would, and hands its memory on to the next call", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const large = replyTickets(30_000, 11);
    const small = replyTickets(10, 12);
    const start = { bytes: 0 };
    // The stores tickets are read into, kept between calls (a process-wide cache, not a batch's
    // memory), would count as held here.
    configureCaches({ ticketStoreBytes: 0 });
    /**
     * The `ArrayBuffer` bytes held more than at the start, once the garbage is collected: V8 frees
     * the buffers of a collection on other threads, so until three readings in a row agree (two
     * agreed once in CI on a busy machine before the free had happened: 0.9995 of the large batch).
     */
    const held = async () => {
      let bytes = Number.NaN;
      let same = 0;
      for (let k = 0; k < 50 && same < 2; k++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        gc();
        const now = process.memoryUsage().arrayBuffers;
        same = now === bytes ? same + 1 : 0;
        bytes = now;
      }
      return bytes - start.bytes;
    };
    /**
     * `held() - fresh` as a share of `large`, read again (collecting each time) until it is under
     * `limit` or two seconds have passed: V8 frees a collected buffer's memory on another thread, so
     * a busy machine can report it held for a while; memory the batch truly kept stays held.
     */
    const heldShare = async (fresh: number, large: number, limit: number) => {
      let share = Number.NaN;
      for (const until = Date.now() + 2_000; ;) {
        share = ((await held()) - fresh) / large;
        if (share < limit || Date.now() > until) return share;
      }
    };
    start.bytes = await held();
    // evaluateAcross's columns are cut from 4 MB blocks: a fresh small call holds one.
    let batch: EvaluationBatch | AcrossBatch | undefined = evaluateAcross(small, replies, TICKETS_NOW);
    const freshAcross = await held();
    batch = replies.evaluateMany(small, TICKETS_NOW);
    const freshMany = await held();
    batch = undefined;

    let spent: EvaluationBatch | AcrossBatch | undefined = replies.evaluateMany(large, TICKETS_NOW);
    const largeMany = await held();
    batch = replies.evaluateMany(small, TICKETS_NOW, { reuse: spent });
    spent = undefined;
    // About 5 MB of columns for the large batch: the small one kept all of it before.
    expect(await heldShare(freshMany, largeMany, 0.1), "evaluateMany").toBeLessThan(0.1);
    batch = replies.evaluateMany(small, TICKETS_NOW, { reuse: batch });
    expect(snapshot(batch)).toEqual(snapshot(replies.evaluateMany(small, TICKETS_NOW)));

    spent = evaluateAcross(large, replies, TICKETS_NOW, { reuse: batch });
    const largeAcross = await held();
    batch = evaluateAcross(small, replies, TICKETS_NOW, { reuse: spent });
    spent = undefined;
    expect(await heldShare(freshAcross, largeAcross, 0.1), "evaluateAcross").toBeLessThan(0.1);
    const next = evaluateAcross(small, replies, TICKETS_NOW, { reuse: batch });
    expect(snapshot(next.groups[0]!.batch)).toEqual(snapshot(replies.evaluateMany(small, TICKETS_NOW)));
    configureCaches({ ticketStoreBytes: 128 * 1024 * 1024 });
  });
});

describe("keeping a column of a batch that a later call reuses", () => {
  it("keeps its values in a slice() or Float64Array.from copy; structuredClone shares a large column's memory", () => {
    // 140 000 rows: the Float64 columns are over 1 MiB, so they are shared memory (docs/performance.md).
    const tickets = bareTickets(140_000);
    const first = plain.evaluateMany(tickets, TICKETS_NOW);
    const column = first.response.deadline;
    expect(column.buffer).toBeInstanceOf(SharedArrayBuffer);
    const values = Array.from(column.subarray(0, 1_000));
    const sliced = column.slice();
    const copied = Float64Array.from(column);
    const cloned = structuredClone(column);
    // The tickets created an hour later, evaluated an hour later in the first batch's memory: every
    // deadline moves, and the new deadline column is written where the first one was.
    const later = tickets.map((t) => ({ ...t, createdAt: (t.createdAt as number) + 3_600_000 }));
    const second = plain.evaluateMany(later, TICKETS_NOW + 3_600_000, { reuse: first });
    const fresh = plain.evaluateMany(later, TICKETS_NOW + 3_600_000);
    expect(Array.from(second.response.deadline.subarray(0, 1_000))).toEqual(
      Array.from(fresh.response.deadline.subarray(0, 1_000)),
    );
    expect(Array.from(sliced.subarray(0, 1_000))).toEqual(values);
    expect(Array.from(copied.subarray(0, 1_000))).toEqual(values);
    expect(sliced.buffer).toBeInstanceOf(ArrayBuffer);
    // What the docs warn of: the "clone" is a view of the reused memory, so it changed with it.
    expect(cloned.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(cloned.subarray(0, 1_000))).not.toEqual(values);
  });
});
