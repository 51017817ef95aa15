import type { FieldSpans } from './csv-scanner.js';
import { trimEnd, trimStart } from './bytes.js';

const QUOTE = 34;
const textDecoder = new TextDecoder();

/**
 * One field of the current record as a byte span, without making a string: the record's own bytes,
 * or, for a quoted field with "" escapes, an unescaped copy in a scratch buffer. Reused from field
 * to field (the span is valid until the next `show`).
 */
export class FieldView {
  bytes: Uint8Array;
  start = 0;
  end = 0;
  private readonly scratch = new Uint8Array(4096);

  constructor() {
    this.bytes = this.scratch;
  }

  /** Shows field `index` (empty when the export has no such column), trimmed of ASCII white space if asked. */
  show(buf: Uint8Array, fields: FieldSpans, index: number, trim: boolean): void {
    if (index < 0) {
      this.bytes = this.scratch;
      this.start = this.end = 0;
      return;
    }
    let bytes = buf;
    let start = fields.starts[index] as number;
    let end = fields.ends[index] as number;
    // A field longer than the scratch keeps its "" pairs: it is far past any valid value's length.
    if (fields.escaped[index] === 1 && end - start <= this.scratch.length) {
      let length = 0;
      for (let at = start; at < end; at++) {
        this.scratch[length++] = bytes[at] as number;
        if (bytes[at] === QUOTE) at++;
      }
      bytes = this.scratch;
      start = 0;
      end = length;
    }
    if (trim) {
      start = trimStart(bytes, start, end);
      end = trimEnd(bytes, start, end);
    }
    this.bytes = bytes;
    this.start = start;
    this.end = end;
  }

  get empty(): boolean {
    return this.start === this.end;
  }

  text(): string {
    return textDecoder.decode(this.bytes.subarray(this.start, this.end));
  }
}
