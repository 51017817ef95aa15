import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRange } from '../../engine/edge/read/read-range.js';
import { FieldSpans, fieldText, scanRecords, type RecordHandler } from '../../engine/ingest/csv-scanner.js';
import { JsRecordScanner } from '../../engine/ingest/js-scanner.js';
import type { RecordScanner } from '../../engine/ingest/scanner.js';
import { indexColumns, TEAMS_EXPORT, type ColumnIndex } from '../../engine/model/export-columns.js';
import { tempFolder } from '../cli-helpers.js';
import { bundledRules } from '../helpers.js';
import { teamsCsv, type ExportRow } from '../teams-export.js';
import { wasmScanner } from '../wasm-scanner.js';

type Parsed = { rows: { line: number; fields: string[] }[]; bad: number[] };

/** csv-parse, the reference, with line numbers counted as the export reader counts them. */
function withCsvParse(text: string): Parsed {
  const result: Parsed = { rows: [], bad: [] };
  let nextLine = 1;
  const advance = (raw: string) => {
    const line = nextLine;
    nextLine += (raw.replace(/\r?\n?$/, '').match(/\n/g) ?? []).length + 1;
    return line;
  };
  parse(text, {
    bom: true,
    raw: true,
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: (_error, raw) => void result.bad.push(advance(typeof raw === 'string' ? raw : '')),
    on_record: (parsed: unknown) => {
      const { record, raw } = parsed as { record: string[]; raw: string };
      const line = advance(raw);
      if (!(record.length === 1 && record[0] === '')) result.rows.push({ line, fields: record });
      return null;
    },
  });
  return result;
}

// Both scanners behind the ingest's door; the WebAssembly one fails this file when it does not load.
const scanners: Record<'js' | 'simd', RecordScanner> = { js: new JsRecordScanner(), simd: wasmScanner() };

/**
 * The byte scanner, fed in pieces of `piece` bytes as the file reader feeds it: over a copy of the
 * text in a scanner's buffer (the JavaScript scanner alone, or with the WebAssembly reader of
 * common records), or with 'exact', scanRecords over the text's bytes and nothing after them.
 */
