import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { planRepeat, repeatTable } from '../../engine/forecast/repeat.js';
import { loadInputs } from '../../engine/edge/run/run-replay.js';
import { runCli } from '../cli-helpers.js';
import { at, ROOT } from '../helpers.js';

const SAMPLE = ['--cdrs', 'data/sample/pstn-usage.csv'];
type MonthSpread = { month: string; spent: { p50: string }; recharged: { p50: string }; forfeited: { p50: string }; closing: { p50: string }; drops: { p50: number } };
type ReplayMonth = { month: string; spent: string; recharged: string; forfeited: string; closing: string; drops: number };

describe('creditcast forecast', () => {
  // Starting where history starts, over as many months, the repeat model shifts history by zero
  // weeks: with growth 0 it must reproduce the replay of history month by month.
  it('with --model repeat reproduces the replay of history when the horizon is the history', () => {
    const replayed = JSON.parse(runCli(['replay', ...SAMPLE, '--scenario', 'scenarios/sample.json', '--json']).stdout);
    const forecast = JSON.parse(runCli(['forecast', ...SAMPLE, '--scenario', 'scenarios/sample.json', '--model', 'repeat', '--horizon', '14', '--json']).stdout);
    expect(forecast.trials).toBe(1);
    const median = (month: MonthSpread) => ({ month: month.month, spent: month.spent.p50, recharged: month.recharged.p50, forfeited: month.forfeited.p50, closing: month.closing.p50, drops: month.drops.p50 });
    const fromReplay = (month: ReplayMonth) => ({ month: month.month, spent: month.spent, recharged: month.recharged, forfeited: month.forfeited, closing: month.closing, drops: month.drops });
    expect(forecast.months.map(median)).toEqual(replayed.months.map(fromReplay));
    expect(forecast.firstDrop).toMatchObject({ share: 1, p50: replayed.firstDrop });
  });

  it('with --model bootstrap is reproducible from the seed and the same for any worker count', () => {
    const args = ['forecast', ...SAMPLE, '--scenario', 'scenarios/sample.json', '--trials', '40', '--json'];
    const first = runCli([...args, '--workers', '1', '--seed', '7']).stdout;
    expect(runCli([...args, '--workers', '2', '--seed', '7']).stdout).toBe(first);
    expect(runCli([...args, '--workers', '2', '--seed', '8']).stdout).not.toBe(first);
    const forecast = JSON.parse(first);
    expect(forecast).toMatchObject({ model: 'bootstrap', trials: 40 });
    for (const month of forecast.months) {
      expect(Number(month.spent.p5)).toBeLessThanOrEqual(Number(month.spent.p50));
      expect(Number(month.spent.p50)).toBeLessThanOrEqual(Number(month.spent.p95));
    }
  });

  it.each([
    [['--model', 'guess'], /^creditcast: --model: expected history, repeat, bootstrap, got "guess"$/],
    [['--horizon', '0'], /^creditcast: --horizon: expected whole months from 1 to 120, got 0$/],
    [['--growth', '2'], /^creditcast: --growth: expected a monthly rate above -1 and at most 1, such as 0.02, got 2$/],
    [['--headcount', 'MCOPSTN1:US:ten'], /^creditcast: --headcount: expected CAPABILITY:COUNTRY:±N% such as MCOPSTN1:US:\+10%, got "MCOPSTN1:US:ten"$/],
  ])('refuses what it cannot do, in one line: %j', (options, message) => {
    const run = runCli(['forecast', ...SAMPLE, '--scenario', 'scenarios/sample.json', ...options]);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd()).toMatch(message);
  });
});

describe('the repeat model', () => {
  // From 1 Mar 2027 the sample's history (from Thursday 1 Jan 2026) moves 60 weeks = 420 days, to
  // Thursday 25 Feb 2027: the horizon's calls are exactly the history's whose start + 420 days
  // falls in [1 Mar 2027, 1 Mar 2028), counted here from the CSV itself.
  it('shifts history whole weeks so weekdays line up', async () => {
    process.chdir(ROOT);
    const inputs = await loadInputs(['data/sample/pstn-usage.csv'], 'scenarios/sample.json', { workers: 1, wholeHistory: true });
    const start = at('2027-03-01T00:00:00Z');
    const end = at('2028-03-01T00:00:00Z');
    const plan = planRepeat(inputs.table, start, end);
    expect(plan.shiftsMs).toEqual([420 * 86_400_000]);
    const table = repeatTable(inputs.table, plan, start, end);
    let kept = 0;
    table.forEachInOrder(() => kept++);
    const rows: string[][] = parse(readFileSync(join(ROOT, 'data/sample/pstn-usage.csv'), 'utf8'), { bom: true, from_line: 2 });
    const shifted = rows.map((row) => Date.parse(row[13] as string) + 420 * 86_400_000);
    expect(kept).toBe(shifted.filter((time) => time >= start && time < end).length);
    expect(new Date(at('2026-01-01T00:00:00Z') + 420 * 86_400_000).getUTCDay()).toBe(new Date(at('2026-01-01T00:00:00Z')).getUTCDay());
  });
});
