/**
 * Outputs stay where they belong (issue 15): every bad path is one line and exit code 2, no
 * write follows a symbolic link out of the output root, output files are never replaced
 * without --force nor written into the project's data or sources, options are checked before
 * any folder is created, and the sandbox may write exactly what the run creates.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { dirname } from "node:path";
import { errorMessage, sandboxFor } from "../../cli/main.ts";
import { type CliResult, flybrain, flybrainShell, oneLine, ROOT, run, shellQuote } from "../_cli.ts";

const SWEEP = [
  "transition_2_chaos",
  "--gmin",
  "0.5",
  "--gmax",
  "1",
  "--m_g",
  "2",
  "--n_samples",
  "1",
  "--n",
  "20",
];
const FORMAT = /expected a network file: a JSON object with "n" and "weights"/;

/**
 * Asserts a failure with exactly one line `error: …` matching `message`, exit code 2; with
 * `started`, the run had begun and printed its progress before (then the error is the last line).
 */
function refused(r: CliResult, message: RegExp, started = false): void {
  equal(r.code, 2, r.stderr);
  const line = started ? r.stderr.trimEnd().split("\n").at(-1)! : oneLine(r) ?? "";
  ok(line.startsWith("error: ") && message.test(line), r.stderr);
  equal(r.stderr.split("\n").filter((l) => l.includes("error")).length, 1, r.stderr);
  ok(!/--allow-|--deny-/.test(r.stderr), `suggests Deno's permission flags: ${r.stderr}`);
  ok(!/\n\s+at /.test(r.stderr), `stack trace: ${r.stderr}`);
}

/** Files and folders under a folder (relative paths, sorted). */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, prefix: string) => {
    for (const e of Deno.readDirSync(d)) {
      out.push(prefix + e.name);
      if (e.isDirectory) walk(`${d}/${e.name}`, `${prefix}${e.name}/`);
    }
  };
  walk(dir, "");
  return out.sort();
}

let unshareWorks: boolean | undefined;
/** Whether Linux user namespaces are available (to run as an unprivileged user or mount a tmpfs). */
function canUnshare(): boolean {
  unshareWorks ??= (() => {
    try {
      return new Deno.Command("unshare", {
        args: ["--user", "--map-root-user", "--mount", "true"],
        stdout: "null",
        stderr: "null",
      }).outputSync().success;
    } catch {
      return false;
    }
  })();
  if (!unshareWorks) console.error("skipping: user namespaces (unshare --user) are not available here");
  return unshareWorks;
}

/** Runs `deno task flybrain <args>` through `sh -c script(command)` (e.g. inside an unshare call). */
function flybrainIn(script: (command: string) => string, ...args: string[]): Promise<CliResult> {
  return run("sh", ["-c", script(flybrainShell(...args))]);
}

/** A user that owns nothing here: the current user seen as uid 1000 in a user namespace. */
const unprivileged = (command: string) =>
  `exec unshare --user --map-user=1000 --map-group=1000 -- ${command}`;

