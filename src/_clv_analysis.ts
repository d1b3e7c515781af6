/**
 * Analyses of covariant Lyapunov vectors sampled over time (samples × n × k, C order): how
 * localised each vector is, the angles between them, the spread of the finite-time exponents,
 * and the share of each vector carried by each cell type.
 *
 * @module
 */

import { orthonormalColumns, smallestPrincipalAngle } from "./_small_linalg.ts";
import { blockStandardErrors } from "./lyapunov_spectrum.ts";
import { type Network, parameterCount } from "./network.ts";
import { quantile } from "./transition.ts";

/** Quantile levels reported for the distributions. */
export const QUANTILE_LEVELS: readonly number[] = Object.freeze([0.05, 0.25, 0.5, 0.75, 0.95]);

/** A per-vector time average with its block standard error (absent with fewer than two blocks). */
export interface Averaged {
  mean: Float64Array;
  stderr?: Float64Array;
}

/** Localisation of each vector, averaged over the samples. */
export interface Localisation {
  /** Inverse participation ratio Σ_i v_i⁴ (1/n: spread evenly; 1: one neuron). */
  ipr: Averaged;
  /** Participation ratio 1/(n·Σ_i v_i⁴): the fraction of neurons taking part. */
  participationRatio: Averaged;
}

/** The distribution of a quantity over the samples. */
export interface Distribution {
  /** Value at each sample. */
  values: Float64Array;
  mean: number;
  min: number;
  /** Quantiles at {@linkcode QUANTILE_LEVELS}. */
  quantiles: Float64Array;
}

/** Principal angles between covariant vectors (radians, in [0, π/2]). */
export interface ClvAngles {
  /** Number of unstable vectors (positive covariant exponent). */
  unstable: number;
  /** Smallest angle between the unstable and the stable subspace (absent when one is empty). */
  unstableStable?: Distribution;
  /** Angle between vectors j and j + 1 (k − 1 of them): mean and minimum over the samples. */
  neighbours: { mean: Float64Array; min: Float64Array };
}

/** Distribution of the finite-time exponents of each vector over non-overlapping windows. */
export interface FtleStats {
  /** Window length (time). */
  window: number;
  /** Number of windows. */
  count: number;
  mean: Float64Array;
  variance: Float64Array;
  std: Float64Array;
  /** Quantiles at {@linkcode QUANTILE_LEVELS}, levels × k row-major. */
  quantiles: Float64Array;
}

/** Time-averaged share of each vector's squared weight per cell type and on E/I neurons. */
export interface TypeShares {
  /** Names of the types (from the network, else "type <t>"). */
  typeNames: string[];
  /** Shares, types × k row-major (each column sums to 1). */
  types: Float64Array;
  /** Share on excitatory neurons (every outgoing weight > 0). */
  excitatory: Float64Array;
  /** Share on inhibitory neurons (every outgoing weight < 0). */
  inhibitory: Float64Array;
}

/** Per-vector means over samples of f(sample, vector), with block standard errors over consecutive samples. */
function averageOverSamples(
  samples: number,
  k: number,
  blocks: number,
  f: (s: number, j: number) => number,
): Averaged {
  const nb = Math.min(blocks, samples);
  const sums = new Float64Array(nb * k);
  const counts = new Float64Array(nb);
  const mean = new Float64Array(k);
  for (let s = 0; s < samples; s++) {
    const b = Math.floor((s * nb) / samples);
    counts[b]++;
    for (let j = 0; j < k; j++) {
      const x = f(s, j);
      sums[b * k + j] += x;
      mean[j] += x / samples;
    }
  }
  return { mean, stderr: nb > 1 ? blockStandardErrors(sums, counts, k, 1) : undefined };
}

/** Inverse participation ratio and participation ratio of each vector, averaged over the samples. */
export function localisation(
  vectors: Float64Array,
  samples: number,
  n: number,
  k: number,
  blocks: number,
): Localisation {
  const ipr = new Float64Array(samples * k);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < n; i++) {
      const row = (s * n + i) * k;
      for (let j = 0; j < k; j++) {
        const v2 = vectors[row + j] * vectors[row + j];
        ipr[s * k + j] += v2 * v2;
      }
    }
  }
  return {
    ipr: averageOverSamples(samples, k, blocks, (s, j) => ipr[s * k + j]),
    participationRatio: averageOverSamples(samples, k, blocks, (s, j) => 1 / (n * ipr[s * k + j])),
  };
}

