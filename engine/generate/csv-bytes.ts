import { TEAMS_HEADER } from './generate-cdrs.js';

/**
 * RFC 4180 lines (CRLF, as the admin centre exports them) as UTF-8 bytes, written field by field
 * into one buffer rather than joined into strings and encoded afterwards, which would copy every
 * row twice: quoting is the one rule (a field with a comma, quote or line break is quoted, its
 * quotes doubled).
 */
export function csvBytes(rows: Iterable<string[]>): Uint8Array {
  const out = writer.reset();
  for (const row of rows) {
    for (let column = 0; column < row.length; column++) {
      if (column > 0) out.byte(COMMA);
      const value = row[column] as string;
      if (FREE_TEXT[column] === 1 && NEEDS_QUOTES.test(value)) {
        out.byte(QUOTE);
        out.text(value.replaceAll('"', '""'));
        out.byte(QUOTE);
      } else out.text(value);
    }
    out.byte(CR);
    out.byte(LF);
  }
  return out.bytes();
}

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

/** The generator writes ids, numbers, codes and times that never need quoting; only these carry free text. */
const FREE_TEXT = TEAMS_HEADER.map((name) => (name === 'User Display Name' || name === 'Destination Dialed' ? 1 : 0));
const NEEDS_QUOTES = /[",\r\n]/;

/** A growing byte buffer; ASCII is copied a character at a time, anything else goes through TextEncoder. */
class ByteWriter {
  private buffer = new Uint8Array(1 << 20);
  private length = 0;
  private readonly encoder = new TextEncoder();

  byte(value: number): void {
    if (this.length === this.buffer.length) this.grow(1);
    this.buffer[this.length++] = value;
  }

  text(value: string): void {
    if (this.length + value.length * 3 > this.buffer.length) this.grow(value.length * 3);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) {
        this.length += this.encoder.encodeInto(value, buffer.subarray(this.length)).written;
        return;
      }
      buffer[at++] = code;
    }
    this.length = at;
  }

  reset(): this {
    this.length = 0;
    return this;
  }

  /** A copy of what was written: the buffer itself is kept for the next block. */
  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private grow(atLeast: number): void {
    const bigger = new Uint8Array(Math.max(this.buffer.length * 2, this.length + atLeast));
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }
}

// One per thread, grown once to a block's size and reused: new memory is slow to touch here.
const writer = new ByteWriter();
