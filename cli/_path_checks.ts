/**
 * Checks of the paths a command line names, made before the run starts (and before its
 * sandbox is granted them): an output root or output file must be a place the run may write,
 * never a system folder nor the project's shipped data or sources, and given once; an output
 * file is never replaced without `--force`.
 *
 * @module
 */

import type { Command } from "commander";
import { basename, dirname, resolve } from "node:path";
import { PathOption } from "./_path_option.ts";

const PROJECT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Folders of the project a run never writes in: its shipped data and its sources. */
const SHIPPED = [
  "data/connectomics",
  "src",
  "cli",
  "web",
  "assembly",
  "tests",
  "bench",
  "docs",
  "build",
  ".git",
];

/** System folders a run never writes in (besides `/` and every folder directly under it). */
const SYSTEM = [
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/lib",
  "/lib32",
  "/lib64",
  "/proc",
  "/sbin",
  "/sys",
  "/usr",
];

/** Whether `path` is `folder` or inside it. */
function inside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

/** The real absolute path of `path`: its nearest existing ancestor resolved, the rest appended. */
async function realTarget(path: string): Promise<string> {
  let head = resolve(path);
  const tail: string[] = [];
  for (;;) {
    try {
      const real = await Deno.realPath(head);
      return resolve(real, ...tail);
    } catch (e) {
      const missing = e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory;
      if (!missing || head === "/") throw e;
      tail.unshift(basename(head));
      head = dirname(head);
    }
  }
}

/** The file information of a path, or undefined when nothing is there (a dangling link counts). */
async function lstatOrNothing(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.lstat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return undefined;
    throw e;
  }
}

/** Throws unless `real` (a real absolute path) is a place where a run may write. */
async function checkWritablePlace(flag: string, value: string, real: string): Promise<void> {
  const depth = real.split("/").filter(Boolean).length;
  if (depth <= 1 || SYSTEM.some((folder) => inside(real, folder))) {
    throw new Error(
      `Cannot write to ${flag} ${value}: ${real} is a system folder; choose a folder of your own`,
    );
  }
  const project = await Deno.realPath(PROJECT);
  const shipped = SHIPPED.find((folder) => inside(real, `${project}/${folder}`));
  if (shipped) {
    throw new Error(
      `Cannot write to ${flag} ${value}: it is in ${shipped}/, the project's shipped data or sources`,
    );
  }
}

/** Throws unless the folder that will hold `path` exists. */
async function checkParent(flag: string, value: string): Promise<void> {
  const parent = dirname(resolve(value));
  const info = await Deno.stat(parent).catch(() => undefined);
  if (info === undefined) {
    throw new Error(`Cannot write to ${flag} ${value}: folder ${parent} does not exist`);
  }
  if (!info.isDirectory) throw new Error(`Cannot write to ${flag} ${value}: ${parent} is not a folder`);
}

/** How often an option is given on a command line (`--out x` and `--out=x` forms, before `--`). */
function occurrences(args: readonly string[], long: string): number {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).filter((a) => a === long || a.startsWith(`${long}=`)).length;
}

/**
 * Checks the path options of a parsed command (`args`: the whole command line); throws an
 * Error naming the option and the path. Nothing is created.
 */
export async function checkPathOptions(cmd: Command, args: readonly string[]): Promise<void> {
  for (const option of cmd.options) {
    if (!(option instanceof PathOption) || option.long === undefined) continue;
    const flag = option.long;
    if (occurrences(args, flag) > 1) {
      throw new Error(`Cannot run: ${flag} is given more than once; give it once`);
    }
    const value = cmd.getOptionValue(option.attributeName()) as string | undefined;
    if (value === undefined) continue;
    if (value.trim() === "") throw new Error(`Cannot run: ${flag} is empty; give a path`);
    const role = option.role;
    if (role.kind === "outputRoot") {
      await checkWritablePlace(flag, value, await realTarget(value));
      const info = await lstatOrNothing(value);
      if (info === undefined) await checkParent(flag, value);
      else if (!(await Deno.stat(value).catch(() => undefined))?.isDirectory) {
        throw new Error(`Cannot write to ${flag} ${value}: it is not a folder`);
      }
    } else if (role.kind === "outputFile") {
      await checkWritablePlace(flag, value, await realTarget(value));
      await checkParent(flag, value);
      const info = await lstatOrNothing(value);
      if (info?.isDirectory) throw new Error(`Cannot write to ${flag} ${value}: it is a folder, not a file`);
      if (info !== undefined && cmd.getOptionValue(role.force) !== true) {
        throw new Error(
          `Cannot write to ${flag} ${value}: the file exists; give --${role.force} to replace it`,
        );
      }
    }
  }
}