Deno.test("an output root that is a file, or in a missing folder, is one line and exit code 2", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/file`, "x");
  refused(await flybrain(...SWEEP, "--out", `${dir}/file`), /--out .*file: it is not a folder$/);
  refused(await flybrain(...SWEEP, "--out", `${dir}/missing/out`), /folder .*missing does not exist$/);
  refused(await flybrain(...SWEEP, "--out", `${dir}/file/out`), /file is not a folder$/);
  refused(
    await flybrain("connectome", "--out", `${dir}/missing/net.json`),
    /folder .*missing does not exist$/,
  );
  refused(await flybrain("connectome", "--out", dir), /it is a folder, not a file$/);
  deepEqual(tree(dir), ["file"]);
});

Deno.test("transition_2_chaos --out /etc/passwd (an existing file) is one line, exit code 2, no stack trace", async () => {
  refused(await flybrain(...SWEEP, "--out", "/etc/passwd"), /--out \/etc\/passwd/);
});

Deno.test("--out / and other system folders are refused with one line", async () => {
  for (const root of ["/", "/etc", "/usr/local/x", "/tmp", "/home"]) {
    refused(await flybrain(...SWEEP, "--out", root), /is a system folder/);
  }
  refused(await flybrain("connectome", "--out", "/etc/flybrain.json"), /is a system folder/);
});

Deno.test("a repeated or empty --out is refused with one line", async () => {
  const dir = await Deno.makeTempDir();
  refused(await flybrain(...SWEEP, "--out", ""), /--out is empty/);
  refused(await flybrain("connectome", "--out="), /--out is empty/);
  refused(
    await flybrain(...SWEEP, "--out", `${dir}/a`, "--out", `${dir}/b`),
    /--out is given more than once/,
  );
  refused(await flybrain(...SWEEP, `--out=${dir}/a`, "--out", `${dir}/b`), /--out is given more than once/);
  deepEqual(tree(dir), []);
});

Deno.test("options are checked before any folder is created", async () => {
  const dir = await Deno.makeTempDir();
  const out = `${dir}/D`;
  refused(await flybrain("train_rd_model", "--n_epochs", "0", "--out", out), /--n_epochs/);
  refused(
    await flybrain(
      "train_rd_model",
      "--nle",
      "5",
      "--n",
      "3",
      "--loss",
      "MSE",
      "--activation",
      "tanh",
      "--out",
      out,
    ),
    /nle must be an integer between 1 and n/,
  );
  refused(
    await flybrain("transition_2_chaos", "--gmin", "3", "--gmax", "0.5", "--n_samples", "1", "--out", out),
    /gmin must be at most gmax/,
  );
  refused(await flybrain(...SWEEP, "--nle", "21", "--out", out), /nle must be an integer between 1 and n/);
  deepEqual(tree(dir), []);
});

Deno.test("no write follows a symbolic link out of the output root", async () => {
  const dir = await Deno.makeTempDir();
  const elsewhere = `${dir}/elsewhere`;
  await Deno.mkdir(elsewhere);
  for (const link of ["logs", "logs/transition_2_chaos"]) {
    const out = `${dir}/out_${link.replace("/", "_")}`;
    await Deno.mkdir(dirname(`${out}/${link}`), { recursive: true });
    await Deno.symlink(elsewhere, `${out}/${link}`);
    refused(await flybrain(...SWEEP, "--tsim", "2", "--out", out), /is a symbolic link/);
  }
  // The models folder of a training, and the root of the demo's files, are checked the same way.
  const train = `${dir}/train`;
  await Deno.mkdir(train);
  await Deno.symlink(elsewhere, `${train}/models`);
  const r = await flybrain(
    ..."train_rd_model --n 10 --nle 2 --loss MSE --activation tanh --n_epochs 1 --tsim 2".split(" "),
    "--out",
    train,
  );
  refused(r, /models: it is a symbolic link/, true);
  // A run folder to resume is entered only through real folders.
  const resumed = `${dir}/resumed`;
  await Deno.mkdir(`${resumed}/logs`, { recursive: true });
  await Deno.symlink(elsewhere, `${resumed}/logs/train_rd_model`);
  refused(await flybrain("train_rd_model", "--resume", "run", "--out", resumed), /is a symbolic link/);
  deepEqual(tree(elsewhere), []);
});

Deno.test("connectome --out never replaces a file without --force, nor writes into the shipped data", async () => {
  const shipped = `${ROOT}data/connectomics/AB/neurons.csv`;
  const before = await Deno.readFile(shipped);
  refused(
    await flybrain("connectome", "--roi", "AB", "--out", "data/connectomics/AB/neurons.csv"),
    /shipped data/,
  );
  refused(
    await flybrain("connectome", "--roi", "AB", "--out", "data/connectomics/AB/neurons.csv", "--force"),
    /shipped data/,
  );
  refused(await flybrain("connectome", "--roi", "AB", "--out", "src/net.json"), /shipped data or sources/);
  deepEqual(await Deno.readFile(shipped), before);

  const dir = await Deno.makeTempDir();
  const file = `${dir}/eb.json`;
  await Deno.writeTextFile(file, "mine");
  refused(await flybrain("connectome", "--out", file), /the file exists; give --force to replace it/);
  equal(await Deno.readTextFile(file), "mine");
  const forced = await flybrain("connectome", "--out", file, "--force");
  equal(forced.code, 0, forced.stderr);
  equal(JSON.parse(await Deno.readTextFile(file)).n > 0, true);
  deepEqual(tree(dir), ["eb.json"]);
});

Deno.test("the sandbox may write exactly what the run creates", async () => {
  deepEqual(await sandboxFor(["connectome", "--out", "/tmp/x/net.json"]), {
    read: [],
    write: ["/tmp/x/net.json", "/tmp/x/.net.json.tmp"],
  });
  deepEqual(await sandboxFor(["demo", "--out", "o"]), {
    read: ["o"],
    write: ["o/logs/demo", "o/logs/lyapu_convergence", "o/logs/transition_2_chaos"],
  });
  deepEqual(await sandboxFor(["vectors", "--n", "5"]), { read: [], write: [] });
  deepEqual(
    await sandboxFor(["vectors", "--network", "a.json", "--save", "/tmp/v/c.npy", "--out", "runs"]),
    { read: ["a.json", "runs"], write: ["/tmp/v/c.npy", "/tmp/v/.c.npy.tmp", "runs/logs/vectors"] },
  );
});

Deno.test("spectrum --network names the file and the expected format, never its bytes", async () => {
  const dir = await Deno.makeTempDir();
  const passwd = await flybrain("spectrum", "--network", "/etc/passwd");
  refused(passwd, FORMAT);
  ok(!passwd.stderr.includes("root:"), passwd.stderr);
  refused(await flybrain("spectrum", "--network", dir), /it is a folder; /);
  refused(await flybrain("spectrum", "--network", `${dir}/none.json`), /no such file; /);
});

Deno.test("an unreadable network file and an unwritable output folder are one line, exit code 2", async () => {
  if (!canUnshare()) return;
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/net.json`, JSON.stringify({ n: 2, weights: [0, 1, 1, 0] }));
  await Deno.chmod(`${dir}/net.json`, 0o000);
  await Deno.mkdir(`${dir}/ro`, { mode: 0o555 });
  await Deno.chmod(`${dir}/ro`, 0o555);
  const unreadable = await flybrainIn(unprivileged, "spectrum", "--network", `${dir}/net.json`);
  refused(unreadable, /Cannot read network file .*net.json: permission denied; expected a network file/);
  refused(
    await flybrainIn(unprivileged, ...SWEEP, "--out", `${dir}/ro/out`),
    /ro\/out.*: permission denied$/,
  );
  refused(
    await flybrainIn(unprivileged, "connectome", "--quiet", "--out", `${dir}/ro/net.json`),
    /Cannot write .*ro\/net.json: permission denied$/,
  );
  deepEqual(tree(`${dir}/ro`), []);
});

