/**
 * `flybrain lyapu_convergence`: how fast the exponent estimates converge. One random network,
 * `n_samples` initial conditions (state and frame from the sample's seed), the running estimate
 * of every exponent over time.
 *
 * Writes `convergence.csv` (sample,time,i,lambda), `spectrum.csv` (sample,i,lambda,stderr),
 * `convergence.json` (for plots) and `manifest.json`.
 *
 * @module
 */

import { Command } from "commander";
import {
  checkSpectrumOptions,
  CONVERGENCE_JSON,
  CONVERGENCE_SPECTRUM_TABLE,
  CONVERGENCE_TABLE,
  deriveSeed,
  MANIFEST_FILE,
  planParallelism,
  randomNetwork,
  type Row,
  type RunPlanInput,
  SPECTRUM_DEFAULTS,
  type SpectrumJob,
  type SpectrumResult,
  stringifyJson,
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
import { activation, nonNegative, positiveInt, seed } from "./_parsers.ts";
import { checkWorkflowPlan, DRY_RUN_HELP } from "./_plan.ts";
import {
  recordedOptions,
  resumableOptions,
  runWorkflow,
  type RunWriter,
  type WorkflowSpec,
} from "./_workflow.ts";

/** Defaults of the workflow (the original's). */
export const CONVERGENCE_DEFAULTS = Object.freeze({
  g: 1.5,
  n_samples: 5,
  n: WORKFLOW_DEFAULTS.n,
  nle: 20,
  tsim: 700,
  dt: SPECTRUM_DEFAULTS.dt,
  ttr: SPECTRUM_DEFAULTS.ttr,
  tframe: SPECTRUM_DEFAULTS.tframe,
  seed: WORKFLOW_DEFAULTS.seed,
  points: 500,
});

/** Options of {@linkcode runConvergence} (the command's flags). */
export interface ConvergenceFlags extends RunFlags, NetworkFileFlags, ShardFlags {
  resume?: string;
  dryRun?: boolean;
  tons: number | "auto";
  activation: string;
  g: number;
  n_samples: number;
  n: number;
  nle: number;
  tsim: number;
  dt: number;
  ttr: number;
  tframe: number;
  seed: number;
  points: number;
}

const d = CONVERGENCE_DEFAULTS;

/** The `lyapu_convergence` command. */
export const convergenceCommand = networkFileOptions(
  runOptions(
    spectrumOptions(
      new Command("lyapu_convergence")
        .description(
          "running exponent estimates over time for several initial conditions of one random network",
        )
        .option(
          "--activation <name>",
          "tanh | tanh_pos | tanh_stretched (tanh_streched accepted; required)",
          activation,
        )
        .option("--g <g>", "coupling, W ~ N(0, g²/n)", nonNegative, d.g)
        .option("--n_samples <k>", "initial conditions", positiveInt, d.n_samples)
        .option("--n <n>", "neurons", positiveInt, d.n),
      {
        keys: ["tons", "nle", "tsim", "dt", "ttr", "tframe"],
        defaults: { nle: d.nle, tsim: d.tsim, dt: d.dt, ttr: d.ttr, tframe: d.tframe },
        help: { nle: "exponents", tons: 'time between QRs, or "auto" (required)' },
      },
    )
      .option("--seed <seed>", "run seed (network and samples)", seed, d.seed)
      .option("--points <k>", "points of each running estimate", positiveInt, d.points)
      .option("--dry-run", DRY_RUN_HELP)
      .addOption(resumeOption("lyapu_convergence")),
    workflowFolders("lyapu_convergence"),
  ),
  "a random network",
).addOption(shardOption()).action(async (flags: ConvergenceFlags) => {
  const { o: opts, resume } = await resumableOptions("lyapu_convergence", flags, {
    tons: "--tons <t>",
    activation: "--activation <name>",
  });
  const command = ["lyapu_convergence", ...Deno.args.slice(1)];
  const { dir, summary } = await runConvergence({ ...opts, dryRun: flags.dryRun }, command, resume);
  if (flags.dryRun) return;
  if (opts.json) console.log(stringifyJson({ run: dir, ...summary }));
  if (shardOf(opts)) return console.error(`Shard results: ${dir}`);
  const files = [
    CONVERGENCE_TABLE.file,
    CONVERGENCE_SPECTRUM_TABLE.file,
    ".npy arrays",
    CONVERGENCE_JSON,
    MANIFEST_FILE,
  ];
  console.error(`Results: ${dir} (${files.join(", ")})`);
});

/**
 * Runs the workflow (or continues the stopped run in folder `resume`); returns its run folder
 * and the content of convergence.json.
 */
export async function runConvergence(
  opts: ConvergenceFlags,
  command: string[],
  resume?: string,
): Promise<{ dir: string; summary: Record<string, unknown> }> {
  const { spec, save, plan } = await convergenceSweep(opts, command, resume);
  if (!(await checkWorkflowPlan(plan, opts.dryRun))) return { dir: "", summary: {} };
  let summary: Record<string, unknown> = {};
  const dir = await runWorkflow(spec, async (out, results) => void (summary = await save(out, results)));
  return { dir: dir!, summary };
}

/**
 * The run of the workflow (checked options, jobs) and the step that writes its files from all
 * the jobs' results, returning the content of convergence.json (`flybrain merge` calls it on
 * shards' results).
 */
export async function convergenceSweep(
  opts: ConvergenceFlags,
  command: string[],
  resume?: string,
): Promise<{
  spec: WorkflowSpec;
  plan: RunPlanInput;
  save: (out: RunWriter, results: SpectrumResult[]) => Promise<Record<string, unknown>>;
}> {
  const spectrum = {
    nle: opts.nle,
    dt: opts.dt,
    tons: opts.tons,
    ttr: opts.ttr,
    tframe: opts.tframe,
    tsim: opts.tsim,
    history: opts.points,
  };
  const file = await readNetworkFlags(opts, opts.activation);
  const n = file?.network.n ?? opts.n;
  checkSpectrumOptions(n, spectrum);
  const { workers, threads } = planParallelism({
    n,
    nle: opts.nle,
    jobs: opts.n_samples,
    threads: opts.threads,
    workers: opts.workers,
  });
  const plan = {
    n,
    options: spectrum,
    networks: opts.n_samples,
    parallel: workers,
    draw: file === undefined,
  };
  const network = file?.network ??
    randomNetwork({ n: opts.n, g: opts.g, seed: opts.seed, activation: opts.activation });
  const jobs: SpectrumJob[] = Array.from({ length: opts.n_samples }, (_, sample) => ({
    kind: "spectrum",
    network,
    options: { ...spectrum, seed: deriveSeed(opts.seed, sample) },
  }));
  const runName =
    `${network.activation}_N${network.n}_NLE${opts.nle}_g${opts.g}_Tons${opts.tons}_Tsim${opts.tsim}_dt${opts.dt}` +
    (opts.network === undefined ? "" : `_${fileStem(opts.network)}`);
  const spec: WorkflowSpec = {
    workflow: "lyapu_convergence",
    runName,
    root: opts.out,
    command,
    options: { ...recordedOptions(opts), activation: network.activation },
    seed: opts.seed,
    workers,
    threads,
    jobs,
    label: "samples",
    resume,
    quiet: opts.quiet,
    shard: shardOf(opts),
  };
  const save = async (out: RunWriter, results: SpectrumResult[]) => {
    const rows: Row<typeof CONVERGENCE_TABLE>[] = [];
    const finals: Row<typeof CONVERGENCE_SPECTRUM_TABLE>[] = [];
    results.forEach((res, sample) => {
      const h = res.history!;
      h.time.forEach((time, p) => {
        for (let i = 0; i < opts.nle; i++) {
          rows.push({ sample, time, i: i + 1, lambda: h.exponents[p * opts.nle + i] });
        }
      });
      res.exponents.forEach((lambda, i) =>
        finals.push({ sample, i: i + 1, lambda, stderr: res.stderr?.[i] ?? "" })
      );
    });
    await out.table(CONVERGENCE_TABLE, rows);
    await out.table(CONVERGENCE_SPECTRUM_TABLE, finals);
    await out.npy("convergence.npy", rows, ["sample", "time", "i"], "lambda");
    await out.npy("time.npy", rows.filter((r) => r.sample === 0 && r.i === 1), ["time"], "time");
    await out.npy("spectrum.npy", finals, ["sample", "i"], "lambda");
    await out.npy("stderr.npy", finals, ["sample", "i"], "stderr");
    const summary = {
      nle: opts.nle,
      samples: results.map((res, sample) => ({
        sample,
        seed: deriveSeed(opts.seed, sample),
        time: Array.from(res.history!.time),
        exponents: Array.from(res.history!.exponents),
        final: Array.from(res.exponents),
        stderr: res.stderr && Array.from(res.stderr),
      })),
    };
    await out.json(CONVERGENCE_JSON, summary);
    return summary;
  };
  return { spec, save, plan };
}
