/**
 * The tables of a vectors run built in memory (what the explorer plots) are the CSVs that
 * `flybrain vectors --out` writes, as the viewer reads them; a table from rows names a bad cell.
 */

import { deepEqual, equal, throws } from "node:assert/strict";
import { stringify } from "csv-stringify/sync";
import {
  LAMBDA_MAX_TABLE,
  randomNetwork,
  readTable,
  rowsTable,
  type Table,
  tableCells,
  type TableSchema,
  VECTORS_ANGLES_TABLE,
  VECTORS_FTLE_TABLE,
  VECTORS_SUMMARY_TABLE,
  vectorsRows,
  vectorsTables,
} from "../src/mod.ts";
import { core } from "./_fixtures.ts";

Deno.test("vectorsTables() equals the run's CSVs as readTable reads them (chaotic network, NaN cells)", () => {
  // g = 2, seed 3: two unstable vectors of six, so every angle exists; one block: no stderr ("").
  const res = core.covariantVectors(randomNetwork({ n: 100, g: 2, seed: 3 }), {
    nle: 6,
    tsim: 50,
    seed: 3,
    samples: 26,
    blocks: 1,
  });
  equal(res.angles.unstable, 2);
  const rows = vectorsRows(res);
  const tables = vectorsTables(res);
  // Columns as plain arrays, NaN as null (the assertion's NaN is not equal to itself).
  const plain = (t: Table<TableSchema>) => ({
    ...t,
    col: Object.fromEntries(
      Object.entries(t.col).map(([c, v]) => [c, Array.from(v!, (x) => (Number.isNaN(x) ? null : x))]),
    ),
  });
  const written = <S extends TableSchema>(schema: S, r: Parameters<typeof tableCells<S>>[1]) =>
    plain(readTable(schema, stringify(tableCells(schema, r))));
  deepEqual(plain(tables.summary), written(VECTORS_SUMMARY_TABLE, rows.summary));
  deepEqual(plain(tables.angles), written(VECTORS_ANGLES_TABLE, rows.angles));
  deepEqual(plain(tables.ftle), written(VECTORS_FTLE_TABLE, rows.ftle));
  equal(tables.angles.rows, 26);
  equal(Number.isNaN(tables.summary.col.stderr_clv[0]), true);
  equal(tables.summary.col.participation_ratio[5], res.localisation.participationRatio.mean[5]);
  deepEqual(Array.from(tables.angles.col.unstable_stable), Array.from(res.angles.unstableStable!.values));
});

Deno.test("rowsTable() reads numbers, numeric strings and empty cells, and names a bad cell", () => {
  const t = rowsTable(LAMBDA_MAX_TABLE, [
    { g: 0.5, sample: 0, seed: 7, lambda_max: "-0.25" },
    { g: 1, sample: 1, seed: 8, lambda_max: "" },
  ]);
  equal(t.col.lambda_max[0], -0.25);
  equal(Number.isNaN(t.col.lambda_max[1]), true);
  equal(t.rows, 2);
  throws(
    () => rowsTable(LAMBDA_MAX_TABLE, [{ g: 1, sample: 0, seed: 1, lambda_max: "x" }]),
    /lambda_max\.csv: row 1: lambda_max must be a number, got "x"/,
  );
});
