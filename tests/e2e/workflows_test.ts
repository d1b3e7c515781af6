import { deepEqual, equal, ok } from "node:assert/strict";
import { parse } from "csv-parse/sync";
import {
  deriveSeed,
  loadCore,
  randomNetwork,
  runStatus,
  saveFinished,
  spectrumResultJson,
} from "../../src/deno.ts";
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

Deno.test("transition_2_chaos gives identical files with 1 and 2 workers or 2 threads, and never overwrites a run", async () => {
  const out = await Deno.makeTempDir();
  const args = ["--gmin", "1", "--gmax", "3", "--m_g", "3", "--n_samples", "3", "--n", "60", "--tsim", "30"];
  const one = await flybrain("transition_2_chaos", ...args, "--nle", "4", "--out", out, "--workers", "1");
  const two = await flybrain("transition_2_chaos", ...args, "--nle", "4", "--out", out, "--workers", "2");
  const threads = await flybrain(
    "transition_2_chaos",
    ...args,
    ...["--nle", "4", "--out", out, "--workers", "1", "--threads", "2"],
  );
  equal(one.code, 0, one.stderr);
  equal(two.code, 0, two.stderr);
  equal(threads.code, 0, threads.stderr);
  const [a, b, c] = [runDir(one), runDir(two), runDir(threads)];
  ok(a !== b && b.endsWith("_2"), `${a} vs ${b}`);
  for (const file of ["lambda_max.csv", "spectra.csv", "summary.csv", "transition.json"]) {
    equal(Deno.readTextFileSync(`${a}/${file}`), Deno.readTextFileSync(`${b}/${file}`), file);
    equal(Deno.readTextFileSync(`${a}/${file}`), Deno.readTextFileSync(`${c}/${file}`), file);
  }
  for (const file of ["lambda_max.npy", "spectra.npy", "entropy.npy"]) {
    deepEqual(Deno.readFileSync(`${a}/${file}`), Deno.readFileSync(`${b}/${file}`), file);
    deepEqual(Deno.readFileSync(`${a}/${file}`), Deno.readFileSync(`${c}/${file}`), file);
  }
  deepEqual([manifest(c).workers, manifest(c).threads], [1, 2]);
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
  deepEqual([m.workers, m.threads], [1, 1]);
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
  // The networks finished before the signal are kept, one file each, for --resume.
  const kept = Array.from(Deno.readDirSync(dir)).map((e) => e.name).sort();
  ok(kept.every((name) => name === "manifest.json" || name === "finished"), kept.join(" "));
});

/** Waits (up to 60 s) until the manifest of the only run under `parent` reports `done` units. */
async function waitForProgress(parent: string, done: number): Promise<string> {
  for (let i = 0; i < 1200; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      const dir = `${parent}/${Array.from(Deno.readDirSync(parent))[0].name}`;
      if (manifest(dir).progress.done >= done) return dir;
    } catch { /* not yet */ }
  }
  throw new Error(`no run under ${parent} reached ${done}`);
}

