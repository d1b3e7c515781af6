import { equal, ok, throws } from "node:assert/strict";
import { type Network, randomFrame, randomNetwork, randomState } from "../src/deno.ts";
import { core, referenceCases } from "./_fixtures.ts";
import { jacobianTwin, logAbsDet, spectrumTwin, symmetricEigenvalues } from "./_reference.ts";

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

for (const c of referenceCases()) {
  Deno.test(`lyapunovSpectrum() matches the reference case ${c.name} within its tolerance (f64)`, () => {
    const res = core.lyapunovSpectrum(c.network, c.options);
    c.expected.exponents.forEach((e, i) => {
      const tol = c.tolerance.kind === "absolute" ? c.tolerance.abs : c.tolerance.abs[i];
      ok(Math.abs(res.exponents[i] - e) <= tol, `λ_${i + 1} = ${res.exponents[i]}, expected ${e} ± ${tol}`);
    });
    if (c.expected.ky_dimension !== undefined) {
      ok(Math.abs(res.kyDimension - c.expected.ky_dimension) < 1e-6, `D = ${res.kyDimension}`);
      ok(Math.abs(res.entropy - c.expected.entropy!) < 1e-6, `H = ${res.entropy}`);
      const sum = res.exponents.reduce((s, x) => s + x, 0);
      ok(Math.abs(sum - c.expected.sum_exponents!) < 1e-6, `Σλ = ${sum}`);
    }
  });

  if (c.tolerance.kind === "absolute") {
    Deno.test(`lyapunovSpectrum() in f32 agrees with f64 within 1e-5 on ${c.name}`, () => {
      const f64 = core.lyapunovSpectrum(c.network, c.options).exponents;
      const f32 = core.lyapunovSpectrum(c.network, { ...c.options, precision: "f32" }).exponents;
      const d = maxAbsDiff(f64, f32);
      ok(d < 1e-5, `max |f32 − f64| = ${d}`);
      ok(d > 0, "f32 must really compute in single precision");
    });
  }
}

Deno.test("lyapunovSpectrum() gives log(1 - dt)/dt for every exponent when W = 0", () => {
  for (const dt of [0.1, 0.05, 0.5]) {
    const net = randomNetwork({ n: 9, g: 0 });
    const { exponents } = core.lyapunovSpectrum(net, { dt, tons: dt, tsim: 20 });
    ok(maxAbsDiff(exponents, new Array(9).fill(Math.log(1 - dt) / dt)) < 1e-12);
  }
});

Deno.test("lyapunovSpectrum() gives log|eigenvalues of J|/dt at a stable fixed point", () => {
  // Symmetric W with spectral radius 0.6: h = 0 is a stable fixed point, J is symmetric.
  const n = 8;
  const net = randomNetwork({ n, g: 1, seed: 5 });
  const W = net.weights;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) W[i * n + j] = W[j * n + i];
  const radius = Math.max(...symmetricEigenvalues(W, n).map(Math.abs));
  W.forEach((w, i) => (W[i] = (0.6 * w) / radius));
  const dt = 0.1;
  const J = jacobianTwin(net, new Float64Array(n).fill(1), dt);
  const expected = symmetricEigenvalues(J, n).map((mu) => Math.log(Math.abs(mu)) / dt).sort((a, b) => b - a);
  const res = core.lyapunovSpectrum(net, { dt, ttr: 200, tframe: 100, tsim: 400, seed: 2 });
  const got = Array.from(res.exponents).sort((a, b) => b - a);
  ok(maxAbsDiff(got, expected) < 1e-3, `got ${got}, expected ${expected}`);
});

Deno.test("lyapunovSpectrum() sums the full spectrum to the time average of log|det J|/dt", () => {
  const n = 12;
  const net = randomNetwork({ n, g: 2.5, seed: 3, activation: "tanh_pos" });
  net.gains.fill(1.7);
  net.shifts.fill(0.2);
  const o = { dt: 0.1, tons: 0.3, ttr: 5, tframe: 3, tsim: 6, h0: randomState(n, 4) };
  const res = core.lyapunovSpectrum(net, o);
  // Replay the same trajectory on a state-only workspace, forming J_t on every observed step.
  const ws = core.workspace(n, 0);
  let sumDet = 0;
  try {
    ws.setNetwork(net, o.dt);
    ws.setState(o.h0);
    ws.stateSteps(res.steps.transient + res.steps.frame);
    for (let s = 0; s < res.steps.observed; s++) {
      sumDet += logAbsDet(jacobianTwin(net, ws.activation().dphi, o.dt), n);
      ws.stateSteps(1);
    }
  } finally {
    ws.free();
  }
  const sum = res.exponents.reduce((a, b) => a + b, 0);
  const expected = sumDet / (res.steps.observed * o.dt);
  ok(Math.abs(sum - expected) < 1e-10 * Math.max(1, Math.abs(expected)), `Σλ = ${sum}, expected ${expected}`);
});

Deno.test("lyapunovSpectrum() does not depend on tons (fixed or auto) beyond rounding, even when chaotic", () => {
  const net = randomNetwork({ n: 40, g: 2.5, seed: 11 });
  const base = { nle: 10, tsim: 60, seed: 1 };
  const ref = core.lyapunovSpectrum(net, { ...base, tons: 0.1 }).exponents;
  ok(ref[0] > 0, "the case must be chaotic");
  for (const tons of [0.2, 0.5, 1, "auto" as const]) {
    const res = core.lyapunovSpectrum(net, { ...base, tons });
    ok(maxAbsDiff(res.exponents, ref) < 1e-9, `tons=${tons}: ${maxAbsDiff(res.exponents, ref)}`);
  }
});

