/**
 * A run's manifest as the rows of a readable key/value table: the command, the options set on
 * it (every other option kept its default), status, times and the tool's version.
 *
 * @module
 */

import type { Manifest } from "../../src/mod.ts";

/** Options that are bookkeeping, not parameters of the computation. */
const BOOKKEEPING = new Set(["out", "workers", "json", "save", "resume"]);

function text(v: unknown): string {
  return Array.isArray(v) ? v.join(",") : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);
}

/** A command-line argument quoted for a shell when it needs it. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * Key/value rows of a manifest: run, command, options set on the command line (with the values
 * the run used), status (and error), start, end, duration, tool, seed and wasm checksum.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * const rows = manifestRows({
 *   workflow: "lyapu_convergence", run: "r", command: ["lyapu_convergence", "--n", "30", "--out", "data"],
 *   options: { n: 30, g: 1.5, out: "data" }, seed: 0, tool: { name: "flybrain", version: "0.1.0" },
 *   wasmSha256: "ab", workers: 1, status: "complete", files: [],
 *   start: "2026-01-01T00:00:00.000Z", end: "2026-01-01T00:00:02.500Z",
 * });
 * deepEqual(rows.find(([k]) => k === "options set"), ["options set", "n=30"]);
 * deepEqual(rows.find(([k]) => k === "duration"), ["duration", "2.5 s"]);
 * ```
 */
export function manifestRows(manifest: Manifest): [string, string][] {
  const { tool, options } = manifest;
  const rows: [string, string][] = [
    ["run", manifest.run],
    ["command", [tool.name, ...manifest.command].map(shellWord).join(" ")],
  ];
  const given = manifest.command.filter((a) => a.startsWith("--")).map((a) => a.slice(2).split("=")[0]);
  const set = Object.keys(options).filter((k) => given.includes(k) && !BOOKKEEPING.has(k));
  rows.push(["options set", set.map((k) => `${k}=${text(options[k])}`).join(" ") || "none (all defaults)"]);
  rows.push(["status", manifest.status]);
  if (manifest.error !== undefined) rows.push(["error", manifest.error]);
  rows.push(["start", manifest.start]);
  if (manifest.end !== undefined) {
    rows.push(["end", manifest.end]);
    rows.push(["duration", `${(Date.parse(manifest.end) - Date.parse(manifest.start)) / 1000} s`]);
  }
  rows.push(["tool", `${tool.name} ${tool.version}`]);
  rows.push(["seed", String(manifest.seed)]);
  rows.push(["wasm sha256", manifest.wasmSha256.slice(0, 16) + "…"]);
  return rows;
}
