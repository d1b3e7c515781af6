/**
 * `deno task bench:sparse`: dense against sparse (CSR) kernels. The tangent step (nle 50 and 1,
 * f64) across densities at n = 400 and 1000, with the crossover density where both take the same
 * time (the basis of `SPARSE_DENSITY`); then spectra (nle 50) and one gradient of the EB, EB_PB
 * and FB connectomes with each. Writes bench/sparse_results.json. Wasm starts in a baseline
 * tier: every measurement is preceded by warm-up calls. Machines are shared: compare ratios.
 *
 * @module
 */

import { loadConnectome, loadCore, type Network, randomNetwork, Rng, writeFileAtomic } from "../src/deno.ts";
import { timeCall } from "./_timing.ts";

const core = await loadCore();
const NLE = 50;

/** A random network (g 1.5) keeping each connection with probability `density`, rescaled to keep g. */
function sparseNetwork(n: number, density: number): Network {
  const net = randomNetwork({ n, g: 1.5, seed: 1 });
  const rng = new Rng(2, 0);
  const scale = 1 / Math.sqrt(density);
  for (let i = 0; i < n * n; i++) net.weights[i] = rng.uniform() < density ? net.weights[i] * scale : 0;
  return net;
}

function densityOf(net: Network): number {
  let nnz = 0;
  for (const w of net.weights) if (w !== 0) nnz++;
  return nnz / (net.n * net.n);
}

/** Milliseconds of one tangent step (state + frame of nle columns) with the given kernels. */
function tangentMs(net: Network, nle: number, kernels: "dense" | "sparse"): number {
  const { n } = net;
  const ws = core.workspace(n, nle);
  ws.setNetwork(net, 0.1, kernels);
  ws.setState(new Float64Array(n).map((_, i) => Math.sin(i)));
  ws.setFrame(new Float64Array(n * nle).map((_, i) => Math.cos(i)));
  ws.orthonormalize();
  const steps = 4;
  const t = timeCall(() => ws.tangentSteps(steps), { pick: "min" }) / steps;
  ws.free();
  return t * 1e3;
}

// ---- tangent step across densities ----------------------------------------------------------
const DENSITIES = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1];
const steps: { n: number; nle: number; density: number; denseMs: number; sparseMs: number }[] = [];
const crossovers: { n: number; nle: number; density: number }[] = [];
for (const nle of [NLE, 1]) {
  for (const n of [400, 1000]) {
    const rows = DENSITIES.map((density) => {
      const net = sparseNetwork(n, density);
      const denseMs = tangentMs(net, nle, "dense");
      return { n, nle, density: densityOf(net), denseMs, sparseMs: tangentMs(net, nle, "sparse") };
    });
    steps.push(...rows);
    // Linear interpolation of the ratio sparse/dense through 1.
    const ratio = rows.map((r) => r.sparseMs / r.denseMs);
    const i = ratio.findIndex((x) => x >= 1);
    const density = i <= 0 ? (i === 0 ? rows[0].density : Infinity) : rows[i - 1].density +
      ((1 - ratio[i - 1]) / (ratio[i] - ratio[i - 1])) * (rows[i].density - rows[i - 1].density);
    crossovers.push({ n, nle, density });
  }
}

