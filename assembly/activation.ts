// Activations φ and their derivatives φ', per neuron (docs/design.md#3-model-and-conventions).
//   tanh:            φ = tanh(x)                      φ' = 1/cosh²(x)
//   tanh_stretched:  φ = tanh(g(x − s))               φ' = g/cosh²(g(x − s))
//   tanh_pos:        φ = (1 + tanh(g(x − s)))/2       φ' = g/(2 cosh²(g(x − s)))
// Evaluated in f64 from the module's own Math (no host Math), with one exponential per neuron:
// p = exp(−2|u|) gives 1/cosh²(u) = 4p/(1 + p)², accurate (no cancellation, no early
// underflow) for every |u|, and tanh|u| = (1 − p)/(1 + p) when p ≤ 1/2; for |u| < ln(2)/2,
// where 1 − p would cancel, e = expm1(−2|u|) gives tanh|u| = −e/(2 + e) and p = 1 + e (exact
// there). Cost: one exp or expm1 and about 10 flops per neuron.

import { ActivationCode } from "./abi";

const HALF_LN2: f64 = 0.34657359027997264;

/**
 * tanh(u) in lane 0 and 1/cosh²(u) in lane 1 of one f64x2 (see the file header for the
 * accuracy); read them with f64x2.extract_lane (the bits pass through unchanged).
 */
// @ts-ignore: decorator
@inline export function tanhSech2(u: f64): v128 {
  const a = Math.abs(u);
  let t: f64, p: f64;
  if (a < HALF_LN2) {
    const e = Math.expm1(-2 * a);
    t = -e / (2 + e);
    p = 1 + e;
  } else {
    p = Math.exp(-2 * a);
    t = (1 - p) / (1 + p);
  }
  const sech2 = (4 * p) / ((1 + p) * (1 + p));
  return f64x2.replace_lane(f64x2.splat(u < 0 ? -t : t), 1, sech2);
}

/** phi[i] = φ_i(h[i]) and dphi[i] = φ_i'(h[i]) for i < n; gains and shifts per neuron. */
export function activate<T>(
  n: i32,
  act: i32,
  h: usize,
  gains: usize,
  shifts: usize,
  phi: usize,
  dphi: usize,
): void {
  for (let i = 0; i < n; i++) {
    const at = <usize>i << alignof<T>();
    const x = <f64>load<T>(h + at);
    let g = 1.0;
    let u = x;
    if (act != ActivationCode.tanh) {
      g = <f64>load<T>(gains + at);
      u = g * (x - <f64>load<T>(shifts + at));
    }
    const ts = tanhSech2(u);
    const t = f64x2.extract_lane(ts, 0);
    const sech2 = f64x2.extract_lane(ts, 1);
    if (act == ActivationCode.tanh_pos) {
      store<T>(phi + at, <T>(0.5 * (1 + t)));
      store<T>(dphi + at, <T>(0.5 * g * sech2));
    } else {
      store<T>(phi + at, <T>t);
      store<T>(dphi + at, <T>(g * sech2));
    }
  }
}
