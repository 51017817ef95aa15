/**
 * RFC 4180 records straight from bytes: no string is made for a field until a caller asks for it.
 * A record ends at LF outside quotes (a CR before it is dropped). A field that opens with a quote
 * runs to the closing quote, "" standing for one quote. A quote anywhere else, or anything but a
 * delimiter or line end after a closing quote, makes the record malformed; it then ends at the next
 * LF, so one bad row costs one row. A quote never closed makes the rest of the input one malformed
 * record, as it must: nothing after it can be read with certainty.
 */
import { invariant } from '../kernel/errors.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;

export const MAX_FIELDS = 256;

/**
 * Where each field of the current record lies in the buffer; reused from record to record. The
 * WebAssembly scanner points the arrays at its own memory (wasm-scanner.ts).
 */
export class FieldSpans {
  starts = new Int32Array(MAX_FIELDS);
  ends = new Int32Array(MAX_FIELDS);
  /** 1 where the field is quoted and holds "" escapes, so its bytes need unescaping. */
  escaped = new Uint8Array(MAX_FIELDS);
  count = 0;
}

/** A faster reader of the common record, over one buffer of its own (wasm-scanner.ts). */
export interface FastRecordScanner {
  readonly buffer: Uint8Array;
  readonly fields: FieldSpans;
  /** Where the next record starts, with `fields` filled in; -1 to have this one read carefully. */
  record(from: number, to: number, delimiter: number): number;
  readonly newlines: number;
}

export interface RecordHandler {
  /** A well-formed record of `fields.count` fields spanning [start, end) with `newlines` LFs in it. */
  record(buf: Uint8Array, fields: FieldSpans, start: number, end: number, newlines: number): void;
  malformed(buf: Uint8Array, start: number, end: number, newlines: number, why: string): void;
}

/**
 * Scans the whole records in buf[from, to) and returns where the first record that may run past
 * `to` starts (`to` when all were whole). With `atEnd`, the input ends at `to` and every byte is
 * consumed. With `fast`, `buf` and `fields` must be its own, and it reads the common records.
 */
export function scanRecords(buf: Uint8Array, from: number, to: number, atEnd: boolean, delimiter: number, fields: FieldSpans, handler: RecordHandler, fast?: FastRecordScanner): number {
  // hot loop: every record of a file passes here (all of them with the WebAssembly scanner off); its
  // positions stay in locals, where a function per field would hand two positions back through memory.
  let pos = from;
  if (fast !== undefined) {
    invariant(fast.buffer === buf && fast.fields === fields, () => 'a fast scanner reads its own buffer');
    while (pos < to) {
      const end = fast.record(pos, to, delimiter);
      if (end >= 0) {
        handler.record(buf, fields, pos, end, fast.newlines);
        pos = end;
        continue;
      }
      // One record read carefully, then back to the fast reader.
      const next = scanCarefully(buf, pos, to, atEnd, delimiter, fields, handler);
      if (next === pos) return pos;
      pos = next;
    }
    return pos;
  }
  const starts = fields.starts;
  const ends = fields.ends;
  const escapedFields = fields.escaped;
  let nextLf = -2;
  const words = wordsOf(buf);
  const delimiterWord = Math.imul(delimiter, 0x01010101);
  records: while (pos < to) {
    const start = pos;
    // Fast path, the common record: every field plain or cleanly quoted and the whole record before
    // `to`. Anything else (a stray quote, a record cut by the buffer's end, too many fields) leaves
    // this loop and the careful scanner below reads the record from its start.
    let at = pos;
    let count = 0;
    let quotedNewlines = 0;
    for (;;) {
      if (at >= to || count >= MAX_FIELDS) break;
      let byte = buf[at] as number;
      if (byte === QUOTE) {
        let close = buf.indexOf(QUOTE, at + 1);
        let escaped = 0;
        while (close !== -1 && close + 1 < to && buf[close + 1] === QUOTE) {
          escaped = 1;
          close = buf.indexOf(QUOTE, close + 2);
        }
        if (close === -1 || close + 1 >= to) break;
        if (nextLf !== -1 && nextLf <= at) nextLf = buf.indexOf(LF, at);
        if (nextLf !== -1 && nextLf < close) quotedNewlines += countLf(buf, nextLf, close);
        starts[count] = at + 1;
        ends[count] = close;
        escapedFields[count] = escaped;
        count++;
        const after = buf[close + 1];
        if (after === delimiter) {
          at = close + 2;
          continue;
        }
        let end = -1;
        if (after === LF) end = close + 2;
        else if (after === CR && close + 2 < to && buf[close + 2] === LF) end = close + 3;
        if (end === -1) break;
        fields.count = count;
        handler.record(buf, fields, start, end, quotedNewlines + 1);
        pos = end;
        continue records;
      }
      const fieldStart = at;
      if (words !== null && byte !== delimiter && byte !== LF) {
        at = nextStopByte(words, at, to, delimiterWord);
        byte = at < to ? (buf[at] as number) : 0;
      }
      while (byte !== delimiter && byte !== LF && byte !== QUOTE) {
        if (++at >= to) break;
        byte = buf[at] as number;
      }
      if (at >= to || byte === QUOTE) break;
      if (byte === delimiter) {
        starts[count] = fieldStart;
        ends[count] = at;
        escapedFields[count] = 0;
        count++;
        at++;
        continue;
      }
      starts[count] = fieldStart;
      ends[count] = at > fieldStart && buf[at - 1] === CR ? at - 1 : at;
      escapedFields[count] = 0;
      count++;
      fields.count = count;
      handler.record(buf, fields, start, at + 1, quotedNewlines + 1);
      pos = at + 1;
      continue records;
    }
    const next = scanCarefully(buf, start, to, atEnd, delimiter, fields, handler);
    if (next === start) return start;
    pos = next;
  }
  return pos;
}

