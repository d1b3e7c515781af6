// Baselines of the benchmark (not part of the core): the tangent product Y = W X computed
// the plain ways, to compare the core's register-blocked kernel against.
//   naive SIMD: for each row i and each l, Y[i, :] += W[i, l]·X[l, :] with v128 over the k
//               columns, the result row in memory (X, Y row-major n×k, k a multiple of lanes);
//   scalar:     the same triple loop without SIMD.
// 2·n²·k flops each.

/** Allocates `bytes` bytes (16-byte aligned). */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

function naiveSimd<T>(n: i32, k: i32, W: usize, X: usize, Y: usize): void {
  const sh = alignof<T>();
  const rowBytes = <usize>k << sh;
  for (let i = 0; i < n; i++) {
    const y = Y + <usize>i * rowBytes;
    memory.fill(y, 0, rowBytes);
    for (let l = 0; l < n; l++) {
      const w = v128.splat<T>(load<T>(W + ((<usize>(i * n + l)) << sh)));
      const x = X + <usize>l * rowBytes;
      for (let o: usize = 0; o < rowBytes; o += 16) {
        v128.store(y + o, v128.add<T>(v128.load(y + o), v128.mul<T>(w, v128.load(x + o))));
      }
    }
  }
}

function scalar<T>(n: i32, k: i32, W: usize, X: usize, Y: usize): void {
  const sh = alignof<T>();
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) store<T>(Y + ((<usize>(i * k + c)) << sh), <T>0);
    for (let l = 0; l < n; l++) {
      const w = load<T>(W + ((<usize>(i * n + l)) << sh));
      for (let c = 0; c < k; c++) {
        const at = Y + ((<usize>(i * k + c)) << sh);
        store<T>(at, load<T>(at) + w * load<T>(X + ((<usize>(l * k + c)) << sh)));
      }
    }
  }
}

/** Naive SIMD product, f64. */
export function naiveSimd_f64(n: i32, k: i32, W: usize, X: usize, Y: usize): void {
  naiveSimd<f64>(n, k, W, X, Y);
}
/** Naive SIMD product, f32. */
export function naiveSimd_f32(n: i32, k: i32, W: usize, X: usize, Y: usize): void {
  naiveSimd<f32>(n, k, W, X, Y);
}
/** Scalar product, f64. */
export function scalar_f64(n: i32, k: i32, W: usize, X: usize, Y: usize): void {
  scalar<f64>(n, k, W, X, Y);
}
/** Scalar product, f32. */
export function scalar_f32(n: i32, k: i32, W: usize, X: usize, Y: usize): void {
  scalar<f32>(n, k, W, X, Y);
}
