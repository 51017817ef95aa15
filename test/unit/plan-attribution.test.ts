import { describe, expect, it } from 'vitest';
import { replayRows, type ScenarioJson } from '../replay-helpers.js';
import type { ExportRow } from '../teams-export.js';
import { nearestPlan } from '../../engine/pools/plan-attribution.js';

/**
 * Ana, a US user on MCOPSTN5 (120 domestic minutes a licence, pooled), calls the US at 0.02/min.
 * Her first two calls (60 min each) empty January's pool of one licence; the export then records
 * the rest of the month as paid by Communications Credits (MCOPSTNPP), as a real export does.
 */
const ANA: ExportRow[] = [
  { startTime: '2026-01-05T10:00:00Z', durationSeconds: 3600, capability: 'MCOPSTN5' },
  { startTime: '2026-01-06T10:00:00Z', durationSeconds: 3600, capability: 'MCOPSTN5' },
  // 30 min × 0.02 = 0.60 and 10 min × 0.02 = 0.20, as the export charged them.
  { startTime: '2026-01-07T10:00:00Z', durationSeconds: 1800, capability: 'MCOPSTNPP', charge: '0.60' },
  { startTime: '2026-01-08T10:00:00Z', durationSeconds: 600, capability: 'MCOPSTNPP', charge: '0.20' },
];

const FUNDED: ScenarioJson = { credits: { initial: '10.00' } };