/**
 * The careful scanner: reads one record from `start`, well-formed or not, and returns where the
 * next one starts; `start` itself when the record may run past `to` and more input can follow.
 */
function scanCarefully(buf: Uint8Array, start: number, to: number, atEnd: boolean, delimiter: number, fields: FieldSpans, handler: RecordHandler): number {
  // hot loop: one state machine over a record's fields, for each record the fast path leaves to it;
  // its state (position, field count, line ends, what is wrong) stays in locals a split would pass per field.
  let pos = start;
  let newlines = 0;
  let count = 0;
  let why: string | null = null;
  let end = -1;

  fieldLoop: for (;;) {
    if (buf[pos] === QUOTE) {
      let scan = pos + 1;
      let escaped = 0;
      let close = -1;
      for (;;) {
        close = buf.indexOf(QUOTE, scan);
        if (close === -1 || close >= to) {
          close = -1;
          break;
        }
        if (close + 1 < to && buf[close + 1] === QUOTE) {
          escaped = 1;
          scan = close + 2;
          continue;
        }
        if (close + 1 >= to && !atEnd) {
          close = -1;
          break;
        }
        break;
      }
      if (close === -1) {
        if (!atEnd) return start;
        newlines += countLf(buf, pos, to);
        handler.malformed(buf, start, to, newlines, 'a quoted field is never closed');
        return to;
      }
      newlines += countLf(buf, pos, close);
      if (count < MAX_FIELDS) {
        fields.starts[count] = pos + 1;
        fields.ends[count] = close;
        fields.escaped[count] = escaped;
      }
      count++;
      const next = close + 1;
      if (next >= to) {
        end = to;
        break fieldLoop;
      }
      const after = buf[next];
      if (after === delimiter) {
        pos = next + 1;
        continue;
      }
      if (after === LF) {
        newlines++;
        end = next + 1;
        break fieldLoop;
      }
      if (after === CR && next + 1 < to && buf[next + 1] === LF) {
        newlines++;
        end = next + 2;
        break fieldLoop;
      }
      if (after === CR && next + 1 >= to && !atEnd) return start;
      why = 'a closing quote is followed by something other than a delimiter or a line end';
      pos = next;
      break fieldLoop;
    }

    let scan = pos;
    let byte = 0;
    while (scan < to) {
      byte = buf[scan] as number;
      if (byte === delimiter || byte === LF || byte === QUOTE) break;
      scan++;
    }
    if (scan >= to) {
      if (!atEnd) return start;
      setField(fields, count++, pos, to > pos && buf[to - 1] === CR ? to - 1 : to);
      end = to;
      break fieldLoop;
    }
    if (byte === QUOTE) {
      why = 'a quote inside an unquoted field';
      pos = scan;
      break fieldLoop;
    }
    if (byte === delimiter) {
      setField(fields, count++, pos, scan);
      pos = scan + 1;
      continue;
    }
    setField(fields, count++, pos, scan > pos && buf[scan - 1] === CR ? scan - 1 : scan);
    newlines++;
    end = scan + 1;
    break fieldLoop;
  }

  if (why !== null) {
    const lf = buf.indexOf(LF, pos);
    if (lf === -1 || lf >= to) {
      if (!atEnd) return start;
      handler.malformed(buf, start, to, newlines + countLf(buf, pos, to), why);
      return to;
    }
    newlines += countLf(buf, pos, lf) + 1;
    handler.malformed(buf, start, lf + 1, newlines, why);
    return lf + 1;
  }
  fields.count = count;
  if (count > MAX_FIELDS) handler.malformed(buf, start, end, newlines, `more than ${MAX_FIELDS} fields`);
  else handler.record(buf, fields, start, end, newlines);
  return end;
}

