/**
 * Seeded random numbers that give the same bits on every JavaScript engine.
 *
 * Generator: xoshiro128** (Blackman & Vigna 2018), state seeded by SplitMix32 from
 * `(seed, stream)`, so that every stream of a run (weights, initial state, start frame,
 * sample i, …) is independent of the others and of the order in which they are drawn.
 * Uniforms take 53 bits from two outputs; normals use Marsaglia's polar method with a
 * logarithm computed here from +, −, ×, ÷ only (no host `Math.log`), so results never depend
 * on the engine's libm.
 *
 * @module
 */

const LN2_HI = 6.93147180369123816490e-01;
const LN2_LO = 1.90821492927058770002e-10;
const SQRT2 = Math.SQRT2;

/**
 * Largest error of {@linkcode portableLog}, in ulps of ln x (the spacing of doubles at |ln x|).
 * Measured against an extended-precision logarithm (64-bit significand) on 1.2·10⁹ doubles
 * (uniform over the reduced range [1/√2, √2) and the binades below and above it; windows where
 * |ln x| lies just below a power of two, where one rounding weighs almost two ulp; x = 1 ± 2^−k
 * for k ≤ 60; 20,000 points in every binade from the subnormals to the largest doubles): the
 * series alone (x in the reduced range) is off by at most 4.73 ulp (x = 1.2600916048543078),
 * and adding e·ln 2 rounds twice more, at most 1 ulp where |ln x| < 1/2 shares the series' binade:
 * the worst found there is 5.14 ulp (x = 0.7015328920753997), below 4.73 + 1. A count of the
 * roundings (s = (x − 1)/(x + 1) up to 2 ulp, at most nine series additions ½ ulp each, the
 * tail ½ ulp, the reassembly 1 ulp) bounds it by about 8.2 ulp for every x. The normal deviates
 * only need the same bits on every engine, which any such bound gives.
 */
export const PORTABLE_LOG_MAX_ULPS = 6;

/**
 * Natural logarithm of a positive finite x from basic arithmetic only, so that it gives the same
 * bits on every engine (error at most {@linkcode PORTABLE_LOG_MAX_ULPS} ulp of ln x).
 */
export function portableLog(x: number): number {
  let e = 0;
  while (x >= SQRT2) {
    x *= 0.5;
    e++;
  }
  while (x < SQRT2 / 2) {
    x *= 2;
    e--;
  }
  // x in [1/√2, √2): log x = 2 atanh(s), s = (x − 1)/(x + 1), |s| < 0.1716
  const s = (x - 1) / (x + 1);
  const s2 = s * s;
  let term = s;
  let sum = 0;
  for (let i = 1; i < 40; i += 2) {
    const next = sum + term / i;
    if (next === sum) break;
    sum = next;
    term *= s2;
  }
  return e * LN2_HI + (2 * sum + e * LN2_LO);
}

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [state, (z ^ (z >>> 16)) >>> 0];
}

/** A seeded stream of random numbers (xoshiro128**). */
export class Rng {
  #s = new Uint32Array(4);
  #spare: number | undefined;

  /**
   * Creates the stream `stream` of run seed `seed` (both integers in [0, 2³²)).
   *
   * @example
   * ```ts
   * const rng = new Rng(42, 0);
   * const z = rng.normal();
   * ```
   */
  constructor(seed: number, stream = 0) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`Cannot seed the generator: seed must be an integer in [0, 2^32), got ${seed}`);
    }
    let st = seed | 0;
    let out: number;
    [st, out] = splitmix32(st);
    st = (st ^ Math.imul(stream | 0, 0x2545f491)) | 0;
    [st, out] = splitmix32(st ^ out);
    for (let i = 0; i < 4; i++) {
      [st, out] = splitmix32(st);
      this.#s[i] = out;
    }
    if ((this.#s[0] | this.#s[1] | this.#s[2] | this.#s[3]) === 0) this.#s[0] = 1;
  }

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s = this.#s;
    const x = Math.imul(s[1], 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >>> 21);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal deviate (Marsaglia's polar method). */
  normal(): number {
    if (this.#spare !== undefined) {
      const z = this.#spare;
      this.#spare = undefined;
      return z;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt(-2 * portableLog(s) / s);
        this.#spare = v * f;
        return u * f;
      }
    }
  }

  /** Fills `out` with normal deviates of mean `mean` and standard deviation `sd`. */
  fillNormal(out: Float64Array, mean = 0, sd = 1): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = mean + sd * this.normal();
    return out;
  }
}

/**
 * The seed of item `index` of a run with seed `runSeed` (a network of a sweep, a sample):
 * a hash of both, so that results never depend on which worker computed what, or when.
 *
 * @example
 * ```ts
 * import { notEqual } from "node:assert/strict";
 * notEqual(deriveSeed(1, 0), deriveSeed(1, 1));
 * ```
 */
export function deriveSeed(runSeed: number, index: number): number {
  let [state, out] = splitmix32(runSeed | 0);
  [state, out] = splitmix32((state ^ Math.imul(index | 0, 0x9e3779b1) ^ out) | 0);
  return splitmix32(state ^ out)[1];
}

/**
 * Named streams of a run seed, so that each random quantity has its own stream. `mask` is the
 * first of three: the mask of trained part i (weights, gains, shifts) is stream `mask + i`.
 * `fixedWeights` is not an {@linkcode Rng} stream but the item index given to
 * {@linkcode deriveSeed} for the weights a whole sweep shares (the largest index, so it never
 * meets the index of a network of the sweep).
 */
export const STREAMS = Object.freeze({
  weights: 1,
  h0: 2,
  q0: 3,
  gains: 4,
  shifts: 5,
  /** The random upper-triangular start of the covariant vectors' backward pass. */
  clv: 6,
  sample: 1000,
  mask: 2000,
  fixedWeights: 0xffffffff,
});
