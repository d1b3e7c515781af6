import { deepEqual, equal } from "node:assert/strict";
import { entropyRate, kaplanYorke } from "../src/deno.ts";

Deno.test("kaplanYorke() interpolates at the last non-negative partial sum, sorting first", () => {
  deepEqual(kaplanYorke([-1, 0.5]), { dimension: 1.5, lowerBound: false });
  deepEqual(kaplanYorke([0.3, 0.1, -0.2, -0.8]), { dimension: 3 + 0.2 / 0.8, lowerBound: false });
  deepEqual(kaplanYorke([-0.1, -0.2]), { dimension: 0, lowerBound: false });
  deepEqual(kaplanYorke([0.2, -0.1]), { dimension: 2, lowerBound: true });
});

Deno.test("entropyRate() sums the positive exponents only", () => {
  equal(entropyRate([0.3, 0.1, -0.2]), 0.4);
  equal(entropyRate([-1]), 0);
});
