/**
 * `flybrain transition_2_chaos`: λ_max (or more of the spectrum) of `n_samples` networks at each
 * of `m_g` values of g in [gmin, gmax], where the chosen parameters are drawn with spread g.
 *
 * Writes `lambda_max.csv` (g,sample,seed,lambda_max[,ky_dimension,entropy]), `summary.csv`
 * (g, median, quartiles, fraction chaotic[, D/N, H/N]), `spectra.csv` (with nle > 1),
 * `transition.json` (for plots) and `manifest.json`.
 *
 * @module
 */

import { Command, InvalidArgumentError } from "commander";
import {
  checkSpectrumOptions,
  checkSweepParameters,
  countConnections,
  deriveSeed,
  LAMBDA_MAX_TABLE,
  linspace,
  parseActivation,
  planParallelism,
  type Row,
  type RunPlanInput,
  SPECTRUM_DEFAULTS,
  type SpectrumJob,
  type SpectrumResult,
  STREAMS,
  stringifyJson,
  summarize,
  type SweepParameter,
  TRANSITION_JSON,
  TRANSITION_SPECTRA_TABLE,
  TRANSITION_SUMMARY_TABLE,
  type TransitionSummary,
} from "../src/deno.ts";
import {
  fileStem,
  type NetworkFileFlags,
  networkFileOptions,
  readNetworkFlags,
  resumeOption,
  type RunFlags,
  runOptions,
  type ShardFlags,
  shardOf,
  shardOption,
  spectrumOptions,
  WORKFLOW_DEFAULTS,
  workflowFolders,
} from "./_options.ts";
import { activation, boolean, nonNegative, positiveInt, seed } from "./_parsers.ts";
import { checkWorkflowPlan, DRY_RUN_HELP } from "./_plan.ts";
import {
  recordedOptions,
  resumableOptions,
  runWorkflow,
  type RunWriter,
  type WorkflowSpec,
} from "./_workflow.ts";

/** Defaults of the workflow (the original's). */
export const TRANSITION_DEFAULTS = Object.freeze({
  m_g: 7,
  parameter: ["weights"] as SweepParameter[],
  activation: "std",
  n: 1000,
  tsim: SPECTRUM_DEFAULTS.tsim,
  nle: 1,
  dt: SPECTRUM_DEFAULTS.dt,
  tons: SPECTRUM_DEFAULTS.tons,
  ttr: SPECTRUM_DEFAULTS.ttr,
  tframe: SPECTRUM_DEFAULTS.tframe,
  seed: WORKFLOW_DEFAULTS.seed,
});

const PARAMETERS: readonly SweepParameter[] = ["weights", "gains", "shifts"];

function collectParameter(value: string, previous: SweepParameter[] | undefined): SweepParameter[] {
  if (!PARAMETERS.includes(value as SweepParameter)) {
    throw new InvalidArgumentError(`Expected one of ${PARAMETERS.join(", ")}.`);
  }
  const list = previous === TRANSITION_DEFAULTS.parameter || previous === undefined ? [] : previous;
  return list.includes(value as SweepParameter) ? list : [...list, value as SweepParameter];
}

/** Options of {@linkcode runTransition} (the command's flags). */
export interface TransitionFlags extends RunFlags, NetworkFileFlags, ShardFlags {
  resume?: string;
  dryRun?: boolean;
  gmin: number;
  gmax: number;
  m_g: number;
  n_samples: number;
  parameter: SweepParameter[];
  activation: string;
  save: boolean;
  n: number;
  tsim: number;
  nle: number;
  dt: number;
  tons: number | "auto";
  ttr: number;
  tframe: number;
  seed: number;
}

const d = TRANSITION_DEFAULTS;

