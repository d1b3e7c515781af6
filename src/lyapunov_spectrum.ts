/**
 * Lyapunov spectrum of a rate RNN by the QR method (docs/design.md#3-model-and-conventions).
 *
 * @module
 */

import type { Network } from "./network.ts";
import { validateNetwork } from "./network.ts";
import type { Progress } from "./progress.ts";
import { Rng, STREAMS } from "./random.ts";
import { entropyRate, kaplanYorke } from "./spectrum_stats.ts";
import type { Kernels, Precision, Workspace } from "./workspace.ts";

/** Options of {@linkcode lyapunovSpectrum}. Times are in units of the neuron time constant. */
export interface LyapunovSpectrumOptions {
  /** Number of exponents k (columns of the tangent frame), 1 ≤ k ≤ n. @default {n} */
  nle?: number;
  /** Time step, in (0, 1]. @default {0.1} */
  dt?: number;
  /** Time between QR re-orthonormalisations (≥ dt), or "auto" to let the core choose. @default {0.2} */
  tons?: number | "auto";
  /** Transient before the frame is evolved (state only). @default {20} */
  ttr?: number;
  /** Frame transient: state and frame evolved, nothing accumulated. @default {10} */
  tframe?: number;
  /** Observation time over which exponents are averaged. @default {200} */
  tsim?: number;
  /** Initial state (length n). @default {randomState(n, seed)} */
  h0?: ArrayLike<number>;
  /** Start frame, n×k row-major (orthonormalised first). @default {randomFrame(n, nle, seed)} */
  q0?: ArrayLike<number>;
  /** Seed of h0 and q0 when they are not given. @default {0} */
  seed?: number;
  /** Precision of the kernels. @default {"f64"} */
  precision?: Precision;
  /**
   * Dense or sparse (CSR) kernels; "auto" takes the sparse ones below the density `SPARSE_DENSITY`
   * (which grows with nle). Both give the same results to rounding. @default {"auto"}
   */
  kernels?: Kernels;
  /** Record the running estimates: true at every QR, or at most this many points. @default {false} */
  history?: boolean | number;
  /** Blocks of the observation window for the standard errors (1: none). @default {10} */
  blocks?: number;
  /** Called with the progress in time steps (all phases) about a hundred times in a run. */
  onProgress?: (progress: Progress) => void;
}

/** Defaults of {@linkcode lyapunovSpectrum} (nle defaults to n). */
export const SPECTRUM_DEFAULTS = Object.freeze({
  dt: 0.1,
  tons: 0.2 as number | "auto",
  ttr: 20,
  tframe: 10,
  tsim: 200,
  seed: 0,
  precision: "f64" as Precision,
  kernels: "auto" as Kernels,
  history: false as boolean | number,
  blocks: 10,
});

/**
 * Limits of a spectrum's options: every time (ttr, tframe, tsim) at most `maxTime`, and at most
 * `maxSteps` time steps in all three phases (10⁹ steps is hours even for the smallest network).
 */
export const SPECTRUM_LIMITS = Object.freeze({ maxTime: 1e7, maxSteps: 1e9 });

/** Running estimates of the exponents over the observation window. */
export interface SpectrumHistory {
  /** Observed time of each point. */
  time: Float64Array;
  /** Estimates, points × k row-major. */
  exponents: Float64Array;
}

/** Result of {@linkcode lyapunovSpectrum}. */
export interface SpectrumResult {
  /** λ_1..λ_k in nats per unit time, in QR column order (not re-sorted). */
  exponents: Float64Array;
  /** Standard error of each exponent from block means (absent with one block). */
  stderr?: Float64Array;
  /** Running estimates (when asked for). */
  history?: SpectrumHistory;
  /** Kaplan–Yorke dimension of the computed exponents. */
  kyDimension: number;
  /** True when the computed exponents sum to ≥ 0, so kyDimension is a lower bound. */
  kyLowerBound: boolean;
  /** Entropy rate Σ max(λ_i, 0). */
  entropy: number;
  /** Steps of each phase. */
  steps: { transient: number; frame: number; observed: number };
  /** Steps between QRs: the fixed interval, or the range chosen with tons "auto". */
  qrInterval: { min: number; max: number; count: number };
  /** The kernels used (see the `kernels` option). */
  kernels: "dense" | "sparse";
  /** Compute time of the spectrum in seconds (without loading or file I/O). */
  seconds: number;
}

