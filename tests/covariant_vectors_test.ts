import { equal, ok, throws } from "node:assert/strict";
import { type Network, randomNetwork, Rng } from "../src/mod.ts";
import { core } from "./_fixtures.ts";

/** Column j (length n) of sample s of a samples × n × k array. */
function column(v: Float64Array, s: number, n: number, k: number, j: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => v[(s * n + i) * k + j]);
}

/** Angle in [0, π/2] between the lines spanned by a and b (accurate for small angles). */
function lineAngle(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = Math.hypot(...Array.from(a));
  const nb = Math.hypot(...Array.from(b));
  let c = 0;
  for (let i = 0; i < a.length; i++) c += (a[i] / na) * (b[i] / nb);
  let rest = 0;
  for (let i = 0; i < a.length; i++) rest += (a[i] / na - c * (b[i] / nb)) ** 2;
  return Math.atan2(Math.sqrt(rest), Math.abs(c));
}

/** Inverse of an n×n row-major matrix by Gauss–Jordan elimination with partial pivoting. */
function inverse(A: Float64Array, n: number): Float64Array {
  const M = Float64Array.from(A);
  const X = new Float64Array(n * n);
  for (let i = 0; i < n; i++) X[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]) > Math.abs(M[p * n + c])) p = r;
    for (let j = 0; j < n; j++) {
      [M[c * n + j], M[p * n + j]] = [M[p * n + j], M[c * n + j]];
      [X[c * n + j], X[p * n + j]] = [X[p * n + j], X[c * n + j]];
    }
    const d = M[c * n + c];
    for (let j = 0; j < n; j++) {
      M[c * n + j] /= d;
      X[c * n + j] /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r * n + c];
      for (let j = 0; j < n; j++) {
        M[r * n + j] -= f * M[c * n + j];
        X[r * n + j] -= f * X[c * n + j];
      }
    }
  }
  return X;
}

/** A tanh network with W = S·diag(d)·S⁻¹ for a seeded non-orthogonal S; returns it with S. */
function diagonalisableNetwork(d: number[], seed: number): { net: Network; S: Float64Array } {
  const n = d.length;
  const rng = new Rng(seed, 0);
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) S[i * n + j] = (i === j ? 1 : 0) + 0.6 * rng.normal();
  }
  const Si = inverse(S, n);
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let l = 0; l < n; l++) s += S[i * n + l] * d[l] * Si[l * n + j];
      W[i * n + j] = s;
    }
  }
  const net: Network = {
    n,
    activation: "tanh",
    weights: W,
    gains: new Float64Array(n).fill(1),
    shifts: new Float64Array(n),
  };
  return { net, S };
}

Deno.test("covariantVectors() gives the eigenvectors of J and log|eig J|/dt at a stable fixed point, unlike Gram–Schmidt", () => {
  // h0 = 0 stays 0 (tanh(0) = 0) and φ'(0) = 1: J = (1 − dt)I + dt·W, eigenvalues 1 − dt + dt·d_l.
  const d = [-0.2, -0.7, -1.2, -1.7, -2.2, -2.7];
  const n = d.length;
  const k = 4;
  const dt = 0.1;
  const { net, S } = diagonalisableNetwork(d, 3);
  const res = core.covariantVectors(net, {
    nle: k,
    dt,
    tons: 0.5,
    h0: new Float64Array(n),
    ttr: 0,
    tframe: 80,
    tsim: 10,
    tbkw: 80,
    samples: 5,
    seed: 1,
  });
  const eigvec = (j: number) => Float64Array.from({ length: n }, (_, i) => S[i * n + j]);
  for (let j = 0; j < k; j++) {
    const expected = Math.log(1 - dt + dt * d[j]) / dt;
    ok(
      Math.abs(res.clvExponents[j] - expected) < 1e-9,
      `λ_${j + 1} = ${res.clvExponents[j]}, expected ${expected}`,
    );
    for (let s = 0; s < 5; s++) {
      const angle = lineAngle(column(res.vectors, s, n, k, j), eigvec(j));
      ok(angle < 1e-8, `sample ${s}, vector ${j + 1}: angle ${angle} to the eigenvector`);
    }
  }
  // The Gram–Schmidt vectors of the same subspaces are orthogonal; the covariant ones are not.
  const gs: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const q = eigvec(j);
    for (const p of gs) {
      const dot = p.reduce((s, x, i) => s + x * q[i], 0);
      p.forEach((x, i) => (q[i] -= dot * x));
    }
    const norm = Math.hypot(...q);
    gs.push(q.map((x) => x / norm));
  }
  for (let j = 1; j < k; j++) {
    const angle = lineAngle(column(res.vectors, 0, n, k, j), gs[j]);
    ok(angle > 0.1, `vector ${j + 1} is ${angle} rad from the Gram–Schmidt vector: it must differ`);
  }
  ok(res.angles.neighbours.min[0] < 1.4, `neighbours at ${res.angles.neighbours.min[0]} rad: not orthogonal`);
});

