/**
 * Cold start of the built package (dist/), each case in a fresh child process, against a bare
 * `node -e 0` in the same run (issue 14's goals are "bare + N ms"). The cases run round-robin, one of
 * each per round, so load on the shared machine spreads over all of them; the figure is the median
 * wall time of the rounds (default 9, `--runs N`, at least 5). Beside it, each case's median CPU time
 * (user + system, all threads of the child, from `process.cpuUsage()` at exit, written by a
 * `--require`d preload that every case, bare included, gets): on a loaded machine the wall time
 * includes waiting for a core, the CPU time much less so. Run with `npm run bench:cold` (which
 * builds first); prints a table and writes nothing.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const root = fileURLToPath(new URL("..", import.meta.url));
if (!existsSync(`${root}dist/index.js`)) throw new Error("dist/ is missing: run `npm run build` first");

const DAY = `[["08:00", "16:00"]]`;
const CUSTOM = `{ zone: "Europe/Stockholm", weekly: { mon: ${DAY}, tue: ${DAY}, wed: ${DAY}, thu: ${DAY}, fri: ${DAY} } }`;
const START = `"2026-03-02T09:00:00Z"`;

interface Case {
  readonly name: string;
  readonly goal?: number;
  readonly args: readonly string[];
}

const cases: readonly Case[] = [
  { name: "bare `node -e 0`", args: ["-e", "0"] },
  { name: "`require('sla-clock')` (dist CJS)", goal: 60, args: ["-e", "require('sla-clock')"] },
  {
    name: "`import('sla-clock')` (dist ESM)",
    goal: 60,
    args: ["--input-type=module", "-e", "await import('sla-clock')"],
  },
  {
    name: "first deadline, custom calendar without holidays (ESM)",
    goal: 80,
    args: [
      "--input-type=module",
      "-e",
      `const { createCalendar } = await import('sla-clock'); const c = createCalendar(${CUSTOM}); if (!c.addBusinessTime(${START}, { hours: 4 })) process.exit(1);`,
    ],
  },
  {
    name: "first `getPolicy('softone-se').deadline()` (ESM)",
    goal: 150,
    args: [
      "--input-type=module",
      "-e",
      `const { getPolicy } = await import('sla-clock'); const p = getPolicy('softone-se'); if (!p.deadline(${START}, { priority: 2 })) process.exit(1);`,
    ],
  },
];

const runsArg = process.argv.indexOf("--runs");
const runs = Math.max(5, runsArg >= 0 ? Number(process.argv[runsArg + 1]) : 9);

/** Writes the child's CPU time (µs) as the last line of its stderr when it exits. */
const CPU_PRELOAD = `${root}bench/cold-start-cpu.cjs`;

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
}

function once(args: readonly string[]): Sample {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--require", CPU_PRELOAD, ...args], { cwd: root, encoding: "utf8" });
  const wallMs = performance.now() - t0;
  const cpu = /cold-start-cpu-us (\d+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || cpu === null) throw new Error(`node ${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
  return { wallMs, cpuMs: Number(cpu[1]) / 1000 };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

for (const c of cases) once(c.args); // warm the file cache, not measured
const samples = cases.map(() => [] as Sample[]);
for (let r = 0; r < runs; r++) cases.forEach((c, i) => samples[i]!.push(once(c.args)));
const times = samples.map((xs) => xs.map((x) => x.wallMs));
const cpuTimes = samples.map((xs) => xs.map((x) => x.cpuMs));

const bare = median(times[0]!);
const bareCpu = median(cpuTimes[0]!);
console.log(`Cold start, median of ${runs} child processes each, Node ${process.version}, same run\n`);
console.log("| case | median | over bare | goal (over bare) | | CPU time | CPU over bare |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
cases.forEach((c, i) => {
  const m = median(times[i]!);
  const over = m - bare;
  const verdict = c.goal === undefined ? "" : over <= c.goal ? "met" : "**not met**";
  const cpu = median(cpuTimes[i]!);
  console.log(
    `| ${c.name} | ${m.toFixed(0)} ms | ${i === 0 ? "—" : `+${over.toFixed(0)} ms`} | ${c.goal === undefined ? "—" : `≤ +${c.goal} ms`} | ${verdict} | ${cpu.toFixed(0)} ms | ${i === 0 ? "—" : `+${(cpu - bareCpu).toFixed(0)} ms`} |`,
  );
});
