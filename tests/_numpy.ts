/**
 * Helpers of the tests that talk to numpy: running a Python script, and the script that saves a
 * matrix W in every layout next to its JSON twins.
 *
 * @module
 */

import { equal } from "node:assert/strict";

/** Runs a Python script (numpy) with `dir` as its working folder. */
export async function python(dir: string, script: string): Promise<string> {
  const out = await new Deno.Command("/usr/bin/python3", { args: ["-c", script], cwd: dir }).output();
  equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

/** Saves W as .npy in every layout, and its JSON twins (the float32 file's twin holds the float32 values). */
export const WRITE_W = `import numpy as np, json
rng = np.random.default_rng(5); n = 12
W = rng.normal(0, 2 / np.sqrt(n), (n, n))
W32 = W.astype("<f4")
np.save("c_f8.npy", W); np.save("f_f8.npy", np.asfortranarray(W)); np.save("be_f8.npy", W.astype(">f8"))
np.save("c_f4.npy", W32); np.save("f_f4.npy", np.asfortranarray(W32))
Wi = np.round(W * 10).astype("<i8"); np.save("c_i8.npy", Wi); np.save("f_i2.npy", np.asfortranarray(Wi.astype(">i2")))
for name, M in (("f8", W), ("f4", W32.astype("f8")), ("int", Wi.astype("f8"))):
    json.dump({"n": n, "activation": "tanh", "weights": M.ravel().tolist()}, open(name + ".json", "w"))
`;