Deno.test("covariantVectors() vectors are covariant: the tangent map carries v_i(t) onto v_i(t + interval)", () => {
  const n = 60;
  const k = 6;
  const net = randomNetwork({ n, g: 2, seed: 4 });
  const m = 2;
  const res = core.covariantVectors(net, {
    nle: k,
    tons: 0.2,
    ttr: 10,
    tframe: 10,
    tsim: 2,
    tbkw: 10,
    samples: 11,
  });
  equal(res.times[1], 0.2);
  const ws = core.workspace(n, k);
  try {
    ws.setNetwork(net, 0.1, "dense");
    for (let s = 0; s + 1 < 11; s++) {
      ws.setState(res.states.subarray(s * n, (s + 1) * n));
      ws.setFrame(res.vectors.subarray(s * n * k, (s + 1) * n * k));
      ws.tangentSteps(m);
      const moved = ws.frame();
      for (let j = 0; j < k; j++) {
        const angle = lineAngle(column(moved, 0, n, k, j), column(res.vectors, s + 1, n, k, j));
        ok(angle < 1e-8, `sample ${s}, vector ${j + 1}: angle ${angle}`);
      }
    }
  } finally {
    ws.free();
  }
});

Deno.test("covariantVectors() exponents equal the QR exponents (bit for bit) and the CLV exponents agree with them within their errors (N = 200)", () => {
  const net = randomNetwork({ n: 200, g: 2, seed: 1 });
  const options = { nle: 10, tsim: 200, seed: 2 };
  const res = core.covariantVectors(net, options);
  const qr = core.lyapunovSpectrum(net, options);
  equal(res.exponents.join(), qr.exponents.join());
  equal(res.stderr!.join(), qr.stderr!.join());
  ok(res.exponents[0] > 0.005, `chaotic: λ_1 = ${res.exponents[0]}`);
  for (let j = 0; j < 10; j++) {
    const err = Math.hypot(res.stderr![j], res.clvStderr![j]);
    const diff = Math.abs(res.clvExponents[j] - res.exponents[j]);
    ok(diff < 3 * err, `λ_${j + 1}: CLV ${res.clvExponents[j]}, QR ${res.exponents[j]}, ±${err}`);
  }
  // The unstable vector and the stable ones are never parallel: a positive smallest angle.
  const between = res.angles.unstableStable!;
  equal(res.angles.unstable, res.clvExponents.filter((x) => x > 0).length);
  ok(res.angles.unstable >= 1);
  ok(between.min > 0 && between.mean > between.min && between.mean < Math.PI / 2);
});

Deno.test("covariantVectors() keeps memory bounded over a 10× longer window by recomputing R from checkpoints, with the same bits", () => {
  const net = randomNetwork({ n: 40, g: 2, seed: 6 });
  const base = { nle: 20, ttr: 5, tframe: 5, tbkw: 5, samples: 11, seed: 1 };
  const short = core.covariantVectors(net, { ...base, tsim: 20 });
  equal(short.recomputed, false);
  const long = { ...base, tsim: 200 };
  const all = core.covariantVectors(net, long);
  const bounded = core.covariantVectors(net, { ...long, maxTapeBytes: short.tapeBytes });
  equal(all.recomputed, false);
  equal(bounded.recomputed, true);
  console.log(
    `tape: window 20 ${short.tapeBytes} B; window 200: all R ${all.tapeBytes} B, checkpointed ${bounded.tapeBytes} B`,
  );
  // √ growth: the checkpointed long window holds about what the short one held in all.
  ok(bounded.tapeBytes < 1.1 * short.tapeBytes, `${bounded.tapeBytes} against ${short.tapeBytes}`);
  ok(all.tapeBytes > 8 * short.tapeBytes, "storing every R grows with the window");
  equal(bounded.vectors.join(), all.vectors.join());
  equal(bounded.clvExponents.join(), all.clvExponents.join());
  equal(bounded.ftle.mean.join(), all.ftle.mean.join());
});

