import { deepEqual, equal, notDeepEqual } from "node:assert/strict";
import { deriveSeed, npyBytes, randomNetwork } from "../../src/mod.ts";
import { flybrain } from "../_cli.ts";

const net = randomNetwork({ n: 16, g: 1, seed: 9 });

function column(csv: string, name: string): number[] {
  const [header, ...rows] = csv.trim().split("\n").map((l) => l.split(","));
  const i = header.indexOf(name);
  return rows.map((r) => Number(r[i]));
}

Deno.test("transition_2_chaos --network scales the file's W by g: W at g = 2 is 2W at g = 1", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeFile(`${dir}/W.npy`, npyBytes(net.weights, [16, 16]));
  await Deno.writeFile(`${dir}/W2.npy`, npyBytes(net.weights.map((w) => 2 * w), [16, 16]));
  const sweep = (file: string, g: string, out: string) =>
    flybrain(
      "transition_2_chaos",
      ...["--network", `${dir}/${file}`, "--gmin", g, "--gmax", g, "--m_g", "1", "--n_samples", "3"],
      ...["--nle", "3", "--tsim", "20", "--out", `${dir}/${out}`, "--workers", "1", "--json"],
    );
  const [a, b, c] = await Promise.all([
    sweep("W.npy", "2", "a"),
    sweep("W2.npy", "1", "b"),
    sweep("W.npy", "1", "c"),
  ]);
  for (const r of [a, b, c]) equal(r.code, 0, r.stderr);
  const lambdas = (r: { stdout: string }) => {
    const run = JSON.parse(r.stdout).run;
    return column(Deno.readTextFileSync(`${run}/lambda_max.csv`), "lambda_max");
  };
  deepEqual(lambdas(a), lambdas(b));
  notDeepEqual(lambdas(a), lambdas(c));
  const bad = await flybrain(
    "transition_2_chaos",
    "--network",
    `${dir}/W.npy`,
    "--gmin",
    "1",
    "--gmax",
    "2",
    "--n_samples",
    "1",
    "--parameter",
    "gains",
    "--save",
    "false",
  );
  equal(bad.code, 2);
  equal(
    bad.stderr.trim(),
    "error: with --network, g scales the file's weights: --parameter must be weights, got gains",
  );
});

Deno.test("train_rd_model --network trains the file's network, and resumes from the run's own copy of it", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeFile(`${dir}/W.npy`, npyBytes(net.weights, [16, 16]));
  const train = (epochs: string, out: string) =>
    flybrain(
      "train_rd_model",
      ...[
        "--network",
        `${dir}/W.npy`,
        "--nle",
        "2",
        "--loss",
        "MSE",
        "--activation",
        "tanh",
        "--n_samples",
        "2",
      ],
      ...[
        "--n_epochs",
        epochs,
        "--log_every",
        "2",
        "--tSim",
        "10",
        "--out",
        `${dir}/${out}`,
        "--workers",
        "1",
      ],
      "--json",
    );
  const full = await train("4", "full");
  equal(full.code, 0, full.stderr);
  const fullRun = JSON.parse(full.stdout).run;
  // Epoch 0 is the file's network.
  const models = fullRun.replace("/logs/", "/models/");
  deepEqual(Deno.readFileSync(`${models}/sample1/weights_epoch0.npy`), npyBytes(net.weights, [16, 16]));
  // A run stopped after epoch 2, resumed to epoch 4 once the file is gone, ends where the full run does.
  const half = await train("2", "half");
  equal(half.code, 0, half.stderr);
  const halfRun = JSON.parse(half.stdout).run;
  const manifest = JSON.parse(Deno.readTextFileSync(`${halfRun}/manifest.json`));
  manifest.options.n_epochs = 4;
  manifest.status = "interrupted";
  Deno.writeTextFileSync(`${halfRun}/manifest.json`, JSON.stringify(manifest));
  Deno.removeSync(`${dir}/W.npy`);
  const resumed = await flybrain(
    "train_rd_model",
    "--resume",
    halfRun,
    "--out",
    `${dir}/half`,
    "--workers",
    "1",
  );
  equal(resumed.code, 0, resumed.stderr);
  const halfModels = halfRun.replace("/logs/", "/models/");
  for (const s of [0, 1]) {
    const end = Deno.readFileSync(`${models}/sample${s}/weights_epoch4.npy`);
    deepEqual(Deno.readFileSync(`${halfModels}/sample${s}/weights_epoch4.npy`), end);
    notDeepEqual(end, npyBytes(net.weights, [16, 16]));
  }
});

Deno.test("lyapu_convergence --network gives, per sample, the spectrum of the file at the sample's seed", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeFile(`${dir}/W.npy`, npyBytes(net.weights, [16, 16]));
  const common = ["--network", `${dir}/W.npy`, "--nle", "3", "--tsim", "20", "--tons", "0.2"];
  const run = await flybrain(
    "lyapu_convergence",
    ...common,
    ...[
      "--activation",
      "tanh",
      "--n_samples",
      "2",
      "--points",
      "4",
      "--out",
      dir,
      "--workers",
      "1",
      "--json",
    ],
  );
  equal(run.code, 0, run.stderr);
  const finals = JSON.parse(run.stdout).samples.map((s: { final: number[] }) => s.final);
  for (const sample of [0, 1]) {
    const one = await flybrain("spectrum", ...common, "--seed", String(deriveSeed(0, sample)), "--json");
    equal(one.code, 0, one.stderr);
    deepEqual(finals[sample], JSON.parse(one.stdout).exponents);
  }
  notDeepEqual(finals[0], finals[1]);
});
