/**
 * The plan step of the spectrum and gradient commands: the network's size and the options are
 * checked, the memory compared with what the machine has, and the time estimated, before the
 * network is drawn or a step is taken. `--dry-run` prints the plan and stops.
 *
 * @module
 */

import type { Command } from "commander";
import {
  checkMemory,
  type Core,
  countConnections,
  estimateRun,
  formatDuration,
  loadCore,
  type LyapunovSpectrumOptions,
  type NetworkFile,
  planParallelism,
  planRun,
  planText,
  type RunPlanInput,
  type Threads,
} from "../src/deno.ts";
import {
  type NetworkFlags,
  readNetworkFlags,
  resolveNetwork,
  resolveSpectrumOptions,
  type SpectrumFlags,
} from "./_options.ts";
import { progressDisplay } from "./_progress.ts";

/** Values of the options of {@linkcode planOptions}. */
export interface PlanFlags {
  dryRun?: boolean;
  quiet?: boolean;
}

/** Adds `--dry-run` and `--quiet`. */
export function planOptions(cmd: Command): Command {
  return cmd
    .option("--dry-run", DRY_RUN_HELP)
    .option("--quiet", "print no progress");
}

/** Bytes of memory available on this machine, when the sandbox lets us know. */
export function freeMemory(): number | undefined {
  try {
    return Deno.systemMemoryInfo().available;
  } catch {
    return undefined;
  }
}

/** Work above this many flops is estimated (calibrated) before it starts. */
const ESTIMATE_FLOPS = 2e9;
/** Runs estimated to take longer than this many seconds say so on stderr before they start. */
const ANNOUNCE_SECONDS = 10;

/** Threads for one network of n neurons and nle exponents (`--threads`, see planParallelism). */
export function networkThreads(n: number, nle: number, threads: Threads): number {
  return planParallelism({ n, nle, threads, workers: 1 }).threads;
}

/**
 * The network and spectrum options of a `spectrum` or `gradient` command after its plan, or
 * undefined after `--dry-run`. Throws (one line) when the options are out of their limits or
 * the run needs more memory than there is (after printing the plan, with `--dry-run`); draws a
 * random network with progress.
 */
export async function plannedRun(
  kind: "spectrum" | "gradient",
  opts: NetworkFlags & SpectrumFlags & PlanFlags & { threads?: Threads },
): Promise<
  { file: NetworkFile & { source: string }; options: LyapunovSpectrumOptions; core: Core } | undefined
> {
  const read = await readNetworkFlags(opts, opts.activation);
  const given = read && { ...read, source: opts.network! };
  const options = resolveSpectrumOptions(given ?? {}, opts);
  const n = given?.network.n ?? opts.n;
  const nnz = given && countConnections(given.network);
  const plan = planRun({ kind, n, nnz, options, draw: given === undefined });
  const free = freeMemory();
  const core = await loadCore(undefined, { threads: networkThreads(n, plan.k, opts.threads ?? 1) });
  if (opts.dryRun) {
    try {
      console.log(planText(plan, estimateRun(core, plan), free));
      checkMemory(plan, free);
    } finally {
      core.close();
    }
    return undefined;
  }
  checkMemory(plan, free);
  const flops = 2 * n * n * (plan.k + 1) * plan.steps.total;
  const estimate = flops > ESTIMATE_FLOPS ? estimateRun(core, plan) : undefined;
  if (estimate && estimate.seconds > ANNOUNCE_SECONDS && !opts.quiet) {
    console.error(
      `${kind} of n=${n}, nle=${plan.k}, ${plan.steps.total} steps: about ${
        formatDuration(estimate.seconds)
      }`,
    );
  }
  if (given) return { file: given, options, core };
  const bar = progressDisplay("network", "rows", opts.quiet);
  try {
    return { file: await resolveNetwork(opts, (p) => bar.report(p)), options, core };
  } finally {
    bar.stop();
  }
}

/**
 * The plan step of a workflow: refuses (one line) a run whose networks, computed `parallel` at
 * once, need more memory than there is; with `dryRun`, prints the plan with a time estimate first
 * and returns false (nothing is to run).
 */
export async function checkWorkflowPlan(input: RunPlanInput, dryRun = false): Promise<boolean> {
  const plan = planRun(input);
  const free = freeMemory();
  if (dryRun) console.log(planText(plan, estimateRun(await loadCore(), plan), free));
  checkMemory(plan, free);
  return !dryRun;
}

/** `--dry-run` of a workflow. */
export const DRY_RUN_HELP = "print the plan (steps, memory, time estimate) and stop";
