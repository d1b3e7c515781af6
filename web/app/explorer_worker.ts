/**
 * The explorer's Worker: builds the configured random network with the library and computes
 * its spectrum (with the running estimates), when asked its covariant Lyapunov vectors, and a
 * small sweep of g, posting progress. With more than one thread (cross-origin isolated pages
 * only) the core is the threads build with a team of Workers (app/team_worker.js, the library's
 * team Worker) that the page starts, supervises and ends at its request: this Worker owns none
 * (in Chromium, a terminated Worker whose nested Workers end with it at times never ends). The
 * page cancels a run by stopping the team (the core's stop signal, posted to it) and terminating
 * the team's Workers and this one.
 *
 * @module
 */

import {
  buildConnectome,
  type ConnectomeTable,
  connectomeTable,
  type Core,
  linspace,
  loadCore,
  type LyapunovSpectrumOptions,
  type Network,
  type NetworkFile,
  parseNetworkBytes,
  randomNetwork,
  spectrumJson,
  type TeamInit,
  usesGainsAndShifts,
  vectorsJson,
  vectorsTables,
} from "../../src/mod.ts";
import { checkVectorsN, type ExplorerConfig } from "./_config.ts";
import type { RunRequest, TeamStarted, WorkerMessage } from "./_messages.ts";
import { explorerThreads, threadsNote } from "./_threads.ts";

const scope = self as unknown as {
  onmessage: (event: MessageEvent) => void;
  postMessage(message: WorkerMessage, options?: { transfer: ArrayBuffer[] }): void;
  crossOriginIsolated: boolean;
};

/** The page's answer to the team this Worker asked for, while it waits for it. */
let teamStarted: ((answer: TeamStarted) => void) | undefined;

/** Asks the page to start and supervise the team's Workers; resolves when they run. */
function hostTeam(init: TeamInit): Promise<void> {
  return new Promise((resolve, reject) => {
    teamStarted = ({ error }) => error === undefined ? resolve() : reject(new Error(error));
    scope.postMessage({ type: "team", init });
  });
}

/** Points of the running estimates. */
const HISTORY_POINTS = 400;

const tables = new Map<string, Promise<ConnectomeTable>>();

/** The connectome table of a ROI, fetched from the server's connectomics/ folder (once). */
function connectome(roi: string): Promise<ConnectomeTable> {
  if (!tables.has(roi)) {
    const text = async (name: string) => {
      const url = new URL(`../connectomics/${roi}/${name}`, self.location.href);
      const response = await fetch(url);
      if (!response.ok) {
        throw new Error(`Cannot load the ${roi} connectome (${url.pathname}: HTTP ${response.status})`);
      }
      return await response.text();
    };
    tables.set(
      roi,
      Promise.all([text("neurons.csv"), text("edges.csv")]).then(([n, e]) =>
        connectomeTable(n, e, `${roi}/neurons.csv`, `${roi}/edges.csv`)
      ),
    );
  }
  return tables.get(roi)!;
}

async function network(c: ExplorerConfig, g: number, file?: NetworkFile) {
  // A file's network is used as it is, and scaled by g in the sweep (as transition_2_chaos --network).
  const net = file
    ? { ...file.network, weights: g === 1 ? file.network.weights : file.network.weights.map((w) => g * w) }
    : c.roi
    ? buildConnectome(await connectome(c.roi), { roi: c.roi, activation: c.activation, scale: g })
    : randomNetwork({ n: c.n, g, seed: c.seed, activation: c.activation });
  if (usesGainsAndShifts(net.activation)) {
    if (c.gain !== undefined) net.gains = net.gains.slice().fill(c.gain);
    if (c.shift !== undefined) net.shifts = net.shifts.slice().fill(c.shift);
  }
  return net;
}

