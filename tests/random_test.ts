import { equal, notEqual, ok, throws } from "node:assert/strict";
import fc from "fast-check";
import { randomNetwork, Rng } from "../src/deno.ts";
import { portableLog } from "../src/random.ts";

Deno.test("portableLog() agrees with Math.log within 2 ulp over the whole positive range", () => {
  fc.assert(
    fc.property(fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true }), (x) => {
      const want = Math.log(x);
      const ulp = Math.max(Number.EPSILON * Math.abs(want), Number.MIN_VALUE);
      return Math.abs(portableLog(x) - want) <= 2 * ulp;
    }),
    { numRuns: 5000 },
  );
  equal(portableLog(1), 0);
});

Deno.test("Rng streams are reproducible, distinct, and normals have mean 0 and variance 1", () => {
  const a = new Rng(7, 3);
  const b = new Rng(7, 3);
  for (let i = 0; i < 100; i++) equal(a.normal(), b.normal());
  notEqual(new Rng(7, 1).uniform(), new Rng(7, 2).uniform());
  notEqual(new Rng(7, 1).uniform(), new Rng(8, 1).uniform());
  const rng = new Rng(1, 0);
  const N = 200_000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < N; i++) {
    const z = rng.normal();
    s += z;
    s2 += z * z;
  }
  ok(Math.abs(s / N) < 5 / Math.sqrt(N), `mean ${s / N}`);
  ok(Math.abs(s2 / N - 1) < 5 * Math.sqrt(2 / N), `variance ${s2 / N}`);
  throws(() => new Rng(-1), /seed must be an integer in \[0, 2\^32\)/);
});

Deno.test("randomNetwork() draws W ~ N(0, g²/n) with a zero diagonal, reproducibly from the seed", () => {
  const n = 300;
  const g = 1.7;
  const net = randomNetwork({ n, g, seed: 3 });
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    equal(net.weights[i * n + i], 0);
    for (let j = 0; j < n; j++) s2 += net.weights[i * n + j] ** 2;
  }
  const variance = s2 / (n * (n - 1));
  ok(Math.abs(variance - (g * g) / n) < 0.02 * (g * g) / n, `variance ${variance}`);
  equal(randomNetwork({ n, g, seed: 3 }).weights.join(), net.weights.join());
  ok(randomNetwork({ n: 4, seed: 3, autapses: true }).weights[0] !== 0);
  throws(() => randomNetwork({ n: 0 }), /n must be a positive integer, got 0/);
});
