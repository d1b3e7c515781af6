/**
 * The run-folder format (src/runs/schema.ts) is what the writers write and what the page
 * reads: runs of every workflow written by the command line are read back with the page's
 * reader (src/runs/read.ts, what web/app/_run.ts calls), every CSV of the folder has the
 * schema's header, and the numbers read equal the ones the run also wrote to its JSON files.
 * Rows and tables are typed by the schema's columns, so a misspelt column is a type error.
 */

import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  CONVERGENCE_JSON,
  LAMBDA_MAX_TABLE,
  MANIFEST_FILE,
  networkFileName,
  readRun,
  readTable,
  readTypeShares,
  type Row,
  type RunData,
  runFiles,
  sampleModelsFolder,
  tableCells,
  type TableSchema,
  TRAINING_SPECTRA_TABLE,
  TRANSITION_JSON,
  VECTORS_JSON,
  WORKFLOW_TABLES,
  WORKFLOWS,
} from "../../src/mod.ts";
import { flybrain, ROOT } from "../_cli.ts";

/** Every file of a run folder, by name. */
async function folderTexts(dir: string): Promise<Record<string, string>> {
  const texts: Record<string, string> = {};
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile) texts[e.name] = await Deno.readTextFile(`${dir}/${e.name}`);
  }
  return texts;
}

/** Reads a run folder as the page does, and checks every CSV in it against the schema. */
async function readBack(dir: string): Promise<{ run: RunData; texts: Record<string, string> }> {
  const texts = await folderTexts(dir);
  const run = readRun(texts);
  const unlisted = Object.keys(texts).filter((f) => !run.manifest.files.includes(f));
  deepEqual(unlisted, [], `${dir}: the manifest lists the folder's files`);
  const { required, optional } = WORKFLOW_TABLES[run.workflow];
  const schemas: [string, TableSchema][] = [...Object.entries(required), ...Object.entries(optional)];
  const csvs = Object.keys(texts).filter((f) => f.endsWith(".csv")).sort();
  deepEqual(csvs, runFiles(run.manifest).sort(), `${dir}: every CSV is a table of the workflow`);
  for (const [key, schema] of schemas) {
    const text = texts[schema.file];
    if (text === undefined) continue;
    const header = text.slice(0, text.indexOf("\n")).split(",");
    deepEqual(header.slice(0, schema.columns.length), [...schema.columns], schema.file);
    deepEqual(
      header.slice(schema.columns.length),
      [...schema.optional].slice(0, header.length - schema.columns.length),
    );
    const table = (run.tables as Record<string, { rows: number; col: Record<string, Float64Array> }>)[key];
    equal(table.rows, text.trim().split("\n").length - 1, `${schema.file}: one row per line`);
    deepEqual(Object.keys(table.col), header, `${schema.file}: every column read`);
  }
  return { run, texts };
}

function runDir(stderr: string): string {
  return stderr.match(/Results: (\S+)/)![1];
}

Deno.test("every workflow's run folder reads back with the page's reader, numbers equal", async () => {
  const out = await Deno.makeTempDir();
  const common = ["--out", out, "--workers", "1"];
  const sweep = [
    "--gmin",
    "0.5",
    "--gmax",
    "2.5",
    "--m_g",
    "3",
    "--n_samples",
    "2",
    "--n",
    "30",
    "--tsim",
    "30",
  ];
  const runs = await Promise.all([
    flybrain(
      "vectors",
      ...["--n", "30", "--g", "3", "--nle", "4", "--tsim", "10", "--samples", "6"],
      "--out",
      out,
    ),
    flybrain("transition_2_chaos", ...sweep, "--nle", "4", ...common),
    flybrain("transition_2_chaos", ...sweep, "--nle", "1", "--seed", "3", ...common),
    flybrain(
      "lyapu_convergence",
      ...["--tons", "0.2", "--activation", "tanh", "--n", "30", "--nle", "3", "--n_samples", "2"],
      ...["--tsim", "30", "--points", "20"],
      ...common,
    ),
    flybrain(
      "train_rd_model",
      ...["--n", "20", "--nle", "3", "--loss", "MSE", "--activation", "pos", "--train_gains", "true"],
      ...["--n_samples", "2", "--n_epochs", "3", "--log_every", "2", "--tSim", "20"],
      ...common,
    ),
  ]);
  for (const r of runs) equal(r.code, 0, r.stderr);
  const seen = new Set<string>();
  for (const r of runs) {
    const dir = runDir(r.stderr);
    const { run, texts } = await readBack(dir);
    deepEqual(Object.keys(texts).sort(), [...run.manifest.files].sort(), "the folder has every listed file");
    seen.add(run.workflow);
    if (run.workflow === "transition_2_chaos") {
      const json = JSON.parse(texts[TRANSITION_JSON]);
      deepEqual(Array.from(run.tables.lambdaMax.col.lambda_max), json.lambdaMax.flat());
      deepEqual(
        Array.from(run.tables.summary.col.median),
        json.summary.map((s: { median: number }) => s.median),
      );
      const full = json.nle > 1;
      equal(run.tables.lambdaMax.col.ky_dimension !== undefined, full);
      equal(run.tables.summary.col.D_over_N !== undefined, full);
      if (full) deepEqual(Array.from(run.tables.spectra!.col.lambda), json.spectra.flat());
      else equal(run.tables.spectra, undefined);
    } else if (run.workflow === "lyapu_convergence") {
      const json = JSON.parse(texts[CONVERGENCE_JSON]);
      const samples = json.samples as { final: number[]; stderr: number[]; exponents: number[] }[];
      deepEqual(Array.from(run.tables.spectrum!.col.lambda), samples.flatMap((s) => s.final));
      deepEqual(Array.from(run.tables.spectrum!.col.stderr), samples.flatMap((s) => s.stderr));
      deepEqual(Array.from(run.tables.convergence.col.lambda), samples.flatMap((s) => s.exponents));
    } else if (run.workflow === "vectors") {
      const json = JSON.parse(texts[VECTORS_JSON]);
      deepEqual(Array.from(run.tables.summary.col.lambda_clv), json.clvExponents);
      deepEqual(Array.from(run.tables.summary.col.participation_ratio), json.participationRatio.mean);
      deepEqual(Array.from(run.tables.ftle.col.mean), json.ftle.mean);
      deepEqual(Array.from(run.tables.angles.col.time), json.times);
    } else {
      const t = run.tables.training;
      equal(t.rows, 2 * 3, "one row per sample and epoch");
      ok(t.col.grad_norm_shifts.every(Number.isNaN), "shifts not trained: empty cells");
      ok(t.col.grad_norm_gains.every(Number.isFinite));
      for (const s of [0, 1]) {
        const last = JSON.parse(
          await Deno.readTextFile(`${sampleModelsFolder(dir, s)}/${networkFileName(3)}`),
        );
        equal(last.n, 20);
      }
      const spectra = run.tables.spectra!;
      deepEqual(
        [...new Set(spectra.col.epoch)],
        [0, 2, 3],
        "spectra logged at 0, every 2 epochs and the end",
      );
    }
  }
  deepEqual([...seen].sort(), ["lyapu_convergence", "train_rd_model", "transition_2_chaos", "vectors"]);
  await Deno.remove(out, { recursive: true });
});

