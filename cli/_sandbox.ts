/**
 * The sandbox of a run (docs/design.md#12-command-line-and-sandbox): the command runs again in
 * a child Deno with permissions derived from its path options (cli/_path_option.ts) and their
 * values: reads limited to the project's code, build and data plus the named input files and
 * the output root, writes limited to the folders of the output root the command writes in (or
 * to its output file), no network, no subprocesses (but `sbatch` for
 * `flybrain slurm`), no prompts. The parent only waits and
 * passes signals on.
 *
 * @module
 */

import type { Command } from "commander";
import { modelsFolder, runDenoChild, runFolderParts, temporaryPath } from "../src/deno.ts";
import { PathOption, RunFolderArgument } from "./_path_option.ts";

/** What a run may touch. */
export interface SandboxSpec {
  /** Files or folders it may read besides the project's own. */
  read: string[];
  /** Files or folders it may write (and read). */
  write: string[];
  /** Programs it may run (`flybrain slurm`: sbatch); none by default. */
  run?: string[];
}

/** Set in the child so that it does not sandbox itself again. */
export const SANDBOX_ENV = "FLYBRAIN_SANDBOXED";

/** Environment variables a run may read (colour switches of the libraries, debugging, Slurm's shard). */
const ENV_ALLOWED = [
  "NO_COLOR",
  "FORCE_COLOR",
  "CLICOLOR_FORCE",
  "TERM",
  "FLYBRAIN_DEBUG",
  SANDBOX_ENV,
  // The shard of a Slurm array task (cli/_options.ts shardOf).
  "SLURM_ARRAY_TASK_ID",
  "SLURM_ARRAY_TASK_COUNT",
  "SLURM_ARRAY_TASK_MIN",
];

const PROJECT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Whether this process already runs inside the sandbox. */
export function inSandbox(): boolean {
  return Deno.env.get(SANDBOX_ENV) === "1";
}

/** The Deno permission flags of a sandbox. */
export function sandboxFlags(spec: SandboxSpec): string[] {
  const read = [
    `${PROJECT}/src`,
    `${PROJECT}/assembly/abi.ts`, // the core's ids and codes, imported by src/
    `${PROJECT}/cli`,
    `${PROJECT}/build`,
    `${PROJECT}/data`,
    `${PROJECT}/deno.json`,
    ...spec.read,
    ...spec.write, // atomic writes rename a temporary file, which needs read access too
  ];
  const flags = [
    "--no-prompt",
    `--allow-read=${read.join(",")}`,
    `--allow-env=${ENV_ALLOWED.join(",")}`,
    "--deny-net",
    spec.run?.length ? `--allow-run=${spec.run.join(",")}` : "--deny-run",
    "--deny-ffi",
    "--allow-sys=systemMemoryInfo,hostname",
  ];
  if (spec.write.length > 0) flags.push(`--allow-write=${spec.write.join(",")}`);
  return flags;
}

/** The sandbox of a parsed command: what its path options name. */
export function sandboxOf(cmd: Command): SandboxSpec {
  const spec: SandboxSpec = { read: [], write: [] };
  for (const option of cmd.options) {
    if (!(option instanceof PathOption)) continue;
    const value = cmd.getOptionValue(option.attributeName()) as string | undefined;
    if (value === undefined) continue;
    const role = option.role;
    if (role.kind === "input") spec.read.push(value);
    else if (role.kind === "outputRoot") {
      spec.read.push(value);
      spec.write.push(...role.folders.map((folder) => `${value}/${folder}`));
    } else if (role.kind === "outputFile") spec.write.push(value, temporaryPath(value));
    else if (value.includes("/")) addRunFolder(spec, value);
  }
  cmd.registeredArguments.forEach((argument, i) => {
    const value = cmd.processedArgs[i];
    if (argument instanceof RunFolderArgument && typeof value === "string") addRunFolder(spec, value);
  });
  return spec;
}

/** A run folder given by path: its output root is read (to check its folders), its folders written. */
function addRunFolder(spec: SandboxSpec, runDir: string): void {
  spec.read.push(runFolderParts(runDir).root);
  spec.write.push(runDir, modelsFolder(runDir));
}

/** Runs `cli/main.ts args` in the sandbox; resolves with its exit code. */
export function runSandboxed(args: string[], spec: SandboxSpec): Promise<number> {
  return runDenoChild(`${PROJECT}/cli/main.ts`, args, {
    permissions: sandboxFlags(spec),
    env: { [SANDBOX_ENV]: "1" },
  });
}
