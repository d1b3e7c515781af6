// Lane helpers of the SIMD kernels, generic in the element type T (f64: 2 lanes, f32: 4).

/** Lanes of one v128 for element type T. */
// @ts-ignore: decorator
@inline export function lanes<T>(): i32 {
  return 16 / <i32>sizeof<T>();
}

/** Panel width of the tangent product: two v128 of T per panel row. */
// @ts-ignore: decorator
@inline export function panelWidth<T>(): i32 {
  return 32 / <i32>sizeof<T>();
}

/** Sum of the lanes of v, in lane order. */
// @ts-ignore: decorator
@inline export function lanesSum<T>(v: v128): T {
  if (sizeof<T>() == 8) {
    return <T>(f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1));
  }
  return <T>(
    f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) +
    f32x4.extract_lane(v, 3)
  );
}
