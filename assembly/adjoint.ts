// Adjoint (reverse mode) of the spectrum computation, one step or one QR at a time, walking the
// trajectory backwards. Conventions of the forward pass (docs/design.md#3-model-and-conventions):
// a = 1 − dt, b = dt,
//   h' = a h + b W φ(h),   Q̃ = a Q + b W (d ⊙ Q) with d = φ'(h),   Q̃ = Q' R (Householder).
// Cotangents (ḣ, Q̄) of (h', Q̃) in the adjoint buffers become those of (h, Q):
//   z = Wᵀ ḣ,  Z = Wᵀ Q̄,  e = b z (cotangent of φ(h)),  f_i = b Σ_j Q_ij Z_ij (of φ'(h_i)),
//   ḣ ← a ḣ + e ⊙ φ' + f ⊙ φ'',   Q̄ ← a Q̄ + b d ⊙ Z,
//   W̄ += b (ḣ φᵀ + Q̄ (d ⊙ Q)ᵀ),   ḡ_i += e_i ∂φ/∂g + f_i ∂φ'/∂g,   s̄_i likewise.
// QR: with c_j = ∂L/∂log|R_jj| (so R̄ = diag(c_j / R_jj)) and M = R R̄ᵀ − Q̄ᵀ Q' (only its lower
// triangle is needed), the cotangent of Q̃ is [Q̄ + Q' copyltu(M)] R⁻ᵀ.
// Wᵀ is kept transposed (WT) so that both products run through the forward kernels. Buffers
// are column-major with leading dimension ld like the forward ones; gradients per neuron.
// W̄ is updated in batches: each step appends its k + 1 columns (b ḣ, b Q̄ before the step's
// update; φ, d ⊙ Q) to U (ld×K, row quads) and V (ld×K, panels of PW rows of W̄'s columns);
// when BATCH steps are buffered, or the gradients are read (adjointFlush), one register-blocked
// product W̄ += U Vᵀ adds them, κ in step order, so the sums are those of a per-step update
// (U and V: 2·ld·(k + 1)·BATCH values). z = Wᵀ ḣ and Z = Wᵀ Q̄ come from one panel product
// over [ḣ, Q̄] (hbar|Qbar and z|Z contiguous); transient steps (k = 0) use matvec1 for z.
// Cost per step: 2·ld·ld·(k + 1) flops for W̄ plus 2·ld·ld·PW·⌈(k + 1)/PW⌉ for [z, Z]
// (4·ld·ld for a transient step); per QR about 2·n·k² flops.
// Sparse mode (ws.sparse): W̄ is only needed on the nonzeros of W (the gradient of the existing
// connections), so no WT, W̄, U, V are allocated; each step packs [ḣ, Q̄] (before its update) and
// [φ, d ⊙ Q] row-major (ws.Xr, ws.Xb) and adds W̄_e += b Σ_c [ḣ, Q̄][i, c] [φ, d ⊙ Q][l, c] for each
// nonzero e = (i, l) (ws.Wbs, in W's CSR order; transient steps: b ḣ_i φ_l); [z, Z] = Wᵀ [ḣ, Q̄]
// by csrProduct over Wᵀ's CSR. Cost per step: about 4·nnz·kp flops.

import { ActivationCode } from "./abi";
import { activate, tanhSech2 } from "./activation";
import { matvec1 } from "./matvec";
import { csrMatvec, csrOuterAdd, csrProduct, packRows } from "./sparse";
import { barrier, partStart, ROW_UNIT } from "./team";
import { pack, panelProduct } from "./tangent";
import { lanesSum, panelWidth } from "./simd";
import { rowBuffer, Workspace, zeroed } from "./workspace";

