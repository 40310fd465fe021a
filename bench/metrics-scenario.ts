/**
 * The second `evaluateMany` figure of `npm run bench` (issue 12, section 5): all four metrics and
 * two alert thresholds, on tickets that carry customer and agent replies, with the `nextAlertAt`
 * column read. The first figure (response + resolution only, bench/tickets.ts) stays in run.ts.
 *
 * The policy is `softone-se` with, per priority, a next-reply target equal to its response target
 * and a periodic-update target of twice that (business hours), and the thresholds
 * `[0.75, { before: "PT1H" }]` (a fraction and a lead, the two kinds). The tickets
 * ({@link makeReplyTickets}) are created uniformly over 2023-01-01 … 2032-12-01 and evaluated at
 * {@link TICKETS_NOW}, like the first figure's, except that a fifth are created in the ten days
 * before `now`, so that many metrics are still running and `nextAlertAt` has future instants to
 * find (a batch of closed tickets would make that column nearly free).
 *
 * Timed as the first figure is: the tickets are built before timing, the JIT is warmed on 50 000
 * of them, a full collection runs before each of three runs, and a run ends when the
 * `nextAlertAt` column has been read (summed). Also run in the same process, as the baseline the
 * figure is compared with: the same batch with `alerts: []`, which leaves only the replay.
 */
import { fileURLToPath } from "node:url";
import type { EvaluationBatch, Policy, PrioritySpec, Ticket, TicketEvent } from "../src/index";
import {
  DEFAULT_SETTING,
  HUGE_PAGES_TUNABLE,
  hugePagesLine,
  hugePagesSupport,
  runChild,
  type ChildSetting,
  type HugePagesSupport,
} from "./huge-pages";
import { TICKETS_FROM, TICKETS_NOW, TICKETS_TO } from "./tickets";
import { HOUR, prng } from "./workload";

type Sla = typeof import("../src/index");

const DAY = 24 * HOUR;
/** Response targets of softone-se's priorities 1–5, in business hours (the next-reply targets). */
const RESPONSE_HOURS = [2, 4, 12, 48, 48] as const;
export const SCENARIO_ALERTS = [0.75, { before: "PT1H" }] as const;

/** softone-se with next-reply and periodic-update targets on every priority. */
export function allMetricsPolicy(sla: Sla): Policy {
  const base = sla.getPolicy("softone-se").spec;
  return sla.definePolicy({
    ...base,
    id: "softone-se-all-metrics",
    alerts: [...SCENARIO_ALERTS],
    priorities: base.priorities.map((p, i): PrioritySpec => ({
      ...p,
      targets: {
        ...p.targets,
        nextReply: { kind: "business", duration: { hours: RESPONSE_HOURS[i] ?? 48 } },
        periodicUpdate: { kind: "business", duration: { hours: 2 * (RESPONSE_HOURS[i] ?? 48) } },
      },
    })),
  });
}

/**
 * Seeded tickets with replies: 90 % get a first response (an `agentReply`, or a `respond` for a
 * third of them), then 0–4 rounds of a customer reply answered by an agent reply (the last one
 * possibly unanswered); every tenth is paused, resumed and changes priority before its response;
 * 70 % are resolved, a tenth of those reopened by a customer reply. A fifth of the tickets are
 * created in the ten days before `now`; their events stop at `now`.
 */
