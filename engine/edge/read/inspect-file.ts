import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { indexColumns, LEGACY_EXPORT, TEAMS_EXPORT, type ColumnIndex, type ColumnSpec } from '../../model/export-columns.js';
import { InputError, place } from '../../kernel/errors.js';
import { FieldSpans, fieldText, scanRecords } from '../../ingest/csv-scanner.js';

export type FileKind =
  | { kind: 'json'; size: number }
  | { kind: 'csv'; size: number; spec: ColumnSpec; delimiter: number; columns: ColumnIndex; headerFields: number; dataStart: number; headerLines: number };

/**
 * Looks at the head of a CDR file: Graph JSON, or a CSV export whose header names its columns
 * (tab-separated means the legacy Skype for Business export). A missing required column stops the run.
 */
export function inspectFile(file: string): FileKind {
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new InputError(`${file}: cannot read (is a directory)`);
    size = stat.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${file}: cannot read (no such file)`);
  }
  const fd = openSync(file, 'r');
  try {
    let head = new Uint8Array(Math.min(size, 65_536));
    let got = readSync(fd, head, 0, head.length, 0);
    const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    let first = bom;
    while (first < got && (head[first] === 32 || head[first] === 9 || head[first] === 10 || head[first] === 13)) first++;
    if (head[first] === 123 || head[first] === 91) return { kind: 'json', size };
    if (got === 0 || first >= got) throw new InputError(`${file}: empty file, expected a header row`);

    const lineEnd = head.indexOf(10, bom);
    const firstLine = head.subarray(bom, lineEnd < 0 ? got : lineEnd);
    const delimiter = firstLine.includes(9) ? 9 : 44;
    const spec = delimiter === 9 ? LEGACY_EXPORT : TEAMS_EXPORT;
    const fields = new FieldSpans();
    let header: string[] | undefined;
    let headerEnd = 0;
    let headerLines = 0;
    for (;;) {
      const atEnd = got === size;
      scanRecords(head, bom, got, atEnd, delimiter, fields, {
        record(buf, spans, _start, end, newlines) {
          if (header !== undefined) return;
          header = Array.from({ length: spans.count }, (_, index) => fieldText(buf, spans, index));
          headerEnd = end;
          headerLines = Math.max(newlines, 1);
        },
        malformed(_buf, _start, _end, _newlines, why) {
          if (header === undefined) throw new InputError(`${place(file, 1)}: the header is not valid CSV (${why})`);
        },
      });
      if (header !== undefined || atEnd) break;
      const bigger = new Uint8Array(head.length * 2);
      bigger.set(head);
      head = bigger;
      got += readSync(fd, head, got, head.length - got, got);
    }
    if (header === undefined) throw new InputError(`${file}: empty file, expected a header row`);
    const found = indexColumns(header, spec);
    if ('missing' in found) {
      const what = spec.format === 'legacy-tsv' ? 'legacy tab-separated export' : 'Teams PSTN usage export';
      throw new InputError(`${place(file, 1)}: missing required column "${found.missing}" for a ${what} (header has: ${header.join(', ')})`);
    }
    return { kind: 'csv', size, spec, delimiter, columns: found, headerFields: header.length, dataStart: headerEnd, headerLines };
  } finally {
    closeSync(fd);
  }
}
