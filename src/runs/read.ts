/**
 * Reading a run's files (the page's side of src/runs/schema.ts): its CSV tables into numeric
 * columns typed by the schema's column tuples, and a whole run from its manifest and texts.
 * Runs anywhere (no file access: the caller fetches or reads the texts).
 *
 * @module
 */

import { type CsvRecords, parseCsvRecords } from "../csv.ts";
import {
  type Column,
  type Manifest,
  MANIFEST_FILE,
  type OptionalColumn,
  parseManifest,
  type Row,
  type TableSchema,
  type Workflow,
  WORKFLOW_TABLES,
} from "./schema.ts";

/** A table as read: one Float64Array per column (NaN where a cell is empty), typed by its schema. */
export interface Table<S extends TableSchema> {
  /** The schema's file name. */
  file: string;
  rows: number;
  col: { [K in Column<S>]: Float64Array } & { [K in OptionalColumn<S>]?: Float64Array };
}

/**
 * Reads a CSV table of numbers with the columns of its schema (the optional ones when present);
 * throws naming the file when a column is missing or a cell is not a number.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { LAMBDA_MAX_TABLE } from "./schema.ts";
 * const t = readTable(LAMBDA_MAX_TABLE, "g,sample,seed,lambda_max\n0.5,0,7,-0.2\n1,1,8,\n");
 * equal(t.col.g[1], 1);
 * equal(Number.isNaN(t.col.lambda_max[1]), true);
 * equal(t.col.entropy, undefined);
 * ```
 */
export function readTable<S extends TableSchema>(schema: S, text: string): Table<S> {
  const { columns, rows, lines } = records(schema, text);
  const col: Record<string, Float64Array> = {};
  for (const c of [...schema.columns, ...schema.optional.filter((o) => columns.includes(o))]) {
    const values = new Float64Array(rows.length);
    rows.forEach((row, r) => {
      const cell = row[c].trim();
      const x = cell === "" ? NaN : Number(cell);
      if (cell !== "" && Number.isNaN(x) && cell !== "NaN") {
        throw new SyntaxError(`${schema.file}:${lines[r]}: ${c} must be a number, got "${cell}"`);
      }
      values[r] = x;
    });
    col[c] = values;
  }
  return { file: schema.file, rows: rows.length, col: col as Table<S>["col"] };
}

/**
 * Reads a table of a run into rows of its schema, every cell the string as written (to carry
 * rows over unchanged, as a resumed training does).
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { TRAINING_SPECTRA_TABLE } from "./schema.ts";
 * const rows = readTableRows(TRAINING_SPECTRA_TABLE, "sample,epoch,i,lambda\n0,0,1,-0.25\n");
 * deepEqual(rows, [{ sample: "0", epoch: "0", i: "1", lambda: "-0.25" }]);
 * ```
 */
export function readTableRows<S extends TableSchema>(schema: S, text: string): Row<S>[] {
  const { columns, rows } = records(schema, text);
  const kept = [...schema.columns, ...schema.optional.filter((o) => columns.includes(o))];
  return rows.map((row) => Object.fromEntries(kept.map((c) => [c, row[c]])) as Row<S>);
}

/** The records of a table's text, checked to have the schema's columns. */
function records(schema: TableSchema, text: string): CsvRecords {
  return parseCsvRecords(text, schema.file, schema.columns);
}

type Tables<W extends Workflow> = (typeof WORKFLOW_TABLES)[W];

/** The tables of a run of workflow W: the required ones, and the optional ones it has. */
export type RunTables<W extends Workflow> =
  & { [K in keyof Tables<W>["required"]]: TableOf<Tables<W>["required"][K]> }
  & { [K in keyof Tables<W>["optional"]]?: TableOf<Tables<W>["optional"][K]> };

type TableOf<S> = S extends TableSchema ? Table<S> : never;

/** A run as read: its manifest and its tables, typed by its workflow. */
export type RunData = {
  [W in Workflow]: { workflow: W; manifest: Manifest; tables: RunTables<W> };
}[Workflow];

/**
 * The files to fetch to read a run: its manifest's workflow's required tables and the optional
 * ones its manifest lists.
 */
export function runFiles(manifest: Manifest): string[] {
  const { required, optional } = WORKFLOW_TABLES[manifest.workflow];
  const listed = new Set(manifest.files);
  return [
    ...Object.values(required).map((s) => s.file),
    ...Object.values(optional).map((s) => s.file).filter((f) => listed.has(f)),
  ];
}

/**
 * Reads a run from the texts of its files by name (`manifest.json` and its CSV tables); a
 * missing optional table is left out, a missing required one is an error.
 */
export function readRun(texts: Readonly<Record<string, string>>): RunData {
  const manifestText = texts[MANIFEST_FILE];
  if (manifestText === undefined) throw new Error(`Cannot read the run: no ${MANIFEST_FILE}`);
  let json: unknown;
  try {
    json = JSON.parse(manifestText);
  } catch (e) {
    throw new SyntaxError(`${MANIFEST_FILE}: not valid JSON (${(e as Error).message})`);
  }
  const manifest = parseManifest(json, MANIFEST_FILE);
  const { required, optional } = WORKFLOW_TABLES[manifest.workflow];
  const tables: Record<string, Table<TableSchema>> = {};
  for (const [key, schema] of Object.entries(required) as [string, TableSchema][]) {
    const text = texts[schema.file];
    if (text === undefined) throw new Error(`Cannot read the run: ${schema.file} is missing`);
    tables[key] = readTable(schema, text);
  }
  for (const [key, schema] of Object.entries(optional) as [string, TableSchema][]) {
    const text = texts[schema.file];
    if (text !== undefined) tables[key] = readTable(schema, text);
  }
  return { workflow: manifest.workflow, manifest, tables } as RunData;
}
