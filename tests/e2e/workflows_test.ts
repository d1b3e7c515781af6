import { deepEqual, equal, ok } from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { type CliResult, flybrain, flybrainArgs, oneLine, ROOT } from "../_cli.ts";

function runDir(r: CliResult): string {
  const m = r.stderr.match(/Results: (\S+)/);
  ok(m, `no results line in: ${r.stderr}`);
  return m[1];
}

function csv(path: string): Record<string, string>[] {
  return parse(Deno.readTextFileSync(path), { columns: true });
}

function manifest(dir: string) {
  return JSON.parse(Deno.readTextFileSync(`${dir}/manifest.json`));
}

Deno.test("transition_2_chaos finds the onset of chaos for tanh: λ_max < 0 at g = 0.5, > 0 at g = 2 (N = 400)", async () => {
  const out = await Deno.makeTempDir();
  const r = await flybrain(
    "transition_2_chaos",
    ...["--gmin", "0.5", "--gmax", "2", "--m_g", "2", "--n_samples", "2", "--n", "400", "--tsim", "100"],
    ...["--out", out, "--json"],
  );
  equal(r.code, 0, r.stderr);
  const { summary } = JSON.parse(r.stdout);
  equal(summary.length, 2);
  ok(summary[0].q3 < 0, `g=0.5: ${JSON.stringify(summary[0])}`);
  ok(summary[1].q1 > 0, `g=2: ${JSON.stringify(summary[1])}`);
  equal(summary[0].fractionChaotic, 0);
  equal(summary[1].fractionChaotic, 1);
});

Deno.test("transition_2_chaos gives identical files with 1 and 2 workers, and never overwrites a run", async () => {
  const out = await Deno.makeTempDir();
  const args = ["--gmin", "1", "--gmax", "3", "--m_g", "3", "--n_samples", "3", "--n", "60", "--tsim", "30"];
  const one = await flybrain("transition_2_chaos", ...args, "--nle", "4", "--out", out, "--workers", "1");
  const two = await flybrain("transition_2_chaos", ...args, "--nle", "4", "--out", out, "--workers", "2");
  equal(one.code, 0, one.stderr);
  equal(two.code, 0, two.stderr);
  const [a, b] = [runDir(one), runDir(two)];
  ok(a !== b && b.endsWith("_2"), `${a} vs ${b}`);
  for (const file of ["lambda_max.csv", "spectra.csv", "summary.csv", "transition.json"]) {
    equal(Deno.readTextFileSync(`${a}/${file}`), Deno.readTextFileSync(`${b}/${file}`), file);
  }
  for (const file of ["lambda_max.npy", "spectra.npy", "entropy.npy"]) {
    deepEqual(Deno.readFileSync(`${a}/${file}`), Deno.readFileSync(`${b}/${file}`), file);
  }
  // Schema: one row per network with its spectrum characterisation, and a summary per g.
  const rows = csv(`${a}/lambda_max.csv`);
  equal(rows.length, 9);
  deepEqual(Object.keys(rows[0]), ["g", "sample", "seed", "lambda_max", "ky_dimension", "entropy"]);
  const spectra = csv(`${a}/spectra.csv`);
  equal(spectra.length, 9 * 4);
  rows.forEach((row, r) => {
    const own = spectra.slice(4 * r, 4 * r + 4).map((s) => Number(s.lambda));
    equal(Number(row.lambda_max), Math.max(...own));
  });
  const summary = csv(`${a}/summary.csv`);
  deepEqual(Object.keys(summary[0]), [
    "g",
    "samples",
    "median",
    "q1",
    "q3",
    "fraction_chaotic",
    "D_over_N",
    "H_over_N",
  ]);
  deepEqual(summary.map((s) => Number(s.g)), [1, 2, 3]);
  const m = manifest(a);
  equal(m.status, "complete");
  equal(m.workers, 1);
  equal(manifest(b).workers, 2);
  for (const key of ["command", "options", "seed", "tool", "wasmSha256", "start", "end", "files"]) {
    ok(key in m, key);
  }
  match64(m.wasmSha256);
  equal(m.options.m_g, 3);
  equal(m.options.dt, 0.1);
  deepEqual(m.options.parameter, ["weights"]);
  deepEqual([...m.files].sort(), [
    "entropy.npy",
    "g.npy",
    "ky_dimension.npy",
    "lambda_max.csv",
    "lambda_max.npy",
    "manifest.json",
    "spectra.csv",
    "spectra.npy",
    "summary.csv",
    "transition.json",
  ]);
});

function match64(hex: string) {
  ok(/^[0-9a-f]{64}$/.test(hex), hex);
}

