import { deepEqual, equal, rejects, throws } from "node:assert/strict";
import { parseNetworkFile, randomNetwork, readNetwork, writeNetwork } from "../src/deno.ts";

Deno.test("writeNetwork() then readNetwork() gives back the same network, extras and options", async () => {
  const dir = await Deno.makeTempDir();
  const net = randomNetwork({ n: 5, g: 1.2, seed: 2, activation: "tanh_pos" });
  net.types = Int32Array.from([0, 1, 1, 0, 2]);
  net.gains = Float64Array.from([1, 2, 3]);
  net.shifts = Float64Array.from([0.1, 0.2, 0.3]);
  net.typeNames = ["a", "b", "c"];
  const h0 = Float64Array.from([1, 2, 3, 4, 5]);
  await writeNetwork(`${dir}/net.json`, net, { h0, options: { tsim: 50, tons: "auto" } });
  const back = await readNetwork(`${dir}/net.json`);
  deepEqual(back.network, net);
  deepEqual(back.h0, h0);
  deepEqual(back.options, { tsim: 50, tons: "auto" });
  deepEqual(Array.from(Deno.readDirSync(dir)).map((e) => e.name), ["net.json"]);
});

Deno.test("parseNetworkFile() builds W[post, pre] from edges and defaults gains to 1, shifts to 0", () => {
  const { network } = parseNetworkFile({ n: 3, activation: "pos", edges: [[0, 2, 1.5], [2, 0, -1]] });
  deepEqual(Array.from(network.weights), [0, 0, -1, 0, 0, 0, 1.5, 0, 0]);
  equal(network.activation, "tanh_pos");
  deepEqual(Array.from(network.gains), [1, 1, 1]);
});

Deno.test("parseNetworkFile() names the file and the problem for malformed input", () => {
  const cases: [unknown, RegExp][] = [
    [[], /f.json: expected a JSON object/],
    [{ n: 0, weights: [] }, /"n" must be a positive integer, got 0/],
    [{ n: 2, weights: [1, 2, 3] }, /"weights" must have n\*n = 4 entries, got 3/],
    [{ n: 2, weights: [1, 2, 3, "x"] }, /weights\[3\] must be a finite number, got "x"/],
    [{ n: 2, weights: [1, 2, 3, null] }, /weights\[3\] must be a finite number/],
    [{ n: 2 }, /needs "weights" \(n\*n\) or "edges"/],
    [{ n: 2, edges: [[0, 5, 1]] }, /edges\[0\] must be \[pre, post, w\] with 0 <= pre, post < 2/],
    [{ n: 2, weights: [0, 0, 0, 0], activation: "relu" }, /Unknown activation "relu"/],
    [{ n: 2, weights: [0, 0, 0, 0], gains: [1] }, /gains must have one entry per neuron \(2\), got 1/],
    [{ n: 2, weights: [0, 0, 0, 0], types: [0, 1], gains: [1, 1, 1] }, /one entry per type \(2\), got 3/],
    [{ n: 2, weights: [0, 0, 0, 0], options: { tsim: "long" } }, /options.tsim must be a number/],
  ];
  for (const [json, message] of cases) throws(() => parseNetworkFile(json, "f.json"), message);
});

Deno.test("readNetwork() reports missing files and invalid JSON with the path", async () => {
  await rejects(
    readNetwork("/nonexistent/net.json"),
    /Cannot read network file \/nonexistent\/net.json: no such file/,
  );
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/bad.json`, "{ n: 3");
  await rejects(readNetwork(`${dir}/bad.json`), /bad.json: not valid JSON/);
  await Deno.writeTextFile(`${dir}/inf.json`, '{"n": 1, "weights": [1e999]}');
  await rejects(readNetwork(`${dir}/inf.json`), /weights\[0\] must be a finite number, got Infinity/);
});