Deno.test("covariantVectors() gives the same vectors with dense and sparse kernels (1e-12), and f32 close to f64", () => {
  const n = 80;
  const net = randomNetwork({ n, g: 2, seed: 8 });
  const rng = new Rng(8, 77);
  net.weights.forEach((_, i) => {
    if (rng.uniform() < 0.7) net.weights[i] = 0;
  });
  net.weights.forEach((w, i) => (net.weights[i] = w * Math.sqrt(1 / 0.3)));
  const k = 8;
  const options = { nle: k, ttr: 5, tframe: 5, tsim: 5, tbkw: 5, samples: 6 };
  const dense = core.covariantVectors(net, { ...options, kernels: "dense" });
  const sparse = core.covariantVectors(net, { ...options, kernels: "sparse" });
  equal(dense.kernels, "dense");
  equal(sparse.kernels, "sparse");
  let diff = 0;
  dense.vectors.forEach((v, i) => (diff = Math.max(diff, Math.abs(v - sparse.vectors[i]))));
  ok(diff < 1e-12, `max |dense − sparse| = ${diff}`);
  const f32 = core.covariantVectors(net, { ...options, kernels: "dense", precision: "f32" });
  let worst = 0;
  for (let s = 0; s < 6; s++) {
    for (let j = 0; j < k; j++) {
      worst = Math.max(worst, lineAngle(column(f32.vectors, s, n, k, j), column(dense.vectors, s, n, k, j)));
    }
  }
  ok(worst < 1e-3 && worst > 0, `largest angle f32 against f64: ${worst}`);
  for (let j = 0; j < k; j++) ok(Math.abs(f32.clvExponents[j] - dense.clvExponents[j]) < 1e-3);
});

Deno.test("covariantVectors() analyses: unit vectors, sign convention, localisation bounds, finite-time spread, type shares", () => {
  const n = 30;
  const k = 5;
  const net = randomNetwork({ n, g: 2, seed: 2 });
  net.types = Int32Array.from({ length: n }, (_, i) => i % 3);
  net.gains = new Float64Array(3).fill(1);
  net.shifts = new Float64Array(3);
  for (let pre = 0; pre < n; pre++) {
    for (let post = 0; post < n; post++) {
      const w = Math.abs(net.weights[post * n + pre]);
      net.weights[post * n + pre] = pre < 20 ? w : -2 * w;
    }
  }
  const progress: number[][] = [];
  const res = core.covariantVectors(net, {
    nle: k,
    tsim: 40,
    samples: 21,
    ftleWindow: 2,
    blocks: 4,
    onProgress: ({ done, total }) => progress.push([done, total]),
  });
  const [done, total] = progress.at(-1)!;
  ok(
    progress.length > 10 && done === total && total === res.steps.transient + 100 + 400 + 100,
    `${done}/${total}`,
  );
  for (let s = 0; s < 21; s++) {
    for (let j = 0; j < k; j++) {
      const v = column(res.vectors, s, n, k, j);
      ok(Math.abs(Math.hypot(...v) - 1) < 1e-12);
      const big = v.reduce((a, x) => (Math.abs(x) > Math.abs(a) ? x : a), 0);
      ok(big > 0, "largest-magnitude entry positive");
    }
  }
  const { ipr, participationRatio } = res.localisation;
  for (let j = 0; j < k; j++) {
    ok(ipr.mean[j] >= 1 / n && ipr.mean[j] <= 1);
    ok(participationRatio.mean[j] > 0 && participationRatio.mean[j] <= 1 + 1e-12);
    ok(ipr.stderr![j] > 0);
  }
  equal(res.ftle.count, 20);
  equal(res.ftle.window, 2);
  for (let j = 0; j < k; j++) {
    ok(res.ftle.std[j] > 0);
    ok(Math.abs(res.ftle.mean[j] - res.clvExponents[j]) < 1e-12, "windows tile the window: mean = exponent");
  }
  const shares = res.typeShares!;
  equal(shares.typeNames.join(), "type 0,type 1,type 2");
  for (let j = 0; j < k; j++) {
    const sum = shares.types[j] + shares.types[k + j] + shares.types[2 * k + j];
    ok(Math.abs(sum - 1) < 1e-12);
    ok(Math.abs(shares.excitatory[j] + shares.inhibitory[j] - 1) < 1e-12);
  }
});

Deno.test("covariantVectors() rejects tons auto, bad tbkw, samples and ftleWindow with one clear message", () => {
  const net = randomNetwork({ n: 10, g: 1, seed: 1 });
  throws(() => core.covariantVectors(net, { tons: "auto" }), /tons "auto"/);
  throws(() => core.covariantVectors(net, { tbkw: -1 }), /tbkw must be/);
  throws(
    () => core.covariantVectors(net, { tsim: 1, samples: 7 }),
    /samples must be an integer between 1 and .* = 6/,
  );
  throws(() => core.covariantVectors(net, { tsim: 1, ftleWindow: 2 }), /ftleWindow must be at most/);
  throws(() => core.covariantVectors(net, { ftleWindow: 0 }), /ftleWindow must be/);
});
