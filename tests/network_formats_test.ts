import { deepEqual, equal, ok } from "node:assert/strict";
import { type NetworkFile, npyBytes, parseNpy, readNetwork } from "../src/mod.ts";
import { flybrain, oneLine, skipWithout } from "./_cli.ts";
import { core } from "./_fixtures.ts";

const NUMPY = skipWithout("numpy");

/** Runs a Python script (numpy) with `dir` as its working folder. */
async function python(dir: string, script: string): Promise<string> {
  const out = await new Deno.Command("/usr/bin/python3", { args: ["-c", script], cwd: dir }).output();
  equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

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

// W and its JSON twin (the float32 file's twin holds the float32 values).
const WRITE_W = `import numpy as np, json
rng = np.random.default_rng(5); n = 12
W = rng.normal(0, 2 / np.sqrt(n), (n, n))
W32 = W.astype("<f4")
np.save("c_f8.npy", W); np.save("f_f8.npy", np.asfortranarray(W)); np.save("be_f8.npy", W.astype(">f8"))
np.save("c_f4.npy", W32); np.save("f_f4.npy", np.asfortranarray(W32))
Wi = np.round(W * 10).astype("<i8"); np.save("c_i8.npy", Wi); np.save("f_i2.npy", np.asfortranarray(Wi.astype(">i2")))
for name, M in (("f8", W), ("f4", W32.astype("f8")), ("int", Wi.astype("f8"))):
    json.dump({"n": n, "activation": "tanh", "weights": M.ravel().tolist()}, open(name + ".json", "w"))
`;

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

Deno.test({
  name: "flybrain spectrum and gradient --json give the same bits for an .npy and its JSON twin",
  ignore: NUMPY,
}, async () => {
  const dir = await Deno.makeTempDir();
  await python(dir, WRITE_W);
  for (const command of [["spectrum"], ["gradient", "--loss", "MSE", "--train", "weights"]]) {
    const [a, b] = await Promise.all(
      ["f_f8.npy", "f8.json"].map((f) =>
        flybrain(...command, "--network", `${dir}/${f}`, "--nle", "3", "--tsim", "20", "--json")
      ),
    );
    equal(a.code, 0, a.stderr);
    equal(b.code, 0, b.stderr);
    const strip = (s: string) => ({ ...JSON.parse(s), seconds: 0 });
    deepEqual(strip(a.stdout), strip(b.stdout));
  }
});

Deno.test("parseNpy() views the bytes of a <f8 C-order file in place (no copy, no text on the way)", () => {
  const bytes = npyBytes(Float64Array.from({ length: 64 * 64 }, (_, i) => i / 7), [64, 64]);
  const { values, shape } = parseNpy(bytes, "w.npy");
  deepEqual(shape, [64, 64]);
  equal(values.buffer, bytes.buffer);
  equal(values[65], 65 / 7);
});

// Each malformed input: the file's content (or a Python line writing it) and the message expected.
const MALFORMED = `import numpy as np, zipfile, io
np.save("not_square.npy", np.zeros((3, 4)))
np.save("vector.npy", np.zeros(9))
W = np.zeros((4, 4)); W[1, 2] = np.nan; np.save("nan.npy", W)
W = np.zeros((4, 4)); W[3, 0] = -np.inf; np.save("inf.npy", W.astype("<f4"))
np.save("object.npy", np.array([1, "a"], dtype=object), allow_pickle=True)
np.save("complex.npy", np.zeros((2, 2), dtype=np.complex128))
np.save("structured.npy", np.zeros(2, dtype=[("a", "<f8"), ("b", "<i4")]))
open("truncated.npy", "wb").write(open("not_square.npy", "rb").read()[:-8])
np.savez("gains.npz", W=np.eye(3), gains=np.ones(4))
np.savez("no_w.npz", gains=np.ones(3))
np.savez("typo.npz", W=np.eye(3), gain=np.ones(3))
np.savez("h0.npz", W=np.eye(3), h0=np.ones(2))
np.savez("q0.npz", W=np.eye(3), q0=np.ones((2, 2)))
np.savez("types.npz", W=np.eye(3), types=np.array([0.5, 1, 0]))
open("bad.npz", "wb").write(b"PK\\x03\\x04" + b"\\x00" * 40)
`;

const CASES: [string, RegExp, string[]?][] = [
  ["not_square.npy", /not_square\.npy: W must be a square matrix W\[post, pre\], got shape \(3, 4\)/],
  ["vector.npy", /vector\.npy: W must be a square matrix .*got shape \(9\)/],
  ["nan.npy", /nan\.npy: Invalid network: weight \[post=1, pre=2\] is not finite \(NaN\)/],
  ["inf.npy", /inf\.npy: Invalid network: weight \[post=3, pre=0\] is not finite \(-Infinity\)/],
  ["object.npy", /object\.npy: object arrays are refused \(they would need unpickling\)/],
  ["complex.npy", /complex\.npy: unknown dtype '<c16'/],
  ["structured.npy", /structured\.npy: structured arrays .* not supported/],
  ["truncated.npy", /truncated\.npy: shape \(3, 4\) of <f8 needs 96 bytes of data, the file has 88/],
  ["text.npy", /text\.npy: not an \.npy file/],
  ["gains.npz", /gains\.npz: Invalid network: gains must have one entry per neuron \(3\), got 4/],
  ["no_w.npz", /no_w\.npz: no array W \(or weights\)/],
  ["typo.npz", /typo\.npz: unknown array "gain"/],
  ["h0.npz", /h0\.npz: h0 must have n = 3 values .* got 2/],
  ["q0.npz", /q0\.npz: q0 must have shape \(n, nle\) with n = 3, got \(2, 2\)/],
  ["types.npz", /types\.npz: types\[0\] must be an integer >= 0, got 0\.5/],
  ["bad.npz", /bad\.npz: not a valid \.npz \(zip\) archive/],
  ["dup.csv", /dup\.csv:3: duplicate edge a -> b \(first on line 2\)/],
  ["noheader.csv", /noheader\.csv: the first line must be a header naming the columns pre,post,weight/],
  ["weight.csv", /weight\.csv:2: weight "x" is not a finite number/],
  ["ragged.csv", /ragged\.csv:3: 2 fields, the header has 3/],
  ["dup.csv", /neurons\.csv:3: id "a" already on line 2/, ["--neurons", "neurons.csv"]],
  ["unknown.dat", /unknown\.dat: unknown format; expected a network file: a JSON object/],
  ["missing.npy", /Cannot read network file .*missing\.npy: no such file/],
];

Deno.test({
  name:
    `${CASES.length} kinds of malformed network files each give one line naming the file, and exit code 2`,
  ignore: NUMPY,
}, async () => {
  const dir = await Deno.makeTempDir();
  await python(dir, MALFORMED);
  const text: Record<string, string> = {
    "text.npy": "0,1\n1,0\n",
    "dup.csv": "pre,post,weight\na,b,1\na,b,2\n",
    "noheader.csv": "a,b,1\n",
    "weight.csv": "pre,post,weight\na,b,x\n",
    "ragged.csv": "pre,post,weight\na,b,1\nb,a\n",
    "neurons.csv": "id,type\na,E\na,I\n",
    "unknown.dat": "hello\n",
  };
  for (const [name, content] of Object.entries(text)) await Deno.writeTextFile(`${dir}/${name}`, content);
  const results = await Promise.all(
    CASES.map(([file, , extra = []]) =>
      flybrain(
        "spectrum",
        "--network",
        `${dir}/${file}`,
        ...extra.flatMap((x) => x.endsWith(".csv") ? [`${dir}/${x}`] : [x]),
        "--nle",
        "1",
        "--tsim",
        "1",
      )
    ),
  );
  results.forEach((r, i) => {
    const [file, message] = CASES[i];
    equal(r.code, 2, `${file}: ${r.stderr}`);
    const line = oneLine(r);
    ok(line !== undefined && line.startsWith("error: ") && message.test(line), `${file}: ${r.stderr}`);
  });
});
