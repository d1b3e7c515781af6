/**
 * Networks from the fly central-complex connectome (docs/design.md#8-connectome-networks), built
 * from the tables of `data/connectomics/<ROI>/` (neurons.csv, edges.csv; see
 * data/connectomics/README.md) once parsed (reading the files: src/connectome_files.ts; this
 * module runs in the browser too).
 *
 * Construction: keep the ROI's neurons (with `unknownSign: "drop"`, those of sign 0 are
 * removed; with `"excitatory"` they count as excitatory), optionally keep only the largest
 * strongly connected component (as the original did), set W[post, pre] = sign(pre)·synapses,
 * and normalise (see {@linkcode sinkhornBalance}); cell types by neurotransmitter or cell body
 * fiber, or one per neuron.
 *
 * @module
 */

import { type Activation, parseActivation } from "./activation.ts";
import { parseCsvRecords } from "./csv.ts";
import type { Network } from "./network.ts";
import type { Progress } from "./progress.ts";

/** The ROIs shipped in data/connectomics. */
export const ROIS = ["EB", "PB", "NO", "AB", "FB", "EB_PB"] as const;

/** A region of interest. */
export type Roi = (typeof ROIS)[number];

/** Options of {@linkcode loadConnectome}. */
export interface ConnectomeOptions {
  /** Region of interest. */
  roi: Roi | string;
  /** Neurons of sign 0 (modulatory or unknown): removed, or excitatory. @default {"drop"} */
  unknownSign?: "drop" | "excitatory";
  /** Keep only the largest strongly connected component. @default {true} */
  scc?: boolean;
  /** Normalisation of W. @default {"sinkhorn"} */
  normalize?: "sinkhorn" | "none";
  /** Global factor applied to W after normalisation. @default {1} */
  scale?: number;
  /** Cell types: one per neuron, by neurotransmitter, or by cell body fiber. @default {"none"} */
  subpopulation?: "none" | "neurotransmitter" | "cell_fibers";
  /** Activation of the network. @default {"tanh_pos"} */
  activation?: Activation | string;
  /** Called with the Sinkhorn rounds done of at most 2 × 2000 (excitatory part, then inhibitory). */
  onProgress?: (progress: Progress) => void;
}

/** Defaults of {@linkcode ConnectomeOptions}. */
export const CONNECTOME_DEFAULTS = Object.freeze({
  unknownSign: "drop" as const,
  scc: true,
  normalize: "sinkhorn" as const,
  scale: 1,
  subpopulation: "none" as const,
  activation: "tanh_pos" as Activation,
});

/** One neuron of the table. */
export interface ConnectomeNeuron {
  bodyId: number;
  type: string;
  cellBodyFiber: string;
  nt: string;
  sign: number;
}

/** A connectome table as read: neurons and edges (indices into neurons). */
export interface ConnectomeTable {
  neurons: ConnectomeNeuron[];
  /** [pre, post, synapses] with indices into neurons. */
  edges: [number, number, number][];
}

/** A connectome network and how it was built. */
export interface ConnectomeNetwork extends Network {
  /** Hemibrain body ids of the neurons, in order. */
  ids: number[];
  /** Dale's-law sign of each neuron's outputs (+1, −1). */
  signs: Int8Array;
  /** How the Sinkhorn balancing of the excitatory and inhibitory parts ended (absent without it). */
  sinkhorn?: { excitatory: SinkhornResult; inhibitory: SinkhornResult };
}

const NEURON_COLUMNS = ["bodyId", "type", "cellBodyFiber", "nt", "sign"];
const EDGE_COLUMNS = ["bodyId_pre", "bodyId_post", "weight"];

function integer(path: string, line: number, column: string, value: string): number {
  const x = Number(value);
  if (value.trim() === "" || !Number.isSafeInteger(x)) {
    throw new SyntaxError(`${path}:${line}: ${column} must be an integer, got "${value}"`);
  }
  return x;
}

/**
 * Reads and checks the texts of `neurons.csv` and `edges.csv` (named in errors as `npath` and
 * `epath`) into the connectome table; errors say `file:line: what is wrong`.
 */
