/**
 * The report's charts, drawn by Vega-Lite and rendered on the server to static SVG by Vega's
 * headless `View.toSVG()` (renderer "none": no canvas, no DOM, no browser). The SVG is inlined in
 * the HTML, so the page needs no script and no network to show a chart and opens from a file.
 *
 * Why Vega-Lite + Vega rather than Apache ECharts' server-side SVG: both render to SVG in Node
 * without a canvas; Vega-Lite is a declarative grammar (a chart is a small JSON spec, tested and
 * documented as data), its scales give nice ticks (`tickMinStep: 1` keeps counts whole), axis
 * titles, legends and facets (small multiples, so colour is never the only carrier of meaning),
 * and its SVG carries ARIA roles. The install is vega (3.6 MB, mostly d3 modules) and vega-lite
 * (8.4 MB, the compiler), about 24 MB with their dependencies against ECharts' ~50 MB (echarts +
 * zrender). Both are well kept (Vega by the UW Interactive Data Lab, releases every few months).
 *
 * Only the CLI imports this module (src/cli/report/), never src/index.ts, so the library entry
 * point and its bundle do not pull Vega in; tsup keeps `dependencies` external in dist/cli.js.
 * Vega and Vega-Lite are imported when the first chart is drawn, not when the CLI starts: loading
 * them took about 0.4 s of CPU, paid by every command (`evaluate` too) though only `report` draws.
 */
import type { TopLevelSpec } from "vega-lite";
import { escapeHtml } from "./escape";

/**
 * The drawing width of a chart in SVG units: a little under the page's column (the body's content is at most
 * 1100 px wide), so that on a desktop a chart fills the column at its drawn size; narrower
 * windows scale it down (width 100 %, never above its drawn size, so its text is never enlarged).
 *
 * @example
 * ```ts
 * CHART_WIDTH; // 1060
 * ```
 */
export const CHART_WIDTH = 1060;

/** Shared look: system font, quiet grid, whole-number ticks where counts are drawn. */
const CONFIG = {
  font: "system-ui, sans-serif",
  view: { stroke: "#e5e7eb" },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#eef0f3" },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: "top" },
  title: { fontSize: 14, anchor: "start" },
  header: { labelFontSize: 12, titleFontSize: 12 },
} as const;

/**
 * A chart as inline SVG: the Vega-Lite spec (without config and schema) is compiled and rendered
 * headless; the root `<svg>` is given an id, `role="img"`, an ARIA label, and width 100 % over its
 * viewBox so it takes the page width and keeps its proportions.
 *
 * @example
 * ```ts
 * const svg = await renderChart("met", "Met %", { data: { values: [{ p: "P1", v: 90 }] }, mark: "bar", encoding: { x: { field: "p" }, y: { field: "v", type: "quantitative" } } });
 * ```
 */
export async function renderChart(id: string, title: string, spec: Record<string, unknown>): Promise<string> {
  const full = { ...spec, title, config: CONFIG, background: "white" } as unknown as TopLevelSpec;
  const [{ parse: parseVega, View }, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new View(parseVega(compile(full).spec), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    return svg.replace(
      /^<svg ([^>]*?)width="([\d.]+)" height="([\d.]+)"/,
      (_all, attrs: string, w: string) =>
        `<svg id="${escapeHtml(id)}" class="chart" role="img" aria-label="${escapeHtml(title)}" ${attrs}width="100%" style="max-width:${w}px;height:auto"`,
    );
  } finally {
    view.finalize();
  }
}
