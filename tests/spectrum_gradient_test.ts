import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  type LossName,
  type Network,
  neuronParameters,
  randomNetwork,
  randomState,
  type SpectrumGradientOptions,
  spectrumLoss,
} from "../src/deno.ts";
import { core } from "./_fixtures.ts";

/** Step of the central differences. */
const EPS = 1e-6;
/**
 * Tolerance of |fd − adjoint| ≤ FD_TOL·max(1, |fd|). The observed worst disagreement on every
 * case below is 8.6e-10 (rounding of the losses divided by 2·EPS); 1e-8 leaves ~10×.
 */
const FD_TOL = 1e-8;

type Part = "weights" | "gains" | "shifts";
type SpectrumOptions = Omit<SpectrumGradientOptions, "train" | "target">;

/** Short, well-conditioned runs: 11 transient steps (a partial block), 12 frame, 21 observed. */
const SHORT: SpectrumOptions = { nle: 3, dt: 0.1, tons: 0.3, ttr: 1.1, tframe: 1, tsim: 2, seed: 3 };

const ACTIVATIONS = ["tanh", "tanh_pos", "tanh_stretched"] as const;
const LOSSES: { loss: LossName; target: number }[] = [
  { loss: "l2", target: 0.3 },
  { loss: "MSE", target: 0.3 },
  { loss: "MSE_Custom", target: 0 },
  { loss: "Sinai", target: 0 },
];

/** A random network with per-neuron gains in [0.7, 1.6] and shifts in [−0.25, 0.35]. */
function testNetwork(n: number, g: number, seed: number, activation: (typeof ACTIVATIONS)[number]): Network {
  const net = randomNetwork({ n, g, seed, activation });
  net.gains.forEach((_, i) => (net.gains[i] = 0.7 + (0.9 * i) / Math.max(1, n - 1)));
  net.shifts.forEach((_, i) => (net.shifts[i] = -0.25 + (0.6 * ((i * 3) % n)) / n));
  return net;
}

/** The loss by the forward pass alone (lyapunovSpectrum), independent of the adjoint. */
function lossOf(net: Network, loss: LossName, o: SpectrumOptions, target: number): number {
  return spectrumLoss(loss, core.lyapunovSpectrum(net, o).exponents, target).value;
}

/** Central difference of the loss in one parameter entry. */
function centralDifference(
  net: Network,
  part: Part,
  index: number,
  loss: LossName,
  o: SpectrumOptions,
  target: number,
): number {
  const plus = structuredClone(net);
  plus[part][index] += EPS;
  const minus = structuredClone(net);
  minus[part][index] -= EPS;
  return (lossOf(plus, loss, o, target) - lossOf(minus, loss, o, target)) / (2 * EPS);
}

/**
 * Checks the adjoint gradient `grad` of `part` against central differences on `indices`;
 * returns the worst relative error. Also asserts that the checked entries are not all tiny, so
 * that agreement means something.
 */
function assertMatchesFD(
  label: string,
  net: Network,
  grad: Float64Array | undefined,
  part: Part,
  indices: number[],
  loss: LossName,
  o: SpectrumOptions,
  target: number,
): number {
  ok(grad !== undefined, `${label}: no gradient of ${part}`);
  let worst = 0;
  let largest = 0;
  for (const i of indices) {
    const fd = centralDifference(net, part, i, loss, o, target);
    const err: number = Math.abs(fd - grad![i]) / Math.max(1, Math.abs(fd));
    ok(
      err <= FD_TOL,
      `${label}: ∂L/∂${part}[${i}] adjoint ${grad[i]}, central difference ${fd} (error ${err})`,
    );
    worst = Math.max(worst, err);
    largest = Math.max(largest, Math.abs(fd));
  }
  ok(largest > 1e-2, `${label}: the checked ${part} gradients are all tiny (max ${largest})`);
  return worst;
}

/** Flat index of W[post, pre]. */
const at = (n: number, post: number, pre: number) => post * n + pre;

