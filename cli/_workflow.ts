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
  CORE_URL,
  loadCore,
  type SpectrumJob,
  type SpectrumResult,
  WorkerPool,
  writeFileAtomic,
} from "../src/mod.ts";
import { createRunFolder, type Manifest, sha256, writeManifest } from "../src/run_folder.ts";
import { progressBar } from "./_progress.ts";

/** What a workflow asks of the frame. */
export interface WorkflowSpec {
  workflow: string;
  runName: string;
  root: string;
  command: string[];
  options: Record<string, unknown>;
  seed: number;
  workers: number;
  jobs: SpectrumJob[];
  /** What one job is, for the progress bar ("networks", "samples"). */
  label: string;
  /** Write a run folder (false: compute and summarise only). @default {true} */
  persist?: boolean;
}

/** Writes the files of a finished run. */
export interface RunWriter {
  /** The run folder. */
  dir: string;
  /** Writes a CSV file (header + rows), atomically. */
  csv(name: string, header: string[], rows: unknown[][]): Promise<void>;
  /** Writes a JSON file, atomically. */
  json(name: string, value: unknown): Promise<void>;
}

/**
 * Runs the jobs of a workflow in a fresh run folder; `save` writes its results. Returns the
 * folder (undefined when `persist` is false: then nothing is written).
 */
export async function runWorkflow(
  spec: WorkflowSpec,
  save: (out: RunWriter, results: SpectrumResult[]) => Promise<void>,
): Promise<string | undefined> {
  const core = await loadCore();
  if (spec.persist === false) {
    const pool = new WorkerPool(core.module, spec.workers);
    const bar = progressBar(spec.jobs.length, spec.label);
    let done = 0;
    try {
      const results = await pool.map(spec.jobs, () => bar.update(++done));
      await save({ dir: "", csv: async () => {}, json: async () => {} }, results);
      return undefined;
    } finally {
      bar.stop();
      pool.terminate();
    }
  }
  const wasmSha256 = await sha256(await Deno.readFile(CORE_URL));
  const dir = await createRunFolder(spec.root, spec.workflow, spec.runName);
  const manifest: Manifest = {
    workflow: spec.workflow,
    run: dir.slice(dir.lastIndexOf("/") + 1),
    command: spec.command,
    options: spec.options,
    seed: spec.seed,
    tool: { name: "flybrain", version: denoJson.version },
    wasmSha256,
    workers: spec.workers,
    start: new Date().toISOString(),
    status: "running",
    progress: { done: 0, total: spec.jobs.length },
    files: ["manifest.json"],
  };
  await writeManifest(dir, manifest);
  const pool = new WorkerPool(core.module, spec.workers);
  const bar = progressBar(spec.jobs.length, spec.label);
  let done = 0;
  const onInterrupt = async () => {
    pool.terminate();
    bar.stop();
    manifest.status = "interrupted";
    manifest.end = new Date().toISOString();
    manifest.progress = { done, total: spec.jobs.length };
    await writeManifest(dir, manifest);
    console.error(
      `interrupted after ${done} of ${spec.jobs.length} ${spec.label}: ${dir} (marked interrupted)`,
    );
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  Deno.addSignalListener("SIGTERM", onInterrupt);
  try {
    const results = await pool.map(spec.jobs, () => bar.update(++done));
    bar.stop();
    manifest.progress = { done, total: spec.jobs.length };
    const out: RunWriter = {
      dir,
      csv: async (name, header, rows) => {
        await writeFileAtomic(`${dir}/${name}`, stringify([header, ...rows]));
        manifest.files.push(name);
      },
      json: async (name, value) => {
        await writeFileAtomic(`${dir}/${name}`, JSON.stringify(value) + "\n");
        manifest.files.push(name);
      },
    };
    await save(out, results);
    manifest.status = "complete";
    return dir;
  } catch (e) {
    bar.stop();
    manifest.status = "failed";
    manifest.error = (e as Error).message;
    throw e;
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
    Deno.removeSignalListener("SIGTERM", onInterrupt);
    pool.terminate();
    manifest.end = new Date().toISOString();
    if (manifest.status !== "interrupted") await writeManifest(dir, manifest);
  }
}
