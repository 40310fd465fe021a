/**
 * The HTML report against the `evaluate` command on the same input: every breach, open metric and
 * failed row of the evaluate output is in the report (summed row by row), a breach that stopped
 * outside opening hours shows its calendar overrun, and hostile ids, labels and policy names render
 * as text.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { definePolicy, getPolicy, type Policy, type Ticket, type TicketEvent } from "../src/index";
import { ReportBuilder, type ReportData } from "../src/cli/report/aggregate";
import { renderReport } from "../src/cli/report/html";
import { cli } from "./support/cli";
import { tempDir } from "./support/temp-dir";

const sample = new URL("../examples/data/tickets.csv", import.meta.url).pathname;
const NOW = "2026-12-21T12:00:00+01:00";
const dir = tempDir("sla-clock-report-");

interface EvaluateRow {
  line: number;
  id: string;
  priority: string | null;
  error: string | null;
  response_status: string | null;
  resolution_status: string | null;
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

describe("sla-clock report agrees with sla-clock evaluate", async () => {
  const html = join(dir, "sample.html");
  const report = await cli(["report", "softone-se", sample, "--now", NOW, "--html", html]);
  const evaluated = JSON.parse(
    (await cli(["evaluate", "softone-se", sample, "--now", NOW, "--format", "json"])).out,
  ) as { rows: EvaluateRow[] };
  const page = readFileSync(html, "utf8");
  const rows = evaluated.rows;

  it("counts the rows read and failed, and lists every failed row with its line, id and error", () => {
    expect(report.code).toBe(0);
    const failed = rows.filter((r) => r.error !== null);
    expect(failed.length).toBeGreaterThan(0);
    expect(page).toContain(`id="total-rows" data-value="${rows.length}"`);
    expect(page).toContain(`id="failed-rows" data-value="${failed.length}"`);
    const table = page.slice(page.indexOf('<table id="failed-rows-table">'));
    const listed = [...table.matchAll(/<tr><td class="num">(\d+)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)].map(
      (m) => ({ line: Number(m[1]), id: unescape(m[2]!), error: unescape(m[3]!) }),
    );
    expect(listed).toEqual(failed.map((r) => ({ line: r.line, id: r.id, error: r.error })));
  });

  it("rounds overrun hours as evaluate rounds remaining hours (on the milliseconds, half away from zero)", () => {
    // SO-01698's resolution: evaluate says -1101.72; the page said 1101.71 (a float's x.xx5 rounded down).
    const row = page.slice(page.indexOf("<bdi>SO-01698</bdi></td><td>3</td><td>resolution"));
    expect(row.slice(0, row.indexOf("</tr>"))).toContain('<td class="num">1101.72</td>');
  });

  it("has one breach row per breached metric of each priority, and one open row per running or paused metric", () => {
    const breachGroups = [...page.matchAll(/<tbody class="breach" data-priority="([^"]*)" data-metric="([^"]*)">/g)];
    const openRows = [...page.matchAll(/<tr class="open-row" data-priority="([^"]*)" data-status="([^"]*)"/g)];
    let breached = 0;
    let open = 0;
    for (const priority of ["1", "2", "3", "4", "5"])
      for (const metric of ["response", "resolution"] as const) {
        const mine = rows.filter((r) => r.error === null && r.priority === priority);
        const b = mine.filter((r) => r[`${metric}_status`] === "breached").length;
        const o = mine.filter((r) => ["running", "paused"].includes(r[`${metric}_status`] ?? "")).length;
        expect(breachGroups.filter((m) => m[1] === priority && m[2] === metric)).toHaveLength(b);
        breached += b;
        open += o;
      }
    expect(breachGroups).toHaveLength(breached);
    expect(page).toContain(`id="total-breaches" data-value="${breached}"`);
    expect(page).toContain(`id="total-open" data-value="${open}"`);
    expect(openRows).toHaveLength(Math.min(open, 500));
  });

  it("sorts breaches by overrun and shows the calendar overrun where the business one is 0.00", () => {
    const overruns = [
      ...page.matchAll(/<tr class="breach-row">.*?<td class="num">([\d.]+)<\/td><td class="num">([\d.]+)<\/td><\/tr>/g),
    ].map((m) => [Number(m[1]), Number(m[2])] as const);
    expect(overruns.length).toBeGreaterThan(0);
    for (let i = 1; i < overruns.length; i++) expect(overruns[i]![0]).toBeLessThanOrEqual(overruns[i - 1]![0]);
    const zeroBusiness = overruns.filter(([business]) => business === 0);
    expect(zeroBusiness.length).toBeGreaterThan(0); // stopped outside opening hours, after the deadline
    for (const [, calendar] of zeroBusiness) expect(calendar).toBeGreaterThan(0);
  });

  it("draws every chart as inline SVG with axis titles", () => {
    for (const id of ["met-per-priority", "tickets-per-period", "met-trend", "time-used-distribution"]) {
      const start = page.indexOf(`<svg id="${id}"`);
      expect(start).toBeGreaterThan(0);
      const svg = page.slice(start, page.indexOf("</svg>", start));
      expect(svg).toContain('width="100%"');
      expect(svg).toMatch(/viewBox="0 0 [\d.]+ [\d.]+"/);
      expect(svg).toContain("role-axis-title");
    }
  });
});

describe("a report of a policy with next-reply and periodic-update targets", () => {
  it("counts their cycles by status, as evaluate's summary does, and says where the cycles are charted", async () => {
    const fixtures = fileURLToPath(new URL("./fixtures/exports/", import.meta.url));
    const policy = join(fixtures, "reply-policy.json");
    const replies = join(fixtures, "replies.csv");
    const out = join(tempDir("sla-report-cycles-"), "cycles.html");
    const now = "2026-04-20T00:00Z";
    const report = await cli(["report", policy, replies, "--now", now, "--html", out]);
    expect(report.code).toBe(0);
    const page = readFileSync(out, "utf8");
    const evaluated = await cli(["evaluate", policy, replies, "--now", now, "--format", "json"]);
    const rows = (JSON.parse(evaluated.out) as { rows: Record<string, unknown>[] }).rows;
    const breachedCycles = rows.reduce(
      (n, r) => n + (typeof r.next_reply_breaches === "number" ? r.next_reply_breaches : 0),
      0,
    );
    expect(breachedCycles).toBeGreaterThan(0);
    // Before, these breaches were shown nowhere on the page.
    expect(page).toContain(`id="next-reply-breached" data-value="${breachedCycles}"`);
    expect(page).toContain(
      "Met per priority and metric covers response and resolution; next-reply and periodic-update cycles are counted above",
    );
    expect(page).toContain("the trend and the time used have charts of their own for them (counted per cycle)");
    for (const id of ["cycle-met-trend", "cycle-time-used-distribution"]) expect(page).toContain(`<svg id="${id}"`);
    expect(report.err).toContain("next reply");
  });
});

describe("the open queue and breach list of a policy with cycle metrics", () => {
  it("list each open next-reply and periodic-update cycle and every breached cycle, as evaluate counts them", async () => {
    const fixtures = fileURLToPath(new URL("./fixtures/exports/", import.meta.url));
    const policy = join(fixtures, "reply-policy.json");
    const replies = join(fixtures, "replies.csv");
    const columns = {
      response: "response",
      resolution: "resolution",
      nextReply: "next_reply",
      periodicUpdate: "periodic_update",
    };
    let openCycles = 0;
    let breachedCycles = 0;
    let breachedAll = 0;
    // Mid-day, a cycle of each kind is open; a week later they have stopped or breached.
    for (const now of ["2026-04-13T16:00+02:00", "2026-04-13T12:00+02:00", "2026-04-20T00:00Z"]) {
      const out = join(tempDir("sla-report-cycle-queue-"), "r.html");
      expect((await cli(["report", policy, replies, "--now", now, "--html", out])).code).toBe(0);
      const page = readFileSync(out, "utf8");
      const evaluated = await cli(["evaluate", policy, replies, "--now", now, "--format", "json"]);
      const rows = (JSON.parse(evaluated.out) as { rows: Record<string, unknown>[] }).rows;
      for (const [metric, column] of Object.entries(columns)) {
        const open = rows.filter(
          (r) => r[`${column}_status`] === "running" || r[`${column}_status`] === "paused",
        ).length;
        const breaches = rows.reduce(
          (n, r) =>
            n +
            (metric === "response" || metric === "resolution"
              ? r[`${column}_status`] === "breached"
                ? 1
                : 0
              : typeof r[`${column}_breaches`] === "number"
                ? (r[`${column}_breaches`] as number)
                : 0),
          0,
        );
        expect(
          (page.match(new RegExp(`<tr class="open-row"[^>]* data-metric="${metric}"`, "g")) ?? []).length,
          `${now} ${metric} open`,
        ).toBe(open);
        expect(
          (page.match(new RegExp(`<tbody class="breach" [^>]*data-metric="${metric}"`, "g")) ?? []).length,
          `${now} ${metric} breached`,
        ).toBe(breaches);
        if (metric === "nextReply" || metric === "periodicUpdate") {
          openCycles += open;
          breachedCycles += breaches;
        }
        breachedAll += breaches;
      }
      expect(page).toContain(`<option value="nextReply">nextReply</option>`);
      // The facts' total counts the cycles' breaches too, and says so.
      expect(page).toContain(
        `id="total-breaches" data-value="${breachedAll}">${breachedAll}</span> breached metrics (breached next-reply and periodic-update cycles included)`,
      );
      breachedAll = 0;
    }
    // The fixture does exercise both: open cycles and breached ones.
    expect(openCycles).toBeGreaterThan(0);
    expect(breachedCycles).toBeGreaterThan(0);
  });
});

describe("hostile text in the report", () => {
  it("ids, priority labels and the policy name render as text", async () => {
    const spec = structuredClone(getPolicy("softone-se").spec) as unknown as {
      id: string;
      name: string;
      priorities: { label: string; labelEn?: string }[];
    };
    const hostile = `</style><script>alert("x")</script>'"<b>`;
    spec.name = `Evil ${hostile}`;
    spec.id = "evil-policy";
    for (const p of spec.priorities) {
      p.label = `L ${hostile}`;
      delete p.labelEn;
    }
    const policyFile = join(dir, "evil.json");
    writeFileSync(policyFile, JSON.stringify(spec));
    const input = join(dir, "evil.csv");
    writeFileSync(
      input,
      [
        "id,priority,created_at,responded_at,resolved_at,pauses,priority_changes",
        `"<script>alert(1)</script>",1,2026-04-01T09:00,,,,`,
        `"</style>""'",2,2026-04-01T09:00,,,,`,
        `"<img src=x onerror=alert(2)>",9,2026-04-01T09:00,,,,`,
      ].join("\n"),
    );
    const html = join(dir, "evil.html");
    const r = await cli(["report", policyFile, input, "--now", "2026-04-07T12:00", "--html", html]);
    expect(r.code).toBe(0);
    const page = readFileSync(html, "utf8");
    expect(page.match(/<script/g)).toHaveLength(1); // the report's own
    expect(page.match(/<\/style>/g)).toHaveLength(1);
    expect(page).not.toContain("<img");
    expect(page).not.toContain("<b>");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).toContain("&lt;/style&gt;&quot;&#39;");
    expect(page).toContain("Evil &lt;/style&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&quot;&lt;b&gt;");
  });
});

/** The page `report softone-se` writes for these rows (after a header id,priority,created_at) at `now`. */
async function reportOf(name: string, rows: readonly string[], now: string): Promise<string> {
  const input = join(dir, `${name}.csv`);
  writeFileSync(input, `${["id,priority,created_at", ...rows].join("\n")}\n`);
  const html = join(dir, `${name}.html`);
  expect((await cli(["report", "softone-se", input, "--now", now, "--html", html])).code).toBe(0);
  return readFileSync(html, "utf8");
}

