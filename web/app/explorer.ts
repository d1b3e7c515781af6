/// <reference lib="dom" />
/**
 * The explorer page: a form whose values live in the URL, a Worker that asks the library for
 * the spectrum, its convergence, the covariant vectors (`vectors=1`, small networks) and a small
 * g sweep, and plots of what comes back (the vectors with the viewer's charts of vectors runs).
 * When a run finishes, its result (the fields of `flybrain spectrum --json`, and with the vectors
 * a `vectors` object with those of `flybrain vectors --json`) is written into `#result-json` and
 * `<body>` gets `data-ready`. A network file (.npy, .npz, JSON, CSV) opened
 * or dropped on the page is parsed here and in the Worker by the library (nothing is uploaded)
 * and replaces the random network until it is cleared.
 *
 * @module
 */

import { type ChartSpec, type SeriesSpec, vectorsCharts } from "./_charts.ts";
import { categorical } from "./_colors.ts";
import { configParams, type ExplorerConfig, readConfig } from "./_config.ts";
import type { NetworkBytes, VectorsMessage, WorkerMessage } from "./_messages.ts";
import {
  parseNetworkBytes,
  progressLine,
  ProgressMeter,
  stopComputation,
  type StopSignal,
  superviseTeam,
  type TeamSupervision,
} from "../../src/mod.ts";
import { drawChart } from "./_plot.ts";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const FIELDS = [
  "roi",
  "n",
  "g",
  "activation",
  "gain",
  "shift",
  "nle",
  "tsim",
  "seed",
  "sweep",
  "gmin",
  "gmax",
  "threads",
] as const;

/** The library's team Worker, bundled next to this file by web/build.ts. */
const TEAM_WORKER = new URL("team_worker.js", import.meta.url);

let worker: Worker | undefined;
/** What stops the current run's threads at once (threaded runs only). */
let stop: StopSignal | undefined;
/** The Workers of the current run's team (threaded runs only), started here for the Worker's core. */
let team: TeamSupervision | undefined;
/** The opened network file and its size, when there is one. */
let opened: { file: NetworkBytes; n: number } | undefined;

function setStatus(text: string, error = false): void {
  $("status").textContent = text;
  $("status").classList.toggle("error", error);
}

function fillForm(c: ExplorerConfig): void {
  for (const f of FIELDS) {
    const el = $<HTMLInputElement | HTMLSelectElement>(`in-${f}`);
    el.value = c[f] === undefined ? "" : String(c[f]);
  }
  $<HTMLInputElement>("in-vectors").checked = c.vectors === true;
}

function formParams(): URLSearchParams {
  const p = new URLSearchParams();
  for (const f of FIELDS) {
    const v = $<HTMLInputElement | HTMLSelectElement>(`in-${f}`).value.trim();
    if (v !== "") p.set(f, v);
  }
  if ($<HTMLInputElement>("in-vectors").checked) p.set("vectors", "1");
  return p;
}

function numbersTable(json: Record<string, unknown>): void {
  const exps = json.exponents as number[];
  const rows: [string, string][] = [
    ["λ_max", Math.max(...exps).toFixed(6)],
    [
      "Kaplan–Yorke dimension",
      `${(json.kyDimension as number).toFixed(4)}${json.kyLowerBound ? " (lower bound)" : ""}`,
    ],
    ["entropy rate (nats/τ)", (json.entropy as number).toFixed(6)],
    ["exponents", String(exps.length)],
    ["compute time (s)", (json.seconds as number).toFixed(3)],
  ];
  const table = $("numbers");
  table.replaceChildren(
    ...rows.map(([k, v]) => {
      const tr = document.createElement("tr");
      tr.append(Object.assign(document.createElement("th"), { textContent: k }));
      tr.append(Object.assign(document.createElement("td"), { textContent: v }));
      return tr;
    }),
  );
}

function spectrumCharts(
  json: Record<string, unknown>,
  time: Float64Array,
  estimates: Float64Array,
): ChartSpec[] {
  const exps = json.exponents as number[];
  const stderr = json.stderr as number[] | undefined;
  const k = exps.length;
  const t = Array.from(time);
  const running: SeriesSpec[] = exps.map((_, i) => ({
    label: `λ${i + 1}`,
    x: t,
    y: t.map((_, p) => estimates[p * k + i]),
    color: categorical(i),
    style: "line",
  }));
  const spectrum: SeriesSpec = {
    label: "λ_i",
    x: exps.map((_, i) => i + 1),
    y: exps,
    err: stderr,
    color: categorical(0),
    style: "points",
  };
  return [
    {
      id: "spectrum",
      title: `Lyapunov spectrum${stderr ? " (bars: ± block standard error)" : ""}`,
      xLabel: "exponent index i",
      yLabel: "λ_i (1/τ)",
      series: [spectrum],
      legend: [{ label: "λ_i", color: spectrum.color, glyph: "points" }],
      zeroLine: true,
      integerX: true,
    },
    {
      id: "convergence",
      title: "Running estimates",
      xLabel: "time (τ)",
      yLabel: "λ_i (1/τ)",
      series: running,
      legend: running.map((s) => ({ label: s.label, color: s.color, glyph: s.style })),
      zeroLine: true,
    },
  ];
}

