/**
 * Reading and writing network files on disk (Deno). Reading takes any format of
 * src/network_parse.ts (JSON, `.npy`, `.npz`, CSV edge list); writing writes the JSON format
 * (src/network_file.ts) atomically.
 *
 * @module
 */

import { writeFileAtomic } from "./atomic_write.ts";
import type { Network } from "./network.ts";
import { parseNeuronTable } from "./network_csv.ts";
import { type NetworkFile, type NetworkFileExtras, networkFileJson } from "./network_file.ts";
import { NETWORK_FILE_FORMAT, parseNetworkBytes } from "./network_parse.ts";

/** Options of {@linkcode readNetwork}. */
export interface ReadNetworkOptions {
  /** Activation of a `.npy`, `.npz` or CSV network (a JSON file names its own). @default {"tanh"} */
  activation?: string;
  /** Path of a neurons table (`id,type`) giving the indices and types of a CSV edge list. */
  neurons?: string;
}

async function readBytes(path: string, what: string, expected: string): Promise<Uint8Array> {
  const fail = (reason: string): never => {
    throw new Error(`Cannot read ${what} ${path}: ${reason}; expected ${expected}`);
  };
  try {
    const info = await Deno.stat(path);
    if (info.isDirectory) fail("it is a folder");
    if (!info.isFile) fail("not a regular file");
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) fail("no such file");
    if (e instanceof Deno.errors.PermissionDenied) fail("permission denied");
    throw e;
  }
}

/**
 * Reads a network file: JSON, `.npy` (W), `.npz` (W and optional arrays) or a CSV edge list
 * (see {@linkcode parseNetworkBytes}); errors name the file, what is wrong with it and the
 * expected formats, never quoting a file that is none of them. The bytes of a `.npy` are viewed,
 * not copied or decoded as text.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const file = await readNetwork("tests/fixtures/reference/fixed_point_n12.json");
 * equal(file.network.n, 12);
 * ```
 */
export async function readNetwork(path: string, options: ReadNetworkOptions = {}): Promise<NetworkFile> {
  const bytes = await readBytes(path, "network file", NETWORK_FILE_FORMAT);
  const neurons = options.neurons === undefined ? undefined : parseNeuronTable(
    new TextDecoder().decode(await readBytes(options.neurons, "neurons table", "a CSV table id,type")),
    options.neurons,
  );
  return parseNetworkBytes(bytes, path, {
    activation: options.activation,
    neurons,
    neuronsWhere: options.neurons,
  });
}

/**
 * Writes a network file atomically.
 *
 * @example
 * ```ts
 * import { randomNetwork } from "./network.ts";
 * const dir = await Deno.makeTempDir();
 * await writeNetwork(`${dir}/net.json`, randomNetwork({ n: 4, seed: 1 }));
 * ```
 */
export async function writeNetwork(
  path: string,
  net: Network,
  extras: NetworkFileExtras = {},
): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(networkFileJson(net, extras)) + "\n");
}
