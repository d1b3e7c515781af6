/**
 * The one CSV reader of the project, for the command line and the page alike (RFC 4180: comma
 * separated, `"`-quoted fields with `""` for a quote, LF or CRLF line ends; empty lines
 * skipped). Records are keyed by the header's column names and keep the line they start on,
 * so that errors can say `file:line: what is wrong`. Hand-written because csv-parse's browser
 * build does not run in Deno (its Buffer shim assigns `__proto__`) and its Node build needs
 * Buffer in the browser.
 *
 * @module
 */

/** A parsed CSV: the header's column names, one record per data line, and the line of each. */
export interface CsvRecords {
  /** The column names of the header. */
  columns: string[];
  rows: Record<string, string>[];
  /** The 1-based line of each record in the text. */
  lines: number[];
}

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;

/** The fields of every non-empty record of a CSV text, with the line each starts on. */
function records(text: string, where: string): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  const len = text.length;
  let pos = 0;
  let line = 1;
  while (pos < len) {
    const start = line;
    const fields: string[] = [];
    let ended = false;
    while (!ended) {
      let value: string;
      if (text.charCodeAt(pos) === QUOTE) {
        value = "";
        pos++;
        for (;;) {
          const q = text.indexOf('"', pos);
          if (q < 0) throw new SyntaxError(`${where}:${start}: a quoted field is never closed`);
          const part = text.slice(pos, q);
          value += part;
          line += part.split("\n").length - 1;
          pos = q + 1;
          if (text.charCodeAt(pos) !== QUOTE) break;
          value += '"';
          pos++;
        }
        const c = text.charCodeAt(pos);
        if (pos < len && c !== COMMA && c !== LF && !(c === CR && text.charCodeAt(pos + 1) === LF)) {
          throw new SyntaxError(`${where}:${line}: a closing quote must end its field`);
        }
      } else {
        const from = pos;
        while (pos < len) {
          const c = text.charCodeAt(pos);
          if (c === COMMA || c === LF || (c === CR && text.charCodeAt(pos + 1) === LF)) break;
          pos++;
        }
        value = text.slice(from, pos);
      }
      fields.push(value);
      const c = text.charCodeAt(pos);
      if (c === COMMA) {
        pos++;
      } else {
        pos += c === CR ? 2 : 1;
        line++;
        ended = true;
      }
    }
    if (fields.length > 1 || fields[0].trim() !== "") out.push({ fields, line: start });
  }
  return out;
}

/**
 * Parses a CSV with a header line into records; `where` names the text in errors
 * (`where:line: what is wrong`): a `required` column missing from the header, a record with more
 * or fewer fields than the header.
 *
 * @example
 * ```ts
 * import { deepEqual, equal, throws } from "node:assert/strict";
 * const r = parseCsvRecords('a,b\r\n1,"x, ""y"""\n\n2,\n', "t.csv");
 * deepEqual(r.columns, ["a", "b"]);
 * equal(r.rows[0].b, 'x, "y"');
 * equal(r.rows[1].b, "");
 * deepEqual(r.lines, [2, 4]);
 * throws(() => parseCsvRecords("a,b\n1\n", "t.csv"), /t.csv:2: expected 2 fields, got 1/);
 * throws(() => parseCsvRecords("a,b\n", "t.csv", ["c"]), /t.csv:1: missing column\(s\) c/);
 * ```
 */
export function parseCsvRecords(text: string, where: string, required: readonly string[] = []): CsvRecords {
  const [header, ...body] = records(text, where);
  const columns = header?.fields.map((c) => c.trim()) ?? [];
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new SyntaxError(`${where}:1: missing column(s) ${missing.join(", ")}`);
  const rows = body.map(({ fields, line }) => {
    if (fields.length !== columns.length) {
      throw new SyntaxError(`${where}:${line}: expected ${columns.length} fields, got ${fields.length}`);
    }
    return Object.fromEntries(columns.map((c, j) => [c, fields[j]]));
  });
  return { columns, rows, lines: body.map((r) => r.line) };
}
