/**
 * `deno task bench:vectors`: the time of the covariant vectors (`covariantVectors`, default
 * analyses, 100 samples) against the spectrum of the same network and window (`lyapunovSpectrum`),
 * for a random network (N = 400, nle 40) and the EB connectome (nle 50), both f64, tsim 200,
 * tons 0.2, tbkw = tframe = 10, and the vectors with 2 threads against 1 (the same bits). Runs
 * alternate (spectrum, vectors, vectors on 2 threads, …) and the fastest of each is kept: machines
 * are shared, compare the ratios. Writes bench/vectors_results.json.
 *
 * @module
 */

import { loadConnectome, loadCore, type Network, randomNetwork, writeFileAtomic } from "../src/deno.ts";
import { cpuModel } from "./_timing.ts";

const loadBefore = Deno.loadavg();
const core = await loadCore();
const two = await loadCore(undefined, { threads: 2 });
const REPEATS = 3;

const cases: { name: string; net: Network; nle: number }[] = [
  { name: "random N=400 g=2", net: randomNetwork({ n: 400, g: 2, seed: 1 }), nle: 40 },
  {
    name: "EB connectome",
    net: loadConnectome(new URL("../data/connectomics", import.meta.url).pathname, { roi: "EB" }),
    nle: 50,
  },
];

const results = [];
for (const { name, net, nle } of cases) {
  const options = { nle, tsim: 200, tons: 0.2, seed: 1 };
  core.lyapunovSpectrum(net, { ...options, ttr: 1, tframe: 1, tsim: 1 }); // warm-up
  core.covariantVectors(net, { ...options, ttr: 1, tframe: 1, tsim: 1 });
  two.covariantVectors(net, { ...options, ttr: 1, tframe: 1, tsim: 1 });
  let spectrum = Infinity;
  let vectors = Infinity;
  let vectors2 = Infinity;
  let kernels = "";
  let tapeBytes = 0;
  for (let r = 0; r < REPEATS; r++) {
    spectrum = Math.min(spectrum, core.lyapunovSpectrum(net, options).seconds);
    const res = core.covariantVectors(net, options);
    vectors = Math.min(vectors, res.seconds);
    kernels = res.kernels;
    tapeBytes = res.tapeBytes;
    vectors2 = Math.min(vectors2, two.covariantVectors(net, options).seconds);
  }
  const ratio = vectors / spectrum;
  const threadSpeedup = vectors / vectors2;
  console.log(
    `${name} (n=${net.n}, nle=${nle}, ${kernels}): spectrum ${spectrum.toFixed(2)} s, vectors ${
      vectors.toFixed(2)
    } s, ratio ${ratio.toFixed(2)} (R tape ${(tapeBytes / 2 ** 20).toFixed(1)} MiB); vectors on 2 threads ${
      vectors2.toFixed(2)
    } s, 2 vs 1 threads ${threadSpeedup.toFixed(2)}x`,
  );
  results.push({
    name,
    n: net.n,
    nle,
    kernels,
    spectrumSeconds: spectrum,
    vectorsSeconds: vectors,
    ratio,
    tapeBytes,
    vectors2ThreadsSeconds: vectors2,
    threadSpeedup,
  });
}
two.close();

await writeFileAtomic(
  new URL("./vectors_results.json", import.meta.url).pathname,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: {
        cpu: cpuModel(),
        cores: navigator.hardwareConcurrency,
        deno: Deno.version.deno,
        v8: Deno.version.v8,
      },
      note: "shared machine: compare the ratios",
      loadAverage: { before: loadBefore, after: Deno.loadavg() },
      options: { tsim: 200, tons: 0.2, ttr: 20, tframe: 10, tbkw: 10, samples: 100, precision: "f64" },
      results,
    },
    null,
    1,
  ) + "\n",
);
console.log("\nWrote bench/vectors_results.json");