/** The `transition_2_chaos` command. */
export const transitionCommand = networkFileOptions(
  runOptions(
    spectrumOptions(
      new Command("transition_2_chaos")
        .description("λ_max (or the spectrum) across g: the transition to chaos")
        .option("--gmin <g>", "smallest g (required)", nonNegative)
        .option("--gmax <g>", "largest g (required)", nonNegative)
        .option("--m_g <m>", "values of g, evenly spaced", positiveInt, d.m_g)
        .option("--n_samples <k>", "networks per g (required)", positiveInt)
        .option(
          "--parameter <p>",
          "drawn with spread g (repeatable): weights N(0, g²/n), gains N(1, g²/n), shifts N(1, g²/n)",
          collectParameter,
          d.parameter,
        )
        .option(
          "--activation <name>",
          "std | pos | strech (or tanh, tanh_pos, tanh_stretched)",
          activation,
          d.activation,
        )
        .option("--save <bool>", "write the run folder (false: print the summary only)", boolean, true)
        .option("--n <n>", "neurons", positiveInt, d.n),
      {
        keys: ["tsim", "nle", "dt", "tons", "ttr", "tframe"],
        defaults: { tsim: d.tsim, nle: d.nle, dt: d.dt, tons: d.tons, ttr: d.ttr, tframe: d.tframe },
        help: { nle: "exponents per network" },
      },
    )
      .option("--seed <seed>", "run seed", seed, d.seed)
      .option("--dry-run", DRY_RUN_HELP)
      .addOption(resumeOption("transition_2_chaos")),
    workflowFolders("transition_2_chaos"),
  ),
  "random networks (the file's W is scaled by g: --parameter weights only)",
).addOption(shardOption()).action(async (flags: TransitionFlags) => {
  const { o: opts, resume } = await resumableOptions("transition_2_chaos", flags, {
    gmin: "--gmin <g>",
    gmax: "--gmax <g>",
    n_samples: "--n_samples <k>",
  });
  const command = ["transition_2_chaos", ...Deno.args.slice(1)];
  const { dir, summary } = await runTransition({ ...opts, dryRun: flags.dryRun }, command, resume);
  if (flags.dryRun) return;
  if (opts.json) console.log(stringifyJson({ run: dir, summary }));
  else if (shardOf(opts)) console.log(`shard ${shardOf(opts)!.index}/${shardOf(opts)!.count} done`);
  else console.log(transitionTable(summary));
  console.error(dir ? `Results: ${dir}` : "Not saved (--save false)");
});

/** A readable table of a transition summary. */
export function transitionTable(summary: TransitionSummary[]): string {
  const lines = ["      g    median        q1        q3   chaotic"];
  for (const s of summary) {
    lines.push(
      `${s.g.toFixed(3).padStart(7)} ${s.median.toFixed(5).padStart(9)} ${s.q1.toFixed(5).padStart(9)} ${
        s.q3.toFixed(5).padStart(9)
      } ${(100 * s.fractionChaotic).toFixed(0).padStart(8)}%`,
    );
  }
  return lines.join("\n");
}

/** Runs the workflow; returns its run folder (undefined with --save false) and the summary per g. */
export async function runTransition(
  opts: TransitionFlags,
  command: string[],
  resume?: string,
): Promise<{ dir?: string; summary: TransitionSummary[] }> {
  const { spec, save, plan } = await transitionSweep(opts, command, resume);
  if (!(await checkWorkflowPlan(plan, opts.dryRun))) return { summary: [] };
  let summary: TransitionSummary[] = [];
  const dir = await runWorkflow(spec, async (out, results) => void (summary = await save(out, results)));
  return { dir, summary };
}

/**
 * The run of the workflow (checked options, jobs) and the step that writes its files from all
 * the jobs' results, returning the summary per g (`flybrain merge` calls it on shards' results).
 */
