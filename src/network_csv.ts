/**
 * A network from a CSV edge list: a header naming the columns `pre,post,weight` (others are
 * ignored), then one row per connection from neuron `pre` to neuron `post`. Neuron ids are any
 * strings, mapped to indices in order of first appearance (`pre` before `post`, row by row), or
 * by a neurons table (`id,type`: the table's order, and a cell type per neuron).
 *
 * @module
 */

import { parseCsvRecords } from "./csv.ts";
import { networkFromParts } from "./_network_parts.ts";
import type { NetworkFile } from "./network_file.ts";

/** Neurons in index order, with an optional cell type each (names). */
export interface NeuronTable {
  /** Neuron ids, in index order. */
  ids: string[];
  /** The type name of each neuron, when the table has a `type` column. */
  types?: string[];
}

/** The CSV's rows as the values of `columns` (undefined for a column the header lacks). */
function records(
  text: string,
  where: string,
  required: string[],
  optional: string[] = [],
): { rows: (string | undefined)[][]; lines: number[]; has: boolean[] } {
  const csv = parseCsvRecords(text.replace(/^\uFEFF/, ""), where, required);
  return {
    rows: csv.rows.map((r) => [...required, ...optional].map((c) => r[c]?.trim())),
    lines: csv.lines,
    has: optional.map((c) => csv.columns.includes(c)),
  };
}

const asId = (s: string): number | string => /^-?\d{1,15}$/.test(s) ? Number(s) : s;

/**
 * Parses a neurons table (`id,type`; `type` optional) for {@linkcode parseNetworkCsv}.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * deepEqual(parseNeuronTable("id,type\na,E\nb,I\n", "neurons.csv").types, ["E", "I"]);
 * ```
 */
export function parseNeuronTable(text: string, where: string): NeuronTable {
  const { rows, lines, has } = records(text, where, ["id"], ["type"]);
  const seen = new Map<string, number>();
  const ids = rows.map((r) => r[0]!);
  ids.forEach((id, i) => {
    if (id === "") throw new SyntaxError(`${where}:${lines[i]}: empty id`);
    const first = seen.get(id);
    if (first !== undefined) {
      throw new SyntaxError(`${where}:${lines[i]}: id "${id}" already on line ${first}`);
    }
    seen.set(id, lines[i]);
  });
  if (rows.length === 0) throw new SyntaxError(`${where}: no neurons`);
  return { ids, types: has[0] ? rows.map((r) => r[1]!) : undefined };
}

/**
 * A network from a CSV edge list `pre,post,weight`; `neurons` (from a neurons table) fixes the
 * indices and cell types; without it, ids are numbered in order of first appearance.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const { network } = parseNetworkCsv("pre,post,weight\na,b,0.5\nb,a,-1\n", "edges.csv");
 * equal(network.weights[1 * 2 + 0], 0.5); // a (index 0) → b (index 1)
 * ```
 */
export function parseNetworkCsv(
  text: string,
  where: string,
  options: { activation?: string; neurons?: NeuronTable; neuronsWhere?: string } = {},
): NetworkFile {
  const { rows, lines } = records(text, where, ["pre", "post", "weight"]);
  if (rows.length === 0) throw new SyntaxError(`${where}: no edges after the header`);
  const index = new Map<string, number>();
  options.neurons?.ids.forEach((id, i) => index.set(id, i));
  const indexOf = (id: string, column: string, row: number): number => {
    let i = index.get(id);
    if (i === undefined) {
      if (options.neurons !== undefined) {
        throw new SyntaxError(
          `${where}:${lines[row]}: ${column} id "${id}" is not in the neurons table ${
            options.neuronsWhere ?? ""
          }`
            .trimEnd(),
        );
      }
      if (id === "") throw new SyntaxError(`${where}:${lines[row]}: empty ${column} id`);
      i = index.size;
      index.set(id, i);
    }
    return i;
  };
  const edges = rows.map((row, r) => {
    const [pre, post, weight] = row as string[];
    const w = Number(weight);
    if (weight === "" || !Number.isFinite(w)) {
      throw new SyntaxError(`${where}:${lines[r]}: weight "${weight}" is not a finite number`);
    }
    return [indexOf(pre, "pre", r), indexOf(post, "post", r), w];
  });
  const n = index.size;
  const weights = new Float64Array(n * n);
  const lineOf = new Map<number, number>();
  edges.forEach(([pre, post, w], r) => {
    const first = lineOf.get(post * n + pre);
    if (first !== undefined) {
      throw new SyntaxError(
        `${where}:${lines[r]}: duplicate edge ${rows[r][0]} -> ${rows[r][1]} (first on line ${first})`,
      );
    }
    lineOf.set(post * n + pre, lines[r]);
    weights[post * n + pre] = w;
  });
  const typeNames = options.neurons?.types === undefined ? undefined : [...new Set(options.neurons.types)];
  return networkFromParts({
    n,
    activation: options.activation ?? "tanh",
    weights,
    types: typeNames === undefined
      ? undefined
      : Int32Array.from(options.neurons!.types!, (t) => typeNames.indexOf(t)),
    typeNames,
    ids: [...index.keys()].map(asId),
  }, where);
}
