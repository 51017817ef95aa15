import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootstrapTable, indexDays } from '../../engine/forecast/bootstrap.js';
import { ROUTE } from '../../engine/model/route.js';
import { blankSplit, PoolStage } from '../../engine/pools/pool-stage.js';
import { loadRows } from '../replay-helpers.js';
import type { ExportRow } from '../teams-export.js';

const JANUARY = Date.UTC(2026, 0, 1);
const FEBRUARY = Date.UTC(2026, 1, 1);
const MARCH = Date.UTC(2026, 2, 1);
const USERS = ['ana@contoso.example', 'bo@contoso.example'];
/** Two MCOPSTN5 licences in the US: 2 × 120 = 240 pooled minutes a month. */
const POOL_MINUTES = 240;

interface Call {
  user: number;
  day: number;
  minute: number;
  durationSeconds: number;
}

/**
 * January as a real export records it: calls in time order draw the pool while it covers them and
 * carry the plan (MCOPSTN5); once it does not, the export says credits paid (MCOPSTNPP). Each user's
 * first call, on 1 January, carries the plan.
 */
function recordedJanuary(calls: readonly Call[]): ExportRow[] {
  const firsts: Call[] = USERS.map((_, user) => ({ user, day: 0, minute: 8 * 60 + user, durationSeconds: 60 }));
  const ordered = [...firsts, ...calls].sort((a, b) => a.day - b.day || a.minute - b.minute || a.user - b.user);
  let left = POOL_MINUTES;
  return ordered.map((call, index) => {
    const minutes = Math.ceil(call.durationSeconds / 60);
    const covered = minutes <= left;
    left = covered ? left - minutes : 0;
    return {
      upn: USERS[call.user] as string,
      usageId: `u${index}`,
      startTime: new Date(JANUARY + call.day * 86_400_000 + call.minute * 60_000).toISOString().replace('.000Z', 'Z'),
      durationSeconds: call.durationSeconds,
      capability: covered ? 'MCOPSTN5' : 'MCOPSTNPP',
      charge: covered ? '' : '0.10',
    };
  });
}

const calls = fc.array(
  fc.record({ user: fc.integer({ min: 0, max: 1 }), day: fc.integer({ min: 1, max: 30 }), minute: fc.integer({ min: 8 * 60, max: 17 * 60 }), durationSeconds: fc.integer({ min: 1, max: 45 * 60 }) }),
  { minLength: 1, maxLength: 40 },
);

describe('bootstrap trials and payment-source rows (fast-check; failures print the seed)', () => {
  it('never charge credits for a domestic call of a planned user while the pool has the minutes left', async () => {
    await fc.assert(
      fc.asyncProperty(calls, fc.integer({ min: 0, max: 2 ** 31 }), async (drawn, seed) => {
        const inputs = await loadRows(recordedJanuary(drawn), { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z', licenses: [{ capability: 'MCOPSTN5', country: 'US', users: 2 }], credits: { initial: '100.00' } });
        const days = indexDays(inputs.table, 0);
        for (let trial = 0; trial < 3; trial++) {
          const table = bootstrapTable(inputs.table, days, FEBRUARY, MARCH, seed, trial);
          const stage = new PoolStage(table, inputs.scenario, inputs.rules, inputs.rates);
          table.parts.forEach((_, partIndex) => stage.countLicences(partIndex));
          const split = blankSplit();
          table.forEachInOrder((part, index) => {
            // Every call is domestic and every user has a plan: each reaches the pool, whatever the export recorded.
            expect(part.route[index]).toBe(ROUTE.poolDomestic);
            const pool = stage.report().find((row) => row.kind === 'domestic');
            const leftMinutes = pool === undefined ? POOL_MINUTES : pool.minutes - pool.used;
            stage.split(part, index, split);
            if (leftMinutes >= Math.ceil((part.durationSeconds[index] as number) / 60)) expect(split.creditSeconds).toBe(0);
            else expect(split.poolSeconds).toBe(leftMinutes * 60);
          });
        }
      }),
      { numRuns: 25 },
    );
  });
});
