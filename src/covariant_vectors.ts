/**
 * Covariant Lyapunov vectors of a rate RNN by Ginelli's algorithm, on the QR engine of
 * {@linkcode lyapunovSpectrum}, with the analyses that say where the instability lives.
 *
 * @module
 */

import {
  type ClvAngles,
  clvAngles,
  type FtleStats,
  ftleStats,
  type Localisation,
  localisation,
  type TypeShares,
  typeShares,
} from "./_clv_analysis.ts";
import {
  blockStandardErrors,
  type LyapunovSpectrumOptions,
  planSpectrum,
  startWorkspace,
  type WorkspaceFactory,
} from "./lyapunov_spectrum.ts";
import type { Network } from "./network.ts";
import { Rng, STREAMS } from "./random.ts";

/** Options of {@linkcode covariantVectors}: the spectrum's (a fixed `tons`), and the vectors'. */
export interface CovariantVectorsOptions extends Omit<LyapunovSpectrumOptions, "history"> {
  /** Backward transient after the window, rounded up to whole QR intervals. @default {tframe} */
  tbkw?: number;
  /**
   * Sample times of the vectors, evenly spaced over the window (both ends included; one sample:
   * the window's start), at QR interval boundaries. @default {100, or every boundary of a shorter window}
   */
  samples?: number;
  /** Length of the windows of the finite-time exponents, rounded to whole QR intervals. @default {1} */
  ftleWindow?: number;
  /**
   * Bytes of R factors (k(k+1)/2 f64 per QR interval) the window may keep. Beyond it they are
   * recomputed segment by segment from checkpoints of state and frame (one more forward pass):
   * about 2·√(intervals · checkpoint bytes · R bytes) are held then, which grows like the
   * square root of the window. @default {268435456}
   */
  maxTapeBytes?: number;
}

/** Defaults of the options of {@linkcode covariantVectors} beyond the spectrum's. */
export const VECTORS_DEFAULTS = Object.freeze({ samples: 100, ftleWindow: 1, maxTapeBytes: 2 ** 28 });

/** Result of {@linkcode covariantVectors}. */
export interface CovariantVectorsResult {
  /** QR (Gram–Schmidt) exponents over the window, as lyapunovSpectrum gives them. */
  exponents: Float64Array;
  /** Their block standard errors (absent with one block). */
  stderr?: Float64Array;
  /** Exponents from the growth rates of the covariant vectors over the window. */
  clvExponents: Float64Array;
  /** Their block standard errors (absent with one block). */
  clvStderr?: Float64Array;
  /** Sample times, from the start of the window. */
  times: Float64Array;
  /** The vectors: samples × n × k, C order (vector j of sample s at [(s·n + i)·k + j]), unit columns, largest-magnitude entry positive. */
  vectors: Float64Array;
  /** The state at each sample time, samples × n. */
  states: Float64Array;
  /** Inverse participation ratio Σ v⁴ and participation ratio 1/(n·Σ v⁴) per vector, averaged over the samples. */
  localisation: Localisation;
  /** Principal angles: unstable against stable subspace, neighbouring vectors. */
  angles: ClvAngles;
  /** Distribution of the finite-time covariant exponents over windows of `ftleWindow`. */
  ftle: FtleStats;
  /** Share of each vector's squared weight per cell type and on E/I neurons (networks with types). */
  typeShares?: TypeShares;
  /** Steps of each phase (the window rounded to whole intervals; backward: the tbkw steps). */
  steps: { transient: number; frame: number; observed: number; backward: number };
  /** Steps between QRs. */
  qrInterval: number;
  /** The kernels used. */
  kernels: "dense" | "sparse";
  /** Bytes of R factors and checkpoints held at once (beside the samples' frames). */
  tapeBytes: number;
  /** Whether R factors were recomputed from checkpoints (the window exceeded maxTapeBytes). */
  recomputed: boolean;
  /** Compute time in seconds. */
  seconds: number;
}

function fail(what: string): never {
  throw new RangeError(`Cannot compute covariant vectors: ${what}`);
}

