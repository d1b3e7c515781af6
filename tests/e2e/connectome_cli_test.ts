/** The connectome command and the connectome training workflows, run as users run them. */

import { deepEqual, equal, ok } from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { readNetwork } from "../../src/deno.ts";
import { flybrain, oneLine } from "../_cli.ts";

Deno.test("flybrain connectome writes a network file with body ids and types, and rejects unknown ROIs", async () => {
  const dir = await Deno.makeTempDir();
  const r = await flybrain(
    "connectome",
    "--ROI",
    "AB",
    "--subpopulation",
    "cell_fibers",
    "--out",
    `${dir}/ab.json`,
    "--json",
  );
  equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  equal(summary.neurons, 143);
  const file = await readNetwork(`${dir}/ab.json`);
  equal(file.network.n, 143);
  equal(file.network.ids!.length, 143);
  equal(file.network.typeNames!.length, summary.types);
  equal(file.network.activation, "tanh_pos");
  const bad = await flybrain("connectome", "--roi", "XX");
  equal(bad.code, 2);
  ok(/Allowed choices are EB, PB, NO, AB, FB, EB_PB/.test(oneLine(bad) ?? ""), bad.stderr);
});

Deno.test("a short train_flybrain_pop run lowers its loss; train_flybrain_full trains per neuron, W fixed", async () => {
  const out = await Deno.makeTempDir();
  const common = ["--roi", "AB", "--nle", "4", "--loss", "MSE", "--activation", "tanh_pos", "--lr", "0.05"];
  const short = [
    "--tsim",
    "20",
    "--ttr",
    "5",
    "--tframe",
    "5",
    "--log_every",
    "4",
    "--log_nle",
    "4",
    "--out",
    out,
  ];
  const pop = await flybrain(
    "train_flybrain_pop",
    ...common,
    "--subpopulation",
    "neurotransmitter",
    "--n_epochs",
    "8",
    ...short,
  );
  equal(pop.code, 0, pop.stderr);
  const dir = pop.stderr.match(/Results: (\S+)/)![1];
  const rows: Record<string, string>[] = parse(Deno.readTextFileSync(`${dir}/training.csv`), {
    columns: true,
  });
  equal(rows.length, 8);
  ok(Number(rows[7].loss) < Number(rows[0].loss) * 0.95, `${rows[0].loss} → ${rows[7].loss}`);
  const full = await flybrain(
    "train_flybrain_full",
    ...common,
    "--n_epochs",
    "2",
    "--n_samples",
    "2",
    ...short,
  );
  equal(full.code, 0, full.stderr);
  const fullDir = full.stderr.match(/Results: (\S+)/)![1].replace("/logs/", "/models/");
  const before = JSON.parse(Deno.readTextFileSync(`${fullDir}/sample1/epoch0.json`));
  const after = JSON.parse(Deno.readTextFileSync(`${fullDir}/sample1/epoch2.json`));
  deepEqual(after.weights, before.weights);
  equal(after.gains.length, 143);
  ok(after.gains.some((g: number, i: number) => g !== before.gains[i]));
  const missing = await flybrain("train_flybrain_pop", ...common, "--out", out);
  ok(/required option '--subpopulation <by>' not specified/.test(oneLine(missing) ?? ""), missing.stderr);
});
