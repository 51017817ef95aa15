import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateRows, sampleRatesCsv, TEAMS_HEADER } from '../../engine/generate/generate-cdrs.js';
import { runReplay } from '../../engine/edge/run/run-replay.js';
import { tempFolder } from '../cli-helpers.js';
import { at } from '../helpers.js';

const JUNK = ['', 'x', '-1', '12.5', '2026-02-30T00:00:00Z', 'EUR', 'user_sideways', 'MCOWHO', '+999', '"', 'a,b', '\n'];

describe('every row read is used or rejected (fast-check; a failure prints its seed)', () => {
  it('rows read = rejected + free + pool + credits + refused + cut, and funded = spent + forfeited + closing, in both models, whatever the damage', async () => {
    const folder = tempFolder();
    writeFileSync(join(folder, 'rates.csv'), sampleRatesCsv());
    // Both models of a short balance; 5.00 with recharges that fail half the time runs short often.
    for (const exhaustion of ['overdraft', 'cut']) {
      writeFileSync(
        join(folder, `${exhaustion}.json`),
        JSON.stringify({
          start: '2026-01-01T00:00:00Z',
          end: '2026-03-01T00:00:00Z',
          credits: { initial: '5.00', minimumPurchase: '5', exhaustion, autoRecharge: { trigger: '2.00', amount: '5.00', failProbability: 0.5 } },
          rating: { rates: ['rates.csv'] },
        }),
      );
    }
    const damage = fc.array(fc.record({ row: fc.nat(), column: fc.nat(TEAMS_HEADER.length - 1), value: fc.constantFrom(...JUNK) }), { maxLength: 20 });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 120 }), damage, fc.boolean(), fc.constantFrom('overdraft', 'cut'), async (seed, rows, damages, dropColumn, exhaustion) => {
        const generated = [...generateRows({ rows, users: 6, from: at('2026-01-01T00:00:00Z'), months: 2, seed })];
        for (const { row, column, value } of damages) {
          const target = generated[row % generated.length];
          if (target) target[column] = value;
        }
        // A short row: one record with a field missing.
        if (dropColumn) generated[0]?.pop();
        const file = join(folder, 'pstn.csv');
        writeFileSync(file, stringify(generated, { header: true, columns: [...TEAMS_HEADER] }));
        const result = await runReplay([file], join(folder, `${exhaustion}.json`), { workers: 1, chunkBytes: 4096 });
        const { read, rejected, free, pool, credits, refused, cut } = result.calls;
        expect(rejected + free + pool + credits + refused + cut).toBe(read);
        const money = result.credits;
        expect(money.fundedMicros).toBe(money.spentMicros + money.forfeitedMicros + money.closingMicros);
        if (exhaustion === 'cut') expect(money.closingMicros).toBeGreaterThanOrEqual(0);
        expect(read).toBe(rows);
        for (const reject of result.rejects) expect(reject.line).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 60 },
    );
  });
});
