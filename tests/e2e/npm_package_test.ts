import { deepEqual, equal, ok } from "node:assert/strict";
import { pack } from "../../npm/pack.ts";
import { flybrain } from "../_cli.ts";

/** The five lines a Node user writes: a spectrum and a gradient of a random network. */
const SCRIPT = `import { loadCore, randomNetwork } from "flystability";
const core = await loadCore(), net = randomNetwork({ n: 60, g: 2, seed: 3 }), o = { nle: 4, tsim: 50, seed: 3 };
const s = core.lyapunovSpectrum(net, o);
const g = core.spectrumGradient(net, "MSE", { ...o, train: { weights: true } });
console.log(JSON.stringify({ exponents: Array.from(s.exponents), loss: g.loss, grad: Array.from(g.grad.weights ?? []) }));
`;

async function run(cmd: string, args: string[], cwd: string): Promise<string> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" }).output();
  const err = new TextDecoder().decode(out.stderr);
  equal(out.code, 0, `${cmd} ${args.join(" ")}: ${err}`);
  return new TextDecoder().decode(out.stdout);
}

Deno.test("the npm tarball installs offline into an empty Node project and gives the CLI's bits", async () => {
  const dir = await Deno.makeTempDir();
  const tarball = await pack(`${dir}/out`);
  ok(tarball.endsWith(".tgz"));
  const project = `${dir}/project`;
  await Deno.mkdir(project);
  await Deno.writeTextFile(
    `${project}/package.json`,
    JSON.stringify({ name: "probe", private: true, type: "module" }),
  );
  // --offline: nothing may come from a registry; the package must carry everything it needs.
  await run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], project);
  const installed = JSON.parse(await Deno.readTextFile(`${project}/node_modules/flystability/package.json`));
  equal(installed.dependencies, undefined);
  await Deno.writeTextFile(`${project}/run.mjs`, SCRIPT);
  equal(SCRIPT.trimEnd().split("\n").length, 5);
  const node = JSON.parse(await run("node", ["run.mjs"], project));
  // The declarations describe what the script uses (type-checked against dist/index.d.ts alone).
  await Deno.writeTextFile(
    `${project}/run.ts`,
    `// @ts-types="./node_modules/flystability/dist/index.d.ts"\n` +
      SCRIPT.replace(`"flystability"`, `"./node_modules/flystability/dist/index.js"`),
  );
  await run(Deno.execPath(), ["check", "--no-config", "--quiet", "run.ts"], project);

  const args = ["--n", "60", "--g", "2", "--seed", "3", "--nle", "4", "--tsim", "50", "--json"];
  const [spectrum, gradient] = await Promise.all([
    flybrain("spectrum", ...args),
    flybrain("gradient", ...args, "--loss", "MSE", "--train", "weights"),
  ]);
  equal(spectrum.code, 0, spectrum.stderr);
  equal(gradient.code, 0, gradient.stderr);
  const cliSpectrum = JSON.parse(spectrum.stdout);
  const cliGradient = JSON.parse(gradient.stdout);
  // JSON numbers round-trip float64 exactly: equal values are equal bits.
  deepEqual(node.exponents, cliSpectrum.exponents);
  equal(node.loss, cliGradient.loss);
  deepEqual(node.grad, cliGradient.grad.weights);
  ok(node.grad.some((x: number) => x !== 0));
});
