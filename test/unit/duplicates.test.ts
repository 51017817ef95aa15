import { describe, expect, it } from 'vitest';
import type { CallColumns } from '../../engine/columns/call-columns.js';
import type { CallTable } from '../../engine/columns/call-table.js';
import { DuplicateFinder, findDuplicates } from '../../engine/ingest/duplicates.js';
import { loadRows } from '../replay-helpers.js';
import { exportLine } from '../teams-export.js';

type Fingerprint = readonly [high: number, low: number];

/**
 * An export whose rows (lines 2, 3, ...) carry these UsageIds, read as a replay's ingest reads it,
 * with its one part's fingerprints set by the test (the ingest hands its own to its finder and
 * keeps none) and no row marked as a duplicate yet: the finder under test reads the UsageIds'
 * text back from the export.
 */
async function exportWithFingerprints(usageIds: readonly string[], fingerprintOf: (usageId: string, row: number) => Fingerprint): Promise<{ table: CallTable; part: CallColumns }> {
  const { table } = await loadRows(usageIds.map((usageId) => ({ usageId })));
  const part = table.parts[0];
  if (part === undefined || table.parts.length !== 1) throw new Error('expected the export read as one part');
  const fingerprints = usageIds.map(fingerprintOf);
  part.usageHashHigh = Uint32Array.from(fingerprints, ([high]) => high);
  part.usageHashLow = Uint32Array.from(fingerprints, ([, low]) => low);
  for (const marks of table.rejected) marks.fill(0);
  return { table, part };
}

describe('duplicate UsageIds', () => {
  // The ingest's own fingerprints, from the UsageId text: the rows it rejects and the raw lines it shows.
  it('are rejected by the ingest, each later row naming the id read before', async () => {
    const ids = ['x', 'y', 'x', 'y', 'z', 'z', 'w'];
    const inputs = await loadRows(ids.map((usageId) => ({ usageId })));
    expect(inputs.ingestRejects.map((reject) => `${reject.line} ${reject.reason} ${reject.detail}`)).toEqual([
      '4 duplicate-usage-id UsageId "x" was already read',
      '5 duplicate-usage-id UsageId "y" was already read',
      '7 duplicate-usage-id UsageId "z" was already read',
    ]);
    expect(inputs.ingestRejects[0]?.raw).toBe(exportLine({ usageId: 'x' }, 2));
    expect(inputs.duplicates).toBe(3);
    expect([...(inputs.table.rejected[0] as Uint8Array)]).toEqual([0, 0, 1, 1, 0, 1, 0]);
  });

  // Fingerprints are forced to collide: only the UsageId text may decide. F1 is shared by "x" and
  // "y"; F2 has F1's low half and a high half that lands in the same slot (+16 in a 16-slot table).
  it('rejects a later row only when an earlier row has the same text, whatever the fingerprints say', async () => {
    const F1: Fingerprint = [0x1235, 0x7777];
    const F2: Fingerprint = [0x1235 + 16, 0x7777];
    const F3: Fingerprint = [0x4321, 0x1111];
    const forced = [F1, F1, F1, F1, F2, F2, F3];
    const { table } = await exportWithFingerprints(['x', 'y', 'x', 'y', 'z', 'z', 'w'], (_, row) => forced[row] as Fingerprint);
    const rejects = findDuplicates(table);
    expect(rejects.map((reject) => `${reject.line} ${reject.detail}`)).toEqual([
      '4 UsageId "x" was already read',
      '5 UsageId "y" was already read',
      '7 UsageId "z" was already read',
    ]);
    expect([...(table.rejected[0] as Uint8Array)]).toEqual([0, 0, 1, 1, 0, 1, 0]);
    expect(rejects[0]?.raw).toBe(exportLine({ usageId: 'x' }, 2));
  });

  it('rejects nothing when every id is different', async () => {
    const ids = Array.from({ length: 200 }, (_, index) => `id-${index}`);
    const { table } = await exportWithFingerprints(ids, (_, row) => [(row * 2654435761) | 1, row * 40503]);
    expect(findDuplicates(table)).toEqual([]);
  });

  // Fed part by part during an ingest, sized by a guess at the row count: the guess must not matter.
  it('finds the same duplicates however many rows the finder was told to expect', async () => {
    const ids = Array.from({ length: 300 }, (_, index) => `id-${index % 170}`);
    // High halves spread over every bucket the largest guess makes (65,536 of them).
    const { table, part } = await exportWithFingerprints(ids, (usageId) => {
      const id = Number(usageId.slice(3));
      return [Math.imul(id + 1, 0x9e3779b1) | 1, id];
    });
    const answers = [1, 300, 1 << 20, 1 << 30].map((expectedRows) => {
      for (const marks of table.rejected) marks.fill(0);
      const finder = new DuplicateFinder(expectedRows);
      finder.addPart(part);
      return finder.finish(table)?.map((reject) => reject.line);
    });
    expect(answers[0]).toHaveLength(130);
    expect(answers[0]?.[0]).toBe(172);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  // Wide (parts released as the table grows): no row numbers, so a fingerprint seen twice is a doubt
  // the finder cannot settle; fingerprints the narrow finder cannot tell apart (300 rows: one
  // bucket, so only the low half counts) are told apart by 16 more bits of the high half.
  it('wide: tells fingerprints apart by 16 more bits, and answers null for one seen twice', async () => {
    const finderOf = async (highs: number[]) => {
      const { table, part } = await exportWithFingerprints(highs.map((_, index) => `id-${index}`), (_, row) => [highs[row] as number, 0x5555]);
      const finder = new DuplicateFinder(300, true);
      finder.addPart(part);
      return finder.finish(table);
    };
    // The same low half; the top 16 bits of the high half differ.
    expect(await finderOf([0x1201_0001, 0x1202_0001, 0x7700_0001])).toEqual([]);
    expect(await finderOf([0x1201_0001, 0x7700_0001, 0x1201_0001])).toBeNull();
    // The narrow finder keeps rows, so it settles the first case by text: no duplicate there either.
    const narrow = new DuplicateFinder(300);
    const { table, part } = await exportWithFingerprints(['a', 'b'], (_, row) => [[0x1201_0001, 0x1202_0001][row] as number, 0x5555]);
    narrow.addPart(part);
    expect(narrow.finish(table)).toEqual([]);
  });

  // The finder's memory is touched a MB per turn of the event loop while parts may already be
  // arriving: touching must never undo what a part wrote.
  it('keeps the fingerprints of parts added while its memory is still being touched', async () => {
    // 2M expected rows: 32 buckets of ~65,600 keys (8 MB of them); bucket 31 lies past the first MB.
    const forced: Fingerprint[] = [[0xf800_0001, 7], [0x0800_0001, 8], [0xf800_0001, 7]];
    const { table, part } = await exportWithFingerprints(['dup', 'other', 'dup'], (_, row) => forced[row] as Fingerprint);
    const finder = new DuplicateFinder(2_000_000);
    const touching = finder.touchMemory();
    finder.addPart(part);
    await touching;
    expect(finder.finish(table)?.map((reject) => `${reject.line} ${reject.detail}`)).toEqual(['4 UsageId "dup" was already read']);
  });
});

