import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runReplay } from '../../engine/edge/run/run-replay.js';
import { foldUpn } from '../../engine/model/scenario.js';
import { DialledNumber } from '../../engine/rules/digit-trie.js';
import { tempFolder, writeFiles } from '../cli-helpers.js';
import { ROOT } from '../helpers.js';
import { rateRow, replayRows, TEST_RATES } from '../replay-helpers.js';
import { teamsCsv, type ExportRow } from '../teams-export.js';

/** Issue 12, items 1, 2 and 8, and "a recorded charge of 0.0049 is not 'no charge recorded'". */

const NFD_JURGEN = 'ju\u0308rgen@contoso.example';

describe('UPN case: one normal form (NFC, case folded) for the CDRs and credits.licensed (item 1)', () => {
  it('folds the spellings a person types or an export writes into one', () => {
    expect(foldUpn('JÜRGEN@Contoso.Example')).toBe('jürgen@contoso.example');
    expect(foldUpn(NFD_JURGEN)).toBe('jürgen@contoso.example');
    expect(foldUpn(' STRASSE@x ')).toBe(foldUpn('straße@x'));
    expect(foldUpn('ΟΔΥΣΣΕΥΣ@x')).toBe(foldUpn('οδυσσευς@x'));
    expect(foldUpn('ana@x')).not.toBe(foldUpn('anna@x'));
  });

  // MCOPSTN5: 120 minutes per user and month, sized by the users seen. Three 50-minute calls by
  // one person under three spellings: one user, a 120-minute pool; the third call needs 30
  // minutes the pool no longer has (120 - 100 = 20 left), 30 min x 0.02 = 0.60 from credits.
  // Counted as three users (the bug), the pool was 360 minutes and nothing came from credits.
  it('counts JÜRGEN, Jürgen (combining diaeresis) and jürgen in the export as one user', async () => {
    const call = (upn: string, minute: number): ExportRow => ({ upn, capability: 'MCOPSTN5', durationSeconds: 3000, startTime: `2026-01-05T1${minute}:00:00Z` });
    const result = await replayRows([call('JÜRGEN@contoso.example', 0), call(NFD_JURGEN, 1), call('jürgen@contoso.example', 2)], { credits: { initial: '10.00' } });
    expect(result.pools.map((pool) => `${pool.capability} ${pool.country} users ${pool.users} minutes ${pool.minutes}`)).toEqual(['MCOPSTN5 US users 1 minutes 120']);
    expect(result.rows.map((row) => `${row.user} ${row.funding} pool ${row.pool_s}s credit ${row.credit_s}s ${row.charge}`)).toEqual([
      'jürgen@contoso.example pool pool 3000s credit 0s ',
      'jürgen@contoso.example pool pool 3000s credit 0s ',
      'jürgen@contoso.example credits pool 1200s credit 1800s 0.60',
    ]);
  });

  // An international call on a domestic plan is paid from credits: 60 s to the UK at 0.03.
  it('lets a user listed as JÜRGEN@… pay with credits when the export spells them jürgen@… (or decomposed)', async () => {
    const toUk = (upn: string, index: number): ExportRow => ({ upn, destinationNumber: '+442071234567', startTime: `2026-01-05T1${index}:00:00Z` });
    const licensed = { credits: { initial: '10.00', licensed: ['JÜRGEN@CONTOSO.EXAMPLE', 'STRASSE@contoso.example'] } };
    const result = await replayRows([toUk('jürgen@contoso.example', 0), toUk(NFD_JURGEN, 1), toUk('straße@contoso.example', 2), toUk('ana@contoso.example', 3)], licensed);
    expect(result.rows.map((row) => `${row.user} ${row.funding} ${row.paid}`)).toEqual([
      'jürgen@contoso.example credits 0.03',
      'jürgen@contoso.example credits 0.03',
      'strasse@contoso.example credits 0.03',
      'ana@contoso.example refused ',
    ]);
  });

  it('gives the same users with the JavaScript scanner as with the WebAssembly one', () => {
    const folder = tempFolder();
    const rows = ['JÜRGEN@contoso.example', NFD_JURGEN, 'jürgen@contoso.example', 'Ana@contoso.example', 'ana@contoso.example'].map((upn, index): ExportRow => ({ upn, capability: 'MCOPSTN5', startTime: `2026-01-05T1${index}:00:00Z` }));
    writeFiles(folder, { 'cdr.csv': teamsCsv(rows), 'scenario.json': JSON.stringify({ start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z', rating: { source: 'recorded' } }) });
    const pools = (scanner: string) => {
      const run = runCliWith(['replay', '--cdrs', join(folder, 'cdr.csv'), '--scenario', join(folder, 'scenario.json'), '--json'], scanner);
      expect(run.code).toBe(0);
      return (JSON.parse(run.stdout) as { pools: { users: number; minutes: number }[] }).pools;
    };
    expect(pools('wasm')).toEqual(pools('js'));
    expect(pools('js')).toMatchObject([{ users: 2, minutes: 240 }]);
    rmSync(folder, { recursive: true, force: true });
  });
});

/** The built CLI (npm test builds it) under CREDITCAST_SCANNER=`scanner`. */
function runCliWith(args: string[], scanner: string) {
  const cli = join(ROOT, 'dist', 'engine', 'cli', 'main.js');
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, CREDITCAST_DEBUG: '', CREDITCAST_SCANNER: scanner } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('long durations: one maximum call length, 30 days, for both readers (item 2)', () => {
  // 30 days = 2,592,000 s = 720:00:00. 596524:00:00 is past 2^31 - 1 seconds: it used to wrap
  // (JavaScript) or clamp (WebAssembly) instead of being rejected.
  const durations = ['2592000', '720:00:00', '2592001', '720:00:01', '596524:00:00', '99999999999999999999999', '2147483647'];

  for (const scanner of ['js', 'wasm']) {
    it(`accepts up to 2,592,000 s and rejects beyond it with bad-duration, naming the limit (CREDITCAST_SCANNER=${scanner})`, () => {
      const folder = tempFolder();
      const rows = durations.map((durationSeconds, index): ExportRow => ({ durationSeconds, endTime: '', startTime: `2026-01-0${index + 1}T10:00:00Z` }));
      writeFiles(folder, { 'cdr.csv': teamsCsv(rows), 'scenario.json': JSON.stringify({ start: '2026-01-01T00:00:00Z', end: '2026-03-01T00:00:00Z', rating: { source: 'recorded' } }) });
      const rejects = join(folder, 'rejects.csv');
      const explain = join(folder, 'explain.csv');
      const run = runCliWith(['replay', '--cdrs', join(folder, 'cdr.csv'), '--scenario', join(folder, 'scenario.json'), '--json', '--rejects', rejects, '--explain', explain], scanner);
      expect(run.code).toBe(0);
      const json = JSON.parse(run.stdout) as { calls: { read: number; rejected: number }; rejects: { byReason: Record<string, number> } };
      expect(json.calls).toMatchObject({ read: 7, rejected: 5 });
      expect(json.rejects.byReason).toEqual({ 'bad-duration': 5 });
      const rejectLines = readLines(rejects);
      expect(rejectLines[1]).toMatch(/^.*cdr\.csv,4,bad-duration,"?Duration ""2592001"" is longer than the longest call read, 2592000 seconds \(30 days\)/);
      expect(rejectLines.slice(1).map((line) => line.split(',')[1])).toEqual(['4', '5', '6', '7', '8']);
      // The two accepted calls last exactly 30 days, whichever way written.
      expect(readLines(explain).slice(1).map((line) => line.split(',')[7])).toEqual(['2592000', '2592000']);
      rmSync(folder, { recursive: true, force: true });
    });
  }
});

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8').trimEnd().split(/\r?\n/);
}

describe('numbers made of anything: one grammar, (0) trunk dropped, else bad-number (item 8)', () => {
  const read = (text: string) => {
    const number = new DialledNumber().readString(text);
    return number.valid ? `${number.text()}${number.masked ? '*' : ''}` : 'bad';
  };

  it.each([
    ['+14255550100', '14255550100'],
    ['+1 (425) 555-0100', '14255550100'],
    ['425.555.0100', '4255550100'],
    ['+44 (0)7801 637760', '447801637760'],
    ['+44(0)20 7946 0000', '442079460000'],
    ['(0)7801 637760', '07801637760'],
    ['+44 (20) 7946 0000', '442079460000'],
    ['+49 150 07550***', '4915007550*'],
    ['+4930123456XX', '4930123456*'],
    ['911', '911'],
    ['', ''],
    ['=1+1', 'bad'],
    ['1+1', 'bad'],
    ['++44', 'bad'],
    ['+', 'bad'],
    ['tel:+14255550100', 'bad'],
    ['+1 425 555 01OO', 'bad'],
    ['+4930123***4', 'bad'],
    ['+44 (0 7801', 'bad'],
    ['+44 0) 7801', 'bad'],
    ['+44 ((0)) 7801', 'bad'],
    ['+1\u00a0425', 'bad'],
    ['1'.repeat(32), '1'.repeat(32)],
    ['1'.repeat(33), 'bad'],
  ])('%j reads as %j', (text, expected) => {
    expect(read(text)).toBe(expected);
  });

  // A US user on MCOPSTN1 calls the UK: international, from credits. Rates: 44 at 0.03, 447
  // (mobiles) at 0.10. With the (0) kept, +44 (0)7801 637760 read as 4407801637760: a landline at 0.03.
  it('rates +44 (0)7801 637760 as a UK mobile, and rejects =1+1 with bad-number naming the number', async () => {
    const rates = [...TEST_RATES, rateRow('outbound', '447', '0.10')];
    const rows: ExportRow[] = [
      { destinationNumber: '+44 (0)7801 637760' },
      { destinationNumber: '=1+1' },
      { callType: 'user_in', callerId: '+1 425 555 0199 ext', destinationNumber: '' },
    ];
    const result = await replayRows(rows, { credits: { initial: '10.00' } }, rates);
    expect(result.rows.map((row) => `${row.line} ${row.number} ${row.destination} ${row.charge}`)).toEqual(['2 447801637760 outbound 447 0.10']);
    expect(result.rejects.map((reject) => `${reject.line} ${reject.reason}: ${reject.detail}`)).toEqual([
      '3 bad-number: the dialled number "=1+1" is not a phone number: expected an optional +, digits, spaces, -, ., (…) and a trailing * mask',
      '4 bad-number: the receiving number "+1 425 555 0199 ext" is not a phone number: expected an optional +, digits, spaces, -, ., (…) and a trailing * mask',
    ]);
    expect(result.calls).toMatchObject({ read: 3, rejected: 2, credits: 1 });
  });

  it('rejects a Graph row whose calleeNumber is not a number, by its position', async () => {
    const folder = tempFolder();
    const row = (id: string, calleeNumber: string) => ({
      id, userPrincipalName: 'ana@contoso.example', startDateTime: '2026-01-05T10:00:00Z', endDateTime: '2026-01-05T10:01:00Z', duration: 60,
      callType: 'user_out', currency: 'USD', calleeNumber, callerNumber: '+14255550199', usageCountryCode: 'US', licenseCapability: 'MCOPSTN1',
    });
    writeFileSync(join(folder, 'calls.json'), JSON.stringify({ value: [row('g1', '+1 (212) 555-0100'), row('g2', '@SUM(1+1)')] }));
    writeFileSync(join(folder, 'scenario.json'), JSON.stringify({ start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z', rating: { source: 'recorded' } }));
    const result = await runReplay([join(folder, 'calls.json')], join(folder, 'scenario.json'), { workers: 1 });
    expect(result.calls).toMatchObject({ read: 2, rejected: 1, pool: 1 });
    expect(result.rejects.map((reject) => `${reject.line} ${reject.reason}`)).toEqual(['2 bad-number']);
    rmSync(folder, { recursive: true, force: true });
  });
});

describe('a recorded charge under one minor unit is a charge, not "no charge recorded"', () => {
  // rating.source "recorded": 0.0049 rounds half-up to 0.00 but the vendor did charge it, so the
  // call is credit-funded (no pool drawn) at 0.00; 0.005 rounds to 0.01; 0 (and empty) is no charge.
  it('settles 0.0049 as a credit-funded call of 0.00 and says why', async () => {
    const rows: ExportRow[] = [
      { charge: '0.0049', startTime: '2026-01-05T10:00:00Z' },
      { charge: '0.005', startTime: '2026-01-05T11:00:00Z' },
      { charge: '0', startTime: '2026-01-05T12:00:00Z' },
      { charge: '0.0049', upn: 'bo@contoso.example', startTime: '2026-01-05T13:00:00Z' },
    ];
    const result = await replayRows(rows, { credits: { initial: '1.00', licensed: ['ana@contoso.example'] }, rating: { source: 'recorded' } }, []);
    expect(result.rows.map((row) => `${row.line} ${row.funding} ${row.why} | charge ${row.charge} paid ${row.paid} pool_s ${row.pool_s}`)).toEqual([
      '2 credits recorded charge under one minor unit, rounded to 0 | charge 0.00 paid  pool_s 0',
      '3 credits recorded charge | charge 0.01 paid 0.01 pool_s 0',
      '4 pool no charge recorded; drawn from the pool | charge  paid  pool_s 60',
      '5 refused no Communications Credits licence | charge 0.00 paid  pool_s 0',
    ]);
    expect(result.calls).toMatchObject({ read: 4, credits: 2, pool: 1, refused: 1, free: 0 });
    expect(result.credits).toMatchObject({ spentMicros: 10_000, closingMicros: 990_000 });
  });
});
