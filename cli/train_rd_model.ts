/**
 * `flybrain train_rd_model`: train random networks (weights, gains, shifts) so that their
 * spectrum approaches a target. Each of `n_samples` samples is its own network (seeded from the
 * run seed and its index) with its own initial state, trained for `n_epochs` epochs.
 *
 * @module
 */

import { Command } from "commander";
import {
  deriveSeed,
  networkFileName,
  parseActivation,
  planParallelism,
  randomNetwork,
  sampleModelsFolder,
  stringifyJson,
} from "../src/deno.ts";
import {
  fileStem,
  type NetworkFileFlags,
  networkFileOptions,
  readNetworkFlags,
  shardOf,
  type TrainingFlags,
  trainingOptions,
  WORKFLOW_DEFAULTS,
} from "./_options.ts";
import { boolean, nonNegative, positiveInt } from "./_parsers.ts";
import { runTraining, sampleOptions, trainingFields, type TrainingSpec } from "./_training.ts";
import { recordedOptions, resumableOptions } from "./_workflow.ts";

/** Defaults of the workflow's own options (the original's). */
export const TRAIN_RD_DEFAULTS = Object.freeze({
  g: 1,
  train_weights: true,
  train_shifts: false,
  train_gains: false,
});

/** Values of the options of `train_rd_model`. */
export interface TrainRdFlags extends TrainingFlags, NetworkFileFlags {
  n: number;
  g: number;
  train_weights: boolean;
  train_shifts: boolean;
  train_gains: boolean;
  n_train_weights?: number;
  n_train_gains?: number;
  n_train_shifts?: number;
}

const d = TRAIN_RD_DEFAULTS;

/** The `train_rd_model` command. */
export const trainRdCommand = trainingOptions(
  new Command("train_rd_model")
    .description("train random networks towards a target spectrum")
    .option("--n <n>", "neurons", positiveInt, WORKFLOW_DEFAULTS.n),
  "train_rd_model",
  {
    samples: "independent trainings (each its own network and initial state)",
    activations: "tanh | tanh_pos | tanh_stretched",
    own: (cmd) =>
      networkFileOptions(cmd, "random networks (each sample then trains a copy of the file's network)")
        .option("--g <g>", "coupling of the initial weights, N(0, g²/n)", nonNegative, d.g)
        .option("--train_weights <bool>", "train the weights", boolean, d.train_weights)
        .option("--train_shifts <bool>", "train the shifts", boolean, d.train_shifts)
        .option("--train_gains <bool>", "train the gains", boolean, d.train_gains)
        .option("--n_train_weights <m>", "train only m randomly chosen weights", positiveInt)
        .option("--n_train_gains <m>", "train only m randomly chosen gains", positiveInt)
        .option("--n_train_shifts <m>", "train only m randomly chosen shifts", positiveInt),
  },
).action(async (opts: TrainRdFlags) => {
  const result = await runTrainRd(opts, ["train_rd_model", ...Deno.args.slice(1)]);
  if (opts.json) console.log(stringifyJson(result));
  console.error(`Results: ${result.run}`);
});

/** Runs (or resumes) the workflow, or a shard of it; returns the folder of its tables and each sample's last epoch. */
export async function runTrainRd(opts: TrainRdFlags, command: string[]) {
  const { dir, samples } = await runTraining(await trainRdSpec(opts, command));
  return { run: dir, samples };
}

/**
 * The run of the workflow (options checked and resolved, `--resume` taking the run's own), its
 * samples drawn only when trained.
 */
export async function trainRdSpec(opts: TrainRdFlags, command: string[]): Promise<TrainingSpec> {
  const { o, resume } = await resumableOptions("train_rd_model", opts, {
    nle: "--nle <k>",
    loss: "--loss <name>",
    activation: "--activation <name>",
  });
  const nle = o.nle!;
  const shard = shardOf(o);
  // A resumed run takes the file's network from its own copy (epoch 0 of sample 0), not the file;
  // a shard reads the file, as every other shard of its run.
  const base = (await readNetworkFlags(
    resume === undefined || o.network === undefined || shard !== undefined
      ? o
      : { network: `${sampleModelsFolder(resume, 0)}/${networkFileName(0)}` },
    o.activation!,
  ))?.network;
  const n = base?.n ?? o.n;
  const act = base?.activation ?? parseActivation(o.activation!);
  const train = { weights: o.train_weights, gains: o.train_gains, shifts: o.train_shifts };
  const { workers, threads } = planParallelism({
    n,
    nle,
    jobs: o.n_samples,
    threads: o.threads,
    workers: o.workers,
  });
  const sample = (s: number) => {
    const sampleSeed = deriveSeed(o.seed, s);
    const options = sampleOptions(o, nle, sampleSeed, train, {
      masks: { weights: o.n_train_weights, gains: o.n_train_gains, shifts: o.n_train_shifts },
      maskSeed: sampleSeed,
    });
    const network = base === undefined
      ? randomNetwork({ n, g: o.g, seed: sampleSeed, activation: act })
      : { ...base, weights: base.weights.slice(), gains: base.gains.slice(), shifts: base.shifts.slice() };
    return { network, options };
  };
  const runName = `${act}_Weights${train.weights}_Shifts${train.shifts}_Gains${train.gains}_N${n}_lr${o.lr}` +
    `_NLE${nle}_Epochs${o.n_epochs}_${o.loss}_g${o.g}_Tons${o.tons}_Tsim${o.tsim}_dt${o.dt}` +
    (o.network === undefined ? "" : `_${fileStem(o.network)}`);
  return {
    ...trainingFields(o, command, resume),
    workflow: "train_rd_model",
    runName,
    options: { ...recordedOptions(o), activation: act },
    workers,
    threads,
    sample,
    logNle: o.log_nle ?? n,
  };
}
