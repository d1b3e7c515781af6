import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  chooseKernels,
  loadConnectome,
  type Network,
  randomNetwork,
  Rng,
  SPARSE_DENSITY,
  type SpectrumGradientOptions,
} from "../src/deno.ts";
import { core } from "./_fixtures.ts";

/**
 * Dense and sparse kernels sum in different orders, so they agree to rounding only. Observed
 * worst differences on the cases below: 2.7e-15 for exponents and 6.3e-15 (relative to the
 * largest entry) for gradients of the random networks, 5.6e-16 and 1.6e-15 on EB; the short
 * windows keep chaos from amplifying them.
 */
const TOL = 1e-12;

const ACTIVATIONS = ["tanh", "tanh_pos", "tanh_stretched"] as const;

/** A random network keeping about `density` of its connections, with varied gains and shifts. */
function sparseNetwork(
  n: number,
  density: number,
  seed: number,
  activation: (typeof ACTIVATIONS)[number] = "tanh",
): Network {
  const net = randomNetwork({ n, g: 2, seed, activation });
  const rng = new Rng(seed, 7);
  const scale = 1 / Math.sqrt(density);
  net.weights.forEach((w, i) => (net.weights[i] = rng.uniform() < density ? w * scale : 0));
  net.gains.forEach((_, i) => (net.gains[i] = 0.7 + (0.9 * i) / Math.max(1, n - 1)));
  net.shifts.forEach((_, i) => (net.shifts[i] = -0.25 + (0.6 * ((i * 3) % n)) / n));
  return net;
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

const SHORT = { dt: 0.1, tons: 0.3, ttr: 1.1, tframe: 1, tsim: 5, seed: 3 };

for (const activation of ACTIVATIONS) {
  Deno.test(`lyapunovSpectrum(): sparse kernels equal dense ones to ${TOL} (${activation}, n = 37, k = 1, 4, 9, 20, 37)`, () => {
    const net = sparseNetwork(37, 0.2, 1, activation);
    for (const nle of [1, 4, 9, 20, 37]) {
      const dense = core.lyapunovSpectrum(net, { ...SHORT, nle, kernels: "dense" });
      const sparse = core.lyapunovSpectrum(net, { ...SHORT, nle, kernels: "sparse" });
      equal(dense.kernels, "dense");
      equal(sparse.kernels, "sparse");
      const d = maxDifference(dense.exponents, sparse.exponents);
      ok(d <= TOL, `${activation}, nle ${nle}: |λ_sparse − λ_dense| = ${d}`);
    }
  });
}

Deno.test("lyapunovSpectrum(): sparse kernels in f32 agree with dense ones to f32 rounding", () => {
  const net = sparseNetwork(45, 0.15, 2, "tanh_pos");
  const o = { ...SHORT, nle: 10, precision: "f32" as const };
  const dense = core.lyapunovSpectrum(net, { ...o, kernels: "dense" });
  const sparse = core.lyapunovSpectrum(net, { ...o, kernels: "sparse" });
  const d = maxDifference(dense.exponents, sparse.exponents);
  ok(d <= 1e-4, `f32: |λ_sparse − λ_dense| = ${d}`);
});

Deno.test("lyapunovSpectrum(): sparse kernels give log(1 − dt)/dt for W = 0 (no nonzeros) and handle empty rows", () => {
  const net = randomNetwork({ n: 9, g: 1, seed: 1 });
  net.weights.fill(0);
  const res = core.lyapunovSpectrum(net, { ...SHORT, nle: 3, kernels: "sparse" });
  for (const x of res.exponents) ok(Math.abs(x - Math.log(0.9) / 0.1) < 1e-12, `${x}`);
  // Rows and columns 0..2 empty.
  const part = sparseNetwork(21, 0.3, 4);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 21; j++) part.weights[i * 21 + j] = part.weights[j * 21 + i] = 0;
  }
  const dense = core.lyapunovSpectrum(part, { ...SHORT, nle: 5, kernels: "dense" });
  const sparse = core.lyapunovSpectrum(part, { ...SHORT, nle: 5, kernels: "sparse" });
  ok(maxDifference(dense.exponents, sparse.exponents) <= TOL);
});

Deno.test(`lyapunovSpectrum(): the EB connectome (tanh_pos) gives the same spectrum and weight gradient with sparse and dense kernels to ${TOL}`, () => {
  const net = loadConnectome(new URL("../data/connectomics", import.meta.url).pathname, { roi: "EB" });
  const o = { nle: 8, dt: 0.1, tons: 0.2, ttr: 2, tframe: 1, tsim: 10, seed: 1 };
  const dense = core.lyapunovSpectrum(net, { ...o, kernels: "dense" });
  const sparse = core.lyapunovSpectrum(net, { ...o, kernels: "sparse" });
  const d = maxDifference(dense.exponents, sparse.exponents);
  ok(d <= TOL, `EB: |λ_sparse − λ_dense| = ${d}`);
  const g = { ...o, ttr: 1, tsim: 3, train: { weights: true } };
  const gd = core.spectrumGradient(net, "MSE", { ...g, kernels: "dense" }).grad.weights!;
  const gs = core.spectrumGradient(net, "MSE", { ...g, kernels: "sparse" }).grad.weights!;
  const r = maxDifference(gd, gs) / maxAbs(gd);
  ok(r <= TOL, `EB: relative weight gradient difference ${r}`);
});

