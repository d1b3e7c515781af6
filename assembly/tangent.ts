// Jacobian-free tangent step for an N×k frame (k ≥ 2; k = 1 goes through matvec2):
//   Q ← (1 − dt)·Q + dt·W (φ'(h) ⊙ Q)
// 1. pack:  X = φ'(h) ⊙ Q into panels of PW columns (PW = 4 in f64, 8 in f32; two v128 per
//    panel row) and ld rows, zero-padded (columns past k, rows n..ld):
//    X[(p·ld + l)·PW + c] = φ'(h_l)·Q[(p·PW + c)·ld + l].
// 2. product and update, fused: Y = W X, register-blocked: four rows of Y × one panel (eight
//    v128 accumulators) held in locals, one pass over l in groups of one v128 of W (2 values
//    of l in f64, 4 in f32): each group loads one v128 of each of the four W rows, and every
//    value of l in it is broadcast from that register by a lane shuffle; each accumulator sums
//    over l in increasing order. The 4×PW block of Y is then transposed in registers and
//    written as Q[c·ld + i] = (1 − dt)·Q[c·ld + i] + dt·Y[i, c] for rows i..i+3, columns c < k
//    (rows n..ld stay zero: W and Q are zero there). 2·ld·ld·panels·PW + 3·ld·k flops (W
//    padding columns meet zero rows of X).
// Q is column-major with leading dimension ld (rows n..ld zero).

import { panelWidth } from "./simd";

/**
 * Packs X = φ' ⊙ Q into zero-padded panels of ld rows (step 1), rows [l0, l1) of X (l1 ≤ ld;
 * rows n..ld get zeros).
 */
