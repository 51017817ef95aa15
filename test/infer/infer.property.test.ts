import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestFit, chargeOf } from '../../engine/infer/fit-rate.js';
import { inferRates } from '../../engine/infer/infer-rates.js';
import { INCREMENT_CHOICES, type ChargedRow, type InferredRate } from '../../engine/infer/charged-row.js';
import { at, bundledRules } from '../helpers.js';

const CENT = 10_000;
const JANUARY = at('2026-01-01T00:00:00Z');

/** A price of up to four decimals (0.0001 to 0.5 a minute), no fee or one of whole cents, any increments tried. */
const rateArbitrary = fc.record({
  priceMicrosPerMinute: fc.integer({ min: 1, max: 5_000 }).map((tenThousandths) => tenThousandths * 100),
  connectionMicros: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 }).map((cents) => cents * CENT)),
  increments: fc.constantFrom(...INCREMENT_CHOICES),
}).map(({ increments, ...amounts }): InferredRate => ({ ...amounts, ...increments }));

function rowsCharged(rate: InferredRate, durations: readonly number[], digits = '442071234567'): ChargedRow[] {
  return durations.map((durationSeconds, index) => ({
    service: 'outbound', digits, startAt: JANUARY + index * 3_600_000, durationSeconds, recordedMicros: chargeOf(rate, durationSeconds, CENT), funding: 'credits', file: 'cdr.csv', line: index + 2,
  }));
}

describe('inference properties', () => {
  it('rows charged by any rate are all reproduced by the rate bestFit finds (it may be a simpler one that charges them alike)', () => {
    fc.assert(
      fc.property(rateArbitrary, fc.array(fc.integer({ min: 1, max: 3_600 }), { minLength: 2, maxLength: 60 }), (rate, durations) => {
        const rows = rowsCharged(rate, durations).filter((row) => row.recordedMicros > 0);
        fc.pre(rows.length > 0);
        const fit = bestFit(rows, CENT);
        expect(fit?.fitRows).toBe(rows.length);
        for (const row of rows) expect(chargeOf(fit?.rate as InferredRate, row.durationSeconds, CENT)).toBe(row.recordedMicros);
      }),
      { numRuns: 150 },
    );
  });

  it('the answer does not depend on the order the rows come in', () => {
    const { numbering } = bundledRules();
    fc.assert(
      fc.property(rateArbitrary, rateArbitrary, fc.array(fc.integer({ min: 1, max: 1_800 }), { minLength: 10, maxLength: 40 }), fc.integer(), (fixed, mobile, durations, seed) => {
        const rows = [...rowsCharged(fixed, durations, '442071234567'), ...rowsCharged(mobile, durations, '447700900123').map((row) => ({ ...row, line: row.line + 100 }))].filter((row) => row.recordedMicros > 0);
        const shuffled = fc.sample(fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }), { seed, numRuns: 1 })[0] as ChargedRow[];
        const inOrder = inferRates(rows, numbering, CENT);
        const reordered = inferRates(shuffled, numbering, CENT);
        expect(reordered.table).toEqual(inOrder.table);
        expect(reordered.misfits).toEqual(inOrder.misfits);
      }),
      { numRuns: 30 },
    );
  });
});
