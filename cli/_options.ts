/**
 * The option groups of the commands, one per concept: the network, the spectrum, a training,
 * a workflow's output, a connectome. Each option is declared here once; defaults come from
 * the library's `*_DEFAULTS`, or from {@linkcode WORKFLOW_DEFAULTS} for the workflows' own.
 *
 * @module
 */

import { type Command, Option } from "commander";
import {
  ACTIVATION_ALIASES,
  CONNECTOME_DEFAULTS,
  GRADIENT_DEFAULTS,
  logsPath,
  type LossName,
  type LyapunovSpectrumOptions,
  modelsPath,
  type Network,
  type NetworkFile,
  type NetworkFileExtras,
  type Progress,
  RANDOM_NETWORK_DEFAULTS,
  randomNetwork,
  readNetwork,
  ROIS,
  type Shard,
  slurmShard,
  SPECTRUM_DEFAULTS,
  type Threads,
  TRAIN_DEFAULTS,
  type Workflow,
} from "../src/deno.ts";
import {
  activation,
  boolean,
  loss,
  nonNegative,
  number,
  positiveInt,
  seed,
  shard,
  threads,
  tons,
} from "./_parsers.ts";
import { PathOption } from "./_path_option.ts";

/** Spellings of the original tool mapped to this tool's option names. */
export const OPTION_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  "--nLE": "--nle",
  "--tOns": "--tons",
  "--tSim": "--tsim",
  "--tTr": "--ttr",
  "--ROI": "--roi",
  "--N": "--n",
});

/** Rewrites the original's option spellings (also in `--opt=value` form). */
export function normalizeArgs(args: string[]): string[] {
  return args.map((arg) => {
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const alias = OPTION_ALIASES[name];
    return alias === undefined ? arg : alias + (eq >= 0 ? arg.slice(eq) : "");
  });
}

/** Defaults of the command line that are not the library's: the original tool's. */
export const WORKFLOW_DEFAULTS = Object.freeze({
  /** Neurons of a random network. */
  n: 100,
  /** Region of interest of a connectome network. */
  roi: "EB",
  /** Run seed of a workflow. */
  seed: 0,
  /** Output root of a workflow. */
  out: "data",
  /** Trainings of a training workflow. */
  n_samples: 1,
  /** Epochs of a training. */
  n_epochs: 10,
  /** Epochs between logged spectra, models and checkpoints. */
  log_every: 10,
});

/** Values of the options of {@linkcode networkFileOptions}. */
export interface NetworkFileFlags {
  network?: string;
  neurons?: string;
}

/** Values of the options of {@linkcode networkOptions}. */
export interface NetworkFlags extends NetworkFileFlags {
  n: number;
  g: number;
  seed?: number;
  activation: string;
}

/** Adds `--network FILE` (any format) and `--neurons FILE` (the neurons of a CSV edge list). */
export function networkFileOptions(cmd: Command, otherwise = "a random network"): Command {
  return cmd
    .addOption(
      new PathOption(
        "--network <file>",
        "network file: .json (docs/design.md#10-network-file), .npy (W[post, pre]), .npz (W, gains, shifts, " +
          `types, h0, q0) or .csv edge list (pre,post,weight); else ${otherwise}`,
        { kind: "input" },
      ),
    )
    .addOption(
      new PathOption(
        "--neurons <file>",
        "neurons table (id,type) fixing the indices and types of a .csv edge list",
        { kind: "input" },
      ),
    );
}

/** Adds the options that choose a network: a file, or a random one. */
export function networkOptions(cmd: Command): Command {
  return networkFileOptions(cmd)
    .option("--n <n>", "random network: neurons", positiveInt, WORKFLOW_DEFAULTS.n)
    .option("--g <g>", "random network: coupling, W ~ N(0, g²/n)", number, RANDOM_NETWORK_DEFAULTS.g)
    .option(
      "--seed <seed>",
      `seed of the random network and of h0, q0 when not given (default: ${RANDOM_NETWORK_DEFAULTS.seed})`,
      seed,
    )
    .addOption(
      new Option(
        "--activation <name>",
        `activation of a random, .npy, .npz or .csv network (${Object.keys(ACTIVATION_ALIASES).join(", ")})`,
      )
        .default(RANDOM_NETWORK_DEFAULTS.activation)
        .argParser(activation),
    );
}

