/**
 * `flybrain demo`: the main job on built-in defaults. The spectrum of a random network and a
 * small sweep of g across the transition to chaos, printed as tables and saved under
 * `<out>/logs/demo/`.
 *
 * @module
 */

import { Command } from "commander";
import { loadCore, randomNetwork, writeFileAtomic } from "../src/mod.ts";
import { seed } from "./_options.ts";
import { spectrumJson, spectrumTable } from "./spectrum.ts";

/** Built-in settings of the demo. */
export const DEMO = Object.freeze({
  n: 200,
  g: 2,
  nle: 20,
  tsim: 200,
  sweep: { n: 100, gs: [0.5, 1, 1.5, 2, 2.5], tsim: 100 },
});

/** The `demo` command. */
export const demoCommand = new Command("demo")
  .description("spectrum of a random network and a small g sweep, on built-in defaults")
  .option("--out <dir>", "output root", "data")
  .option("--seed <seed>", "seed of the networks", seed, 1)
  .action(async (opts: { out: string; seed: number }) => {
    const core = await loadCore();
    const net = randomNetwork({ n: DEMO.n, g: DEMO.g, seed: opts.seed });
    console.log(
      `Lyapunov spectrum of a random tanh network, n=${DEMO.n}, g=${DEMO.g}, ${DEMO.nle} exponents\n`,
    );
    const spectrum = core.lyapunovSpectrum(net, { nle: DEMO.nle, tsim: DEMO.tsim, seed: opts.seed });
    console.log(spectrumTable(spectrum));

    console.log(`\nTransition to chaos: lambda_max for n=${DEMO.sweep.n}, one network per g\n`);
    console.log("      g    lambda_max   chaotic");
    const rows = ["g,lambda_max"];
    for (const g of DEMO.sweep.gs) {
      const res = core.lyapunovSpectrum(randomNetwork({ n: DEMO.sweep.n, g, seed: opts.seed }), {
        nle: 1,
        tsim: DEMO.sweep.tsim,
        seed: opts.seed,
      });
      const l = res.exponents[0];
      rows.push(`${g},${l}`);
      console.log(`${g.toFixed(2).padStart(7)}  ${l.toFixed(5).padStart(12)}   ${l > 0 ? "yes" : "no"}`);
    }

    const dir = `${opts.out}/logs/demo/n${DEMO.n}_g${DEMO.g}_seed${opts.seed}`;
    await Deno.mkdir(dir, { recursive: true });
    await writeFileAtomic(
      `${dir}/spectrum.json`,
      JSON.stringify(spectrumJson(spectrum, { n: DEMO.n, g: DEMO.g, seed: opts.seed }), null, 1) + "\n",
    );
    await writeFileAtomic(`${dir}/sweep.csv`, rows.join("\n") + "\n");
    console.log(`\nResults: ${dir}/spectrum.json and ${dir}/sweep.csv`);
  });