/** The adjoint buffers of a workspace. */
@unmanaged export class Adjoint {
  WT: usize = 0; // ld×ld, WT[pre·ld + post] = W[post·ld + pre]
  hbar: usize = 0; // ld, followed by Qbar
  Qbar: usize = 0; // k×ld
  z: usize = 0; // ld, Wᵀ ḣ, followed by Z
  Z: usize = 0; // k×ld, Wᵀ Q̄
  X: usize = 0; // [ḣ, Q̄] packed like the tangent's X: ⌈(k + 1)/PW⌉ panels of ld×PW
  Wbar: usize = 0; // ld×ld, like W
  gbar: usize = 0; // ld
  sbar: usize = 0; // ld
  ones: usize = 0; // ld
  f: usize = 0; // ld
  M: usize = 0; // k×k
  Up: usize = 0; // U, row quads: Up[((i/4)·kmax + κ)·4 + i%4] = U[i, κ]
  Vp: usize = 0; // V in panels of PW: Vp[(p·kmax + κ)·PW + c] = V[p·PW + c, κ]
  kmax: i32 = 0; // columns of U and V: (k + 1)·BATCH
  used: i32 = 0; // columns buffered, not yet in W̄
}

/** Allocates (once) and resets the adjoint buffers: WT = Wᵀ, every cotangent and gradient 0. */
export function adjointBegin<T>(ptr: usize): void {
  const ws = changetype<Workspace>(ptr);
  const ld = <usize>ws.ld;
  const k = <usize>max(ws.k, 1);
  const sz = <usize>sizeof<T>();
  if (ws.adj == 0) {
    const ad = changetype<Adjoint>(zeroed(offsetof<Adjoint>()));
    ad.hbar = zeroed((k + 1) * ld * sz);
    ad.Qbar = ad.hbar + ld * sz;
    ad.z = zeroed((k + 1) * ld * sz);
    ad.Z = ad.z + ld * sz;
    const pw = <usize>panelWidth<T>();
    ad.X = zeroed((k + pw) / pw * pw * ld * sz);
    ad.gbar = zeroed(ld * sz);
    ad.sbar = zeroed(ld * sz);
    ad.ones = zeroed(ld * sz);
    ad.kmax = (ws.k + 1) * BATCH;
    ad.f = zeroed(ld * sz);
    ad.M = zeroed(k * k * sz);
    ws.adj = changetype<usize>(ad);
  }
  const ad = changetype<Adjoint>(ws.adj);
  const sh = alignof<T>();
  if (ws.sparse) memory.fill(ws.Wbs, 0, <usize>ws.nnz * sz);
  else {
    // The dense buffers, on the first dense pass.
    if (ad.WT == 0) {
      const pw = <usize>panelWidth<T>();
      ad.WT = zeroed(ld * ld * sz);
      ad.Wbar = zeroed(ld * ld * sz);
      ad.Up = zeroed(<usize>ad.kmax * ld * sz);
      ad.Vp = zeroed(<usize>ad.kmax * ((ld + pw - 1) / pw) * pw * sz);
    }
    for (let i: usize = 0; i < ld; i++) {
      for (let j: usize = 0; j < ld; j++) {
        store<T>(ad.WT + ((j * ld + i) << sh), load<T>(ws.W + ((i * ld + j) << sh)));
      }
    }
    memory.fill(ad.Wbar, 0, ld * ld * sz);
  }
  for (let i = 0; i < ws.n; i++) store<T>(ad.ones + (<usize>i << sh), <T>1);
  memory.fill(ad.hbar, 0, ld * sz);
  memory.fill(ad.Qbar, 0, k * ld * sz);
  memory.fill(ad.gbar, 0, ld * sz);
  memory.fill(ad.sbar, 0, ld * sz);
  ad.used = 0;
}

/** Frees the adjoint buffers of a workspace (if any). */
export function adjointFree(ptr: usize): void {
  const ws = changetype<Workspace>(ptr);
  if (ws.adj == 0) return;
  const ad = changetype<Adjoint>(ws.adj);
  if (ad.WT != 0) {
    heap.free(ad.WT);
    heap.free(ad.Wbar);
    heap.free(ad.Up);
    heap.free(ad.Vp);
  }
  heap.free(ad.hbar);
  heap.free(ad.z);
  heap.free(ad.X);
  heap.free(ad.gbar);
  heap.free(ad.sbar);
  heap.free(ad.ones);
  heap.free(ad.f);
  heap.free(ad.M);
  heap.free(ws.adj);
  ws.adj = 0;
}

/** Steps whose W̄ terms are buffered before one product flushes them into W̄. */
const BATCH = 16;

