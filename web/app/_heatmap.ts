/// <reference lib="dom" />
/**
 * A heat map (uPlot has none): a rows × columns table of values drawn as coloured cells in SVG,
 * with row and column labels, axis labels and a colour-scale legend; the same SVG on the page
 * and in the export, its cells as CSV.
 *
 * @module
 */

import { stringify } from "csv-stringify/browser/esm/sync";
import { sequentialAt } from "./_colors.ts";
import { exportableFigure, linearLabel } from "./_plot.ts";
import { esc, wrap } from "./_svg.ts";

/** What a heat map shows: values[r · columns.length + c] at row r (top to bottom), column c. */
export interface HeatmapSpec {
  /** Figure id (`chart-<id>`) and export file name. */
  id: string;
  title: string;
  /** Label of the column axis (below) and of the row axis (left). */
  xLabel: string;
  yLabel: string;
  /** What the colour means, written above the colour scale. */
  valueLabel: string;
  rows: string[];
  columns: number[];
  values: ArrayLike<number>;
}

const FONT = "system-ui, sans-serif";
/** Height of a row of cells, of a title line, room under the cells (ticks, x label). */
const ROW = 22;
const TITLE_LINE = 20;
const BELOW = 44;
/** Width of the colour scale and its labels at the right. */
const SCALE_WIDTH = 96;
/** Least room (px) between two column tick labels. */
const TICK_ROOM = 28;
/** Colour of a cell without a value. */
const EMPTY = "#dddddd";

/** The largest finite value (the top of the colour scale; 1 when there is none above 0). */
export function scaleMax(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) max = Math.max(max, values[i]);
  return max > 0 ? max : 1;
}

/**
 * The colour of a value on a scale from 0 to `max` (the sequential scale; grey without a value).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * equal(cellColor(0, 0.5), "#440154");
 * equal(cellColor(0.5, 0.5), "#aac828");
 * equal(cellColor(NaN, 0.5), "#dddddd");
 * ```
 */
export function cellColor(value: number, max: number): string {
  return Number.isFinite(value) ? sequentialAt(value / max) : EMPTY;
}

/**
 * The SVG document of a heat map `width` px wide: the title (with `withTitle`), one `rect.cell`
 * per value (its `<title>` and `data-value` give the value), row labels (`text.tick-y`), column
 * labels (`text.tick-x`, thinned to integer steps when the columns are narrow), axis labels and
 * the colour scale from 0 to the largest value.
 */
