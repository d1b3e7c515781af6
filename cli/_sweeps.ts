/**
 * The workflows that run in shards (`--shard I/N`, `flybrain slurm`, `flybrain merge`): the
 * sweeps, whose shards keep each network's result, and the trainings, whose shards keep their
 * samples' table rows (their models are where a whole run puts them). Each says how its options
 * name the run (checked before anything is created) and how its shards make the run's files.
 *
 * @module
 */

import {
  loadFinished,
  type Manifest,
  shardFolder,
  shardIndices,
  type SpectrumResult,
  spectrumResultFromJson,
  type Workflow,
} from "../src/deno.ts";
import type { RunWriter, SaveResults, WorkflowSpec } from "./_workflow.ts";
import { checkTraining, collectTraining, type TrainingSpec } from "./_training.ts";
import { type FlybrainTrainFlags, flybrainTrainingSpec } from "./_flybrain.ts";
import { type ConvergenceFlags, convergenceSweep } from "./lyapu_convergence.ts";
import { type TrainRdFlags, trainRdSpec } from "./train_rd_model.ts";
import { type TransitionFlags, transitionSweep } from "./transition_2_chaos.ts";

/** A sweep's run spec (options checked) and save step, from its options. */
export type Sweep = (options: Record<string, unknown>, command: string[]) => Promise<{
  spec: WorkflowSpec;
  save: SaveResults<unknown>;
}>;

/** What a workflow that runs in shards gives `flybrain slurm` and `flybrain merge`. */
export interface Sharded {
  /** The run its options name (options checked, nothing created). */
  plan(options: Record<string, unknown>, command: string[]): Promise<{
    root: string;
    workflow: Workflow;
    runName: string;
  }>;
  /**
   * Reads the results of the `count` shards of `runDir` (checked to be each shard's own and all
   * there), from the options they recorded; returns the step writing the run's files and the
   * run's progress total.
   */
  collect(runDir: string, count: number, reference: Manifest): Promise<{
    save: (out: RunWriter) => Promise<unknown>;
    total: number;
  }>;
}

/** A sweep in shards: each shard's finished results, placed at their job's index. */
function sweep(build: Sweep): Sharded {
  return {
    plan: async (options, command) => (await build(options, command)).spec,
    collect: async (runDir, count, reference) => {
      const { spec, save } = await build(reference.options, reference.command);
      const results: SpectrumResult[] = new Array(spec.jobs.length);
      for (let index = 0; index < count; index++) {
        const finished = await loadFinished(shardFolder(runDir, { index, count }), spec.jobs.length);
        const own = new Set(shardIndices(spec.jobs.length, { index, count }));
        finished.forEach((json, i) => {
          if (json !== undefined && !own.has(i)) {
            throw new Error(`Cannot merge ${runDir}: shard ${index} holds job ${i}, not its own`);
          }
          if (json !== undefined) results[i] = spectrumResultFromJson(json);
        });
        const missing = [...own].find((i) => results[i] === undefined);
        if (missing !== undefined) {
          throw new Error(`Cannot merge ${runDir}: shard ${index} lacks job ${missing}`);
        }
      }
      return { save: (out) => save(out, results), total: spec.jobs.length };
    },
  };
}

/** A training in shards: each shard's table rows (its samples' models are in place). */
function training(
  build: (options: Record<string, unknown>, command: string[]) => Promise<TrainingSpec>,
): Sharded {
  return {
    plan: async (options, command) => {
      const spec = await build(options, command);
      await checkTraining(spec);
      return spec;
    },
    collect: (runDir, count, reference) => collectTraining(runDir, count, reference.options),
  };
}

/** The workflows that run in shards. */
export const SHARDED: Partial<Record<Workflow, Sharded>> = {
  transition_2_chaos: sweep((o, c) => transitionSweep(o as unknown as TransitionFlags, c)),
  lyapu_convergence: sweep((o, c) => convergenceSweep(o as unknown as ConvergenceFlags, c)),
  train_rd_model: training((o, c) => trainRdSpec(o as unknown as TrainRdFlags, c)),
  train_flybrain_full: training((o, c) => flybrainTrainingSpec(false, o as unknown as FlybrainTrainFlags, c)),
  train_flybrain_pop: training((o, c) => flybrainTrainingSpec(true, o as unknown as FlybrainTrainFlags, c)),
};

/** How a workflow runs in shards, or an error naming the workflows that shard. */
export function shardedOf(workflow: string): Sharded {
  const sharded = SHARDED[workflow as Workflow];
  if (sharded === undefined) {
    throw new RangeError(`${workflow} does not run in shards; these do: ${Object.keys(SHARDED).join(", ")}`);
  }
  return sharded;
}
