import { describe, expect, it } from 'vitest';
import { jsonReport } from '../../engine/report/json-report.js';
import { terminalSummary } from '../../engine/report/summary.js';
import { fundings, replayRows, type ScenarioJson } from '../replay-helpers.js';

// Rates (test/replay-helpers.ts): outbound 1 0.02/min, outbound 44 0.03/min, tollfree_in 1800
// 0.018/min, all 60/60 s increments; destinations are named "<service> <prefix>".
const postpaid: ScenarioJson = { billing: 'postpaid', start: '2026-01-01T00:00:00Z', end: '2026-04-01T00:00:00Z' };
const payg = { capability: 'MCOPSTN_PAYG_1' };
const UK = '+447801637760';

const threeMonths = [
  // January: 120 s to the US = 2 min x 0.02 = 0.04; 90 s to the UK = 2 increments x 0.03 = 0.06.
  { ...payg, durationSeconds: 120, startTime: '2026-01-05T10:00:00Z' },
  { ...payg, destinationNumber: UK, durationSeconds: 90, startTime: '2026-01-06T10:00:00Z' },
  // February: 600 s to the UK = 10 x 0.03 = 0.30; a toll-free call into +1 800 of 61 s =
  // 2 min x 0.018 = 0.036, rounded half-up to 0.04; a domestic call on a 3000-minute MCOPSTN1
  // pool (1 licence) is wholly a pool call: on no invoice.
  { ...payg, destinationNumber: UK, durationSeconds: 600, startTime: '2026-02-10T10:00:00Z' },
  { callType: 'user_in', numberType: 'toll_free', callerId: '+18005550100', durationSeconds: 61, startTime: '2026-02-11T10:00:00Z' },
  { capability: 'MCOPSTN1', durationSeconds: 300, startTime: '2026-02-12T10:00:00Z' },
  // March: nothing credit-funded, so a 0.00 invoice.
  { capability: 'MCOPSTN1', durationSeconds: 60, startTime: '2026-03-02T10:00:00Z' },
];

describe('postpaid billing (DOMAIN §8)', () => {
  const scenario = { ...postpaid, licenses: [{ capability: 'MCOPSTN1', country: 'US', users: 1 }] };

  it('invoices each calendar month, split by service and destination', async () => {
    const result = await replayRows(threeMonths, scenario);
    // January 0.04 + 0.06 = 0.10; February 0.30 + 0.04 = 0.34; March 0.00.
    const document = jsonReport(result) as { billing: string; invoices: unknown[]; credits: Record<string, string> };
    expect(document.billing).toBe('postpaid');
    expect(document.invoices).toEqual([
      { month: '2026-01', amount: '0.10', calls: 2, split: [
        { service: 'outbound', destination: 'outbound 1', calls: 1, amount: '0.04' },
        { service: 'outbound', destination: 'outbound 44', calls: 1, amount: '0.06' },
      ] },
      { month: '2026-02', amount: '0.34', calls: 2, split: [
        { service: 'outbound', destination: 'outbound 44', calls: 1, amount: '0.30' },
        { service: 'tollfree_in', destination: 'tollfree_in 1800', calls: 1, amount: '0.04' },
      ] },
      { month: '2026-03', amount: '0.00', calls: 0, split: [] },
    ]);
    // No lots, nothing bought: the credits equation is all zeros, and nothing drops for money.
    expect(document.credits).toMatchObject({ funded: '0.00', spent: '0.00', forfeited: '0.00', closing: '0.00' });
    expect(result.calls).toMatchObject({ read: 6, credits: 4, pool: 2, refused: 0, cut: 0 });
    expect(fundings(result)).toEqual([
      'credits pool 0s credit 120s paid 0.04',
      'credits pool 0s credit 90s paid 0.06',
      'credits pool 0s credit 600s paid 0.30',
      'credits pool 0s credit 61s paid 0.04',
      'pool pool 300s credit 0s',
      'pool pool 60s credit 0s',
    ]);
  });

  it('says so in the summary: the total, each month and the split', async () => {
    const text = terminalSummary(await replayRows(threeMonths, scenario));
    // 0.10 + 0.34 + 0.00 = 0.44 over three months; February's is the largest.
    expect(text).toContain('Invoices postpaid: 0.44 invoiced over 3 month(s), the largest 0.34 for 2026-02');
    expect(text).toMatch(/2026-03 +0\.00 +0 +0/);
    expect(text).toContain('  outbound outbound 44: 2 call(s), 0.36');
    expect(text).not.toContain('Credits  funded');
  });

  // Any balance, however large, would pay a call that costs 1,000 min x 0.03 = 30.00: postpaid has none and still pays it.
  it('never drops a call for money, but still for want of the credits licence', async () => {
    const rows = [
      { ...payg, destinationNumber: UK, durationSeconds: 60_000, startTime: '2026-01-05T10:00:00Z' },
      { ...payg, upn: 'bob@contoso.example', durationSeconds: 60, startTime: '2026-01-06T10:00:00Z' },
    ];
    const result = await replayRows(rows, { ...postpaid, credits: { licensed: ['ana@contoso.example'] } });
    expect(fundings(result)).toEqual(['credits pool 0s credit 60000s paid 30.00', 'refused pool 0s credit 60s']);
    expect(result.invoices.map((invoice) => invoice.amountMicros)).toEqual([30_000_000, 0, 0]);
  });
});
