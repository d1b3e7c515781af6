/**
 * Messages between the explorer page and its Worker.
 *
 * @module
 */

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
  | { type: "progress"; phase: "spectrum" | "sweep"; done: number; total: number }
  | {
    type: "spectrum";
    json: Record<string, unknown>;
    /** Running estimates: observed times, and points × k estimates row-major. */
    time: Float64Array;
    estimates: Float64Array;
  }
  | { type: "sweep-point"; g: number; lambdaMax: number; kyDimension: number; entropy: number }
  | { type: "done" }
  | { type: "error"; message: string };