Deno.test("lyapunovSpectrum() with tons auto chooses longer intervals and reports them", () => {
  const net = randomNetwork({ n: 60, g: 2, seed: 2 });
  for (const precision of ["f64", "f32"] as const) {
    const res = core.lyapunovSpectrum(net, { nle: 60, tons: "auto", tsim: 100, precision });
    ok(res.qrInterval.max > 10, `${precision}: max interval ${res.qrInterval.max}`);
    ok(res.qrInterval.min >= 1);
    const fixed = core.lyapunovSpectrum(net, { nle: 60, tons: 0.1, tsim: 100, precision });
    const tol = precision === "f64" ? 1e-9 : 2e-3;
    ok(
      maxAbsDiff(res.exponents, fixed.exponents) < tol,
      `${precision}: ${maxAbsDiff(res.exponents, fixed.exponents)}`,
    );
  }
});

Deno.test("lyapunovSpectrum() gives the same λ_1 to 1e-9 for every nle (same trajectory, same first vector)", () => {
  const net = randomNetwork({ n: 50, g: 2, seed: 4 });
  const l1 = [1, 2, 7, 50].map((nle) => core.lyapunovSpectrum(net, { nle, tsim: 50, seed: 3 }).exponents[0]);
  for (const l of l1) ok(Math.abs(l - l1[0]) < 1e-9, `${l1}`);
});

Deno.test("lyapunovSpectrum() agrees with the plain TypeScript twin on a short chaotic run", () => {
  for (const activation of ["tanh", "tanh_pos", "tanh_stretched"] as const) {
    const net: Network = randomNetwork({ n: 13, g: 3, seed: 8, activation });
    net.gains.forEach((_, i) => (net.gains[i] = 0.5 + (i % 4) * 0.5));
    net.shifts.forEach((_, i) => (net.shifts[i] = -0.3 + (i % 3) * 0.3));
    const o = {
      nle: 5,
      dt: 0.1,
      tons: 0.3,
      ttr: 2,
      tframe: 1,
      tsim: 5,
      h0: randomState(13, 1),
      q0: randomFrame(13, 5, 2),
    };
    const got = core.lyapunovSpectrum(net, o).exponents;
    const want = spectrumTwin(net, o);
    ok(maxAbsDiff(got, want) < 1e-10, `${activation}: ${got} vs ${want}`);
  }
});

Deno.test("lyapunovSpectrum() is reproducible to the bit and its history ends at the result", () => {
  const net = randomNetwork({ n: 30, g: 2, seed: 1 });
  const a = core.lyapunovSpectrum(net, { nle: 4, tsim: 30, seed: 9, history: true });
  const b = core.lyapunovSpectrum(net, { nle: 4, tsim: 30, seed: 9 });
  equal(Array.from(a.exponents).join(), Array.from(b.exponents).join());
  const h = a.history!;
  equal(h.time.length, a.steps.observed / 2);
  equal(h.time[h.time.length - 1], 30);
  equal(Array.from(h.exponents.slice(-4)).join(), Array.from(a.exponents).join());
  const few = core.lyapunovSpectrum(net, { nle: 4, tsim: 30, seed: 9, history: 10 }).history!;
  ok(few.time.length <= 11 && few.time.length >= 9, `${few.time.length} points`);
  equal(a.stderr!.length, 4);
  ok(a.stderr!.every((e) => e > 0 && e < 1));
  equal(core.lyapunovSpectrum(net, { nle: 4, tsim: 30, blocks: 1 }).stderr, undefined);
});

Deno.test("lyapunovSpectrum() rejects bad options with a message naming the values", () => {
  const net = randomNetwork({ n: 10 });
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ nle: 0 }, /nle must be an integer between 1 and n, got nle=0, n=10/],
    [{ nle: 11 }, /nle=11, n=10/],
    [{ dt: 0 }, /dt must be in \(0, 1\]/],
    [{ dt: 1.5 }, /dt=1.5/],
    [{ tons: 0.05 }, /tons must be "auto" or a number >= dt/],
    [{ tsim: 0 }, /tsim must be a finite number > 0/],
    [{ ttr: -1 }, /ttr must be a finite number >= 0/],
    [{ h0: [1, 2] }, /h0 must have n = 10 entries, got 2/],
    [{ h0: new Array(10).fill(NaN) }, /h0\[0\] is not finite/],
    [{ nle: 2, q0: new Array(20).fill(1) }, /q0 is rank deficient/],
    [{ blocks: 0 }, /blocks must be a positive integer/],
  ];
  for (const [opts, message] of cases) throws(() => core.lyapunovSpectrum(net, opts), message);
  const bad = randomNetwork({ n: 3 });
  bad.weights[4] = Infinity;
  throws(() => core.lyapunovSpectrum(bad), /weight \[post=1, pre=1\] is not finite/);
});

Deno.test("lyapunovSpectrum() reports progress in increasing steps up to the total", () => {
  const seen: number[] = [];
  let total = 0;
  const res = core.lyapunovSpectrum(randomNetwork({ n: 20 }), {
    nle: 2,
    tsim: 30,
    onProgress: (p) => {
      seen.push(p.done);
      total = p.total;
    },
  });
  equal(total, res.steps.transient + res.steps.frame + res.steps.observed);
  equal(seen[0], 0);
  equal(seen[seen.length - 1], total);
  ok(seen.every((d, i) => i === 0 || d > seen[i - 1]));
  ok(seen.length >= 50 && seen.length <= 102, `${seen.length} reports`);
});
