import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInputs } from '../../engine/edge/run/run-replay.js';
import { ingestModule, threadScanner } from '../../engine/edge/read/ingest-module.js';
import { inspectFile } from '../../engine/edge/read/inspect-file.js';
import { NO_RECORD_START, readRange } from '../../engine/edge/read/read-range.js';
import { tempFolder } from '../cli-helpers.js';
import { bundledRules } from '../helpers.js';
import { teamsCsv, type ExportRow } from '../teams-export.js';

const MIB = 1 << 20;
const SHORT_ROWS = 100;

let folder: string;
let scenario: string;

/** An export of 100 rows, one whose display name is `mebibytes` MiB long, then 100 more rows. */
function exportWithLongRecord(mebibytes: number): string {
  const rows: ExportRow[] = [];
  for (let i = 0; i < SHORT_ROWS; i++) rows.push({});
  rows.push({ userDisplayName: 'x'.repeat(mebibytes * MIB) });
  for (let i = 0; i < SHORT_ROWS; i++) rows.push({});
  const file = join(folder, `long-${mebibytes}.csv`);
  writeFileSync(file, teamsCsv(rows));
  return file;
}

async function timedLoad(file: string, chunkBytes: number) {
  const started = performance.now();
  const loaded = await loadInputs([file], scenario, { workers: 1, chunkBytes });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, rowsRead: loaded.rowsRead, calls: loaded.table.count, rejects: loaded.ingestRejects.map((reject) => `${reject.line} ${reject.reason}`) };
}

beforeAll(() => {
  folder = tempFolder();
  scenario = join(folder, 'scenario.json');
  writeFileSync(scenario, JSON.stringify({ currency: 'USD', start: '2026-01-01T00:00:00Z', end: '2027-01-01T00:00:00Z', credits: { initial: '0', minimumPurchase: '0' }, rating: { source: 'recorded' } }));
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('a record longer than a reading range is assembled once: linear time', () => {
  it('reads a 40 MiB record about 4 times as long as a 10 MiB one, at any chunk size, with the same rows', async () => {
    const small = exportWithLongRecord(10);
    const large = exportWithLongRecord(40);
    for (const chunkBytes of [32 * MIB, 64 << 10]) {
      const ten = await timedLoad(small, chunkBytes);
      const forty = await timedLoad(large, chunkBytes);
      // Before: 2.6 s and 29 s with 32 MiB chunks (each 64 KiB read past a range's end rescanned
      // the record so far), and with 64 KiB chunks every range inside the record read on to its end.
      expect(forty.seconds / ten.seconds, `${chunkBytes} B chunks: ${ten.seconds.toFixed(2)} s, ${forty.seconds.toFixed(2)} s`).toBeLessThan(8);
      expect(forty.seconds).toBeLessThan(10);
      expect(forty.rowsRead).toBe(2 * SHORT_ROWS + 1);
      expect({ calls: forty.calls, rejects: forty.rejects }).toEqual({ calls: ten.calls, rejects: ten.rejects });
    }
  }, 120_000);

  it('a range inside the long record says it holds no record start, without reading on to the record end', () => {
    const file = exportWithLongRecord(8);
    const kind = inspectFile(file);
    if (kind.kind !== 'csv') throw new Error('expected a CSV export');
    const settings = { file, fileIndex: 0, columns: kind.columns, headerFields: kind.headerFields, currency: 'USD', start: null, end: null };
    const middle = kind.dataStart + 4 * MIB;
    const spec = { rangeStart: middle, rangeEnd: middle + (64 << 10), exactStart: false, fileSize: kind.size, delimiter: kind.delimiter, readBytes: MIB };
    const result = readRange(threadScanner(ingestModule()), file, spec, settings, bundledRules(), null);
    expect(result).toMatchObject({ startBoundary: NO_RECORD_START, endBoundary: NO_RECORD_START, rowsRead: 0, lines: 0 });
  });
});
