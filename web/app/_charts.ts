/**
 * What each workflow's plots show, as plain chart descriptions built from the runs' tables
 * (no drawing here; `_plot.ts` draws them with uPlot, `_svg.ts` writes them as SVG, `_heatmap.ts`
 * draws the heat maps of cell-type shares). Samples
 * (networks) are drawn light behind their bold median, with the interquartile range as a band
 * and block standard errors as error bars where the run has them; the legend lists one entry per
 * colour (per g, per exponent, per sample) and never the zero line. Several runs of one
 * workflow overlay in the same charts, their entries prefixed by the parameters that differ.
 *
 * @module
 */

import {
  type Column,
  type LAMBDA_MAX_TABLE,
  quantile,
  type Table,
  type TableSchema,
  type Workflow,
} from "../../src/mod.ts";
import { categorical, sequential } from "./_colors.ts";
import type { HeatmapSpec } from "./_heatmap.ts";
import { distinctLabels } from "./_labels.ts";
import type { Run, RunOf } from "./_run.ts";

/** How a curve is drawn. */
export type Glyph = "line" | "dash" | "points";

/** One curve or point set. */
export interface SeriesSpec {
  /** Its name in the exported CSV. */
  label: string;
  x: number[];
  y: number[];
  style: Glyph;
  /** CSS colour (`#rrggbb`). */
  color: string;
  /** "sample": one network of many, drawn light and thin; "main": bold. @default {"main"} */
  weight?: "sample" | "main";
  /** Half-widths of the error bars (block standard errors), one per point. */
  err?: number[];
  /** Edges of the band drawn around the curve (interquartile range), one pair per point. */
  band?: { lo: number[]; hi: number[] };
  /** Drawn this far (x units) beside its x, so that error bars of samples at one index stay apart; exports keep x. */
  dodge?: number;
}

/** One legend entry: what a colour and glyph stand for. */
export interface LegendEntry {
  label: string;
  color: string;
  glyph: Glyph | "band";
  /** @default {"main"} */
  weight?: "sample" | "main";
}

/** One chart. */
export interface ChartSpec {
  /** Stable id (used for the element and the exported file names). */
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: SeriesSpec[];
  legend: LegendEntry[];
  /** Logarithmic y axis. */
  logY?: boolean;
  /** Draw y = 0 (a reference line, not in the legend). */
  zeroLine?: boolean;
  /** The x axis counts (exponent index, epoch): integer ticks only. */
  integerX?: boolean;
}

