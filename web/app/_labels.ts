/**
 * Numbers in labels, rounded to what tells them apart: `g=0.917`, not `g=0.9166666666666667`.
 *
 * @module
 */

/**
 * Each value with the fewest significant digits (at least `min`) that keep distinct values
 * distinct, trailing zeros dropped.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(distinctLabels([0.5, 0.9166666666666667, 1.3333333333333333]), ["0.5", "0.917", "1.33"]);
 * deepEqual(distinctLabels([1.0001, 1.0002]), ["1.0001", "1.0002"]);
 * ```
 */
export function distinctLabels(values: readonly number[], min = 3): string[] {
  const distinct = new Set(values).size;
  for (let digits = min; digits < 17; digits++) {
    const labels = values.map((v) => String(Number(v.toPrecision(digits))));
    if (new Set(labels).size === distinct) return labels;
  }
  return values.map(String);
}
