/**
 * `flybrain merge RUN_DIR`: the shards of a sweep or a training (`<run>/shards/<I>/`, written by
 * `--shard I/N` or the tasks of a Slurm array) into the files a single-process run writes, by the
 * workflow's own save step on all the results (a sweep's finished results in job order, a
 * training's table rows), so the files are the same bytes. Every shard must be present, complete
 * and from the same command, options, tool version and wasm core; otherwise one line names the
 * shards at fault and nothing is written.
 *
 * @module
 */

import { Command } from "commander";
import {
  checkFolder,
  type Manifest,
  MANIFEST_FILE,
  runFolderParts,
  runPath,
  runStatus,
  type Shard,
  SHARDS_FOLDER,
  writeFileAtomic,
  writeManifest,
} from "../src/deno.ts";
import { RunFolderArgument } from "./_path_option.ts";
import { jsonText, type RunWriter, tableNpy, tableText } from "./_workflow.ts";
import { shardedOf } from "./_sweeps.ts";
import { readShardManifest, sameShardRun, shardSignature } from "./_shards.ts";

/** The `merge` command. */
export const mergeCommand = new Command("merge")
  .description("merge the shards of a run (<out>/logs/<workflow>/<run>/shards/*) into the run's files")
  .addArgument(new RunFolderArgument("<run_dir>", "the run folder (<out>/logs/<workflow>/<run>)"))
  .action(async (runDir: string) => {
    const { files, shards } = await mergeRun(runDir.replace(/\/+$/, ""));
    console.error(`Merged ${shards} shards: ${runDir} (${files.join(", ")})`);
  });

/** The shard index a manifest records (Infinity when it records none). */
function shardIndexOf(m: Manifest): number {
  return (m.options.shard as Shard | undefined)?.index ?? Infinity;
}

/**
 * Merges the shards of a run folder into its files and a manifest with each shard's timings.
 * Throws one line naming the missing, failed, duplicated or inconsistent shards (nothing written).
 */
export async function mergeRun(runDir: string): Promise<{ files: string[]; shards: number }> {
  const { root, workflow, run } = runFolderParts(runDir);
  await checkFolder(root, runPath(workflow, run));
  const sharded = shardedOf(workflow);
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(`${runDir}/${SHARDS_FOLDER}`)) if (e.isDirectory) names.push(e.name);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (names.length === 0) throw new Error(`Cannot merge ${runDir}: it has no shards (${SHARDS_FOLDER}/<I>/)`);
  const manifests = new Map<string, Manifest | undefined>();
  for (const name of names) {
    manifests.set(name, await readShardManifest(`${runDir}/${SHARDS_FOLDER}/${name}`));
  }
  const counts = [...manifests.values()].map((m) => (m?.options.shard as Shard | undefined)?.count);
  const count = counts.find((c) => c !== undefined);
  if (count === undefined) throw new Error(`Cannot merge ${runDir}: no shard has a manifest`);
  const faults: string[] = [];
  // The reference: the shard of lowest index that has a manifest.
  const reference = names.filter((n) => manifests.get(n) !== undefined)
    .map((n) => manifests.get(n)!)
    .sort((a, b) => shardIndexOf(a) - shardIndexOf(b))[0];
  for (let index = 0; index < count; index++) {
    const m = manifests.get(String(index));
    // A shard whose process died (SIGKILL, a preempted task) says `running`: it is interrupted.
    const status = m && await runStatus(`${runDir}/${SHARDS_FOLDER}/${index}`, m);
    if (m === undefined) faults.push(`shard ${index} missing`);
    else if (status !== "complete") faults.push(`shard ${index} ${status}${m.error ? ` (${m.error})` : ""}`);
  }
  for (const [name, m] of manifests) {
    if (m === undefined) continue;
    const shard = m.options.shard as Shard | undefined;
    if (shard?.index !== Number(name) || shard.count !== count || !/^\d+$/.test(name)) {
      faults.push(
        `shard folder ${name} duplicated or foreign (it holds shard ${shard?.index}/${shard?.count})`,
      );
    } else if (!sameShardRun(m, reference)) {
      faults.push(`shard ${name} inconsistent (another command, options, tool version or wasm core)`);
    }
  }
  if (faults.length > 0) throw new Error(`Cannot merge ${runDir}: ${[...new Set(faults)].join("; ")}`);

  const { save, total } = await sharded.collect(runDir, count, reference);

  // Every check passed: the files first, the manifest last.
  const texts = new Map<string, string | Uint8Array>();
  const keep = (name: string, text: string | Uint8Array) => {
    texts.set(name, text);
    return Promise.resolve();
  };
  const out: RunWriter = {
    dir: runDir,
    table: (schema, rows, withOptional) => keep(schema.file, tableText(schema, rows, withOptional)),
    npy: (name, rows, keys, column) => keep(name, tableNpy(rows, keys, column)),
    json: (name, value) => keep(name, jsonText(value)),
  };

  await save(out);
  for (const [name, text] of texts) await writeFileAtomic(`${runDir}/${name}`, text);
  const shards = Array.from({ length: count }, (_, index) => manifests.get(String(index))!);
  const { shard: _s, ...options } = reference.options;
  const starts = shards.map((m) => m.start).sort();
  const ends = shards.map((m) => m.end ?? m.start).sort();
  const files = [MANIFEST_FILE, ...texts.keys()];
  await writeManifest(runDir, {
    ...reference,
    run,
    command: shardSignature(reference).command,
    options,
    start: starts[0],
    end: ends[ends.length - 1],
    status: "complete",
    progress: { done: total, total },
    files,
    shards: shards.map((m, index) => ({ index, start: m.start, end: m.end, workers: m.workers })),
  });
  return { files, shards: count };
}