export function connectomeTable(
  neuronsCsv: string,
  edgesCsv: string,
  npath = "neurons.csv",
  epath = "edges.csv",
): ConnectomeTable {
  const n = parseCsvRecords(neuronsCsv, npath, NEURON_COLUMNS);
  const e = parseCsvRecords(edgesCsv, epath, EDGE_COLUMNS);
  const index = new Map<number, number>();
  const neurons = n.rows.map((r, i): ConnectomeNeuron => {
    const line = n.lines[i];
    const bodyId = integer(npath, line, "bodyId", r.bodyId);
    if (index.has(bodyId)) throw new SyntaxError(`${npath}:${line}: bodyId ${bodyId} appears twice`);
    index.set(bodyId, i);
    const sign = integer(npath, line, "sign", r.sign);
    if (sign !== 1 && sign !== -1 && sign !== 0) {
      throw new SyntaxError(`${npath}:${line}: sign must be 1, -1 or 0, got ${sign}`);
    }
    return { bodyId, type: r.type, cellBodyFiber: r.cellBodyFiber ?? "", nt: r.nt || "unknown", sign };
  });
  const edges = e.rows.map((r, i): [number, number, number] => {
    const line = e.lines[i];
    const ends = [r.bodyId_pre, r.bodyId_post].map((v, k) => {
      const id = integer(epath, line, EDGE_COLUMNS[k], v);
      const at = index.get(id);
      if (at === undefined) {
        throw new SyntaxError(`${epath}:${line}: ${EDGE_COLUMNS[k]} ${id} is not in neurons.csv`);
      }
      return at;
    });
    const w = integer(epath, line, "weight", r.weight);
    if (w < 1) throw new SyntaxError(`${epath}:${line}: weight must be a positive synapse count, got ${w}`);
    return [ends[0], ends[1], w];
  });
  return { neurons, edges };
}

/**
 * The largest strongly connected component of a directed graph on `n` nodes (Tarjan's
 * algorithm, iterative), as sorted node indices; ties go to the component with the smallest node.
 */
export function largestScc(n: number, edges: ArrayLike<[number, number, number]>): number[] {
  const out: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < edges.length; e++) out[edges[e][0]].push(edges[e][1]);
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  let counter = 0;
  let best: number[] = [];
  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    const work: [number, number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const top = work[work.length - 1];
      const v = top[0];
      if (top[1] < out[v].length) {
        const w = out[v][top[1]++];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      work.pop();
      if (work.length > 0) low[work[work.length - 1][0]] = Math.min(low[work[work.length - 1][0]], low[v]);
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        component.sort((a, b) => a - b);
        if (component.length > best.length || (component.length === best.length && component[0] < best[0])) {
          best = component;
        }
      }
    }
  }
  return best;
}

/** Rounds of a Sinkhorn balancing at most. */
export const SINKHORN_MAX_ROUNDS = 2000;

/** How a Sinkhorn balancing ended. */
export interface SinkhornResult {
  /** Rounds (a row step and a column step each) done. */
  rounds: number;
  /** Whether rows and columns all reached 1/2 within the tolerance. */
  converged: boolean;
  /** Whether the alternation settled into a fixed cycle instead (no exact scaling exists). */
  settled: boolean;
  /** Largest relative deviation of a column sum from 1/2 at the end (rows are exact). */
  columnDeviation: number;
}

/**
 * Sinkhorn–Knopp balancing of one part (entries [row, column, value], all values > 0, scaled
 * in place): rounds that scale every row with entries to sum 1/2, then every column with
 * entries to sum 1/2, until rows and columns are all within `tol` (relative) of 1/2, or a round
 * changes no row sum by more than `tol` (the alternation has settled into its fixed cycle), at
 * most `maxRounds` rounds; then a last row step, so every row with entries sums to exactly 1/2.
 * Square patterns with total support converge (both sums 1/2). A pattern with R rows and
 * C columns of entries, R ≠ C, has no such scaling (the totals R/2 and C/2 differ; so it is
 * for every ROI's parts): there the alternation settles and the columns keep the deviation
 * reported. Rows and columns without entries stay zero.
 */
export function sinkhornBalance(
  entries: [number, number, number][],
  n: number,
  tol = 1e-10,
  maxRounds = SINKHORN_MAX_ROUNDS,
  onRound?: (rounds: number) => void,
): SinkhornResult {
  const factor = new Float64Array(n);
  const sums = (axis: 0 | 1) => {
    factor.fill(0);
    for (const e of entries) factor[e[axis]] += e[2];
  };
  const deviation = () => factor.reduce((m, x) => (x > 0 ? Math.max(m, Math.abs(x - 0.5) / 0.5) : m), 0);
  const scale = (axis: 0 | 1) => {
    sums(axis);
    for (let i = 0; i < n; i++) factor[i] = factor[i] > 0 ? 0.5 / factor[i] : 0;
    for (const e of entries) e[2] *= factor[e[axis]];
  };
  let rounds = 0;
  let converged = false;
  let settled = false;
  const previous = new Float64Array(n);
  while (rounds < maxRounds && !converged && !settled) {
    scale(0);
    scale(1);
    rounds++;
    sums(0);
    converged = deviation() <= tol;
    // A pattern without an exact scaling ends in a fixed cycle: stop once a round changes no row sum.
    settled = factor.every((x, i) => Math.abs(x - previous[i]) <= tol * Math.max(x, previous[i]));
    previous.set(factor);
    onRound?.(rounds);
  }
  scale(0);
  sums(1);
  return { rounds, converged, settled: settled && !converged, columnDeviation: deviation() };
}

