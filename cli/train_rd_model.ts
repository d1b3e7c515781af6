/**
 * `flybrain train_rd_model`: train random networks (weights, gains, shifts) so that their
 * spectrum approaches a target. Each of `n_samples` samples is its own network (seeded from the
 * run seed and its index) with its own initial state, trained for `n_epochs` epochs.
 *
 * @module
 */

import { Command } from "commander";
import {
  defaultWorkers,
  deriveSeed,
  type LossName,
  parseActivation,
  randomNetwork,
  SPECTRUM_DEFAULTS,
  TRAIN_DEFAULTS,
} from "../src/mod.ts";
import {
  activation,
  boolean,
  loss,
  nonNegative,
  number,
  positiveInt,
  type RunFlags,
  runOptions,
  seed,
} from "./_options.ts";
import { recordedOptions, runTraining, sampleOptions, trainingOptions } from "./_training.ts";

/** Defaults of the workflow (the original's). */
export const TRAIN_RD_DEFAULTS = Object.freeze({
  n: 100,
  n_samples: 1,
  target: 0,
  tons: 0.2,
  tsim: 200,
  g: 1,
  n_epochs: 10,
  lr: TRAIN_DEFAULTS.lr,
  train_weights: true,
  train_shifts: false,
  train_gains: false,
  seed: 0,
  log_every: 10,
  clip: TRAIN_DEFAULTS.clip,
});

/** Values of the options of `train_rd_model`. */
export interface TrainRdFlags extends RunFlags {
  n: number;
  n_samples: number;
  nle?: number;
  loss?: LossName;
  activation?: string;
  target: number;
  tons: number;
  tsim: number;
  dt: number;
  ttr: number;
  tframe: number;
  g: number;
  n_epochs: number;
  lr: number;
  train_weights: boolean;
  train_shifts: boolean;
  train_gains: boolean;
  seed: number;
  log_every: number;
  log_nle?: number;
  clip: number;
  resume?: string;
  n_train_weights?: number;
  n_train_gains?: number;
  n_train_shifts?: number;
}

const d = TRAIN_RD_DEFAULTS;

/** The `train_rd_model` command. */
export const trainRdCommand = runOptions(
  new Command("train_rd_model")
    .description("train random networks towards a target spectrum")
    .option("--n <n>", "neurons", positiveInt, d.n)
    .option(
      "--n_samples <k>",
      "independent trainings (each its own network and initial state)",
      positiveInt,
      d.n_samples,
    )
    .option("--nle <k>", "exponents in the loss (required)", positiveInt)
    .option("--loss <name>", "l2 | MSE | MSE_Custom | Sinai (maximised) (required)", loss)
    .option("--activation <name>", "tanh | tanh_pos | tanh_stretched (required)", activation)
    .option("--target <c>", "target exponent of l2 and MSE", number, d.target)
    .option("--tons <t>", "time between QRs", number, d.tons)
    .option("--tsim <t>", "observation time", number, d.tsim)
    .option("--dt <dt>", "time step", number, SPECTRUM_DEFAULTS.dt)
    .option("--ttr <t>", "state transient", nonNegative, SPECTRUM_DEFAULTS.ttr)
    .option("--tframe <t>", "frame transient", nonNegative, SPECTRUM_DEFAULTS.tframe)
    .option("--g <g>", "coupling of the initial weights, N(0, g²/n)", nonNegative, d.g)
    .option("--n_epochs <e>", "epochs", positiveInt, d.n_epochs)
    .option("--lr <lr>", "Adam learning rate", number, d.lr)
    .option("--train_weights <bool>", "train the weights", boolean, d.train_weights)
    .option("--train_shifts <bool>", "train the shifts", boolean, d.train_shifts)
    .option("--train_gains <bool>", "train the gains", boolean, d.train_gains)
    .option("--n_train_weights <m>", "train only m randomly chosen weights", positiveInt)
    .option("--n_train_gains <m>", "train only m randomly chosen gains", positiveInt)
    .option("--n_train_shifts <m>", "train only m randomly chosen shifts", positiveInt)
    .option("--seed <seed>", "run seed", seed, d.seed)
    .option("--log_every <e>", "spectra, models and checkpoint every e epochs", positiveInt, d.log_every)
    .option("--log_nle <k>", "exponents of the logged spectra (default: n)", positiveInt)
    .option("--clip <c>", "largest gradient norm per part", number, d.clip)
    .option("--resume <run>", "continue this run (name under <out>/logs/train_rd_model/, or its folder)"),
).action(async (opts: TrainRdFlags) => {
  const result = await runTrainRd(opts, ["train_rd_model", ...Deno.args.slice(1)]);
  if (opts.json) console.log(JSON.stringify(result));
  console.error(`Results: ${result.run}`);
});

/** Runs (or resumes) the workflow; returns the run folder and each sample's last epoch. */
export async function runTrainRd(opts: TrainRdFlags, command: string[]) {
  const { o, resume } = await trainingOptions("train_rd_model", opts, {
    nle: "--nle <k>",
    loss: "--loss <name>",
    activation: "--activation <name>",
  });
  const nle = o.nle!;
  if (nle > o.n) throw new RangeError(`nle must be at most n, got nle=${nle}, n=${o.n}`);
  const act = parseActivation(o.activation!);
  if ((o.train_gains || o.train_shifts) && act === "tanh") {
    throw new RangeError("Cannot train gains or shifts of the tanh activation, which ignores them");
  }
  const train = { weights: o.train_weights, gains: o.train_gains, shifts: o.train_shifts };
  const workers = o.workers ?? defaultWorkers();
  const samples = Array.from({ length: o.n_samples }, (_, s) => {
    const sampleSeed = deriveSeed(o.seed, s);
    const options = sampleOptions(o, nle, sampleSeed, train, {
      masks: { weights: o.n_train_weights, gains: o.n_train_gains, shifts: o.n_train_shifts },
      maskSeed: sampleSeed,
    });
    return { network: randomNetwork({ n: o.n, g: o.g, seed: sampleSeed, activation: act }), options };
  });
  const runName =
    `${act}_Weights${train.weights}_Shifts${train.shifts}_Gains${train.gains}_N${o.n}_lr${o.lr}` +
    `_NLE${nle}_Epochs${o.n_epochs}_${o.loss}_g${o.g}_Tons${o.tons}_Tsim${o.tsim}_dt${o.dt}`;
  const { dir, last } = await runTraining({
    workflow: "train_rd_model",
    runName,
    root: o.out,
    command,
    options: { ...recordedOptions(o), activation: act },
    seed: o.seed,
    workers,
    samples,
    epochs: o.n_epochs,
    logEvery: o.log_every,
    logNle: o.log_nle ?? o.n,
    resume,
  });
  return {
    run: dir,
    samples: last.map((log, sample) => ({
      sample,
      epoch: log.epoch,
      loss: log.loss,
      lambdaMax: log.lambdaMax,
    })),
  };
}
