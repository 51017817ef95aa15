import { stringify } from 'csv-stringify/sync';

/**
 * CSV files written for spreadsheets, where a cell beginning with `=`, `+`, `-` or `@` (or a tab
 * or carriage return before one) is run as a formula: the OWASP "CSV injection". Text cells that
 * begin so get a single quote in front, which the spreadsheet shows as text. Whether a cell is text
 * is decided by its column, never by its value, so an amount such as `-12.40` stays a number.
 *
 * A text cell that begins with quotes and then such a character gets one more quote too: so the
 * value is always recovered by dropping one `'` from a cell that matches /^'+[=+\-@\t\r]/, and
 * taking any other cell as it is (README, "Outputs").
 */
export type CellKind = 'text' | 'number';

/** A file's columns in order, each text or number. */
export type CsvColumns<Key extends string> = readonly (readonly [Key, CellKind])[];

type Cell = string | number | null;

const QUOTE = 0x27;
const FORMULA_STARTS = new Set([0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d]); // = + - @ tab CR

/** A text cell as written: with one `'` in front when a spreadsheet would run it, else as it is. */
export function textCell(value: string): string {
  let at = 0;
  while (value.charCodeAt(at) === QUOTE) at++;
  return FORMULA_STARTS.has(value.charCodeAt(at)) ? `'${value}` : value;
}

/** The value a text cell was written from (what a reader of the file does to get it back). */
export function textCellValue(cell: string): string {
  return /^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/** Rows as CSV text, the header first when asked, every text column's cells neutralised. */
export function csvRows<Key extends string>(columns: CsvColumns<Key>, rows: readonly Readonly<Record<Key, Cell>>[], header = true): string {
  const cells = rows.map((row) =>
    columns.map(([key, kind]) => {
      const value = row[key];
      return kind === 'text' && typeof value === 'string' ? textCell(value) : value;
    }),
  );
  return stringify(cells, { header, columns: columns.map(([key]) => key) });
}
