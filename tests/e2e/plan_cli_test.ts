import { deepEqual, equal, ok } from "node:assert/strict";
import { flybrain, oneLine } from "../_cli.ts";

Deno.test("flybrain spectrum refuses impossible work at once with one line naming the option and its limit", async () => {
  const cases: [string[], RegExp][] = [
    [["--n", "5", "--tons", "1e9"], /^error: .*tons must be at most tsim = 200, got tons=1000000000$/],
    [
      ["--n", "20", "--ttr", "1e12"],
      /^error: .*ttr must be a finite number >= 0 and at most 10000000, got ttr=1000000000000$/,
    ],
    [["--n", "20", "--tons", "300"], /^error: .*tons must be at most tsim = 200, got tons=300$/],
    [["--n", "20", "--dt", "0.001", "--tsim", "5e6"], /steps, more than the limit of 1e\+9/],
    [
      ["--n", "30000", "--nle", "1", "--tsim", "1"],
      /^error: Cannot start: a spectrum of n=30000 needs 14 GB of memory .* the core holds at most 4\.3 GB .*; n <= \d+ fits( \(n <= \d+ with --precision f32\))?$/,
    ],
    [
      ["--n", "100000", "--nle", "1"],
      /^error: Cannot start: a spectrum of n=100000 needs 160 GB of memory \(W: 80 GB .* is free/,
    ],
  ];
  for (const [args, message] of cases) {
    const start = performance.now();
    const r = await flybrain("spectrum", ...args);
    equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    const line = oneLine(r);
    ok(line !== undefined && message.test(line), `${args.join(" ")}: ${r.stderr}`);
    ok(performance.now() - start < 15000, `${args.join(" ")} took ${performance.now() - start} ms`);
  }
});

Deno.test("flybrain spectrum --dry-run prints steps, memory and a time estimate without computing", async () => {
  const r = await flybrain(
    "spectrum",
    "--n",
    "30000",
    "--nle",
    "1",
    "--tsim",
    "1",
    "--precision",
    "f32",
    "--dry-run",
  );
  // The plan is printed even when this machine has not the 11 GB it needs (then it is refused after it).
  ok(r.code === 0 || (r.code === 2 && /is free/.test(r.stderr)), r.stderr);
  ok(/steps: 200 transient \+ 100 frame \+ 10 observed = 310 per network/.test(r.stdout), r.stdout);
  ok(/network 7\.2 GB, core 3\.6 GB \(W 3\.6 GB/.test(r.stdout), r.stdout);
  ok(/time: about .*draw .*compute/.test(r.stdout), r.stdout);
  const g = await flybrain("gradient", "--n", "50", "--nle", "5", "--loss", "MSE", "--dry-run");
  equal(g.code, 0, g.stderr);
  ok(/gradient of n=50, nle=5/.test(g.stdout) && /tape/.test(g.stdout), g.stdout);
});

Deno.test("flybrain spectrum prints progress lines on a non-terminal stderr for a run of seconds, none with --quiet", async () => {
  const args = ["spectrum", "--n", "300", "--nle", "60", "--tsim", "100", "--json"];
  const loud = await flybrain(...args);
  equal(loud.code, 0, loud.stderr);
  const lines = loud.stderr.trim().split("\n").filter((l) => l.startsWith("spectrum: "));
  ok(lines.length >= 1, loud.stderr);
  ok(/^spectrum: \d+\/1300 steps \(\d+%\), [\d.]+ steps\/s, .* left$/.test(lines[0]), lines[0]);
  const quiet = await flybrain(...args, "--quiet");
  equal(quiet.code, 0, quiet.stderr);
  equal(quiet.stderr, "");
  deepEqual(JSON.parse(quiet.stdout).exponents, JSON.parse(loud.stdout).exponents);
});

Deno.test("a sweep's plan counts its workers: --dry-run prints it, impossible memory is refused, and no folder is made", async () => {
  const out = await Deno.makeTempDir();
  const sweep = ["transition_2_chaos", "--gmin", "0.5", "--gmax", "3", "--n_samples", "5", "--out", out];
  const dry = await flybrain(...sweep, "--workers", "2", "--dry-run");
  equal(dry.code, 0, dry.stderr);
  ok(/spectrum of n=1000, nle=1 .* × 35 networks, 2 at once/.test(dry.stdout), dry.stdout);
  ok(/time: about /.test(dry.stdout), dry.stdout);
  const big = await flybrain(...sweep, "--n", "30000", "--workers", "2");
  equal(big.code, 2);
  ok(
    /^error: Cannot start: a spectrum of n=30000 needs 29 GB of memory, 2 networks at once/.test(
      oneLine(big) ?? "",
    ),
    big.stderr,
  );
  const conv = await flybrain(
    "lyapu_convergence",
    "--tons",
    "0.2",
    "--activation",
    "tanh",
    "--dry-run",
    "--out",
    out,
  );
  equal(conv.code, 0, conv.stderr);
  ok(/spectrum of n=100, nle=20 .* × 5 networks/.test(conv.stdout), conv.stdout);
  deepEqual(Array.from(Deno.readDirSync(out)), []);
});

Deno.test("a workflow with --quiet prints no progress, only where the results are", async () => {
  const out = await Deno.makeTempDir();
  const r = await flybrain(
    "transition_2_chaos",
    ...["--gmin", "1", "--gmax", "2", "--m_g", "2", "--n_samples", "1", "--n", "30", "--tsim", "10"],
    ...["--out", out, "--quiet"],
  );
  equal(r.code, 0, r.stderr);
  ok(/^Results: \S+\n$/.test(r.stderr), r.stderr);
});