describe("the open queue's note", () => {
  it("counts every open metric at risk, not only the 500 listed", async () => {
    // 600 fresh P1 tickets fill the list; the one P3 at 78 % of its four weeks is beyond it.
    const rows = [...Array.from({ length: 600 }, (_, i) => `N-${i},1,2026-04-13 08:00`), "R-1,3,2026-03-20 10:00"];
    const page = await reportOf("at-risk", rows, "2026-04-13T09:00:00+02:00");
    const note = /id="open-note"[^>]*data-at-risk="(\d+)"[^>]*>([^<]*)/.exec(page);
    expect(note?.[1]).toBe("1");
    expect(note?.[2]).toContain("1 at risk");
  });
});

describe("the note on timelines", () => {
  it("appears only when a breached ticket was left without its timeline", async () => {
    // 1 200 tickets breach both metrics: 2 400 breach rows, every one with its timeline.
    const rows = Array.from({ length: 1200 }, (_, i) => `B-${i},1,2026-04-13 08:00`);
    const page = await reportOf("two-breaches", rows, "2026-04-20T12:00:00+02:00");
    expect(page.split('<tr class="breach-explanation">').length - 1).toBe(2400);
    expect(page).not.toContain("Timelines are kept");
  }, 30_000);
});

/** A report builder's data for these tickets of `policy`, each evaluated at `now` (its breach file removed when the test ends). */
function reportData(policy: Policy, tickets: readonly Ticket[], now: string): ReportData {
  const builder = new ReportBuilder(policy, policy.calendar.zone);
  tickets.forEach((ticket, i) =>
    builder.add({
      line: i + 2,
      id: String(ticket.id),
      policy: policy.id,
      priority: String(ticket.priority),
      evaluation: policy.evaluate(ticket, now),
      ticket,
    }),
  );
  onTestFinished(() => builder.dispose());
  return builder.result(Date.parse(now));
}

