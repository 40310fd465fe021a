/**
 * What the CLI loads before it needs it: every command pays its start-up, so the modules only one
 * path uses load on that path (csv-stringify for `export --format csv`, csv-parse for the first
 * quoted row, cli-progress for a bar on a terminal). The CLI runs in a fresh child (src/ through
 * tsx) and reports which of them are in the module cache afterwards.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "./support/temp-dir";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = tempDir("sla-clock-lazy-load-");
const MODULES = ["csv-stringify", "csv-parse", "cli-progress"] as const;

/** Runs `sla-clock <args>` with `stdin` in a fresh process; returns the exit code and the modules loaded. */
function loadedAfter(args: string[], stdin = ""): { code: number; loaded: string[] } {
  const script = `
const { Readable, Writable } = require("node:stream");
const { runCli } = require("./src/cli/program.ts");
const sink = () => new Writable({ write(_c, _e, done) { done(); } });
runCli(["node", "sla-clock", ...${JSON.stringify(args)}], {
  stdin: Readable.from([${JSON.stringify(stdin)}]), stdout: sink(), stderr: sink(),
}).then((code) => {
  const loaded = ${JSON.stringify(MODULES)}.filter((m) =>
    Object.keys(require.cache).some((k) => k.includes("/node_modules/" + m + "/")));
  process.stdout.write(JSON.stringify({ code, loaded }));
});`;
  const r = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: root, encoding: "utf8" });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as { code: number; loaded: string[] };
}

const HEADER = "id,priority,created_at,responded_at,resolved_at,paused_at,resumed_at";

describe("the CLI's start-up", () => {
  it("evaluate of rows without quotes loads none of csv-stringify, csv-parse and cli-progress", () => {
    const run = loadedAfter(
      ["evaluate", "softone-se", "-", "--now", "2026-04-02T00:00Z"],
      `${HEADER}\nT-1,1,2026-04-01T09:00,,,,\n`,
    );
    expect(run).toEqual({ code: 0, loaded: [] });
  });

  it("loads csv-parse at the first quoted row, and csv-stringify for a CSV export", () => {
    const quoted = loadedAfter(
      ["evaluate", "softone-se", "-", "--now", "2026-04-02T00:00Z"],
      `${HEADER}\n"T,1",1,2026-04-01T09:00,,,,\n`,
    );
    expect(quoted).toEqual({ code: 0, loaded: ["csv-parse"] });
    const exported = loadedAfter([
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
    expect(exported).toEqual({ code: 0, loaded: ["csv-stringify"] });
  });
});