/**
 * The covariant Lyapunov vectors of `net` (the k = nle leading ones) at `samples` times of the
 * observation window, their exponents and analyses.
 *
 * Returns the vectors (samples × n × k, unit columns, sign: largest-magnitude entry positive),
 * the QR exponents and the covariant exponents (nats per unit time) with block standard
 * errors, the localisation, angles, finite-time exponents and cell-type shares.
 *
 * Algorithm (Ginelli et al. 2007; Kuptsov & Parlitz 2012): the forward pass is the QR method of
 * lyapunovSpectrum (phases ttr, tframe, then the window and `tbkw` more), keeping R_j of every
 * interval (M_j Q_{j−1} = Q_j R_j) and Q at the sample times. Backwards from a random
 * upper-triangular C at the end, C_{j−1} = R_j⁻¹ C_j with unit columns; the covariant vectors
 * at boundary j are V_j = Q_j C_j, and −log of the column norms of R_j⁻¹ C_j are their growth
 * over interval j. Over long windows, R is recomputed per segment from checkpoints of h and Q
 * (`maxTapeBytes`). Needs a fixed `tons`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { loadCore, randomNetwork } from "./mod.ts";
 * const core = await loadCore();
 * const res = core.covariantVectors(randomNetwork({ n: 30, g: 2, seed: 1 }), { nle: 4, tsim: 20, samples: 5 });
 * equal(res.vectors.length, 5 * 30 * 4);
 * ```
 */