// ---- connectomes: spectrum (nle 50) and one gradient ----------------------------------------
const STANDARD = { nle: NLE, dt: 0.1, tons: 0.2, ttr: 20, tframe: 10, tsim: 200, seed: 1, blocks: 1 };
/** Spectra are timed on this fraction of the standard window and scaled to it (best of two runs, as gradients). */
const FRACTION = 0.05;
const GRADIENT = { nle: NLE, dt: 0.1, tons: 0.2, ttr: 1, tframe: 1, tsim: 5, seed: 1 };
const connectomes: {
  roi: string;
  n: number;
  density: number;
  auto: string;
  spectrum: { dense: number; sparse: number };
  gradient: { dense: number; sparse: number };
  maxExponentDifference: number;
}[] = [];
for (const roi of ["EB", "EB_PB", "FB"] as const) {
  const net = loadConnectome(new URL("../data/connectomics", import.meta.url).pathname, { roi });
  const spectrum = { dense: 0, sparse: 0 };
  const gradient = { dense: 0, sparse: 0 };
  const exponents: Float64Array[] = [];
  for (const kernels of ["dense", "sparse"] as const) {
    const short = { ...STANDARD, kernels, ttr: 1, tframe: 1, tsim: 1 };
    core.lyapunovSpectrum(net, short); // warm-up
    const window = {
      ...STANDARD,
      kernels,
      ttr: STANDARD.ttr * FRACTION,
      tframe: STANDARD.tframe * FRACTION,
      tsim: STANDARD.tsim * FRACTION,
    };
    const runs = [core.lyapunovSpectrum(net, window), core.lyapunovSpectrum(net, window)];
    spectrum[kernels] = Math.min(...runs.map((r) => r.seconds)) / FRACTION;
    exponents.push(runs[0].exponents);
    const options = { ...GRADIENT, kernels, train: { weights: true } };
    gradient[kernels] = Math.min(
      ...[0, 1].map(() => core.spectrumGradient(net, "MSE", options).seconds),
    );
  }
  connectomes.push({
    roi,
    n: net.n,
    density: densityOf(net),
    auto: core.lyapunovSpectrum(net, { ...STANDARD, tsim: 0.2, ttr: 0, tframe: 0 }).kernels,
    spectrum,
    gradient,
    maxExponentDifference: Math.max(...exponents[0].map((x, j) => Math.abs(x - exponents[1][j]))),
  });
}

// ---- report ----------------------------------------------------------------------------------
const fmt = (x: number, d = 3) => x.toFixed(d);
console.log(`\nTangent step (state + frame), f64: ms per step`);
console.log("    n  nle  density     dense    sparse  sparse/dense");
for (const r of steps) {
  console.log(
    `${String(r.n).padStart(5)} ${String(r.nle).padStart(4)} ${fmt(r.density).padStart(8)} ${
      fmt(r.denseMs).padStart(9)
    } ${fmt(r.sparseMs).padStart(9)} ${fmt(r.sparseMs / r.denseMs, 2).padStart(13)}`,
  );
}
for (const c of crossovers) console.log(`crossover at n = ${c.n}, nle ${c.nle}: density ${fmt(c.density)}`);
console.log(
  `\nConnectomes (tanh_pos defaults, nle ${NLE}, f64): spectrum at ttr 20, tframe 10, tsim 200 (timed on ${
    FRACTION * 100
  } % and scaled), gradient (MSE, weights) at ttr 1, tframe 1, tsim 5: seconds`,
);
console.log("roi        n  density  auto     spectrum dense / sparse   gradient dense / sparse");
for (const c of connectomes) {
  console.log(
    `${c.roi.padEnd(6)} ${String(c.n).padStart(5)} ${fmt(c.density).padStart(8)}  ${c.auto.padEnd(6)} ${
      fmt(c.spectrum.dense, 2).padStart(10)
    } / ${fmt(c.spectrum.sparse, 2).padEnd(12)} ${fmt(c.gradient.dense, 2).padStart(10)} / ${
      fmt(c.gradient.sparse, 2)
    }   (max |Δλ| ${c.maxExponentDifference.toExponential(1)})`,
  );
}

await writeFileAtomic(
  new URL("./sparse_results.json", import.meta.url).pathname,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: { cores: navigator.hardwareConcurrency, deno: Deno.version.deno, v8: Deno.version.v8 },
      nle: NLE,
      tangentSteps: steps,
      crossovers,
      connectomes,
    },
    null,
    1,
  ) + "\n",
);
console.log("\nWrote bench/sparse_results.json");
