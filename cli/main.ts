/**
 * `flybrain`: the FlyStability command line. Registers the commands and owns the one place
 * that turns an error into `error: <message>` and exit code 2 (set FLYBRAIN_DEBUG=1 for the
 * stack).
 *
 * @module
 */

import { Command, CommanderError } from "commander";
import { normalizeArgs } from "./_options.ts";
import { inSandbox, runSandboxed, type SandboxSpec } from "./_sandbox.ts";
import { connectomeCommand } from "./connectome.ts";
import { demoCommand } from "./demo.ts";
import { gradientCommand } from "./gradient.ts";
import { convergenceCommand } from "./lyapu_convergence.ts";
import { spectrumCommand } from "./spectrum.ts";
import { trainFlybrainFullCommand } from "./train_flybrain_full.ts";
import { trainFlybrainPopCommand } from "./train_flybrain_pop.ts";
import { trainRdCommand } from "./train_rd_model.ts";
import { transitionCommand } from "./transition_2_chaos.ts";
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
    gradientCommand,
    convergenceCommand,
    transitionCommand,
    trainRdCommand,
    connectomeCommand,
    trainFlybrainFullCommand,
    trainFlybrainPopCommand,
    demoCommand,
  ];
  for (const sub of commands) {
    cmd.addCommand(
      sub.exitOverride().configureOutput({ outputError: (s, write) => write(s.split("\n")[0] + "\n") }),
    );
  }
  return cmd;
}

/** Commands that run sandboxed, with the options naming their output root and input files. */
const SANDBOXED: Readonly<Record<string, { out?: string; outFile?: boolean; inputs: string[] }>> = {
  spectrum: { inputs: ["--network"] },
  gradient: { inputs: ["--network"] },
  demo: { out: "data", inputs: [] },
  lyapu_convergence: { out: "data", inputs: [] },
  transition_2_chaos: { out: "data", inputs: [] },
  train_rd_model: { out: "data", inputs: [] },
  train_flybrain_full: { out: "data", inputs: [] },
  train_flybrain_pop: { out: "data", inputs: [] },
  connectome: { outFile: true, inputs: [] },
};

function optionValue(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1];
    if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
  }
  return undefined;
}

/** The sandbox of a command line, or undefined when it needs none (help, version). */
export function sandboxOf(args: string[]): SandboxSpec | undefined {
  const rule = SANDBOXED[args[0]];
  if (rule === undefined || args.includes("--help") || args.includes("-h")) return undefined;
  const read = rule.inputs.map((o) => optionValue(args, o)).filter((v): v is string => v !== undefined);
  const given = optionValue(args, "--out");
  // An output file is written through a temporary file beside it: its folder must be writable.
  const out = rule.outFile
    ? (given === undefined
      ? undefined
      : given.includes("/")
      ? given.slice(0, given.lastIndexOf("/")) || "/"
      : ".")
    : given ?? rule.out;
  return { read, write: out === undefined ? [] : [out] };
}

/** Runs the command line; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  args = normalizeArgs(args);
  const sandbox = inSandbox() ? undefined : sandboxOf(args);
  if (sandbox) return await runSandboxed(args, sandbox);
  try {
    await program().parseAsync(args, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (Deno.env.get("FLYBRAIN_DEBUG")) console.error(e);
    else console.error(`error: ${(e as Error).message ?? e}`);
    return 2;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
