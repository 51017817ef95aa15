import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../engine/kernel/time.js';
import { parseInstantBytes } from '../../engine/ingest/bytes.js';
import { FieldOutcome, Slot } from '../../engine/ingest/scanner.js';
import { wasmScanner } from '../wasm-scanner.js';

/**
 * One table of instant strings through the three instant parsers of creditcast: the string one
 * (kernel/time.ts, for scenarios, rate files and options), the byte one (ingest/bytes.ts, for rows
 * read in JavaScript) and the WebAssembly one (ingest/simd/row-fields.ts, for rows read there).
 * All three must give the instant in the last column, or all three refuse the string (null).
 */
const TABLE: [text: string, instant: string | null][] = [
  // Valid: seconds, fractions and the zone optional; T or a space between date and time.
  ['2026-03-01T09:15:00Z', '2026-03-01T09:15:00.000Z'],
  ['2026-03-01T09:15:00z', '2026-03-01T09:15:00.000Z'],
  ['2026-03-01T09:15Z', '2026-03-01T09:15:00.000Z'],
  ['2026-03-01T09:15', '2026-03-01T09:15:00.000Z'],
  ['2026-03-01T09:15:00', '2026-03-01T09:15:00.000Z'],
  ['2026-03-01 09:15:00', '2026-03-01T09:15:00.000Z'],
  ['2026-03-01T09:15:00.5Z', '2026-03-01T09:15:00.500Z'],
  ['2026-03-01T09:15:00.05', '2026-03-01T09:15:00.050Z'],
  ['2026-03-01T09:15:00.999Z', '2026-03-01T09:15:00.999Z'],
  ['2026-03-01T09:15:00.123456789Z', '2026-03-01T09:15:00.123Z'],
  ['2026-03-01T09:15:00.0000000000000000000001Z', '2026-03-01T09:15:00.000Z'],
  // Offsets, with or without the colon, up to ±14:59, moving the day either way.
  ['2026-03-01T09:15:00+01:00', '2026-03-01T08:15:00.000Z'],
  ['2026-03-01T09:15:00-0530', '2026-03-01T14:45:00.000Z'],
  ['2026-03-01T09:15+01:00', '2026-03-01T08:15:00.000Z'],
  ['2026-03-01T09:15:00-00:00', '2026-03-01T09:15:00.000Z'],
  ['2026-03-01T00:15:00+01:00', '2026-02-28T23:15:00.000Z'],
  ['2028-03-01T00:15:00+01:00', '2028-02-29T23:15:00.000Z'],
  ['2026-12-31T23:59:59.999-14:00', '2027-01-01T13:59:59.999Z'],
  ['2026-03-01T09:15:00+14:59', '2026-02-28T18:16:00.000Z'],
  // Leap days, the epoch on either side, and the ends of four-digit years (proleptic Gregorian).
  ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
  ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
  ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z'],
  ['1969-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z'],
  ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
  ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
  ['0099-12-31T12:00:00Z', '0099-12-31T12:00:00.000Z'],
  ['0000-02-29T00:00:00Z', '0000-02-29T00:00:00.000Z'],
  // ASCII white space around is not part of the instant.
  ['  2026-03-01T09:15:00Z\t', '2026-03-01T09:15:00.000Z'],
  ['\v2026-03-01T09:15:00Z\f', '2026-03-01T09:15:00.000Z'],
  // Impossible dates and times are refused, not rolled over.
  ['2026-02-30T10:00:00Z', null],
  ['2026-04-31T10:00:00Z', null],
  ['2025-02-29T00:00:00Z', null],
  ['1900-02-29T00:00:00Z', null],
  ['0100-02-29T00:00:00Z', null],
  ['2026-03-01T24:00:00Z', null],
  ['2026-03-01T24:00', null],
  ['2026-03-01T23:60:00Z', null],
  ['2026-03-01T23:59:60Z', null],
  ['2026-13-01T00:00:00Z', null],
  ['2026-00-10T00:00:00Z', null],
  ['2026-01-00T00:00:00Z', null],
  ['2026-01-32T00:00:00Z', null],
  // Offsets out of range or badly written.
  ['2026-03-01T09:15:00+15:00', null],
  ['2026-03-01T09:15:00+01:60', null],
  ['2026-03-01T09:15:00+1:00', null],
  ['2026-03-01T09:15:00+01', null],
  ['2026-03-01T09:15:00+01:0', null],
  ['2026-03-01T09:15:00+01:00:00', null],
  ['2026-03-01T09:15:00 +01:00', null],
  ['2026-03-01T09:15:00 Z', null],
  ['2026-03-01T09:15:00GMT', null],
  ['2026-03-01T09:15:00UTC', null],
  // Short, misshapen or trailed by junk.
  ['', null],
  ['   ', null],
  ['2026-03-01', null],
  ['2026-03-01T09', null],
  ['2026-03-01T09:1', null],
  ['2026-03-01T9:15:00Z', null],
  ['26-03-01T09:15:00Z', null],
  ['2026-3-1T09:15:00Z', null],
  ['2026/03/01T09:15:00Z', null],
  ['2026-03-01t09:15:00Z', null],
  ['2026-03-01_09:15:00Z', null],
  ['2026-03-01T09:15:0Z', null],
  ['2026-03-01T09:15:00.Z', null],
  ['2026-03-01T09:15:00.', null],
  ['2026-03-01T09:15.5Z', null],
  ['2026-03-01T09:15:00,5Z', null],
  ['2026-03-01T09:15:00ZZ', null],
  ['2026-03-01T09:15:00Zx', null],
  ['2026-03-01T09:15:00Z junk', null],
  ['2026-03-01T09:15:00:00', null],
  ['+2026-03-01T09:15:00Z', null],
  ['-2026-03-01T09:15:00Z', null],
  ['12026-03-01T09:15:00Z', null],
  ['yesterday', null],
  // Not ASCII: no other digits, and no other white space.
  ['２０２６-03-01T09:15:00Z', null],
  ['2026-03-01T09:15:00\u00a0', null],
  ['\u00a02026-03-01T09:15:00Z', null],
  ['\ufeff2026-03-01T09:15:00Z', null],
  ['\u20032026-03-01T09:15:00Z', null],
];

