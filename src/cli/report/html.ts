import type { Calendar } from "../../calendar/calendar";
import { formatLocal } from "../format";
import { TIMELINE_HEADER } from "../commands/explain";
import { BREACH_TABLE_LIMIT, FRACTION_BUCKETS, type BreachRow, type ReportData } from "./aggregate";

/**
 * Escapes text for HTML and SVG.
 *
 * @example
 * ```ts
 * escapeHtml("<P1 & P2>"); // "&lt;P1 &amp; P2&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

interface Series {
  readonly name: string;
  readonly values: readonly number[];
  readonly color: string;
}

/**
 * A grouped bar chart as inline SVG (no script, no network): one group per label, one bar per
 * series, a y axis with gridlines, and an optional dashed marker line on a label boundary.
 *
 * @example
 * ```ts
 * barChart("met-pct", "Met %", ["P1", "P2"], [{ name: "response", values: [90, 100], color: "#2563eb" }], { yMax: 100 });
 * ```
 */
export function barChart(
  id: string,
  title: string,
  labels: readonly string[],
  series: readonly Series[],
  options: { readonly yMax?: number; readonly yUnit?: string; readonly markerBefore?: number } = {},
): string {
  const width = 760;
  const height = 280;
  const left = 48;
  const bottom = 56;
  const top = 28;
  const plotW = width - left - 16;
  const plotH = height - top - bottom;
  const max = niceCeiling(Math.max(options.yMax ?? 0, 1, ...series.flatMap((s) => s.values)));
  const groupW = labels.length === 0 ? plotW : plotW / labels.length;
  const barW = Math.max(1, (groupW * 0.8) / Math.max(1, series.length));
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    const y = top + plotH - (plotH * k) / 4;
    parts.push(`<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`);
    parts.push(
      `<text x="${left - 6}" y="${y + 4}" text-anchor="end" font-size="11" fill="#374151">${escapeHtml(formatTick(v))}${options.yUnit ?? ""}</text>`,
    );
  }
  labels.forEach((label, i) => {
    series.forEach((s, j) => {
      const v = s.values[i] ?? 0;
      const h = (plotH * v) / max;
      const x = left + i * groupW + groupW * 0.1 + j * barW;
      parts.push(
        `<rect class="bar" data-series="${escapeHtml(s.name)}" data-label="${escapeHtml(label)}" data-value="${v}" x="${x.toFixed(2)}" y="${(top + plotH - h).toFixed(2)}" width="${barW.toFixed(2)}" height="${h.toFixed(2)}" fill="${s.color}"><title>${escapeHtml(`${s.name} · ${label}: ${formatTick(v)}${options.yUnit ?? ""}`)}</title></rect>`,
      );
    });
    const every = Math.max(1, Math.ceil(labels.length / 16));
    if (i % every === 0) {
      const x = left + i * groupW + groupW / 2;
      parts.push(
        `<text x="${x.toFixed(2)}" y="${top + plotH + 16}" text-anchor="end" font-size="10" fill="#374151" transform="rotate(-35 ${x.toFixed(2)} ${top + plotH + 16})">${escapeHtml(label)}</text>`,
      );
    }
  });
  if (options.markerBefore !== undefined) {
    const x = left + options.markerBefore * groupW;
    parts.push(
      `<line class="target-line" x1="${x}" x2="${x}" y1="${top}" y2="${top + plotH}" stroke="#dc2626" stroke-dasharray="4 3"/>`,
    );
    parts.push(`<text x="${x + 4}" y="${top + 10}" font-size="11" fill="#dc2626">target</text>`);
  }
  const legend = series
    .map(
      (s, j) =>
        `<rect x="${left + j * 130}" y="6" width="10" height="10" fill="${s.color}"/><text x="${left + j * 130 + 14}" y="15" font-size="11">${escapeHtml(s.name)}</text>`,
    )
    .join("");
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg id="${id}" class="chart" role="img" aria-label="${escapeHtml(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">${legend}<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#9ca3af"/>${parts.join("")}</svg></figure>`;
}

/** The smallest of 1, 2, 2.5, 4, 5 × 10^k at or above `v`, so the four gridlines fall on round numbers. */
function niceCeiling(v: number): number {
  const power = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 2.5, 4, 5, 10]) if (step * power >= v) return step * power;
  return 10 * power;
}