function definedOnly<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as T;
}

/** Names of the cell types of the chosen subpopulation, and each neuron's type index. */
function subpopulationTypes(neurons: ConnectomeNeuron[], by: "neurotransmitter" | "cell_fibers") {
  const key = (x: ConnectomeNeuron) => by === "neurotransmitter" ? x.nt : x.cellBodyFiber || "unknown";
  const typeNames = Array.from(new Set(neurons.map(key))).sort();
  const at = new Map(typeNames.map((t, i) => [t, i]));
  return { typeNames, types: Int32Array.from(neurons, (x) => at.get(key(x))!) };
}

/** Throws a RangeError listing the ROIs when `roi` is not one of them. */
export function checkRoi(roi: string): void {
  if (!(ROIS as readonly string[]).includes(roi)) {
    throw new RangeError(`Unknown ROI "${roi}": expected one of ${ROIS.join(", ")}`);
  }
}

/** The network of a connectome table (see the module doc for the construction). */
export function buildConnectome(table: ConnectomeTable, options: ConnectomeOptions): ConnectomeNetwork {
  const o: Required<Omit<ConnectomeOptions, "onProgress">> = Object.assign(
    {},
    CONNECTOME_DEFAULTS,
    definedOnly(options),
  );
  checkRoi(o.roi);
  if (o.unknownSign !== "drop" && o.unknownSign !== "excitatory") {
    throw new RangeError(`unknown_sign must be drop or excitatory, got ${o.unknownSign}`);
  }
  if (o.normalize !== "sinkhorn" && o.normalize !== "none") {
    throw new RangeError(`normalize must be sinkhorn or none, got ${o.normalize}`);
  }
  if (!Number.isFinite(o.scale)) throw new RangeError(`scale must be a finite number, got ${o.scale}`);
  const activation = parseActivation(o.activation);
  // Neurons kept, with their signs.
  let keep = table.neurons.map((x, i) => (x.sign !== 0 || o.unknownSign === "excitatory" ? i : -1)).filter((
    i,
  ) => i >= 0);
  const local = (kept: number[]) => {
    const at = new Int32Array(table.neurons.length).fill(-1);
    kept.forEach((g, l) => (at[g] = l));
    const edges = table.edges.filter(([a, b]) => at[a] >= 0 && at[b] >= 0).map(([a, b, w]) =>
      [at[a], at[b], w] as [number, number, number]
    );
    return edges;
  };
  if (o.scc) keep = largestScc(keep.length, local(keep)).map((l) => keep[l]);
  const edges = local(keep);
  const neurons = keep.map((g) => table.neurons[g]);
  const n = neurons.length;
  const signs = Int8Array.from(neurons, (x) => (x.sign === 0 ? 1 : x.sign));
  const weights = new Float64Array(n * n);
  let sinkhorn: ConnectomeNetwork["sinkhorn"];
  if (o.normalize === "sinkhorn") {
    const results: SinkhornResult[] = [];
    const total = 2 * SINKHORN_MAX_ROUNDS;
    for (const sign of [1, -1]) {
      const before = results.length * SINKHORN_MAX_ROUNDS;
      // Rows are the receiving neurons, columns the sending ones (W[post, pre]).
      const part = edges.filter(([pre]) => signs[pre] === sign).map(([pre, post, w]) =>
        [post, pre, w] as [number, number, number]
      );
      results.push(
        sinkhornBalance(
          part,
          n,
          undefined,
          undefined,
          (r) => options.onProgress?.({ done: before + r, total }),
        ),
      );
      for (const [post, pre, w] of part) weights[post * n + pre] += sign * w;
    }
    sinkhorn = { excitatory: results[0], inhibitory: results[1] };
    options.onProgress?.({ done: total, total });
  } else {
    for (const [pre, post, w] of edges) weights[post * n + pre] += signs[pre] * w;
  }
  if (o.scale !== 1) { for (let i = 0; i < n * n; i++) weights[i] *= o.scale; }
  const grouping = o.subpopulation === "none" ? undefined : subpopulationTypes(neurons, o.subpopulation);
  const count = grouping ? grouping.typeNames.length : n;
  return {
    n,
    weights,
    activation,
    types: grouping?.types,
    typeNames: grouping?.typeNames,
    gains: new Float64Array(count).fill(1),
    shifts: new Float64Array(count),
    ids: neurons.map((x) => x.bodyId),
    signs,
    sinkhorn,
  };
}
