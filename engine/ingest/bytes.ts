import { daysFromCivil, monthLength } from '../kernel/calendar.js';
import { mix32 } from '../kernel/random.js';

/**
 * Field parsers that read bytes in place: the hot path of ingest makes no string for a time, a
 * duration, an amount or a number. Each has a string twin elsewhere (time.ts, money.ts) and a
 * property test holding the two to the same answers.
 */
const ZERO = 48;
const NINE = 57;

export function isSpace(byte: number): boolean {
  return byte === 32 || (byte >= 9 && byte <= 13);
}

/** The first byte of buf[start, end) that is not ASCII white space. */
export function trimStart(buf: Uint8Array, start: number, end: number): number {
  while (start < end && isSpace(buf[start] as number)) start++;
  return start;
}

/** One past the last byte of buf[start, end) that is not ASCII white space. */
export function trimEnd(buf: Uint8Array, start: number, end: number): number {
  while (end > start && isSpace(buf[end - 1] as number)) end--;
  return end;
}

function digit(buf: Uint8Array, at: number): number {
  const byte = buf[at] as number;
  return byte >= ZERO && byte <= NINE ? byte - ZERO : -1;
}

function twoDigits(buf: Uint8Array, at: number): number {
  const high = digit(buf, at);
  const low = digit(buf, at + 1);
  return high < 0 || low < 0 ? -1 : high * 10 + low;
}

// Consecutive rows mostly share a date: remember the last one's day number.
let cachedDateKey = -1;
let cachedDays = 0;

/** The same grammar as time.ts parseInstant, from bytes; NaN where it is not an instant. */
export function parseInstantBytes(buf: Uint8Array, from: number, to: number): number {
  return parseInstantParts(buf, from, to) ? (instantParts[0] as number) * 86_400_000 + (instantParts[1] as number) : NaN;
}

/**
 * Where parseInstantParts leaves an instant: days since the epoch, and milliseconds from that
 * day's UTC midnight (negative or past a day when an offset moves it). Two int32s, because a
 * double returned from a function is boxed on the heap, and the decoder parses two per row.
 */
export const instantParts = new Int32Array(2);

