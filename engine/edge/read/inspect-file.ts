import { closeSync, readSync } from 'node:fs';
import { indexColumns, LEGACY_EXPORT, TEAMS_EXPORT, type ColumnIndex, type ColumnSpec } from '../../model/export-columns.js';
import { InputError, place } from '../../kernel/errors.js';
import { FieldSpans, fieldText, scanRecords } from '../../ingest/csv-scanner.js';
import { cannotRead, limitText, openInput } from '../input-file.js';
import { CDR_HEADER_LIMIT } from '../input-limits.js';

export type FileKind =
  | { kind: 'json'; size: number }
  | { kind: 'csv'; size: number; spec: ColumnSpec; delimiter: number; columns: ColumnIndex; headerFields: number; dataStart: number; headerLines: number };

const TAB = 9;
const LF = 10;
const COMMA = 44;
const SEMICOLON = 59;

/**
 * Looks at the head of a CDR file: Graph JSON, or a CSV export whose header names its columns
 * (tab-separated means the legacy Skype for Business export). A missing required column, or a
 * column creditcast reads named twice, stops the run. Exports are read again later in byte ranges,
 * so only a regular file will do: a named pipe or a device is refused here, by what it is.
 */
export function inspectFile(file: string): FileKind {
  const { fd, stat } = openInput(file);
  try {
    if (!stat.isFile()) throw new InputError(`${file}: cannot read a named pipe: CDR exports are read in byte ranges, so save it to a file first`);
    const size = stat.size;
    const head = readHead(fd, size, file);
    const bom = head.bytes[0] === 0xef && head.bytes[1] === 0xbb && head.bytes[2] === 0xbf ? 3 : 0;
    let first = bom;
    while (first < head.got && (head.bytes[first] === 32 || head.bytes[first] === TAB || head.bytes[first] === LF || head.bytes[first] === 13)) first++;
    if (head.bytes[first] === 123 || head.bytes[first] === 91) return { kind: 'json', size };
    if (first >= head.got) throw new InputError(`${file}: empty file, expected a header row`);

    const lineEnd = head.bytes.indexOf(LF, bom);
    const firstLine = head.bytes.subarray(bom, lineEnd < 0 ? head.got : lineEnd);
    const delimiter = firstLine.includes(TAB) ? TAB : COMMA;
    const spec = delimiter === TAB ? LEGACY_EXPORT : TEAMS_EXPORT;
    const header = readHeader(fd, head, bom, size, delimiter, file);
    return { kind: 'csv', size, spec, delimiter, columns: headerColumns(header.names, spec, firstLine, file), headerFields: header.names.length, dataStart: header.end, headerLines: header.lines };
  } finally {
    closeSync(fd);
  }
}

interface Head {
  bytes: Uint8Array;
  got: number;
}

function readHead(fd: number, size: number, file: string): Head {
  const bytes = new Uint8Array(Math.min(size, 65_536));
  return { bytes, got: readAt(fd, bytes, 0, file) };
}

function readAt(fd: number, bytes: Uint8Array, from: number, file: string): number {
  try {
    return readSync(fd, bytes, from, bytes.length - from, from);
  } catch (error) {
    throw cannotRead(file, error);
  }
}

/** The header record, read on past the head when its quoted names run long. */
function readHeader(fd: number, head: Head, bom: number, size: number, delimiter: number, file: string): { names: string[]; end: number; lines: number } {
  const fields = new FieldSpans();
  let header: { names: string[]; end: number; lines: number } | undefined;
  // The file may be shorter than its size said when it was opened (truncated meanwhile).
  for (let shorter = false; ; ) {
    const atEnd = head.got === size || shorter;
    scanRecords(head.bytes, bom, head.got, atEnd, delimiter, fields, {
      record(buf, spans, _start, end, newlines) {
        if (header !== undefined) return;
        header = { names: Array.from({ length: spans.count }, (_, index) => fieldText(buf, spans, index)), end, lines: Math.max(newlines, 1) };
      },
      malformed(_buf, _start, _end, _newlines, why) {
        if (header === undefined) throw new InputError(`${place(file, 1)}: the header is not valid CSV (${why})`);
      },
    });
    if (header !== undefined) return header;
    if (atEnd) throw new InputError(`${file}: empty file, expected a header row`);
    if (head.got > CDR_HEADER_LIMIT.bytes) throw new InputError(`${place(file, 1)}: the header row is longer than ${limitText(CDR_HEADER_LIMIT)}`);
    const bigger = new Uint8Array(Math.min(head.bytes.length * 2, CDR_HEADER_LIMIT.bytes + 1));
    bigger.set(head.bytes);
    head.bytes = bigger;
    const got = readAt(fd, head.bytes, head.got, file);
    shorter = got === 0;
    head.got += got;
  }
}

/** The columns creditcast reads, or the one-line reason the header will not do. */
function headerColumns(header: string[], spec: ColumnSpec, firstLine: Uint8Array, file: string): ColumnIndex {
  const found = indexColumns(header, spec);
  if ('duplicate' in found) {
    const count = found.positions.length;
    const columns = `columns ${found.positions.slice(0, -1).join(', ')} and ${found.positions[count - 1]}`;
    const where = count === 2 ? `twice (${columns})` : `${count} times (${columns})`;
    throw new InputError(`${place(file, 1)}: column "${found.duplicate}" appears ${where}`);
  }
  if ('missing' in found) {
    // A spreadsheet saved with a semicolon list separator: the whole header is one name.
    if (delimiterLooksLikeSemicolon(firstLine)) {
      throw new InputError(`${place(file, 1)}: the header is separated by semicolons; creditcast reads comma-separated Teams exports (or tab-separated legacy ones), so save the file as CSV with commas`);
    }
    const what = spec.format === 'legacy-tsv' ? 'legacy tab-separated export' : 'Teams PSTN usage export';
    throw new InputError(`${place(file, 1)}: missing required column "${found.missing}" for a ${what} (header has: ${header.join(', ')})`);
  }
  return found;
}

function delimiterLooksLikeSemicolon(line: Uint8Array): boolean {
  let semicolons = 0;
  let commas = 0;
  for (const byte of line) {
    if (byte === SEMICOLON) semicolons++;
    else if (byte === COMMA) commas++;
  }
  return semicolons > commas;
}
