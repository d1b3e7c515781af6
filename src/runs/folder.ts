/**
 * Run folders on disk (Deno): `<root>/logs/<workflow>/<run>/` (schema.ts) with a
 * manifest, never overwriting an earlier run, every file written atomically.
 *
 * @module
 */

import { writeFileAtomic } from "../atomic_write.ts";
import { parseJson, stringifyJson } from "../json_numbers.ts";
import { ensureFolder } from "../safe_folder.ts";
import { SHARDS_FOLDER } from "../shard.ts";
import {
  FINISHED_FOLDER,
  logsPath,
  type Manifest,
  MANIFEST_FILE,
  modelsFolder,
  RUN_LOCK_FILE,
  type RunStatus,
  type Workflow,
  WORKFLOWS,
} from "./schema.ts";

/**
 * Creates `<root>/logs/<workflow>/<name>/`, or `<name>_2`, `<name>_3`, … when it exists
 * (the creation itself is the check, so two runs never share a folder). Returns its path.
 * A symbolic link below the root is refused (see {@linkcode ensureFolder}).
 */
export async function createRunFolder(root: string, workflow: Workflow, name: string): Promise<string> {
  const parent = await ensureFolder(root, logsPath(workflow));
  for (let i = 1;; i++) {
    const dir = `${parent}/${i === 1 ? name : `${name}_${i}`}`;
    try {
      await Deno.mkdir(dir);
      return dir;
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
  }
}

/** Hex sha256 of some bytes. */
export async function sha256(bytes: BufferSource): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Writes `manifest.json` in a run folder (atomically). */
export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(`${dir}/${MANIFEST_FILE}`, JSON.stringify(manifest, null, 2) + "\n");
}

/** Creates and locks the run's lock file; release it with {@linkcode releaseRunLock}. */
export async function holdRunLock(dir: string): Promise<Deno.FsFile> {
  const file = await Deno.open(`${dir}/${RUN_LOCK_FILE}`, { create: true, write: true });
  if (!(await file.tryLock(true))) {
    file.close();
    throw new Error(`Cannot run in ${dir}: another process is running there`);
  }
  return file;
}

/** Unlocks and removes the run's lock file. */
export async function releaseRunLock(dir: string, lock: Deno.FsFile): Promise<void> {
  await Deno.remove(`${dir}/${RUN_LOCK_FILE}`).catch(() => {});
  lock.close();
}

/**
 * The status of a run as it really is: a manifest that says `running` while no process holds
 * the run's lock (a crash, SIGKILL, a preempted job) is `interrupted`.
 */
export async function runStatus(dir: string, manifest: Pick<Manifest, "status">): Promise<RunStatus> {
  if (manifest.status !== "running") return manifest.status;
  let file: Deno.FsFile;
  try {
    file = await Deno.open(`${dir}/${RUN_LOCK_FILE}`, { read: true });
  } catch {
    return "interrupted";
  }
  try {
    return (await file.tryLock(true)) ? "interrupted" : "running";
  } finally {
    file.close();
  }
}

/** Writes the result of item `index` of a run durably: atomically and flushed to the disk. */
export async function saveFinished(dir: string, index: number, result: unknown): Promise<void> {
  await Deno.mkdir(`${dir}/${FINISHED_FOLDER}`, { recursive: true });
  await writeFileAtomic(`${dir}/${FINISHED_FOLDER}/${index}.json`, stringifyJson(result) + "\n", {
    sync: true,
  });
}

