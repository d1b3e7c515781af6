/**
 * The files of training runs, to compare a sharded run (merged) with a single-process one.
 *
 * @module
 */

import { equal } from "node:assert/strict";

/**
 * Every file of the training runs of an output root (`logs/` but manifests, shards and batch
 * scripts, and `models/`), its bytes as text; `training.csv` without its last column, `seconds`
 * (each process's compute time, the one column that differs between runs).
 */
export function trainingFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    const entries = Array.from(Deno.readDirSync(`${root}/${dir}`)).sort((a, b) =>
      a.name.localeCompare(b.name)
    );
    for (const e of entries) {
      const path = `${dir}/${e.name}`;
      if (e.name === "manifest.json" || e.name === "shards" || e.name.endsWith(".sbatch")) continue;
      if (e.isDirectory) walk(path);
      else if (e.name === "training.csv") {
        const lines = Deno.readTextFileSync(`${root}/${path}`).trimEnd().split("\n");
        equal(lines[0].split(",").at(-1), "seconds");
        out.push(`${path}: ${lines.map((l) => l.split(",").slice(0, -1).join(",")).join("\n")}`);
      } else out.push(`${path}: ${Deno.readFileSync(`${root}/${path}`).join()}`);
    }
  };
  walk("logs");
  walk("models");
  return out;
}
