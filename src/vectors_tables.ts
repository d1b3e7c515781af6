/**
 * The tables of a `vectors` run built from a covariantVectors result: the rows that
 * `flybrain vectors --out` writes as CSV and the numeric tables that the explorer page plots
 * with the viewer's charts, from one place.
 *
 * @module
 */

import type { CovariantVectorsResult } from "./covariant_vectors.ts";
import { rowsTable, type RunTables } from "./runs/read.ts";
import {
  type Row,
  VECTORS_ANGLES_TABLE,
  VECTORS_FTLE_TABLE,
  VECTORS_SUMMARY_TABLE,
  type VECTORS_TYPE_SHARES_TABLE,
} from "./runs/schema.ts";

/** The rows of each table of a `vectors` run ("" where a value does not exist). */
export interface VectorsRows {
  summary: Row<typeof VECTORS_SUMMARY_TABLE>[];
  angles: Row<typeof VECTORS_ANGLES_TABLE>[];
  ftle: Row<typeof VECTORS_FTLE_TABLE>[];
  /** Networks with types only. */
  typeShares?: Row<typeof VECTORS_TYPE_SHARES_TABLE>[];
}

/**
 * The rows of the tables of a `vectors` run (src/runs/schema.ts): per vector its exponents,
 * localisation and neighbour angles; per sample the unstable/stable angle; per vector the
 * finite-time exponents' distribution; per vector and cell type (or sign) its share.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { loadCore, randomNetwork } from "./mod.ts";
 * const core = await loadCore();
 * const res = core.covariantVectors(randomNetwork({ n: 10, g: 2 }), { nle: 2, tsim: 2, samples: 3 });
 * equal(vectorsRows(res).angles.length, 3);
 * ```
 */
export function vectorsRows(res: CovariantVectorsResult): VectorsRows {
  const k = res.exponents.length;
  const { ipr, participationRatio } = res.localisation;
  const between = res.angles.unstableStable?.values;
  const q = (l: number, i: number) => res.ftle.quantiles[l * k + i];
  const rows: VectorsRows = {
    summary: Array.from(res.exponents, (l, i) => ({
      i: i + 1,
      lambda_qr: l,
      stderr_qr: res.stderr?.[i] ?? "",
      lambda_clv: res.clvExponents[i],
      stderr_clv: res.clvStderr?.[i] ?? "",
      ipr: ipr.mean[i],
      ipr_stderr: ipr.stderr?.[i] ?? "",
      participation_ratio: participationRatio.mean[i],
      participation_ratio_stderr: participationRatio.stderr?.[i] ?? "",
      angle_next_mean: res.angles.neighbours.mean[i] ?? "",
      angle_next_min: res.angles.neighbours.min[i] ?? "",
    })),
    angles: Array.from(
      res.times,
      (time, sample) => ({ sample, time, unstable_stable: between?.[sample] ?? "" }),
    ),
    ftle: Array.from(res.ftle.mean, (mean, i) => ({
      i: i + 1,
      window: res.ftle.window,
      mean,
      variance: res.ftle.variance[i],
      std: res.ftle.std[i],
      q05: q(0, i),
      q25: q(1, i),
      q50: q(2, i),
      q75: q(3, i),
      q95: q(4, i),
    })),
  };
  const shares = res.typeShares;
  if (shares) {
    rows.typeShares = [];
    for (let i = 0; i < k; i++) {
      shares.typeNames.forEach((name, t) =>
        rows.typeShares!.push({ i: i + 1, group: "type", name, share: shares.types[t * k + i] })
      );
      rows.typeShares.push({ i: i + 1, group: "sign", name: "excitatory", share: shares.excitatory[i] });
      rows.typeShares.push({ i: i + 1, group: "sign", name: "inhibitory", share: shares.inhibitory[i] });
    }
  }
  return rows;
}

/**
 * The numeric tables of a `vectors` run as the viewer reads them from its CSVs, built from the
 * result in memory (for the explorer, which plots them with the viewer's charts).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { loadCore, randomNetwork } from "./mod.ts";
 * const core = await loadCore();
 * const res = core.covariantVectors(randomNetwork({ n: 10, g: 2 }), { nle: 2, tsim: 2, samples: 3 });
 * equal(vectorsTables(res).summary.col.lambda_clv[1], res.clvExponents[1]);
 * ```
 */
export function vectorsTables(res: CovariantVectorsResult): RunTables<"vectors"> {
  const rows = vectorsRows(res);
  return {
    summary: rowsTable(VECTORS_SUMMARY_TABLE, rows.summary),
    angles: rowsTable(VECTORS_ANGLES_TABLE, rows.angles),
    ftle: rowsTable(VECTORS_FTLE_TABLE, rows.ftle),
  };
}
