import { deepEqual, equal, ok } from "node:assert/strict";
import {
  formatDuration,
  loadConnectome,
  loadCore,
  type Progress,
  progressLine,
  ProgressMeter,
  randomNetwork,
} from "../src/deno.ts";

function increasing(reports: Progress[]): boolean {
  return reports.every((r, i) => i === 0 || r.done >= reports[i - 1].done) &&
    reports.every((r) => r.total === reports[0].total && r.done <= r.total);
}

Deno.test("ProgressMeter gives the average rate and the time left; progressLine says both", () => {
  const meter = new ProgressMeter(1000);
  deepEqual(meter.estimate({ done: 0, total: 10 }, 1000), { done: 0, total: 10, elapsed: 0 });
  const e = meter.estimate({ done: 300, total: 1200 }, 4000);
  equal(e.rate, 100);
  equal(e.eta, 9);
  equal(progressLine("gradient", "steps", e), "gradient: 300/1200 steps (25%), 100 steps/s, 9.0 s left");
  equal(formatDuration(7300), "2 h 01 min");
  // A resumed run's first report already counts units done before: they are not in the rate.
  const resumed = new ProgressMeter(0);
  resumed.estimate({ done: 40, total: 100 }, 0);
  equal(resumed.estimate({ done: 50, total: 100 }, 10000).rate, 1);
  equal(formatDuration(3 * 86400 + 7200), "3 d 2 h");
});

Deno.test("spectrumGradient() reports its steps: the forward pass, then each segment recomputed and reversed", async () => {
  const core = await loadCore();
  const reports: Progress[] = [];
  const options = { nle: 3, tsim: 20, ttr: 5, tframe: 2, train: { weights: true } };
  const res = core.spectrumGradient(randomNetwork({ n: 20, seed: 2 }), "MSE", {
    ...options,
    onProgress: (p) => reports.push(p),
  });
  ok(increasing(reports), JSON.stringify(reports));
  equal(reports[0].total, 3 * (50 + 20 + 200));
  equal(reports.at(-1)!.done, reports[0].total);
  ok(reports.length > 10);
  const quiet = core.spectrumGradient(randomNetwork({ n: 20, seed: 2 }), "MSE", options);
  deepEqual(quiet.grad.weights, res.grad.weights);
});

Deno.test("buildConnectome() reports the Sinkhorn rounds of both parts and ends at the total", () => {
  const reports: Progress[] = [];
  const net = loadConnectome("data/connectomics", { roi: "AB", onProgress: (p) => reports.push(p) });
  ok(increasing(reports), JSON.stringify(reports.slice(0, 5)));
  equal(reports.at(-1)!.done, reports.at(-1)!.total);
  equal(reports.length - 1, net.sinkhorn!.excitatory.rounds + net.sinkhorn!.inhibitory.rounds);
});