for (const activation of ACTIVATIONS) {
  for (const { loss, target } of LOSSES) {
    const trainsGains = activation !== "tanh";
    Deno.test(
      `spectrumGradient() of ${loss} on a ${activation} network agrees with central differences for weights${
        trainsGains ? ", gains and shifts" : ""
      }`,
      () => {
        const n = 7;
        const net = testNetwork(n, 2, 1, activation);
        const res = core.spectrumGradient(net, loss, {
          ...SHORT,
          target,
          train: { weights: true, gains: trainsGains, shifts: trainsGains },
        });
        const label = `${activation}/${loss}`;
        const weights = [[0, 1], [1, 0], [2, 5], [4, 3], [6, 2], [5, 6], [3, 4]].map(([i, j]) => at(n, i, j));
        assertMatchesFD(label, net, res.grad.weights, "weights", weights, loss, SHORT, target);
        if (trainsGains) {
          assertMatchesFD(label, net, res.grad.gains, "gains", [0, 3, 6], loss, SHORT, target);
          assertMatchesFD(label, net, res.grad.shifts, "shifts", [1, 4, 5], loss, SHORT, target);
        } else {
          equal(res.grad.gains, undefined);
          equal(res.grad.shifts, undefined);
        }
      },
    );
  }
}

Deno.test("spectrumGradient() differentiates through the transient: agrees with FD when tframe = 0, and the transient's part is sizeable", () => {
  const n = 7;
  const net = testNetwork(n, 2, 2, "tanh_stretched");
  const h0 = randomState(n, 11);
  const o: SpectrumOptions = { nle: 2, dt: 0.1, tons: 0.2, ttr: 1.5, tframe: 0, tsim: 1, seed: 5, h0 };
  const train = { weights: true, shifts: true };
  const res = core.spectrumGradient(net, "MSE", { ...o, target: -0.2, train });
  const weights = [[0, 3], [3, 0], [5, 1], [6, 4]].map(([i, j]) => at(n, i, j));
  assertMatchesFD("transient", net, res.grad.weights, "weights", weights, "MSE", o, -0.2);
  assertMatchesFD("transient", net, res.grad.shifts, "shifts", [0, 2, 5], "MSE", o, -0.2);

  // The same run started at the state the transient reaches: the same exponents, but a
  // gradient without the transient's part, which must be a sizeable part of the whole.
  const ws = core.workspace(n, 0);
  let after: Float64Array;
  try {
    ws.setNetwork(net, o.dt!);
    ws.setState(h0);
    ws.stateSteps(15);
    after = ws.state();
  } finally {
    ws.free();
  }
  const cut = core.spectrumGradient(net, "MSE", { ...o, ttr: 0, h0: after, target: -0.2, train });
  deepEqual(Array.from(cut.exponents), Array.from(res.exponents));
  const diff = Math.max(...res.grad.weights!.map((g, i) => Math.abs(g - cut.grad.weights![i])));
  const size = Math.max(...res.grad.weights!.map(Math.abs));
  ok(diff > 0.1 * size, `the transient contributes only ${diff} to weight gradients of size ${size}`);
});

Deno.test("spectrumGradient() of the full spectrum (nle = n) agrees with central differences", () => {
  const n = 6;
  const net = testNetwork(n, 2, 4, "tanh_stretched");
  const o: SpectrumOptions = { ...SHORT, nle: n };
  for (
    const { loss, target } of [{ loss: "MSE_Custom" as const, target: 0 }, {
      loss: "l2" as const,
      target: -0.5,
    }]
  ) {
    const res = core.spectrumGradient(net, loss, {
      ...o,
      target,
      train: { weights: true, gains: true, shifts: true },
    });
    equal(res.exponents.length, n);
    const weights = [...net.weights.keys()].filter((i) => net.weights[i] !== 0);
    const label = `full spectrum/${loss}`;
    assertMatchesFD(label, net, res.grad.weights, "weights", weights, loss, o, target);
    assertMatchesFD(label, net, res.grad.gains, "gains", [...Array(n).keys()], loss, o, target);
    assertMatchesFD(label, net, res.grad.shifts, "shifts", [...Array(n).keys()], loss, o, target);
  }
});

