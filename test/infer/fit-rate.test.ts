import { describe, expect, it } from 'vitest';
import { formatMicros } from '../../engine/kernel/money.js';
import { bestFit } from '../../engine/infer/fit-rate.js';
import { changeInstant, fitOverTime } from '../../engine/infer/over-time.js';
import type { ChargedRow, InferredRate } from '../../engine/infer/charged-row.js';
import { at, usd } from '../helpers.js';

const CENT = 10_000;

/** A wholly credit-funded outbound row to a UK number: duration and recorded amount are what matters. */
function row(durationSeconds: number, recorded: string, start = '2026-01-05T10:00:00Z', line = 2): ChargedRow {
  return { service: 'outbound', digits: '442071234567', startAt: at(start), durationSeconds, recordedMicros: usd(recorded), funding: 'credits', file: 'cdr.csv', line };
}

function rate(perMinute: string, fee: string, first: number, next: number): InferredRate {
  return { priceMicrosPerMinute: usd(perMinute), connectionMicros: usd(fee), firstIncrementSeconds: first, nextIncrementSeconds: next };
}

/** Increments and price of a fit, as a rate table would write them. */
function shown(fit: { rate: InferredRate }): string {
  const { rate: r } = fit;
  return `${r.firstIncrementSeconds}/${r.nextIncrementSeconds} ${r.priceMicrosPerMinute / 1_000_000} + ${r.connectionMicros / 1_000_000}`;
}

describe('bestFit: the simplest rate that gives every recorded charge to the cent', () => {
  it('one 60 s call cannot tell 60/60 from 1/1: it takes 60/60 and says what else fits', () => {
    // 60 s at 0.03/min is 0.03 under 60/60, 1/1, 30/6, ... alike: every increment bills exactly 60 s.
    const fit = bestFit([row(60, '0.03')], CENT);
    expect(fit?.rate).toEqual(rate('0.03', '0', 60, 60));
    expect(fit?.fitRows).toBe(1);
    expect(fit?.alsoFits.map((other) => `${other.firstIncrementSeconds}/${other.nextIncrementSeconds}`)).toEqual(['1/1', '30/6', '60/1', '6/6', '60/6', '30/30', '60/30', '10/10', '30/1']);
  });

  it('a 90 s call tells them apart at one price: 60/60 bills 120 s (0.06), 1/1 bills 90 s (0.045, rounded half-up to 0.05)', () => {
    expect(shown(bestFit([row(60, '0.03'), row(90, '0.06')], CENT) as { rate: InferredRate })).toBe('60/60 0.03 + 0');
    const perSecond = bestFit([row(60, '0.03'), row(90, '0.05')], CENT);
    expect(perSecond?.rate).toEqual(rate('0.03', '0', 1, 1));
    // ...but at another price 60/60 fits too: 0.025/min bills 60 s at 0.025 (half-up 0.03) and 120 s at 0.05.
    // The 1/1 price has fewer decimals, so it is chosen, and the report names the alternative.
    expect(perSecond?.alsoFits.find((other) => other.firstIncrementSeconds === 60 && other.nextIncrementSeconds === 60)).toEqual(rate('0.025', '0', 60, 60));
  });

  it('rounding is part of the model: 0.03 for 60 s and 0.05 for 120 s need 0.025/min (0.025 rounds half-up to 0.03)', () => {
    // 60 s: p in [0.025, 0.035); 120 s: 2p in [0.045, 0.055), p in [0.0225, 0.0275). Together [0.025, 0.0275):
    // no price of two decimals, so the simplest is 0.025.
    expect(bestFit([row(60, '0.03'), row(120, '0.05')], CENT)?.rate).toEqual(rate('0.025', '0', 60, 60));
  });

  it('one duration cannot tell a fee from a price: the fee is 0, the simplest', () => {
    // 120 s for 0.30: 0.15/min, or 0.10 + 0.10/min, or ...: fee 0 is chosen.
    expect(bestFit([row(120, '0.30'), row(120, '0.30', '2026-01-06T10:00:00Z', 3)], CENT)?.rate).toEqual(rate('0.15', '0', 60, 60));
  });

  it('two durations pin a connection fee: 0.15 for 60 s and 0.20 for 120 s are 0.10 + 0.05/min', () => {
    // fee + 1 x p = 0.15 and fee + 2 x p = 0.20 give p = 0.05 and fee = 0.10 (0 fee would need 0.15 and 0.075).
    expect(bestFit([row(60, '0.15'), row(120, '0.20'), row(180, '0.25')], CENT)?.rate).toEqual(rate('0.05', '0.1', 60, 60));
  });

  it('30/6: 10 s bills 30 s, 31 s bills 36 s, 125 s bills 126 s, at 0.10/min', () => {
    // 30 s x 0.10/60 = 0.05; 36 s = 0.06; 126 s = 0.21. Under 60/60 they would be 0.10, 0.10, 0.30; under 1/1 0.0167→0.02, 0.0517→0.05, 0.2083→0.21.
    const fit = bestFit([row(10, '0.05'), row(31, '0.06'), row(125, '0.21')], CENT);
    expect(fit?.rate).toEqual(rate('0.1', '0', 30, 6));
    expect(fit?.fitRows).toBe(3);
  });

  it('a tampered charge fits nothing and does not move the price: the rows it contradicts outnumber it', () => {
    // 0.02/min over 60/60: 1 min 0.02, 2 min 0.04, 5 min 0.10, 7 min 0.14; the last row says 0.90.
    const rows = [row(45, '0.02'), row(100, '0.04'), row(290, '0.10'), row(400, '0.14'), row(400, '0.90', '2026-01-07T10:00:00Z', 9)];
    const fit = bestFit(rows, CENT);
    expect(fit?.rate).toEqual(rate('0.02', '0', 60, 60));
    expect(fit?.fitRows).toBe(4);
  });
});

