/**
 * Jobs that a worker runs: plain data in, plain data out (typed arrays transferred).
 *
 * @module
 */

import type { Core } from "./core.ts";
import type { LossName } from "./losses.ts";
import type { LyapunovSpectrumOptions, SpectrumResult } from "./lyapunov_spectrum.ts";
import type { Network } from "./network.ts";
import type { SpectrumGradient, SpectrumGradientOptions } from "./spectrum_gradient.ts";
import { sweepNetwork, type SweepNetworkRecipe } from "./transition.ts";

/** A spectrum job: a network (or the recipe of a sweep network) and the spectrum options. */
export interface SpectrumJob {
  kind: "spectrum";
  network?: Network;
  recipe?: SweepNetworkRecipe;
  options: Omit<LyapunovSpectrumOptions, "onProgress">;
}

/** A gradient job: a network, a loss and the gradient options. */
export interface GradientJob {
  kind: "gradient";
  network: Network;
  loss: LossName;
  options: SpectrumGradientOptions;
}

/** Any job. */
export type Job = SpectrumJob | GradientJob;

/** The result of a job of kind K. */
export type JobResult<J extends Job> = J extends GradientJob ? SpectrumGradient : SpectrumResult;

function buffers(...arrays: (Float64Array | undefined)[]): ArrayBuffer[] {
  return arrays.filter((a) => a !== undefined).map((a) => a!.buffer as ArrayBuffer);
}

/** Runs a job on a core; returns the result and the buffers to transfer. */
export function runJob(
  core: Core,
  job: Job,
): { result: SpectrumResult | SpectrumGradient; transfer: ArrayBuffer[] } {
  if (job.kind === "gradient") {
    const result = core.spectrumGradient(job.network, job.loss, job.options);
    const { weights, gains, shifts } = result.grad;
    return { result, transfer: buffers(result.exponents, weights, gains, shifts) };
  }
  const net = job.network ?? sweepNetwork(job.recipe!);
  const result = core.lyapunovSpectrum(net, job.options);
  return {
    result,
    transfer: buffers(result.exponents, result.stderr, result.history?.time, result.history?.exponents),
  };
}
