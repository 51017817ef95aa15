import { formatMicros } from '../../kernel/money.js';
import { formatInstant } from '../../kernel/time.js';
import type { LedgerEvent } from '../../model/events.js';
import type { ReplayResult } from '../../replay/result.js';
import { jsonReport } from '../json-report.js';
import { documentSheets, workbookOf, type SheetRows } from './workbook.js';

/**
 * The replay's workbook: the `--json` document's sheets (summary, months, pools, reconciliation),
 * the rejects, and the ledger's events but spends (purchases, recharges that failed, forfeits,
 * drops), as a replay watcher kept them.
 */
export async function replayWorkbook(result: ReplayResult, events: readonly LedgerEvent[]): Promise<Uint8Array> {
  const document = jsonReport(result) as Record<string, unknown>;
  const money = (micros: number) => formatMicros(micros, result.minorDigits);
  const rejects = document.rejects as { byReason: Record<string, number>; first: Record<string, unknown>[] };
  const sheets: SheetRows[] = [
    ...documentSheets(document),
    { name: 'rejects by reason', rows: Object.entries(rejects.byReason).map(([reason, rows]) => ({ reason, rows })) },
    { name: 'first rejects', rows: rejects.first },
    { name: 'events', rows: events.map((event) => eventRow(event, money)) },
  ];
  return workbookOf(sheets, result.currency, result.minorDigits);
}

/** An event as a row: when, what, the amount it moved, the balance after it, and what it concerns. */
function eventRow(event: LedgerEvent, money: (micros: number) => string): Record<string, unknown> {
  const detail = event.type === 'purchase' ? `${event.source}, lot ${event.lotId}, expires ${formatInstant(event.expiresAt)}`
    : event.type === 'forfeit' ? `lot ${event.lotId}`
    : event.type === 'refused' || event.type === 'cut' ? event.why
    : event.type === 'recharge-requested' ? `lands ${formatInstant(event.landsAt)}`
    : event.type === 'recharge-failed' || event.type === 'auto-recharge-disabled' ? `${event.consecutiveFailures} failure(s) in a row`
    : event.type === 'pool-80' || event.type === 'pool-100' ? event.pool
    : '';
  return { at: formatInstant(event.at), type: event.type, amount: 'amountMicros' in event ? money(event.amountMicros) : null, balance: 'balanceMicros' in event ? money(event.balanceMicros) : null, detail };
}

/** A forecast, recommend or sweep `--json` document as a workbook (its cells, months, pools and invoices as sheets). */
export async function documentWorkbook(document: Record<string, unknown>, currency: string, minorDigits: number): Promise<Uint8Array> {
  return workbookOf(documentSheets(document), currency, minorDigits);
}
