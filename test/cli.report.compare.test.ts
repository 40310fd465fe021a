/**
 * The report of several policies: rows grouped by their policy column, `--compare` evaluating the
 * rows without one under each given policy, and the comparison section and every policy's section
 * agreeing, row by row, with `sla-clock evaluate` on the same file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getPolicy } from "../src/index";
import { cli } from "./support/cli";
import { tempDir } from "./support/temp-dir";

const sample = new URL("../examples/data/tickets.csv", import.meta.url).pathname;
const NOW = "2026-12-21T12:00:00+01:00";
const dir = tempDir("sla-clock-report-compare-");

interface EvaluateRow {
  line: number;
  id: string;
  policy: string;
  priority: string | null;
  error: string | null;
  response_status: string | null;
  resolution_status: string | null;
}

/** The sample's first 600 rows with a policy column: empty, softone-se, moch-standard, trinax-alert in turn, and one unknown. */
function mixedFile(): string {
  const [header, ...lines] = readFileSync(sample, "utf8").trim().split("\n");
  const cells = ["", "softone-se", "MOCH-Standard", "trinax-alert", "", "moch-standard"];
  const rows = lines.slice(0, 600).map((l, i) => `${cells[i % cells.length]},${l}`);
  rows.splice(7, 0, `Nope <b>,X-1,1,2026-04-01T09:00,,,,`);
  const file = join(dir, "mixed.csv");
  writeFileSync(file, [`policy,${header}`, ...rows].join("\n"));
  return file;
}

async function evaluated(policy: string, file: string): Promise<EvaluateRow[]> {
  const r = await cli(["evaluate", policy, file, "--now", NOW, "--format", "json"]);
  return (JSON.parse(r.out) as { rows: EvaluateRow[] }).rows;
}

/** The part of the page between a section's start and its end. */
function section(page: string, policyId: string): string {
  const start = page.indexOf(`data-policy-id="${policyId}" aria-labelledby=`);
  expect(start, `section of ${policyId}`).toBeGreaterThan(0);
  return page.slice(start, page.indexOf("</section>", start));
}

const attr = (html: string, re: RegExp) => [...html.matchAll(re)];

/** Asserts that `policyId`'s comparison row and section hold exactly `rows` (evaluate's rows of it). */
function agrees(page: string, policyId: string, rows: readonly EvaluateRow[]): void {
  const ok = rows.filter((r) => r.error === null);
  for (const metric of ["response", "resolution"] as const) {
    const row = attr(
      page,
      new RegExp(
        `<tr class="comparison-row" data-policy-id="${policyId}" data-metric="${metric}" data-tickets="(\\d+)" data-met="(\\d+)" data-breached="(\\d+)" data-running="(\\d+)" data-paused="(\\d+)"`,
        "g",
      ),
    );
    expect(row, `${policyId} ${metric}`).toHaveLength(1);
    const count = (status: string) => ok.filter((r) => r[`${metric}_status`] === status).length;
    expect(row[0]!.slice(1).map(Number)).toEqual([
      ok.length,
      count("met"),
      count("breached"),
      count("running"),
      count("paused"),
    ]);
  }
  const s = section(page, policyId);
  const prefix = /id="(p\d+-)section"/.exec(page.slice(page.lastIndexOf("<section", page.indexOf(s))))![1]!;
  expect(s).toContain(`id="${prefix}total-rows" data-value="${rows.length}"`);
  expect(s).toContain(`id="${prefix}failed-rows" data-value="${rows.length - ok.length}"`);
  const groups = attr(s, /<tbody class="breach" data-priority="([^"]*)" data-metric="([^"]*)">/g);
  const breached = ok.flatMap((r) =>
    (["response", "resolution"] as const)
      .filter((m) => r[`${m}_status`] === "breached")
      .map((m) => `${r.priority} ${m}`),
  );
  expect(groups.map((g) => `${g[1]} ${g[2]}`).sort()).toEqual(breached.sort());
  const failedIds = attr(
    s.slice(s.indexOf(`<table id="${prefix}failed-rows-table">`)),
    /<tr><td class="num">(\d+)<\/td>/g,
  ).map((m) => Number(m[1]));
  if (rows.length > ok.length) expect(failedIds).toEqual(rows.filter((r) => r.error !== null).map((r) => r.line));
}

