/**
 * `flybrain`: the FlyStability command line. Registers the commands and owns the one place
 * that turns an error into `error: <message>` and exit code 2 (set FLYBRAIN_DEBUG=1 for the
 * stack).
 *
 * @module
 */

import { Command, CommanderError } from "commander";
import { normalizeArgs } from "./_options.ts";
import { demoCommand } from "./demo.ts";
import { spectrumCommand } from "./spectrum.ts";
import denoJson from "../deno.json" with { type: "json" };

/** The program with all its commands. */
export function program(): Command {
  const cmd = new Command("flybrain")
    .description("Lyapunov spectra of rate RNNs: random networks and the fly central complex")
    .version(denoJson.version)
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s.split("\n")[0] + "\n") });
  for (const sub of [spectrumCommand, demoCommand]) {
    cmd.addCommand(
      sub.exitOverride().configureOutput({ outputError: (s, write) => write(s.split("\n")[0] + "\n") }),
    );
  }
  return cmd;
}

/** Runs the command line; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  try {
    await program().parseAsync(normalizeArgs(args), { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (Deno.env.get("FLYBRAIN_DEBUG")) console.error(e);
    else console.error(`error: ${(e as Error).message ?? e}`);
    return 2;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