Deno.test("a sweep killed with SIGKILL keeps its finished networks, is seen as interrupted, and --resume ends byte-identical to an uninterrupted run", async () => {
  const out = await Deno.makeTempDir();
  const args = [
    "transition_2_chaos",
    ...["--gmin", "0.5", "--gmax", "3", "--m_g", "2", "--n_samples", "3", "--n", "200", "--nle", "10"],
    ...["--tsim", "100"],
  ];
  // A process group of its own (setsid), killed as a whole as a scheduler or `kill -9 -PGID` does.
  const child = new Deno.Command("setsid", {
    args: [Deno.execPath(), ...flybrainArgs(...args, "--workers", "1", "--out", `${out}/killed`)],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "null",
    stderr: "null",
  }).spawn();
  const dir = await waitForProgress(`${out}/killed/logs/transition_2_chaos`, 1);
  Deno.kill(-child.pid, "SIGKILL");
  ok(!(await child.status).success);
  const left = manifest(dir);
  equal(left.status, "running", "the manifest cannot know");
  ok(left.pid > 0 && typeof left.host === "string", JSON.stringify(left));
  ok(left.progress.done < 6, JSON.stringify(left.progress));
  // The sandboxed child dies with its group a moment after the parent: its lock goes with it.
  let status = await runStatus(dir, left);
  for (let i = 0; i < 100 && status === "running"; i++) {
    await new Promise((r) => setTimeout(r, 50));
    status = await runStatus(dir, left);
  }
  equal(status, "interrupted");
  const listed = await flybrain("runs", "--out", `${out}/killed`, "--json");
  equal(listed.code, 0, listed.stderr);
  const [info] = JSON.parse(listed.stdout);
  equal(info.status, "interrupted");
  deepEqual(info.progress, left.progress);
  ok(info.bytes > 0);
  const name = dir.slice(dir.lastIndexOf("/") + 1);
  const resumed = await flybrain("transition_2_chaos", "--resume", name, "--out", `${out}/killed`);
  equal(resumed.code, 0, resumed.stderr);
  ok(resumed.stderr.includes(`Resuming ${dir}: ${left.progress.done} of 6 networks done`), resumed.stderr);
  const whole = await flybrain(...args, "--workers", "2", "--out", `${out}/whole`);
  equal(whole.code, 0, whole.stderr);
  for (const file of ["lambda_max.csv", "spectra.csv", "summary.csv", "transition.json"]) {
    deepEqual(Deno.readFileSync(`${dir}/${file}`), Deno.readFileSync(`${runDir(whole)}/${file}`), file);
  }
  const m = manifest(dir);
  equal(m.status, "complete");
  deepEqual(m.progress, { done: 6, total: 6 });
  deepEqual(Array.from(Deno.readDirSync(dir)).map((e) => e.name).sort(), [...m.files].sort());
  // A complete run is not resumed again.
  const again = await flybrain("transition_2_chaos", "--resume", name, "--out", `${out}/killed`);
  equal(again.code, 2);
  ok(/^error: Cannot resume .*: it is complete$/.test(oneLine(again) ?? ""), again.stderr);
});

Deno.test("lyapu_convergence --resume takes the stopped run's options and finishes its missing samples", async () => {
  const out = await Deno.makeTempDir();
  const args = ["lyapu_convergence", "--tons", "0.2", "--activation", "tanh", "--n", "30", "--nle", "3"];
  const whole = await flybrain(...args, "--n_samples", "3", "--tsim", "20", "--out", `${out}/whole`);
  equal(whole.code, 0, whole.stderr);
  // A stopped run: the same options, one sample's result kept, the manifest left running.
  const src = runDir(whole);
  const dir = `${out}/stopped/logs/lyapu_convergence/${src.slice(src.lastIndexOf("/") + 1)}`;
  await Deno.mkdir(dir, { recursive: true });
  const m = manifest(src);
  await Deno.writeTextFile(
    `${dir}/manifest.json`,
    JSON.stringify({ ...m, status: "running", end: undefined }),
  );
  const net = randomNetwork({ n: 30, g: 1.5, seed: 0, activation: "tanh" });
  const options = { nle: 3, tons: 0.2, tsim: 20, seed: deriveSeed(0, 0), history: 500 };
  const first = (await loadCore()).lyapunovSpectrum(net, options);
  await saveFinished(dir, 0, spectrumResultJson(first));
  const resumed = await flybrain("lyapu_convergence", "--resume", dir, "--out", `${out}/stopped`);
  equal(resumed.code, 0, resumed.stderr);
  ok(resumed.stderr.includes("1 of 3 samples done"), resumed.stderr);
  for (const file of ["convergence.csv", "spectrum.csv", "convergence.json"]) {
    equal(Deno.readTextFileSync(`${dir}/${file}`), Deno.readTextFileSync(`${src}/${file}`), file);
  }
});

Deno.test("flybrain runs lists the runs of an output root with workflow, status, progress, start, end and size", async () => {
  const r = await flybrain("runs", "--out", "tests/fixtures/runs");
  equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  ok(/^workflow +run +status +progress +start +end +size$/.test(lines[0]), lines[0]);
  equal(lines.length, 8);
  ok(
    /^transition_2_chaos +tanh_N30_nSample3_tSim50_dt0\.1_tOns0\.2_weights +complete +15\/15 +2026-11-29 17:06:34 +2026-11-29 17:06:34 +\d/
      .test(lines[3]),
    lines[3],
  );
  const json = JSON.parse((await flybrain("runs", "--out", "tests/fixtures/runs", "--json")).stdout);
  deepEqual(json.map((x: { workflow: string }) => x.workflow), [
    "lyapu_convergence",
    "train_rd_model",
    "transition_2_chaos",
    "transition_2_chaos",
    "transition_2_chaos",
    "vectors",
    "vectors",
  ]);
  const empty = await flybrain("runs", "--out", await Deno.makeTempDir());
  equal(empty.code, 0, empty.stderr);
  ok(empty.stdout.startsWith("No runs under "), empty.stdout);
});
