/**
 * `flybrain spectrum`: the Lyapunov spectrum of one network (a file or a random one).
 *
 * @module
 */

import { Command } from "commander";
import { spectrumJson, type SpectrumResult, stringifyJson, type Threads } from "../src/deno.ts";
import {
  type NetworkFlags,
  networkOptions,
  type SpectrumFlags,
  spectrumOptions,
  threadsOption,
} from "./_options.ts";
import { type PlanFlags, plannedRun, planOptions } from "./_plan.ts";
import { progressDisplay } from "./_progress.ts";

/** A readable table of a spectrum. */
export function spectrumTable(result: SpectrumResult): string {
  const { exponents, stderr } = result;
  const lines = ["    i        lambda_i     stderr"];
  exponents.forEach((l, i) => {
    const err = stderr ? stderr[i].toExponential(2) : "-";
    lines.push(`${String(i + 1).padStart(5)}  ${l.toFixed(6).padStart(14)}  ${err.padStart(9)}`);
  });
  let sum = 0;
  for (const l of exponents) sum += l;
  lines.push(
    "",
    `lambda_max ${Math.max(...exponents).toFixed(6)}   sum ${sum.toFixed(6)}`,
    `Kaplan-Yorke dimension ${result.kyDimension.toFixed(4)}${result.kyLowerBound ? " (lower bound)" : ""}` +
      `   entropy rate ${result.entropy.toFixed(6)} nats/unit time`,
    `steps ${result.steps.transient} transient + ${result.steps.frame} frame + ${result.steps.observed} observed` +
      `, QR every ${
        result.qrInterval.min === result.qrInterval.max
          ? result.qrInterval.min
          : `${result.qrInterval.min}-${result.qrInterval.max}`
      } steps, ${result.seconds.toFixed(3)} s`,
  );
  return lines.join("\n");
}

/** The `spectrum` command. */
export const spectrumCommand = planOptions(
  spectrumOptions(
    networkOptions(
      new Command("spectrum").description("Lyapunov spectrum of one network (a file or a random one)"),
    ),
    { fromFile: true },
  ),
)
  .addOption(threadsOption())
  .option("--json", "print one JSON object instead of a table")
  .action(async (opts: NetworkFlags & SpectrumFlags & PlanFlags & { json?: boolean; threads: Threads }) => {
    const run = await plannedRun("spectrum", opts);
    if (run === undefined) return;
    const { file, options, core } = run;
    const bar = progressDisplay("spectrum", "steps", opts.quiet);
    let result: SpectrumResult;
    try {
      result = core.lyapunovSpectrum(file.network, { ...options, onProgress: (p) => bar.report(p) });
    } finally {
      bar.stop();
      core.close();
    }
    if (opts.json) {
      const extra = { n: file.network.n, nle: result.exponents.length, threads: core.threads };
      console.log(stringifyJson(spectrumJson(result, extra)));
    } else {
      console.log(`Lyapunov spectrum of ${file.source} (n=${file.network.n})\n`);
      console.log(spectrumTable(result));
    }
  });
