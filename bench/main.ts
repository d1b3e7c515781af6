/**
 * `deno task bench`: kernel throughput and spectrum timings, printed as tables and written to
 * bench/results.json with the machine and the date. Wasm starts in a baseline tier: every
 * measurement is preceded by warm-up calls. Compare ratios from one run; machines are shared.
 *
 * @module
 */

import {
  deriveSeed,
  linspace,
  loadCore,
  randomNetwork,
  type SpectrumJob,
  WorkerPool,
  writeFileAtomic,
} from "../src/deno.ts";
import type { Precision } from "../src/deno.ts";
import { timeCall } from "./_timing.ts";

const core = await loadCore();
const baseline = (await WebAssembly.instantiate(
  await Deno.readFile(new URL("../build/baseline.wasm", import.meta.url)),
  { env: { abort: () => {} } },
)).instance.exports as Record<string, CallableFunction> & { memory: WebAssembly.Memory };

const net = (n: number) => randomNetwork({ n, g: 1.5, seed: 1 });

// ---- kernels -------------------------------------------------------------------------------
interface KernelRow {
  kernel: string;
  precision: Precision;
  n: number;
  k: number;
  ms: number;
  gflops: number;
}
const kernels: KernelRow[] = [];

function benchTangent(n: number, k: number, precision: Precision) {
  const ws = core.workspace(n, k, precision);
  ws.setNetwork(net(n), 0.1);
  ws.setState(new Float64Array(n).map((_, i) => Math.sin(i)));
  ws.setFrame(new Float64Array(n * k).map((_, i) => Math.cos(i)));
  ws.orthonormalize();
  const steps = 4;
  const step = timeCall(() => ws.tangentSteps(steps)) / steps;
  const state = timeCall(() => ws.stateSteps(steps)) / steps;
  const qr = timeCall(() => ws.orthonormalize());
  ws.free();
  kernels.push({
    kernel: "tangent step (state + frame)",
    precision,
    n,
    k,
    ms: step * 1e3,
    gflops: (2 * n * n * (k + 1)) / step / 1e9,
  });
  kernels.push({
    kernel: "state step (matvec)",
    precision,
    n,
    k: 1,
    ms: state * 1e3,
    gflops: (2 * n * n) / state / 1e9,
  });
  kernels.push({
    kernel: "Householder QR + Q",
    precision,
    n,
    k,
    ms: qr * 1e3,
    gflops: (4 * n * k * k - (4 * k ** 3) / 3) / qr / 1e9,
  });
}

function benchBaselines(n: number, k: number, precision: Precision) {
  const size = precision === "f64" ? 8 : 4;
  const alloc = baseline.alloc as (b: number) => number;
  const W = alloc(n * n * size);
  const X = alloc(n * k * size);
  const Y = alloc(n * k * size);
  const Arr = precision === "f64" ? Float64Array : Float32Array;
  new Arr(baseline.memory.buffer as ArrayBuffer, W, n * n).set(net(n).weights);
  new Arr(baseline.memory.buffer as ArrayBuffer, X, n * k).fill(0.5);
  for (const kind of ["naiveSimd", "scalar"]) {
    const f = baseline[`${kind}_${precision}`];
    const t = timeCall(() => f(n, k, W, X, Y));
    kernels.push({
      kernel: kind === "scalar" ? "baseline: scalar loop" : "baseline: naive SIMD loop",
      precision,
      n,
      k,
      ms: t * 1e3,
      gflops: (2 * n * n * k) / t / 1e9,
    });
  }
}

for (const precision of ["f64", "f32"] as const) {
  for (const [n, k] of [[400, 40], [1000, 100], [200, 200]]) {
    benchTangent(n, k, precision);
    benchBaselines(n, k, precision);
  }
}

// ---- spectra ---------------------------------------------------------------------------------
const STANDARD = { dt: 0.1, tons: 0.2 as number | "auto", ttr: 20, tframe: 10, tsim: 200 };
const BUDGET_SECONDS = 12;

interface SpectrumRow {
  n: number;
  nle: number;
  precision: Precision;
  tons: number | "auto";
  seconds: number;
  extrapolated: boolean;
}
const spectra: SpectrumRow[] = [];

