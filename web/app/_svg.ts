/// <reference lib="dom" />
/**
 * A drawn chart as a vector SVG document: its title, the plotted data as paths, points, bands
 * and error bars, the axes with uPlot's own ticks and scales, the axis labels and the legend.
 * The page's legend swatches come from here too, so screen, SVG and PNG agree.
 *
 * @module
 */

import uPlot from "uplot";
import type { ChartSpec, LegendEntry, SeriesSpec } from "./_charts.ts";
import { translucent } from "./_colors.ts";

/** Opacity of sample lines drawn behind their median. */
export const SAMPLE_ALPHA = 0.35;
/** Opacity of sample points (small, so a little stronger than sample lines). */
export const POINT_ALPHA = 0.55;
/** Opacity of an interquartile band. */
export const BAND_ALPHA = 0.18;
/** Stroke widths (CSS px) of sample and main curves. */
export const LINE_WIDTH = { sample: 1, main: 2.5 } as const;
/** Dash pattern of dashed curves (CSS px). */
export const DASH = [6, 4];

const FONT = "system-ui, sans-serif";
const TITLE_HEIGHT = 20;
const LEGEND_ROW = 18;

/** The stroke colour of a curve or legend entry (samples light). */
export function strokeOf(
  s: { color: string; weight?: "sample" | "main"; style?: string; glyph?: string },
): string {
  if (s.weight !== "sample") return s.color;
  return translucent(s.color, (s.style ?? s.glyph) === "points" ? POINT_ALPHA : SAMPLE_ALPHA);
}

