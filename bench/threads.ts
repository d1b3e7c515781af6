/**
 * `deno task bench:threads` (also the last part of `deno task bench`): one spectrum's wall time
 * with 2 threads against 1, and the single-threaded module against the threads build run with
 * one thread (the cost of a shared memory), for the sizes of issue 10: dense N = 400 k = 40,
 * N = 1000 k = 100, N = 400 k = 400 (tons auto), the EB_PB connectome (sparse, nle 50), and the
 * barrier-bound N = 200 k = 1 and N = 1000 k = 1. Each case runs a short window (transient,
 * frame and observed phases, QRs included), configurations interleaved, best of `REPS`; also
 * the calling thread's CPU time with 2 threads against 1 (thread 0's share of the work plus its
 * waits at barriers: it does not grow while other processes hold the cores, so it bounds the
 * speed-up a quiet machine would give, 1 / share, even when the wall times are disturbed).
 * Then the scan behind `THREADS_PAY` (src/parallelism.ts): 2 threads against 1 for dense
 * networks of N neurons and k exponents on a grid, to find the size below which threads do not
 * pay. Writes bench/threads_results.json with the 1-minute load average before and after (the
 * machine is shared: compare the ratios of one run, at a quiet moment).
 *
 * @module
 */

import {
  type Core,
  loadConnectome,
  loadCore,
  type LyapunovSpectrumOptions,
  type Network,
  randomNetwork,
  THREADS_CORE_URL,
  writeFileAtomic,
} from "../src/deno.ts";
import { cpuModel, threadCpuSeconds } from "./_timing.ts";

/** Runs of each configuration; the fastest counts. */
const REPS = 3;

const single = await loadCore();
const shared = await loadCore(THREADS_CORE_URL, { threads: 1 });
const two = await loadCore(undefined, { threads: 2 });
const CONFIGS: [string, Core][] = [["single", single], ["shared1", shared], ["threads2", two]];

const random = (n: number) => randomNetwork({ n, g: 1.5, seed: 1 });
const CASES: { name: string; net: () => Network; options: LyapunovSpectrumOptions }[] = [
  { name: "N=400 k=40", net: () => random(400), options: { nle: 40, tsim: 4 } },
  { name: "N=1000 k=100", net: () => random(1000), options: { nle: 100, tsim: 1 } },
  { name: "N=400 k=400 tons auto", net: () => random(400), options: { nle: 400, tsim: 2, tons: "auto" } },
  {
    name: "EB_PB sparse nle 50",
    net: () => loadConnectome(new URL("../data/connectomics", import.meta.url).pathname, { roi: "EB_PB" }),
    options: { nle: 50, tsim: 4, kernels: "sparse" },
  },
  { name: "N=200 k=1", net: () => random(200), options: { nle: 1, tsim: 200 } },
  { name: "N=1000 k=1", net: () => random(1000), options: { nle: 1, tsim: 20 } },
];

const loadBefore = Deno.loadavg()[0];
const rows: {
  case: string;
  n: number;
  seconds: Record<string, number>;
  cpuSeconds: Record<string, number>;
  speedup: number;
  cpuShare: number;
  sharedCost: number;
}[] = [];
for (const c of CASES) {
  const net = c.net();
  const options: LyapunovSpectrumOptions = { ttr: 1, tframe: 1, seed: 1, blocks: 1, ...c.options };
  const best: Record<string, number> = {};
  const cpu: Record<string, number> = {};
  for (const [, core] of CONFIGS) {
    core.lyapunovSpectrum(net, { ...options, tsim: 0.5, ttr: 0.5, tframe: 0.5 });
  }
  for (let rep = 0; rep < REPS; rep++) {
    for (const [name, core] of CONFIGS) {
      const cpu0 = threadCpuSeconds();
      const s = core.lyapunovSpectrum(net, options).seconds;
      best[name] = Math.min(best[name] ?? Infinity, s);
      cpu[name] = Math.min(cpu[name] ?? Infinity, threadCpuSeconds() - cpu0);
    }
  }
  const row = {
    case: c.name,
    n: net.n,
    seconds: best,
    cpuSeconds: cpu,
    speedup: best.single / best.threads2,
    cpuShare: cpu.threads2 / cpu.single,
    sharedCost: best.shared1 / best.single,
  };
  rows.push(row);
  console.log(
    `${c.name.padEnd(24)} 1 thread ${best.single.toFixed(3)} s   2 threads ${best.threads2.toFixed(3)} s   ` +
      `speed-up ${row.speedup.toFixed(2)}x   thread 0's CPU time ${row.cpuShare.toFixed(2)}x   ` +
      `shared memory, 1 thread: ${row.sharedCost.toFixed(2)}x the time`,
  );
}
/** The crossover scan: dense spectra, 2 threads against 1, for every N and k of the grid. */
const SCAN_N = [100, 200, 300, 400, 600, 1000];
const SCAN_K = [1, 4, 10, 20, 40, 100];
const scan: { n: number; k: number; speedup: number }[] = [];
for (const n of SCAN_N) {
  const net = random(n);
  const line: string[] = [];
  for (const k of SCAN_K.filter((k) => k <= n)) {
    // About 4·10⁸ flops per case (2n²(k + 1) a step, dt = 0.1), whole QR intervals of 0.2.
    const tsim = Math.max(1, Math.round(4e8 / (2 * n * n * (k + 1)) / 2)) * 0.2;
    const options: LyapunovSpectrumOptions = { nle: k, tsim, ttr: 0.1, tframe: 0.2, seed: 1, blocks: 1 };
    const best = [Infinity, Infinity];
    for (let rep = 0; rep < REPS; rep++) {
      best[0] = Math.min(best[0], single.lyapunovSpectrum(net, options).seconds);
      best[1] = Math.min(best[1], two.lyapunovSpectrum(net, options).seconds);
    }
    scan.push({ n, k, speedup: best[0] / best[1] });
    line.push(`k=${k} ${(best[0] / best[1]).toFixed(2)}x`);
  }
  console.log(`scan N=${n}: ${line.join("  ")}`);
}
two.close();
const loadAfter = Deno.loadavg()[0];
console.log(`load average (1 min): ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`);

const cpu = cpuModel();
await writeFileAtomic(
  new URL("./threads_results.json", import.meta.url).pathname,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: { cpu, cores: navigator.hardwareConcurrency, deno: Deno.version.deno, v8: Deno.version.v8 },
      load: { before: loadBefore, after: loadAfter },
      cases: rows,
      scan,
    },
    null,
    1,
  ) + "\n",
);
