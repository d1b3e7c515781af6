import { ok } from "node:assert/strict";
import { orthonormalColumns, smallestPrincipalAngle, symmetricEigenvalues } from "../src/_small_linalg.ts";
import { Rng } from "../src/mod.ts";

Deno.test("smallestPrincipalAngle() gives the angle between two planes of R⁴, down to 1e-9 rad", () => {
  for (const theta of [1e-9, 1e-4, 0.3, 1.2]) {
    // span(e1, e2) against span(cos θ e1 + sin θ e3, e4): smallest angle θ.
    const n = 4;
    const A = new Float64Array([1, 0, Math.cos(theta), 0, 0, 1, 0, 0, 0, 0, Math.sin(theta), 0, 0, 0, 0, 1]);
    const U = orthonormalColumns(A, n, 4, 0, [0, 1]);
    const S = orthonormalColumns(A, n, 4, 0, [2, 3]);
    const got = smallestPrincipalAngle(n, U, S);
    ok(Math.abs(got - theta) <= 1e-12 * Math.max(1, theta) + 1e-15, `θ = ${theta}: got ${got}`);
  }
});

Deno.test("symmetricEigenvalues() finds the eigenvalues of Q·diag(d)·Qᵀ", () => {
  const d = [3, -1, 0.5, 2];
  const n = d.length;
  const rng = new Rng(5, 0);
  const Q = orthonormalColumns(new Float64Array(n * n).map(() => rng.normal()), n, n, 0, [0, 1, 2, 3]);
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let l = 0; l < n; l++) S[i * n + j] += Q[l * n + i] * d[l] * Q[l * n + j];
    }
  }
  const got = Array.from(symmetricEigenvalues(n, S)).sort((a, b) => a - b);
  const expected = [...d].sort((a, b) => a - b);
  got.forEach((x, i) => ok(Math.abs(x - expected[i]) < 1e-12, `${got} against ${expected}`));
});
