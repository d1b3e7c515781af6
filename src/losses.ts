/**
 * Losses on a Lyapunov spectrum (docs/design.md#7-training-and-resume), each with its gradient
 * with respect to the exponents. Training minimises the loss; `Sinai` is maximised, so its loss
 * is −S.
 *
 * @module
 */

/** Loss names (the original's spellings). */
export type LossName = "l2" | "MSE" | "MSE_Custom" | "Sinai";

/** Every loss name. */
export const LOSS_NAMES: readonly LossName[] = ["l2", "MSE", "MSE_Custom", "Sinai"];

/** A loss value and its gradient with respect to λ_1..λ_k. */
export interface LossValue {
  value: number;
  gradient: Float64Array;
}

/** The target profile of `MSE_Custom`: k values evenly spaced from 1.24 down to −1.25. */
export function customTarget(k: number): Float64Array {
  return Float64Array.from({ length: k }, (_, i) => (k === 1 ? 1.24 : 1.24 + ((-1.25 - 1.24) * i) / (k - 1)));
}

/**
 * The loss of a spectrum with target value `target` (ignored by `MSE_Custom` and `Sinai`):
 * `l2` = ‖λ − c‖₂, `MSE` = mean (λ − c)², `MSE_Custom` = mean (λ − linspace(1.24, −1.25, k))²,
 * `Sinai` = −S with S = Σ max(λ, 0) − Σ max(−λ, 0).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * equal(spectrumLoss("MSE", [1, 3], 1).value, 2);
 * ```
 */
export function spectrumLoss(name: LossName, exponents: ArrayLike<number>, target = 0): LossValue {
  const k = exponents.length;
  const gradient = new Float64Array(k);
  switch (name) {
    case "l2": {
      let s = 0;
      for (let i = 0; i < k; i++) s += (exponents[i] - target) ** 2;
      const norm = Math.sqrt(s);
      for (let i = 0; i < k; i++) gradient[i] = norm > 0 ? (exponents[i] - target) / norm : 0;
      return { value: norm, gradient };
    }
    case "MSE":
    case "MSE_Custom": {
      const c = name === "MSE" ? new Float64Array(k).fill(target) : customTarget(k);
      let s = 0;
      for (let i = 0; i < k; i++) {
        s += (exponents[i] - c[i]) ** 2;
        gradient[i] = (2 * (exponents[i] - c[i])) / k;
      }
      return { value: s / k, gradient };
    }
    case "Sinai": {
      let s = 0;
      for (let i = 0; i < k; i++) {
        s += Math.max(exponents[i], 0) - Math.max(-exponents[i], 0);
        gradient[i] = -1;
      }
      return { value: -s, gradient };
    }
    default:
      throw new RangeError(`Unknown loss "${name}": expected one of ${LOSS_NAMES.join(", ")}`);
  }
}

/** Canonical loss name of a spelling; throws a RangeError listing the accepted ones. */
export function parseLoss(name: string): LossName {
  const found = LOSS_NAMES.find((l) => l.toLowerCase() === name.toLowerCase());
  if (found === undefined) {
    throw new RangeError(`Unknown loss "${name}": expected one of ${LOSS_NAMES.join(", ")}`);
  }
  return found;
}