/** The part of the core the algorithm needs. */
export interface WorkspaceFactory {
  workspace(n: number, k: number, precision?: Precision): Workspace;
}

/**
 * tons "auto": largest growth ratio max|R_ii|/min|R_ii| allowed over one interval, so that the
 * smallest column keeps about 8 (f64) or 4 (f32) of its digits before the next QR.
 */
const AUTO_LIMIT: Readonly<Record<Precision, number>> = { f64: 1e8, f32: 1e3 };
/** tons "auto": the longest interval in steps, so that progress and history keep a fine grain. */
const AUTO_MAX_STEPS = 1000;
/**
 * tons "auto": floor of the spread of the running rates, so that the interval stays finite
 * when every rate is 0 (then it is capped by AUTO_MAX_STEPS).
 */
const AUTO_MIN_SPREAD = 1e-12;
/** A start-frame column whose QR diagonal is below this fraction of its norm is dependent. */
const RANK_TOLERANCE: Readonly<Record<Precision, number>> = { f64: 1e-10, f32: 1e-5 };

function fail(what: string): never {
  throw new RangeError(`Cannot compute the spectrum: ${what}`);
}

function checkTime(name: string, value: number, positive: boolean): void {
  const { maxTime } = SPECTRUM_LIMITS;
  if (!Number.isFinite(value) || (positive ? value <= 0 : value < 0) || value > maxTime) {
    fail(
      `${name} must be a finite number ${
        positive ? ">" : ">="
      } 0 and at most ${maxTime}, got ${name}=${value}`,
    );
  }
}

function checkVector(name: string, v: ArrayLike<number>, length: number, shape: string): void {
  if (v.length !== length) fail(`${name} must have ${shape} = ${length} entries, got ${v.length}`);
  for (let i = 0; i < length; i++) {
    if (!Number.isFinite(v[i])) fail(`${name}[${i}] is not finite (${v[i]})`);
  }
}

/**
 * Lyapunov spectrum of `net`: the k largest exponents (k = nle) with their statistical errors,
 * Kaplan–Yorke dimension and entropy rate.
 *
 * Returns λ_1..λ_k in nats per unit time in QR column order (descending up to noise).
 *
 * Algorithm (Benettin et al. 1980; Engelken, Wolf & Abbott 2023): h ← (1 − dt)h + dt·W φ(h);
 * the frame evolves with the Jacobian J = (1 − dt)I + dt·W diag(φ'(h)) applied without forming
 * it. Phases, with step counts round(t/dt) and m = round(tons/dt): `ttr` state only; `tframe`
 * state and frame with a QR every m steps; `tsim` (rounded up to whole intervals) with a QR
 * every m steps accumulating log|R_ii|; λ_i = Σ log|R_ii| / (observed steps · dt).
 * With `tons: "auto"` the interval is chosen from the running estimates so that
 * max|R_ii|/min|R_ii| over one interval stays below 1e8 (f64) or 1e3 (f32).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadCore, randomNetwork } from "./mod.ts";
 * const core = await loadCore();
 * const res = core.lyapunovSpectrum(randomNetwork({ n: 50, g: 0.5, seed: 1 }), { nle: 3, tsim: 50 });
 * ok(res.exponents[0] < 0);
 * ```
 */
