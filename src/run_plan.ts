/**
 * The plan of a run before it starts: its steps, its memory (the network, W and the frame in the
 * core, the workspace, the gradient's tape) and a time estimate from a quick calibration, so
 * that impossible work is refused with a reason instead of failing or running for ever.
 *
 * @module
 */

import { checkSpectrumOptions, type LyapunovSpectrumOptions } from "./lyapunov_spectrum.ts";
import { randomNetwork } from "./network.ts";
import { Rng } from "./random.ts";
import { formatDuration } from "./progress.ts";
import { autoKernels, type Precision, type Workspace } from "./workspace.ts";

/**
 * Bytes the core can address: WebAssembly memories have 32-bit addresses, so W, the frame and
 * every buffer of one workspace share at most 4 GiB.
 */
export const CORE_MEMORY_BYTES = 2 ** 32;

/** What a run computes: how many networks of what size, with which options. */
export interface RunPlanInput {
  /** A spectrum, or a spectrum and its exact gradient. @default {"spectrum"} */
  kind?: "spectrum" | "gradient";
  /** Neurons. */
  n: number;
  /** Nonzero weights (for the choice of kernels). @default {n² − n, a random network} */
  nnz?: number;
  /** The spectrum's options (checked here: the limits of {@linkcode checkSpectrumOptions}). */
  options: LyapunovSpectrumOptions;
  /** Networks computed. @default {1} */
  networks?: number;
  /** Networks computed at once (workers, each with its own core and network). @default {1} */
  parallel?: number;
  /** Whether each network is drawn at random first (its time counts). @default {false} */
  draw?: boolean;
}

/** Bytes of the parts of one network's computation. */
export interface RunMemory {
  /** The network's weights in the library (n² f64). */
  network: number;
  /** W in the core (ld² elements; ld = n rounded up to 4). */
  weights: number;
  /** The tangent frame, its packed panels and the QR scratch. */
  frame: number;
  /** The other buffers of the workspace (state, activations, CSR copies of W with sparse kernels). */
  workspace: number;
  /** The gradient: adjoint buffers, checkpoints, tape and the gradient of W (0 for a spectrum). */
  tape: number;
  /** Of these, the bytes in the core's memory (at most {@linkcode CORE_MEMORY_BYTES}). */
  core: number;
  /** Everything, times the networks computed at once. */
  total: number;
}

/** The plan of a run. */
export interface RunPlan {
  kind: "spectrum" | "gradient";
  n: number;
  /** Nonzero weights. */
  nnz: number;
  /** Exponents. */
  k: number;
  precision: Precision;
  kernels: "dense" | "sparse";
  /** Steps of one network's spectrum. */
  steps: { transient: number; frame: number; observed: number; total: number; qrEvery: number | "auto" };
  networks: number;
  parallel: number;
  draw: boolean;
  memory: RunMemory;
}

const ceilTo = (x: number, q: number) => Math.ceil(x / q) * q;

