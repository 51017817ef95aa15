import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../engine/kernel/errors.js';
import { ingestModule, ingestModuleFile, scannerChoice } from '../../engine/edge/read/ingest-module.js';
import { onlyWarnings, tempFolder } from '../cli-helpers.js';
import { ROOT } from '../helpers.js';

afterEach(() => void vi.restoreAllMocks());

/** A module file that cannot load: missing, or not WebAssembly. */
function brokenModule(kind: 'missing' | 'garbage'): string {
  const file = join(tempFolder(), 'ingest.wasm');
  if (kind === 'garbage') writeFileSync(file, 'not a module');
  return file;
}

describe('the WebAssembly module of the ingest', () => {
  it('loads from dist/ as built', () => {
    expect(ingestModule('wasm')).not.toBeNull();
  });

  it('is said once, in one line naming the file and why, when it does not load and nobody insisted on it', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    for (const kind of ['missing', 'garbage'] as const) {
      stderr.mockClear();
      const file = brokenModule(kind);
      expect(ingestModule('either', file)).toBeNull();
      expect(ingestModule('either', file)).toBeNull();
      expect(stderr).toHaveBeenCalledTimes(1);
      const line = String(stderr.mock.calls[0]?.[0]);
      expect(line).toMatch(new RegExp(`^creditcast: warning: ${file}: the WebAssembly record scanner did not load \\(.+\\); reading with the JavaScript scanner, more slowly\\n$`));
      expect(line.trimEnd()).not.toContain('\n');
    }
  });

  it('is an input error where CREDITCAST_SCANNER=wasm asks for it, and not looked for at all under js', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const file = brokenModule('missing');
    expect(() => ingestModule('wasm', file)).toThrow(InputError);
    expect(() => ingestModule('wasm', file)).toThrow(/^\/.*ingest\.wasm: the WebAssembly record scanner did not load \(ENOENT.*\), and CREDITCAST_SCANNER=wasm asks for it$/);
    expect(ingestModule('js', file)).toBeNull();
    expect(stderr).not.toHaveBeenCalled();
  });

  it('is chosen by CREDITCAST_SCANNER', () => {
    expect(scannerChoice({ CREDITCAST_SCANNER: 'wasm' })).toBe('wasm');
    expect(scannerChoice({ CREDITCAST_SCANNER: 'js' })).toBe('js');
    expect(scannerChoice({})).toBe('either');
  });
});

describe('a build whose module is missing, run from the command line', () => {
  // A copy of the package without dist/'s module: the sample replays the same, said once on stderr,
  // unless the user asked for the module (exit 2, one line).
  const copy = tempFolder();
  const missing = join(copy, 'dist', 'engine', 'ingest', 'simd', 'ingest.wasm');
  beforeAll(() => {
    for (const folder of ['dist', 'data', 'scenarios']) cpSync(join(ROOT, folder), join(copy, folder), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    rmSync(missing);
  });
  const replay = (root: string, scanner?: string) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CREDITCAST_DEBUG: '' };
    delete env['CREDITCAST_SCANNER'];
    if (scanner !== undefined) env['CREDITCAST_SCANNER'] = scanner;
    const args = [join(root, 'dist', 'engine', 'cli', 'main.js'), 'replay', '--cdrs', 'data/sample/pstn-usage.csv', '--scenario', 'scenarios/sample.json', '--json'];
    const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  it('replays the same, with one line on stderr', () => {
    const built = replay(ROOT);
    // The sample's own warnings (pools sized from the users seen) come in every run; the scanner's is the one line more.
    expect(built.code).toBe(0);
    expect(onlyWarnings(built.stderr)).toBe('');
    const without = replay(copy);
    expect(without.code).toBe(0);
    expect(without.stdout).toBe(built.stdout);
    expect(without.stderr.replace(built.stderr, '')).toMatch(new RegExp(`^creditcast: warning: ${missing}: the WebAssembly record scanner did not load \\(ENOENT[^\\n]*\\); reading with the JavaScript scanner, more slowly\\n$`));
    expect(replay(copy, 'js')).toEqual(built);
  });

  it('stops with exit 2 and one line under CREDITCAST_SCANNER=wasm', () => {
    const run = replay(copy, 'wasm');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^creditcast: ${missing}: the WebAssembly record scanner did not load \\(ENOENT[^\\n]*\\), and CREDITCAST_SCANNER=wasm asks for it\\n$`));
    expect(ingestModuleFile()).toBe(join(ROOT, 'dist', 'engine', 'ingest', 'simd', 'ingest.wasm'));
  });
});
