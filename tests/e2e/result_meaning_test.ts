import { deepEqual, equal, ok } from "node:assert/strict";
import {
  parseJson,
  parseNetworkFile,
  randomFrame,
  randomNetwork,
  stringifyJson,
  writeNetwork,
} from "../../src/deno.ts";
import { flybrain, oneLine } from "../_cli.ts";

Deno.test("a sweep over gains or shifts of plain tanh, which ignores them, is refused with one line and no folder", async () => {
  const out = await Deno.makeTempDir();
  const base = ["--gmin", "1", "--gmax", "30", "--m_g", "3", "--n_samples", "1", "--n", "50"];
  for (const parameter of ["gains", "shifts"]) {
    const r = await flybrain(
      "transition_2_chaos",
      ...base,
      ...["--activation", "std", "--parameter", parameter, "--out", out],
    );
    equal(r.code, 2, r.stderr);
    ok(
      /^error: Cannot sweep gains or shifts of the tanh activation, which ignores them \(use tanh_pos or tanh_stretched\)$/
        .test(oneLine(r) ?? ""),
      r.stderr,
    );
  }
  deepEqual(Array.from(Deno.readDirSync(out)), []);
});

Deno.test("transition_2_chaos takes --ttr and --tframe; their defaults are the library's (20 and 10)", async () => {
  const base = [
    "--gmin",
    "1.5",
    "--gmax",
    "1.5",
    "--m_g",
    "1",
    "--n_samples",
    "1",
    "--n",
    "40",
    "--tsim",
    "20",
  ];
  const run = async (...extra: string[]) => {
    const r = await flybrain("transition_2_chaos", ...base, ...extra, "--save", "false", "--json");
    equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).summary[0].median;
  };
  const byDefault = await run();
  equal(await run("--ttr", "20", "--tframe", "10"), byDefault);
  ok((await run("--ttr", "2", "--tframe", "2")) !== byDefault);
  const help = await flybrain("transition_2_chaos", "--help");
  ok(/--ttr <t> +state transient \(default: 20\)/.test(help.stdout), help.stdout);
  ok(/--tframe <t> +frame transient \(default: 10\)/.test(help.stdout), help.stdout);
});

Deno.test('exponents of -Infinity are written as the string "-Infinity" by spectrum --json, never null', async () => {
  const dir = await Deno.makeTempDir();
  const zero = randomNetwork({ n: 6, g: 0 }); // W = 0, and with dt = 1 the Jacobian is 0
  await writeNetwork(`${dir}/W0.json`, zero);
  const r = await flybrain(
    "spectrum",
    "--network",
    `${dir}/W0.json`,
    "--nle",
    "3",
    "--dt",
    "1",
    "--tons",
    "1",
    "--json",
  );
  equal(r.code, 0, r.stderr);
  ok(!r.stdout.includes("null"), r.stdout);
  const json = JSON.parse(r.stdout);
  deepEqual(json.exponents, ["-Infinity", "-Infinity", "-Infinity"]);
  deepEqual((parseJson(r.stdout) as { exponents: number[] }).exponents, [-Infinity, -Infinity, -Infinity]);
  equal(stringifyJson({ x: [NaN, Infinity, 0.5] }), '{"x":["NaN","Infinity",0.5]}');
});

Deno.test("nle defaults to the width of the q0 of a network file", async () => {
  const net = randomNetwork({ n: 8, g: 1.5, seed: 2 });
  const file = { n: 8, weights: Array.from(net.weights), q0: Array.from(randomFrame(8, 3, 5)) };
  equal(parseNetworkFile(file).options?.nle, 3);
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/q0.json`, JSON.stringify(file));
  const r = await flybrain("spectrum", "--network", `${dir}/q0.json`, "--tsim", "5", "--json");
  equal(r.code, 0, r.stderr);
  equal(JSON.parse(r.stdout).exponents.length, 3);
  await Deno.writeTextFile(`${dir}/bad.json`, JSON.stringify({ ...file, q0: file.q0.slice(1) }));
  const bad = await flybrain("spectrum", "--network", `${dir}/bad.json`, "--json");
  equal(bad.code, 2);
  ok(
    /"q0" must be n×nle row-major \(a multiple of n = 8 entries\), got 23$/.test(oneLine(bad) ?? ""),
    bad.stderr,
  );
});
