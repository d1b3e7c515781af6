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
 * With threads "auto", networks whose step is at least this much work get threads: n²·(nle + 1)
 * ≥ `work` (the multiply-adds of a dense state and tangent step). Below, the synchronisations of
 * a step (one barrier, and a job per QR interval) cost more than the split saves. Measured on
 * 2 cores (2-vCPU AMD EPYC, 2 threads against 1, docs/design.md#threads): N = 200, k = 1
 * (8·10⁴) gained 1.06×, N = 1000, k = 1 (2·10⁶) 1.87×, N = 400, k = 40 (6.6·10⁶) 1.50×; the
 * threshold is the geometric middle of the first two.
 */
export const THREADS_PAY = Object.freeze({ work: 4e5 });

/** Whether threads pay for a network of n neurons and nle exponents (see {@linkcode THREADS_PAY}). */
export function threadsPay(n: number, nle: number): boolean {
  return n * n * (nle + 1) >= THREADS_PAY.work;
}

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
 * with threads "auto", few large networks (fewer than the cores, with {@linkcode threadsPay})
 * share the cores as threads (at most {@linkcode MAX_THREADS} each), anything else runs one
 * thread per network and one Worker per core (W = cores / T when not given).
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(planParallelism({ n: 2000, nle: 50, cores: 8 }), { workers: 1, threads: 8 });
 * deepEqual(planParallelism({ n: 100, nle: 10, jobs: 20, cores: 8 }), { workers: 8, threads: 1 });
 * deepEqual(planParallelism({ n: 2000, nle: 50, jobs: 20, cores: 8 }), { workers: 8, threads: 1 });
 * deepEqual(planParallelism({ n: 100, nle: 10, threads: 2, cores: 8 }), { workers: 4, threads: 2 });
 * deepEqual(planParallelism({ n: 400, nle: 40, cores: 2 }), { workers: 1, threads: 2 });
 * deepEqual(planParallelism({ n: 200, nle: 1, cores: 2 }), { workers: 2, threads: 1 });
 * deepEqual(planParallelism({ n: 2000, nle: 50, workers: 1, cores: 128 }), { workers: 1, threads: 64 });
 * ```
 */
export function planParallelism(request: ParallelismRequest): ParallelismPlan {
  const cores = Math.max(1, request.cores ?? navigator.hardwareConcurrency ?? 1);
  const jobs = Math.max(1, request.jobs ?? 1);
  const { workers } = request;
  let threads = request.threads ?? "auto";
  if (threads === "auto") {
    const large = threadsPay(request.n, request.nle);
    const networks = Math.min(jobs, workers ?? cores);
    threads = large && jobs < cores ? Math.min(MAX_THREADS, Math.max(1, Math.floor(cores / networks))) : 1;
  }
  return { workers: workers ?? Math.max(1, Math.floor(cores / threads)), threads };
}
