/**
 * `evaluate --jobs`: a CSV export evaluated on several threads writes the same bytes, in the same
 * order, with the same summary, as on one — with many small parcels (so that parcels finish out of
 * order and the main thread evaluates some itself), broken rows cut across parcels, a policy per
 * row, cycle metrics, every output format. Real worker threads, real files. The workers are this
 * run's build of src/cli/parallel/worker.ts (test/support/cli-bundle.ts); one test starts them from
 * the TypeScript sources through tsx, as `npm run cli` does.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runEvaluate, type EvaluateCommandOptions } from "../src/cli/commands/evaluate";
import { loadPolicy, UsageError } from "../src/cli/load";
import { MAX_ROW_CHARS } from "../src/cli/io/read-records";
import { cli, Capture } from "./support/cli";
import { builtWorker } from "./support/cli-bundle";
import { tempDir } from "./support/temp-dir";
import { useBuiltWorker } from "../src/cli/parallel/pool";

const fixtures = fileURLToPath(new URL("./fixtures/exports/", import.meta.url));
const dir = tempDir("sla-clock-parallel-");
const NOW = Date.parse("2026-04-20T00:00Z");

/** `runEvaluate` as the CLI calls it, writing to stdout; its exit code, output and stderr. */
async function evaluate(
  policyArg: string,
  file: string,
  options: Partial<EvaluateCommandOptions> = {},
): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runEvaluate(
    loadPolicy(policyArg),
    file,
    { now: NOW, format: "csv", source: { policy: policyArg, closures: [] }, ...options },
    { stdin: Readable.from([""]), stdout, stderr },
  );
  return { code, out: stdout.text, err: stderr.text };
}

/**
 * An export with everything the reader has to get right, in many rows: good rows of three
 * policies (the `policy` column), rows with errors, stray quotes, a quoted field over several
 * lines, a quote never closed (its row ends before the next row), a row over the size limit, CR LF
 * line ends, blank lines and a byte-order mark.
 */
function hostileExport(): string {
  const header = "id,policy,priority,created_at,responded_at,resolved_at,pauses,priority_changes,subject";
  const lines = [`\uFEFF${header}`];
  const policies = ["", "softone-se", "moch-standard", "Trinax-Alert"];
  for (let i = 0; i < 300; i++) {
    const day = 1 + (i % 27);
    const created = `2026-03-${String(day).padStart(2, "0")}T${String(8 + (i % 9)).padStart(2, "0")}:15`;
    const policy = policies[i % policies.length]!;
    const responded = i % 3 === 0 ? `2026-03-${String(day).padStart(2, "0")}T18:00` : "";
    const resolved = i % 5 === 0 ? `2026-04-0${1 + (i % 8)}T10:00` : "";
    const pauses = i % 7 === 0 ? `${created}/2026-03-${String(day).padStart(2, "0")}T17:00` : "";
    let subject = `subject ${i}`;
    if (i % 11 === 0) subject = `"a quoted, subject ""${i}"""`;
    if (i % 13 === 0) subject = `"over two\nlines ${i}"`;
    if (i % 17 === 0) subject = `stray "quote ${i}`;
    const priority = i % 19 === 0 ? "9" : String(1 + (i % 4));
    const end = i % 4 === 0 ? "\r" : "";
    lines.push(`T-${i},${policy},${priority},${created},${responded},${resolved},${pauses},,${subject}${end}`);
    if (i === 40) lines.push(`T-open,,1,2026-03-02T09:00,,,,,"never closed`);
    if (i === 90) lines.push(`T-long,,1,2026-03-02T09:00,,,,,"${"x".repeat(MAX_ROW_CHARS + 10)}"`);
    if (i === 150) lines.push("");
    if (i === 200) lines.push(`T-bad,,1,not a date,,,,,`);
  }
  return `${lines.join("\n")}\n`;
}

