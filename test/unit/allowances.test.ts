import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReplay } from '../../engine/edge/run/run-replay.js';
import { tempFolder, writeFiles } from '../cli-helpers.js';
import { bundledRules, FIXTURES } from '../helpers.js';
import { fundings, replayRows } from '../replay-helpers.js';

describe('plan minutes in data/allowances.csv (RULES.md §3)', () => {
  it.each<[string, string, string, number, number]>([
    // capability, usage country, kind, minutes per user, international minutes per user
    ['MCOPSTN1', 'US', 'calling_plan', 3000, 0],
    ['MCOPSTN1', 'PR', 'calling_plan', 3000, 0],
    ['MCOPSTN1', 'CA', 'calling_plan', 3000, 0],
    ['MCOPSTN1', 'GB', 'calling_plan', 1200, 0],
    ['MCOPSTN1', 'FR', 'calling_plan', 1200, 0],
    ['MCOPSTN2', 'US', 'calling_plan', 3000, 600],
    ['MCOPSTN2', 'DE', 'calling_plan', 1200, 600],
    ['MCOPSTN5', 'US', 'calling_plan', 120, 0],
    ['MCOPSTN6', 'GB', 'calling_plan', 240, 0],
    ['MCOPSTN8', 'US', 'calling_plan_per_user', 120, 0],
    ['MCOPSTN_PAYG_1', 'US', 'pay_as_you_go', 0, 0],
    ['MCOPSTN_PAYG_2', 'AU', 'pay_as_you_go', 0, 0],
    ['MCOMEETADD', 'US', 'conferencing', 60, 0],
    ['MCOMEETACPEA', 'US', 'conferencing_pay_per_minute', 0, 0],
    ['FREECALL', 'JP', 'free', 0, 0],
  ])('%s in %s: %s, %i domestic and %i international minutes', (capability, country, kind, minutes, international) => {
    const lookup = bundledRules().allowances.lookup(capability, country);
    expect('found' in lookup && lookup.found).toMatchObject({ kind, minutes, internationalMinutes: international });
  });

  it('lists the 44 Zone A countries', () => {
    const zoneA = bundledRules().numbering.zoneA;
    expect(zoneA.size).toBe(44);
    for (const country of ['US', 'PR', 'GB', 'DE', 'JP', 'ZA', 'TW']) expect(zoneA.has(country)).toBe(true);
    for (const country of ['NG', 'AE', 'PH']) expect(zoneA.has(country)).toBe(false);
  });

  // A tenant's own allowances file makes an unknown capability count: MCOVOICE with 10 minutes.
  it('lets a user add a capability in their own allowances file', async () => {
    const folder = tempFolder();
    const { readFileSync } = await import('node:fs');
    writeFiles(folder, {
      'allowances.csv': 'capability,kind,countries,minutes,international_minutes\nMCOPSTN1,calling_plan,US,3000,0\nMCOPSTN_PAYG_1,pay_as_you_go,*,0,0\nMCOWHATEVER,calling_plan,*,10,0\n',
      'rates.csv': readFileSync(join(FIXTURES, 'rates.csv'), 'utf8'),
      'scenario.json': JSON.stringify({ start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z', allowances: 'allowances.csv', credits: { initial: '50.00' }, rating: { rates: ['rates.csv'] } }),
    });
    const result = await runReplay([join(FIXTURES, 'teams-small.csv')], join(folder, 'scenario.json'), { workers: 1 });
    expect(result.rejectCounts['unknown-capability']).toBeUndefined();
    expect(result.pools.some((pool) => pool.capability === 'MCOWHATEVER' && pool.minutes === 10)).toBe(true);
  });
});

describe('credits licence and receiving numbers', () => {
  it('refuses every credit-funded call when nobody holds the licence', async () => {
    const rows = [{ capability: 'MCOPSTN_PAYG_1', domesticInternational: 'Domestic' }, { domesticInternational: 'Domestic' }];
    const result = await replayRows(rows, { credits: { initial: '100', licensed: 'none' } });
    expect(fundings(result)).toEqual(['refused pool 0s credit 60s', 'pool pool 60s credit 0s']);
  });

  // The export names the number that received an inbound call Caller ID; when it is empty,
  // Destination Number is used. Both rows are toll-free by their number (800).
  it('takes the receiving number of an inbound call from Caller ID, else Destination Number', async () => {
    const folder = tempFolder();
    const { readFileSync } = await import('node:fs');
    const header = readFileSync(join(FIXTURES, 'teams-small.csv'), 'utf8').split('\r\n')[0]?.replace(/^\uFEFF/, '') ?? '';
    const row = (id: string, callerId: string) => `${id},c,,US,o,cc@contoso.example,CC,${callerId},ucap_in,user_subscriber,Domestic,United States,+18005550111,2026-01-05T10:00:00Z,,60,,,,MCOPSTNPP`;
    writeFiles(folder, { 'cdr.csv': `${header}\n${row('a', '')}\n${row('b', '+18005550100')}\n` });
    const rows: { number: string; rate_row: string }[] = [];
    await runReplay([join(folder, 'cdr.csv')], join(FIXTURES, 'scenario.json'), { workers: 1, explain: (explained) => rows.push(explained) });
    expect(rows.map((explained) => explained.number)).toEqual(['18005550111', '18005550100']);
  });
});