/** Appends column κ of U: rows i..i+3 of b·x to each row quad (ld rows). */
function appendU<T>(ld: i32, kmax: i32, Up: usize, kap: i32, x: usize, b: T): void {
  const sh = alignof<T>();
  const bv = v128.splat<T>(b);
  const quad = <usize>4 << sh;
  let dst = Up + ((<usize>kap * 4) << sh);
  const stride = (<usize>kmax * 4) << sh;
  const end = x + (<usize>ld << sh);
  for (; x < end; x += quad, dst += stride) {
    v128.store(dst, v128.mul<T>(bv, v128.load(x)));
    if (sizeof<T>() == 8) v128.store(dst, v128.mul<T>(bv, v128.load(x, 16)), 16);
  }
}

/**
 * Appends column κ of V to its panels: x (ld values), times y if y ≠ 0 (elementwise); the
 * columns of a last partial panel (f32, ld ≡ 4 mod 8) are left zero.
 */
function appendV<T>(ld: i32, kmax: i32, Vp: usize, kap: i32, x: usize, y: usize): void {
  const sh = alignof<T>();
  const pw = panelWidth<T>();
  const step = <usize>pw << sh; // one panel row
  let dst = Vp + <usize>kap * step;
  const stride = <usize>kmax * step;
  const end = <usize>ld << sh;
  for (let o: usize = 0; o < end; o += 16) {
    let v = v128.load(x + o);
    if (y != 0) v = v128.mul<T>(v, v128.load(y + o));
    v128.store(dst + o % step, v);
    if ((o + 16) % step == 0) dst += stride;
  }
}

/**
 * W̄ += U Vᵀ over the K buffered columns for the rows [i0, i1) of W̄ (multiples of 4): four
 * rows × one panel of W̄ in eight v128 accumulators (started from W̄), κ in increasing order,
 * each U value broadcast by load_splat (κ unrolled by two). 2·ld·(i1 − i0)·K flops.
 */
