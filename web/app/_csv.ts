/**
 * Reading the CSV tables of a run (numbers only, as the workflows write them) into columns.
 *
 * @module
 */

/** A table: its column names and one Float64Array per column (NaN where a cell is empty). */
export interface Table {
  columns: string[];
  rows: number;
  col: Record<string, Float64Array>;
}

/**
 * Parses a CSV of numbers with a header line.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const t = parseCsv("g,lambda_max\n0.5,-0.2\n1,\n");
 * equal(t.col.g[1], 1);
 * equal(Number.isNaN(t.col.lambda_max[1]), true);
 * ```
 */
export function parseCsv(text: string): Table {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length === 0) throw new SyntaxError("Cannot read the table: the CSV is empty");
  const columns = lines[0].split(",").map((c) => c.trim());
  const rows = lines.length - 1;
  const col: Record<string, Float64Array> = {};
  for (const c of columns) col[c] = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const cells = lines[r + 1].split(",");
    columns.forEach((c, j) => {
      const cell = (cells[j] ?? "").trim();
      col[c][r] = cell === "" ? NaN : Number(cell);
    });
  }
  return { columns, rows, col };
}

/** The column `name` of a table; throws naming the file when it is missing. */
export function column(table: Table, name: string, file: string): Float64Array {
  const c = table.col[name];
  if (c === undefined) throw new SyntaxError(`Cannot plot ${file}: it has no column "${name}"`);
  return c;
}

/**
 * Parses a CSV of plain fields (no quoting, as the connectome tables) into records with their
 * line numbers, for the library's table checks.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * const r = parseRecords("a,b\n1,x\n");
 * equal(r.rows[0].b, "x");
 * equal(r.lines[0], 2);
 * ```
 */
export function parseRecords(
  text: string,
): { columns: string[]; rows: Record<string, string>[]; lines: number[] } {
  const all = text.split(/\r?\n/);
  const columns = all[0].split(",").map((c) => c.trim());
  const rows: Record<string, string>[] = [];
  const lines: number[] = [];
  for (let i = 1; i < all.length; i++) {
    if (all[i].trim() === "") continue;
    const cells = all[i].split(",");
    rows.push(Object.fromEntries(columns.map((c, j) => [c, cells[j] ?? ""])));
    lines.push(i + 1);
  }
  return { columns, rows, lines };
}
