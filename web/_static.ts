/**
 * What the page server may answer: URL paths mapped to files under a few folders (mounts),
 * refusing anything that could leave them (`..` in any spelling, dot files, backslashes, NUL,
 * symbolic links out of a mount), content types, and the JSON index of the runs.
 *
 * @module
 */

import {
  logsPath,
  MANIFEST_FILE,
  parseManifest,
  runFolder,
  runFolderUrl,
  type Workflow,
  WORKFLOWS,
} from "../src/mod.ts";

/** A URL prefix served from a folder. */
export interface Mount {
  /** URL prefix without slashes at either end ("" for the site root). */
  prefix: string;
  /** Absolute folder. */
  dir: string;
}

/**
 * The path segments of a URL path, or undefined when it could name something outside a mount.
 *
 * @example
 * ```ts
 * import { equal, deepEqual } from "node:assert/strict";
 * deepEqual(safeSegments("/data/logs/a.csv"), ["data", "logs", "a.csv"]);
 * equal(safeSegments("/%2e%2e/deno.json"), undefined);
 * ```
 */
export function safeSegments(pathname: string): string[] | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (/[\0\\]/.test(decoded)) return undefined;
  const segments = decoded.split("/").filter((s) => s !== "");
  if (segments.some((s) => s.startsWith("."))) return undefined;
  return segments;
}

/** The file a URL path names under the mounts (longest prefix first), or undefined. */
export function resolvePath(pathname: string, mounts: readonly Mount[]): string | undefined {
  const segments = safeSegments(pathname);
  if (segments === undefined) return undefined;
  const sorted = [...mounts].sort((a, b) => b.prefix.length - a.prefix.length);
  for (const mount of sorted) {
    const prefix = mount.prefix === "" ? [] : mount.prefix.split("/");
    if (prefix.every((p, i) => segments[i] === p)) {
      const rest = segments.slice(prefix.length);
      return [mount.dir, ...rest].join("/");
    }
  }
  return undefined;
}

const TYPES: Readonly<Record<string, string>> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  wasm: "application/wasm",
  png: "image/png",
  svg: "image/svg+xml",
  txt: "text/plain; charset=utf-8",
  md: "text/plain; charset=utf-8",
};

/** Content type of a file name. */
export function contentType(path: string): string {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  return TYPES[ext] ?? "application/octet-stream";
}

/** One run in the index. */
export interface RunEntry {
  workflow: Workflow;
  run: string;
  /** URL of the run folder relative to the page, ending with a slash. */
  path: string;
  status?: string;
  start?: string;
  files: string[];
  options: Record<string, unknown>;
}

async function folders(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) if (e.isDirectory && !e.name.startsWith(".")) out.push(e.name);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort();
}

/**
 * The runs under `<dataDir>/logs/<workflow>/<run>/` (the workflows that write run folders, in
 * name order) whose manifest.json is readable and valid.
 */
export async function runIndex(dataDir: string): Promise<RunEntry[]> {
  const runs: RunEntry[] = [];
  for (const workflow of [...WORKFLOWS].sort()) {
    for (const run of await folders(`${dataDir}/${logsPath(workflow)}`)) {
      const dir = runFolder(dataDir, workflow, run);
      let manifest;
      try {
        manifest = parseManifest(JSON.parse(await Deno.readTextFile(`${dir}/${MANIFEST_FILE}`)), dir);
      } catch {
        continue;
      }
      const files: string[] = [];
      for await (const e of Deno.readDir(dir)) if (e.isFile) files.push(e.name);
      runs.push({
        workflow: manifest.workflow,
        run,
        path: `data/${runFolderUrl(workflow, run)}`,
        status: manifest.status,
        start: manifest.start,
        files: files.sort(),
        options: manifest.options,
      });
    }
  }
  return runs;
}
