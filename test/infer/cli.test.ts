import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempFolder, writeFiles } from '../cli-helpers.js';
import { teamsCsv } from '../teams-export.js';
import { FIXTURES } from '../helpers.js';

/** Two Pay-As-You-Go calls to the UK, 1 and 3 minutes at 0.025/min over 60/60: 0.03 (half-up) and 0.08 (0.075 half-up). */
const UK_CALLS = [
  { destinationNumber: '+442071234567', durationSeconds: 60, charge: '0.03', connectionFee: '0', capability: 'MCOPSTN_PAYG_1' },
  { destinationNumber: '+442071234568', durationSeconds: 180, charge: '0.08', connectionFee: '0', capability: 'MCOPSTN_PAYG_1', startTime: '2026-01-06T10:00:00Z' },
];

function folderWith(rows: Parameters<typeof teamsCsv>[0]): string {
  const folder = tempFolder();
  writeFiles(folder, { 'cdr.csv': teamsCsv(rows) });
  return folder;
}

describe('creditcast rates infer on the command line', () => {
  it('prints the table on stdout and the summary on stderr', () => {
    const folder = folderWith(UK_CALLS);
    const run = runCli(['rates', 'infer', '--cdrs', join(folder, 'cdr.csv'), '--workers', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter((line) => !line.startsWith('#'))).toEqual([
      'service,prefix,destination,per_minute,connection_fee,currency,first_increment_s,next_increment_s,effective_from',
      'outbound,44,GB +44,0.025,0,USD,60,60,',
      '',
    ]);
    expect(run.stderr).toContain('learned from 2 wholly credit-funded rows: 2 reproduced exactly by 1 table rows');
  });

  it('rejects rows as replay does, and writes them with --rejects', () => {
    const folder = folderWith([...UK_CALLS, { destinationNumber: '=1+1', charge: '0.10', connectionFee: '0', capability: 'MCOPSTN_PAYG_1' }]);
    const run = runCli(['rates', 'infer', '--cdrs', join(folder, 'cdr.csv'), '--out', join(folder, 'rates.csv'), '--rejects', join(folder, 'rejects.csv'), '--workers', '1']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('3 rows read, 1 rejected, 2 with a recorded charge');
    expect(readFileSync(join(folder, 'rejects.csv'), 'utf8').split('\n')[1]).toMatch(new RegExp(`^${join(folder, 'cdr.csv')},4,bad-number,`));
  });

  it.each([
    [['--currency', 'dollars'], 'creditcast: --currency: expected an ISO 4217 code such as USD, got "dollars"\n'],
    [['--workers', '0'], /^creditcast: --workers: expected a whole number from 1 to \d+/],
    [['--chunk-size', '1'], 'creditcast: --chunk-size: expected a size from 4KiB to 1GiB such as 64KiB or 8MiB, got "1"\n'],
  ])('refuses bad options in one line, exit 2: %j', (options, message) => {
    const folder = folderWith(UK_CALLS);
    const run = runCli(['rates', 'infer', '--cdrs', join(folder, 'cdr.csv'), ...options]);
    expect(run.code).toBe(2);
    if (typeof message === 'string') expect(run.stderr).toBe(message);
    else expect(run.stderr).toMatch(message);
  });

  it('refuses an output over an input before reading anything, and a missing CDR file names it', () => {
    const folder = folderWith(UK_CALLS);
    const cdrs = join(folder, 'cdr.csv');
    const over = runCli(['rates', 'infer', '--cdrs', cdrs, '--out', cdrs]);
    expect([over.code, over.stderr]).toEqual([2, `creditcast: --out: ${cdrs} is the same file as the input ${cdrs}; choose another output file\n`]);
    expect(readFileSync(cdrs, 'utf8')).toBe(teamsCsv(UK_CALLS));
    const missing = runCli(['rates', 'infer', '--cdrs', join(folder, 'none.csv'), '--out', join(folder, 'rates.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^creditcast: .*none\.csv: cannot read/);
    expect(existsSync(join(folder, 'rates.csv'))).toBe(false);
  });

  it.each([
    // The fixtures' charged rows: DE 0.03 for a minute, JP 0.07 (Teams export only), toll-free US 0.02 a minute.
    ['teams-small.csv', ['outbound,49,DE +49,0.03,0,USD,60,60,', 'outbound,81,JP +81,0.07,0,USD,60,60,', 'tollfree_in,1,US +1 toll-free,0.02,0,USD,60,60,']],
    ['legacy-sfb.csv', ['outbound,49,DE +49,0.03,0,USD,60,60,', 'tollfree_in,1,US +1 toll-free,0.02,0,USD,60,60,']],
    ['graph-pages.json', ['outbound,49,DE +49,0.03,0,USD,60,60,', 'tollfree_in,1,US +1 toll-free,0.02,0,USD,60,60,']],
  ])('reads every input format replay reads: %s', (fixture, rows) => {
    const run = runCli(['rates', 'infer', '--cdrs', join(FIXTURES, fixture), '--workers', '1']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('#')).slice(1)).toEqual(rows);
  });

  it('needs a subcommand', () => {
    const run = runCli(['rates']);
    expect([run.code, run.stderr]).toEqual([2, 'creditcast: name a subcommand: infer\n']);
  });

  it('keeps control characters out of the summary (a number is from the input)', () => {
    const folder = folderWith(UK_CALLS);
    writeFiles(folder, { 'cdr\u001b[31m.csv': teamsCsv(UK_CALLS) });
    const run = runCli(['rates', 'infer', '--cdrs', join(folder, 'cdr\u001b[31m.csv'), '--workers', '1']);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('\u001b');
    expect(run.stdout).not.toContain('\u001b');
  });
});
