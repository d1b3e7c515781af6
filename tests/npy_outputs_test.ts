import { deepEqual } from "node:assert/strict";
import { tableArray } from "../cli/_workflow.ts";

Deno.test("tableArray() lays a column out on the grid of its key columns, NaN where no row is", () => {
  const rows = [{ k: "a", j: 0, v: 1 }, { k: "a", j: 1, v: 2 }, { k: "b", j: 1, v: 4 }, {
    k: "c",
    j: 0,
    v: "5",
  }];
  const { values, shape, axes } = tableArray(rows, ["k", "j"], "v");
  deepEqual(shape, [3, 2]);
  deepEqual(axes, [["a", "b", "c"], [0, 1]]);
  deepEqual(Array.from(values), [1, 2, NaN, 4, 5, NaN]);
});
