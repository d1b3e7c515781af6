/**
 * Training of weights, gains and shifts towards a target spectrum
 * (docs/design.md#7-training-and-resume): exact gradients from the core, per-part gradient-norm
 * clipping, optional masks that train only M randomly chosen parameters, and Adam. The state of a training (network, optimiser, masks,
 * epoch) is plain data: a checkpoint restores it exactly, so a resumed run ends where an
 * uninterrupted one does.
 *
 * @module
 */

import type { Core } from "./core.ts";
import type { GradientJob } from "./jobs.ts";
import type { LossName } from "./losses.ts";
import type { Network } from "./network.ts";
import { Rng, STREAMS } from "./random.ts";
import {
  checkGradientOptions,
  type SpectrumGradient,
  type SpectrumGradientOptions,
  type TrainSelection,
} from "./spectrum_gradient.ts";

/** The trainable parts of a network. */
export type Part = "weights" | "gains" | "shifts";

const PARTS: readonly Part[] = ["weights", "gains", "shifts"];

/** Options of a training. */
export interface TrainOptions extends Omit<SpectrumGradientOptions, "train"> {
  /** Loss on the spectrum. */
  loss: LossName;
  /** Parts trained. */
  train: TrainSelection;
  /** Adam learning rate. @default {0.001} */
  lr?: number;
  /** Largest gradient norm of each part (larger ones are scaled down). @default {2000} */
  clip?: number;
  /** Train only this many randomly chosen entries of a part (weights: among the existing connections). */
  masks?: Partial<Record<Part, number>>;
  /** Seed of the masks. @default {0} */
  maskSeed?: number;
  /** Keep every weight's sign (Dale's law): a weight that would cross zero stops at zero. @default {false} */
  keepSigns?: boolean;
}

/** Defaults of {@linkcode TrainOptions}. */
export const TRAIN_DEFAULTS = Object.freeze({ lr: 0.001, clip: 2000, maskSeed: 0, keepSigns: false });

/** Adam's moments of one part. */
interface Moments {
  m: Float64Array;
  v: Float64Array;
}

/** What one epoch did. */
export interface EpochLog {
  /** Epochs completed after this one (1 for the first). */
  epoch: number;
  /** Loss before the update. */
  loss: number;
  /** Largest exponent before the update. */
  lambdaMax: number;
  /** Exponents before the update. */
  exponents: Float64Array;
  /** Gradient norm of each trained part, after clipping and masking. */
  gradNorm: Partial<Record<Part, number>>;
  /** Compute time of the spectrum and gradient. */
  seconds: number;
}

/** A checkpoint: everything needed to continue a training exactly (JSON-serialisable). */
export interface TrainCheckpoint {
  epoch: number;
  step: number;
  weights: number[];
  gains: number[];
  shifts: number[];
  moments: Partial<Record<Part, { m: number[]; v: number[] }>>;
  masks: Partial<Record<Part, number[]>>;
}

/** Euclidean norm. */
function euclidean(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** Adam's decay rates of the moments and the term that keeps the step finite (Kingma & Ba 2015's values). */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/** One training: a network and its optimiser, advanced one epoch at a time. */
export class Trainer {
  /** The network being trained (updated in place). */
  readonly network: Network;
  /** The options. */
  readonly options: TrainOptions;
  #epoch = 0;
  #step = 0;
  #moments: Partial<Record<Part, Moments>> = {};
  #masks: Partial<Record<Part, Uint8Array>> = {};
  #signs: Int8Array;

  /**
   * Starts a training of `network` (copied), or continues one from a checkpoint. Throws a
   * RangeError when the options cannot give a gradient (see {@linkcode checkGradientOptions}).
   */
  constructor(network: Network, options: TrainOptions, checkpoint?: TrainCheckpoint) {
    checkGradientOptions(network, options);
    this.options = options;
    this.network = {
      ...network,
      weights: Float64Array.from(network.weights),
      gains: Float64Array.from(network.gains),
      shifts: Float64Array.from(network.shifts),
    };
    this.#signs = Int8Array.from(network.weights, Math.sign);
    for (const part of this.#parts()) {
      const size = this.network[part].length;
      this.#moments[part] = { m: new Float64Array(size), v: new Float64Array(size) };
      const count = options.masks?.[part];
      if (count !== undefined) this.#masks[part] = this.#drawMask(part, count);
    }
    if (checkpoint) this.#restore(checkpoint);
  }

  /** Epochs completed. */
  get epoch(): number {
    return this.#epoch;
  }

