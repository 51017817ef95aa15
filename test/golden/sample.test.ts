import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempFolder } from '../cli-helpers.js';
import { ROOT } from '../helpers.js';

/**
 * Golden files of the bundled sample: any change to a number in a report shows up here as a diff
 * to read. After a deliberate change, regenerate with UPDATE_GOLDEN=1 npm test and review the diff.
 */
const GOLDEN = join(ROOT, 'test', 'golden', 'files');
const update = process.env['UPDATE_GOLDEN'] === '1';

function compareWithGolden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (update || !existsSync(file)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
    if (!update) throw new Error(`golden file ${name} was missing and has been written: review and commit it`);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('the sample tenant (npm start)', () => {
  const folder = tempFolder();
  const args = ['replay', '--cdrs', 'data/sample/pstn-usage.csv', '--scenario', 'scenarios/sample.json'];
  const run = runCli([...args, '--json', '--events', join(folder, 'events.csv'), '--explain', join(folder, 'explain.csv'), '--rejects', join(folder, 'rejects.csv')]);

  it('exits 0', () => {
    // Nothing on stderr but warnings (the sample names licences for some pools only; the others are guessed, and said so).
    expect(run.stderr).toMatch(/^(creditcast: warning: [^\n]+\n)*$/);
    expect(run.code).toBe(0);
  });

  it('--json matches its golden file', () => compareWithGolden('sample.json', run.stdout));
  it('--events matches its golden file', () => compareWithGolden('sample-events.csv', readFileSync(join(folder, 'events.csv'), 'utf8')));
  it('--explain matches its golden file', () => compareWithGolden('sample-explain.csv', readFileSync(join(folder, 'explain.csv'), 'utf8')));
  it('the terminal summary matches its golden file', () => compareWithGolden('sample-summary.txt', runCli(args).stdout));

  // What the golden numbers must say, checked independently of the files.
  it('accounts for every row and every cent', () => {
    const report = JSON.parse(run.stdout);
    const { read, rejected, free, pool, credits, refused, cut } = report.calls;
    expect(rejected + free + pool + credits + refused + cut).toBe(read);
    const cents = (text: string) => Math.round(Number(text) * 100);
    expect(cents(report.credits.funded)).toBe(cents(report.credits.spent) + cents(report.credits.forfeited) + cents(report.credits.closing));
    expect(report.drops).toBe(refused + cut);
  });
});
