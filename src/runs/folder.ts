/**
 * Run folders on disk (Deno): `<root>/logs/<workflow>/<run>/` (schema.ts) with a
 * manifest, never overwriting an earlier run, every file written atomically.
 *
 * @module
 */

import { writeFileAtomic } from "../atomic_write.ts";
import { ensureFolder } from "../safe_folder.ts";
import { logsPath, type Manifest, MANIFEST_FILE, type Workflow } from "./schema.ts";

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
