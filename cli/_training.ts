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
  type Cell,
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
  runFolder,
  runFolderParts,
  sampleModelsFolder,
  sampleModelsPath,
  type Shard,
  shardFolder,
  shardIndices,
  type SpectrumJob,
  type TableSchema,
  type TrainCheckpoint,
  Trainer,
  TRAINING_SPECTRA_TABLE,
  TRAINING_TABLE,
  type TrainOptions,
  type TrainSelection,
} from "../src/deno.ts";
import { shardOf, type TrainingFlags } from "./_options.ts";
import { checkWorkflowPlan } from "./_plan.ts";
import { enterShard, type RunSpec, type RunWriter, WorkflowRun } from "./_workflow.ts";

/** One training of a workflow. */
export interface TrainingSample {
  network: Network;
  options: TrainOptions;
}

/** What a training workflow asks of the loop. */
export interface TrainingSpec extends Omit<RunSpec, "total" | "label"> {
  /** Samples of the whole run. */
  samples: number;
  /** Sample `index` (its network and options derive from the run seed and the index alone). */
  sample: (index: number) => TrainingSample;
  epochs: number;
  logEvery: number;
  /** Exponents of the logged spectra. */
  logNle: number;
  /** Train only this shard's samples, its tables in `<run>/shards/<I>/` (docs/design.md#17-shards-and-slurm). */
  shard?: Shard;
}

/** The fields of a training's spec that its flags give as they are (`resume`: the run to continue). */
export function trainingFields(o: TrainingFlags, command: string[], resume?: string) {
  return {
    root: o.out,
    quiet: o.quiet,
    command,
    seed: o.seed,
    samples: o.n_samples,
    epochs: o.n_epochs,
    logEvery: o.log_every,
    resume,
    shard: shardOf(o),
  };
}

/** The last epoch of one sample, for a run's summary. */
export interface SampleSummary {
  sample: number;
  epoch: number;
  loss: number;
  lambdaMax: number;
}

