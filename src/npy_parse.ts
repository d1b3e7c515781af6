/**
 * Reading NumPy `.npy` arrays (any version) of numbers into float64, C order. The header and
 * the typed-array view come from `npyjs`; this module adds what it leaves out: big-endian data
 * (byte-swapped into a copy), Fortran order (transposed), checks of the data size against the
 * shape, and a clear refusal of object and structured arrays, which are never unpickled.
 *
 * @module
 */

import { parse as npyjsParse } from "npyjs";

/** An array read from a `.npy` file: values as float64 in C (row-major) order. */
export interface NpyArray {
  /** The shape, as in numpy. */
  shape: number[];
  /** The values, C order. A view of the input bytes when the file is `<f8` in C order. */
  values: Float64Array;
  /** numpy's type string, e.g. `<f8`, `>i4`, `|b1`. */
  dtype: string;
}

/** The magic bytes every `.npy` file starts with (`\x93NUMPY`). */
export const NPY_MAGIC: readonly number[] = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** The item sizes (bytes) of the number types accepted, by numpy type code. */
const ITEM_SIZES: Readonly<Record<string, number>> = {
  f2: 2,
  f4: 4,
  f8: 8,
  i1: 1,
  i2: 2,
  i4: 4,
  i8: 8,
  u1: 1,
  u2: 2,
  u4: 4,
  u8: 8,
  b1: 1,
};

/** Whether `bytes` start with the `.npy` magic. */
export function isNpy(bytes: Uint8Array): boolean {
  return NPY_MAGIC.every((b, i) => bytes[i] === b);
}

function header(bytes: Uint8Array, where: string): { text: string; start: number; end: number } {
  if (bytes.length < 10 || !isNpy(bytes)) {
    throw new SyntaxError(`${where}: not an .npy file (no \\x93NUMPY magic)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  if (major < 1 || major > 3) throw new SyntaxError(`${where}: unknown .npy format version ${major}`);
  const start = major === 1 ? 10 : 12;
  const length = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (start + length > bytes.length) throw new SyntaxError(`${where}: truncated .npy header`);
  const text = new TextDecoder("latin1").decode(bytes.subarray(start, start + length));
  return { text, start, end: start + length };
}

function transpose(values: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < rows; i++) out[i * cols + j] = values[j * rows + i];
  }
  return out;
}

/**
 * Parses a `.npy` file of numbers (float, integer or bool types, either byte order, C or
 * Fortran order) into float64 values in C order; `where` names the file in error messages.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { npyBytes } from "./npy.ts";
 * const { shape, values } = parseNpy(npyBytes(new Float64Array([1, 2, 3, 4]), [2, 2]), "w.npy");
 * deepEqual(shape, [2, 2]);
 * deepEqual(Array.from(values), [1, 2, 3, 4]);
 * ```
 */
export function parseNpy(bytes: Uint8Array, where: string): NpyArray {
  const head = header(bytes, where);
  const descr = /'descr'\s*:\s*('([^']*)'|\[)/.exec(head.text);
  if (descr === null) throw new SyntaxError(`${where}: malformed .npy header (no 'descr')`);
  const dtype = descr[2];
  if (dtype === undefined) {
    throw new SyntaxError(`${where}: structured arrays (dtype with fields) are not supported`);
  }
  if (dtype.slice(1).startsWith("O")) {
    throw new SyntaxError(`${where}: object arrays are refused (they would need unpickling)`);
  }
  const order = dtype[0];
  const code = dtype.slice(1);
  const size = ITEM_SIZES[code];
  if (!"<>|=".includes(order) || size === undefined) {
    throw new SyntaxError(
      `${where}: unknown dtype '${dtype}' (expected float f2/f4/f8, integer i1-i8/u1-u8 or bool b1)`,
    );
  }
  let buffer: ArrayBuffer;
  if (order === ">" && size > 1) {
    // npyjs reads little-endian only: swap each item into a copy and mark the header little-endian.
    const copy = bytes.slice();
    copy[head.start + descr.index + descr[0].length - 1 - dtype.length] = "<".charCodeAt(0);
    for (let p = head.end; p + size <= copy.length; p += size) {
      for (let a = p, b = p + size - 1; a < b; a++, b--) {
        const t = copy[a];
        copy[a] = copy[b];
        copy[b] = t;
      }
    }
    buffer = copy.buffer;
  } else {
    // npyjs views the data from an ArrayBuffer that must be exactly the file.
    buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? bytes.buffer as ArrayBuffer
      : bytes.slice().buffer;
  }
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(head.text)?.[1];
  if (shapeText === undefined) throw new SyntaxError(`${where}: malformed .npy header (no 'shape')`);
  const shape = shapeText.split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new SyntaxError(`${where}: malformed .npy header (shape (${shapeText}))`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const dataBytes = bytes.length - head.end;
  if (dataBytes !== count * size) {
    throw new SyntaxError(
      `${where}: shape (${shape.join(", ")}) of ${dtype} needs ${
        count * size
      } bytes of data, the file has ${dataBytes}`,
    );
  }
  let parsed;
  try {
    parsed = npyjsParse(buffer);
  } catch (e) {
    throw new SyntaxError(`${where}: malformed .npy file (${(e as Error).message})`);
  }
  const data = parsed.data as unknown as ArrayLike<number | bigint | boolean>;
  let values: Float64Array;
  if (data instanceof Float64Array) {
    values = data.length === count ? data : data.subarray(0, count);
  } else {
    values = new Float64Array(count);
    for (let i = 0; i < count; i++) values[i] = Number(data[i]);
  }
  if (parsed.fortranOrder && shape.length === 2) values = transpose(values, shape[0], shape[1]);
  if (parsed.fortranOrder && shape.length > 2) {
    throw new SyntaxError(`${where}: Fortran-order arrays of more than 2 dimensions are not supported`);
  }
  return { shape, values, dtype };
}
