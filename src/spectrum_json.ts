/**
 * The JSON form of a spectrum result: the fields of `flybrain spectrum --json`, written by the
 * command line and by the web page alike (typed arrays as plain arrays).
 *
 * @module
 */

import type { SpectrumResult } from "./lyapunov_spectrum.ts";

/**
 * A spectrum result as a plain JSON object, after the fields of `extra` (e.g. n and nle).
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { loadCore, randomNetwork } from "./mod.ts";
 * const core = await loadCore();
 * const json = spectrumJson(core.lyapunovSpectrum(randomNetwork({ n: 5 }), { nle: 2, tsim: 1 }), { n: 5 });
 * deepEqual(Object.keys(json).slice(0, 2), ["n", "exponents"]);
 * ```
 */
export function spectrumJson(
  result: SpectrumResult,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    ...extra,
    exponents: Array.from(result.exponents),
    stderr: result.stderr && Array.from(result.stderr),
    kyDimension: result.kyDimension,
    kyLowerBound: result.kyLowerBound,
    entropy: result.entropy,
    steps: result.steps,
    qrInterval: result.qrInterval,
    kernels: result.kernels,
    seconds: result.seconds,
  };
}
