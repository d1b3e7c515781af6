/**
 * `flybrain vectors`: the covariant Lyapunov vectors of one network, their exponents and
 * where they live (localisation, angles, finite-time exponents, cell types).
 *
 * @module
 */

import { Command } from "commander";
import { stringify } from "csv-stringify/sync";
import {
  type CovariantVectorsResult,
  createRunFolder,
  npyBytes,
  type Row,
  SPECTRUM_DEFAULTS,
  stringifyJson,
  tableCells,
  type TableSchema,
  type Threads,
  VECTORS_ANGLES_TABLE,
  VECTORS_DEFAULTS,
  VECTORS_FTLE_TABLE,
  VECTORS_JSON,
  VECTORS_NPY,
  VECTORS_SUMMARY_TABLE,
  VECTORS_TYPE_SHARES_TABLE,
  vectorsJson,
  vectorsRows,
  writeFileAtomic,
  writeManifest,
} from "../src/deno.ts";
import {
  type NetworkFlags,
  networkOptions,
  type SpectrumFlags,
  spectrumOptions,
  threadsOption,
  workflowFolders,
} from "./_options.ts";
import { nonNegative, number, positiveInt } from "./_parsers.ts";
import { PathOption } from "./_path_option.ts";
import { type PlanFlags, plannedRun, planOptions } from "./_plan.ts";
import { progressDisplay } from "./_progress.ts";
import { newManifest } from "./_workflow.ts";

/** Values of the options of the `vectors` command. */
interface VectorsFlags extends NetworkFlags, SpectrumFlags, PlanFlags {
  tbkw?: number;
  samples?: number;
  ftleWindow?: number;
  save?: string;
  out?: string;
  json?: boolean;
  threads: Threads;
}

/** A readable table of the result. */
function vectorsTable(res: CovariantVectorsResult): string {
  const f = (x: number | undefined, d = 5) => (x === undefined ? "-" : x.toFixed(d));
  const lines = ["    i   lambda_QR (stderr)       lambda_CLV (stderr)      PR      FTLE std"];
  res.exponents.forEach((l, i) => {
    lines.push(
      `${String(i + 1).padStart(5)}  ${f(l).padStart(9)} (${f(res.stderr?.[i])})  ` +
        `${f(res.clvExponents[i]).padStart(9)} (${f(res.clvStderr?.[i])})  ` +
        `${f(res.localisation.participationRatio.mean[i], 3)}   ${f(res.ftle.std[i], 4)}`,
    );
  });
  const between = res.angles.unstableStable;
  lines.push(
    "",
    between
      ? `unstable/stable angle (${res.angles.unstable} unstable): mean ${between.mean.toFixed(4)} rad, ` +
        `min ${between.min.toExponential(3)} rad, median ${between.quantiles[2].toFixed(4)} rad`
      : `unstable/stable angle: undefined (${res.angles.unstable} of ${res.exponents.length} vectors unstable)`,
    `${res.times.length} samples, finite-time windows of ${res.ftle.window} (${res.ftle.count}), ` +
      `${res.seconds.toFixed(3)} s`,
  );
  return lines.join("\n");
}

/** The files of an `--out` run folder: name and content (the tables as src/runs/schema.ts declares them). */
function runFiles(
  res: CovariantVectorsResult,
  json: Record<string, unknown>,
): [string, string | Uint8Array][] {
  const k = res.exponents.length;
  const n = res.vectors.length / (res.times.length * k);
  const rows = vectorsRows(res);
  const csv = <S extends TableSchema>(schema: S, rows: Row<S>[]): [string, string] => [
    schema.file,
    stringify(tableCells(schema, rows)),
  ];
  const files: [string, string | Uint8Array][] = [
    csv(VECTORS_SUMMARY_TABLE, rows.summary),
    csv(VECTORS_ANGLES_TABLE, rows.angles),
    csv(VECTORS_FTLE_TABLE, rows.ftle),
  ];
  if (rows.typeShares) files.push(csv(VECTORS_TYPE_SHARES_TABLE, rows.typeShares));
  files.push(
    [VECTORS_NPY, npyBytes(res.vectors, [res.times.length, n, k])],
    [VECTORS_JSON, stringifyJson(json) + "\n"],
  );
  return files;
}

