// AssemblyScript (see record-scanner.ts). The numeric fields of the record just scanned, read in
// one call: both instants, the duration, the two amounts and the UsageId fingerprint, by the same
// rules as bytes.ts (parseInstantParts, parseDurationBytes, parseMicrosBytes, fingerprintBytes),
// which a property test holds them to. Only the common case is answered: when any of these
// fields is missing, escaped or not valid, the end is before the start, or the currency is not
// plainly the scenario's, `readRowFields` returns 0 and the decoder reads the row in JavaScript,
// rejects and all (the FieldReader of ../scanner.ts).

const ZERO: i32 = 48;
const NINE: i32 = 57;

import { ends, escaped, starts } from './record-scanner';

/**
 * f64 [recordedMicros], then the i32 slots of ../scanner.ts: [startDays, startMs, duration,
 * usageHigh, usageLow, hasUpn, upnStart, upnEnd, upnHash].
 */
let out: usize = 0;
// Byte offsets in `out` of what readRowFields answers.
const RECORDED: usize = 0;
const START_DAYS: usize = 8;
const START_MS: usize = 12;
const DURATION: usize = 16;
const USAGE_HIGH: usize = 20;
const USAGE_LOW: usize = 24;
const HAS_UPN: usize = 28;
const UPN_START: usize = 32;
const UPN_END: usize = 36;
const UPN_HASH: usize = 40;
let startTimeColumn: i32 = -1;
let endTimeColumn: i32 = -1;
let durationColumn: i32 = -1;
let chargeColumn: i32 = -1;
let feeColumn: i32 = -1;
let usageIdColumn: i32 = -1;
let upnColumn: i32 = -1;
let currencyColumn: i32 = -1;
/** The scenario's currency, up to four ASCII capitals packed little-end first; its length, or -1. */
let currencyCode: i32 = 0;
let currencyLength: i32 = -1;

/** Where the answers go; the field spans are the record scanner's. */
export function bindRow(outAt: usize): void {
  out = outAt;
}

/** Column indexes of the export (-1 where it has no such column). */
export function bindColumns(startTime: i32, endTime: i32, duration: i32, charge: i32, fee: i32, usageId: i32, upn: i32, currency: i32): void {
  startTimeColumn = startTime;
  endTimeColumn = endTime;
  durationColumn = duration;
  chargeColumn = charge;
  feeColumn = fee;
  usageIdColumn = usageId;
  upnColumn = upn;
  currencyColumn = currency;
}

/** The scenario's currency (`length` -1: not one this reader compares; the decoder does). */
export function bindCurrency(code: i32, length: i32): void {
  currencyCode = code;
  currencyLength = length;
}

/** Whether the currency field is empty or the scenario's currency, letters case-folded (row-decoder.ts isCurrency). */
function currencyAccepted(base: usize): bool {
  if (currencyColumn < 0) return true;
  if (!field(base, currencyColumn)) return false;
  const length = <i32>(fieldEnd - fieldStart);
  if (length == 0) return true;
  if (length != currencyLength) return false;
  for (let i = 0; i < length; i++) {
    let byte = <i32>load<u8>(fieldStart + <usize>i);
    if (byte >= 97 && byte <= 122) byte -= 32;
    if (byte != ((currencyCode >> (i * 8)) & 0xff)) return false;
  }
  return true;
}

// @ts-ignore: decorator
@inline function isSpace(byte: i32): bool {
  return byte == 32 || (byte >= 9 && byte <= 13);
}

// @ts-ignore: decorator
@inline function digitAt(at: usize): i32 {
  const byte = <i32>load<u8>(at);
  return byte >= ZERO && byte <= NINE ? byte - ZERO : -1;
}

// @ts-ignore: decorator
@inline function twoDigits(at: usize): i32 {
  const high = digitAt(at);
  const low = digitAt(at + 1);
  return high < 0 || low < 0 ? -1 : high * 10 + low;
}

// A field's trimmed span, left in these two by `field`.
let fieldStart: usize = 0;
let fieldEnd: usize = 0;

/** False when the field is escaped (the decoder unescapes it); an absent column is empty. */
function field(base: usize, column: i32): bool {
  if (column < 0) {
    fieldStart = fieldEnd = 0;
    return true;
  }
  if (load<u8>(escaped + <usize>column) != 0) return false;
  let start = base + <usize>load<i32>(starts + (<usize>column << 2));
  let end = base + <usize>load<i32>(ends + (<usize>column << 2));
  while (start < end && isSpace(<i32>load<u8>(start))) start++;
  while (end > start && isSpace(<i32>load<u8>(end - 1))) end--;
  fieldStart = start;
  fieldEnd = end;
  return true;
}

