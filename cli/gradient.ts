/**
 * `flybrain gradient`: a loss on the spectrum of one network and its exact gradient with
 * respect to the trained parts.
 *
 * @module
 */

import { Command } from "commander";
import {
  GRADIENT_DEFAULTS,
  type LossName,
  type SpectrumGradient,
  stringifyJson,
  type Threads,
  type TrainSelection,
} from "../src/deno.ts";
import {
  type NetworkFlags,
  networkOptions,
  type SpectrumFlags,
  spectrumOptions,
  threadsOption,
} from "./_options.ts";
import { loss, number, trainParts } from "./_parsers.ts";
import { type PlanFlags, plannedRun, planOptions } from "./_plan.ts";
import { progressDisplay } from "./_progress.ts";

function norm(x: Float64Array | undefined): string {
  if (x === undefined) return "-";
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s).toExponential(4);
}

/** The `gradient` command. */
export const gradientCommand = planOptions(
  spectrumOptions(
    networkOptions(new Command("gradient").description("a loss on the spectrum and its exact gradient")),
    { fromFile: true },
  ),
)
  .requiredOption("--loss <name>", "l2 | MSE | MSE_Custom | Sinai (Sinai is maximised: the loss is −S)", loss)
  .option("--target <c>", "target value of l2 and MSE", number, GRADIENT_DEFAULTS.target)
  .option("--train <parts>", "comma-separated: weights,gains,shifts", trainParts, { weights: true })
  .addOption(threadsOption())
  .option("--json", "print {loss, exponents, grad, seconds} as one JSON object")
  .action(
    async (
      opts: NetworkFlags & SpectrumFlags & PlanFlags & {
        loss: LossName;
        target: number;
        train: TrainSelection;
        json?: boolean;
        threads: Threads;
      },
    ) => {
      const run = await plannedRun("gradient", opts);
      if (run === undefined) return;
      const { file, options, core } = run;
      const bar = progressDisplay("gradient", "steps", opts.quiet);
      let res: SpectrumGradient;
      try {
        res = core.spectrumGradient(file.network, opts.loss, {
          ...options,
          target: opts.target,
          train: opts.train,
          onProgress: (p) => bar.report(p),
        });
      } finally {
        bar.stop();
        core.close();
      }
      const grad: Record<string, number[]> = {};
      for (const [part, g] of Object.entries(res.grad)) if (g) grad[part] = Array.from(g);
      if (opts.json) {
        console.log(
          stringifyJson({
            loss: res.loss,
            exponents: Array.from(res.exponents),
            grad,
            seconds: res.seconds,
          }),
        );
        return;
      }
      console.log(`${opts.loss} loss of ${file.source}: ${res.loss}`);
      console.log(`exponents: ${Array.from(res.exponents, (x) => x.toFixed(5)).join(" ")}`);
      console.log(
        `gradient norms: weights ${norm(res.grad.weights)}, gains ${norm(res.grad.gains)}, shifts ${
          norm(res.grad.shifts)
        }`,
      );
      console.log(`${res.seconds.toFixed(3)} s (spectrum + gradient)`);
    },
  );
