// The backward pass of the covariant vectors (src/covariant_vectors.ts): the k×k triangular solves
// C ← R⁻¹C and the products V = Q·C of the samples' frames, in f64 whatever the workspace's
// precision (the host keeps R, C and the frames in f64). Each output element is computed by exactly
// one thread of the team in the order of the single-threaded loop, so results do not depend on T.

import { partStart, ROW_UNIT } from "./team";
import { Workspace } from "./workspace";

/**
 * X ← R⁻¹X for upper-triangular k×k R and X (row-major f64 at R and X; only X's upper triangle is
 * read and written), by back substitution column by column. Columns are independent: thread tid
 * of nt solves the columns c ≡ tid (mod nt), which balances the c²/2 cost of column c.
 */
export function clvSolve(ptr: usize, R: usize, X: usize, tid: i32, nt: i32): void {
  const k = changetype<Workspace>(ptr).k;
  const stride = <usize>k << 3;
  for (let c = tid; c < k; c += nt) {
    const xc = X + (<usize>c << 3);
    for (let i = c; i >= 0; i--) {
      const ri = R + <usize>i * stride;
      let s = load<f64>(xc + <usize>i * stride);
      for (let l = i + 1; l <= c; l++) s -= load<f64>(ri + (<usize>l << 3)) * load<f64>(xc + <usize>l * stride);
      store<f64>(xc + <usize>i * stride, s / load<f64>(ri + (<usize>i << 3)));
    }
  }
}

/**
 * V ← V·C in place for the n×k row-major f64 frame at V and an upper-triangular k×k C given
 * column by column at Ct (Ct[c·k + l] = C[l][c]): row by row, columns from the last (which reads
 * the row's entries before they are overwritten). Thread tid of nt computes its rows.
 */
export function clvProduct(ptr: usize, V: usize, Ct: usize, tid: i32, nt: i32): void {
  const ws = changetype<Workspace>(ptr);
  const k = ws.k;
  const r0 = partStart(ws.n, ROW_UNIT, tid, nt);
  const r1 = partStart(ws.n, ROW_UNIT, tid + 1, nt);
  for (let i = r0; i < r1; i++) {
    const row = V + ((<usize>i * k) << 3);
    for (let c = k - 1; c >= 0; c--) {
      const col = Ct + ((<usize>c * k) << 3);
      let s: f64 = 0;
      for (let l = 0; l <= c; l++) s += load<f64>(row + (<usize>l << 3)) * load<f64>(col + (<usize>l << 3));
      store<f64>(row + (<usize>c << 3), s);
    }
  }
}
