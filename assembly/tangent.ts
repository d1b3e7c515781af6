// Jacobian-free tangent step for an N×k frame (k ≥ 2; k = 1 goes through matvec2):
//   Q ← (1 − dt)·Q + dt·W (φ'(h) ⊙ Q)
// 1. pack:  X = φ'(h) ⊙ Q into panels of PW columns (PW = 4 in f64, 8 in f32; two v128 per
//    panel row) and ld rows, zero-padded (columns past k, rows n..ld):
//    X[(p·ld + l)·PW + c] = φ'(h_l)·Q[(p·PW + c)·ld + l].
// 2. product: Y = W X, register-blocked: four rows of Y × one panel (eight v128 accumulators)
//    held in locals, one pass over l in groups of one v128 of W (2 values of l in f64, 4 in
//    f32): each group loads one v128 of each of the four W rows, and every value of l in it is
//    broadcast from that register by a lane shuffle; each accumulator sums over l in
//    increasing order. Y is ld × panels·PW row-major. 2·ld·ld·panels·PW flops (W padding
//    columns meet zero rows of X).
// 3. update: Q[c·ld + i] = (1 − dt)·Q[c·ld + i] + dt·Y[i, c] for i < n, c < k.
// Q is column-major with leading dimension ld (rows n..ld zero).

import { panelWidth } from "./workspace";

/** Packs X = φ' ⊙ Q into zero-padded panels of ld rows (step 1). */
export function pack<T>(n: i32, ld: i32, k: i32, panels: i32, dphi: usize, Q: usize, X: usize): void {
  const pw = panelWidth<T>();
  const sh = alignof<T>();
  for (let p = 0; p < panels; p++) {
    const panel = X + ((<usize>p * ld * pw) << sh);
    for (let c = 0; c < pw; c++) {
      const col = p * pw + c;
      let l = 0;
      if (col < k) {
        const q = Q + ((<usize>col * ld) << sh);
        for (; l < n; l++) {
          const at = <usize>l << sh;
          store<T>(panel + ((<usize>(l * pw + c)) << sh), load<T>(dphi + at) * load<T>(q + at));
        }
      }
      for (; l < ld; l++) store<T>(panel + ((<usize>(l * pw + c)) << sh), <T>0);
    }
  }
}

/** Lane L of v broadcast to every lane (L < lanes of T; dead branches vanish per T). */
// @ts-ignore: decorator
@inline function lane0<T>(v: v128): v128 {
  if (sizeof<T>() == 8) return i8x16.shuffle(v, v, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7);
  return i8x16.shuffle(v, v, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3);
}
// @ts-ignore: decorator
@inline function lane1<T>(v: v128): v128 {
  if (sizeof<T>() == 8) return i8x16.shuffle(v, v, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15);
  return i8x16.shuffle(v, v, 4, 5, 6, 7, 4, 5, 6, 7, 4, 5, 6, 7, 4, 5, 6, 7);
}
// @ts-ignore: decorator
@inline function lane2<T>(v: v128): v128 {
  return i8x16.shuffle(v, v, 8, 9, 10, 11, 8, 9, 10, 11, 8, 9, 10, 11, 8, 9, 10, 11);
}
// @ts-ignore: decorator
@inline function lane3<T>(v: v128): v128 {
  return i8x16.shuffle(v, v, 12, 13, 14, 15, 12, 13, 14, 15, 12, 13, 14, 15, 12, 13, 14, 15);
}

/** acc0/acc1 of four rows += broadcast W[r, l]·X[l] for one l (s: W lane for each row). */
// @ts-ignore: decorator
@inline function madd<T>(a: v128, s: v128, x: v128): v128 {
  return v128.add<T>(a, v128.mul<T>(s, x));
}

/** Y = W X over packed panels (step 2); rows of Y up to ld (ld is a multiple of 4). */
export function panelProduct<T>(n: i32, ld: i32, panels: i32, W: usize, X: usize, Y: usize): void {
  const pw = panelWidth<T>();
  const sh = alignof<T>();
  const row = <usize>ld << sh;
  const yrow = (<usize>panels * pw) << sh;
  const panelBytes = (<usize>ld * pw) << sh;
  const step = <usize>pw << sh; // one panel row: 32 bytes
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
      for (let o: usize = 0; o < row; o += 16) {
        const v0 = v128.load(w0 + o);
        const v1 = v128.load(w1 + o);
        const v2 = v128.load(w2 + o);
        const v3 = v128.load(w3 + o);
        let x0 = v128.load(x);
        let x1 = v128.load(x, 16);
        let s = lane0<T>(v0);
        a00 = madd<T>(a00, s, x0);
        a01 = madd<T>(a01, s, x1);
        s = lane0<T>(v1);
        a10 = madd<T>(a10, s, x0);
        a11 = madd<T>(a11, s, x1);
        s = lane0<T>(v2);
        a20 = madd<T>(a20, s, x0);
        a21 = madd<T>(a21, s, x1);
        s = lane0<T>(v3);
        a30 = madd<T>(a30, s, x0);
        a31 = madd<T>(a31, s, x1);
        x0 = v128.load(x, 32);
        x1 = v128.load(x, 48);
        s = lane1<T>(v0);
        a00 = madd<T>(a00, s, x0);
        a01 = madd<T>(a01, s, x1);
        s = lane1<T>(v1);
        a10 = madd<T>(a10, s, x0);
        a11 = madd<T>(a11, s, x1);
        s = lane1<T>(v2);
        a20 = madd<T>(a20, s, x0);
        a21 = madd<T>(a21, s, x1);
        s = lane1<T>(v3);
        a30 = madd<T>(a30, s, x0);
        a31 = madd<T>(a31, s, x1);
        if (sizeof<T>() == 4) {
          x0 = v128.load(x, 64);
          x1 = v128.load(x, 80);
          s = lane2<T>(v0);
          a00 = madd<T>(a00, s, x0);
          a01 = madd<T>(a01, s, x1);
          s = lane2<T>(v1);
          a10 = madd<T>(a10, s, x0);
          a11 = madd<T>(a11, s, x1);
          s = lane2<T>(v2);
          a20 = madd<T>(a20, s, x0);
          a21 = madd<T>(a21, s, x1);
          s = lane2<T>(v3);
          a30 = madd<T>(a30, s, x0);
          a31 = madd<T>(a31, s, x1);
          x0 = v128.load(x, 96);
          x1 = v128.load(x, 112);
          s = lane3<T>(v0);
          a00 = madd<T>(a00, s, x0);
          a01 = madd<T>(a01, s, x1);
          s = lane3<T>(v1);
          a10 = madd<T>(a10, s, x0);
          a11 = madd<T>(a11, s, x1);
          s = lane3<T>(v2);
          a20 = madd<T>(a20, s, x0);
          a21 = madd<T>(a21, s, x1);
          s = lane3<T>(v3);
          a30 = madd<T>(a30, s, x0);
          a31 = madd<T>(a31, s, x1);
        }
        x += 16 / sizeof<T>() * step;
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
