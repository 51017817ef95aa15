import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRateTables } from '../../engine/edge/load/load-rates.js';
import { tempFolder, writeFiles } from '../cli-helpers.js';

const HEADER = 'service,prefix,destination,per_minute,connection_fee,currency';

function tableFile(text: string): string {
  const folder = tempFolder();
  writeFiles(folder, { 'rates.csv': text });
  return join(folder, 'rates.csv');
}

describe('rate tables with comment lines (what rates infer writes)', () => {
  it('skips lines that begin with #, before and after the header, and keeps a # inside a cell', () => {
    const file = tableFile(`\uFEFF# learned from "jan.csv", feb.csv\n# a second, comment\n${HEADER}\n# between rows\noutbound,44,UK #1,0.025,0,USD\noutbound,447,UK mobile,0.12,0,USD\n`);
    const table = loadRateTables([file], 'USD');
    expect(table.rows.map((row) => [row.prefix, row.destination, row.priceMicrosPerMinute, row.source])).toEqual([
      ['44', 'UK #1', 25_000, `${file}:5`],
      ['447', 'UK mobile', 120_000, `${file}:6`],
    ]);
  });

  it('names the line an editor shows for a bad cell after comment lines', () => {
    const file = tableFile(`# one\n# two\n${HEADER}\n# three\noutbound,45,DK,abc,0,USD\n`);
    expect(() => loadRateTables([file], 'USD')).toThrow(`${file}:5: per_minute "abc" is not a non-negative decimal price`);
  });

  it('still reads a # that is not at the start of a line as data: a row of the wrong width is an error', () => {
    const file = tableFile(`${HEADER}\n outbound,44,UK,0.02,0,USD # not a comment\n`);
    expect(() => loadRateTables([file], 'USD')).toThrow(`${file}:2: currency "USD # not a comment" is not the scenario's currency USD`);
  });
});
