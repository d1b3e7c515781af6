import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import {
  type Core,
  loadCore,
  type LyapunovSpectrumOptions,
  type Network,
  randomNetwork,
  Rng,
  superviseTeam,
  type TeamInit,
  type TeamSupervision,
  train,
  Trainer,
} from "../src/mod.ts";
import { TEAM_WORKER_URL } from "../src/thread_team.ts";
import { core } from "./_fixtures.ts";
import { frameTimesTriangularTwin, solveUpperTriangularTwin } from "./_reference.ts";

/** Cores with 2 and 3 threads (3 on a 2-core machine must work too), closed after the tests. */
const threaded: Core[] = [
  await loadCore(undefined, { threads: 2 }),
  await loadCore(undefined, { threads: 3 }),
];
const cores = [core, ...threaded];

/** Exact bits of every number, for messages that show the first difference. */
const bits = (xs: ArrayLike<number>) => Array.from(xs, (x) => Object.is(x, -0) ? "-0" : x.toString());

/** A sparse network: about 12 % of the weights kept (the rest zero). */
function sparseNetwork(n: number, seed: number): Network {
  const net = randomNetwork({ n, g: 2, seed });
  net.weights.forEach((w, i) => (net.weights[i] = ((i * 2654435761) >>> 0) % 8 === 0 ? w * 3 : 0));
  return net;
}

// n not a multiple of the row unit (8) nor of 4; k = 1 (matvec2), k ≤ 8 (unblocked QR), k > 8
// (blocked QR with column-split trailing updates), k = n.
const CASES: { name: string; net: Network; options: LyapunovSpectrumOptions }[] = [
  { name: "dense f64, k = 1", net: randomNetwork({ n: 101, g: 2, seed: 3 }), options: { nle: 1 } },
  { name: "dense f64, k = 6", net: randomNetwork({ n: 61, g: 2, seed: 4 }), options: { nle: 6 } },
  { name: "dense f64, k = 37", net: randomNetwork({ n: 93, g: 2, seed: 5 }), options: { nle: 37 } },
  { name: "dense f64, k = n = 58", net: randomNetwork({ n: 58, g: 2, seed: 6 }), options: { nle: 58 } },
  {
    name: "dense f32, tons auto, k = 29",
    net: randomNetwork({ n: 77, g: 2, seed: 7 }),
    options: { nle: 29, precision: "f32", tons: "auto" },
  },
  {
    name: "dense f64, tons auto, k = 20",
    net: randomNetwork({ n: 70, g: 3, seed: 8 }),
    options: { nle: 20, tons: "auto" },
  },
  { name: "sparse f64, k = 1", net: sparseNetwork(83, 9), options: { nle: 1, kernels: "sparse" } },
  { name: "sparse f64, k = 25", net: sparseNetwork(83, 10), options: { nle: 25, kernels: "sparse" } },
  {
    name: "sparse f32, tons auto, k = 12",
    net: sparseNetwork(66, 11),
    options: { nle: 12, kernels: "sparse", precision: "f32", tons: "auto" },
  },
];

for (const { name, net, options } of CASES) {
  Deno.test(`lyapunovSpectrum() gives the same bits with 1, 2 and 3 threads (${name})`, () => {
    const all = { tsim: 20, ttr: 2, tframe: 2, seed: 1, ...options };
    const [one, ...more] = cores.map((c) => c.lyapunovSpectrum(net, all));
    for (const r of more) {
      deepEqual(bits(r.exponents), bits(one.exponents));
      deepEqual(r.steps, one.steps);
    }
  });
}