function flush<T>(i0: i32, i1: i32, ld: i32, ad: Adjoint, K: i32): void {
  if (K == 0) return;
  const kmax = <usize>ad.kmax;
  const pw = panelWidth<T>();
  const sh = alignof<T>();
  const sz = <usize>sizeof<T>();
  const row = <usize>ld << sh;
  const panels = (ld + pw - 1) / pw;
  const panelBytes = (kmax * pw) << sh;
  const uEnd = (<usize>K * 4) << sh;
  for (let i = i0; i < i1; i += 4) {
    const u0 = ad.Up + ((<usize>i * kmax) << sh);
    const w0 = ad.Wbar + <usize>i * row;
    for (let p = 0; p < panels; p++) {
      const w = w0 + ((<usize>(p * pw)) << sh);
      const full = p * pw + pw <= ld;
      let a00 = v128.load(w);
      let a10 = v128.load(w + row);
      let a20 = v128.load(w + 2 * row);
      let a30 = v128.load(w + 3 * row);
      let a01 = a00;
      let a11 = a00;
      let a21 = a00;
      let a31 = a00;
      if (full) {
        a01 = v128.load(w, 16);
        a11 = v128.load(w + row, 16);
        a21 = v128.load(w + 2 * row, 16);
        a31 = v128.load(w + 3 * row, 16);
      }
      let x = ad.Vp + <usize>p * panelBytes;
      let u = u0;
      let x0: v128, x1: v128, s: v128;
      // κ two at a time, then the last one if K is odd.
      for (; u + 8 * sz <= u0 + uEnd; u += 8 * sz) {
        x0 = v128.load(x, 0);
        x1 = v128.load(x, 16);
        s = v128.load_splat<T>(u, 0 * sizeof<T>());
        a00 = v128.add<T>(a00, v128.mul<T>(s, x0));
        a01 = v128.add<T>(a01, v128.mul<T>(s, x1));
        s = v128.load_splat<T>(u, 1 * sizeof<T>());
        a10 = v128.add<T>(a10, v128.mul<T>(s, x0));
        a11 = v128.add<T>(a11, v128.mul<T>(s, x1));
        s = v128.load_splat<T>(u, 2 * sizeof<T>());
        a20 = v128.add<T>(a20, v128.mul<T>(s, x0));
        a21 = v128.add<T>(a21, v128.mul<T>(s, x1));
        s = v128.load_splat<T>(u, 3 * sizeof<T>());
        a30 = v128.add<T>(a30, v128.mul<T>(s, x0));
        a31 = v128.add<T>(a31, v128.mul<T>(s, x1));
        x0 = v128.load(x, 32);
        x1 = v128.load(x, 48);
        s = v128.load_splat<T>(u, 4 * sizeof<T>());
        a00 = v128.add<T>(a00, v128.mul<T>(s, x0));
        a01 = v128.add<T>(a01, v128.mul<T>(s, x1));
        s = v128.load_splat<T>(u, 5 * sizeof<T>());
        a10 = v128.add<T>(a10, v128.mul<T>(s, x0));
        a11 = v128.add<T>(a11, v128.mul<T>(s, x1));
        s = v128.load_splat<T>(u, 6 * sizeof<T>());
        a20 = v128.add<T>(a20, v128.mul<T>(s, x0));
        a21 = v128.add<T>(a21, v128.mul<T>(s, x1));
        s = v128.load_splat<T>(u, 7 * sizeof<T>());
        a30 = v128.add<T>(a30, v128.mul<T>(s, x0));
        a31 = v128.add<T>(a31, v128.mul<T>(s, x1));
        x += 64;
      }
      if (u < u0 + uEnd) {
        x0 = v128.load(x, 0);
        x1 = v128.load(x, 16);
        s = v128.load_splat<T>(u, 0 * sizeof<T>());
        a00 = v128.add<T>(a00, v128.mul<T>(s, x0));
        a01 = v128.add<T>(a01, v128.mul<T>(s, x1));
        s = v128.load_splat<T>(u, 1 * sizeof<T>());
        a10 = v128.add<T>(a10, v128.mul<T>(s, x0));
        a11 = v128.add<T>(a11, v128.mul<T>(s, x1));
        s = v128.load_splat<T>(u, 2 * sizeof<T>());
        a20 = v128.add<T>(a20, v128.mul<T>(s, x0));
        a21 = v128.add<T>(a21, v128.mul<T>(s, x1));
        s = v128.load_splat<T>(u, 3 * sizeof<T>());
        a30 = v128.add<T>(a30, v128.mul<T>(s, x0));
        a31 = v128.add<T>(a31, v128.mul<T>(s, x1));
      }
      v128.store(w, a00);
      v128.store(w + row, a10);
      v128.store(w + 2 * row, a20);
      v128.store(w + 3 * row, a30);
      if (full) {
        v128.store(w, a01, 16);
        v128.store(w + row, a11, 16);
        v128.store(w + 2 * row, a21, 16);
        v128.store(w + 3 * row, a31, 16);
      }
    }
  }
}

/**
 * Adds the buffered W̄ terms into W̄ (before reading the gradients) and empties the buffers;
 * thread tid of nt adds its rows of W̄.
 */
export function adjointFlush<T>(ptr: usize, tid: i32, nt: i32, team: usize): void {
  const ws = changetype<Workspace>(ptr);
  if (ws.adj == 0) return;
  const ad = changetype<Adjoint>(ws.adj);
  const K = ad.used;
  flush<T>(partStart(ws.ld, ROW_UNIT, tid, nt), partStart(ws.ld, ROW_UNIT, tid + 1, nt), ws.ld, ad, K);
  barrier(team); // every thread has read ad.used
  if (tid == 0) ad.used = 0;
}

/**
 * Dense part of a step for thread tid (rows [l0, l1) of the ld-row buffers): W̄'s columns (b ḣ,
 * b Q̄ before the update; φ, d ⊙ Q) appended to U and V (flushed first when full), then
 * z = Wᵀ ḣ (k = 0) or [z, Z] = Wᵀ [ḣ, Q̄] in one pass over Wᵀ, each thread its rows of z, Z.
 */
