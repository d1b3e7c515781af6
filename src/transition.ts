/**
 * The transition to chaos: networks whose weights, gains or shifts are drawn with spread g,
 * and the statistics of λ_max (and of the spectrum) across samples at each g.
 *
 * @module
 */

import { type Activation, checkUsesGainsAndShifts } from "./activation.ts";
import { type Network, randomNetwork } from "./network.ts";
import { Rng, STREAMS } from "./random.ts";

/** Which parameters are drawn with spread g. */
export type SweepParameter = "weights" | "gains" | "shifts";

/** A network of a sweep, described by its recipe (what a worker needs to build it). */
export interface SweepNetworkRecipe {
  /** Neurons. */
  n: number;
  /** Activation. */
  activation: Activation;
  /** Spread g. */
  g: number;
  /** Parameters drawn with spread g: weights N(0, g²/n), gains N(1, g²/n), shifts N(1, g²/n). */
  parameters: SweepParameter[];
  /** Seed of this network's draws. */
  seed: number;
  /** Seed of the fixed weights (coupling 1) used when weights are not drawn with spread g. */
  fixedSeed: number;
}

/**
 * Builds a sweep network. Parameters not drawn with spread g keep the original's fixed values:
 * weights N(0, 1/n) from `fixedSeed` (the same for every network of the sweep), gains 1,
 * shifts 0.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const net = sweepNetwork({ n: 10, activation: "tanh_pos", g: 2, parameters: ["gains"], seed: 1, fixedSeed: 0 });
 * equal(net.shifts[0], 0);
 * ```
 */
export function sweepNetwork(r: SweepNetworkRecipe): Network {
  const drawn = new Set(r.parameters);
  const net = drawn.has("weights")
    ? randomNetwork({ n: r.n, g: r.g, seed: r.seed, activation: r.activation })
    : randomNetwork({ n: r.n, g: 1, seed: r.fixedSeed, activation: r.activation });
  const spread = r.g / Math.sqrt(r.n);
  if (drawn.has("gains")) new Rng(r.seed, STREAMS.gains).fillNormal(net.gains, 1, spread);
  if (drawn.has("shifts")) new Rng(r.seed, STREAMS.shifts).fillNormal(net.shifts, 1, spread);
  return net;
}

/**
 * Throws a RangeError when a sweep would vary nothing: gains or shifts drawn with spread g for an
 * activation that ignores them.
 *
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * throws(() => checkSweepParameters("tanh", ["shifts"]), /Cannot sweep gains or shifts of the tanh activation/);
 * ```
 */
export function checkSweepParameters(activation: Activation, parameters: SweepParameter[]): void {
  if (parameters.includes("gains") || parameters.includes("shifts")) {
    checkUsesGainsAndShifts(activation, "sweep");
  }
}

/** m values from gmin to gmax inclusive, evenly spaced (one value when m = 1). */
export function linspace(min: number, max: number, m: number): number[] {
  if (m === 1) return [min];
  return Array.from({ length: m }, (_, i) => (i === m - 1 ? max : min + ((max - min) * i) / (m - 1)));
}

/** The q-quantile of values (linear interpolation between order statistics, as numpy). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const s = Array.from(values).sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** Summary of one g value across its samples. */
export interface TransitionSummary {
  g: number;
  samples: number;
  median: number;
  q1: number;
  q3: number;
  /** Fraction of samples with λ_max > 0. */
  fractionChaotic: number;
  /** Median Kaplan–Yorke dimension over n (with more than one exponent). */
  dimensionPerNeuron?: number;
  /** Median entropy rate over n (with more than one exponent). */
  entropyPerNeuron?: number;
}

/** Summarises λ_max (and D/N, H/N when given) of the samples of one g. */
export function summarize(
  g: number,
  lambdaMax: number[],
  spectrum?: { n: number; dimension: number[]; entropy: number[] },
): TransitionSummary {
  const out: TransitionSummary = {
    g,
    samples: lambdaMax.length,
    median: quantile(lambdaMax, 0.5),
    q1: quantile(lambdaMax, 0.25),
    q3: quantile(lambdaMax, 0.75),
    fractionChaotic: lambdaMax.filter((l) => l > 0).length / lambdaMax.length,
  };
  if (spectrum) {
    out.dimensionPerNeuron = quantile(spectrum.dimension, 0.5) / spectrum.n;
    out.entropyPerNeuron = quantile(spectrum.entropy, 0.5) / spectrum.n;
  }
  return out;
}
