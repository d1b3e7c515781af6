/// <reference lib="dom" />
/**
 * Draws a chart description with uPlot (x values of all curves merged, gaps where a curve has
 * no point): samples light behind bold medians, interquartile bands, error bars and the zero
 * line drawn by hooks, integer ticks on counting axes, only positive ticks on log axes, the
 * width following the page. Beside each plot: its legend and the exports (SVG, PNG, CSV).
 *
 * @module
 */

import uPlot from "uplot";
import type { ChartSpec, SeriesSpec } from "./_charts.ts";
import { chartCsv } from "./_chart_csv.ts";
import { BAND_ALPHA, chartSvg, DASH, LINE_WIDTH, strokeOf, svgToPng, swatch } from "./_svg.ts";
import { translucent } from "./_colors.ts";

/**
 * uPlot's columnar data for curves with their own x values (moved by their dodge): the sorted
 * union of the x values, then one column per curve with null where it has no point.
 */
export function align(series: { x: number[]; y: number[]; dodge?: number }[]): (number | null)[][] {
  const xs = [...new Set(series.flatMap((s) => s.x.map((x) => x + (s.dodge ?? 0))))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = series.map((s) => {
    const col: (number | null)[] = new Array(xs.length).fill(null);
    s.x.forEach((x, k) => (col[index.get(x + (s.dodge ?? 0))!] = Number.isFinite(s.y[k]) ? s.y[k] : null));
    return col;
  });
  return [xs, ...columns];
}

/** Tick steps of counting axes (exponent index, epoch): integers only. */
const INTEGER_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000];

/**
 * Ticks of a log axis between min and max: powers of ten, with 2 and 5 times them when the
 * axis spans fewer than three decades; all positive.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(logTicks(0.3, 20), [0.5, 1, 2, 5, 10, 20]);
 * deepEqual(logTicks(1e-5, 1e2), [1e-5, 1e-4, 0.001, 0.01, 0.1, 1, 10, 100]);
 * ```
 */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const steps = Math.log10(max / min) < 3 ? [1, 2, 5] : [1];
  const out: number[] = [];
  for (let e = lo; e <= hi; e++) {
    for (const m of steps) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9) && v > 0) out.push(v);
    }
  }
  return out;
}

/**
 * The x range of a chart: half a step beyond the ends on counting axes, 3% beyond them when points
 * are drawn (so that none is cut in half at the edge), the data's range otherwise.
 */
function xRange(spec: ChartSpec, min: number, max: number): uPlot.Range.MinMax {
  if (spec.integerX) return [Math.round(min) - 0.5, Math.round(max) + 0.5];
  const pad = spec.series.some((s) => s.style === "points") ? 0.03 * (max - min) : 0;
  return [min - pad, max + pad];
}

/**
 * A tick label of a linear axis: the tick value without floating-point noise, at full precision
 * (0.0125, not uPlot's 0.013).
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * deepEqual([0.0125, 0.1 + 0.2, -0, 2].map(linearLabel), ["0.0125", "0.3", "0", "2"]);
 * ```
 */
export function linearLabel(v: number): string {
  return String(Number(v.toFixed(10)));
}

/** A tick label of a positive log-axis value: plain between 0.001 and 10⁴, else `1e-5`. */
function logLabel(v: number): string {
  return v >= 1e-3 && v < 1e4 ? String(v) : v.toExponential().replace("e+", "e");
}

/** The extent of what a chart draws on its y axis (curves, bands, error bars, the zero line); positive values only on a log axis. */
function yExtent(spec: ChartSpec): [number, number] | undefined {
  let min = Infinity;
  let max = -Infinity;
  const take = (v: number) => {
    if (!Number.isFinite(v) || (spec.logY && v <= 0)) return;
    min = Math.min(min, v);
    max = Math.max(max, v);
  };
  for (const s of spec.series) {
    s.y.forEach((y, k) => {
      take(y);
      if (s.err) take(y - s.err[k]), take(y + s.err[k]);
      if (s.band) take(s.band.lo[k]), take(s.band.hi[k]);
    });
  }
  if (spec.zeroLine && !spec.logY && min <= max) take(0);
  return min <= max ? [min, max] : undefined;
}