function formatTick(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/**
 * The row under a breach row that expands to the metric's timeline (as `sla-clock explain` gives
 * it), every cell escaped; empty when the row has no explanation.
 */
function explanationRow(b: BreachRow): string {
  if (b.timeline === undefined && b.explainError === undefined) return "";
  const body =
    b.timeline === undefined
      ? `<p class="muted">No explanation: ${escapeHtml(b.explainError ?? "")}</p>`
      : `<table class="timeline"><thead><tr>${TIMELINE_HEADER.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${b.timeline
          .map((cells) => `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`)
          .join("")}</tbody></table>`;
  return `\n<tr class="breach-explanation"><td colspan="6"><details><summary>Why: the ${b.metric} timeline of <bdi>${escapeHtml(b.id)}</bdi></summary>${body}</details></td></tr>`;
}

const COLORS = ["#2563eb", "#16a34a", "#f59e0b", "#9333ea", "#dc2626", "#0891b2"];

/**
 * The self-contained HTML report: summary table, breaches per week, met % per priority, the
 * distribution of response times against the target, and the breached tickets. Numbers carry
 * `data-*` attributes so tools can read them back.
 *
 * @example
 * ```ts
 * writeFileSync("report.html", renderReport(builder.result(Date.now()), policy.calendar));
 * ```
 */
export function renderReport(data: ReportData, calendar: Calendar): string {
  const { summary } = data;
  const pct = (v: number | null) => (v === null ? "–" : `${v.toFixed(1)} %`);
  const rows = summary.priorities
    .map(
      (
        p,
      ) => `<tr class="priority-row" data-priority="${escapeHtml(p.priority)}" data-count="${p.count}" data-response-met-pct="${p.response.metPct ?? ""}" data-response-breached="${p.response.breached}" data-resolution-met-pct="${p.resolution.metPct ?? ""}" data-resolution-breached="${p.resolution.breached}" data-median-response-hours="${p.medianResponseHours ?? ""}">
<td>${escapeHtml(p.priority)}</td><td>${escapeHtml(p.label)}</td><td class="num">${p.count}</td><td class="num">${pct(p.response.metPct)}</td><td class="num">${p.response.breached}</td><td class="num">${pct(p.resolution.metPct)}</td><td class="num">${p.resolution.breached}</td><td class="num">${p.medianResponseHours === null ? "–" : p.medianResponseHours.toFixed(2)}</td></tr>`,
    )
    .join("\n");
  const weeks = barChart(
    "breaches-per-week",
    "Tickets with a breach, per week of the breach",
    data.breachesPerWeek.map(([w]) => w),
    [{ name: "breached tickets", values: data.breachesPerWeek.map(([, n]) => n), color: COLORS[4]! }],
  );
  const metChart = barChart(
    "met-per-priority",
    "Met % per priority (met ÷ met + breached)",
    summary.priorities.map((p) => `P${p.priority}`),
    [
      { name: "response", values: summary.priorities.map((p) => p.response.metPct ?? 0), color: COLORS[0]! },
      { name: "resolution", values: summary.priorities.map((p) => p.resolution.metPct ?? 0), color: COLORS[1]! },
    ],
    { yMax: 100, yUnit: "%" },
  );
  const bucketLabels = FRACTION_BUCKETS.map((b, i) =>
    i === FRACTION_BUCKETS.length - 1 ? `≥ ${b} %` : `${b}–${FRACTION_BUCKETS[i + 1]} %`,
  );
  const distribution = barChart(
    "response-distribution",
    "Time to first response as a share of the target",
    bucketLabels,
    data.responseDistribution.map((d, i) => ({
      name: `P${d.priority} ${d.label}`,
      values: d.counts,
      color: COLORS[i % COLORS.length]!,
    })),
    { markerBefore: FRACTION_BUCKETS.indexOf(100) },
  );
  const breaches = data.breaches
    .map(
      (b) =>
        `<tr class="breach-row"><td><bdi>${escapeHtml(b.id)}</bdi></td><td>${escapeHtml(b.priority)}</td><td>${b.metric}</td><td>${escapeHtml(formatLocal(b.deadline, calendar))}</td><td>${escapeHtml(formatLocal(b.breachedAt, calendar))}</td><td class="num">${b.overdueHours.toFixed(2)}</td></tr>${explanationRow(b)}`,
    )
    .join("\n");
  const totalBreached = summary.priorities.reduce((s, p) => s + p.response.breached + p.resolution.breached, 0);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>SLA report — ${escapeHtml(data.policyName)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #111827; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 0.3rem 0.6rem; text-align: left; font-size: 0.9rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.5rem 0; }
figcaption { font-weight: 600; margin-bottom: 0.3rem; }
.muted { color: #6b7280; }
table.timeline { margin: 0.3rem 0 0.6rem 1rem; }
table.timeline td, table.timeline th { font-size: 0.8rem; border-bottom-color: #f3f4f6; }
</style>
</head>
<body>
<h1>SLA report — ${escapeHtml(data.policyName)}</h1>
<p class="muted">Policy <code>${escapeHtml(data.policyId)}</code>, evaluated at <time id="evaluated-at" datetime="${new Date(data.now).toISOString()}">${escapeHtml(formatLocal(data.now, calendar))}</time>. Rows: <span id="total-rows" data-value="${summary.rows}">${summary.rows}</span>, failed rows: <span id="failed-rows" data-value="${summary.failed}">${summary.failed}</span>, breaches: <span id="total-breaches" data-value="${totalBreached}">${totalBreached}</span>.</p>
<h2>Summary per priority</h2>
<table id="summary">
<thead><tr><th>Priority</th><th>Label</th><th class="num">Tickets</th><th class="num">Response met</th><th class="num">Response breached</th><th class="num">Resolution met</th><th class="num">Resolution breached</th><th class="num">Median response (h)</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${weeks}
${metChart}
${distribution}
<h2>Breached tickets</h2>
<p class="muted" id="breach-table-note" data-shown="${data.breaches.length}" data-left-out="${data.breachesLeftOut}">${data.breaches.length} shown${data.breachesLeftOut > 0 ? `, ${data.breachesLeftOut} more not shown (the table keeps the first ${BREACH_TABLE_LIMIT})` : ""}.</p>
<table id="breaches">
<thead><tr><th>Ticket</th><th>Priority</th><th>Metric</th><th>Deadline</th><th>Breached at</th><th class="num">Overdue (h)</th></tr></thead>
<tbody>
${breaches}
</tbody>
</table>
</body>
</html>
`;
}