/** The `vectors` command. */
export const vectorsCommand = planOptions(spectrumOptions(
  networkOptions(
    new Command("vectors").description(
      "covariant Lyapunov vectors of one network: exponents, localisation, angles, finite-time exponents, cell types",
    ),
  ),
  { fromFile: true },
))
  .option("--tbkw <t>", "backward transient after the window (default: tframe)", nonNegative)
  .option(
    "--samples <s>",
    `sample times evenly spaced over the window (default: ${VECTORS_DEFAULTS.samples}, at most the QR intervals + 1)`,
    positiveInt,
  )
  .option(
    "--ftle-window <t>",
    `window of the finite-time exponents (default: ${VECTORS_DEFAULTS.ftleWindow})`,
    number,
  )
  .addOption(
    new PathOption("--save <file>", "write the vectors as .npy (float64, shape (samples, n, k), C order)", {
      kind: "outputFile",
      force: "force",
    }),
  )
  .option("--force", "replace the --save file when it exists")
  .addOption(
    new PathOption("--out <dir>", "write a run folder <dir>/logs/vectors/<run>/ (CSVs, clv.npy, manifest)", {
      kind: "outputRoot",
      folders: workflowFolders("vectors"),
    }),
  )
  .addOption(threadsOption())
  .option("--json", "print one JSON object instead of a table")
  .action(async (opts: VectorsFlags) => {
    const start = new Date().toISOString();
    // The spectrum's plan (limits, memory of the network and frame, time) stands for the forward pass.
    const run = await plannedRun("spectrum", opts);
    if (run === undefined) return;
    const { file, core } = run;
    const { tbkw, samples, ftleWindow } = opts;
    const options = { ...run.options, tbkw, samples, ftleWindow };
    const bar = progressDisplay("vectors", "steps", opts.quiet);
    let res: CovariantVectorsResult;
    try {
      res = core.covariantVectors(file.network, { ...options, onProgress: (p) => bar.report(p) });
    } finally {
      bar.stop();
      core.close();
    }
    const n = file.network.n;
    const k = res.exponents.length;
    const json = vectorsJson(res, n, core.threads);
    if (opts.save !== undefined) {
      await writeFileAtomic(opts.save, npyBytes(res.vectors, [res.times.length, n, k]));
    }
    if (opts.out !== undefined) {
      const o = { ...SPECTRUM_DEFAULTS, ...options };
      const name =
        `${file.network.activation}_N${n}_NLE${k}_Tons${o.tons}_Tsim${o.tsim}_samples${res.times.length}`;
      const dir = await createRunFolder(opts.out, "vectors", name);
      const manifest = await newManifest({
        workflow: "vectors",
        command: ["vectors", ...Deno.args.slice(1)],
        options: {
          network: opts.network ?? file.source,
          n,
          activation: file.network.activation,
          ...(opts.network === undefined ? { g: opts.g } : {}),
          // The spectrum's options only (the other flags, such as a random network's --n, are not the run's).
          ...Object.fromEntries(Object.keys(SPECTRUM_DEFAULTS).map((key) => [key, o[key as keyof typeof o]])),
          nle: k,
          tbkw: res.steps.backward * o.dt,
          samples: res.times.length,
          ftleWindow: res.ftle.window,
          kernels: res.kernels,
        },
        seed: o.seed ?? 0,
        workers: 1,
        threads: core.threads,
      }, dir);
      manifest.start = start;
      for (const [name, data] of runFiles(res, json)) {
        await writeFileAtomic(`${dir}/${name}`, data);
        manifest.files.push(name);
      }
      manifest.status = "complete";
      manifest.end = new Date().toISOString();
      await writeManifest(dir, manifest);
      console.error(`Results: ${dir}`);
    }
    if (opts.json) console.log(stringifyJson(json));
    else {
      console.log(`Covariant Lyapunov vectors of ${file.source} (n=${n})\n`);
      console.log(vectorsTable(res));
    }
  });
