/**
 * The JSON form of a covariant-vectors result: the fields of `flybrain vectors --json`, written by
 * the command line and by the web page alike (typed arrays as plain arrays).
 *
 * @module
 */

import { QUANTILE_LEVELS } from "./_clv_analysis.ts";
import type { CovariantVectorsResult } from "./covariant_vectors.ts";

const list = (x: ArrayLike<number> | undefined) => (x === undefined ? undefined : Array.from(x));

/** Quantiles as an object keyed by level ("0.05": value, …). */
function quantileObject(values: ArrayLike<number>): Record<string, number> {
  return Object.fromEntries(QUANTILE_LEVELS.map((q, l) => [String(q), values[l]]));
}

/**
 * A covariantVectors result of a network of n neurons computed on `threads` threads as a plain
 * JSON object (without the vectors themselves), n, nle and threads first: the output of
 * `flybrain vectors --json`, and the `vectors` object of the explorer's result.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { loadCore, randomNetwork } from "./mod.ts";
 * const core = await loadCore();
 * const res = core.covariantVectors(randomNetwork({ n: 10, g: 2 }), { nle: 2, tsim: 2, samples: 3 });
 * equal(vectorsJson(res, 10, core.threads).nle, 2);
 * ```
 */
export function vectorsJson(
  res: CovariantVectorsResult,
  n: number,
  threads: number,
): Record<string, unknown> {
  const k = res.exponents.length;
  const between = res.angles.unstableStable;
  const shares = res.typeShares;
  return {
    n,
    nle: k,
    threads,
    exponents: list(res.exponents),
    stderr: list(res.stderr),
    clvExponents: list(res.clvExponents),
    clvStderr: list(res.clvStderr),
    ipr: { mean: list(res.localisation.ipr.mean), stderr: list(res.localisation.ipr.stderr) },
    participationRatio: {
      mean: list(res.localisation.participationRatio.mean),
      stderr: list(res.localisation.participationRatio.stderr),
    },
    angles: {
      unstable: res.angles.unstable,
      unstableStable: between
        ? { mean: between.mean, min: between.min, quantiles: quantileObject(between.quantiles) }
        : null,
      neighbours: { mean: list(res.angles.neighbours.mean), min: list(res.angles.neighbours.min) },
    },
    ftle: {
      window: res.ftle.window,
      count: res.ftle.count,
      mean: list(res.ftle.mean),
      std: list(res.ftle.std),
    },
    typeShares: shares && {
      typeNames: shares.typeNames,
      types: shares.typeNames.map((_, t) => Array.from(shares.types.subarray(t * k, (t + 1) * k))),
      excitatory: list(shares.excitatory),
      inhibitory: list(shares.inhibitory),
    },
    times: list(res.times),
    steps: res.steps,
    qrInterval: res.qrInterval,
    kernels: res.kernels,
    tapeBytes: res.tapeBytes,
    seconds: res.seconds,
  };
}