/** Draws bands (under the curves) and the zero line. */
function drawUnder(u: uPlot, spec: ChartSpec): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  if (spec.zeroLine && !spec.logY) {
    const y = u.valToPos(0, "y", true);
    ctx.strokeStyle = "#888";
    ctx.lineWidth = uPlot.pxRatio;
    ctx.setLineDash([2 * uPlot.pxRatio, 3 * uPlot.pxRatio]);
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + width, y);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  for (const s of spec.series) {
    if (!s.band) continue;
    const { lo, hi } = s.band;
    const ks = s.x.map((_, k) => k).filter((k) => Number.isFinite(lo[k]) && Number.isFinite(hi[k]));
    ctx.fillStyle = translucent(s.color, BAND_ALPHA);
    ctx.beginPath();
    ks.forEach((k, j) => {
      const x = u.valToPos(s.x[k], "x", true);
      const y = u.valToPos(hi[k], "y", true);
      if (j === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    for (const k of ks.reverse()) ctx.lineTo(u.valToPos(s.x[k], "x", true), u.valToPos(lo[k], "y", true));
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
}

/** Draws the error bars (± block standard error, capped). */
function drawErrorBars(u: uPlot, spec: ChartSpec): void {
  const ctx = u.ctx;
  const r = uPlot.pxRatio;
  ctx.save();
  for (const s of spec.series) {
    if (!s.err) continue;
    ctx.strokeStyle = strokeOf(s);
    ctx.lineWidth = 1.2 * r;
    ctx.beginPath();
    s.x.forEach((xv, k) => {
      const e = s.err![k];
      if (!Number.isFinite(e) || !Number.isFinite(s.y[k])) return;
      const x = u.valToPos(xv + (s.dodge ?? 0), "x", true);
      const lo = u.valToPos(s.y[k] - e, "y", true);
      const hi = u.valToPos(s.y[k] + e, "y", true);
      ctx.moveTo(x, lo);
      ctx.lineTo(x, hi);
      ctx.moveTo(x - 4 * r, lo);
      ctx.lineTo(x + 4 * r, lo);
      ctx.moveTo(x - 4 * r, hi);
      ctx.lineTo(x + 4 * r, hi);
    });
    ctx.stroke();
  }
  ctx.restore();
}

function uplotSeries(s: SeriesSpec): uPlot.Series {
  const stroke = strokeOf(s);
  const points = s.style === "points";
  return {
    label: s.label,
    stroke,
    width: points ? 0 : LINE_WIDTH[s.weight ?? "main"],
    spanGaps: true,
    dash: s.style === "dash" ? DASH : undefined,
    paths: points ? () => null : undefined,
    points: points
      ? { show: true, size: s.weight === "sample" ? 5 : 7, stroke, fill: stroke }
      : { show: false },
  };
}

/** The plot height for a width: a 2:1 frame between 260 and 420 px. */
function heightFor(width: number): number {
  return Math.round(Math.min(420, Math.max(260, width / 2)));
}

/** A drawn chart. */
export interface DrawnChart {
  spec: ChartSpec;
  plot: uPlot;
  element: HTMLElement;
}

function button(text: string, className: string, title: string): HTMLButtonElement {
  return Object.assign(document.createElement("button"), {
    type: "button",
    textContent: text,
    className,
    title,
  });
}

function download(href: string, name: string): void {
  const a = Object.assign(document.createElement("a"), { href, download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

/**
 * A figure appended to `parent` (`figure.chart#chart-<id>`): its caption (the title and the SVG,
 * PNG and Copy CSV buttons, which call `svg` and `csv` when clicked) and an empty plot area.
 */
export function exportableFigure(
  parent: HTMLElement,
  id: string,
  titleText: string,
  svg: () => string,
  csv: () => string,
): { figure: HTMLElement; area: HTMLElement } {
  const figure = document.createElement("figure");
  figure.className = "chart";
  figure.id = `chart-${id}`;
  const head = document.createElement("figcaption");
  const title = Object.assign(document.createElement("span"), {
    textContent: titleText,
    className: "title",
  });
  const svgButton = button("SVG", "svg", "Save this plot as SVG (vector)");
  const pngButton = button("PNG", "png", "Save this plot as PNG");
  const csvButton = button("Copy CSV", "csv", "Copy the plotted data as CSV");
  const tools = document.createElement("span");
  tools.className = "tools";
  tools.append(svgButton, pngButton, csvButton);
  head.append(title, tools);
  const area = document.createElement("div");
  area.className = "plot";
  figure.append(head, area);
  parent.append(figure);
  svgButton.addEventListener("click", () => {
    const url = URL.createObjectURL(new Blob([svg()], { type: "image/svg+xml" }));
    download(url, `${id}.svg`);
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  pngButton.addEventListener("click", async () => download(await svgToPng(svg()), `${id}.png`));
  csvButton.addEventListener("click", async () => {
    const text = csv();
    try {
      await navigator.clipboard.writeText(text);
      csvButton.textContent = "Copied";
    } catch {
      // No clipboard (permission refused, insecure context): save the file instead.
      download(`data:text/csv;charset=utf-8,${encodeURIComponent(text)}`, `${id}.csv`);
    }
    setTimeout(() => (csvButton.textContent = "Copy CSV"), 1500);
  });
  return { figure, area };
}

/** Draws `spec` into a new figure appended to `parent`: title, exports, plot and legend. */
export function drawChart(parent: HTMLElement, spec: ChartSpec): DrawnChart {
  const drawn: { plot?: uPlot } = {}; // the plot, once drawn below (the exports run on click)
  const { figure, area } = exportableFigure(
    parent,
    spec.id,
    spec.title,
    () => chartSvg(drawn.plot!, spec),
    () => chartCsv(spec),
  );
  const legend = document.createElement("ul");
  legend.className = "legend";
  for (const e of spec.legend) {
    const li = document.createElement("li");
    li.dataset.color = e.color;
    li.dataset.glyph = e.glyph;
    li.dataset.weight = e.weight ?? "main";
    li.innerHTML = `<svg width="24" height="12" aria-hidden="true">${swatch(e)}</svg>`;
    li.append(Object.assign(document.createElement("span"), { textContent: e.label }));
    legend.append(li);
  }
  figure.append(legend);

  const extent = yExtent(spec);
  const width = Math.max(300, area.clientWidth || 800);
  const plot = new uPlot(
    {
      width,
      height: heightFor(width),
      series: [{ label: spec.xLabel }, ...spec.series.map(uplotSeries)],
      scales: {
        x: {
          time: false,
          range: (_u, min, max) => xRange(spec, min, max),
        },
        y: {
          distr: spec.logY ? 3 : 1,
          range: (_u, min, max) => {
            const [lo, hi] = extent ?? [min, max];
            return spec.logY ? uPlot.rangeLog(lo, hi, 10, false) : uPlot.rangeNum(lo, hi, 0.1, true);
          },
        },
      },
      axes: [
        {
          label: spec.xLabel,
          values: (_u, splits) => splits.map(linearLabel),
          ...(spec.integerX ? { incrs: INTEGER_INCRS } : {}),
        },
        {
          label: spec.yLabel,
          size: 64,
          ...(spec.logY
            ? {
              splits: (_u, _i, min, max) => logTicks(min, max),
              values: (_u, splits) => splits.map(logLabel),
            }
            : { values: (_u, splits) => splits.map(linearLabel) }),
        },
      ],
      legend: { show: false },
      cursor: { show: true, points: { show: false } },
      hooks: { drawAxes: [(u) => drawUnder(u, spec)], draw: [(u) => drawErrorBars(u, spec)] },
    },
    align(spec.series) as uPlot.AlignedData,
    area,
  );
  drawn.plot = plot;
  new ResizeObserver(() => {
    const w = Math.max(300, area.clientWidth);
    if (w !== plot.width) plot.setSize({ width: w, height: heightFor(w) });
  }).observe(area);
  return { spec, plot, element: figure };
}
