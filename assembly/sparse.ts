// Sparse (CSR) variants of the state step, the tangent step and the products of the adjoint,
// for connectomes whose density is below the crossover measured by bench/sparse.ts
// (`deno task bench:sparse`).
// CSR of an n×n matrix A: rowPtr (n + 1 i32), colIdx (nnz i32, increasing within a row),
// values (nnz T); row i holds the entries e in [rowPtr[i], rowPtr[i + 1]), A[i, colIdx[e]].
// The workspace keeps W (row = post) and Wᵀ (row = pre) so that Wᵀ products gather too.
// Frames are packed row-major for these kernels: X[l·kp + c] (kp = k + 1 rounded up to the
// lanes of one v128, so the packed buffer also holds the adjoint's [ḣ, Q̄]), so that one
// nonzero A[i, l] updates a whole row of the product with v128 operations over c.
// Every sum runs over the entries of a row in CSR order (and over c lane-wise, lanes added in
// lane order where a dot product is needed), one fixed order: results are deterministic. They
// equal the dense kernels' to rounding only (the dense ones sum in a different order).

import { lanesSum } from "./simd";

/**
 * out[i] = a·base[i] + b·Σ_e values[e]·x[colIdx[e]] over row i, for i < n (scalar gather,
 * entries in CSR order). out may alias base. 2·nnz + 3·n flops.
 */
export function csrMatvec<T>(n: i32, rowPtr: usize, colIdx: usize, values: usize, x: usize, base: usize, out: usize, a: T, b: T): void {
  const sh = alignof<T>();
  let e = load<i32>(rowPtr);
  for (let i = 0; i < n; i++) {
    const end = load<i32>(rowPtr + ((<usize>i + 1) << 2));
    let s = <T>0;
    for (; e < end; e++) {
      const j = load<i32>(colIdx + (<usize>e << 2));
      s += load<T>(values + (<usize>e << sh)) * load<T>(x + (<usize>j << sh));
    }
    const at = <usize>i << sh;
    store<T>(out + at, a * load<T>(base + at) + b * s);
  }
}

/** Work of a row besides its nonzeros, in nonzeros (see sparseRows). */
// @ts-ignore: decorator
@inline const ROW_COST: i64 = 2;

/** Work of rows [0, r): their nonzeros plus ROW_COST each. */
// @ts-ignore: decorator
@inline function rowWork(rowPtr: usize, r: i32): i64 {
  return <i64>load<i32>(rowPtr + (<usize>r << 2)) + ROW_COST * r;
}

/**
 * Start of thread tid's rows when the n rows of a CSR (rowPtr) are split among nt threads by
 * work: the first row r with rowPtr[r] + ROW_COST·r ≥ tid/nt of the total (nonzeros plus
 * ROW_COST per row, the per-row work of the packing and the update), so that each thread gets
 * about as many nonzeros, whatever their distribution over the rows. 0 for tid 0, n for nt.
 */
