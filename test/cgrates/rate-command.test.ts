import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rateCommand } from '../../engine/cli/rate-command.js';
import { loadTariffPlan } from '../../engine/edge/load/load-tariff-plan.js';
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
    expectInputError([...PEAK_CALL, '--start', '2014-01-15T08:00:00Z', '--usage', '60s'], '--start: given 2 times, expected once');
    // The rest in this thread: the same checks, without a process each.
    const base: Parameters<typeof rateCommand>[0] = { 'tariff-plan': join(TP, 'oldtutorial'), tenant: 'cgrates.org', category: 'call', subject: '1001', destination: '1002', start: '2014-01-15T07:59:30Z', end: undefined, usage: '60s', tor: 'voice', 'increment-decimals': 5, 'cost-api': 'responder', json: true };
    const refused = (change: Partial<Parameters<typeof rateCommand>[0]>) => () => rateCommand({ ...base, ...change });
    expect(refused({ usage: undefined })).toThrow('--end, --usage: expected exactly one');
    expect(refused({ usage: '1 minute' })).toThrow('--usage: expected a Go duration such as 90s or 1m30s, or a whole number of nanoseconds, up to 30 days, got "1 minute"');
    expect(refused({ usage: '31d' })).toThrow('--usage');
    expect(refused({ tor: 'sms' })).toThrow('--tor: expected voice or data, got "sms"');
    expect(refused({ 'cost-api': 'cdrs' })).toThrow('--cost-api: expected responder or apier, got "cdrs"');
    expect(refused({ 'increment-decimals': 11 })).toThrow('--increment-decimals: expected a whole number from 0 to 10, got 11');
    expect(refused({ start: 'yesterday' })).toThrow('--start: expected an ISO 8601 instant such as 2026-03-02T18:30:00+01:00, got "yesterday"');
    expect(refused({ usage: undefined, end: '2014-01-15T07:00:00Z' })).toThrow('--end: 2014-01-15T07:00:00Z is before --start');
    expect(refused({ subject: ' ' })).toThrow('--subject: expected a value, got an empty one');
  });

  it('refuses a bad tariff plan naming file:line, the field and its value', () => {
    const badRate = brokenPlan('Rates.csv', '#Id,ConnectFee,Rate,RateUnit,RateIncrement,GroupIntervalStart\nRT_10CNT,0.2,0.1,60s,60s,0s\nRT_10CNT,0,ten,60s,1s,60s\n');
    expectInputError(['rate', '--tariff-plan', badRate, ...PEAK_CALL.slice(3), '--usage', '60s'], 'Rates.csv:3: Rate "ten" is not a non-negative decimal');
    const loading = (file: string, text: string) => () => loadTariffPlan(brokenPlan(file, text));
    expect(loading('Rates.csv', '#Id,ConnectFee,Rate,RateUnit,RateIncrement,GroupIntervalStart\nRT_10CNT,0.2,0.1,1 min,60s,0s\n')).toThrow(/Rates\.csv:2: RateUnit "1 min" is not a duration/);
    expect(loading('Rates.csv', '#Id,ConnectFee,Rate,RateUnit,RateIncrement,GroupIntervalStart\nRT_10CNT,0.2,0.1,60s,60s,30s\n')).toThrow(/Rates\.csv:2: rate "RT_10CNT" has no slot at GroupIntervalStart 0/);
    expect(loading('RatingPlans.csv', '#Id,DestinationRatesId,TimingTag,Weight\nRP_RETAIL2,DR_NOPE,*any,10\n')).toThrow(/RatingPlans\.csv:2: DestinationRatesId "DR_NOPE" is not an ID of DestinationRates/);
    expect(loading('RatingProfiles.csv', 'cgrates.org,call,1001,2014-01-14T00:00:00Z,RP_RETAIL2\n')).toThrow(/RatingProfiles\.csv:1: 5 fields, expected 6/);
    expect(loading('RatingProfiles.csv', 'cgrates.org,call,1001,14 Jan 2014,RP_RETAIL2,\n')).toThrow(/RatingProfiles\.csv:1: ActivationTime "14 Jan 2014" is not an ISO 8601 instant/);
    expect(loading('Timings.csv', 'PEAK,*any,*any,*any,1;2;3;4;5,8am\n')).toThrow(/Timings\.csv:1: Time "8am" is not a time of day/);
    expect(loading('Timings.csv', 'PEAK,*any,*any,*any,1;8,08:00:00\n')).toThrow(/Timings\.csv:1: WeekDays "1;8" is not \*any or ;-separated whole numbers from 0 to 7/);
    expect(loading('DestinationRates.csv', 'DR_1002_20CNT,DST_1002,RT_20CNT,*ceil,4,0,\n')).toThrow(/DestinationRates\.csv:1: RoundingMethod "\*ceil" is not a rounding method/);
    expect(() => loadTariffPlan(join(TP, 'nothing-here'))).toThrow(/no Destinations\.csv/);
  });
});