/** The HTML page of a report's data, as one string. */
async function pageOf(data: ReportData, policy: Policy): Promise<string> {
  const chunks: string[] = [];
  await renderReport(data, policy.calendar, (chunk) => chunks.push(chunk.toString()));
  return chunks.join("");
}

describe("the trend of a report", () => {
  const softone = getPolicy("softone-se");
  const created = (id: string, createdAt: string): Ticket => ({ id, priority: 3, createdAt, events: [] });

  it("keeps a week without tickets between two with tickets, with no met % (before, the axis skipped it)", () => {
    // Weeks 14 and 16 of 2026 have tickets; week 15 (Apr 6–12) has none.
    const data = reportData(
      softone,
      [created("A", "2026-03-31T09:00"), created("B", "2026-04-14T09:00"), created("C", "2026-04-15T09:00")],
      "2026-04-20T12:00:00+02:00",
    );
    expect(data.trendUnit).toBe("week");
    expect(data.trend.map((t) => [t.period, t.metric, t.tickets])).toEqual([
      ["2026-W14", "response", 1],
      ["2026-W14", "resolution", 1],
      ["2026-W15", "response", 0],
      ["2026-W15", "resolution", 0],
      ["2026-W16", "response", 2],
      ["2026-W16", "resolution", 2],
    ]);
    expect(data.trend.filter((t) => t.period === "2026-W15")).toEqual([
      { period: "2026-W15", metric: "response", tickets: 0, met: 0, breached: 0, metPct: null },
      { period: "2026-W15", metric: "resolution", tickets: 0, met: 0, breached: 0, metPct: null },
    ]);
  });

  it("draws the empty week on both trend charts' axes and lists it with 0 tickets", async () => {
    const data = reportData(
      softone,
      [created("A", "2026-03-31T09:00"), created("B", "2026-04-14T09:00")],
      "2026-04-20T12:00:00+02:00",
    );
    const page = await pageOf(data, softone);
    for (const id of ["tickets-per-period", "met-trend"]) {
      const svg = page.slice(page.indexOf(`<svg id="${id}"`), page.indexOf("</svg>", page.indexOf(`<svg id="${id}"`)));
      expect(svg, id).toMatch(/>2026-W15<\/text>/);
    }
    expect(page).toContain(
      '<tr><td>2026-W15</td><td>response</td><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">–</td></tr>',
    );
  });

  it("keeps months without tickets, across a year's end, when the data spans more than 26 weeks", () => {
    const data = reportData(
      softone,
      [created("A", "2025-11-04T09:00"), created("B", "2026-06-02T09:00")],
      "2026-06-30T12:00:00+02:00",
    );
    expect(data.trendUnit).toBe("month");
    expect([...new Set(data.trend.map((t) => t.period))]).toEqual([
      "2025-11",
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
      "2026-05",
      "2026-06",
    ]);
    expect(data.trend.filter((t) => t.tickets > 0).map((t) => t.period)).toEqual([
      "2025-11",
      "2025-11",
      "2026-06",
      "2026-06",
    ]);
  });

  it("counts per year when the data spans more than ten years (1900 to 2200 were 3 612 months)", () => {
    const data = reportData(
      softone,
      [created("A", "1900-01-02T09:00"), created("B", "2200-12-01T10:00")],
      "2200-12-30T00:00:00+01:00",
    );
    expect(data.trendUnit).toBe("year");
    const periods = [...new Set(data.trend.map((t) => t.period))];
    expect(periods).toHaveLength(301);
    expect([periods[0], periods[1], periods.at(-1)]).toEqual(["1900", "1901", "2200"]);
    expect(data.trend.filter((t) => t.tickets > 0).map((t) => t.period)).toEqual(["1900", "1900", "2200", "2200"]);
  });
});

