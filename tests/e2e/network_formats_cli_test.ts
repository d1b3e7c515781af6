/** The command line on network files from numpy: the bits of JSON twins, and malformed files. */

import { deepEqual, equal, ok } from "node:assert/strict";
import { flybrain, oneLine, skipWithout } from "../_cli.ts";
import { python, WRITE_W } from "../_numpy.ts";

const NUMPY = skipWithout("numpy");

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
  ["noheader.csv", /noheader\.csv:1: missing column\(s\) pre, post, weight/],
  ["weight.csv", /weight\.csv:2: weight "x" is not a finite number/],
  ["ragged.csv", /ragged\.csv:3: expected 3 fields, got 2/],
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
