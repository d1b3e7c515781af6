/**
 * NumPy's `.npy` format (version 1.0) for float64 arrays, so that `numpy.load` reads saved
 * models directly.
 *
 * @module
 */

/**
 * The bytes of a `.npy` file holding `data` (little-endian float64, C order) with `shape`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const bytes = npyBytes(new Float64Array([1, 2, 3, 4]), [2, 2]);
 * equal(bytes.length % 16, 0);
 * ```
 */
export function npyBytes(data: Float64Array, shape: number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new RangeError(
      `Cannot write .npy: shape ${shape.join("x")} needs ${count} values, got ${data.length}`,
    );
  }
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(", ");
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${dims}), }`;
  const unpadded = 10 + header.length + 1;
  header += " ".repeat((64 - (unpadded % 64)) % 64) + "\n";
  const out = new Uint8Array(10 + header.length + 8 * data.length);
  out.set([0x93, ...new TextEncoder().encode("NUMPY"), 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const view = new DataView(out.buffer, 10 + header.length);
  data.forEach((x, i) => view.setFloat64(8 * i, x, true));
  return out;
}
