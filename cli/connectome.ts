/**
 * `flybrain connectome`: builds a network from a ROI of the central-complex connectome and
 * writes it as a network file.
 *
 * @module
 */

import { Command, Option } from "commander";
import { CONNECTOME_DEFAULTS, type ConnectomeNetwork, loadConnectome, writeNetwork } from "../src/deno.ts";
import { CONNECTOME_DIR, type ConnectomeFlags, connectomeOptions } from "./_options.ts";
import { activation } from "./_parsers.ts";
import { PathOption } from "./_path_option.ts";
import { progressDisplay } from "./_progress.ts";

/** One line per fact of a connectome network. */
export function connectomeSummary(net: ConnectomeNetwork, roi: string): Record<string, unknown> {
  let connections = 0;
  for (const w of net.weights) if (w !== 0) connections++;
  const excitatory = net.signs.filter((s) => s > 0).length;
  return {
    roi,
    neurons: net.n,
    connections,
    density: connections / (net.n * net.n),
    excitatory,
    inhibitory: net.n - excitatory,
    types: net.typeNames?.length ?? net.n,
    sinkhorn: net.sinkhorn,
  };
}

/** The `connectome` command. */
export const connectomeCommand = connectomeOptions(
  new Command("connectome").description("build a network from the fly central-complex connectome"),
)
  .addOption(
    new Option(
      "--subpopulation <by>",
      "cell types: one per neuron, by neurotransmitter or by cell body fiber",
    )
      .choices(["none", "neurotransmitter", "cell_fibers"]).default(CONNECTOME_DEFAULTS.subpopulation),
  )
  .option("--activation <name>", "activation written to the file", activation, CONNECTOME_DEFAULTS.activation)
  .addOption(
    new PathOption("--out <file>", "write the network file (JSON) here", {
      kind: "outputFile",
      force: "force",
    }),
  )
  .option("--force", "replace the --out file when it exists")
  .option("--json", "print the summary as one JSON object")
  .option("--quiet", "print no progress")
  .action(
    async (
      opts: ConnectomeFlags & {
        subpopulation: "none" | "neurotransmitter" | "cell_fibers";
        activation: string;
        out?: string;
        json?: boolean;
        quiet?: boolean;
      },
    ) => {
      const bar = progressDisplay("Sinkhorn", "rounds", opts.quiet);
      const net = loadConnectome(CONNECTOME_DIR, {
        roi: opts.roi,
        unknownSign: opts.unknown_sign,
        scc: opts.scc,
        normalize: opts.normalize,
        scale: opts.scale,
        subpopulation: opts.subpopulation,
        activation: opts.activation,
        onProgress: (p) => bar.report(p),
      });
      bar.stop();
      const summary = connectomeSummary(net, opts.roi);
      if (opts.out) {
        await writeNetwork(opts.out, net);
      }
      if (opts.json) console.log(JSON.stringify({ ...summary, out: opts.out }));
      else {
        console.log(
          `${opts.roi}: ${net.n} neurons (${summary.excitatory} excitatory, ${summary.inhibitory} inhibitory), ` +
            `${summary.connections} connections (density ${(summary.density as number).toFixed(3)}), ` +
            `${summary.types} types`,
        );
        if (net.sinkhorn) {
          for (const [part, r] of Object.entries(net.sinkhorn)) {
            console.log(
              `Sinkhorn ${part}: ${r.rounds} rounds, ${
                r.converged ? "converged" : "no exact balance exists: rows 1/2"
              }, largest column deviation ${r.columnDeviation.toPrecision(3)}`,
            );
          }
        }
        if (opts.out) console.error(`Wrote ${opts.out}`);
      }
    },
  );
