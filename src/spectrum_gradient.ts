/**
 * Exact gradients of a loss on the Lyapunov spectrum with respect to the weights, gains and
 * shifts, by the hand-written adjoint of the core (docs/design.md#6-gradients-and-adjoint-checkpointing).
 *
 * @module
 */

import { checkUsesGainsAndShifts } from "./activation.ts";
import { type LossName, spectrumLoss } from "./losses.ts";
import {
  checkSpectrumOptions,
  type LyapunovSpectrumOptions,
  planSpectrum,
  type SpectrumSettings,
  startWorkspace,
  type WorkspaceFactory,
} from "./lyapunov_spectrum.ts";
import type { Network } from "./network.ts";

/** Which parameters are trained (and so get a gradient). */
export interface TrainSelection {
  /** The existing connections of W (zero entries stay zero). */
  weights?: boolean;
  /** Gains, per type (per neuron without types). */
  gains?: boolean;
  /** Shifts, per type (per neuron without types). */
  shifts?: boolean;
}

/** Options of {@linkcode spectrumGradient}: the spectrum's options, what to train, the target. */
export interface SpectrumGradientOptions extends Omit<LyapunovSpectrumOptions, "history"> {
  /** Parameters to differentiate. */
  train: TrainSelection;
  /** Target value c of `l2` and `MSE`. @default {0} */
  target?: number;
}

/** Defaults of {@linkcode SpectrumGradientOptions} beyond the spectrum's. */
export const GRADIENT_DEFAULTS = Object.freeze({ target: 0 });

/**
 * Checks the options of a gradient for a network with n neurons and this activation (what is
 * trained, a fixed tons, and the spectrum's options); throws a RangeError naming the first bad
 * one. Lets a caller refuse bad options before it builds anything.
 *
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * throws(() => checkGradientOptions({ n: 5, activation: "tanh" }, { train: { gains: true } }), /ignores them/);
 * ```
 */
export function checkGradientOptions(
  net: Pick<Network, "n" | "activation">,
  options: SpectrumGradientOptions,
): SpectrumSettings {
  const train = options.train ?? {};
  if (!train.weights && !train.gains && !train.shifts) {
    throw new RangeError("Cannot compute a gradient: train at least one of weights, gains, shifts");
  }
  if (train.gains || train.shifts) checkUsesGainsAndShifts(net.activation, "train");
  const settings = checkSpectrumOptions(net.n, options);
  if (settings.auto) throw new RangeError('Cannot compute a gradient with tons "auto": give a fixed tons');
  return settings;
}

/** Result of {@linkcode spectrumGradient}. */
export interface SpectrumGradient {
  /** The loss (minimised; −S for Sinai). */
  loss: number;
  /** The exponents, as lyapunovSpectrum gives them for the same options. */
  exponents: Float64Array;
  /** ∂loss/∂parameter for the trained parts: weights n×n row-major (0 where W is 0), gains and shifts per type. */
  grad: { weights?: Float64Array; gains?: Float64Array; shifts?: Float64Array };
  /** The kernels used (see the `kernels` option). */
  kernels: "dense" | "sparse";
  /** Bytes of checkpoints and tape (beside the workspace's O(n²) buffers). */
  tapeBytes: number;
  /** Compute time of the spectrum and the gradient, in seconds. */
  seconds: number;
}

interface Block {
  phase: "transient" | "frame" | "observed";
  steps: number;
}

/**
 * The loss of the spectrum of `net` and its exact gradient (the derivative of the computed
 * spectrum, through every step of all three phases and every QR).
 *
 * Algorithm: one forward pass stores the state and frame every c blocks (c ≈ √blocks, a block
 * being one QR interval, or m transient steps); the backward pass recomputes each segment
 * from its checkpoint, recording every step, then walks it backwards through the core's
 * adjoint kernels. Memory beyond the workspace: (√B + c·m)·n·(k + 1) values for B blocks of
 * m steps, that is O(n·k·√steps), never O(n·k·steps). Cost: about four forward passes.
 * Needs a fixed `tons`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { loadCore, randomNetwork } from "./mod.ts";
 * const core = await loadCore();
 * const net = randomNetwork({ n: 20, g: 1.5, seed: 1 });
 * const res = core.spectrumGradient(net, "MSE", { nle: 3, tsim: 10, train: { weights: true } });
 * equal(res.grad.weights!.length, 400);
 * ```
 */
