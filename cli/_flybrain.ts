/**
 * The two connectome training workflows: gains and shifts of a ROI network trained towards a
 * target spectrum, per neuron (`train_flybrain_full`) or per subpopulation
 * (`train_flybrain_pop`). The network is the same for every sample; each sample draws its own
 * initial state and frame. With `--train_weights true` the weights train too, keeping their
 * zero pattern and Dale's-law signs.
 *
 * @module
 */

import { Command, Option } from "commander";
import {
  defaultWorkers,
  deriveSeed,
  loadConnectome,
  type LossName,
  parseActivation,
  SPECTRUM_DEFAULTS,
  TRAIN_DEFAULTS,
} from "../src/mod.ts";
import {
  activation,
  boolean,
  CONNECTOME_DIR,
  type ConnectomeFlags,
  connectomeOptions,
  loss,
  nonNegative,
  number,
  positiveInt,
  type RunFlags,
  runOptions,
  seed,
} from "./_options.ts";
import { recordedOptions, runTraining, sampleOptions, trainingOptions } from "./_training.ts";

/** Values of the options of the connectome training workflows. */
export interface FlybrainTrainFlags extends RunFlags, ConnectomeFlags {
  n_samples: number;
  nle?: number;
  loss?: LossName;
  activation?: string;
  subpopulation?: "neurotransmitter" | "cell_fibers";
  target: number;
  tons: number;
  tsim: number;
  dt: number;
  ttr: number;
  tframe: number;
  n_epochs: number;
  lr: number;
  train_weights: boolean;
  seed: number;
  log_every: number;
  log_nle?: number;
  clip: number;
  resume?: string;
}

/** The command of `train_flybrain_full` (pop = false) or `train_flybrain_pop` (pop = true). */
export function flybrainTrainingCommand(pop: boolean): Command {
  const name = pop ? "train_flybrain_pop" : "train_flybrain_full";
  let cmd = connectomeOptions(
    new Command(name).description(
      pop
        ? "train gains and shifts shared per subpopulation of a connectome ROI"
        : "train the gains and shifts of every neuron of a connectome ROI",
    ),
  );
  if (pop) {
    cmd = cmd.addOption(
      new Option("--subpopulation <by>", "groups sharing gains and shifts (required)").choices([
        "neurotransmitter",
        "cell_fibers",
      ]),
    );
  }
  cmd = cmd
    .option("--n_samples <k>", "trainings, each from its own initial state", positiveInt, 1)
    .option("--nle <k>", "exponents in the loss (required)", positiveInt)
    .option("--loss <name>", "l2 | MSE | MSE_Custom | Sinai (required)", loss)
    .option("--activation <name>", "tanh_pos | tanh_stretched (required)", activation)
    .option("--target <c>", "target exponent", number, 0)
    .option("--tons <t>", "time between QRs", number, 0.2)
    .option("--tsim <t>", "observation time", number, 200)
    .option("--dt <dt>", "time step", number, SPECTRUM_DEFAULTS.dt)
    .option("--ttr <t>", "state transient", nonNegative, SPECTRUM_DEFAULTS.ttr)
    .option("--tframe <t>", "frame transient", nonNegative, SPECTRUM_DEFAULTS.tframe)
    .option("--n_epochs <e>", "epochs", positiveInt, 10)
    .option("--lr <lr>", "Adam learning rate", number, TRAIN_DEFAULTS.lr)
    .option("--train_weights <bool>", "also train W (zero pattern and signs kept)", boolean, false)
    .option("--seed <seed>", "run seed (initial states)", seed, 0)
    .option("--log_every <e>", "spectra, models and checkpoint every e epochs", positiveInt, 10)
    .option("--log_nle <k>", "exponents of the logged spectra (default: n)", positiveInt)
    .option("--clip <c>", "largest gradient norm per part", number, TRAIN_DEFAULTS.clip)
    .option("--resume <run>", `continue this run (name under <out>/logs/${name}/, or its folder)`);
  return runOptions(cmd).action(async (flags: FlybrainTrainFlags) => {
    const required: Partial<Record<keyof FlybrainTrainFlags, string>> = {
      nle: "--nle <k>",
      loss: "--loss <name>",
      activation: "--activation <name>",
    };
    if (pop) required.subpopulation = "--subpopulation <by>";
    const { o, resume } = await trainingOptions(name, flags, required);
    const act = parseActivation(o.activation!);
    if (act === "tanh") throw new RangeError("Cannot train gains and shifts of tanh, which ignores them");
    const network = loadConnectome(CONNECTOME_DIR, {
      roi: o.roi,
      unknownSign: o.unknown_sign,
      scc: o.scc,
      normalize: o.normalize,
      scale: o.scale,
      subpopulation: pop ? o.subpopulation : "none",
      activation: act,
    });
    const nle = o.nle!;
    if (nle > network.n) throw new RangeError(`nle must be at most n = ${network.n} (${o.roi}), got ${nle}`);
    const samples = Array.from({ length: o.n_samples }, (_, s) => {
      const train = { weights: o.train_weights, gains: true, shifts: true };
      const options = sampleOptions(o, nle, deriveSeed(o.seed, s), train, { keepSigns: true });
      return { network, options };
    });
    const runName = `${act}_${o.roi}${pop ? `_${o.subpopulation}` : ""}_N${network.n}_lr${o.lr}_NLE${nle}` +
      `_Epochs${o.n_epochs}_${o.loss}_Tons${o.tons}_Tsim${o.tsim}_dt${o.dt}`;
    const workers = o.workers ?? defaultWorkers();
    const { dir, last } = await runTraining({
      workflow: name,
      runName,
      root: o.out,
      command: [name, ...Deno.args.slice(1)],
      options: { ...recordedOptions(o), activation: act, neurons: network.n, types: network.typeNames },
      seed: o.seed,
      workers,
      samples,
      epochs: o.n_epochs,
      logEvery: o.log_every,
      logNle: o.log_nle ?? network.n,
      resume,
    });
    const summary = last.map((log, sample) => ({
      sample,
      epoch: log.epoch,
      loss: log.loss,
      lambdaMax: log.lambdaMax,
    }));
    if (o.json) console.log(JSON.stringify({ run: dir, samples: summary }));
    console.error(`Results: ${dir}`);
  });
}
