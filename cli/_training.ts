/**
 * The training workflows' loop: one Trainer per sample, gradients on the worker pool, Adam in
 * this thread, and every `log_every` epochs the spectra, the model files (network JSON, `.npy`)
 * and a checkpoint that `--resume` continues from exactly.
 *
 * Files: `<out>/logs/<workflow>/<run>/` holds `manifest.json`, `training.csv`
 * (sample,epoch,loss,lambda_max,grad_norm_weights,grad_norm_gains,grad_norm_shifts,seconds) and
 * `spectra.csv` (sample,epoch,i,lambda; epoch 0 = before training); `<out>/models/<workflow>/<run>/sample<i>/`
 * holds `checkpoint.json`, `epoch<E>.json` (network file) and `weights_epoch<E>.npy` (and
 * `gains_`/`shifts_` when trained).
 *
 * @module
 */

import { parse } from "csv-parse/sync";
import {
  type EpochLog,
  type Network,
  networkFileJson,
  npyBytes,
  type SpectrumJob,
  type TrainCheckpoint,
  Trainer,
  type TrainOptions,
  type TrainSelection,
} from "../src/mod.ts";
import { checkFolder, ensureFolder } from "../src/safe_folder.ts";
import type { TrainingFlags } from "./_options.ts";
import { type RunSpec, WorkflowRun } from "./_workflow.ts";

/** One training of a workflow. */
export interface TrainingSample {
  network: Network;
  options: TrainOptions;
}

/** What a training workflow asks of the loop. */
export interface TrainingSpec extends Omit<RunSpec, "total" | "label"> {
  samples: TrainingSample[];
  epochs: number;
  logEvery: number;
  /** Exponents of the logged spectra. */
  logNle: number;
}

const TRAINING_HEADER = [
  "sample",
  "epoch",
  "loss",
  "lambda_max",
  "grad_norm_weights",
  "grad_norm_gains",
  "grad_norm_shifts",
  "seconds",
];

/**
 * The output root of a run folder `<root>/logs/<wf>/<run>`, and the run folder and its models
 * folder below the root.
 */
export function runFolderParts(runDir: string): { root: string; logs: string; models: string } {
  const parts = runDir.replace(/\/+$/, "").split("/");
  const i = parts.lastIndexOf("logs");
  if (i < 0 || i + 3 !== parts.length) {
    throw new Error(`Not a run folder (<out>/logs/<workflow>/<run>): ${runDir}`);
  }
  const below = parts.slice(i + 1).join("/");
  return { root: parts.slice(0, i).join("/") || ".", logs: `logs/${below}`, models: `models/${below}` };
}

/** The models folder of a run folder: `<root>/logs/<wf>/<run>` → `<root>/models/<wf>/<run>`. */
export function modelsFolder(runDir: string): string {
  const { root, models } = runFolderParts(runDir);
  return `${root}/${models}`;
}

