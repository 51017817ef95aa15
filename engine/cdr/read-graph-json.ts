import { InputError } from '../errors.js';
import { readTextFile } from '../io/csv-table.js';
import type { CdrFields } from './call.js';
import type { RowSink } from './sink.js';

/**
 * Microsoft Graph getPstnCalls responses: one page (`{"value": [...]}`), an array of pages, or a
 * bare array of rows. JSON has no useful line per row, so a row's "line" is its 1-based position
 * among all the rows of the file.
 */
export function readGraphJson(file: string, fileIndex: number, sink: RowSink): void {
  const text = readTextFile(file);
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${jsonErrorPlace(text, error as Error)})`);
  }
  const rows = graphRows(document, file);
  rows.forEach((row, position) => {
    const origin = { file, fileIndex, line: position + 1 };
    const raw = JSON.stringify(row);
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      sink.reject(origin, 'malformed-row', 'a pstnCallLogRow must be a JSON object', raw);
      return;
    }
    sink.row(graphFields(row as Record<string, unknown>), origin, raw);
  });
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

function jsonErrorPlace(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message);
  if (!position) return error.message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = Number(position[1]) - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${error.message.replace(/ in JSON at position \d+.*$/, '')}`;
}
