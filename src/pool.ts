/**
 * A pool of module Workers sharing one compiled core: jobs are dealt to free workers, results
 * come back in any order and are returned by index. Results never depend on the pool size.
 *
 * @module
 */

import type { Job, JobResult } from "./jobs.ts";

/** A message to a worker. */
export interface JobRequest {
  id: number;
  job: Job;
}

/** Default pool size: one worker per core. */
export function defaultWorkers(): number {
  return Math.max(1, navigator.hardwareConcurrency ?? 1);
}

/** A pool of workers running jobs on the same core module. */
export class WorkerPool {
  #workers: Worker[] = [];
  #closed = false;

  /**
   * Starts `size` workers and posts them the compiled module; each computes with `threads`
   * threads (the module must then be the threads build, `THREADS_CORE_URL` of core.ts).
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { loadCore } from "./core.ts";
   * const core = await loadCore();
   * const pool = new WorkerPool(core.module, 2);
   * const [res] = await pool.map([{ kind: "spectrum", network: undefined, recipe: { n: 20, activation: "tanh", g: 0.5, parameters: ["weights"], seed: 1, fixedSeed: 0 }, options: { nle: 2, tsim: 10 } }]);
   * equal(res.exponents.length, 2);
   * pool.terminate();
   * ```
   */
  constructor(module: WebAssembly.Module, size: number = defaultWorkers(), threads = 1) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`Cannot start the worker pool: workers must be a positive integer, got ${size}`);
    }
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL("./_worker.ts", import.meta.url), { type: "module" });
      worker.postMessage({ init: module, threads });
      this.#workers.push(worker);
    }
  }

  /** Number of workers. */
  get size(): number {
    return this.#workers.length;
  }

  /**
   * Runs every job; `onResult(index, result)` is called as each finishes. Resolves with the
   * results in job order; rejects on the first failed job (the rest are not started).
   */
  map<J extends Job>(
    jobs: J[],
    onResult?: (index: number, result: JobResult<J>) => void,
  ): Promise<JobResult<J>[]> {
    if (this.#closed) return Promise.reject(new Error("Cannot run jobs: the worker pool was terminated"));
    const results: JobResult<J>[] = new Array(jobs.length);
    let next = 0;
    let done = 0;
    return new Promise((resolve, reject) => {
      if (jobs.length === 0) return resolve(results);
      let failed = false;
      const feed = (worker: Worker) => {
        if (failed || next >= jobs.length) return;
        const id = next++;
        worker.onmessage = (event: MessageEvent) => {
          const msg = event.data as { id: number; result?: JobResult<J>; error?: string };
          if (msg.error !== undefined) {
            failed = true;
            reject(new Error(msg.error));
            return;
          }
          results[msg.id] = msg.result!;
          onResult?.(msg.id, msg.result!);
          if (++done === jobs.length) resolve(results);
          else feed(worker);
        };
        worker.onerror = (event: ErrorEvent) => {
          event.preventDefault();
          failed = true;
          reject(new Error(`A worker failed: ${event.message}`));
        };
        worker.postMessage({ id, job: jobs[id] } satisfies JobRequest);
      };
      for (const worker of this.#workers) feed(worker);
    });
  }

  /** Stops every worker at once (running jobs are abandoned). */
  terminate(): void {
    this.#closed = true;
    for (const worker of this.#workers) worker.terminate();
    this.#workers = [];
  }
}
