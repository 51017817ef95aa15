import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempFolder, writeFiles, type CliRun, onlyWarnings } from '../cli-helpers.js';
import { FIXTURES, ROOT } from '../helpers.js';

// Issue 12, items 4, 9, 10 and 12 and two of its "clearer errors": inputs that are not what they
// seem stop the run with one line naming the file and what it is, exit 2, never a hang or a crash.

const CLI = join(ROOT, 'dist', 'engine', 'cli', 'main.js');
const TEAMS_TEXT = readFileSync(join(FIXTURES, 'teams-small.csv'), 'utf8').replace(/^\uFEFF/, '');
const [HEADER = '', ...BODY] = TEAMS_TEXT.trimEnd().split('\n');
const MIB = 1 << 20;

function expectOneLineError(run: CliRun, code: number, message: string): void {
  expect(run.stderr.trimEnd().split('\n')).toEqual([`creditcast: ${message}`]);
  expect(run.code).toBe(code);
  expect(run.stdout).toBe('');
}

/** Through a shell, for pipes; with a deadline, so that a hang fails the test instead of stalling it. */
function runShell(script: string, cwd: string): CliRun {
  const run = spawnSync('sh', ['-c', script], { cwd, encoding: 'utf8', timeout: 30_000, env: { ...process.env, CREDITCAST_DEBUG: '', CLI } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A file of `bytes` that starts with `head` and takes no disk: the rest is a hole. */
function sparseFile(file: string, head: string, bytes: number): void {
  const fd = openSync(file, 'w');
  writeSync(fd, head);
  ftruncateSync(fd, bytes);
  closeSync(fd);
}

let folder: string;
beforeAll(() => {
  folder = tempFolder();
  const rates = join(folder, 'rates.csv');
  copyFileSync(join(FIXTURES, 'rates.csv'), rates);
  const scenario = (extra: object) => JSON.stringify({ start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z', credits: { initial: '50.00' }, rating: { rates: [rates] }, ...extra });
  const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
  writeFiles(folder, {
    'scenario.json': scenario({}),
    'dup-upn.csv': `${HEADER},UPN\n${BODY.map((line) => `${line},someone@example.com`).join('\n')}\n`,
    'dup-upn-case.csv': `${HEADER.replace('UPN', 'upn')},UPN\n`,
    'dup-start-3.csv': `Start Time,${HEADER},start time\n`,
    'dup-ignored.csv': `${HEADER},Call ID\n${BODY.map((line) => `${line},x`).join('\n')}\n`,
    'semicolons.csv': `${HEADER.replaceAll(',', ';')}\n${BODY.map((line) => line.replaceAll(',', ';')).join('\n')}\n`,
    'endless-header.csv': `"UsageId,${'x'.repeat(MIB)}\n`,
    'deep-scenario.json': `{"credits": ${deep(100_000)}}`,
    'deep-graph.json': `{"value": [${deep(100_000)}]}`,
    'deep-in-string.json': JSON.stringify({ value: [{ id: '['.repeat(1000) }] }),
    'graph-not-rows.json': JSON.stringify({ value: [42, 'call', null, [1]] }),
    'uses-folder-rates.json': scenario({ rating: { rates: [join(folder, 'a-folder.csv')] } }),
    'uses-folder-allowances.json': scenario({ allowances: join(folder, 'a-folder.csv') }),
    'uses-big-rates.json': scenario({ rating: { rates: [join(folder, 'big-rates.csv')] } }),
    'locked.json': scenario({}),
  });
  sparseFile(join(folder, 'big-scenario.json'), '{', 64 * MIB + 1);
  sparseFile(join(folder, 'big-rates.csv'), 'service,prefix,destination,per_minute,connection_fee,currency\n', 64 * MIB + 1);
  sparseFile(join(folder, 'big-graph.json'), '[', 256 * MIB + 1);
  mkdirSync(join(folder, 'a-folder.csv'));
  spawnSync('mkfifo', [join(folder, 'pipe')]);
});

const replay = (args: string[]) => runCli(['replay', ...args], folder);

describe('item 4: a column creditcast reads, named twice in the header', () => {
  it('stops the run naming both positions', () => {
    expectOneLineError(replay(['--cdrs', 'dup-upn.csv', '--scenario', 'scenario.json']), 2, 'dup-upn.csv:1: column "UPN" appears twice (columns 6 and 21)');
  });

  it('matches names as the reader does, whatever their case', () => {
    expectOneLineError(replay(['--cdrs', 'dup-upn-case.csv', '--scenario', 'scenario.json']), 2, 'dup-upn-case.csv:1: column "UPN" appears twice (columns 6 and 21)');
  });

  it('names every position of a name given three times', () => {
    expectOneLineError(replay(['--cdrs', 'dup-start-3.csv', '--scenario', 'scenario.json']), 2, 'dup-start-3.csv:1: column "Start Time" appears 3 times (columns 1, 15 and 22)');
  });

  it('lets a repeated column creditcast does not read pass, with the same answer', () => {
    const plain = runCli(['replay', '--cdrs', join(FIXTURES, 'teams-small.csv'), '--scenario', 'scenario.json'], folder);
    const repeated = replay(['--cdrs', 'dup-ignored.csv', '--scenario', 'scenario.json']);
    expect(repeated.code).toBe(0);
    expect(repeated.stdout.replaceAll('dup-ignored.csv', 'F')).toBe(plain.stdout.replaceAll(join(FIXTURES, 'teams-small.csv'), 'F'));
  });
});

describe('item 9: devices, pipes and files past their size limit', () => {
  it.each([
    ['--scenario', ['--cdrs', 'dup-ignored.csv', '--scenario', '/dev/zero']],
    ['--cdrs', ['--cdrs', '/dev/zero', '--scenario', 'scenario.json']],
  ])('refuses /dev/zero as %s, by what it is, before reading it', (_option, args) => {
    expectOneLineError(replay(args), 2, '/dev/zero: cannot read (is a character device, not a file)');
  });

  it('refuses /dev/null by what it is, not as an empty file', () => {
    expectOneLineError(replay(['--cdrs', '/dev/null', '--scenario', 'scenario.json']), 2, '/dev/null: cannot read (is a character device, not a file)');
  });

  it('refuses a named pipe as CDRs at once, without waiting for a writer', () => {
    const run = runShell('node "$CLI" replay --cdrs pipe --scenario scenario.json', folder);
    expectOneLineError(run, 2, 'pipe: cannot read a named pipe: CDR exports are read in byte ranges, so save it to a file first');
  });

  it('says a named pipe with no writer gave nothing, not that a file is empty', () => {
    const run = runShell('node "$CLI" replay --cdrs dup-ignored.csv --scenario pipe', folder);
    expectOneLineError(run, 2, 'pipe: the named pipe gave no data');
  });

  it('reads a scenario from a pipe under the limit', () => {
    const run = runShell('cat scenario.json | node "$CLI" replay --cdrs dup-ignored.csv --scenario /dev/stdin', folder);
    expect(onlyWarnings(run.stderr)).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(replay(['--cdrs', 'dup-ignored.csv', '--scenario', 'scenario.json']).stdout);
    expect(run.stdout).toContain('Calls    16 rows read');
  });

  it('stops an endless pipe at the scenario file limit while reading it', () => {
    const run = runShell('yes | node "$CLI" replay --cdrs dup-ignored.csv --scenario /dev/stdin', folder);
    expectOneLineError(run, 2, '/dev/stdin: larger than the scenario file limit of 64 MiB');
  });

  it.each([
    ['a scenario', ['--cdrs', 'dup-ignored.csv', '--scenario', 'big-scenario.json'], 'big-scenario.json: larger than the scenario file limit of 64 MiB'],
    ['a rate table', ['--cdrs', 'dup-ignored.csv', '--scenario', 'uses-big-rates.json'], 'big-rates.csv: larger than the reference table limit of 64 MiB'],
    ['a Graph JSON file', ['--cdrs', 'big-graph.json', '--scenario', 'scenario.json'], 'big-graph.json: larger than the Graph JSON file limit of 256 MiB'],
  ])('refuses %s one byte over its limit, naming the limit', (_what, args, message) => {
    expectOneLineError(replay(args), 2, message);
  });
});

describe('item 9: a CSV header that never ends', () => {
  it('stops at the CDR header limit, not at the end of the file', () => {
    expectOneLineError(replay(['--cdrs', 'endless-header.csv', '--scenario', 'scenario.json']), 2, 'endless-header.csv:1: the header row is longer than the CDR header limit of 1 MiB');
  });
});

describe('item 10: JSON nested 100,000 levels deep', () => {
  it('stops a scenario with one line, not a stack overflow', () => {
    expectOneLineError(replay(['--cdrs', 'dup-ignored.csv', '--scenario', 'deep-scenario.json']), 2, 'deep-scenario.json: line 1, column 76: nested deeper than the JSON nesting limit of 64 levels');
  });

  it('stops a Graph file with one line, not a stack overflow', () => {
    expectOneLineError(replay(['--cdrs', 'deep-graph.json', '--scenario', 'scenario.json']), 2, 'deep-graph.json: line 1, column 74: nested deeper than the JSON nesting limit of 64 levels');
  });

  it('does not count brackets inside strings', () => {
    const run = replay(['--cdrs', 'deep-in-string.json', '--scenario', 'scenario.json']);
    expect(onlyWarnings(run.stderr)).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('item 12: a file that cannot be read', () => {
  it.each([
    ['as CDRs', ['--cdrs', 'a-folder.csv', '--scenario', 'scenario.json'], 'a-folder.csv: cannot read (is a directory)'],
    ['as the scenario', ['--cdrs', 'dup-ignored.csv', '--scenario', 'a-folder.csv'], 'a-folder.csv: cannot read (is a directory)'],
    ['as a rate table', ['--cdrs', 'dup-ignored.csv', '--scenario', 'uses-folder-rates.json'], 'a-folder.csv: cannot read (is a directory)'],
    ['as the allowances', ['--cdrs', 'dup-ignored.csv', '--scenario', 'uses-folder-allowances.json'], 'a-folder.csv: cannot read (is a directory)'],
  ])('a directory given %s exits 2 naming it', (_as, args, message) => {
    expectOneLineError(replay(args), 2, message);
  });

  // Root reads a file whatever its mode (tests run as root in CI), so there this case cannot be
  // made; the reason's words are tested in test/unit/input-files.test.ts.
  it.skipIf(process.getuid?.() === 0)('a file without read permission exits 2 naming it and the reason', () => {
    chmodSync(join(folder, 'locked.json'), 0o000);
    expectOneLineError(replay(['--cdrs', 'dup-ignored.csv', '--scenario', 'locked.json']), 2, 'locked.json: cannot read (permission denied)');
    chmodSync(join(folder, 'dup-ignored.csv'), 0o000);
    expectOneLineError(replay(['--cdrs', 'dup-ignored.csv', '--scenario', 'scenario.json']), 2, 'dup-ignored.csv: cannot read (permission denied)');
    chmodSync(join(folder, 'dup-ignored.csv'), 0o644);
  });
});

describe('clearer errors', () => {
  it('a semicolon-separated export says so, not that a column it shows is missing', () => {
    expectOneLineError(
      replay(['--cdrs', 'semicolons.csv', '--scenario', 'scenario.json']),
      2,
      'semicolons.csv:1: the header is separated by semicolons; creditcast reads comma-separated Teams exports (or tab-separated legacy ones), so save the file as CSV with commas',
    );
  });

  it('a Graph row that is not an object is rejected in JSON words, not as "not valid CSV"', () => {
    const rejects = join(folder, 'graph-rejects.csv');
    const run = replay(['--cdrs', 'graph-not-rows.json', '--scenario', 'scenario.json', '--rejects', rejects]);
    expect(run.code).toBe(0);
    expect(readFileSync(rejects, 'utf8').trimEnd().split('\n').slice(1)).toEqual([
      'graph-not-rows.json,1,malformed-row,"a pstnCallLogRow must be a JSON object, got a number",42',
      'graph-not-rows.json,2,malformed-row,"a pstnCallLogRow must be a JSON object, got a string","""call"""',
      'graph-not-rows.json,3,malformed-row,"a pstnCallLogRow must be a JSON object, got null",null',
      'graph-not-rows.json,4,malformed-row,"a pstnCallLogRow must be a JSON object, got an array",[1]',
    ]);
  });
});
