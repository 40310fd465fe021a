/**
 * The pool that a batch's per-row records (alert crossings, earlier runs) are cut from is sized by
 * the batch: `evaluateAcross` makes a batch per policy, and a fixed 512 KB first chunk for each of
 * 10 000 small batches was 5 GB of external memory per call, which V8 answered with a full
 * collection of the caller's heap every 64 MB (the bench's evaluateAcross went from 6 s to 55 s).
 */
import { describe, expect, it } from "vitest";
import { RecordPool } from "../src/clock/result";

describe("RecordPool", () => {
  it("starts a small batch's pool small and a large batch's at 512 KB", () => {
    const small = new RecordPool(100);
    small.take(5);
    expect(small.chunks[0]!.length).toBe(800);
    const large = new RecordPool(1_000_000);
    large.take(5);
    expect(large.chunks[0]!.length).toBe(1 << 16);
  });

  it("doubles the next chunks and hands out positions counted over all chunks", () => {
    const pool = new RecordPool(32); // first chunk: 256 numbers
    const at = [pool.take(200), pool.take(100), pool.take(600)];
    expect(pool.chunks.map((c) => c.length)).toEqual([256, 512, 1024]);
    expect(at).toEqual([0, 256, 768]);
    expect(pool.chunkOf(300)).toBe(1);
  });
});
