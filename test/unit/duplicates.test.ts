import { describe, expect, it } from 'vitest';
import { tableFromCalls } from '../../engine/columns/calls-to-table.js';
import { DuplicateFinder, findDuplicates } from '../../engine/ingest/duplicates.js';
import { bundledRules, makeCall } from '../helpers.js';

describe('duplicate UsageIds', () => {
  // Fingerprints are forced to collide: only the UsageId text may decide. F1 is shared by "x" and
  // "y"; F2 has F1's low half and a high half that lands in the same slot (+16 in a 16-slot table).
  it('rejects a later row only when an earlier row has the same text, whatever the fingerprints say', () => {
    const ids = ['x', 'y', 'x', 'y', 'z', 'z', 'w'];
    const calls = ids.map((usageId, index) => makeCall({ usageId, line: index + 2, raw: `row ${usageId}` }));
    const { table } = tableFromCalls(calls, bundledRules(), null);
    const part = table.parts[0];
    if (part === undefined) throw new Error('no part');
    const F1 = [0x1235, 0x7777];
    const F2 = [0x1235 + 16, 0x7777];
    const F3 = [0x4321, 0x1111];
    [F1, F1, F1, F1, F2, F2, F3].forEach(([high, low], row) => {
      part.usageHashHigh[row] = high as number;
      part.usageHashLow[row] = low as number;
    });
    const rejects = findDuplicates(table);
    expect(rejects.map((reject) => `${reject.line} ${reject.detail}`)).toEqual([
      '4 UsageId "x" was already read',
      '5 UsageId "y" was already read',
      '7 UsageId "z" was already read',
    ]);
    expect([...(table.rejected[0] as Uint8Array)]).toEqual([0, 0, 1, 1, 0, 1, 0]);
    expect(rejects[0]?.raw).toBe('row x');
  });

  it('rejects nothing when every id is different', () => {
    const calls = Array.from({ length: 200 }, (_, index) => makeCall({ usageId: `id-${index}`, line: index + 2 }));
    const { table } = tableFromCalls(calls, bundledRules(), null);
    const part = table.parts[0];
    if (part === undefined) throw new Error('no part');
    for (let row = 0; row < part.count; row++) {
      part.usageHashHigh[row] = (row * 2654435761) | 1;
      part.usageHashLow[row] = row * 40503;
    }
    expect(findDuplicates(table)).toEqual([]);
  });

  // Fed part by part during an ingest, sized by a guess at the row count: the guess must not matter.
  it('finds the same duplicates however many rows the finder was told to expect', () => {
    const ids = Array.from({ length: 300 }, (_, index) => `id-${index % 170}`);
    const answers = [1, 300, 1 << 20, 1 << 30].map((expectedRows) => {
      const { table } = tableFromCalls(ids.map((usageId, index) => makeCall({ usageId, line: index + 2 })), bundledRules(), null);
      const part = table.parts[0];
      if (part === undefined) throw new Error('no part');
      // High halves spread over every bucket the largest guess makes (65,536 of them).
      ids.forEach((usageId, row) => {
        const id = Number(usageId.slice(3));
        part.usageHashHigh[row] = Math.imul(id + 1, 0x9e3779b1) | 1;
        part.usageHashLow[row] = id;
      });
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
  it('wide: tells fingerprints apart by 16 more bits, and answers null for one seen twice', () => {
    const finderOf = (highs: number[]) => {
      const { table } = tableFromCalls(highs.map((_, index) => makeCall({ usageId: `id-${index}`, line: index + 2 })), bundledRules(), null);
      const part = table.parts[0];
      if (part === undefined) throw new Error('no part');
      highs.forEach((high, row) => {
        part.usageHashHigh[row] = high;
        part.usageHashLow[row] = 0x5555;
      });
      const finder = new DuplicateFinder(300, true);
      finder.addPart(part);
      return finder.finish(table);
    };
    // The same low half; the top 16 bits of the high half differ.
    expect(finderOf([0x1201_0001, 0x1202_0001, 0x7700_0001])).toEqual([]);
    expect(finderOf([0x1201_0001, 0x7700_0001, 0x1201_0001])).toBeNull();
    // The narrow finder keeps rows, so it settles the first case by text: no duplicate there either.
    const narrow = new DuplicateFinder(300);
    const { table } = tableFromCalls([makeCall({ usageId: 'a' }), makeCall({ usageId: 'b' })], bundledRules(), null);
    const part = table.parts[0];
    if (part === undefined) throw new Error('no part');
    part.usageHashHigh.set([0x1201_0001, 0x1202_0001]);
    part.usageHashLow.set([0x5555, 0x5555]);
    narrow.addPart(part);
    expect(narrow.finish(table)).toEqual([]);
  });

  // The finder's memory is touched a MB per turn of the event loop while parts may already be
  // arriving: touching must never undo what a part wrote.
  it('keeps the fingerprints of parts added while its memory is still being touched', async () => {
    const ids = ['dup', 'other', 'dup'];
    const { table } = tableFromCalls(ids.map((usageId, index) => makeCall({ usageId, line: index + 2 })), bundledRules(), null);
    const part = table.parts[0];
    if (part === undefined) throw new Error('no part');
    // 2M expected rows: 32 buckets of ~65,600 keys (8 MB of them); bucket 31 lies past the first MB.
    part.usageHashHigh.set([0xf800_0001, 0x0800_0001, 0xf800_0001]);
    part.usageHashLow.set([7, 8, 7]);
    const finder = new DuplicateFinder(2_000_000);
    const touching = finder.touchMemory();
    finder.addPart(part);
    await touching;
    expect(finder.finish(table)?.map((reject) => `${reject.line} ${reject.detail}`)).toEqual(['4 UsageId "dup" was already read']);
  });
});

