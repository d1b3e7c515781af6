import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  type LossName,
  type Network,
  neuronParameters,
  randomNetwork,
  randomState,
  type SpectrumGradientOptions,
  spectrumLoss,
} from "../src/mod.ts";
import { core } from "./_fixtures.ts";

/** Step of the central differences. */
const EPS = 1e-6;
/**
 * Tolerance of |fd − adjoint| ≤ FD_TOL·max(1, |fd|). The observed worst disagreement on every
 * case below is about 7e-10 (rounding of the losses divided by 2·EPS); 1e-8 leaves ~10×.
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
    const err = Math.abs(fd - grad[i]) / Math.max(1, Math.abs(fd));
    ok(err <= FD_TOL, `${label}: ∂L/∂${part}[${i}] adjoint ${grad[i]}, central difference ${fd} (error ${err})`);
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
