import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cannotRead, ioReason, readBoundedBytes, readBoundedText } from '../../engine/edge/input-file.js';
import { tooDeepAt } from '../../engine/kernel/json-depth.js';
import { indexColumns, LEGACY_EXPORT, TEAMS_EXPORT } from '../../engine/model/export-columns.js';
import { tempFolder } from '../cli-helpers.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('tooDeepAt: the first bracket past the nesting limit', () => {
  it.each<[string, number, number]>([
    ['[]', 1, -1],
    ['[[]]', 1, 1],
    ['{"a": [1, {"b": 2}]}', 3, -1],
    ['{"a": [1, {"b": 2}]}', 2, 10],
    // Brackets in strings, escaped quotes included, are text.
    ['["[[[[", "\\"[[[["]', 1, -1],
    ['["\\\\", [[1]]]', 2, 8],
    // Multi-byte characters before the bracket count as their bytes.
    ['["é", [[]]]', 2, 8],
  ])('%s with limit %i → %i', (text, limit, at) => {
    expect(tooDeepAt(bytes(text), limit)).toBe(at);
  });

  it('walks 100,000 levels without recursion', () => {
    const deep = bytes(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(tooDeepAt(deep, 64)).toBe(64);
    expect(tooDeepAt(deep, 100_000)).toBe(-1);
  });
});

describe('reading under a size limit', () => {
  const folder = tempFolder();
  const limit = { name: 'test limit', bytes: 10 };

  it('reads a file of exactly the limit, and refuses one byte more naming the limit', () => {
    writeFileSync(join(folder, 'ten'), '0123456789');
    writeFileSync(join(folder, 'eleven'), '0123456789A');
    expect(readBoundedText(join(folder, 'ten'), limit)).toBe('0123456789');
    expect(() => readBoundedBytes(join(folder, 'eleven'), limit)).toThrow(`${join(folder, 'eleven')}: larger than the test limit of 10 bytes`);
  });

  it('keeps a byte-order mark for the caller and reads an empty file as empty', () => {
    writeFileSync(join(folder, 'bom'), '\uFEFFa');
    writeFileSync(join(folder, 'empty'), '');
    expect(readBoundedText(join(folder, 'bom'), limit)).toBe('\uFEFFa');
    expect(readBoundedBytes(join(folder, 'empty'), limit)).toHaveLength(0);
  });
});

describe('why a file cannot be read', () => {
  it.each([
    ['ENOENT', 'no such file'],
    ['EACCES', 'permission denied'],
    ['EPERM', 'permission denied'],
    ['EISDIR', 'is a directory'],
    ['ELOOP', 'too many symbolic links'],
    ['EWHATEVER', 'EWHATEVER'],
  ])('%s is said as "%s"', (code, words) => {
    expect(ioReason(Object.assign(new Error('x'), { code }))).toBe(words);
    expect(cannotRead('rates.csv', Object.assign(new Error('x'), { code })).message).toBe(`rates.csv: cannot read (${words})`);
  });
});

describe('indexColumns: a name of a column it reads, given twice', () => {
  it('gives every 1-based position of the first repeated name', () => {
    expect(indexColumns(['UsageId', 'UPN', 'x', ' upn '], TEAMS_EXPORT)).toEqual({ duplicate: 'UPN', positions: [2, 4] });
  });

  it('lets a repeated name it does not read pass', () => {
    const found = indexColumns(['User ID', 'User location', 'Call type', 'Caller ID', 'Start Time', 'Duration', 'Capability', 'ConfID', 'ConfID'], LEGACY_EXPORT);
    expect(found).toMatchObject({ upn: 0, dialledNumber: 3, receivingNumber: 3, capability: 6 });
  });
});
