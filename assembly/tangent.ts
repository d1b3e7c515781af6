// Jacobian-free tangent step for an N×k frame (k ≥ 2; k = 1 goes through matvec2):
//   Q ← (1 − dt)·Q + dt·W (φ'(h) ⊙ Q)
// 1. pack:  X = φ'(h) ⊙ Q into panels of PW columns (PW = 4 in f64, 8 in f32; two v128 per
//    panel row), zero-padded:  X[(p·n + l)·PW + c] = φ'(h_l)·Q[(p·PW + c)·ld + l].
// 2. product: Y = W X, register-blocked: four rows of Y × one panel (eight v128) held in
//    locals, one pass over l; Y is ld × panels·PW row-major. 2·ld·n·panels·PW flops.
// 3. update: Q[c·ld + i] = (1 − dt)·Q[c·ld + i] + dt·Y[i, c] for i < n, c < k.
// Q is column-major with leading dimension ld (rows n..ld zero).

import { panelWidth } from "./workspace";

/** Packs X = φ' ⊙ Q into zero-padded panels (step 1). */
export function pack<T>(n: i32, ld: i32, k: i32, panels: i32, dphi: usize, Q: usize, X: usize): void {
  const pw = panelWidth<T>();
  const sh = alignof<T>();
  for (let p = 0; p < panels; p++) {
    const panel = X + ((<usize>p * n * pw) << sh);
    for (let c = 0; c < pw; c++) {
      const col = p * pw + c;
      if (col < k) {
        const q = Q + ((<usize>col * ld) << sh);
        for (let l = 0; l < n; l++) {
          const at = <usize>l << sh;
          store<T>(panel + ((<usize>(l * pw + c)) << sh), load<T>(dphi + at) * load<T>(q + at));
        }
      } else {
        for (let l = 0; l < n; l++) store<T>(panel + ((<usize>(l * pw + c)) << sh), <T>0);
      }
    }
  }
}

/** Y = W X over packed panels (step 2); rows of Y up to ld (ld is a multiple of 4). */
export function panelProduct<T>(n: i32, ld: i32, panels: i32, W: usize, X: usize, Y: usize): void {
  const pw = panelWidth<T>();
  const sh = alignof<T>();
  const row = <usize>ld << sh;
  const yrow = (<usize>panels * pw) << sh;
  const panelBytes = (<usize>n * pw) << sh;
  const step = <usize>pw << sh;
  for (let i = 0; i < ld; i += 4) {
    const w0 = W + <usize>i * row;
    const w1 = w0 + row;
    const w2 = w1 + row;
    const w3 = w2 + row;
    const y0 = Y + <usize>i * yrow;
    for (let p = 0; p < panels; p++) {
      let x = X + <usize>p * panelBytes;
      let a00 = v128.splat<T>(<T>0);
      let a01 = a00;
      let a10 = a00;
      let a11 = a00;
      let a20 = a00;
      let a21 = a00;
      let a30 = a00;
      let a31 = a00;
      const wEnd = <usize>n << sh;
      for (let o: usize = 0; o < wEnd; o += <usize>sizeof<T>()) {
        const x0 = v128.load(x);
        const x1 = v128.load(x, 16);
        let w = v128.splat<T>(load<T>(w0 + o));
        a00 = v128.add<T>(a00, v128.mul<T>(w, x0));
        a01 = v128.add<T>(a01, v128.mul<T>(w, x1));
        w = v128.splat<T>(load<T>(w1 + o));
        a10 = v128.add<T>(a10, v128.mul<T>(w, x0));
        a11 = v128.add<T>(a11, v128.mul<T>(w, x1));
        w = v128.splat<T>(load<T>(w2 + o));
        a20 = v128.add<T>(a20, v128.mul<T>(w, x0));
        a21 = v128.add<T>(a21, v128.mul<T>(w, x1));
        w = v128.splat<T>(load<T>(w3 + o));
        a30 = v128.add<T>(a30, v128.mul<T>(w, x0));
        a31 = v128.add<T>(a31, v128.mul<T>(w, x1));
        x += step;
      }
      const y = y0 + <usize>p * step;
      v128.store(y, a00);
      v128.store(y, a01, 16);
      v128.store(y + yrow, a10);
      v128.store(y + yrow, a11, 16);
      v128.store(y + 2 * yrow, a20);
      v128.store(y + 2 * yrow, a21, 16);
      v128.store(y + 3 * yrow, a30);
      v128.store(y + 3 * yrow, a31, 16);
    }
  }
}

/** Q = a·Q + b·Y for the n×k frame (step 3). */
export function update<T>(n: i32, ld: i32, k: i32, panels: i32, Q: usize, Y: usize, a: T, b: T): void {
  const sh = alignof<T>();
  const ldy = panels * panelWidth<T>();
  for (let c = 0; c < k; c++) {
    const q = Q + ((<usize>c * ld) << sh);
    for (let i = 0; i < n; i++) {
      const at = q + (<usize>i << sh);
      store<T>(at, a * load<T>(at) + b * load<T>(Y + ((<usize>(i * ldy + c)) << sh)));
    }
  }
}
