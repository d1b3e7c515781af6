import fc from "fast-check";
import type { Network } from "../src/deno.ts";
import { core } from "./_fixtures.ts";
import { spectrumTwin } from "./_reference.ts";

const caseArb = fc.integer({ min: 2, max: 9 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    nle: fc.integer({ min: 1, max: n }),
    activation: fc.constantFrom("tanh" as const, "tanh_pos" as const, "tanh_stretched" as const),
    weights: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n * n, maxLength: n * n }),
    gains: fc.array(fc.double({ min: 0.3, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
    shifts: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
    h0: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
    q0: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n * n, maxLength: n * n }),
    dt: fc.constantFrom(0.05, 0.1, 0.25),
    m: fc.integer({ min: 1, max: 4 }),
  })
);

// Rounding differs between the compared computations (other summation orders); where a
// frame column nearly falls into the span of the others, R_jj comes from a cancellation that
// amplifies it (seen: 5e-9 on -0.55). Errors of the maths itself are of order 1e-2 and more.
const TOLERANCE = 1e-7;

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function build(c: Case) {
  const net: Network = {
    n: c.n,
    weights: Float64Array.from(c.weights),
    activation: c.activation,
    gains: Float64Array.from(c.gains),
    shifts: Float64Array.from(c.shifts),
  };
  // A well-conditioned start frame: the identity's first columns plus a small perturbation.
  const q0 = Float64Array.from({ length: c.n * c.nle }, (_, idx) => {
    const i = Math.floor(idx / c.nle);
    const j = idx % c.nle;
    return (i === j ? 1 : 0) + 0.3 * c.q0[idx];
  });
  const options = { nle: c.nle, dt: c.dt, tons: c.m * c.dt, ttr: 1, tframe: 0.5, tsim: 3, h0: c.h0, q0 };
  return { net, options };
}

Deno.test("property: the core's spectrum equals the TypeScript twin's on random small networks (f64)", () => {
  fc.assert(
    fc.property(caseArb, (c) => {
      const { net, options } = build(c);
      const got = core.lyapunovSpectrum(net, options).exponents;
      const want = spectrumTwin(net, options);
      return got.every((x, i) => Math.abs(x - want[i]) <= TOLERANCE * Math.max(1, Math.abs(want[i])));
    }),
    { numRuns: 150, seed: 20261129 },
  );
});

Deno.test("property: relabelling the neurons leaves the spectrum unchanged", () => {
  fc.assert(
    fc.property(caseArb, fc.integer({ min: 1, max: 1000 }), (c, shuffleSeed) => {
      const { net, options } = build(c);
      const n = c.n;
      const perm = Array.from({ length: n }, (_, i) => i);
      let s = shuffleSeed;
      for (let i = n - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) % 2147483648;
        const j = s % (i + 1);
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      const k = c.nle;
      const pnet: Network = {
        ...net,
        weights: net.weights.map((_, idx) => net.weights[perm[Math.floor(idx / n)] * n + perm[idx % n]]),
        gains: net.gains.map((_, i) => net.gains[perm[i]]),
        shifts: net.shifts.map((_, i) => net.shifts[perm[i]]),
      };
      const ph0 = Array.from({ length: n }, (_, i) => options.h0[perm[i]]);
      const pq0 = options.q0.map((_, idx) => options.q0[perm[Math.floor(idx / k)] * k + (idx % k)]);
      const a = core.lyapunovSpectrum(net, options).exponents;
      const b = core.lyapunovSpectrum(pnet, { ...options, h0: ph0, q0: pq0 }).exponents;
      return a.every((x, i) => Math.abs(x - b[i]) <= TOLERANCE * Math.max(1, Math.abs(x)));
    }),
    { numRuns: 150, seed: 20261130 },
  );
});