describe("evaluate --jobs", () => {
  const file = join(dir, "hostile.csv");
  writeFileSync(file, hostileExport());

  it("writes the same bytes and summary as one thread, whatever the parcels and threads", async () => {
    const serial = await evaluate("softone-se", file, { jobs: 1 });
    expect(serial.code).toBe(0);
    // Every input row has its output row, broken ones included.
    expect(serial.out).toContain("T-open");
    expect(serial.out).toContain("the row is longer than the limit");
    expect(serial.out).toContain("T-bad");
    expect(serial.err).toContain("moch-standard");
    for (const [jobs, parcelRows] of [
      [2, 1],
      [2, 7],
      [3, 5],
      [4, 64],
    ] as const) {
      const parallel = await evaluate("softone-se", file, { jobs, parcelRows });
      expect({ jobs, parcelRows, ...parallel }).toEqual({ jobs, parcelRows, ...serial });
    }
  }, 120_000);

  it("makes a row with a cell too many or a read column missing an error row, as one thread does", async () => {
    const shifted = join(dir, "shifted.csv");
    const rows = ["id,priority,created_at,subject,responded_at,resolved_at"];
    for (let i = 0; i < 40; i++) {
      const created = `2026-04-${String(1 + (i % 9)).padStart(2, "0")}T09:00`;
      if (i % 3 === 0) rows.push(`S-${i},1,${created},Printer, 2nd floor,,2026-04-14T15:00`);
      else if (i % 3 === 1) rows.push(`S-${i},1,${created},"Printer, ""2nd"" floor",,2026-04-14T15:00,x`);
      else rows.push(`S-${i},1,${created},Printer,2026-04-14T15:00`);
    }
    writeFileSync(shifted, `${rows.join("\n")}\n`);
    const serial = await evaluate("softone-se", shifted, { jobs: 1 });
    expect(serial.err).toContain("rows: 40, failed: 40");
    expect(serial.out).toContain("a field with a comma in it must be quoted");
    expect(serial.out).toContain('it has no ""resolved_at""'); // quoted as CSV
    for (const parcelRows of [1, 7]) {
      const parallel = await evaluate("softone-se", shifted, { jobs: 2, parcelRows });
      expect({ parcelRows, ...parallel }).toEqual({ parcelRows, ...serial });
    }
  }, 120_000);

  it("writes the same JSON and NDJSON", async () => {
    for (const format of ["json", "ndjson"] as const) {
      const serial = await evaluate("softone-se", file, { jobs: 1, format });
      // Parcels of 9 rows, and of 290: more than one batch of rows each (the workers evaluate a
      // parcel 250 rows at a time), which once lost the comma between two batches in JSON.
      for (const parcelRows of [9, 290]) {
        const parallel = await evaluate("softone-se", file, { jobs: 3, parcelRows, format });
        expect({ parcelRows, ...parallel }).toEqual({ parcelRows, ...serial });
        if (format === "json") expect(() => JSON.parse(parallel.out) as unknown).not.toThrow();
      }
    }
  }, 120_000);

  it("writes the same cycle-metric columns, under a policy from a .json spec", async () => {
    const policy = join(fixtures, "reply-policy.json");
    const replies = join(fixtures, "replies.csv");
    const serial = await evaluate(policy, replies, { jobs: 1 });
    expect(serial.out.split("\n")[0]).toContain("next_reply_status");
    const parallel = await evaluate(policy, replies, { jobs: 2, parcelRows: 1 });
    expect(parallel).toEqual(serial);
  }, 60_000);

  it("writes the same --out file, through the command line", async () => {
    const one = join(dir, "one.csv");
    const two = join(dir, "two.csv");
    const a = await cli(["evaluate", "softone-se", file, "--now", "2026-04-20T00:00Z", "--out", one, "--jobs", "1"]);
    const b = await cli(["evaluate", "softone-se", file, "--now", "2026-04-20T00:00Z", "--out", two, "--jobs", "2"]);
    expect([b.code, b.err]).toEqual([a.code, a.err]);
    expect(readFileSync(two, "utf8")).toBe(readFileSync(one, "utf8"));
  }, 60_000);

  it("writes the same --out file with workers started from the TypeScript sources through tsx", async () => {
    const one = join(dir, "one-tsx.csv");
    const two = join(dir, "two-tsx.csv");
    const args = ["evaluate", "softone-se", file, "--now", "2026-04-20T00:00Z", "--out"];
    const a = await cli([...args, one, "--jobs", "1"]);
    useBuiltWorker(undefined);
    try {
      const b = await cli([...args, two, "--jobs", "2"]);
      expect([b.code, b.err]).toEqual([a.code, a.err]);
    } finally {
      useBuiltWorker(builtWorker());
    }
    expect(readFileSync(two, "utf8")).toBe(readFileSync(one, "utf8"));
  }, 60_000);

  it("builds the workers' policy from the spec the main thread read, even if the file changes during the run", async () => {
    const spec = join(dir, "changing-policy.json");
    const text = readFileSync(join(fixtures, "reply-policy.json"), "utf8");
    writeFileSync(spec, text);
    const policy = loadPolicy(spec);
    // Edited after the main thread read it, before the workers start: they read it again by path,
    // and the rows they judged had the new targets.
    writeFileSync(spec, text.replaceAll('"PT1H"', '"PT3H"'));
    const file = join(dir, "same-rows.csv");
    const rows = Array.from({ length: 3000 }, (_, i) => `T-${i},1,2026-04-02T11:00`);
    writeFileSync(file, `id,priority,created_at\n${rows.join("\n")}\n`);
    const stdout = new Capture();
    const code = await runEvaluate(
      policy,
      file,
      { now: NOW, format: "csv", source: { policy: spec, closures: [] }, jobs: 2, parcelRows: 100 },
      { stdin: Readable.from([""]), stdout, stderr: new Capture() },
    );
    expect(code).toBe(0);
    const deadlines = new Set(
      stdout.text
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => line.split(",")[5]),
    );
    expect([...deadlines]).toEqual(["2026-04-02T12:00:00+02:00"]);
  });

  it("reports a policy a worker cannot build as a usage error, and writes no output file", async () => {
    const out = join(dir, "never.csv");
    const run = evaluate("softone-se", file, {
      jobs: 2,
      parcelRows: 50,
      out,
      source: { policy: "no-such-policy", closures: [] },
    });
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(run).rejects.toThrow(/unknown policy "no-such-policy"/);
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  }, 60_000);

  it("refuses a --jobs that is not a whole number from 1 to 16", async () => {
    for (const jobs of ["0", "17", "1.5", "two"]) {
      const r = await cli(["evaluate", "softone-se", file, "--jobs", jobs]);
      expect([r.code, r.err]).toEqual([
        2,
        expect.stringContaining(`--jobs: expected a whole number from 1 to 16, got "${jobs}"`),
      ]);
    }
  });
});
