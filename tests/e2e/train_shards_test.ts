/**
 * The training workflows in shards (docs/design.md#17-shards-and-slurm): shards by hand merge
 * into the files of a single run, byte for byte (models and tables; `training.csv`'s timing
 * column `seconds` is each process's own); a shard killed mid-run continues; bad shards are refused.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { flybrain, flybrainArgs, oneLine, processTree, ROOT } from "../_cli.ts";
import { trainingFiles } from "../_training_files.ts";

/** A small train_rd_model with masks and gains, without its epochs. */
const RD_BASE = [
  ...["--n", "12", "--nle", "3", "--log_nle", "4", "--loss", "MSE", "--activation", "tanh_pos"],
  ...["--train_gains", "true", "--n_train_weights", "60", "--n_samples", "3"],
  ...["--log_every", "2", "--tsim", "10", "--quiet"],
];
const RD = [...RD_BASE, "--n_epochs", "5"];
const RD_RUN =
  "tanh_pos_Weightstrue_Shiftsfalse_Gainstrue_N12_lr0.001_NLE3_Epochs5_MSE_g1_Tons0.2_Tsim10_dt0.1";

/** Runs `flybrain args --out root`, which must succeed. */
async function ok0(root: string, ...args: string[]): Promise<string> {
  const r = await flybrain(...args, "--out", root);
  equal(r.code, 0, r.stderr);
  return r.stderr;
}

Deno.test("train_rd_model: 3 samples over 2 shards merge into the files of a single run, models and tables byte for byte", async () => {
  const out = await Deno.makeTempDir();
  await ok0(`${out}/single`, "train_rd_model", ...RD);
  for (const s of ["0/2", "1/2"]) await ok0(`${out}/sharded`, "train_rd_model", ...RD, "--shard", s);
  const dir = `${out}/sharded/logs/train_rd_model/${RD_RUN}`;
  // A shard's tables hold its own samples (global indices); its models are where a whole run puts them.
  const shard1 = Deno.readTextFileSync(`${dir}/shards/1/training.csv`).trim().split("\n").slice(1);
  deepEqual([...new Set(shard1.map((l) => l.split(",")[0]))], ["1"]);
  ok(Deno.statSync(`${out}/sharded/models/train_rd_model/${RD_RUN}/sample2/epoch5.json`).isFile);
  const merged = await flybrain("merge", dir);
  equal(merged.code, 0, merged.stderr);
  const files = trainingFiles(`${out}/sharded`);
  deepEqual(files, trainingFiles(`${out}/single`));
  for (const name of ["training.csv", "spectra.csv", "loss.npy", "lambda_max.npy", "spectra.npy"]) {
    ok(files.some((f) => f.startsWith(`logs/train_rd_model/${RD_RUN}/${name}:`)), name);
  }
  equal(
    files.filter((f) => f.startsWith("models/")).length,
    3 * (4 * 3 + 1),
    "3 samples, 4 logged epochs of 3 files, a checkpoint",
  );
  const manifest = JSON.parse(Deno.readTextFileSync(`${dir}/manifest.json`));
  deepEqual([manifest.status, manifest.progress, manifest.shards.length], [
    "complete",
    { done: 5, total: 5 },
    2,
  ]);
  // The timing column holds each shard's own times, row for row.
  const seconds = (root: string) =>
    Deno.readTextFileSync(`${root}/training.csv`).trim().split("\n").slice(1).map((l) => l.split(",").at(-1));
  ok(seconds(dir).every((s) => Number(s) > 0));
  // Merging twice is harmless.
  equal((await flybrain("merge", dir)).code, 0);
  deepEqual(trainingFiles(`${out}/sharded`), files);
});

