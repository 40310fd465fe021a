/**
 * Measures what `evaluateMany` keeps and spends per ticket, for test/batch.failures.test.ts and
 * docs/performance.md: run as `node --expose-gc --import tsx test/support/batch-cost.ts [n]`. It
 * prints one JSON line: bytes retained by the batch (heap and array buffers, after a full
 * collection) and microseconds per ticket, for a batch of good tickets and one of bad tickets of
 * several kinds, each of `n` tickets (default 1 M). With `--check` it also exits non-zero when a
 * failure keeps more than 3× or takes more than 4× what a success does (CI runs it at 1 M).
 */
import { configureCaches, getPolicy, type Ticket } from "../../src/index";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc");
const n = Number(process.argv[2] ?? 1_000_000);
// What a batch keeps, not the process-wide caches: the store a shared replay reads its tickets into
// is kept for the next call (configureCaches({ ticketStoreBytes })), and the first call that shares
// its replay (here the failures' batch: the helper starts during the successes') would count its
// 58 bytes a ticket as the batch's.
configureCaches({ ticketStoreBytes: 0 });
const policy = getPolicy("softone-se");
const H = 3_600_000;
const base = Date.UTC(2026, 3, 1, 8);
const now = Date.UTC(2026, 5, 1);

/** Tickets that evaluate: a respond an hour after creation. */
function good(i: number): Ticket {
  const createdAt = base + (i % 1_000) * 60_000;
  return { id: `T-${i}`, priority: 1 + (i % 5), createdAt, events: [{ type: "respond", at: createdAt + H }] };
}

/** Tickets that fail, in the ways the clock itself finds: event order and state, priority, instant, `now`. */
function bad(i: number): Ticket {
  const createdAt = base + (i % 1_000) * 60_000;
  switch (i % 6) {
    case 0:
      return { id: `T-${i}`, priority: 1, createdAt, events: [{ type: "resume", at: createdAt + H }] };
    case 1:
      return { id: `T-${i}`, priority: 9, createdAt };
    case 2:
      return { id: `T-${i}`, priority: 2, createdAt, events: [{ type: "respond", at: createdAt - H }] };
    case 3:
      return { id: `T-${i}`, priority: 3, createdAt: createdAt + 0.5 };
    case 4:
      return { id: `T-${i}`, priority: 4, createdAt: now + H };
    default:
      return {
        id: `T-${i}`,
        priority: 5,
        createdAt,
        events: [
          { type: "respond", at: createdAt + H },
          { type: "respond", at: createdAt + 2 * H },
        ],
      };
  }
}

function retained(): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function measure(make: (i: number) => Ticket): { bytes: number; us: number; failures: number } {
  policy.evaluateMany(
    Array.from({ length: 5_000 }, (_, i) => make(i)),
    now,
  ); // warm the JIT
  const tickets = Array.from({ length: n }, (_, i) => make(i));
  const before = retained();
  const t0 = performance.now();
  const batch = policy.evaluateMany(tickets, now);
  const ms = performance.now() - t0;
  const after = retained();
  const failures = batch.failures.length;
  if (batch.length !== n) throw new Error("lost tickets");
  return { bytes: (after - before) / n, us: (ms * 1_000) / n, failures };
}

const success = measure(good);
const failure = measure(bad);
console.log(JSON.stringify({ n, success, failure }));
if (process.argv.includes("--check")) {
  const problems = [
    failure.failures === n ? "" : `${failure.failures} failures of ${n} bad tickets`,
    failure.bytes <= 3 * success.bytes ? "" : `a failure keeps ${failure.bytes} B, a success ${success.bytes} B`,
    failure.us <= 4 * success.us ? "" : `a failure takes ${failure.us} µs, a success ${success.us} µs`,
  ].filter((p) => p !== "");
  if (problems.length > 0) {
    console.error(`evaluateMany failures cost too much: ${problems.join("; ")}`);
    process.exit(1);
  }
}
