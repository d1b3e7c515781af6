import { deepEqual, equal, match, ok } from "node:assert/strict";
import { npyBytes, randomNetwork } from "../../src/mod.ts";
import { flybrain, oneLine, ROOT, run } from "../_cli.ts";

const SWEEP = ["--gmin", "1", "--gmax", "2.5", "--m_g", "3", "--n_samples", "3", "--n", "30", "--tsim", "20"];
const SWEEP_FILES = ["lambda_max.csv", "spectra.csv", "summary.csv", "transition.json"];
const SWEEP_RUN = "logs/transition_2_chaos/tanh_N30_nSample3_tSim20_dt0.1_tOns0.2_weights";

/** The files of a run folder, their bytes as text (every file but the manifest when `names` is absent). */
function files(dir: string, names?: string[]): string[] {
  names ??= Array.from(Deno.readDirSync(dir), (e) => e.name)
    .filter((name) => name !== "manifest.json" && name !== "shards").sort();
  return names.map((name) => `${name}: ${Deno.readFileSync(`${dir}/${name}`).join()}`);
}

/** Runs a single-process transition_2_chaos (nle 3) into a fresh output root; returns its run folder. */
async function singleSweep(): Promise<string> {
  const out = await Deno.makeTempDir();
  const r = await flybrain("transition_2_chaos", ...SWEEP, "--nle", "3", "--out", out);
  equal(r.code, 0, r.stderr);
  return `${out}/${SWEEP_RUN}`;
}

Deno.test("shards by hand (--shard 0/2, 1/2 in two processes) merge into the files of a single run, byte for byte", async () => {
  const single = await singleSweep();
  const out = await Deno.makeTempDir();
  const shards = await Promise.all(
    ["0/2", "1/2"].map((s) =>
      flybrain("transition_2_chaos", ...SWEEP, "--nle", "3", "--out", out, "--shard", s, "--workers", "1")
    ),
  );
  for (const r of shards) equal(r.code, 0, r.stderr);
  const dir = `${out}/${SWEEP_RUN}`;
  const merged = await flybrain("merge", dir);
  equal(merged.code, 0, merged.stderr);
  deepEqual(files(dir), files(single));
  ok(files(dir).length > SWEEP_FILES.length, "the .npy arrays too");
  const manifest = JSON.parse(Deno.readTextFileSync(`${dir}/manifest.json`));
  equal(manifest.status, "complete");
  equal(manifest.shards.length, 2);
  equal(manifest.progress.done, 9);
  // Merging twice is harmless: the same files again.
  const again = await flybrain("merge", dir);
  equal(again.code, 0, again.stderr);
  equal(files(dir, SWEEP_FILES).join(), files(single, SWEEP_FILES).join());
});

Deno.test("lyapu_convergence in more shards than samples (one shard empty) merges into the single run's files", async () => {
  const args = ["--activation", "tanh", "--tons", "0.5", "--n", "20", "--nle", "3", "--tsim", "30"];
  const names = ["convergence.csv", "spectrum.csv", "convergence.json"];
  const outSingle = await Deno.makeTempDir();
  const single = await flybrain("lyapu_convergence", ...args, "--n_samples", "2", "--out", outSingle);
  equal(single.code, 0, single.stderr);
  const out = await Deno.makeTempDir();
  for (const s of ["0/3", "1/3", "2/3"]) {
    const r = await flybrain("lyapu_convergence", ...args, "--n_samples", "2", "--out", out, "--shard", s);
    equal(r.code, 0, r.stderr);
  }
  const run = "logs/lyapu_convergence/tanh_N20_NLE3_g1.5_Tons0.5_Tsim30_dt0.1";
  const merged = await flybrain("merge", `${out}/${run}`);
  equal(merged.code, 0, merged.stderr);
  deepEqual(files(`${out}/${run}`), files(`${outSingle}/${run}`));
  ok(names.every((name) => files(`${out}/${run}`).some((f) => f.startsWith(`${name}:`))));
});

Deno.test("merge refuses missing and inconsistent shards in one line naming them, exit 2, nothing written", async () => {
  const out = await Deno.makeTempDir();
  const dir = `${out}/${SWEEP_RUN}`;
  const shard = (s: string, ...more: string[]) =>
    flybrain("transition_2_chaos", ...SWEEP, "--out", out, "--shard", s, ...more);
  equal((await shard("0/3")).code, 0);
  equal((await shard("2/3", "--seed", "7")).code, 0); // same folder, another seed
  const r = await flybrain("merge", dir);
  equal(r.code, 2);
  const line = oneLine(r);
  ok(line, r.stderr);
  match(line, /^error: Cannot merge .*shard 1 missing; shard 2 inconsistent/);
  const written = Array.from(Deno.readDirSync(dir), (e) => e.name);
  equal(written.join(), "shards");
});