/** Text escaped for SVG/XML content and attributes. */
export function esc(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

/** SVG elements of a legend swatch (24 × 12 px) at (x, y) = its top left. */
export function swatch(e: LegendEntry, x = 0, y = 0): string {
  const stroke = strokeOf(e);
  if (e.glyph === "band") {
    return `<rect x="${x}" y="${y + 2}" width="24" height="8" fill="${translucent(e.color, BAND_ALPHA)}"/>`;
  }
  if (e.glyph === "points") {
    return `<circle cx="${x + 12}" cy="${y + 6}" r="${e.weight === "sample" ? 2.5 : 3.5}" fill="${stroke}"/>`;
  }
  const dash = e.glyph === "dash" ? ` stroke-dasharray="${DASH.join(" ")}"` : "";
  return `<line x1="${x}" y1="${y + 6}" x2="${x + 24}" y2="${y + 6}" stroke="${stroke}" stroke-width="${
    LINE_WIDTH[e.weight ?? "main"]
  }"${dash}/>`;
}

/** Splits text into lines of at most `chars` characters at spaces. */
export function wrap(text: string, chars: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && (line + " " + word).length > chars) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

/** Legend entries laid out in rows across `width`: [entry, x, y] with y from the legend's top. */
function legendLayout(entries: LegendEntry[], width: number): [LegendEntry, number, number][] {
  const out: [LegendEntry, number, number][] = [];
  let x = 8;
  let y = 0;
  for (const e of entries) {
    const w = 32 + e.label.length * 7 + 16;
    if (x > 8 && x + w > width) {
      x = 8;
      y += LEGEND_ROW;
    }
    out.push([e, x, y]);
    x += w;
  }
  return out;
}

/** The tick positions and labels uPlot drew on axis `i` (its internal `_splits`/`_values`). */
function ticks(plot: uPlot, i: number): [number, string][] {
  const axis = plot.axes[i] as uPlot.Axis & { _splits?: number[]; _values?: (string | number | null)[] };
  const splits = axis._splits ?? [];
  const values = axis._values ?? [];
  return splits.flatMap((
    v,
    k,
  ) => (values[k] === null || values[k] === undefined ? [] : [[v, String(values[k])]]));
}

/** SVG of one series, in plot-area coordinates given by `px`/`py`. */
function seriesSvg(s: SeriesSpec, toX: (v: number) => number, py: (v: number) => number): string {
  const stroke = strokeOf(s);
  const px = (v: number) => toX(v + (s.dodge ?? 0));
  const keep = s.x.map((_, k) => k).filter((k) => Number.isFinite(s.y[k]) && Number.isFinite(s.x[k]));
  const parts: string[] = [];
  if (s.band) {
    const band = s.band;
    const ok = keep.filter((k) => Number.isFinite(band.lo[k]) && Number.isFinite(band.hi[k]));
    const pts = [...ok.map((k) => `${px(s.x[k])},${py(band.hi[k])}`)];
    pts.push(...ok.reverse().map((k) => `${px(s.x[k])},${py(band.lo[k])}`));
    parts.push(
      `<polygon class="band" points="${pts.join(" ")}" fill="${translucent(s.color, BAND_ALPHA)}"/>`,
    );
  }
  if (s.style === "points") {
    const r = s.weight === "sample" ? 2.5 : 3.5;
    for (const k of keep) {
      parts.push(`<circle cx="${px(s.x[k])}" cy="${py(s.y[k])}" r="${r}" fill="${stroke}"/>`);
    }
  } else {
    const d = keep.map((k, j) => `${j === 0 ? "M" : "L"}${px(s.x[k])},${py(s.y[k])}`).join("");
    const dash = s.style === "dash" ? ` stroke-dasharray="${DASH.join(" ")}"` : "";
    parts.push(
      `<path d="${d}" fill="none" stroke="${stroke}" stroke-width="${
        LINE_WIDTH[s.weight ?? "main"]
      }"${dash}/>`,
    );
  }
  if (s.err) {
    const err = s.err;
    for (const k of keep.filter((k) => Number.isFinite(err[k]))) {
      const x = px(s.x[k]);
      const [lo, hi] = [py(s.y[k] - err[k]), py(s.y[k] + err[k])];
      parts.push(
        `<path class="error-bar" d="M${x},${lo}V${hi}M${x - 4},${lo}h8M${
          x - 4
        },${hi}h8" stroke="${stroke}" stroke-width="1.2"/>`,
      );
    }
  }
  return parts.join("");
}

/**
 * The SVG document of a drawn chart: title, plot (data, ticks and grid at uPlot's scales),
 * axis labels and legend, at the plot's on-screen size.
 */
export function chartSvg(plot: uPlot, spec: ChartSpec): string {
  const ratio = uPlot.pxRatio;
  const W = plot.width;
  const titleLines = wrap(spec.title, Math.floor(W / 7.5));
  const top = titleLines.length * TITLE_HEIGHT + 6;
  const bb = {
    left: plot.bbox.left / ratio,
    top: plot.bbox.top / ratio,
    width: plot.bbox.width / ratio,
    height: plot.bbox.height / ratio,
  };
  const legend = legendLayout(spec.legend, W);
  // uPlot's canvas keeps room below the x axis; the SVG ends right under its axis label.
  const plotBottom = (plot.bbox.top + plot.bbox.height) / ratio + 48;
  const legendTop = top + plotBottom + 4;
  const H = legendTop + (legend.length ? legend[legend.length - 1][2] + LEGEND_ROW : 0) + 8;
  const px = (v: number) => +(bb.left + plot.valToPos(v, "x")).toFixed(2);
  const py = (v: number) => +(bb.top + plot.valToPos(v, "y")).toFixed(2);
  const bottom = bb.top + bb.height;
  const right = bb.left + bb.width;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT}" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    ...titleLines.map((l, k) =>
      `<text class="title" x="8" y="${(k + 1) * TITLE_HEIGHT - 4}" font-size="14" font-weight="bold">${
        esc(l)
      }</text>`
    ),
    `<g transform="translate(0,${top})">`,
    `<defs><clipPath id="plot-area-${spec.id}"><rect x="${bb.left}" y="${bb.top}" width="${bb.width}" height="${bb.height}"/></clipPath></defs>`,
  ];
  const grid: string[] = [];
  for (const [v, label] of ticks(plot, 0)) {
    const x = px(v);
    grid.push(`<line x1="${x}" y1="${bb.top}" x2="${x}" y2="${bottom}" stroke="#eee"/>`);
    grid.push(`<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 5}" stroke="#999"/>`);
    grid.push(`<text class="tick-x" x="${x}" y="${bottom + 18}" text-anchor="middle">${esc(label)}</text>`);
  }
  for (const [v, label] of ticks(plot, 1)) {
    const y = py(v);
    grid.push(`<line x1="${bb.left}" y1="${y}" x2="${right}" y2="${y}" stroke="#eee"/>`);
    grid.push(`<line x1="${bb.left - 5}" y1="${y}" x2="${bb.left}" y2="${y}" stroke="#999"/>`);
    grid.push(`<text class="tick-y" x="${bb.left - 8}" y="${y + 4}" text-anchor="end">${esc(label)}</text>`);
  }
  out.push(...grid);
  out.push(`<g clip-path="url(#plot-area-${spec.id})">`);
  if (spec.zeroLine && !spec.logY) {
    const y = py(0);
    out.push(
      `<line class="zero" x1="${bb.left}" y1="${y}" x2="${right}" y2="${y}" stroke="#888" stroke-dasharray="2 3"/>`,
    );
  }
  const order = [...spec.series].sort((a, b) =>
    (a.weight === "sample" ? 0 : 1) - (b.weight === "sample" ? 0 : 1)
  );
  for (const s of order) out.push(seriesSvg(s, px, py));
  out.push(`</g>`);
  out.push(
    `<rect x="${bb.left}" y="${bb.top}" width="${bb.width}" height="${bb.height}" fill="none" stroke="#999"/>`,
  );
  out.push(
    `<text class="axis-label" x="${bb.left + bb.width / 2}" y="${
      plotBottom - 6
    }" text-anchor="middle" font-weight="bold">${esc(spec.xLabel)}</text>`,
  );
  const cy = bb.top + bb.height / 2;
  out.push(
    `<text class="axis-label" x="14" y="${cy}" transform="rotate(-90 14 ${cy})" text-anchor="middle" font-weight="bold">${
      esc(spec.yLabel)
    }</text>`,
  );
  out.push(`</g>`);
  for (const [e, x, y] of legend) {
    out.push(
      `<g class="legend-entry">${swatch(e, x, legendTop + y)}<text x="${x + 30}" y="${legendTop + y + 10}">${
        esc(e.label)
      }</text></g>`,
    );
  }
  out.push(`</svg>`);
  return out.join("\n");
}

/** A PNG data URL of an SVG document, rasterised at `scale` times its size. */
export async function svgToPng(svg: string, scale = 2): Promise<string> {
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(img.width * scale);
    canvas.height = Math.ceil(img.height * scale);
    const ctx = canvas.getContext("2d")!;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    return canvas.toDataURL("image/png");
  } finally {
    URL.revokeObjectURL(url);
  }
}
