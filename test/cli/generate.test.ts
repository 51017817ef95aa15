import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runCli, tempFolder } from '../cli-helpers.js';
import { ROOT } from '../helpers.js';

describe('creditcast generate', () => {
  it('makes the bundled sample tenant again, byte for byte, from the command in the README', () => {
    const folder = tempFolder();
    const run = runCli(['generate', '--rows', '2000', '--users', '12', '--months', '14', '--seed', '2026', '--out', folder]);
    expect(run.code).toBe(0);
    expect(readFileSync(join(folder, 'pstn.csv'))).toEqual(readFileSync(join(ROOT, 'data', 'sample', 'pstn-usage.csv')));
    expect(readFileSync(join(folder, 'rates.csv'), 'utf8')).toBe(readFileSync(join(ROOT, 'data', 'sample-rates.csv'), 'utf8'));
  });

  // 140,000 rows are three blocks of 65,536: block 0 in the main thread, the others on the pool.
  it('writes the same bytes for any number of workers', () => {
    const make = (workers: number) => {
      const folder = tempFolder();
      const run = runCli(['generate', '--rows', '140000', '--users', '50', '--months', '2', '--seed', '9', '--workers', String(workers), '--out', folder]);
      expect(run.code).toBe(0);
      return readFileSync(join(folder, 'pstn.csv'));
    };
    const one = make(1);
    const lines = one.toString('utf8').split('\r\n');
    expect(lines).toHaveLength(140_002);
    // Every block draws from a stream of its own: no UsageId comes twice.
    expect(new Set(lines.slice(1, -1).map((line) => line.slice(0, 36))).size).toBe(140_000);
    expect(make(2).equals(one)).toBe(true);
    expect(make(3).equals(one)).toBe(true);
  });

  it('refuses a bad --workers with a one-line error', () => {
    const run = runCli(['generate', '--rows', '10', '--workers', '0', '--out', tempFolder()]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`creditcast: --workers: expected a whole number from 1 to ${Math.min(256, 4 * availableParallelism())} (4 per core, ${availableParallelism()} core(s) here), got 0`);
  });
});
