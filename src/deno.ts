/**
 * FlyStability for Deno: everything of the browser-safe entry (`./mod.ts`) plus what needs
 * Deno: atomic file writes, folders created without following links, network files and
 * connectome tables read from disk, run folders on disk, child Deno processes (the sandbox), and
 * the pool of Workers that runs spectrum and gradient jobs in parallel.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { loadConnectome } from "./deno.ts";
 * equal(loadConnectome("data/connectomics", { roi: "AB" }).n, 143);
 * ```
 *
 * @module
 */

export * from "./mod.ts";
export { type AtomicWriteOptions, temporaryPath, writeFileAtomic } from "./atomic_write.ts";
export { checkFolder, ensureFolder } from "./safe_folder.ts";
export { type DenoChildOptions, runDenoChild } from "./deno_child.ts";
export { readNetwork, type ReadNetworkOptions, writeNetwork } from "./network_file_io.ts";
export { loadConnectome, readConnectomeTable } from "./connectome_files.ts";
export {
  createRunFolder,
  holdRunLock,
  listRuns,
  loadFinished,
  releaseRunLock,
  type RunInfo,
  runStatus,
  saveFinished,
  sha256,
  writeManifest,
} from "./runs/folder.ts";
export { defaultWorkers, WorkerPool } from "./pool.ts";