Deno.test("transition_2_chaos draws gains or shifts with spread g when asked, and --save false writes nothing", async () => {
  const out = await Deno.makeTempDir();
  const base = ["--gmin", "0", "--gmax", "3", "--m_g", "2", "--n_samples", "1", "--n", "50", "--tsim", "20"];
  const weights = JSON.parse(
    (await flybrain("transition_2_chaos", ...base, "--activation", "pos", "--out", out, "--json")).stdout,
  );
  const gains = await flybrain(
    "transition_2_chaos",
    ...base,
    ...["--activation", "pos", "--parameter", "gains", "--parameter", "shifts", "--save", "false", "--json"],
    ...["--out", out],
  );
  equal(gains.code, 0, gains.stderr);
  const g = JSON.parse(gains.stdout);
  equal(g.run, undefined);
  ok(g.summary[1].median !== weights.summary[1].median);
  equal(Array.from(Deno.readDirSync(`${out}/logs/transition_2_chaos`)).length, 1, "only the saved run");
});

Deno.test("lyapu_convergence records the running estimates of every exponent for every sample", async () => {
  const out = await Deno.makeTempDir();
  const r = await flybrain(
    "lyapu_convergence",
    ...["--tOns", "0.2", "--activation", "tanh_streched", "--n", "40", "--nLE", "3", "--n_samples", "2"],
    ...["--tSim", "40", "--points", "20", "--out", out],
  );
  equal(r.code, 0, r.stderr);
  const dir = runDir(r);
  ok(dir.endsWith("tanh_stretched_N40_NLE3_g1.5_Tons0.2_Tsim40_dt0.1"), dir);
  const conv = csv(`${dir}/convergence.csv`);
  deepEqual(Object.keys(conv[0]), ["sample", "time", "i", "lambda"]);
  equal(new Set(conv.map((c) => c.sample)).size, 2);
  const spectrum = csv(`${dir}/spectrum.csv`);
  equal(spectrum.length, 6);
  deepEqual(Object.keys(spectrum[0]), ["sample", "i", "lambda", "stderr"]);
  // The last running estimate of each exponent is its final value.
  for (const s of spectrum) {
    const last = conv.filter((c) => c.sample === s.sample && c.i === s.i).at(-1)!;
    equal(Number(last.time), 40);
    equal(last.lambda, s.lambda);
  }
  equal(manifest(dir).status, "complete");
});

Deno.test("workflows reject bad options with one line and exit code 2", async () => {
  const cases: [string[], RegExp][] = [
    [["transition_2_chaos", "--gmin", "3", "--gmax", "1", "--n_samples", "1"], /gmin must be at most gmax/],
    [
      ["transition_2_chaos", "--gmin", "1", "--gmax", "2", "--n_samples", "0"],
      /'--n_samples <k>' argument '0' is invalid/,
    ],
    [["transition_2_chaos", "--gmin", "1", "--gmax", "2"], /required option '--n_samples <k>' not specified/],
    [
      ["transition_2_chaos", "--gmin", "1", "--gmax", "2", "--n_samples", "1", "--activation", "relu"],
      /Unknown activation "relu"/,
    ],
    [
      ["transition_2_chaos", "--gmin", "1", "--gmax", "2", "--n_samples", "1", "--parameter", "bias"],
      /Expected one of weights, gains, shifts/,
    ],
    [["lyapu_convergence", "--tons", "0.2"], /required option '--activation <name>' not specified/],
    [["lyapu_convergence", "--tons", "0.2", "--activation", "sigmoid"], /Unknown activation "sigmoid"/],
    [
      ["lyapu_convergence", "--tons", "0.2", "--activation", "tanh", "--n", "5", "--nle", "6"],
      /nle must be an integer between 1 and n, got nle=6, n=5/,
    ],
  ];
  const out = await Deno.makeTempDir();
  for (const [args, message] of cases) {
    const r = await flybrain(...args, "--out", out);
    equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    const line = oneLine(r);
    ok(
      line !== undefined && line.startsWith("error: ") && message.test(line),
      `${args.join(" ")}: ${r.stderr}`,
    );
  }
});

Deno.test("an interrupted run stops, marks its manifest interrupted and leaves no half-written file", async () => {
  const out = await Deno.makeTempDir();
  const child = new Deno.Command(Deno.execPath(), {
    args: flybrainArgs(
      "transition_2_chaos",
      ...[
        "--gmin",
        "1",
        "--gmax",
        "2",
        "--m_g",
        "4",
        "--n_samples",
        "25",
        "--n",
        "300",
        "--workers",
        "1",
        "--out",
        out,
      ],
    ),
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const parent = `${out}/logs/transition_2_chaos`;
  let dir = "";
  for (let i = 0; i < 200 && dir === ""; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      const entry = Array.from(Deno.readDirSync(parent))[0];
      if (entry && Deno.statSync(`${parent}/${entry.name}/manifest.json`).isFile) {
        dir = `${parent}/${entry.name}`;
      }
    } catch { /* not yet */ }
  }
  ok(dir, "the run folder appeared");
  await new Promise((r) => setTimeout(r, 1500));
  child.kill("SIGINT");
  const status = await child.output();
  equal(status.code, 130, new TextDecoder().decode(status.stderr));
  const m = manifest(dir);
  equal(m.status, "interrupted");
  ok(m.progress.done < m.progress.total, JSON.stringify(m.progress));
  ok(m.end);
  deepEqual(Array.from(Deno.readDirSync(dir)).map((e) => e.name), ["manifest.json"]);
});
