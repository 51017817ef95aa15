import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../cli-helpers.js';
import { ROOT } from '../helpers.js';
import {
  EVENT_NUMBERS, EVENT_TEXT, EXPLAIN_NUMBERS, EXPLAIN_TEXT, expectNeutralisedCsv, exportBytes, fuzzFolder, hostileExports,
  REJECT_NUMBERS, REJECT_TEXT, runs, TERMINAL_CONTROL,
} from './hostile-export.js';

const CLI = join(ROOT, 'dist', 'engine', 'cli', 'main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  rejects: string | null;
}

/** The built CLI as a user runs it, with one reader; the reports go to files named after it. */
function replay(scanner: 'js' | 'wasm', folder: string, args: string[]): Run {
  const out = (name: string) => join(folder, `${name}-${scanner}.csv`);
  const run = spawnSync(process.execPath, [CLI, 'replay', ...args, '--rejects', out('rejects'), '--events', out('events'), '--explain', out('explain')], {
    encoding: 'utf8',
    env: { ...process.env, CREDITCAST_SCANNER: scanner, CREDITCAST_DEBUG: '' },
  });
  if (run.status === 0) {
    expectNeutralisedCsv(readFileSync(out('events'), 'utf8'), EVENT_TEXT, EVENT_NUMBERS);
    expectNeutralisedCsv(readFileSync(out('explain'), 'utf8'), EXPLAIN_TEXT, EXPLAIN_NUMBERS);
  }
  const rejects = existsSync(out('rejects')) ? readFileSync(out('rejects'), 'utf8') : null;
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, rejects };
}

describe('hostile exports through the command line (fast-check; a failure prints its seed)', () => {
  it('exit 0 or 2, never 1; both readers print and write the same bytes; nothing reaches the terminal raw', () => {
    const folder = tempFolder();
    const { cdrs, scenario } = fuzzFolder(folder);
    fc.assert(
      fc.property(hostileExports, fc.constantFrom<string[]>([], ['--json'], ['--max-rejects', '2']), (spec, options) => {
        writeFileSync(cdrs, exportBytes(spec));
        const args = ['--cdrs', cdrs, '--scenario', scenario, '--workers', '2', '--chunk-size', '4KiB', ...options];
        const js = replay('js', folder, args);
        const wasm = replay('wasm', folder, args);
        expect(wasm.stderr).toBe(js.stderr);
        expect([0, 2]).toContain(wasm.code);
        expect(wasm.code).toBe(js.code);
        expect(wasm.stdout).toBe(js.stdout);
        expect(wasm.rejects).toBe(js.rejects);
        if (wasm.code === 2) expect(wasm.stderr).toMatch(/^creditcast: [^\n]{1,2100}\n$/);
        expect(wasm.stderr.slice(0, -1)).not.toMatch(TERMINAL_CONTROL);
        if (!options.includes('--json')) expect(wasm.stdout).not.toMatch(TERMINAL_CONTROL);
        if (wasm.rejects !== null) expectNeutralisedCsv(wasm.rejects, REJECT_TEXT, REJECT_NUMBERS);
      }),
      { numRuns: runs(3, 0.05) },
    );
  });
});
