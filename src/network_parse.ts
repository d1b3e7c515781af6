/**
 * One entry for every network format: picks the reader of a file's bytes from its magic bytes
 * (`.npy`, `.npz`) or its extension (`.json`, `.csv`), with a look at the text when the name
 * says nothing. Runs anywhere (bytes in, network out): the command line and the page share it.
 *
 * @module
 */

import { type NeuronTable, parseNetworkCsv } from "./network_csv.ts";
import { type NetworkFile, parseNetworkFile } from "./network_file.ts";
import { parseNetworkNpy } from "./network_npy.ts";
import { isZip, parseNetworkNpz } from "./network_npz.ts";
import { isNpy } from "./npy_parse.ts";

/** What a network file is, for error messages. */
export const NETWORK_FILE_FORMAT =
  'a network file: a JSON object with "n" and "weights" (n*n) or "edges", a .npy matrix W[post, pre], ' +
  "a .npz archive with W, or a .csv edge list pre,post,weight";

/** The network file formats. */
export type NetworkFormat = "json" | "npy" | "npz" | "csv";

/** Options of {@linkcode parseNetworkBytes}, for the formats that do not carry them. */
export interface ParseNetworkOptions {
  /** Activation of a `.npy`, `.npz` or CSV network (a JSON file names its own). @default {"tanh"} */
  activation?: string;
  /** Neurons table of a CSV edge list (see {@linkcode parseNeuronTable}). */
  neurons?: NeuronTable;
  /** Name of the neurons table in error messages. */
  neuronsWhere?: string;
}

/**
 * The format of a network file from its name and first bytes; throws when neither tells.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * equal(networkFormat("net.json", new TextEncoder().encode('{"n": 1}')), "json");
 * ```
 */
export function networkFormat(name: string, bytes: Uint8Array): NetworkFormat {
  if (isNpy(bytes)) return "npy";
  if (isZip(bytes)) return "npz";
  const ext = /\.([A-Za-z]+)$/.exec(name)?.[1].toLowerCase();
  if (ext === "npy" || ext === "npz") {
    throw new SyntaxError(`${name}: not an .${ext} file (it does not start with the ${ext} magic bytes)`);
  }
  if (ext === "json" || ext === "csv") return ext;
  const start = new TextDecoder().decode(bytes.subarray(0, 256)).replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("{")) return "json";
  if (/^[^\n]*\bpre\b[^\n]*\bpost\b/.test(start)) return "csv";
  throw new SyntaxError(`Cannot read network file ${name}: unknown format; expected ${NETWORK_FILE_FORMAT}`);
}

/**
 * A network from the bytes of a file in any of the formats; `name` (the file's name or path)
 * chooses the format with the bytes and names the file in error messages.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const csv = new TextEncoder().encode("pre,post,weight\n0,1,0.5\n1,0,0.25\n");
 * equal(parseNetworkBytes(csv, "edges.csv").network.n, 2);
 * ```
 */
export function parseNetworkBytes(
  bytes: Uint8Array,
  name: string,
  options: ParseNetworkOptions = {},
): NetworkFile {
  const format = networkFormat(name, bytes);
  if (format === "npy") return parseNetworkNpy(bytes, name, options.activation);
  if (format === "npz") return parseNetworkNpz(bytes, name, options.activation);
  const text = new TextDecoder().decode(bytes);
  if (format === "csv") return parseNetworkCsv(text, name, options);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message would quote the file's bytes.
    throw new SyntaxError(
      `Cannot read network file ${name}: not valid JSON; expected ${NETWORK_FILE_FORMAT}`,
    );
  }
  return parseNetworkFile(json, name);
}