export function pack<T>(l0: i32, l1: i32, n: i32, ld: i32, k: i32, panels: i32, dphi: usize, Q: usize, X: usize): void {
  const pw = panelWidth<T>();
  const sh = alignof<T>();
  const lv = min(l1, n);
  for (let p = 0; p < panels; p++) {
    const panel = X + ((<usize>p * ld * pw) << sh);
    for (let c = 0; c < pw; c++) {
      const col = p * pw + c;
      let l = l0;
      if (col < k) {
        const q = Q + ((<usize>col * ld) << sh);
        for (; l < lv; l++) {
          const at = <usize>l << sh;
          store<T>(panel + ((<usize>(l * pw + c)) << sh), load<T>(dphi + at) * load<T>(q + at));
        }
      }
      for (; l < l1; l++) store<T>(panel + ((<usize>(l * pw + c)) << sh), <T>0);
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

/** Q[c·ld + i..i+3] ← a·Q + b·y for one column c, y = the rows i..i+3 of Y[·, c] (two v128 in f64, one in f32). */
// @ts-ignore: decorator
@inline function updateColumn<T>(q: usize, ylo: v128, yhi: v128, a: v128, b: v128): void {
  v128.store(q, v128.add<T>(v128.mul<T>(a, v128.load(q)), v128.mul<T>(b, ylo)));
  if (sizeof<T>() == 8) v128.store(q, v128.add<T>(v128.mul<T>(a, v128.load(q, 16)), v128.mul<T>(b, yhi)), 16);
}

/**
 * Writes a 4-row × (two v128) block of Y (rows r0..r3; r·0 = columns c..c+PW/2−1, r·1 =
 * the next PW/2) into Q columns c.. (< k) at rows i..i+3: Q ← a·Q + b·Y (step 2, epilogue).
 */
// @ts-ignore: decorator
@inline function storeBlock<T>(
  q: usize, colBytes: usize, cols: i32,
  r00: v128, r01: v128, r10: v128, r11: v128, r20: v128, r21: v128, r30: v128, r31: v128,
  a: v128, b: v128,
): void {
  if (sizeof<T>() == 8) {
    // r00 = [Y(i,c), Y(i,c+1)], r01 = [Y(i,c+2), Y(i,c+3)], ...
    if (cols > 0) updateColumn<T>(q, v128.shuffle<i64>(r00, r10, 0, 2), v128.shuffle<i64>(r20, r30, 0, 2), a, b);
    if (cols > 1) updateColumn<T>(q + colBytes, v128.shuffle<i64>(r00, r10, 1, 3), v128.shuffle<i64>(r20, r30, 1, 3), a, b);
    if (cols > 2) updateColumn<T>(q + 2 * colBytes, v128.shuffle<i64>(r01, r11, 0, 2), v128.shuffle<i64>(r21, r31, 0, 2), a, b);
    if (cols > 3) updateColumn<T>(q + 3 * colBytes, v128.shuffle<i64>(r01, r11, 1, 3), v128.shuffle<i64>(r21, r31, 1, 3), a, b);
  } else {
    // 4×4 transposes of (r00, r10, r20, r30) and (r01, r11, r21, r31).
    let t0 = v128.shuffle<i32>(r00, r10, 0, 4, 1, 5);
    let t1 = v128.shuffle<i32>(r00, r10, 2, 6, 3, 7);
    let t2 = v128.shuffle<i32>(r20, r30, 0, 4, 1, 5);
    let t3 = v128.shuffle<i32>(r20, r30, 2, 6, 3, 7);
    if (cols > 0) updateColumn<T>(q, v128.shuffle<i64>(t0, t2, 0, 2), t0, a, b);
    if (cols > 1) updateColumn<T>(q + colBytes, v128.shuffle<i64>(t0, t2, 1, 3), t0, a, b);
    if (cols > 2) updateColumn<T>(q + 2 * colBytes, v128.shuffle<i64>(t1, t3, 0, 2), t0, a, b);
    if (cols > 3) updateColumn<T>(q + 3 * colBytes, v128.shuffle<i64>(t1, t3, 1, 3), t0, a, b);
    if (cols > 4) {
      t0 = v128.shuffle<i32>(r01, r11, 0, 4, 1, 5);
      t1 = v128.shuffle<i32>(r01, r11, 2, 6, 3, 7);
      t2 = v128.shuffle<i32>(r21, r31, 0, 4, 1, 5);
      t3 = v128.shuffle<i32>(r21, r31, 2, 6, 3, 7);
      const q4 = q + 4 * colBytes;
      updateColumn<T>(q4, v128.shuffle<i64>(t0, t2, 0, 2), t0, a, b);
      if (cols > 5) updateColumn<T>(q4 + colBytes, v128.shuffle<i64>(t0, t2, 1, 3), t0, a, b);
      if (cols > 6) updateColumn<T>(q4 + 2 * colBytes, v128.shuffle<i64>(t1, t3, 0, 2), t0, a, b);
      if (cols > 7) updateColumn<T>(q4 + 3 * colBytes, v128.shuffle<i64>(t1, t3, 1, 3), t0, a, b);
    }
  }
}

/** Q ← a·Q + b·W X over packed panels (step 2) for rows [i0, i1) (multiples of 4, i1 ≤ ld). */
export function panelProduct<T>(
  i0: i32, i1: i32, ld: i32, k: i32, panels: i32, W: usize, X: usize, Q: usize, a: T, b: T,
): void {
  const pw = panelWidth<T>();
  const sh = alignof<T>();
  const row = <usize>ld << sh;
  const av = v128.splat<T>(a);
  const bv = v128.splat<T>(b);
  const panelBytes = (<usize>ld * pw) << sh;
  const step = <usize>pw << sh; // one panel row: 32 bytes
  for (let i = i0; i < i1; i += 4) {
    const w0 = W + <usize>i * row;
    const w1 = w0 + row;
    const w2 = w1 + row;
    const w3 = w2 + row;
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
      const c = p * pw;
      const q = Q + ((<usize>c * ld + <usize>i) << sh);
      storeBlock<T>(q, row, k - c, a00, a01, a10, a11, a20, a21, a30, a31, av, bv);
    }
  }
}
