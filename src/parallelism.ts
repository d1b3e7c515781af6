/**
 * How many Workers (networks in parallel) and threads (inside one network's computation) a run
 * uses. Results never depend on either.
 *
 * @module
 */

import { MAX_THREADS } from "./core.ts";

/** Threads inside one computation: a count, or "auto" (by the size, {@linkcode planParallelism}). */
export type Threads = number | "auto";

/**
 * With threads "auto", networks at least this large (n ≥ `n` or nle ≥ `nle`) get threads: below,
 * a barrier per step costs more than the split saves on two cores (tests of the threads build:
 * N = 200, k = 1 is slower with 2 threads; N = 1000 or k ≥ 100 gains).
 */
export const THREADS_PAY = Object.freeze({ n: 1000, nle: 100 });

/** What {@linkcode planParallelism} is asked. */
export interface ParallelismRequest {
  /** Neurons and exponents of the (largest) network. */
  n: number;
  nle: number;
  /** Networks to compute (independent jobs). @default 1 */
  jobs?: number;
  /** Threads asked for. @default "auto" */
  threads?: Threads;
  /** Workers asked for (undefined: chosen). */
  workers?: number;
  /** Cores of the machine. @default navigator.hardwareConcurrency */
  cores?: number;
}

/** Workers × threads of a run. */
export interface ParallelismPlan {
  workers: number;
  threads: number;
}

/**
 * Workers and threads for a run, W·T ≤ cores unless both are given: given values are kept;
 * with threads "auto", few large networks (fewer than the cores, n or nle at least
 * {@linkcode THREADS_PAY}) share the cores as threads (at most {@linkcode MAX_THREADS} each),
 * anything else runs one thread per network and one Worker per core (W = cores / T when not
 * given).
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(planParallelism({ n: 2000, nle: 50, cores: 8 }), { workers: 1, threads: 8 });
 * deepEqual(planParallelism({ n: 100, nle: 10, jobs: 20, cores: 8 }), { workers: 8, threads: 1 });
 * deepEqual(planParallelism({ n: 2000, nle: 50, jobs: 20, cores: 8 }), { workers: 8, threads: 1 });
 * deepEqual(planParallelism({ n: 100, nle: 10, threads: 2, cores: 8 }), { workers: 4, threads: 2 });
 * deepEqual(planParallelism({ n: 2000, nle: 50, workers: 1, cores: 128 }), { workers: 1, threads: 64 });
 * ```
 */
export function planParallelism(request: ParallelismRequest): ParallelismPlan {
  const cores = Math.max(1, request.cores ?? navigator.hardwareConcurrency ?? 1);
  const jobs = Math.max(1, request.jobs ?? 1);
  const { workers } = request;
  let threads = request.threads ?? "auto";
  if (threads === "auto") {
    const large = request.n >= THREADS_PAY.n || request.nle >= THREADS_PAY.nle;
    const networks = Math.min(jobs, workers ?? cores);
    threads = large && jobs < cores ? Math.min(MAX_THREADS, Math.max(1, Math.floor(cores / networks))) : 1;
  }
  return { workers: workers ?? Math.max(1, Math.floor(cores / threads)), threads };
}