Deno.test("--shard out of range or 0/0: one line, exit 2, nothing written", async () => {
  for (
    const [shard, reason] of [["5/4", /shard index must be in 0\.\.3/], [
      "0/0",
      /count must be at least 1/,
    ]] as const
  ) {
    const out = await Deno.makeTempDir();
    const r = await flybrain("transition_2_chaos", ...SWEEP, "--out", out, "--shard", shard);
    equal(r.code, 2);
    match(oneLine(r) ?? r.stderr, reason);
    equal(Array.from(Deno.readDirSync(out)).length, 0);
  }
});

Deno.test("flybrain slurm: sbatch missing from PATH says where to run or how to install; bad options create nothing", async () => {
  const out = await Deno.makeTempDir();
  const noSbatch = await run("/usr/bin/env", [
    "PATH=/nonexistent",
    Deno.execPath(),
    ...["run", "-A", `${ROOT}cli/main.ts`, "slurm", "transition_2_chaos", ...SWEEP, "--out", out],
    ...["--array", "2", "--submit"],
  ]);
  equal(noSbatch.code, 2);
  match(oneLine(noSbatch) ?? noSbatch.stderr, /^error: Cannot submit: sbatch is not on PATH; .*slurm-client/);
  equal(Array.from(Deno.readDirSync(out)).length, 0);
  const bad = await flybrain(
    "slurm",
    "transition_2_chaos",
    "--gmin",
    "3",
    "--gmax",
    "1",
    "--n_samples",
    "2",
    "--out",
    out,
    "--array",
    "2",
  );
  equal(bad.code, 2);
  match(oneLine(bad) ?? bad.stderr, /gmin must be at most gmax/);
  const notSharded = await flybrain("slurm", "spectrum", "--n", "10", "--array", "2");
  equal(notSharded.code, 2);
  match(oneLine(notSharded) ?? notSharded.stderr, /spectrum does not run in shards/);
});

Deno.test("a sweep of a network file merges too (merge reads the file the shards read)", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeFile(`${dir}/W.npy`, npyBytes(randomNetwork({ n: 16, g: 1, seed: 9 }).weights, [16, 16]));
  const args = ["--network", `${dir}/W.npy`, "--gmin", "1", "--gmax", "2", "--m_g", "2", "--n_samples", "2"];
  args.push("--tsim", "20");
  const single = await flybrain("transition_2_chaos", ...args, "--out", `${dir}/single`);
  equal(single.code, 0, single.stderr);
  for (const s of ["0/2", "1/2"]) {
    const r = await flybrain("transition_2_chaos", ...args, "--out", `${dir}/sharded`, "--shard", s);
    equal(r.code, 0, r.stderr);
  }
  const run = Array.from(Deno.readDirSync(`${dir}/single/logs/transition_2_chaos`))[0].name;
  const merged = await flybrain("merge", `${dir}/sharded/logs/transition_2_chaos/${run}`);
  equal(merged.code, 0, merged.stderr);
  deepEqual(
    files(`${dir}/sharded/logs/transition_2_chaos/${run}`),
    files(`${dir}/single/logs/transition_2_chaos/${run}`),
  );
});

Deno.test("flybrain runs lists a run in shards before its merge: unmerged, shards complete out of all", async () => {
  const out = await Deno.makeTempDir();
  const listed = async () => {
    const r = await flybrain("runs", "--out", out, "--json");
    equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).map((
      x: Record<string, unknown>,
    ) => [x.status, x.progress, x.shards, x.end !== undefined]);
  };
  const shard = async (s: string) => {
    const r = await flybrain("transition_2_chaos", ...SWEEP, "--out", out, "--shard", s, "--quiet");
    equal(r.code, 0, r.stderr);
  };
  await shard("0/2");
  deepEqual(await listed(), [["unmerged", { done: 1, total: 2 }, 2, false]]);
  await shard("1/2");
  deepEqual(await listed(), [["unmerged", { done: 2, total: 2 }, 2, true]]);
  const table = await flybrain("runs", "--out", out);
  match(table.stdout, /unmerged\s+2\/2 shards/);
  equal((await flybrain("merge", `${out}/${SWEEP_RUN}`)).code, 0);
  deepEqual(await listed(), [["complete", { done: 9, total: 9 }, undefined, true]]);
});
