import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempFolder, writeFiles } from '../cli-helpers.js';
import { ROOT } from '../helpers.js';

const SAMPLE = ['--cdrs', 'data/sample/pstn-usage.csv'];

describe('creditcast forecast --model repeat', () => {
  // Starting where history starts, over as many months, the repeat model shifts history by zero
  // weeks: it must reproduce the replay of history month by month.
  it('reproduces the replay of history when the horizon is the history', () => {
    const replayed = JSON.parse(runCli(['replay', ...SAMPLE, '--scenario', 'scenarios/sample.json', '--json']).stdout);
    const forecast = JSON.parse(runCli(['forecast', ...SAMPLE, '--scenario', 'scenarios/sample.json', '--horizon', '14', '--json']).stdout);
    expect(forecast.forecast.shiftsDays).toEqual([0]);
    expect(forecast.months).toEqual(replayed.months);
    expect(forecast.calls).toEqual(replayed.calls);
    expect(forecast.credits).toEqual(replayed.credits);
  });

  // From 1 Mar 2027 the sample's history (from Thursday 1 Jan 2026) moves 60 weeks = 420 days, to
  // Thursday 25 Feb 2027: the horizon's calls are the history's from 5 Jan 2026 to 5 Jan 2027.
  it('shifts history whole weeks so weekdays line up', () => {
    const folder = tempFolder();
    writeFiles(folder, { 'future.json': JSON.stringify({ start: '2027-03-01T00:00:00Z', credits: { initial: '100.00' }, rating: { rates: [join(ROOT, 'data', 'sample-rates.csv')] } }) });
    const forecast = JSON.parse(runCli(['forecast', ...SAMPLE, '--scenario', join(folder, 'future.json'), '--json']).stdout);
    expect(forecast.forecast.shiftsDays).toEqual([420]);
    expect(forecast.period).toEqual({ start: '2027-03-01T00:00:00Z', end: '2028-03-01T00:00:00Z' });
    const rows: string[][] = parse(readFileSync(join(ROOT, 'data/sample/pstn-usage.csv'), 'utf8'), { bom: true, from_line: 2 });
    const starts = rows.map((row) => Date.parse(row[13] as string));
    const inHorizon = starts.filter((at) => at + 420 * 86_400_000 >= Date.parse('2027-03-01T00:00:00Z') && at + 420 * 86_400_000 < Date.parse('2028-03-01T00:00:00Z'));
    expect(forecast.calls.read).toBe(inHorizon.length);
    expect(new Date(Date.parse('2026-01-01T00:00:00Z') + 420 * 86_400_000).getUTCDay()).toBe(new Date('2026-01-01T00:00:00Z').getUTCDay());
  });

  it.each([
    [['--model', 'bootstrap'], /^creditcast: --model: "bootstrap" is not available yet; the models built so far: repeat$/],
    [['--horizon', '0'], /^creditcast: --horizon: expected whole months from 1 to 120, got 0$/],
  ])('refuses what it cannot do, in one line: %j', (options, message) => {
    const run = runCli(['forecast', ...SAMPLE, '--scenario', 'scenarios/sample.json', ...options]);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd()).toMatch(message);
  });
});
