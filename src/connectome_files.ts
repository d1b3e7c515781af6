/**
 * Reading the connectome tables from disk (Deno): `data/connectomics/<ROI>/neurons.csv` and
 * `edges.csv`, parsed with csv-parse and checked by src/connectome.ts.
 *
 * @module
 */

import { parse } from "csv-parse/sync";
import {
  buildConnectome,
  checkRoi,
  type ConnectomeNetwork,
  type ConnectomeOptions,
  type ConnectomeTable,
  connectomeTable,
  type CsvRecords,
} from "./connectome.ts";

function readCsv(path: string): CsvRecords {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    const reason = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message;
    throw new Error(`Cannot read ${path}: ${reason}`);
  }
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: true, info: true, skip_empty_lines: true });
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new SyntaxError(
      `${path}:${err.lines ?? "?"}: ${err.message.replace(/^Invalid Record Length: /, "")}`,
    );
  }
  return {
    columns: text.slice(0, text.indexOf("\n")).trim().split(","),
    rows: records.map((r) => r.record),
    lines: records.map((r) => r.info.lines),
  };
}

/**
 * Reads and checks `neurons.csv` and `edges.csv` of a folder; errors say `file:line: what is
 * wrong`.
 */
export function readConnectomeTable(dir: string): ConnectomeTable {
  const npath = `${dir}/neurons.csv`;
  const epath = `${dir}/edges.csv`;
  return connectomeTable(readCsv(npath), readCsv(epath), npath, epath);
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