/** Mean, minimum and quantiles of some values. */
export function distribution(values: Float64Array): Distribution {
  let sum = 0;
  for (const x of values) sum += x;
  return {
    values,
    mean: sum / values.length,
    min: Math.min(...values),
    quantiles: Float64Array.from(QUANTILE_LEVELS, (q) => quantile(values, q)),
  };
}

/**
 * Angles between the vectors at every sample: the smallest principal angle between the span of
 * the vectors with positive `exponents` and the span of the others, and between neighbours.
 */
export function clvAngles(
  vectors: Float64Array,
  samples: number,
  n: number,
  k: number,
  exponents: Float64Array,
): ClvAngles {
  const unstable = Array.from(exponents.keys()).filter((j) => exponents[j] > 0);
  const stable = Array.from(exponents.keys()).filter((j) => !(exponents[j] > 0));
  const split = unstable.length > 0 && stable.length > 0;
  const between = new Float64Array(split ? samples : 0);
  const mean = new Float64Array(k - 1);
  const min = new Float64Array(k - 1).fill(Infinity);
  for (let s = 0; s < samples; s++) {
    const offset = s * n * k;
    if (split) {
      between[s] = smallestPrincipalAngle(
        n,
        orthonormalColumns(vectors, n, k, offset, unstable),
        orthonormalColumns(vectors, n, k, offset, stable),
      );
    }
    for (let j = 0; j + 1 < k; j++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += vectors[offset + i * k + j] * vectors[offset + i * k + j + 1];
      let rest = 0;
      for (let i = 0; i < n; i++) {
        rest += (vectors[offset + i * k + j] - dot * vectors[offset + i * k + j + 1]) ** 2;
      }
      const angle = Math.atan2(Math.sqrt(rest), Math.abs(dot));
      mean[j] += angle / samples;
      min[j] = Math.min(min[j], angle);
    }
  }
  return {
    unstable: unstable.length,
    unstableStable: split ? distribution(between) : undefined,
    neighbours: { mean, min },
  };
}

/** Mean, variance (unbiased), standard deviation and quantiles per column of a count × k series. */
export function ftleStats(series: Float64Array, count: number, k: number, window: number): FtleStats {
  const mean = new Float64Array(k);
  const variance = new Float64Array(k);
  const quantiles = new Float64Array(QUANTILE_LEVELS.length * k);
  for (let j = 0; j < k; j++) {
    const column = Float64Array.from({ length: count }, (_, w) => series[w * k + j]);
    let sum = 0;
    for (const x of column) sum += x;
    mean[j] = sum / count;
    let ss = 0;
    for (const x of column) ss += (x - mean[j]) ** 2;
    variance[j] = count > 1 ? ss / (count - 1) : 0;
    QUANTILE_LEVELS.forEach((q, l) => (quantiles[l * k + j] = quantile(column, q)));
  }
  return { window, count, mean, variance, std: variance.map(Math.sqrt), quantiles };
}

/**
 * Time-averaged share of each vector's squared weight on each cell type of `net` and on its
 * excitatory and inhibitory neurons (by the signs of each neuron's outgoing weights, column
 * `pre` of W; neurons with mixed signs or no outputs count as neither).
 */
export function typeShares(vectors: Float64Array, samples: number, net: Network, k: number): TypeShares {
  const { n, types } = net;
  if (types === undefined) throw new RangeError("Cannot compute type shares: the network has no types");
  const count = parameterCount(net);
  const sign = new Int8Array(n);
  for (let pre = 0; pre < n; pre++) {
    let pos = 0;
    let neg = 0;
    for (let post = 0; post < n; post++) {
      const w = net.weights[post * n + pre];
      if (w > 0) pos++;
      else if (w < 0) neg++;
    }
    sign[pre] = pos > 0 && neg === 0 ? 1 : neg > 0 && pos === 0 ? -1 : 0;
  }
  const shares = new Float64Array(count * k);
  const excitatory = new Float64Array(k);
  const inhibitory = new Float64Array(k);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < n; i++) {
      const row = (s * n + i) * k;
      for (let j = 0; j < k; j++) {
        // The vectors have unit norm: v_i² is already neuron i's share.
        const w = (vectors[row + j] * vectors[row + j]) / samples;
        shares[types[i] * k + j] += w;
        if (sign[i] > 0) excitatory[j] += w;
        else if (sign[i] < 0) inhibitory[j] += w;
      }
    }
  }
  const typeNames = Array.from({ length: count }, (_, t) => net.typeNames?.[t] ?? `type ${t}`);
  return { typeNames, types: shares, excitatory, inhibitory };
}
