import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { npyBytes, randomNetwork, train, Trainer } from "../src/deno.ts";
import { skipWithout } from "./_cli.ts";
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
