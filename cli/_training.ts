/**
 * The training workflows' loop: one Trainer per sample, gradients on the worker pool, Adam in
 * this thread, and every `log_every` epochs the spectra, the model files (network JSON, `.npy`)
 * and a checkpoint that `--resume` continues from exactly.
 *
 * Files (src/runs/schema.ts): `<out>/logs/<workflow>/<run>/` holds `manifest.json`,
 * `training.csv` and `spectra.csv` (epoch 0 = before training); `<out>/models/<workflow>/<run>/sample<i>/`
 * holds `checkpoint.json`, `epoch<E>.json` (network file) and `weights_epoch<E>.npy` (and
 * `gains_`/`shifts_` when trained).
 *
 * @module
 */

import {
  CHECKPOINT_FILE,
  countConnections,
  ensureFolder,
  type EpochLog,
  type Network,
  networkFileJson,
  networkFileName,
  npyBytes,
  npyFileName,
  readTableRows,
  type Row,
  runFolderParts,
  sampleModelsFolder,
  sampleModelsPath,
  type SpectrumJob,
  type TableSchema,
  type TrainCheckpoint,
  Trainer,
  TRAINING_SPECTRA_TABLE,
  TRAINING_TABLE,
  type TrainOptions,
  type TrainSelection,
} from "../src/deno.ts";
import type { TrainingFlags } from "./_options.ts";
import { checkWorkflowPlan } from "./_plan.ts";
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

/** The rows of a table of a run folder (none when the file is absent). */
function readRows<S extends TableSchema>(dir: string, schema: S): Row<S>[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(`${dir}/${schema.file}`);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  return readTableRows(schema, text);
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

/** Runs (or resumes) a training workflow; returns the run folder and the last logs. */
export async function runTraining(spec: TrainingSpec): Promise<{ dir: string; last: EpochLog[] }> {
  // The plan, then the trainers: bad options, too little memory or a missing checkpoint fail
  // before anything is written.
  const { network, options } = spec.samples[0];
  await checkWorkflowPlan({
    kind: "gradient",
    n: network.n,
    nnz: countConnections(network),
    options,
    networks: spec.samples.length,
    parallel: spec.workers,
  });
  let training: Row<typeof TRAINING_TABLE>[] = [];
  let spectra: Row<typeof TRAINING_SPECTRA_TABLE>[] = [];
  let trainers: Trainer[];
  if (spec.resume) {
    const resume = spec.resume;
    trainers = spec.samples.map((sample, s) => {
      const path = `${sampleModelsFolder(resume, s)}/${CHECKPOINT_FILE}`;
      let checkpoint: TrainCheckpoint;
      try {
        checkpoint = JSON.parse(Deno.readTextFileSync(path));
      } catch (e) {
        throw new Error(`Cannot resume ${spec.resume}: cannot read ${path} (${(e as Error).message})`);
      }
      return new Trainer(sample.network, sample.options, checkpoint);
    });
    const epoch = trainers[0].epoch;
    // The rows up to the checkpoint, their cells verbatim (so the files stay bit-identical).
    training = readRows(resume, TRAINING_TABLE).filter((r) => Number(r.epoch) <= epoch);
    spectra = readRows(resume, TRAINING_SPECTRA_TABLE).filter((r) => Number(r.epoch) <= epoch);
    console.error(`Resuming ${spec.resume} at epoch ${epoch}`);
  } else {
    trainers = spec.samples.map((s) => new Trainer(s.network, s.options));
  }
  const run = await WorkflowRun.open({ ...spec, total: spec.epochs, label: "epochs" });
  run.progress(trainers[0].epoch);
  try {
    const { root: outputRoot, workflow, run: runName } = runFolderParts(run.dir);
    const samples = spec.samples.length;
    const spectrumJobs = (): SpectrumJob[] =>
      trainers.map((t) => ({
        kind: "spectrum",
        network: t.network,
        options: { ...t.gradientJob().options, nle: spec.logNle, history: false },
      }));
    const logSpectra = async (epoch: number) => {
      const results = await run.pool.map(spectrumJobs());
      results.forEach((r, sample) =>
        r.exponents.forEach((lambda, i) => spectra.push({ sample, epoch, i: i + 1, lambda }))
      );
    };
    const save = async () => {
      await run.table(TRAINING_TABLE, training);
      await run.table(TRAINING_SPECTRA_TABLE, spectra);
      await run.npy("loss.npy", training, ["sample", "epoch"], "loss");
      await run.npy("lambda_max.npy", training, ["sample", "epoch"], "lambda_max");
      await run.npy("spectra.npy", spectra, ["sample", "epoch", "i"], "lambda");
      const epochs = spectra.filter((r) => Number(r.sample) === 0 && Number(r.i) === 1);
      await run.npy("spectra_epochs.npy", epochs, ["epoch"], "epoch");
      for (let s = 0; s < samples; s++) {
        const t = trainers[s];
        const dir = await ensureFolder(outputRoot, sampleModelsPath(workflow, runName, s));
        const e = t.epoch;
        const n = t.network.n;
        const model = (name: string, data: string | Uint8Array) => run.write(name, data, `${dir}/${name}`);
        await model(networkFileName(e), JSON.stringify(networkFileJson(t.network)) + "\n");
        await model(npyFileName("weights", e), npyBytes(t.network.weights, [n, n]));
        for (const part of ["gains", "shifts"] as const) {
          if (t.options.train[part]) {
            await model(npyFileName(part, e), npyBytes(t.network[part], [t.network[part].length]));
          }
        }
        await model(CHECKPOINT_FILE, JSON.stringify(t.checkpoint()) + "\n");
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
      last.forEach((log, sample) => {
        const g = log.gradNorm;
        training.push({
          sample,
          epoch,
          loss: log.loss,
          lambda_max: log.lambdaMax,
          grad_norm_weights: g.weights ?? "",
          grad_norm_gains: g.gains ?? "",
          grad_norm_shifts: g.shifts ?? "",
          seconds: log.seconds,
        });
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
