import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { documentSheets, workbookOf } from '../../engine/report/xlsx/workbook.js';
import { runCli, tempFolder } from '../cli-helpers.js';
import { ROOT } from '../helpers.js';
import { escapeHtml, inlineJson } from '../../engine/report/html/escape.js';
import { ReplaySeries } from '../../engine/report/html/replay-series.js';
import type { Scenario } from '../../engine/model/scenario.js';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const MIN = 60_000;

describe('placing input text in a page', () => {
  it('escapes the five characters that open a tag or end an attribute', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe('&#60;img src=x onerror=&#34;alert(&#39;1&#39;)&#34;&#62;&#38;');
  });

  it('keeps </script>, <!-- and line separators out of inline JSON, and reads back the same value', () => {
    const value = { name: '</script><script>alert(1)</script>', note: '<!-- x -->', lines: 'a\u2028b\u2029c', amp: 'A&B' };
    const text = inlineJson(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(text).toContain('\\u003c/script\\u003e');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('the replay series (per hour)', () => {
  const scenario = { offsetMinutes: 0, rating: { poolRounding: 'minute' } } as unknown as Scenario;

  it('keeps per hour the latest balance, the lowest, and counts purchases, forfeits, failures and drops', () => {
    const series = new ReplaySeries();
    series.begin(scenario, { start: T0, end: T0 + 10 * 24 * 60 * MIN }, null);
    series.event({ type: 'purchase', at: T0, source: 'initial', lotId: 1, amountMicros: 50_000_000, balanceMicros: 50_000_000, expiresAt: T0 });
    series.event({ type: 'spend', at: T0 + 20 * MIN, callIndex: 0, amountMicros: 2_000_000, balanceMicros: 48_000_000, lots: [] });
    // A cut dated later in the hour than the call that follows it: the close is the latest instant's balance.
    series.event({ type: 'cut', at: T0 + 50 * MIN, callIndex: 1, balanceMicros: 0, paidSeconds: 60, unpaidSeconds: 10, why: '' });
    series.event({ type: 'spend', at: T0 + 30 * MIN, callIndex: 2, amountMicros: 1_000_000, balanceMicros: 47_000_000, lots: [] });
    // Hour 2 (02:00-03:00): a failed recharge, then a forfeit of 5.00 into overdraft (-5.00).
    series.event({ type: 'recharge-failed', at: T0 + 125 * MIN, balanceMicros: 0, consecutiveFailures: 1 });
    series.event({ type: 'forfeit', at: T0 + 130 * MIN, lotId: 1, amountMicros: 5_000_000, balanceMicros: -5_000_000 });
    const data = series.data();
    expect(data.bucketMs).toBe(60 * MIN);
    expect(data.balance).toEqual({
      atMs: [T0, T0 + 120 * MIN],
      closeMicros: [0, -5_000_000],
      minMicros: [0, -5_000_000],
      purchases: [1, 0],
      purchasedMicros: [50_000_000, 0],
      failures: [0, 1],
      forfeits: [0, 1],
      forfeitedMicros: [0, 5_000_000],
      drops: [1, 0],
    });
    expect(data.firstBelowZeroAt).toBe(T0 + 130 * MIN);
  });

  it('counts per day over a period longer than 800 days, and forgets everything on reset', () => {
    const series = new ReplaySeries();
    series.begin(scenario, { start: T0, end: T0 + 801 * 24 * 60 * MIN }, null);
    series.event({ type: 'balance-below-zero', at: T0 + 25 * 60 * MIN, balanceMicros: 0 });
    expect(series.data().balance.atMs).toEqual([T0 + 24 * 60 * MIN]);
    series.reset();
    expect(series.data().balance.atMs).toEqual([]);
  });
});

describe('the same report whatever the reading', () => {
  it('one worker and 4 KiB chunks (a replay fed while reading) give the same HTML bytes as the defaults', () => {
    const folder = tempFolder();
    const sample = ['--cdrs', join(ROOT, 'data', 'sample', 'pstn-usage.csv'), '--scenario', join(ROOT, 'scenarios', 'sample.json')];
    const write = (name: string, extra: string[]) => {
      const run = runCli(['replay', ...sample, ...extra, '--html', join(folder, `${name}.html`)]);
      expect(run.code, run.stderr).toBe(0);
      return readFileSync(join(folder, `${name}.html`), 'utf8');
    };
    expect(write('small-chunks', ['--workers', '1', '--chunk-size', '4KiB'])).toBe(write('defaults', []));
  });
});

describe('a workbook from a document with keys added later', () => {
  it('gives a new array its own typed sheet, a new figure its summary row, and a clashing name " (2)"', async () => {
    const document = {
      currency: 'USD',
      credits: { funded: '10.00', expiringAtEnd: '-2.50' },
      warnings: ['a', 'b'],
      invoices: [{ month: '2026-01', amount: '12.30', dueAt: '2026-02-01T00:00:00Z', note: '=1+1' }],
    };
    const sheets = [...documentSheets(document), { name: 'invoices', rows: [{ n: 1 }] }];
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await workbookOf(sheets, 'USD', 2)).buffer as ArrayBuffer);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['summary', 'invoices', 'invoices (2)']);
    const invoice = book.getWorksheet('invoices')?.getRow(2);
    expect([invoice?.getCell(1).value, invoice?.getCell(2).value, invoice?.getCell(3).value, invoice?.getCell(4).value]).toEqual(['2026-01', 12.3, new Date('2026-02-01T00:00:00Z'), '=1+1']);
    expect(invoice?.getCell(2).numFmt).toBe('#,##0.00 "USD"');
    const summary = book.getWorksheet('summary');
    const rows = [2, 3, 4, 5].map((row) => [summary?.getRow(row).getCell(1).value, summary?.getRow(row).getCell(2).value]);
    expect(rows).toEqual([['currency', 'USD'], ['credits.funded', 10], ['credits.expiringAtEnd', -2.5], ['warnings', '["a","b"]']]);
  });
});
