/**
 * What the shards of a run have in common (docs/design.md#17-shards-and-slurm): the signature
 * two shards of one run share, and a shard's manifest as read from its folder.
 *
 * @module
 */

import { type Manifest, MANIFEST_FILE, parseManifest } from "../src/deno.ts";

/**
 * The signature of a shard's manifest: its workflow, command line and options without what may
 * differ between shards (`--shard`, `--workers`, `--json`), seed, tool version and wasm core.
 */
export function shardSignature(
  m: Pick<Manifest, "workflow" | "command" | "options" | "seed" | "tool" | "wasmSha256">,
): {
  workflow: string;
  command: string[];
  rest: string;
} {
  const { shard: _s, workers: _w, json: _j, ...options } = m.options;
  const command: string[] = [];
  for (let i = 0; i < m.command.length; i++) {
    const a = m.command[i];
    if (a === "--shard" || a === "--workers") i++;
    else if (!a.startsWith("--shard=") && !a.startsWith("--workers=")) command.push(a);
  }
  return { workflow: m.workflow, command, rest: JSON.stringify([options, m.seed, m.tool, m.wasmSha256]) };
}

/** Whether two shards' manifests have the same signature (see {@linkcode shardSignature}). */
export function sameShardRun(
  a: Parameters<typeof shardSignature>[0],
  b: Parameters<typeof shardSignature>[0],
): boolean {
  return JSON.stringify(shardSignature(a)) === JSON.stringify(shardSignature(b));
}

/** Reads the manifest of a shard's folder (undefined when it has none). */
export async function readShardManifest(dir: string): Promise<Manifest | undefined> {
  const path = `${dir}/${MANIFEST_FILE}`;
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  return parseManifest(JSON.parse(text), path);
}
