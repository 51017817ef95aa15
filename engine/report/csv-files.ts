import type { Reject } from '../model/cdr.js';
import type { LedgerEvent, LotShare } from '../model/events.js';
import type { ExplainRow, ReplayResult } from '../replay/result.js';
import { formatInstant } from '../kernel/time.js';
import { amountFormatter } from './amounts.js';
import { csvRows, type CsvColumns } from './csv-cells.js';

const REJECT_COLUMNS: CsvColumns<'file' | 'line' | 'reason' | 'detail' | 'raw'> = [
  ['file', 'text'], ['line', 'number'], ['reason', 'text'], ['detail', 'text'], ['raw', 'text'],
];

/** `--rejects FILE`: every row not used, with where it was and why (the raw row neutralised as any text cell). */
export function rejectsCsv(rejects: readonly Reject[]): string {
  return csvRows(REJECT_COLUMNS, rejects);
}

const EVENT_COLUMNS: CsvColumns<'at' | 'type' | 'amount' | 'balance' | 'lot' | 'call' | 'detail'> = [
  ['at', 'text'], ['type', 'text'], ['amount', 'number'], ['balance', 'number'], ['lot', 'text'], ['call', 'text'], ['detail', 'text'],
];

/** `--events FILE`: every ledger event in the order the ledger posted it. */
export function eventsCsv(result: ReplayResult): string {
  const money = amountFormatter(result.minorDigits);
  const callRef = (index: number): string => {
    const row = result.eventCalls.get(index);
    return row === undefined ? '' : `${row.file}:${row.line}`;
  };
  const rows = result.events.map((event: LedgerEvent) => {
    const common = { at: formatInstant(event.at), type: event.type, balance: 'balanceMicros' in event ? money(event.balanceMicros) : '' };
    switch (event.type) {
      case 'purchase':
        return { ...common, amount: money(event.amountMicros), lot: event.lotId, call: '', detail: `${event.source}; expires ${formatInstant(event.expiresAt)}` };
      case 'recharge-requested':
        return { ...common, amount: money(event.amountMicros), lot: '', call: '', detail: `lands ${formatInstant(event.landsAt)}` };
      case 'recharge-failed':
      case 'auto-recharge-disabled':
        return { ...common, amount: '', lot: '', call: '', detail: `${event.consecutiveFailures} consecutive failure(s)` };
      case 'spend':
        return { ...common, amount: money(event.amountMicros), lot: event.lots.map((share) => share.lotId).join(' '), call: callRef(event.callIndex), detail: spendDetail(event.amountMicros, event.lots, money) };
      case 'forfeit':
        return { ...common, amount: money(event.amountMicros), lot: event.lotId, call: '', detail: 'lot expired' };
      case 'debt-paid':
        return { ...common, amount: money(event.amountMicros), lot: event.lotId, call: '', detail: 'the purchase paid the debt first' };
      case 'balance-below-zero':
        return { ...common, amount: '', lot: '', call: '', detail: 'notification: the balance fell below zero' };
      case 'balance-exhausted':
        return { ...common, amount: '', lot: '', call: '', detail: 'notification: a call dropped for lack of credit' };
      case 'refused':
        return { ...common, amount: '', lot: '', call: callRef(event.callIndex), detail: event.why };
      case 'cut':
        return { ...common, amount: '', lot: '', call: callRef(event.callIndex), detail: `${event.why}; paid ${event.paidSeconds}s, unpaid ${event.unpaidSeconds}s` };
      case 'pool-80':
      case 'pool-100':
        return { ...common, amount: '', lot: '', call: '', detail: event.pool };
    }
  });
  return csvRows(EVENT_COLUMNS, rows);
}

/** The explain file's columns; a phone number, a user or a usage id is text, whatever it looks like. */
const EXPLAIN_COLUMNS: CsvColumns<keyof ExplainRow> = [
  ['file', 'text'], ['line', 'number'], ['usage_id', 'text'], ['start', 'text'], ['call_type', 'text'], ['user', 'text'],
  ['number', 'text'], ['duration_s', 'number'], ['recorded_capability', 'text'], ['capability', 'text'], ['funding', 'text'], ['why', 'text'], ['pool', 'text'], ['pool_s', 'number'],
  ['credit_s', 'number'], ['rate_row', 'text'], ['destination', 'text'], ['per_minute', 'number'], ['connection_fee', 'number'],
  ['increments', 'text'], ['billed_s', 'number'], ['charge', 'number'], ['paid', 'number'], ['lots', 'text'], ['dropped_at', 'text'],
];

/** `--explain FILE`: one row per accepted call, written as the replay goes, in batches. */
export class ExplainWriter {
  private batch: ExplainRow[] = [];
  private header = true;

  constructor(private readonly write: (text: string) => void) {}

  add = (row: ExplainRow): void => {
    this.batch.push(row);
    if (this.batch.length >= 10_000) this.flush();
  };

  flush(): void {
    if (this.batch.length === 0 && !this.header) return;
    this.write(csvRows(EXPLAIN_COLUMNS, this.batch, this.header));
    this.header = false;
    this.batch = [];
  }
}

function lotShares(shares: readonly LotShare[], money: (micros: number) => string): string {
  return shares.map((share) => `lot ${share.lotId}: ${money(share.amountMicros)}`).join('; ');
}

/** The lots a spend drew on and, in an overdraft, the part no lot held: debt, paid by the next purchase. */
function spendDetail(amountMicros: number, shares: readonly LotShare[], money: (micros: number) => string): string {
  const fromLots = shares.reduce((sum, share) => sum + share.amountMicros, 0);
  const lots = lotShares(shares, money);
  if (fromLots === amountMicros) return lots;
  const debt = `debt: ${money(amountMicros - fromLots)}`;
  return lots === '' ? debt : `${lots}; ${debt}`;
}

type SweepColumn =
  | 'trigger' | 'amount' | 'mode' | 'delaySeconds' | 'initial' | 'dropShare' | 'dropsP95' | 'firstDropP5'
  | 'purchases' | 'purchased' | 'forfeited' | 'balanceAvg' | 'balanceMin';

const SWEEP_COLUMNS: CsvColumns<SweepColumn> = [
  ['trigger', 'number'], ['amount', 'number'], ['mode', 'text'], ['delaySeconds', 'number'], ['initial', 'number'],
  ['dropShare', 'number'], ['dropsP95', 'number'], ['firstDropP5', 'text'], ['purchases', 'number'], ['purchased', 'number'],
  ['forfeited', 'number'], ['balanceAvg', 'number'], ['balanceMin', 'number'],
];

/** `sweep --csv FILE`: one row per recharge setting. */
export function sweepCsv(cells: readonly Readonly<Record<SweepColumn, string | number | null>>[]): string {
  return csvRows(SWEEP_COLUMNS, cells);
}