// Unquoted fields are searched four bytes at a time (SWAR): one word read, three "has a zero
// byte" tests (after XOR with the delimiter, LF and the quote) and the lowest flagged byte is
// the first stop. Borrows can flag bytes above a true match, never below it, so the lowest is exact.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
let lastBuffer: Uint8Array | null = null;
let lastWords: Int32Array | null = null;

/** The buffer as aligned 32-bit words, or null where it cannot be (an odd offset, a big-endian machine). */
function wordsOf(buf: Uint8Array): Int32Array | null {
  if (buf !== lastBuffer) {
    lastBuffer = buf;
    lastWords = LITTLE_ENDIAN && buf.byteOffset % 4 === 0 ? new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength >> 2) : null;
  }
  return lastWords;
}

function stopMask(word: number, delimiterWord: number): number {
  const d = word ^ delimiterWord;
  const l = word ^ 0x0a0a0a0a;
  const q = word ^ 0x22222222;
  return ((((d - 0x01010101) | 0) & ~d) | (((l - 0x01010101) | 0) & ~l) | (((q - 0x01010101) | 0) & ~q)) & 0x80808080;
}

/**
 * The first delimiter, LF or quote at or after `at` found by whole words before `to`; where the
 * words run out, the position the byte loop must go on from.
 */
function nextStopByte(words: Int32Array, at: number, to: number, delimiterWord: number): number {
  let word = at >> 2;
  if ((word + 1) * 4 > to) return at;
  let mask = stopMask(words[word] as number, delimiterWord) & (-1 << ((at & 3) * 8));
  while (mask === 0) {
    word++;
    if ((word + 1) * 4 > to) return word * 4;
    mask = stopMask(words[word] as number, delimiterWord);
  }
  return word * 4 + ((31 - Math.clz32(mask & -mask)) >> 3);
}

function setField(fields: FieldSpans, index: number, start: number, end: number): void {
  if (index >= MAX_FIELDS) return;
  fields.starts[index] = start;
  fields.ends[index] = end;
  fields.escaped[index] = 0;
}

export function countLf(buf: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let at = buf.indexOf(LF, from); at !== -1 && at < to; at = buf.indexOf(LF, at + 1)) count++;
  return count;
}

const decoder = new TextDecoder();

/** A field's text, with "" unescaped. Only for the fields a caller really needs as strings. */
export function fieldText(buf: Uint8Array, fields: FieldSpans, index: number): string {
  if (index >= fields.count) return '';
  const text = decoder.decode(buf.subarray(fields.starts[index], fields.ends[index]));
  return fields.escaped[index] === 1 ? text.replaceAll('""', '"') : text;
}
