import { closeSync, openSync, readSync } from 'node:fs';
import type { Reject } from '../../model/cdr.js';
import { ColumnBuilder, type CallColumns } from '../../columns/call-columns.js';
import type { RateTable } from '../../rules/rate-table.js';
import type { Rules } from '../../rules/classify.js';
import { FieldSpans, scanRecords } from '../../ingest/csv-scanner.js';
import { RowDecoder, type DecoderSettings } from '../../ingest/row-decoder.js';
import { simdRecordScanner } from '../../ingest/simd-scanner.js';

export interface RangeSpec {
  /** Nominal byte range: this range decodes the records that start in [rangeStart, rangeEnd). */
  rangeStart: number;
  rangeEnd: number;
  /** rangeStart is known to be where a record starts (the header's end, or a verified boundary). */
  exactStart: boolean;
  fileSize: number;
  delimiter: number;
  readBytes: number;
}

export interface RangeResult {
  columns: CallColumns;
  rejects: Reject[];
  rowsRead: number;
  /** Where the first record of this range starts, and where the first record after it starts. */
  startBoundary: number;
  endBoundary: number;
  /** Lines the range's records span; line numbers in `columns` and `rejects` count from 1 here. */
  lines: number;
}

const LF = 10;
let sharedBuffer = new Uint8Array(0);
let sharedBuilder: ColumnBuilder | undefined;

/**
 * Decodes one byte range of a CSV export. The range reads its own bytes into one buffer reused from
 * task to task (fresh memory is slow to touch on these machines). If it was not told where a record
 * starts, it assumes it does not begin inside a quoted field and starts after the next line end;
 * the caller checks that guess against where the previous range really ended. With `spareBlocks`,
 * the columns are handed over in their block (see `ColumnBuilder.handOver`), and the builder goes
 * on in one of these blocks if there is one; without, they are copied out.
 */
export function readRange(file: string, spec: RangeSpec, settings: DecoderSettings, rules: Rules, rates: RateTable | null, spareBlocks?: ArrayBuffer[]): RangeResult {
  // The WebAssembly scanner reads records from a buffer in its own memory; else a buffer of ours.
  const fast = simdRecordScanner() ?? undefined;
  if (fast === undefined && sharedBuffer.length < spec.readBytes) sharedBuffer = new Uint8Array(spec.readBytes);
  let buf = fast === undefined ? sharedBuffer : fast.ensureBuffer(spec.readBytes);
  const fd = openSync(file, 'r');
  try {
    const startBoundary = spec.exactStart ? spec.rangeStart : findRecordStart(fd, buf, spec);
    sharedBuilder = sharedBuilder?.reset(settings.fileIndex) ?? new ColumnBuilder(settings.fileIndex, Math.ceil((spec.rangeEnd - spec.rangeStart) / 256), true);
    const decoder = new RowDecoder(settings, rules, rates, sharedBuilder, fast);
    const fields = fast === undefined ? new FieldSpans() : fast.fields;
    let line = 1;
    let endBoundary = -1;
    let base = startBoundary;
    let filled = 0;
    let consumed = 0;

    const handler = {
      record(bytes: Uint8Array, spans: FieldSpans, start: number, end: number, newlines: number) {
        if (endBoundary >= 0) return;
        if (base + start >= spec.rangeEnd) {
          endBoundary = base + start;
          return;
        }
        decoder.decode(bytes, spans, start, end, line, base);
        line += Math.max(newlines, 1);
      },
      malformed(bytes: Uint8Array, start: number, end: number, newlines: number, why: string) {
        if (endBoundary >= 0) return;
        if (base + start >= spec.rangeEnd) {
          endBoundary = base + start;
          return;
        }
        decoder.malformed(bytes, start, end, line, why);
        line += Math.max(newlines, 1);
      },
    };

    for (;;) {
      if (filled === buf.length) {
        // One record larger than the buffer: grow it.
        if (fast === undefined) {
          const bigger = new Uint8Array(buf.length * 2);
          bigger.set(buf);
          buf = sharedBuffer = bigger;
        } else buf = fast.ensureBuffer(buf.length * 2, filled);
      }
      const wanted = Math.min(buf.length - filled, Math.max(spec.rangeEnd - (base + filled), 0) + 65_536);
      const got = wanted > 0 ? readSync(fd, buf, filled, wanted, base + filled) : 0;
      filled += got;
      const atEnd = base + filled >= spec.fileSize;
      consumed = scanRecords(buf, 0, filled, atEnd, spec.delimiter, fields, handler, fast);
      if (atEnd && endBoundary < 0) {
        endBoundary = spec.fileSize;
        break;
      }
      if (endBoundary >= 0 || (got === 0 && wanted > 0)) break;
      // Keep the unfinished record at the front of the buffer and read on.
      buf.copyWithin(0, consumed, filled);
      base += consumed;
      filled -= consumed;
    }
    return {
      columns: decoder.finish(spareBlocks === undefined ? undefined : { spare: spareBlocks.pop() }),
      rejects: decoder.rejects,
      rowsRead: decoder.rowsRead,
      startBoundary,
      endBoundary: Math.max(endBoundary, startBoundary),
      lines: line - 1,
    };
  } finally {
    closeSync(fd);
  }
}

/** First record start at or after rangeStart, assuming rangeStart is not inside a quoted field. */
function findRecordStart(fd: number, buf: Uint8Array, spec: RangeSpec): number {
  let offset = spec.rangeStart - 1;
  for (;;) {
    const got = readSync(fd, buf, 0, Math.min(buf.length, 65_536), offset);
    if (got === 0) return spec.fileSize;
    const lf = buf.subarray(0, got).indexOf(LF);
    if (lf >= 0) return offset + lf + 1;
    offset += got;
  }
}