/** Seconds of one spectrum at the standard settings; long cases run a shorter window and scale. */
function spectrumSeconds(
  n: number,
  nle: number,
  precision: Precision,
  tons: number | "auto" = 0.2,
): SpectrumRow {
  const network = net(n);
  const run = (f: number) =>
    core.lyapunovSpectrum(network, {
      ...STANDARD,
      tons,
      ttr: STANDARD.ttr * f,
      tframe: STANDARD.tframe * f,
      tsim: STANDARD.tsim * f,
      nle,
      precision,
      seed: 1,
      blocks: 1,
    }).seconds / f;
  run(0.01); // warm-up: tiers the kernels up
  const estimate = run(0.01);
  const f = estimate <= BUDGET_SECONDS ? 1 : Math.max(0.01, BUDGET_SECONDS / estimate);
  return { n, nle, precision, tons, seconds: run(f), extrapolated: f < 1 };
}

for (const n of [100, 200, 400, 1000]) {
  for (const nle of [1, n / 10, n]) {
    for (const precision of ["f64", "f32"] as const) spectra.push(spectrumSeconds(n, nle, precision));
  }
}
spectra.push(spectrumSeconds(200, 200, "f32", "auto"));
spectra.push(spectrumSeconds(200, 200, "f64", "auto"));

// ---- against the original: historical seconds ---------------------------------------------
// The original's PyTorch seconds (one thread, same settings) as measured in November 2026 on a
// 2-core 2.1 GHz Xeon with the original code; NOT measured by this run, so the speed-ups below
// mix two machines and dates. The full spectra (N = 200 and 400, k = n) are measured live, in
// one run, by bench/pytorch.ts (`deno task bench:pytorch`).
const ORIGINAL = [
  { n: 400, nle: 1, precision: "f64", tons: 0.2, original: 2.7, target: 25 },
  { n: 1000, nle: 1, precision: "f64", tons: 0.2, original: 36.7, target: 50 },
  { n: 400, nle: 40, precision: "f64", tons: 0.2, original: 3.0, target: 2 },
  { n: 400, nle: 40, precision: "f32", tons: 0.2, original: 3.0, target: 4 },
] as const;
const versus = ORIGINAL.map((o) => {
  const row = spectra.find((s) =>
    s.n === o.n && s.nle === o.nle && s.precision === o.precision && s.tons === o.tons
  )!;
  const speedup = o.original / row.seconds;
  return { ...o, seconds: row.seconds, speedup, met: speedup >= o.target };
});

// ---- the default transition_2_chaos sweep on the worker pool ------------------------------
// m_g 7 × n_samples 10 × N = 1000, nLE 1, tsim 200: wall time with 1 and 2 workers. The original
// needed about 37 s per network at N = 1000 on one thread (historical, as ORIGINAL): about 43
// minutes for the sweep.
const sweepJobs: SpectrumJob[] = linspace(0.5, 3, 7).flatMap((g, gi) =>
  Array.from({ length: 10 }, (_, sample): SpectrumJob => {
    const seed = deriveSeed(0, gi * 10 + sample);
    return {
      kind: "spectrum",
      recipe: { n: 1000, activation: "tanh", g, parameters: ["weights"], seed, fixedSeed: 0 },
      options: { nle: 1, tsim: 200, seed },
    };
  })
);
const sweep: { workers: number; seconds: number }[] = [];
for (const workers of [1, 2]) {
  const pool = new WorkerPool(core.module, workers);
  const t0 = performance.now();
  await pool.map(sweepJobs);
  sweep.push({ workers, seconds: (performance.now() - t0) / 1000 });
  pool.terminate();
}
const ORIGINAL_SWEEP_SECONDS = 70 * 36.7;

// ---- one training epoch (spectrum + gradient + Adam), each size in its own process ----------
// The original (historical, as ORIGINAL): N = 200, nLE = 10, tsim = 200: 8.1 s and 2.8 GB peak
// memory per epoch.
const epochs: {
  cpu: string;
  n: number;
  nle: number;
  seconds: number;
  tapeBytes: number;
  peakRssBytes: number;
}[] = [];
for (const [n, nle] of [[200, 10], [400, 40]]) {
  const out = await new Deno.Command(Deno.execPath(), {
    // -A: reading /proc/<pid>/status (the peak memory) needs every permission in Deno.
    args: ["run", "-A", new URL("./epoch.ts", import.meta.url).pathname, String(n), String(nle)],
  }).output();
  if (out.code !== 0) throw new Error(new TextDecoder().decode(out.stderr));
  epochs.push(JSON.parse(new TextDecoder().decode(out.stdout)));
}
const ORIGINAL_EPOCH = { seconds: 8.1, peakBytes: 2.8e9 };

