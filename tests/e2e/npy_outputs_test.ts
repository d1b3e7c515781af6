import { deepEqual, equal } from "node:assert/strict";
import { flybrain, skipWithout } from "../_cli.ts";

// Loads every .npy of the runs with numpy and checks it against the CSV it mirrors.
const CHECK = `import numpy as np, csv, glob, json, sys
root = sys.argv[1]
def table(path):
    rows = list(csv.DictReader(open(path)))
    return rows
def grid(rows, keys, col):
    axes = [list(dict.fromkeys(r[k] for r in rows)) for k in keys]
    a = np.full([len(x) for x in axes], np.nan)
    for r in rows:
        a[tuple(ax.index(r[k]) for ax, k in zip(axes, keys))] = float(r[col])
    return a
out = {}
def same(name, run, npy, expected):
    got = np.load(f"{run}/{npy}")
    out[name] = [got.dtype == np.float64, list(got.shape), bool(np.array_equal(got, expected))]
t = glob.glob(f"{root}/logs/transition_2_chaos/*")[0]
lm = table(f"{t}/lambda_max.csv"); sp = table(f"{t}/spectra.csv")
same("g", t, "g.npy", np.array(list(dict.fromkeys(float(r["g"]) for r in lm))))
same("lambda_max", t, "lambda_max.npy", grid(lm, ["g", "sample"], "lambda_max"))
same("entropy", t, "entropy.npy", grid(lm, ["g", "sample"], "entropy"))
same("spectra", t, "spectra.npy", grid(sp, ["g", "sample", "i"], "lambda"))
c = glob.glob(f"{root}/logs/lyapu_convergence/*")[0]
cv = table(f"{c}/convergence.csv"); fs = table(f"{c}/spectrum.csv")
same("convergence", c, "convergence.npy", grid(cv, ["sample", "time", "i"], "lambda"))
same("spectrum", c, "spectrum.npy", grid(fs, ["sample", "i"], "lambda"))
same("time", c, "time.npy", np.array(list(dict.fromkeys(float(r["time"]) for r in cv))))
r = glob.glob(f"{root}/logs/train_rd_model/*")[0]
tr = table(f"{r}/training.csv"); ts = table(f"{r}/spectra.csv")
same("loss", r, "loss.npy", grid(tr, ["sample", "epoch"], "loss"))
same("train_spectra", r, "spectra.npy", grid(ts, ["sample", "epoch", "i"], "lambda"))
same("spectra_epochs", r, "spectra_epochs.npy", np.array([0.0, 2.0, 3.0]))
print(json.dumps(out))
`;

Deno.test({
  name: "the workflows' .npy files load in numpy and equal their CSV tables",
  ignore: skipWithout("numpy"),
}, async () => {
  const out = await Deno.makeTempDir();
  const runs = [
    ["transition_2_chaos", "--gmin", "0.5", "--gmax", "3", "--m_g", "3", "--n_samples", "2", "--n", "20"],
    ["--nle", "4", "--tsim", "10"],
    ["lyapu_convergence", "--tons", "0.2", "--activation", "tanh", "--n", "12", "--nle", "3"],
    ["--n_samples", "2", "--tsim", "10", "--points", "5"],
    ["train_rd_model", "--n", "8", "--nle", "2", "--loss", "MSE", "--activation", "tanh", "--n_samples", "2"],
    ["--n_epochs", "3", "--log_every", "2", "--tSim", "5", "--log_nle", "3"],
  ];
  for (let i = 0; i < runs.length; i += 2) {
    const r = await flybrain(...runs[i], ...runs[i + 1], "--out", out, "--workers", "1");
    equal(r.code, 0, r.stderr);
  }
  const py = await new Deno.Command("/usr/bin/python3", { args: ["-c", CHECK, out] }).output();
  equal(py.code, 0, new TextDecoder().decode(py.stderr));
  deepEqual(JSON.parse(new TextDecoder().decode(py.stdout)), {
    g: [true, [3], true],
    lambda_max: [true, [3, 2], true],
    entropy: [true, [3, 2], true],
    spectra: [true, [3, 2, 4], true],
    convergence: [true, [2, 5, 3], true],
    spectrum: [true, [2, 3], true],
    time: [true, [5], true],
    loss: [true, [2, 3], true],
    train_spectra: [true, [2, 3, 3], true],
    spectra_epochs: [true, [3], true],
  });
});