export async function transitionSweep(
  opts: TransitionFlags,
  command: string[],
  resume?: string,
): Promise<{
  spec: WorkflowSpec;
  plan: RunPlanInput;
  save: (out: RunWriter, results: SpectrumResult[]) => Promise<TransitionSummary[]>;
}> {
  if (opts.gmin > opts.gmax) {
    throw new RangeError(`gmin must be at most gmax, got gmin=${opts.gmin}, gmax=${opts.gmax}`);
  }
  const spectrum = {
    nle: opts.nle,
    dt: opts.dt,
    tons: opts.tons,
    ttr: opts.ttr,
    tframe: opts.tframe,
    tsim: opts.tsim,
  };
  const base = (await readNetworkFlags(opts, opts.activation))?.network;
  if (base !== undefined && opts.parameter.join() !== "weights") {
    throw new RangeError(
      `with --network, g scales the file's weights: --parameter must be weights, got ${
        opts.parameter.join(",")
      }`,
    );
  }
  const n = base?.n ?? opts.n;
  checkSpectrumOptions(n, spectrum);
  const act = base?.activation ?? parseActivation(opts.activation);
  checkSweepParameters(act, opts.parameter);
  const { workers, threads } = planParallelism({
    n,
    nle: opts.nle,
    jobs: opts.m_g * opts.n_samples,
    threads: opts.threads,
    workers: opts.workers,
  });
  const gs = linspace(opts.gmin, opts.gmax, opts.m_g);
  const networks = gs.length * opts.n_samples;
  const plan = {
    n,
    nnz: base && countConnections(base),
    options: spectrum,
    networks,
    parallel: workers,
    draw: true,
  };
  const fixedSeed = deriveSeed(opts.seed, STREAMS.fixedWeights);
  const index = (gi: number, sample: number) => gi * opts.n_samples + sample;
  const jobs: SpectrumJob[] = [];
  gs.forEach((g, gi) => {
    // With a file: one network per g (W scaled by g), shared by its samples (they differ in h0, q0).
    const scaled = base && { ...base, weights: base.weights.map((w) => g * w) };
    for (let sample = 0; sample < opts.n_samples; sample++) {
      const s = deriveSeed(opts.seed, index(gi, sample));
      jobs.push({
        kind: "spectrum",
        ...(scaled === undefined
          ? { recipe: { n, activation: act, g, parameters: opts.parameter, seed: s, fixedSeed } }
          : { network: scaled }),
        options: { ...spectrum, seed: s },
      });
    }
  });
  const runName = `${act}_N${n}_nSample${opts.n_samples}_tSim${opts.tsim}_dt${opts.dt}_tOns${opts.tons}_${
    opts.parameter.join("_")
  }${opts.network === undefined ? "" : `_${fileStem(opts.network)}`}`;
  const full = opts.nle > 1;
  const spec: WorkflowSpec = {
    workflow: "transition_2_chaos",
    runName,
    root: opts.out,
    command,
    options: { ...recordedOptions(opts), activation: act },
    seed: opts.seed,
    workers,
    threads,
    jobs,
    label: "networks",
    resume,
    quiet: opts.quiet,
    persist: opts.save,
    shard: shardOf(opts),
  };
  const save = async (out: RunWriter, results: SpectrumResult[]) => {
    const rows: Row<typeof LAMBDA_MAX_TABLE>[] = [];
    const spectra: Row<typeof TRANSITION_SPECTRA_TABLE>[] = [];
    const perG = gs.map((g, gi) => {
      const lambdaMax: number[] = [];
      const dimension: number[] = [];
      const entropy: number[] = [];
      for (let sample = 0; sample < opts.n_samples; sample++) {
        const res = results[index(gi, sample)];
        const l = Math.max(...res.exponents);
        lambdaMax.push(l);
        dimension.push(res.kyDimension);
        entropy.push(res.entropy);
        const seed = deriveSeed(opts.seed, index(gi, sample));
        rows.push({ g, sample, seed, lambda_max: l, ky_dimension: res.kyDimension, entropy: res.entropy });
        if (full) res.exponents.forEach((lambda, i) => spectra.push({ g, sample, i: i + 1, lambda }));
      }
      return summarize(g, lambdaMax, full ? { n, dimension, entropy } : undefined);
    });
    await out.table(LAMBDA_MAX_TABLE, rows, full);
    if (full) await out.table(TRANSITION_SPECTRA_TABLE, spectra);
    await out.table(
      TRANSITION_SUMMARY_TABLE,
      perG.map((s) => ({
        g: s.g,
        samples: s.samples,
        median: s.median,
        q1: s.q1,
        q3: s.q3,
        fraction_chaotic: s.fractionChaotic,
        D_over_N: s.dimensionPerNeuron,
        H_over_N: s.entropyPerNeuron,
      })),
      full,
    );
    await out.npy("g.npy", rows.filter((r) => r.sample === 0), ["g"], "g");
    await out.npy("lambda_max.npy", rows, ["g", "sample"], "lambda_max");
    if (full) {
      await out.npy("spectra.npy", spectra, ["g", "sample", "i"], "lambda");
      await out.npy("ky_dimension.npy", rows, ["g", "sample"], "ky_dimension");
      await out.npy("entropy.npy", rows, ["g", "sample"], "entropy");
    }
    await out.json(TRANSITION_JSON, {
      gs,
      nle: opts.nle,
      lambdaMax: gs.map((_, gi) =>
        rows.slice(gi * opts.n_samples, (gi + 1) * opts.n_samples).map((r) => r.lambda_max)
      ),
      summary: perG,
      spectra: full ? results.map((r) => Array.from(r.exponents)) : undefined,
    });
    return perG;
  };
  return { spec, save, plan };
}
