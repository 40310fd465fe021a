/**
 * The HTML report of the sample export, opened in headless Chromium: the charts render, and the
 * numbers in the page are the summary that the library computes for the same file.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import { parse } from "csv-parse/sync";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPolicy, type Ticket, type TicketEvent } from "../../src/index";
import { runCli } from "../../src/cli/program";

const CHROMIUM = "/usr/bin/chromium";
const sample = new URL("../../examples/data/tickets.csv", import.meta.url).pathname;
const NOW = "2026-12-21T12:00:00+01:00";
const dir = mkdtempSync(join(tmpdir(), "sla-clock-e2e-"));
const html = join(dir, "report.html");
let browser: BrowserContext;

const sink = () =>
  new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); .ci/run does this`);
  const code = await runCli(["node", "sla-clock", "report", "softone-se", sample, "--now", NOW, "--html", html], {
    stdin: process.stdin,
    stdout: sink(),
    stderr: sink(),
  });
  expect(code).toBe(0); // written, with the sample's eight malformed rows listed (exit 1 only with --strict)
  // A fresh, empty profile (Playwright passes it as --user-data-dir; it refuses the flag in args).
  const profile = mkdtempSync(join(tmpdir(), "sla-clock-chromium-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
});

interface Expected {
  count: number;
  responseMet: number;
  responseBreached: number;
  resolutionMet: number;
  resolutionBreached: number;
  /** Whole minutes to the first response of each answered ticket. */
  minutes: number[];
}

/** The summary computed independently of the report: policy.evaluate per CSV row. */
function expectedSummary() {
  const policy = getPolicy("softone-se");
  const rows = parse(readFileSync(sample, "utf8"), { columns: true }) as Record<string, string>[];
  const perPriority = new Map<string, Expected>();
  let failed = 0;
  for (const r of rows) {
    const events: TicketEvent[] = [];
    if (r.responded_at) events.push({ type: "respond", at: r.responded_at });
    if (r.resolved_at) events.push({ type: "resolve", at: r.resolved_at });
    let malformed = false;
    for (const pair of (r.pauses ?? "").split(";").filter(Boolean)) {
      const [a, b] = pair.split("/");
      if (b === undefined) malformed = true; // documented as start/end; "start/" for a running pause
      events.push({ type: "pause", at: a! });
      if (b) events.push({ type: "resume", at: b });
    }
    for (const pair of (r.priority_changes ?? "").split(";").filter(Boolean)) {
      const [at, p] = pair.split("=");
      events.push({ type: "priority", at: at!, priority: p! });
    }
    events.sort(
      (x, y) =>
        Date.parse(String(x.at)) - Date.parse(String(y.at)) || (x.type === "resume" ? -1 : y.type === "resume" ? 1 : 0),
    );
    try {
      if (!r.id || malformed) throw new Error("malformed row");
      const e = policy.evaluate({ id: r.id, priority: r.priority!, createdAt: r.created_at!, events } as Ticket, NOW);
      const key = String(e.priority);
      const s = perPriority.get(key) ?? {
        count: 0,
        responseMet: 0,
        responseBreached: 0,
        resolutionMet: 0,
        resolutionBreached: 0,
        minutes: [],
      };
      s.count++;
      if (e.response.status === "met") s.responseMet++;
      if (e.response.status === "breached") s.responseBreached++;
      if (e.resolution.status === "met") s.resolutionMet++;
      if (e.resolution.status === "breached") s.resolutionBreached++;
      if (e.response.stoppedBy === "respond") s.minutes.push(Math.floor(e.response.elapsed / 60_000));
      perPriority.set(key, s);
    } catch {
      failed++;
    }
  }
  return { rows: rows.length, failed, perPriority };
}

/** met ÷ (met + breached) in percent, to two decimals, as the page writes it ("" when undefined). */
const metPct = (met: number, breached: number) =>
  met + breached === 0 ? "" : String(Math.round((met / (met + breached)) * 10_000) / 100);

/** The lower median of whole minutes, in hours to two decimals (the summary's one-minute histogram). */
function medianHours(minutes: readonly number[]): string {
  if (minutes.length === 0) return "";
  const sorted = [...minutes].sort((a, b) => a - b);
  return String(Math.round((sorted[Math.ceil(sorted.length / 2) - 1]! / 60) * 100) / 100);
}

describe("the HTML report in Chromium", () => {
  it("renders every chart with visible bars", async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(html).href);
    for (const id of ["breaches-per-week", "met-per-priority", "response-distribution"]) {
      const chart = page.locator(`svg#${id}`);
      const box = await chart.boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      expect(box?.height).toBeGreaterThan(100);
      const heights = await chart
        .locator("rect.bar")
        .evaluateAll((bars) => bars.map((b) => b.getBoundingClientRect().height));
      expect(heights.length).toBeGreaterThan(0);
      expect(Math.max(...heights)).toBeGreaterThan(10);
    }
    expect(await page.locator("svg#response-distribution line.target-line").count()).toBe(1);
    await page.close();
  });

  it("shows the numbers of the summary", async () => {
    const expected = expectedSummary();
    const page = await browser.newPage();
    await page.goto(pathToFileURL(html).href);
    expect(await page.locator("#total-rows").getAttribute("data-value")).toBe(String(expected.rows));
    expect(await page.locator("#failed-rows").getAttribute("data-value")).toBe(String(expected.failed));
    const rows = await page.locator("tr.priority-row").evaluateAll((trs) =>
      trs.map((tr) => ({
        priority: tr.getAttribute("data-priority"),
        count: Number(tr.getAttribute("data-count")),
        responseMetPct: tr.getAttribute("data-response-met-pct"),
        responseBreached: Number(tr.getAttribute("data-response-breached")),
        resolutionMetPct: tr.getAttribute("data-resolution-met-pct"),
        resolutionBreached: Number(tr.getAttribute("data-resolution-breached")),
        medianResponseHours: tr.getAttribute("data-median-response-hours"),
        text: tr.textContent ?? "",
      })),
    );
    expect(rows.map((r) => r.priority)).toEqual(["1", "2", "3", "4", "5"]);
    for (const r of rows) {
      const e = expected.perPriority.get(r.priority!)!;
      expect({
        count: r.count,
        responseMetPct: r.responseMetPct,
        responseBreached: r.responseBreached,
        resolutionMetPct: r.resolutionMetPct,
        resolutionBreached: r.resolutionBreached,
        medianResponseHours: r.medianResponseHours,
      }).toEqual({
        count: e.count,
        responseMetPct: metPct(e.responseMet, e.responseBreached),
        responseBreached: e.responseBreached,
        resolutionMetPct: metPct(e.resolutionMet, e.resolutionBreached),
        resolutionBreached: e.resolutionBreached,
        medianResponseHours: medianHours(e.minutes),
      });
      // …and the visible cells say the same.
      expect(r.text).toContain(String(e.count));
      if (e.minutes.length > 0) expect(r.text).toContain(Number(medianHours(e.minutes)).toFixed(2));
    }
    const breachRows = await page.locator("tr.breach-row").count();
    const note = page.locator("#breach-table-note");
    const total = [...expected.perPriority.values()].reduce((s, p) => s + p.responseBreached + p.resolutionBreached, 0);
    expect(Number(await page.locator("#total-breaches").getAttribute("data-value"))).toBe(total);
    expect(breachRows).toBe(Number(await note.getAttribute("data-shown")));
    expect(breachRows + Number(await note.getAttribute("data-left-out"))).toBe(total);
    if (breachRows < total) expect(await note.textContent()).toContain(`${total - breachRows} more not shown`);
    await page.close();
  });
});