/** The saved results of items 0..count−1 of a run (undefined where an item has none). */
export async function loadFinished(dir: string, count: number): Promise<unknown[]> {
  const out: unknown[] = new Array(count);
  for (let i = 0; i < count; i++) {
    try {
      out[i] = parseJson(await Deno.readTextFile(`${dir}/${FINISHED_FOLDER}/${i}.json`));
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return out;
}

/** A run found under an output root. */
export interface RunInfo {
  workflow: string;
  run: string;
  /** Its folder. */
  dir: string;
  /**
   * Its real status (see {@linkcode runStatus}); a run in shards not merged yet has its shards'
   * (running, failed or interrupted when one of them is), else `unmerged`.
   */
  status: RunStatus | "unmerged";
  /** Items done, or for a run in shards not merged yet, shards complete out of all. */
  progress?: { done: number; total: number };
  /** A run in shards not merged yet: how many shards the run has. */
  shards?: number;
  start?: string;
  end?: string;
  pid?: number;
  host?: string;
  /** Bytes of its files: the run folder and its models folder. */
  bytes: number;
}

async function folderBytes(dir: string): Promise<number> {
  let bytes = 0;
  try {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) bytes += await folderBytes(path);
      else if (entry.isFile) bytes += (await Deno.stat(path)).size;
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return bytes;
}

/** A folder's manifest, or undefined when it has none (or one that does not parse). */
async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(`${dir}/${MANIFEST_FILE}`));
  } catch {
    return undefined;
  }
}

const SHARD_STATUS_ORDER: readonly RunStatus[] = ["running", "failed", "interrupted"];

/**
 * The state of a run in shards not merged yet (no manifest of its own), from its shards'
 * manifests; undefined when the folder has no shard either.
 */
async function shardsState(
  dir: string,
): Promise<Omit<RunInfo, "workflow" | "run" | "dir" | "bytes"> | undefined> {
  const shards: { status: RunStatus; manifest: Manifest }[] = [];
  for (const name of await subfolders(`${dir}/${SHARDS_FOLDER}`)) {
    const shardDir = `${dir}/${SHARDS_FOLDER}/${name}`;
    const manifest = await readManifest(shardDir);
    if (manifest) shards.push({ status: await runStatus(shardDir, manifest), manifest });
  }
  if (shards.length === 0) return undefined;
  const count = Math.max(
    shards.length,
    ...shards.map((s) => (s.manifest.options as { shard?: { count?: number } }).shard?.count ?? 0),
  );
  const complete = shards.filter((s) => s.status === "complete").length;
  const starts = shards.map((s) => s.manifest.start).sort();
  const ends = shards.map((s) => s.manifest.end ?? "").sort();
  return {
    status: SHARD_STATUS_ORDER.find((status) => shards.some((s) => s.status === status)) ?? "unmerged",
    progress: { done: complete, total: count },
    shards: count,
    start: starts[0],
    end: complete === count ? ends.at(-1) : undefined,
  };
}

/** The names of a folder's subfolders, sorted; none when it does not exist. */
async function subfolders(dir: string): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(dir))).filter((e) => e.isDirectory).map((e) => e.name).sort();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/**
 * The runs under an output root (`<root>/logs/<workflow>/<run>/manifest.json`), by workflow
 * then start time; folders without a readable manifest are skipped.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const runs = await listRuns("tests/fixtures/runs");
 * equal(runs.filter((r) => r.workflow === "transition_2_chaos").length, 3);
 * ```
 */
export async function listRuns(root: string): Promise<RunInfo[]> {
  const out: RunInfo[] = [];
  for (const workflow of await subfolders(`${root}/logs`)) {
    for (const run of await subfolders(`${root}/logs/${workflow}`)) {
      const dir = `${root}/logs/${workflow}/${run}`;
      const m = await readManifest(dir);
      const state = m
        ? {
          status: await runStatus(dir, m),
          progress: m.progress,
          start: m.start,
          end: m.end,
          pid: m.pid,
          host: m.host,
        }
        : await shardsState(dir);
      if (state === undefined) continue;
      out.push({
        workflow,
        run,
        dir,
        ...state,
        bytes: await folderBytes(dir) +
          (WORKFLOWS.includes(workflow as Workflow) ? await folderBytes(modelsFolder(dir)) : 0),
      });
    }
  }
  return out.sort((a, b) =>
    a.workflow.localeCompare(b.workflow) || (a.start ?? "").localeCompare(b.start ?? "")
  );
}