Deno.test("spectrumGradient() gives the same loss and gradient bits with 1, 2 and 3 threads (dense and sparse, f64 and f32)", () => {
  for (
    const [kernels, precision] of [["dense", "f64"], ["sparse", "f64"], ["dense", "f32"], [
      "sparse",
      "f32",
    ]] as const
  ) {
    const net = kernels === "dense" ? randomNetwork({ n: 53, g: 2, seed: 2, activation: "tanh_pos" }) : {
      ...sparseNetwork(53, 2),
      activation: "tanh_pos" as const,
    };
    const options = { nle: 11, tsim: 4, ttr: 1, tframe: 1, seed: 2, kernels, precision };
    const selection = { weights: true, gains: true, shifts: true };
    const [one, ...more] = cores.map((c) => c.spectrumGradient(net, "MSE", { ...options, train: selection }));
    for (const g of more) {
      equal(g.loss, one.loss);
      deepEqual(bits(g.exponents), bits(one.exponents));
      deepEqual(bits(g.grad.weights!), bits(one.grad.weights!));
      deepEqual(bits(g.grad.gains!), bits(one.grad.gains!));
      deepEqual(bits(g.grad.shifts!), bits(one.grad.shifts!));
    }
  }
});

Deno.test("the backward-pass kernels clvSolve (C ← R⁻¹C) and clvProduct (V ← V·C) invert and multiply, with their twins' bits for 1, 2 and 3 threads", () => {
  const [n, k] = [93, 37];
  const rng = new Rng(7, 0);
  const R = new Float64Array(k * k);
  const X = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      R[i * k + j] = rng.normal() + (i === j ? 3 : 0);
      X[i * k + j] = rng.normal();
    }
  }
  const RX = new Float64Array(k * k); // R·X, upper triangular
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) for (let l = i; l <= j; l++) RX[i * k + j] += R[i * k + l] * X[l * k + j];
  }
  const V = Float64Array.from({ length: n * k }, () => rng.normal());
  const solved = RX.slice();
  solveUpperTriangularTwin(k, R, solved);
  solved.forEach((x, i) => ok(Math.abs(x - X[i]) < 1e-12, `entry ${i}: ${x} against ${X[i]}`));
  const product = V.slice();
  frameTimesTriangularTwin(product, n, k, X);
  for (const c of cores) {
    const ws = c.workspace(n, k);
    try {
      const [r, x, ct, v] = [k * k, k * k, k * k, n * k].map((len) => ws.alloc(8 * len));
      ws.f64View(r, k * k).set(R);
      ws.f64View(x, k * k).set(RX);
      ws.clvSolve(r, x);
      deepEqual(bits(ws.f64View(x, k * k)), bits(solved), `clvSolve, ${c.threads} threads`);
      const Ct = ws.f64View(ct, k * k);
      for (let l = 0; l < k; l++) for (let j = l; j < k; j++) Ct[j * k + l] = X[l * k + j];
      ws.f64View(v, n * k).set(V);
      ws.clvProduct(v, ct);
      deepEqual(bits(ws.f64View(v, n * k)), bits(product), `clvProduct, ${c.threads} threads`);
      for (const p of [r, x, ct, v]) ws.release(p);
    } finally {
      ws.free();
    }
  }
  // The product is V·C: check one entry against the plain sum.
  let sum = 0;
  for (let l = 0; l <= 5; l++) sum += V[2 * k + l] * X[l * k + 5];
  ok(Math.abs(product[2 * k + 5] - sum) < 1e-12);
});

Deno.test("covariantVectors() gives the same bits with 1, 2 and 3 threads (dense and sparse, f64 and f32, R stored and recomputed)", () => {
  for (
    const [kernels, precision, maxTapeBytes] of [
      ["dense", "f64", undefined],
      ["sparse", "f64", undefined],
      ["dense", "f32", undefined],
      ["sparse", "f32", undefined],
      ["dense", "f64", 2000],
    ] as const
  ) {
    const net = kernels === "dense" ? randomNetwork({ n: 67, g: 2.5, seed: 12 }) : sparseNetwork(67, 12);
    const options = {
      nle: 19,
      tsim: 6,
      ttr: 1,
      tframe: 1,
      samples: 7,
      seed: 3,
      kernels,
      precision,
      maxTapeBytes,
    };
    const [one, ...more] = cores.map((c) => c.covariantVectors(net, options));
    equal(one.kernels, kernels);
    equal(one.recomputed, maxTapeBytes !== undefined);
    for (const r of more) {
      deepEqual(bits(r.vectors), bits(one.vectors));
      deepEqual(bits(r.states), bits(one.states));
      deepEqual(bits(r.exponents), bits(one.exponents));
      deepEqual(bits(r.clvExponents), bits(one.clvExponents));
      deepEqual(bits(r.ftle.mean), bits(one.ftle.mean));
      deepEqual(bits(r.localisation.ipr.mean), bits(one.localisation.ipr.mean));
    }
  }
});

