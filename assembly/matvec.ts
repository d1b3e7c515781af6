// Matrix–vector products with W for the state step (and the tangent step when k = 1).
//   out[i] = a·base[i] + b·Σ_l W[i·ld + l]·x[l],   i < n
// W is ld×ld row-major, zero-padded; x, base and out have ld entries (x padding zero).
// Each row is summed in one fixed order (v128 lanes over l, then lanes added in order), the
// same in the one- and two-vector kernels, so the state trajectory has the same bits
// whichever kernel computed it. Cost: 2·n·ld flops per vector. Rows are taken four at a time
// so that each load of x serves four rows; out may alias base.
import { lanesSum } from "./workspace";

// @ts-ignore: decorator
@inline function combine<T>(out: usize, base: usize, i: i32, a: T, b: T, s: T): void {
  const at = <usize>i << alignof<T>();
  store<T>(out + at, a * load<T>(base + at) + b * s);
}

/** out = a·base + b·W x (see the file header). */
export function matvec1<T>(
  n: i32,
  ld: i32,
  W: usize,
  x: usize,
  base: usize,
  out: usize,
  a: T,
  b: T,
): void {
  const row = <usize>ld << alignof<T>();
  const end = row;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const w0 = W + <usize>i * row;
    const w1 = w0 + row;
    const w2 = w1 + row;
    const w3 = w2 + row;
    let s0 = v128.splat<T>(<T>0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    for (let o: usize = 0; o < end; o += 16) {
      const xv = v128.load(x + o);
      s0 = v128.add<T>(s0, v128.mul<T>(v128.load(w0 + o), xv));
      s1 = v128.add<T>(s1, v128.mul<T>(v128.load(w1 + o), xv));
      s2 = v128.add<T>(s2, v128.mul<T>(v128.load(w2 + o), xv));
      s3 = v128.add<T>(s3, v128.mul<T>(v128.load(w3 + o), xv));
    }
    combine<T>(out, base, i, a, b, lanesSum<T>(s0));
    combine<T>(out, base, i + 1, a, b, lanesSum<T>(s1));
    combine<T>(out, base, i + 2, a, b, lanesSum<T>(s2));
    combine<T>(out, base, i + 3, a, b, lanesSum<T>(s3));
  }
  for (; i < n; i++) {
    const w0 = W + <usize>i * row;
    let s0 = v128.splat<T>(<T>0);
    for (let o: usize = 0; o < end; o += 16) {
      s0 = v128.add<T>(s0, v128.mul<T>(v128.load(w0 + o), v128.load(x + o)));
    }
    combine<T>(out, base, i, a, b, lanesSum<T>(s0));
  }
}

/** outX = a·baseX + b·W x and outY = a·baseY + b·W y in one pass over W, each summed as matvec1. */
export function matvec2<T>(
  n: i32,
  ld: i32,
  W: usize,
  x: usize,
  baseX: usize,
  outX: usize,
  y: usize,
  baseY: usize,
  outY: usize,
  a: T,
  b: T,
): void {
  const row = <usize>ld << alignof<T>();
  const end = row;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const w0 = W + <usize>i * row;
    const w1 = w0 + row;
    const w2 = w1 + row;
    const w3 = w2 + row;
    let s0 = v128.splat<T>(<T>0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    let t0 = s0;
    let t1 = s0;
    let t2 = s0;
    let t3 = s0;
    for (let o: usize = 0; o < end; o += 16) {
      const xv = v128.load(x + o);
      const yv = v128.load(y + o);
      let wv = v128.load(w0 + o);
      s0 = v128.add<T>(s0, v128.mul<T>(wv, xv));
      t0 = v128.add<T>(t0, v128.mul<T>(wv, yv));
      wv = v128.load(w1 + o);
      s1 = v128.add<T>(s1, v128.mul<T>(wv, xv));
      t1 = v128.add<T>(t1, v128.mul<T>(wv, yv));
      wv = v128.load(w2 + o);
      s2 = v128.add<T>(s2, v128.mul<T>(wv, xv));
      t2 = v128.add<T>(t2, v128.mul<T>(wv, yv));
      wv = v128.load(w3 + o);
      s3 = v128.add<T>(s3, v128.mul<T>(wv, xv));
      t3 = v128.add<T>(t3, v128.mul<T>(wv, yv));
    }
    combine<T>(outX, baseX, i, a, b, lanesSum<T>(s0));
    combine<T>(outX, baseX, i + 1, a, b, lanesSum<T>(s1));
    combine<T>(outX, baseX, i + 2, a, b, lanesSum<T>(s2));
    combine<T>(outX, baseX, i + 3, a, b, lanesSum<T>(s3));
    combine<T>(outY, baseY, i, a, b, lanesSum<T>(t0));
    combine<T>(outY, baseY, i + 1, a, b, lanesSum<T>(t1));
    combine<T>(outY, baseY, i + 2, a, b, lanesSum<T>(t2));
    combine<T>(outY, baseY, i + 3, a, b, lanesSum<T>(t3));
  }
  for (; i < n; i++) {
    const w0 = W + <usize>i * row;
    let s0 = v128.splat<T>(<T>0);
    let t0 = s0;
    for (let o: usize = 0; o < end; o += 16) {
      const wv = v128.load(w0 + o);
      s0 = v128.add<T>(s0, v128.mul<T>(wv, v128.load(x + o)));
      t0 = v128.add<T>(t0, v128.mul<T>(wv, v128.load(y + o)));
    }
    combine<T>(outX, baseX, i, a, b, lanesSum<T>(s0));
    combine<T>(outY, baseY, i, a, b, lanesSum<T>(t0));
  }
}
