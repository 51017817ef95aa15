import { describe, expect, it } from 'vitest';
import { jsonReport } from '../../engine/report/json-report.js';
import { terminalSummary } from '../../engine/report/summary.js';
import { usd } from '../helpers.js';
import { fundings, rateRow, replayRows, type ScenarioJson } from '../replay-helpers.js';

// One US user on Domestic 120 (MCOPSTN5, 1 licence: 120 min a month; international calls all from
// credits), US and UK calls at 0.70 a minute (60/60), 3.00 bought at the start, a 50.00 top-up on 20 Jan. The period ends 20 Jan 2027, when
// the top-up's lot expires.
const RATES = [rateRow('outbound', '1', '0.70'), rateRow('outbound', '44', '0.70')];
const scenario = (exhaustion: string): ScenarioJson => ({
  end: '2027-01-20T00:00:00Z',
  licenses: [{ capability: 'MCOPSTN5', country: 'US', users: 1 }],
  credits: { initial: '3.00', exhaustion, topups: [{ at: '2026-01-20T00:00:00Z', amount: '50.00' }] },
});
const call = (startTime: string, durationSeconds: number) => ({ capability: 'MCOPSTN5', domesticInternational: 'Domestic', startTime, durationSeconds });
const ROWS = [
  call('2026-01-05T10:00:00Z', 7140), // 119 min from the pool: 1 min left
  { ...call('2026-01-06T10:00:00Z', 1320), domesticInternational: 'International', destinationNumber: '+442071234567' }, // 22 min to the UK, credits only: 15.40
  call('2026-01-07T10:00:00Z', 300), // 1 min of pool, then 240 s of credits (4 x 0.70 = 2.80)
  call('2026-01-08T10:00:00Z', 60), // no pool left: 1 min of credits = 0.70
  call('2026-01-21T10:00:00Z', 60), // after the top-up: 0.70
];

describe('a replay in each model of a short balance', () => {
  // Overdraft: 3.00 > 0, so the 22-minute call runs whole: 3.00 - 15.40 = -12.40, balance-below-zero
  // at 6 Jan 10:00. On 7 Jan the pool's last minute runs, then the balance (-12.40) can pay nothing:
  // cut at 10:01, where the pool part ends. 8 Jan: refused at its start. 20 Jan: 50.00 pays the debt,
  // the lot keeps 37.60; 21 Jan: 0.70 leaves 36.90, all in the lot expiring at the end instant.
  //   funded 53.00 = spent 15.40 + 0.70 = 16.10 + forfeited 0.00 + closing 36.90
  it('overdraft: the balance goes to -12.40, the next calls drop, the top-up pays the debt', async () => {
    const result = await replayRows(ROWS, scenario('overdraft'), RATES);
    expect(fundings(result)).toEqual([
      'pool pool 7140s credit 0s',
      'credits pool 0s credit 1320s paid 15.40',
      'cut pool 60s credit 240s',
      'refused pool 0s credit 60s',
      'credits pool 0s credit 60s paid 0.70',
    ]);
    expect(result.rows.map((row) => row.dropped_at)).toEqual(['', '', '2026-01-07T10:01:00Z', '2026-01-08T10:00:00Z', '']);
    expect(result.credits).toMatchObject({ fundedMicros: usd('53'), spentMicros: usd('16.10'), forfeitedMicros: 0, closingMicros: usd('36.90'), expiringAtEndMicros: usd('36.90') });
    expect(result.months[0]).toMatchObject({ month: '2026-01', closingMicros: usd('36.90') });
    const json = jsonReport(result) as { credits: Record<string, unknown>; notifications: unknown };
    expect(json.credits['expiringAtEnd']).toBe('36.90');
    // The pool's notices share the map: 80% of 120 min is 96 min, reached 96 min into the 5 Jan call
    // (10:00 + 96 min = 11:36); 100% when the 7 Jan call takes the last minute (10:00 + 1 min).
    expect(json.notifications).toEqual({ 'balance-below-zero': { count: 1, first: '2026-01-06T10:00:00Z' }, 'pool-80': { count: 1, first: '2026-01-05T11:36:00Z' }, 'pool-100': { count: 1, first: '2026-01-07T10:01:00Z' } });
    const summary = terminalSummary(result);
    expect(summary).toContain('Notices  pool-80 1 (first 2026-01-05T11:36:00Z), balance-below-zero 1 (first 2026-01-06T10:00:00Z), pool-100 1 (first 2026-01-07T10:01:00Z)');
    expect(summary).toContain('36.90 of the closing balance expires at 2027-01-20T00:00:00Z, the end of the period');
  });

  // Cut: the 22-minute call pays whole increments while 3.00 lasts: 4 x 0.70 = 2.80, cut at
  // 10:04 with 0.20 left (balance-exhausted there, the first drop since the purchase). 7 Jan: the
  // pool minute runs, 0.20 cannot pay a 0.70 increment: cut at 10:01 where the pool part ends, never
  // "refused". 8 Jan: refused. 20 Jan: lot of 50.00 (balance 50.20); 21 Jan: 0.70 leaves 49.50.
  //   funded 53.00 = spent 2.80 + 0.70 = 3.50 + forfeited 0.00 + closing 49.50; of it the 20 Jan lot
  //   holds 50.00 - (0.70 - 0.20) = 49.50, expiring at the end instant (lot 1's 0.20 went first).
  it('cut: the call is cut at 2.80, the pool-started call is cut where its pool ends', async () => {
    const result = await replayRows(ROWS, scenario('cut'), RATES);
    expect(fundings(result)).toEqual([
      'pool pool 7140s credit 0s',
      'cut pool 0s credit 1320s paid 2.80',
      'cut pool 60s credit 240s',
      'refused pool 0s credit 60s',
      'credits pool 0s credit 60s paid 0.70',
    ]);
    expect(result.rows.map((row) => row.dropped_at)).toEqual(['', '2026-01-06T10:04:00Z', '2026-01-07T10:01:00Z', '2026-01-08T10:00:00Z', '']);
    expect(result.calls).toMatchObject({ read: 5, pool: 1, credits: 1, cut: 2, refused: 1 });
    expect(result.credits).toMatchObject({ fundedMicros: usd('53'), spentMicros: usd('3.50'), forfeitedMicros: 0, closingMicros: usd('49.50'), expiringAtEndMicros: usd('49.50') });
    expect((jsonReport(result) as { notifications: unknown }).notifications).toEqual({ 'balance-exhausted': { count: 1, first: '2026-01-06T10:04:00Z' }, 'pool-80': { count: 1, first: '2026-01-05T11:36:00Z' }, 'pool-100': { count: 1, first: '2026-01-07T10:01:00Z' } });
  });
});