function memoryOf(
  kind: "spectrum" | "gradient",
  n: number,
  k: number,
  nnz: number,
  precision: Precision,
  kernels: "dense" | "sparse",
  blocks: number,
  m: number,
  parallel: number,
): RunMemory {
  const T = precision === "f64" ? 8 : 4;
  const ld = ceilTo(n, 4);
  const pw = 32 / T;
  const lanes = 16 / T;
  const network = 8 * n * n;
  const weights = ld * ld * T;
  const frame = (Math.max(k, 1) * ld + Math.max(ceilTo(k, pw) * ld, ld) +
    8 * ld + 8 * Math.max(k, 8) + 64 * Math.max(Math.ceil(k / 8), 1)) * T;
  let workspace = 5 * ld * T;
  if (kernels === "sparse") {
    const kp = ceilTo(k + 1, lanes);
    workspace += (2 * (n + 1) + 2 * nnz) * 4 + 3 * nnz * T + 2 * ld * kp * T;
  }
  let tape = 0;
  let tapeCore = 0;
  if (kind === "gradient") {
    const kmax = (k + 1) * 16;
    const adjoint = (2 * (k + 1) * ld + ceilTo(k + pw, pw) * ld + 4 * ld + k * k) * T +
      (kernels === "dense" ? (2 * ld * ld + kmax * ld + kmax * ceilTo(ld, pw)) * T : 0);
    const per = Math.max(1, Math.ceil(Math.sqrt(blocks)));
    const segments = Math.ceil(blocks / per);
    const sb = ld * T;
    const fb = k * ld * T;
    const checkpoints = segments * (sb + fb) + per * m * (sb + fb) + per * (fb + k * k * T);
    tapeCore = adjoint + checkpoints;
    tape = tapeCore + 2 * 8 * n * n; // ∂L/∂W read out of the core, then masked
  }
  const core = weights + frame + workspace + tapeCore;
  return {
    network,
    weights,
    frame,
    workspace,
    tape,
    core,
    total: parallel * (network + core + tape - tapeCore),
  };
}

/**
 * The plan of a run: its steps and memory. Throws a RangeError when an option is out of its
 * limits (those of {@linkcode checkSpectrumOptions}).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const plan = planRun({ n: 100000, options: { nle: 1 } });
 * equal(plan.memory.weights, 8e10); // W alone: 80 GB in f64
 * ```
 */
export function planRun(input: RunPlanInput): RunPlan {
  const kind = input.kind ?? "spectrum";
  const { n } = input;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`Cannot plan the run: n must be a positive integer, got ${n}`);
  }
  const s = checkSpectrumOptions(n, input.options);
  const nnz = input.nnz ?? n * n - n;
  const kernels = s.o.kernels === "auto" ? autoKernels(nnz, n, s.k) : s.o.kernels;
  const m = s.auto ? 1 : s.fixedM;
  const blocks = Math.ceil(s.transient / m) + (s.frameSteps + s.observed) / m;
  const parallel = Math.max(1, Math.min(input.parallel ?? 1, input.networks ?? 1));
  return {
    kind,
    n,
    nnz,
    k: s.k,
    precision: s.o.precision,
    kernels,
    steps: {
      transient: s.transient,
      frame: s.frameSteps,
      observed: s.observed,
      total: s.transient + s.frameSteps + s.observed,
      qrEvery: s.auto ? "auto" : s.fixedM,
    },
    networks: input.networks ?? 1,
    parallel,
    draw: input.draw ?? false,
    memory: memoryOf(kind, n, s.k, nnz, s.o.precision, kernels, blocks, m, parallel),
  };
}

