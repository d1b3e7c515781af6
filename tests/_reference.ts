/**
 * Plain TypeScript twins of the core's kernels: the oracles of the tests. They form the
 * Jacobian explicitly and use classical formulas, with no attempt at speed.
 *
 * @module
 */

import { symmetricEigenvalues as jacobiEigenvalues } from "../src/_small_linalg.ts";
import type { Network } from "../src/network.ts";
import { neuronParameters } from "../src/network.ts";

/** φ and φ' of every neuron, from Math.tanh and Math.cosh (the textbook formulas). */
export function activationTwin(
  net: Network,
  h: ArrayLike<number>,
): { phi: Float64Array; dphi: Float64Array } {
  const { gains, shifts } = neuronParameters(net);
  const phi = new Float64Array(net.n);
  const dphi = new Float64Array(net.n);
  for (let i = 0; i < net.n; i++) {
    const g = net.activation === "tanh" ? 1 : gains[i];
    const u = net.activation === "tanh" ? h[i] : g * (h[i] - shifts[i]);
    const c = Math.cosh(u);
    if (net.activation === "tanh_pos") {
      phi[i] = 0.5 * (1 + Math.tanh(u));
      dphi[i] = (0.5 * g) / (c * c);
    } else {
      phi[i] = Math.tanh(u);
      dphi[i] = g / (c * c);
    }
  }
  return { phi, dphi };
}

/** One state step h ← (1 − dt)h + dt W φ(h), in place; returns φ'(h) at the old state. */
export function stepTwin(net: Network, h: Float64Array, dt: number): Float64Array {
  const { phi, dphi } = activationTwin(net, h);
  const n = net.n;
  const next = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let l = 0; l < n; l++) s += net.weights[i * n + l] * phi[l];
    next[i] = (1 - dt) * h[i] + dt * s;
  }
  h.set(next);
  return dphi;
}

/** The Jacobian J = (1 − dt)I + dt W diag(φ'), n×n row-major. */
export function jacobianTwin(net: Network, dphi: Float64Array, dt: number): Float64Array {
  const n = net.n;
  const J = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < n; l++) J[i * n + l] = dt * net.weights[i * n + l] * dphi[l] + (i === l ? 1 - dt : 0);
  }
  return J;
}

/** A·B for A n×n and B n×k, row-major. */
export function matmul(A: Float64Array, B: Float64Array, n: number, k: number): Float64Array {
  const C = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < n; l++) {
      const a = A[i * n + l];
      for (let j = 0; j < k; j++) C[i * k + j] += a * B[l * k + j];
    }
  }
  return C;
}

/** Modified Gram–Schmidt QR of an n×k row-major matrix in place; returns log|R_jj|. */
export function gramSchmidtTwin(Q: Float64Array, n: number, k: number): Float64Array {
  const logs = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = 0; i < n; i++) norm += Q[i * k + j] ** 2;
    norm = Math.sqrt(norm);
    logs[j] = Math.log(norm);
    for (let i = 0; i < n; i++) Q[i * k + j] /= norm;
    for (let c = j + 1; c < k; c++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += Q[i * k + j] * Q[i * k + c];
      for (let i = 0; i < n; i++) Q[i * k + c] -= dot * Q[i * k + j];
    }
  }
  return logs;
}

/** The whole QR-method spectrum by the twins (same phases and step counts as the core). */
export function spectrumTwin(
  net: Network,
  o: {
    nle: number;
    dt: number;
    tons: number;
    ttr: number;
    tframe: number;
    tsim: number;
    h0: ArrayLike<number>;
    q0: ArrayLike<number>;
  },
): Float64Array {
  const { n } = net;
  const k = o.nle;
  const m = Math.round(o.tons / o.dt);
  const h = Float64Array.from(o.h0);
  let Q: Float64Array = Float64Array.from(o.q0);
  gramSchmidtTwin(Q, n, k);
  for (let s = 0; s < Math.round(o.ttr / o.dt); s++) stepTwin(net, h, o.dt);
  const sums = new Float64Array(k);
  const frame = Math.ceil(Math.round(o.tframe / o.dt) / m) * m;
  const observed = Math.ceil(Math.round(o.tsim / o.dt) / m) * m;
  for (let s = 1; s <= frame + observed; s++) {
    const dphi = stepTwin(net, h, o.dt);
    Q = matmul(jacobianTwin(net, dphi, o.dt), Q, n, k);
    if (s % m === 0) {
      const logs = gramSchmidtTwin(Q, n, k);
      if (s > frame) { for (let j = 0; j < k; j++) sums[j] += logs[j]; }
    }
  }
  return sums.map((x) => x / (observed * o.dt));
}

/** log|det A| of an n×n row-major matrix by LU with partial pivoting. */
export function logAbsDet(A: Float64Array, n: number): number {
  const M = Float64Array.from(A);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    let p = j;
    for (let i = j + 1; i < n; i++) if (Math.abs(M[i * n + j]) > Math.abs(M[p * n + j])) p = i;
    if (p !== j) {
      for (let c = 0; c < n; c++) [M[j * n + c], M[p * n + c]] = [M[p * n + c], M[j * n + c]];
    }
    const d = M[j * n + j];
    sum += Math.log(Math.abs(d));
    for (let i = j + 1; i < n; i++) {
      const f = M[i * n + j] / d;
      for (let c = j; c < n; c++) M[i * n + c] -= f * M[j * n + c];
    }
  }
  return sum;
}

/** Eigenvalues of a symmetric n×n matrix (the library's cyclic Jacobi), in descending order. */
export function symmetricEigenvalues(S: Float64Array, n: number): number[] {
  return Array.from(jacobiEigenvalues(n, Float64Array.from(S))).sort((a, b) => b - a);
}

/**
 * X ← R⁻¹X for upper-triangular k×k R and X (row-major; X's upper triangle), by back
 * substitution column by column: the twin of the core's clvSolve, in its summation order.
 */
export function solveUpperTriangularTwin(k: number, R: Float64Array, X: Float64Array): void {
  for (let c = 0; c < k; c++) {
    for (let i = c; i >= 0; i--) {
      let s = X[i * k + c];
      for (let l = i + 1; l <= c; l++) s -= R[i * k + l] * X[l * k + c];
      X[i * k + c] = s / R[i * k + i];
    }
  }
}

/**
 * V ← V·C in place for an n×k row-major V and an upper-triangular k×k C (row-major): the twin
 * of the core's clvProduct, in its summation order.
 */
export function frameTimesTriangularTwin(V: Float64Array, n: number, k: number, C: Float64Array): void {
  for (let i = 0; i < n; i++) {
    for (let c = k - 1; c >= 0; c--) {
      let s = 0;
      for (let l = 0; l <= c; l++) s += V[i * k + l] * C[l * k + c];
      V[i * k + c] = s;
    }
  }
}
