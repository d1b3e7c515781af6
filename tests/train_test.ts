import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { npyBytes, randomNetwork, train, Trainer } from "../src/mod.ts";
import { flybrain, flybrainArgs, oneLine, ROOT, skipWithout } from "./_cli.ts";
import { core } from "./_fixtures.ts";

Deno.test("a short training (N = 30, nLE = 5, MSE to 0) lowers the loss by at least half", async () => {
  const trainer = new Trainer(randomNetwork({ n: 30, g: 2, seed: 1 }), {
    loss: "MSE",
    nle: 5,
    tsim: 50,
    lr: 0.01,
    train: { weights: true },
  });
  const losses: number[] = [];
  for await (const log of train(core, trainer, 30)) losses.push(log.loss);
  const last = Math.min(...losses.slice(-5));
  ok(last <= losses[0] / 2, `loss ${losses[0]} → ${last}`);
  equal(trainer.epoch, 30);
});

Deno.test("training gains and shifts of tanh_pos changes only them, and keeps W's zero pattern", async () => {
  const net = randomNetwork({ n: 12, g: 2, seed: 2, activation: "tanh_pos" });
  const trainer = new Trainer(net, {
    loss: "l2",
    target: 0,
    nle: 3,
    tsim: 10,
    lr: 0.05,
    train: { gains: true, shifts: true },
  });
  for await (const _ of train(core, trainer, 3)) { /* three epochs */ }
  deepEqual(trainer.network.weights, net.weights);
  ok(trainer.network.gains.some((g, i) => g !== net.gains[i]));
  ok(trainer.network.shifts.some((s, i) => s !== net.shifts[i]));
  const w = new Trainer(net, { loss: "MSE", nle: 3, tsim: 10, lr: 0.05, train: { weights: true } });
  for await (const _ of train(core, w, 3)) { /* three epochs */ }
  for (let i = 0; i < 12; i++) equal(w.network.weights[i * 12 + i], 0, "the diagonal stays zero");
});

Deno.test("masks train exactly M randomly chosen parameters of each part", async () => {
  const net = randomNetwork({ n: 15, g: 2, seed: 3, activation: "tanh_stretched" });
  const trainer = new Trainer(net, {
    loss: "MSE",
    nle: 3,
    tsim: 10,
    lr: 0.05,
    train: { weights: true, gains: true },
    masks: { weights: 17, gains: 4 },
    maskSeed: 9,
  });
  for await (const _ of train(core, trainer, 2)) { /* two epochs */ }
  const changed = (a: Float64Array, b: Float64Array) => a.filter((x, i) => x !== b[i]).length;
  equal(changed(trainer.network.weights, net.weights), 17);
  equal(changed(trainer.network.gains, net.gains), 4);
  throws(
    () => new Trainer(net, { loss: "MSE", nle: 3, train: { weights: true }, masks: { weights: 15 * 15 } }),
    /Cannot train 225 weights: expected an integer between 0 and 210/,
  );
});

Deno.test("Dale's law: with keepSigns no weight changes sign", async () => {
  const net = randomNetwork({ n: 12, g: 2, seed: 4 });
  const trainer = new Trainer(net, {
    loss: "MSE",
    target: 1,
    nle: 4,
    tsim: 10,
    lr: 0.5,
    train: { weights: true },
    keepSigns: true,
  });
  for await (const _ of train(core, trainer, 5)) { /* five epochs */ }
  trainer.network.weights.forEach((w, i) => ok(w * net.weights[i] >= 0 && (net.weights[i] !== 0 || w === 0)));
  ok(trainer.network.weights.some((w, i) => w === 0 && net.weights[i] !== 0), "some weights stopped at zero");
});

Deno.test("a checkpoint restores a training exactly: resumed and uninterrupted runs end equal", async () => {
  const net = randomNetwork({ n: 10, g: 2, seed: 5, activation: "tanh_pos" });
  const options = {
    loss: "MSE" as const,
    nle: 3,
    tsim: 10,
    lr: 0.02,
    train: { weights: true, shifts: true },
  };
  const full = new Trainer(net, options);
  for await (const _ of train(core, full, 6)) { /* six epochs */ }
  const first = new Trainer(net, options);
  for await (const _ of train(core, first, 3)) { /* three epochs */ }
  const resumed = new Trainer(net, options, JSON.parse(JSON.stringify(first.checkpoint())));
  for await (const _ of train(core, resumed, 6)) { /* three more */ }
  deepEqual(resumed.network.weights, full.network.weights);
  deepEqual(resumed.network.shifts, full.network.shifts);
});

Deno.test({
  name: "npyBytes() writes files that numpy.load reads back exactly",
  ignore: skipWithout("numpy"),
}, async () => {
  const dir = await Deno.makeTempDir();
  const data = Float64Array.from({ length: 12 }, (_, i) => Math.sin(i) * 1e-3 + i);
  await Deno.writeFile(`${dir}/a.npy`, npyBytes(data, [3, 4]));
  await Deno.writeFile(`${dir}/b.npy`, npyBytes(data.subarray(0, 5), [5]));
  const script = `import numpy, json, sys
a = numpy.load(sys.argv[1]); b = numpy.load(sys.argv[2])
print(json.dumps({"shape": list(a.shape), "a": a.ravel().tolist(), "bshape": list(b.shape), "dtype": str(a.dtype)}))`;
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", script, `${dir}/a.npy`, `${dir}/b.npy`],
  })
    .output();
  equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const got = JSON.parse(new TextDecoder().decode(out.stdout));
  deepEqual(got.shape, [3, 4]);
  deepEqual(got.bshape, [5]);
  equal(got.dtype, "float64");
  deepEqual(got.a, Array.from(data));
});

function csvRows(path: string): Record<string, string>[] {
  return parse(Deno.readTextFileSync(path), { columns: true });
}

/** Pids of a process and its descendants (the sandboxed child runs the workflow). */
function processTree(pid: number): number[] {
  const out = [pid];
  try {
    const children = Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`).trim();
    for (const c of children.split(/\s+/).filter(Boolean)) out.push(...processTree(Number(c)));
  } catch { /* gone */ }
  return out;
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
