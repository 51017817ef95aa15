import { beforeAll, describe, expect, it } from 'vitest';
import { TEAMS_HEADER } from '../../engine/generate/generate-cdrs.js';
import { runCli, tempFolder, writeFiles, onlyWarnings } from '../cli-helpers.js';
import { join } from 'node:path';

/**
 * Four weeks of history: a Pay-As-You-Go user calls the UK every Monday of February 2026 (2, 9,
 * 16 and 23), 4 minutes at 0.50 = 2.00 a call. Repeated whole weeks, every Monday of the horizon
 * carries one such call.
 */
let folder: string;
beforeAll(() => {
  folder = tempFolder();
  const rows = [2, 9, 16, 23].map((day) => {
    const date = `2026-02-${String(day).padStart(2, '0')}`;
    return [`m${day}`, `c${day}`, '', 'US', 'o', 'payg@contoso.example', 'Pay Go', '+442079460000', 'user_out', 'user_subscriber', 'International', 'United Kingdom', '+442079460000', `${date}T09:00:00Z`, `${date}T09:04:00Z`, '240', '0', '2.00', 'USD', 'MCOPSTN_PAYG_1'].join(',');
  });
  writeFiles(folder, {
    'cdr.csv': `${TEAMS_HEADER.join(',')}\n${rows.join('\n')}\n`,
    'rates.csv': 'service,prefix,destination,per_minute,connection_fee,currency\noutbound,44,United Kingdom,0.50,0,USD\n',
    'scenario.json': JSON.stringify({ start: '2027-01-01T00:00:00Z', credits: { initial: '50.00' }, rating: { rates: ['rates.csv'] } }),
  });
});

const recommend = (...options: string[]) => {
  const run = runCli(['recommend', '--cdrs', join(folder, 'cdr.csv'), '--scenario', join(folder, 'scenario.json'), '--model', 'repeat', '--json', ...options]);
  expect(onlyWarnings(run.stderr)).toBe('');
  return JSON.parse(run.stdout);
};

describe('a short history repeated over a year', () => {
  // 2027 has 52 Mondays: 52 x 2.00 = 104.00, so 110.00 in steps of 10.00.
  it('gives the exact recommended funding', () => {
    const answer = recommend();
    expect(answer.initial.noRecharge).toBe('110.00');
    expect(answer.verified.noRecharge).toBe(true);
    expect(answer.horizon).toEqual({ from: '2027-01-01T00:00:00Z', to: '2028-01-01T00:00:00Z' });
  });
});

describe('monthly growth', () => {
  // Growth of 100% a month doubles the calls each month: January 2027's 4 Mondays once, February's
  // 4 twice, March's 5 four times: 32 calls, 64.00, so 70.00 over a 3-month horizon.
  it('multiplies the calls of month k by (1 + growth)^k', () => {
    expect(recommend('--horizon', '3').initial.noRecharge).toBe('50.00');
    expect(recommend('--horizon', '3', '--growth', '1').initial.noRecharge).toBe('70.00');
  });

  it('is refused for the history model, which replays what happened', () => {
    const run = runCli(['recommend', '--cdrs', join(folder, 'cdr.csv'), '--scenario', join(folder, 'scenario.json'), '--model', 'history', '--growth', '0.1']);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd()).toBe('creditcast: --growth and --headcount project future traffic: use --model repeat or bootstrap');
  });
});

describe('headcount changes', () => {
  // One MCOPSTN5 user in the US calls 90 minutes every Monday and Tuesday at 09:00 (0.02/min past
  // the pool). +100% users doubles the traffic, and the user seen counts as two licences, 240
  // minutes: two 90-minute calls on Monday 4 January 2027 and 60 minutes of Tuesday's first use
  // them up at 10:00 on the 5th, and (16 x 90 - 240) x 0.02 = 24.00 is spent. One licence's 120
  // minutes would have run out at 09:30 on Monday, and 26.40 been spent.
  it('scale the pools of their capability and country', () => {
    const pools = tempFolder();
    const rows = ['2026-02-02', '2026-02-03'].map((date, day) =>
      [`p${day}`, `c${day}`, '', 'US', 'o', 'five@contoso.example', 'Five', '+14255550199', 'user_out', 'user_subscriber', 'Domestic', 'United States', '+12125550100', `${date}T09:00:00Z`, `${date}T10:30:00Z`, '5400', '0', '0', 'USD', 'MCOPSTN5'].join(','),
    );
    writeFiles(pools, {
      'cdr.csv': `${TEAMS_HEADER.join(',')}\n${rows.join('\n')}\n`,
      'rates.csv': 'service,prefix,destination,per_minute,connection_fee,currency\noutbound,1,United States,0.02,0,USD\n',
      'scenario.json': JSON.stringify({ start: '2027-01-01T00:00:00Z', credits: { initial: '50.00' }, rating: { rates: ['rates.csv'] } }),
    });
    const run = runCli(['forecast', '--cdrs', join(pools, 'cdr.csv'), '--scenario', join(pools, 'scenario.json'), '--model', 'repeat', '--horizon', '1', '--headcount', 'MCOPSTN5:US:+100%', '--json']);
    expect(onlyWarnings(run.stderr)).toBe('');
    const answer = JSON.parse(run.stdout);
    expect(answer.pools).toEqual([{ capability: 'MCOPSTN5', country: 'US', month: '2027-01', kind: 'domestic', exhaustedShare: 1, exhaustedP50: '2027-01-05T10:00:00Z' }]);
    expect(answer.months[0].spent.p50).toBe('24.00');
  });

  // +100% of the PAYG users doubles their traffic: 104 calls over the year, 208.00, so 210.00.
  it('scale the traffic of their capability and country', () => {
    expect(recommend('--headcount', 'MCOPSTN_PAYG_1:US:+100%').initial.noRecharge).toBe('210.00');
  });

  it('refuse a capability the allowances file does not list, and a payment source, instead of scaling nothing', () => {
    const forecast = (change: string) => runCli(['forecast', '--cdrs', join(folder, 'cdr.csv'), '--scenario', join(folder, 'scenario.json'), '--model', 'repeat', '--headcount', change]);
    // A typo of MCOPSTN_PAYG_1: without the check it ran and answered 104.00 for the year, as if no change were asked for.
    const typo = forecast('MCOPSTN_PAYG1:US:+100%');
    expect(typo.code).toBe(2);
    expect(typo.stderr.trimEnd()).toMatch(/^creditcast: --headcount MCOPSTN_PAYG1:US: "MCOPSTN_PAYG1" is not a capability of \S*data\/allowances\.csv: name a plan or licence it lists$/);
    const source = forecast('MCOPSTNPP:*:+10%');
    expect(source.code).toBe(2);
    expect(source.stderr).toContain('"MCOPSTNPP" is a payment source, not a plan');
  });
});
