/**
 * Renders docs/report.png: the HTML report of examples/data/tickets.csv (at a fixed `now`) opened
 * in headless Chromium (playwright-core, Debian's /usr/bin/chromium or $CHROMIUM), the top of the
 * page to the end of the trend charts. Run: `npm run docs:screenshot` (after a change to the report).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { runCli } from "../src/cli/program";

const root = new URL("..", import.meta.url).pathname;
const out = process.argv[2] ?? join(root, "docs/report.png");
const html = join(mkdtempSync(join(tmpdir(), "sla-clock-shot-")), "report.html");
const sink = new Writable({ write: (_c, _e, done) => done() });
const code = await runCli(
  [
    "node",
    "sla-clock",
    "report",
    "softone-se",
    join(root, "examples/data/tickets.csv"),
    "--now",
    "2026-12-21T12:00:00+01:00",
    "--html",
    html,
  ],
  { stdin: process.stdin, stdout: sink, stderr: sink },
);
if (code !== 0) throw new Error(`report exited ${code}`);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(html).href);
  const end = await page.locator("#figure-met-trend").boundingBox();
  await page.screenshot({
    path: out,
    fullPage: true,
    clip: { x: 0, y: 0, width: 1200, height: Math.ceil((end?.y ?? 0) + (end?.height ?? 1800)) },
  });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