export function lyapunovSpectrum(
  factory: WorkspaceFactory,
  net: Network,
  options: LyapunovSpectrumOptions = {},
): SpectrumResult {
  const plan = planSpectrum(net, options);
  const { o, k, history, auto, fixedM, transient, frameSteps, observed } = plan;
  const dt = o.dt;
  const total = transient + frameSteps + observed;

  const start = performance.now();
  const ws = startWorkspace(factory, net, plan);
  try {
    let done = 0;
    let nextReport = 0;
    const report = () => {
      if (options.onProgress && done >= nextReport) {
        options.onProgress({ done, total });
        nextReport = Math.min(total, done + Math.ceil(total / 100));
      }
    };
    report();
    const chunk = Math.max(1, Math.ceil(total / 100));
    for (let s = 0; s < transient; s += chunk) {
      const steps = Math.min(chunk, transient - s);
      ws.stateSteps(steps);
      done += steps;
      report();
    }

    // Interval choice: fixed m, or (auto) from the running rates of the log|R_jj|.
    const limit = Math.log(AUTO_LIMIT[o.precision]);
    const rate = new Float64Array(k);
    let rateSteps = 0;
    let m = auto ? 1 : fixedM;
    const qrInterval = { min: Infinity, max: 0, count: 0 };
    const runInterval = (steps: number): Float64Array => {
      const logs = ws.interval(steps);
      done += steps;
      qrInterval.min = Math.min(qrInterval.min, steps);
      qrInterval.max = Math.max(qrInterval.max, steps);
      qrInterval.count++;
      if (auto) {
        rateSteps += steps;
        let hi = -Infinity;
        let lo = Infinity;
        let big = 0;
        for (let j = 0; j < k; j++) {
          rate[j] += logs[j];
          const r = rate[j] / rateSteps;
          hi = Math.max(hi, r);
          lo = Math.min(lo, r);
          big = Math.max(big, Math.abs(r));
        }
        const spread = Math.max(hi - lo, big, AUTO_MIN_SPREAD);
        m = Math.max(1, Math.min(AUTO_MAX_STEPS, Math.floor(limit / (2 * spread))));
      }
      report();
      return logs;
    };

    for (let s = 0; s < frameSteps;) {
      const steps = Math.min(m, frameSteps - s);
      runInterval(steps);
      s += steps;
    }

    const sums = new Float64Array(k);
    const blocks = Math.min(o.blocks, observed);
    const blockSums = new Float64Array(blocks * k);
    const blockSteps = new Float64Array(blocks);
    const times: number[] = [];
    const estimates: number[] = [];
    let nextPoint = 0;
    for (let s = 0; s < observed;) {
      const steps = Math.min(m, observed - s);
      const b = Math.min(blocks - 1, Math.floor((s * blocks) / observed));
      const logs = runInterval(steps);
      s += steps;
      blockSteps[b] += steps;
      for (let j = 0; j < k; j++) {
        sums[j] += logs[j];
        blockSums[b * k + j] += logs[j];
      }
      if (history > 0 && (s >= nextPoint || s === observed)) {
        times.push(s * dt);
        for (let j = 0; j < k; j++) estimates.push(sums[j] / (s * dt));
        nextPoint = history === Infinity ? 0 : Math.ceil(((times.length + 1) * observed) / history);
      }
    }

    const exponents = sums.map((x) => x / (observed * dt));
    const used = blockSteps.filter((x) => x > 0).length;
    const stderr = used > 1 ? blockStandardErrors(blockSums, blockSteps, k, dt) : undefined;
    const ky = kaplanYorke(exponents);
    return {
      exponents,
      stderr,
      history: history > 0
        ? { time: Float64Array.from(times), exponents: Float64Array.from(estimates) }
        : undefined,
      kyDimension: ky.dimension,
      kyLowerBound: ky.lowerBound,
      entropy: entropyRate(exponents),
      steps: { transient, frame: frameSteps, observed },
      qrInterval: { ...qrInterval, min: qrInterval.count ? qrInterval.min : 0 },
      kernels: ws.kernels,
      seconds: (performance.now() - start) / 1000,
    };
  } finally {
    ws.free();
  }
}