describe('fitOverTime: a price change and when it happened', () => {
  it('finds the change between the last row only the old price fits and the first only the new one fits', () => {
    // Old 0.10/min until February, new 0.12/min from 1 March, 60/60: k minutes cost 0.10 k or 0.12 k,
    // so every row tells (8 rows each side: the change explains 8 rows more than either price alone).
    const minutes = [1, 2, 3, 4, 1, 2, 3, 4];
    const old = minutes.map((m, i) => row(60 * m, formatMicros(100000 * m, 2), `2026-02-${String(10 + i).padStart(2, '0')}T10:00:00Z`, 2 + i));
    const next = minutes.map((m, i) => row(60 * m, formatMicros(120000 * m, 2), `2026-03-${String(2 + i).padStart(2, '0')}T10:00:00Z`, 10 + i));
    const found = fitOverTime([...old, ...next], CENT);
    expect(found.fitRows).toBe(16);
    // The last old-only row is 17 February, the first new-only one 2 March: 1 March lies between.
    expect(found.versions.map((version) => [version.effectiveFrom, version.rate.priceMicrosPerMinute])).toEqual([[-Infinity, 100_000], [at('2026-03-01T00:00:00Z'), 120_000]]);
  });

  it('ignores a "change" in noise: one price must fit a quarter of the rows before changes are looked for', () => {
    // Ten rows of unrelated amounts: no rate fits more than a couple; no version of its own would fit 80% of its side.
    const rows = [7, 13, 29, 31, 47, 61, 73, 97, 113, 127].map((seconds, i) => row(seconds * 7, formatMicros(10_000 * ((37 * i) % 23 + 1), 2), `2026-0${1 + (i % 6)}-${10 + i}T10:00:00Z`, 2 + i));
    rows.sort((a, b) => a.startAt - b.startAt);
    expect(fitOverTime(rows, CENT).versions).toHaveLength(1);
  });

  it('keeps one price when only two rows disagree with it (a change must explain at least six more rows)', () => {
    const rows = [row(60, '0.10', '2026-01-10T10:00:00Z', 2), row(120, '0.20', '2026-01-20T10:00:00Z', 3), row(180, '0.30', '2026-02-10T10:00:00Z', 4), row(60, '0.12', '2026-03-02T10:00:00Z', 5), row(120, '0.24', '2026-03-10T10:00:00Z', 6)];
    const found = fitOverTime(rows, CENT);
    expect(found.versions).toHaveLength(1);
    expect(found.fitRows).toBe(3);
  });

  it.each([
    ['a first of the month in the gap', '2026-03-31T17:00:00Z', '2026-04-01T08:13:00Z', '2026-04-01T00:00:00Z'],
    ['the latest first of a month when the gap holds two', '2026-02-20T09:00:00Z', '2026-04-03T08:00:00Z', '2026-04-01T00:00:00Z'],
    ['a midnight when no first of a month is in the gap', '2026-04-02T10:00:00Z', '2026-04-03T08:00:00Z', '2026-04-03T00:00:00Z'],
    ['the first new row when the gap holds no midnight', '2026-04-03T08:00:00Z', '2026-04-03T09:30:00Z', '2026-04-03T09:30:00Z'],
  ])('changeInstant: %s', (_, lastOld, firstNew, expected) => {
    expect(changeInstant(at(lastOld), at(firstNew))).toBe(at(expected));
  });
});
