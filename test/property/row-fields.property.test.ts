import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprintBytes, fingerprintHalves, instantParts, parseDurationBytes, parseInstantParts, parseMicrosBytes, trimEnd, trimStart } from '../../engine/ingest/bytes.js';
import { hashSpan } from '../../engine/ingest/interner.js';
import { JsRecordScanner } from '../../engine/ingest/js-scanner.js';
import { FieldOutcome, Slot, type RecordScanner } from '../../engine/ingest/scanner.js';
import { wasmScanner } from '../wasm-scanner.js';

/**
 * Both readers of a row's numeric fields, WebAssembly and JavaScript, against the parsers of
 * bytes.ts put together here: on any six fields, valid or not, the JavaScript reader answers
 * exactly what they answer and rejects exactly the rows they reject; the WebAssembly one answers
 * the same, or declines (and the decoder then asks the JavaScript one) exactly when the row is
 * rejected or one of its fields is escaped.
 */
const wasm = wasmScanner();
const js = new JsRecordScanner();
const encoder = new TextEncoder();

interface Fields {
  start: string;
  end: string;
  duration: string;
  charge: string;
  fee: string;
  usageId: string;
  /** Not among the row's numeric fields: read alongside them, for the user interner. */
  upn: string;
  /** Checked alongside against the scenario's USD: accepted when empty or USD in any case. */
  currency: string;
}

/** What the six fields are by bytes.ts; null where the row is rejected. */
function javascript(fields: Fields) {
  const trimmed = (text: string) => {
    const bytes = encoder.encode(text);
    const start = trimStart(bytes, 0, bytes.length);
    return { bytes, start, end: trimEnd(bytes, start, bytes.length) };
  };
  const instant = (text: string): [number, number] | null => {
    const { bytes, start, end } = trimmed(text);
    return parseInstantParts(bytes, start, end) ? [instantParts[0] as number, instantParts[1] as number] : null;
  };
  const start = trimmed(fields.start);
  if (start.start === start.end) return null;
  const startParts = instant(fields.start);
  const durationBytes = encoder.encode(fields.duration);
  const duration = parseDurationBytes(durationBytes, 0, durationBytes.length);
  if (startParts === null || duration < 0) return null;
  const end = trimmed(fields.end);
  const endParts = end.start === end.end ? null : instant(fields.end);
  if (end.start !== end.end && endParts === null) return null;
  if (endParts !== null && endParts[0] * 86_400_000 + endParts[1] < startParts[0] * 86_400_000 + startParts[1]) return null;
  const amount = (text: string) => {
    const { bytes, start: from, end: to } = trimmed(text);
    return from === to ? null : parseMicrosBytes(bytes, from, to);
  };
  const charge = amount(fields.charge);
  const fee = amount(fields.fee);
  let recorded = -1;
  if (charge !== null || fee !== null) {
    if (!((charge ?? 0) >= 0) || !((fee ?? 0) >= 0)) return null;
    recorded = (charge ?? 0) + (fee ?? 0);
  }
  const usage = trimmed(fields.usageId);
  let usageHash = [0, 0];
  if (usage.start !== usage.end) {
    fingerprintBytes(usage.bytes, usage.start, usage.end);
    usageHash = [(fingerprintHalves[0] as number) | 1, fingerprintHalves[1] as number];
  }
  // An escaped UPN is left to the decoder; else its trimmed bytes and their hash.
  const upnBytes = trimmed(fields.upn);
  const upnText = new TextDecoder().decode(upnBytes.bytes.subarray(upnBytes.start, upnBytes.end));
  const upn = fields.upn.includes('"') ? null : { text: upnText, hash: hashSpan(upnBytes.bytes, upnBytes.start, upnBytes.end) };
  const currency = trimmed(fields.currency);
  const currencyText = new TextDecoder().decode(currency.bytes.subarray(currency.start, currency.end));
  if (!(currencyText === '' || currencyText.replace(/[a-z]/g, (letter) => letter.toUpperCase()) === 'USD')) return null;
  return { start: startParts, duration, recorded, usageHash, upn };
}

