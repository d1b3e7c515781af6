/**
 * `flybrain demo`: the main job on built-in defaults. The spectrum of a random network, a
 * small convergence run and a small sweep of g across the transition to chaos, printed as
 * tables and saved under `<out>/logs/`.
 *
 * @module
 */

import { Command } from "commander";
import {
  ensureFolder,
  loadCore,
  logsPath,
  randomNetwork,
  SPECTRUM_DEFAULTS,
  spectrumJson,
  stringifyJson,
  type Threads,
  writeFileAtomic,
} from "../src/deno.ts";
import { outOption, threadsOption, workersOption, workflowFolders } from "./_options.ts";
import { seed } from "./_parsers.ts";
import { runConvergence } from "./lyapu_convergence.ts";
import { spectrumTable } from "./spectrum.ts";
import { runTransition, transitionTable } from "./transition_2_chaos.ts";

/** Built-in settings of the demo. */
export const DEMO = Object.freeze({
  seed: 1,
  spectrum: { n: 200, g: 2, nle: 20, tsim: 200 },
  convergence: { n: 100, g: 1.5, nle: 5, n_samples: 3, tsim: 200, tons: 0.2, activation: "tanh" },
  transition: { n: 200, gmin: 0.5, gmax: 2.5, m_g: 5, n_samples: 3, tsim: 100, nle: 10 },
});

/** The `demo` command. */
export const demoCommand = new Command("demo")
  .description("spectrum of a random network, a convergence run and a small g sweep, on built-in defaults")
  .addOption(
    outOption(
      (["demo", "lyapu_convergence", "transition_2_chaos"] as const).flatMap((w) => workflowFolders(w)),
    ),
  )
  .option("--seed <seed>", "seed of the networks", seed, DEMO.seed)
  .addOption(workersOption())
  .addOption(threadsOption())
  .action(async (opts: DemoFlags) => {
    const sp = DEMO.spectrum;
    const core = await loadCore();
    console.log(`1. Lyapunov spectrum of a random tanh network, n=${sp.n}, g=${sp.g}, ${sp.nle} exponents\n`);
    const spectrum = core.lyapunovSpectrum(randomNetwork({ n: sp.n, g: sp.g, seed: opts.seed }), {
      nle: sp.nle,
      tsim: sp.tsim,
      seed: opts.seed,
    });
    console.log(spectrumTable(spectrum));
    const dir = await ensureFolder(opts.out, logsPath("demo"));
    const file = `${dir}/spectrum_n${sp.n}_g${sp.g}_nle${sp.nle}_seed${opts.seed}.json`;
    await writeFileAtomic(
      file,
      stringifyJson(spectrumJson(spectrum, { ...sp, seed: opts.seed }), 1) + "\n",
    );

    const cv = DEMO.convergence;
    console.log(
      `\n2. Convergence of ${cv.nle} exponents from ${cv.n_samples} initial conditions (n=${cv.n})`,
    );
    const convergence = await runConvergence(
      {
        ...cv,
        dt: SPECTRUM_DEFAULTS.dt,
        ttr: SPECTRUM_DEFAULTS.ttr,
        tframe: SPECTRUM_DEFAULTS.tframe,
        seed: opts.seed,
        points: 200,
        ...runFlags(opts),
      },
      ["demo"],
    );
    const finals = (convergence.summary.samples as { final: number[] }[]).map((s) => s.final[0].toFixed(4));
    console.log(`   lambda_1 per sample after t=${cv.tsim}: ${finals.join(", ")}`);

    const tr = DEMO.transition;
    console.log(`\n3. Transition to chaos: ${tr.n_samples} networks of n=${tr.n} at ${tr.m_g} values of g\n`);
    const transition = await runTransition(
      {
        ...tr,
        parameter: ["weights"],
        activation: "tanh",
        save: true,
        dt: SPECTRUM_DEFAULTS.dt,
        tons: SPECTRUM_DEFAULTS.tons,
        ttr: SPECTRUM_DEFAULTS.ttr,
        tframe: SPECTRUM_DEFAULTS.tframe,
        seed: opts.seed,
        ...runFlags(opts),
      },
      ["demo"],
    );
    console.log(transitionTable(transition.summary));

    console.log(`\nResults:\n  ${file}\n  ${convergence.dir}\n  ${transition.dir}`);
  });

/** Values of the demo's options. */
interface DemoFlags {
  out: string;
  seed: number;
  workers?: number;
  threads: Threads;
}

function runFlags(opts: DemoFlags) {
  return { out: opts.out, workers: opts.workers, threads: opts.threads, json: false };
}
