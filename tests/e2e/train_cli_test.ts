/** train_rd_model and gradient run as users run them: kill and resume, bad options, JSON output. */

import { deepEqual, equal, ok } from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { flybrain, flybrainArgs, oneLine, processTree, ROOT, skipWithout } from "../_cli.ts";

function csvRows(path: string): Record<string, string>[] {
  return parse(Deno.readTextFileSync(path), { columns: true });
}

Deno.test("train_rd_model killed with SIGKILL and resumed ends with the same parameters as an uninterrupted run", async () => {
  const out = await Deno.makeTempDir();
  const args = [
    "train_rd_model",
    ...["--n", "40", "--nLE", "4", "--loss", "MSE", "--activation", "tanh_pos", "--train_gains", "true"],
    ...[
      "--n_samples",
      "2",
      "--n_epochs",
      "12",
      "--log_every",
      "3",
      "--log_nle",
      "4",
      "--tSim",
      "30",
      "--lr",
      "0.01",
    ],
  ];
  const whole = await flybrain(...args, "--out", `${out}/whole`, "--workers", "2");
  equal(whole.code, 0, whole.stderr);
  // The same run, killed once its first checkpoint after epoch 0 exists, then resumed.
  const child = new Deno.Command(Deno.execPath(), {
    args: flybrainArgs(...args, "--out", `${out}/killed`, "--workers", "1"),
    cwd: ROOT,
    stdout: "null",
    stderr: "null",
  }).spawn();
  const models = `${out}/killed/models/train_rd_model`;
  let epoch = 0;
  for (let i = 0; i < 600 && epoch < 3; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      const run = Array.from(Deno.readDirSync(models))[0].name;
      epoch = JSON.parse(Deno.readTextFileSync(`${models}/${run}/sample1/checkpoint.json`)).epoch;
    } catch { /* not yet */ }
  }
  ok(epoch >= 3, "a checkpoint after epoch 3 appeared");
  for (const pid of processTree(child.pid).reverse()) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch { /* already gone */ }
  }
  const status = await child.status;
  ok(!status.success);
  const runName = Array.from(Deno.readDirSync(`${out}/killed/logs/train_rd_model`))[0].name;
  const resumed = await flybrain("train_rd_model", "--resume", runName, "--out", `${out}/killed`);
  equal(resumed.code, 0, resumed.stderr);
  const final = (root: string, s: number) =>
    JSON.parse(Deno.readTextFileSync(`${root}/models/train_rd_model/${runName}/sample${s}/epoch12.json`));
  for (const s of [0, 1]) deepEqual(final(`${out}/killed`, s), final(`${out}/whole`, s));
  const rows = csvRows(`${out}/killed/logs/train_rd_model/${runName}/training.csv`);
  equal(rows.length, 24, "one row per sample and epoch, none twice");
  deepEqual(
    rows,
    csvRows(`${out}/whole/logs/train_rd_model/${runName}/training.csv`).map((r, i) => ({
      ...r,
      seconds: rows[i].seconds,
    })),
  );
  const manifest = JSON.parse(
    Deno.readTextFileSync(`${out}/killed/logs/train_rd_model/${runName}/manifest.json`),
  );
  equal(manifest.status, "complete");
  if (skipWithout("numpy")) return;
  // numpy reads the saved weights, equal to the network file's.
  const npy = `${out}/whole/models/train_rd_model/${runName}/sample0/weights_epoch12.npy`;
  const py = await new Deno.Command("/usr/bin/python3", {
    args: [
      "-c",
      "import numpy, sys, json; a = numpy.load(sys.argv[1]); print(json.dumps(a.ravel().tolist()))",
      npy,
    ],
  }).output();
  equal(py.code, 0, new TextDecoder().decode(py.stderr));
  deepEqual(JSON.parse(new TextDecoder().decode(py.stdout)), final(`${out}/whole`, 0).weights);
});

Deno.test("train_rd_model and gradient reject bad options with one line and exit code 2", async () => {
  const out = await Deno.makeTempDir();
  const base = ["train_rd_model", "--nle", "2", "--activation", "tanh", "--out", out];
  const missing = await flybrain("train_rd_model", "--nle", "2", "--loss", "MSE", "--out", out);
  ok(/required option '--activation <name>' not specified/.test(oneLine(missing) ?? ""), missing.stderr);
  const cases: [string[], RegExp][] = [
    [[...base, "--loss", "huber"], /Unknown loss "huber"/],
    [[...base, "--loss", "MSE", "--train_gains", "maybe"], /Expected true or false/],
    [[...base, "--loss", "MSE", "--train_gains", "true", "--n_epochs", "1"], /which ignores them/],
    [
      [...base, "--loss", "MSE", "--n", "5", "--n_train_weights", "100", "--n_epochs", "1"],
      /Cannot train 100 weights/,
    ],
    [[...base, "--loss", "MSE", "--resume", "nope"], /Cannot resume .*nope/],
    [["gradient", "--n", "5", "--loss", "MSE", "--train", "bias"], /Unknown part "bias"/],
    [["gradient", "--n", "5", "--loss", "MSE", "--tons", "auto"], /tons "auto"/],
  ];
  for (const [args, message] of cases) {
    const r = await flybrain(...args);
    equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    const line = oneLine(r);
    ok(
      line !== undefined && line.startsWith("error: ") && message.test(line),
      `${args.join(" ")}: ${r.stderr}`,
    );
  }
});

Deno.test("flybrain gradient --json prints the loss, exponents and the gradient of the trained parts", async () => {
  const r = await flybrain(
    ...[
      "gradient",
      "--n",
      "6",
      "--activation",
      "pos",
      "--nle",
      "2",
      "--tsim",
      "2",
      "--ttr",
      "1",
      "--tframe",
      "1",
    ],
    ...["--loss", "MSE", "--train", "weights,gains", "--json"],
  );
  equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  equal(json.exponents.length, 2);
  equal(json.grad.weights.length, 36);
  equal(json.grad.gains.length, 6);
  equal(json.grad.shifts, undefined);
  for (let i = 0; i < 6; i++) equal(json.grad.weights[i * 6 + i], 0);
  ok(json.loss > 0 && json.seconds > 0);
});
