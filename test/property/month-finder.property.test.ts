import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MonthFinder, monthIndexOf } from '../../engine/kernel/calendar.js';
import { monthKey } from '../../engine/kernel/time.js';

describe('calendar months without a Date (fast-check; failures print the seed)', () => {
  it('MonthFinder and monthIndexOf agree with time.ts monthKey at any offset, in any order', () => {
    fc.assert(
      fc.property(fc.integer({ min: -14 * 60, max: 14 * 60 }), fc.array(fc.integer({ min: Date.UTC(1999, 0, 1), max: Date.UTC(2040, 0, 1) }), { maxLength: 50 }), (offset, instants) => {
        const finder = new MonthFinder(offset);
        for (const at of [...instants].sort((a, b) => a - b).concat(instants)) {
          const index = finder.indexOf(at);
          expect(index).toBe(monthIndexOf(at, offset));
          const year = Math.floor(index / 12);
          expect(`${year}-${String(index - year * 12 + 1).padStart(2, '0')}`).toBe(monthKey(at, offset));
        }
      }),
      { numRuns: 300 },
    );
  });
});