Deno.test("a full disk is one line, exit code 2, and leaves no half-written file", async () => {
  if (!canUnshare()) return;
  const dir = await Deno.makeTempDir();
  const onTmpfs = (kb: number) => (command: string) =>
    `exec unshare --user --map-root-user --mount -- sh -c ` +
    shellQuote(
      `mount -t tmpfs -o size=${kb}k tmpfs ${dir} && ${command}; s=$?; find ${dir} -name "*.tmp"; exit $s`,
    );
  const net = await flybrainIn(onTmpfs(64), "connectome", "--quiet", "--out", `${dir}/net.json`);
  refused(net, /Cannot write .*net.json: no space left on device$/);
  equal(net.stdout, "");
  const sweep = await flybrainIn(
    onTmpfs(12),
    ...SWEEP,
    "--n",
    "30",
    "--nle",
    "30",
    "--tsim",
    "2",
    "--out",
    dir,
  );
  refused(sweep, /no space left on device$/, true);
  ok(!sweep.stdout.includes(".tmp"), sweep.stdout);
});

Deno.test("an OS error reads 'Cannot <operation> <file>: <reason>', and a wrapped one is kept", () => {
  const full = new Error("No space left on device (os error 28): writefile '/d/.net.json.tmp'");
  equal(errorMessage(full), "Cannot write /d/net.json: no space left on device");
  const wrapped = new Error(
    "Cannot resume r: No such file or directory (os error 2): readfile 'r/manifest.json'",
  );
  equal(errorMessage(wrapped), wrapped.message);
});

Deno.test("errors never suggest Deno's permission flags", () => {
  const denied = new Deno.errors.NotCapable(
    'Requires write access to "/x/y", run again with the --allow-write flag',
  );
  equal(
    errorMessage(denied),
    'Cannot write "/x/y": outside what this run may touch (its inputs and outputs)',
  );
});