function withScanner(text: string, piece: number, which: 'js' | 'simd' | 'exact' = 'js'): Parsed {
  const encoded = new TextEncoder().encode(text);
  let bytes: Uint8Array = encoded;
  let scan = (from: number, to: number, atEnd: boolean, handler: RecordHandler) => scanRecords(encoded, from, to, atEnd, 44, new FieldSpans(), handler);
  if (which !== 'exact') {
    const scanner = scanners[which];
    const buffer = scanner.ensureBuffer(encoded.length, 0);
    // Bytes past the input, left from an earlier case, must not count: fill them with stop bytes.
    buffer.fill(10);
    buffer.set(encoded);
    bytes = buffer.subarray(0, encoded.length);
    scan = (from, to, atEnd, handler) => scanner.scan(from, to, atEnd, 44, handler);
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const result: Parsed = { rows: [], bad: [] };
  let line = 1;
  const handler = {
    record(buf: Uint8Array, spans: FieldSpans, _s: number, _e: number, newlines: number) {
      const values = Array.from({ length: spans.count }, (_, index) => fieldText(buf, spans, index));
      if (!(values.length === 1 && values[0] === '')) result.rows.push({ line, fields: values });
      line += Math.max(newlines, 1);
    },
    malformed(_buf: Uint8Array, _s: number, _e: number, newlines: number) {
      result.bad.push(line);
      line += Math.max(newlines, 1);
    },
  };
  let from = start;
  for (let to = Math.min(bytes.length, start + piece); ; to = Math.min(bytes.length, to + piece)) {
    from = scan(from, to, to === bytes.length, handler);
    if (to === bytes.length) break;
  }
  return result;
}

/**
 * Decodes a whole export (one range) with the scanner and its field reader, as a worker does: per
 * accepted row its line, user (as interned and folded), duration and start; and the rejects.
 */
function decodeWith(scanner: RecordScanner, file: string, text: string) {
  const lines = text.split('\r\n');
  const header = (lines[0] as string).split(',');
  const columns = indexColumns(header, TEAMS_EXPORT) as ColumnIndex;
  const dataStart = Buffer.byteLength(`${lines[0]}\r\n`);
  const size = Buffer.byteLength(text);
  const spec = { rangeStart: dataStart, rangeEnd: size, exactStart: true, fileSize: size, delimiter: 44, readBytes: 1 << 16 };
  const settings = { file, fileIndex: 0, columns, headerFields: header.length, currency: 'USD', start: null, end: null };
  const { columns: calls, rejects } = readRange(scanner, file, spec, settings, bundledRules(), null);
  const rows = Array.from({ length: calls.count }, (_, i) => `${calls.line[i]} ${calls.users[calls.user[i] as number]} ${calls.durationSeconds[i]}s ${calls.startAt[i]}`);
  return { rows, rejects: rejects.map((reject) => `${reject.line} ${reject.reason} ${reject.detail}`) };
}

const quote = (value: string) => (/[",\r\n]/.test(value) || value === '' ? `"${value.replace(/"/g, '""')}"` : value);
const csvText = fc
  .record({
    rows: fc.array(fc.array(fc.oneof(fc.stringMatching(/^[a-z0-9 ,"\n]{0,6}$/), fc.stringMatching(/^[a-z0-9é ]{0,24}$/)), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
    eol: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
    finalEol: fc.boolean(),
  })
  .map(({ rows, eol, bom, finalEol }) => {
    const body = rows.map((row) => row.map((value) => quote(value.replace(/\n/g, eol))).join(',')).join(eol);
    return `${bom ? '\uFEFF' : ''}${body}${finalEol ? eol : ''}`;
  });

describe('byte scanner against csv-parse (fast-check; a failure prints its seed)', () => {
  it('reads the same records on the same lines from any valid CSV, however it is cut', () => {
    fc.assert(
      fc.property(csvText, fc.integer({ min: 1, max: 64 }), (text, piece) => {
        const reference = withCsvParse(text);
        expect(withScanner(text, piece, 'exact')).toEqual(reference);
        expect(withScanner(text, piece)).toEqual(reference);
        expect(withScanner(text, 1 << 20)).toEqual(reference);
        expect(withScanner(text, piece, 'simd')).toEqual(reference);
        expect(withScanner(text, 1 << 20, 'simd')).toEqual(reference);
      }),
      { numRuns: 500 },
    );
  });

  // On broken quoting csv-parse's recovery swallows good rows after the error (one bad row can
  // become three skips, or the rest of the file); the scanner rejects the bad row alone. Both
  // agree up to and including the first bad row.
  it('agrees with csv-parse up to the first broken quote', () => {
    const broken = fc.record({ text: csvText, at: fc.nat(), kind: fc.constantFrom('x"y', '"x"y') });
    fc.assert(
      fc.property(broken, ({ text, at, kind }) => {
        const lines = text.split('\n');
        const index = at % lines.length;
        lines[index] = `${kind},${lines[index]}`;
        const damaged = lines.join('\n');
        const reference = withCsvParse(damaged);
        const firstBad = reference.bad[0];
        if (firstBad === undefined) return;
        for (const scanned of [withScanner(damaged, 7, 'exact'), withScanner(damaged, 7), withScanner(damaged, 7, 'simd'), withScanner(damaged, 1 << 20, 'simd')]) {
          expect(scanned.bad[0]).toBe(firstBad);
          expect(scanned.rows.filter((row) => row.line < firstBad)).toEqual(reference.rows.filter((row) => row.line < firstBad));
        }
      }),
      { numRuns: 300 },
    );
  });

  // The whole decode, not only the scanner: rows with durations around the 30-day maximum and UPNs
  // in any script, read by the WebAssembly scanner and field reader and by the JavaScript ones.
  it('decodes the same calls and rejects with either scanner, long durations and non-ASCII UPNs included', () => {
    const folder = tempFolder();
    const upn = fc.oneof(
      fc.constantFrom('JÜRGEN@contoso.example', 'jürgen@contoso.example', 'ju\u0308rgen@contoso.example', 'Ana@contoso.example', 'straße@x', 'STRASSE@x', '李@例え.jp', ' 😀@x '),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
    );
    const duration = fc.oneof(
      fc.integer({ min: 2_591_995, max: 2_592_005 }).map(String),
      fc.tuple(fc.constantFrom('719', '720', '721', '596524'), fc.constantFrom('00', '59'), fc.constantFrom('00', '01', '59')).map((parts) => parts.join(':')),
      fc.constantFrom('60', '2147483647', '2147483648', '99999999999999999999'),
    );
    const row = fc.record({ upn, durationSeconds: duration, startTime: fc.integer({ min: 1, max: 28 }).map((day) => `2026-01-${String(day).padStart(2, '0')}T10:00:00Z`) });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 12 }), (rows: ExportRow[]) => {
        const text = teamsCsv(rows.map((fields) => ({ ...fields, endTime: '' })));
        const file = join(folder, 'pstn.csv');
        writeFileSync(file, text);
        const inJs = decodeWith(new JsRecordScanner(), file, text);
        expect(decodeWith(scanners.simd, file, text)).toEqual(inJs);
        // Every call kept is at most 30 days long, and every row is a call or a reject.
        for (const call of inJs.rows) expect(Number(call.split(' ').at(-2)?.replace('s', ''))).toBeLessThanOrEqual(2_592_000);
        expect(inJs.rows.length + inJs.rejects.length).toBe(rows.length);
      }),
      { numRuns: 150 },
    );
  });
});