export function heatmapSvg(spec: HeatmapSpec, width: number, withTitle = true): string {
  const { rows, columns, values } = spec;
  const max = scaleMax(values);
  const titleLines = withTitle ? wrap(spec.title, Math.floor(width / 7.5)) : [];
  const top = titleLines.length * TITLE_LINE + 22;
  const labelChars = Math.max(1, ...rows.map((r) => r.length));
  const left = 30 + Math.min(labelChars, 24) * 7;
  const plotWidth = Math.max(columns.length * 4, width - left - SCALE_WIDTH);
  const cellWidth = plotWidth / Math.max(1, columns.length);
  const plotHeight = rows.length * ROW;
  const height = top + plotHeight + BELOW + 8;
  const every = Math.max(1, Math.ceil(TICK_ROOM / cellWidth));
  const f = (v: number) => +v.toFixed(2);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...titleLines.map((l, k) =>
      `<text class="title" x="8" y="${(k + 1) * TITLE_LINE - 4}" font-size="14" font-weight="bold">${
        esc(l)
      }</text>`
    ),
  ];
  rows.forEach((row, r) => {
    const y = top + r * ROW;
    out.push(
      `<text class="tick-y" x="${left - 6}" y="${y + ROW / 2 + 4}" text-anchor="end">${esc(row)}</text>`,
    );
    columns.forEach((column, c) => {
      const v = values[r * columns.length + c];
      const shown = Number.isFinite(v) ? String(Number(v.toPrecision(4))) : "no value";
      out.push(
        `<rect class="cell" x="${f(left + c * cellWidth)}" y="${y}" width="${
          f(cellWidth)
        }" height="${ROW}" fill="${cellColor(v, max)}" data-row="${
          esc(row)
        }" data-column="${column}" data-value="${v}"><title>${
          esc(`${row}, ${spec.xLabel} ${column}: ${spec.valueLabel} ${shown}`)
        }</title></rect>`,
      );
    });
  });
  const bottom = top + plotHeight;
  columns.forEach((column, c) => {
    if (c % every !== 0) return;
    const x = f(left + (c + 0.5) * cellWidth);
    out.push(`<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 4}" stroke="#999"/>`);
    out.push(`<text class="tick-x" x="${x}" y="${bottom + 16}" text-anchor="middle">${column}</text>`);
  });
  out.push(
    `<rect x="${left}" y="${top}" width="${f(plotWidth)}" height="${plotHeight}" fill="none" stroke="#999"/>`,
    `<text class="axis-label" x="${f(left + plotWidth / 2)}" y="${
      bottom + 36
    }" text-anchor="middle" font-weight="bold">${esc(spec.xLabel)}</text>`,
    `<text class="axis-label" x="14" y="${top + plotHeight / 2}" transform="rotate(-90 14 ${
      top + plotHeight / 2
    })" text-anchor="middle" font-weight="bold">${esc(spec.yLabel)}</text>`,
  );
  // The colour scale: a vertical bar from 0 (bottom) to the largest value (top), three ticks.
  const sx = f(left + plotWidth + 16);
  const barHeight = Math.max(plotHeight, 3 * ROW);
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) =>
    `<stop offset="${t}" stop-color="${sequentialAt(1 - t)}"/>`
  );
  out.push(
    `<g class="color-scale">`,
    `<defs><linearGradient id="scale-${esc(spec.id)}" x1="0" y1="0" x2="0" y2="1">${
      stops.join("")
    }</linearGradient></defs>`,
    `<text class="scale-label" x="${sx}" y="${top - 8}">${esc(spec.valueLabel)}</text>`,
    `<rect x="${sx}" y="${top + 4}" width="14" height="${barHeight - 4}" fill="url(#scale-${
      esc(spec.id)
    })" stroke="#999"/>`,
  );
  for (const t of [0, 0.5, 1]) {
    const y = f(top + 4 + (1 - t) * (barHeight - 4));
    out.push(
      `<line x1="${sx + 14}" y1="${y}" x2="${sx + 18}" y2="${y}" stroke="#999"/>`,
      `<text class="scale-tick" x="${sx + 21}" y="${y + 4}">${
        linearLabel(Number((t * max).toPrecision(2)))
      }</text>`,
    );
  }
  out.push(`</g>`, `</svg>`);
  return out.join("\n");
}

/**
 * CSV text of a heat map's cells, one row per cell: the y and x axis labels, then the value.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const csv = heatmapCsv({
 *   id: "h", title: "", xLabel: "i", yLabel: "cell type", valueLabel: "share",
 *   rows: ["EPG", "PEN"], columns: [1, 2], values: [0.75, 0.5, 0.25, 0.5],
 * });
 * equal(csv, "cell type,i,share\nEPG,1,0.75\nEPG,2,0.5\nPEN,1,0.25\nPEN,2,0.5\n");
 * ```
 */
export function heatmapCsv(spec: HeatmapSpec): string {
  const rows: (string | number)[][] = [[spec.yLabel, spec.xLabel, spec.valueLabel]];
  spec.rows.forEach((row, r) =>
    spec.columns.forEach((column, c) => {
      const v = spec.values[r * spec.columns.length + c];
      rows.push([row, column, Number.isFinite(v) ? v : ""]);
    })
  );
  return stringify(rows);
}

/** Draws a heat map into a new figure appended to `parent` (title, exports, the SVG following the width). */
export function drawHeatmap(parent: HTMLElement, spec: HeatmapSpec): HTMLElement {
  const widthOf = (area: HTMLElement) => Math.max(300, area.clientWidth || 800);
  const { figure, area } = exportableFigure(
    parent,
    spec.id,
    spec.title,
    () => heatmapSvg(spec, widthOf(area)),
    () => heatmapCsv(spec),
  );
  let width = 0;
  const render = () => {
    const w = widthOf(area);
    if (w === width) return;
    width = w;
    area.innerHTML = heatmapSvg(spec, w, false);
  };
  render();
  new ResizeObserver(render).observe(area);
  return figure;
}
