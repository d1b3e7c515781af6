/// <reference lib="dom" />
/**
 * Draws a chart description with uPlot (x values of all curves merged, gaps where a curve has
 * no point) and exports it as PNG (the plot, its title and its legend).
 *
 * @module
 */

import uPlot from "uplot";
import type { ChartSpec } from "./_charts.ts";

/** Colours of the curves (Tableau 10). */
export const PALETTE: readonly string[] = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
];

/** The colour of palette index i. */
export function color(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/**
 * uPlot's columnar data for curves with their own x values: the sorted union of the x values,
 * then one column per curve with null where it has no point.
 */
export function align(series: { x: number[]; y: number[] }[]): (number | null)[][] {
  const xs = [...new Set(series.flatMap((s) => s.x))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = series.map((s) => {
    const col: (number | null)[] = new Array(xs.length).fill(null);
    s.x.forEach((x, k) => (col[index.get(x)!] = Number.isFinite(s.y[k]) ? s.y[k] : null));
    return col;
  });
  return [xs, ...columns];
}

/** A drawn chart. */
export interface DrawnChart {
  spec: ChartSpec;
  plot: uPlot;
  element: HTMLElement;
}

/** Draws `spec` into a new figure appended to `parent`, with a PNG export button. */
export function drawChart(parent: HTMLElement, spec: ChartSpec): DrawnChart {
  const figure = document.createElement("figure");
  figure.className = "chart";
  figure.id = `chart-${spec.id}`;
  const head = document.createElement("figcaption");
  const title = document.createElement("span");
  title.textContent = spec.title;
  const button = document.createElement("button");
  button.textContent = "PNG";
  button.className = "png";
  button.title = "Save this plot as PNG";
  head.append(title, button);
  figure.append(head);
  parent.append(figure);

  const curves = [...spec.series];
  const series: uPlot.Series[] = [{ label: spec.xLabel }];
  for (const s of curves) {
    const stroke = color(s.color);
    series.push({
      label: s.label,
      stroke,
      width: 1.5,
      spanGaps: true,
      dash: s.style === "dash" ? [6, 4] : undefined,
      paths: s.style === "points" ? () => null : undefined,
      points: s.style === "points" ? { show: true, size: 7, stroke, fill: stroke } : { show: false },
    });
  }
  const columns = align(curves);
  if (spec.zeroLine) {
    series.push({ label: "0", stroke: "#888", width: 1, dash: [2, 3], points: { show: false } });
    columns.push(columns[0].map(() => 0));
  }
  const width = Math.max(360, Math.min(parent.clientWidth || 800, 900) - 16);
  const plot = new uPlot(
    {
      width,
      height: 320,
      series,
      scales: { x: { time: false }, y: spec.logY ? { distr: 3 } : {} },
      axes: [{ label: spec.xLabel }, { label: spec.yLabel, size: 60 }],
      legend: { live: false },
    },
    columns as uPlot.AlignedData,
    figure,
  );
  button.addEventListener("click", () => downloadPng(plot, spec));
  return { spec, plot, element: figure };
}

/** The PNG image of a drawn chart: title, plot and legend on white. */
export function chartPng(plot: uPlot, spec: ChartSpec): string {
  const src = plot.ctx.canvas;
  const ratio = src.width / plot.width;
  const entries = plot.series.slice(1).map((s) => ({ label: String(s.label ?? ""), stroke: s.stroke }));
  const lineHeight = 16 * ratio;
  const legendHeight = Math.ceil(entries.length / 3) * lineHeight + 8 * ratio;
  const out = document.createElement("canvas");
  out.width = src.width;
  out.height = src.height + 28 * ratio + legendHeight;
  const ctx = out.getContext("2d")!;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = "#000";
  ctx.font = `${14 * ratio}px sans-serif`;
  ctx.fillText(spec.title, 8 * ratio, 18 * ratio);
  ctx.drawImage(src, 0, 28 * ratio);
  ctx.font = `${11 * ratio}px sans-serif`;
  entries.forEach((e, k) => {
    const x = (k % 3) * (out.width / 3) + 8 * ratio;
    const y = src.height + 28 * ratio + Math.floor(k / 3) * lineHeight + 12 * ratio;
    ctx.fillStyle = typeof e.stroke === "string" ? e.stroke : "#000";
    ctx.fillRect(x, y - 8 * ratio, 12 * ratio, 4 * ratio);
    ctx.fillStyle = "#000";
    ctx.fillText(e.label, x + 16 * ratio, y);
  });
  return out.toDataURL("image/png");
}

/** Saves a drawn chart as `<id>.png`. */
export function downloadPng(plot: uPlot, spec: ChartSpec): void {
  const a = document.createElement("a");
  a.href = chartPng(plot, spec);
  a.download = `${spec.id}.png`;
  document.body.append(a);
  a.click();
  a.remove();
}
