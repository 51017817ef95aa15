import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateRows, sampleRatesCsv, TEAMS_HEADER } from '../../engine/generate/generate-cdrs.js';
import { runReplay } from '../../engine/edge/run/run-replay.js';
import { parseMicros } from '../../engine/kernel/money.js';
import type { ExplainRow } from '../../engine/replay/result.js';
import { tempFolder } from '../cli-helpers.js';
import { at } from '../helpers.js';

const micros = (text: string) => (text === '' ? 0 : (parseMicros(text) as number));

describe('postpaid invoices (fast-check; a failure prints its seed)', () => {
  it('rows partition, and the invoices add up to the credit-funded charges, which a prepaid balance too large to run short spends', async () => {
    const folder = tempFolder();
    writeFileSync(join(folder, 'rates.csv'), sampleRatesCsv());
    const period = { start: '2026-01-01T00:00:00Z', end: '2026-04-01T00:00:00Z', rating: { rates: ['rates.csv'] } };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 150 }), fc.nat(6), fc.boolean(), async (seed, rows, licensedUsers, someUnlicensed) => {
        const generated = [...generateRows({ rows, users: 5, from: at('2026-01-01T00:00:00Z'), months: 3, seed })];
        const file = join(folder, 'pstn.csv');
        writeFileSync(file, stringify(generated, { header: true, columns: [...TEAMS_HEADER] }));
        // A licence list naming only the first user seen leaves the others' credit-funded calls dropped.
        const upnColumn = TEAMS_HEADER.indexOf('UPN');
        const licensed = someUnlicensed ? [String(generated[0]?.[upnColumn] ?? '')] : 'all';
        const licenses = [{ capability: 'MCOPSTN1', users: licensedUsers }];
        writeFileSync(join(folder, 'postpaid.json'), JSON.stringify({ ...period, billing: 'postpaid', licenses, credits: { licensed } }));
        writeFileSync(join(folder, 'prepaid.json'), JSON.stringify({ ...period, licenses, credits: { licensed, initial: '1000000.00' } }));
        const explained: ExplainRow[] = [];
        const postpaid = await runReplay([file], join(folder, 'postpaid.json'), { workers: 1, explain: (row) => explained.push(row) });
        const { read, rejected, free, pool, credits, refused, cut } = postpaid.calls;
        expect(rejected + free + pool + credits + refused + cut).toBe(read);
        const invoiced = postpaid.invoices.reduce((sum, invoice) => sum + invoice.amountMicros, 0);
        const creditRows = explained.filter((row) => row.funding === 'credits');
        expect(invoiced).toBe(creditRows.reduce((sum, row) => sum + micros(row.charge), 0));
        expect(invoiced).toBe(creditRows.reduce((sum, row) => sum + micros(row.paid), 0));
        for (const invoice of postpaid.invoices) expect(invoice.amountMicros).toBe(invoice.split.reduce((sum, line) => sum + line.amountMicros, 0));
        expect(postpaid.credits).toMatchObject({ fundedMicros: 0, spentMicros: 0, closingMicros: 0 });
        const prepaid = await runReplay([file], join(folder, 'prepaid.json'), { workers: 1 });
        expect(prepaid.calls).toEqual(postpaid.calls);
        expect(prepaid.credits.spentMicros).toBe(invoiced);
      }),
      { numRuns: 40 },
    );
  });
});