describe('a payment source (MCOPSTNPP) is the licence that paid, not the plan (RULES.md §2)', () => {
  it('(a) replayed with the tenant\'s licences: the same figures as recorded', async () => {
    const result = await replayRows(ANA, { ...FUNDED, licenses: [{ capability: 'MCOPSTN5', country: 'US', users: 1 }] });
    // Pool: 1 × 120 min, used by the first two calls (60 + 60). The other two go to credits:
    // 30 × 0.02 + 10 × 0.02 = 0.60 + 0.20 = 0.80, what the export recorded.
    expect(result.calls).toMatchObject({ pool: 2, credits: 2 });
    expect(result.credits.spentMicros).toBe(800_000);
    expect(result.attribution).toMatchObject({ byPlan: { MCOPSTN5: 2 }, fromScenario: 0, unresolved: 0 });
    expect(result.fundingDifferences).toEqual([]);
    expect(result.rows.slice(2).map((row) => [row.recorded_capability, row.capability, row.why])).toEqual([
      ['MCOPSTNPP', 'MCOPSTN5', 'domestic pool used up'],
      ['MCOPSTNPP', 'MCOPSTN5', 'domestic pool used up'],
    ]);
  });

  it('(b) with one more licence: the calls the export paid by credits are drawn from the pool', async () => {
    const result = await replayRows(ANA, { ...FUNDED, licenses: [{ capability: 'MCOPSTN5', country: 'US', users: 2 }] });
    // Pool: 2 × 120 = 240 min; used 60 + 60 + 30 + 10 = 160 min; credits spent 0.00.
    expect(result.calls).toMatchObject({ pool: 4, credits: 0 });
    expect(result.credits.spentMicros).toBe(0);
    expect(result.pools).toEqual([expect.objectContaining({ capability: 'MCOPSTN5', country: 'US', minutes: 240, used: 160 })]);
    // The reconciliation names where the scenario's licences are not the tenant's: 2 calls, 1800 + 600 s.
    expect(result.fundingDifferences).toEqual([
      { destination: 'outbound 1', user: 'ana@contoso.example', recorded: 'credits', simulated: 'pool', calls: 2, durationSeconds: 2400 },
    ]);
  });

  it('(c) a user with only MCOPSTNPP rows pays everything from credits', async () => {
    const bo: ExportRow[] = [
      { upn: 'bo@contoso.example', startTime: '2026-01-05T10:00:00Z', durationSeconds: 1200, capability: 'MCOPSTNPP', charge: '0.40' },
      { upn: 'bo@contoso.example', startTime: '2026-01-09T10:00:00Z', durationSeconds: 300, capability: 'MCOPSTNPP', charge: '0.10' },
    ];
    const result = await replayRows(bo, { ...FUNDED, licenses: [{ capability: 'MCOPSTN5', country: 'US', users: 1 }] });
    // 20 min × 0.02 + 5 min × 0.02 = 0.40 + 0.10 = 0.50, all from credits; no pool drawn.
    expect(result.calls).toMatchObject({ pool: 0, credits: 2 });
    expect(result.credits.spentMicros).toBe(500_000);
    expect(result.attribution).toMatchObject({ byPlan: {}, unresolved: 2 });
    expect(result.rows.map((row) => row.why)).toEqual([
      'recorded as paid by MCOPSTNPP; no calling plan found for the user',
      'recorded as paid by MCOPSTNPP; no calling plan found for the user',
    ]);
  });

  it('(d) the scenario\'s plans override the inference', async () => {
    // Ana is on MCOPSTN6 (240 min) says the scenario, though her plan rows say MCOPSTN5: her two
    // MCOPSTNPP calls (30 + 10 = 40 min) draw MCOPSTN6's pool, sized by the users seen on it in
    // January: Ana alone, 1 × 240 min. Credits spent 0.00.
    const result = await replayRows(ANA, { ...FUNDED, licenses: [{ capability: 'MCOPSTN5', country: 'US', users: 1 }], plans: [{ upn: 'ANA@contoso.example', capability: 'MCOPSTN6' }] });
    expect(result.attribution).toMatchObject({ byPlan: { MCOPSTN6: 2 }, fromScenario: 2, unresolved: 0 });
    expect(result.credits.spentMicros).toBe(0);
    expect(result.pools.map((pool) => [pool.capability, pool.minutes, pool.used])).toEqual([
      ['MCOPSTN5', 120, 120],
      ['MCOPSTN6', 240, 40],
    ]);
  });

  it('a user\'s plan is the one of the row nearest in time; of two as near, the earlier', async () => {
    // MCOPSTN5 on 5 January, MCOPSTN6 on 20 January: a call on 15 January is 10 days from the
    // first and 5 from the second, so MCOPSTN6; one on 1 January is before both, so MCOPSTN5.
    const rows: ExportRow[] = [
      { startTime: '2026-01-05T10:00:00Z', capability: 'MCOPSTN5', callType: 'user_in' },
      { startTime: '2026-01-20T10:00:00Z', capability: 'MCOPSTN6', callType: 'user_in' },
      { startTime: '2026-01-15T10:00:00Z', capability: 'MCOPSTNPP', charge: '0.02' },
      { startTime: '2026-01-01T10:00:00Z', capability: 'MCOPSTNPP', charge: '0.02' },
    ];
    const result = await replayRows(rows, FUNDED);
    expect(result.rows.filter((row) => row.recorded_capability === 'MCOPSTNPP').map((row) => [row.start, row.capability])).toEqual([
      ['2026-01-01T10:00:00Z', 'MCOPSTN5'],
      ['2026-01-15T10:00:00Z', 'MCOPSTN6'],
    ]);
    const day = 86_400_000;
    // 12.5 days is as near to day 5 as to day 20: the earlier wins.
    expect(nearestPlan({ startAt: [5 * day, 20 * day], capability: [0, 1] }, 12.5 * day)).toBe(0);
    expect(nearestPlan({ startAt: [5 * day, 20 * day], capability: [0, 1] }, 12.6 * day)).toBe(1);
  });

  it('an international call on a domestic plan stays on credits; on MCOPSTN2 it draws the international pool', async () => {
    const rows: ExportRow[] = [
      { startTime: '2026-01-05T10:00:00Z', capability: 'MCOPSTN1' },
      { startTime: '2026-01-06T10:00:00Z', capability: 'MCOPSTNPP', destinationNumber: '+447700900123', durationSeconds: 120, charge: '0.06' },
      { upn: 'cy@contoso.example', startTime: '2026-01-05T10:00:00Z', capability: 'MCOPSTN2' },
      { upn: 'cy@contoso.example', startTime: '2026-01-06T11:00:00Z', capability: 'MCOPSTNPP', destinationNumber: '+447700900123', durationSeconds: 120, charge: '0.06' },
    ];
    const result = await replayRows(rows, FUNDED);
    // Ana (MCOPSTN1): 2 min × 0.03 = 0.06 from credits. Cy (MCOPSTN2): 2 of 600 international minutes.
    expect(result.rows.map((row) => `${row.user} ${row.capability} ${row.funding}`)).toEqual([
      'ana@contoso.example MCOPSTN1 pool',
      'cy@contoso.example MCOPSTN2 pool',
      'ana@contoso.example MCOPSTN1 credits',
      'cy@contoso.example MCOPSTN2 pool',
    ]);
    expect(result.credits.spentMicros).toBe(60_000);
  });
});
