/**
 * JSON that says what its numbers are: JSON has no −∞, +∞ or NaN (`JSON.stringify` writes them as
 * `null`), so they are written as the strings "-Infinity", "Infinity" and "NaN" and read back as
 * numbers. Finite numbers are written as `JSON.stringify` writes them (shortest round-trip form).
 *
 * @module
 */

/** Typed arrays as plain arrays and non-finite numbers as strings (a `JSON.stringify` replacer). */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as Float64Array);
  return value;
}

/**
 * `JSON.stringify` with −∞, +∞ and NaN written as "-Infinity", "Infinity", "NaN" (never `null`)
 * and typed arrays as arrays.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * equal(stringifyJson({ x: [-Infinity, 1.5], y: Float64Array.of(NaN) }), '{"x":["-Infinity",1.5],"y":["NaN"]}');
 * ```
 */
export function stringifyJson(value: unknown, space?: number): string {
  return JSON.stringify(value, replacer, space);
}

const NON_FINITE: Readonly<Record<string, number>> = {
  "-Infinity": -Infinity,
  "Infinity": Infinity,
  "NaN": NaN,
};

/**
 * `JSON.parse` that reads "-Infinity", "Infinity" and "NaN" back as numbers (the inverse of
 * {@linkcode stringifyJson}).
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(parseJson('{"x":["-Infinity",1.5]}'), { x: [-Infinity, 1.5] });
 * ```
 */
export function parseJson(text: string): unknown {
  return JSON.parse(
    text,
    (_key, value) => typeof value === "string" && value in NON_FINITE ? NON_FINITE[value] : value,
  );
}