/** The spectrum options of the command line (those of the library that are not arrays or callbacks). */
export type SpectrumKey =
  | "nle"
  | "dt"
  | "tons"
  | "ttr"
  | "tframe"
  | "tsim"
  | "blocks"
  | "precision"
  | "kernels";

/** Values of the options of {@linkcode spectrumOptions} (unset ones are undefined). */
export type SpectrumFlags = Pick<LyapunovSpectrumOptions, SpectrumKey>;

/** How a command takes the spectrum options. */
export interface SpectrumOptionsConfig {
  /** The options it has, in this order. @default {all} */
  keys?: readonly SpectrumKey[];
  /**
   * Whether unset options stay undefined, so that a network file's options apply, then the
   * library's defaults (which the help shows). @default {false}
   */
  fromFile?: boolean;
  /** Defaults of the command (without `fromFile`). */
  defaults?: Partial<Record<SpectrumKey, number | string>>;
  /** Options the command requires. */
  required?: readonly SpectrumKey[];
  /** Whether `--tons` may be "auto" (not for gradients). @default {true} */
  autoTons?: boolean;
  /** Help of an option, when the command's meaning is narrower than the generic one. */
  help?: Partial<Record<SpectrumKey, string>>;
}

const SPECTRUM_KEYS: readonly SpectrumKey[] = [
  "nle",
  "dt",
  "tons",
  "ttr",
  "tframe",
  "tsim",
  "blocks",
  "precision",
  "kernels",
];

/** Adds the options of the spectrum (see {@linkcode SpectrumOptionsConfig}). */
export function spectrumOptions(cmd: Command, config: SpectrumOptionsConfig = {}): Command {
  const { keys = SPECTRUM_KEYS, fromFile = false, defaults = {}, required = [], autoTons = true } = config;
  const lib: Record<SpectrumKey, string | number> = { ...SPECTRUM_DEFAULTS, nle: "n" };
  const declare = (key: SpectrumKey, flags: string, help: string): Option => {
    const given = defaults[key];
    const text = config.help?.[key] ?? help;
    const option = new Option(flags, fromFile ? `${text} (default: ${lib[key]})` : text);
    if (given !== undefined) option.default(given);
    if (required.includes(key)) option.makeOptionMandatory();
    return option;
  };
  const options: Record<SpectrumKey, () => Option> = {
    nle: () => declare("nle", "--nle <k>", "number of exponents").argParser(positiveInt),
    dt: () => declare("dt", "--dt <dt>", "time step in (0, 1]").argParser(number),
    tons: () =>
      autoTons
        ? declare("tons", "--tons <t>", 'time between QRs, or "auto"').argParser(tons)
        : declare("tons", "--tons <t>", "time between QRs").argParser(number),
    ttr: () => declare("ttr", "--ttr <t>", "state transient").argParser(nonNegative),
    tframe: () => declare("tframe", "--tframe <t>", "frame transient").argParser(nonNegative),
    tsim: () => declare("tsim", "--tsim <t>", "observation time").argParser(number),
    blocks: () => declare("blocks", "--blocks <b>", "blocks for standard errors").argParser(positiveInt),
    precision: () => declare("precision", "--precision <p>", "kernel precision").choices(["f64", "f32"]),
    kernels: () =>
      declare("kernels", "--kernels <k>", "dense or sparse (CSR) kernels; auto chooses from the density")
        .choices(["auto", "dense", "sparse"]),
  };
  for (const key of keys) cmd.addOption(options[key]());
  return cmd;
}

