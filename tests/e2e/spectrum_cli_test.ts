import { deepEqual, equal, ok } from "node:assert/strict";
import { randomNetwork, writeNetwork } from "../../src/deno.ts";
import { flybrain } from "../_cli.ts";

Deno.test("flybrain spectrum --json prints the fields of the result for a random network", async () => {
  const r = await flybrain("spectrum", "--n", "40", "--g", "2", "--nle", "4", "--tsim", "20", "--json");
  equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  equal(json.exponents.length, 4);
  for (const key of ["kyDimension", "entropy", "stderr", "steps", "seconds"]) ok(key in json, key);
  equal(json.steps.observed, 200);
  ok(json.seconds > 0 && json.seconds < 10);
});

Deno.test("flybrain spectrum takes a network file, the file's options, and flags that override them", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/net.json`;
  await writeNetwork(file, randomNetwork({ n: 10, g: 1 }), { options: { tsim: 7, nle: 3 } });
  const fromFile = JSON.parse((await flybrain("spectrum", "--network", file, "--json")).stdout);
  equal(fromFile.exponents.length, 3);
  equal(fromFile.steps.observed, 70);
  const overridden = JSON.parse(
    (await flybrain("spectrum", "--network", file, "--tSim", "9", "--json")).stdout,
  );
  equal(overridden.steps.observed, 90);
  const table = await flybrain("spectrum", "--network", file);
  ok(table.stdout.includes("Kaplan-Yorke dimension"), table.stdout);
});

Deno.test("flybrain spectrum gives one clear error line and exit code 2 on bad input", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/bad.json`, "{ not json");
  await Deno.writeTextFile(`${dir}/size.json`, JSON.stringify({ n: 3, weights: [1, 2] }));
  await Deno.writeTextFile(`${dir}/inf.json`, '{"n": 2, "weights": [0, 1e999, 0, 0]}');
  const cases: [string[], RegExp][] = [
    [
      ["--network", `${dir}/missing.json`],
      /^error: Cannot read network file .*missing.json: no such file; expected a network file/,
    ],
    [["--network", `${dir}/bad.json`], /^error: .*bad.json: not valid JSON/],
    [["--network", `${dir}/size.json`], /^error: .*size.json: "weights" must have n\*n = 9 entries, got 2$/],
    [
      ["--network", `${dir}/inf.json`],
      /^error: .*inf.json: weights\[1\] must be a finite number, got Infinity$/,
    ],
    [
      ["--n", "10", "--nle", "0"],
      /^error: option '--nle <k>' argument '0' is invalid. Not a positive integer.$/,
    ],
    [["--n", "10", "--nle", "11"], /^error: Cannot compute the spectrum: nle must be .* got nle=11, n=10$/],
    [["--dt", "0"], /^error: Cannot compute the spectrum: dt must be in \(0, 1\], got dt=0$/],
    [["--dt", "1.5"], /dt=1.5$/],
    [["--tons", "0.01"], /^error: Cannot compute the spectrum: tons must be "auto" or a number >= dt/],
    [
      ["--activation", "relu"],
      /^error: option '--activation <name>' argument 'relu' is invalid. Unknown activation "relu"/,
    ],
    [["--n", "ten"], /^error: option '--n <n>' argument 'ten' is invalid/],
    [["--bogus"], /^error: unknown option '--bogus'/],
  ];
  for (const [args, message] of cases) {
    const r = await flybrain("spectrum", ...args, "--tsim", "1", "--json");
    equal(r.code, 2, `${args.join(" ")}: exit ${r.code}`);
    const lines = r.stderr.trimEnd().split("\n");
    deepEqual(lines.length, 1, `${args.join(" ")}: ${r.stderr}`);
    ok(message.test(lines[0]), `${args.join(" ")}: ${lines[0]}`);
    equal(r.stdout, "");
  }
});

Deno.test("flybrain --help lists the commands and exits 0", async () => {
  const r = await flybrain("--help");
  equal(r.code, 0, r.stderr);
  ok(r.stdout.includes("spectrum") && r.stdout.includes("demo"));
  const sub = await flybrain("spectrum", "--help");
  equal(sub.code, 0, sub.stderr);
  ok(sub.stdout.includes("(default: 0.1)"), "defaults come from the library");
});

Deno.test("flybrain spectrum --kernels sparse gives the dense exponents to 1e-12 and says which it used", async () => {
  const run = async (kernels: string) =>
    JSON.parse(
      (await flybrain(
        "spectrum",
        "--n",
        "30",
        "--g",
        "1.5",
        "--nle",
        "3",
        "--tsim",
        "10",
        "--kernels",
        kernels,
        "--json",
      ))
        .stdout,
    );
  const dense = await run("dense");
  const sparse = await run("sparse");
  equal(dense.kernels, "dense");
  equal(sparse.kernels, "sparse");
  dense.exponents.forEach((x: number, i: number) => ok(Math.abs(x - sparse.exponents[i]) < 1e-12));
});
