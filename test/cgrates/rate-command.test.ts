import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempFolder, writeFiles } from '../cli-helpers.js';

const TP = join(import.meta.dirname, 'tp');
const PEAK_CALL = ['rate', '--tariff-plan', join(TP, 'oldtutorial'), '--tenant', 'cgrates.org', '--category', 'call', '--subject', '1001', '--destination', '1002', '--start', '2014-01-15T07:59:30Z'];

/** One line on stderr, exit 2, saying what the user must hear. */
function expectInputError(args: string[], ...parts: string[]): void {
  const run = runCli(args);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  for (const part of parts) expect(run.stderr).toContain(part);
}

/** A copy of oldtutorial with one file replaced. */
function brokenPlan(file: string, text: string): string {
  const folder = tempFolder();
  cpSync(join(TP, 'oldtutorial'), folder, { recursive: true });
  writeFiles(folder, { [file]: text });
  return folder;
}

describe('creditcast rate', () => {
  it('prints the cost, the connect fee and each span as JSON', () => {
    // Worked by hand in rate-call.test.ts: 0.2 + 0.1 (07:59:30-08:00:30) + 0.0501 (08:00:30-08:01:00) = 0.3501.
    const run = runCli([...PEAK_CALL, '--usage', '90s', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout) as { cost: string; connectFee: string; spans: Record<string, unknown>[] };
    expect(json.cost).toBe('0.3501');
    expect(json.connectFee).toBe('0.2');
    expect(json.spans).toEqual([
      { start: '2014-01-15T07:59:30.000Z', end: '2014-01-15T08:00:30.000Z', ratingPlan: 'RP_RETAIL2', destinationId: 'DST_1002', timing: 'OFFPEAK_MORNING', rateId: 'RT_10CNT', slot: { index: 0, groupIntervalStart: '0s' }, increment: '60s', increments: 1, incrementCost: '0.1', billedSeconds: '60', cost: '0.1' },
      { start: '2014-01-15T08:00:30.000Z', end: '2014-01-15T08:01:00.000Z', ratingPlan: 'RP_RETAIL2', destinationId: 'DST_1002', timing: 'PEAK', rateId: 'RT_20CNT', slot: { index: 1, groupIntervalStart: '60s' }, increment: '1s', increments: 30, incrementCost: '0.00167', billedSeconds: '30', cost: '0.0501' },
    ]);
  });

  it('takes --end as the same call as --usage, and the G and API options', () => {
    const byEnd = runCli([...PEAK_CALL, '--end', '2014-01-15T08:01:00Z', '--json']);
    expect(JSON.parse(byEnd.stdout).cost).toBe('0.3501');
    // G6, APIerSv1: 0.2 + 0.1 + 30 x 0.001667 = 0.35001, not rounded to 4 decimals.
    const apier = runCli([...PEAK_CALL, '--usage', '1m30s', '--increment-decimals', '6', '--cost-api', 'apier', '--json']);
    expect(JSON.parse(apier.stdout).cost).toBe('0.35001');
  });

  it('prints a table without --json, marking a last digit CGRateS rounds differently', () => {
    const run = runCli([...PEAK_CALL, '--usage', '90s']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual(['cost 0.3501 (connect fee 0.2)', expect.stringMatching(/^start +end +destination +timing +rate +slot +increment +billed s +cost$/)]);
    expect(run.stdout).toContain('30 x 1s    30        0.0501');
    // The 0.03333 of rate-call.test.ts: 60-80 s at 2 x 0.03333, CGRateS's float side, starred.
    const noisy = runCli([...PEAK_CALL.slice(0, 10), '1003', '--start', '2014-03-05T10:00:00Z', '--usage', '75s', '--cost-api', 'apier']);
    expect(noisy.stdout).toContain('0.06666 *');
    expect(noisy.stdout).toContain("CGRateS's float rounding");
  });

  it("says CGRateS's error and what was looked up when there is no profile or no rate", () => {
    expectInputError([...PEAK_CALL.slice(0, 3), '--tenant', 'nobody.org', ...PEAK_CALL.slice(5), '--usage', '60s'], 'RATING_PLAN_NOT_FOUND', 'tenant "nobody.org", category "call", subject "1001"');
    expectInputError([...PEAK_CALL.slice(0, 10), '555', ...PEAK_CALL.slice(11), '--usage', '60s'], 'UNAUTHORIZED_DESTINATION', 'destination "555"', 'RP_RETAIL2');
  });

  it('refuses bad options in one line naming the option', () => {
    expectInputError([...PEAK_CALL, '--usage', '60s', '--end', '2014-01-15T08:01:00Z'], '--end, --usage: expected exactly one');
    expectInputError([...PEAK_CALL], '--end, --usage: expected exactly one');
    expectInputError([...PEAK_CALL, '--usage', '1 minute'], '--usage', '"1 minute"');
    expectInputError([...PEAK_CALL, '--usage', '60s', '--tor', 'sms'], '--tor', '"sms"');
    expectInputError([...PEAK_CALL, '--usage', '60s', '--cost-api', 'cdrs'], '--cost-api', '"cdrs"');
    expectInputError([...PEAK_CALL, '--usage', '60s', '--increment-decimals', '11'], '--increment-decimals', '11');
    expectInputError([...PEAK_CALL.slice(0, 11), '--start', 'yesterday', '--usage', '60s'], '--start', '"yesterday"');
    expectInputError([...PEAK_CALL, '--start', '2014-01-15T08:00:00Z', '--usage', '60s'], '--start: given 2 times, expected once');
    expectInputError([...PEAK_CALL, '--end', '2014-01-15T07:00:00Z'], '--end', 'before --start');
  });

  it('refuses a bad tariff plan naming file:line, the field and its value', () => {
    const args = (folder: string) => ['rate', '--tariff-plan', folder, ...PEAK_CALL.slice(3), '--usage', '60s'];
    const badRate = brokenPlan('Rates.csv', '#Id,ConnectFee,Rate,RateUnit,RateIncrement,GroupIntervalStart\nRT_10CNT,0.2,0.1,60s,60s,0s\nRT_10CNT,0,ten,60s,1s,60s\n');
    expectInputError(args(badRate), 'Rates.csv:3: Rate "ten" is not a non-negative decimal');
    const badUnit = brokenPlan('Rates.csv', '#Id,ConnectFee,Rate,RateUnit,RateIncrement,GroupIntervalStart\nRT_10CNT,0.2,0.1,1 min,60s,0s\n');
    expectInputError(args(badUnit), 'Rates.csv:2: RateUnit "1 min" is not a duration');
    const dangling = brokenPlan('RatingPlans.csv', '#Id,DestinationRatesId,TimingTag,Weight\nRP_RETAIL2,DR_NOPE,*any,10\n');
    expectInputError(args(dangling), 'RatingPlans.csv:2: DestinationRatesId "DR_NOPE" is not an ID of DestinationRates');
    const short = brokenPlan('RatingProfiles.csv', 'cgrates.org,call,1001,2014-01-14T00:00:00Z,RP_RETAIL2\n');
    expectInputError(args(short), 'RatingProfiles.csv:1: 5 fields, expected 6');
    const badTime = brokenPlan('Timings.csv', 'PEAK,*any,*any,*any,1;2;3;4;5,8am\n');
    expectInputError(args(badTime), 'Timings.csv:1: Time "8am" is not a time of day');
    expectInputError(args(join(TP, 'nothing-here')), 'no Destinations.csv');
  });
});