type GradientOptions = Omit<SpectrumGradientOptions, "train">;

/** Relative difference of the sparse and dense gradients of every trained part. */
function gradientDifference(net: Network, o: GradientOptions, gainsAndShifts: boolean): number {
  const train = { weights: true, gains: gainsAndShifts, shifts: gainsAndShifts };
  const dense = core.spectrumGradient(net, "MSE", { ...o, kernels: "dense", train });
  const sparse = core.spectrumGradient(net, "MSE", { ...o, kernels: "sparse", train });
  equal(sparse.kernels, "sparse");
  ok(maxDifference(dense.exponents, sparse.exponents) <= TOL);
  let worst = 0;
  for (const part of ["weights", "gains", "shifts"] as const) {
    const a = dense.grad[part];
    const b = sparse.grad[part];
    if (!gainsAndShifts && part !== "weights") {
      equal(b, undefined);
      continue;
    }
    const scale = maxAbs(a!);
    ok(scale > 1e-3, `${part}: gradient too small to compare (${scale})`);
    worst = Math.max(worst, maxDifference(a!, b!) / scale);
  }
  // No gradient off the existing connections.
  const w = sparse.grad.weights!;
  for (let i = 0; i < net.weights.length; i++) if (net.weights[i] === 0) equal(w[i], 0);
  return worst;
}

for (const activation of ACTIVATIONS) {
  const gainsAndShifts = activation !== "tanh";
  Deno.test(
    `spectrumGradient(): sparse equals dense to ${TOL} (relative) for weights${
      gainsAndShifts ? ", gains and shifts" : ""
    } (${activation}, k = 1 and 5, through the transient)`,
    () => {
      const net = sparseNetwork(23, 0.25, 5, activation);
      for (const nle of [1, 5]) {
        const o: GradientOptions = {
          nle,
          dt: 0.1,
          tons: 0.3,
          ttr: 1.1,
          tframe: 1,
          tsim: 3,
          seed: 2,
          target: 0.1,
        };
        const d = gradientDifference(net, o, gainsAndShifts);
        ok(d <= TOL, `${activation}, nle ${nle}: relative gradient difference ${d}`);
      }
    },
  );
}

Deno.test("kernels auto: sparse for FB-like density (7 %), dense for dense random networks, by the nle-dependent SPARSE_DENSITY", () => {
  const fbLike = sparseNetwork(300, 0.07, 1);
  const quarter = sparseNetwork(300, 0.25, 1);
  const dense = randomNetwork({ n: 300, g: 1.5, seed: 1 });
  for (const nle of [0, 1, 10, 50, 300]) {
    equal(chooseKernels(fbLike, nle), "sparse");
    equal(chooseKernels(dense, nle), "dense");
  }
  // EB-like density: dense for one exponent, sparse for 50 (see the benchmark's crossovers).
  equal(chooseKernels(quarter, 1), "dense");
  equal(chooseKernels(quarter, 50), "sparse");
  equal(chooseKernels(fbLike, 5, "dense"), "dense");
  equal(chooseKernels(dense, 5, "sparse"), "sparse");
  ok(SPARSE_DENSITY.every(([, d]) => d > 0.07 && d < 1));
  const o = { nle: 2, ttr: 0, tframe: 0, tsim: 0.2 };
  equal(core.lyapunovSpectrum(fbLike, o).kernels, "sparse");
  equal(core.lyapunovSpectrum(dense, o).kernels, "dense");
  throws(
    () => core.lyapunovSpectrum(dense, { ...o, kernels: "csr" as "sparse" }),
    /kernels must be auto, dense or sparse/,
  );
});

Deno.test("sparse kernels are deterministic: the same bits twice (spectrum and gradient)", () => {
  const net = sparseNetwork(40, 0.1, 9, "tanh_pos");
  const o = { nle: 6, dt: 0.1, tons: 0.2, ttr: 1, tframe: 1, tsim: 4, seed: 1, kernels: "sparse" as const };
  deepEqual(
    Array.from(core.lyapunovSpectrum(net, o).exponents),
    Array.from(core.lyapunovSpectrum(net, o).exponents),
  );
  const train = { weights: true, gains: true, shifts: true };
  const a = core.spectrumGradient(net, "l2", { ...o, train });
  const b = core.spectrumGradient(net, "l2", { ...o, train });
  deepEqual(Array.from(a.grad.weights!), Array.from(b.grad.weights!));
  deepEqual(Array.from(a.grad.gains!), Array.from(b.grad.gains!));
  deepEqual(Array.from(a.grad.shifts!), Array.from(b.grad.shifts!));
});

Deno.test("Workspace.setNetwork(): switching a workspace between sparse and dense kernels keeps the results", () => {
  const net = sparseNetwork(30, 0.2, 3);
  const ws = core.workspace(30, 3);
  try {
    const h0 = new Float64Array(30).map((_, i) => Math.sin(i));
    const run = (kernels: "dense" | "sparse") => {
      ws.setNetwork(net, 0.1, kernels);
      equal(ws.kernels, kernels);
      ws.setState(h0);
      ws.stateSteps(20);
      return ws.state();
    };
    const sparse = run("sparse");
    const dense = run("dense");
    deepEqual(Array.from(run("sparse")), Array.from(sparse));
    ok(maxDifference(sparse, dense) <= TOL);
  } finally {
    ws.free();
  }
});