/** A validated spectrum computation: options with defaults, inputs and step counts. */
export interface SpectrumPlan extends SpectrumSettings {
  /** Initial state. */
  h0: ArrayLike<number>;
  /** Start frame (n×k row-major, not yet orthonormal). */
  q0: ArrayLike<number>;
}

/** Spectrum options checked against a network size, with their defaults applied, and the steps they give. */
export interface SpectrumSettings {
  /** The options with their defaults applied. */
  o: typeof SPECTRUM_DEFAULTS;
  /** Number of exponents. */
  k: number;
  /** Points of history (Infinity: every QR; 0: none). */
  history: number;
  /** Whether the QR interval is chosen automatically. */
  auto: boolean;
  /** Steps between QRs (0 with tons "auto"). */
  fixedM: number;
  /** Steps of the transient. */
  transient: number;
  /** Steps of the frame transient. */
  frameSteps: number;
  /** Steps of the observation window. */
  observed: number;
}

/**
 * Checks spectrum options for a network of n neurons (all but h0 and q0, which need the
 * network), applies the defaults and counts the steps: round(t/dt) per phase, tframe and tsim
 * rounded up to whole QR intervals of m = round(tons/dt) steps. Throws a RangeError naming the
 * first bad option and its limit: dt ≤ tons ≤ tsim, every time finite and at most
 * `SPECTRUM_LIMITS.maxTime`, at most `SPECTRUM_LIMITS.maxSteps` steps. Lets a caller refuse bad
 * options before it builds networks or writes anything.
 *
 * @example
 * ```ts
 * import { equal, throws } from "node:assert/strict";
 * throws(() => checkSpectrumOptions(10, { nle: 11 }), /nle must be an integer between 1 and n/);
 * const s = checkSpectrumOptions(10, { tsim: 50 });
 * equal(s.transient + s.frameSteps + s.observed, 200 + 100 + 500);
 * ```
 */
export function checkSpectrumOptions(n: number, options: LyapunovSpectrumOptions): SpectrumSettings {
  const o = { ...SPECTRUM_DEFAULTS, ...definedOnly(options) } as typeof SPECTRUM_DEFAULTS;
  const k = options.nle ?? n;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    fail(`nle must be an integer between 1 and n, got nle=${k}, n=${n}`);
  }
  if (!Number.isFinite(o.dt) || o.dt <= 0 || o.dt > 1) fail(`dt must be in (0, 1], got dt=${o.dt}`);
  const auto = o.tons === "auto";
  if (!auto && (typeof o.tons !== "number" || !(o.tons >= o.dt) || !Number.isFinite(o.tons))) {
    fail(`tons must be "auto" or a number >= dt, got tons=${o.tons}, dt=${o.dt}`);
  }
  checkTime("ttr", o.ttr, false);
  checkTime("tframe", o.tframe, false);
  checkTime("tsim", o.tsim, true);
  if (!auto && (o.tons as number) > o.tsim) fail(`tons must be at most tsim = ${o.tsim}, got tons=${o.tons}`);
  if (!Number.isInteger(o.blocks) || o.blocks < 1) fail(`blocks must be a positive integer, got ${o.blocks}`);
  if (o.precision !== "f64" && o.precision !== "f32") {
    fail(`precision must be f64 or f32, got ${o.precision}`);
  }
  if (!["auto", "dense", "sparse"].includes(o.kernels)) {
    fail(`kernels must be auto, dense or sparse, got ${o.kernels}`);
  }
  const history = o.history === true ? Infinity : o.history === false ? 0 : o.history;
  if (!(history >= 0)) fail(`history must be true, false or a number of points >= 0, got ${o.history}`);
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) {
    fail(`seed must be an integer in [0, 2^32), got ${o.seed}`);
  }
  const dt = o.dt;
  const fixedM = auto ? 0 : Math.max(1, Math.round((o.tons as number) / dt));
  const roundUp = (steps: number) => (auto ? steps : Math.ceil(steps / fixedM) * fixedM);
  const transient = Math.round(o.ttr / dt);
  const frameSteps = roundUp(Math.round(o.tframe / dt));
  const observed = Math.max(1, roundUp(Math.round(o.tsim / dt)));
  const total = transient + frameSteps + observed;
  if (total > SPECTRUM_LIMITS.maxSteps) {
    fail(
      `(ttr + tframe + tsim)/dt = ${total.toExponential(2)} steps, more than the limit of ` +
        `${SPECTRUM_LIMITS.maxSteps.toExponential(0)}: shorten the times or raise dt`,
    );
  }
  return { o, k, history, auto, fixedM, transient, frameSteps, observed };
}

