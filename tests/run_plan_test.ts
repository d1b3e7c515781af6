import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  checkMemory,
  checkSpectrumOptions,
  estimateRun,
  loadCore,
  planRun,
  randomNetwork,
  SPECTRUM_LIMITS,
} from "../src/deno.ts";

Deno.test("checkSpectrumOptions() counts the steps of each phase and refuses options beyond the limits of the maths", () => {
  const s = checkSpectrumOptions(20, { dt: 0.1, tons: 0.3, ttr: 2, tframe: 1, tsim: 10 });
  deepEqual([s.transient, s.frameSteps, s.observed, s.fixedM], [20, 12, 102, 3]);
  throws(() => checkSpectrumOptions(20, { tons: 300 }), /tons must be at most tsim = 200, got tons=300/);
  throws(() => checkSpectrumOptions(20, { tons: 0.05 }), /tons must be "auto" or a number >= dt/);
  throws(
    () => checkSpectrumOptions(20, { ttr: 1e12 }),
    /ttr must be a finite number >= 0 and at most 10000000/,
  );
  throws(() => checkSpectrumOptions(20, { tframe: Infinity }), /tframe must be a finite number/);
  throws(() => checkSpectrumOptions(20, { tsim: 0 }), /tsim must be a finite number > 0/);
  throws(
    () => checkSpectrumOptions(20, { dt: 0.001, tsim: 5e6 }),
    /5.00e\+9 steps, more than the limit of 1e\+9/,
  );
  equal(SPECTRUM_LIMITS.maxSteps, 1e9);
});

Deno.test("planRun() counts the memory of W, frame, workspace and tape; checkMemory() says what is needed, what is free and what fits", () => {
  const big = planRun({ n: 100000, options: { nle: 1 } });
  equal(big.memory.network, 8e10);
  equal(big.memory.weights, 8e10);
  equal(planRun({ n: 100000, options: { nle: 1, precision: "f32" } }).memory.weights, 4e10);
  throws(
    () => checkMemory(big, 20e9),
    /^RangeError: Cannot start: a spectrum of n=100000 needs 160 GB of memory \(W: 80 GB for the network, 80 GB in the core\), but 20 GB is free and the core holds at most 4\.3 GB \(32-bit WebAssembly\); n <= 23160 fits \(n <= 32756 with --precision f32\)$/,
  );
  // Only the machine's memory is short: the largest n that fits in 1 GB.
  const mid = planRun({ n: 10000, options: { nle: 1 } });
  throws(() => checkMemory(mid, 1e9), (e: Error) => {
    const fit = Number(e.message.match(/n <= (\d+) fits/)![1]);
    ok(planRun({ n: fit, options: { nle: 1 } }).memory.total <= 1e9);
    ok(planRun({ n: fit + 1, options: { nle: 1 } }).memory.total > 1e9);
    return /1\.6 GB of memory/.test(e.message) && /1\.0 GB is free/.test(e.message);
  });
  checkMemory(planRun({ n: 200, options: {} }), 1e9);
  checkMemory(mid); // free memory unknown: only the core's limit applies
  // The gradient's tape grows like n·k·√steps, the workers multiply everything.
  const spectrum = planRun({ n: 400, options: { nle: 40 } });
  const gradient = planRun({ kind: "gradient", n: 400, options: { nle: 40 } });
  ok(gradient.memory.tape > spectrum.memory.frame, JSON.stringify(gradient.memory));
  equal(spectrum.memory.tape, 0);
  const sweep = planRun({ n: 400, options: { nle: 40 }, networks: 10, parallel: 4 });
  equal(sweep.memory.total, 4 * spectrum.memory.total);
});

Deno.test("estimateRun() gives a time within a factor 10 of the real one for a spectrum of a few hundred milliseconds", async () => {
  const core = await loadCore();
  const options = { nle: 20, tsim: 100 };
  const plan = planRun({ n: 300, options });
  // Both times are wall times on a shared machine: a burst of load during the 40 ms calibration or
  // the run can skew one of them, so the estimate gets three chances; a wrong cost model misses all.
  const misses: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const est = estimateRun(core, plan);
    const start = performance.now();
    core.lyapunovSpectrum(randomNetwork({ n: 300, g: 2 }), options);
    const real = (performance.now() - start) / 1000;
    if (est.seconds > real / 10 && est.seconds < real * 10) return;
    misses.push(`estimate ${est.seconds} s, real ${real} s`);
  }
  throw new Error(misses.join("; "));
});

Deno.test("randomNetwork() reports the rows drawn and draws the same weights with or without a listener", () => {
  const reports: number[] = [];
  const net = randomNetwork({ n: 250, seed: 3, onProgress: (p) => reports.push(p.done) });
  deepEqual(net.weights, randomNetwork({ n: 250, seed: 3 }).weights);
  equal(reports.at(-1), 250);
  ok(reports.length > 50 && reports.every((d, i) => i === 0 || d > reports[i - 1]));
});