Deno.test("train_flybrain_pop over 4 shards (one without samples) merges into the files of a single run", async () => {
  const args = [
    ...["train_flybrain_pop", "--roi", "AB", "--subpopulation", "neurotransmitter", "--nle", "2"],
    ...["--log_nle", "2", "--loss", "MSE", "--activation", "tanh_pos", "--n_samples", "3", "--n_epochs", "2"],
    ...["--tsim", "4", "--ttr", "2", "--tframe", "2", "--quiet"],
  ];
  const out = await Deno.makeTempDir();
  await ok0(`${out}/single`, ...args);
  for (const s of ["0/4", "1/4", "2/4", "3/4"]) {
    await ok0(`${out}/sharded`, ...args, "--shard", s, "--workers", "1");
  }
  const run = Array.from(Deno.readDirSync(`${out}/single/logs/train_flybrain_pop`))[0].name;
  const merged = await flybrain("merge", `${out}/sharded/logs/train_flybrain_pop/${run}`);
  equal(merged.code, 0, merged.stderr);
  deepEqual(trainingFiles(`${out}/sharded`), trainingFiles(`${out}/single`));
});

/** Starts `flybrain args`, waits until `checkpoint` is at epoch ≥ 3, kills the process tree with SIGKILL. */
async function killMidRun(args: string[], checkpoint: string): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: flybrainArgs(...args),
    cwd: ROOT,
    stdout: "null",
    stderr: "null",
  }).spawn();
  let epoch = 0;
  for (let i = 0; i < 1200 && epoch < 3; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      epoch = JSON.parse(Deno.readTextFileSync(checkpoint)).epoch;
    } catch { /* not yet */ }
  }
  ok(epoch >= 3, `a checkpoint after epoch 3 appeared: ${checkpoint}`);
  for (const pid of processTree(child.pid).reverse()) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch { /* already gone */ }
  }
  ok(!(await child.status).success, "killed before its end");
}

Deno.test("train_rd_model shards killed with SIGKILL mid-run continue (same command, or --resume) and merge into a single run's files", async () => {
  const args = [
    ...["train_rd_model", "--n", "40", "--nle", "4", "--log_nle", "4", "--loss", "MSE"],
    ...["--activation", "tanh_pos", "--n_samples", "3", "--n_epochs", "12", "--log_every", "3"],
    ...["--tsim", "30", "--lr", "0.01", "--workers", "1", "--quiet"],
  ];
  const run =
    "tanh_pos_Weightstrue_Shiftsfalse_Gainsfalse_N40_lr0.01_NLE4_Epochs12_MSE_g1_Tons0.2_Tsim30_dt0.1";
  const out = await Deno.makeTempDir();
  const single = ok0(`${out}/single`, ...args);
  const sharded = `${out}/sharded`;
  const models = `${sharded}/models/train_rd_model/${run}`;
  const dir = `${sharded}/logs/train_rd_model/${run}`;
  await killMidRun([...args, "--out", sharded, "--shard", "0/2"], `${models}/sample2/checkpoint.json`);
  await killMidRun([...args, "--out", sharded, "--shard", "1/2"], `${models}/sample1/checkpoint.json`);
  const refused = await flybrain("merge", dir);
  equal(refused.code, 2);
  match(
    oneLine(refused) ?? refused.stderr,
    /^error: Cannot merge .*: shard 0 interrupted; shard 1 interrupted$/,
  );
  // Shard 0 as a requeued Slurm task runs it: the same command again; shard 1 with --resume.
  match(await ok0(sharded, ...args, "--shard", "0/2"), /Resuming .*shards\/0 at epoch [3-9]/);
  const resumed = await flybrain("train_rd_model", "--resume", run, "--shard", "1/2", "--out", sharded);
  equal(resumed.code, 0, resumed.stderr);
  match(resumed.stderr, /Resuming .*shards\/1 at epoch [3-9]/);
  const merged = await flybrain("merge", dir);
  equal(merged.code, 0, merged.stderr);
  await single;
  deepEqual(trainingFiles(sharded), trainingFiles(`${out}/single`));
  equal(Deno.readTextFileSync(`${dir}/training.csv`).trim().split("\n").length, 1 + 3 * 12, "no row twice");
});

