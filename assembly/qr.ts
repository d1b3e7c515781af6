// Householder QR of the n×k frame Q (column-major, leading dimension ld, k ≤ n), in place:
// on return Q holds the orthonormal factor (explicit, as LAPACK's geqr2 + org2r) and
// logs[j] = log|R_jj| (f64). Reflector j: H_j = I − tau_j v_j v_jᵀ with v_j(j) = 1, zero above.
// The reflector is copied into v (length ld, zero outside rows j..n−1) so that every column
// update is one SIMD dot product and one axpy over rows from j rounded down to a multiple of 4
// (rows above j meet v = 0 and keep their exact values).
// Cost: about 4·n·k² − 4k³/3 flops (factor + form Q).

import { lanesSum } from "./workspace";

/** Copies reflector j (stored below the diagonal of column j) into v. */
function loadReflector<T>(n: i32, ld: i32, j: i32, Q: usize, v: usize): void {
  const sh = alignof<T>();
  const col = Q + ((<usize>j * ld) << sh);
  for (let r = j & ~3; r < j; r++) store<T>(v + (<usize>r << sh), <T>0);
  store<T>(v + (<usize>j << sh), <T>1);
  for (let r = j + 1; r < n; r++) {
    store<T>(v + (<usize>r << sh), load<T>(col + (<usize>r << sh)));
  }
}

/** Applies H = I − tau v vᵀ to columns c0..c1−1 of Q (rows from j & ~3 to ld). */
function applyReflector<T>(ld: i32, j: i32, c0: i32, c1: i32, tau: T, Q: usize, v: usize): void {
  const sh = alignof<T>();
  const start = <usize>(j & ~3) << sh;
  const end = <usize>ld << sh;
  for (let c = c0; c < c1; c++) {
    const col = Q + ((<usize>c * ld) << sh);
    let s = v128.splat<T>(<T>0);
    for (let o = start; o < end; o += 16) {
      s = v128.add<T>(s, v128.mul<T>(v128.load(v + o), v128.load(col + o)));
    }
    const w = v128.splat<T>(tau * lanesSum<T>(s));
    for (let o = start; o < end; o += 16) {
      v128.store(col + o, v128.sub<T>(v128.load(col + o), v128.mul<T>(w, v128.load(v + o))));
    }
  }
}

/** Orthonormalises Q in place and writes logs[j] = log|R_jj| (see the file header). */
export function householderQR<T>(
  n: i32,
  ld: i32,
  k: i32,
  Q: usize,
  v: usize,
  tau: usize,
  logs: usize,
): void {
  const sh = alignof<T>();
  for (let j = 0; j < k; j++) {
    const col = Q + ((<usize>j * ld) << sh);
    const alpha = load<T>(col + (<usize>j << sh));
    let xnorm2: T = <T>0;
    for (let r = j + 1; r < n; r++) {
      const x = load<T>(col + (<usize>r << sh));
      xnorm2 += x * x;
    }
    let t: T = <T>0;
    let beta = alpha;
    if (xnorm2 != <T>0) {
      const norm = <T>sqrt<T>(alpha * alpha + xnorm2);
      beta = alpha >= <T>0 ? -norm : norm;
      t = (beta - alpha) / beta;
      const scale = <T>1 / (alpha - beta);
      for (let r = j + 1; r < n; r++) {
        const at = col + (<usize>r << sh);
        store<T>(at, load<T>(at) * scale);
      }
    }
    store<T>(tau + (<usize>j << sh), t);
    store<f64>(logs + (<usize>j << 3), Math.log(Math.abs(<f64>beta)));
    if (j + 1 < k) {
      loadReflector<T>(n, ld, j, Q, v);
      applyReflector<T>(ld, j, j + 1, k, t, Q, v);
    }
  }
  for (let j = k - 1; j >= 0; j--) {
    const col = Q + ((<usize>j * ld) << sh);
    const t = load<T>(tau + (<usize>j << sh));
    if (j + 1 < k) {
      loadReflector<T>(n, ld, j, Q, v);
      applyReflector<T>(ld, j, j + 1, k, t, Q, v);
    }
    for (let r = 0; r < j; r++) store<T>(col + (<usize>r << sh), <T>0);
    store<T>(col + (<usize>j << sh), <T>1 - t);
    for (let r = j + 1; r < n; r++) {
      const at = col + (<usize>r << sh);
      store<T>(at, -t * load<T>(at));
    }
  }
}