/** The core for a network of n neurons and nle exponents, with the threads the page may use. */
async function threadedCore(c: ExplorerConfig, n: number, { wasm, threadsWasm }: RunRequest): Promise<Core> {
  const where = { isolated: scope.crossOriginIsolated === true, cores: navigator.hardwareConcurrency ?? 1 };
  const threads = explorerThreads(c.threads, n, c.nle, where);
  const source = new URL(threads > 1 ? threadsWasm : wasm, self.location.href);
  const core = await loadCore(source, { threads, team: { host: hostTeam } });
  const note = threadsNote(c.threads, threads, where);
  scope.postMessage({ type: "threads", threads, note, stop: core.stopSignal });
  return core;
}

async function run(request: RunRequest): Promise<void> {
  const { config: c, file: opened } = request;
  // The same parser and the same options as `flybrain spectrum --network FILE`: the file's
  // options and h0, q0, overridden by the form's nle, tsim and seed.
  const file = opened &&
    parseNetworkBytes(new Uint8Array(opened.bytes), opened.name, { activation: c.activation });
  const net = await network(c, file ? 1 : c.g, file);
  if (c.vectors) checkVectorsN(net.n);
  const lib = await threadedCore(c, net.n, request);
  try {
    await compute(lib, c, net, file);
  } finally {
    lib.close();
  }
  scope.postMessage({ type: "done" });
}

/** The spectrum of the network, its covariant vectors when asked, then the sweep of g, posted as they come. */
async function compute(lib: Core, c: ExplorerConfig, net: Network, file?: NetworkFile): Promise<void> {
  const options: LyapunovSpectrumOptions = {
    ...file?.options,
    h0: file?.h0,
    q0: file?.q0,
    nle: c.nle,
    tsim: c.tsim,
    seed: c.seed,
  };
  const result = lib.lyapunovSpectrum(net, {
    ...options,
    history: HISTORY_POINTS,
    onProgress: ({ done, total }) => scope.postMessage({ type: "progress", phase: "spectrum", done, total }),
  });
  const time = result.history!.time;
  const estimates = result.history!.exponents;
  scope.postMessage(
    {
      type: "spectrum",
      json: spectrumJson(result, { n: net.n, nle: result.exponents.length, threads: lib.threads }),
      time,
      estimates,
    },
    { transfer: [time.buffer as ArrayBuffer, estimates.buffer as ArrayBuffer] },
  );
  if (c.vectors) postVectors(lib, net, options);
  const gs = c.sweep > 0 ? linspace(c.gmin, c.gmax, c.sweep) : [];
  for (const [k, g] of gs.entries()) {
    const r = lib.lyapunovSpectrum(await network(c, g, file), {
      ...file?.options,
      nle: Math.min(c.nle, 10),
      tsim: c.tsim,
      seed: c.seed,
      onProgress: ({ done, total }) =>
        scope.postMessage({
          type: "progress",
          phase: "sweep",
          done: k * total + done,
          total: gs.length * total,
        }),
    });
    scope.postMessage({
      type: "sweep-point",
      g,
      lambdaMax: Math.max(...r.exponents),
      kyDimension: r.kyDimension,
      entropy: r.entropy,
    });
  }
}

/**
 * Computes the covariant vectors of `net` with the spectrum's options and the defaults of
 * `flybrain vectors` (tbkw, samples, ftle-window), and posts the fields of its `--json` and the
 * run tables the viewer's charts plot.
 */
function postVectors(lib: Core, net: Network, options: LyapunovSpectrumOptions): void {
  const res = lib.covariantVectors(net, {
    ...options,
    onProgress: ({ done, total }) => scope.postMessage({ type: "progress", phase: "vectors", done, total }),
  });
  const tables = vectorsTables(res);
  const columns = Object.values(tables).flatMap((t) => Object.values(t.col) as Float64Array[]);
  scope.postMessage(
    { type: "vectors", json: vectorsJson(res, net.n, lib.threads), tables },
    { transfer: columns.map((c) => c.buffer as ArrayBuffer) },
  );
}

scope.onmessage = (event: MessageEvent) => {
  const message = event.data as RunRequest | TeamStarted;
  if (message.type === "team-started") return teamStarted?.(message);
  run(message).catch((e) => scope.postMessage({ type: "error", message: (e as Error).message ?? String(e) }));
};
