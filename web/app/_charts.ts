/**
 * What each workflow's plots show, as plain chart descriptions built from the runs' tables
 * (no drawing here; `_plot.ts` draws them with uPlot). Several runs of one workflow overlay
 * in the same charts, their curves prefixed by the parameters that differ.
 *
 * @module
 */

import type { Column, Table, TableSchema, Workflow } from "../../src/mod.ts";
import type { Run, RunOf } from "./_run.ts";

/** One curve or point set. */
export interface SeriesSpec {
  label: string;
  x: number[];
  y: number[];
  /** Line, points only, or dashed line. @default {"line"} */
  style?: "line" | "points" | "dash";
  /** Palette index. */
  color: number;
}

/** One chart. */
export interface ChartSpec {
  /** Stable id (used for the element and the PNG file name). */
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: SeriesSpec[];
  /** Logarithmic y axis. */
  logY?: boolean;
  /** Draw y = 0. */
  zeroLine?: boolean;
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

function prefix(label: string): string {
  return label === "" ? "" : `${label} · `;
}

/** Charts of lyapu_convergence runs: running estimates over time, final spectra. */
export function convergenceCharts(runs: RunOf<"lyapu_convergence">[], labels: string[]): ChartSpec[] {
  const running: SeriesSpec[] = [];
  const finals: SeriesSpec[] = [];
  runs.forEach((run, r) => {
    const t = run.tables.convergence;
    for (const s of distinct(t.col.sample)) {
      for (const i of distinct(t.col.i)) {
        running.push({
          label: `${prefix(labels[r])}sample ${s} λ${i}`,
          ...select(t, "time", "lambda", { sample: s, i }),
          color: r * 8 + i - 1,
          style: s === 0 ? "line" : "dash",
        });
      }
    }
    const sp = run.tables.spectrum;
    if (sp) {
      for (const s of distinct(sp.col.sample)) {
        finals.push({
          label: `${prefix(labels[r])}sample ${s}`,
          ...select(sp, "i", "lambda", { sample: s }),
          color: r * 4 + s,
          style: "points",
        });
      }
    }
  });
  const charts: ChartSpec[] = [{
    id: "convergence",
    title: "Running estimates of the exponents",
    xLabel: "time (τ)",
    yLabel: "λ_i (1/τ)",
    series: running,
    zeroLine: true,
  }];
  if (finals.length > 0) {
    charts.push({
      id: "final-spectrum",
      title: "Final spectrum",
      xLabel: "i",
      yLabel: "λ_i",
      series: finals,
    });
  }
  return charts;
}

/** Charts of transition_2_chaos runs: λ_max against g; with more exponents D/N, H/N and spectra. */
export function transitionCharts(runs: RunOf<"transition_2_chaos">[], labels: string[]): ChartSpec[] {
  const lmax: SeriesSpec[] = [];
  const perNeuron: SeriesSpec[] = [];
  const spectra: SeriesSpec[] = [];
  runs.forEach((run, r) => {
    const t = run.tables.lambdaMax;
    const sum = run.tables.summary;
    for (const s of distinct(t.col.sample)) {
      lmax.push({
        label: `${prefix(labels[r])}network ${s}`,
        ...select(t, "g", "lambda_max", { sample: s }),
        color: r,
        style: "points",
      });
    }
    lmax.push({
      label: `${prefix(labels[r])}median`,
      x: Array.from(sum.col.g),
      y: Array.from(sum.col.median),
      color: r,
    });
    if (sum.col.D_over_N && sum.col.H_over_N) {
      const g = Array.from(sum.col.g);
      perNeuron.push({
        label: `${prefix(labels[r])}D/N`,
        x: g,
        y: Array.from(sum.col.D_over_N),
        color: 2 * r,
      });
      perNeuron.push({
        label: `${prefix(labels[r])}H/N`,
        x: g,
        y: Array.from(sum.col.H_over_N),
        color: 2 * r + 1,
        style: "dash",
      });
    }
    const sp = run.tables.spectra;
    const n = Number(run.options.n);
    if (sp && n > 0) {
      const gs = distinct(sp.col.g);
      gs.forEach((g, k) => {
        for (const s of distinct(sp.col.sample)) {
          const { x, y } = select(sp, "i", "lambda", { g, sample: s });
          spectra.push({
            label: `${prefix(labels[r])}g=${g} network ${s}`,
            x: x.map((i) => i / n),
            y,
            color: r * gs.length + k,
            style: s === 0 ? "line" : "dash",
          });
        }
      });
    }
  });
  const charts: ChartSpec[] = [{
    id: "lambda-max",
    title: "Largest exponent against g (points: networks, line: median)",
    xLabel: "g",
    yLabel: "λ_max (1/τ)",
    series: lmax,
    zeroLine: true,
  }];
  if (perNeuron.length > 0) {
    charts.push({
      id: "dimension-entropy",
      title: "Kaplan–Yorke dimension and entropy rate per neuron (medians)",
      xLabel: "g",
      yLabel: "D/N, H/N",
      series: perNeuron,
    });
  }
  if (spectra.length > 0) {
    charts.push({
      id: "spectra",
      title: "Spectra λ_i against i/N",
      xLabel: "i/N",
      yLabel: "λ_i (1/τ)",
      series: spectra,
      zeroLine: true,
    });
  }
  return charts;
}

const GRAD_PARTS = ["weights", "gains", "shifts"] as const;

/** Charts of training runs (train_rd_model, train_flybrain_*): loss, λ_max and gradient norms over epochs; spectra before and after. */
export function trainingCharts(runs: RunOf<TrainingWorkflow>[], labels: string[]): ChartSpec[] {
  const loss: SeriesSpec[] = [];
  const lmax: SeriesSpec[] = [];
  const grads: SeriesSpec[] = [];
  const spectra: SeriesSpec[] = [];
  runs.forEach((run, r) => {
    const t = run.tables.training;
    const samples = distinct(t.col.sample);
    for (const s of samples) {
      const c = r * samples.length + s;
      const name = `${prefix(labels[r])}sample ${s}`;
      loss.push({ label: name, ...select(t, "epoch", "loss", { sample: s }), color: c });
      lmax.push({
        label: name,
        ...select(t, "epoch", "lambda_max", { sample: s }),
        color: c,
      });
      GRAD_PARTS.forEach((part, p) => {
        const col = `grad_norm_${part}` as const;
        if (t.col[col].every((v) => Number.isNaN(v))) return;
        grads.push({
          label: `${name} ${part}`,
          ...select(t, "epoch", col, { sample: s }),
          color: c * 3 + p,
          style: p === 0 ? "line" : "dash",
        });
      });
    }
    const sp = run.tables.spectra;
    if (sp) {
      const epochs = distinct(sp.col.epoch);
      const last = epochs[epochs.length - 1];
      for (const s of distinct(sp.col.sample)) {
        const c = r * samples.length + s;
        spectra.push({
          label: `${prefix(labels[r])}sample ${s} before (epoch 0)`,
          ...select(sp, "i", "lambda", { sample: s, epoch: epochs[0] }),
          color: c,
          style: "dash",
        });
        if (last !== epochs[0]) {
          spectra.push({
            label: `${prefix(labels[r])}sample ${s} after (epoch ${last})`,
            ...select(sp, "i", "lambda", { sample: s, epoch: last }),
            color: c,
          });
        }
      }
    }
  });
  const charts: ChartSpec[] = [
    { id: "loss", title: "Loss", xLabel: "epoch", yLabel: "loss", series: loss },
    {
      id: "lambda-max",
      title: "Largest exponent",
      xLabel: "epoch",
      yLabel: "λ_max (1/τ)",
      series: lmax,
      zeroLine: true,
    },
    { id: "grad-norms", title: "Gradient norms", xLabel: "epoch", yLabel: "‖∇‖", series: grads, logY: true },
  ];
  if (spectra.length > 0) {
    charts.push({
      id: "spectra",
      title: "Spectrum before and after training",
      xLabel: "i",
      yLabel: "λ_i (1/τ)",
      series: spectra,
      zeroLine: true,
    });
  }
  return charts;
}

/** The training workflows (their runs share one format). */
type TrainingWorkflow = Exclude<Workflow, "lyapu_convergence" | "transition_2_chaos">;

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
  return trainingCharts(ofWorkflow(runs, [workflow]), labels);
}
