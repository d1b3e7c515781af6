/**
 * A threaded computation with a failing thread, through the core's test hooks: `trap <tid>`
 * makes thread tid of 3 trap, `kill <tid>` terminates thread tid's Worker 300 ms into a
 * computation of several seconds. Prints `error: <message>` and sets exit code 2 like the
 * command line, without calling Deno.exit, so that the process ends only if no Worker of the
 * team is left running; with `kill`, also prints on stdout the milliseconds from the kill to
 * the error.
 *
 * @module
 */

import { loadCore, randomNetwork } from "../../src/mod.ts";

const [how, thread] = Deno.args;
const tid = Number(thread);
const KILL_AFTER_MS = 300;
const core = await loadCore(undefined, { threads: 3 });
if (how === "trap") core.exports.teamTrapNext(core.team!.pointer, tid);
else core.team!.killThread(tid, KILL_AFTER_MS);
const start = performance.now();
try {
  core.lyapunovSpectrum(randomNetwork({ n: 120, seed: 1 }), { nle: 20, tsim: how === "trap" ? 10 : 100_000 });
  console.log("no failure");
} catch (e) {
  if (how === "kill") console.log(Math.round(performance.now() - start - KILL_AFTER_MS));
  console.error(`error: ${(e as Error).message}`);
  Deno.exitCode = 2;
}
