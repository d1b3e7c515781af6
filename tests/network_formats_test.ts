import { deepEqual, equal, ok } from "node:assert/strict";
import { type NetworkFile, npyBytes, parseNpy, readNetwork } from "../src/deno.ts";
import { skipWithout } from "./_cli.ts";
import { python, WRITE_W } from "./_numpy.ts";
import { core } from "./_fixtures.ts";

const NUMPY = skipWithout("numpy");

function spectrum(file: NetworkFile): number[] {
  const res = core.lyapunovSpectrum(file.network, {
    nle: 3,
    tsim: 20,
    seed: 4,
    ...file.options,
    h0: file.h0,
    q0: file.q0,
  });
  return Array.from(res.exponents);
}

Deno.test({
  name:
    "W saved by numpy.save (<f8, <f4, >f8, integers; C and Fortran order) gives the spectrum of its JSON twin",
  ignore: NUMPY,
}, async () => {
  const dir = await Deno.makeTempDir();
  await python(dir, WRITE_W);
  const twins: Record<string, string[]> = {
    "f8.json": ["c_f8.npy", "f_f8.npy", "be_f8.npy"],
    "f4.json": ["c_f4.npy", "f_f4.npy"],
    "int.json": ["c_i8.npy", "f_i2.npy"],
  };
  for (const [json, npys] of Object.entries(twins)) {
    const ref = await readNetwork(`${dir}/${json}`);
    const expected = spectrum(ref);
    ok(expected.every(Number.isFinite));
    for (const npy of npys) {
      const file = await readNetwork(`${dir}/${npy}`);
      deepEqual(file.network.weights, ref.network.weights, npy);
      deepEqual(spectrum(file), expected, npy);
    }
  }
  // The float32 file is not the float64 one: the comparison above can tell files apart.
  const f8 = await readNetwork(`${dir}/c_f8.npy`);
  const f4 = await readNetwork(`${dir}/c_f4.npy`);
  ok(f8.network.weights.some((w, i) => w !== f4.network.weights[i]));
});

const WRITE_NPZ = `import numpy as np, json
rng = np.random.default_rng(6); n = 12; k = 3
W = rng.normal(0, 2.5 / np.sqrt(n), (n, n))
types = np.array([0, 1, 2] * 4, dtype=np.int64)
gains = np.array([1.0, 2.0, 0.5]); shifts = np.array([0.1, -0.2, 0.3])
h0 = rng.normal(size=n); q0 = rng.normal(size=(n, k))
arrays = dict(W=W, gains=gains, shifts=shifts, types=types, h0=h0, q0=q0)
np.savez("stored.npz", **arrays)
np.savez_compressed("compressed.npz", **{("weights" if k == "W" else k): v for k, v in arrays.items()})
json.dump({"n": n, "activation": "tanh_pos", "weights": W.ravel().tolist(), "types": types.tolist(),
           "gains": gains.tolist(), "shifts": shifts.tolist(), "h0": h0.tolist(), "q0": q0.ravel().tolist(),
           "nle": k}, open("twin.json", "w"))
`;

Deno.test({
  name: "an .npz with every optional array (savez and savez_compressed) gives the spectrum of its JSON twin",
  ignore: NUMPY,
}, async () => {
  const dir = await Deno.makeTempDir();
  await python(dir, WRITE_NPZ);
  const twin = await readNetwork(`${dir}/twin.json`);
  const expected = spectrum(twin);
  for (const npz of ["stored.npz", "compressed.npz"]) {
    const file = await readNetwork(`${dir}/${npz}`, { activation: "tanh_pos" });
    deepEqual(file, twin, npz);
    deepEqual(spectrum(file), expected, npz);
  }
  // Without h0 and q0 the spectrum differs: the arrays are used, not just read.
  deepEqual(twin.options, { nle: 3 });
  const bare = spectrum({ network: twin.network, options: twin.options });
  ok(bare.some((x, i) => x !== expected[i]));
});

Deno.test("a CSV edge list gives the network of its JSON twin; --neurons fixes indices and types", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/edges.csv`, "pre,post,weight\n7,3,0.5\n3,9,-1.25\n9,7,2\n3,3,0.125\n");
  const file = await readNetwork(`${dir}/edges.csv`);
  deepEqual(file.network.ids, [7, 3, 9]);
  // index: 7 → 0, 3 → 1, 9 → 2; W[post, pre]
  deepEqual(Array.from(file.network.weights), [0, 0, 2, 0.5, 0.125, 0, 0, -1.25, 0]);
  await Deno.writeTextFile(`${dir}/neurons.csv`, "id,type\n9,I\n3,E\n7,E\n5,I\n");
  const typed = await readNetwork(`${dir}/edges.csv`, {
    neurons: `${dir}/neurons.csv`,
    activation: "tanh_pos",
  });
  deepEqual(typed.network.ids, [9, 3, 7, 5]);
  deepEqual(Array.from(typed.network.types!), [0, 1, 1, 0]);
  deepEqual(typed.network.typeNames, ["I", "E"]);
  equal(typed.network.weights[1 * 4 + 2], 0.5); // 3 (index 1) receives from 7 (index 2)
  const json = { n: 3, activation: "tanh", edges: [[0, 1, 0.5], [1, 2, -1.25], [2, 0, 2], [1, 1, 0.125]] };
  await Deno.writeTextFile(`${dir}/twin.json`, JSON.stringify(json));
  deepEqual(spectrum(file), spectrum(await readNetwork(`${dir}/twin.json`)));
});

Deno.test("parseNpy() views the bytes of a <f8 C-order file in place (no copy, no text on the way)", () => {
  const bytes = npyBytes(Float64Array.from({ length: 64 * 64 }, (_, i) => i / 7), [64, 64]);
  const { values, shape } = parseNpy(bytes, "w.npy");
  deepEqual(shape, [64, 64]);
  equal(values.buffer, bytes.buffer);
  equal(values[65], 65 / 7);
});
