/**
 * The explorer's configuration and its URL form (`explorer.html?n=100&g=2&seed=3&nle=5&...`).
 * Defaults match `flybrain spectrum` except nle (10 here, so that large networks stay quick).
 *
 * @module
 */

import {
  type Activation,
  checkRoi,
  parseActivation,
  RANDOM_NETWORK_DEFAULTS,
  type Roi,
  SPECTRUM_DEFAULTS,
} from "../../src/mod.ts";

/** What the explorer computes. */
export interface ExplorerConfig {
  /** Neurons (1 to {@linkcode MAX_N}); ignored with a ROI (the connectome sets it). */
  n: number;
  /** Coupling: W ~ N(0, g²/n); with a ROI, the factor of its normalised W (`--scale`). */
  g: number;
  /** A connectome ROI instead of a random network (as `flybrain connectome --roi`, defaults otherwise). */
  roi?: Roi;
  activation: Activation;
  /** Gain of every neuron (tanh_pos, tanh_stretched); absent: the library's default (1). */
  gain?: number;
  /** Shift of every neuron (tanh_pos, tanh_stretched); absent: the library's default (0). */
  shift?: number;
  /** Exponents. */
  nle: number;
  /** Observation time. */
  tsim: number;
  /** Seed of the network and of h0, q0. */
  seed: number;
  /** Values of g in the sweep (0: no sweep). */
  sweep: number;
  gmin: number;
  gmax: number;
}

/** Largest network the explorer accepts. */
export const MAX_N = 1000;

/** Defaults of the explorer. */
export const EXPLORER_DEFAULTS = Object.freeze({
  n: 100,
  g: RANDOM_NETWORK_DEFAULTS.g,
  activation: "tanh" as Activation,
  nle: 10,
  tsim: SPECTRUM_DEFAULTS.tsim,
  seed: 0,
  sweep: 7,
  gmin: 0.5,
  gmax: 3,
});

function num(params: URLSearchParams, name: string, fallback: number | undefined): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw.trim() === "") return fallback;
  const x = Number(raw);
  if (!Number.isFinite(x)) throw new RangeError(`${name} must be a finite number, got "${raw}"`);
  return x;
}

function int(name: string, x: number, min: number, max: number): number {
  if (!Number.isInteger(x) || x < min || x > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${x}`);
  }
  return x;
}

/**
 * The configuration named by URL parameters (defaults for the missing ones), with the size of
 * an opened network file when there is one; throws RangeError naming a bad value.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const c = parseConfig(new URLSearchParams("n=100&g=2&seed=3&nle=5&activation=std&tsim=50"));
 * equal(c.activation, "tanh");
 * equal(c.nle, 5);
 * ```
 */
export function parseConfig(params: URLSearchParams, fileN?: number): ExplorerConfig {
  const d = EXPLORER_DEFAULTS;
  // A network file sets n (any size: the user chose it); a random network is at most MAX_N.
  const n = fileN ?? int("n", num(params, "n", d.n)!, 1, MAX_N);
  const g = num(params, "g", d.g)!;
  if (g < 0) throw new RangeError(`g must be >= 0, got ${g}`);
  const activation = parseActivation(params.get("activation") || d.activation);
  const nle = int("nle", num(params, "nle", Math.min(n, d.nle))!, 1, n);
  const tsim = num(params, "tsim", d.tsim)!;
  if (tsim <= 0) throw new RangeError(`tsim must be > 0, got ${tsim}`);
  const seed = int("seed", num(params, "seed", d.seed)!, 0, 0xffffffff);
  const sweep = int("sweep", num(params, "sweep", d.sweep)!, 0, 50);
  const gmin = num(params, "gmin", d.gmin)!;
  const gmax = num(params, "gmax", d.gmax)!;
  if (!(gmin >= 0 && gmax >= gmin)) {
    throw new RangeError(`need 0 <= gmin <= gmax, got gmin=${gmin}, gmax=${gmax}`);
  }
  const config: ExplorerConfig = { n, g, activation, nle, tsim, seed, sweep, gmin, gmax };
  const roi = params.get("roi");
  if (roi) {
    checkRoi(roi);
    config.roi = roi as Roi;
  }
  const gain = num(params, "gain", undefined);
  const shift = num(params, "shift", undefined);
  if (gain !== undefined) config.gain = gain;
  if (shift !== undefined) config.shift = shift;
  return config;
}

/** The URL parameters of a configuration. */
export function configParams(c: ExplorerConfig): URLSearchParams {
  const p = new URLSearchParams();
  for (
    const key of [
      "roi",
      "n",
      "g",
      "seed",
      "nle",
      "activation",
      "tsim",
      "gain",
      "shift",
      "sweep",
      "gmin",
      "gmax",
    ] as const
  ) {
    if (c[key] !== undefined) p.set(key, String(c[key]));
  }
  return p;
}