function denseProducts<T>(
  ws: Workspace, ad: Adjoint, QT: usize, k: i32, b: T, l0: i32, l1: i32, tid: i32, team: usize,
): void {
  const n = ws.n;
  const ld = ws.ld;
  const sh = alignof<T>();
  const col = <usize>ld << sh;
  const used = ad.used; // read by every thread before the barrier below, written after it
  const full = used + k + 1 > ad.kmax;
  if (full) flush<T>(l0, l1, ld, ad, used);
  const kap = full ? 0 : used;
  barrier(team);
  if (tid == 0) ad.used = kap + k + 1;
  const pw = <usize>panelWidth<T>();
  const at = <usize>l0 << sh;
  const Up = ad.Up + <usize>(l0 / 4) * ((<usize>ad.kmax * 4) << sh);
  const Vp = ad.Vp + <usize>l0 / pw * ((<usize>ad.kmax * pw) << sh);
  const rows = l1 - l0;
  appendU<T>(rows, ad.kmax, Up, kap, ad.hbar + at, b);
  appendV<T>(rows, ad.kmax, Vp, kap, ws.phi + at, 0);
  for (let j = 0; j < k; j++) {
    appendU<T>(rows, ad.kmax, Up, kap + 1 + j, ad.Qbar + <usize>j * col + at, b);
    appendV<T>(rows, ad.kmax, Vp, kap + 1 + j, QT + <usize>j * col + at, ws.dphi + at);
  }
  if (k == 0) {
    const r0 = min(l0, n);
    const r1 = min(l1, n);
    const row = <usize>ld << sh;
    const o = <usize>r0 << sh;
    matvec1<T>(r1 - r0, ld, ad.WT + <usize>r0 * row, ad.hbar, ad.z + o, ad.z + o, <T>0, <T>1);
  } else {
    const panels = (k + <i32>pw) / <i32>pw;
    pack<T>(l0, l1, n, ld, k + 1, panels, ad.ones, ad.hbar, ad.X);
    barrier(team);
    panelProduct<T>(l0, l1, ld, k + 1, panels, ad.WT, ad.X, ad.z, <T>0, <T>1);
  }
}

/**
 * Sparse part of a step (see the file header) for thread tid (rows [r0, r1)): W̄ on the
 * nonzeros of its rows of W, then its rows of z = Wᵀ ḣ (k = 0) or [z, Z] = Wᵀ [ḣ, Q̄] through
 * the CSR of Wᵀ.
 */
function sparseProducts<T>(
  ws: Workspace, ad: Adjoint, QT: usize, k: i32, b: T, r0: i32, r1: i32, tid: i32, team: usize,
): void {
  const ld = ws.ld;
  const sh = alignof<T>();
  const at = <usize>r0 << sh;
  const rows = r1 - r0;
  if (k == 0) {
    // W̄_e += b ḣ_i φ_l, entries in CSR order.
    let e = load<i32>(ws.rowPtr + (<usize>r0 << 2));
    for (let i = r0; i < r1; i++) {
      const end = load<i32>(ws.rowPtr + ((<usize>i + 1) << 2));
      const u = b * load<T>(ad.hbar + (<usize>i << sh));
      for (; e < end; e++) {
        const w = ws.Wbs + (<usize>e << sh);
        const l = load<i32>(ws.colIdx + (<usize>e << 2));
        store<T>(w, load<T>(w) + u * load<T>(ws.phi + (<usize>l << sh)));
      }
    }
    csrMatvec<T>(rows, ws.rowPtrT + (<usize>r0 << 2), ws.colIdxT, ws.valuesT, ad.hbar, ad.z + at, ad.z + at, <T>0, <T>1);
    return;
  }
  const kp = ws.kp;
  const packed = <usize>r0 * (<usize>kp << sh);
  packRows<T>(rows, ld, k + 1, kp, 0, 0, ad.hbar + at, ws.Xr + packed);
  packRows<T>(rows, ld, 1, kp, 0, 0, ws.phi + at, ws.Xb + packed);
  packRows<T>(rows, ld, k, kp, 1, ws.dphi + at, QT + at, ws.Xb + packed);
  barrier(team);
  csrOuterAdd<T>(rows, kp, ws.rowPtr + (<usize>r0 << 2), ws.colIdx, ws.Xr + packed, ws.Xb, ws.Wbs, b);
  const y = rowBuffer<T>(ws, tid);
  csrProduct<T>(rows, ld, k + 1, kp, ws.rowPtrT + (<usize>r0 << 2), ws.colIdxT, ws.valuesT, ws.Xr, y, ad.z + at, <T>0, <T>1);
}

