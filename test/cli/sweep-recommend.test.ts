import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEAMS_HEADER } from '../../engine/generate/generate-cdrs.js';
import { runCli, tempFolder, writeFiles, onlyWarnings } from '../cli-helpers.js';

/**
 * A Pay-As-You-Go user makes one 20-minute call to the UK on the 15th of each month of 2026 at
 * 0.35/min: 7.00 a call, 84.00 a year. Hand-worked, in the cut model (scenario-cut.json): without
 * recharge 90.00 (in steps of 10.00) pays all twelve; 80.00 leaves 3.00 for December's call, which
 * pays 8 minutes (2.80) and is cut at 12:08. In the overdraft (scenario.json, the default) 80.00 is
 * enough: December's call starts with 3.00 and runs whole to -4.00; 70.00 is spent by October's
 * call, so November's finds 0.00, not above zero, and is refused at its start.
 */
let folder: string;
beforeAll(() => {
  folder = tempFolder();
  const rows = Array.from({ length: 12 }, (_, month) => {
    const day = `2026-${String(month + 1).padStart(2, '0')}-15`;
    return [`u${month}`, `c${month}`, '', 'US', 'o', 'payg@contoso.example', 'Pay Go', '+442079460000', 'user_out', 'user_subscriber', 'International', 'United Kingdom', '+442079460000', `${day}T12:00:00Z`, `${day}T12:20:00Z`, '1200', '0', '7.00', 'USD', 'MCOPSTN_PAYG_1'].join(',');
  });
  writeFiles(folder, {
    'cdr.csv': `${TEAMS_HEADER.join(',')}\n${rows.join('\n')}\n`,
    'rates.csv': 'service,prefix,destination,per_minute,connection_fee,currency\noutbound,44,United Kingdom,0.35,0,USD\n',
    'scenario.json': JSON.stringify({ start: '2026-01-01T00:00:00Z', end: '2027-01-01T00:00:00Z', credits: { initial: '50.00' }, rating: { rates: ['rates.csv'] } }),
    'scenario-cut.json': JSON.stringify({ start: '2026-01-01T00:00:00Z', end: '2027-01-01T00:00:00Z', credits: { initial: '50.00', exhaustion: 'cut' }, rating: { rates: ['rates.csv'] } }),
  });
});

const inputs = (scenario = 'scenario-cut.json') => ['--cdrs', join(folder, 'cdr.csv'), '--scenario', join(folder, scenario), '--model', 'history'];

