import { deepEqual, equal, ok } from "node:assert/strict";
import { randomNetwork, readTypeShares, writeNetwork } from "../../src/deno.ts";
import { flybrain, oneLine, skipWithout } from "../_cli.ts";

Deno.test("flybrain vectors --json prints exponents, CLV exponents, localisation, angles, finite-time exponents and times", async () => {
  const r = await flybrain(
    "vectors",
    "--n",
    "60",
    "--g",
    "3",
    "--nle",
    "6",
    "--tsim",
    "20",
    "--samples",
    "11",
    "--seed",
    "1",
    "--threads",
    "2",
    "--json",
  );
  equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  deepEqual(Object.keys(json).slice(0, 3), ["n", "nle", "threads"]);
  equal(json.threads, 2);
  equal(json.exponents.length, 6);
  equal(json.clvExponents.length, 6);
  equal(json.ipr.mean.length, 6);
  equal(json.participationRatio.mean.length, 6);
  equal(json.ftle.mean.length, 6);
  equal(json.ftle.std.length, 6);
  deepEqual(json.times, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
  ok(json.exponents[0] > 0, "g = 3 is chaotic");
  const between = json.angles.unstableStable;
  ok(between.min > 0 && between.min <= between.mean && between.mean <= Math.PI / 2);
  deepEqual(Object.keys(between.quantiles), ["0.05", "0.25", "0.5", "0.75", "0.95"]);
  equal(json.typeShares, undefined);
  ok(json.seconds > 0);
});

Deno.test("flybrain vectors --out writes the CSVs, the vectors and a manifest; --save the .npy; type shares from a typed network", async () => {
  const dir = await Deno.makeTempDir();
  const n = 20;
  const net = randomNetwork({ n, g: 2, seed: 3 });
  net.types = Int32Array.from({ length: n }, (_, i) => (i < 5 ? 0 : 1));
  net.gains = new Float64Array([1, 1]);
  net.shifts = new Float64Array(2);
  net.typeNames = ["EPG", "PEN"];
  await writeNetwork(`${dir}/net.json`, net);
  const r = await flybrain(
    "vectors",
    "--network",
    `${dir}/net.json`,
    "--nle",
    "3",
    "--tsim",
    "4",
    "--samples",
    "5",
    "--save",
    `${dir}/clv.npy`,
    "--out",
    `${dir}/runs`,
    "--threads",
    "2",
    "--json",
  );
  equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  deepEqual(json.typeShares.typeNames, ["EPG", "PEN"]);
  for (let i = 0; i < 3; i++) {
    ok(Math.abs(json.typeShares.types[0][i] + json.typeShares.types[1][i] - 1) < 1e-12);
  }
  const runs = Array.from(Deno.readDirSync(`${dir}/runs/logs/vectors`));
  equal(runs.length, 1);
  const run = `${dir}/runs/logs/vectors/${runs[0].name}`;
  const manifest = JSON.parse(await Deno.readTextFile(`${run}/manifest.json`));
  equal(manifest.status, "complete");
  equal(manifest.options.tbkw, 10);
  equal(manifest.threads, 2);
  equal(manifest.options.n, n, "the network file's n, not --n's default");
  equal(manifest.options.activation, net.activation);
  equal(manifest.options.json, undefined, "flags that are not options are not recorded");
  deepEqual(manifest.files.toSorted(), [
    "angles.csv",
    "clv.npy",
    "ftle.csv",
    "manifest.json",
    "type_shares.csv",
    "vectors.json",
    "vectors_summary.csv",
  ]);
  const summary = (await Deno.readTextFile(`${run}/vectors_summary.csv`)).trim().split("\n");
  equal(summary.length, 4);
  ok(summary[0].startsWith("i,lambda_qr,stderr_qr,lambda_clv,stderr_clv,ipr"));
  const shares = (await Deno.readTextFile(`${run}/type_shares.csv`)).trim().split("\n");
  equal(shares.length, 1 + 3 * 4);
  const read = readTypeShares(await Deno.readTextFile(`${run}/type_shares.csv`));
  deepEqual(read.typeNames, json.typeShares.typeNames);
  deepEqual(Array.from(read.types), json.typeShares.types.flat(), "the shares read back to the same doubles");
  deepEqual(Array.from(read.excitatory), json.typeShares.excitatory);
  deepEqual(await Deno.readFile(`${run}/clv.npy`), await Deno.readFile(`${dir}/clv.npy`));
  if (skipWithout("numpy")) return;
  const out = new Deno.Command("/usr/bin/python3", {
    args: [
      "-c",
      "import numpy, sys; a = numpy.load(sys.argv[1]); print(a.shape, a.dtype, abs(numpy.linalg.norm(a, axis=1) - 1).max() < 1e-12)",
      `${dir}/clv.npy`,
    ],
  }).outputSync();
  equal(new TextDecoder().decode(out.stdout).trim(), "(5, 20, 3) float64 True");
});

Deno.test("flybrain vectors gives one clear error line and exit code 2 on bad options", async () => {
  const cases: [string[], RegExp][] = [
    [["--samples", "0"], /^error: option '--samples <s>' argument '0' is invalid/],
    [["--tbkw", "-1"], /^error: option '--tbkw <t>' argument '-1' is invalid/],
    [["--ftle-window", "x"], /^error: option '--ftle-window <t>' argument 'x' is invalid/],
    [
      ["--ftle-window", "0"],
      /^error: Cannot compute covariant vectors: ftleWindow must be a finite number > 0/,
    ],
    [["--tons", "auto"], /^error: Cannot compute covariant vectors: tons "auto" is not supported/],
    [
      ["--tsim", "1", "--samples", "9"],
      /^error: Cannot compute covariant vectors: samples must be .* = 6, got samples=9$/,
    ],
    [["--nle", "11"], /^error: Cannot compute the spectrum: nle must be/],
  ];
  for (const [args, pattern] of cases) {
    const r = await flybrain("vectors", "--n", "10", ...args);
    equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    const line = oneLine(r);
    ok(line !== undefined && pattern.test(line), `${args.join(" ")}: ${r.stderr}`);
    equal(r.stdout, "");
  }
});

Deno.test("flybrain vectors prints progress lines on a non-terminal stderr for a run of seconds, none with --quiet", async () => {
  const args = ["vectors", "--n", "300", "--nle", "40", "--tsim", "200", "--samples", "5", "--json"];
  const loud = await flybrain(...args);
  equal(loud.code, 0, loud.stderr);
  const lines = loud.stderr.trim().split("\n").filter((l) => l.startsWith("vectors: "));
  ok(lines.length >= 1, loud.stderr);
  ok(/^vectors: \d+\/\d+ steps \(\d+%\), [\d.]+ steps\/s, .* left$/.test(lines[0]), lines[0]);
  const quiet = await flybrain(...args, "--quiet");
  equal(quiet.code, 0, quiet.stderr);
  equal(quiet.stderr, "");
  deepEqual(JSON.parse(quiet.stdout).clvExponents, JSON.parse(loud.stdout).clvExponents);
});

Deno.test("flybrain vectors takes a network file's options, and flags override them", async () => {
  const dir = await Deno.makeTempDir();
  await writeNetwork(`${dir}/net.json`, randomNetwork({ n: 12, g: 2, seed: 1 }), {
    options: { tsim: 7, nle: 3 },
  });
  const fromFile = JSON.parse((await flybrain("vectors", "--network", `${dir}/net.json`, "--json")).stdout);
  equal(fromFile.clvExponents.length, 3);
  equal(fromFile.steps.observed, 70);
  const overridden = await flybrain("vectors", "--network", `${dir}/net.json`, "--tsim", "9", "--json");
  equal(JSON.parse(overridden.stdout).steps.observed, 90);
});