/**
 * One step backwards (see the file header) at the stored pre-step state hT (ld) and frame QT
 * (k×ld; ignored when tangent = 0, a state-only step of the transient); thread tid of nt
 * computes its rows of every output.
 */
export function adjointStep<T>(ptr: usize, hT: usize, QT: usize, tangent: i32, tid: i32, nt: i32, team: usize): void {
  const ws = changetype<Workspace>(ptr);
  const ad = changetype<Adjoint>(ws.adj);
  const n = ws.n;
  const ld = ws.ld;
  const k = tangent ? ws.k : 0;
  const a = 1 - ws.dt;
  const b = ws.dt;
  const sh = alignof<T>();
  const col = <usize>ld << sh;
  const r0 = partStart(n, ROW_UNIT, tid, nt);
  const r1 = partStart(n, ROW_UNIT, tid + 1, nt);
  const l0 = partStart(ld, ROW_UNIT, tid, nt);
  const l1 = partStart(ld, ROW_UNIT, tid + 1, nt);
  const at = <usize>r0 << sh;
  activate<T>(r1 - r0, ws.act, hT + at, ws.gains + at, ws.shifts + at, ws.phi + at, ws.dphi + at);
  memory.fill(ad.f + (<usize>l0 << sh), 0, <usize>(l1 - l0) << sh);
  barrier(team); // φ of every row (the products read all of it)
  if (ws.sparse) sparseProducts<T>(ws, ad, QT, k, <T>b, r0, r1, tid, team);
  else denseProducts<T>(ws, ad, QT, k, <T>b, l0, l1, tid, team);
  barrier(team); // ḣ and Q̄ of every row read: they may change now
  if (k > 0) {
    // f += Q_j ⊙ Z_j, then Q̄_j ← a Q̄_j + b d ⊙ Z_j, for j in order (v128 over rows).
    const av = v128.splat<T>(<T>a);
    const bv = v128.splat<T>(<T>b);
    const o0 = <usize>l0 << sh;
    const o1 = <usize>l1 << sh;
    for (let j = 0; j < k; j++) {
      const q = QT + <usize>j * col;
      const qb = ad.Qbar + <usize>j * col;
      const zj = ad.Z + <usize>j * col;
      for (let o = o0; o < o1; o += 16) {
        const zv = v128.load(zj + o);
        v128.store(ad.f + o, v128.add<T>(v128.load(ad.f + o), v128.mul<T>(v128.load(q + o), zv)));
        const d = v128.mul<T>(bv, v128.load(ws.dphi + o));
        v128.store(qb + o, v128.add<T>(v128.mul<T>(av, v128.load(qb + o)), v128.mul<T>(d, zv)));
      }
    }
  }
  // ḣ, ḡ, s̄ through the activation (in f64).
  const act = ws.act;
  const c = act == ActivationCode.tanh_pos ? 0.5 : 1.0;
  for (let i = r0; i < r1; i++) {
    const at = <usize>i << sh;
    const e = b * <f64>load<T>(ad.z + at);
    const f = b * <f64>load<T>(ad.f + at);
    const x = <f64>load<T>(hT + at);
    let g = 1.0;
    let dx = x;
    if (act != ActivationCode.tanh) {
      g = <f64>load<T>(ws.gains + at);
      dx = x - <f64>load<T>(ws.shifts + at);
    }
    const u = g * dx;
    const ts = tanhSech2(u);
    const t = f64x2.extract_lane(ts, 0);
    const S = f64x2.extract_lane(ts, 1);
    const dphi = c * g * S; // φ'
    const d2phi = -2 * c * g * g * S * t; // φ''
    store<T>(ad.hbar + at, <T>(a * <f64>load<T>(ad.hbar + at) + e * dphi + f * d2phi));
    if (act != ActivationCode.tanh) {
      // ∂φ/∂g = c (x − s) S, ∂φ'/∂g = c S (1 − 2 u t); ∂φ/∂s = −c g S, ∂φ'/∂s = 2 c g² S t.
      const gb = e * c * dx * S + f * c * S * (1 - 2 * u * t);
      const sb = -e * c * g * S + f * 2 * c * g * g * S * t;
      store<T>(ad.gbar + at, <T>(<f64>load<T>(ad.gbar + at) + gb));
      store<T>(ad.sbar + at, <T>(<f64>load<T>(ad.sbar + at) + sb));
    }
  }
}

