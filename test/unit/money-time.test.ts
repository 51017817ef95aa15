import { describe, expect, it } from 'vitest';
import { formatMicros, minorDigitsOf, parseMicros, roundHalfUpToUnit } from '../../engine/kernel/money.js';
import { addCalendarMonths, formatInstant, monthKey, parseInstant, startOfMonth } from '../../engine/kernel/time.js';
import { at } from '../helpers.js';

describe('money', () => {
  it.each([
    ['12.5', 12_500_000],
    ['0.0125', 12_500],
    ['0', 0],
    ['0.000001', 1],
  ])('parses %s exactly into %i micros', (text, micros) => {
    expect(parseMicros(text)).toBe(micros);
  });

  it.each(['0.0000001', '1e3', '12,50', '', 'abc', '1.2.3'])('refuses %j', (text) => {
    expect(parseMicros(text)).toBeUndefined();
  });

  // 0.125 of a cent-rounded dollar: 12.5 cents rounds half-up to 13 cents; 12.4999 cents to 12.
  it.each([
    [125_000, 1, 10_000, 130_000],
    [124_999, 1, 10_000, 120_000],
    [5_000, 1, 10_000, 10_000],
    [4_999, 1, 10_000, 0],
    // 0.0125/min for 30 s = 0.00625 -> 0.01; as a fraction: 12_500 * 30 / 60.
    [12_500 * 30, 60, 10_000, 10_000],
  ])('rounds %i/%i half-up to the unit %i: %i', (numerator, denominator, unit, expected) => {
    expect(roundHalfUpToUnit(numerator, denominator, unit)).toBe(expected);
  });

  it('knows minor digits from ISO 4217', () => {
    expect(minorDigitsOf('USD')).toBe(2);
    expect(minorDigitsOf('JPY')).toBe(0);
    expect(minorDigitsOf('BHD')).toBe(3);
    expect(minorDigitsOf('usd')).toBeUndefined();
  });

  it('formats with the currency digits', () => {
    expect(formatMicros(1_230_000, 2)).toBe('1.23');
    expect(formatMicros(0, 2)).toBe('0.00');
    expect(() => formatMicros(1_234_500, 2)).toThrow();
  });
});

describe('time', () => {
  it.each([
    ['2026-01-05T10:00:00Z', Date.UTC(2026, 0, 5, 10)],
    ['2026-01-05T10:00:00.1234567Z', Date.UTC(2026, 0, 5, 10, 0, 0, 123)],
    ['2026-01-05 10:00:00', Date.UTC(2026, 0, 5, 10)],
    ['2026-01-05T11:00:00+01:00', Date.UTC(2026, 0, 5, 10)],
  ])('parses %s', (text, expected) => {
    expect(parseInstant(text)).toBe(expected);
  });

  it.each(['2026-02-30T10:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01', 'yesterday'])('refuses %s', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });

  // RULES.md §6: 31 Jan + 12 months = 31 Jan; 29 Feb + 12 months = 28 Feb; month-end clamps.
  it.each([
    ['2026-01-31T10:00:00Z', 12, '2027-01-31T10:00:00Z'],
    ['2028-02-29T08:30:00Z', 12, '2029-02-28T08:30:00Z'],
    ['2026-01-31T00:00:00Z', 1, '2026-02-28T00:00:00Z'],
    ['2028-01-31T00:00:00Z', 1, '2028-02-29T00:00:00Z'],
    ['2026-03-31T23:59:59Z', 1, '2026-04-30T23:59:59Z'],
    ['2026-12-15T00:00:00Z', 1, '2027-01-15T00:00:00Z'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(formatInstant(addCalendarMonths(at(from), months, 0))).toBe(expected);
  });

  it('adds months on the calendar of the time zone offset', () => {
    // 31 Jan 23:00 at -05:00 is 1 Feb 04:00 UTC; +1 month local = 28 Feb 23:00 -05:00 = 1 Mar 04:00 UTC.
    expect(formatInstant(addCalendarMonths(at('2026-02-01T04:00:00Z'), 1, -300))).toBe('2026-03-01T04:00:00Z');
  });

  it('puts an instant in the month of the offset', () => {
    expect(monthKey(at('2026-02-01T03:00:00Z'), 0)).toBe('2026-02');
    expect(monthKey(at('2026-02-01T03:00:00Z'), -300)).toBe('2026-01');
    expect(formatInstant(startOfMonth(at('2026-02-01T03:00:00Z'), -300))).toBe('2026-01-01T05:00:00Z');
  });
});