describe('creditcast recommend', () => {
  it('prints the hand-worked funding as JSON', () => {
    const run = runCli(['recommend', ...inputs(), '--json']);
    expect(onlyWarnings(run.stderr)).toBe('');
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer.initial).toEqual({ noRecharge: '90.00', withPolicy: '90.00' });
    expect(answer.verified).toEqual({ noRecharge: true, withPolicy: true });
    expect(answer.horizon).toEqual({ from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' });
    expect(answer.recharge).toMatchObject({ mode: expect.stringMatching(/^(with|to)$/) });
    expect(answer.explanation[1]).toContain('80.00 (a tenth less) would drop calls in 1 of 1 trial(s), the first at 2026-12-15T12:08:00Z (2026-12 decides it)');
  });

  it('prints the hand-worked funding of the overdraft as JSON', () => {
    const answer = JSON.parse(runCli(['recommend', ...inputs('scenario.json'), '--json']).stdout);
    expect(answer.initial).toEqual({ noRecharge: '80.00', withPolicy: '80.00' });
    expect(answer.explanation[1]).toContain('70.00 (a tenth less) would drop calls in 1 of 1 trial(s), the first at 2026-11-15T12:00:00Z (2026-11 decides it)');
  });

  it('rounds to the step it is given', () => {
    const answer = JSON.parse(runCli(['recommend', ...inputs(), '--json', '--step', '25']).stdout);
    expect(answer.initial.noRecharge).toBe('100.00');
  });
});

describe('creditcast sweep', () => {
  // Initial 50.00; trigger 10.00 with 50.00 recharges once (after June's call leaves 8.00);
  // trigger 0.00 never does: August's call finds 1.00, pays 2 minutes and is cut; the four after
  // it find 0.30, less than a minute, and are refused: five drops.
  it('replays every cell and writes JSON and CSV', () => {
    const csv = join(folder, 'cells.csv');
    const run = runCli(['sweep', ...inputs(), '--trigger', '0:10:10', '--amount', '50', '--mode', 'with,to', '--json', '--csv', csv]);
    expect(run.code).toBe(0);
    const { cells, trials } = JSON.parse(run.stdout);
    expect(trials).toBe(1);
    expect(cells.map((cell: { trigger: string; mode: string; dropsP95: number; purchases: number; purchased: string }) => `${cell.mode} ${cell.trigger}: ${cell.dropsP95} drops, ${cell.purchases} purchases, ${cell.purchased}`)).toEqual([
      'with 0.00: 5 drops, 1 purchases, 50.00',
      'with 10.00: 0 drops, 2 purchases, 100.00',
      'to 0.00: 5 drops, 1 purchases, 50.00',
      'to 10.00: 0 drops, 2 purchases, 100.00',
    ]);
    expect(cells[0]).toMatchObject({ dropShare: 1, firstDropP5: '2026-08-15T12:02:00Z' });
    expect(cells[1]).toMatchObject({ dropShare: 0, forfeited: '0.00', balanceMin: '8.00' });
    expect(readFileSync(csv, 'utf8').split('\n')[0]).toBe('trigger,amount,mode,delaySeconds,initial,dropShare,dropsP95,firstDropP5,purchases,purchased,forfeited,balanceAvg,balanceMin');
  });

  // Overdraft: with trigger 0.00, August's call starts with 1.00 and runs whole to -6.00, below
  // 0.00: "with" buys 50.00 (44.00 after the debt), "to" fills up to 50.00 by buying 56.00. No drops.
  it('replays every cell in the overdraft', () => {
    const run = runCli(['sweep', ...inputs('scenario.json'), '--trigger', '0:10:10', '--amount', '50', '--mode', 'with,to', '--json']);
    expect(run.code).toBe(0);
    const { cells } = JSON.parse(run.stdout);
    expect(cells.map((cell: { trigger: string; mode: string; dropsP95: number; purchases: number; purchased: string }) => `${cell.mode} ${cell.trigger}: ${cell.dropsP95} drops, ${cell.purchases} purchases, ${cell.purchased}`)).toEqual([
      'with 0.00: 0 drops, 2 purchases, 100.00',
      'with 10.00: 0 drops, 2 purchases, 100.00',
      'to 0.00: 0 drops, 2 purchases, 106.00',
      'to 10.00: 0 drops, 2 purchases, 100.00',
    ]);
    expect(cells[0]).toMatchObject({ dropShare: 0, balanceMin: '-6.00' });
  });

  it.each([
    [['--trigger', '10:0:5', '--amount', '50'], /^creditcast: --trigger: expected from:to:step with a positive step and to not below from, got "10:0:5"$/],
    [['--trigger', '10', '--amount', '50.001'], /^creditcast: --amount: an amount has more decimals than the currency, got "50.001"$/],
    [['--trigger', '10', '--amount', '50', '--mode', 'fill'], /^creditcast: --mode: expected with, to or with,to, got "fill"$/],
  ])('rejects bad options with one line: %j', (options, message) => {
    const run = runCli(['sweep', ...inputs(), ...options]);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd()).toMatch(message);
  });
});

describe('sweep and recommend over bootstrap trials', () => {
  it('give the same bytes for 1 and 2 workers', () => {
    const args = ['--cdrs', 'data/sample/pstn-usage.csv', '--scenario', 'scenarios/sample.json', '--trials', '12', '--seed', '3', '--json'];
    const sweep = (workers: string) => runCli(['sweep', ...args, '--trigger', '0:40:20', '--amount', '50,100', '--mode', 'with,to', '--workers', workers]).stdout;
    const one = sweep('1');
    expect(JSON.parse(one)).toMatchObject({ model: 'bootstrap', trials: 12 });
    expect(sweep('2')).toBe(one);
    const recommend = (workers: string) => runCli(['recommend', ...args, '--workers', workers]).stdout;
    expect(recommend('2')).toBe(recommend('1'));
  });
});
