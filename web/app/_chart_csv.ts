/**
 * The plotted series of a chart as CSV (long form: one row per point, named by its series),
 * with the error bars and bands where the chart has them: what "copy data as CSV" copies.
 *
 * @module
 */

import { stringify } from "csv-stringify/browser/esm/sync";
import type { ChartSpec } from "./_charts.ts";

/**
 * CSV text of a chart's series: `series`, the x and y axis labels, then `stderr` and
 * `band_low`, `band_high` when some series has them (empty cells elsewhere).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const csv = chartCsv({
 *   id: "s", title: "", xLabel: "i", yLabel: "λ_i (1/τ)", legend: [],
 *   series: [{ label: "a, b", x: [1, 2], y: [-0.5, -1], err: [0.1, 0.2], style: "points", color: "#000" }],
 * });
 * equal(csv, 'series,i,λ_i (1/τ),stderr\n"a, b",1,-0.5,0.1\n"a, b",2,-1,0.2\n');
 * ```
 */
export function chartCsv(spec: ChartSpec): string {
  const cell = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : "");
  const hasErr = spec.series.some((s) => s.err);
  const hasBand = spec.series.some((s) => s.band);
  const header = [
    "series",
    spec.xLabel,
    spec.yLabel,
    ...(hasErr ? ["stderr"] : []),
    ...(
      hasBand ? ["band_low", "band_high"] : []
    ),
  ];
  const rows: (string | number)[][] = [header];
  for (const s of spec.series) {
    s.x.forEach((x, k) => {
      const row: (string | number)[] = [s.label, x, cell(s.y[k])];
      if (hasErr) row.push(cell(s.err?.[k]));
      if (hasBand) row.push(cell(s.band?.lo[k]), cell(s.band?.hi[k]));
      rows.push(row);
    });
  }
  return stringify(rows);
}
