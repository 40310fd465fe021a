/**
 * Runs `bench/profile-workload.ts` under `node --cpu-prof` and reads the profile: self time per
 * function inside the measured window, with dist/ positions mapped back to src/ through the
 * package's source map.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";

export type ProfileMode = "add" | "evaluate" | "metrics" | "year";

export interface ProfileLine {
  /** Share of the samples inside the measured window. */
  readonly percent: number;
  readonly ms: number;
  readonly fn: string;
  /** `src/…:line` for the package's own code, else the script or `native`. */
  readonly where: string;
}

export interface ProfileReport {
  readonly mode: ProfileMode;
  readonly file: string;
  readonly windowMs: number;
  readonly samples: number;
  readonly lines: ProfileLine[];
  /** Inclusive shares by who is running: date-holidays, luxon called by sla-clock, sla-clock, GC. */
  readonly breakdown: { readonly label: string; readonly percent: number }[];
}

const BREAKDOWN = {
  holidays: "date-holidays computing a year's holidays (with the moment, deepmerge and luxon code it calls)",
  luxon: "luxon called by sla-clock's zone rules (UTC offsets through Intl)",
  sla: "sla-clock's own code",
  gc: "garbage collector",
  other: "other (runtime, natives, the benchmark loop)",
} as const;

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
  }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const PROFILE_DIR = fileURLToPath(new URL("./.out/profiles/", import.meta.url));

/** Profiles one mode in a child process (`node --cpu-prof`) and summarises the top `top` functions. */
export function profile(mode: ProfileMode, top = 10): ProfileReport {
  mkdirSync(PROFILE_DIR, { recursive: true });
  const name = `${mode}.cpuprofile`;
  const windowFile = `${PROFILE_DIR}${mode}.window.json`;
  const child = spawnSync(
    process.execPath,
    [
      "--cpu-prof",
      "--cpu-prof-dir",
      PROFILE_DIR,
      "--cpu-prof-name",
      name,
      "--cpu-prof-interval",
      "250",
      "--import",
      "tsx",
      "bench/profile-workload.ts",
      mode,
      windowFile,
    ],
    { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] },
  );
  if (child.status !== 0) throw new Error(`profiling ${mode} failed (exit ${String(child.status)})`);
  return summarise(mode, `${PROFILE_DIR}${name}`, windowFile, top);
}

function summarise(mode: ProfileMode, file: string, windowFile: string, top: number): ProfileReport {
  const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const windows = JSON.parse(readFileSync(windowFile, "utf8")) as [number, number][];
  const map = new SourceMap(JSON.parse(readFileSync(`${ROOT}dist/index.js.map`, "utf8")));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const categoryOf = (leaf: number): keyof typeof BREAKDOWN => {
    const first = byId.get(leaf)!.callFrame;
    if (first.functionName === "(garbage collector)") return "gc";
    let sawLuxon = false;
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const url = byId.get(id)!.callFrame.url;
      if (url.includes("/date-holidays")) return "holidays";
      if (url.includes("/luxon/")) sawLuxon = true;
      else if (url.endsWith("/dist/index.js")) return sawLuxon ? "luxon" : "sla";
    }
    return "other";
  };
  const categories = new Map<keyof typeof BREAKDOWN, number>();
  const self = new Map<string, { fn: string; where: string; us: number }>();
  let t = p.startTime;
  let total = 0;
  let count = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (!windows.some(([a, b]) => t >= a && t <= b)) continue;
    // Self time of a sample: the gap to the next sample.
    const us = p.timeDeltas[i + 1] ?? dt;
    const node = byId.get(p.samples[i]!)!;
    const category = categoryOf(node.id);
    categories.set(category, (categories.get(category) ?? 0) + us);
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    let where = "native";
    if (url.endsWith("/dist/index.js")) {
      const entry = map.findEntry(lineNumber, columnNumber) as { originalSource?: string; originalLine?: number };
      where =
        entry.originalSource === undefined
          ? `dist/index.js:${lineNumber + 1}`
          : `${entry.originalSource.replace(/^(\.\.\/)+/, "")}:${(entry.originalLine ?? 0) + 1}`;
    } else if (url !== "") {
      where = url.replace(/^.*\/node_modules\//, "").replace(/^file:\/\/.*\/(bench\/)/, "$1");
    }
    const fn = functionName || "(anonymous)";
    const key = `${fn}@${where}`;
    const entry = self.get(key) ?? { fn, where, us: 0 };
    entry.us += us;
    self.set(key, entry);
    total += us;
    count++;
  }
  if (count === 0) throw new Error(`no profile samples inside the measured window of ${file}`);
  const lines = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ percent: (e.us / total) * 100, ms: e.us / 1000, fn: e.fn, where: e.where }));
  const windowMs = windows.reduce((s, [a, b]) => s + (b - a), 0) / 1000;
  const breakdown = (Object.keys(BREAKDOWN) as (keyof typeof BREAKDOWN)[])
    .map((k) => ({ label: BREAKDOWN[k], percent: ((categories.get(k) ?? 0) / total) * 100 }))
    .filter((b) => b.percent > 0)
    .sort((a, b) => b.percent - a.percent);
  return { mode, file: file.slice(ROOT.length), windowMs, samples: count, lines, breakdown };
}
