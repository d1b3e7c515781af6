/**
 * Reading the connectome tables from disk (Deno): `data/connectomics/<ROI>/neurons.csv` and
 * `edges.csv`, parsed and checked by src/connectome.ts.
 *
 * @module
 */

import {
  buildConnectome,
  checkRoi,
  type ConnectomeNetwork,
  type ConnectomeOptions,
  type ConnectomeTable,
  connectomeTable,
} from "./connectome.ts";

function readText(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    const reason = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message;
    throw new Error(`Cannot read ${path}: ${reason}`);
  }
}

/**
 * Reads and checks `neurons.csv` and `edges.csv` of a folder; errors say `file:line: what is
 * wrong`.
 */
export function readConnectomeTable(dir: string): ConnectomeTable {
  const npath = `${dir}/neurons.csv`;
  const epath = `${dir}/edges.csv`;
  return connectomeTable(readText(npath), readText(epath), npath, epath);
}

/**
 * The network of a ROI of the connectome in `dir` (the folder holding the ROIs).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const net = loadConnectome("data/connectomics", { roi: "AB" });
 * equal(net.n, 143);
 * ```
 */
export function loadConnectome(dir: string, options: ConnectomeOptions): ConnectomeNetwork {
  checkRoi(options.roi);
  return buildConnectome(readConnectomeTable(`${dir}/${options.roi}`), options);
}