describe("the trend and time-used charts of a policy with next-reply and periodic-update targets", () => {
  // softone-se (weekdays 08:00–12:00 and 13:00–16:00 Stockholm) with P1 next reply 2 business
  // hours and periodic update 4, as in test/clock.cycles.test.ts.
  const softone = getPolicy("softone-se");
  const hoursTarget = (h: number) => ({ kind: "business", duration: `PT${h}H` }) as const;
  const policy = definePolicy({
    ...softone.spec,
    id: "softone-se-cycles",
    priorities: softone.spec.priorities.map((p) =>
      p.id === 1 ? { ...p, targets: { ...p.targets, nextReply: hoursTarget(2), periodicUpdate: hoursTarget(4) } } : p,
    ),
  });
  const reply = (type: "agentReply" | "customerReply" | "resolve", at: string): TicketEvent => ({ type, at });
  // T-1 (week 16): next reply 1 h of 2 (met, Mon 10:00), then 6.5 h of 2 (breached Mon 13:30);
  // periodic update 1.5 h of 4 (met Mon 10:00), 7 h of 4 (breached Mon 15:00), 1 h of 4 (met at the
  // resolve, Tue 11:00). T-2 (week 18): next reply 0.5 h and periodic update 1 h (met Mon 09:30),
  // then an update cycle still running. Week 17 decides no cycle.
  const tickets: Ticket[] = [
    {
      id: "T-1",
      priority: 1,
      createdAt: "2026-04-13T08:00",
      events: [
        reply("agentReply", "2026-04-13T08:30"),
        reply("customerReply", "2026-04-13T09:00"),
        reply("agentReply", "2026-04-13T10:00"),
        reply("customerReply", "2026-04-13T10:30"),
        reply("agentReply", "2026-04-14T10:00"),
        reply("resolve", "2026-04-14T11:00"),
      ],
    },
    {
      id: "T-2",
      priority: 1,
      createdAt: "2026-04-27T08:00",
      events: [
        reply("agentReply", "2026-04-27T08:30"),
        reply("customerReply", "2026-04-27T09:00"),
        reply("agentReply", "2026-04-27T09:30"),
      ],
    },
  ];
  const now = "2026-04-27T10:00:00+02:00";

  it("count cycles met and breached per week of the cycle's stop or breach, empty weeks kept", () => {
    const data = reportData(policy, tickets, now);
    expect(data.trendUnit).toBe("week");
    expect(data.cycleTrend).toEqual([
      { period: "2026-W16", metric: "nextReply", cycles: 2, met: 1, breached: 1, metPct: 50 },
      { period: "2026-W16", metric: "periodicUpdate", cycles: 3, met: 2, breached: 1, metPct: 66.67 },
      { period: "2026-W17", metric: "nextReply", cycles: 0, met: 0, breached: 0, metPct: null },
      { period: "2026-W17", metric: "periodicUpdate", cycles: 0, met: 0, breached: 0, metPct: null },
      { period: "2026-W18", metric: "nextReply", cycles: 1, met: 1, breached: 0, metPct: 100 },
      { period: "2026-W18", metric: "periodicUpdate", cycles: 1, met: 1, breached: 0, metPct: 100 },
    ]);
    // Tickets stay counted by creation, response and resolution only.
    expect(new Set(data.trend.map((t) => t.metric))).toEqual(new Set(["response", "resolution"]));
  });

  it("take their unit from the cycles' span too: cycles decided 30 weeks after the only creation are counted per month on both charts", () => {
    // Created and first answered in week 3 of January; the periodic update owed from that answer
    // breaches the same day; the customer writes again in August and is answered in time.
    const late: Ticket = {
      id: "T-3",
      priority: 1,
      createdAt: "2026-01-12T08:00",
      events: [
        reply("agentReply", "2026-01-12T08:30"),
        reply("customerReply", "2026-08-10T09:00"),
        reply("agentReply", "2026-08-10T09:30"),
      ],
    };
    const data = reportData(policy, [late], "2026-08-10T10:00:00+02:00");
    expect(data.trendUnit).toBe("month");
    expect([...new Set(data.trend.map((t) => t.period))]).toEqual(["2026-01"]);
    const periods = [...new Set(data.cycleTrend.map((t) => t.period))];
    expect(periods).toEqual(["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]);
    expect(data.cycleTrend.filter((t) => t.cycles > 0).map((t) => [t.period, t.metric, t.met, t.breached])).toEqual([
      ["2026-01", "periodicUpdate", 0, 1],
      ["2026-08", "nextReply", 1, 0],
    ]);
  });

  it("count per year when cycles are decided over more than ten years (1900 to 2200 were 15 700 weeks)", () => {
    const long: Ticket = {
      id: "T-4",
      priority: 1,
      createdAt: "1900-01-02T09:00",
      events: [reply("agentReply", "1900-01-02T09:30"), reply("customerReply", "2200-12-01T10:00")],
    };
    const data = reportData(policy, [long], "2200-12-30T00:00:00+01:00");
    expect(data.trendUnit).toBe("year");
    const periods = [...new Set(data.cycleTrend.map((t) => t.period))];
    expect(periods).toHaveLength(301);
    expect([periods[0], periods.at(-1)]).toEqual(["1900", "2200"]);
  });

  it("count each cycle that met or breached by the share of its target it used", () => {
    const data = reportData(policy, tickets, now);
    // Buckets 0–25, 25–50, 50–75, 75–100, 100–125, 125–150, 150–200, ≥ 200 %.
    expect(data.cycleDistribution).toEqual([
      { priority: "1", label: "Priority 1", metric: "nextReply", counts: [0, 1, 1, 0, 0, 0, 0, 1] },
      { priority: "1", label: "Priority 1", metric: "periodicUpdate", counts: [0, 3, 0, 0, 0, 0, 1, 0] },
    ]);
    expect(data.distribution.map((d) => d.metric)).not.toContain("nextReply");
  });

  it("draw them as charts of cycles, and a policy without such targets has neither", async () => {
    const page = await pageOf(reportData(policy, tickets, now), policy);
    for (const id of ["cycle-met-trend", "cycle-time-used-distribution"]) {
      expect(page).toContain(`<figure id="figure-${id}">`);
      const svg = page.slice(page.indexOf(`<svg id="${id}"`), page.indexOf("</svg>", page.indexOf(`<svg id="${id}"`)));
      expect(svg, id).toContain("role-axis-title");
      expect(svg, id).toMatch(/aria-label="[^"]*cycles/);
    }
    expect(page).toContain(
      '<tr><td>2026-W16</td><td>periodic-update cycles</td><td class="num">3</td><td class="num">2</td><td class="num">1</td><td class="num">66.7 %</td></tr>',
    );
    const twoMetrics = await pageOf(reportData(softone, tickets, now), softone);
    expect(twoMetrics).not.toContain("cycle-met-trend");
    expect(twoMetrics).not.toContain("cycle-time-used-distribution");
  });
});
