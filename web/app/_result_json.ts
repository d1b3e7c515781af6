/**
 * The JSON form of a spectrum result, with the fields and order of `flybrain spectrum --json`
 * (typed arrays as plain arrays).
 *
 * @module
 */

import type { SpectrumResult } from "../../src/lyapunov_spectrum.ts";

/** The fields of `flybrain spectrum --json` for a result of an n-neuron network. */
export function resultJson(n: number, result: SpectrumResult): Record<string, unknown> {
  return {
    n,
    nle: result.exponents.length,
    exponents: Array.from(result.exponents),
    stderr: result.stderr && Array.from(result.stderr),
    kyDimension: result.kyDimension,
    kyLowerBound: result.kyLowerBound,
    entropy: result.entropy,
    steps: result.steps,
    qrInterval: result.qrInterval,
    seconds: result.seconds,
  };
}