describe("a report of rows on several policies", async () => {
  const file = mixedFile();
  const html = join(dir, "grouped.html");
  const r = await cli(["report", "softone-se", file, "--now", NOW, "--html", html]);
  const page = readFileSync(html, "utf8");
  const rows = await evaluated("softone-se", file);

  it("groups rows by their policy column and agrees with evaluate per policy", () => {
    expect(r.code).toBe(0);
    expect(page).toContain(`id="total-rows" data-value="${rows.length}"`);
    expect(page).toContain(`id="failed-rows" data-value="${rows.filter((x) => x.error !== null).length}"`);
    // A row naming an unknown policy is the command policy's failed row, with the reason.
    const unknown = rows.find((x) => x.id === "X-1")!;
    expect(unknown.error).toContain("is not a policy sla-clock knows");
    agrees(page, "softone-se", [...rows.filter((x) => x.policy === "softone-se" || x.id === "X-1")]);
    agrees(
      page,
      "moch-standard",
      rows.filter((x) => x.policy === "moch-standard"),
    );
    agrees(
      page,
      "trinax-alert",
      rows.filter((x) => x.policy === "trinax-alert"),
    );
    expect(section(page, "softone-se")).toContain("Nope &lt;b&gt;");
  });

  it("opens with the comparison: its table, and a chart with axis titles and a text alternative", () => {
    const comparison = page.indexOf('<h2 id="comparison">');
    expect(comparison).toBeGreaterThan(0);
    expect(comparison).toBeLessThan(page.indexOf('<section class="policy-section"'));
    const start = page.indexOf('<svg id="policy-comparison"');
    const svg = page.slice(start, page.indexOf("</svg>", start));
    expect(svg).toContain('aria-label="Met % per policy and metric"');
    expect(svg).toContain("role-axis-title");
    expect(svg).toContain(">Policy<");
    expect(page).toContain('<figure id="figure-policy-comparison">');
    // Every id is unique: each section's charts and tables carry its prefix.
    const ids = attr(page, / id="([^"]+)"/g).map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of ["p1-", "p2-", "p3-"])
      for (const id of ["breaches", "filter-priority", "breach-page-status", "met-trend", "summary"])
        expect(ids).toContain(`${p}${id}`);
    expect(page).toContain('["p1-","p2-","p3-"].forEach(wire)');
  });
});

describe("--compare: a what-if of several contracts on the same tickets", async () => {
  const file = mixedFile();
  const html = join(dir, "compare.html");
  const r = await cli([
    "report",
    "softone-se",
    file,
    "--compare",
    "moch-standard",
    "--compare",
    "softone-fi",
    "--now",
    NOW,
    "--html",
    html,
  ]);
  const page = readFileSync(html, "utf8");

  it("evaluates each row without a policy under every given policy, as evaluate with that policy does", async () => {
    expect(r.code).toBe(0);
    const se = await evaluated("softone-se", file);
    const moch = await evaluated("moch-standard", file);
    const fi = await evaluated("softone-fi", file);
    // Rows read once each; each given policy's section: evaluate's rows judged on it (empty cells included).
    expect(page).toContain(`id="total-rows" data-value="${se.length}"`);
    agrees(
      page,
      "softone-se",
      se.filter((x) => x.policy === "softone-se" || x.id === "X-1"),
    );
    agrees(
      page,
      "moch-standard",
      moch.filter((x) => x.policy === "moch-standard"),
    );
    agrees(
      page,
      "softone-fi",
      fi.filter((x) => x.policy === "softone-fi"),
    );
    agrees(
      page,
      "trinax-alert",
      se.filter((x) => x.policy === "trinax-alert"),
    );
    expect(fi.filter((x) => x.policy === "softone-fi").length).toBeGreaterThan(100);
    expect(page).toContain("What-if comparison");
    // Sections in the order given, then the policies the rows name.
    const order = attr(page, /<section class="policy-section" id="p\d+-section" data-policy-id="([^"]+)"/g).map(
      (m) => m[1],
    );
    expect(order).toEqual(["softone-se", "moch-standard", "softone-fi", "trinax-alert"]);
    expect(r.err).toContain(`all policies: rows read: ${se.length}`);
  });

  it("refuses a policy given twice", async () => {
    const twice = await cli(["report", "softone-se", file, "--compare", "softone-se", "--html", join(dir, "x.html")]);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('policy "softone-se" is given twice');
  });

  it("one policy and no other named: the report of that policy alone, as before", async () => {
    const single = join(dir, "single.html");
    expect((await cli(["report", "softone-se", sample, "--now", NOW, "--html", single])).code).toBe(0);
    const text = readFileSync(single, "utf8");
    expect(text).not.toContain('<section class="policy-section"');
    expect(text).toContain('<table id="breaches" class="breaches">');
    expect(text).toContain('[""].forEach(wire)');
  });
});

describe("hostile policy names and ids", () => {
  it("render as text in the comparison and the sections", async () => {
    const spec = structuredClone(getPolicy("softone-se").spec) as unknown as { id: string; name: string };
    const hostile = `</style><script>alert("x")</script>'"<b>`;
    spec.id = `evil"<script>`;
    spec.name = `Evil ${hostile}`;
    const policyFile = join(dir, "evil.json");
    writeFileSync(policyFile, JSON.stringify(spec));
    const input = join(dir, "evil.csv");
    writeFileSync(
      input,
      [
        "id,priority,created_at,responded_at,resolved_at",
        `A-1,1,2026-04-01T09:00,2026-04-01T13:00,`,
        `A-2,2,2026-04-01T09:00,,`,
      ].join("\n"),
    );
    const html = join(dir, "evil.html");
    const r = await cli([
      "report",
      "softone-se",
      input,
      "--compare",
      policyFile,
      "--now",
      "2026-04-07T12:00",
      "--html",
      html,
    ]);
    expect(r.code).toBe(0);
    const page = readFileSync(html, "utf8");
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page.match(/<\/style>/g)).toHaveLength(1);
    expect(page).not.toContain("<b>");
    expect(page).toContain("evil&quot;&lt;script&gt;");
    expect(page).toContain("Evil &lt;/style&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&quot;&lt;b&gt;");
  });
});
