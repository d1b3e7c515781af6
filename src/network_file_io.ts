/**
 * Reading and writing network files on disk (Deno); the format itself is src/network_file.ts.
 *
 * @module
 */

import { writeFileAtomic } from "./atomic_write.ts";
import type { Network } from "./network.ts";
import {
  type NetworkFile,
  type NetworkFileExtras,
  networkFileJson,
  parseNetworkFile,
} from "./network_file.ts";

/** What a network file is, for error messages. */
const NETWORK_FILE_FORMAT = 'a network file: a JSON object with "n" and "weights" (n*n) or "edges"';

/**
 * Reads a network file; errors name the file, what is wrong with it and the expected format
 * (never its bytes).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const file = await readNetwork("tests/fixtures/reference/fixed_point_n12.json");
 * equal(file.network.n, 12);
 * ```
 */
export async function readNetwork(path: string): Promise<NetworkFile> {
  const fail = (reason: string): never => {
    throw new Error(`Cannot read network file ${path}: ${reason}; expected ${NETWORK_FILE_FORMAT}`);
  };
  let text = "";
  try {
    const info = await Deno.stat(path);
    if (info.isDirectory) fail("it is a folder");
    if (!info.isFile) fail("not a regular file");
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) fail("no such file");
    if (e instanceof Deno.errors.PermissionDenied) fail("permission denied");
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    fail("not valid JSON"); // the parser's message quotes the file's bytes
  }
  return parseNetworkFile(json, path);
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
