/**
 * A run as the viewer sees it: its manifest and the CSV tables it plots, loaded from the
 * server (a run folder URL) or from files the user opened.
 *
 * @module
 */

import { parseCsv, type Table } from "./_csv.ts";

/** The workflows the viewer plots, and the tables each needs (optional ones may be absent). */
export const WORKFLOW_TABLES: Readonly<Record<string, { required: string[]; optional: string[] }>> = {
  lyapu_convergence: { required: ["convergence.csv"], optional: ["spectrum.csv"] },
  transition_2_chaos: { required: ["lambda_max.csv", "summary.csv"], optional: ["spectra.csv"] },
  train_rd_model: { required: ["training.csv"], optional: ["spectra.csv"] },
  train_flybrain_full: { required: ["training.csv"], optional: ["spectra.csv"] },
  train_flybrain_pop: { required: ["training.csv"], optional: ["spectra.csv"] },
};

/** A loaded run. */
export interface Run {
  /** Where it came from: a folder URL or "files:<name>". */
  id: string;
  workflow: string;
  name: string;
  manifest: Record<string, unknown>;
  options: Record<string, unknown>;
  tables: Record<string, Table>;
}

function build(id: string, manifest: Record<string, unknown>, texts: Record<string, string>): Run {
  const workflow = String(manifest.workflow ?? "");
  const spec = WORKFLOW_TABLES[workflow];
  if (spec === undefined) {
    throw new Error(
      `Cannot show the run: workflow "${workflow}" is not one the viewer plots (${
        Object.keys(WORKFLOW_TABLES).join(", ")
      })`,
    );
  }
  const tables: Record<string, Table> = {};
  for (const file of [...spec.required, ...spec.optional]) {
    if (texts[file] === undefined) {
      if (spec.required.includes(file)) throw new Error(`Cannot show the run: ${file} is missing`);
      continue;
    }
    tables[file] = parseCsv(texts[file]);
  }
  return {
    id,
    workflow,
    name: String(manifest.run ?? id),
    manifest,
    options: (manifest.options ?? {}) as Record<string, unknown>,
    tables,
  };
}

/** Loads a run from its folder URL (ending with a slash). */
export async function fetchRun(folder: string): Promise<Run> {
  const get = async (file: string): Promise<string | undefined> => {
    const res = await fetch(new URL(file, new URL(folder, location.href)));
    return res.ok ? await res.text() : undefined;
  };
  const manifestText = await get("manifest.json");
  if (manifestText === undefined) throw new Error(`Cannot load the run ${folder}: no manifest.json`);
  const manifest = JSON.parse(manifestText);
  const spec = WORKFLOW_TABLES[String(manifest.workflow)];
  // Fetch the optional tables the manifest lists (all of them when it lists no files).
  const listed = Array.isArray(manifest.files) ? new Set(manifest.files as string[]) : undefined;
  const names = spec ? [...spec.required, ...spec.optional.filter((f) => listed?.has(f) ?? true)] : [];
  const texts: Record<string, string> = {};
  await Promise.all(names.map(async (n) => {
    const t = await get(n);
    if (t !== undefined) texts[n] = t;
  }));
  return build(folder, manifest, texts);
}

/** Loads a run from opened files (manifest.json and its CSV tables, e.g. a whole run folder). */
export async function readRunFiles(files: ArrayLike<File>): Promise<Run> {
  const texts: Record<string, string> = {};
  for (const file of Array.from(files)) texts[file.name] = await file.text();
  if (texts["manifest.json"] === undefined) {
    throw new Error("Cannot open the run: select its manifest.json together with its CSV files");
  }
  const manifest = JSON.parse(texts["manifest.json"]);
  return build(`files:${manifest.run ?? "run"}:${Date.now()}`, manifest, texts);
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
