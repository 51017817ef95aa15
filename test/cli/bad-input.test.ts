import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempFolder, writeFiles } from '../cli-helpers.js';
import { FIXTURES } from '../helpers.js';

const SCENARIO = join(FIXTURES, 'scenario.json');
const TEAMS = join(FIXTURES, 'teams-small.csv');
const HEADER =
  'UsageId,Call ID,Conference ID,User Location,AAD ObjectId,UPN,User Display Name,Caller ID,Call Type,Number Type,Domestic/International,Destination Dialed,Destination Number,Start Time,End Time,Duration Seconds,Connection Fee,Charge,Currency,Capability';

/** One line on stderr, no stack trace, and the exit code. */
function expectOneLineError(run: ReturnType<typeof runCli>, code: number, message: string | RegExp): void {
  expect(run.code).toBe(code);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(run.stderr).not.toMatch(/\bat .*\.js:\d+/);
}

let folder: string;
beforeAll(() => {
  folder = tempFolder();
  writeFiles(folder, {
    'rates.csv': readFileSync(join(FIXTURES, 'rates.csv'), 'utf8'),
    'no-start.csv': `${HEADER.replace('Start Time,', '')}\n`,
    'bad-rates.csv': 'service,prefix,destination,per_minute,connection_fee,currency\noutbound,1,US,0.02,0,USD\noutbound,44,UK,cheap,0,USD\n',
    'euro-rates.csv': 'service,prefix,destination,per_minute,connection_fee,currency\noutbound,1,US,0.02,0,EUR\n',
    'twice-rates.csv': 'service,prefix,destination,per_minute,connection_fee,currency,Prefix\noutbound,1,US,0.02,0,USD,44\n',
    'uses-twice-rates.json': JSON.stringify({ start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z', credits: { initial: '50.00' }, rating: { rates: ['twice-rates.csv'] } }),
    'rates-here.json': JSON.stringify({ start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z', rating: { rates: ['.'] } }),
    'bad-prefix-rates.csv': 'service,prefix,destination,per_minute,connection_fee,currency\noutbound,+1-212,US,0.02,0,USD\n',
    'broken.json': '{ "currency": "USD", ',
    'bad-trigger.json': JSON.stringify({ credits: { autoRecharge: { trigger: 'ten', amount: '50.00' } }, rating: { rates: ['rates.csv'] } }),
    'unknown-key.json': JSON.stringify({ credits: { intial: '50.00' }, rating: { rates: ['rates.csv'] } }),
    'cents.json': JSON.stringify({ credits: { initial: '50.005' }, rating: { rates: ['rates.csv'] } }),
    'below-minimum.json': JSON.stringify({ credits: { initial: '20.00' }, rating: { rates: ['rates.csv'] } }),
    'to-mode.json': JSON.stringify({ credits: { autoRecharge: { trigger: '100.00', amount: '100.00', mode: 'to' } }, rating: { rates: ['rates.csv'] } }),
    'no-rates.json': JSON.stringify({ rating: { source: 'rates', rates: [] } }),
    'uses-bad-rates.json': JSON.stringify({ start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z', credits: { initial: '50.00' }, rating: { rates: ['bad-rates.csv'] } }),
    'uses-euro-rates.json': JSON.stringify({ start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z', credits: { initial: '50.00' }, rating: { rates: ['euro-rates.csv'] } }),
    'uses-bad-prefix.json': JSON.stringify({ start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z', credits: { initial: '50.00' }, rating: { rates: ['bad-prefix-rates.csv'] } }),
    'early-topup.json': JSON.stringify({ credits: { initial: '50.00', topups: [{ at: '2025-06-01T00:00:00Z', amount: '50.00' }] }, rating: { rates: ['rates.csv'] } }),
    'missing-rates.json': JSON.stringify({ start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z', credits: { initial: '50.00' }, rating: { rates: ['nowhere.csv'] } }),
  });
});

describe('file-level problems stop the run with one line and exit 2', () => {
  it.each<[string, string[], RegExp]>([
    ['a missing CDR file', ['--cdrs', 'nope.csv', '--scenario', SCENARIO], /^creditcast: nope\.csv: cannot read \(no such file\)$/],
    ['a missing required column', ['--cdrs', 'no-start.csv', '--scenario', SCENARIO], /^creditcast: no-start\.csv:1: missing required column "Start Time" for a Teams PSTN usage export \(header has: UsageId, /],
    ['a missing scenario', ['--cdrs', TEAMS, '--scenario', 'none.json'], /^creditcast: none\.json: cannot read \(no such file\)$/],
    ['a scenario that is not JSON', ['--cdrs', TEAMS, '--scenario', 'broken.json'], /^creditcast: broken\.json: not valid JSON \(/],
    ['a bad amount in the scenario', ['--cdrs', TEAMS, '--scenario', 'bad-trigger.json'], /^creditcast: bad-trigger\.json: credits\.autoRecharge\.trigger: expected a non-negative decimal amount as a string, like "100\.00" \(got "ten"\)$/],
    ['an unknown scenario key', ['--cdrs', TEAMS, '--scenario', 'unknown-key.json'], /^creditcast: unknown-key\.json: credits: Unrecognized key: "intial"/],
    ['more decimals than the currency has', ['--cdrs', TEAMS, '--scenario', 'cents.json'], /^creditcast: cents\.json: credits\.initial: "50\.005" has more decimals than USD allows \(2\)$/],
    ['a purchase below the vendor minimum', ['--cdrs', TEAMS, '--scenario', 'below-minimum.json'], /^creditcast: below-minimum\.json: credits\.initial: 20\.00 is below the minimum purchase of 50\.00 \(credits\.minimumPurchase\)$/],
    ['a fill-up level not above the trigger', ['--cdrs', TEAMS, '--scenario', 'to-mode.json'], /^creditcast: to-mode\.json: credits\.autoRecharge\.amount: in mode "to" the level to fill up to \(100\.00\) must be above the trigger \(100\.00\)$/],
    ['re-rating without a rate table', ['--cdrs', TEAMS, '--scenario', 'no-rates.json'], /^creditcast: no-rates\.json: rating\.rates: list at least one rate table/],
    ['a column named twice in a rate table', ['--cdrs', TEAMS, '--scenario', 'uses-twice-rates.json'], /^creditcast: twice-rates\.csv:1: column "Prefix" appears twice \(columns 2 and 7\)$/],
    ['a rate table that is the working folder itself', ['--cdrs', TEAMS, '--scenario', 'rates-here.json'], /^creditcast: \.: cannot read \(is a directory\)$/],
    ['a bad price in a rate table', ['--cdrs', TEAMS, '--scenario', 'uses-bad-rates.json'], /^creditcast: bad-rates\.csv:3: per_minute "cheap" is not a non-negative decimal price with at most 6 decimals$/],
    ['a rate table in another currency', ['--cdrs', TEAMS, '--scenario', 'uses-euro-rates.json'], /^creditcast: euro-rates\.csv:2: currency "EUR" is not the scenario's currency USD$/],
    ['a prefix that is not digits', ['--cdrs', TEAMS, '--scenario', 'uses-bad-prefix.json'], /^creditcast: bad-prefix-rates\.csv:2: prefix "\+1-212" is not E\.164 digits/],
    ['a missing rate table', ['--cdrs', TEAMS, '--scenario', 'missing-rates.json'], /^creditcast: nowhere\.csv: cannot read \(no such file\)$/],
    ['a top-up outside the period the CDRs give', ['--cdrs', TEAMS, '--scenario', 'early-topup.json'], /^creditcast: early-topup\.json: credits\.topups: a top-up at 2025-06-01T00:00:00Z is outside the period 2026-01-01T00:00:00Z to 2026-02-01T00:00:00Z$/],
    ['a bad --max-rejects', ['--cdrs', TEAMS, '--scenario', SCENARIO, '--max-rejects', '-1'], /^creditcast: --max-rejects: expected a whole number of rows, 0 or more, got -1$/],
    ['an unknown option', ['--cdrs', TEAMS, '--scenario', SCENARIO, '--colour'], /^creditcast: Unknown argument: colour$/],
    ['a missing option', ['--cdrs', TEAMS], /^creditcast: Missing required argument: scenario$/],
  ])('%s', (_title, args, message) => {
    expectOneLineError(runCli(['replay', ...args], folder), 2, message);
  });

  it('an output file it cannot write', () => {
    expectOneLineError(runCli(['replay', '--cdrs', TEAMS, '--scenario', SCENARIO, '--events', join(folder, 'no', 'such', 'dir.csv')]), 2, /dir\.csv: cannot write \(ENOENT\)$/);
  });
});

describe('row-level problems reject the row and the run goes on', () => {
  // teams-small.csv has one row of each kind the issue lists, plus two good-looking rows the replay rejects.
  it('lists every rejected row with file, line, reason and the raw row', () => {
    const rejects = join(folder, 'rejects.csv');
    const run = runCli(['replay', '--cdrs', TEAMS, '--scenario', SCENARIO, '--rejects', rejects]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Rejected 10 row(s)');
    const lines = readFileSync(rejects, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('file,line,reason,detail,raw');
    const reasons = lines.slice(1).map((line) => line.split(',').slice(1, 3).join(' '));
    expect(reasons).toEqual([
      '6 bad-time', '7 end-before-start', '8 bad-duration', '9 bad-duration', '10 unknown-call-type',
      '11 unknown-capability', '12 currency-mismatch', '13 duplicate-usage-id', '14 malformed-row', '15 no-rate',
    ]);
  });

  it('fails past --max-rejects, naming the first rejected row', () => {
    expectOneLineError(
      runCli(['replay', '--cdrs', TEAMS, '--scenario', SCENARIO, '--max-rejects', '9']),
      2,
      /teams-small\.csv:6: bad-time: Start Time "2026-02-30T10:00:00Z" is not an ISO 8601 instant \(10 row\(s\) rejected, more than --max-rejects 9\)$/,
    );
    expect(runCli(['replay', '--cdrs', TEAMS, '--scenario', SCENARIO, '--max-rejects', '10']).code).toBe(0);
  });

  it('--strict fails on the first rejected row', () => {
    expectOneLineError(runCli(['replay', '--cdrs', TEAMS, '--scenario', SCENARIO, '--strict']), 2, /teams-small\.csv:6: bad-time: .*more than --max-rejects 0\)$/);
  });
});