Deno.test("a short training run ends with the same parameters with 1, 2 and 3 threads", async () => {
  const finals: string[][] = [];
  for (const c of cores) {
    const trainer = new Trainer(randomNetwork({ n: 41, g: 2, seed: 5, activation: "tanh_pos" }), {
      loss: "MSE",
      nle: 9,
      tsim: 3,
      ttr: 1,
      tframe: 1,
      lr: 0.01,
      train: { weights: true, gains: true, shifts: true },
    });
    for await (const _ of train(c, trainer, 3)) { /* epochs */ }
    finals.push([
      ...bits(trainer.network.weights),
      ...bits(trainer.network.gains),
      ...bits(trainer.network.shifts),
    ]);
  }
  for (const f of finals.slice(1)) deepEqual(f, finals[0]);
});

Deno.test("loadCore() rejects a thread count that is not an integer from 1 to 64", async () => {
  for (const threads of [0, 1.5, 65]) {
    await rejects(loadCore(undefined, { threads }), /threads must be an integer from 1 to 64/);
  }
});

/**
 * Starts a spectrum of N = 400, nle 40 with `options` on a 2-thread core (prepared by `prepare`),
 * stops it from another Worker 200 ms later, and expects the stop error within 1.2 s.
 */
async function expectStoppedWithinASecond(
  options: LyapunovSpectrumOptions,
  prepare: (core: Core) => void = () => {},
): Promise<void> {
  const stopped = await loadCore(undefined, { threads: 2 });
  const stopper = new Worker(new URL("./_stop_worker.ts", import.meta.url), { type: "module" });
  try {
    prepare(stopped);
    const armed = new Promise((resolve) => (stopper.onmessage = resolve));
    stopper.postMessage({ signal: stopped.stopSignal, afterMs: 200 });
    await armed;
    const t0 = performance.now();
    const net = randomNetwork({ n: 400, g: 2, seed: 1 });
    throws(
      () => stopped.lyapunovSpectrum(net, { nle: 40, ...options }),
      /^Error: The computation was stopped$/,
    );
    ok(performance.now() - t0 < 1200, `stopped after ${performance.now() - t0} ms`);
  } finally {
    stopper.terminate();
    stopped.close();
  }
}

Deno.test("stopComputation() from another thread ends a threaded spectrum within a second", async () => {
  equal(core.stopSignal, undefined, "a single-threaded core shares no memory");
  // About 10 s of work if nothing stopped it.
  await expectStoppedWithinASecond({ tsim: 2000 });
});

Deno.test("a stop is seen within a second by threads that never sleep (every wait ends while spinning)", async () => {
  // Spins longer than any wait of this run, and one job (a QR interval of 4,000 steps, about 2.5 s)
  // for the whole observation: only a wait that looks at the stop while it spins can see it.
  await expectStoppedWithinASecond(
    { tons: 400, tsim: 4000 },
    (spinning) => spinning.exports.teamSetSpin(spinning.team!.pointer, 2 ** 30),
  );
});

Deno.test("a team whose Workers its host starts (team.host, superviseTeam) gives the same bits, and its team refuses to kill them", async () => {
  let supervision: TeamSupervision | undefined;
  const host = (init: TeamInit) => (supervision = superviseTeam(init, TEAM_WORKER_URL)).ready;
  const hosted = await loadCore(undefined, { threads: 2, team: { host } });
  try {
    const { net, options } = CASES[2];
    const all = { tsim: 20, ttr: 2, tframe: 2, seed: 1, ...options };
    deepEqual(
      bits(hosted.lyapunovSpectrum(net, all).exponents),
      bits(core.lyapunovSpectrum(net, all).exponents),
    );
    throws(() => hosted.team!.killThread(1, 0), /^Error: Cannot kill a thread of a team hosted elsewhere/);
  } finally {
    hosted.close();
    supervision!.quit();
  }
});

Deno.test("the threaded cores close", () => {
  for (const c of threaded) c.close();
});
