// Householder QR of the n×k frame Q (column-major, leading dimension ld, k ≤ n), in place:
// on return Q holds the orthonormal factor (explicit, as LAPACK's geqrf + orgqr; rows n..ld
// stay zero) and logs[j] = log|R_jj| (f64). Reflector j: H_j = I − tau_j v_j v_jᵀ with
// v_j(j) = 1, zero above; tau_j is also written to tau.
//
// Blocked (compact WY, as LAPACK): columns are taken in blocks of NB. A block is factored
// column by column (level 2, the reflector applied to up to four columns per pass over v); its
// reflectors are copied into the scratch V (NB columns of ld, explicit 1 on the diagonal and
// zeros above, columns past the block width zero), T (NB×NB upper triangular) is built from
// VᵀV so that H_j0···H_j0+jb−1 = I − V T Vᵀ, and the trailing columns C are updated with two
// register-blocked matrix products: S = VᵀC, S ← TᵀS, C ← C − V S. Q is then formed backwards
// block by block: trailing columns C ← C − V (T (VᵀC)), and the block's own columns
// E − V (T V1ᵀ) (E: identity columns, V1: the top jb×jb of V). Every product runs over rows
// from j0 rounded down to a multiple of 4 to ld; rows above j0 meet V = 0 and keep their
// exact values. Narrow or small frames (k ≤ 8 or n ≤ 48) use the unblocked algorithm
// (geqr2 + org2r: each reflector applied to the later columns, four per pass over v), which
// has less overhead there. All sums run in one fixed order (deterministic, no FMA).
//
// Scratch v: qrScratchLength<T>(ld, k) elements of T (V, then S: NB rows of max(k, NB),
// row-major, then the T of every block: NB×NB each, then G = VᵀV of a panel or the M of a
// block's own columns, NB×NB, then a second V for a team). The small products with T run over
// rows of S (v128 over columns). Cost: about 4·n·k² − 4k³/3 flops (factor + form Q), plus
// O(n·k·NB) for the panels and the T matrices.

import { lanesSum } from "./simd";
import { barrier, partStart } from "./team";

/** Block width of the compact-WY Householder (a multiple of 4). */
// @ts-ignore: decorator
@inline const NB: i32 = 8;
/** Frames with at most SMALL_K columns, or at most SMALL_N rows, use the unblocked algorithm. */
// @ts-ignore: decorator
@inline const SMALL_K: i32 = 8;
// @ts-ignore: decorator
@inline const SMALL_N: i32 = 48;

/** Whether an n×k QR takes the unblocked algorithm (on one thread). */
export function qrUnblocked(n: i32, k: i32): bool {
  return k <= SMALL_K || n <= SMALL_N;
}

/** Elements of T needed as QR scratch for an ld-row frame of k columns. */
export function qrScratchLength(ld: i32, k: i32): i32 {
  const blocks = (k + NB - 1) / NB;
  return NB * ld + NB * max(k, NB) + NB * NB * max(blocks, 1) + NB * NB + NB * ld;
}

// @ts-ignore: decorator
@inline function splatAt<T>(p: usize): v128 {
  if (sizeof<T>() == 8) return v128.load64_splat(p);
  return v128.load32_splat(p);
}

/**
 * Applies H = I − tau v vᵀ to columns c0..c1−1 of Q over rows [start, end) (bytes), four
 * columns per pass over v (then two, then one). Each column: s = Σ v·q (one v128
 * accumulator, chunks in order, lanes in order), then q ← q − (tau·s)·v.
 */