Deno.test("the page's fixture runs follow the schema", async () => {
  const logs = `${ROOT}tests/fixtures/runs/logs`;
  let count = 0;
  for (const workflow of WORKFLOWS) {
    let entries;
    try {
      entries = Array.from(Deno.readDirSync(`${logs}/${workflow}`));
    } catch {
      continue;
    }
    for (const e of entries) {
      const { run } = await readBack(`${logs}/${workflow}/${e.name}`);
      equal(run.workflow, workflow);
      count++;
    }
  }
  ok(count >= 5, `${count} fixture runs read`);
});

Deno.test("rows are written in the schema's column order; a missing value or column is an error", () => {
  const row: Row<typeof LAMBDA_MAX_TABLE> = {
    lambda_max: 0.1,
    seed: 7,
    sample: 0,
    g: 1,
    entropy: 0.2,
    ky_dimension: 3,
  };
  deepEqual(tableCells(LAMBDA_MAX_TABLE, [row]), [["g", "sample", "seed", "lambda_max"], [1, 0, 7, 0.1]]);
  deepEqual(tableCells(LAMBDA_MAX_TABLE, [row], true)[1], [1, 0, 7, 0.1, 3, 0.2]);
  throws(
    () => tableCells(LAMBDA_MAX_TABLE, [{ g: 1, sample: 0, seed: 7, lambda_max: 0.1 }], true),
    /entropy|ky_dimension/,
  );
  throws(
    () => readTable(TRAINING_SPECTRA_TABLE, "sample,epoch,i\n0,0,1\n"),
    /spectra.csv:1: missing column\(s\) lambda/,
  );
  throws(
    () => readTable(TRAINING_SPECTRA_TABLE, "sample,epoch,i,lambda\n0,0,1,x\n"),
    /spectra.csv:2: lambda must be a number/,
  );
  throws(
    () => readRun({ [MANIFEST_FILE]: JSON.stringify({ workflow: "other" }) }),
    /"workflow" must be one of/,
  );
  // The types follow the schema: a misspelt or missing column fails type checking (deno check).
  // @ts-expect-error: no column "lambda_1" in spectra.csv
  const _wrong: Row<typeof TRAINING_SPECTRA_TABLE> = { sample: 0, epoch: 0, i: 1, lambda_1: 0 };
  // @ts-expect-error: spectra.csv has no column "loss"
  const _missing = (t: ReturnType<typeof readTable<typeof TRAINING_SPECTRA_TABLE>>) => t.col.loss;
});

Deno.test("type_shares.csv reads back per type and vector; a bad row is an error naming file and line", () => {
  const header = "i,group,name,share\n";
  const shares = readTypeShares(`${header}2,type,PEN,0.5\n1,type,EPG,0.9\n1,type,PEN,0.1\n2,type,EPG,0.5\n`);
  deepEqual(shares.typeNames, ["PEN", "EPG"]);
  deepEqual(Array.from(shares.types), [0.1, 0.5, 0.9, 0.5]);
  ok(shares.excitatory.every(Number.isNaN), "no sign rows: no E/I shares");
  for (
    const [row, message] of [
      ["x,type,EPG,0.5", /type_shares.csv:2: i must be an integer >= 1, got "x"$/],
      ["1,type,EPG,", /type_shares.csv:2: share must be a number, got ""$/],
      ["1,sign,neutral,0.5", /type_shares.csv:2: group must be type or sign/],
    ] as const
  ) {
    throws(() => readTypeShares(`${header}${row}\n`), message);
  }
  throws(() => readTypeShares("i,group,share\n"), /type_shares.csv:1: missing column\(s\) name/);
});
