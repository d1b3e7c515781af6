/**
 * Folders under an output root that a run creates or enters, checked so that no write follows
 * a symbolic link out of the root.
 *
 * Deno only.
 *
 * @module
 */

/**
 * Creates (or enters) the folder `<root>/<relative>` and returns its path. Every component
 * below `root` must be a real folder: a symbolic link or a file there is refused with an Error
 * naming it, before anything is created (and checked again after, for one made meanwhile).
 * The root itself is the user's choice and may be a link.
 *
 * @example
 * ```ts
 * const root = await Deno.makeTempDir();
 * await ensureFolder(root, "logs/demo");
 * ```
 */
export async function ensureFolder(root: string, relative: string): Promise<string> {
  const parts = components(root, relative);
  const path = [root, ...parts].join("/");
  await checkComponents(root, parts);
  await Deno.mkdir(path, { recursive: true });
  await checkComponents(root, parts);
  return path;
}

/**
 * Checks, without creating anything, that every component of `<root>/<relative>` that exists
 * is a real folder (not a symbolic link nor a file); throws an Error naming the first that is not.
 *
 * @example
 * ```ts
 * const root = await Deno.makeTempDir();
 * await checkFolder(root, "logs/train_rd_model/run");
 * ```
 */
export async function checkFolder(root: string, relative: string): Promise<void> {
  await checkComponents(root, components(root, relative));
}

/** The components of a relative path; ".." is refused. */
function components(root: string, relative: string): string[] {
  const parts = relative.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) {
    throw new RangeError(`Cannot enter ${relative} in ${root}: it climbs out with ".."`);
  }
  return parts;
}

/** Throws when a component of `root/parts…` that exists is not a real folder. */
async function checkComponents(root: string, parts: string[]): Promise<void> {
  let path = root;
  for (const part of parts) {
    path = `${path}/${part}`;
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      throw e;
    }
    if (info.isSymlink) {
      throw new Error(
        `Cannot write in ${path}: it is a symbolic link, which could lead out of the output root ${root}`,
      );
    }
    if (!info.isDirectory) throw new Error(`Cannot write in ${path}: it is a file, not a folder`);
  }
}
