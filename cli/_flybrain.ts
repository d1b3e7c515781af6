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
  deriveSeed,
  loadConnectome,
  parseActivation,
  planParallelism,
  stringifyJson,
  type Workflow,
} from "../src/deno.ts";
import {
  CONNECTOME_DIR,
  type ConnectomeFlags,
  connectomeOptions,
  type TrainingFlags,
  trainingOptions,
} from "./_options.ts";
import { boolean } from "./_parsers.ts";
import { runTraining, sampleOptions, trainingFields, type TrainingSpec } from "./_training.ts";
import { recordedOptions, resumableOptions } from "./_workflow.ts";

/** Values of the options of the connectome training workflows. */
export interface FlybrainTrainFlags extends TrainingFlags, ConnectomeFlags {
  subpopulation?: "neurotransmitter" | "cell_fibers";
  train_weights: boolean;
}

/** Defaults of the workflows' own options. */
export const FLYBRAIN_TRAIN_DEFAULTS = Object.freeze({ train_weights: false });

/** The command of `train_flybrain_full` (pop = false) or `train_flybrain_pop` (pop = true). */
export function flybrainTrainingCommand(pop: boolean): Command {
  const name: Workflow = pop ? "train_flybrain_pop" : "train_flybrain_full";
  const cmd = connectomeOptions(
    new Command(name).description(
      pop
        ? "train gains and shifts shared per subpopulation of a connectome ROI"
        : "train the gains and shifts of every neuron of a connectome ROI",
    ),
  );
  if (pop) {
    cmd.addOption(
      new Option("--subpopulation <by>", "groups sharing gains and shifts (required)").choices([
        "neurotransmitter",
        "cell_fibers",
      ]),
    );
  }
  return trainingOptions(cmd, name, {
    samples: "trainings, each from its own initial state",
    activations: "tanh_pos | tanh_stretched",
    own: (cmd) =>
      cmd.option(
        "--train_weights <bool>",
        "also train W (zero pattern and signs kept)",
        boolean,
        FLYBRAIN_TRAIN_DEFAULTS.train_weights,
      ),
  }).action(async (flags: FlybrainTrainFlags) => {
    const { dir, samples } = await runTraining(
      await flybrainTrainingSpec(pop, flags, [name, ...Deno.args.slice(1)]),
    );
    if (flags.json) console.log(stringifyJson({ run: dir, samples }));
    console.error(`Results: ${dir}`);
  });
}

/**
 * The run of `train_flybrain_full` (pop = false) or `train_flybrain_pop` (pop = true): options
 * checked and resolved (`--resume` taking the run's own), the connectome network built.
 */
export async function flybrainTrainingSpec(
  pop: boolean,
  flags: FlybrainTrainFlags,
  command: string[],
): Promise<TrainingSpec> {
  const name: Workflow = pop ? "train_flybrain_pop" : "train_flybrain_full";
  const required: Partial<Record<keyof FlybrainTrainFlags, string>> = {
    nle: "--nle <k>",
    loss: "--loss <name>",
    activation: "--activation <name>",
  };
  if (pop) required.subpopulation = "--subpopulation <by>";
  const { o, resume } = await resumableOptions(name, flags, required);
  const act = parseActivation(o.activation!);
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
  const train = { weights: o.train_weights, gains: true, shifts: true };
  const sample = (s: number) => ({
    network,
    options: sampleOptions(o, nle, deriveSeed(o.seed, s), train, { keepSigns: true }),
  });
  const runName = `${act}_${o.roi}${pop ? `_${o.subpopulation}` : ""}_N${network.n}_lr${o.lr}_NLE${nle}` +
    `_Epochs${o.n_epochs}_${o.loss}_Tons${o.tons}_Tsim${o.tsim}_dt${o.dt}`;
  const { workers, threads } = planParallelism({
    n: network.n,
    nle,
    jobs: o.n_samples,
    threads: o.threads,
    workers: o.workers,
  });
  return {
    ...trainingFields(o, command, resume),
    workflow: name,
    runName,
    options: { ...recordedOptions(o), activation: act, neurons: network.n, types: network.typeNames },
    workers,
    threads,
    sample,
    logNle: o.log_nle ?? network.n,
  };
}