/** Whether a training logs its spectra, models and checkpoint after `epoch` (epoch 0: before training). */
export function loggedEpoch(epoch: number, epochs: number, logEvery: number): boolean {
  return epoch % logEvery === 0 || epoch === epochs;
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

/**
 * Writes the tables of a training from its rows, in the order of a run that never stopped (by
 * epoch, then sample, then exponent): `training.csv`, `spectra.csv` and, unless `arrays` is false
 * (a shard keeps only its rows), the numpy twins. A whole run writes them at every log and
 * `flybrain merge` writes them from all the shards' rows.
 */
export async function saveTrainingTables(
  out: RunWriter,
  training: Row<typeof TRAINING_TABLE>[],
  spectra: Row<typeof TRAINING_SPECTRA_TABLE>[],
  arrays = true,
): Promise<void> {
  const order = (keys: string[]) => (a: Record<string, Cell>, b: Record<string, Cell>) => {
    for (const k of keys) if (Number(a[k]) !== Number(b[k])) return Number(a[k]) - Number(b[k]);
    return 0;
  };
  training.sort(order(["epoch", "sample"]));
  spectra.sort(order(["epoch", "sample", "i"]));
  await out.table(TRAINING_TABLE, training);
  await out.table(TRAINING_SPECTRA_TABLE, spectra);
  if (!arrays) return;
  await out.npy("loss.npy", training, ["sample", "epoch"], "loss");
  await out.npy("lambda_max.npy", training, ["sample", "epoch"], "lambda_max");
  await out.npy("spectra.npy", spectra, ["sample", "epoch", "i"], "lambda");
  const epochs = spectra.filter((r) => Number(r.sample) === 0 && Number(r.i) === 1);
  await out.npy("spectra_epochs.npy", epochs, ["epoch"], "epoch");
}

/**
 * Checks a training before anything is written: its plan (the memory of `trained` samples, of
 * which `sample` is one, computed `spec.workers` at once) and its options (a Trainer of `sample`).
 */
export async function checkTraining(
  spec: TrainingSpec,
  sample: TrainingSample = spec.sample(0),
  trained = spec.samples,
): Promise<void> {
  await checkWorkflowPlan({
    kind: "gradient",
    n: sample.network.n,
    nnz: countConnections(sample.network),
    options: sample.options,
    networks: Math.max(1, trained),
    parallel: spec.workers,
  });
  void new Trainer(sample.network, sample.options);
}

/** A sample's checkpoint in its models folder (undefined when it has none yet). */
function readCheckpoint(runDir: string, sample: number): TrainCheckpoint | undefined {
  const path = `${sampleModelsFolder(runDir, sample)}/${CHECKPOINT_FILE}`;
  try {
    return JSON.parse(Deno.readTextFileSync(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw new Error(`Cannot resume ${runDir}: cannot read ${path} (${(e as Error).message})`);
  }
}

/**
 * Runs (or resumes) a training workflow, or one shard of it; returns the folder of its tables
 * and each trained sample's last epoch. Resuming (`--resume`, or a shard started again) continues
 * each sample from its checkpoint with its table rows up to the checkpoint's epoch; a sample
 * without a checkpoint, or whose rows are not all there, starts again from epoch 0.
 */
export async function runTraining(spec: TrainingSpec): Promise<{ dir: string; samples: SampleSummary[] }> {
  const shard = spec.shard;
  // The samples this process trains, by their index in the run.
  const indices = shard === undefined
    ? Array.from({ length: spec.samples }, (_, s) => s)
    : shardIndices(spec.samples, shard);
  const samples = indices.map((s) => spec.sample(s));
  // The plan, then the trainers: bad options, too little memory or a bad checkpoint fail
  // before anything is written.
  await checkTraining(spec, samples[0], samples.length);
  const training: Row<typeof TRAINING_TABLE>[] = [];
  const spectra: Row<typeof TRAINING_SPECTRA_TABLE>[] = [];
  const trainers = samples.map((s) => new Trainer(s.network, s.options));
  // A shard checks its folder first: it may hold another command's shard.
  const shardRun = shard === undefined ? undefined : await enterShard(spec, shard);
  // A whole run resumes from its folder; a shard from its folder in the run folder (its rows) and
  // the run's models (the checkpoints), whenever they are there.
  const runDir = shard === undefined
    ? spec.resume
    : spec.resume ?? runFolder(spec.root, spec.workflow, spec.runName);
  const tablesDir = shard === undefined ? spec.resume : runDir && shardFolder(runDir, shard);
  /** Positions (in `indices`) of the samples whose epoch 0 is logged. */
  const started = new Set<number>();
  if (runDir !== undefined && tablesDir !== undefined) {
    const rows = readRows(tablesDir, TRAINING_TABLE);
    const logged = readRows(tablesDir, TRAINING_SPECTRA_TABLE);
    indices.forEach((s, p) => {
      const checkpoint = readCheckpoint(runDir, s);
      if (checkpoint === undefined) return;
      // The rows up to the checkpoint, their cells verbatim (so the files stay bit-identical).
      const upTo = (r: { sample: Cell; epoch: Cell }) =>
        Number(r.sample) === s && Number(r.epoch) <= checkpoint.epoch;
      const mine = rows.filter(upTo);
      if (mine.length !== checkpoint.epoch) return;
      training.push(...mine);
      spectra.push(...logged.filter(upTo));
      trainers[p] = new Trainer(samples[p].network, samples[p].options, checkpoint);
      started.add(p);
    });
  }
  const run = await WorkflowRun.open({
    ...spec,
    ...shardRun,
    resume: shardRun?.dir ?? spec.resume,
    total: spec.epochs,
    label: "epochs",
  });
  const lowest = () => Math.min(spec.epochs, ...trainers.map((t) => t.epoch));
  if (spec.resume || started.size > 0) console.error(`Resuming ${run.dir} at epoch ${lowest()}`);
  run.progress(lowest());
  try {
    const { root: outputRoot, workflow, run: runName } = runFolderParts(runDir ?? run.dir);
    const spectrumJob = (t: Trainer): SpectrumJob => ({
      kind: "spectrum",
      network: t.network,
      options: { ...t.gradientJob().options, nle: spec.logNle, history: false },
    });
    /** Logs the spectra of the samples at `positions` after `epoch`, writes the tables and their models. */
    const log = async (positions: number[], epoch: number) => {
      const results = await run.pool.map(positions.map((p) => spectrumJob(trainers[p])));
      results.forEach((r, j) =>
        r.exponents.forEach((lambda, i) =>
          spectra.push({ sample: indices[positions[j]], epoch, i: i + 1, lambda })
        )
      );
      await saveTrainingTables(run, training, spectra, shard === undefined);
      for (const p of positions) {
        const t = trainers[p];
        const dir = await ensureFolder(outputRoot, sampleModelsPath(workflow, runName, indices[p]));
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
    const fresh = [...trainers.keys()].filter((p) => !started.has(p));
    if (fresh.length > 0) await log(fresh, 0);

    const last = new Map<number, EpochLog>();
    // Every sample behind takes the epoch's step (after a resume, samples may stand at different epochs).
    for (let epoch = lowest() + 1; epoch <= spec.epochs; epoch++) {
      const active = [...trainers.keys()].filter((p) => trainers[p].epoch === epoch - 1);
      const results = await run.pool.map(active.map((p) => trainers[p].gradientJob()));
      active.forEach((p, j) => {
        const entry = trainers[p].apply(results[j]);
        last.set(p, entry);
        const g = entry.gradNorm;
        training.push({
          sample: indices[p],
          epoch,
          loss: entry.loss,
          lambda_max: entry.lambdaMax,
          grad_norm_weights: g.weights ?? "",
          grad_norm_gains: g.gains ?? "",
          grad_norm_shifts: g.shifts ?? "",
          seconds: entry.seconds,
        });
      });
      run.progress(epoch);
      if (loggedEpoch(epoch, spec.epochs, spec.logEvery)) await log(active, epoch);
    }
    run.progress(spec.epochs);
    await run.close();
    const summary = [...last.keys()].sort((a, b) => a - b).map((p) => {
      const { epoch, loss, lambdaMax } = last.get(p)!;
      return { sample: indices[p], epoch, loss, lambdaMax };
    });
    return { dir: run.dir, samples: summary };
  } catch (e) {
    await run.close(e);
    throw e;
  }
}

/**
 * The shards of a training run, for `flybrain merge`: every shard's table rows, checked to be
 * those of its own samples, for every epoch and logged epoch, with each sample's final model in
 * place; returns the step that writes the run's tables from all of them (the one a whole run
 * uses) and the run's epochs.
 */
export async function collectTraining(
  runDir: string,
  count: number,
  options: Record<string, unknown>,
): Promise<{ save: (out: RunWriter) => Promise<void>; total: number }> {
  const samples = options.n_samples as number;
  const epochs = options.n_epochs as number;
  const logEvery = options.log_every as number;
  const training: Row<typeof TRAINING_TABLE>[] = [];
  const spectra: Row<typeof TRAINING_SPECTRA_TABLE>[] = [];
  const fault = (what: string) => new Error(`Cannot merge ${runDir}: ${what}`);
  const logged = Array.from({ length: epochs + 1 }, (_, e) => e).filter((e) =>
    loggedEpoch(e, epochs, logEvery)
  );
  for (let index = 0; index < count; index++) {
    const dir = shardFolder(runDir, { index, count });
    const rows = readRows(dir, TRAINING_TABLE);
    const spectrumRows = readRows(dir, TRAINING_SPECTRA_TABLE);
    const own = shardIndices(samples, { index, count });
    const foreign = [...rows, ...spectrumRows].find((r) => !own.includes(Number(r.sample)));
    if (foreign !== undefined) throw fault(`shard ${index} holds sample ${foreign.sample}, not its own`);
    for (const s of own) {
      const epochsOf = (list: { sample: Cell; epoch: Cell }[]) =>
        list.filter((r) => Number(r.sample) === s).map((r) => Number(r.epoch));
      const trained = epochsOf(rows).join();
      if (
        trained !== Array.from({ length: epochs }, (_, e) => e + 1).join() ||
        [...new Set(epochsOf(spectrumRows))].join() !== logged.join()
      ) {
        throw fault(`shard ${index} lacks epochs of sample ${s}`);
      }
      const model = `${sampleModelsFolder(runDir, s)}/${networkFileName(epochs)}`;
      if ((await Deno.stat(model).catch(() => undefined)) === undefined) {
        throw fault(`shard ${index} lacks the final model of sample ${s} (${model})`);
      }
    }
    training.push(...rows);
    spectra.push(...spectrumRows);
  }
  return { save: (out) => saveTrainingTables(out, training, spectra), total: epochs };
}