export function sparseRows(n: i32, rowPtr: usize, tid: i32, nt: i32): i32 {
  if (tid <= 0) return 0;
  if (tid >= nt) return n;
  const target = rowWork(rowPtr, n) * tid / nt;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rowWork(rowPtr, mid) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Packs `cols` columns of a column-major frame (leading dimension ld) row-major into X from
 * column c0 on: X[l·kp + c0 + c] = scale[l]·src[c·ld + l] (scale = 0: no scaling), l < n.
 * Other columns of X are left alone.
 */
export function packRows<T>(n: i32, ld: i32, cols: i32, kp: i32, c0: i32, scale: usize, src: usize, X: usize): void {
  const sh = alignof<T>();
  for (let c = 0; c < cols; c++) {
    const q = src + ((<usize>c * ld) << sh);
    let x = X + (<usize>(c0 + c) << sh);
    const stride = <usize>kp << sh;
    for (let l = 0; l < n; l++, x += stride) {
      const at = <usize>l << sh;
      const v = load<T>(q + at);
      store<T>(x, scale == 0 ? v : load<T>(scale + at) * v);
    }
  }
}

// @ts-ignore: decorator
@inline function madd<T>(acc: v128, s: v128, x: usize, offset: usize): v128 {
  return v128.add<T>(acc, v128.mul<T>(s, v128.load(x + offset)));
}

/**
 * out[c·ld + i] = a·out[c·ld + i] + b·Σ_e A[i, l_e]·X[l_e·kp + c] for i < n, c < k, with A in
 * CSR and X row-major (kp columns, a multiple of the lanes). Per row, the columns are taken in
 * blocks of eight v128 accumulators (then one block of four, then single v128), each running
 * over the row's entries in CSR order; the row of sums goes through `y` (kp values) into the
 * column-major out. 2·nnz·kp + 3·n·k flops.
 */
export function csrProduct<T>(
  n: i32, ld: i32, k: i32, kp: i32, rowPtr: usize, colIdx: usize, values: usize, X: usize, y: usize,
  out: usize, a: T, b: T,
): void {
  const sh = alignof<T>();
  const rowBytes = <usize>kp << sh;
  const colBytes = <usize>ld << sh;
  for (let i = 0; i < n; i++) {
    const e0 = load<i32>(rowPtr + (<usize>i << 2));
    const e1 = load<i32>(rowPtr + ((<usize>i + 1) << 2));
    let o: usize = 0;
    for (; o + 128 <= rowBytes; o += 128) {
      let a0 = v128.splat<T>(<T>0);
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      let a4 = a0;
      let a5 = a0;
      let a6 = a0;
      let a7 = a0;
      for (let e = e0; e < e1; e++) {
        const s = v128.load_splat<T>(values + (<usize>e << sh));
        const x = X + <usize>load<i32>(colIdx + (<usize>e << 2)) * rowBytes + o;
        a0 = madd<T>(a0, s, x, 0);
        a1 = madd<T>(a1, s, x, 16);
        a2 = madd<T>(a2, s, x, 32);
        a3 = madd<T>(a3, s, x, 48);
        a4 = madd<T>(a4, s, x, 64);
        a5 = madd<T>(a5, s, x, 80);
        a6 = madd<T>(a6, s, x, 96);
        a7 = madd<T>(a7, s, x, 112);
      }
      v128.store(y + o, a0);
      v128.store(y + o, a1, 16);
      v128.store(y + o, a2, 32);
      v128.store(y + o, a3, 48);
      v128.store(y + o, a4, 64);
      v128.store(y + o, a5, 80);
      v128.store(y + o, a6, 96);
      v128.store(y + o, a7, 112);
    }
    if (o + 64 <= rowBytes) {
      let a0 = v128.splat<T>(<T>0);
      let a1 = a0;
      let a2 = a0;
      let a3 = a0;
      for (let e = e0; e < e1; e++) {
        const s = v128.load_splat<T>(values + (<usize>e << sh));
        const x = X + <usize>load<i32>(colIdx + (<usize>e << 2)) * rowBytes + o;
        a0 = madd<T>(a0, s, x, 0);
        a1 = madd<T>(a1, s, x, 16);
        a2 = madd<T>(a2, s, x, 32);
        a3 = madd<T>(a3, s, x, 48);
      }
      v128.store(y + o, a0);
      v128.store(y + o, a1, 16);
      v128.store(y + o, a2, 32);
      v128.store(y + o, a3, 48);
      o += 64;
    }
    for (; o < rowBytes; o += 16) {
      let a0 = v128.splat<T>(<T>0);
      for (let e = e0; e < e1; e++) {
        const s = v128.load_splat<T>(values + (<usize>e << sh));
        a0 = madd<T>(a0, s, X + <usize>load<i32>(colIdx + (<usize>e << 2)) * rowBytes, o);
      }
      v128.store(y + o, a0);
    }
    let q = out + (<usize>i << sh);
    for (let c = 0; c < k; c++, q += colBytes) {
      store<T>(q, a * load<T>(q) + b * load<T>(y + (<usize>c << sh)));
    }
  }
}

/**
 * The adjoint's weight gradient on the nonzeros of W only: Wbs[e] += b·Σ_c U[i, c]·V[l_e, c]
 * for each entry e = (i, l_e) of W's CSR, U and V row-major with kp columns (v128 lane sums
 * over c in increasing chunks, lanes added in order). 2·nnz·kp + 2·nnz flops.
 */
export function csrOuterAdd<T>(n: i32, kp: i32, rowPtr: usize, colIdx: usize, U: usize, V: usize, Wbs: usize, b: T): void {
  const sh = alignof<T>();
  const rowBytes = <usize>kp << sh;
  let e = load<i32>(rowPtr);
  for (let i = 0; i < n; i++) {
    const end = load<i32>(rowPtr + ((<usize>i + 1) << 2));
    const u = U + <usize>i * rowBytes;
    for (; e < end; e++) {
      const v = V + <usize>load<i32>(colIdx + (<usize>e << 2)) * rowBytes;
      let s = v128.splat<T>(<T>0);
      for (let o: usize = 0; o < rowBytes; o += 16) s = v128.add<T>(s, v128.mul<T>(v128.load(u + o), v128.load(v + o)));
      const at = Wbs + (<usize>e << sh);
      store<T>(at, load<T>(at) + b * lanesSum<T>(s));
    }
  }
}
