/**
 * Messages between the explorer page and its Worker.
 *
 * @module
 */

import type { RunTables } from "../../src/mod.ts";
import type { ExplorerConfig } from "./_config.ts";

/** Page → worker: compute a configuration. */
export interface RunRequest {
  type: "run";
  config: ExplorerConfig;
  /** URL of build/flybrain.wasm. */
  wasm: string;
  /** A network file opened or dropped on the page (any format of `flybrain spectrum --network`). */
  file?: NetworkBytes;
}

/** A network file's name and bytes, as read in the page. */
export interface NetworkBytes {
  name: string;
  bytes: ArrayBuffer;
}

/** Worker → page. */
export type WorkerMessage =
  | { type: "progress"; phase: "spectrum" | "vectors" | "sweep"; done: number; total: number }
  | {
    type: "spectrum";
    json: Record<string, unknown>;
    /** Running estimates: observed times, and points × k estimates row-major. */
    time: Float64Array;
    estimates: Float64Array;
  }
  | VectorsMessage
  | { type: "sweep-point"; g: number; lambdaMax: number; kyDimension: number; entropy: number }
  | { type: "done" }
  | { type: "error"; message: string };

/** Worker → page: the covariant vectors of the run's network. */
export interface VectorsMessage {
  type: "vectors";
  /** The fields of `flybrain vectors --json`. */
  json: Record<string, unknown>;
  /** The tables of a `vectors` run, for the viewer's charts. */
  tables: RunTables<"vectors">;
}
