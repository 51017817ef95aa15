import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempFolder, onlyWarnings } from '../cli-helpers.js';
import { ROOT } from '../helpers.js';

/**
 * Peak memory grows with the calls by their columns only: no object is kept per call. Measured as
 * the growth of peak RSS from 30,000 to 300,000 generated calls, each replay in its own process.
 * At this size V8's heap sizing adds noise (about 120 bytes a call measured here), hence the bound of
 * 200, still far below an object per call; at 10M calls the README states the figure measured
 * with npm run bench, which prints the peak RSS of each replay (under 20 bytes a call since a
 * replay of one export fills the memory of the ranges it has passed again).
 */
const CLI = join(ROOT, 'dist', 'engine', 'cli', 'main.js');
const RUN = join(ROOT, 'dist', 'engine', 'edge', 'run', 'run-replay.js');
let folder: string;

beforeAll(() => {
  folder = tempFolder();
  for (const rows of [30_000, 300_000]) {
    const generated = spawnSync(process.execPath, [CLI, 'generate', '--rows', String(rows), '--users', '2000', '--seed', '3', '--out', join(folder, String(rows))]);
    expect(generated.status).toBe(0);
  }
  // Generating 330,000 rows takes seconds, more on a machine busy with the other test files.
}, 120_000);

function peakRssBytes(rows: number): number {
  const script = `const { runReplay } = await import(${JSON.stringify(RUN)});
const result = await runReplay([${JSON.stringify(join(folder, String(rows), 'pstn.csv'))}], ${JSON.stringify(join(folder, String(rows), 'scenario.json'))}, { workers: 2, chunkBytes: 1 << 20 });
if (result.calls.read !== ${rows}) throw new Error('wrong row count');
process.stdout.write(String(process.resourceUsage().maxRSS * 1024));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(onlyWarnings(run.stderr)).toBe('');
  return Number(run.stdout);
}

describe('memory', () => {
  it('grows by at most 200 bytes of peak RSS per call', () => {
    // The smaller of two runs each: other test files running beside this one add noise, never savings.
    const small = Math.min(peakRssBytes(30_000), peakRssBytes(30_000));
    const large = Math.min(peakRssBytes(300_000), peakRssBytes(300_000));
    const perCall = (large - small) / 270_000;
    expect(perCall).toBeGreaterThan(0);
    process.stdout.write(`peak RSS growth: ${perCall.toFixed(0)} bytes a call\n`);
    expect(perCall).toBeLessThan(200);
  });
});
