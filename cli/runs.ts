/**
 * `flybrain runs`: the runs under an output root with their workflow, status (a run whose
 * process died is `interrupted`), progress, start and end, and size.
 *
 * @module
 */

import { Command } from "commander";
import { formatBytes, listRuns, type RunInfo } from "../src/deno.ts";
import { WORKFLOW_DEFAULTS } from "./_options.ts";
import { PathOption } from "./_path_option.ts";

/** A readable table of runs. */
export function runsTable(runs: RunInfo[]): string {
  const time = (t?: string) => (t ? t.slice(0, 19).replace("T", " ") : "-");
  const rows = [
    ["workflow", "run", "status", "progress", "start", "end", "size"],
    ...runs.map((r) => [
      r.workflow,
      r.run,
      r.status,
      r.progress ? `${r.progress.done}/${r.progress.total}${r.shards ? " shards" : ""}` : "-",
      time(r.start),
      time(r.end),
      formatBytes(r.bytes),
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd()).join("\n");
}

/** The `runs` command. */
export const runsCommand = new Command("runs")
  .description("list the runs under the output root: workflow, status, progress, start, end, size")
  .addOption(new PathOption("--out <dir>", "output root", { kind: "input" }).default(WORKFLOW_DEFAULTS.out))
  .option("--json", "print the runs as one JSON array")
  .action(async (opts: { out: string; json?: boolean }) => {
    const runs = await listRuns(opts.out);
    if (opts.json) console.log(JSON.stringify(runs));
    else if (runs.length === 0) console.log(`No runs under ${opts.out}/logs`);
    else console.log(runsTable(runs));
  });