export function covariantVectors(
  factory: WorkspaceFactory,
  net: Network,
  options: CovariantVectorsOptions = {},
): CovariantVectorsResult {
  const plan = planSpectrum(net, { ...options, history: false });
  if (plan.auto) fail('tons "auto" is not supported: give a fixed tons');
  const { k, fixedM: m, o } = plan;
  const n = net.n;
  const dt = o.dt;
  const tbkw = options.tbkw ?? o.tframe;
  if (!Number.isFinite(tbkw) || tbkw < 0) fail(`tbkw must be a finite number >= 0, got tbkw=${tbkw}`);
  const maxTapeBytes = options.maxTapeBytes ?? VECTORS_DEFAULTS.maxTapeBytes;
  if (!(maxTapeBytes > 0)) fail(`maxTapeBytes must be > 0, got ${maxTapeBytes}`);
  const windowIntervals = Math.ceil(plan.observed / m);
  const backIntervals = Math.ceil(Math.round(tbkw / dt) / m);
  const total = windowIntervals + backIntervals;

  const samples = options.samples ?? Math.min(VECTORS_DEFAULTS.samples, windowIntervals + 1);
  if (!Number.isInteger(samples) || samples < 1 || samples > windowIntervals + 1) {
    fail(
      `samples must be an integer between 1 and the window's QR intervals + 1 = ${
        windowIntervals + 1
      }, got samples=${samples}`,
    );
  }
  const sampleAt = Array.from(
    { length: samples },
    (_, s) => (samples === 1 ? 0 : Math.round((s * windowIntervals) / (samples - 1))),
  );
  const sampleIndex = new Map(sampleAt.map((b, s) => [b, s]));
  const ftleWindow = options.ftleWindow ?? VECTORS_DEFAULTS.ftleWindow;
  if (!Number.isFinite(ftleWindow) || ftleWindow <= 0) {
    fail(`ftleWindow must be a finite number > 0, got ftleWindow=${ftleWindow}`);
  }
  const ftleIntervals = Math.max(1, Math.round(ftleWindow / (m * dt)));
  if (ftleIntervals > windowIntervals) {
    fail(
      `ftleWindow must be at most the window (tsim=${
        windowIntervals * m * dt
      }), got ftleWindow=${ftleWindow}`,
    );
  }

  const start = performance.now();
  const ws = startWorkspace(factory, net, plan);
  const allocations: number[] = [];
  try {
    const alloc = (bytes: number) => {
      const ptr = ws.alloc(Math.max(bytes, 16));
      allocations.push(ptr);
      return ptr;
    };
    const rCore = alloc(k * k * ws.elementBytes);
    // The backward pass's f64 buffers in the core: R_j and C (row-major), C by columns, one frame.
    const rSolve = alloc(8 * k * k);
    const cCore = alloc(8 * k * k);
    const ctCore = alloc(8 * k * k);
    const frame = alloc(8 * n * k);
    const packed = (k * (k + 1)) / 2;
    const rBytes = 8 * packed;
    const checkpointBytes = ws.stateBytes + ws.frameBytes;
    const storeAll = total * rBytes <= maxTapeBytes;
    let per = total;
    if (!storeAll) {
      per = Math.ceil(Math.sqrt((total * checkpointBytes) / rBytes));
      per = Math.max(1, Math.min(per, Math.floor(maxTapeBytes / rBytes), total));
    }
    const segments = Math.ceil(total / per);
    const checkpoints = storeAll ? 0 : alloc(segments * checkpointBytes);
    const tape = new Float64Array(per * packed);
    const tapeBytes = per * rBytes + (storeAll ? 0 : segments * checkpointBytes);

    const steps = plan.transient + plan.frameSteps + (total + (segments - 1) * per) * m;
    let done = 0;
    let nextReport = 0;
    const progress = (advance: number) => {
      done += advance;
      if (options.onProgress && done >= nextReport) {
        options.onProgress({ done, total: steps });
        nextReport = Math.min(steps, done + Math.ceil(steps / 100));
      }
    };
    progress(0);
    const chunk = Math.max(1, Math.ceil(steps / 100));
    for (let s = 0; s < plan.transient; s += chunk) {
      const c = Math.min(chunk, plan.transient - s);
      ws.stateSteps(c);
      progress(c);
    }
    for (let s = 0; s < plan.frameSteps; s += m) {
      ws.interval(m);
      progress(m);
    }

    // One interval with its R kept in slot `slot` of the tape (row-major packed upper triangle).
    const intervalKeepingR = (slot: number | undefined): Float64Array => {
      ws.tangentSteps(m);
      const logs = ws.orthonormalize(rCore);
      progress(m);
      if (slot !== undefined) {
        const R = ws.elementView(rCore, k * k);
        let at = slot * packed;
        for (let i = 0; i < k; i++) for (let l = i; l < k; l++) tape[at++] = R[l * k + i];
      }
      return logs;
    };

    // Forward over the window and the backward transient.
    const blocks = Math.min(o.blocks, windowIntervals);
    const blockOf = (j: number) => Math.min(blocks - 1, Math.floor(((j - 1) * blocks) / windowIntervals));
    const qrSums = new Float64Array(k);
    const qrBlocks = new Float64Array(blocks * k);
    const blockSteps = new Float64Array(blocks);
    const vectors = new Float64Array(samples * n * k);
    const states = new Float64Array(samples * n);
    const lastSegment = segments - 1;
    for (let b = 0; b <= total; b++) {
      const s = sampleIndex.get(b);
      if (s !== undefined) {
        vectors.set(ws.frame(), s * n * k);
        states.set(ws.state(), s * n);
      }
      if (b === total) break;
      const seg = Math.floor(b / per);
      if (!storeAll && b % per === 0) {
        ws.copyState(checkpoints + seg * checkpointBytes, true);
        ws.copyFrame(checkpoints + seg * checkpointBytes + ws.stateBytes, true);
      }
      const logs = intervalKeepingR(seg === lastSegment ? b - seg * per : undefined);
      if (b < windowIntervals) {
        const blk = blockOf(b + 1);
        blockSteps[blk] += m;
        for (let j = 0; j < k; j++) {
          qrSums[j] += logs[j];
          qrBlocks[blk * k + j] += logs[j];
        }
      }
    }

    // Backward: C_{j−1} = R_j⁻¹ C_j, unit columns, from a random upper-triangular C.
    // Views of the core's memory, made anew where used (it does not grow during the pass, but a view is cheap).
    const cView = () => ws.f64View(cCore, k * k);
    const rng = new Rng(o.seed, STREAMS.clv);
    const C0 = cView();
    C0.fill(0);
    for (let i = 0; i < k; i++) for (let c = i; c < k; c++) C0[i * k + c] = rng.normal();
    normaliseColumns(k, C0);
    const clvSums = new Float64Array(k);
    const clvBlocks = new Float64Array(blocks * k);
    const ftleCount = Math.floor(windowIntervals / ftleIntervals);
    const ftleSums = new Float64Array(ftleCount * k);
    let loaded = lastSegment;
    const covariant = (b: number) => {
      const s = sampleIndex.get(b);
      if (s === undefined) return;
      const C = cView();
      const Ct = ws.f64View(ctCore, k * k);
      for (let l = 0; l < k; l++) for (let c = l; c < k; c++) Ct[c * k + l] = C[l * k + c];
      const V = vectors.subarray(s * n * k, (s + 1) * n * k);
      ws.f64View(frame, n * k).set(V);
      ws.clvProduct(frame, ctCore);
      V.set(ws.f64View(frame, n * k));
      normaliseVectors(V, n, k);
    };
    covariant(total);
    for (let j = total; j >= 1; j--) {
      const seg = Math.floor((j - 1) / per);
      if (seg !== loaded) {
        ws.copyState(checkpoints + seg * checkpointBytes, false);
        ws.copyFrame(checkpoints + seg * checkpointBytes + ws.stateBytes, false);
        const end = Math.min(total, (seg + 1) * per);
        for (let b = seg * per; b < end; b++) intervalKeepingR(b - seg * per);
        loaded = seg;
      }
      let at = (j - 1 - seg * per) * packed;
      const R = ws.f64View(rSolve, k * k);
      for (let i = 0; i < k; i++) for (let l = i; l < k; l++) R[i * k + l] = tape[at++];
      ws.clvSolve(rSolve, cCore);
      const logNorms = normaliseColumns(k, cView());
      if (j <= windowIntervals) {
        const blk = blockOf(j);
        const f = Math.floor((j - 1) / ftleIntervals);
        for (let c = 0; c < k; c++) {
          clvSums[c] -= logNorms[c];
          clvBlocks[blk * k + c] -= logNorms[c];
          if (f < ftleCount) ftleSums[f * k + c] -= logNorms[c];
        }
      }
      covariant(j - 1);
    }

    const time = windowIntervals * m * dt;
    const exponents = qrSums.map((x) => x / time);
    const clvExponents = clvSums.map((x) => x / time);
    const withErrors = blockSteps.filter((x) => x > 0).length > 1;
    const ftleSeries = ftleSums.map((x) => x / (ftleIntervals * m * dt));
    return {
      exponents,
      stderr: withErrors ? blockStandardErrors(qrBlocks, blockSteps, k, dt) : undefined,
      clvExponents,
      clvStderr: withErrors ? blockStandardErrors(clvBlocks, blockSteps, k, dt) : undefined,
      times: Float64Array.from(sampleAt, (b) => b * m * dt),
      vectors,
      states,
      localisation: localisation(vectors, samples, n, k, o.blocks),
      angles: clvAngles(vectors, samples, n, k, clvExponents),
      ftle: ftleStats(ftleSeries, ftleCount, k, ftleIntervals * m * dt),
      typeShares: net.types === undefined ? undefined : typeShares(vectors, samples, net, k),
      steps: {
        transient: plan.transient,
        frame: plan.frameSteps,
        observed: windowIntervals * m,
        backward: backIntervals * m,
      },
      qrInterval: m,
      kernels: ws.kernels,
      tapeBytes,
      recomputed: !storeAll,
      seconds: (performance.now() - start) / 1000,
    };
  } finally {
    for (const ptr of allocations) ws.release(ptr);
    ws.free();
  }
}

/** Scales the columns of an upper-triangular k×k C (row-major) to unit norm; returns log of the norms. */
function normaliseColumns(k: number, C: Float64Array): Float64Array {
  const logs = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let ss = 0;
    for (let i = 0; i <= c; i++) ss += C[i * k + c] ** 2;
    const norm = Math.sqrt(ss);
    for (let i = 0; i <= c; i++) C[i * k + c] /= norm;
    logs[c] = Math.log(norm);
  }
  return logs;
}

/** In place: each column of the n×k row-major V scaled to unit norm with its largest-magnitude entry positive. */
function normaliseVectors(V: Float64Array, n: number, k: number): void {
  for (let c = 0; c < k; c++) {
    let ss = 0;
    let big = 0;
    for (let i = 0; i < n; i++) {
      const v = V[i * k + c];
      ss += v * v;
      if (Math.abs(v) > Math.abs(big)) big = v;
    }
    const scale = (big < 0 ? -1 : 1) / Math.sqrt(ss);
    for (let i = 0; i < n; i++) V[i * k + c] *= scale;
  }
}
