import { formatMicros } from '../../kernel/money.js';
import { formatInstant } from '../../kernel/time.js';
import type { ReplayResult } from '../../replay/result.js';
import { jsonReport } from '../json-report.js';
import { documentSheets, workbookOf, type SheetRows } from './workbook.js';

/**
 * The replay's workbook: the `--json` document's sheets (summary, months, pools, reconciliation)
 * and the notable ledger events (forfeits, failed recharges, auto-recharge switched off).
 */
export async function replayWorkbook(result: ReplayResult): Promise<Uint8Array> {
  const document = jsonReport(result) as Record<string, unknown>;
  const money = (micros: number) => formatMicros(micros, result.minorDigits);
  const rejects = document.rejects as { byReason: Record<string, number>; first: Record<string, unknown>[] };
  const sheets: SheetRows[] = [
    ...documentSheets(document),
    { name: 'rejects by reason', rows: Object.entries(rejects.byReason).map(([reason, rows]) => ({ reason, rows })) },
    { name: 'first rejects', rows: rejects.first },
    { name: 'events', rows: result.notableEvents.map((event) => ({ at: formatInstant(event.at), type: event.type, amount: 'amountMicros' in event ? money(event.amountMicros) : null, balance: money(event.balanceMicros) })) },
  ];
  return workbookOf(sheets, result.currency, result.minorDigits);
}

/** A forecast, recommend or sweep `--json` document as a workbook (its cells, months and pools as sheets). */
export async function documentWorkbook(document: Record<string, unknown>, currency: string, minorDigits: number): Promise<Uint8Array> {
  return workbookOf(documentSheets(document), currency, minorDigits);
}