export function makeReplyTickets(n: number, seed: number): Ticket[] {
  const random = prng(seed);
  const tickets: Ticket[] = new Array<Ticket>(n);
  for (let i = 0; i < n; i++) {
    const recent = random() < 0.2;
    const createdAt = recent
      ? TICKETS_NOW - 10 * DAY + Math.floor(random() * 10 * DAY)
      : TICKETS_FROM + Math.floor(random() * (TICKETS_TO - TICKETS_FROM));
    const priority = 1 + Math.floor(random() * 5);
    const events: TicketEvent[] = [];
    let t = createdAt;
    const push = (type: TicketEvent["type"], gap: number): boolean => {
      t += gap;
      if (t > TICKETS_NOW) return false;
      events.push({ type, at: t } as TicketEvent);
      return true;
    };
    let ok = true;
    if (i % 10 === 0) {
      ok = push("pause", Math.floor(random() * 8 * HOUR)) && push("resume", 10 * 60_000 + Math.floor(random() * DAY));
      t += Math.floor(random() * 4 * HOUR);
      const changed = priority <= 2 ? 3 : 1 + ((priority + Math.floor(random() * 4)) % 5);
      if (ok && t <= TICKETS_NOW) events.push({ type: "priority", at: t, priority: changed });
    }
    if (ok && random() < 0.9) {
      ok = push(random() < 1 / 3 ? "respond" : "agentReply", Math.floor(random() * 2 * DAY));
      const rounds = Math.floor(random() * 5);
      for (let r = 0; ok && r < rounds; r++) {
        ok = push("customerReply", Math.floor(random() * 2 * DAY));
        if (ok && (r < rounds - 1 || random() < 0.7)) ok = push("agentReply", Math.floor(random() * DAY));
      }
    }
    if (ok && random() < 0.7) {
      ok = push("resolve", HOUR + Math.floor(random() * 10 * DAY));
      if (ok && random() < 0.1) ok = push("reopen", Math.floor(random() * 3 * DAY)) && push("customerReply", 0);
    }
    tickets[i] = { id: i, priority, createdAt, events };
  }
  return tickets;
}

/** What the scenario measured: the runs with the thresholds and `nextAlertAt` read, and the baseline. */
export interface ScenarioFigure {
  readonly runsMs: number[];
  /** The same batches with `alerts: []`, nextAlertAt not read: the replay alone. */
  readonly baselineMs: number[];
  /**
   * The same call with `{ reuse }` of the previous such call's batch (a service evaluating its
   * queue again): its columns and records written into memory touched before.
   */
  readonly reuseMs: number[];
  /** Whether the reused batches answered as the fresh ones (every column of every metric compared). */
  readonly reuseAgrees: boolean;
  /**
   * Reading the four `deadline` columns of a new-memory batch right after its call, not part of the
   * timed call: the first read completes the deadlines of the metrics that met a business-time
   * target (docs/performance.md), which the call leaves for whoever reads them.
   */
  readonly deadlineReadMs: number[];
  /**
   * Batch memory held as SharedArrayBuffers before each new-memory call (bytes; the previous
   * batch, which the reusing call takes over, is in it): under the bound, the call's own new memory
   * is shared too (docs/performance.md, "New memory for batches").
   */
  readonly sharedHeld: number[];
  /** The new shared batch memory each new-memory call took (bytes), and its minor page faults. */
  readonly newBytes: number[];
  readonly pageFaults: number[];
  /**
   * Touching as much fresh memory as a new-memory call takes, alone: a `SharedArrayBuffer` of the
   * median `newBytes`, one write a 4 KiB page, in this process right after the rounds (ms, three
   * times). What a call in new memory pays beyond a reusing one is mostly this.
   */
  readonly touchMs: number[];
  readonly failures: number;
  /** Tickets with a future `nextAlertAt`. */
  readonly armed: number;
  readonly summary: string;
}

/**
 * Collects garbage, then returns to the event loop once, as a service does between calls: the
 * finalizers that report collected batch memory run there (docs/performance.md, "New memory for
 * batches"), so the timed call starts with the room its predecessors gave back.
 */