/** Validates a network and spectrum options and counts the steps of each phase (docs/design.md#3-model-and-conventions). */
export function planSpectrum(net: Network, options: LyapunovSpectrumOptions): SpectrumPlan {
  validateNetwork(net);
  const { n } = net;
  const settings = checkSpectrumOptions(n, options);
  const h0 = options.h0 ?? randomState(n, settings.o.seed);
  checkVector("h0", h0, n, "n");
  const q0 = options.q0 ?? randomFrame(n, settings.k, settings.o.seed);
  checkVector("q0", q0, n * settings.k, "n*nle");
  return { ...settings, h0, q0 };
}

/**
 * A workspace holding the network, h0 and the orthonormalised q0 of a plan; throws when q0's
 * columns are not independent. The caller frees it.
 */
export function startWorkspace(factory: WorkspaceFactory, net: Network, plan: SpectrumPlan): Workspace {
  const { n } = net;
  const { o, k, q0 } = plan;
  const ws = factory.workspace(n, k, o.precision);
  try {
    ws.setNetwork(net, o.dt, o.kernels);
    ws.setState(plan.h0);
    ws.setFrame(q0);
    const q0logs = ws.orthonormalize();
    const tiny = Math.log(RANK_TOLERANCE[o.precision]);
    for (let j = 0; j < k; j++) {
      let norm2 = 0;
      for (let i = 0; i < n; i++) norm2 += q0[i * k + j] ** 2;
      if (!(q0logs[j] - 0.5 * Math.log(norm2) > tiny)) {
        fail(`q0 is rank deficient: column ${j} depends on the columns before it`);
      }
    }
    return ws;
  } catch (e) {
    ws.free();
    throw e;
  }
}

/** The default initial state: n standard normals from stream `h0` of `seed`. */
export function randomState(n: number, seed: number): Float64Array {
  return new Rng(seed, STREAMS.h0).fillNormal(new Float64Array(n));
}

/**
 * The default start frame: an n×k row-major matrix of standard normals, drawn column by column
 * from stream `q0` of `seed`, so that its first columns are the same for every k.
 */
export function randomFrame(n: number, k: number, seed: number): Float64Array {
  const rng = new Rng(seed, STREAMS.q0);
  const q = new Float64Array(n * k);
  for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) q[i * k + j] = rng.normal();
  return q;
}

/**
 * Standard error of the mean of block estimates, per column: block b's estimate of column j is
 * sums[b·k + j] / (steps[b]·dt); blocks with no steps are skipped.
 */
export function blockStandardErrors(
  sums: Float64Array,
  steps: Float64Array,
  k: number,
  dt: number,
): Float64Array {
  const out = new Float64Array(k);
  const used = Array.from(steps.keys()).filter((b) => steps[b] > 0);
  const nb = used.length;
  for (let j = 0; j < k; j++) {
    let mean = 0;
    for (const b of used) mean += sums[b * k + j] / (steps[b] * dt);
    mean /= nb;
    let ss = 0;
    for (const b of used) ss += (sums[b * k + j] / (steps[b] * dt) - mean) ** 2;
    out[j] = Math.sqrt(ss / (nb - 1) / nb);
  }
  return out;
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
