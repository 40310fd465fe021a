/**
 * The HTML report of the sample export, opened in headless Chromium: the charts render, and the
 * numbers in the page are the summary that the library computes for the same file.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import { parse } from "csv-parse/sync";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPolicy, type Ticket, type TicketEvent } from "../../src/index";
import { runCli } from "../../src/cli/program";
import { tempDir } from "../support/temp-dir";

const CHROMIUM = "/usr/bin/chromium";
const sample = new URL("../../examples/data/tickets.csv", import.meta.url).pathname;
const NOW = "2026-12-21T12:00:00+01:00";
const dir = tempDir("sla-clock-e2e-");
const html = join(dir, "report.html");
let browser: BrowserContext;

const sink = () =>
  new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });

// A fresh, empty browser profile (Playwright passes it as --user-data-dir; it refuses the flag in
// args), removed after the browser has closed (after-hooks run last-registered first).
const profile = tempDir("sla-clock-chromium-");

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); .ci/run does this`);
  const code = await runCli(["node", "sla-clock", "report", "softone-se", sample, "--now", NOW, "--html", html], {
    stdin: process.stdin,
    stdout: sink(),
    stderr: sink(),
  });
  expect(code).toBe(0); // written, with the sample's eight malformed rows listed (exit 1 only with --strict)
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
  it("loads with no console error and no network request, every chart drawn with axis titles", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(html).href);
    await page.waitForLoadState("load");
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(html).href]); // the page itself, nothing else
    const charts = ["met-per-priority", "tickets-per-period", "met-trend", "time-used-distribution"];
    expect(await page.locator("svg.chart").count()).toBe(charts.length);
    for (const id of charts) {
      const chart = page.locator(`svg#${id}`);
      const box = await chart.boundingBox();
      expect(box?.width).toBeGreaterThan(600); // the page width, not a fixed size
      expect(box?.height).toBeGreaterThan(150);
      expect(await chart.getAttribute("aria-label")).toBeTruthy();
      const titles = await chart.locator(".role-axis-title text").allTextContents();
      expect(titles.filter((t) => t.trim() !== "").length).toBeGreaterThanOrEqual(2);
      const marks = await chart
        .locator(".mark-rect path, .mark-line path, .mark-symbol path")
        .evaluateAll((ps) => ps.map((p) => p.getBoundingClientRect().height));
      expect(Math.max(...marks)).toBeGreaterThan(5);
      // Captioned, with the data as a table.
      const figure = page.locator(`#figure-${id}`);
      expect((await figure.locator("figcaption").textContent())?.length).toBeGreaterThan(10);
      expect(await figure.locator("details table tbody tr").count()).toBeGreaterThan(0);
    }
    await page.close();
  });

  it("filters the breach table to one priority and pages to the last breach", async () => {
    const expected = expectedSummary();
    const page = await browser.newPage();
    await page.goto(pathToFileURL(html).href);
    const status = page.locator("#breach-page-status");
    const total = [...expected.perPriority.values()].reduce((s, p) => s + p.responseBreached + p.resolutionBreached, 0);
    expect(await status.getAttribute("data-matching")).toBe(String(total));
    expect(await page.locator("#breaches tbody.breach:visible").count()).toBe(Math.min(total, 50));
    for (const priority of ["1", "3"]) {
      const e = expected.perPriority.get(priority)!;
      await page.selectOption("#filter-priority", priority);
      expect(await status.getAttribute("data-matching")).toBe(String(e.responseBreached + e.resolutionBreached));
      const shown = await page
        .locator("#breaches tbody.breach:visible")
        .evaluateAll((gs) => gs.map((g) => g.getAttribute("data-priority")));
      expect(shown.length).toBe(Math.min(50, e.responseBreached + e.resolutionBreached));
      expect(new Set(shown)).toEqual(new Set([priority]));
    }
    await page.selectOption("#filter-priority", "1");
    await page.selectOption("#filter-metric", "resolution");
    const p1 = expected.perPriority.get("1")!;
    expect(await status.getAttribute("data-matching")).toBe(String(p1.resolutionBreached));
    // All breaches again, then Next until the last page: its last row is the table's last breach.
    await page.selectOption("#filter-priority", "");
    await page.selectOption("#filter-metric", "");
    const pages = Number(await status.getAttribute("data-pages"));
    expect(pages).toBe(Math.ceil(total / 50));
    const seen = new Set<string>();
    for (let i = 1; i <= pages; i++) {
      expect(await status.getAttribute("data-page")).toBe(String(i));
      for (const t of await page
        .locator("#breaches tbody.breach:visible tr.breach-row")
        .evaluateAll((rows) => rows.map((r) => r.textContent ?? "")))
        seen.add(t);
      if (i < pages) await page.click("#breach-next");
    }
    expect(await page.locator("#breach-next").isDisabled()).toBe(true);
    expect(seen.size).toBe(total);
    const lastInTable = page.locator("#breaches tbody.breach").last();
    expect(await lastInTable.isVisible()).toBe(true);
    await page.close();
  });

  it("shows every breach, and no dead controls, with scripts off", async () => {
    const context = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
    try {
      const page = await context.newPage({ javaScriptEnabled: false });
      await page.goto(pathToFileURL(html).href);
      const all = await page.locator("#breaches tbody.breach").count();
      expect(await page.locator("#breaches tbody.breach:visible").count()).toBe(all);
      expect(await page.locator("#breach-controls").isVisible()).toBe(false);
      expect(await page.locator("svg#met-trend").isVisible()).toBe(true);
    } finally {
      await context.close();
    }
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

describe("a two-policy report in Chromium", () => {
  const compared = join(dir, "compare.html");

  beforeAll(async () => {
    const code = await runCli(
      [
        "node",
        "sla-clock",
        "report",
        "softone-se",
        sample,
        "--compare",
        "moch-standard",
        "--now",
        NOW,
        "--html",
        compared,
      ],
      { stdin: process.stdin, stdout: sink(), stderr: sink() },
    );
    expect(code).toBe(0);
  });

  it("shows the comparison chart with axis titles and both policy sections, with no console error", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(pathToFileURL(compared).href);
    expect(problems).toEqual([]);
    const chart = page.locator("svg#policy-comparison");
    expect((await chart.boundingBox())?.width).toBeGreaterThan(600);
    expect(await chart.getAttribute("aria-label")).toBe("Met % per policy and metric");
    const titles = (await chart.locator(".role-axis-title text").allTextContents()).filter((t) => t.trim() !== "");
    expect(titles).toContain("Policy");
    expect(titles.some((t) => t.startsWith("Met %"))).toBe(true);
    expect(await page.locator("#figure-policy-comparison details table tbody tr").count()).toBe(4);
    expect(await page.locator("#comparison-table tr.comparison-row").count()).toBe(4);
    for (const [prefix, id] of [
      ["p1-", "softone-se"],
      ["p2-", "moch-standard"],
    ] as const) {
      const section = page.locator(`#${prefix}section`);
      expect(await section.getAttribute("data-policy-id")).toBe(id);
      expect(await section.locator("svg.chart").count()).toBe(4);
      expect(await page.locator(`#${prefix}summary tr.priority-row`).count()).toBeGreaterThan(0);
    }
    await page.close();
  });

  it("filters one policy's breach table without touching the other's", async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(compared).href);
    const count = (prefix: string, priority?: string) =>
      page
        .locator(`#${prefix}breaches tbody.breach${priority === undefined ? "" : `[data-priority="${priority}"]`}`)
        .count();
    const p1Status = page.locator("#p1-breach-page-status");
    const p2Status = page.locator("#p2-breach-page-status");
    const p1All = await count("p1-");
    const p2All = await count("p2-");
    expect(p2All).toBeGreaterThan(0);
    expect(await p1Status.getAttribute("data-matching")).toBe(String(p1All));
    expect(await p2Status.getAttribute("data-matching")).toBe(String(p2All));
    const priorities = await page
      .locator("#p2-filter-priority option")
      .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value).filter((v) => v !== ""));
    expect(priorities.length).toBeGreaterThan(0);
    const priority = priorities[0]!;
    await page.selectOption("#p2-filter-priority", priority);
    const mine = await count("p2-", priority);
    expect(await p2Status.getAttribute("data-matching")).toBe(String(mine));
    const shown = await page
      .locator("#p2-breaches tbody.breach:visible")
      .evaluateAll((gs) => gs.map((g) => g.getAttribute("data-priority")));
    expect(shown.length).toBe(Math.min(50, mine));
    expect(new Set(shown)).toEqual(new Set([priority]));
    // The other policy's table still shows all of its breaches' first page.
    expect(await p1Status.getAttribute("data-matching")).toBe(String(p1All));
    expect(await page.locator("#p1-breaches tbody.breach:visible").count()).toBe(Math.min(50, p1All));
    await page.close();
  });
});
