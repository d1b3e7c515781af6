/**
 * Shards: a workflow's units of work (networks of a sweep, samples of a training) split across
 * independent processes, for example the tasks of a Slurm job array. Shard I of N takes the units
 * whose index i satisfies i mod N = I: the split depends only on the indices, so every unit is
 * computed exactly once whatever N is, and each unit's seed (derived from the run seed and its
 * index) is the same as in a single-process run.
 *
 * @module
 */

/** Shard `index` of `count` (0 ≤ index < count). */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Parses `I/N` (0 ≤ I < N).
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(parseShard("2/4"), { index: 2, count: 4 });
 * ```
 */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (m === null) throw new RangeError(`shard must be I/N with whole numbers 0 ≤ I < N, got "${text}"`);
  return checkShard({ index: Number(m[1]), count: Number(m[2]) }, `"${text}"`);
}

function checkShard(shard: Shard, given: string): Shard {
  const { index, count } = shard;
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new RangeError(`shard count must be at least 1, got ${given}`);
  }
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`shard index must be in 0..${count - 1}, got ${given}`);
  }
  return shard;
}

/**
 * The shard of a Slurm array task, from `SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_COUNT` and
 * `SLURM_ARRAY_TASK_MIN` (index = id − min), or undefined outside an array task.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * const env = { SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "3" };
 * deepEqual(slurmShard((name) => env[name as keyof typeof env]), { index: 2, count: 4 });
 * ```
 */
export function slurmShard(env: (name: string) => string | undefined): Shard | undefined {
  const id = env("SLURM_ARRAY_TASK_ID");
  if (id === undefined || id === "") return undefined;
  const count = Number(env("SLURM_ARRAY_TASK_COUNT"));
  const min = Number(env("SLURM_ARRAY_TASK_MIN") ?? "0");
  const given = `SLURM_ARRAY_TASK_ID=${id}, SLURM_ARRAY_TASK_COUNT=${env("SLURM_ARRAY_TASK_COUNT")}, ` +
    `SLURM_ARRAY_TASK_MIN=${env("SLURM_ARRAY_TASK_MIN")}`;
  return checkShard({ index: Number(id) - min, count }, given);
}

/**
 * The indices in [0, total) that belong to a shard, in increasing order (empty when the shard
 * has none: more shards than units is valid).
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(shardIndices(7, { index: 1, count: 3 }), [1, 4]);
 * ```
 */
export function shardIndices(total: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let i = shard.index; i < total; i += shard.count) out.push(i);
  return out;
}

/** The folder of the shards inside a run folder. */
export const SHARDS_FOLDER = "shards";

/** The path of a shard's folder relative to its run folder: `shards/<I>`. */
export function shardPath(shard: Shard): string {
  return `${SHARDS_FOLDER}/${shard.index}`;
}

/** The folder of a shard inside a run folder: `<run>/shards/<I>`. */
export function shardFolder(runDir: string, shard: Shard): string {
  return `${runDir}/${shardPath(shard)}`;
}
