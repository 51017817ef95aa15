import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { onlyWarnings, runCli, tempFolder } from '../cli-helpers.js';
import { ROOT } from '../helpers.js';

type Json = Record<string, any>;

const SAMPLE = ['--cdrs', join(ROOT, 'data', 'sample', 'pstn-usage.csv'), '--scenario', join(ROOT, 'scenarios', 'sample.json')];
let folder = '';
const json: Record<string, Json> = {};
const books: Record<string, ExcelJS.Workbook> = {};

/** A command's --json and its --xlsx, read back with exceljs. */
async function workbook(kind: string, args: string[], name = kind, inputs = SAMPLE): Promise<void> {
  const file = join(folder, `${name}.xlsx`);
  const run = runCli([kind, ...inputs, ...args, '--json', '--xlsx', file]);
  expect(onlyWarnings(run.stderr)).toBe('');
  expect(run.code).toBe(0);
  json[name] = JSON.parse(run.stdout) as Json;
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  books[name] = book;
}

/** A sheet's rows as objects keyed by the header row, cells as exceljs read them. */
function rowsOf(sheet: ExcelJS.Worksheet): Record<string, unknown>[] {
  const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
  const rows: Record<string, unknown>[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const values = (row.values as unknown[]).slice(1);
    rows.push(Object.fromEntries(header.map((key, column) => [key, values[column] ?? null])));
  });
  return rows;
}

function sheet(kind: string, name: string): ExcelJS.Worksheet {
  const found = books[kind]?.getWorksheet(name);
  if (found === undefined) throw new Error(`${kind}: no sheet ${name}`);
  return found;
}

beforeAll(async () => {
  folder = tempFolder();
  await workbook('replay', []);
  await workbook('forecast', ['--trials', '20', '--seed', '3']);
  await workbook('sweep', ['--trials', '10', '--seed', '3', '--trigger', '10,20', '--amount', '50,100']);
  await workbook('forecast', ['--trials', '20', '--seed', '3'], 'postpaid', [SAMPLE[0] as string, SAMPLE[1] as string, '--scenario', join(ROOT, 'scenarios', 'postpaid.json')]);
}, 180_000);

describe('Excel workbooks, read back with exceljs', () => {
  it('replay: a sheet per table; money as numbers in USD format equal to --json; dates as dates; header frozen and filtered', () => {
    const names = books.replay?.worksheets.map((worksheet) => worksheet.name);
    expect(names).toEqual(['summary', 'months', 'pools', 'reconciliation', 'fundingDifferences', 'rejects by reason', 'first rejects', 'events']);
    const months = sheet('replay', 'months');
    const rows = rowsOf(months);
    expect(rows.map((row) => row.spent)).toEqual((json.replay?.months as Json[]).map((month) => Number(month.spent)));
    // 2026-02: opening 41.01 + purchased 100.00 - spent 27.24 = closing 113.77
    expect(rows[1]).toMatchObject({ month: '2026-02', opening: 41.01, purchased: 50, spent: 27.24, closing: 63.77 });
    expect(months.getCell('D2').numFmt).toBe('#,##0.00 "USD"');
    expect(months.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(months.autoFilter).toBe('A1:H1');
    const summary = rowsOf(sheet('replay', 'summary'));
    const value = (field: string) => summary.find((row) => row.field === field)?.value;
    // funded 100.00 (initial 50.00 + top-up 50.00) = spent 100.26 + forfeited 0.00 + closing -0.26:
    // the last call before the card failed took the balance 0.26 below zero (the overdraft model).
    expect([value('credits.funded'), value('credits.spent'), value('credits.forfeited'), value('credits.closing')]).toEqual([100, 100.26, 0, -0.26]);
    expect(value('firstDrop')).toEqual(new Date('2026-11-02T17:33:52Z'));
    const exhausted = rowsOf(sheet('replay', 'pools')).filter((pool) => pool.exhaustedAt !== null);
    expect(exhausted.map((pool) => pool.exhaustedAt)).toEqual([new Date('2026-05-29T17:55:20Z'), new Date('2026-12-23T10:05:22Z')]);
    // Every event but spends: 2 purchases (initial 50.00, top-up 50.00), 3 failed recharges,
    // auto-recharge disabled, balance below zero, 181 refused and 1 cut call, and the pools'
    // 9 pool-80 and 2 pool-100 notices = 200.
    const events = rowsOf(sheet('replay', 'events'));
    expect(events.length).toBe(200);
    expect(events[0]).toMatchObject({ at: new Date('2026-01-01T00:00:00Z'), type: 'purchase', amount: 50, balance: 50 });
    expect(events[1]).toMatchObject({ at: new Date('2026-01-19T16:57:34Z'), type: 'pool-80', detail: 'MCOMEETADD/*/2026-01/conference' });
    expect(events[2]).toMatchObject({ at: new Date('2026-02-01T00:00:00Z'), type: 'purchase', amount: 50, balance: 91.01 });
    expect(events.filter((event) => event.type === 'refused' || event.type === 'cut').length).toBe(json.replay?.drops);
  });

  it('forecast: months with each percentile as a number column', () => {
    const rows = rowsOf(sheet('forecast', 'months'));
    const months = json.forecast?.months as Json[];
    expect(rows.length).toBe(months.length);
    expect(rows.map((row) => row['spent.p50'])).toEqual(months.map((month) => Number(month.spent.p50)));
    expect(rows.map((row) => row['closing.p5'])).toEqual(months.map((month) => Number(month.closing.p5)));
  });

  it('sweep: one row per cell, equal to --json', () => {
    const rows = rowsOf(sheet('sweep', 'cells'));
    const cells = json.sweep?.cells as Json[];
    // 2 triggers x 2 amounts, mode "with": 4 cells
    expect(rows.length).toBe(4);
    expect(rows.map((row) => [row.trigger, row.amount, row.dropShare, row.balanceAvg])).toEqual(cells.map((cell) => [Number(cell.trigger), Number(cell.amount), cell.dropShare, Number(cell.balanceAvg)]));
  });

  it('forecast of a postpaid tenant: each month\'s invoice P5/P50/P95 as numbers in USD, the horizon total in the summary', () => {
    const document = json.postpaid as Json;
    expect(document.billing).toBe('postpaid');
    expect(books.postpaid?.worksheets.map((worksheet) => worksheet.name)).toEqual(['summary', 'invoices.months']);
    const invoices = sheet('postpaid', 'invoices.months');
    const rows = rowsOf(invoices);
    // The horizon is 12 months (the default) from 2026-01: one row each.
    expect(rows.map((row) => row.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
    const months = document.invoices.months as Json[];
    expect(rows.map((row) => [row.p5, row.p50, row.p95])).toEqual(months.map((month) => [Number(month.p5), Number(month.p50), Number(month.p95)]));
    expect(invoices.getCell('C2').numFmt).toBe('#,##0.00 "USD"');
    expect(invoices.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const summary = rowsOf(sheet('postpaid', 'summary'));
    const value = (field: string) => summary.find((row) => row.field === field)?.value;
    expect([value('invoices.total.p5'), value('invoices.total.p50'), value('invoices.total.p95')]).toEqual([Number(document.invoices.total.p5), Number(document.invoices.total.p50), Number(document.invoices.total.p95)]);
    // P5 <= P50 <= P95 every month, and no invoice is negative.
    for (const row of rows) expect((row.p5 as number) >= 0 && (row.p5 as number) <= (row.p50 as number) && (row.p50 as number) <= (row.p95 as number)).toBe(true);
  });
});
