/**
 * `flybrain slurm` on a real single-node Slurm cluster (scripts/slurm/up.sh, brought up and
 * down here). In CI, up.sh installs Debian's packages when missing; elsewhere the test runs only
 * where Slurm is already installed and it runs as root, so `deno task test` installs nothing.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { flybrain, oneLine, ROOT, run } from "../_cli.ts";
import { trainingFiles } from "../_training_files.ts";

/** Whether this machine can run the local cluster (CI always must). */
function clusterPossible(): boolean {
  if (Deno.env.get("CI")) return true;
  const has = (program: string) =>
    Deno.env.get("PATH")!.split(":").some((dir) => {
      try {
        return Deno.statSync(`${dir}/${program}`).isFile;
      } catch {
        return false;
      }
    });
  if (Deno.uid() === 0 && has("slurmctld")) return true;
  console.error(
    "skipping: the local Slurm cluster needs root and Slurm installed (sudo bash scripts/slurm/up.sh)",
  );
  return false;
}

async function sh(program: string, ...args: string[]): Promise<string> {
  const r = await run(program, args);
  equal(r.code, 0, `${program} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Polls squeue every 0.5 s until none of the jobs is queued or running (at most `seconds`). */
async function waitFor(ids: string[], seconds = 240): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const r = await run("squeue", ["-h", "-j", ids.join(","), "-o", "%i"]);
    if (r.code === 0 && r.stdout.trim() === "") return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`jobs ${ids} still queued after ${seconds} s`);
}

/** Polls `ready` every 0.2 s until it holds (at most `seconds`). */
async function until(ready: () => Promise<boolean>, what: string, seconds = 60): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!(await ready())) {
    if (Date.now() > end) throw new Error(`${what}: not after ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A field of `scontrol -o show job`. */
async function jobField(id: string, field: string): Promise<string> {
  const line = await sh("scontrol", "-o", "show", "job", id);
  return new RegExp(`\\b${field}=(\\S*)`).exec(line)?.[1] ?? "";
}

/** The files a run writes (not the manifest, the shards and the scripts), their bytes as text. */
function files(dir: string): string[] {
  const skip = ["manifest.json", "shards", "job.sbatch", "merge.sbatch"];
  return Array.from(Deno.readDirSync(dir), (e) => e.name).filter((name) => !skip.includes(name)).sort()
    .map((name) => `${name}: ${Deno.readFileSync(`${dir}/${name}`).join()}`);
}

const SMALL = ["--gmin", "1", "--gmax", "2.5", "--m_g", "3", "--n_samples", "2", "--n", "40", "--tsim", "40"];
const SMALL_RUN = "logs/transition_2_chaos/tanh_N40_nSample2_tSim40_dt0.1_tOns0.2_weights";
const FILES = ["lambda_max.csv", "spectra.csv", "summary.csv", "transition.json"];

/** Submits `flybrain slurm transition_2_chaos args --submit`; returns the run folder and job ids. */
async function submit(...args: string[]): Promise<{ run: string; array: string; merge: string }> {
  const r = await flybrain("slurm", "transition_2_chaos", ...args, "--submit");
  equal(r.code, 0, r.stderr);
  match(r.stderr, /squeue -j \d+,\d+; scontrol show job \d+/);
  return JSON.parse(r.stdout);
}

Deno.test({
  name: "flybrain slurm on a local cluster: merged files equal a single run; failed and requeued tasks",
  ignore: !clusterPossible(),
  sanitizeResources: false,
  fn: async (t) => {
    await sh("bash", `${ROOT}scripts/slurm/up.sh`);
    try {
      const single = await Deno.makeTempDir();
      const ref = await flybrain("transition_2_chaos", ...SMALL, "--nle", "2", "--out", single);
      equal(ref.code, 0, ref.stderr);

      await t.step(
        "an array of 4 shards and its merge give the single run's files, byte for byte",
        async () => {
          const out = await Deno.makeTempDir();
          const job = await submit(...SMALL, "--nle", "2", "--out", out, "--array", "4");
          equal(job.run, `${out}/${SMALL_RUN}`);
          await waitFor([job.array, job.merge]);
          equal(await jobField(job.merge, "JobState"), "COMPLETED");
          deepEqual(files(job.run), files(`${single}/${SMALL_RUN}`));
          ok(FILES.every((f) => files(job.run).some((line) => line.startsWith(`${f}:`))));
          const manifest = JSON.parse(Deno.readTextFileSync(`${job.run}/manifest.json`));
          equal(manifest.shards.length, 4);
        },
      );

      await t.step("an unknown partition: Slurm's error in one line, exit 2, no run folder", async () => {
        const out = await Deno.makeTempDir();
        const r = await flybrain(
          "slurm",
          "transition_2_chaos",
          ...[...SMALL, "--out", out, "--array", "2", "--partition", "nowhere", "--submit"],
        );
        equal(r.code, 2);
        match(oneLine(r) ?? r.stderr, /^error: sbatch failed: .*invalid partition/i);
        equal(Array.from(Deno.readDirSync(`${out}/logs/transition_2_chaos`)).length, 0);
      });

      await t.step("a task that fails makes the merge job fail, and merge names the shard", async () => {
        const out = await Deno.makeTempDir();
        const r = await flybrain("slurm", "transition_2_chaos", ...SMALL, "--out", out, "--array", "3");
        equal(r.code, 0, r.stderr);
        const dir = `${out}/${SMALL_RUN}`;
        Deno.writeTextFileSync(`${dir}/shards/2`, "a file where shard 2's folder goes\n");
        const array = await sh("sbatch", "--parsable", `${dir}/job.sbatch`);
        const merge = await sh(
          "sbatch",
          "--parsable",
          `--dependency=afterany:${array}`,
          `${dir}/merge.sbatch`,
        );
        await waitFor([array, merge]);
        equal(await jobField(`${array}_2`, "JobState"), "FAILED");
        equal(await jobField(merge, "JobState"), "FAILED");
        const again = await flybrain("merge", dir);
        equal(again.code, 2);
        match(oneLine(again) ?? again.stderr, /^error: Cannot merge .*: shard 2 missing$/);
        ok(!FILES.some((f) => Array.from(Deno.readDirSync(dir), (e) => e.name).includes(f)));
      });

      await t.step(
        "a task requeued mid-run waits, runs again and resumes its shard; the merge equals a single run",
        async () => {
          // Shard 0 has networks 0, 2 and 4: requeued once network 0 is done, it is killed mid-run.
          const args = ["--gmin", "1", "--gmax", "2", "--m_g", "3", "--n_samples", "2"];
          args.push("--n", "200", "--tsim", "800");
          const name = "logs/transition_2_chaos/tanh_N200_nSample2_tSim800_dt0.1_tOns0.2_weights";
          const alone = await Deno.makeTempDir();
          const one = await flybrain("transition_2_chaos", ...args, "--out", alone);
          equal(one.code, 0, one.stderr);
          const out = await Deno.makeTempDir();
          const job = await submit(...args, "--out", out, "--array", "2");
          const finished = `${job.run}/shards/0/finished/0.json`;
          await until(
            async () => (await Deno.stat(finished).catch(() => undefined)) !== undefined,
            "shard 0 began",
          );
          await sh("scontrol", "requeue", `${job.array}_0`);
          // Slurm holds a requeued task back (BeginTime) for the credential lifetime + 1 s, 11 s on the
          // local cluster; it must not be started sooner (docs/design.md, 17). The merge job waits for it.
          await until(async () => (await jobField(`${job.array}_0`, "Reason")) === "BeginTime", "requeued");
          await waitFor([job.array, job.merge]);
          equal(await jobField(`${job.array}_0`, "JobState"), "COMPLETED");
          equal(await jobField(`${job.array}_0`, "Restarts"), "1");
          equal(await jobField(job.merge, "JobState"), "COMPLETED");
          deepEqual(files(job.run), files(`${alone}/${name}`));
          const log = Deno.readTextFileSync(`${job.run}/shards/slurm-${job.array}_0.log`);
          match(log, /DUE TO JOB REQUEUE/);
          match(log, /Resuming .*shards\/0: [12] of 3 networks done/);
        },
      );
    } finally {
      await run("bash", [`${ROOT}scripts/slurm/down.sh`]);
    }
  },
});

Deno.test({
  name:
    "flybrain slurm train_rd_model on a local cluster: shards merge into a single run's models and tables, also after a requeue",
  ignore: !clusterPossible(),
  sanitizeResources: false,
  fn: async (t) => {
    const small = [
      ...["--n", "12", "--nle", "3", "--log_nle", "3", "--loss", "MSE", "--activation", "tanh_pos"],
      ...["--n_samples", "3", "--n_epochs", "4", "--log_every", "2", "--tsim", "10", "--quiet"],
    ];
    /** Trains `args` in one process and as an array of 2 tasks (`during` runs once submitted). */
    const both = async (
      args: string[],
      during: (job: { run: string; array: string }, out: string) => Promise<void>,
    ) => {
      const single = await Deno.makeTempDir();
      const ref = await flybrain("train_rd_model", ...args, "--out", single);
      equal(ref.code, 0, ref.stderr);
      const out = await Deno.makeTempDir();
      const r = await flybrain("slurm", "train_rd_model", ...args, "--out", out, "--array", "2", "--submit");
      equal(r.code, 0, r.stderr);
      const job = JSON.parse(r.stdout);
      await during(job, out);
      await waitFor([job.array, job.merge]);
      equal(await jobField(job.merge, "JobState"), "COMPLETED");
      deepEqual(trainingFiles(out), trainingFiles(single));
      const manifest = JSON.parse(Deno.readTextFileSync(`${job.run}/manifest.json`));
      deepEqual([manifest.status, manifest.shards.length], ["complete", 2]);
      return { job, out };
    };
    await sh("bash", `${ROOT}scripts/slurm/up.sh`);
    try {
      await t.step("3 samples over 2 tasks equal a single run", async () => {
        const { out } = await both(small, async () => {});
        ok(trainingFiles(out).some((f) => f.includes("/sample2/epoch4.json:")));
      });

      await t.step(
        "a task requeued mid-run continues from its checkpoints; the merge equals a single run",
        async () => {
          // Shard 0 trains samples 0 and 2 for 30 epochs: requeued once sample 0 has a checkpoint past
          // epoch 1, it is killed mid-run and, started again by Slurm, resumes from the checkpoints.
          const args = small.map((a, i) =>
            small[i - 1] === "--n" ? "60" : small[i - 1] === "--tsim" ? "100" : a
          );
          args.splice(args.indexOf("--n_epochs") + 1, 1, "30");
          const { job } = await both(args, async (job, out) => {
            const models = `${out}/models/train_rd_model`;
            const epoch = () => {
              try {
                const [run] = Array.from(Deno.readDirSync(models), (e) => e.name);
                return JSON.parse(Deno.readTextFileSync(`${models}/${run}/sample0/checkpoint.json`)).epoch ??
                  0;
              } catch {
                return 0;
              }
            };
            await until(() => Promise.resolve(epoch() >= 2), "sample 0 checkpointed");
            await sh("scontrol", "requeue", `${job.array}_0`);
            await until(async () => (await jobField(`${job.array}_0`, "Reason")) === "BeginTime", "requeued");
          });
          equal(await jobField(`${job.array}_0`, "JobState"), "COMPLETED");
          equal(await jobField(`${job.array}_0`, "Restarts"), "1");
          const log = Deno.readTextFileSync(`${job.run}/shards/slurm-${job.array}_0.log`);
          match(log, /DUE TO JOB REQUEUE/);
          const resumed = Number(/Resuming .*shards\/0 at epoch (\d+)/.exec(log)?.[1]);
          ok(resumed >= 1 && resumed < 30, `resumed at epoch ${resumed}:\n${log}`);
        },
      );
    } finally {
      await run("bash", [`${ROOT}scripts/slurm/down.sh`]);
    }
  },
});
