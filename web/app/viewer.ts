/// <reference lib="dom" />
/**
 * The viewer page: lists the runs of the server's index (or runs opened from files), and plots
 * one run, or several runs of one workflow overlaid, with their manifests (a key/value table) above the plots.
 * The selection lives in the URL (`index.html?run=<folder>&run=<folder>`).
 *
 * @module
 */

import { chartsFor, heatmapsFor } from "./_charts.ts";
import { drawHeatmap } from "./_heatmap.ts";
import { manifestRows } from "./_manifest.ts";
import { drawChart } from "./_plot.ts";
import { differingLabels, fetchRun, readRunFiles, type Run } from "./_run.ts";
import type { RunEntry as IndexEntry } from "../_static.ts";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const opened = new Map<string, Run>();

function setStatus(text: string, error = false): void {
  const el = $("status");
  el.textContent = text;
  el.classList.toggle("error", error);
}

function selected(): string[] {
  return new URLSearchParams(location.search).getAll("run");
}

function select(ids: string[]): void {
  const params = new URLSearchParams();
  for (const id of ids) params.append("run", id);
  history.replaceState(null, "", `${location.pathname}${ids.length ? "?" + params : ""}`);
  void show(ids);
}

function runItem(id: string, label: string, workflow: string, note?: string): HTMLLIElement {
  const li = document.createElement("li");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.value = id;
  box.dataset.workflow = workflow;
  box.checked = selected().includes(id);
  const link = document.createElement("a");
  link.href = `?run=${encodeURIComponent(id)}`;
  link.textContent = label;
  link.addEventListener("click", (e) => {
    e.preventDefault();
    for (const b of document.querySelectorAll<HTMLInputElement>("#runs input")) b.checked = b.value === id;
    select([id]);
  });
  li.append(box, " ", link);
  if (note) li.append(" ", Object.assign(document.createElement("small"), { textContent: note }));
  return li;
}

function listRuns(entries: IndexEntry[]): void {
  const list = $("runs");
  list.replaceChildren();
  const byWorkflow = new Map<string, HTMLLIElement[]>();
  for (const e of entries) {
    const items = byWorkflow.get(e.workflow) ?? [];
    items.push(runItem(e.path, e.run, e.workflow, e.status === "complete" ? undefined : e.status));
    byWorkflow.set(e.workflow, items);
  }
  for (const run of opened.values()) {
    const items = byWorkflow.get(run.workflow) ?? [];
    items.push(runItem(run.id, run.name, run.workflow, "(opened file)"));
    byWorkflow.set(run.workflow, items);
  }
  for (const [workflow, items] of [...byWorkflow].sort()) {
    const li = document.createElement("li");
    li.append(Object.assign(document.createElement("strong"), { textContent: workflow }));
    const ul = document.createElement("ul");
    ul.append(...items);
    li.append(ul);
    list.append(li);
  }
}

async function loadIndex(): Promise<IndexEntry[]> {
  try {
    const res = await fetch("runs.json");
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const { runs, static: isStatic } = await res.json() as { runs: IndexEntry[]; static?: boolean };
    if (isStatic) {
      setStatus("Static copy of the page: open a run's files (manifest.json and its CSVs) or its folder.");
    } else if (runs.length === 0) {
      setStatus("No runs under data/logs yet: run a workflow, or open a run's files.");
    }
    return runs;
  } catch {
    setStatus(
      "No run index here (static copy of the page): open a run's files (manifest.json and its CSVs).",
    );
    return [];
  }
}

/** The runs' manifests as one key/value table (a column per run), with each full manifest folded below. */
function manifestTable(runs: Run[], labels: string[]): HTMLElement {
  const details = document.createElement("details");
  details.open = true;
  details.append(Object.assign(document.createElement("summary"), { textContent: "Manifest" }));
  const rows = runs.map((r) => new Map(manifestRows(r.manifest)));
  const keys = [...new Set(rows.flatMap((r) => [...r.keys()]))];
  const table = document.createElement("table");
  table.className = "manifest-table";
  if (runs.length > 1) {
    const tr = table.insertRow();
    tr.append(document.createElement("th"));
    labels.forEach((l) => tr.append(Object.assign(document.createElement("th"), { textContent: l })));
  }
  for (const key of keys) {
    const tr = table.insertRow();
    tr.append(Object.assign(document.createElement("th"), { textContent: key, scope: "row" }));
    for (const r of rows) tr.insertCell().textContent = r.get(key) ?? "";
  }
  details.append(table);
  runs.forEach((run, k) => {
    const full = document.createElement("details");
    full.append(
      Object.assign(document.createElement("summary"), {
        textContent: `Full manifest.json${runs.length > 1 ? ` (${labels[k]})` : ""}`,
      }),
      Object.assign(document.createElement("pre"), {
        className: "manifest",
        textContent: JSON.stringify(run.manifest, null, 2),
      }),
    );
    details.append(full);
  });
  return details;
}

async function show(ids: string[]): Promise<void> {
  document.body.removeAttribute("data-ready");
  const charts = $("charts");
  const manifests = $("manifests");
  charts.replaceChildren();
  manifests.replaceChildren();
  try {
    if (ids.length === 0) return;
    const runs = await Promise.all(ids.map((id) => opened.get(id) ?? fetchRun(id)));
    const labels = differingLabels(runs);
    $("title").textContent = runs.length === 1
      ? `${runs[0].workflow}: ${runs[0].name}`
      : `${runs[0].workflow}: ${runs.length} runs compared`;
    for (const spec of chartsFor(runs, labels)) drawChart(charts, spec);
    for (const spec of heatmapsFor(runs, labels)) drawHeatmap(charts, spec);
    manifests.append(manifestTable(runs, labels));
    setStatus("");
  } catch (e) {
    setStatus((e as Error).message, true);
  } finally {
    document.body.dataset.ready = "1";
  }
}

async function main(): Promise<void> {
  listRuns(await loadIndex());
  $<HTMLButtonElement>("compare").addEventListener("click", () => {
    const ids = [...document.querySelectorAll<HTMLInputElement>("#runs input:checked")].map((b) => b.value);
    select(ids);
  });
  for (const inputId of ["open-files", "open-folder"]) {
    $<HTMLInputElement>(inputId).addEventListener("change", async (event) => {
      const input = event.target as HTMLInputElement;
      if (!input.files || input.files.length === 0) return;
      try {
        const run = await readRunFiles(input.files);
        opened.set(run.id, run);
        listRuns(await loadIndex());
        select([run.id]);
      } catch (e) {
        setStatus((e as Error).message, true);
      }
      input.value = "";
    });
  }
  const ids = selected();
  if (ids.length > 0) await show(ids);
  else document.body.dataset.ready = "1";
}

main().catch((e) => setStatus(`The viewer failed: ${(e as Error).message}`, true));