const encoder = new TextEncoder();
const scanner = wasmScanner();

/** The byte parser over the string's bytes, with digits after them that it must not read. */
function fromBytes(text: string): number | null {
  const bytes = encoder.encode(`${text}99999`);
  const instant = parseInstantBytes(bytes, 0, bytes.length - 5);
  return Number.isNaN(instant) ? null : instant;
}

/** The WebAssembly reader of a record whose Start Time is the string (and Duration 0). */
function fromWebAssembly(text: string): number | null {
  const field = /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  const bytes = encoder.encode(`${field},0\n`);
  scanner.ensureBuffer(bytes.length, 0).set(bytes);
  const reader = scanner.fieldReader;
  reader.bindColumns({ startTime: 0, endTime: -1, duration: 1, charge: -1, connectionFee: -1, usageId: -1, upn: -1, currency: -1 }, 'USD');
  let instant: number | null | undefined;
  scanner.scan(0, bytes.length, true, 44, {
    record(buf, fields) {
      const values = reader.values;
      instant = reader.read(buf, fields) === FieldOutcome.Read ? (values[Slot.StartDays] as number) * 86_400_000 + (values[Slot.StartMs] as number) : null;
    },
    malformed: () => void (instant = null),
  });
  if (instant === undefined) throw new Error(`no record scanned from ${JSON.stringify(text)}`);
  return instant;
}

const parsers = (text: string) => ({ string: parseInstant(text) ?? null, bytes: fromBytes(text), webAssembly: fromWebAssembly(text) });

describe('instants, by all three parsers', () => {
  it.each(TABLE)('%j is %s', (text, instant) => {
    const expected = instant === null ? null : Date.parse(instant);
    expect(parsers(text)).toEqual({ string: expected, bytes: expected, webAssembly: expected });
  });

  it('agree on every prefix of a full instant', () => {
    const full = '2026-03-01T09:15:00.123+01:00';
    const valid = new Set(['2026-03-01T09:15', '2026-03-01T09:15:00', '2026-03-01T09:15:00.1', '2026-03-01T09:15:00.12', '2026-03-01T09:15:00.123', full]);
    for (let length = 0; length <= full.length; length++) {
      const text = full.slice(0, length);
      const { string, bytes, webAssembly } = parsers(text);
      expect({ text, bytes, webAssembly, valid: string !== null }).toEqual({ text, bytes: string, webAssembly: string, valid: valid.has(text) });
    }
  });
});