  #parts(): Part[] {
    return PARTS.filter((p) => this.options.train[p]);
  }

  #drawMask(part: Part, count: number): Uint8Array {
    const values = this.network[part];
    const candidates = Array.from(values.keys()).filter((i) => part !== "weights" || values[i] !== 0);
    if (!Number.isInteger(count) || count < 0 || count > candidates.length) {
      throw new RangeError(
        `Cannot train ${count} ${part}: expected an integer between 0 and ${candidates.length} (the ${part} there are)`,
      );
    }
    // Partial Fisher–Yates from the mask stream of the seed: the first `count` candidates.
    const rng = new Rng(this.options.maskSeed ?? TRAIN_DEFAULTS.maskSeed, STREAMS.mask + PARTS.indexOf(part));
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(rng.uniform() * (candidates.length - i));
      [candidates[i], candidates[j]] = [candidates[j], candidates[i]];
    }
    const mask = new Uint8Array(values.length);
    for (let i = 0; i < count; i++) mask[candidates[i]] = 1;
    return mask;
  }

  /** The gradient job of the current epoch (for a worker, or {@linkcode Core.spectrumGradient}). */
  gradientJob(): GradientJob {
    const { loss, train, lr: _lr, clip: _clip, masks: _m, maskSeed: _s, keepSigns: _k, ...options } =
      this.options;
    return { kind: "gradient", network: this.network, loss, options: { ...options, train } };
  }

  /** Applies the gradient of the current epoch: clip, mask, Adam step; returns the epoch's log. */
  apply(result: SpectrumGradient): EpochLog {
    const clip = this.options.clip ?? TRAIN_DEFAULTS.clip;
    const lr = this.options.lr ?? TRAIN_DEFAULTS.lr;
    const gradNorm: EpochLog["gradNorm"] = {};
    this.#step++;
    const c1 = 1 - BETA1 ** this.#step;
    const c2 = 1 - BETA2 ** this.#step;
    for (const part of this.#parts()) {
      const g = Float64Array.from(result.grad[part]!);
      let norm = euclidean(g);
      if (norm > clip) {
        const f = clip / norm;
        for (let i = 0; i < g.length; i++) g[i] *= f;
      }
      const mask = this.#masks[part];
      if (mask) { for (let i = 0; i < g.length; i++) g[i] *= mask[i]; }
      norm = euclidean(g);
      gradNorm[part] = norm;
      const { m, v } = this.#moments[part]!;
      const p = this.network[part];
      for (let i = 0; i < p.length; i++) {
        m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
        v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
        p[i] -= (lr / c1) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(c2) + EPS);
      }
      if (part === "weights") {
        for (let i = 0; i < p.length; i++) {
          if (this.#signs[i] === 0) p[i] = 0;
          else if (this.options.keepSigns && Math.sign(p[i]) !== this.#signs[i]) p[i] = 0;
        }
      }
    }
    this.#epoch++;
    return {
      epoch: this.#epoch,
      loss: result.loss,
      lambdaMax: result.exponents.reduce((a, b) => Math.max(a, b), -Infinity),
      exponents: result.exponents,
      gradNorm,
      seconds: result.seconds,
    };
  }

  /** A checkpoint of the current state. */
  checkpoint(): TrainCheckpoint {
    const moments: TrainCheckpoint["moments"] = {};
    const masks: TrainCheckpoint["masks"] = {};
    for (const part of this.#parts()) {
      const { m, v } = this.#moments[part]!;
      moments[part] = { m: Array.from(m), v: Array.from(v) };
      const mask = this.#masks[part];
      if (mask) masks[part] = Array.from(mask.keys()).filter((i) => mask[i] === 1);
    }
    return {
      epoch: this.#epoch,
      step: this.#step,
      weights: Array.from(this.network.weights),
      gains: Array.from(this.network.gains),
      shifts: Array.from(this.network.shifts),
      moments,
      masks,
    };
  }

  #restore(c: TrainCheckpoint): void {
    const n = this.network;
    if (c.weights.length !== n.weights.length || c.gains.length !== n.gains.length) {
      throw new RangeError("Cannot resume: the checkpoint does not match the network's size");
    }
    this.#epoch = c.epoch;
    this.#step = c.step;
    n.weights.set(c.weights);
    n.gains.set(c.gains);
    n.shifts.set(c.shifts);
    for (const part of this.#parts()) {
      const saved = c.moments[part];
      if (!saved) throw new RangeError(`Cannot resume: the checkpoint has no optimiser state for ${part}`);
      this.#moments[part] = { m: Float64Array.from(saved.m), v: Float64Array.from(saved.v) };
      const mask = c.masks[part];
      if (mask) {
        const m = new Uint8Array(n[part].length);
        for (const i of mask) m[i] = 1;
        this.#masks[part] = m;
      }
    }
  }
}

/**
 * Trains `net` for `epochs` epochs on one core, yielding each epoch's log (the trainer's
 * network holds the current parameters).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadCore, randomNetwork } from "./mod.ts";
 * const core = await loadCore();
 * const trainer = new Trainer(randomNetwork({ n: 10, seed: 1 }), { loss: "MSE", nle: 2, tsim: 5, train: { weights: true } });
 * for await (const log of train(core, trainer, 2)) ok(log.loss >= 0);
 * ```
 */
export async function* train(core: Core, trainer: Trainer, epochs: number): AsyncGenerator<EpochLog> {
  while (trainer.epoch < epochs) {
    const job = trainer.gradientJob();
    yield trainer.apply(core.spectrumGradient(job.network, job.loss, job.options));
    await Promise.resolve();
  }
}
