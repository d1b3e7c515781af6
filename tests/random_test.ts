import { equal, notEqual, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import { randomNetwork, Rng } from "../src/deno.ts";
import { PORTABLE_LOG_MAX_ULPS, portableLog } from "../src/random.ts";

/** Fixed-point scale of the exact logarithm: 2^-200, far below the ulps measured. */
const BITS = 200n;

/** 2·atanh(num/den) = ln((den + num)/(den − num)) in fixed point (num/den ≤ 1/3 in size). */
function atanh2(num: bigint, den: bigint): bigint {
  let term = (num << BITS) / den; // (num/den)^(2i+1), fixed point
  let sum = 0n;
  for (let i = 1n; term !== 0n; i += 2n) {
    sum += term / i;
    term = (term * num * num) / (den * den);
  }
  return 2n * sum;
}

const LN2_FIXED = atanh2(1n, 3n);

/** Exact x = M·2^E (M an integer) of a positive finite double. */
function decompose(x: number): [bigint, bigint] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = (bits >> 52n) & 0x7ffn;
  const fraction = bits & ((1n << 52n) - 1n);
  return biased === 0n ? [fraction, -1074n] : [fraction | (1n << 52n), biased - 1075n];
}

/** ln x in fixed point (scale 2^200), to about 2^-190. */
function exactLog(x: number): bigint {
  const [m, e] = decompose(x);
  // x = r·2^k with r = m / 2^b in [1/√2, √2): ln x = 2 atanh((m − 2^b)/(m + 2^b)) + k ln 2
  let b = BigInt(m.toString(2).length);
  if (2n * m * m < 1n << (2n * b)) b -= 1n; // m / 2^b < 1/√2: take r twice as large
  return atanh2(m - (1n << b), m + (1n << b)) + (e + b) * LN2_FIXED;
}

/** The error of portableLog(x) in ulps of ln x (ulp: the spacing of doubles at |ln x|), x ≠ 1. */
function logErrorUlps(x: number): number {
  const exact = exactLog(x);
  const [pm, pe] = decompose(Math.abs(portableLog(x)));
  const got = (portableLog(x) < 0 ? -pm : pm) << (pe + BITS); // |ln x| ≥ 2^-53: pe + 200 > 0
  const magnitude = BigInt((exact < 0n ? -exact : exact).toString(2).length) - 1n; // ⌊log2 |ln x|⌋ + 200
  const ulp = 1n << (magnitude - 52n);
  return Number(((got - exact) * 1_000_000n) / ulp) / 1_000_000;
}

/** A decimal constant (digits, and digits before the point) in fixed point. */
function fixedFromDecimal(digits: string, before: number): bigint {
  return (BigInt(digits) << BITS) / 10n ** BigInt(digits.length - before);
}

Deno.test("the exact logarithm of the tests agrees with ln 2, ln 3 and ln 10 to 40 digits", () => {
  const close = (got: bigint, want: bigint) =>
    ok((got > want ? got - want : want - got) < 1n << (BITS - 125n));
  close(exactLog(2), fixedFromDecimal("6931471805599453094172321214581765680755", 0));
  close(exactLog(3), fixedFromDecimal("1098612288668109691395245236922525704647", 1));
  close(exactLog(10), fixedFromDecimal("2302585092994045684017991454684364207601", 1));
  close(exactLog(0.1 * 2 ** 1000), exactLog(0.1) + 1000n * exactLog(2));
  close(exactLog(2 ** -1074), -1074n * exactLog(2));
});

Deno.test(`portableLog() is within ${PORTABLE_LOG_MAX_ULPS} ulp of ln x over the positive doubles (seeded)`, () => {
  const check = (x: number) => {
    if (x === 1) return equal(portableLog(1), 0);
    const err = logErrorUlps(x);
    ok(Math.abs(err) <= PORTABLE_LOG_MAX_ULPS, `portableLog(${x}) is off by ${err} ulp`);
  };
  fc.assert(
    fc.property(fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true }), check),
    { numRuns: 5000, seed: 20261204 },
  );
  // Where the error is largest: the reduced range [1/√2, √2) with |ln x| just below a power of two.
  fc.assert(fc.property(fc.double({ min: Math.SQRT1_2, max: Math.SQRT2, noNaN: true }), check), {
    numRuns: 20000,
    seed: 20261205,
  });
});

/** The largest errors the scan of src/random.ts found (x, and its error in ulps). */
const WORST_CASES: readonly [number, number][] = [
  [0.7015328920753997, 5.1377],
  [0.6918901092501746, 4.7964],
  [1.4465432543577894, -4.8125],
  [1.2600916048543078, -4.73],
  [1.3535847591159385, -4.542],
  [1.4012531354704973, -2.9116],
];

Deno.test("the bound of portableLog() is tight: the exact reference finds the scan's worst cases", () => {
  for (const [x, ulps] of WORST_CASES) {
    const err = logErrorUlps(x);
    ok(Math.abs(err - ulps) < 0.01, `portableLog(${x}) is off by ${err} ulp, the scan found ${ulps}`);
    ok(Math.abs(err) <= PORTABLE_LOG_MAX_ULPS);
  }
  ok(Math.abs(WORST_CASES[0][1]) > PORTABLE_LOG_MAX_ULPS - 1);
});

Deno.test("Rng streams are reproducible, distinct, and normals have mean 0 and variance 1", () => {
  const a = new Rng(7, 3);
  const b = new Rng(7, 3);
  for (let i = 0; i < 100; i++) equal(a.normal(), b.normal());
  notEqual(new Rng(7, 1).uniform(), new Rng(7, 2).uniform());
  notEqual(new Rng(7, 1).uniform(), new Rng(8, 1).uniform());
  const rng = new Rng(1, 0);
  const N = 200_000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < N; i++) {
    const z = rng.normal();
    s += z;
    s2 += z * z;
  }
  ok(Math.abs(s / N) < 5 / Math.sqrt(N), `mean ${s / N}`);
  ok(Math.abs(s2 / N - 1) < 5 * Math.sqrt(2 / N), `variance ${s2 / N}`);
  throws(() => new Rng(-1), /seed must be an integer in \[0, 2\^32\)/);
});

Deno.test("randomNetwork() draws W ~ N(0, g²/n) with a zero diagonal, reproducibly from the seed", () => {
  const n = 300;
  const g = 1.7;
  const net = randomNetwork({ n, g, seed: 3 });
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    equal(net.weights[i * n + i], 0);
    for (let j = 0; j < n; j++) s2 += net.weights[i * n + j] ** 2;
  }
  const variance = s2 / (n * (n - 1));
  ok(Math.abs(variance - (g * g) / n) < 0.02 * (g * g) / n, `variance ${variance}`);
  equal(randomNetwork({ n, g, seed: 3 }).weights.join(), net.weights.join());
  ok(randomNetwork({ n: 4, seed: 3, autapses: true }).weights[0] !== 0);
  throws(() => randomNetwork({ n: 0 }), /n must be a positive integer, got 0/);
});