function daysFromCivil(year: f64, month: f64, day: f64): f64 {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function monthLength(year: i32, month: i32): i32 {
  if (month == 2) return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
  return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}

let cachedDateKey: i32 = -1;
let cachedDays: i32 = 0;
// An instant, left in these two by `instant`: days since the epoch and milliseconds of that day.
let instantDays: i32 = 0;
let instantMs: i32 = 0;

/** The trimmed span [start, end) as an ISO 8601 instant (bytes.ts parseInstantParts). */
function instant(start: usize, end: usize): bool {
  if (end - start < 16) return false;
  const y0 = twoDigits(start);
  const y1 = twoDigits(start + 2);
  if (y0 < 0 || y1 < 0 || load<u8>(start + 4) != 45 || load<u8>(start + 7) != 45) return false;
  const year = y0 * 100 + y1;
  const month = twoDigits(start + 5);
  const day = twoDigits(start + 8);
  const separator = load<u8>(start + 10);
  if (separator != 84 && separator != 32) return false;
  const hour = twoDigits(start + 11);
  const minute = twoDigits(start + 14);
  if (load<u8>(start + 13) != 58 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
  let at = start + 16;
  let second: i32 = 0;
  let millis: i32 = 0;
  if (at < end && load<u8>(at) == 58) {
    second = twoDigits(at + 1);
    if (second < 0 || second > 59 || at + 3 > end) return false;
    at += 3;
    if (at < end && load<u8>(at) == 46) {
      at++;
      const fractionStart = at;
      while (at < end && digitAt(at) >= 0) {
        if (at - fractionStart < 3) millis = millis * 10 + digitAt(at);
        at++;
      }
      if (at == fractionStart) return false;
      for (let width = <i32>min(at - fractionStart, 3); width < 3; width++) millis *= 10;
    }
  }
  let offsetMinutes: i32 = 0;
  if (at < end) {
    const zone = load<u8>(at);
    if ((zone == 90 || zone == 122) && at + 1 == end) offsetMinutes = 0;
    else if (zone == 43 || zone == 45) {
      const hours = twoDigits(at + 1);
      const colon: usize = load<u8>(at + 3) == 58 ? 1 : 0;
      const minutes = twoDigits(at + 3 + colon);
      if (hours < 0 || minutes < 0 || hours > 14 || minutes > 59 || at + 5 + colon != end) return false;
      offsetMinutes = (zone == 45 ? -1 : 1) * (hours * 60 + minutes);
    } else return false;
  }
  const dateKey = (year * 16 + month) * 32 + day;
  if (dateKey != cachedDateKey) {
    cachedDateKey = dateKey;
    cachedDays = <i32>daysFromCivil(<f64>year, <f64>month, <f64>day);
  }
  instantDays = cachedDays;
  instantMs = (hour * 3600 + minute * 60 + second) * 1000 + millis - offsetMinutes * 60_000;
  return true;
}

/** bytes.ts MAX_CALL_SECONDS (30 days): a longer duration is declined, for the decoder to reject. */
const MAX_CALL_SECONDS: f64 = 30 * 86_400;

/** Whole seconds or h:mm:ss (bytes.ts parseDurationBytes); -1 where it is neither or too long. */
function duration(start: usize, end: usize): f64 {
  if (start == end) return -1;
  let value: f64 = 0;
  let at = start;
  while (at < end && digitAt(at) >= 0) value = value * 10 + <f64>digitAt(at++);
  if (at == end) return value <= MAX_CALL_SECONDS ? value : -1;
  if (at == start || load<u8>(at) != 58 || end - at != 6 || load<u8>(at + 3) != 58) return -1;
  const minutes = twoDigits(at + 1);
  const seconds = twoDigits(at + 4);
  if (minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return -1;
  const total = value * 3600 + <f64>(minutes * 60 + seconds);
  return total <= MAX_CALL_SECONDS ? total : -1;
}

/** Micros of a digit in the `place`th decimal place (0 to 5). */
function placeValue(place: i32): i32 {
  let value: i32 = 1;
  for (let power = place; power < 5; power++) value *= 10;
  return value;
}

/** A plain decimal in micros (bytes.ts parseMicrosBytes); NaN where it is not one. */
function micros(start: usize, end: usize): f64 {
  let at = start;
  const negative = at < end && load<u8>(at) == 45;
  if (negative) at++;
  const integerStart = at;
  let units: f64 = 0;
  while (at < end && digitAt(at) >= 0) units = units * 10 + <f64>digitAt(at++);
  if (at == integerStart) return NaN;
  let fraction: f64 = 0;
  if (at < end) {
    if (load<u8>(at) != 46) return NaN;
    at++;
    const fractionStart = at;
    while (at < end && digitAt(at) >= 0) {
      const place = <i32>(at - fractionStart);
      if (place < 6) fraction += <f64>(digitAt(at) * placeValue(place));
      else if (digitAt(at) != 0) return NaN;
      at++;
    }
    if (at != end || at == fractionStart) return NaN;
  }
  const value = units * 1_000_000 + fraction;
  if (!(Math.abs(value) <= 9007199254740991) || Math.floor(value) != value) return NaN;
  return negative ? -value : value;
}

function mix32(value: i32): i32 {
  let z = value;
  z = (z ^ <i32>(<u32>z >> 16)) * 0x85ebca6b;
  z = (z ^ <i32>(<u32>z >> 13)) * 0xc2b2ae35;
  return z ^ <i32>(<u32>z >> 16);
}

/** The 64-bit fingerprint of bytes.ts fingerprintBytes, as two i32 halves into their slots. */
function fingerprint(start: usize, end: usize): void {
  const lengthMix = <i32>(end - start) * 0x9e3779b1;
  let high: i32 = 0x811c9dc5 ^ lengthMix;
  let low: i32 = 0x2c1b3c6d ^ lengthMix;
  let at = start;
  for (; at + 4 <= end; at += 4) {
    const word = load<i32>(at);
    high = (high ^ word) * 0x01000193;
    high ^= <i32>(<u32>high >> 13);
    low = (low ^ word) * 0x5bd1e995;
    low ^= <i32>(<u32>low >> 15);
  }
  for (; at < end; at++) {
    const byte = <i32>load<u8>(at);
    high = (high ^ byte) * 0x01000193;
    low = (low ^ byte) * 0x5bd1e995;
  }
  store<i32>(out + USAGE_HIGH, mix32(high) | 1);
  store<i32>(out + USAGE_LOW, mix32(low));
}

/** hashSpan of interner.ts, over the bytes [start, end): the interner takes either's hash. */
function hashSpan(start: usize, end: usize): i32 {
  let hash: i32 = <i32>(end - start) * <i32>0x9e3779b1;
  let at = start;
  for (; at + 4 <= end; at += 4) {
    hash = (hash ^ load<i32>(at)) * <i32>0x85ebca6b;
    hash ^= <i32>(<u32>hash >> 15);
  }
  for (; at < end; at++) hash = (hash ^ <i32>load<u8>(at)) * <i32>0xc2b2ae35;
  return hash ^ <i32>(<u32>hash >> 16);
}

/**
 * 1 when every field below is present where it must be and valid, the end not before the start
 * and the currency empty or the scenario's, with the answers in `out`; 0 for the decoder to read
 * them itself. A hot loop's body, one call per row: split, it would pass the answers between
 * functions through globals as it does to its caller.
 */
export function readRowFields(base: usize): i32 {
  if (!field(base, startTimeColumn) || fieldStart == fieldEnd || !instant(fieldStart, fieldEnd)) return 0;
  const startDays = instantDays;
  const startMs = instantMs;
  if (!field(base, durationColumn)) return 0;
  const seconds = duration(fieldStart, fieldEnd);
  if (seconds < 0) return 0;
  if (!field(base, endTimeColumn)) return 0;
  if (fieldStart != fieldEnd) {
    if (!instant(fieldStart, fieldEnd)) return 0;
    if (<f64>instantDays * 86_400_000 + <f64>instantMs < <f64>startDays * 86_400_000 + <f64>startMs) return 0;
  }
  if (!currencyAccepted(base)) return 0;
  if (!field(base, chargeColumn)) return 0;
  const chargeEmpty = fieldStart == fieldEnd;
  const charge = chargeEmpty ? 0 : micros(fieldStart, fieldEnd);
  if (!field(base, feeColumn)) return 0;
  const feeEmpty = fieldStart == fieldEnd;
  const fee = feeEmpty ? 0 : micros(fieldStart, fieldEnd);
  // Both empty: no recorded charge (NO_RECORDED_CHARGE of ../scanner.ts).
  if (chargeEmpty && feeEmpty) store<f64>(out + RECORDED, -1);
  else {
    if (!(charge >= 0) || !(fee >= 0)) return 0;
    store<f64>(out + RECORDED, charge + fee);
  }
  if (!field(base, usageIdColumn)) return 0;
  if (fieldStart == fieldEnd) {
    store<i32>(out + USAGE_HIGH, 0);
    store<i32>(out + USAGE_LOW, 0);
  } else fingerprint(fieldStart, fieldEnd);
  store<i32>(out + START_DAYS, startDays);
  store<i32>(out + START_MS, startMs);
  store<i32>(out + DURATION, <i32>seconds);
  // The UPN's trimmed span and hash, for the user interner; an escaped or absent UPN is left to
  // the decoder (HAS_UPN 0) without declining the row.
  if (upnColumn >= 0 && field(base, upnColumn)) {
    store<i32>(out + UPN_START, <i32>(fieldStart - base));
    store<i32>(out + UPN_END, <i32>(fieldEnd - base));
    store<i32>(out + UPN_HASH, hashSpan(fieldStart, fieldEnd));
    store<i32>(out + HAS_UPN, 1);
  } else store<i32>(out + HAS_UPN, 0);
  return 1;
}