function readRows(path: string): string[][] {
  try {
    return (parse(Deno.readTextFileSync(path)) as string[][]).slice(1);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/** The flags of a training workflow that make a sample's training options. */
export type SampleFlags = Pick<
  TrainingFlags,
  "loss" | "target" | "dt" | "tons" | "ttr" | "tframe" | "tsim" | "lr" | "clip"
>;

/** The training options of one sample (its seed draws h0 and q0), from the workflow's flags. */
export function sampleOptions(
  o: SampleFlags,
  nle: number,
  seed: number,
  train: TrainSelection,
  extra: Partial<TrainOptions> = {},
): TrainOptions {
  const { loss, target, dt, tons, ttr, tframe, tsim, lr, clip } = o;
  return { loss: loss!, target, nle, dt, tons, ttr, tframe, tsim, seed, lr, clip, train, ...extra };
}

/**
 * The options of a training run: the flags, or with `--resume` the recorded options of that run
 * (its manifest) with the new `--out`, `--workers`, `--json`; checks the options a run needs.
 * Returns them with the run folder to resume, if any.
 */
export async function resolveTrainingFlags<F extends TrainingFlags>(
  workflow: string,
  flags: F,
  required: Partial<Record<keyof F, string>>,
): Promise<{ o: F; resume?: string }> {
  let o = flags;
  let resume: string | undefined;
  if (flags.resume !== undefined) {
    resume = flags.resume.includes("/") ? flags.resume : `${flags.out}/logs/${workflow}/${flags.resume}`;
    const run = runFolderParts(resume);
    await checkFolder(run.root, run.logs);
    let manifest;
    try {
      manifest = JSON.parse(await Deno.readTextFile(`${resume}/manifest.json`));
    } catch (e) {
      throw new Error(`Cannot resume ${resume}: ${(e as Error).message}`);
    }
    if (manifest.workflow !== workflow) throw new Error(`Cannot resume ${resume}: not a ${workflow} run`);
    o = {
      ...manifest.options,
      workers: flags.workers,
      json: flags.json,
      out: flags.out,
      resume: flags.resume,
    };
  }
  for (const [key, flag] of Object.entries(required)) {
    if (o[key as keyof F] === undefined) {
      throw new RangeError(`required option '${flag}' not specified (unless --resume)`);
    }
  }
  return { o, resume };
}

/** The options to record in a run's manifest: the flags without those of this invocation only. */
export function recordedOptions<F extends TrainingFlags>(o: F): Record<string, unknown> {
  const { resume: _r, workers: _w, json: _j, ...recorded } = o;
  return recorded;
}

/** Runs (or resumes) a training workflow; returns the run folder and the last logs. */
export async function runTraining(spec: TrainingSpec): Promise<{ dir: string; last: EpochLog[] }> {
  // Trainers first: bad options or a missing checkpoint fail before anything is written.
  let training: unknown[][] = [];
  let spectra: unknown[][] = [];
  let trainers: Trainer[];
  if (spec.resume) {
    const models = modelsFolder(spec.resume);
    trainers = spec.samples.map((sample, s) => {
      const path = `${models}/sample${s}/checkpoint.json`;
      let checkpoint: TrainCheckpoint;
      try {
        checkpoint = JSON.parse(Deno.readTextFileSync(path));
      } catch (e) {
        throw new Error(`Cannot resume ${spec.resume}: cannot read ${path} (${(e as Error).message})`);
      }
      return new Trainer(sample.network, sample.options, checkpoint);
    });
    const epoch = trainers[0].epoch;
    const kept = (rows: string[][]) => rows.filter((r) => Number(r[1]) <= epoch);
    training = kept(readRows(`${spec.resume}/training.csv`));
    spectra = kept(readRows(`${spec.resume}/spectra.csv`));
    console.error(`Resuming ${spec.resume} at epoch ${epoch}`);
  } else {
    trainers = spec.samples.map((s) => new Trainer(s.network, s.options));
  }
  const run = await WorkflowRun.open({ ...spec, total: spec.epochs, label: "epochs" });
  try {
    const { root: outputRoot, models: modelsBelowRoot } = runFolderParts(run.dir);
    const samples = spec.samples.length;
    const spectrumJobs = (): SpectrumJob[] =>
      trainers.map((t) => ({
        kind: "spectrum",
        network: t.network,
        options: { ...t.gradientJob().options, nle: spec.logNle, history: false },
      }));
    const logSpectra = async (epoch: number) => {
      const results = await run.pool.map(spectrumJobs());
      results.forEach((r, s) => r.exponents.forEach((l, i) => spectra.push([s, epoch, i + 1, l])));
    };
    const save = async () => {
      await run.csv("training.csv", TRAINING_HEADER, training);
      await run.csv("spectra.csv", ["sample", "epoch", "i", "lambda"], spectra);
      for (let s = 0; s < samples; s++) {
        const t = trainers[s];
        const dir = await ensureFolder(outputRoot, `${modelsBelowRoot}/sample${s}`);
        const e = t.epoch;
        const n = t.network.n;
        const model = (name: string, data: string | Uint8Array) => run.write(name, data, `${dir}/${name}`);
        await model(`epoch${e}.json`, JSON.stringify(networkFileJson(t.network)) + "\n");
        await model(`weights_epoch${e}.npy`, npyBytes(t.network.weights, [n, n]));
        for (const part of ["gains", "shifts"] as const) {
          if (t.options.train[part]) {
            await model(`${part}_epoch${e}.npy`, npyBytes(t.network[part], [t.network[part].length]));
          }
        }
        await model("checkpoint.json", JSON.stringify(t.checkpoint()) + "\n");
      }
      await run.saveManifest();
    };
    if (!spec.resume) {
      await logSpectra(0);
      await save();
    }

    let last: EpochLog[] = [];
    for (let epoch = trainers[0].epoch + 1; epoch <= spec.epochs; epoch++) {
      const results = await run.pool.map(trainers.map((t) => t.gradientJob()));
      last = trainers.map((t, s) => t.apply(results[s]));
      last.forEach((log, s) => {
        const g = log.gradNorm;
        training.push([
          s,
          epoch,
          log.loss,
          log.lambdaMax,
          g.weights ?? "",
          g.gains ?? "",
          g.shifts ?? "",
          log.seconds,
        ]);
      });
      run.progress(epoch);
      if (epoch % spec.logEvery === 0 || epoch === spec.epochs) {
        await logSpectra(epoch);
        await save();
      }
    }
    run.progress(spec.epochs);
    await run.close();
    return { dir: run.dir, last };
  } catch (e) {
    await run.close(e);
    throw e;
  }
}
