/**
 * Messages between the explorer page and its Worker.
 *
 * @module
 */

import type { RunTables, StopSignal, TeamInit } from "../../src/mod.ts";
import type { ExplorerConfig } from "./_config.ts";

/** Page → worker: compute a configuration. */
export interface RunRequest {
  type: "run";
  config: ExplorerConfig;
  /** URL of build/flybrain.wasm. */
  wasm: string;
  /** URL of build/flybrain_threads.wasm (computations with more than one thread). */
  threadsWasm: string;
  /** A network file opened or dropped on the page (any format of `flybrain spectrum --network`). */
  file?: NetworkBytes;
}

/** Page → worker: the team the worker asked for runs (no `error`), or could not start. */
export interface TeamStarted {
  type: "team-started";
  error?: string;
}

/** A network file's name and bytes, as read in the page. */
export interface NetworkBytes {
  name: string;
  bytes: ArrayBuffer;
}

/** Worker → page. */
export type WorkerMessage =
  /** Start and supervise the threads 1..T−1 of the Worker's core (the Worker owns no Workers). */
  | { type: "team"; init: TeamInit }
  | { type: "progress"; phase: "spectrum" | "vectors" | "sweep"; done: number; total: number }
  /**
   * The threads of the computation, the line the page shows about them and, with more than one,
   * what stops them at once (Cancel).
   */
  | { type: "threads"; threads: number; note: string; stop?: StopSignal }
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
