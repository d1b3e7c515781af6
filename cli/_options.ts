/**
 * Option parsers and option groups shared by the commands. Parsers throw commander's
 * InvalidArgumentError, so a bad value gives one line naming the option.
 *
 * @module
 */

import { type Command, InvalidArgumentError, Option } from "commander";
import {
  ACTIVATION_ALIASES,
  CONNECTOME_DEFAULTS,
  type Kernels,
  type LossName,
  type LyapunovSpectrumOptions,
  type Network,
  parseActivation,
  parseLoss,
  RANDOM_NETWORK_DEFAULTS,
  randomNetwork,
  readNetwork,
  ROIS,
  SPECTRUM_DEFAULTS,
  type TrainSelection,
} from "../src/mod.ts";
import type { NetworkFile } from "../src/network_file.ts";

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

/** Parses a finite number. */
export function number(value: string): number {
  const x = Number(value);
  if (value.trim() === "" || !Number.isFinite(x)) throw new InvalidArgumentError("Not a finite number.");
  return x;
}

/** Parses a positive integer. */
export function positiveInt(value: string): number {
  const x = Number(value);
  if (!Number.isInteger(x) || x < 1) throw new InvalidArgumentError("Not a positive integer.");
  return x;
}

/** Parses a seed (integer in [0, 2^32)). */
export function seed(value: string): number {
  const x = Number(value);
  if (!Number.isInteger(x) || x < 0 || x > 0xffffffff) {
    throw new InvalidArgumentError("Not an integer in [0, 2^32).");
  }
  return x;
}

/** Parses an activation spelling. */
export function activation(value: string): string {
  try {
    return parseActivation(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message + ".");
  }
}

/** Parses `--tons`: a number or "auto". */
export function tons(value: string): number | "auto" {
  return value === "auto" ? "auto" : number(value);
}

/** Parses a boolean written true/false (as the original tool). */
export function boolean(value: string): boolean {
  if (value === "true" || value === "True" || value === "1") return true;
  if (value === "false" || value === "False" || value === "0") return false;
  throw new InvalidArgumentError("Expected true or false.");
}

/** Values of the options of {@linkcode networkOptions}. */
export interface NetworkFlags {
  network?: string;
  n: number;
  g: number;
  seed?: number;
  activation: string;
}

/** Values of the options of {@linkcode spectrumOptions} (unset ones are undefined). */
export interface SpectrumFlags {
  nle?: number;
  dt?: number;
  tons?: number | "auto";
  ttr?: number;
  tframe?: number;
  tsim?: number;
  blocks?: number;
  seed?: number;
  precision?: "f64" | "f32";
  kernels?: Kernels;
}

/** Adds the options that choose a network: a file, or a random one. */
export function networkOptions(cmd: Command): Command {
  return cmd
    .option("--network <file>", "network file (JSON, docs/design.md#10-network-file); else a random network")
    .option("--n <n>", "random network: neurons", positiveInt, 100)
    .option("--g <g>", "random network: coupling, W ~ N(0, g²/n)", number, RANDOM_NETWORK_DEFAULTS.g)
    .option("--seed <seed>", "seed of the random network and of h0, q0 when not given (default: 0)", seed)
    .addOption(
      new Option(
        "--activation <name>",
        `activation of a random network (${Object.keys(ACTIVATION_ALIASES).join(", ")})`,
      )
        .default("tanh")
        .argParser(activation),
    );
}

/** Adds the options of the spectrum; unset ones come from the network file, then the library. */
export function spectrumOptions(cmd: Command): Command {
  const d = SPECTRUM_DEFAULTS;
  return cmd
    .option("--nle <k>", "number of exponents (default: n)", positiveInt)
    .option("--dt <dt>", `time step in (0, 1] (default: ${d.dt})`, number)
    .option("--tons <t>", `time between QRs, or "auto" (default: ${d.tons})`, tons)
    .option("--ttr <t>", `state transient (default: ${d.ttr})`, number)
    .option("--tframe <t>", `frame transient (default: ${d.tframe})`, number)
    .option("--tsim <t>", `observation time (default: ${d.tsim})`, number)
    .option("--blocks <b>", `blocks for standard errors (default: ${d.blocks})`, positiveInt)
    .addOption(
      new Option("--precision <p>", `kernel precision (default: ${d.precision})`).choices(
        ["f64", "f32"] as const,
      ),
    )
    .addOption(
      new Option(
        "--kernels <k>",
        `dense or sparse (CSR) kernels; auto chooses from the density (default: ${d.kernels})`,
      )
        .choices(["auto", "dense", "sparse"] as const),
    );
}

/** The network and spectrum inputs named by the options of {@linkcode networkOptions}. */
export async function resolveNetwork(opts: NetworkFlags): Promise<NetworkFile & { source: string }> {
  if (opts.network !== undefined) return { ...(await readNetwork(opts.network)), source: opts.network };
  const seed = opts.seed ?? RANDOM_NETWORK_DEFAULTS.seed;
  const network: Network = randomNetwork({ n: opts.n, g: opts.g, seed, activation: opts.activation });
  return { network, source: `random network n=${opts.n} g=${opts.g} seed=${seed} ${network.activation}` };
}

/** Spectrum options: the file's options overridden by the flags given. */
export function resolveSpectrumOptions(
  file: NetworkFile,
  flags: SpectrumFlags,
): LyapunovSpectrumOptions {
  const fromFile: LyapunovSpectrumOptions = file.options ?? {};
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  return { ...fromFile, ...given, h0: file.h0, q0: file.q0 };
}

/** Parses a number ≥ 0. */
export function nonNegative(value: string): number {
  const x = number(value);
  if (x < 0) throw new InvalidArgumentError("Must be >= 0.");
  return x;
}

/** Adds `--out`, `--workers` and `--json`, shared by the workflows. */
export function runOptions(cmd: Command): Command {
  return cmd
    .option("--out <dir>", "output root: runs go to <out>/logs/<workflow>/<run>/", "data")
    .option("--workers <k>", "worker threads (default: all cores)", positiveInt)
    .option("--json", "print the run's summary as one JSON object on stdout");
}

/** Values of the options of {@linkcode runOptions}. */
export interface RunFlags {
  out: string;
  workers?: number;
  json?: boolean;
}

/** Parses a loss name (l2, MSE, MSE_Custom, Sinai). */
export function loss(value: string): LossName {
  try {
    return parseLoss(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message + ".");
  }
}

/** Parses a comma-separated list of trained parts (weights,gains,shifts). */
export function trainParts(value: string): TrainSelection {
  const out: TrainSelection = {};
  for (const part of value.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    if (part !== "weights" && part !== "gains" && part !== "shifts") {
      throw new InvalidArgumentError(`Unknown part "${part}": expected weights, gains or shifts.`);
    }
    out[part] = true;
  }
  return out;
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
    .addOption(new Option("--roi <roi>", "region of interest").choices([...ROIS]).default("EB"))
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
