import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputFile, refuseOutputsOverInputs, writeOutput } from '../../engine/edge/write-output.js';
import { runCli, tempFolder } from '../cli-helpers.js';
import { FIXTURES } from '../helpers.js';

describe('a report file', () => {
  it('appears under its name only once committed, whole', () => {
    const folder = tempFolder();
    const file = join(folder, 'explain.csv');
    const output = new OutputFile(file);
    output.write('a,b\n');
    output.write('1,2\n');
    expect(existsSync(file)).toBe(false);
    output.commit();
    expect(readFileSync(file, 'utf8')).toBe('a,b\n1,2\n');
    expect(readdirSync(folder)).toEqual(['explain.csv']);
  });

  it('left by a run that failed is dropped, and an older file of that name is kept as it was', () => {
    const folder = tempFolder();
    const file = join(folder, 'explain.csv');
    writeFileSync(file, 'from the last good run\n');
    const output = new OutputFile(file);
    output.write('half a report');
    output.discard();
    expect(readFileSync(file, 'utf8')).toBe('from the last good run\n');
    expect(readdirSync(folder)).toEqual(['explain.csv']);
  });

  it('that cannot be written is a one-line input error naming it', () => {
    const file = join(tempFolder(), 'missing-folder', 'events.csv');
    expect(() => writeOutput(file, 'x')).toThrow(`${file}: cannot write (ENOENT)`);
  });

  it('may not be one of the run inputs', () => {
    const cdrs = join(FIXTURES, 'teams-small.csv');
    expect(() => refuseOutputsOverInputs({ '--events': undefined, '--explain': cdrs }, [cdrs])).toThrow(`--explain: ${cdrs} is the same file as the input ${cdrs}; choose another output file`);
    expect(() => refuseOutputsOverInputs({ '--explain': join(tempFolder(), 'x.csv') }, [cdrs])).not.toThrow();
  });

  it('given as --explain over the export is refused before anything is read or written', () => {
    const folder = tempFolder();
    const cdrs = join(folder, 'pstn.csv');
    const text = readFileSync(join(FIXTURES, 'teams-small.csv'), 'utf8');
    writeFileSync(cdrs, text);
    const run = runCli(['replay', '--cdrs', cdrs, '--scenario', join(FIXTURES, 'scenario.json'), '--explain', cdrs]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`creditcast: --explain: ${cdrs} is the same file as the input ${cdrs}; choose another output file`);
    expect(readFileSync(cdrs, 'utf8')).toBe(text);
  });
});
