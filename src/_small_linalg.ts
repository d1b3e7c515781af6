/**
 * Small dense linear algebra on the host, for the n×(few) work of the covariant vectors' analyses
 * (principal angles). Matrices are row-major
 * Float64Arrays unless stated; all loops run in one fixed order (deterministic).
 *
 * @module
 */

/**
 * Orthonormal basis of the span of `m` columns of an n-row matrix (column j of `A` at
 * `A[i * stride + cols[j]]`), by modified Gram–Schmidt applied twice; returns the basis as m
 * columns of length n, one after the other (column-major).
 */
export function orthonormalColumns(
  A: Float64Array,
  n: number,
  stride: number,
  offset: number,
  cols: number[],
): Float64Array {
  const m = cols.length;
  const B = new Float64Array(n * m);
  for (let j = 0; j < m; j++) {
    const b = B.subarray(j * n, (j + 1) * n);
    for (let i = 0; i < n; i++) b[i] = A[offset + i * stride + cols[j]];
    projectOut(n, B, j, b);
    let norm = 0;
    for (let i = 0; i < n; i++) norm += b[i] * b[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) b[i] /= norm;
  }
  return B;
}

/**
 * b ← (I − QQᵀ)b for the first `count` orthonormal columns of Q (length n each, one after the
 * other), by modified Gram–Schmidt applied twice.
 */
function projectOut(n: number, Q: Float64Array, count: number, b: Float64Array): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let p = 0; p < count; p++) {
      const q = Q.subarray(p * n, (p + 1) * n);
      let d = 0;
      for (let i = 0; i < n; i++) d += q[i] * b[i];
      for (let i = 0; i < n; i++) b[i] -= d * q[i];
    }
  }
}

/** Eigenvalues of a symmetric m×m matrix (row-major, overwritten) by cyclic Jacobi rotations. */
export function symmetricEigenvalues(m: number, S: Float64Array): Float64Array {
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < m; p++) {
      diag += S[p * m + p] ** 2;
      for (let q = p + 1; q < m; q++) off += S[p * m + q] ** 2;
    }
    if (off <= 1e-32 * diag || off === 0) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = S[p * m + q];
        if (apq === 0) continue;
        const theta = (S[q * m + q] - S[p * m + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < m; r++) {
          const srp = S[r * m + p];
          const srq = S[r * m + q];
          S[r * m + p] = c * srp - s * srq;
          S[r * m + q] = s * srp + c * srq;
        }
        for (let r = 0; r < m; r++) {
          const spr = S[p * m + r];
          const sqr = S[q * m + r];
          S[p * m + r] = c * spr - s * sqr;
          S[q * m + r] = s * spr + c * sqr;
        }
      }
    }
  }
  return Float64Array.from({ length: m }, (_, i) => S[i * m + i]);
}

/**
 * Smallest principal angle between span(U) and span(S), both orthonormal bases stored as
 * columns of length n one after the other: θ with sin θ = σ_min((I − UUᵀ)S), accurate for
 * small angles (where arccos of the largest cosine would lose them).
 */
export function smallestPrincipalAngle(n: number, U: Float64Array, S: Float64Array): number {
  const mu = U.length / n;
  const ms = S.length / n;
  const B = Float64Array.from(S);
  for (let j = 0; j < ms; j++) projectOut(n, U, mu, B.subarray(j * n, (j + 1) * n));
  const G = new Float64Array(ms * ms);
  for (let a = 0; a < ms; a++) {
    for (let c = a; c < ms; c++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += B[a * n + i] * B[c * n + i];
      G[a * ms + c] = G[c * ms + a] = d;
    }
  }
  const eig = symmetricEigenvalues(ms, G);
  const sin = Math.sqrt(Math.max(0, Math.min(...eig)));
  return Math.asin(Math.min(1, sin));
}
