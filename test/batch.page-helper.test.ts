/**
 * The helper thread that maps a large batch's new memory ahead of the call writing it
 * (src/clock/batch-pages.ts; docs/performance.md, "A helper thread for new pages"). Each check
 * runs in a child process of its own, with `--expose-gc`, so that the memory and the thread it
 * watches are only its own.
 */
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { configureCaches, SlaClockError } from "../src/index";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MiB = 1024 * 1024;

/**
 * Runs `body` in a child process with `--expose-gc`, after `threads(n)` (sets the helper threads),
 * `settle()` (collections until freed buffers are gone), `rss()` (the process's resident bytes) and
 * `until(test, ms)` (waits until `test()` holds, at most `ms`) are defined; returns what it writes.
 */
function inChild(body: string): string {
  return execFileSync(
    process.execPath,
    [
      "--expose-gc",
      "--import",
      "tsx",
      "-e",
      `import { configureCaches } from "./src/index.ts";
       import { newBatchBuffer } from "./src/clock/batch-buffer.ts";
       const threads = (n) => configureCaches({ batchPageThreads: n, sharedBatchBytes: 4096 * 1024 * 1024 });
       const pause = (ms) => new Promise((r) => setTimeout(r, ms));
       const settle = async () => { for (let k = 0; k < 3; k++) { gc(); await pause(100); } gc(); };
       const rss = () => process.memoryUsage().rss;
       const until = async (test, ms) => { const end = Date.now() + ms; while (!test() && Date.now() < end) await pause(20); return test(); };
       ${body}`,
    ],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 20, timeout: 60_000 },
  );
}

describe("the helper thread for new batch pages", () => {
  it("maps a large shared buffer's pages on its own thread, and none when it is off", () => {
    const out = inChild(`
       const measure = async (n) => {
         threads(n);
         await settle();
         const before = rss();
         const buffer = newBatchBuffer(${64 * MiB});
         // With the helper, wait until its pass shows; without, long enough for one to have shown.
         if (n === 1) await until(() => rss() - before > ${60 * MiB}, 5000);
         await pause(n === 1 ? 200 : 1000);
         const grown = rss() - before;
         return { shared: buffer instanceof SharedArrayBuffer, grown };
       };
       const on = await measure(1);
       const off = await measure(0);
       process.stdout.write(JSON.stringify({ on, off }));`);
    const { on, off } = JSON.parse(out) as Record<"on" | "off", { shared: boolean; grown: number }>;
    expect(on.shared && off.shared, "both buffers are shared batch memory").toBe(true);
    // Nothing here wrote to either buffer: only the helper can have mapped the first one's pages.
    expect(on.grown, "resident bytes after the helper's pass").toBeGreaterThan(60 * MiB);
    expect(off.grown, "resident bytes with no helper").toBeLessThan(8 * MiB);
  });

  it("never changes a value the call writes, however the two threads interleave", () => {
    // The call writes its columns side by side, from the last row back, so that it meets the
    // helper (which walks from the first row) half way: a helper that stored its zero
    // unconditionally would overwrite the rows written before it got there.
    const out = inChild(`
       threads(1);
       newBatchBuffer(${8 * MiB});
       await pause(500);
       const rows = ${4 * MiB};
       const columns = 8;
       const parts = Array.from({ length: columns }, (_, k) => k * 8 * rows);
       let wrong = 0;
       for (let round = 0; round < 3; round++) {
         const buffer = newBatchBuffer(8 * rows * columns, parts);
         const views = parts.map((at) => new Float64Array(buffer, at, rows));
         for (let i = rows - 1; i >= 0; i--) for (let k = 0; k < columns; k++) views[k][i] = i * columns + k + 1;
         await pause(300);
         for (let k = 0; k < columns; k++) for (let i = 0; i < rows; i++) if (views[k][i] !== i * columns + k + 1) wrong++;
       }
       process.stdout.write(JSON.stringify({ wrong }));`);
    expect(JSON.parse(out)).toEqual({ wrong: 0 });
  });

  it("keeps no batch's memory after the batch is dropped, and ends when it has no work", () => {
    // Each buffer the helper was given is referenced from its own heap until that heap is
    // collected: without its collection, ten such buffers stayed resident after the caller had
    // dropped them (the process grew by all of them).
    const out = inChild(`
       threads(1);
       await settle();
       const start = rss();
       for (let round = 0; round < 6; round++) {
         const before = rss();
         let buffer = newBatchBuffer(${128 * MiB});
         await until(() => rss() - before > ${120 * MiB}, 5000);
         buffer = undefined;
         await settle();
       }
       await settle();
       const kept = rss() - start;
       const runningAfterWork = configureCaches().batchPageThreads.size;
       const ended = await until(() => configureCaches().batchPageThreads.size === 0, 5000);
       process.stdout.write(JSON.stringify({ kept, runningAfterWork, ended }));`);
    const { kept, runningAfterWork, ended } = JSON.parse(out) as {
      kept: number;
      runningAfterWork: number;
      ended: boolean;
    };
    expect(kept, "resident bytes left after six 128 MiB batches were dropped").toBeLessThan(160 * MiB);
    expect(runningAfterWork, "the helper still runs right after its work").toBe(1);
    expect(ended, "the helper ended after two seconds without work").toBe(true);
  });

  it("gives the same batch with and without the helper", () => {
    const out = inChild(`
       const { getPolicy } = await import("./src/index.ts");
       const policy = getPolicy("softone-se");
       const tickets = Array.from({ length: 60000 }, (_, i) => ({
         id: i, priority: 1 + (i % 4), createdAt: Date.UTC(2026, 0, 1) + i * 7_919_000,
         events: i % 3 === 0 ? [{ type: "respond", at: Date.UTC(2026, 0, 1) + i * 7_919_000 + 3_600_000 }] : [],
       }));
       const now = Date.UTC(2027, 6, 1);
       const columns = (batch) => JSON.stringify([...batch.response.deadline, ...batch.response.status, ...batch.resolution.elapsed, ...batch.nextAlertAt]);
       threads(1);
       const withHelper = columns(policy.evaluateMany(tickets, now));
       const ran = configureCaches().batchPageThreads.size;
       threads(0);
       const without = columns(policy.evaluateMany(tickets, now));
       process.stdout.write(JSON.stringify({ same: withHelper === without, ran }));`);
    expect(JSON.parse(out)).toEqual({ same: true, ran: 1 });
  });
});

describe("configureCaches({ batchPageThreads })", () => {
  const initial = configureCaches().batchPageThreads.limit;
  afterEach(() => {
    configureCaches({ batchPageThreads: initial });
  });

  it("is 1 by default where the process can run two threads at once, else 0", () => {
    expect(initial).toBe(availableParallelism() >= 2 ? 1 : 0);
  });

  it("takes 0 or 1 and refuses anything else, changing nothing then", () => {
    expect(configureCaches({ batchPageThreads: 0 }).batchPageThreads.limit).toBe(0);
    for (const bad of [2, -1, 0.5, "1", null]) {
      let error: unknown;
      try {
        configureCaches({ batchPageThreads: bad as number });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SlaClockError);
      expect((error as SlaClockError).code).toBe("INVALID_ARGUMENT");
      expect((error as SlaClockError).message).toContain("options.batchPageThreads must be a whole number in 0…1");
    }
    expect(configureCaches().batchPageThreads.limit).toBe(0);
  });
});
