/**
 * `flybrain`: the FlyStability command line. Registers the commands and owns the one place
 * that turns an error into `error: <message>` and exit code 2 (set FLYBRAIN_DEBUG=1 for the
 * stack).
 *
 * @module
 */

import { Command, CommanderError } from "commander";
import { normalizeArgs } from "./_options.ts";
import { checkPathOptions } from "./_path_checks.ts";
import { inSandbox, runSandboxed, sandboxOf, type SandboxSpec } from "./_sandbox.ts";
import { connectomeCommand } from "./connectome.ts";
import { demoCommand } from "./demo.ts";
import { runsCommand } from "./runs.ts";
import { gradientCommand } from "./gradient.ts";
import { convergenceCommand } from "./lyapu_convergence.ts";
import { mergeCommand } from "./merge.ts";
import { NO_SBATCH, slurmCommand } from "./slurm.ts";
import { PathOption } from "./_path_option.ts";
import { MANIFEST_FILE, SHARDS_FOLDER } from "../src/deno.ts";
import { spectrumCommand } from "./spectrum.ts";
import { trainFlybrainFullCommand } from "./train_flybrain_full.ts";
import { trainFlybrainPopCommand } from "./train_flybrain_pop.ts";
import { trainRdCommand } from "./train_rd_model.ts";
import { transitionCommand } from "./transition_2_chaos.ts";
import { vectorsCommand } from "./vectors.ts";
import denoJson from "../deno.json" with { type: "json" };

/** The program with all its commands. */
export function program(): Command {
  const cmd = new Command("flybrain")
    .description("Lyapunov spectra of rate RNNs: random networks and the fly central complex")
    .version(denoJson.version)
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s.split("\n")[0] + "\n") });
  const commands = [
    spectrumCommand,
    vectorsCommand,
    gradientCommand,
    convergenceCommand,
    transitionCommand,
    trainRdCommand,
    connectomeCommand,
    trainFlybrainFullCommand,
    trainFlybrainPopCommand,
    demoCommand,
    runsCommand,
    mergeCommand,
    slurmCommand(parseWorkflow),
  ];
  for (const sub of commands) {
    cmd.addCommand(
      sub.exitOverride().configureOutput({ outputError: (s, write) => write(s.split("\n")[0] + "\n") }),
    );
  }
  return cmd;
}

/** Deno's names of file operations, as a user says them. */
const OPERATIONS: Readonly<Record<string, string>> = {
  writefile: "write",
  readfile: "read",
  mkdir: "create the folder",
  open: "open",
  rename: "write",
  remove: "remove",
};

/**
 * The message of an error for the user, on one line: a failed file operation names the path
 * and the reason ("Cannot mkdir /x/y: permission denied"); a refused permission says what the
 * run tried to touch, without suggesting Deno's flags (the sandbox is not the user's to widen).
 */
export function errorMessage(e: unknown): string {
  const message = (e instanceof Error ? e.message : String(e)).split("\n")[0];
  if (e instanceof Deno.errors.NotCapable) {
    const what = /Requires (\w+) access to ("[^"]*"|\S+)/.exec(message);
    return `Cannot ${
      what ? `${what[1]} ${what[2]}` : "run"
    }: outside what this run may touch (its inputs and outputs)`;
  }
  // Only an OS error as Deno raises it ("Reason (os error N): op 'path'"), not one our code wrapped.
  const os = /^([^:]*) \(os error \d+\): (\w+) '(.*?)'/.exec(message);
  if (os) {
    const path = os[3].replace(/(^|\/)\.([^/]+)\.tmp$/, "$1$2"); // the file, not its temporary twin
    return `Cannot ${OPERATIONS[os[2]] ?? os[2]} ${path}: ${os[1].toLowerCase()}`;
  }
  return message;
}

/** Thrown by the parent once its sandboxed child has run the command: its exit code. */
class ChildExit {
  constructor(readonly code: number) {}
}

/** The command a command line runs, parsed (nothing is run). */
async function parsedCommand(args: string[]): Promise<Command> {
  let parsed: Command | undefined;
  await program()
    .hook("preAction", (_program, command) => {
      parsed = command;
      throw new ChildExit(0);
    })
    .parseAsync(normalizeArgs(args), { from: "user" })
    .catch((e) => {
      if (!(e instanceof ChildExit)) throw e;
    });
  return parsed!;
}

/** A workflow's command line parsed (for `flybrain slurm`): its name and option values. */
async function parseWorkflow(args: string[]): Promise<{ name: string; opts: Record<string, unknown> }> {
  const command = await parsedCommand(args);
  return { name: command.name(), opts: command.opts() };
}

/** The sandbox a command line would run in, from its parsed path options (nothing is run). */
export async function sandboxFor(args: string[]): Promise<SandboxSpec> {
  return sandboxOf(await parsedCommand(args));
}

/**
 * The sandbox of a command: `flybrain slurm` gets its workflow's (whose path options are checked
 * first) and may run `sbatch`.
 */
async function commandSandbox(command: Command, args: string[]): Promise<SandboxSpec> {
  if (command.name() === "merge") {
    const spec = sandboxOf(command);
    return { ...spec, read: [...spec.read, ...await shardInputs(command.processedArgs[0])] };
  }
  if (command.name() !== "slurm") {
    await checkPathOptions(command, args);
    return sandboxOf(command);
  }
  const workflow = await parsedCommand(command.args);
  await checkPathOptions(workflow, command.args);
  if (!command.opts().submit) return sandboxOf(workflow);
  if (!onPath("sbatch")) throw new Error(NO_SBATCH);
  return { ...sandboxOf(workflow), run: ["sbatch"] };
}

/** The input files (`--network`, …) the shards of a run read, from their manifests: merge reads them again. */
async function shardInputs(runDir: string): Promise<string[]> {
  const inputs: string[] = [];
  const entries = await Array.fromAsync(Deno.readDir(`${runDir}/${SHARDS_FOLDER}`)).catch(() => []);
  for (const entry of entries) {
    const manifest = await Deno.readTextFile(`${runDir}/${SHARDS_FOLDER}/${entry.name}/${MANIFEST_FILE}`)
      .then((text) => JSON.parse(text), () => undefined);
    const workflow = program().commands.find((c) => c.name() === manifest?.workflow);
    for (const option of workflow?.options ?? []) {
      const value = manifest.options?.[option.attributeName()];
      if (option instanceof PathOption && option.role.kind === "input" && typeof value === "string") {
        inputs.push(value);
      }
    }
  }
  return inputs;
}

/** Whether a program is in a folder of PATH. */
function onPath(program: string): boolean {
  return (Deno.env.get("PATH") ?? "").split(":").some((dir) => {
    try {
      return dir !== "" && Deno.statSync(`${dir}/${program}`).isFile;
    } catch {
      return false;
    }
  });
}

/** Runs the command line; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  args = normalizeArgs(args);
  try {
    // Options are parsed and checked here; then, outside the sandbox, the command runs again in it.
    await program()
      .hook("preAction", async (_program, command) => {
        if (inSandbox()) return;
        throw new ChildExit(await runSandboxed(args, await commandSandbox(command, args)));
      })
      .parseAsync(args, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof ChildExit) return e.code;
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (Deno.env.get("FLYBRAIN_DEBUG")) console.error(e);
    else console.error(`error: ${errorMessage(e)}`);
    return 2;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
