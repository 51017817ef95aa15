import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IN_THREAD_BYTES } from '../../engine/edge/read/ingest-files.js';
import { inspectFile } from '../../engine/edge/read/inspect-file.js';
import { runReplay } from '../../engine/edge/run/run-replay.js';
import { FIXTURES } from '../helpers.js';

const fixture = (name: string) => join(FIXTURES, name);
const scenario = fixture('scenario.json');
const openFiles = () => readdirSync('/proc/self/fd').length;

/**
 * Every file the ingest opens is closed again: the ranges read, the head of each file inspected, and
 * the rows read back for rejects, duplicates and the explain file. Counted in /proc/self/fd (Linux),
 * after one replay first, so that whatever Node opens once for good is open before the count.
 */
describe.runIf(existsSync('/proc/self/fd'))('file descriptors', () => {
  it('a replay of a small export, read in this thread, leaves none open', async () => {
    // Rejects and a duplicate: rows read back from the file.
    const replay = () => runReplay([fixture('teams-small.csv')], scenario, { workers: 2, explain: () => {} });
    expect((await replay()).rejectCounts).toMatchObject({ 'duplicate-usage-id': 1, 'no-rate': 1 });
    const before = openFiles();
    for (let i = 0; i < 3; i++) await replay();
    expect(openFiles()).toBe(before);
  });

  it('a replay of an export read by workers, twice over after a duplicate, leaves none open', async () => {
    const lines = readFileSync(fixture('teams-small.csv'), 'utf8').split(/\r?\n/);
    const header = lines[0] as string;
    // Valid rows of the fixture again and again: every copy after the first is a duplicate.
    const body = lines.slice(1, 5).join('\n');
    const file = join(mkdtempSync(join(tmpdir(), 'creditcast-fd-')), 'big.csv');
    writeFileSync(file, `${header}\n${`${body}\n`.repeat(Math.ceil((IN_THREAD_BYTES * 1.5) / body.length))}`);
    expect(inspectFile(file).size).toBeGreaterThan(IN_THREAD_BYTES);
    const replay = () => runReplay([file], scenario, { workers: 2, chunkBytes: 1 << 20 });
    const first = await replay();
    expect(first.rejectCounts['duplicate-usage-id']).toBeGreaterThan(1000);
    const before = openFiles();
    await replay();
    expect(openFiles()).toBe(before);
  });
});