/** The same fields as one CSV record in the scanner's buffer, scanned, then read by its field reader. */
function read(scanner: RecordScanner, fields: Fields) {
  const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const bytes = encoder.encode(`${[fields.start, fields.end, fields.duration, fields.charge, fields.fee, fields.usageId, fields.upn, fields.currency].map(quote).join(',')}\n`);
  scanner.ensureBuffer(bytes.length, 0).set(bytes);
  const reader = scanner.fieldReader;
  reader.bindColumns({ startTime: 0, endTime: 1, duration: 2, charge: 3, connectionFee: 4, usageId: 5, upn: 6, currency: 7 }, 'USD');
  let answer: ReturnType<typeof javascript> | 'declined' | 'rejected' | undefined;
  scanner.scan(0, bytes.length, true, 44, {
    record: (buf, spans) => {
      const outcome = reader.read(buf, spans);
      if (outcome !== FieldOutcome.Read) answer = outcome === FieldOutcome.Declined ? 'declined' : 'rejected';
      else {
        const values = reader.values;
        answer = {
          start: [values[Slot.StartDays] as number, values[Slot.StartMs] as number],
          duration: values[Slot.DurationSeconds] as number,
          recorded: reader.micros[0] as number,
          usageHash: [values[Slot.UsageHashHigh] as number, values[Slot.UsageHashLow] as number],
          upn: values[Slot.HasUpn] === 1 ? { text: new TextDecoder().decode(buf.subarray(values[Slot.UpnStart], values[Slot.UpnEnd])), hash: values[Slot.UpnHash] as number } : null,
        };
      }
    },
    malformed: () => void (answer = 'declined'),
  });
  return answer;
}

const pad = (text: fc.Arbitrary<string>) => fc.tuple(fc.constantFrom('', ' ', '\t'), text, fc.constantFrom('', ' ')).map(([a, b, c]) => `${a}${b}${c}`);
const digits = (min: number, max: number) => fc.integer({ min, max }).map((value) => String(value));
const two = (min: number, max: number) => fc.integer({ min, max }).map((value) => String(value).padStart(2, '0'));
const instantText = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }).map((year) => String(year).padStart(4, '0')),
    two(0, 13),
    two(0, 32),
    fc.constantFrom('T', ' ', 't'),
    two(0, 24),
    two(0, 60),
    fc.option(two(0, 60)),
    fc.option(fc.stringMatching(/^[0-9]{0,5}$/)),
    fc.constantFrom('', 'Z', 'z', '+01:00', '-05:30', '+1400', '-14:01', '+00', 'X'),
  )
  .map(([y, mo, d, sep, h, mi, s, frac, zone]) => `${y}-${mo}-${d}${sep}${h}:${mi}${s === null ? '' : `:${s}${frac === null ? '' : `.${frac}`}`}${zone}`);
const noise = fc.stringMatching(/^[0-9 :.\-+TZ"é]{0,12}$/);
const amountText = fc.oneof(
  fc.tuple(fc.constantFrom('', '-'), fc.stringMatching(/^[0-9]{0,18}$/), fc.option(fc.stringMatching(/^[0-9]{0,9}$/))).map(([sign, units, fraction]) => `${sign}${units}${fraction === null ? '' : `.${fraction}`}`),
  noise,
);
/** 30 days, the longest call (bytes.ts MAX_CALL_SECONDS), written out here as the README states it. */
const MAX_CALL_SECONDS = 2_592_000;
const hms = (hours: fc.Arbitrary<string>) => fc.tuple(hours, two(0, 61), two(0, 61)).map(([h, m, s]) => `${h}:${m}:${s}`);
const durationText = fc.oneof(
  digits(0, 99_999),
  hms(digits(0, 30)),
  // Around the maximum, in seconds and in h:mm:ss (720:00:00), and far past it: past 2^31 - 1,
  // where one reader wrapped and the other clamped, and past any exact integer.
  digits(MAX_CALL_SECONDS - 5, MAX_CALL_SECONDS + 5),
  hms(digits(719, 720)),
  hms(digits(596_500, 596_600)),
  digits(2_147_483_640, 2_147_483_660),
  fc.stringMatching(/^[0-9]{10,40}$/),
  noise,
);

/** The duration in seconds by the README's rule, from the text alone; -1 where it is rejected. */
function durationByRule(text: string): number {
  const trimmed = text.replace(/^[ \t]+|[ \t]+$/g, '');
  const parts = /^([0-9]+)(?::([0-5][0-9]):([0-5][0-9]))?$/.exec(trimmed);
  if (parts === null) return -1;
  const seconds = Number(parts[1]) * (parts[2] === undefined ? 1 : 3600) + Number(parts[2] ?? 0) * 60 + Number(parts[3] ?? 0);
  return seconds <= MAX_CALL_SECONDS ? seconds : -1;
}
const fieldsArbitrary = fc.record({
  start: fc.oneof({ weight: 4, arbitrary: pad(instantText) }, { weight: 1, arbitrary: noise }),
  end: fc.oneof(pad(instantText), fc.constant(''), noise),
  duration: pad(durationText),
  charge: fc.oneof(pad(amountText), fc.constant('')),
  fee: fc.oneof(pad(amountText), fc.constant('')),
  usageId: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), fc.constant('')),
  upn: fc.oneof(
    pad(fc.emailAddress()),
    fc.string({ maxLength: 40 }),
    fc.constant(''),
    // Not ASCII: precomposed and combining letters, ß, Greek, CJK and characters of four bytes.
    pad(fc.constantFrom('JÜRGEN@contoso.example', 'ju\u0308rgen@contoso.example', 'straße@x', 'ΟΔΥΣΣΕΥΣ@x', '李@例え.jp', '😀@x')),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
  ),
  currency: fc.oneof(pad(fc.constantFrom('USD', 'usd', 'uSd', 'EUR', 'US', 'USDX', 'ÜSD')), fc.string({ maxLength: 5 }), fc.constant('')),
});