function sweepChart(points: { g: number; lambdaMax: number }[], seed: number): ChartSpec {
  const sorted = [...points].sort((a, b) => a.g - b.g);
  const label = `λ_max (seed ${seed})`;
  return {
    id: "sweep",
    title: "λ_max against g (one network per g, same seed)",
    xLabel: "g",
    yLabel: "λ_max (1/τ)",
    series: [{
      label,
      x: sorted.map((p) => p.g),
      y: sorted.map((p) => p.lambdaMax),
      color: categorical(0),
      style: "line",
    }],
    legend: [{ label, color: categorical(0), glyph: "line" }],
    zeroLine: true,
  };
}

/** One line on the covariant vectors (the fields of `flybrain vectors --json`). */
function vectorsSummary(json: Record<string, unknown>): string {
  const angles = json.angles as { unstable: number; unstableStable: { mean: number; min: number } | null };
  const between = angles.unstableStable;
  return `Covariant vectors: ${angles.unstable} of ${json.nle} unstable; smallest unstable/stable angle ` +
    (between
      ? `${between.mean.toFixed(4)} rad on average, ${between.min.toExponential(3)} rad at least`
      : "undefined (one side is empty)") +
    `; ${(json.times as number[]).length} samples, ${(json.seconds as number).toFixed(3)} s.`;
}

/** Shows the covariant vectors: a summary line and the viewer's charts of a vectors run. */
function showVectors(msg: VectorsMessage): void {
  $("vectors-summary").textContent = vectorsSummary(msg.json);
  const run = { tables: msg.tables, options: { n: msg.json.n } };
  for (const spec of vectorsCharts([run], [""])) drawChart($("vectors-charts"), spec);
}

/** Terminates a run's Worker and the team Workers started here for its core. */
function endWorkers(w: Worker): void {
  team?.quit();
  team = undefined;
  w.terminate();
}

/**
 * Ends the current run: a threaded run's threads stop at their next wait (Chromium ends a busy
 * Worker only when its running call returns, or seconds later), then its Workers are terminated.
 */
function cancel(): void {
  if (!worker) return;
  if (stop) stopComputation(stop);
  stop = undefined;
  endWorkers(worker);
  worker = undefined;
  $<HTMLButtonElement>("cancel").disabled = true;
  $<HTMLProgressElement>("progress").value = 0;
  setStatus("Cancelled.");
}

function start(config: ExplorerConfig): void {
  cancel();
  document.body.removeAttribute("data-ready");
  $("result-json").textContent = "";
  $("charts").replaceChildren();
  $("vectors-charts").replaceChildren();
  $("vectors-summary").textContent = "";
  $("sweep-chart").replaceChildren();
  $("numbers").replaceChildren();
  $("threads-note").textContent = "";
  setStatus(
    opened
      ? `Computing ${config.nle} exponents of ${opened.file.name} (n=${opened.n})…`
      : config.roi
      ? `Computing ${config.nle} exponents of the ${config.roi} connectome (${config.activation}, scale ${config.g})…`
      : `Computing ${config.nle} exponents of a random ${config.activation} network, n=${config.n}, g=${config.g}…`,
  );
  $<HTMLButtonElement>("cancel").disabled = false;
  const progress = $<HTMLProgressElement>("progress");
  const sweep: { g: number; lambdaMax: number }[] = [];
  let phase = "";
  let meter = new ProgressMeter();
  let result: Record<string, unknown> = {};
  const w = new Worker(new URL("explorer_worker.js", import.meta.url), { type: "module" });
  worker = w;
  w.onmessage = (event: MessageEvent) => {
    if (worker !== w) return;
    const msg = event.data as WorkerMessage;
    if (msg.type === "team") {
      // The Worker's core asks for its threads 1..T−1: started here, so that no Worker owns one.
      team = superviseTeam(msg.init, TEAM_WORKER);
      team.ready.then(
        () => w.postMessage({ type: "team-started" }),
        (e) => w.postMessage({ type: "team-started", error: (e as Error).message }),
      );
    } else if (msg.type === "threads") {
      $("threads-note").textContent = msg.note;
      stop = msg.stop;
    } else if (msg.type === "progress") {
      progress.max = msg.total;
      progress.value = msg.done;
      if (msg.phase !== phase) [phase, meter] = [msg.phase, new ProgressMeter()];
      const label = msg.phase === "sweep"
        ? `g sweep (${sweep.length}/${config.sweep})`
        : { spectrum: "spectrum", vectors: "covariant vectors" }[msg.phase];
      $("phase").textContent = progressLine(label, "steps", meter.estimate(msg));
    } else if (msg.type === "spectrum") {
      result = msg.json;
      $("result-json").textContent = JSON.stringify(result);
      numbersTable(msg.json);
      for (const spec of spectrumCharts(msg.json, msg.time, msg.estimates)) drawChart($("charts"), spec);
    } else if (msg.type === "vectors") {
      result = { ...result, vectors: msg.json };
      $("result-json").textContent = JSON.stringify(result);
      showVectors(msg);
    } else if (msg.type === "sweep-point") {
      sweep.push(msg);
      $("sweep-chart").replaceChildren();
      drawChart($("sweep-chart"), sweepChart(sweep, config.seed));
    } else if (msg.type === "done") {
      worker = undefined;
      stop = undefined;
      endWorkers(w);
      $<HTMLButtonElement>("cancel").disabled = true;
      $("phase").textContent = "done";
      setStatus("Done.");
      document.body.dataset.ready = "1";
    } else {
      cancel();
      setStatus(`The computation failed: ${msg.message}`, true);
      document.body.dataset.ready = "error";
    }
  };
  w.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    cancel();
    setStatus(`The worker failed: ${event.message}`, true);
    document.body.dataset.ready = "error";
  };
  w.postMessage({
    type: "run",
    config,
    wasm: new URL("build/flybrain.wasm", location.href).href,
    threadsWasm: new URL("build/flybrain_threads.wasm", location.href).href,
    file: opened?.file,
  });
}