export function spectrumGradient(
  factory: WorkspaceFactory,
  net: Network,
  loss: LossName,
  options: SpectrumGradientOptions,
): SpectrumGradient {
  checkGradientOptions(net, options);
  const train = options.train;
  const plan = planSpectrum(net, options);
  const { k, fixedM: m, o } = plan;
  const dt = o.dt;
  const blocks: Block[] = [];
  for (let s = 0; s < plan.transient; s += m) {
    blocks.push({ phase: "transient", steps: Math.min(m, plan.transient - s) });
  }
  for (let s = 0; s < plan.frameSteps; s += m) blocks.push({ phase: "frame", steps: m });
  for (let s = 0; s < plan.observed; s += m) blocks.push({ phase: "observed", steps: m });
  const per = Math.max(1, Math.ceil(Math.sqrt(blocks.length)));
  const segments = Math.ceil(blocks.length / per);

  const start = performance.now();
  const ws = startWorkspace(factory, net, plan);
  const allocations: number[] = [];
  try {
    const sb = ws.stateBytes;
    const fb = ws.frameBytes;
    const rb = k * k * ws.elementBytes;
    const alloc = (bytes: number) => {
      const ptr = ws.alloc(Math.max(bytes, 16));
      allocations.push(ptr);
      return ptr;
    };
    const checkpoints = alloc(segments * (sb + fb));
    const tapeSteps = alloc(per * m * (sb + fb));
    const tapeQR = alloc(per * (fb + rb));
    const cs = alloc(8 * k);
    const zeros = alloc(8 * k);
    ws.f64View(zeros, k).fill(0);
    const tapeBytes = segments * (sb + fb) + per * m * (sb + fb) + per * (fb + rb);

    // Progress in steps: the forward pass, then each segment recomputed and reversed.
    const stepsOf = (b0: number, b1: number) => blocks.slice(b0, b1).reduce((sum, x) => sum + x.steps, 0);
    const steps = stepsOf(0, blocks.length);
    let done = 0;
    const report = (stepsDone: number) => {
      done += stepsDone;
      options.onProgress?.({ done, total: 3 * steps });
    };
    report(0);
    // Forward, keeping a checkpoint at the start of every segment.
    const sums = new Float64Array(k);
    blocks.forEach((block, b) => {
      if (b % per === 0 && b > 0) report(stepsOf(b - per, b));
      if (b % per === 0) {
        const at = checkpoints + (b / per) * (sb + fb);
        ws.copyState(at, true);
        ws.copyFrame(at + sb, true);
      }
      if (block.phase === "transient") ws.stateSteps(block.steps);
      else {
        const logs = ws.interval(block.steps);
        if (block.phase === "observed") { for (let j = 0; j < k; j++) sums[j] += logs[j]; }
      }
    });
    const time = plan.observed * dt;
    const exponents = sums.map((x) => x / time);
    const value = spectrumLoss(loss, exponents, options.target ?? GRADIENT_DEFAULTS.target);
    ws.f64View(cs, k).set(value.gradient.map((g) => g / time));

    report(stepsOf(Math.floor((blocks.length - 1) / per) * per, blocks.length));
    // Backward, segment by segment: recompute from the checkpoint with a tape, then reverse.
    ws.adjointBegin();
    for (let seg = segments - 1; seg >= 0; seg--) {
      const at = checkpoints + seg * (sb + fb);
      ws.copyState(at, false);
      ws.copyFrame(at + sb, false);
      const b0 = seg * per;
      const b1 = Math.min(blocks.length, b0 + per);
      let step = 0;
      let qr = 0;
      for (let b = b0; b < b1; b++) {
        const tangent = blocks[b].phase !== "transient";
        for (let s = 0; s < blocks[b].steps; s++, step++) {
          const slot = tapeSteps + step * (sb + fb);
          ws.copyState(slot, true);
          if (tangent) {
            ws.copyFrame(slot + sb, true);
            ws.tangentSteps(1);
          } else ws.stateSteps(1);
        }
        if (tangent) {
          const slot = tapeQR + qr * (fb + rb);
          ws.orthonormalize(slot + fb);
          ws.copyFrame(slot, true);
          qr++;
        }
      }
      for (let b = b1 - 1; b >= b0; b--) {
        const tangent = blocks[b].phase !== "transient";
        if (tangent) {
          qr--;
          const slot = tapeQR + qr * (fb + rb);
          ws.adjointQR(slot, slot + fb, blocks[b].phase === "observed" ? cs : zeros);
        }
        for (let s = 0; s < blocks[b].steps; s++) {
          step--;
          const slot = tapeSteps + step * (sb + fb);
          ws.adjointStep(slot, slot + sb, tangent);
        }
      }
      report(2 * stepsOf(b0, b1));
    }

    const raw = ws.adjointGradients();
    const grad: SpectrumGradient["grad"] = {};
    if (train.weights) grad.weights = raw.weights.map((g, i) => (net.weights[i] === 0 ? 0 : g));
    if (train.gains) grad.gains = perType(net, raw.gains);
    if (train.shifts) grad.shifts = perType(net, raw.shifts);
    return {
      loss: value.value,
      exponents,
      grad,
      kernels: ws.kernels,
      tapeBytes,
      seconds: (performance.now() - start) / 1000,
    };
  } finally {
    for (const ptr of allocations) ws.release(ptr);
    ws.free();
  }
}

/** Sums per-neuron gradients over each type (identity without types). */
function perType(net: Network, perNeuron: Float64Array): Float64Array {
  if (net.types === undefined) return perNeuron;
  const out = new Float64Array(net.gains.length);
  for (let i = 0; i < net.n; i++) out[net.types[i]] += perNeuron[i];
  return out;
}
