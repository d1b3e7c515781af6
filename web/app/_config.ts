/**
 * The explorer's configuration and its URL form (`explorer.html?n=100&g=2&seed=3&nle=5&...`).
 * Defaults match `flybrain spectrum` except nle (10 here, so that large networks stay quick).
 *
 * @module
 */

import {
  type Activation,
  checkRoi,
  MAX_THREADS,
  parseActivation,
  RANDOM_NETWORK_DEFAULTS,
  type Roi,
  SPECTRUM_DEFAULTS,
  type Threads,
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
  /** Threads computing the spectrum ("auto": the command line's rule; one without isolation). */
  threads: Threads;
  /** Also the covariant Lyapunov vectors (as `flybrain vectors`; n at most {@linkcode MAX_VECTORS_N}). */
  vectors?: boolean;
}

/** Largest network the explorer accepts. */
export const MAX_N = 1000;

/** Largest network whose covariant vectors the explorer computes (their analyses grow like n·k² per sample). */
export const MAX_VECTORS_N = 500;

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
  threads: "auto" as Threads,
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

/** The fields of the explorer's form and URL. */
export type ConfigField = keyof ExplorerConfig;

/** A configuration read from URL parameters, and what was wrong with them. */
export interface ConfigReading {
  /** The configuration: valid values as given, defaults for missing and invalid ones. */
  config: ExplorerConfig;
  /** Each invalid field with the reason (empty when every field is valid). */
  invalid: Partial<Record<ConfigField, string>>;
}

/**
 * The configuration named by URL parameters: defaults for the missing ones, and for each
 * invalid one its default and the reason, so that every error is named at once. An opened
 * network file sets n (`fileN`).
 *
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * const c = readConfig(new URLSearchParams("n=100&g=2&seed=3&nle=5&activation=std&tsim=50"));
 * equal(c.config.activation, "tanh");
 * equal(c.config.nle, 5);
 * const bad = readConfig(new URLSearchParams("n=-5&g=abc&seed=3&nle=999&activation=relu&tsim=-1"));
 * deepEqual(Object.keys(bad.invalid), ["n", "g", "activation", "nle", "tsim"]);
 * equal(bad.config.seed, 3);
 * equal(bad.config.n, 100);
 * equal(readConfig(new URLSearchParams("threads=2")).config.threads, 2);
 * equal(readConfig(new URLSearchParams("threads=0")).invalid.threads, "threads must be an integer in [1, 64], got 0");
 * const big = readConfig(new URLSearchParams("n=501&vectors=1"));
 * equal(big.invalid.vectors, `vectors need n <= ${MAX_VECTORS_N}, got n=501`);
 * equal(big.config.vectors, undefined);
 * ```
 */
export function readConfig(params: URLSearchParams, fileN?: number): ConfigReading {
  const d = EXPLORER_DEFAULTS;
  const invalid: Partial<Record<ConfigField, string>> = {};
  const field = <T>(name: ConfigField, parse: () => T, fallback: T): T => {
    try {
      return parse();
    } catch (e) {
      invalid[name] = (e as Error).message;
      return fallback;
    }
  };
  const positive = (name: ConfigField, fallback: number, strict: boolean) =>
    field(name, () => {
      const x = num(params, name, fallback)!;
      if (strict ? x <= 0 : x < 0) throw new RangeError(`${name} must be ${strict ? ">" : ">="} 0, got ${x}`);
      return x;
    }, fallback);
  // A network file sets n (any size: the user chose it); a random network is at most MAX_N.
  const n = fileN ?? field("n", () => int("n", num(params, "n", d.n)!, 1, MAX_N), d.n);
  const g = positive("g", d.g, false);
  const activation = field(
    "activation",
    () => parseActivation(params.get("activation") || d.activation),
    d.activation,
  );
  const nle = field(
    "nle",
    () => int("nle", num(params, "nle", Math.min(n, d.nle))!, 1, n),
    Math.min(n, d.nle),
  );
  const tsim = positive("tsim", d.tsim, true);
  const seed = field("seed", () => int("seed", num(params, "seed", d.seed)!, 0, 0xffffffff), d.seed);
  const sweep = field("sweep", () => int("sweep", num(params, "sweep", d.sweep)!, 0, 50), d.sweep);
  const gmin = positive("gmin", d.gmin, false);
  let gmax = positive("gmax", d.gmax, false);
  if (invalid.gmax === undefined && gmax < gmin) {
    invalid.gmax = `gmax must be >= gmin, got gmin=${gmin}, gmax=${gmax}`;
    gmax = Math.max(gmin, d.gmax);
  }
  const threads = field("threads", () => {
    const raw = params.get("threads")?.trim() || d.threads;
    return raw === "auto" ? raw : int("threads", num(params, "threads", undefined)!, 1, MAX_THREADS);
  }, d.threads);
  const config: ExplorerConfig = { n, g, activation, nle, tsim, seed, sweep, gmin, gmax, threads };
  const roi = params.get("roi");
  if (roi) {
    const checked = field("roi", () => (checkRoi(roi), roi as Roi), undefined);
    if (checked !== undefined) config.roi = checked;
  }
  const gain = field("gain", () => num(params, "gain", undefined), undefined);
  const shift = field("shift", () => num(params, "shift", undefined), undefined);
  if (gain !== undefined) config.gain = gain;
  if (shift !== undefined) config.shift = shift;
  // A connectome's n is known only once it is built: the Worker checks it (checkVectorsN).
  if (field("vectors", () => vectorsFlag(params, config.roi ? undefined : n), false)) config.vectors = true;
  return { config, invalid };
}

/** The `vectors` parameter: 1 or true asks for them (n at most MAX_VECTORS_N), 0, false or absent not. */
function vectorsFlag(params: URLSearchParams, n: number | undefined): boolean {
  const raw = (params.get("vectors") ?? "").trim();
  if (!["", "0", "1", "false", "true"].includes(raw)) {
    throw new RangeError(`vectors must be 1 or 0, got "${raw}"`);
  }
  const on = raw === "1" || raw === "true";
  if (on && n !== undefined) checkVectorsN(n);
  return on;
}

/** Throws when the explorer does not compute the covariant vectors of a network of n neurons. */
export function checkVectorsN(n: number): void {
  if (n > MAX_VECTORS_N) throw new RangeError(`vectors need n <= ${MAX_VECTORS_N}, got n=${n}`);
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
      "threads",
    ] as const
  ) {
    if (c[key] !== undefined) p.set(key, String(c[key]));
  }
  if (c.vectors) p.set("vectors", "1");
  return p;
}
