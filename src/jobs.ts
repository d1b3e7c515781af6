/**
 * Jobs that a worker runs: plain data in, plain data out (typed arrays transferred).
 *
 * @module
 */

import type { Core } from "./core.ts";
import type { LyapunovSpectrumOptions, SpectrumResult } from "./lyapunov_spectrum.ts";
import type { Network } from "./network.ts";
import { sweepNetwork, type SweepNetworkRecipe } from "./transition.ts";

/** A spectrum job: a network (or the recipe of a sweep network) and the spectrum options. */
export interface SpectrumJob {
  kind: "spectrum";
  network?: Network;
  recipe?: SweepNetworkRecipe;
  options: Omit<LyapunovSpectrumOptions, "onProgress">;
}

/** Any job. */
export type Job = SpectrumJob;

/** Runs a job on a core; returns the result and the buffers to transfer. */
export function runJob(core: Core, job: Job): { result: SpectrumResult; transfer: ArrayBuffer[] } {
  const net = job.network ?? sweepNetwork(job.recipe!);
  const result = core.lyapunovSpectrum(net, job.options);
  const transfer = [result.exponents, result.stderr, result.history?.time, result.history?.exponents]
    .filter((a) => a !== undefined)
    .map((a) => a!.buffer as ArrayBuffer);
  return { result, transfer };
}