async function collect(gc: () => void): Promise<void> {
  // The earlier sections of bench/run.ts made batch after batch without a turn of the event loop:
  // the finalizers of all of them may take more than one turn to report.
  for (let turn = 0; turn < 3; turn++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/** Rounds of the in-process scenario, each a call of each kind. */
const SCENARIO_ROUNDS = 5;

/** Times the scenario on `n` tickets; `gc` is `--expose-gc`'s. */
export async function timeScenario(sla: Sla, gc: () => void, n: number, seed: number): Promise<ScenarioFigure> {
  // This process holds the million tickets, the batch the reusing call takes over and the earlier
  // sections' batches: a service with such a heap raises the shared bound (docs/performance.md,
  // "New memory for batches"); the default 512 MiB would send a new-memory call's batch to
  // ArrayBuffers, and V8 would collect the whole heap for it.
  const bound = sla.configureCaches().sharedBatchBytes.limit;
  sla.configureCaches({ sharedBatchBytes: 2 * 1024 * 1024 * 1024 });
  try {
    return await scenarioRounds(sla, gc, n, seed);
  } finally {
    sla.configureCaches({ sharedBatchBytes: bound });
  }
}

async function scenarioRounds(sla: Sla, gc: () => void, n: number, seed: number): Promise<ScenarioFigure> {
  const policy = allMetricsPolicy(sla);
  const tickets = makeReplyTickets(n, seed);
  const readNext = armedOf;
  warmUp(policy, tickets);
  const runsMs: number[] = [];
  const baselineMs: number[] = [];
  const reuseMs: number[] = [];
  const deadlineReadMs: number[] = [];
  const sharedHeld: number[] = [];
  const newBytes: number[] = [];
  const pageFaults: number[] = [];
  let failures = 0;
  let armed = 0;
  let summary = "";
  let reuseAgrees = true;
  // The batch the first reusing call takes the memory of, as a service's previous call would leave it.
  let previous: EvaluationBatch | undefined = policy.evaluateMany(tickets, TICKETS_NOW);
  // Alternated, so that load on the machine falls on all three alike; five rounds, so that one
  // slow stretch of this shared machine (a round of all three calls a third slower, seen in the
  // runs of 2026-12-06) does not decide the median.
  for (let k = 0; k < SCENARIO_ROUNDS; k++) {
    await collect(gc);
    const held = sla.configureCaches().sharedBatchBytes.size;
    sharedHeld.push(held);
    const faults = process.resourceUsage().minorPageFault;
    let t0 = performance.now();
    let batch: EvaluationBatch | undefined = policy.evaluateMany(tickets, TICKETS_NOW);
    armed = readNext(batch);
    runsMs.push(performance.now() - t0);
    pageFaults.push(process.resourceUsage().minorPageFault - faults);
    newBytes.push(sla.configureCaches().sharedBatchBytes.size - held);
    t0 = performance.now();
    for (const metric of sla.METRICS)
      if (batch[metric].deadline.length !== batch.length) throw new Error("deadline column");
    deadlineReadMs.push(performance.now() - t0);
    failures = batch.failures.length;
    if (k === 0) summary = statusSummary(sla, batch);
    const fresh = k === 0 ? columnsOf(sla, batch).map((c) => Float64Array.from(c)) : undefined;
    batch = undefined;
    await collect(gc);
    t0 = performance.now();
    policy.evaluateMany(tickets, TICKETS_NOW, { alerts: [] });
    baselineMs.push(performance.now() - t0);
    await collect(gc);
    t0 = performance.now();
    previous = policy.evaluateMany(tickets, TICKETS_NOW, { reuse: previous });
    const reusedArmed = readNext(previous);
    reuseMs.push(performance.now() - t0);
    // Compared with the fresh call of the first round (the same tickets and `now`).
    if (reusedArmed !== armed || (fresh !== undefined && !sameColumns(fresh, columnsOf(sla, previous))))
      reuseAgrees = false;
  }
  previous = undefined;
  const touchMs: number[] = [];
  for (let k = 0; k < 3; k++) {
    await collect(gc);
    touchMs.push(touchFreshMemory(medianOf(newBytes)));
  }
  return {
    runsMs,
    baselineMs,
    reuseMs,
    reuseAgrees,
    deadlineReadMs,
    sharedHeld,
    newBytes,
    pageFaults,
    touchMs,
    failures,
    armed,
    summary,
  };
}

/** Reads the `nextAlertAt` column of a batch: the tickets with a future alert. */
function armedOf(batch: EvaluationBatch): number {
  let armed = 0;
  const next = batch.nextAlertAt;
  for (let i = 0; i < next.length; i++) if (next[i] === next[i]) armed++;
  return armed;
}

/** Warms the JIT on 50 000 of the tickets, with and without the thresholds. */
function warmUp(policy: Policy, tickets: readonly Ticket[]): void {
  armedOf(policy.evaluateMany(tickets.slice(0, 50_000), TICKETS_NOW));
  policy.evaluateMany(tickets.slice(0, 50_000), TICKETS_NOW, { alerts: [] });
}

/** Calls in new memory timed in a child process (bench/metrics-child.ts). */
export interface NewMemoryFigure {
  readonly runsMs: number[];
  /** Process CPU time of each call (all threads): far below the wall time, the machine was busy. */
  readonly cpuMs: number[];
  readonly pageFaults: number[];
  readonly armed: number;
  readonly peakRssBytes: number;
}

/**
 * The scenario's call in new memory, three times, in a process that holds only the tickets: what
 * the child of {@link pageFigures} measures. The default bound on shared batch memory holds the
 * batch here (the previous one is collected before each call).
 */
export async function newMemoryCalls(sla: Sla, gc: () => void, n: number, seed: number): Promise<NewMemoryFigure> {
  const policy = allMetricsPolicy(sla);
  const tickets = makeReplyTickets(n, seed);
  warmUp(policy, tickets);
  const runsMs: number[] = [];
  const cpuMs: number[] = [];
  const pageFaults: number[] = [];
  let armed = 0;
  for (let k = 0; k < 3; k++) {
    await collect(gc);
    const faults = process.resourceUsage().minorPageFault;
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    armed = armedOf(policy.evaluateMany(tickets, TICKETS_NOW));
    runsMs.push(performance.now() - t0);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
    pageFaults.push(process.resourceUsage().minorPageFault - faults);
  }
  return { runsMs, cpuMs, pageFaults, armed, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

/**
 * The call in new memory in child processes: with glibc's and the library's defaults (a helper
 * thread sharing the replay, another mapping new pages ahead); with the replay on the calling
 * thread alone (`batchReplayThreads: 0`, the default before the replay helper); without either
 * helper thread; and with huge pages.
 */
export interface PageFigures {
  readonly support: HugePagesSupport;
  readonly defaults: NewMemoryFigure;
  readonly replayAlone: NewMemoryFigure;
  readonly noHelper: NewMemoryFigure;
  readonly hugePages: NewMemoryFigure;
}

/** Child processes per setting, alternated (default, replay alone, no helper, huge pages, default, …). */
const PAGE_PROCESSES = 2;

/**
 * Runs {@link newMemoryCalls} in {@link PAGE_PROCESSES} child processes per setting (see
 * {@link PageFigures}), alternated so that load on the machine falls on all four; each setting's
 * calls are pooled.
 */
export function pageFigures(n: number, seed: number): PageFigures {
  const script = fileURLToPath(new URL("./metrics-child.ts", import.meta.url));
  const entry = fileURLToPath(new URL("./with-dist.mjs", import.meta.url));
  const child = (setting: ChildSetting) =>
    runChild<NewMemoryFigure>([entry, script, String(n), String(seed)], setting, "bench/metrics-child.ts");
  const pool = (figures: NewMemoryFigure[]): NewMemoryFigure => ({
    runsMs: figures.flatMap((f) => f.runsMs),
    cpuMs: figures.flatMap((f) => f.cpuMs),
    pageFaults: figures.flatMap((f) => f.pageFaults),
    armed: figures.every((f) => f.armed === figures[0]!.armed) ? figures[0]!.armed : -1,
    peakRssBytes: Math.max(...figures.map((f) => f.peakRssBytes)),
  });
  const defaults: NewMemoryFigure[] = [];
  const replayAlone: NewMemoryFigure[] = [];
  const noHelper: NewMemoryFigure[] = [];
  const huge: NewMemoryFigure[] = [];
  for (let k = 0; k < PAGE_PROCESSES; k++) {
    defaults.push(child(DEFAULT_SETTING));
    replayAlone.push(child({ ...DEFAULT_SETTING, replayHelper: false }));
    noHelper.push(child({ ...DEFAULT_SETTING, pageHelper: false, replayHelper: false }));
    huge.push(child({ ...DEFAULT_SETTING, hugePages: true }));
  }
  return {
    support: hugePagesSupport(),
    defaults: pool(defaults),
    replayAlone: pool(replayAlone),
    noHelper: pool(noHelper),
    hugePages: pool(huge),
  };
}

/** Milliseconds to write one byte of each 4 KiB page of `bytes` of new shared memory. */
function touchFreshMemory(bytes: number): number {
  const t0 = performance.now();
  const memory = new Uint8Array(new SharedArrayBuffer(Math.max(4096, Math.round(bytes))));
  for (let i = 0; i < memory.length; i += 4096) memory[i] = 1;
  return performance.now() - t0;
}

/** `nextAlertAt`, the priority ranks and each metric's status, deadline, stop and elapsed columns. */
function columnsOf(sla: Sla, batch: EvaluationBatch): ArrayLike<number>[] {
  const out: ArrayLike<number>[] = [batch.nextAlertAt, batch.priorityRank];
  for (const metric of sla.METRICS) {
    const c = batch[metric];
    out.push(c.status, c.deadline, c.stoppedAt, c.elapsed, ...c.alertAt);
  }
  return out;
}

function sameColumns(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): boolean {
  if (a.length !== b.length) return false;
  for (let c = 0; c < a.length; c++) {
    const x = a[c] as ArrayLike<number>;
    const y = b[c] as ArrayLike<number>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  }
  return true;
}

/** Per metric, the share of each status in the batch. */
function statusSummary(sla: Sla, batch: EvaluationBatch): string {
  const parts: string[] = [];
  for (const metric of sla.METRICS) {
    const counts = new Map<string, number>();
    for (const code of batch[metric].status) {
      const s = sla.CYCLE_METRIC_STATUSES[code] ?? "failed";
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const share = (c: number) => `${((c / batch.length) * 100).toFixed(1)} %`;
    parts.push(`${metric}: ${[...counts].map(([s, c]) => `${s} ${share(c)}`).join(", ")}`);
  }
  return parts.join("; ");
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;
const int = (n: number) => n.toLocaleString("en-US").replace(/,/g, " ");
const medianOf = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** The figure's row of the required figures in RESULTS.md. */
export function scenarioRow(f: ScenarioFigure, pages: PageFigures): string {
  const ms = medianOf(f.runsMs);
  const reuse = medianOf(f.reuseMs);
  const huge = medianOf(pages.hugePages.runsMs);
  const verdict =
    ms < 3000
      ? "met"
      : huge < 3000 && pages.hugePages.armed === f.armed
        ? `met with huge pages${reuse < 3000 && f.reuseAgrees ? " and with `reuse`" : ""}; **not met** in new memory with glibc's defaults`
        : reuse < 3000 && f.reuseAgrees
          ? "met with `reuse`; **not met** in new memory"
          : "**not met**";
  return `| \`evaluateMany\`, 1 M tickets with customer and agent replies, all four metrics, alerts \`[0.75, { before: "PT1H" }]\`, \`nextAlertAt\` read (bench/metrics-scenario.ts) | < 3 s | ${seconds(reuse)} s with \`{ reuse }\` of the previous call's batch (runs: ${f.reuseMs.map(seconds).join(", ")} s; ${f.reuseAgrees ? "every column equal to a fresh call's" : "**columns differ from a fresh call's**"}); ${seconds(ms)} s in new memory (runs: ${f.runsMs.map(seconds).join(", ")} s); the new-memory batches with \`alerts: []\`, in the same run: ${seconds(medianOf(f.baselineMs))} s; a new-memory call takes ${mib(medianOf(f.newBytes))} of new memory, which this machine took ${seconds(medianOf(f.touchMs))} s to touch alone; in processes of their own holding only the tickets, in new memory: ${seconds(medianOf(pages.defaults.runsMs))} s with glibc's and the library's defaults (runs: ${pages.defaults.runsMs.map(seconds).join(", ")} s), ${seconds(medianOf(pages.replayAlone.runsMs))} s with the replay on the calling thread alone (\`batchReplayThreads: 0\`, docs/performance.md, "Sharing the replay with a helper thread"; runs: ${pages.replayAlone.runsMs.map(seconds).join(", ")} s), ${seconds(medianOf(pages.noHelper.runsMs))} s without either helper thread (\`batchPageThreads: 0, batchReplayThreads: 0\`; runs: ${pages.noHelper.runsMs.map(seconds).join(", ")} s), ${seconds(huge)} s with huge pages (\`GLIBC_TUNABLES=${HUGE_PAGES_TUNABLE}\`, docs/performance.md, "Huge pages on Linux"; runs: ${pages.hugePages.runsMs.map(seconds).join(", ")} s) | ${verdict} |`;
}

/** The figure's line under the table: failures, armed timers, statuses. */
export function scenarioNotes(f: ScenarioFigure, pages: PageFigures): string {
  return `${pageNote(pages)}\n${scenarioNote(f)}`;
}

function pageNote({ support, defaults: d, replayAlone: r, noHelper: o, hugePages: h }: PageFigures): string {
  const setting = (f: NewMemoryFigure) =>
    `${f.runsMs.map(seconds).join(", ")} s (process CPU, all threads: ${f.cpuMs.map(seconds).join(", ")} s) and ${f.pageFaults.map(int).join(", ")} minor page faults a call (peak RSS ${mib(f.peakRssBytes)})`;
  return `- Threads and new pages (bench/huge-pages.ts; ${hugePagesLine(support)}): the four-metric call in new memory was also timed in processes of their own that hold only the tickets (bench/metrics-child.ts; ${PAGE_PROCESSES} processes per setting, alternated, three calls each after two of 50 000 tickets, the previous batch collected before each). With glibc's and the library's defaults (a helper thread shares the replay, docs/performance.md, "Sharing the replay with a helper thread", and another maps the batch's new pages ahead, "A helper thread for new pages"): ${setting(d)}. With the replay on the calling thread alone (\`configureCaches({ batchReplayThreads: 0 })\`): ${setting(r)}. Without either helper (every fault and every ticket on the calling thread): ${setting(o)}. With \`GLIBC_TUNABLES=${HUGE_PAGES_TUNABLE}\`, which makes glibc ask the kernel for transparent huge pages for the large blocks where V8 puts batch memory: ${setting(h)}. Tickets with a future \`nextAlertAt\`: ${int(d.armed)}, ${int(r.armed)}, ${int(o.armed)} and ${int(h.armed)} (-1: the processes disagreed).`;
}

function scenarioNote(f: ScenarioFigure): string {
  return `- The four-metric \`evaluateMany\` is timed three ways per round, ${SCENARIO_ROUNDS} rounds, alternated: in new memory (the previous batch dropped and collected first), with \`alerts: []\`, and with \`{ reuse }\` of the batch the previous reusing call returned (a service evaluating its queue again; docs/performance.md, "Evaluating the same queue again"): the reusing call writes into memory the process has touched before, so it takes no page faults for it. A call in new memory takes its columns as \`SharedArrayBuffer\`s, which V8 does not count as external memory, so it starts no full collection of the heap (which holds the million tickets) either (docs/performance.md, "New memory for batches"); each round collects the garbage and returns to the event loop before it, as a service does between calls, and batch memory held as \`SharedArrayBuffer\`s was then ${f.sharedHeld.map((b) => (b / 1048576).toFixed(0)).join(", ")} MiB (the bound: 2 048 MiB, set by the scenario as a service with this heap would, against the default 512 MiB; the previous batch, which the reusing call takes over, and the earlier sections' batches are in it). Each new-memory call took ${f.newBytes.map(mib).join(", ")} of new batch memory and ${f.pageFaults.map(int).join(", ")} minor page faults; writing a byte of each page of that much new memory, alone, took ${f.touchMs.map((ms) => ms.toFixed(0)).join(", ")} ms (${(medianOf(f.touchMs) / (medianOf(f.newBytes) / 1048576)).toFixed(2)} ms a MiB): on this machine (a virtual machine) a page the process has not touched before is that expensive, and it is most of what a call in new memory pays beyond a reusing one. The reused batches' status, deadline, stop, elapsed and alert columns and \`nextAlertAt\` were compared with a fresh batch's, value by value. The call leaves the deadline of a metric that met a business-time target (a business-time addition from its stop) to the first read of its \`deadline\` column, as it leaves the alert columns: reading the four \`deadline\` columns after a new-memory call took ${medianOf(f.deadlineReadMs).toFixed(0)} ms (runs: ${f.deadlineReadMs.map((ms) => ms.toFixed(0)).join(", ")} ms), outside the timed call. It rejected ${f.failures} tickets; ${int(f.armed)} have a future \`nextAlertAt\`. Statuses: ${f.summary}.`;
}
