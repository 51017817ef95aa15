import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { InputError, place } from '../errors.js';
import { fieldsOf, indexColumns, LEGACY_EXPORT, TEAMS_EXPORT, type ColumnIndex, type ColumnSpec } from './columns.js';
import type { RowSink } from './sink.js';

/**
 * Streams a Teams PSTN usage export (RFC 4180, comma) or the legacy Skype for Business export
 * (named .csv, tab-separated) through csv-parse. Line numbers are counted here from each record's
 * raw text, because csv-parse counts a quoted CRLF as two lines.
 */
export async function readCsvExport(file: string, fileIndex: number, firstLine: string, sink: RowSink): Promise<void> {
  const spec: ColumnSpec = firstLine.includes('\t') ? LEGACY_EXPORT : TEAMS_EXPORT;
  let nextLine = 1;
  let header: string[] | undefined;
  let index: ColumnIndex | undefined;
  let headerError: InputError | undefined;

  const advance = (raw: string): number => {
    const startLine = nextLine;
    nextLine += countNewlines(raw.replace(/\r?\n?$/, '')) + 1;
    return startLine;
  };

  const parser = parse({
    bom: true,
    delimiter: spec.format === 'legacy-tsv' ? '\t' : ',',
    raw: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: (error, raw) => {
      const text = typeof raw === 'string' ? raw : '';
      const line = advance(text);
      const why = error?.message.split('\n')[0] ?? 'unreadable record';
      sink.reject({ file, fileIndex, line }, 'malformed-row', `not valid CSV: ${why}`, text.replace(/\r?\n$/, ''));
    },
    // With `raw`, csv-parse hands on_record the fields and the record's text together.
    on_record: (parsed: unknown) => {
      const { record, raw } = parsed as { record: string[]; raw: string };
      const line = advance(raw);
      if (headerError !== undefined) return null;
      if (header === undefined) {
        header = record;
        const found = indexColumns(record, spec);
        if ('missing' in found) {
          headerError = new InputError(
            `${place(file, line)}: missing required column "${found.missing}" for a ${describe(spec)} (header has: ${record.join(', ')})`,
          );
        } else {
          index = found;
        }
        return null;
      }
      if (record.length === 1 && record[0] === '') return null;
      const origin = { file, fileIndex, line };
      const trimmedRaw = raw.replace(/\r?\n?$/, '');
      if (record.length !== header.length) {
        sink.reject(origin, 'malformed-row', `${record.length} fields, expected ${header.length} as in the header`, trimmedRaw);
        return null;
      }
      sink.row(fieldsOf(record, index as ColumnIndex), origin, trimmedRaw);
      return null;
    },
  });
  await pipeline(createReadStream(file), parser, async function* drain(source) {
    for await (const _ of source) yield* [];
  });
  if (headerError !== undefined) throw headerError;
  if (header === undefined) throw new InputError(`${file}: empty file, expected a header row`);
}

function describe(spec: ColumnSpec): string {
  return spec.format === 'legacy-tsv' ? 'legacy tab-separated export' : 'Teams PSTN usage export';
}

function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
