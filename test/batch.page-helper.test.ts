/**
 * The helper thread that maps a large batch's new memory ahead of the call writing it
 * (src/clock/batch-pages.ts; docs/performance.md, "A helper thread for new pages"). Each check
 * runs in a child process of its own, with `--expose-gc`, so that the memory and the thread it
 * watches are only its own.
 */
import { availableParallelism } from "node:os";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { configureCaches, SlaClockError } from "../src/index";
import { inGcChild } from "./support/gc-child";

const MiB = 1024 * 1024;

/**
 * Runs `body` in a child process with `--expose-gc` (see support/gc-child.ts), after `threads(n)`
 * (sets the helper threads), `rss()` (the process's resident bytes) and `until(test, ms)` (waits
 * until `test()` holds, at most `ms`) are defined, beside the support's `pause` and `settle`;
 * returns what it writes.
 */
function inChild(body: string): string {
  return inGcChild(
    `import { configureCaches } from "./src/index.ts";
       import { newBatchBuffer } from "./src/clock/batch-buffer.ts";
       const threads = (n) => configureCaches({ batchPageThreads: n, sharedBatchBytes: 4096 * 1024 * 1024 });
       const rss = () => process.memoryUsage().rss;
       const until = async (test, ms) => { const end = Date.now() + ms; while (!test() && Date.now() < end) await pause(20); return test(); };
       ${body}`,
    60_000,
  );
}

/** What the child of {@link helperFigures} measured, phase by phase. */
interface HelperFigures {
  readonly mapped: Record<"on" | "off", { shared: boolean; grown: number }>;
  readonly crossing: { wrong: number };
  readonly release: { kept: number; runningAfterWork: number; ended: boolean };
  readonly stream: { kept: number };
  readonly batches: { same: boolean; ran: number };
}

/**
 * One child process, its phases one after the other (each starts from a collected heap and
 * waits for the helper's work to show): a process start costs more than most of the phases.
 */
function helperFigures(): HelperFigures {
  return JSON.parse(
    inChild(`
       const figures = {};

       // mapped: a 64 MiB buffer, never written here, with and without the helper.
       const measure = async (n) => {
         threads(n);
         await settle();
         const before = rss();
         const buffer = newBatchBuffer(${64 * MiB});
         // With the helper, wait until its pass shows; without, long enough for one to have shown.
         if (n === 1) await until(() => rss() - before > ${60 * MiB}, 5000);
         await pause(n === 1 ? 200 : 800);
         return { shared: buffer instanceof SharedArrayBuffer, grown: rss() - before };
       };
       figures.mapped = { on: await measure(1), off: await measure(0) };

       // crossing: the call writes its columns side by side from the last row back, so that it meets
       // the helper (which walks from the first row) half way.
       threads(1);
       newBatchBuffer(${8 * MiB});
       await pause(300);
       {
         const rows = ${MiB};
         const columns = 8;
         const parts = Array.from({ length: columns }, (_, k) => k * 8 * rows);
         let wrong = 0;
         for (let round = 0; round < 3; round++) {
           const buffer = newBatchBuffer(8 * rows * columns, parts);
           const views = parts.map((at) => new Float64Array(buffer, at, rows));
           for (let i = rows - 1; i >= 0; i--) for (let k = 0; k < columns; k++) views[k][i] = i * columns + k + 1;
           await pause(100);
           for (let k = 0; k < columns; k++) for (let i = 0; i < rows; i++) if (views[k][i] !== i * columns + k + 1) wrong++;
         }
         figures.crossing = { wrong };
       }

       // batches: the same policy and tickets with and without the helper.
       {
         const { getPolicy } = await import("./src/index.ts");
         const policy = getPolicy("softone-se");
         const tickets = Array.from({ length: 60000 }, (_, i) => ({
           id: i, priority: 1 + (i % 4), createdAt: Date.UTC(2026, 0, 1) + i * 7_919_000,
           events: i % 3 === 0 ? [{ type: "respond", at: Date.UTC(2026, 0, 1) + i * 7_919_000 + 3_600_000 }] : [],
         }));
         const now = Date.UTC(2027, 6, 1);
         const columns = (batch) => JSON.stringify([...batch.response.deadline, ...batch.response.status, ...batch.resolution.elapsed, ...batch.nextAlertAt]);
         threads(0);
         await settle();
         const without = columns(policy.evaluateMany(tickets, now));
         threads(1);
         const withHelper = columns(policy.evaluateMany(tickets, now));
         figures.batches = { same: withHelper === without, ran: configureCaches().batchPageThreads.size };
       }

       // stream: ten buffers, each dropped by the caller before the next, with the helper's quiet
       // period made longer than the test: only the bound on bytes given can make it let go.
       {
         const { setPageHelperRelease } = await import("./src/clock/batch-pages.ts");
         setPageHelperRelease({ quietMs: 60000 });
         await settle();
         const start = rss();
         for (let round = 0; round < 10; round++) {
           let buffer = newBatchBuffer(${64 * MiB});
           await pause(200);
           buffer = undefined;
           globalThis.gc();
         }
         await pause(500);
         await settle();
         figures.stream = { kept: rss() - start };
         setPageHelperRelease();
       }

       // release: buffers the helper mapped, dropped by the caller, then two seconds without work.
       await settle();
       const start = rss();
       for (let round = 0; round < 4; round++) {
         const before = rss();
         let buffer = newBatchBuffer(${64 * MiB});
         await until(() => rss() - before > ${60 * MiB}, 5000);
         buffer = undefined;
         await settle();
       }
       const kept = rss() - start;
       const runningAfterWork = configureCaches().batchPageThreads.size;
       const ended = await until(() => configureCaches().batchPageThreads.size === 0, 5000);
       figures.release = { kept, runningAfterWork, ended };

       process.stdout.write(JSON.stringify(figures));`),
  ) as HelperFigures;
}

