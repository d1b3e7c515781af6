/**
 * The batch scripts of a Slurm submission: `job.sbatch`, a job array whose task I runs shard
 * I/N of a workflow in an existing run folder, and `merge.sbatch`, which merges the shards once
 * the array has ended (`flybrain merge`, which refuses unless every shard is complete).
 *
 * @module
 */

/** Resources asked of Slurm (`sbatch` options). */
export interface SlurmResources {
  /** Tasks of the array (shards). */
  array: number;
  partition?: string;
  time?: string;
  mem?: string;
  cpusPerTask: number;
  account?: string;
  qos?: string;
  /** Further `#SBATCH` options, verbatim (e.g. "--constraint=zen4 --exclusive"). */
  extra?: string;
}

/** What the scripts run. */
export interface SbatchSpec {
  /** The run folder (absolute). */
  runDir: string;
  /** The workflow (`transition_2_chaos`, ...). */
  workflow: string;
  /** The command that runs `flybrain` (absolute paths), e.g. `["/usr/bin/deno", "task", ...]`. */
  flybrain: string[];
  /** The workflow's options, as given (with `--out` absolute), without `--shard` and `--workers`. */
  args: string[];
  /** Where the tasks start: the folder `flybrain slurm` ran in, so relative paths (`--network`) mean the same. */
  workdir: string;
}

/** Quotes a word for a POSIX shell (single quotes, nothing expanded). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}

function directives(r: SlurmResources, name: string, log: string): string[] {
  const lines = [
    `#SBATCH --job-name=${name}`,
    `#SBATCH --output=${log}`,
    `#SBATCH --cpus-per-task=${r.cpusPerTask}`,
  ];
  for (
    const [key, value] of [["partition", r.partition], ["time", r.time], ["mem", r.mem], [
      "account",
      r.account,
    ], [
      "qos",
      r.qos,
    ]] as const
  ) {
    if (value !== undefined) lines.push(`#SBATCH --${key}=${value}`);
  }
  if (r.extra !== undefined && r.extra.trim() !== "") {
    for (const option of r.extra.trim().split(/\s+/)) lines.push(`#SBATCH ${option}`);
  }
  return lines;
}

/** The array job: task I runs shard I/N; a requeued task continues its shard. */
export function jobScript(spec: SbatchSpec, r: SlurmResources): string {
  const command = [...spec.flybrain, spec.workflow, ...spec.args];
  return [
    "#!/bin/bash",
    `# flybrain ${spec.workflow}: ${r.array} shards of ${spec.runDir}`,
    "# Task I computes shard I/N (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT) into shards/<I>/",
    "# of the run folder its options name; a requeued task resumes its shard.",
    "# Then merge.sbatch writes the run's files.",
    `#SBATCH --array=0-${r.array - 1}`,
    ...directives(r, `flybrain-${spec.workflow}`, `${spec.runDir}/shards/slurm-%A_%a.log`),
    "#SBATCH --requeue",
    "#SBATCH --open-mode=append",
    "set -euo pipefail",
    `cd ${shellQuote(spec.workdir)}`,
    `exec ${command.map(shellQuote).join(" ")} --workers "\${SLURM_CPUS_PER_TASK:-1}"`,
    "",
  ].join("\n");
}

/**
 * The merge job, submitted with `--dependency=afterany:<array job>`: it runs whatever the tasks'
 * outcome, and `flybrain merge` refuses (naming the shards) unless every shard is complete.
 */
export function mergeScript(spec: SbatchSpec, r: SlurmResources): string {
  const command = [...spec.flybrain, "merge", spec.runDir];
  return [
    "#!/bin/bash",
    `# flybrain merge: the ${r.array} shards of ${spec.runDir} into the run's files.`,
    "# Submitted with --dependency=afterany:<array job id> (see job.sbatch).",
    ...directives({ ...r, cpusPerTask: 1 }, `flybrain-merge`, `${spec.runDir}/shards/slurm-merge-%j.log`),
    "set -euo pipefail",
    `cd ${shellQuote(spec.workdir)}`,
    `exec ${command.map(shellQuote).join(" ")}`,
    "",
  ].join("\n");
}
