import { parse } from 'csv-parse/sync';
import { InputError, place } from '../../kernel/errors.js';
import { readBoundedText } from '../input-file.js';
import { TABLE_FILE_LIMIT, type InputLimit } from '../input-limits.js';

/** One data row of a small reference table, fields by lower-cased header name. */
export interface TableRow {
  line: number;
  field(name: string): string;
}

/**
 * Reads a small comma-separated table (rate table, allowances, reference lists) whole. Header names
 * are matched case-insensitively; a missing required column or a row of the wrong width stops the
 * run with the file and line.
 */
export function readCsvTable(file: string, requiredColumns: readonly string[], options: { commentLines?: boolean } = {}): TableRow[] {
  const text = readTextFile(file);
  const commentLines = options.commentLines ?? false;
  let records: string[][];
  try {
    // A comment is a line that begins with `#`, nothing before it; a `#` anywhere else is data.
    const comments = commentLines ? { comment: '#', comment_no_infix: true } : {};
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, ...comments });
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    throw new InputError(`${place(file, lines)}: not valid CSV (${(error as Error).message.split('\n')[0]})`);
  }
  const [header, ...body] = records;
  if (header === undefined) throw new InputError(`${file}: empty file, expected a header row with ${requiredColumns.join(', ')}`);
  const columns = columnPositions(file, header);
  for (const name of requiredColumns) {
    if (!columns.has(name)) {
      throw new InputError(`${place(file, 1)}: missing column "${name}" (header has: ${header.join(', ')})`);
    }
  }
  const lineNumbers = dataLineNumbers(text, commentLines);
  return body.map((record, index) => {
    const line = lineNumbers[index] ?? index + 2;
    if (record.length !== header.length) {
      throw new InputError(`${place(file, line)}: ${record.length} fields, expected ${header.length} as in the header`);
    }
    return {
      line,
      field: (name: string) => {
        const at = columns.get(name);
        return at === undefined ? '' : (record[at] ?? '');
      },
    };
  });
}

/** Header name (trimmed, lower-cased) → position; a name given twice is an error naming both columns. */
function columnPositions(file: string, header: readonly string[]): Map<string, number> {
  const columns = new Map<string, number>();
  header.forEach((name, index) => {
    const key = name.trim().toLowerCase();
    const first = columns.get(key);
    if (first !== undefined) throw new InputError(`${place(file, 1)}: column "${name.trim()}" appears twice (columns ${first + 1} and ${index + 1})`);
    columns.set(key, index);
  });
  return columns;
}

/** A reference file's text, read under its size limit (see input-limits.ts). */
export function readTextFile(file: string, limit: InputLimit = TABLE_FILE_LIMIT): string {
  return readBoundedText(file, limit);
}

/**
 * The physical line on which each data record starts (the header's record left out), so that a
 * message names the line an editor shows even after a quoted field with newlines in it. Blank lines
 * are skipped, as the parser skips them, and so are comment lines when the table has them.
 */
function dataLineNumbers(text: string, commentLines: boolean): number[] {
  const starts: number[] = [];
  let line = 1;
  let recordLine = 0;
  let inQuotes = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at];
    if (char === '\n') {
      if (!inQuotes && recordLine > 0) {
        starts.push(recordLine);
        recordLine = 0;
      }
      line++;
    } else if (inQuotes) {
      if (char === '"' && text[at + 1] === '"') at++;
      else if (char === '"') inQuotes = false;
    } else if (commentLines && recordLine === 0 && char === '#' && startsLine(text, at)) {
      const end = text.indexOf('\n', at);
      at = (end < 0 ? text.length : end) - 1;
    } else if (char !== '\r' && char !== ' ' && char !== '\t' && char !== '\uFEFF') {
      if (recordLine === 0) recordLine = line;
      if (char === '"') inQuotes = true;
    }
  }
  if (recordLine > 0) starts.push(recordLine);
  return starts.slice(1);
}

/** Whether text[at] is the first character of its line (after a byte-order mark on the first). */
function startsLine(text: string, at: number): boolean {
  return at === 0 || text[at - 1] === '\n' || (at === 1 && text[0] === '\uFEFF');
}
