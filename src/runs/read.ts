/**
 * Reading a run's files (the page's side of src/runs/schema.ts): its CSV tables into numeric
 * columns typed by the schema's column tuples, and a whole run from its manifest and texts.
 * Runs anywhere (no file access: the caller fetches or reads the texts).
 *
 * @module
 */

import type { TypeShares } from "../_clv_analysis.ts";
import { type CsvRecords, parseCsvRecords } from "../csv.ts";
import {
  type Cell,
  type Column,
  type Manifest,
  MANIFEST_FILE,
  type OptionalColumn,
  parseManifest,
  type Row,
  type TableSchema,
  VECTORS_TYPE_SHARES_TABLE,
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
    rows.forEach((row, r) => values[r] = cellNumber(row[c], () => `${schema.file}:${lines[r]}: ${c}`));
    col[c] = values;
  }
  return { file: schema.file, rows: rows.length, col: col as Table<S>["col"] };
}

/** A cell as a number: NaN when empty; throws naming `where()` when it is not a number. */
function cellNumber(cell: Cell, where: () => string): number {
  if (typeof cell === "number") return cell;
  const text = cell.trim();
  const x = text === "" ? NaN : Number(text);
  if (text !== "" && Number.isNaN(x) && text !== "NaN") {
    throw new SyntaxError(`${where()} must be a number, got "${text}"`);
  }
  return x;
}

/**
 * A table from rows in memory, as {@linkcode readTable} reads them once written (the optional
 * columns when the rows have them, "" as NaN); throws naming the file when a cell is not a number.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { LAMBDA_MAX_TABLE } from "./schema.ts";
 * const t = rowsTable(LAMBDA_MAX_TABLE, [{ g: 0.5, sample: 0, seed: 7, lambda_max: "" }]);
 * equal(Number.isNaN(t.col.lambda_max[0]), true);
 * equal(t.col.entropy, undefined);
 * ```
 */
export function rowsTable<S extends TableSchema>(schema: S, rows: readonly Row<S>[]): Table<S> {
  const cells = rows as readonly Record<string, Cell | undefined>[];
  const present = schema.optional.filter((o) => cells.length > 0 && cells[0][o] !== undefined);
  const col: Record<string, Float64Array> = {};
  for (const c of [...schema.columns, ...present]) {
    col[c] = Float64Array.from(cells, (row, r) => {
      const cell = row[c];
      if (cell === undefined) throw new Error(`${schema.file}: row ${r + 1} has no value for column ${c}`);
      return cellNumber(cell, () => `${schema.file}: row ${r + 1}: ${c}`);
    });
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

/**
 * Reads a `vectors` run's `type_shares.csv` back into the shares of each vector (columns i = 1…k)
 * per cell type (in the order of the file) and on E/I neurons; throws naming the file and line
 * when a row is not a vector index, a known group or a share.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * const shares = readTypeShares(
 *   "i,group,name,share\n1,type,EPG,0.75\n1,type,PEN,0.25\n1,sign,excitatory,1\n1,sign,inhibitory,0\n" +
 *     "2,type,EPG,0.5\n2,type,PEN,0.5\n2,sign,excitatory,0.5\n2,sign,inhibitory,0.5\n",
 * );
 * deepEqual(shares.typeNames, ["EPG", "PEN"]);
 * deepEqual(Array.from(shares.types), [0.75, 0.5, 0.25, 0.5]); // types × k
 * deepEqual(Array.from(shares.inhibitory), [0, 0.5]);
 * ```
 */
export function readTypeShares(text: string): TypeShares {
  const { rows, lines } = records(VECTORS_TYPE_SHARES_TABLE, text);
  const file = VECTORS_TYPE_SHARES_TABLE.file;
  const typeNames: string[] = [];
  const parsed = rows.map((row, r) => {
    const i = Number(row.i);
    const share = row.share.trim() === "" ? NaN : Number(row.share);
    const where = `${file}:${lines[r]}`;
    if (!Number.isInteger(i) || i < 1) {
      throw new SyntaxError(`${where}: i must be an integer >= 1, got "${row.i}"`);
    }
    if (Number.isNaN(share)) throw new SyntaxError(`${where}: share must be a number, got "${row.share}"`);
    const signed = row.group === "sign" && (row.name === "excitatory" || row.name === "inhibitory");
    if (row.group !== "type" && !signed) {
      throw new SyntaxError(
        `${where}: group must be type or sign (excitatory, inhibitory), got "${row.group},${row.name}"`,
      );
    }
    if (row.group === "type" && !typeNames.includes(row.name)) typeNames.push(row.name);
    return { i, group: row.group, name: row.name, share };
  });
  const k = Math.max(0, ...parsed.map((p) => p.i));
  const types = new Float64Array(typeNames.length * k).fill(NaN);
  const excitatory = new Float64Array(k).fill(NaN);
  const inhibitory = new Float64Array(k).fill(NaN);
  for (const { i, group, name, share } of parsed) {
    if (group === "type") types[typeNames.indexOf(name) * k + i - 1] = share;
    else (name === "excitatory" ? excitatory : inhibitory)[i - 1] = share;
  }
  return { typeNames, types, excitatory, inhibitory };
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
  [W in Workflow]: {
    workflow: W;
    manifest: Manifest;
    tables: RunTables<W>;
    /** The cell-type shares of a `vectors` run of a network with types (`type_shares.csv`). */
    typeShares?: TypeShares;
  };
}[Workflow];

/** Tables with text cells a workflow's runs may have, each read by its own reader (not {@linkcode readTable}). */
const TEXT_TABLES: Partial<Record<Workflow, readonly TableSchema[]>> = {
  vectors: [VECTORS_TYPE_SHARES_TABLE],
};

/**
 * The files to fetch to read a run: its manifest's workflow's required tables, and the optional
 * ones and text tables its manifest lists.
 */
export function runFiles(manifest: Manifest): string[] {
  const { required, optional } = WORKFLOW_TABLES[manifest.workflow];
  const listed = new Set(manifest.files);
  return [
    ...Object.values(required).map((s) => s.file),
    ...[...Object.values(optional), ...(TEXT_TABLES[manifest.workflow] ?? [])].map((s) => s.file)
      .filter((f) => listed.has(f)),
  ];
}

/**
 * Reads a run from the texts of its files by name (`manifest.json` and its CSV tables, with a
 * vectors run's `type_shares.csv`); a missing optional table is left out, a missing required
 * one is an error.
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
  const shares = texts[VECTORS_TYPE_SHARES_TABLE.file];
  const typeShares = manifest.workflow === "vectors" && shares !== undefined
    ? readTypeShares(shares)
    : undefined;
  return { workflow: manifest.workflow, manifest, tables, ...(typeShares && { typeShares }) } as RunData;
}
