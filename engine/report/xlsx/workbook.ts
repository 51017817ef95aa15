import ExcelJS from 'exceljs';

/** A sheet: its rows as plain objects, the same shape as the `--json` document's arrays. */
export interface SheetRows {
  name: string;
  rows: readonly Record<string, unknown>[];
}

type Cell = string | number | boolean | Date | null;

/** Decimal text as `--json` writes amounts ("127.40", "-3.05"): money in the sheet. */
const AMOUNT = /^-?\d+\.\d+$/;
/** An instant as `--json` writes it: a date and time in the sheet. */
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/**
 * A workbook finance can work in, one sheet per table: amounts as numbers in the currency's
 * format, instants as Excel dates (UTC), the header row frozen and filtered. Cells are typed from
 * the values the `--json` document holds (decimal text, ISO instants), so a column added to it
 * later comes out typed too.
 * Text is written as text (never a formula), whatever it starts with.
 */
export async function workbookOf(sheets: readonly SheetRows[], currency: string, minorDigits: number): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.creator = 'creditcast';
  const moneyFormat = `#,##0${minorDigits > 0 ? `.${'0'.repeat(minorDigits)}` : ''} "${currency.replace(/[^A-Z]/g, '')}"`;
  for (const sheet of sheets) addSheet(book, sheet, moneyFormat);
  const buffer = await book.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

function addSheet(book: ExcelJS.Workbook, sheet: SheetRows, moneyFormat: string): void {
  const columns = columnsOf(sheet.rows);
  const worksheet = book.addWorksheet(uniqueName(book, sheetName(sheet.name)), { views: [{ state: 'frozen', ySplit: 1 }] });
  worksheet.columns = columns.map((key) => ({ header: key, key, width: Math.max(12, Math.min(40, key.length + 4)) }));
  worksheet.getRow(1).font = { bold: true };
  for (const row of sheet.rows) {
    const added = worksheet.addRow(columns.map((key) => cellOf(row[key])));
    columns.forEach((key, column) => {
      const value = row[key];
      if (typeof value !== 'string') return;
      if (AMOUNT.test(value)) added.getCell(column + 1).numFmt = moneyFormat;
      else if (INSTANT.test(value)) {
        added.getCell(column + 1).numFmt = 'yyyy-mm-dd hh:mm:ss';
        worksheet.getColumn(column + 1).width = 20;
      }
    });
  }
  if (columns.length > 0) worksheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

/** Amounts become numbers and instants dates (Excel keeps them as UTC); other text stays text. */
function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && AMOUNT.test(value)) return Number(value);
  if (typeof value === 'string' && INSTANT.test(value)) return new Date(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  return JSON.stringify(value);
}

function columnsOf(rows: readonly Record<string, unknown>[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  return [...keys];
}

/** Excel's rules for a sheet's name: at most 31 characters, none of : \ / ? * [ ]. */
function sheetName(name: string): string {
  return name.replace(/[:\\/?*[\]]/g, '_').slice(0, 31) || 'sheet';
}

/** A key of the document may come to share a sheet's name ("events"): the later sheet gets " (2)". */
function uniqueName(book: ExcelJS.Workbook, name: string): string {
  let unique = name;
  for (let n = 2; book.getWorksheet(unique) !== undefined; n++) unique = `${name.slice(0, 26)} (${n})`;
  return unique;
}

/** Nested objects as dotted columns ({ spent: { p5 } } as "spent.p5"); arrays as JSON text. */
export function flatRow(value: Record<string, unknown>, prefix = '', into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, field] of Object.entries(value)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (field !== null && typeof field === 'object' && !Array.isArray(field)) flatRow(field as Record<string, unknown>, name, into);
    else into[name] = Array.isArray(field) ? JSON.stringify(field) : field;
  }
  return into;
}

/**
 * A `--json` document as sheets: a "summary" sheet of its single figures (field, value), then one
 * sheet per array of objects, in the document's order, wherever it sits: an array inside an object
 * is named by its dotted path ("invoices.months"), and one inside each row of a table becomes one
 * sheet of all of them, each row led by its parent row's first field ("invoices split", by month).
 * A key added to the document later gets its sheet or its summary row without a change here.
 */
export function documentSheets(document: Record<string, unknown>): SheetRows[] {
  const summary: Record<string, unknown>[] = [];
  const tables: SheetRows[] = [];
  for (const [key, value] of Object.entries(document)) {
    if (isTable(value)) addTable(key, value, tables);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [field, inner] of Object.entries(flatRow(withoutTables(value as Record<string, unknown>, key, tables), key))) summary.push({ field, value: inner });
    } else summary.push({ field: key, value: Array.isArray(value) ? JSON.stringify(value) : value });
  }
  return [{ name: 'summary', rows: summary }, ...tables];
}

function isTable(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length > 0 && value.every((row) => row !== null && typeof row === 'object' && !Array.isArray(row));
}

/** The object without its arrays of objects (at any depth), each added as a sheet named by its path. */
function withoutTables(value: Record<string, unknown>, path: string, tables: SheetRows[]): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (isTable(field)) addTable(`${path}.${key}`, field, tables);
    else if (field !== null && typeof field === 'object' && !Array.isArray(field)) rest[key] = withoutTables(field as Record<string, unknown>, `${path}.${key}`, tables);
    else rest[key] = field;
  }
  return rest;
}

/** A table's sheet, and after it one sheet per column of its rows that holds tables (an invoice's split). */
function addTable(name: string, rows: readonly Record<string, unknown>[], tables: SheetRows[]): void {
  const nested = new Map<string, Record<string, unknown>[]>();
  const flat = rows.map((row) => {
    const [leadKey, lead] = Object.entries(row)[0] ?? ['', null];
    const rest: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(row)) {
      // An invoice with no calls has an empty split: no rows, rather than "[]" in a cell.
      if (!(Array.isArray(field) && field.every((child) => child !== null && typeof child === 'object' && !Array.isArray(child)) && (field.length > 0 || rows.some((other) => isTable(other[key]))))) rest[key] = field;
      else {
        const into = nested.get(key) ?? [];
        nested.set(key, into);
        for (const child of field) into.push({ [leadKey]: lead, ...flatRow(child) });
      }
    }
    return flatRow(rest);
  });
  tables.push({ name, rows: flat });
  for (const [key, childRows] of nested) tables.push({ name: `${name} ${key}`, rows: childRows });
}
