// Matrix–vector products with W for the state step (and the tangent step when k = 1).
//   out[i] = a·base[i] + b·Σ_l W[i·ld + l]·x[l],   i < n
// W is ld×ld row-major, zero-padded; x, base and out have ld entries (x padding zero).
// Each row is summed in one fixed order: a single v128 accumulator runs over l in v128 chunks
// (s ← s + w·x, chunks in increasing l), then its lanes are added in lane order. Every code
// path (row blocks of any size, single rows; one or two vectors) does exactly this per row, so
// the state trajectory has the same bits whichever kernel computed it. Rows are taken several
// at a time so that each load of x serves several rows (the independent row sums also hide the
// add latency): matvec1 in blocks of 8 rows (loop over l unrolled by two chunks), then 4, then
// single rows; matvec2 in blocks of 6 rows × two vectors (twelve accumulators, loop over l
// unrolled by two chunks), then 4, then single rows. Cost: 2·n·ld flops per vector. out may alias base.
import { lanesSum } from "./simd";

// @ts-ignore: decorator
@inline function combine<T>(out: usize, base: usize, i: i32, a: T, b: T, s: T): void {
  const at = <usize>i << alignof<T>();
  store<T>(out + at, a * load<T>(base + at) + b * s);
}

// @ts-ignore: decorator
@inline function madd<T>(s: v128, w: usize, x: v128): v128 {
  return v128.add<T>(s, v128.mul<T>(v128.load(w), x));
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
  const end2 = row & ~(<usize>31); // whole pairs of chunks
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    // Row pointers outside the loop; the second chunk of each pair uses the load's offset.
    const w0 = W + <usize>i * row;
    const w1 = w0 + row;
    const w2 = w1 + row;
    const w3 = w2 + row;
    const w4 = w3 + row;
    const w5 = w4 + row;
    const w6 = w5 + row;
    const w7 = w6 + row;
    let s0 = v128.splat<T>(<T>0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    let s4 = s0;
    let s5 = s0;
    let s6 = s0;
    let s7 = s0;
    let o: usize = 0;
    for (; o < end2; o += 32) {
      const xa = v128.load(x + o);
      const xb = v128.load(x + o, 16);
      let p = w0 + o;
      s0 = v128.add<T>(v128.add<T>(s0, v128.mul<T>(v128.load(p), xa)), v128.mul<T>(v128.load(p, 16), xb));
      p = w1 + o;
      s1 = v128.add<T>(v128.add<T>(s1, v128.mul<T>(v128.load(p), xa)), v128.mul<T>(v128.load(p, 16), xb));
      p = w2 + o;
      s2 = v128.add<T>(v128.add<T>(s2, v128.mul<T>(v128.load(p), xa)), v128.mul<T>(v128.load(p, 16), xb));
      p = w3 + o;
      s3 = v128.add<T>(v128.add<T>(s3, v128.mul<T>(v128.load(p), xa)), v128.mul<T>(v128.load(p, 16), xb));
      p = w4 + o;
      s4 = v128.add<T>(v128.add<T>(s4, v128.mul<T>(v128.load(p), xa)), v128.mul<T>(v128.load(p, 16), xb));
      p = w5 + o;
      s5 = v128.add<T>(v128.add<T>(s5, v128.mul<T>(v128.load(p), xa)), v128.mul<T>(v128.load(p, 16), xb));
      p = w6 + o;
      s6 = v128.add<T>(v128.add<T>(s6, v128.mul<T>(v128.load(p), xa)), v128.mul<T>(v128.load(p, 16), xb));
      p = w7 + o;
      s7 = v128.add<T>(v128.add<T>(s7, v128.mul<T>(v128.load(p), xa)), v128.mul<T>(v128.load(p, 16), xb));
    }
    if (o < row) {
      const xa = v128.load(x + o);
      s0 = madd<T>(s0, w0 + o, xa);
      s1 = madd<T>(s1, w1 + o, xa);
      s2 = madd<T>(s2, w2 + o, xa);
      s3 = madd<T>(s3, w3 + o, xa);
      s4 = madd<T>(s4, w4 + o, xa);
      s5 = madd<T>(s5, w5 + o, xa);
      s6 = madd<T>(s6, w6 + o, xa);
      s7 = madd<T>(s7, w7 + o, xa);
    }
    combine<T>(out, base, i, a, b, lanesSum<T>(s0));
    combine<T>(out, base, i + 1, a, b, lanesSum<T>(s1));
    combine<T>(out, base, i + 2, a, b, lanesSum<T>(s2));
    combine<T>(out, base, i + 3, a, b, lanesSum<T>(s3));
    combine<T>(out, base, i + 4, a, b, lanesSum<T>(s4));
    combine<T>(out, base, i + 5, a, b, lanesSum<T>(s5));
    combine<T>(out, base, i + 6, a, b, lanesSum<T>(s6));
    combine<T>(out, base, i + 7, a, b, lanesSum<T>(s7));
  }
  for (; i + 4 <= n; i += 4) {
    const w0 = W + <usize>i * row;
    let s0 = v128.splat<T>(<T>0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    for (let o: usize = 0; o < row; o += 16) {
      const xv = v128.load(x + o);
      const p = w0 + o;
      s0 = madd<T>(s0, p, xv);
      s1 = madd<T>(s1, p + row, xv);
      s2 = madd<T>(s2, p + 2 * row, xv);
      s3 = madd<T>(s3, p + 3 * row, xv);
    }
    combine<T>(out, base, i, a, b, lanesSum<T>(s0));
    combine<T>(out, base, i + 1, a, b, lanesSum<T>(s1));
    combine<T>(out, base, i + 2, a, b, lanesSum<T>(s2));
    combine<T>(out, base, i + 3, a, b, lanesSum<T>(s3));
  }
  for (; i < n; i++) {
    const w0 = W + <usize>i * row;
    let s0 = v128.splat<T>(<T>0);
    for (let o: usize = 0; o < row; o += 16) s0 = madd<T>(s0, w0 + o, v128.load(x + o));
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
  let i = 0;
  const end2 = row & ~(<usize>31); // whole pairs of chunks
  for (; i + 6 <= n; i += 6) {
    const w0 = W + <usize>i * row;
    const w1 = w0 + row;
    const w2 = w1 + row;
    const w3 = w2 + row;
    const w4 = w3 + row;
    const w5 = w4 + row;
    let s0 = v128.splat<T>(<T>0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    let s4 = s0;
    let s5 = s0;
    let t0 = s0;
    let t1 = s0;
    let t2 = s0;
    let t3 = s0;
    let t4 = s0;
    let t5 = s0;
    let o: usize = 0;
    for (; o < end2; o += 32) {
      let xv = v128.load(x + o);
      let yv = v128.load(y + o);
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
      wv = v128.load(w4 + o);
      s4 = v128.add<T>(s4, v128.mul<T>(wv, xv));
      t4 = v128.add<T>(t4, v128.mul<T>(wv, yv));
      wv = v128.load(w5 + o);
      s5 = v128.add<T>(s5, v128.mul<T>(wv, xv));
      t5 = v128.add<T>(t5, v128.mul<T>(wv, yv));
      xv = v128.load(x + o, 16);
      yv = v128.load(y + o, 16);
      wv = v128.load(w0 + o, 16);
      s0 = v128.add<T>(s0, v128.mul<T>(wv, xv));
      t0 = v128.add<T>(t0, v128.mul<T>(wv, yv));
      wv = v128.load(w1 + o, 16);
      s1 = v128.add<T>(s1, v128.mul<T>(wv, xv));
      t1 = v128.add<T>(t1, v128.mul<T>(wv, yv));
      wv = v128.load(w2 + o, 16);
      s2 = v128.add<T>(s2, v128.mul<T>(wv, xv));
      t2 = v128.add<T>(t2, v128.mul<T>(wv, yv));
      wv = v128.load(w3 + o, 16);
      s3 = v128.add<T>(s3, v128.mul<T>(wv, xv));
      t3 = v128.add<T>(t3, v128.mul<T>(wv, yv));
      wv = v128.load(w4 + o, 16);
      s4 = v128.add<T>(s4, v128.mul<T>(wv, xv));
      t4 = v128.add<T>(t4, v128.mul<T>(wv, yv));
      wv = v128.load(w5 + o, 16);
      s5 = v128.add<T>(s5, v128.mul<T>(wv, xv));
      t5 = v128.add<T>(t5, v128.mul<T>(wv, yv));
    }
    if (o < row) {
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
      wv = v128.load(w4 + o);
      s4 = v128.add<T>(s4, v128.mul<T>(wv, xv));
      t4 = v128.add<T>(t4, v128.mul<T>(wv, yv));
      wv = v128.load(w5 + o);
      s5 = v128.add<T>(s5, v128.mul<T>(wv, xv));
      t5 = v128.add<T>(t5, v128.mul<T>(wv, yv));
    }
    combine<T>(outX, baseX, i, a, b, lanesSum<T>(s0));
    combine<T>(outX, baseX, i + 1, a, b, lanesSum<T>(s1));
    combine<T>(outX, baseX, i + 2, a, b, lanesSum<T>(s2));
    combine<T>(outX, baseX, i + 3, a, b, lanesSum<T>(s3));
    combine<T>(outX, baseX, i + 4, a, b, lanesSum<T>(s4));
    combine<T>(outX, baseX, i + 5, a, b, lanesSum<T>(s5));
    combine<T>(outY, baseY, i, a, b, lanesSum<T>(t0));
    combine<T>(outY, baseY, i + 1, a, b, lanesSum<T>(t1));
    combine<T>(outY, baseY, i + 2, a, b, lanesSum<T>(t2));
    combine<T>(outY, baseY, i + 3, a, b, lanesSum<T>(t3));
    combine<T>(outY, baseY, i + 4, a, b, lanesSum<T>(t4));
    combine<T>(outY, baseY, i + 5, a, b, lanesSum<T>(t5));
  }
  for (; i + 4 <= n; i += 4) {
    const w0 = W + <usize>i * row;
    let s0 = v128.splat<T>(<T>0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    let t0 = s0;
    let t1 = s0;
    let t2 = s0;
    let t3 = s0;
    for (let o: usize = 0; o < row; o += 16) {
      const xv = v128.load(x + o);
      const yv = v128.load(y + o);
      const p = w0 + o;
      let wv = v128.load(p);
      s0 = v128.add<T>(s0, v128.mul<T>(wv, xv));
      t0 = v128.add<T>(t0, v128.mul<T>(wv, yv));
      wv = v128.load(p + row);
      s1 = v128.add<T>(s1, v128.mul<T>(wv, xv));
      t1 = v128.add<T>(t1, v128.mul<T>(wv, yv));
      wv = v128.load(p + 2 * row);
      s2 = v128.add<T>(s2, v128.mul<T>(wv, xv));
      t2 = v128.add<T>(t2, v128.mul<T>(wv, yv));
      wv = v128.load(p + 3 * row);
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
    for (let o: usize = 0; o < row; o += 16) {
      const wv = v128.load(w0 + o);
      s0 = v128.add<T>(s0, v128.mul<T>(wv, v128.load(x + o)));
      t0 = v128.add<T>(t0, v128.mul<T>(wv, v128.load(y + o)));
    }
    combine<T>(outX, baseX, i, a, b, lanesSum<T>(s0));
    combine<T>(outY, baseY, i, a, b, lanesSum<T>(t0));
  }
}
