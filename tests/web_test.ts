/** The page's pure modules: URL path checks, run labels (the page itself: tests/e2e/web_test.ts). */

import { deepEqual, equal } from "node:assert/strict";
import { safeSegments } from "../web/_static.ts";
import { differingLabels } from "../web/app/_run.ts";

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
