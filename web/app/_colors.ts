/**
 * Colours of the plots: a categorical palette for unordered series (samples, runs, exponents),
 * a sequential scale for ordered ones (values of g) and for colour-coded values (heat maps), and the light variant of a colour that
 * draws the individual samples behind their bold median.
 *
 * @module
 */

/** Colours of unordered series (Tableau 10). */
export const PALETTE: readonly string[] = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
];

/** The colour of palette index i (wrapping around). */
export function categorical(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** Stops of the sequential scale (viridis, without its lightest yellow, which is unreadable on white). */
const SEQUENTIAL: readonly [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [170, 200, 40],
];

function hex(rgb: number[]): string {
  return "#" + rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("");
}

/**
 * The colour of the k-th of `count` ordered values (dark purple to green), distinct for distinct k.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * equal(sequential(0, 5), "#440154");
 * equal(sequential(4, 5), "#aac828");
 * ```
 */
export function sequential(k: number, count: number): string {
  return sequentialAt(count <= 1 ? 0 : k / (count - 1));
}

/**
 * The colour of the sequential scale at t in [0, 1] (clamped): dark purple at 0, green at 1, for
 * colour-coded values such as a heat map's.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * equal(sequentialAt(0), "#440154");
 * equal(sequentialAt(0.5), "#21918c");
 * equal(sequentialAt(2), "#aac828");
 * ```
 */
export function sequentialAt(t: number): string {
  const pos = Math.min(1, Math.max(0, t)) * (SEQUENTIAL.length - 1);
  const lo = Math.min(Math.floor(pos), SEQUENTIAL.length - 2);
  const f = pos - lo;
  return hex(SEQUENTIAL[lo].map((c, j) => c + (SEQUENTIAL[lo + 1][j] - c) * f));
}

/**
 * A `#rrggbb` colour with opacity `alpha`, as `rgba(...)`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * equal(translucent("#4e79a7", 0.35), "rgba(78,121,167,0.35)");
 * ```
 */
export function translucent(color: string, alpha: number): string {
  const n = parseInt(color.slice(1), 16);
  return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${alpha})`;
}
