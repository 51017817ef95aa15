import { closeSync, openSync, readSync } from 'node:fs';
import { cannotRead } from '../input-file.js';
import type { CallColumns } from '../../columns/call-columns.js';
import type { RowSource } from '../../columns/call-table.js';
import type { ColumnIndex } from '../../model/export-columns.js';
import { shownNumber } from '../../rules/numbering.js';
import { FieldSpans, fieldText, scanRecords } from '../../ingest/csv-scanner.js';

const LF = 10;
const QUOTE = 34;
const WINDOW_BYTES = 4 << 20;
const decoder = new TextDecoder();

/**
 * A CSV export's rows, read back from the file by byte offset (for rejects and the explain file).
 * Rows are asked for mostly in file order (duplicates, the explain file): one window of the file
 * serves thousands of them before the next read. The file is open only while a window is read, so
 * no descriptor outlives a call; `close` gives the window's memory back.
 */
export class CsvRowSource implements RowSource {
  private readonly fields = new FieldSpans();
  private window = new Uint8Array(0);
  private windowStart = 0;
  private windowLength = 0;

  constructor(
    readonly file: string,
    private readonly delimiter: number,
    private readonly columns: ColumnIndex,
  ) {}

  raw(part: CallColumns, index: number): string {
    return decoder.decode(this.bytesOf(part, index)).replace(/\r?\n$/, '');
  }

  usageId(part: CallColumns, index: number): string {
    if (this.columns.usageId < 0) return '';
    return this.usageIdInWindow(part, index) ?? this.usageIdOfRecord(this.bytesOf(part, index));
  }

  describe(part: CallColumns, index: number): { usageId: string; callType: string; number: string } {
    const bytes = this.bytesOf(part, index);
    const { columns } = this;
    let values = { usageId: '', callType: '', number: '' };
    scanRecords(bytes, 0, bytes.length, true, this.delimiter, this.fields, {
      record(buf, spans) {
        const get = (at: number) => (at < 0 ? '' : fieldText(buf, spans, at).trim());
        const callType = get(columns.callType).toLowerCase();
        values = { usageId: get(columns.usageId), callType, number: shownNumber(callType, get(columns.receivingNumber), get(columns.dialledNumber)) };
      },
      malformed() {},
    });
    return values;
  }

  close(): void {
    this.window = new Uint8Array(0);
    this.windowStart = this.windowLength = 0;
  }

  /** Reads the window from `offset`, at least `atLeast` bytes long. */
  private refill(offset: number, atLeast: number): void {
    if (this.window.length < Math.max(atLeast, WINDOW_BYTES)) this.window = new Uint8Array(Math.max(atLeast, WINDOW_BYTES));
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (error) {
      throw cannotRead(this.file, error);
    }
    try {
      this.windowStart = offset;
      this.windowLength = readSync(fd, this.window, 0, this.window.length, offset);
    } finally {
      closeSync(fd);
    }
  }

  /** The window, holding the byte at `offset`. */
  private windowAt(offset: number): Uint8Array {
    if (offset < this.windowStart || offset >= this.windowStart + this.windowLength) this.refill(offset, 0);
    return this.window;
  }

  /** The record's bytes, valid until the next call: scanned from its offset until it ends. */
  private bytesOf(part: CallColumns, index: number): Uint8Array {
    const offset = part.byteOffset[index] as number;
    let window = this.windowAt(offset);
    // No quote before the line end: the record is that line.
    const lineEnd = window.indexOf(LF, offset - this.windowStart);
    if (lineEnd !== -1 && lineEnd < this.windowLength) {
      const line = window.subarray(offset - this.windowStart, lineEnd + 1);
      if (line.indexOf(QUOTE) === -1) return line;
    }
    for (let probe = 512; ; probe *= 2) {
      const from = offset - this.windowStart;
      const to = Math.min(this.windowLength, from + probe);
      const atEnd = to === this.windowLength && this.windowLength < window.length;
      let end = -1;
      const first = (stop: number) => void (end = end < 0 ? stop : end);
      scanRecords(window, from, to, atEnd, this.delimiter, this.fields, { record: (_b, _f, _s, stop) => first(stop), malformed: (_b, _s, stop) => first(stop) });
      if (end >= 0 || atEnd) return window.subarray(from, end >= 0 ? end : to);
      // The record runs past the window: read again from it, with room for a record of `probe` bytes.
      if (to === this.windowLength) {
        this.refill(offset, 2 * probe);
        window = this.window;
      }
    }
  }

  /**
   * Mostly the UsageId comes before any quote of its record (it is the export's first column):
   * read up to it in the window, without finding where the record ends. Undefined when it cannot.
   */
  private usageIdInWindow(part: CallColumns, index: number): string | undefined {
    const { delimiter } = this;
    const offset = part.byteOffset[index] as number;
    const window = this.windowAt(offset);
    let start = offset - this.windowStart;
    for (let column = 0; column < this.columns.usageId && start >= 0; column++) {
      const stop = window.indexOf(delimiter, start);
      start = stop < 0 || stop >= this.windowLength ? -1 : stop + 1;
    }
    if (start < 0) return undefined;
    const limit = Math.min(this.windowLength, start + 512);
    let end = start;
    while (end < limit && window[end] !== delimiter && window[end] !== LF && window[end] !== QUOTE) end++;
    const before = window.subarray(offset - this.windowStart, end);
    if (end < limit && window[end] !== QUOTE && before.indexOf(QUOTE) === -1 && before.indexOf(LF) === -1) {
      return decoder.decode(window.subarray(start, end)).trim();
    }
    return undefined;
  }

  /** The UsageId of a whole record's bytes. */
  private usageIdOfRecord(bytes: Uint8Array): string {
    const { delimiter, columns } = this;
    // A record without quotes: count delimiters up to the column.
    if (bytes.indexOf(QUOTE) === -1) {
      let start = 0;
      for (let column = 0; column < columns.usageId && start >= 0; column++) start = bytes.indexOf(delimiter, start) + 1 || -1;
      if (start >= 0) {
        let end = bytes.indexOf(delimiter, start);
        if (end === -1) end = bytes.length;
        return decoder.decode(bytes.subarray(start, end)).trim();
      }
    }
    let usageId = '';
    scanRecords(bytes, 0, bytes.length, true, delimiter, this.fields, {
      record: (buf, spans) => void (usageId = fieldText(buf, spans, columns.usageId).trim()),
      malformed() {},
    });
    return usageId;
  }
}