/** Bytes for people, in decimal units: "80 GB", "7.2 GB", "350 MB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB", "PB"];
  let u = 0;
  while (bytes >= 1000 && u < units.length - 1) {
    bytes /= 1000;
    u++;
  }
  return `${bytes >= 100 || u === 0 ? Math.round(bytes) : bytes.toPrecision(2)} ${units[u]}`;
}

/** The largest n (≤ the planned one) whose plan fits `fits`, by bisection; 0 when none does. */
function largestFitting(plan: RunPlan, precision: Precision, fits: (p: RunPlan) => boolean): number {
  const at = (n: number) => {
    const k = Math.min(plan.k, n);
    const nnz = n * n - n;
    const m = plan.steps.qrEvery === "auto" ? 1 : plan.steps.qrEvery;
    const blocks = Math.ceil(plan.steps.transient / m) + (plan.steps.frame + plan.steps.observed) / m;
    return {
      ...plan,
      n,
      nnz,
      k,
      precision,
      memory: memoryOf(plan.kind, n, k, nnz, precision, plan.kernels, blocks, m, plan.parallel),
    };
  };
  let lo = 0;
  let hi = plan.n;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(at(mid))) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Throws a one-line RangeError when the run cannot fit: the core's memory is above
 * {@linkcode CORE_MEMORY_BYTES}, or everything is above `freeBytes` (the machine's available
 * memory, when known). The message says how much is needed, how much there is, and which n fits.
 *
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * throws(() => checkMemory(planRun({ n: 100000, options: { nle: 1 } }), 16e9), /80 GB/);
 * ```
 */
export function checkMemory(plan: RunPlan, freeBytes?: number): void {
  const { memory: mem } = plan;
  const coreOk = (p: RunPlan) => p.memory.core <= CORE_MEMORY_BYTES;
  const freeOk = (p: RunPlan) => freeBytes === undefined || p.memory.total <= freeBytes;
  if (coreOk(plan) && freeOk(plan)) return;
  const what = plan.kind === "gradient" ? "a gradient" : "a spectrum";
  const at = plan.parallel > 1 ? `, ${plan.parallel} networks at once` : "";
  const needs = `${what} of n=${plan.n} needs ${formatBytes(mem.total)} of memory${at} (W: ${
    formatBytes(mem.network)
  } for the network, ${formatBytes(mem.weights)} in the core${
    mem.tape > 0 ? `; gradient and tape ${formatBytes(mem.tape)}` : ""
  })`;
  const limits = [
    ...(freeOk(plan) ? [] : [`${formatBytes(freeBytes!)} is free`]),
    ...(coreOk(plan)
      ? []
      : [`the core holds at most ${formatBytes(CORE_MEMORY_BYTES)} (32-bit WebAssembly)`]),
  ];
  const fits = (p: RunPlan) => coreOk(p) && freeOk(p);
  const here = largestFitting(plan, plan.precision, fits);
  let fit = `n <= ${here} fits`;
  if (plan.precision === "f64") {
    const f32 = largestFitting(plan, "f32", fits);
    if (f32 > here) fit += ` (n <= ${f32} with --precision f32)`;
  }
  throw new RangeError(`Cannot start: ${needs}, but ${limits.join(" and ")}; ${fit}`);
}

/** Flops of one tangent step (state and frame) and of one QR, for the time estimate. */
function stepCost(
  n: number,
  k: number,
  nnz: number,
  kernels: "dense" | "sparse",
): { step: number; qr: number } {
  const matvec = 2 * (kernels === "sparse" ? nnz : n * n);
  return { step: matvec * (k + 1) + 10 * n * (k + 1), qr: 4 * n * k * k - (4 / 3) * k ** 3 + 10 * n * k };
}

/** The part of the core a calibration needs. */
export interface CalibrationCore {
  workspace(n: number, k: number, precision?: Precision): Workspace;
}

/** Time estimate of a run (seconds), from a calibration on a small network. */
export interface RunEstimate {
  /** All networks, divided among those computed at once. */
  seconds: number;
  /** Of one network: drawing it (random networks only). */
  draw: number;
  /** Of one network: its steps (and gradient). */
  compute: number;
  /** Neurons of the calibration network. */
  calibratedOn: number;
}

/**
 * Neurons of the calibration network: large enough for the kernels' speed (per-call costs
 * dominate small networks with few exponents), small enough for a quick QR of many exponents.
 */
const CALIBRATION_N = { fewExponents: 480, manyExponents: 160, few: 16 };
/** Milliseconds of calibration steps. */
const CALIBRATION_MS = 40;

/**
 * Estimates the time of a run: steps timed on a random network of min(n, 480) neurons (160 for more
 * than 16 exponents) with the
 * same exponents, precision and kernels for about 40 ms, scaled by the flops of a step of the
 * real size, and normals drawn for the weights of a random network. An estimate, not a promise:
 * large networks that leave the caches run slower per flop.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadCore } from "./core.ts";
 * const est = estimateRun(await loadCore(), planRun({ n: 300, options: { nle: 3, tsim: 10 } }));
 * ok(est.seconds > 0 && est.seconds < 60);
 * ```
 */