/** Σ_r x[r] y[r] over ld rows (v128 chunks, lanes added in order). */
function dot<T>(ld: i32, x: usize, y: usize): T {
  let s = v128.splat<T>(<T>0);
  const end = <usize>ld << alignof<T>();
  for (let o: usize = 0; o < end; o += 16) s = v128.add<T>(s, v128.mul<T>(v128.load(x + o), v128.load(y + o)));
  return lanesSum<T>(s);
}

/** y += f·x over ld rows. */
function axpy<T>(ld: i32, f: T, x: usize, y: usize): void {
  const fv = v128.splat<T>(f);
  const end = <usize>ld << alignof<T>();
  for (let o: usize = 0; o < end; o += 16) v128.store(y + o, v128.add<T>(v128.load(y + o), v128.mul<T>(fv, v128.load(x + o))));
}

/**
 * QR backwards: Q̄ (cotangent of the orthonormal factor Qp, k×ld) becomes the cotangent of
 * the frame before the QR, [Q̄ + Qp copyltu(M)] R⁻ᵀ, with R (k×k column-major) and
 * c (k values, f64) = ∂L/∂log|R_jj|. Thread tid of nt computes a run of the entries of M
 * (each dot product whole), then its rows of Q̄.
 */
export function adjointQR<T>(ptr: usize, Qp: usize, R: usize, cs: usize, tid: i32, nt: i32, team: usize): void {
  const ws = changetype<Workspace>(ptr);
  const ad = changetype<Adjoint>(ws.adj);
  const ld = ws.ld;
  const k = ws.k;
  const sh = alignof<T>();
  const col = <usize>ld << sh;
  const M = ad.M;
  // Lower triangle of M = R R̄ᵀ − Q̄ᵀ Qp: (R R̄ᵀ) is upper triangular with diagonal c_j. The
  // entries are numbered column by column; this thread computes those in [e0, e1).
  const entries = k * (k + 1) / 2;
  const e0 = partStart(entries, 1, tid, nt);
  const e1 = partStart(entries, 1, tid + 1, nt);
  let e = 0;
  for (let j = 0; j < k && e < e1; j++) {
    for (let i = j; i < k; i++, e++) {
      if (e < e0 || e >= e1) continue;
      let m = -dot<T>(ld, ad.Qbar + <usize>i * col, Qp + <usize>j * col);
      if (i == j) m += <T>load<f64>(cs + (<usize>j << 3));
      store<T>(M + ((<usize>(j * k + i)) << sh), m);
    }
  }
  barrier(team); // all of M, from the Q̄ before the update
  const l0 = partStart(ld, ROW_UNIT, tid, nt);
  const rows = partStart(ld, ROW_UNIT, tid + 1, nt) - l0;
  const at = <usize>l0 << sh;
  // Q̄_j += Σ_i Qp_i C_ij with C = copyltu(M): C_ij = M[max(i,j), min(i,j)].
  for (let j = 0; j < k; j++) {
    const qb = ad.Qbar + <usize>j * col + at;
    for (let i = 0; i < k; i++) {
      const lo = min(i, j);
      const hi = max(i, j);
      axpy<T>(rows, load<T>(M + ((<usize>(lo * k + hi)) << sh)), Qp + <usize>i * col + at, qb);
    }
  }
  // Q̄ ← B R⁻ᵀ: Ā_j = (B_j − Σ_{i>j} Ā_i R_ji) / R_jj, for j from the last column down.
  const end = <usize>rows << sh;
  for (let j = k - 1; j >= 0; j--) {
    const qb = ad.Qbar + <usize>j * col + at;
    for (let i = j + 1; i < k; i++) {
      axpy<T>(rows, -load<T>(R + ((<usize>(i * k + j)) << sh)), ad.Qbar + <usize>i * col + at, qb);
    }
    const inv = <T>1 / load<T>(R + ((<usize>(j * k + j)) << sh));
    const fv = v128.splat<T>(inv);
    for (let o: usize = 0; o < end; o += 16) v128.store(qb + o, v128.mul<T>(fv, v128.load(qb + o)));
  }
}
