import { stringify } from 'csv-stringify/sync';
import { ColumnBuilder, type CallColumns } from '../../columns/call-columns.js';
import type { RowSource } from '../../columns/call-table.js';
import { shownNumber } from '../../rules/numbering.js';
import { type CdrFields } from '../../model/cdr.js';
import { indexColumns, TEAMS_EXPORT, type ColumnIndex } from '../../model/export-columns.js';
import { InputError } from '../../kernel/errors.js';
import { readJsonFile } from '../read-json.js';
import { GRAPH_JSON_FILE_LIMIT } from '../input-limits.js';
import { FieldSpans, scanRecords } from '../../ingest/csv-scanner.js';
import type { RateTable } from '../../rules/rate-table.js';
import type { Rules } from '../../rules/classify.js';
import type { RangeResult } from './read-range.js';
import { RowDecoder } from '../../ingest/row-decoder.js';

const FIELD_ORDER = Object.keys(TEAMS_EXPORT.columns) as (keyof CdrFields)[];

/** What the decoder needs besides the file (the ingest's options have it all). */
export interface GraphDecodeOptions {
  currency: string;
  start: number | null;
  end: number | null;
  rules: Rules;
  rates: RateTable | null;
}

/**
 * Microsoft Graph getPstnCalls responses: one page (`{"value": [...]}`), an array of pages, or a
 * bare array of rows. Each row is turned into the export's fields and decoded by the same decoder as
 * the CSV exports. JSON has no useful line per row, so a row's "line" is its 1-based position.
 */
export function decodeGraphFile(file: string, fileIndex: number, options: GraphDecodeOptions): { results: RangeResult[]; source: RowSource } {
  const rows = graphRows(readJsonFile(file, GRAPH_JSON_FILE_LIMIT), file);
  const fieldRows = rows.map((row) => (isObject(row) ? FIELD_ORDER.map((field) => graphFields(row)[field]) : ['']));
  const bytes = new TextEncoder().encode(stringify(fieldRows, { record_delimiter: '\n' }));
  const columns = indexColumns(FIELD_ORDER.map((field) => TEAMS_EXPORT.columns[field][0] ?? field), TEAMS_EXPORT) as ColumnIndex;
  const decoder = new RowDecoder(
    { file, fileIndex, columns, headerFields: FIELD_ORDER.length, currency: options.currency, start: options.start, end: options.end },
    options.rules,
    options.rates,
    new ColumnBuilder(fileIndex, rows.length),
  );
  // The decoder calls a row it cannot take apart "not valid CSV"; a JSON row gets its own words.
  const jsonDetails = new Map<number, string>();
  let ordinal = 0;
  scanRecords(bytes, 0, bytes.length, true, 44, new FieldSpans(), {
    record(buf, spans, start, end) {
      ordinal++;
      const row = rows[ordinal - 1];
      if (!isObject(row)) {
        jsonDetails.set(ordinal, `a pstnCallLogRow must be a JSON object, got ${jsonKind(row)}`);
        decoder.malformed(buf, start, end, ordinal, '');
        return;
      }
      decoder.decode(buf, spans, start, end, ordinal, 0);
    },
    malformed(buf, start, end, _newlines, why) {
      jsonDetails.set(++ordinal, `the row's fields could not be read (${why})`);
      decoder.malformed(buf, start, end, ordinal, why);
    },
  });
  const raws = rows.map((row) => JSON.stringify(row));
  const rejects = decoder.rejects.map((reject) => ({ ...reject, detail: jsonDetails.get(reject.line) ?? reject.detail, raw: raws[reject.line - 1] ?? '' }));
  const columnsOut = decoder.finish();
  const rowOf = (part: CallColumns, index: number) => (part.line[index] as number) - 1;
  const source: RowSource = {
    file,
    raw: (part, index) => raws[rowOf(part, index)] ?? '',
    usageId(part, index) {
      const row = rows[rowOf(part, index)];
      return (isObject(row) ? graphFields(row).usageId : undefined) ?? '';
    },
    describe(part, index) {
      const row = rows[rowOf(part, index)];
      const fields = isObject(row) ? graphFields(row) : undefined;
      const callType = (fields?.callType ?? '').toLowerCase();
      return { usageId: fields?.usageId ?? '', callType, number: shownNumber(callType, fields?.receivingNumber ?? '', fields?.dialledNumber ?? '') };
    },
    // The rows are in memory, read from the file at once: nothing is open.
    close() {},
  };
  return {
    results: [{ columns: columnsOut, rejects, rowsRead: decoder.rowsRead, startBoundary: 0, endBoundary: bytes.length, lines: rows.length }],
    source,
  };
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function graphRows(document: unknown, file: string): unknown[] {
  const pages = Array.isArray(document) ? document : [document];
  if (pages.every((page) => isPage(page))) return pages.flatMap((page) => (page as { value: unknown[] }).value);
  if (Array.isArray(document) && document.every((row) => !isPage(row))) return document;
  throw new InputError(`${file}: expected a Graph getPstnCalls response ({"value": [...]}), an array of them, or an array of rows`);
}

function isPage(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Array.isArray((value as { value?: unknown }).value);
}

function graphFields(row: Record<string, unknown>): CdrFields {
  const text = (key: string): string => {
    const value = row[key];
    if (value === null || value === undefined) return '';
    return typeof value === 'number' ? numberText(value) : String(value);
  };
  return {
    usageId: text('id'),
    upn: text('userPrincipalName'),
    userCountry: text('usageCountryCode'),
    callType: text('callType'),
    numberType: text('inventoryType'),
    domesticContext: text('destinationContext'),
    dialledNumber: text('calleeNumber'),
    // Graph, like the export, names the number that received an inbound call callerNumber.
    receivingNumber: text('callerNumber'),
    startTime: text('startDateTime'),
    endTime: text('endDateTime'),
    duration: text('duration'),
    connectionFee: text('connectionCharge'),
    charge: text('charge'),
    currency: text('currency'),
    capability: text('licenseCapability'),
  };
}

/** Shortest round-trip text of a double, which is the decimal the service wrote (no exponent). */
function numberText(value: number): string {
  const shortest = String(value);
  if (!/e/i.test(shortest)) return shortest;
  return value.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
}
