/**
 * The workflows that run in shards (`--shard I/N`, `flybrain slurm`, `flybrain merge`): each
 * gives its run spec and save step from its options (as parsed, or as recorded in a manifest).
 *
 * @module
 */

import type { Workflow } from "../src/deno.ts";
import type { SaveResults, WorkflowSpec } from "./_workflow.ts";
import { type ConvergenceFlags, convergenceSweep } from "./lyapu_convergence.ts";
import { type TransitionFlags, transitionSweep } from "./transition_2_chaos.ts";

/** A sharded workflow's run spec (options checked) and save step, from its options. */
export type Sweep = (options: Record<string, unknown>, command: string[]) => Promise<{
  spec: WorkflowSpec;
  save: SaveResults<unknown>;
}>;

/** The workflows that run in shards. */
export const SWEEPS: Partial<Record<Workflow, Sweep>> = {
  transition_2_chaos: (o, c) => transitionSweep(o as unknown as TransitionFlags, c),
  lyapu_convergence: (o, c) => convergenceSweep(o as unknown as ConvergenceFlags, c),
};

/** The sweep of a workflow, or an error naming the workflows that shard. */
export function sweepOf(workflow: string): Sweep {
  const sweep = SWEEPS[workflow as Workflow];
  if (sweep === undefined) {
    throw new RangeError(`${workflow} does not run in shards; these do: ${Object.keys(SWEEPS).join(", ")}`);
  }
  return sweep;
}
