/**
 * A network from a `.npy` file: one square matrix W[post, pre] (row = receiving neuron), of any
 * number type numpy writes (`<f8`, `<f4`, `>f8`, integers, ...), C or Fortran order. Gains are
 * 1 and shifts 0 for every neuron.
 *
 * @module
 */

import { networkFromParts } from "./_network_parts.ts";
import type { NetworkFile } from "./network_file.ts";
import { type NpyArray, parseNpy } from "./npy_parse.ts";

/** The weights of a square `.npy` matrix; errors name the file. */
export function squareWeights(array: NpyArray, where: string): { n: number; weights: Float64Array } {
  const { shape } = array;
  if (shape.length !== 2 || shape[0] !== shape[1] || shape[0] < 1) {
    throw new SyntaxError(
      `${where}: W must be a square matrix W[post, pre], got shape (${shape.join(", ")})`,
    );
  }
  return { n: shape[0], weights: array.values };
}

/**
 * A network from the bytes of a `.npy` file holding W[post, pre].
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { npyBytes } from "./npy.ts";
 * const { network } = parseNetworkNpy(npyBytes(new Float64Array([0, 0.5, 0, 0]), [2, 2]), "w.npy");
 * equal(network.weights[0 * 2 + 1], 0.5); // from neuron 1 to neuron 0
 * ```
 */
export function parseNetworkNpy(bytes: Uint8Array, where: string, activation = "tanh"): NetworkFile {
  return networkFromParts({ ...squareWeights(parseNpy(bytes, where), where), activation }, where);
}
