/**
 * The frame of a workflow run: run folder and manifest, the worker pool, progress on stderr,
 * Ctrl-C handling (workers stopped, manifest marked `interrupted`, nothing half-written), and
 * the closing line that says where the results are.
 *
 * @module
 */

import { stringify } from "csv-stringify/sync";
import denoJson from "../deno.json" with { type: "json" };
import {
  type Cell,
  checkFolder,
  type Column,
  CORE_URL,
  createRunFolder,
  ensureFolder,
  FINISHED_FOLDER,
  holdRunLock,
  loadCore,
  loadFinished,
  type Manifest,
  MANIFEST_FILE,
  npyBytes,
  type OptionalColumn,
  parseManifest,
  releaseRunLock,
  type Row,
  runFolder,
  runFolderParts,
  runPath,
  runStatus,
  saveFinished,
  sha256,
  type Shard,
  shardIndices,
  shardPath,
  type SpectrumJob,
  type SpectrumResult,
  spectrumResultFromJson,
  spectrumResultJson,
  stringifyJson,
  tableCells,
  type TableSchema,
  type Threads,
  THREADS_CORE_URL,
  WorkerPool,
  type Workflow,
  writeFileAtomic,
  writeManifest,
} from "../src/deno.ts";
import { type ProgressDisplay, progressDisplay } from "./_progress.ts";
import { type ShardFlags, shardOf } from "./_options.ts";
import { readShardManifest, sameShardRun } from "./_shards.ts";

/** What a run is, for its folder and manifest. */
export interface RunSpec {
  workflow: Workflow;
  runName: string;
  root: string;
  command: string[];
  options: Record<string, unknown>;
  seed: number;
  workers: number;
  /** Threads per network (per Worker). */
  threads: number;
  /** Units of work in all, and what one is ("networks", "epochs"), for the progress bar. */
  total: number;
  label: string;
  /** Print no progress. @default {false} */
  quiet?: boolean;
  /** Write a run folder (false: compute only). @default {true} */
  persist?: boolean;
  /** Continue this existing run folder instead of creating one. */
  resume?: string;
}

/** The module a run with `threads` threads per network computes with. */
function coreUrl(threads: number): URL {
  return threads > 1 ? THREADS_CORE_URL : CORE_URL;
}

/** The manifest of a run starting now in `dir` (status running; the tool, its version, the core's sha256). */
export async function newManifest(
  spec: Pick<RunSpec, "workflow" | "command" | "options" | "seed" | "workers"> & { threads?: number },
  dir: string,
): Promise<Manifest> {
  const threads = spec.threads ?? 1;
  return {
    workflow: spec.workflow,
    run: dir.slice(dir.lastIndexOf("/") + 1),
    command: spec.command,
    options: spec.options,
    seed: spec.seed,
    tool: { name: "flybrain", version: denoJson.version },
    wasmSha256: await sha256(await Deno.readFile(coreUrl(threads))),
    workers: spec.workers,
    threads,
    start: new Date().toISOString(),
    status: "running",
    pid: Deno.pid,
    host: hostname(),
    files: [MANIFEST_FILE],
  };
}

/** A running workflow: its folder, manifest, worker pool and progress. */
export class WorkflowRun {
  /** The manifest (written at start, on every checkpoint and at the end). */
  readonly manifest: Manifest;
  /** The worker pool. */
  readonly pool: WorkerPool;
  #dir = "";
  #bar: ProgressDisplay;
  #persist: boolean;
  #lock?: Deno.FsFile;
  #onSigint = () => void this.#interrupt("SIGINT");
  #onSigterm = () => void this.#interrupt("SIGTERM");
  /** The folder's creation and first manifest, which an interruption waits for (no folder without manifest). */
  #opening: Promise<unknown> = Promise.resolve();
  /** The write in progress, which an interruption lets finish (so no file is left half-written). */
  #writing: Promise<unknown> = Promise.resolve();
  /** The last manifest write: manifest writes run one after the other, in the order asked. */
  #manifestWrite: Promise<unknown> = Promise.resolve();
  /** Set on a signal: the run writes nothing more but its `interrupted` manifest. */
  #stopping = false;

