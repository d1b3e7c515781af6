/**
 * Atomic file writes: a file is either absent, its old version, or complete; never half-written.
 *
 * @module
 */

/** Options of {@linkcode writeFileAtomic}. */
export interface AtomicWriteOptions {
  /**
   * Flush the file and its folder to the disk before returning, so that it survives a crash of
   * the machine, not only of the process (slower: use it for small files). @default {false}
   */
  sync?: boolean;
}

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
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const tmp = temporaryPath(path);
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  try {
    try {
      await writeNew(tmp, bytes, options.sync);
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      await Deno.remove(tmp);
      await writeNew(tmp, bytes, options.sync);
    }
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  if (options.sync) {
    const slash = path.lastIndexOf("/");
    using folder = await Deno.open(slash > 0 ? path.slice(0, slash) : slash === 0 ? "/" : ".", {
      read: true,
    });
    await folder.sync();
  }
}

/** Creates `path` (never through an existing file or link) with `bytes`, flushed to the disk when `sync`. */
async function writeNew(path: string, bytes: Uint8Array, sync = false): Promise<void> {
  if (!sync) return await Deno.writeFile(path, bytes, { createNew: true });
  using file = await Deno.open(path, { write: true, createNew: true });
  for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
  await file.sync();
}