/** The name of a file without its folder and extension (for run names). */
export function fileStem(path: string): string {
  return path.replace(/^.*\//, "").replace(/\.[^.]*$/, "");
}

/** The file named by the options of {@linkcode networkFileOptions}, or undefined without `--network`. */
export async function readNetworkFlags(
  opts: NetworkFileFlags,
  activation: string,
): Promise<NetworkFile | undefined> {
  if (opts.network !== undefined) {
    return await readNetwork(opts.network, { activation, neurons: opts.neurons });
  }
  if (opts.neurons !== undefined) throw new Error("--neurons needs a .csv edge list in --network");
  return undefined;
}

/**
 * The network and spectrum inputs named by the options of {@linkcode networkOptions}; a random
 * network reports its rows drawn to `onProgress`.
 */
export async function resolveNetwork(
  opts: NetworkFlags,
  onProgress?: (progress: Progress) => void,
): Promise<NetworkFile & { source: string }> {
  const file = await readNetworkFlags(opts, opts.activation);
  if (file !== undefined) return { ...file, source: opts.network! };
  const seed = opts.seed ?? RANDOM_NETWORK_DEFAULTS.seed;
  const network: Network = randomNetwork({
    n: opts.n,
    g: opts.g,
    seed,
    activation: opts.activation,
    onProgress,
  });
  return { network, source: `random network n=${opts.n} g=${opts.g} seed=${seed} ${network.activation}` };
}

/** Spectrum options: the file's options overridden by the flags given. */
export function resolveSpectrumOptions(
  file: NetworkFileExtras,
  flags: SpectrumFlags,
): LyapunovSpectrumOptions {
  const fromFile: LyapunovSpectrumOptions = file.options ?? {};
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  return { ...fromFile, ...given, h0: file.h0, q0: file.q0 };
}

/** `--out`: the output root of a workflow, which writes only in these `folders` of it. */
export function outOption(folders: readonly string[]): Option {
  return new PathOption("--out <dir>", "output root: runs go to <out>/logs/<workflow>/<run>/", {
    kind: "outputRoot",
    folders,
  }).default(WORKFLOW_DEFAULTS.out);
}

/** `--workers`: the size of the worker pool. */
export function workersOption(): Option {
  return new Option("--workers <k>", "worker threads (default: all cores)").argParser(positiveInt);
}

/** `--threads`: threads inside one network's computation (results are the same for any number). */
export function threadsOption(): Option {
  return new Option(
    "--threads <T|auto>",
    "threads computing each network (auto: all cores for n >= 1000 or nle >= 100, else 1; same bits for any T)",
  ).argParser(threads).default("auto");
}

/**
 * Adds `--out`, `--workers`, `--threads` and `--json`, shared by the workflows; `folders` are the folders
 * of the output root the command writes in (see {@linkcode workflowFolders}).
 */
export function runOptions(cmd: Command, folders: readonly string[]): Command {
  return cmd
    .addOption(outOption(folders))
    .addOption(workersOption())
    .addOption(threadsOption())
    .option("--json", "print the run's summary as one JSON object on stdout")
    .option("--quiet", "print no progress");
}

/** `--resume`: a stopped run of `workflow` to continue. */
export function resumeOption(workflow: string): Option {
  return new PathOption(
    "--resume <run>",
    `continue this stopped run (name under <out>/logs/${workflow}/, or its folder)`,
    { kind: "runFolder" },
  );
}

/** Values of the options of {@linkcode runOptions}. */
export interface RunFlags {
  out: string;
  workers?: number;
  threads: Threads;
  json?: boolean;
  quiet?: boolean;
}

/** The folders of the output root a workflow writes in: its logs and, for trainings, its models. */
export function workflowFolders(workflow: Workflow | "demo", models = false): string[] {
  return models && workflow !== "demo" ? [logsPath(workflow), modelsPath(workflow)] : [logsPath(workflow)];
}

/** Values of the options of {@linkcode trainingOptions}. */
export interface TrainingFlags extends RunFlags, ShardFlags {
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
  n_epochs: number;
  lr: number;
  seed: number;
  log_every: number;
  log_nle?: number;
  clip: number;
  resume?: string;
}

/** What differs between the training workflows' options. */
export interface TrainingOptionsConfig {
  /** Help of `--n_samples` (what a sample is). */
  samples: string;
  /** Activations the workflow accepts, for the help of `--activation`. */
  activations: string;
  /** Adds the workflow's own options (listed after the common ones, before `--out`). */
  own: (cmd: Command) => Command;
}

/**
 * Adds the options of a training workflow `workflow`: samples, loss, spectrum, Adam, logging,
 * `--resume`, the run options and `--shard`. `nle`, `loss` and `activation` are required unless
 * `--resume` (checked by cli/_training.ts).
 */
export function trainingOptions(cmd: Command, workflow: Workflow, config: TrainingOptionsConfig): Command {
  const d = WORKFLOW_DEFAULTS;
  cmd
    .option("--n_samples <k>", config.samples, positiveInt, d.n_samples)
    .option("--loss <name>", "l2 | MSE | MSE_Custom | Sinai (maximised) (required)", loss)
    .option("--activation <name>", `${config.activations} (required)`, activation)
    .option("--target <c>", "target exponent of l2 and MSE", number, GRADIENT_DEFAULTS.target);
  spectrumOptions(cmd, {
    keys: ["nle", "tons", "tsim", "dt", "ttr", "tframe"],
    defaults: {
      tons: SPECTRUM_DEFAULTS.tons,
      tsim: SPECTRUM_DEFAULTS.tsim,
      dt: SPECTRUM_DEFAULTS.dt,
      ttr: SPECTRUM_DEFAULTS.ttr,
      tframe: SPECTRUM_DEFAULTS.tframe,
    },
    autoTons: false,
    help: { nle: "exponents in the loss (required)" },
  });
  return runOptions(
    config.own(cmd)
      .option("--n_epochs <e>", "epochs", positiveInt, d.n_epochs)
      .option("--lr <lr>", "Adam learning rate", number, TRAIN_DEFAULTS.lr)
      .option("--seed <seed>", "run seed", seed, d.seed)
      .option("--log_every <e>", "spectra, models and checkpoint every e epochs", positiveInt, d.log_every)
      .option("--log_nle <k>", "exponents of the logged spectra (default: n)", positiveInt)
      .option("--clip <c>", "largest gradient norm per part", number, TRAIN_DEFAULTS.clip)
      .addOption(resumeOption(workflow)),
    workflowFolders(workflow, true),
  ).addOption(shardOption());
}

/** Values of the options of {@linkcode connectomeOptions}. */
export interface ConnectomeFlags {
  roi: string;
  unknown_sign: "drop" | "excitatory";
  scc: boolean;
  normalize: "sinkhorn" | "none";
  scale: number;
}

/** Adds the options that build a connectome network (docs/design.md#8-connectome-networks). */
export function connectomeOptions(cmd: Command): Command {
  const d = CONNECTOME_DEFAULTS;
  return cmd
    .addOption(
      new Option("--roi <roi>", "region of interest").choices([...ROIS]).default(WORKFLOW_DEFAULTS.roi),
    )
    .addOption(
      new Option("--unknown_sign <how>", "neurons of sign 0: drop them, or count them as excitatory")
        .choices(["drop", "excitatory"]).default(d.unknownSign),
    )
    .option("--scc <bool>", "keep only the largest strongly connected component", boolean, d.scc)
    .addOption(
      new Option("--normalize <how>", "Sinkhorn balancing of the excitatory and inhibitory parts, or none")
        .choices(["sinkhorn", "none"]).default(d.normalize),
    )
    .option("--scale <s>", "global factor of W after normalisation", number, d.scale);
}

/** The data folder of the shipped connectome tables. */
export const CONNECTOME_DIR = new URL("../data/connectomics", import.meta.url).pathname;

/** Values of the option of {@linkcode shardOption}. */
export interface ShardFlags {
  shard?: Shard;
}

/** The `--shard I/N` option of the workflows that split across processes (docs/design.md#17-shards-and-slurm). */
export function shardOption(): Option {
  return new Option(
    "--shard <I/N>",
    "compute only shard I of N into <run>/shards/<I>/ (default in a Slurm array task: its task id and count)",
  ).argParser(shard);
}

/** The shard of a run: `--shard`, else the Slurm array task's, else none. */
export function shardOf(flags: ShardFlags): Shard | undefined {
  return flags.shard ?? slurmShard((name) => Deno.env.get(name));
}