  private constructor(manifest: Manifest, pool: WorkerPool, persist: boolean, bar: ProgressDisplay) {
    this.manifest = manifest;
    this.pool = pool;
    this.#persist = persist;
    this.#bar = bar;
    Deno.addSignalListener("SIGINT", this.#onSigint);
    Deno.addSignalListener("SIGTERM", this.#onSigterm);
  }

  /** The run folder ("" when nothing is written). */
  get dir(): string {
    return this.#dir;
  }

  /**
   * Opens a run: loads the core and starts the pool, then (with its signal handling in place)
   * creates or reopens the folder, locks it and writes the manifest at once, so that a signal at
   * any moment leaves a folder with an `interrupted` manifest, or none.
   */
  static async open(spec: RunSpec): Promise<WorkflowRun> {
    const core = await loadCore(coreUrl(spec.threads));
    const manifest = await newManifest(spec, "");
    manifest.progress = { done: 0, total: spec.total };
    const pool = new WorkerPool(core.module, spec.workers, spec.threads);
    const persist = spec.persist !== false;
    const run = new WorkflowRun(
      manifest,
      pool,
      persist,
      progressDisplay(spec.workflow, spec.label, spec.quiet),
    );
    if (persist) {
      run.#opening = (async () => {
        const dir = spec.resume ?? await createRunFolder(spec.root, spec.workflow, spec.runName);
        run.#dir = dir;
        manifest.run = dir.slice(dir.lastIndexOf("/") + 1);
        run.#lock = await holdRunLock(dir);
        await run.#writeManifest();
      })();
      try {
        await run.#opening;
      } catch (e) {
        run.#removeListeners();
        pool.terminate();
        throw e;
      }
    }
    return run;
  }

  /** Sets the units of work done. */
  progress(done: number): void {
    this.manifest.progress!.done = done;
    this.#bar.report({ done, total: this.manifest.progress!.total });
  }

  /** Writes the manifest (atomically). */
  async saveManifest(): Promise<void> {
    if (this.#persist && !this.#stopping) await this.#writeManifest();
  }

  #writeManifest(): Promise<void> {
    const writing = this.#manifestWrite.then(() => writeManifest(this.dir, this.manifest));
    this.#manifestWrite = writing.catch(() => {});
    return this.#track(writing);
  }

