/**
 * Quantities derived from a Lyapunov spectrum: Kaplan–Yorke dimension and entropy rate.
 *
 * @module
 */

/** Kaplan–Yorke dimension and whether it is only a lower bound. */
export interface KaplanYorke {
  /** D = j + Σ_{i≤j} λ_i / |λ_{j+1}|, j the largest index with Σ_{i≤j} λ_i ≥ 0; 0 if λ_1 < 0. */
  dimension: number;
  /** True when all given exponents sum to ≥ 0: the dimension is at least the count given. */
  lowerBound: boolean;
}

/**
 * Kaplan–Yorke dimension of a spectrum (sorted in descending order first).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * equal(kaplanYorke([0.5, -1]).dimension, 1.5);
 * ```
 */
export function kaplanYorke(exponents: ArrayLike<number>): KaplanYorke {
  const l = Array.from(exponents).sort((a, b) => b - a);
  let sum = 0;
  for (let j = 0; j < l.length; j++) {
    if (sum + l[j] < 0) {
      return { dimension: j === 0 ? 0 : j + sum / Math.abs(l[j]), lowerBound: false };
    }
    sum += l[j];
  }
  return { dimension: l.length, lowerBound: true };
}

/**
 * Entropy rate (Pesin bound): the sum of the positive exponents, in nats per unit time.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * equal(entropyRate([0.5, 0.25, -1]), 0.75);
 * ```
 */
export function entropyRate(exponents: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < exponents.length; i++) h += Math.max(exponents[i], 0);
  return h;
}