describe("the helper thread for new batch pages", () => {
  let figures: HelperFigures;
  beforeAll(() => {
    figures = helperFigures();
  });

  it("maps a large shared buffer's pages on its own thread, and none when it is off", () => {
    const { on, off } = figures.mapped;
    expect(on.shared && off.shared, "both buffers are shared batch memory").toBe(true);
    // Nothing wrote to either buffer: only the helper can have mapped the first one's pages.
    expect(on.grown, "resident bytes after the helper's pass").toBeGreaterThan(60 * MiB);
    expect(off.grown, "resident bytes with no helper").toBeLessThan(8 * MiB);
  });

  it("never changes a value the call writes, however the two threads interleave", () => {
    // A helper that stored its zero unconditionally would overwrite the rows the call wrote before
    // the helper got there.
    expect(figures.crossing).toEqual({ wrong: 0 });
  });

  it("gives the same batch with and without the helper", () => {
    expect(figures.batches).toEqual({ same: true, ran: 1 });
  });

  it("keeps no batch's memory after the batch is dropped, and ends when it has no work", () => {
    // Each buffer the helper was given is referenced from its own heap until that heap is
    // collected: when its tasks outlived the message handler, the buffers stayed resident after
    // the caller had dropped them (the process grew by all of them).
    const { kept, runningAfterWork, ended } = figures.release;
    expect(kept, "resident bytes left after four 64 MiB batches were dropped").toBeLessThan(96 * MiB);
    expect(runningAfterWork, "the helper still runs right after its work").toBe(1);
    expect(ended, "the helper ended after two seconds without work").toBe(true);
  });

  it("lets go of what it was given every 256 MiB, however short the quiet between buffers", () => {
    // Letting go only once its queue had stayed empty for a while, a helper given buffers more
    // often than that never did: the ten dropped 64 MiB buffers stayed resident (640 MiB). With
    // the bound, at most the buffers given since it last let go stay (three, if the last four came
    // while it was still busy), and in a quiet moment none.
    expect(figures.stream.kept, "resident bytes left after ten 64 MiB buffers were given and dropped").toBeLessThan(
      360 * MiB,
    );
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
