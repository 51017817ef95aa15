import { describe, expect, it } from 'vitest';
import { documentSheets } from '../../engine/report/xlsx/workbook.js';

describe('a --json document as workbook sheets', () => {
  it("gives a postpaid forecast's monthly invoice percentiles a sheet, not JSON text in one summary cell", () => {
    const document = {
      model: 'bootstrap',
      invoices: { months: [{ month: '2026-01', p5: '6.16', p50: '7.04', p95: '11.11' }, { month: '2026-02', p5: '5.75', p50: '17.79', p95: '21.26' }], total: { p5: '99.94', p50: '111.01', p95: '124.00' } },
    };
    const sheets = documentSheets(document);
    expect(sheets.map((sheet) => sheet.name)).toEqual(['summary', 'invoices.months']);
    expect(sheets[0]?.rows).toEqual([
      { field: 'model', value: 'bootstrap' },
      { field: 'invoices.total.p5', value: '99.94' },
      { field: 'invoices.total.p50', value: '111.01' },
      { field: 'invoices.total.p95', value: '124.00' },
    ]);
    expect(sheets[1]?.rows).toEqual(document.invoices.months);
  });

  it("gives a postpaid replay's invoice lines a sheet of their own, each led by its month", () => {
    // Two invoices: January's two lines (0.04 + 0.21 = 0.25), February's none.
    const document = {
      invoices: [
        { month: '2026-01', amount: '0.25', calls: 2, split: [{ service: 'outbound', destination: 'Australia', calls: 1, amount: '0.04' }, { service: 'outbound', destination: 'France', calls: 1, amount: '0.21' }] },
        { month: '2026-02', amount: '0.00', calls: 0, split: [] },
      ],
    };
    const sheets = documentSheets(document);
    expect(sheets.map((sheet) => sheet.name)).toEqual(['summary', 'invoices', 'invoices split']);
    expect(sheets[1]?.rows).toEqual([
      { month: '2026-01', amount: '0.25', calls: 2 },
      { month: '2026-02', amount: '0.00', calls: 0 },
    ]);
    expect(sheets[2]?.rows).toEqual([
      { month: '2026-01', service: 'outbound', destination: 'Australia', calls: 1, amount: '0.04' },
      { month: '2026-01', service: 'outbound', destination: 'France', calls: 1, amount: '0.21' },
    ]);
  });
});
