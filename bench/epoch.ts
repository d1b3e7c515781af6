/**
 * One training epoch (spectrum + gradient + Adam step) of a random network, timed, with the
 * process's peak resident memory (and the CPU model): `deno run -A bench/epoch.ts N NLE`. Prints one
 * JSON object. Run by bench/main.ts, one process per size, so each peak is its own.
 *
 * @module
 */

import { loadCore, randomNetwork, Trainer } from "../src/deno.ts";
import { cpuModel } from "./_timing.ts";

const [n, nle] = Deno.args.map(Number);
const core = await loadCore();
const epoch = (trainer: Trainer) => {
  const job = trainer.gradientJob();
  const t0 = performance.now();
  const result = core.spectrumGradient(job.network, job.loss, job.options);
  trainer.apply(result);
  return { seconds: (performance.now() - t0) / 1000, tapeBytes: result.tapeBytes };
};
// Warm-up on a small case (tiers the kernels up), then the epochs of the measured size.
epoch(
  new Trainer(randomNetwork({ n: 50, seed: 2 }), { loss: "MSE", nle: 5, tsim: 20, train: { weights: true } }),
);
const trainer = new Trainer(randomNetwork({ n, g: 1.5, seed: 1 }), {
  loss: "MSE",
  nle,
  tsim: 200,
  tons: 0.2,
  train: { weights: true },
});
const runs = [epoch(trainer), epoch(trainer)];
const status = Deno.readTextFileSync(`/proc/${Deno.pid}/status`);
const kib = (key: string) => Number(status.match(new RegExp(`${key}:\\s+(\\d+) kB`))?.[1] ?? NaN);
const cpu = cpuModel();
console.log(JSON.stringify({
  cpu,
  n,
  nle,
  seconds: Math.min(...runs.map((r) => r.seconds)),
  tapeBytes: runs[0].tapeBytes,
  peakRssBytes: kib("VmHWM") * 1024,
  wasmMemoryBytes: core.exports.memory.buffer.byteLength,
}));
