/**
 * The pool that a batch's per-row records (alert crossings, earlier runs) are cut from is sized by
 * the batch: `evaluateAcross` makes a batch per policy, and a fixed 512 KB first chunk for each of
 * 10 000 small batches was 5 GB of external memory per call, which V8 answered with a full
 * collection of the caller's heap every 64 MB (the bench's evaluateAcross went from 6 s to 55 s).
 */
import { describe, expect, it } from "vitest";
import { BatchMemory } from "../src/clock/batch-memory";
import { ColumnArena, RecordPool, TicketColumns, withColumnArena } from "../src/clock/result";
import * as sla from "../src/index";
import { allMetricsPolicy, makeReplyTickets } from "../bench/metrics-scenario";
import { TICKETS_NOW } from "../bench/tickets";

describe("RecordPool", () => {
  it("starts a small batch's pool at a number a row and a large batch's at 512 KB", () => {
    // One number a row: most rows keep no record (evaluateAcross's benchmark batches use 0.4).
    const small = new RecordPool(100, undefined);
    small.take(5);
    expect(small.chunks[0]!.length).toBe(100);
    const tiny = new RecordPool(1, undefined);
    tiny.take(5);
    expect(tiny.chunks[0]!.length).toBe(16);
    const large = new RecordPool(1_000_000, undefined);
    large.take(5);
    expect(large.chunks[0]!.length).toBe(1 << 16);
  });

  it("cuts a batch's row indexes from its arena, and evaluate's scratch row's from nothing shared", () => {
    // evaluateAcross makes a batch per policy: an Int32Array and a Uint8Array of their own per
    // metric were 40 000 ArrayBuffers a call. The scratch row lives as long as its policy, so it
    // must not hold a 4 MB block of the arena (made inside evaluateAcross, from a ticket's getter).
    const arena = new ColumnArena(BatchMemory.forCall(undefined, "reuse"));
    const pool = new RecordPool(100, arena);
    expect(pool.int32(100).buffer.byteLength).toBe(ColumnArena.BLOCK_BYTES);
    expect(pool.uint8(100).buffer.byteLength).toBe(ColumnArena.BLOCK_BYTES);
    expect(new RecordPool(100, undefined).int32(100).buffer.byteLength).toBe(400);
    withColumnArena(BatchMemory.forCall(undefined, "reuse"), () => {
      const priorities = (sla.getPolicy("softone-se") as unknown as { priorities: unknown }).priorities;
      const batch = new TicketColumns(100, [], undefined, priorities as never);
      const scratch = new TicketColumns(1, []);
      expect(batch.createdAt.buffer.byteLength).toBe(ColumnArena.BLOCK_BYTES);
      expect(scratch.createdAt.buffer.byteLength).toBeLessThan(1024);
    });
  });

  it("doubles the next chunks and hands out positions counted over all chunks", () => {
    const pool = new RecordPool(256, undefined); // first chunk: 256 numbers
    const at = [pool.take(200), pool.take(100), pool.take(600)];
    expect(pool.chunks.map((c) => c.length)).toEqual([256, 512, 1024]);
    expect(at).toEqual([0, 256, 768]);
    expect(pool.chunkOf(300)).toBe(1);
  });
});

/**
 * A batch's memory, its records (crossed thresholds, earlier runs) included, is new batch memory
 * (src/clock/batch-buffer.ts): `SharedArrayBuffer`s within `configureCaches({ sharedBatchBytes })`,
 * which V8 counts neither as external memory (each 64 MiB of `ArrayBuffer`s started a full
 * collection of the caller's whole heap) nor against its heap's limit (the records as plain arrays
 * on the heap started one in most calls of bench/metrics-scenario.ts once the heap was large).
 */
describe("a batch's memory", () => {
  it("is shared batch memory, its records included, and answers as with ArrayBuffers", () => {
    const policy = allMetricsPolicy(sla);
    const tickets = makeReplyTickets(150_000, 3);
    policy.evaluateMany(tickets.slice(0, 1000), TICKETS_NOW); // load what the first call loads
    const held = () => sla.configureCaches().sharedBatchBytes.size;
    const before = held();
    const batch = policy.evaluateMany(tickets, TICKETS_NOW);
    const perTicket = (held() - before) / tickets.length;
    // Columns: createdAt, nextAlertAt and priorityRank, and per metric status, deadline, stoppedAt,
    // elapsed, stoppedBy and targetRank, startedAt for the two cycle metrics, and targetMs for the
    // resolution (softone-se's resolution targets depend on the creation): 154 bytes; the record
    // index: 4 bytes a metric, and a byte a metric for the thresholds crossed from the run's start.
    const columns = 8 + 8 + 2 + 4 * (1 + 8 + 8 + 8 + 1 + 2) + 2 * 8 + 8;
    expect(batch.failures).toHaveLength(0);
    // The records (about 115 bytes a ticket on these tickets: earlier cycles, crossings) are there too.
    expect(perTicket).toBeGreaterThan(columns + 4 * 4 + 4 * 1 + 60);
    const limit = sla.configureCaches().sharedBatchBytes.limit;
    try {
      sla.configureCaches({ sharedBatchBytes: 0 });
      const counted = policy.evaluateMany(tickets, TICKETS_NOW);
      expect(counted.response.status.buffer).toBeInstanceOf(ArrayBuffer);
      for (let i = 0; i < tickets.length; i += 397) expect(counted.get(i)).toEqual(batch.get(i));
    } finally {
      sla.configureCaches({ sharedBatchBytes: limit });
    }
  });
});