export function estimateRun(core: CalibrationCore, plan: RunPlan): RunEstimate {
  const c = CALIBRATION_N;
  const nc = Math.min(plan.n, plan.k <= c.few ? c.fewExponents : c.manyExponents);
  const kc = Math.min(plan.k, nc);
  const net = randomNetwork({ n: nc, g: 1.5, seed: 1 });
  const ws = core.workspace(nc, kc, plan.precision);
  let perStep: number;
  const m = plan.steps.qrEvery === "auto" ? 2 : plan.steps.qrEvery;
  try {
    ws.setNetwork(net, 0.1, plan.kernels);
    const rng = new Rng(1, 0);
    ws.setState(rng.fillNormal(new Float64Array(nc)));
    ws.setFrame(rng.fillNormal(new Float64Array(nc * kc)));
    ws.orthonormalize();
    for (let i = 0; i < 5; i++) ws.interval(m); // warm up (the module is optimised after a few calls)
    let steps = 0;
    const start = performance.now();
    while (performance.now() - start < CALIBRATION_MS) {
      ws.interval(m);
      steps += m;
    }
    perStep = (performance.now() - start) / 1000 / steps;
  } finally {
    ws.free();
  }
  const small = stepCost(nc, kc, nc * nc - nc, plan.kernels);
  const big = stepCost(plan.n, plan.k, plan.nnz, plan.kernels);
  const perFlop = perStep / (small.step + small.qr / m);
  const s = plan.steps;
  const stateStep = 2 * plan.n * plan.n;
  let compute = perFlop * (s.transient * stateStep + (s.frame + s.observed) * (big.step + big.qr / m));
  if (plan.kind === "gradient") compute *= 4; // forward, recomputed segments, two backward products
  let draw = 0;
  if (plan.draw) {
    const sample = new Float64Array(200_000);
    const rng = new Rng(1, 0);
    rng.fillNormal(sample.subarray(0, 20_000)); // warm up
    const start = performance.now();
    rng.fillNormal(sample);
    draw = ((performance.now() - start) / 1000) * (plan.n * plan.n / sample.length);
  }
  const rounds = Math.ceil(plan.networks / plan.parallel);
  return { seconds: rounds * (draw + compute), draw, compute, calibratedOn: nc };
}

/**
 * The plan as a few readable lines (what `--dry-run` prints): steps, memory, time estimate.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * ok(planText(planRun({ n: 100, options: { nle: 5 } })).includes("steps"));
 * ```
 */
export function planText(plan: RunPlan, estimate?: RunEstimate, freeBytes?: number): string {
  const s = plan.steps;
  const m = plan.memory;
  const many = plan.networks > 1 ? ` × ${plan.networks} networks, ${plan.parallel} at once` : "";
  const lines = [
    `${plan.kind} of n=${plan.n}, nle=${plan.k} (${plan.precision}, ${plan.kernels} kernels)${many}`,
    `steps: ${s.transient} transient + ${s.frame} frame + ${s.observed} observed = ${s.total} per network, ` +
    `QR every ${s.qrEvery}${s.qrEvery === "auto" ? "" : " steps"}`,
    `memory: ${formatBytes(m.total)} in all${
      plan.parallel > 1 ? ` (${plan.parallel} at once)` : ""
    }; per network: ` +
    `network ${formatBytes(m.network)}, core ${formatBytes(m.core)} (W ${formatBytes(m.weights)}, frame ${
      formatBytes(m.frame)
    }, workspace ${formatBytes(m.workspace)}${m.tape > 0 ? `, tape ${formatBytes(m.tape)}` : ""})` +
    (freeBytes === undefined ? "" : `; ${formatBytes(freeBytes)} free`),
  ];
  if (estimate) {
    const parts = plan.draw
      ? ` (per network: draw ${formatDuration(estimate.draw)}, compute ${formatDuration(estimate.compute)})`
      : "";
    lines.push(
      `time: about ${formatDuration(estimate.seconds)}${parts}, calibrated on n=${estimate.calibratedOn}`,
    );
  }
  return lines.join("\n");
}
