import { FieldSpans, scanRecords, type RecordHandler } from './csv-scanner.js';
import { JsFieldReader } from './js-field-reader.js';
import type { RecordScanner } from './scanner.js';

/** The JavaScript RecordScanner: scanRecords over a buffer of its own, which only grows. */
export class JsRecordScanner implements RecordScanner {
  buffer = new Uint8Array(0);
  readonly fields = new FieldSpans();
  readonly fieldReader = new JsFieldReader();

  ensureBuffer(bytes: number, keep: number): Uint8Array {
    if (this.buffer.length >= bytes) return this.buffer;
    const bigger = new Uint8Array(bytes);
    if (keep > 0) bigger.set(this.buffer.subarray(0, keep));
    this.buffer = bigger;
    return bigger;
  }

  scan(from: number, to: number, atEnd: boolean, delimiter: number, handler: RecordHandler): number {
    return scanRecords(this.buffer, from, to, atEnd, delimiter, this.fields, handler);
  }
}