/** Marks the invalid fields of the form (their reason as tooltip) and clears the others' marks. */
function markInvalid(invalid: Partial<Record<string, string>>): void {
  for (const f of [...FIELDS, "vectors"]) {
    const el = $<HTMLInputElement | HTMLSelectElement>(`in-${f}`);
    const reason = invalid[f];
    el.classList.toggle("invalid", reason !== undefined);
    el.setCustomValidity("");
    if (reason === undefined) {
      el.removeAttribute("aria-invalid");
      el.title = "";
    } else {
      el.setAttribute("aria-invalid", "true");
      el.title = `${reason} (showing the default)`;
    }
  }
}

function runFromParams(params: URLSearchParams): void {
  const { config, invalid } = readConfig(params, opened?.n);
  fillForm(config);
  markInvalid(invalid);
  const reasons = Object.values(invalid);
  if (reasons.length > 0) {
    cancel();
    setStatus(`Cannot run: ${reasons.join("; ")}. The marked fields show their defaults.`, true);
    document.body.dataset.ready = "error";
    return;
  }
  history.replaceState(null, "", `${location.pathname}?${configParams(config)}`);
  start(config);
}

$("form").addEventListener("submit", (event) => {
  event.preventDefault();
  runFromParams(formParams());
});
$("cancel").addEventListener("click", cancel);

/** Opens a network file: parses it (errors in the status line), then computes its spectrum. */
async function openNetwork(file: File): Promise<void> {
  cancel();
  document.body.removeAttribute("data-ready");
  const bytes = await file.arrayBuffer();
  try {
    const { network } = parseNetworkBytes(new Uint8Array(bytes), file.name, {
      activation: $<HTMLSelectElement>("in-activation").value,
    });
    opened = { file: { name: file.name, bytes }, n: network.n };
  } catch (e) {
    opened = undefined;
    $("file-name").textContent = "";
    setStatus(`Cannot open ${file.name}: ${(e as Error).message}`, true);
    document.body.dataset.ready = "error";
    return;
  }
  $("file-name").textContent = `${file.name} (n=${opened.n})`;
  $<HTMLButtonElement>("clear-file").disabled = false;
  const params = formParams();
  params.set("nle", String(Math.min(Number(params.get("nle")) || 10, opened.n)));
  runFromParams(params);
}

$("in-file").addEventListener("change", () => {
  const file = $<HTMLInputElement>("in-file").files?.[0];
  if (file) openNetwork(file);
});
$("clear-file").addEventListener("click", () => {
  opened = undefined;
  $<HTMLInputElement>("in-file").value = "";
  $("file-name").textContent = "";
  $<HTMLButtonElement>("clear-file").disabled = true;
});
document.addEventListener("dragover", (event) => event.preventDefault());
document.addEventListener("drop", (event) => {
  event.preventDefault();
  const file = event.dataTransfer?.files[0];
  if (file) openNetwork(file);
});

const params = new URLSearchParams(location.search);
if ([...params.keys()].length > 0) {
  runFromParams(params);
} else {
  fillForm(readConfig(params).config);
  document.body.dataset.ready = "1";
}
