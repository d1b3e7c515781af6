/**
 * A threaded computation whose thread `Deno.args[0]` traps (through the core's test hook): prints
 * `error: <message>` and sets exit code 2 like the command line, without calling Deno.exit, so
 * that the process ends only if no Worker of the team is left running.
 *
 * @module
 */

import { loadCore, randomNetwork } from "../../src/mod.ts";

const core = await loadCore(undefined, { threads: 3 });
core.exports.teamTrapNext(core.team!.pointer, Number(Deno.args[0]));
try {
  core.lyapunovSpectrum(randomNetwork({ n: 120, seed: 1 }), { nle: 20, tsim: 10 });
  console.log("no failure");
} catch (e) {
  console.error(`error: ${(e as Error).message}`);
  Deno.exitCode = 2;
}
