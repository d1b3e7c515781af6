/**
 * The JSON form of a spectrum result: the fields of `flybrain spectrum --json`, written by the
 * command line and by the web page alike (typed arrays as plain arrays).
 *
 * @module
 */

import type { SpectrumResult } from "./lyapunov_spectrum.ts";

/**
 * A spectrum result as stored by a sweep (every field, the running estimates included), to be
 * read back by {@linkcode spectrumResultFromJson}.
 */
export function spectrumResultJson(result: SpectrumResult): Record<string, unknown> {
  return {
    ...spectrumJson(result),
    history: result.history && {
      time: Array.from(result.history.time),
      exponents: Array.from(result.history.exponents),
    },
  };
}

/**
 * The spectrum result of {@linkcode spectrumResultJson} (once parsed), with its typed arrays.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { loadCore, randomNetwork } from "./mod.ts";
 * const core = await loadCore();
 * const res = core.lyapunovSpectrum(randomNetwork({ n: 5 }), { nle: 2, tsim: 1, history: true });
 * deepEqual(spectrumResultFromJson(JSON.parse(JSON.stringify(spectrumResultJson(res)))), res);
 * ```
 */
export function spectrumResultFromJson(json: unknown): SpectrumResult {
  const j = json as Record<string, unknown> & { history?: { time: number[]; exponents: number[] } };
  const result = {
    ...j,
    exponents: Float64Array.from(j.exponents as number[]),
    stderr: j.stderr === undefined ? undefined : Float64Array.from(j.stderr as number[]),
    history: j.history === undefined ? undefined : {
      time: Float64Array.from(j.history.time),
      exponents: Float64Array.from(j.history.exponents),
    },
  };
  return result as unknown as SpectrumResult;
}

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
