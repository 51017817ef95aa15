import { describe, expect, it } from 'vitest';
import { replayInputs } from '../../engine/edge/run/run-replay.js';
import { formatInstant } from '../../engine/kernel/time.js';
import { jsonReport } from '../../engine/report/json-report.js';
import { fundings, loadRows, replayRows, type ScenarioJson } from '../replay-helpers.js';

const plan = { capability: 'MCOPSTN5', domesticInternational: 'Domestic' };
const licence = (extra: { from?: string; to?: string; users?: number } = {}) => ({ capability: 'MCOPSTN5', country: 'US', users: 1, ...extra });

// MCOPSTN5 US: 120 min per licence. One licence all along, one more from 15 January 00:00.
// Jan 10 10:00, 7200 s: the 120-minute pool, used up at 12:00.
// Jan 12, 600 s: the pool is used up: 10 min x 0.02 = 0.20 from credits.
// Jan 15 09:00, 600 s: the new licence added 120 min at 00:00 that day: 10 min from the pool.
// Feb 2 08:00, 14,400 s: February's pool is 2 x 120 = 240 min: all of it, out at 12:00.
const rows = [
  { ...plan, durationSeconds: 7200, startTime: '2026-01-10T10:00:00Z' },
  { ...plan, durationSeconds: 600, startTime: '2026-01-12T10:00:00Z' },
  { ...plan, durationSeconds: 600, startTime: '2026-01-15T09:00:00Z' },
  { ...plan, durationSeconds: 14_400, startTime: '2026-02-02T08:00:00Z' },
];
const addedOnThe15th: ScenarioJson = { licenses: [licence(), licence({ from: '2026-01-15T00:00:00Z' })], credits: { initial: '100' } };

describe('licences over time (DOMAIN §2)', () => {
  it('adds a licence starting on the 15th to that month\'s pool from that instant', async () => {
    const result = await replayRows(rows, addedOnThe15th);
    expect(fundings(result)).toEqual([
      'pool pool 7200s credit 0s',
      'credits pool 0s credit 600s paid 0.20',
      'pool pool 600s credit 0s',
      'pool pool 14400s credit 0s',
    ]);
    // January: 2 licences by the end, 240 min, 120 + 10 used; it first ran out at 12:00 on the 10th.
    expect(result.pools.map((pool) => [pool.month, pool.users, pool.minutes, pool.used, formatInstant(pool.exhaustedAt as number)])).toEqual([
      ['2026-01', 2, 240, 130, '2026-01-10T12:00:00Z'],
      ['2026-02', 2, 240, 240, '2026-02-02T12:00:00Z'],
    ]);
    expect(result.warnings).toEqual([]);
  });

  // An entry ending mid-January (to exclusive) leaves January's pool as it is and is gone in February.
  it('keeps an entry that ends mid-month until the month ends', async () => {
    const scenario = { licenses: [licence({ to: '2026-01-20T00:00:00Z' }), licence({ users: 2, from: '2026-02-01T00:00:00Z' })], credits: { initial: '100' } };
    const result = await replayRows([rows[0] as object, { ...plan, durationSeconds: 60, startTime: '2026-01-25T10:00:00Z' }, { ...plan, durationSeconds: 60, startTime: '2026-02-25T10:00:00Z' }], scenario);
    // January: 1 licence (120 min) used by the first call, so the 25th pays 1 min x 0.02; February: 2 licences.
    expect(fundings(result)).toEqual(['pool pool 7200s credit 0s', 'credits pool 0s credit 60s paid 0.02', 'pool pool 60s credit 0s']);
    expect(result.pools.map((pool) => [pool.month, pool.users, pool.minutes])).toEqual([['2026-01', 1, 120], ['2026-02', 2, 240]]);
  });

  // Headcount x1.5 (a forecast's --headcount): 1 licence becomes round(1.5) = 2, 2 become 3, so the
  // 15th adds 1: January's pool is 240 min, then 360. The 14,400 s call on the 10th (240 min) uses
  // it up at 14:00; the 15th's call finds the added 120 min.
  it('scales dated entries with a headcount change, rounding the count at each instant', async () => {
    const inputs = await loadRows([{ ...plan, durationSeconds: 14_400, startTime: '2026-01-10T10:00:00Z' }, rows[2] as object], addedOnThe15th);
    const result = replayInputs({ ...inputs, scenario: { ...inputs.scenario, headcount: [{ capability: 'MCOPSTN5', country: 'US', factor: 1.5 }] } });
    expect(result.pools.map((pool) => [pool.users, pool.minutes, pool.used, formatInstant(pool.exhaustedAt as number)])).toEqual([[3, 360, 250, '2026-01-10T14:00:00Z']]);
    expect(result.calls).toMatchObject({ pool: 2, credits: 0 });
  });

  it('refuses an exact repeat, and a to not after its from, naming the JSON path', async () => {
    const repeat = { licenses: [licence({ from: '2026-01-15T00:00:00Z' }), licence({ from: '2026-01-15T00:00:00Z' })] };
    await expect(replayRows(rows, repeat)).rejects.toThrow(/: licenses\[1\]: repeats licenses\[0\] exactly \("MCOPSTN5", country US, 1 users, from 2026-01-15T00:00:00Z to no end\)/);
    await expect(replayRows(rows, { licenses: [licence({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })] })).rejects.toThrow(/: licenses\[0\]\.to: 2026-01-01T00:00:00Z is not after from 2026-02-01T00:00:00Z/);
    await expect(replayRows(rows, { licenses: [licence({ from: 'mid-January' })] })).rejects.toThrow(/: licenses\[0\]\.from: expected an ISO 8601 instant/);
  });

  it('warns, naming them, when pools are sized from the users seen', async () => {
    const result = await replayRows([rows[0] as object, { capability: 'MCOPSTN1', durationSeconds: 60 }], { licenses: [licence()] });
    expect(result.warnings).toEqual([
      'pools sized from the users seen in the CDRs, as no licences entry names them (the vendor sizes a pool by the licences bought, so these may be too small): MCOPSTN1 US',
    ]);
    expect((jsonReport(result) as { warnings: string[] }).warnings).toEqual(result.warnings);
  });
});