/** parseInstantBytes into instantParts; false where it is not an instant. */
export function parseInstantParts(buf: Uint8Array, from: number, to: number): boolean {
  const start = trimStart(buf, from, to);
  const end = trimEnd(buf, start, to);
  if (end - start < 16) return false;
  const y0 = twoDigits(buf, start);
  const y1 = twoDigits(buf, start + 2);
  if (y0 < 0 || y1 < 0 || buf[start + 4] !== 45 || buf[start + 7] !== 45) return false;
  const year = y0 * 100 + y1;
  const month = twoDigits(buf, start + 5);
  const day = twoDigits(buf, start + 8);
  const separator = buf[start + 10];
  if (separator !== 84 && separator !== 32) return false;
  const hour = twoDigits(buf, start + 11);
  const minute = twoDigits(buf, start + 14);
  if (buf[start + 13] !== 58 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
  let at = start + 16;
  let second = 0;
  let millis = 0;
  if (at < end && buf[at] === 58) {
    second = twoDigits(buf, at + 1);
    if (second < 0 || second > 59 || at + 3 > end) return false;
    at += 3;
    if (at < end && buf[at] === 46) {
      at++;
      const fractionStart = at;
      while (at < end && digit(buf, at) >= 0) {
        if (at - fractionStart < 3) millis = millis * 10 + digit(buf, at);
        at++;
      }
      if (at === fractionStart) return false;
      for (let width = Math.min(at - fractionStart, 3); width < 3; width++) millis *= 10;
    }
  }
  let offsetMinutes = 0;
  if (at < end) {
    const zone = buf[at];
    if ((zone === 90 || zone === 122) && at + 1 === end) offsetMinutes = 0;
    else if (zone === 43 || zone === 45) {
      const hours = twoDigits(buf, at + 1);
      const colon = buf[at + 3] === 58 ? 1 : 0;
      const minutes = twoDigits(buf, at + 3 + colon);
      if (hours < 0 || minutes < 0 || hours > 14 || minutes > 59 || at + 5 + colon !== end) return false;
      offsetMinutes = (zone === 45 ? -1 : 1) * (hours * 60 + minutes);
    } else return false;
  }
  const dateKey = (year * 16 + month) * 32 + day;
  if (dateKey !== cachedDateKey) {
    cachedDateKey = dateKey;
    cachedDays = daysFromCivil(year, month, day);
  }
  instantParts[0] = cachedDays;
  instantParts[1] = (hour * 3600 + minute * 60 + second) * 1000 + millis - offsetMinutes * 60_000;
  return true;
}

/**
 * The longest call creditcast reads, in seconds: 30 days. Teams ends a meeting after 30 hours, so a
 * longer duration is a corrupt or hostile record: rejected `bad-duration`, never clamped or wrapped.
 * It keeps a call's seconds (an Int32 column) and its end in milliseconds far from any overflow.
 * simd/row-fields.ts holds the same number, and a property test holds the two readers together.
 */
export const MAX_CALL_SECONDS = 30 * 86_400;

/** What parseDurationBytes answers for a well-formed duration longer than MAX_CALL_SECONDS. */
export const DURATION_TOO_LONG = -2;

/**
 * Whole seconds, or h:mm:ss; -1 where it is neither, DURATION_TOO_LONG past MAX_CALL_SECONDS.
 * However many digits there are, the value (a double) only grows, so one comparison at the end is
 * enough: it never wraps.
 */
export function parseDurationBytes(buf: Uint8Array, from: number, to: number): number {
  const start = trimStart(buf, from, to);
  const end = trimEnd(buf, start, to);
  if (start === end) return -1;
  let value = 0;
  let at = start;
  while (at < end && digit(buf, at) >= 0) value = value * 10 + digit(buf, at++);
  if (at === end) return value <= MAX_CALL_SECONDS ? value : DURATION_TOO_LONG;
  if (at === start || buf[at] !== 58 || end - at !== 6 || buf[at + 3] !== 58) return -1;
  const minutes = twoDigits(buf, at + 1);
  const seconds = twoDigits(buf, at + 4);
  if (minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return -1;
  const total = value * 3600 + minutes * 60 + seconds;
  return total <= MAX_CALL_SECONDS ? total : DURATION_TOO_LONG;
}

/**
 * A plain decimal into micros, as money.ts parseMicros: NaN where it is not one, has significant
 * digits past the sixth decimal, or overflows exact integers. Empty is NaN too; callers check.
 */
export function parseMicrosBytes(buf: Uint8Array, from: number, to: number): number {
  const start = trimStart(buf, from, to);
  const end = trimEnd(buf, start, to);
  let at = start;
  const negative = at < end && buf[at] === 45;
  if (negative) at++;
  const integerStart = at;
  let units = 0;
  while (at < end && digit(buf, at) >= 0) units = units * 10 + digit(buf, at++);
  if (at === integerStart) return NaN;
  let micros = 0;
  if (at < end) {
    if (buf[at] !== 46) return NaN;
    at++;
    const fractionStart = at;
    while (at < end && digit(buf, at) >= 0) {
      const place = at - fractionStart;
      if (place < 6) micros += digit(buf, at) * 10 ** (5 - place);
      else if (digit(buf, at) !== 0) return NaN;
      at++;
    }
    if (at !== end || at === fractionStart) return NaN;
  }
  const value = units * 1_000_000 + micros;
  if (!Number.isSafeInteger(value)) return NaN;
  return negative ? -value : value;
}

/** ASCII case-insensitive comparison with a lower-case ASCII word. */
export function equalsLowerAscii(buf: Uint8Array, from: number, to: number, word: string): boolean {
  if (to - from !== word.length) return false;
  for (let i = 0; i < word.length; i++) {
    let byte = buf[from + i] as number;
    if (byte >= 65 && byte <= 90) byte += 32;
    if (byte !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** Where fingerprintBytes leaves its two halves (int32s: a number past 2^31 would be boxed on its way out). */
export const fingerprintHalves = new Int32Array(2);

/**
 * A 64-bit fingerprint of the bytes as two 32-bit halves, four bytes a step with two independent
 * multiply chains in one pass, each finished with murmur3's finaliser.
 */
export function fingerprintBytes(buf: Uint8Array, from: number, to: number): void {
  const lengthMix = Math.imul(to - from, 0x9e3779b1);
  let high = 0x811c9dc5 ^ lengthMix;
  let low = 0x2c1b3c6d ^ lengthMix;
  let at = from;
  for (; at + 4 <= to; at += 4) {
    const word = (buf[at] as number) | ((buf[at + 1] as number) << 8) | ((buf[at + 2] as number) << 16) | ((buf[at + 3] as number) << 24);
    high = Math.imul(high ^ word, 0x01000193);
    high ^= high >>> 13;
    low = Math.imul(low ^ word, 0x5bd1e995);
    low ^= low >>> 15;
  }
  for (; at < to; at++) {
    high = Math.imul(high ^ (buf[at] as number), 0x01000193);
    low = Math.imul(low ^ (buf[at] as number), 0x5bd1e995);
  }
  fingerprintHalves[0] = mix32(high);
  fingerprintHalves[1] = mix32(low);
}