Deno.test("spectrumGradient() on a long non-chaotic run (many checkpoint segments) agrees with central differences", () => {
  const n = 8;
  const net = testNetwork(n, 0.9, 6, "tanh_pos");
  // 300 observed steps in 150 QR intervals, plus transient and frame: about 13 segments.
  const o: SpectrumOptions = { nle: 3, dt: 0.1, tons: 0.2, ttr: 3, tframe: 2, tsim: 30, seed: 7 };
  const res = core.spectrumGradient(net, "MSE", { ...o, target: 0.1, train: { weights: true, gains: true } });
  const weights = [[0, 7], [7, 0], [3, 5], [2, 1]].map(([i, j]) => at(n, i, j));
  assertMatchesFD("long", net, res.grad.weights, "weights", weights, "MSE", o, 0.1);
  assertMatchesFD("long", net, res.grad.gains, "gains", [1, 6], "MSE", o, 0.1);
});

Deno.test("spectrumGradient() gives per-type gains and shifts equal to FD on the type's value and to sums over its neurons", () => {
  const n = 8;
  const typed = randomNetwork({ n, g: 2, seed: 9, activation: "tanh_pos" });
  typed.types = Int32Array.from([0, 1, 2, 0, 1, 2, 2, 0]);
  typed.gains = Float64Array.from([1.6, 0.9, 2.2]);
  typed.shifts = Float64Array.from([0.2, -0.3, 0.05]);
  const { gains, shifts } = neuronParameters(typed);
  const expanded: Network = { ...typed, types: undefined, gains, shifts };
  const train = { weights: true, gains: true, shifts: true };
  const a = core.spectrumGradient(typed, "MSE", { ...SHORT, target: 0.2, train });
  const b = core.spectrumGradient(expanded, "MSE", { ...SHORT, target: 0.2, train });
  equal(a.grad.gains!.length, 3);
  equal(a.grad.shifts!.length, 3);
  equal(b.grad.gains!.length, n);
  deepEqual(Array.from(a.exponents), Array.from(b.exponents));
  deepEqual(Array.from(a.grad.weights!), Array.from(b.grad.weights!));
  for (const part of ["gains", "shifts"] as const) {
    for (let t = 0; t < 3; t++) {
      let sum = 0;
      for (let i = 0; i < n; i++) if (typed.types[i] === t) sum += b.grad[part]![i];
      const got = a.grad[part]![t];
      ok(Math.abs(got - sum) <= 1e-12 * Math.max(1, Math.abs(sum)), `${part}[${t}]: ${got} vs Σ ${sum}`);
    }
    assertMatchesFD("types", typed, a.grad[part], part, [0, 1, 2], "MSE", SHORT, 0.2);
  }
});

Deno.test("spectrumGradient() is exactly 0 where W is 0 and returns the exponents of lyapunovSpectrum bit for bit", () => {
  const n = 8;
  for (const activation of ACTIVATIONS) {
    const net = testNetwork(n, 2, 12, activation);
    for (const [i, j] of [[0, 5], [3, 1], [7, 6], [2, 4]]) net.weights[at(n, i, j)] = 0;
    const o: SpectrumOptions = { nle: 4, dt: 0.1, tons: 0.4, ttr: 2, tframe: 1, tsim: 3, seed: 2 };
    const expected = core.lyapunovSpectrum(net, o).exponents;
    for (const { loss, target } of LOSSES) {
      const res = core.spectrumGradient(net, loss, { ...o, target, train: { weights: true } });
      deepEqual(Array.from(res.exponents), Array.from(expected), `${activation}/${loss}: exponents`);
      equal(res.loss, spectrumLoss(loss, expected, target).value, `${activation}/${loss}: loss`);
      const g = res.grad.weights!;
      equal(g.length, n * n);
      for (let k = 0; k < n * n; k++) {
        if (net.weights[k] === 0) equal(g[k], 0, `${activation}/${loss}: W[${k}] = 0 but ∂L/∂W = ${g[k]}`);
        else ok(g[k] !== 0 && Number.isFinite(g[k]), `${activation}/${loss}: ∂L/∂W[${k}] = ${g[k]}`);
      }
    }
  }
});

