/**
 * Huge pages for batch memory (docs/performance.md, "Huge pages on Linux"). A batch of a million
 * tickets is 100–300 MB of memory new to the process, and on the bench machine (a virtual machine)
 * the kernel's page faults for it, one per 4 KiB page, cost about 3 ms a MiB: most of what a call in
 * new memory pays beyond one that reuses a batch. glibc 2.35 and later, given
 * `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`, asks the kernel for transparent huge pages (2 MiB) for
 * the large blocks it maps, which is where V8 puts a large (Shared)ArrayBuffer: one fault per
 * 2 MiB. The setting belongs to the process, so the benchmark times the calls that take new memory
 * in child processes with and without it, alternated.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** The glibc tunable that turns the huge pages on. */
export const HUGE_PAGES_TUNABLE = "glibc.malloc.hugetlb=1";

/**
 * How a benchmark child gets its memory and threads: glibc's huge pages or its defaults; whether
 * sla-clock's helper thread maps new batch pages ahead of the call (`configureCaches({
 * batchPageThreads })`, docs/performance.md, "A helper thread for new pages"); and whether a helper
 * thread shares a large batch's replay (`batchReplayThreads`, "Sharing the replay with a helper
 * thread"). Both helpers are on by default on this machine.
 */
export interface ChildSetting {
  readonly hugePages: boolean;
  readonly pageHelper: boolean;
  readonly replayHelper: boolean;
}

/** The library's defaults (and glibc's). */
export const DEFAULT_SETTING: ChildSetting = { hugePages: false, pageHelper: true, replayHelper: true };

/**
 * The variables a benchmark child reads to set `batchPageThreads` and `batchReplayThreads`
 * ({@link applyThreads}); absent, the library's defaults hold.
 */
const PAGE_THREADS_VARIABLE = "SLA_CLOCK_BENCH_PAGE_THREADS";
const REPLAY_THREADS_VARIABLE = "SLA_CLOCK_BENCH_REPLAY_THREADS";

/**
 * In a benchmark child (bench/metrics-child.ts, bench/many-calendars-child.mjs): sets the library's
 * helper threads as {@link runChild}'s setting asked, through its environment.
 */
export function applyThreads(sla: {
  configureCaches(limits: { batchPageThreads?: number; batchReplayThreads?: number }): unknown;
}): void {
  const pages = process.env[PAGE_THREADS_VARIABLE];
  if (pages !== undefined) sla.configureCaches({ batchPageThreads: Number(pages) });
  const replay = process.env[REPLAY_THREADS_VARIABLE];
  if (replay !== undefined) sla.configureCaches({ batchReplayThreads: Number(replay) });
}

/** An environment for a child process: this one's, with or without the tunable and the helpers. */
export function childEnv({ hugePages, pageHelper, replayHelper }: ChildSetting): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (pageHelper) delete env[PAGE_THREADS_VARIABLE];
  else env[PAGE_THREADS_VARIABLE] = "0";
  if (replayHelper) delete env[REPLAY_THREADS_VARIABLE];
  else env[REPLAY_THREADS_VARIABLE] = "0";
  const others = (env.GLIBC_TUNABLES ?? "")
    .split(":")
    .filter((t) => t !== "" && !t.startsWith("glibc.malloc.hugetlb="));
  if (hugePages) others.push(HUGE_PAGES_TUNABLE);
  if (others.length > 0) env.GLIBC_TUNABLES = others.join(":");
  else delete env.GLIBC_TUNABLES;
  return env;
}

/**
 * Runs a benchmark child (`node --expose-gc --max-old-space-size=4096 …args`) in the given setting
 * and returns the JSON of its last line of output; `what` names it if it fails.
 */
export function runChild<T>(args: readonly string[], setting: ChildSetting, what: string): T {
  const out = spawnSync(process.execPath, ["--expose-gc", "--max-old-space-size=4096", ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
    env: childEnv(setting),
  });
  if (out.status !== 0) throw new Error(`${what} failed:\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split("\n").pop()!) as T;
}

/** What the machine offers: glibc's version, the kernel's transparent-huge-page mode, and whether the tunable can work. */
export interface HugePagesSupport {
  readonly glibc: string | undefined;
  /** The selected word of /sys/kernel/mm/transparent_hugepage/enabled (always, madvise, never). */
  readonly thp: string | undefined;
  readonly applies: boolean;
}

export function hugePagesSupport(): HugePagesSupport {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  const glibc = header?.glibcVersionRuntime;
  let thp: string | undefined;
  try {
    thp = /\[(\w+)\]/.exec(readFileSync("/sys/kernel/mm/transparent_hugepage/enabled", "utf8"))?.[1];
  } catch {
    thp = undefined;
  }
  const [major = 0, minor = 0] = (glibc ?? "0.0").split(".").map(Number);
  const applies = (major > 2 || (major === 2 && minor >= 35)) && (thp === "madvise" || thp === "always");
  return { glibc, thp, applies };
}

/** One line for RESULTS.md saying what the machine offers. */
export function hugePagesLine(s: HugePagesSupport): string {
  return `glibc ${s.glibc ?? "(none: not a glibc system)"}, transparent huge pages \`${s.thp ?? "unknown"}\`: the tunable ${s.applies ? "applies" : "does nothing here"}`;
}