Deno.test("training shards: bad shards refused in one line (exit 2, nothing written); a shard never reuses another command's folder", async () => {
  const tiny = [...RD_BASE, "--n_epochs", "1"];
  const out = await Deno.makeTempDir();
  const run = RD_RUN.replace("Epochs5", "Epochs1");
  const dir = `${out}/logs/train_rd_model/${run}`;
  await ok0(out, "train_rd_model", ...tiny, "--shard", "0/3");
  await ok0(out, "train_rd_model", ...tiny, "--shard", "2/3", "--seed", "7");
  const r = await flybrain("merge", dir);
  equal(r.code, 2);
  match(oneLine(r) ?? r.stderr, /^error: Cannot merge .*: shard 1 missing; shard 2 inconsistent/);
  deepEqual(Array.from(Deno.readDirSync(dir), (e) => e.name), ["shards"]);
  // Shard 2 again with the first shard's options: its folder holds another command's shard.
  const again = await flybrain("train_rd_model", ...tiny, "--shard", "2/3", "--out", out);
  equal(again.code, 2);
  match(
    oneLine(again) ?? again.stderr,
    /^error: Cannot run shard 2\/3 in .*: its folder holds a shard of another command/,
  );
  // A shard's rows lost: merge names the shard.
  Deno.removeSync(`${dir}/shards/2`, { recursive: true });
  await ok0(out, "train_rd_model", ...tiny, "--shard", "1/3");
  await ok0(out, "train_rd_model", ...tiny, "--shard", "2/3");
  Deno.writeTextFileSync(
    `${dir}/shards/2/training.csv`,
    "sample,epoch,loss,lambda_max,grad_norm_weights,grad_norm_gains,grad_norm_shifts,seconds\n",
  );
  const lacking = await flybrain("merge", dir);
  equal(lacking.code, 2);
  match(oneLine(lacking) ?? lacking.stderr, /^error: Cannot merge .*: shard 2 lacks epochs of sample 2$/);
  deepEqual(Array.from(Deno.readDirSync(dir), (e) => e.name), ["shards"]);
  // Out-of-range shards, and a shard in a folder that holds a whole run.
  const bad = await flybrain("train_rd_model", ...tiny, "--shard", "5/4", "--out", out);
  equal(bad.code, 2);
  match(oneLine(bad) ?? bad.stderr, /shard index must be in 0\.\.3/);
  const whole = await Deno.makeTempDir();
  await ok0(whole, "train_rd_model", ...tiny);
  const into = await flybrain("train_rd_model", ...tiny, "--shard", "0/2", "--out", whole);
  equal(into.code, 2);
  match(oneLine(into) ?? into.stderr, /^error: Cannot run shard 0\/2 in .*: it holds a whole or merged run$/);
  // flybrain slurm checks a training's options (a Trainer of its first sample) before creating anything.
  const empty = await Deno.makeTempDir();
  const slurm = await flybrain(
    ...["slurm", "train_rd_model", "--n", "5", "--nle", "2", "--loss", "MSE", "--activation", "tanh"],
    ...["--train_gains", "true", "--out", empty, "--array", "2"],
  );
  equal(slurm.code, 2);
  match(oneLine(slurm) ?? slurm.stderr, /^error: Cannot train gains or shifts of the tanh activation/);
  equal(Array.from(Deno.readDirSync(empty)).length, 0);
});

Deno.test("a resumed training whose samples stand at different epochs (one lost its checkpoint) ends with the files of an uninterrupted run", async () => {
  const out = await Deno.makeTempDir();
  await ok0(`${out}/whole`, "train_rd_model", ...RD);
  await ok0(`${out}/resumed`, "train_rd_model", ...RD);
  const dir = `${out}/resumed/logs/train_rd_model/${RD_RUN}`;
  // Sample 1 lost its checkpoint: it trains again from epoch 0 while samples 0 and 2 are done.
  Deno.removeSync(`${out}/resumed/models/train_rd_model/${RD_RUN}/sample1/checkpoint.json`);
  const manifest = JSON.parse(Deno.readTextFileSync(`${dir}/manifest.json`));
  Deno.writeTextFileSync(`${dir}/manifest.json`, JSON.stringify({ ...manifest, status: "interrupted" }));
  const resumed = await flybrain("train_rd_model", "--resume", dir, "--out", `${out}/resumed`, "--json");
  equal(resumed.code, 0, resumed.stderr);
  match(resumed.stderr, /Resuming .* at epoch 0/);
  deepEqual(JSON.parse(resumed.stdout).samples.map((s: { sample: number }) => s.sample), [1]);
  deepEqual(trainingFiles(`${out}/resumed`), trainingFiles(`${out}/whole`));
});
