import { describe, expect, it } from 'vitest';
import { BLOCK_BYTES_PER_ROW, ColumnBuilder, columnBuffers, type CallRow } from '../../engine/columns/call-columns.js';

const row = (n: number): CallRow => ({
  startAt: 1_767_225_600_000 + n * 1000, durationSeconds: n, route: n % 7, allowance: n - 1, service: n % 3, rate: 10 * n,
  user: n, capability: n % 2 === 0 ? -1 : n, country: 0x5553, recordedMicros: 1_000_000 * n + 0.5, line: n + 1,
  byteOffset: 2 ** 40 + n, usageHashHigh: 0xf000_0000 + n, usageHashLow: n,
});

const rowsOf = (part: ReturnType<ColumnBuilder['finish']>): CallRow[] =>
  Array.from({ length: part.count }, (_, i) => ({
    startAt: part.startAt[i], durationSeconds: part.durationSeconds[i], route: part.route[i], allowance: part.allowance[i],
    service: part.service[i], rate: part.rate[i], user: part.user[i], capability: part.capability[i], country: part.country[i],
    recordedMicros: part.recordedMicros[i], line: part.line[i], byteOffset: part.byteOffset[i], usageHashHigh: part.usageHashHigh[i],
    usageHashLow: part.usageHashLow[i],
  }) as CallRow);

describe('column builder', () => {
  it('hands its rows over as views on one block, and fills a spare block next', () => {
    const builder = new ColumnBuilder(3, 16, true);
    for (let n = 1; n <= 20; n++) builder.append(row(n)); // past 16 rows: it grows once
    const first = builder.handOver();
    expect(first.count).toBe(20);
    expect(first.fileIndex).toBe(3);
    expect(rowsOf(first)).toEqual(Array.from({ length: 20 }, (_, i) => row(i + 1)));
    // Every column is exactly 20 rows long and lies in the part's block, which travels alone.
    expect(first.startAt.length).toBe(20);
    expect(first.service.length).toBe(20);
    expect(columnBuffers(first)).toEqual([first.block]);
    expect(first.usageHashLow.buffer).toBe(first.block);
    expect(first.block?.byteLength).toBe(32 * BLOCK_BYTES_PER_ROW);

    // The next rows go into the spare (large enough), not into the block just handed over.
    const spare = new ArrayBuffer(40 * BLOCK_BYTES_PER_ROW);
    new Uint8Array(spare).fill(0xab); // what a part filled before left there
    builder.reset(4);
    expect(builder.handOver(spare).count).toBe(0);
    builder.append(row(100));
    builder.append(row(101));
    const third = builder.handOver();
    expect(third.block).toBe(spare);
    expect(third.fileIndex).toBe(4);
    expect(rowsOf(third)).toEqual([row(100), row(101)]);
    expect(rowsOf(first)).toEqual(Array.from({ length: 20 }, (_, i) => row(i + 1)));
  });

  it('leaves a spare too small for its capacity unused, and copies on finish', () => {
    const builder = new ColumnBuilder(0, 64, true);
    builder.append(row(1));
    builder.handOver(new ArrayBuffer(8 * BLOCK_BYTES_PER_ROW));
    builder.append(row(2));
    const copied = builder.finish();
    expect(copied.block).toBeUndefined();
    expect(copied.startAt.buffer.byteLength).toBe(8);
    builder.append(row(3));
    const handed = builder.handOver();
    expect(handed.block?.byteLength).toBe(64 * BLOCK_BYTES_PER_ROW);
    expect(rowsOf(copied)).toEqual([row(2)]);
    expect(rowsOf(handed)).toEqual([row(2), row(3)]);
    // A builder of one buffer a column (forecast trials) copies only: it has no block to give.
    const separate = new ColumnBuilder(0, 16);
    separate.append(row(7));
    expect(separate.finish().block).toBeUndefined();
    expect(rowsOf(separate.finish())).toEqual([row(7)]);
    expect(() => separate.handOver()).toThrow(/one block/);
  });
});