describe('row fields in WebAssembly and JavaScript against bytes.ts (fast-check; a failure prints its seed)', () => {
  it('answers what the parsers answer, and rejects (or, in WebAssembly, declines) where they reject', () => {
    fc.assert(
      fc.property(fieldsArbitrary, (fields) => {
        const expected = javascript(fields);
        const escaped = [fields.start, fields.end, fields.duration, fields.charge, fields.fee, fields.usageId, fields.currency].some((value) => value.includes('"'));
        // The JavaScript reader leaves the UPN to the decoder.
        expect(read(js, fields)).toEqual(expected === null ? 'rejected' : { ...expected, upn: null });
        const answer = read(wasm, fields);
        if (expected === null || escaped) expect(answer).toBe('declined');
        else expect(answer).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads durations by the rule up to 30 days and rejects (or declines) every longer one', () => {
    const row = { start: '2026-03-01T09:15:00Z', end: '', charge: '', fee: '', usageId: 'a1', upn: 'a@b', currency: '' };
    fc.assert(
      fc.property(pad(durationText), (duration) => {
        const seconds = durationByRule(duration);
        const bytes = encoder.encode(duration);
        expect(Math.max(parseDurationBytes(bytes, 0, bytes.length), -1)).toBe(seconds);
        const inJs = read(js, { ...row, duration });
        const inWasm = read(wasm, { ...row, duration });
        if (seconds < 0 || duration.includes('"')) {
          expect(inWasm).toBe('declined');
          if (seconds < 0) expect(inJs).toBe('rejected');
        } else {
          expect(inJs).toMatchObject({ duration: seconds });
          expect(inWasm).toMatchObject({ duration: seconds });
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a plain row of a Teams export', () => {
    const row = { start: '2026-03-01T09:15:00.5+01:00', end: '2026-03-01T08:20:00Z', duration: '300', charge: '0.125', fee: '0.0100', usageId: 'a1', upn: ' ann@contoso.example ', currency: 'usd' };
    const expected = {
      start: [20513, 8 * 3600_000 + 15 * 60_000 + 500], duration: 300, recorded: 135_000, usageHash: expect.any(Array),
      upn: { text: 'ann@contoso.example', hash: hashSpan(new TextEncoder().encode('ann@contoso.example'), 0, 19) },
    };
    expect(read(wasm, row)).toEqual(expected);
    expect(read(js, row)).toEqual({ ...expected, upn: null });
  });

  it('declines, in WebAssembly, an end before the start and another currency, which JavaScript rejects', () => {
    const row = { start: '2026-03-01T09:15:00Z', end: '2026-03-01T09:14:59Z', duration: '0', charge: '', fee: '', usageId: '', upn: 'a@b', currency: '' };
    expect(read(wasm, row)).toBe('declined');
    expect(read(js, row)).toBe('rejected');
    expect(read(wasm, { ...row, end: '', currency: 'EUR' })).toBe('declined');
    expect(read(js, { ...row, end: '', currency: 'EUR' })).toBe('rejected');
  });
});