// ---- report ----------------------------------------------------------------------------------
const fmt = (x: number, d = 2) => x.toFixed(d);
console.log("\nKernels (GFLOP/s; tangent step counts 2n²(k+1) flops, QR 4nk² − 4k³/3)");
console.log("kernel                          prec     n     k        ms   GFLOP/s");
for (const r of kernels) {
  console.log(
    `${r.kernel.padEnd(31)} ${r.precision}  ${String(r.n).padStart(5)} ${String(r.k).padStart(5)} ${
      fmt(r.ms, 3).padStart(9)
    } ${fmt(r.gflops).padStart(9)}`,
  );
}
console.log(
  "\nSpectra (tanh, g 1.5, dt 0.1, ttr 20, tframe 10, tsim 200; * = timed on a shorter window, scaled)",
);
console.log("    n   nle  prec   tons   seconds");
for (const s of spectra) {
  console.log(
    `${String(s.n).padStart(5)} ${String(s.nle).padStart(5)}  ${s.precision}  ${String(s.tons).padStart(5)} ${
      fmt(s.seconds, 3).padStart(9)
    }${s.extrapolated ? "*" : ""}`,
  );
}
console.log(
  "\nAgainst the original (PyTorch, one thread): HISTORICAL seconds (November 2026, another machine), not measured in this run;",
);
console.log("full spectra against PyTorch measured in one run: deno task bench:pytorch");
console.log("    n   nle  prec   tons  original s     ours s   speed-up   target");
for (const v of versus) {
  console.log(
    `${String(v.n).padStart(5)} ${String(v.nle).padStart(5)}  ${v.precision}  ${String(v.tons).padStart(5)} ${
      fmt(v.original).padStart(11)
    } ${fmt(v.seconds, 3).padStart(10)} ${(fmt(v.speedup) + "x").padStart(10)} ${
      (v.target + "x").padStart(8)
    } ${v.met ? "met" : "NOT met"}`,
  );
}

console.log("\nDefault transition_2_chaos sweep (7 g × 10 networks, N = 1000, nLE 1, tsim 200)");
for (const w of sweep) {
  console.log(
    `${w.workers} worker(s): ${fmt(w.seconds, 1)} s, ${
      fmt(ORIGINAL_SWEEP_SECONDS / w.seconds, 1)
    }x the original (${fmt(ORIGINAL_SWEEP_SECONDS / 60, 0)} min, historical)`,
  );
}
console.log(`speed-up of 2 workers over 1: ${fmt(sweep[0].seconds / sweep[1].seconds)}x`);

console.log("\nOne training epoch (spectrum + gradient + Adam; tanh, g 1.5, tsim 200, tons 0.2, f64)");
for (const e of epochs) {
  const vs = e.n === 200 && e.nle === 10
    ? `: ${fmt(ORIGINAL_EPOCH.seconds / e.seconds, 1)}x faster, ${
      fmt(ORIGINAL_EPOCH.peakBytes / e.peakRssBytes, 1)
    }x less memory than the original (8.1 s, 2.8 GB, historical)`
    : "";
  console.log(
    `N=${e.n} nLE=${e.nle}: ${fmt(e.seconds, 2)} s, peak RSS ${fmt(e.peakRssBytes / 2 ** 20, 0)} MiB, tape ${
      fmt(e.tapeBytes / 2 ** 20, 1)
    } MiB${vs}`,
  );
}

const cpu = epochs[0].cpu;
const results = {
  date: new Date().toISOString(),
  machine: { cpu, cores: navigator.hardwareConcurrency, deno: Deno.version.deno, v8: Deno.version.v8 },
  kernels,
  spectra,
  versusOriginal: {
    historicalOriginalSeconds: "November 2026, another machine; not measured in this run",
    rows: versus,
  },
  sweep: {
    runs: sweep,
    originalSeconds: ORIGINAL_SWEEP_SECONDS,
    speedup2over1: sweep[0].seconds / sweep[1].seconds,
  },
};
await writeFileAtomic(
  new URL("./results.json", import.meta.url).pathname,
  JSON.stringify(results, null, 1) + "\n",
);
console.log("\nWrote bench/results.json");