function applyReflector<T>(ld: i32, start: usize, end: usize, c0: i32, c1: i32, tau: T, Q: usize, v: usize): void {
  const colBytes = <usize>ld << alignof<T>();
  let c = c0;
  for (; c + 4 <= c1; c += 4) {
    const q0 = Q + <usize>c * colBytes;
    const q1 = q0 + colBytes;
    const q2 = q1 + colBytes;
    const q3 = q2 + colBytes;
    let s0 = v128.splat<T>(<T>0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    for (let o = start; o < end; o += 16) {
      const vv = v128.load(v + o);
      s0 = v128.add<T>(s0, v128.mul<T>(vv, v128.load(q0 + o)));
      s1 = v128.add<T>(s1, v128.mul<T>(vv, v128.load(q1 + o)));
      s2 = v128.add<T>(s2, v128.mul<T>(vv, v128.load(q2 + o)));
      s3 = v128.add<T>(s3, v128.mul<T>(vv, v128.load(q3 + o)));
    }
    const w0 = v128.splat<T>(tau * lanesSum<T>(s0));
    const w1 = v128.splat<T>(tau * lanesSum<T>(s1));
    const w2 = v128.splat<T>(tau * lanesSum<T>(s2));
    const w3 = v128.splat<T>(tau * lanesSum<T>(s3));
    for (let o = start; o < end; o += 16) {
      const vv = v128.load(v + o);
      v128.store(q0 + o, v128.sub<T>(v128.load(q0 + o), v128.mul<T>(w0, vv)));
      v128.store(q1 + o, v128.sub<T>(v128.load(q1 + o), v128.mul<T>(w1, vv)));
      v128.store(q2 + o, v128.sub<T>(v128.load(q2 + o), v128.mul<T>(w2, vv)));
      v128.store(q3 + o, v128.sub<T>(v128.load(q3 + o), v128.mul<T>(w3, vv)));
    }
  }
  for (; c + 2 <= c1; c += 2) {
    const q0 = Q + <usize>c * colBytes;
    const q1 = q0 + colBytes;
    let s0 = v128.splat<T>(<T>0);
    let s1 = s0;
    for (let o = start; o < end; o += 16) {
      const vv = v128.load(v + o);
      s0 = v128.add<T>(s0, v128.mul<T>(vv, v128.load(q0 + o)));
      s1 = v128.add<T>(s1, v128.mul<T>(vv, v128.load(q1 + o)));
    }
    const w0 = v128.splat<T>(tau * lanesSum<T>(s0));
    const w1 = v128.splat<T>(tau * lanesSum<T>(s1));
    for (let o = start; o < end; o += 16) {
      const vv = v128.load(v + o);
      v128.store(q0 + o, v128.sub<T>(v128.load(q0 + o), v128.mul<T>(w0, vv)));
      v128.store(q1 + o, v128.sub<T>(v128.load(q1 + o), v128.mul<T>(w1, vv)));
    }
  }
  if (c < c1) {
    const q0 = Q + <usize>c * colBytes;
    let s0 = v128.splat<T>(<T>0);
    for (let o = start; o < end; o += 16) {
      s0 = v128.add<T>(s0, v128.mul<T>(v128.load(v + o), v128.load(q0 + o)));
    }
    const w0 = v128.splat<T>(tau * lanesSum<T>(s0));
    for (let o = start; o < end; o += 16) {
      v128.store(q0 + o, v128.sub<T>(v128.load(q0 + o), v128.mul<T>(w0, v128.load(v + o))));
    }
  }
}

/**
 * S[a·ldS + c] = Σ_r V[r, a]·C[r, c] for a < na (a multiple of 4), c < m, rows [start, end)
 * (bytes). V and C column-major with column stride colBytes. Blocks of 4 V columns × 2 C
 * columns (eight v128 accumulators, chunks in order, lanes added in order).
 */
export function productVtC<T>(
  start: usize,
  end: usize,
  colBytes: usize,
  V: usize,
  na: i32,
  C: usize,
  m: i32,
  S: usize,
  ldS: i32,
): void {
  const sz = <usize>sizeof<T>();
  const rs = <usize>ldS * sz;
  let c = 0;
  for (; c + 2 <= m; c += 2) {
    const x0 = C + <usize>c * colBytes;
    const x1 = x0 + colBytes;
    for (let a = 0; a < na; a += 4) {
      const v0 = V + <usize>a * colBytes;
      const v1 = v0 + colBytes;
      const v2 = v1 + colBytes;
      const v3 = v2 + colBytes;
      let s00 = v128.splat<T>(<T>0);
      let s01 = s00;
      let s10 = s00;
      let s11 = s00;
      let s20 = s00;
      let s21 = s00;
      let s30 = s00;
      let s31 = s00;
      for (let o = start; o < end; o += 16) {
        const y0 = v128.load(x0 + o);
        const y1 = v128.load(x1 + o);
        let w = v128.load(v0 + o);
        s00 = v128.add<T>(s00, v128.mul<T>(w, y0));
        s01 = v128.add<T>(s01, v128.mul<T>(w, y1));
        w = v128.load(v1 + o);
        s10 = v128.add<T>(s10, v128.mul<T>(w, y0));
        s11 = v128.add<T>(s11, v128.mul<T>(w, y1));
        w = v128.load(v2 + o);
        s20 = v128.add<T>(s20, v128.mul<T>(w, y0));
        s21 = v128.add<T>(s21, v128.mul<T>(w, y1));
        w = v128.load(v3 + o);
        s30 = v128.add<T>(s30, v128.mul<T>(w, y0));
        s31 = v128.add<T>(s31, v128.mul<T>(w, y1));
      }
      const p = S + (<usize>a * ldS + <usize>c) * sz;
      store<T>(p, lanesSum<T>(s00));
      store<T>(p + rs, lanesSum<T>(s10));
      store<T>(p + 2 * rs, lanesSum<T>(s20));
      store<T>(p + 3 * rs, lanesSum<T>(s30));
      store<T>(p + sz, lanesSum<T>(s01));
      store<T>(p + rs + sz, lanesSum<T>(s11));
      store<T>(p + 2 * rs + sz, lanesSum<T>(s21));
      store<T>(p + 3 * rs + sz, lanesSum<T>(s31));
    }
  }
  if (c < m) {
    const x0 = C + <usize>c * colBytes;
    for (let a = 0; a < na; a += 4) {
      const v0 = V + <usize>a * colBytes;
      const v1 = v0 + colBytes;
      const v2 = v1 + colBytes;
      const v3 = v2 + colBytes;
      let s0 = v128.splat<T>(<T>0);
      let s1 = s0;
      let s2 = s0;
      let s3 = s0;
      for (let o = start; o < end; o += 16) {
        const y0 = v128.load(x0 + o);
        s0 = v128.add<T>(s0, v128.mul<T>(v128.load(v0 + o), y0));
        s1 = v128.add<T>(s1, v128.mul<T>(v128.load(v1 + o), y0));
        s2 = v128.add<T>(s2, v128.mul<T>(v128.load(v2 + o), y0));
        s3 = v128.add<T>(s3, v128.mul<T>(v128.load(v3 + o), y0));
      }
      const p = S + (<usize>a * ldS + <usize>c) * sz;
      store<T>(p, lanesSum<T>(s0));
      store<T>(p + rs, lanesSum<T>(s1));
      store<T>(p + 2 * rs, lanesSum<T>(s2));
      store<T>(p + 3 * rs, lanesSum<T>(s3));
    }
  }
}

/**
 * C[r, c] ← C[r, c] − Σ_a V[r, a]·S[a·ldS + c] for a < na (in increasing a), c < m, rows
 * [start, end) (bytes). Blocks of two v128 of rows × 4 columns of C held in registers.
 */
export function updateCmVS<T>(
  start: usize,
  end: usize,
  colBytes: usize,
  V: usize,
  na: i32,
  C: usize,
  m: i32,
  S: usize,
  ldS: i32,
): void {
  const sz = <usize>sizeof<T>();
  const sc = sz;
  const rs = <usize>ldS * sz;
  const end2 = start + ((end - start) & ~(<usize>31));
  let c = 0;
  for (; c + 4 <= m; c += 4) {
    const x0 = C + <usize>c * colBytes;
    const x1 = x0 + colBytes;
    const x2 = x1 + colBytes;
    const x3 = x2 + colBytes;
    const s0 = S + <usize>c * sz;
    let o = start;
    for (; o < end2; o += 32) {
      let c00 = v128.load(x0 + o);
      let c01 = v128.load(x0 + o, 16);
      let c10 = v128.load(x1 + o);
      let c11 = v128.load(x1 + o, 16);
      let c20 = v128.load(x2 + o);
      let c21 = v128.load(x2 + o, 16);
      let c30 = v128.load(x3 + o);
      let c31 = v128.load(x3 + o, 16);
      let vp = V + o;
      let sp = s0;
      for (let a = 0; a < na; a++) {
        const va = v128.load(vp);
        const vb = v128.load(vp, 16);
        let s = splatAt<T>(sp);
        c00 = v128.sub<T>(c00, v128.mul<T>(va, s));
        c01 = v128.sub<T>(c01, v128.mul<T>(vb, s));
        s = splatAt<T>(sp + sc);
        c10 = v128.sub<T>(c10, v128.mul<T>(va, s));
        c11 = v128.sub<T>(c11, v128.mul<T>(vb, s));
        s = splatAt<T>(sp + 2 * sc);
        c20 = v128.sub<T>(c20, v128.mul<T>(va, s));
        c21 = v128.sub<T>(c21, v128.mul<T>(vb, s));
        s = splatAt<T>(sp + 3 * sc);
        c30 = v128.sub<T>(c30, v128.mul<T>(va, s));
        c31 = v128.sub<T>(c31, v128.mul<T>(vb, s));
        vp += colBytes;
        sp += rs;
      }
      v128.store(x0 + o, c00);
      v128.store(x0 + o, c01, 16);
      v128.store(x1 + o, c10);
      v128.store(x1 + o, c11, 16);
      v128.store(x2 + o, c20);
      v128.store(x2 + o, c21, 16);
      v128.store(x3 + o, c30);
      v128.store(x3 + o, c31, 16);
    }
    if (o < end) {
      let c00 = v128.load(x0 + o);
      let c10 = v128.load(x1 + o);
      let c20 = v128.load(x2 + o);
      let c30 = v128.load(x3 + o);
      let vp = V + o;
      let sp = s0;
      for (let a = 0; a < na; a++) {
        const va = v128.load(vp);
        c00 = v128.sub<T>(c00, v128.mul<T>(va, splatAt<T>(sp)));
        c10 = v128.sub<T>(c10, v128.mul<T>(va, splatAt<T>(sp + sc)));
        c20 = v128.sub<T>(c20, v128.mul<T>(va, splatAt<T>(sp + 2 * sc)));
        c30 = v128.sub<T>(c30, v128.mul<T>(va, splatAt<T>(sp + 3 * sc)));
        vp += colBytes;
        sp += rs;
      }
      v128.store(x0 + o, c00);
      v128.store(x1 + o, c10);
      v128.store(x2 + o, c20);
      v128.store(x3 + o, c30);
    }
  }
  for (; c < m; c++) {
    const x0 = C + <usize>c * colBytes;
    const s0 = S + <usize>c * sz;
    for (let o = start; o < end; o += 16) {
      let c00 = v128.load(x0 + o);
      let vp = V + o;
      let sp = s0;
      for (let a = 0; a < na; a++) {
        c00 = v128.sub<T>(c00, v128.mul<T>(v128.load(vp), splatAt<T>(sp)));
        vp += colBytes;
        sp += rs;
      }
      v128.store(x0 + o, c00);
    }
  }
}

/** dst[r] = src[r] for rows [from, ld): scalar up to a multiple of 4, then v128 chunks. */
// @ts-ignore: decorator
@inline function copyRows<T>(from: i32, ld: i32, src: usize, dst: usize): void {
  const sh = alignof<T>();
  const a4 = (from + 3) & ~3;
  for (let r = from; r < a4; r++) store<T>(dst + (<usize>r << sh), load<T>(src + (<usize>r << sh)));
  const end = <usize>ld << sh;
  for (let o = <usize>a4 << sh; o < end; o += 16) v128.store(dst + o, v128.load(src + o));
}

/**
 * col[r] = f·col[r] for rows [from, n): scalar up to a multiple of 4, then v128 chunks to ld;
 * the padding rows n..ld are then reset to +0 (f·0 may be −0).
 */
// @ts-ignore: decorator
@inline function scaleRows<T>(from: i32, n: i32, ld: i32, col: usize, f: T): void {
  const sh = alignof<T>();
  const a4 = (from + 3) & ~3;
  for (let r = from; r < a4; r++) {
    const at = col + (<usize>r << sh);
    store<T>(at, load<T>(at) * f);
  }
  const fv = v128.splat<T>(f);
  const end = <usize>ld << sh;
  for (let o = <usize>a4 << sh; o < end; o += 16) v128.store(col + o, v128.mul<T>(v128.load(col + o), fv));
  for (let r = max(n, from); r < ld; r++) store<T>(col + (<usize>r << sh), <T>0);
}

/**
 * Copies the reflectors of columns j0..j0+jb−1 (below the diagonal of Q) into V with explicit
 * 1 and zeros from row r0; columns jb..na−1 of V are zeroed from row r0.
 */
function loadBlock<T>(ld: i32, r0: i32, j0: i32, jb: i32, na: i32, Q: usize, V: usize): void {
  const sh = alignof<T>();
  for (let a = 0; a < na; a++) {
    const vc = V + ((<usize>a * ld) << sh);
    const j = j0 + a;
    if (a < jb) {
      const col = Q + ((<usize>j * ld) << sh);
      for (let r = r0; r < j; r++) store<T>(vc + (<usize>r << sh), <T>0);
      store<T>(vc + (<usize>j << sh), <T>1);
      copyRows<T>(j + 1, ld, col, vc);
    } else {
      memory.fill(vc + (<usize>r0 << sh), 0, <usize>(ld - r0) << sh);
    }
  }
}

/**
 * T (NB×NB, column-major, upper triangular; rows/columns jb..NB−1 zero) such that
 * H_0···H_jb−1 = I − V T Vᵀ, from G = VᵀV (row stride ldG) and tau (as LAPACK's larft).
 */
function buildT<T>(jb: i32, tau: usize, G: usize, ldG: i32, Tm: usize): void {
  const sz = <usize>sizeof<T>();
  for (let i = 0; i < NB * NB; i++) store<T>(Tm + <usize>i * sz, <T>0);
  for (let i = 0; i < jb; i++) {
    const ti = load<T>(tau + <usize>i * sz);
    store<T>(Tm + <usize>(i + i * NB) * sz, ti);
    for (let a = 0; a < i; a++) {
      let s: T = <T>0;
      for (let b = a; b < i; b++) {
        s += load<T>(Tm + <usize>(a + b * NB) * sz) * load<T>(G + (<usize>b * ldG + <usize>i) * sz);
      }
      store<T>(Tm + <usize>(a + i * NB) * sz, -ti * s);
    }
  }
}

/**
 * Makes reflector j from column j of Q (its entries below the diagonal become v_j, scaled so
 * that v_j(j) = 1), puts R_jj on the diagonal, writes tau[j] and logs[j] = log|R_jj|, returns tau_j.
 */
// @ts-ignore: decorator
@inline function reflector<T>(n: i32, ld: i32, j: i32, col: usize, tau: usize, logs: usize): T {
  const sh = alignof<T>();
  const alpha = load<T>(col + (<usize>j << sh));
  // xnorm2: rows j+1.. up to a multiple of 4 one by one, then v128 chunks to ld (zero padding).
  const a4 = (j + 4) & ~3;
  let xnorm2: T = <T>0;
  for (let r = j + 1; r < a4; r++) {
    const x = load<T>(col + (<usize>r << sh));
    xnorm2 += x * x;
  }
  let acc = v128.splat<T>(<T>0);
  const end = <usize>ld << sh;
  for (let o = <usize>a4 << sh; o < end; o += 16) {
    const x = v128.load(col + o);
    acc = v128.add<T>(acc, v128.mul<T>(x, x));
  }
  xnorm2 += lanesSum<T>(acc);
  let t: T = <T>0;
  let beta = alpha;
  if (xnorm2 != <T>0) {
    const norm = <T>sqrt<T>(alpha * alpha + xnorm2);
    beta = alpha >= <T>0 ? -norm : norm;
    t = (beta - alpha) / beta;
    scaleRows<T>(j + 1, n, ld, col, <T>1 / (alpha - beta));
  }
  store<T>(col + (<usize>j << sh), beta); // R_jj (the diagonal is never read as part of v_j)
  store<T>(tau + (<usize>j << sh), t);
  store<f64>(logs + (<usize>j << 3), Math.log(Math.abs(<f64>beta)));
  return t;
}

/** Copies reflector j (below the diagonal of column j) into v, with 1 at j and zeros from j & ~3. */
function loadReflector<T>(ld: i32, j: i32, Q: usize, v: usize): void {
  const sh = alignof<T>();
  const col = Q + ((<usize>j * ld) << sh);
  for (let r = j & ~3; r < j; r++) store<T>(v + (<usize>r << sh), <T>0);
  store<T>(v + (<usize>j << sh), <T>1);
  copyRows<T>(j + 1, ld, col, v);
}

/** Copies the upper triangle of the factored frame (R, k×k column-major) into R when R ≠ 0. */
function copyR<T>(ld: i32, k: i32, Q: usize, R: usize): void {
  if (R == 0) return;
  const sh = alignof<T>();
  for (let j = 0; j < k; j++) {
    const col = Q + ((<usize>j * ld) << sh);
    const out = R + ((<usize>j * k) << sh);
    for (let i = 0; i <= j; i++) store<T>(out + (<usize>i << sh), load<T>(col + (<usize>i << sh)));
    for (let i = j + 1; i < k; i++) store<T>(out + (<usize>i << sh), <T>0);
  }
}

/** Unblocked Householder (geqr2 + org2r) for narrow or small frames (k ≤ SMALL_K or n ≤ SMALL_N). */
function householderSmall<T>(
  n: i32,
  ld: i32,
  k: i32,
  Q: usize,
  v: usize,
  tau: usize,
  logs: usize,
  R: usize,
): void {
  const sh = alignof<T>();
  const colBytes = <usize>ld << sh;
  for (let j = 0; j < k; j++) {
    const t = reflector<T>(n, ld, j, Q + <usize>j * colBytes, tau, logs);
    if (j + 1 < k) {
      loadReflector<T>(ld, j, Q, v);
      applyReflector<T>(ld, <usize>(j & ~3) << sh, colBytes, j + 1, k, t, Q, v);
    }
  }
  copyR<T>(ld, k, Q, R);
  for (let j = k - 1; j >= 0; j--) {
    const col = Q + <usize>j * colBytes;
    const t = load<T>(tau + (<usize>j << sh));
    if (j + 1 < k) {
      loadReflector<T>(ld, j, Q, v);
      applyReflector<T>(ld, <usize>(j & ~3) << sh, colBytes, j + 1, k, t, Q, v);
    }
    memory.fill(col, 0, <usize>j << sh);
    store<T>(col + (<usize>j << sh), <T>1 - t);
    scaleRows<T>(j + 1, n, ld, col, -t);
  }
}

/**
 * dst[c] = Σ_{b0 ≤ b < b1} f_b·src[b·rs + c] for c < m, with f_b = coef[b·cs] (strides in
 * bytes; b in increasing order; v128 chunks over c, then the last columns one by one). dst
 * may be one of the rows read: each column is read before it is written.
 */
function combineRows<T>(m: i32, dst: usize, src: usize, rs: usize, coef: usize, cs: usize, b0: i32, b1: i32): void {
  const sz = <usize>sizeof<T>();
  const mv = m & ~(16 / <i32>sz - 1);
  const endv = <usize>mv * sz;
  for (let o: usize = 0; o < endv; o += 16) {
    let acc = v128.splat<T>(<T>0);
    for (let b = b0; b < b1; b++) {
      const f = v128.splat<T>(load<T>(coef + <usize>b * cs));
      acc = v128.add<T>(acc, v128.mul<T>(f, v128.load(src + <usize>b * rs + o)));
    }
    v128.store(dst + o, acc);
  }
  for (let c = mv; c < m; c++) {
    let acc: T = <T>0;
    for (let b = b0; b < b1; b++) {
      acc += load<T>(coef + <usize>b * cs) * load<T>(src + <usize>b * rs + <usize>c * sz);
    }
    store<T>(dst + <usize>c * sz, acc);
  }
}

/**
 * Start of thread tid's columns of the m trailing columns after a block, in units of 4. With
 * `ahead` > 0 (the factorisation), thread 0 factors the next panel (its first `ahead` columns)
 * while the others update theirs: it owns at least those columns, and about PANEL_WORK columns
 * fewer than a fair share otherwise. Every column is computed as with one thread whatever the split.
 */
function trailingStart(m: i32, ahead: i32, tid: i32, nt: i32): i32 {
  if (tid <= 0) return 0;
  if (tid >= nt) return m;
  if (ahead == 0) return partStart(m, 4, tid, nt);
  const own = min(m, (ahead + 3) & ~3);
  return min(m, max(own, partStart(m + PANEL_WORK, 4, tid, nt) - PANEL_WORK));
}

/** Factoring a panel costs about as much as updating this many trailing columns. */
// @ts-ignore: decorator
@inline const PANEL_WORK: i32 = 8;

/**
 * Factors the panel of block j0 (jb columns) on one thread: reflectors into Q and V, tau and
 * logs written, G = VᵀV (row stride NB) and then T of the block (Tm).
 */
function factorPanel<T>(
  n: i32, ld: i32, j0: i32, jb: i32, Q: usize, V: usize, G: usize, Tm: usize, tau: usize, logs: usize,
): void {
  const sh = alignof<T>();
  const colBytes = <usize>ld << sh;
  const end = colBytes;
  const na = (jb + 3) & ~3;
  const r0 = j0 & ~3;
  const start = <usize>r0 << sh;
  for (let j = j0; j < j0 + jb; j++) {
    const col = Q + <usize>j * colBytes;
    const t = reflector<T>(n, ld, j, col, tau, logs);
    // Reflector into V (column j − j0), then applied to the rest of the block.
    const vc = V + <usize>(j - j0) * colBytes;
    for (let r = r0; r < j; r++) store<T>(vc + (<usize>r << sh), <T>0);
    store<T>(vc + (<usize>j << sh), <T>1);
    copyRows<T>(j + 1, ld, col, vc);
    if (j + 1 < j0 + jb) {
      applyReflector<T>(ld, <usize>(j & ~3) << sh, end, j + 1, j0 + jb, t, Q, vc);
    }
  }
  for (let a = jb; a < na; a++) memory.fill(V + <usize>a * colBytes + start, 0, end - start);
  productVtC<T>(start, end, colBytes, V, na, V, na, G, NB);
  buildT<T>(jb, tau + (<usize>j0 << sh), G, NB, Tm);
}

/**
 * Orthonormalises Q in place and writes logs[j] = log|R_jj| (see the file header); with R ≠ 0
 * also writes the triangular factor there (k×k column-major, zero below the diagonal). With a
 * team, the trailing updates (S = VᵀC, S ← TᵀS or TS, C ← C − V S) are split by columns of C
 * in units of 4 (every column computed as with one thread); thread 0 factors each panel while
 * the others finish the previous block's trailing update (it owns the panel's columns); when Q
 * is formed, the block's own columns are split like the later ones (in units of 4, each thread
 * computing its columns of M = T V1ᵀ). Each block has one barrier: the team alternates between
 * two copies of V (the second after the T matrices in the scratch), so thread 0 fills one while
 * the others read the other. The unblocked algorithm runs on thread 0.
 */
export function householderQR<T>(
  n: i32,
  ld: i32,
  k: i32,
  Q: usize,
  v: usize,
  tau: usize,
  logs: usize,
  R: usize,
  tid: i32,
  nt: i32,
  team: usize,
): void {
  const sh = alignof<T>();
  const sz = <usize>sizeof<T>();
  const colBytes = <usize>ld << sh;
  const end = colBytes;
  const S = v + <usize>NB * colBytes;
  const ldS = max(k, NB);
  const rs = <usize>ldS * sz;
  const Tall = S + <usize>(NB * ldS) * sz;
  const blocks = (k + NB - 1) / NB;
  const G = Tall + <usize>(NB * NB * max(blocks, 1)) * sz; // VᵀV of a panel, then M (NB×NB)
  const V2 = G + <usize>(NB * NB) * sz;
  // A QR ends its job (assembly/jobs.ts): the main thread's join waits for the others, so
  // the last phase needs no barrier.
  if (qrUnblocked(n, k)) {
    if (tid == 0) householderSmall<T>(n, ld, k, Q, v, tau, logs, R);
    return;
  }
  // Factorisation, block by block: panel b is factored (thread 0) before barrier b, the
  // trailing update of block b after it, with panel b + 1 factored by thread 0 meanwhile.
  if (tid == 0) factorPanel<T>(n, ld, 0, min(NB, k), Q, v, G, Tall, tau, logs);
  for (let b = 0; b < blocks; b++) {
    const j0 = b * NB;
    const jb = min(NB, k - j0);
    const na = (jb + 3) & ~3;
    const start = <usize>(j0 & ~3) << sh;
    const Tm = Tall + <usize>(j0 * NB) * sz;
    const V = team != 0 && (b & 1) != 0 ? V2 : v;
    barrier(team);
    const m = k - j0 - jb;
    const ahead = min(NB, m);
    const c0 = trailingStart(m, ahead, tid, nt);
    const mc = trailingStart(m, ahead, tid + 1, nt) - c0;
    if (mc > 0) {
      const C = Q + <usize>(j0 + jb + c0) * colBytes;
      const Sc = S + <usize>c0 * sz;
      productVtC<T>(start, end, colBytes, V, na, C, mc, Sc, ldS);
      // S ← Tᵀ S, in place: row a = Σ_{b ≤ a} T[b, a]·row b (descending a).
      for (let a = na - 1; a >= 0; a--) {
        combineRows<T>(mc, Sc + <usize>a * rs, Sc, rs, Tm + <usize>(a * NB) * sz, sz, 0, a + 1);
      }
      updateCmVS<T>(start, end, colBytes, V, na, C, mc, Sc, ldS);
    }
    if (tid == 0 && ahead > 0) {
      const next = team != 0 && (b & 1) == 0 ? V2 : v;
      factorPanel<T>(n, ld, j0 + NB, ahead, Q, next, G, Tm + <usize>(NB * NB) * sz, tau, logs);
    }
  }
  if (tid == 0) copyR<T>(ld, k, Q, R);
  // Formation of Q = H_0···H_k−1 [I_k; 0], last block first: thread 0 copies block b's
  // reflectors into V before barrier b, then everyone updates its part of the later columns and
  // forms its part of the block's own columns (which the update of block b − 1 reads, after
  // the next barrier).
  for (let b = blocks - 1; b >= 0; b--) {
    const j0 = b * NB;
    const jb = min(NB, k - j0);
    const na = (jb + 3) & ~3;
    const r0 = j0 & ~3;
    const start = <usize>r0 << sh;
    const Tm = Tall + <usize>(j0 * NB) * sz;
    const V = team != 0 && (b & 1) != 0 ? V2 : v;
    if (tid == 0) loadBlock<T>(ld, r0, j0, jb, na, Q, V);
    barrier(team);
    const m = k - j0 - jb;
    const c0 = trailingStart(m, 0, tid, nt);
    const mc = trailingStart(m, 0, tid + 1, nt) - c0;
    if (mc > 0) {
      const C = Q + <usize>(j0 + jb + c0) * colBytes;
      const Sc = S + <usize>c0 * sz;
      productVtC<T>(start, end, colBytes, V, na, C, mc, Sc, ldS);
      // S ← T S, in place: row a = Σ_{b ≥ a} T[a, b]·row b (ascending a).
      for (let a = 0; a < na; a++) {
        combineRows<T>(mc, Sc + <usize>a * rs, Sc, rs, Tm + <usize>a * sz, <usize>NB * sz, a, na);
      }
      updateCmVS<T>(start, end, colBytes, V, na, C, mc, Sc, ldS);
    }
    // Own columns o0..o0+mo−1 of the block: E − V M with M = T V1ᵀ (V1 = rows j0..j0+jb−1 of
    // V; M in G, each thread its own columns of it): row a of M = Σ_{b ≥ a} T[a, b]·(row b of
    // V1ᵀ = V[j0.., b]).
    const o0 = partStart(jb, 4, tid, nt);
    const mo = partStart(jb, 4, tid + 1, nt) - o0;
    if (mo <= 0) continue;
    const rsM = <usize>NB * sz;
    const Mo = G + <usize>o0 * sz;
    for (let a = 0; a < na; a++) {
      const V1 = V + (<usize>(j0 + o0) << sh);
      combineRows<T>(mo, Mo + <usize>a * rsM, V1, colBytes, Tm + <usize>a * sz, <usize>NB * sz, a, na);
    }
    for (let c = o0; c < o0 + mo; c++) {
      const col = Q + <usize>(j0 + c) * colBytes;
      memory.fill(col, 0, <usize>n << sh);
      store<T>(col + (<usize>(j0 + c) << sh), <T>1);
    }
    updateCmVS<T>(start, end, colBytes, V, na, Q + <usize>(j0 + o0) * colBytes, mo, Mo, NB);
  }
}
