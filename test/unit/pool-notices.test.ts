import { describe, expect, it } from 'vitest';
import { replayInputs } from '../../engine/edge/run/run-replay.js';
import { formatInstant } from '../../engine/kernel/time.js';
import { jsonReport } from '../../engine/report/json-report.js';
import { eventsCsv } from '../../engine/report/csv-files.js';
import { loadRows } from '../replay-helpers.js';

const plan = { capability: 'MCOPSTN5', domesticInternational: 'Domestic' };
const oneLicence = { licenses: [{ capability: 'MCOPSTN5', country: 'US', users: 1 }], credits: { initial: '100' } };

async function poolEvents(rows: Parameters<typeof loadRows>[0]) {
  const result = replayInputs(await loadRows(rows, oneLicence), { keepEvents: true });
  const notices = result.events.flatMap((event) => (event.type === 'pool-80' || event.type === 'pool-100' ? [`${event.type} ${event.pool} ${formatInstant(event.at)}`] : []));
  return { result, notices };
}

describe('pool-80 and pool-100 (DOMAIN §2)', () => {
  // MCOPSTN5 US, 1 licence: 120 min = 7200 s; 80% = 96 min = 5760 s.
  // Jan 5: 95 min (5700 s) drawn, under 80%.
  // Jan 6 10:00:00, 30 s: draws a whole minute, 5700 + 60 = 5760 s = 80% exactly; the share is
  //   reached 60 s into the minute but the call lasts 30 s, so the notice is dated at its end, 10:00:30.
  // Jan 7 10:00:00, 1500 s: 7200 - 5760 = 1440 s left; the pool covers 1440 s and runs out at
  //   10:24:00 (pool-100, the same instant as exhaustedAt); the last 60 s go to credits.
  // Feb 2 08:00:00, 7200 s: February's own pool; 80% at 5760 s = 09:36:00, 100% at 7200 s = 10:00:00.
  const rows = [
    { ...plan, durationSeconds: 5700, startTime: '2026-01-05T10:00:00Z' },
    { ...plan, durationSeconds: 30, startTime: '2026-01-06T10:00:00Z' },
    { ...plan, durationSeconds: 1500, startTime: '2026-01-07T10:00:00Z' },
    { ...plan, durationSeconds: 7200, startTime: '2026-02-02T08:00:00Z' },
  ];

  it('dates each notice where the pool reaches the share, once per pool and month', async () => {
    const { result, notices } = await poolEvents(rows);
    expect(notices).toEqual([
      'pool-80 MCOPSTN5/US/2026-01/domestic 2026-01-06T10:00:30Z',
      'pool-100 MCOPSTN5/US/2026-01/domestic 2026-01-07T10:24:00Z',
      'pool-80 MCOPSTN5/US/2026-02/domestic 2026-02-02T09:36:00Z',
      'pool-100 MCOPSTN5/US/2026-02/domestic 2026-02-02T10:00:00Z',
    ]);
    expect(formatInstant(result.pools[0]?.exhaustedAt as number)).toBe('2026-01-07T10:24:00Z');
    expect((jsonReport(result) as { notifications: unknown }).notifications).toEqual({
      'pool-100': { count: 2, first: '2026-01-07T10:24:00Z' },
      'pool-80': { count: 2, first: '2026-01-06T10:00:30Z' },
    });
    expect(eventsCsv(result)).toContain('2026-01-06T10:00:30Z,pool-80,,,,,MCOPSTN5/US/2026-01/domestic');
  });

  // 95 min then 1 min: 96 min = 80% exactly, reached at the second call's end (10:01:00); nothing reaches 100%.
  it('raises nothing more until a share is reached', async () => {
    const { notices } = await poolEvents(rows.slice(0, 1).concat([{ ...plan, durationSeconds: 60, startTime: '2026-01-06T10:00:00Z' }]));
    expect(notices).toEqual(['pool-80 MCOPSTN5/US/2026-01/domestic 2026-01-06T10:01:00Z']);
  });
});
