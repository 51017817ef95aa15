import { daysFromCivil, monthLength } from './calendar.js';

/**
 * Instants are epoch milliseconds (UTC). Calendar questions (which month, +12 months) are asked at a
 * fixed UTC offset in minutes, the scenario's time zone setting: pools reset and lots expire on
 * that calendar, not the machine's.
 */
export type EpochMs = number;

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|z|[+-]\d{2}:?\d{2})?$/;
/** ASCII white space (tab, LF, VT, FF, CR, space) around an instant: what ingest/bytes.ts trims from a field. */
const ASCII_SPACE_AROUND = /^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g;

/**
 * Strict ISO 8601 instant: a date (four-digit year, proleptic Gregorian) and time with seconds
 * optional, a fraction of any length (truncated to milliseconds) and Z, z or an offset up to
 * ±14:59, with ASCII white space around ignored. A time without a zone is taken as UTC, as the
 * export writes them. Impossible dates (31 April, 25:00) are undefined, not rolled over. The same
 * grammar as the row readers (ingest/bytes.ts, ingest/simd/row-fields.ts): a test holds all three
 * to one table.
 */
export function parseInstant(text: string): EpochMs | undefined {
  const match = ISO_INSTANT.exec(text.replace(ASCII_SPACE_AROUND, ''));
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = Number(h), minute = Number(mi), second = Number(s ?? '0');
  if (month < 1 || month > 12 || day < 1 || day > monthLength(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const offsetMinutes = zone === undefined ? 0 : parseOffsetMinutes(zone);
  if (offsetMinutes === undefined) return undefined;
  // Not Date.UTC: it takes the years 0 to 99 for 1900 to 1999.
  return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offsetMinutes * 60_000;
}

/** "Z", "+01:00", "-0530" into minutes east of UTC. */
export function parseOffsetMinutes(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!match) return undefined;
  const [, sign, hh, mm] = match;
  const minutes = Number(hh) * 60 + Number(mm);
  if (Number(hh) > 14 || Number(mm) > 59) return undefined;
  return sign === '-' ? -minutes : minutes;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The instant as it would be written: second precision when it has no milliseconds. */
export function formatInstant(at: EpochMs): string {
  const iso = new Date(at).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

/** Calendar month of an instant at the given offset, "2026-01". */
export function monthKey(at: EpochMs, offsetMinutes: number): string {
  const local = new Date(at + offsetMinutes * 60_000);
  return `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Start of the calendar month containing `at`, at the given offset. */
export function startOfMonth(at: EpochMs, offsetMinutes: number): EpochMs {
  const local = new Date(at + offsetMinutes * 60_000);
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - offsetMinutes * 60_000;
}

/**
 * The same wall-clock time `months` calendar months later, clamped to the month's last day:
 * 31 Jan + 1 month = 28/29 Feb, 29 Feb 2028 + 12 months = 28 Feb 2029 (DOMAIN.md §6).
 */
export function addCalendarMonths(at: EpochMs, months: number, offsetMinutes: number): EpochMs {
  const local = new Date(at + offsetMinutes * 60_000);
  const totalMonths = local.getUTCFullYear() * 12 + local.getUTCMonth() + months;
  const year = Math.floor(totalMonths / 12);
  const monthIndex = totalMonths - year * 12;
  const day = Math.min(local.getUTCDate(), daysInMonth(year, monthIndex + 1));
  const wallClockMs = at + offsetMinutes * 60_000 - Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  return Date.UTC(year, monthIndex, day) + wallClockMs - offsetMinutes * 60_000;
}

/** Every month key from the month of `from` up to the one containing the last instant before `to`. */
export function monthsBetween(from: EpochMs, to: EpochMs, offsetMinutes: number): string[] {
  const keys: string[] = [];
  for (let at = startOfMonth(from, offsetMinutes); at < to; at = addCalendarMonths(at, 1, offsetMinutes)) {
    keys.push(monthKey(at, offsetMinutes));
  }
  return keys;
}
