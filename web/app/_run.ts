/**
 * A run as the viewer sees it: its manifest and the CSV tables it plots, read by the library's
 * run reader (src/runs/read.ts), loaded from the server (a run folder URL) or from files the
 * user opened.
 *
 * @module
 */

import {
  MANIFEST_FILE,
  parseManifest,
  readRun,
  type RunData,
  runFiles,
  type Workflow,
} from "../../src/mod.ts";

/** A loaded run: its manifest and tables (typed by its workflow), where it came from, its name. */
export type Run = RunData & {
  /** Where it came from: a folder URL or "files:<name>:<time>". */
  id: string;
  name: string;
  options: Record<string, unknown>;
};

/** A loaded run of one workflow. */
export type RunOf<W extends Workflow> = Extract<Run, { workflow: W }>;

function loaded(id: (name: string) => string, texts: Record<string, string>): Run {
  const run = readRun(texts);
  const name = run.manifest.run;
  return { ...run, id: id(name), name, options: run.manifest.options };
}

/** Loads a run from its folder URL (ending with a slash): its manifest, then the tables it lists. */
export async function fetchRun(folder: string): Promise<Run> {
  const get = async (file: string): Promise<string | undefined> => {
    const res = await fetch(new URL(file, new URL(folder, location.href)));
    return res.ok ? await res.text() : undefined;
  };
  const manifestText = await get(MANIFEST_FILE);
  if (manifestText === undefined) throw new Error(`Cannot load the run ${folder}: no ${MANIFEST_FILE}`);
  const texts: Record<string, string> = { [MANIFEST_FILE]: manifestText };
  const manifest = parseManifest(JSON.parse(manifestText), `${folder}${MANIFEST_FILE}`);
  await Promise.all(
    runFiles(manifest).map(async (name) => {
      const text = await get(name);
      if (text !== undefined) texts[name] = text;
    }),
  );
  return loaded(() => folder, texts);
}

/** Loads a run from opened files (manifest.json and its CSV tables, e.g. a whole run folder). */
export async function readRunFiles(files: ArrayLike<File>): Promise<Run> {
  const texts: Record<string, string> = {};
  for (const file of Array.from(files)) texts[file.name] = await file.text();
  if (texts[MANIFEST_FILE] === undefined) {
    throw new Error(`Cannot open the run: select its ${MANIFEST_FILE} together with its CSV files`);
  }
  return loaded((name) => `files:${name}:${Date.now()}`, texts);
}

/** Options that are bookkeeping, not parameters, and never label a curve. */
const NOT_PARAMETERS = new Set(["out", "workers", "json", "save", "resume"]);

/**
 * A label per run made of the options whose values differ between the runs (the run name when
 * none differ).
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * const runs = [{ name: "a", options: { n: 30, g: 1 } }, { name: "b", options: { n: 60, g: 1 } }];
 * deepEqual(differingLabels(runs), ["n=30", "n=60"]);
 * ```
 */
export function differingLabels(runs: { name: string; options: Record<string, unknown> }[]): string[] {
  if (runs.length < 2) return runs.map(() => "");
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.options)))].filter((k) =>
    !NOT_PARAMETERS.has(k)
  );
  const differing = keys.filter((k) => new Set(runs.map((r) => JSON.stringify(r.options[k]))).size > 1)
    .sort();
  return runs.map((r, i) =>
    differing.length === 0
      ? `${r.name} #${i + 1}`
      : differing.map((k) => `${k}=${JSON.stringify(r.options[k] ?? null).replaceAll('"', "")}`).join(" ")
  );
}
