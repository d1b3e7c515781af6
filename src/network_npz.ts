/**
 * A network from a `.npz` archive (`numpy.savez` or `numpy.savez_compressed`), unzipped with
 * fflate. Arrays, by name:
 *
 * - `W` (or `weights`): the square matrix W[post, pre], required;
 * - `gains`, `shifts`: per type, or per neuron without `types` (default 1 and 0);
 * - `types`: integer cell type of each neuron;
 * - `h0`: initial state (n values);
 * - `q0`: start frame, shape (n, nle); it sets nle.
 *
 * Any other name is an error (a misspelt name would otherwise be silently ignored).
 *
 * @module
 */

import { unzipSync } from "fflate";
import { networkFromParts } from "./_network_parts.ts";
import { squareWeights } from "./network_npy.ts";
import type { NetworkFile } from "./network_file.ts";
import { type NpyArray, parseNpy } from "./npy_parse.ts";

/** The names of the arrays a network `.npz` may hold. */
export const NPZ_ARRAYS: readonly string[] = ["W", "weights", "gains", "shifts", "types", "h0", "q0"];

/** Whether `bytes` start like a zip archive (`PK\x03\x04`, or `PK\x05\x06` when empty). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) &&
    bytes[3] === bytes[2] + 1;
}

function vector(arrays: Record<string, NpyArray>, name: string, where: string): Float64Array | undefined {
  const a = arrays[name];
  if (a === undefined) return undefined;
  if (a.shape.length !== 1) {
    throw new SyntaxError(`${where}: ${name} must be one-dimensional, got shape (${a.shape.join(", ")})`);
  }
  return a.values;
}

/**
 * A network from the bytes of a `.npz` archive (see the module doc for the array names).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { zipSync } from "fflate";
 * import { npyBytes } from "./npy.ts";
 * const npz = zipSync({
 *   "W.npy": npyBytes(new Float64Array([0, 1, 1, 0]), [2, 2]),
 *   "gains.npy": npyBytes(new Float64Array([2, 3]), [2]),
 * });
 * equal(parseNetworkNpz(npz, "net.npz").network.gains[1], 3);
 * ```
 */
export function parseNetworkNpz(bytes: Uint8Array, where: string, activation = "tanh"): NetworkFile {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new SyntaxError(`${where}: not a valid .npz (zip) archive (${(e as Error).message})`);
  }
  const arrays: Record<string, NpyArray> = {};
  for (const [file, content] of Object.entries(files)) {
    const name = file.replace(/\.npy$/, "");
    if (!NPZ_ARRAYS.includes(name)) {
      throw new SyntaxError(`${where}: unknown array "${name}" (expected ${NPZ_ARRAYS.join(", ")})`);
    }
    arrays[name] = parseNpy(content, `${where}:${name}`);
  }
  if (arrays.W !== undefined && arrays.weights !== undefined) {
    throw new SyntaxError(`${where}: holds both W and weights; keep one`);
  }
  const w = arrays.W ?? arrays.weights;
  if (w === undefined) throw new SyntaxError(`${where}: no array W (or weights)`);
  const { n, weights } = squareWeights(w, `${where}:${arrays.W ? "W" : "weights"}`);
  const typeValues = vector(arrays, "types", where);
  const bad = typeValues?.findIndex((t) => !Number.isInteger(t) || t < 0) ?? -1;
  if (bad >= 0) {
    throw new SyntaxError(`${where}: types[${bad}] must be an integer >= 0, got ${typeValues![bad]}`);
  }
  const h0 = vector(arrays, "h0", where);
  if (h0 !== undefined && h0.length !== n) {
    throw new SyntaxError(`${where}: h0 must have n = ${n} values (W is ${n}x${n}), got ${h0.length}`);
  }
  const q0 = arrays.q0;
  if (q0 !== undefined && (q0.shape.length !== 2 || q0.shape[0] !== n || q0.shape[1] < 1)) {
    throw new SyntaxError(
      `${where}: q0 must have shape (n, nle) with n = ${n}, got (${q0.shape.join(", ")})`,
    );
  }
  return networkFromParts({
    n,
    activation,
    weights,
    types: typeValues === undefined ? undefined : Int32Array.from(typeValues),
    gains: vector(arrays, "gains", where),
    shifts: vector(arrays, "shifts", where),
    h0,
    q0: q0?.values,
    options: q0 === undefined ? undefined : { nle: q0.shape[1] },
  }, where);
}
