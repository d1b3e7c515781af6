/**
 * The one place where the readers of every network format (JSON, .npy, .npz, CSV) turn arrays
 * into a checked network file: default gains and shifts, validation, extras.
 *
 * @module
 */

import { parseActivation } from "./activation.ts";
import type { NetworkFile, NetworkFileOptions } from "./network_file.ts";
import { type Network, parameterCount, validateNetwork } from "./network.ts";

/** The arrays a network file is made of; absent gains are 1, absent shifts 0. */
export interface NetworkParts {
  n: number;
  activation: string;
  weights: Float64Array;
  types?: Int32Array;
  gains?: Float64Array;
  shifts?: Float64Array;
  typeNames?: string[];
  ids?: (number | string)[];
  h0?: Float64Array;
  q0?: Float64Array;
  options?: NetworkFileOptions;
}

/** A checked network file from its arrays; errors start with `where`. */
export function networkFromParts(parts: NetworkParts, where: string): NetworkFile {
  const fail = (e: unknown): never => {
    throw new SyntaxError(`${where}: ${(e as Error).message}`);
  };
  let activation;
  try {
    activation = parseActivation(parts.activation);
  } catch (e) {
    fail(e);
  }
  const partial: Network = {
    n: parts.n,
    weights: parts.weights,
    activation: activation!,
    types: parts.types,
    gains: new Float64Array(),
    shifts: new Float64Array(),
  };
  const count = parts.types === undefined ? parts.n : parameterCount(partial);
  const network: Network = {
    ...partial,
    gains: parts.gains ?? new Float64Array(count).fill(1),
    shifts: parts.shifts ?? new Float64Array(count),
  };
  if (parts.typeNames !== undefined) network.typeNames = parts.typeNames;
  if (parts.ids !== undefined) network.ids = parts.ids;
  try {
    validateNetwork(network);
  } catch (e) {
    fail(e);
  }
  const out: NetworkFile = { network };
  if (parts.h0 !== undefined) out.h0 = parts.h0;
  if (parts.q0 !== undefined) out.q0 = parts.q0;
  const options = { ...parts.options };
  // Without nle, the start frame says how many exponents: its width.
  if (parts.q0 !== undefined && options.nle === undefined) {
    const width = parts.q0.length / parts.n;
    if (!Number.isInteger(width) || width < 1) {
      throw new SyntaxError(
        `${where}: "q0" must be n×nle row-major (a multiple of n = ${parts.n} entries), got ${parts.q0.length}`,
      );
    }
    options.nle = width;
  }
  if (Object.keys(options).length > 0) out.options = options;
  return out;
}