/** Distinct values of a column, ascending. */
function distinct(values: Float64Array): number[] {
  return [...new Set(Array.from(values).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
}

/** x and y of the rows where every `where` column equals its value. */
function select<S extends TableSchema>(
  table: Table<S>,
  x: Column<S>,
  y: Column<S>,
  where: Partial<Record<Column<S>, number>>,
): { x: number[]; y: number[] } {
  const col = table.col as Record<Column<S>, Float64Array>;
  const xs = col[x];
  const ys = col[y];
  const conds = (Object.entries(where) as [Column<S>, number][]).map(([c, v]) => [col[c], v] as const);
  const out = { x: [] as number[], y: [] as number[] };
  for (let r = 0; r < table.rows; r++) {
    if (conds.every(([c, v]) => c[r] === v)) {
      out.x.push(xs[r]);
      out.y.push(ys[r]);
    }
  }
  return out;
}

/** Median and quartiles across curves, at each x any of them has (the library's quantile). */
function acrossSamples(curves: { x: number[]; y: number[] }[]): {
  x: number[];
  y: number[];
  band: { lo: number[]; hi: number[] };
} {
  const byX = new Map<number, number[]>();
  for (const c of curves) {
    c.x.forEach((x, k) => {
      if (Number.isFinite(c.y[k])) byX.set(x, [...(byX.get(x) ?? []), c.y[k]]);
    });
  }
  const x = [...byX.keys()].sort((a, b) => a - b);
  const at = (q: number) => x.map((v) => quantile(byX.get(v)!, q));
  return { x, y: at(0.5), band: { lo: at(0.25), hi: at(0.75) } };
}

function prefix(label: string): string {
  return label === "" ? "" : `${label} · `;
}

/** The glyph of run r when runs overlay: the first solid, the others dashed. */
function runGlyph(r: number): Glyph {
  return r === 0 ? "line" : "dash";
}

/** Charts of lyapu_convergence runs: running estimates over time, final spectra with error bars. */
export function convergenceCharts(runs: RunOf<"lyapu_convergence">[], labels: string[]): ChartSpec[] {
  const running: SeriesSpec[] = [];
  const runningLegend: LegendEntry[] = [];
  const finals: SeriesSpec[] = [];
  const finalsLegend: LegendEntry[] = [];
  let severalSamples = false;
  runs.forEach((run, r) => {
    const t = run.tables.convergence;
    const samples = distinct(t.col.sample);
    const exponents = distinct(t.col.i);
    severalSamples ||= samples.length > 1;
    for (const i of exponents) {
      const color = categorical(i - 1);
      const label = `${prefix(labels[r])}λ${i}`;
      const curves = samples.map((s) => select(t, "time", "lambda", { sample: s, i }));
      if (samples.length > 1) {
        curves.forEach((c, k) =>
          running.push({
            label: `${label} sample ${samples[k]}`,
            ...c,
            color,
            style: runGlyph(r),
            weight: "sample",
          })
        );
        const { x, y } = acrossSamples(curves);
        running.push({ label: `${label} median`, x, y, color, style: runGlyph(r) });
      } else {
        running.push({ label, ...curves[0], color, style: runGlyph(r) });
      }
      runningLegend.push({ label, color, glyph: runGlyph(r) });
    }
    const sp = run.tables.spectrum;
    if (sp) {
      const spSamples = distinct(sp.col.sample);
      spSamples.forEach((s, k) => {
        const label = `${prefix(labels[r])}sample ${s}`;
        const color = categorical(r * spSamples.length + s);
        const err = select(sp, "i", "stderr", { sample: s }).y;
        finals.push({
          label,
          ...select(sp, "i", "lambda", { sample: s }),
          err,
          color,
          style: "points",
          dodge: spSamples.length > 1 ? 0.16 * (k / (spSamples.length - 1) - 0.5) : 0,
        });
        finalsLegend.push({ label, color, glyph: "points" });
      });
    }
  });
  const charts: ChartSpec[] = [{
    id: "convergence",
    title: `Running estimates of the exponents${severalSamples ? " (thin: samples, bold: median)" : ""}`,
    xLabel: "time (τ)",
    yLabel: "λ_i (1/τ)",
    series: running,
    legend: runningLegend,
    zeroLine: true,
  }];
  if (finals.length > 0) {
    const withErr = finals.some((s) => s.err);
    charts.push({
      id: "final-spectrum",
      title: `Final spectrum${withErr ? " (bars: ± block standard error)" : ""}`,
      xLabel: "exponent index i",
      yLabel: "λ_i (1/τ)",
      series: finals,
      legend: finalsLegend,
      zeroLine: true,
      integerX: true,
    });
  }
  return charts;
}

/** Quartiles of a per-network column of lambda_max.csv at each g, divided by n (D/N, H/N bands). */
function perNeuronBand(
  t: Table<typeof LAMBDA_MAX_TABLE>,
  name: "ky_dimension" | "entropy",
  gs: number[],
  n: number,
): { lo: number[]; hi: number[] } | undefined {
  const g = t.col.g;
  const v = t.col[name];
  if (v === undefined || !(n > 0)) return undefined;
  const at = (gv: number, q: number) => quantile(v.filter((_, k) => g[k] === gv), q) / n;
  return { lo: gs.map((gv) => at(gv, 0.25)), hi: gs.map((gv) => at(gv, 0.75)) };
}

/** Charts of transition_2_chaos runs: λ_max against g; with more exponents D/N, H/N and spectra. */
export function transitionCharts(runs: RunOf<"transition_2_chaos">[], labels: string[]): ChartSpec[] {
  const lmax: SeriesSpec[] = [];
  const lmaxLegend: LegendEntry[] = [];
  const perNeuron: SeriesSpec[] = [];
  const perNeuronLegend: LegendEntry[] = [];
  const spectra: SeriesSpec[] = [];
  const spectraLegend: LegendEntry[] = [];
  runs.forEach((run, r) => {
    const t = run.tables.lambdaMax;
    const sum = run.tables.summary;
    const color = categorical(r);
    const pre = prefix(labels[r]);
    for (const s of distinct(t.col.sample)) {
      lmax.push({
        label: `${pre}network ${s}`,
        ...select(t, "g", "lambda_max", { sample: s }),
        color,
        style: "points",
        weight: "sample",
      });
    }
    const g = Array.from(sum.col.g);
    lmax.push({
      label: `${pre}median`,
      x: g,
      y: Array.from(sum.col.median),
      band: { lo: Array.from(sum.col.q1), hi: Array.from(sum.col.q3) },
      color,
      style: "line",
    });
    lmaxLegend.push(
      { label: `${pre}networks`, color, glyph: "points", weight: "sample" },
      { label: `${pre}median`, color, glyph: "line" },
    );
    if (sum.col.q1 && sum.col.q3) {
      lmaxLegend.push({ label: `${pre}interquartile range`, color, glyph: "band" });
    }
    const n = Number(run.options.n);
    for (
      const [k, key, name, perNetwork] of [
        [0, "D_over_N", "D/N", "ky_dimension"],
        [1, "H_over_N", "H/N", "entropy"],
      ] as const
    ) {
      if (!sum.col[key]) continue;
      const c = categorical(2 * r + k);
      perNeuron.push({
        label: `${pre}${name}`,
        x: g,
        y: Array.from(sum.col[key]),
        band: perNeuronBand(t, perNetwork, g, n),
        color: c,
        style: k === 0 ? "line" : "dash",
      });
      perNeuronLegend.push({ label: `${pre}${name}`, color: c, glyph: k === 0 ? "line" : "dash" });
    }
    const sp = run.tables.spectra;
    if (sp && n > 0) {
      const gs = distinct(sp.col.g);
      const gLabels = distinctLabels(gs);
      gs.forEach((gv, k) => {
        const c = sequential(k, gs.length);
        const label = `${pre}g=${gLabels[k]}`;
        const curves = distinct(sp.col.sample).map((s) => {
          const { x, y } = select(sp, "i", "lambda", { g: gv, sample: s });
          return { s, x: x.map((i) => i / n), y };
        });
        for (const { s, x, y } of curves) {
          spectra.push({
            label: `${label} network ${s}`,
            x,
            y,
            color: c,
            style: runGlyph(r),
            weight: "sample",
          });
        }
        const { x, y } = acrossSamples(curves);
        spectra.push({ label: `${label} median`, x, y, color: c, style: runGlyph(r) });
        spectraLegend.push({ label, color: c, glyph: runGlyph(r) });
      });
    }
  });
  const charts: ChartSpec[] = [{
    id: "lambda-max",
    title: "Largest exponent against g (points: networks, line: median, band: interquartile range)",
    xLabel: "g",
    yLabel: "λ_max (1/τ)",
    series: lmax,
    legend: lmaxLegend,
    zeroLine: true,
  }];
  if (perNeuron.length > 0) {
    charts.push({
      id: "dimension-entropy",
      title: "Kaplan–Yorke dimension and entropy rate per neuron (median, band: interquartile range)",
      xLabel: "g",
      yLabel: "D/N, H/N (1, nats/τ per neuron)",
      series: perNeuron,
      legend: perNeuronLegend,
    });
  }
  if (spectra.length > 0) {
    charts.push({
      id: "spectra",
      title: "Spectra λ_i against i/N (thin: networks, bold: median)",
      xLabel: "i/N",
      yLabel: "λ_i (1/τ)",
      series: spectra,
      legend: spectraLegend,
      zeroLine: true,
    });
  }
  return charts;
}

const GRAD_PARTS = ["weights", "gains", "shifts"] as const;

/** Units of each loss (exponents are in 1/τ). */
const LOSS_UNITS: Readonly<Record<string, string>> = {
  l2: "1/τ",
  MSE: "1/τ²",
  MSE_Custom: "1/τ²",
  Sinai: "1/τ",
};

/** The loss axis label of runs (their loss and its units when they all use one). */
function lossLabel(runs: Run[]): string {
  const losses = new Set(runs.map((r) => String(r.options.loss)));
  const [loss] = losses;
  return losses.size === 1 && LOSS_UNITS[loss] ? `loss ${loss} (${LOSS_UNITS[loss]})` : "loss";
}

/** Charts of training runs (train_rd_model, train_flybrain_*): loss, λ_max and gradient norms over epochs; spectra before and after. */
export function trainingCharts(runs: RunOf<TrainingWorkflow>[], labels: string[]): ChartSpec[] {
  const loss: SeriesSpec[] = [];
  const lmax: SeriesSpec[] = [];
  const grads: SeriesSpec[] = [];
  const spectra: SeriesSpec[] = [];
  const legendOf = (series: SeriesSpec[]): LegendEntry[] =>
    series.map((s) => ({ label: s.label, color: s.color, glyph: s.style }));
  runs.forEach((run, r) => {
    const t = run.tables.training;
    const samples = distinct(t.col.sample);
    for (const s of samples) {
      const c = r * samples.length + s;
      const name = `${prefix(labels[r])}sample ${s}`;
      const color = categorical(c);
      loss.push({
        label: name,
        ...select(t, "epoch", "loss", { sample: s }),
        color,
        style: "line",
      });
      lmax.push({
        label: name,
        ...select(t, "epoch", "lambda_max", { sample: s }),
        color,
        style: "line",
      });
      GRAD_PARTS.forEach((part, p) => {
        const col = `grad_norm_${part}` as const;
        if (t.col[col].every((v) => Number.isNaN(v))) return;
        grads.push({
          label: `${name} ${part}`,
          ...select(t, "epoch", col, { sample: s }),
          color: categorical(c * 3 + p),
          style: p === 0 ? "line" : "dash",
        });
      });
    }
    const sp = run.tables.spectra;
    if (sp) {
      const epochs = distinct(sp.col.epoch);
      const last = epochs[epochs.length - 1];
      for (const s of distinct(sp.col.sample)) {
        const color = categorical(r * samples.length + s);
        spectra.push({
          label: `${prefix(labels[r])}sample ${s} before (epoch ${epochs[0]})`,
          ...select(sp, "i", "lambda", { sample: s, epoch: epochs[0] }),
          color,
          style: "dash",
        });
        if (last !== epochs[0]) {
          spectra.push({
            label: `${prefix(labels[r])}sample ${s} after (epoch ${last})`,
            ...select(sp, "i", "lambda", { sample: s, epoch: last }),
            color,
            style: "line",
          });
        }
      }
    }
  });
  const charts: ChartSpec[] = [
    {
      id: "loss",
      title: "Loss",
      xLabel: "epoch",
      yLabel: lossLabel(runs),
      series: loss,
      legend: legendOf(loss),
      integerX: true,
    },
    {
      id: "lambda-max",
      title: "Largest exponent",
      xLabel: "epoch",
      yLabel: "λ_max (1/τ)",
      series: lmax,
      legend: legendOf(lmax),
      zeroLine: true,
      integerX: true,
    },
    {
      id: "grad-norms",
      title: "Gradient norms",
      xLabel: "epoch",
      yLabel: "‖∇ loss‖ (units of the loss; log scale)",
      series: grads,
      legend: legendOf(grads),
      logY: true,
      integerX: true,
    },
  ];
  if (spectra.length > 0) {
    charts.push({
      id: "spectra",
      title: "Spectrum before (dashed) and after (solid) training",
      xLabel: "exponent index i",
      yLabel: "λ_i (1/τ)",
      series: spectra,
      legend: legendOf(spectra),
      zeroLine: true,
      integerX: true,
    });
  }
  return charts;
}

/** The training workflows (their runs share one format). */
type TrainingWorkflow = Exclude<Workflow, "lyapu_convergence" | "transition_2_chaos" | "vectors">;

/**
 * Charts of vectors runs: QR and covariant exponents against i (bars: ± standard error); the
 * participation ratio against i/N (bars: ± standard error); the distribution (empirical CDF) of
 * the smallest unstable/stable angle; the finite-time exponents (mean ± std as bars, 5–95 %
 * quantiles as a band). A run needs only its tables and options (n): the explorer passes a
 * result's tables (src/vectors_tables.ts).
 */
export function vectorsCharts(
  runs: Pick<RunOf<"vectors">, "tables" | "options">[],
  labels: string[],
): ChartSpec[] {
  const exponents: SeriesSpec[] = [];
  const exponentsLegend: LegendEntry[] = [];
  const participation: SeriesSpec[] = [];
  const participationLegend: LegendEntry[] = [];
  const angles: SeriesSpec[] = [];
  const anglesLegend: LegendEntry[] = [];
  const ftle: SeriesSpec[] = [];
  const ftleLegend: LegendEntry[] = [];
  const everyN = runs.every((run) => Number(run.options.n) > 0);
  runs.forEach((run, r) => {
    const s = run.tables.summary.col;
    const i = Array.from(s.i);
    const qr = { label: `${prefix(labels[r])}QR`, color: categorical(2 * r) };
    const clv = { label: `${prefix(labels[r])}covariant`, color: categorical(2 * r + 1) };
    exponents.push(
      {
        ...qr,
        x: i,
        y: Array.from(s.lambda_qr),
        err: Array.from(s.stderr_qr),
        style: "points",
        dodge: -0.12,
      },
      {
        ...clv,
        x: i,
        y: Array.from(s.lambda_clv),
        err: Array.from(s.stderr_clv),
        style: "points",
        dodge: 0.12,
      },
    );
    exponentsLegend.push({ ...qr, glyph: "points" }, { ...clv, glyph: "points" });
    const n = Number(run.options.n);
    const pr = { label: `${prefix(labels[r])}participation ratio`, color: categorical(r) };
    participation.push({
      ...pr,
      x: everyN ? i.map((j) => j / n) : i,
      y: Array.from(s.participation_ratio),
      err: Array.from(s.participation_ratio_stderr),
      style: "points",
    });
    participationLegend.push({ ...pr, glyph: "points" });
    const between = Array.from(run.tables.angles.col.unstable_stable).filter((a) => !Number.isNaN(a))
      .sort((a, b) => a - b);
    if (between.length > 0) {
      const an = { label: `${prefix(labels[r])}unstable/stable`, color: categorical(r) };
      angles.push({
        ...an,
        x: between,
        y: between.map((_, j) => (j + 1) / between.length),
        style: runGlyph(r),
      });
      anglesLegend.push({ ...an, glyph: runGlyph(r) });
    }
    const f = run.tables.ftle.col;
    const ft = { label: `${prefix(labels[r])}finite-time`, color: categorical(r) };
    ftle.push({
      ...ft,
      x: Array.from(f.i),
      y: Array.from(f.mean),
      err: Array.from(f.std),
      band: { lo: Array.from(f.q05), hi: Array.from(f.q95) },
      style: "points",
    });
    ftleLegend.push({ ...ft, glyph: "points" }, {
      label: `${prefix(labels[r])}5–95 %`,
      color: ft.color,
      glyph: "band",
    });
  });
  const charts: ChartSpec[] = [
    {
      id: "clv-exponents",
      title: "Exponents: QR and covariant vectors (bars: ± standard error)",
      xLabel: "exponent index i",
      yLabel: "λ_i (1/τ)",
      series: exponents,
      legend: exponentsLegend,
      zeroLine: true,
      integerX: true,
    },
    {
      id: "participation",
      title: "Participation ratio 1/(N·Σv⁴) of each covariant vector (bars: ± standard error)",
      xLabel: everyN ? "i/N" : "exponent index i",
      yLabel: "participation ratio (fraction of N)",
      series: participation,
      legend: participationLegend,
    },
  ];
  if (angles.length > 0) {
    charts.push({
      id: "angles",
      title: "Smallest angle between the unstable and stable subspaces (distribution over time)",
      xLabel: "angle (rad)",
      yLabel: "samples ≤ angle (fraction)",
      series: angles,
      legend: anglesLegend,
    });
  }
  charts.push({
    id: "ftle",
    title: "Finite-time covariant exponents: mean (bars: ± std, band: 5–95 % quantiles)",
    xLabel: "exponent index i",
    yLabel: "λ_i (1/τ)",
    series: ftle,
    legend: ftleLegend,
    zeroLine: true,
    integerX: true,
  });
  return charts;
}

/**
 * Heat maps of vectors runs of networks with cell types: the time-averaged share of each
 * vector's squared weight (columns, i) on each cell type (rows), one map per run that has them.
 */
export function typeShareMaps(runs: RunOf<"vectors">[], labels: string[]): HeatmapSpec[] {
  const maps: HeatmapSpec[] = [];
  runs.forEach((run, r) => {
    const shares = run.typeShares;
    if (shares === undefined) return;
    const k = shares.excitatory.length;
    maps.push({
      id: runs.length > 1 ? `type-shares-${r + 1}` : "type-shares",
      title: `${
        prefix(labels[r])
      }Share of each covariant vector's squared weight per cell type (time average)`,
      xLabel: "exponent index i",
      yLabel: "cell type",
      valueLabel: "share",
      rows: shares.typeNames,
      columns: Array.from({ length: k }, (_, i) => i + 1),
      values: shares.types,
    });
  });
  return maps;
}

/** The heat maps of runs of one workflow (vectors runs with cell types; none for the others). */
export function heatmapsFor(runs: Run[], labels: string[]): HeatmapSpec[] {
  return runs[0]?.workflow === "vectors" ? typeShareMaps(ofWorkflow(runs, ["vectors"]), labels) : [];
}

/** The runs of one workflow, typed by it. */
function ofWorkflow<W extends Workflow>(runs: Run[], workflows: readonly W[]): RunOf<W>[] {
  return runs.filter((r): r is RunOf<W> => (workflows as readonly Workflow[]).includes(r.workflow));
}

/** The charts of runs of one workflow. */
export function chartsFor(runs: Run[], labels: string[]): ChartSpec[] {
  const workflow = runs[0].workflow;
  if (runs.some((r) => r.workflow !== workflow)) {
    throw new Error("Cannot compare runs of different workflows: pick runs of one kind");
  }
  if (workflow === "lyapu_convergence") return convergenceCharts(ofWorkflow(runs, [workflow]), labels);
  if (workflow === "transition_2_chaos") return transitionCharts(ofWorkflow(runs, [workflow]), labels);
  if (workflow === "vectors") return vectorsCharts(ofWorkflow(runs, [workflow]), labels);
  return trainingCharts(ofWorkflow(runs, [workflow]), labels);
}
