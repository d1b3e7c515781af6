/**
 * `flybrain slurm <workflow> [its options] --array N [resources] [--submit]`: a sharded run on a
 * Slurm cluster. Checks the workflow's options (nothing is created on bad ones), creates the
 * run folder its options name, writes `job.sbatch` (an array of N tasks, task I computing shard
 * I/N) and `merge.sbatch` (`flybrain merge`, after the array whatever its outcome) there and
 * prints them; with `--submit`, submits both with `sbatch` and prints the job ids and how to
 * follow them. It runs in a sandbox that may run `sbatch` and nothing else.
 *
 * @module
 */

import { Command } from "commander";
import { ensureFolder, runPath, SHARDS_FOLDER, writeFileAtomic } from "../src/deno.ts";
import { positiveInt } from "./_parsers.ts";
import { jobScript, mergeScript, type SbatchSpec, shellQuote, type SlurmResources } from "./_sbatch.ts";
import { SHARDED, shardedOf } from "./_sweeps.ts";

/** A workflow's command line parsed by the program: the command's name and option values. */
export type ParseWorkflow = (args: string[]) => Promise<{ name: string; opts: Record<string, unknown> }>;

/** The options of `flybrain slurm` itself: the resources, and whether to submit. */
interface SlurmFlags extends SlurmResources {
  submit?: boolean;
}

const PROJECT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** The message when `sbatch` cannot be run. */
export const NO_SBATCH = "Cannot submit: sbatch is not on PATH; run this on a Slurm login node, " +
  "or install Slurm's client (apt-get install slurm-client), or try one machine with scripts/slurm/up.sh";

/**
 * The `slurm` command; `parseWorkflow` parses the workflow's command line with the program's
 * commands (they are the program's, so this module does not import it).
 */
export function slurmCommand(parseWorkflow: ParseWorkflow): Command {
  return new Command("slurm")
    .description(
      "run a workflow as a Slurm job array of shards, then merge them (see job.sbatch, merge.sbatch)",
    )
    .argument("<workflow>", `${Object.keys(SHARDED).join(" | ")}, followed by its options`)
    .requiredOption("--array <n>", "tasks of the array (shards)", positiveInt)
    .option("--partition <name>", "Slurm partition")
    .option("--time <t>", "time limit of each task (Slurm's format, e.g. 1:00:00)")
    .option("--mem <m>", "memory of each task (e.g. 4G)")
    .option("--cpus-per-task <c>", "cores of each task (its --workers)", positiveInt, 1)
    .option("--account <name>", "Slurm account")
    .option("--qos <name>", "Slurm quality of service")
    .option("--extra <options>", 'further #SBATCH options, e.g. "--constraint=zen4 --exclusive"')
    .option("--submit", "submit both scripts with sbatch")
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_workflow: string, flags: SlurmFlags, cmd: Command) => {
      await submitRun(cmd.args, flags, parseWorkflow);
    });
}

/** The workflow's arguments for the tasks: `--out` absolute, without `--shard` and `--workers`. */
function taskArgs(args: string[], out: string): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].split("=")[0];
    if (["--shard", "--workers", "--out"].includes(name)) {
      if (!args[i].includes("=")) i++;
    } else kept.push(args[i]);
  }
  return [...kept, "--out", out];
}

/** Runs `sbatch args`; returns the job id (from --parsable), or throws Slurm's error in one line. */
async function sbatch(args: string[]): Promise<string> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("sbatch", { args: ["--parsable", ...args] }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new Error(NO_SBATCH);
    throw e;
  }
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
  if (!output.success) {
    const lines = text(output.stderr).split("\n").filter((l) => l.trim() !== "");
    throw new Error(`sbatch failed: ${lines[lines.length - 1] ?? `exit code ${output.code}`}`);
  }
  return text(output.stdout).split(";")[0];
}

/** Checks the workflow's options, writes the scripts, and with `--submit` submits them. */
async function submitRun(args: string[], flags: SlurmFlags, parseWorkflow: ParseWorkflow): Promise<void> {
  const [workflow] = args;
  const sharded = shardedOf(workflow);
  const { opts } = await parseWorkflow(args);
  if (opts.shard !== undefined) throw new RangeError("give --array, not --shard: each task takes its shard");
  if (opts.resume !== undefined) {
    throw new RangeError("give the options, not --resume: a requeued task resumes its shard");
  }
  const spec = await sharded.plan({ ...opts, shard: undefined }, args);
  const out = (spec.root.startsWith("/") ? spec.root : `${Deno.cwd()}/${spec.root}`).replace(/\/+$/, "");
  const runDir = `${out}/${runPath(spec.workflow, spec.runName)}`;
  const existing = await Array.fromAsync(Deno.readDir(runDir)).catch(() => []);
  if (existing.length > 0) {
    throw new Error(`Cannot submit: ${runDir} already holds a run; give another --out or remove it`);
  }
  await ensureFolder(out, `${runPath(spec.workflow, spec.runName)}/${SHARDS_FOLDER}`);
  const resources: SlurmResources = { ...flags };
  const sbatchSpec: SbatchSpec = {
    runDir,
    workflow,
    flybrain: [
      Deno.execPath(),
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-run",
      `${PROJECT}/cli/main.ts`,
    ],
    args: taskArgs(args.slice(1), out),
    workdir: Deno.cwd(),
  };
  const job = `${runDir}/job.sbatch`;
  const merge = `${runDir}/merge.sbatch`;
  await writeFileAtomic(job, jobScript(sbatchSpec, resources));
  await writeFileAtomic(merge, mergeScript(sbatchSpec, resources));
  if (!flags.submit) {
    console.log(
      `# ${job}\n${jobScript(sbatchSpec, resources)}\n# ${merge}\n${mergeScript(sbatchSpec, resources)}`,
    );
    console.error(
      `Submit with: sbatch ${shellQuote(job)}, then sbatch --dependency=afterany:<its id> ${
        shellQuote(merge)
      }`,
    );
    return;
  }
  let arrayId: string;
  try {
    arrayId = await sbatch([job]);
  } catch (e) {
    await Deno.remove(runDir, { recursive: true }).catch(() => {});
    throw e;
  }
  const mergeId = await sbatch([`--dependency=afterany:${arrayId}`, merge]).catch((e) => {
    throw new Error(
      `${(e as Error).message} (the array is job ${arrayId}; merge later: flybrain merge ${runDir})`,
    );
  });
  console.log(JSON.stringify({ run: runDir, array: arrayId, merge: mergeId }));
  console.error(
    `Submitted ${flags.array} shards as job ${arrayId} and the merge as job ${mergeId} (runs after it).\n` +
      `Follow: squeue -j ${arrayId},${mergeId}; scontrol show job ${mergeId}; logs in ${runDir}/${SHARDS_FOLDER}/\n` +
      `Results: ${runDir}`,
  );
}