Deno.test("spectrumGradient() keeps checkpoints and tape in O(sqrt(intervals)): 4× the steps, at most 3× the bytes", () => {
  const n = 20;
  const nle = 5;
  const net = randomNetwork({ n, g: 2, seed: 3 });
  const base = { nle, dt: 0.1, tons: 0.2, ttr: 1, tframe: 1, seed: 1, train: { weights: true } };
  const bytes = [25, 100, 400].map((tsim) => core.spectrumGradient(net, "MSE", { ...base, tsim }).tapeBytes);
  for (let i = 1; i < bytes.length; i++) {
    const ratio = bytes[i] / bytes[i - 1];
    ok(ratio > 1.5 && ratio < 3, `tape bytes ${bytes.join(", ")}: ratio ${ratio} for 4× the steps`);
  }
  const long = core.spectrumGradient(net, "MSE", { ...base, tsim: 1000 });
  const steps = Math.round((1 + 1 + 1000) / 0.1);
  const linear = n * nle * steps * 8;
  ok(
    long.tapeBytes > 0 && long.tapeBytes < linear / 10,
    `${long.tapeBytes} bytes vs ${linear} for a full tape`,
  );
  ok(long.loss >= 0 && long.grad.weights!.every(Number.isFinite));
});

Deno.test("spectrumGradient() in f32 gives a weight gradient within 1e-3 of f64 on a short non-chaotic run", () => {
  const n = 12;
  const net = testNetwork(n, 1.2, 5, "tanh_stretched");
  const o = { nle: 4, dt: 0.1, tons: 0.3, ttr: 2, tframe: 1, tsim: 5, seed: 4, target: 0.1 };
  const train = { weights: true, gains: true, shifts: true };
  const f64 = core.spectrumGradient(net, "MSE", { ...o, train });
  const f32 = core.spectrumGradient(net, "MSE", { ...o, precision: "f32", train });
  ok(f64.exponents[0] < 0, `the case must be non-chaotic, λ_1 = ${f64.exponents[0]}`);
  for (const part of ["weights", "gains", "shifts"] as const) {
    const a = f64.grad[part]!;
    const b = f32.grad[part]!;
    let d2 = 0;
    let a2 = 0;
    for (let i = 0; i < a.length; i++) {
      d2 += (a[i] - b[i]) ** 2;
      a2 += a[i] ** 2;
    }
    const rel = Math.sqrt(d2 / a2);
    ok(rel < 1e-3, `${part}: ‖f32 − f64‖/‖f64‖ = ${rel}`);
    ok(rel > 0, `${part}: f32 must really compute in single precision`);
  }
  ok(f32.tapeBytes < f64.tapeBytes, `f32 tape ${f32.tapeBytes} bytes, f64 ${f64.tapeBytes}`);
});

Deno.test("spectrumGradient() rejects gains or shifts of tanh, tons auto and an empty train with clear messages", () => {
  const tanh = randomNetwork({ n: 6, g: 2, seed: 1 });
  const pos = randomNetwork({ n: 6, g: 2, seed: 1, activation: "tanh_pos" });
  const o = { nle: 2, dt: 0.1, tons: 0.2, ttr: 1, tframe: 1, tsim: 1 };
  throws(
    () => core.spectrumGradient(tanh, "MSE", { ...o, train: { weights: true, gains: true } }),
    /Cannot train gains or shifts of the tanh activation, which ignores them/,
  );
  throws(() => core.spectrumGradient(tanh, "MSE", { ...o, train: { shifts: true } }), /ignores them/);
  throws(
    () => core.spectrumGradient(pos, "MSE", { ...o, tons: "auto", train: { weights: true } }),
    /Cannot compute a gradient with tons "auto": give a fixed tons/,
  );
  throws(
    () => core.spectrumGradient(pos, "MSE", { ...o, train: {} }),
    /train at least one of weights, gains, shifts/,
  );
  throws(
    () => core.spectrumGradient(pos, "MSE", { ...o, train: { weights: false, gains: false } }),
    /train at least one of weights, gains, shifts/,
  );
  // The same options with a valid selection work, so the throws above come from the checks.
  ok(Number.isFinite(core.spectrumGradient(pos, "MSE", { ...o, train: { gains: true } }).loss));
});
