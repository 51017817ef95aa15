import { closeSync, openSync, readSync } from 'node:fs';
import { cannotRead } from '../input-file.js';
import type { Reject } from '../../model/cdr.js';
import { ColumnBuilder, type CallColumns } from '../../columns/call-columns.js';
import type { RateTable } from '../../rules/rate-table.js';
import type { Rules } from '../../rules/classify.js';
import type { FieldSpans, RecordHandler } from '../../ingest/csv-scanner.js';
import { RowDecoder, type DecoderSettings } from '../../ingest/row-decoder.js';
import type { RecordScanner } from '../../ingest/scanner.js';

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
  /**
   * Where the first record of this range starts, and where the first record after it starts; both
   * NO_RECORD_START when no record starts in the range (it lies inside one long record).
   */
  startBoundary: number;
  endBoundary: number;
  /** Lines the range's records span; line numbers in `columns` and `rejects` count from 1 here. */
  lines: number;
}

const LF = 10;
/** The boundaries of a range in which no record starts: it decodes nothing, and is no boundary to check. */
export const NO_RECORD_START = -1;
let sharedBuilder: ColumnBuilder | undefined;

/**
 * Decodes one byte range of a CSV export. The range reads its own bytes into the scanner's buffer,
 * reused from task to task (fresh memory is slow to touch on these machines). If it was not told
 * where a record starts, it assumes it does not begin inside a quoted field and starts after the
 * next line end; the caller checks that guess against where the previous range really ended. With
 * `spareBlocks`, the columns are handed over in their block (see `ColumnBuilder.handOver`), and the
 * builder goes on in one of these blocks if there is one; without, they are copied out.
 */
export function readRange(scanner: RecordScanner, file: string, spec: RangeSpec, settings: DecoderSettings, rules: Rules, rates: RateTable | null, spareBlocks?: ArrayBuffer[]): RangeResult {
  const fd = openRange(file);
  try {
    const startBoundary = spec.exactStart ? spec.rangeStart : findRecordStart(fd, scanner.ensureBuffer(spec.readBytes, 0), spec);
    sharedBuilder = sharedBuilder?.reset(settings.fileIndex) ?? new ColumnBuilder(settings.fileIndex, Math.ceil((spec.rangeEnd - spec.rangeStart) / 256), true);
    const decoder = new RowDecoder(settings, rules, rates, sharedBuilder, scanner.fieldReader);
    const range = new RangeRecords(decoder, spec.rangeEnd, startBoundary);
    if (startBoundary !== NO_RECORD_START) readRecords(fd, scanner, spec, range);
    return {
      columns: decoder.finish(spareBlocks === undefined ? undefined : { spare: spareBlocks.pop() }),
      rejects: decoder.rejects,
      rowsRead: decoder.rowsRead,
      startBoundary,
      endBoundary: startBoundary === NO_RECORD_START ? NO_RECORD_START : Math.max(range.endBoundary, startBoundary),
      lines: range.line - 1,
    };
  } finally {
    closeSync(fd);
  }
}

/**
 * The file was inspected moments ago; if it cannot be opened now (removed, or its permissions
 * changed), that is said as for any input. In a worker the error crosses to the main thread as a
 * plain Error with this message, and ingest-files.ts knows it by its start.
 */
function openRange(file: string): number {
  try {
    return openSync(file, 'r');
  } catch (error) {
    throw cannotRead(file, error);
  }
}

/** Reads the file from the range's start through the scanner, until the handler has met the range's end. */
function readRecords(fd: number, scanner: RecordScanner, spec: RangeSpec, range: RangeRecords): void {
  let buf = scanner.ensureBuffer(spec.readBytes, 0);
  let filled = 0;
  for (;;) {
    // One record larger than the buffer: grow it.
    if (filled === buf.length) buf = scanner.ensureBuffer(buf.length * 2, filled);
    const wanted = Math.min(buf.length - filled, Math.max(spec.rangeEnd - (range.base + filled), 0) + pastEndBytes(filled));
    const got = wanted > 0 ? readSync(fd, buf, filled, wanted, range.base + filled) : 0;
    filled += got;
    const atEnd = range.base + filled >= spec.fileSize;
    const consumed = scanner.scan(0, filled, atEnd, spec.delimiter, range);
    if (atEnd && range.endBoundary < 0) {
      range.endBoundary = spec.fileSize;
      return;
    }
    if (range.endBoundary >= 0 || (got === 0 && wanted > 0)) return;
    // Keep the unfinished record at the front of the buffer and read on.
    buf.copyWithin(0, consumed, filled);
    range.base += consumed;
    filled -= consumed;
  }
}

/**
 * How far past the range's end to read for its last record: 64 KiB, or as much again as the buffer
 * already holds of a record still unfinished. Each read rescans the record from its start, so a
 * fixed step made a record of n bytes cost n^2 / 64 KiB (a 40 MB record: 29 s); doubling keeps the
 * rescans to 2n.
 */
function pastEndBytes(filledBytes: number): number {
  return Math.max(65_536, filledBytes);
}

/**
 * The records of one range, handed to the decoder with their line numbers (counted from 1 at the
 * range's first record) until the first record that starts at or past the range's end.
 */
class RangeRecords implements RecordHandler {
  line = 1;
  /** Where the first record after the range starts; -1 until it is met. */
  endBoundary = -1;
  /** The file offset of buffer[0]. */
  base: number;

  constructor(
    private readonly decoder: RowDecoder,
    private readonly rangeEnd: number,
    startBoundary: number,
  ) {
    this.base = startBoundary;
  }

  record(bytes: Uint8Array, spans: FieldSpans, start: number, end: number, newlines: number): void {
    if (this.pastEnd(start)) return;
    this.decoder.decode(bytes, spans, start, end, this.line, this.base);
    this.line += Math.max(newlines, 1);
  }

  malformed(bytes: Uint8Array, start: number, end: number, newlines: number, why: string): void {
    if (this.pastEnd(start)) return;
    this.decoder.malformed(bytes, start, end, this.line, why);
    this.line += Math.max(newlines, 1);
  }

  private pastEnd(start: number): boolean {
    if (this.endBoundary >= 0) return true;
    if (this.base + start < this.rangeEnd) return false;
    this.endBoundary = this.base + start;
    return true;
  }
}

/**
 * First record start at or after rangeStart, assuming rangeStart is not inside a quoted field; or
 * NO_RECORD_START when no line ends in the range: then no record starts in it, whatever the quoting.
 * The search stops at the range's end, so the ranges inside one long record do not each read on to
 * its end (with small chunks, a 40 MB record took 8 s).
 */
function findRecordStart(fd: number, buf: Uint8Array, spec: RangeSpec): number {
  let offset = spec.rangeStart - 1;
  while (offset < spec.rangeEnd) {
    const got = readSync(fd, buf, 0, Math.min(buf.length, 65_536, spec.rangeEnd - offset), offset);
    if (got === 0) return spec.fileSize;
    const lf = buf.subarray(0, got).indexOf(LF);
    if (lf >= 0) return offset + lf + 1;
    offset += got;
  }
  return NO_RECORD_START;
}
