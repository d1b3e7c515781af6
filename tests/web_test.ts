/**
 * The page's pure modules: URL path checks, run labels, the explorer's configuration (the page
 * itself: tests/e2e/web_test.ts).
 */

import { deepEqual, equal, throws } from "node:assert/strict";
import { safeSegments } from "../web/_static.ts";
import { differingLabels } from "../web/app/_run.ts";
import { checkVectorsN, configParams, MAX_VECTORS_N, readConfig } from "../web/app/_config.ts";

Deno.test("safeSegments() refuses .., encoded .., dot files, backslashes and NUL", () => {
  deepEqual(safeSegments("/app/viewer.js"), ["app", "viewer.js"]);
  deepEqual(safeSegments("//etc/passwd"), ["etc", "passwd"]);
  for (
    const bad of ["/../x", "/%2e%2e/x", "/a/..%2f..%2fx", "/.git/config", "/a%5c..%5cx", "/a%00", "/%E0%A4%A"]
  ) {
    equal(safeSegments(bad), undefined, bad);
  }
});

Deno.test("differingLabels() names the parameters that differ", () => {
  deepEqual(
    differingLabels([{ name: "x", options: { n: 30, out: "a" } }, {
      name: "y",
      options: { n: 60, out: "b" },
    }]),
    ["n=30", "n=60"],
  );
});

Deno.test("readConfig() reads vectors=1 up to MAX_VECTORS_N neurons and names the field beyond", () => {
  const at = (q: string) => readConfig(new URLSearchParams(q));
  equal(at(`n=${MAX_VECTORS_N}&vectors=1`).config.vectors, true);
  deepEqual(at(`n=${MAX_VECTORS_N}&vectors=1`).invalid, {});
  equal(at("n=600&vectors=0").config.vectors, undefined);
  equal(at("vectors=true").config.vectors, true);
  const big = at(`n=${MAX_VECTORS_N + 1}&vectors=1&g=2`);
  deepEqual(big.invalid, { vectors: `vectors need n <= ${MAX_VECTORS_N}, got n=${MAX_VECTORS_N + 1}` });
  equal(big.config.vectors, undefined);
  equal(big.config.n, MAX_VECTORS_N + 1);
  deepEqual(Object.keys(at("vectors=yes").invalid), ["vectors"]);
  // A network file's n counts; a connectome's is checked once built (checkVectorsN in the Worker).
  deepEqual(Object.keys(readConfig(new URLSearchParams("vectors=1"), 800).invalid), ["vectors"]);
  equal(at("roi=FB&n=1000&vectors=1").config.vectors, true);
  throws(() => checkVectorsN(MAX_VECTORS_N + 1), /vectors need n <= /);
  equal(configParams(at("n=30&vectors=1").config).get("vectors"), "1");
  equal(configParams(at("n=30").config).has("vectors"), false);
});
