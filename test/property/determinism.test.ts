import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempFolder, onlyWarnings } from '../cli-helpers.js';
import { ROOT } from '../helpers.js';

/**
 * Same inputs, same outputs: the --json, --events and --explain of a generated export are byte for
 * byte the same for 1, 2 and 4 workers and for chunk sizes from 64 KiB to 64 MiB, on a file cut
 * into dozens of ranges (some of them starting inside quoted display names).
 */
let folder: string;
beforeAll(() => {
  folder = tempFolder();
  const generated = spawnSync(process.execPath, [join(ROOT, 'dist', 'engine', 'cli', 'main.js'), 'generate', '--rows', '20000', '--users', '300', '--months', '3', '--seed', '11', '--out', folder]);
  expect(generated.status).toBe(0);
  // A policy that runs dry, so refusals, cuts and failed recharges are in the outputs too.
  writeFileSync(
    join(folder, 'scenario.json'),
    JSON.stringify({
      start: '2026-01-01T00:00:00Z',
      end: '2026-04-01T00:00:00Z',
      credits: { initial: '50.00', autoRecharge: { trigger: '20.00', amount: '50.00', failFrom: '2026-02-15T00:00:00Z', disableAfterFailures: 5 } },
      rating: { rates: ['rates.csv'] },
    }),
  );
});

function run(workers: number, chunkSize: string): string {
  const out = (name: string) => join(folder, `${name}-${workers}-${chunkSize}.csv`);
  const result = runCli(['replay', '--cdrs', join(folder, 'pstn.csv'), '--scenario', join(folder, 'scenario.json'), '--json', '--workers', String(workers), '--chunk-size', chunkSize, '--events', out('events'), '--explain', out('explain')]);
  expect(onlyWarnings(result.stderr)).toBe('');
  expect(result.code).toBe(0);
  return [result.stdout, readFileSync(out('events'), 'utf8'), readFileSync(out('explain'), 'utf8')].join('\n---\n');
}

describe('determinism across workers and chunk sizes', () => {
  it('gives identical outputs', () => {
    const reference = run(1, '64MiB');
    expect(reference).toContain('"refused"');
    for (const [workers, chunkSize] of [[2, '64KiB'], [4, '64KiB'], [2, '1MiB'], [4, '8MiB'], [1, '64KiB']] as const) {
      expect(run(workers, chunkSize)).toBe(reference);
    }
  });
});

describe('ranges that start inside a quoted field', () => {
  // Display names hold line breaks followed by text that looks like a whole CDR row, so a range
  // that starts inside one guesses its first record wrong and must be read again from the true
  // boundary. Chunks of 300 bytes put range starts inside those names over and over.
  it('reads the same rows as one range does', async () => {
    const { runReplay } = await import('../../engine/edge/run/run-replay.js');
    const { generateRows, TEAMS_HEADER } = await import('../../engine/generate/generate-cdrs.js');
    const rows = [...generateRows({ rows: 400, users: 20, from: Date.UTC(2026, 0, 1), months: 3, seed: 5 })];
    const decoy = (row: string[]) => row.join(',').replace(/"/g, '');
    rows.forEach((row, index) => {
      if (index % 3 === 0) row[6] = `Name ${index}\n${decoy(rows[(index + 1) % rows.length] as string[])}\n"quoted" end`;
    });
    const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
    const file = join(folder, 'decoys.csv');
    writeFileSync(file, `${TEAMS_HEADER.join(',')}\n${rows.map((row) => row.map(quote).join(',')).join('\n')}\n`);
    const collect = async (chunkBytes: number) => {
      const explained: unknown[] = [];
      const result = await runReplay([file], join(folder, 'scenario.json'), { workers: 2, chunkBytes, explain: (row) => explained.push(row) });
      return { explained, calls: result.calls, rejects: result.rejects };
    };
    const whole = await collect(64 << 20);
    expect(whole.calls.read).toBe(400);
    expect(await collect(300)).toEqual(whole);
  });
});

describe('the WebAssembly module switched off (CREDITCAST_SCANNER=js)', () => {
  // The JavaScript scanner, field parsers and interners alone must give every output unchanged.
  it('gives the same outputs as with it', () => {
    const replay = (scanner: string) => {
      const events = join(folder, `events-scanner-${scanner}.csv`);
      const result = spawnSync(
        process.execPath,
        [join(ROOT, 'dist', 'engine', 'cli', 'main.js'), 'replay', '--cdrs', join(folder, 'pstn.csv'), '--scenario', join(folder, 'scenario.json'), '--json', '--workers', '2', '--chunk-size', '256KiB', '--events', events],
        { encoding: 'utf8', env: { ...process.env, CREDITCAST_SCANNER: scanner } },
      );
      expect(onlyWarnings(result.stderr)).toBe('');
      expect(result.status).toBe(0);
      return `${result.stdout}\n---\n${readFileSync(events, 'utf8')}`;
    };
    const withModule = replay('');
    expect(withModule).toContain('"refused"');
    expect(replay('js')).toBe(withModule);
  });
});
