// AssemblyScript, compiled to WebAssembly by `asc` (see package.json "build"); not part of tsc's program.
//
// One CSV record's field spans, found 16 bytes at a time: the common record of csv-scanner.ts's fast
// path (every field plain or cleanly quoted, the whole record before `to`). Anything else returns -1
// and the JavaScript scanner reads that record carefully. Positions are relative to `base`, the
// start of the caller's buffer; the buffer has 16 readable bytes past `to`, which are looked at
// and ignored.

const QUOTE: u8 = 34;
const LF: u8 = 10;
const CR: u8 = 13;
const MAX_FIELDS: i32 = 256;

/** Field starts (i32), field ends (i32), escaped flags (u8) and [fields, newlines] (i32): set by `bind`. */
export let starts: usize = 0;
export let ends: usize = 0;
export let escaped: usize = 0;
let state: usize = 0;

/** Room for the caller: a buffer, the span arrays and the state, never freed. */
export function allocate(bytes: usize): usize {
  return heap.alloc(bytes);
}

export function bind(startsAt: usize, endsAt: usize, escapedAt: usize, stateAt: usize): void {
  starts = startsAt;
  ends = endsAt;
  escaped = escapedAt;
  state = stateAt;
}

/** The first of the three stop bytes at or after `at`, or `limit` when none is before it. */
// @ts-ignore: decorator
@inline function firstOf(at: usize, limit: usize, a: v128, b: v128, c: v128): usize {
  while (at < limit) {
    const bytes = v128.load(at);
    const mask = i8x16.bitmask(v128.or(v128.or(i8x16.eq(bytes, a), i8x16.eq(bytes, b)), i8x16.eq(bytes, c)));
    if (mask != 0) {
      const found = at + <usize>ctz<i32>(mask);
      return found < limit ? found : limit;
    }
    at += 16;
  }
  return limit;
}

// @ts-ignore: decorator
@inline function setField(index: i32, start: usize, end: usize, base: usize, isEscaped: u8): void {
  store<i32>(starts + (<usize>index << 2), <i32>(start - base));
  store<i32>(ends + (<usize>index << 2), <i32>(end - base));
  store<u8>(escaped + <usize>index, isEscaped);
}

/**
 * Reads the record starting at base + from. Returns where the next record starts (relative to
 * base), with the field count and the record's line ends in the state; -1 when the record is not
 * the common kind or does not end before base + to. Kept whole: it is the per-record hot loop,
 * and its positions stay in locals.
 */
export function scanRecord(base: usize, from: i32, to: i32, delimiter: i32): i32 {
  const limit = base + <usize>to;
  const delimiters = i8x16.splat(<i8>delimiter);
  const lineEnds = i8x16.splat(<i8>LF);
  const quotes = i8x16.splat(<i8>QUOTE);
  let at = base + <usize>from;
  let count: i32 = 0;
  let newlines: i32 = 1;
  while (true) {
    if (at >= limit || count >= MAX_FIELDS) return -1;
    if (load<u8>(at) == QUOTE) {
      // A quoted field: to the closing quote, "" standing for one quote, line ends counted.
      let scan = at + 1;
      let isEscaped: u8 = 0;
      let close: usize = limit;
      while (true) {
        close = firstOf(scan, limit, quotes, lineEnds, quotes);
        if (close >= limit) return -1;
        if (load<u8>(close) == LF) {
          newlines++;
          scan = close + 1;
          continue;
        }
        if (close + 1 < limit && load<u8>(close + 1) == QUOTE) {
          isEscaped = 1;
          scan = close + 2;
          continue;
        }
        break;
      }
      if (close + 1 >= limit) return -1;
      setField(count++, at + 1, close, base, isEscaped);
      const after = load<u8>(close + 1);
      if (<i32>after == delimiter) {
        at = close + 2;
        continue;
      }
      let end: usize = 0;
      if (after == LF) end = close + 2;
      else if (after == CR && close + 2 < limit && load<u8>(close + 2) == LF) end = close + 3;
      else return -1;
      store<i32>(state, count);
      store<i32>(state + 4, newlines);
      return <i32>(end - base);
    }
    const stop = firstOf(at, limit, delimiters, lineEnds, quotes);
    if (stop >= limit) return -1;
    const byte = load<u8>(stop);
    if (byte == QUOTE) return -1;
    if (<i32>byte == delimiter) {
      setField(count++, at, stop, base, 0);
      at = stop + 1;
      continue;
    }
    // The line end: a CR before it is not part of the field.
    setField(count++, at, stop > at && load<u8>(stop - 1) == CR ? stop - 1 : stop, base, 0);
    store<i32>(state, count);
    store<i32>(state + 4, newlines);
    return <i32>(stop + 1 - base);
  }
}

/** Whether the `length` bytes at `a` and at `b` are the same: 16 at a time, then 8, then one by one. */
export function bytesEqual(a: usize, b: usize, length: i32): i32 {
  let at: usize = 0;
  const end = <usize>length;
  for (; at + 16 <= end; at += 16) {
    if (!i8x16.all_true(i8x16.eq(v128.load(a + at), v128.load(b + at)))) return 0;
  }
  if (at + 8 <= end) {
    if (load<u64>(a + at) != load<u64>(b + at)) return 0;
    at += 8;
  }
  for (; at < end; at++) if (load<u8>(a + at) != load<u8>(b + at)) return 0;
  return 1;
}
