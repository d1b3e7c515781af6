/**
 * Threads in the explorer: the headers a page needs to share the core's memory between Workers
 * (cross-origin isolation), how many threads a network is computed with (the command line's rule,
 * `planParallelism`), and the line the page shows about it.
 *
 * @module
 */

import { planParallelism, type Threads, THREADS_PAY } from "../../src/mod.ts";

/**
 * Headers that make a page cross-origin isolated (`crossOriginIsolated`): without them a browser
 * shares no memory between Workers, and the explorer computes with one thread.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
});

/** Where a computation runs: the page's isolation and the machine's cores. */
export interface ThreadsContext {
  /** `crossOriginIsolated` of the page (and its Workers). */
  isolated: boolean;
  /** `navigator.hardwareConcurrency`. */
  cores: number;
}

/**
 * Threads for a network of n neurons and nle exponents: one without cross-origin isolation,
 * otherwise as `flybrain spectrum --threads` (a count as given; "auto": every core, at most
 * `MAX_THREADS`, when n²·(nle + 1) ≥ 4·10⁵ (`threadsPay`), else one).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * equal(explorerThreads(2, 100, 5, { isolated: true, cores: 8 }), 2);
 * equal(explorerThreads(2, 100, 5, { isolated: false, cores: 8 }), 1);
 * equal(explorerThreads("auto", 100, 5, { isolated: true, cores: 8 }), 1);
 * equal(explorerThreads("auto", 1000, 5, { isolated: true, cores: 8 }), 8);
 * equal(explorerThreads("auto", 1000, 5, { isolated: true, cores: 256 }), 64);
 * ```
 */
export function explorerThreads(requested: Threads, n: number, nle: number, where: ThreadsContext): number {
  if (!where.isolated) return 1;
  return planParallelism({ n, nle, threads: requested, workers: 1, cores: where.cores }).threads;
}

/**
 * What the page says about the threads of a computation.
 *
 * @example
 * ```ts
 * import { match } from "node:assert/strict";
 * match(threadsNote(2, 2, { isolated: true, cores: 2 }), /^Threads: 2 /);
 * match(threadsNote(2, 1, { isolated: false, cores: 2 }), /^Threads: 1 .*not cross-origin isolated/);
 * ```
 */
export function threadsNote(requested: Threads, threads: number, where: ThreadsContext): string {
  const rule = requested === "auto"
    ? `auto: every core when n²·(nLE + 1) ≥ ${THREADS_PAY.work}`
    : `${requested} asked`;
  const count = `Threads: ${threads} (${rule}; ${where.cores} cores)`;
  if (where.isolated) return `${count}.`;
  const headers = Object.entries(ISOLATION_HEADERS).map(([k, v]) => `${k}: ${v}`).join(" and ");
  return `${count}: this page is not cross-origin isolated (its host does not send ${headers}), ` +
    "so its Workers cannot share the core's memory and it computes with one thread.";
}