  /** Writes a file of the run folder (listed in the manifest), or at `path` under the output root, atomically. */
  async write(name: string, data: string | Uint8Array, path = `${this.dir}/${name}`): Promise<void> {
    if (!this.#persist || this.#stopping) return;
    await this.#track(writeFileAtomic(path, data));
    if (path === `${this.dir}/${name}` && !this.manifest.files.includes(name)) this.manifest.files.push(name);
  }

  /** Keeps the result of finished item `index` durably (see {@linkcode saveFinished}), for `--resume`. */
  async keep(index: number, result: unknown): Promise<void> {
    if (this.#persist && !this.#stopping) await this.#track(saveFinished(this.dir, index, result));
  }

  /** Writes a CSV table of the run's schema (its header, then the rows; the optional columns when `withOptional`). */
  table<S extends TableSchema>(schema: S, rows: readonly Row<S>[], withOptional = false): Promise<void> {
    return this.write(schema.file, tableText(schema, rows, withOptional));
  }

  /**
   * Writes a `.npy` file (float64, C order) of a table's column laid out on a grid: one axis
   * per key column (its distinct values in order of first appearance), NaN where no row is.
   */
  npy<S extends TableSchema>(
    name: string,
    rows: readonly Row<S>[],
    keys: readonly (Column<S> | OptionalColumn<S>)[],
    column: Column<S> | OptionalColumn<S>,
  ): Promise<void> {
    return this.write(name, tableNpy(rows, keys, column));
  }

  /** Writes a JSON file. */
  json(name: string, value: unknown): Promise<void> {
    return this.write(name, jsonText(value));
  }

  /** Ends the run with a status (complete or failed, with the error), stops the pool. */
  async close(error?: unknown): Promise<void> {
    this.#removeListeners();
    this.#bar.stop();
    this.pool.terminate();
    this.manifest.status = error === undefined ? "complete" : "failed";
    if (error !== undefined) this.manifest.error = (error as Error).message ?? String(error);
    this.manifest.end = new Date().toISOString();
    await this.saveManifest();
    if (this.#lock) await releaseRunLock(this.dir, this.#lock);
  }

  #removeListeners(): void {
    Deno.removeSignalListener("SIGINT", this.#onSigint);
    Deno.removeSignalListener("SIGTERM", this.#onSigterm);
  }

  /** Records a write in progress (see #writing); returns it. */
  #track(writing: Promise<void>): Promise<void> {
    this.#writing = Promise.all([this.#writing, writing.catch(() => {})]);
    return writing;
  }

  /** Stops the run on a signal: workers stopped, manifest `interrupted`, exit 128 + signal number. */
  async #interrupt(signal: "SIGINT" | "SIGTERM"): Promise<void> {
    this.#stopping = true;
    this.pool.terminate();
    this.#bar.stop();
    await this.#opening.catch(() => {});
    await this.#writing;
    this.manifest.status = "interrupted";
    this.manifest.end = new Date().toISOString();
    if (this.#persist && this.#dir !== "") await this.#writeManifest();
    if (this.#lock) await releaseRunLock(this.dir, this.#lock);
    const { done, total } = this.manifest.progress!;
    console.error(
      `interrupted after ${done} of ${total}: ${this.dir || "nothing saved"} (marked interrupted)`,
    );
    Deno.exit(signal === "SIGINT" ? 130 : 143);
  }
}

/** The text of a CSV table of the run's schema (header, rows; the optional columns when `withOptional`). */
export function tableText<S extends TableSchema>(
  schema: S,
  rows: readonly Row<S>[],
  withOptional = false,
): string {
  return stringify(tableCells(schema, rows, withOptional));
}

/** The bytes of a `.npy` file of a table's column on the grid of its key columns (see {@linkcode tableArray}). */
export function tableNpy<S extends TableSchema>(
  rows: readonly Row<S>[],
  keys: readonly (Column<S> | OptionalColumn<S>)[],
  column: Column<S> | OptionalColumn<S>,
): Uint8Array {
  const { values, shape } = tableArray(rows as readonly Record<string, Cell | undefined>[], keys, column);
  return npyBytes(values, shape);
}

/** The text of a JSON file of a run (one line). */
export function jsonText(value: unknown): string {
  return stringifyJson(value) + "\n";
}

/** Writes the files of a finished run. */
export type RunWriter = Pick<WorkflowRun, "dir" | "table" | "npy" | "json">;

/**
 * A table's column as a dense array: axis k runs over the distinct values of column `keys[k]`
 * (in order of first appearance); cells no row fills are NaN. Values are read with Number.
 */
export function tableArray(
  rows: readonly Record<string, Cell | undefined>[],
  keys: readonly string[],
  column: string,
): { values: Float64Array; shape: number[]; axes: Cell[][] } {
  const index = keys.map(() => new Map<string, number>());
  const axes: Cell[][] = keys.map(() => []);
  const at = rows.map((row) =>
    keys.map((c, k) => {
      const key = String(row[c]);
      let i = index[k].get(key);
      if (i === undefined) {
        i = axes[k].length;
        index[k].set(key, i);
        axes[k].push(row[c]!);
      }
      return i;
    })
  );
  const shape = axes.map((a) => a.length);
  const values = new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(NaN);
  rows.forEach((row, r) => {
    const flat = at[r].reduce((acc, i, k) => acc * shape[k] + i, 0);
    const cell = row[column];
    values[flat] = cell === undefined || cell === "" ? NaN : Number(cell);
  });
  return { values, shape, axes };
}

/** What a one-batch workflow asks of the frame: its run and its jobs. */
export interface WorkflowSpec extends Omit<RunSpec, "total"> {
  jobs: SpectrumJob[];
  /** Compute only this shard's jobs into `<run>/shards/<I>/` (docs/design.md#17-shards-and-slurm). */
  shard?: Shard;
}

/** Writes a workflow's files from the results of all its jobs, in job order (returns its summary S). */
export type SaveResults<S = void> = (out: RunWriter, results: SpectrumResult[]) => Promise<S>;

/**
 * Runs the jobs of a workflow in a fresh run folder (or, with `resume`, the jobs a stopped run
 * had not finished); `save` writes its results. Each finished job's result is saved at once,
 * durably, in `finished/<index>.json`, and the manifest's progress follows; the folder goes when
 * the run's files are written. Returns the folder (undefined when `persist` is false: then
 * nothing is written). With a shard, runs only the shard's jobs in the shard's folder of the
 * parameter-named run folder and keeps their results there (`flybrain merge` later calls the same
 * `save` on all of them).
 */
export async function runWorkflow(spec: WorkflowSpec, save: SaveResults): Promise<string | undefined> {
  const shard = spec.shard;
  if (shard !== undefined && spec.persist === false) {
    throw new RangeError("a shard must write its results: --save false with --shard");
  }
  // A shard enters its folder (a requeued task finds its finished results there) and records its shard,
  // even when it came from the environment (a Slurm array task).
  const entered = shard === undefined ? undefined : await enterShard(spec, shard);
  const dir = entered?.dir ?? spec.resume;
  const indices = shard === undefined ? [...spec.jobs.keys()] : shardIndices(spec.jobs.length, shard);
  const run = await WorkflowRun.open({ ...spec, ...entered, resume: dir, total: indices.length });
  try {
    const results: SpectrumResult[] = new Array(spec.jobs.length);
    if (dir) {
      (await loadFinished(run.dir, spec.jobs.length)).forEach((json, i) => {
        if (json !== undefined) results[i] = spectrumResultFromJson(json);
      });
    }
    const todo = indices.filter((i) => results[i] === undefined);
    let done = indices.length - todo.length;
    if (spec.resume || done > 0) {
      console.error(`Resuming ${run.dir}: ${done} of ${indices.length} ${spec.label} done`);
    }
    run.progress(done);
    let saving = Promise.resolve();
    await run.pool.map(todo.map((i) => spec.jobs[i]), (j, result) => {
      const i = todo[j];
      results[i] = result;
      saving = saving.then(async () => {
        await run.keep(i, spectrumResultJson(result));
        run.progress(++done);
        await run.saveManifest();
      });
    });
    await saving;
    // A shard keeps its finished results for `flybrain merge`; a whole run writes its files.
    if (shard === undefined) {
      await save(run, results);
      if (spec.persist !== false) {
        await Deno.remove(`${run.dir}/${FINISHED_FOLDER}`, { recursive: true }).catch(() => {});
      }
    }
  } catch (e) {
    await run.close(e);
    throw e;
  }
  await run.close();
  return spec.persist === false ? undefined : run.dir;
}

/**
 * Enters the folder of a shard (`<run>/shards/<I>/`) of the run folder its options name (or
 * `spec.resume`), created when absent: a shard started again (a requeued Slurm task) finds its
 * own results there. Refuses, before creating anything, a run folder that already holds a whole
 * or merged run, and a shard folder that holds a shard of another command, options, tool version
 * or wasm core. Returns the folder and the command and options to record (with `--resume`, those
 * the shard recorded first, so that it merges with its siblings).
 */
export async function enterShard(
  spec: Omit<RunSpec, "total" | "label">,
  shard: Shard,
): Promise<{ dir: string; command: string[]; options: Record<string, unknown> }> {
  const runDir = spec.resume ?? `${spec.root}/${runPath(spec.workflow, spec.runName)}`;
  const { root, workflow, run } = runFolderParts(runDir);
  const name = `shard ${shard.index}/${shard.count}`;
  if ((await Deno.stat(`${runDir}/${MANIFEST_FILE}`).catch(() => undefined)) !== undefined) {
    throw new Error(`Cannot run ${name} in ${runDir}: it holds a whole or merged run`);
  }
  const options = { ...spec.options, shard };
  const before = await readShardManifest(`${runDir}/${shardPath(shard)}`);
  if (before !== undefined && spec.resume !== undefined) {
    return { dir: `${runDir}/${shardPath(shard)}`, command: before.command, options: before.options };
  }
  if (before !== undefined && !sameShardRun(before, await newManifest({ ...spec, options }, runDir))) {
    throw new Error(
      `Cannot run ${name} in ${runDir}: its folder holds a shard of another command, options, tool version ` +
        `or wasm core; give another --out or remove ${runDir}/${shardPath(shard)}`,
    );
  }
  return {
    dir: await ensureFolder(root, `${runPath(workflow, run)}/${shardPath(shard)}`),
    command: spec.command,
    options,
  };
}

/** This machine's name, when the sandbox lets us know. */
function hostname(): string | undefined {
  try {
    return Deno.hostname();
  } catch {
    return undefined;
  }
}

/** Flags every workflow has, and `--resume`, `--dry-run`. */
export interface ResumableFlags {
  out: string;
  workers?: number;
  threads?: Threads;
  json?: boolean;
  quiet?: boolean;
  resume?: string;
  dryRun?: boolean;
}

/**
 * The options of a workflow run: the flags, or with `--resume` the recorded options of that run
 * (its manifest) with the new `--out`, `--workers`, `--threads`, `--json`, `--quiet`; checks the options a run
 * needs (`required`: option key → its flag). Returns them with the run folder to resume, if any.
 * A run still running, or already complete, cannot be resumed.
 */
export async function resumableOptions<F extends ResumableFlags>(
  workflow: Workflow,
  flags: F,
  required: Partial<Record<keyof F, string>>,
): Promise<{ o: F; resume?: string }> {
  let o = flags;
  let resume: string | undefined;
  if (flags.resume !== undefined) {
    resume = flags.resume.includes("/") ? flags.resume : runFolder(flags.out, workflow, flags.resume);
    const run = runFolderParts(resume);
    await checkFolder(run.root, runPath(run.workflow, run.run));
    // A shard resumes from its own folder's manifest.
    const shard = shardOf(flags as ShardFlags);
    const dir = shard === undefined ? resume : `${resume}/${shardPath(shard)}`;
    let manifest: Manifest;
    try {
      const path = `${dir}/${MANIFEST_FILE}`;
      manifest = parseManifest(JSON.parse(await Deno.readTextFile(path)), path);
    } catch (e) {
      throw new Error(`Cannot resume ${dir}: ${(e as Error).message}`);
    }
    if (manifest.workflow !== workflow) throw new Error(`Cannot resume ${dir}: not a ${workflow} run`);
    const status = await runStatus(dir, manifest);
    if (status === "running") {
      throw new Error(
        `Cannot resume ${dir}: it is still running (pid ${manifest.pid} on ${manifest.host})`,
      );
    }
    if (status === "complete") throw new Error(`Cannot resume ${dir}: it is complete`);
    o = {
      ...manifest.options,
      workers: flags.workers,
      threads: flags.threads,
      json: flags.json,
      quiet: flags.quiet,
      out: flags.out,
      resume: flags.resume,
    } as F;
  }
  for (const [key, flag] of Object.entries(required)) {
    if (o[key as keyof F] === undefined) {
      throw new RangeError(`required option '${flag}' not specified (unless --resume)`);
    }
  }
  return { o, resume };
}

/** The options to record in a run's manifest: the flags without those of this invocation only. */
export function recordedOptions<F extends ResumableFlags>(o: F): Record<string, unknown> {
  const { resume: _r, workers: _w, threads: _t, json: _j, quiet: _q, dryRun: _d, ...recorded } = o;
  return recorded;
}
