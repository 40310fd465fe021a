import type { Calendar } from "../../calendar/calendar";
import { formatLocal } from "../format";
import type { MetricCounts, SummaryResult } from "../summary";
import {
  EXPLAINED_BREACH_LIMIT,
  FAILED_ROW_LIMIT,
  FRACTION_BUCKETS,
  OPEN_QUEUE_LIMIT,
  SHARE_HISTOGRAM_MAX_PCT,
  type MetricComparison,
  type ReportData,
} from "./aggregate";
import type { BreachTable } from "./breaches";
import { METRICS } from "../../policy/metrics";
import { CHART_WIDTH, renderChart } from "./charts";
import { escapeHtml } from "./escape";

export { escapeHtml } from "./escape";

/**
 * Breach rows per page of the breach table (the inline script pages; without script all rows show).
 *
 * @example
 * ```ts
 * const pages = Math.ceil(breaches / BREACH_PAGE_SIZE); // 50 rows a page
 * ```
 */
export const BREACH_PAGE_SIZE = 50;

const pct = (v: number | null) => (v === null ? "–" : `${v.toFixed(1)} %`);
const num = (v: number | null) => (v === null ? "–" : v.toFixed(2));

/** A table as HTML, every cell escaped; `numeric` marks right-aligned columns by index. */
function table(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  numeric: readonly number[] = [],
): string {
  const th = header.map((h, i) => `<th${numeric.includes(i) ? ' class="num"' : ""}>${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ""}>${escapeHtml(String(c))}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A chart in a figure: the caption names it, the SVG carries an ARIA label, the table its data. */
function figure(id: string, caption: string, svg: string, dataTable: string): string {
  return `<figure id="figure-${id}"><figcaption>${escapeHtml(caption)}</figcaption>${svg}<details class="chart-data"><summary>The data of this chart</summary>${dataTable}</details></figure>`;
}

/**
 * Every breach, in the page's order, each as a `<tbody>` (its row and, when it has one, the row
 * under it that expands to the metric's timeline as `sla-clock explain` gives it), filtered and
 * paged as one. Read straight from the table's columns: a 1 M-row export has half a million
 * breaches, and a `BreachRow` object and a dozen strings each were a good part of the report's time.
 * The parts shared by every row of a priority and metric are made once; rows go to `write` some
 * 64 KB at a time, an explanation (escaped HTML, UTF-8 bytes) as it is.
 */
function writeBreachRows(
  breaches: BreachTable,
  local: (ms: number) => string,
  write: (chunk: string | Uint8Array) => void,
): void {
  // Per priority number and metric number: the row's text before the id, and from the id to the deadline.
  const opening: string[] = [];
  const middle: string[] = [];
  const summaryOpening: string[] = [];
  for (const priority of breaches.priorities)
    for (const metric of METRICS) {
      const p = escapeHtml(priority);
      opening.push(
        `<tbody class="breach" data-priority="${p}" data-metric="${metric}"><tr class="breach-row"><td><bdi>`,
      );
      middle.push(`</bdi></td><td>${p}</td><td>${metric}</td><td>`);
      summaryOpening.push(
        `\n<tr class="breach-explanation"><td colspan="6"><details><summary>Why: the ${metric} ${metric === "response" || metric === "resolution" ? "timeline" : "cycle"} of <bdi>`,
      );
    }
  const order = breaches.pageOrder();
  let pending = "";
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const part = METRICS.length * breaches.priorityNumberOf(i) + breaches.metricNumberOf(i);
    const id = escapeHtml(breaches.idOf(i));
    pending += `${opening[part]}${id}${middle[part]}${escapeHtml(local(breaches.deadlineOf(i)))}</td><td class="num">${breaches.overdueHoursOf(i).toFixed(2)}</td><td class="num">${breaches.calendarOverdueHoursOf(i).toFixed(2)}</td></tr>`;
    const explanation = breaches.explanationOf(i);
    if (explanation === undefined) pending += "</tbody>\n";
    else {
      write(`${pending}${summaryOpening[part]}${id}</bdi></summary>`);
      write(explanation);
      pending = "</details></td></tr></tbody>\n";
    }
    if (pending.length > 1 << 16) {
      write(pending);
      pending = "";
    }
  }
  write(pending);
}

/**
 * Filter and paging of each breach table (one per policy section: `prefixes` are their id
 * prefixes); the controls stay hidden (and every row shown) without script.
 */
const breachScript = (prefixes: readonly string[]) => `(function () {
  function wire(prefix) {
    var table = document.getElementById(prefix + "breaches");
    var controls = document.getElementById(prefix + "breach-controls");
    if (!table || !controls) return;
    var groups = Array.prototype.slice.call(table.tBodies);
    var priority = document.getElementById(prefix + "filter-priority");
    var metric = document.getElementById(prefix + "filter-metric");
    var status = document.getElementById(prefix + "breach-page-status");
    var prev = document.getElementById(prefix + "breach-prev");
    var next = document.getElementById(prefix + "breach-next");
    var size = ${BREACH_PAGE_SIZE};
    var page = 0;
    function matching() {
      return groups.filter(function (g) {
        return (!priority.value || g.getAttribute("data-priority") === priority.value) &&
          (!metric.value || g.getAttribute("data-metric") === metric.value);
      });
    }
    function draw() {
      var list = matching();
      var pages = Math.max(1, Math.ceil(list.length / size));
      if (page > pages - 1) page = pages - 1;
      groups.forEach(function (g) { g.hidden = true; });
      list.slice(page * size, (page + 1) * size).forEach(function (g) { g.hidden = false; });
      status.setAttribute("data-matching", String(list.length));
      status.setAttribute("data-page", String(page + 1));
      status.setAttribute("data-pages", String(pages));
      status.textContent = list.length + " matching breaches; page " + (page + 1) + " of " + pages;
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }
    priority.addEventListener("change", function () { page = 0; draw(); });
    metric.addEventListener("change", function () { page = 0; draw(); });
    prev.addEventListener("click", function () { page--; draw(); });
    next.addEventListener("click", function () { page++; draw(); });
    controls.hidden = false;
    draw();
  }
  ${JSON.stringify(prefixes)}.forEach(wire);
})();`;

const STYLE = `body { font-family: system-ui, sans-serif; margin: 2rem auto; padding: 0 1rem; max-width: 1100px; color: #111827; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 0.3rem 0.6rem; text-align: left; font-size: 0.9rem; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.5rem 0; }
figcaption { font-weight: 600; margin-bottom: 0.3rem; }
svg.chart { display: block; }
.muted { color: #6b7280; }
.risk { font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dl.facts dt { color: #6b7280; }
dl.facts dd { margin: 0; }
.breach-controls { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
.breach-controls[hidden] { display: none; }
section.policy-section { border-top: 3px solid #e5e7eb; margin-top: 2.5rem; }
table.timeline { margin: 0.3rem 0 0.6rem 1rem; }
table.timeline td, table.timeline th { font-size: 0.8rem; border-bottom-color: #f3f4f6; }
@media print {
  body { margin: 0; max-width: none; }
  .breach-controls, details.chart-data > summary { display: none; }
  table.breaches tbody[hidden] { display: table-row-group; }
  section.policy-section { break-before: page; }
  figure, tr { break-inside: avoid; }
  h2 { break-after: avoid; }
}`;

/** The next-reply and periodic-update cycles of a summary, summed over its priorities (only those the policy has). */
function cycleTotals(summary: SummaryResult): { metric: string; id: string; counts: MetricCounts }[] {
  const out: { metric: string; id: string; counts: MetricCounts }[] = [];
  for (const [key, metric, id] of [
    ["nextReply", "Next-reply cycles", "next-reply"],
    ["periodicUpdate", "Periodic-update cycles", "periodic-update"],
  ] as const) {
    const rows = summary.priorities.map((p) => p[key]).filter((c): c is MetricCounts => c !== undefined);
    if (rows.length === 0) continue;
    const sum = (f: keyof Omit<MetricCounts, "metPct">) => rows.reduce((n, c) => n + c[f], 0);
    const met = sum("met");
    const breached = sum("breached");
    out.push({
      metric,
      id,
      counts: {
        running: sum("running"),
        paused: sum("paused"),
        met,
        breached,
        none: sum("none"),
        metPct: met + breached === 0 ? null : Math.round((10_000 * met) / (met + breached)) / 100,
      },
    });
  }
  return out;
}

/**
 * The facts of the cycle metrics (next reply, periodic update), which met per priority does not
 * show: counted per cycle, as `evaluate`'s summary counts them. Before, a report of a policy with
 * such targets showed their breaches nowhere.
 */
function cycleFacts(summary: SummaryResult, x: string): string {
  return cycleTotals(summary)
    .map(
      ({ metric, id, counts: c }) =>
        `<dt>${metric}</dt><dd><span id="${x}${id}-breached" data-value="${c.breached}">${c.breached}</span> breached, ${c.met} met, ${c.running} running, ${c.paused} paused${c.metPct === null ? "" : ` (${c.metPct} % met)`}</dd>\n`,
    )
    .join("");
}

/**
 * A note on where the cycles of a policy with cycle metrics are shown: met per priority covers
 * response and resolution; the trend and time used have charts of cycles once any met or breached.
 */
function cycleNote(summary: SummaryResult, charted: boolean): string {
  return cycleTotals(summary).length === 0
    ? ""
    : `<p class="muted">Met per priority and metric covers response and resolution; next-reply and periodic-update cycles are counted above (per cycle; <code>sla-clock evaluate</code> lists each ticket's)${charted ? ", the trend and the time used have charts of their own for them (counted per cycle)" : ""}, and the open queue and the breach list include them (each open cycle, and every breached cycle).</p>\n`;
}

/** How the charts and tables name a cycle metric: its counts are of cycles, not tickets. */
const CYCLE_LABELS = { nextReply: "next-reply cycles", periodicUpdate: "periodic-update cycles" } as const;

/**
 * The self-contained HTML report: the facts of the run (period, rows read and failed, `now`), met %
 * per priority and metric with volumes, the trend per week or month, the distribution of time used
 * against the target (both also per cycle of next reply and periodic update, when the policy has
 * such targets and a cycle met or breached), the open queue, every breach (largest overrun first, filtered and paged by a
 * small inline script) and the failed rows. Charts are static SVG drawn by Vega-Lite (./charts.ts);
 * numbers carry `data-*` attributes so tools can read them back. Written in chunks through `write`
 * (the breach rows about 64 KB at a time, explanations copied as bytes from a temporary file), so
 * a large export is never one string in memory.
 *
 * @example
 * ```ts
 * const chunks: (string | Uint8Array)[] = [];
 * await renderReport(builder.result(Date.now()), policy.calendar, (chunk) => chunks.push(chunk));
 * ```
 */
export async function renderReport(
  data: ReportData,
  calendar: Calendar,
  write: (chunk: string | Uint8Array) => void,
): Promise<void> {
  write(documentHead(`SLA report — ${data.policyName}`));
  await writeSection(data, calendar, write, { prefix: "", standalone: true });
  write(documentTail([""]));
}

/**
 * How a policy's part of the report is written: `prefix` goes before every id in it (unique per
 * policy when a report holds several); `standalone` for a report of one policy (its facts and
 * headings are the page's), else a `<section>` under the comparison with its own heading.
 */
interface SectionOptions {
  readonly prefix: string;
  readonly standalone: boolean;
  /** The note under the section heading (with several policies: which rows it holds). */
  readonly note?: string;
}

async function writeSection(
  data: ReportData,
  calendar: Calendar,
  write: (chunk: string | Uint8Array) => void,
  { prefix: x, standalone, note }: SectionOptions,
): Promise<void> {
  const { summary } = data;
  const h2 = standalone ? "h2" : "h3";
  const local = (ms: number) => formatLocal(ms, calendar);
  // "P2" on chart axes when the label only repeats the number ("Priority 2"), else "P2 Urgent".
  const labelOf = new Map(
    summary.priorities.map((p) => [
      p.priority,
      ["priority", "prio", "p"].some((w) => p.label.replace(/\s+/g, "").toLowerCase() === `${w}${p.priority}`)
        ? `P${p.priority}`
        : `P${p.priority} ${p.label}`,
    ]),
  );
  const totalBreached = data.breaches.length;

  const rows = summary.priorities
    .map(
      (
        p,
      ) => `<tr class="priority-row" data-priority="${escapeHtml(p.priority)}" data-count="${p.count}" data-response-met-pct="${p.response.metPct ?? ""}" data-response-breached="${p.response.breached}" data-resolution-met-pct="${p.resolution.metPct ?? ""}" data-resolution-breached="${p.resolution.breached}" data-median-response-hours="${p.medianResponseHours ?? ""}">
<td>${escapeHtml(p.priority)}</td><td>${escapeHtml(p.label)}</td><td class="num">${p.count}</td><td class="num">${pct(p.response.metPct)}</td><td class="num">${p.response.met}</td><td class="num">${p.response.breached}</td><td class="num">${p.response.running + p.response.paused}</td><td class="num">${pct(p.resolution.metPct)}</td><td class="num">${p.resolution.met}</td><td class="num">${p.resolution.breached}</td><td class="num">${p.resolution.running + p.resolution.paused}</td><td class="num">${num(p.medianResponseHours)}</td></tr>`,
    )
    .join("\n");

  // Met % per priority and metric, one panel per metric (the panel title names it, not a colour).
  const metValues = summary.priorities.flatMap((p) =>
    (["response", "resolution"] as const).map((metric) => ({
      priority: labelOf.get(p.priority)!,
      metric,
      metPct: p[metric].metPct,
      decided: p[metric].met + p[metric].breached,
      label:
        p[metric].metPct === null
          ? "none decided"
          : `${p[metric].metPct!.toFixed(1)} %\nn = ${p[metric].met + p[metric].breached}`,
    })),
  );
  const metChart = await renderChart(
    `${x}met-per-priority`,
    "Met % per priority and metric",
    metPctBars(metValues, { field: "priority", title: "Priority", labelLimit: 110 }),
  );

  const unit = data.trendUnit;
  const unitTitle = unit === "week" ? "ISO week" : unit === "month" ? "Month" : "Year";
  const ticketsPerPeriod = data.trend.filter((t) => t.metric === "response");
  // Both trend charts share the period axis (weeks, months or years of creation).
  const periodAxis = {
    field: "period",
    type: "ordinal",
    title: `${unitTitle} of creation`,
    axis: { labelAngle: -40 },
  };
  const ticketsChart = await renderChart(`${x}tickets-per-period`, `Tickets created per ${unit}`, {
    data: { values: ticketsPerPeriod.map((t) => ({ period: t.period, tickets: t.tickets })) },
    width: CHART_WIDTH - 80,
    height: 200,
    mark: { type: "bar", color: "#64748b" },
    encoding: {
      x: periodAxis,
      y: { field: "tickets", type: "quantitative", title: "Tickets", axis: { tickMinStep: 1, format: "d" } },
    },
  });
  // A period with nothing decided (no ticket at all, or none met or breached) stays on the axis
  // and breaks the line: filtered out, the line ran straight across it.
  const trendChart = await renderChart(
    `${x}met-trend`,
    `Met % per ${unit}, per metric`,
    metLines(data.trend, periodAxis, ["response", "resolution"]),
  );
  // Cycles by the period they were decided in (met: stop; breached: breach), their own axis title.
  const cycleNames = (["nextReply", "periodicUpdate"] as const).filter((m) =>
    data.cycleTrend.some((t) => t.metric === m && t.cycles > 0),
  );
  const cycleKinds = cycleNames.map((m) => CYCLE_LABELS[m].replace(" cycles", "")).join(" and ");
  const cycleTrendValues = data.cycleTrend.map((t) => ({ ...t, metric: CYCLE_LABELS[t.metric] }));
  const cycleTrendChart =
    cycleNames.length === 0
      ? ""
      : await renderChart(
          `${x}cycle-met-trend`,
          `Met % of ${cycleKinds} cycles per ${unit}`,
          metLines(
            cycleTrendValues,
            { ...periodAxis, title: `${unitTitle} of the cycle's stop or breach` },
            cycleNames.map((m) => CYCLE_LABELS[m]),
            // Vega sizes text by an estimate on the server: "periodic-update cycles" was cut at 160.
            { labelLimit: 240 },
          ),
        );

  const bucketLabels = FRACTION_BUCKETS.map((b, i) =>
    i === FRACTION_BUCKETS.length - 1 ? `≥ ${b} %` : `${b}–${FRACTION_BUCKETS[i + 1]} %`,
  );
  const distValues = data.distribution.flatMap((d) =>
    d.counts.map((count, i) => ({
      priority: labelOf.get(d.priority) ?? `P${d.priority} ${d.label}`,
      metric: d.metric,
      bucket: bucketLabels[i]!,
      side: FRACTION_BUCKETS[i]! >= 100 ? "over the target" : "within the target",
      count,
    })),
  );
  const distChart = await renderChart(
    `${x}time-used-distribution`,
    "Time used as a share of the target, per priority",
    timeUsedBars(distValues, ["response", "resolution"], "Tickets", bucketLabels),
  );
  const cycleDistValues = data.cycleDistribution.flatMap((d) =>
    d.counts.map((count, i) => ({
      priority: labelOf.get(d.priority) ?? `P${d.priority} ${d.label}`,
      metric: CYCLE_LABELS[d.metric],
      bucket: bucketLabels[i]!,
      side: FRACTION_BUCKETS[i]! >= 100 ? "over the target" : "within the target",
      count,
    })),
  );
  const cycleDistChart =
    cycleDistValues.length === 0
      ? ""
      : await renderChart(
          `${x}cycle-time-used-distribution`,
          "Time used per cycle as a share of the cycle's target, per priority",
          timeUsedBars(
            cycleDistValues,
            cycleNames.map((m) => CYCLE_LABELS[m]),
            "Cycles",
            bucketLabels,
          ),
        );

  const charts = [
    figure(
      `${x}met-per-priority`,
      "Each bar is labelled with its met % and the number of tickets decided (met or breached); one panel per metric.",
      metChart,
      table(
        ["Priority", "Metric", "Met %", "Decided (met + breached)"],
        metValues.map((v) => [v.priority, v.metric, pct(v.metPct), v.decided]),
        [2, 3],
      ),
    ),
  ];
  const trendFigures = [
    figure(
      `${x}tickets-per-period`,
      `Volume: the tickets of each ${unit}, by creation.`,
      ticketsChart,
      table(
        [unit, "Tickets"],
        ticketsPerPeriod.map((t) => [t.period, t.tickets]),
        [1],
      ),
    ),
    figure(
      `${x}met-trend`,
      `Met % of the tickets created in each ${unit}; response is the solid line with circles, resolution the dashed line with squares.`,
      trendChart,
      table(
        [unit, "Metric", "Tickets", "Met", "Breached", "Met %"],
        data.trend.map((t) => [t.period, t.metric, t.tickets, t.met, t.breached, pct(t.metPct)]),
        [2, 3, 4, 5],
      ),
    ),
  ];
  if (cycleTrendChart !== "")
    trendFigures.push(
      figure(
        `${x}cycle-met-trend`,
        `Met % of the ${cycleKinds} cycles decided in each ${unit}: a cycle that met by the ${unit} of its stop, one that breached by the ${unit} of its breach; counted per cycle (a ticket with three cycles counts three times)${cycleNames.length > 1 ? `; ${CYCLE_LABELS[cycleNames[0]!]} are the solid line with circles, ${CYCLE_LABELS[cycleNames[1]!]} the dashed line with squares` : ""}.`,
        cycleTrendChart,
        table(
          [unit, "Metric", "Cycles", "Met", "Breached", "Met %"],
          cycleTrendValues.map((t) => [t.period, t.metric, t.cycles, t.met, t.breached, pct(t.metPct)]),
          [2, 3, 4, 5],
        ),
      ),
    );
  const distFigure = figure(
    `${x}time-used-distribution`,
    "Tickets that met or breached, by the share of the target they used; one panel per priority and metric, bars of 100 % and above (over the target) in red.",
    distChart,
    table(
      ["Priority", "Metric", ...bucketLabels],
      data.distribution.map((d) => [labelOf.get(d.priority) ?? d.priority, d.metric, ...d.counts]),
      bucketLabels.map((_, i) => i + 2),
    ),
  );
  const cycleDistFigure =
    cycleDistChart === ""
      ? ""
      : `\n${figure(
          `${x}cycle-time-used-distribution`,
          `The ${cycleKinds} cycles that met or breached, by the share of the cycle's own target each used; counted per cycle, one panel per priority and metric, bars of 100 % and above (over the target) in red.`,
          cycleDistChart,
          table(
            ["Priority", "Metric", ...bucketLabels],
            data.cycleDistribution.map((d) => [
              labelOf.get(d.priority) ?? d.priority,
              CYCLE_LABELS[d.metric],
              ...d.counts,
            ]),
            bucketLabels.map((_, i) => i + 2),
          ),
        )}`;

  const open = data.open
    .map(
      (o) =>
        `<tr class="open-row" data-priority="${escapeHtml(o.priority)}" data-status="${o.status}" data-at-risk="${o.atRisk}" data-metric="${o.metric}"><td><bdi>${escapeHtml(o.id)}</bdi></td><td>${escapeHtml(o.priority)}</td><td>${o.metric}</td><td>${o.status}${o.atRisk ? ' <span class="risk">(at risk)</span>' : ""}</td><td>${o.deadline === null ? "–" : escapeHtml(local(o.deadline))}</td><td class="num">${num(o.remainingHours)}</td></tr>`,
    )
    .join("\n");
  // Over every open metric (open cycles included), not only the OPEN_QUEUE_LIMIT listed.
  const atRisk = data.openAtRisk;
  const cyclesListed = data.queueMetrics.length > 2;

  const priorities = [...data.breaches.priorities].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  // Only when a breached ticket was left without its timeline: breach rows (a ticket may have two)
  // past the limit said so with every timeline there.
  const explainedNote = data.timelinesCut
    ? ` Timelines are kept for the first ${EXPLAINED_BREACH_LIMIT} breached tickets of the export.`
    : "";
  const failed = data.failedRows.map((f) => [f.line, f.id, f.error] as const);
  const period =
    data.period === null
      ? "no ticket evaluated"
      : `${local(data.period.from)} – ${local(data.period.to)} (creation of the tickets)`;

  write(`${
    standalone
      ? `<h1>SLA report — ${escapeHtml(data.policyName)}</h1>\n`
      : `<section class="policy-section" id="${x}section" data-policy-id="${escapeHtml(data.policyId)}" aria-labelledby="${x}heading">\n<h2 id="${x}heading">${escapeHtml(data.policyName)} <span class="muted">(<code>${escapeHtml(data.policyId)}</code>)</span></h2>\n${note === undefined ? "" : `<p class="muted">${escapeHtml(note)}</p>\n`}`
  }<dl class="facts">
<dt>Policy</dt><dd><code>${escapeHtml(data.policyId)}</code>, times in ${escapeHtml(data.zone)}</dd>
<dt>Evaluated at (now)</dt><dd><time id="${x}evaluated-at" datetime="${new Date(data.now).toISOString()}">${escapeHtml(local(data.now))}</time></dd>
<dt>Data period</dt><dd id="${x}data-period">${escapeHtml(period)}</dd>
<dt>Rows read</dt><dd><span id="${x}total-rows" data-value="${summary.rows}">${summary.rows}</span></dd>
<dt>Rows failed</dt><dd><span id="${x}failed-rows" data-value="${summary.failed}">${summary.failed}</span>${summary.failed > 0 ? ` (<a href="#${x}failed">listed below</a>)` : ""}</dd>
<dt>Breaches</dt><dd><span id="${x}total-breaches" data-value="${totalBreached}">${totalBreached}</span> ${cyclesListed ? "breached metrics (breached next-reply and periodic-update cycles included)" : "of response and resolution"}</dd>
<dt>Open</dt><dd><span id="${x}total-open" data-value="${data.openTotal}">${data.openTotal}</span> ${cyclesListed ? "metrics still counting (open next-reply and periodic-update cycles included)" : "response and resolution metrics still counting"}</dd>
${cycleFacts(summary, x)}</dl>
${cycleNote(summary, cycleTrendChart !== "")}
<${h2}>Met per priority and metric</${h2}>
<table id="${x}summary">
<thead><tr><th rowspan="2">Priority</th><th rowspan="2">Label</th><th rowspan="2" class="num">Tickets</th><th colspan="4">Response</th><th colspan="4">Resolution</th><th rowspan="2" class="num">Median response (h)</th></tr>
<tr><th class="num">Met %</th><th class="num">Met</th><th class="num">Breached</th><th class="num">Open</th><th class="num">Met %</th><th class="num">Met</th><th class="num">Breached</th><th class="num">Open</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${charts.join("\n")}
<${h2}>Trend</${h2}>
<p class="muted">Tickets by the ${unit} they were created in${unit === "month" ? " (months: the data spans more than 26 weeks)" : unit === "year" ? " (years: the data spans more than ten years)" : ""}.</p>
${trendFigures.join("\n")}
<${h2}>Time used against the target</${h2}>
${distFigure}${cycleDistFigure}
<${h2}>Open queue</${h2}>
<p class="muted" id="${x}open-note" data-total="${data.openTotal}" data-shown="${data.open.length}" data-at-risk="${atRisk}">Running and paused metrics, the soonest deadline first: ${data.open.length} shown${data.openTotal > data.open.length ? ` of ${data.openTotal} (the ${OPEN_QUEUE_LIMIT} soonest)` : ""}, ${atRisk} at risk.</p>
<table id="${x}open-queue">
<thead><tr><th>Ticket</th><th>Priority</th><th>Metric</th><th>Status</th><th>Deadline</th><th class="num">Remaining (h)</th></tr></thead>
<tbody>
${open}
</tbody>
</table>
<${h2}>Breached tickets</${h2}>
<p class="muted" id="${x}breach-table-note" data-shown="${data.breaches.length}" data-left-out="0">All ${data.breaches.length} breaches, the largest overrun first. Over (business h) is time past the target in the target's measure; over (calendar h) is the wall-clock time from the deadline to the stop (or to now), so a resolve at 21:41 after a 16:00 deadline reads 0.00 business hours but 5.68 calendar hours.${explainedNote}</p>
<div id="${x}breach-controls" class="breach-controls" hidden>
<label>Priority <select id="${x}filter-priority"><option value="">all</option>${priorities.map((p) => `<option value="${escapeHtml(p)}">${escapeHtml(labelOf.get(p) ?? p)}</option>`).join("")}</select></label>
<label>Metric <select id="${x}filter-metric"><option value="">all</option>${data.queueMetrics.map((m) => `<option value="${m}">${m}</option>`).join("")}</select></label>
<button type="button" id="${x}breach-prev">Previous</button>
<span id="${x}breach-page-status" aria-live="polite"></span>
<button type="button" id="${x}breach-next">Next</button>
</div>
<table id="${x}breaches" class="breaches">
<thead><tr><th>Ticket</th><th>Priority</th><th>Metric</th><th>Deadline</th><th class="num">Over (business h)</th><th class="num">Over (calendar h)</th></tr></thead>
`);
  writeBreachRows(data.breaches, local, write);
  write(`</table>
<${h2} id="${x}failed">Failed rows</${h2}>
<p class="muted" id="${x}failed-note" data-listed="${failed.length}">${summary.failed === 0 ? "Every row was evaluated." : `${summary.failed} row${summary.failed > 1 ? "s" : ""} could not be evaluated${summary.failed > failed.length ? ` (the first ${FAILED_ROW_LIMIT} listed)` : ""}.`}</p>
${failed.length === 0 ? "" : table(["Line", "Id", "Error"], failed, [0]).replace("<table>", `<table id="${x}failed-rows-table">`)}
${standalone ? "" : "</section>\n"}`);
}

function documentHead(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
`;
}

function documentTail(prefixes: readonly string[]): string {
  return `<script>
${breachScript(prefixes)}
</script>
</body>
</html>
`;
}

/**
 * One policy's part of a comparison report: its data, its calendar (local times), and a note on
 * which rows it holds.
 *
 * @example
 * ```ts
 * const part: PolicyPart = { data: builder.result(now), calendar: policy.calendar, note: "Rows naming softone-se." };
 * ```
 */
export interface PolicyPart {
  readonly data: ReportData;
  readonly calendar: Calendar;
  readonly note: string;
}

/**
 * The HTML report of several policies: the run's facts, a comparison section (per policy and
 * metric: tickets, met %, breached, running / paused / at risk, the median share of the target
 * used; as a table and a Vega-Lite chart with one bar per policy), then one section per policy
 * with everything {@link renderReport} shows for one, its ids prefixed `p1-`, `p2-`, … so each
 * section's breach table filters and pages on its own. Written in chunks through `write`.
 *
 * @example
 * ```ts
 * await renderComparisonReport({ now: Date.now(), rowsRead: 10, rowsFailed: 0, whatIf: null, parts }, (chunk) => out.push(chunk));
 * ```
 */
export async function renderComparisonReport(
  report: {
    readonly now: number;
    /** Input rows read (a row evaluated under several policies counts once). */
    readonly rowsRead: number;
    /** Input rows that failed under at least one policy. */
    readonly rowsFailed: number;
    /** The policies given on the command line when rows with an empty policy cell went to each; else `null`. */
    readonly whatIf: readonly string[] | null;
    readonly parts: readonly PolicyPart[];
  },
  write: (chunk: string | Uint8Array) => void,
): Promise<void> {
  const { parts } = report;
  const first = parts[0]!;
  const local = (ms: number) => formatLocal(ms, first.calendar);
  const prefixes = parts.map((_, i) => `p${i + 1}-`);
  write(documentHead(`SLA report — ${parts.length} policies compared`));
  const rows = parts.flatMap((part, i) => part.data.metrics.map((m) => ({ part, prefix: prefixes[i]!, m })));
  const share = (m: MetricComparison) =>
    m.medianSharePct === null
      ? "–"
      : m.medianShareAbove
        ? `≥ ${SHARE_HISTOGRAM_MAX_PCT} %`
        : `${m.medianSharePct.toFixed(1)} %`;
  const tableRows = rows
    .map(
      ({ part, prefix, m }) =>
        `<tr class="comparison-row" data-policy-id="${escapeHtml(part.data.policyId)}" data-metric="${m.metric}" data-tickets="${m.tickets}" data-met="${m.met}" data-breached="${m.breached}" data-running="${m.running}" data-paused="${m.paused}" data-at-risk="${m.atRisk}" data-met-pct="${m.metPct ?? ""}" data-median-share-pct="${m.medianSharePct ?? ""}"><td><a href="#${prefix}section"><code>${escapeHtml(part.data.policyId)}</code></a> ${escapeHtml(part.data.policyName)}</td><td>${m.metric}</td><td class="num">${m.tickets}</td><td class="num">${pct(m.metPct)}</td><td class="num">${m.met}</td><td class="num">${m.breached}</td><td class="num">${m.running}</td><td class="num">${m.paused}</td><td class="num">${m.atRisk}</td><td class="num">${share(m)}</td></tr>`,
    )
    .join("\n");
  // Policies on the x axis by id (names can be long); the bar label carries met % and volume.
  const values = rows.map(({ part, m }) => ({
    policy: part.data.policyId,
    metric: m.metric,
    metPct: m.metPct,
    label: m.metPct === null ? "none decided" : `${m.metPct.toFixed(1)} %\nn = ${m.met + m.breached}`,
  }));
  const chart = await renderChart(
    "policy-comparison",
    "Met % per policy and metric",
    metPctBars(values, { field: "policy", title: "Policy", labelLimit: 140 }),
  );
  const whatIf =
    report.whatIf === null
      ? "Each row is counted under the policy its policy column names (an empty cell: the command's policy)."
      : `What-if comparison: each row with an empty policy column was evaluated under each given policy (${report.whatIf.join(", ")}), so those tickets are counted once per policy; a row naming a policy is counted under that policy only.`;
  write(`<h1>SLA report — ${parts.length} policies compared</h1>
<dl class="facts">
<dt>Evaluated at (now)</dt><dd><time id="evaluated-at" datetime="${new Date(report.now).toISOString()}">${escapeHtml(local(report.now))}</time></dd>
<dt>Rows read</dt><dd><span id="total-rows" data-value="${report.rowsRead}">${report.rowsRead}</span></dd>
<dt>Rows failed</dt><dd><span id="failed-rows" data-value="${report.rowsFailed}">${report.rowsFailed}</span> (listed in the section of the policy they were evaluated under)</dd>
<dt>Policies</dt><dd><ul id="policy-list">${parts.map((p, i) => `<li><a href="#${prefixes[i]}section"><code>${escapeHtml(p.data.policyId)}</code> ${escapeHtml(p.data.policyName)}</a></li>`).join("")}</ul></dd>
</dl>
<h2 id="comparison">Comparison</h2>
<p class="muted" id="comparison-note">${escapeHtml(whatIf)} Open counts metrics still running or paused at now; the median share of the target is over the metrics that met or breached.</p>
<table id="comparison-table">
<thead><tr><th>Policy</th><th>Metric</th><th class="num">Tickets</th><th class="num">Met %</th><th class="num">Met</th><th class="num">Breached</th><th class="num">Running</th><th class="num">Paused</th><th class="num">At risk</th><th class="num">Median share of target used</th></tr></thead>
<tbody>
${tableRows}
</tbody>
</table>
${figure(
  "policy-comparison",
  "Each bar is one policy, labelled with its met % and the number of tickets decided (met or breached); one panel per metric.",
  chart,
  table(
    ["Policy", "Metric", "Met %", "Decided (met + breached)"],
    rows.map(({ part, m }) => [part.data.policyId, m.metric, pct(m.metPct), m.met + m.breached]),
    [2, 3],
  ),
)}
`);
  for (const [i, part] of parts.entries())
    await writeSection(part.data, part.calendar, write, { prefix: prefixes[i]!, standalone: false, note: part.note });
  write(documentTail(prefixes));
}

/**
 * A met-% trend as a Vega-Lite spec: one line per metric over the periods of `x`, told apart by
 * colour, dash and point shape (the first metric of `metrics` solid with circles, the second
 * dashed with squares). A value with no met % breaks its line; a metric with none is not drawn.
 * `legend` (Vega-Lite legend properties) is given to each of the three encodings of the metric.
 */
function metLines(
  values: readonly { readonly metric: string; readonly metPct: number | null }[],
  x: Record<string, unknown>,
  metrics: readonly string[],
  legend?: Record<string, unknown>,
): Record<string, unknown> {
  // A metric with nothing decided in any period (no target) has no line to break.
  const decided = new Set(values.filter((v) => v.metPct !== null).map((v) => v.metric));
  const legendOf = legend === undefined ? {} : { legend };
  return {
    data: { values: values.filter((v) => decided.has(v.metric)) },
    width: CHART_WIDTH - 80,
    height: 220,
    mark: { type: "line", point: { filled: true, size: 50 } },
    encoding: {
      x,
      y: { field: "metPct", type: "quantitative", title: "Met %", scale: { domain: [0, 100] } },
      color: {
        field: "metric",
        type: "nominal",
        title: "Metric",
        scale: { domain: metrics, range: ["#2563eb", "#d97706"].slice(0, metrics.length) },
        ...legendOf,
      },
      strokeDash: {
        field: "metric",
        type: "nominal",
        title: "Metric",
        scale: {
          domain: metrics,
          range: [
            [1, 0],
            [6, 3],
          ].slice(0, metrics.length),
        },
        ...legendOf,
      },
      shape: {
        field: "metric",
        type: "nominal",
        title: "Metric",
        scale: { domain: metrics, range: ["circle", "square"].slice(0, metrics.length) },
        ...legendOf,
      },
    },
  };
}

/**
 * A time-used distribution as a Vega-Lite spec: one panel per metric (rows, in `metrics` order)
 * and priority (columns), a bar per bucket of the share of the target used, red from 100 %.
 * `counted` titles the count axis (tickets, or cycles).
 */
function timeUsedBars(
  values: readonly { readonly priority: string }[],
  metrics: readonly string[],
  counted: string,
  bucketLabels: readonly string[],
): Record<string, unknown> {
  const priorityCount = Math.max(1, new Set(values.map((v) => v.priority)).size);
  return {
    data: { values },
    facet: {
      row: { field: "metric", type: "nominal", title: "Metric", sort: metrics },
      column: { field: "priority", type: "nominal", title: "Priority", sort: null },
    },
    spec: {
      width: Math.max(80, Math.floor((CHART_WIDTH - 120) / priorityCount) - 20),
      height: 130,
      mark: "bar",
      encoding: {
        x: {
          field: "bucket",
          type: "ordinal",
          title: "Share of target used",
          sort: bucketLabels,
          axis: { labelAngle: -60, labelFontSize: 9 },
        },
        y: { field: "count", type: "quantitative", title: counted, axis: { tickMinStep: 1, format: "d" } },
        color: {
          field: "side",
          type: "nominal",
          title: "Against the target",
          scale: { domain: ["within the target", "over the target"], range: ["#16a34a", "#dc2626"] },
        },
      },
    },
  };
}

/**
 * A met-% chart as a Vega-Lite spec: one panel per metric (the panel title names it, not a
 * colour), a bar per value of `x.field` and, above it, its `label` (met % and volume). The
 * per-priority chart and the policy comparison draw the same chart over a different axis.
 */
function metPctBars(
  values: readonly object[],
  x: { readonly field: string; readonly title: string; readonly labelLimit: number },
): Record<string, unknown> {
  return {
    data: { values },
    facet: { column: { field: "metric", type: "nominal", title: "Metric", sort: ["response", "resolution"] } },
    spec: {
      width: CHART_WIDTH / 2 - 80,
      height: 220,
      encoding: {
        x: {
          field: x.field,
          type: "nominal",
          title: x.title,
          sort: null,
          axis: { labelAngle: 0, labelLimit: x.labelLimit },
        },
        y: {
          field: "metPct",
          type: "quantitative",
          title: "Met % (met ÷ met + breached)",
          scale: { domain: [0, 115] },
          axis: { values: [0, 20, 40, 60, 80, 100] },
        },
      },
      layer: [
        { mark: { type: "bar", color: "#2563eb" } },
        {
          mark: { type: "text", baseline: "bottom", dy: -16, fontSize: 10, lineBreak: "\n" },
          encoding: { text: { field: "label" } },
        },
      ],
    },
  };
}
