/**
 * Atomic file writes: a file is either absent, its old version, or complete; never half-written.
 *
 * @module
 */

/**
 * The temporary file beside `path` through which it is written: a fixed name, so that a
 * sandbox can allow exactly it.
 */
export function temporaryPath(path: string): string {
  const slash = path.lastIndexOf("/");
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.tmp`;
}

/**
 * Writes `data` to `path` through a temporary file in the same folder and a rename. The
 * temporary file is created new (a symbolic link in its place is never followed); one left by
 * a killed writer is replaced.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/a.txt`, "hello\n");
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = temporaryPath(path);
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  try {
    try {
      await Deno.writeFile(tmp, bytes, { createNew: true });
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      await Deno.remove(tmp);
      await Deno.writeFile(tmp, bytes, { createNew: true });
    }
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}
