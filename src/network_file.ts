/**
 * The network file (docs/design.md#10-network-file): JSON with `n`, `activation`, `weights`
 * (flat row-major n×n) or `edges` (`[[pre, post, w], …]`), optional `types`, `typeNames`, `ids`,
 * `gains` and `shifts` (per type, or per neuron without types), and optional `h0`, `q0`
 * (n×nle row-major), `nle` and `options` (`dt, tons, ttr, tframe, tsim, nle, seed`). Parsing
 * and serialising only, so that it runs in the browser too; reading and writing the files:
 * src/network_file_io.ts.
 *
 * @module
 */

import { networkFromParts } from "./_network_parts.ts";
import type { LyapunovSpectrumOptions } from "./lyapunov_spectrum.ts";
import type { Network } from "./network.ts";

/** The spectrum options a network file may set. */
export type NetworkFileOptions = Pick<
  LyapunovSpectrumOptions,
  "nle" | "dt" | "tons" | "ttr" | "tframe" | "tsim" | "seed"
>;

/** Spectrum inputs a network file may carry besides the network. */
export interface NetworkFileExtras {
  /** Initial state. */
  h0?: Float64Array;
  /** Start frame, n×nle row-major. */
  q0?: Float64Array;
  /** Options of the spectrum (dt, tons, ttr, tframe, tsim, nle, seed). */
  options?: NetworkFileOptions;
}

/** A network and the extras of its file. */
export interface NetworkFile extends NetworkFileExtras {
  network: Network;
}

const OPTION_NAMES: readonly string[] = ["dt", "tons", "ttr", "tframe", "tsim", "nle", "seed"];

function numbers(where: string, name: string, value: unknown, integer = false): number[] {
  if (!Array.isArray(value)) throw new SyntaxError(`${where}: "${name}" must be an array of numbers`);
  value.forEach((x, i) => {
    if (typeof x !== "number" || !Number.isFinite(x) || (integer && !Number.isInteger(x))) {
      throw new SyntaxError(
        `${where}: ${name}[${i}] must be a finite ${integer ? "integer" : "number"}, got ${
          typeof x === "number" ? x : JSON.stringify(x)
        }`,
      );
    }
  });
  return value as number[];
}

/**
 * Builds a network (and its extras) from the parsed JSON of a network file; `where` names the
 * source in error messages.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const { network } = parseNetworkFile({ n: 2, activation: "tanh", edges: [[0, 1, 0.5]] });
 * equal(network.weights[1 * 2 + 0], 0.5);
 * ```
 */
export function parseNetworkFile(json: unknown, where = "network"): NetworkFile {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new SyntaxError(`${where}: expected a JSON object`);
  }
  const d = json as Record<string, unknown>;
  const n = d.n;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw new SyntaxError(`${where}: "n" must be a positive integer, got ${JSON.stringify(n)}`);
  }
  let weights: Float64Array;
  if (d.weights !== undefined) {
    weights = Float64Array.from(numbers(where, "weights", d.weights));
    if (weights.length !== n * n) {
      throw new SyntaxError(`${where}: "weights" must have n*n = ${n * n} entries, got ${weights.length}`);
    }
  } else if (d.edges !== undefined) {
    if (!Array.isArray(d.edges)) {
      throw new SyntaxError(`${where}: "edges" must be an array of [pre, post, w]`);
    }
    weights = new Float64Array(n * n);
    d.edges.forEach((e, i) => {
      const [pre, post, w] = Array.isArray(e) && e.length === 3 ? e : [NaN, NaN, NaN];
      if (
        !Number.isInteger(pre) || !Number.isInteger(post) || pre < 0 || post < 0 || pre >= n || post >= n ||
        typeof w !== "number" || !Number.isFinite(w)
      ) {
        throw new SyntaxError(
          `${where}: edges[${i}] must be [pre, post, w] with 0 <= pre, post < ${n} and finite w, got ${
            JSON.stringify(e)
          }`,
        );
      }
      weights[post * n + pre] += w;
    });
  } else {
    throw new SyntaxError(`${where}: needs "weights" (n*n) or "edges" ([[pre, post, w], ...])`);
  }
  const types = d.types === undefined ? undefined : Int32Array.from(numbers(where, "types", d.types, true));
  const options: Record<string, number | "auto"> = {};
  const given = { ...(typeof d.options === "object" && d.options !== null ? d.options : {}) } as Record<
    string,
    unknown
  >;
  if (d.nle !== undefined && given.nle === undefined) given.nle = d.nle;
  for (const [key, value] of Object.entries(given)) {
    if (!OPTION_NAMES.includes(key)) continue;
    if (typeof value !== "number" && !(key === "tons" && value === "auto")) {
      throw new SyntaxError(`${where}: options.${key} must be a number, got ${JSON.stringify(value)}`);
    }
    options[key] = value as number | "auto";
  }
  return networkFromParts({
    n,
    activation: String(d.activation ?? "tanh"),
    weights,
    types,
    gains: d.gains === undefined ? undefined : Float64Array.from(numbers(where, "gains", d.gains)),
    shifts: d.shifts === undefined ? undefined : Float64Array.from(numbers(where, "shifts", d.shifts)),
    typeNames: Array.isArray(d.typeNames) ? d.typeNames.map(String) : undefined,
    ids: Array.isArray(d.ids) ? d.ids as (number | string)[] : undefined,
    h0: d.h0 === undefined ? undefined : Float64Array.from(numbers(where, "h0", d.h0)),
    q0: d.q0 === undefined ? undefined : Float64Array.from(numbers(where, "q0", d.q0)),
    options: options as NetworkFileOptions,
  }, where);
}

/** The JSON object of a network file (dense weights). */
export function networkFileJson(net: Network, extras: NetworkFileExtras = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {
    n: net.n,
    activation: net.activation,
    weights: Array.from(net.weights),
  };
  if (net.types) out.types = Array.from(net.types);
  if (net.typeNames) out.typeNames = net.typeNames;
  if (net.ids) out.ids = net.ids;
  out.gains = Array.from(net.gains);
  out.shifts = Array.from(net.shifts);
  if (extras.h0) out.h0 = Array.from(extras.h0);
  if (extras.q0) out.q0 = Array.from(extras.q0);
  if (extras.options) out.options = extras.options;
  return out;
}
