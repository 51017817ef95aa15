import { stringify } from 'csv-stringify/sync';
import type { Reject } from '../model/cdr.js';
import type { LedgerEvent, LotShare } from '../model/events.js';
import type { ExplainRow, ReplayResult } from '../replay/result.js';
import { formatInstant } from '../kernel/time.js';
import { amountFormatter } from './amounts.js';

/** `--rejects FILE`: every row not used, with where it was and why. */
export function rejectsCsv(rejects: readonly Reject[]): string {
  return stringify(
    rejects.map((reject) => [reject.file, reject.line, reject.reason, reject.detail, reject.raw]),
    { header: true, columns: ['file', 'line', 'reason', 'detail', 'raw'] },
  );
}

/** `--events FILE`: every ledger event in the order the ledger posted it. */
export function eventsCsv(result: ReplayResult): string {
  const money = amountFormatter(result.minorDigits);
  const callRef = (index: number): string => {
    const row = result.eventCalls.get(index);
    return row === undefined ? '' : `${row.file}:${row.line}`;
  };
  const rows = result.events.map((event: LedgerEvent) => {
    const common = { at: formatInstant(event.at), type: event.type, balance: money(event.balanceMicros) };
    switch (event.type) {
      case 'purchase':
        return { ...common, amount: money(event.amountMicros), lot: event.lotId, call: '', detail: `${event.source}; expires ${formatInstant(event.expiresAt)}` };
      case 'recharge-requested':
        return { ...common, amount: money(event.amountMicros), lot: '', call: '', detail: `lands ${formatInstant(event.landsAt)}` };
      case 'recharge-failed':
      case 'auto-recharge-disabled':
        return { ...common, amount: '', lot: '', call: '', detail: `${event.consecutiveFailures} consecutive failure(s)` };
      case 'spend':
        return { ...common, amount: money(event.amountMicros), lot: event.lots.map((share) => share.lotId).join(' '), call: callRef(event.callIndex), detail: lotShares(event.lots, money) };
      case 'forfeit':
        return { ...common, amount: money(event.amountMicros), lot: event.lotId, call: '', detail: 'lot expired' };
      case 'balance-zero':
        return { ...common, amount: '', lot: '', call: '', detail: '' };
      case 'refused':
        return { ...common, amount: '', lot: '', call: callRef(event.callIndex), detail: event.why };
      case 'cut':
        return { ...common, amount: '', lot: '', call: callRef(event.callIndex), detail: `${event.why}; paid ${event.paidSeconds}s, unpaid ${event.unpaidSeconds}s` };
    }
  });
  return stringify(rows, { header: true, columns: ['at', 'type', 'amount', 'balance', 'lot', 'call', 'detail'] });
}

export const EXPLAIN_COLUMNS = [
  'file', 'line', 'usage_id', 'start', 'call_type', 'user', 'number', 'duration_s', 'funding', 'why', 'pool', 'pool_s', 'credit_s',
  'rate_row', 'destination', 'per_minute', 'connection_fee', 'increments', 'billed_s', 'charge', 'paid', 'lots', 'dropped_at',
] as const satisfies readonly (keyof ExplainRow)[];

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
    this.write(stringify(this.batch, { header: this.header, columns: [...EXPLAIN_COLUMNS] }));
    this.header = false;
    this.batch = [];
  }
}

function lotShares(shares: readonly LotShare[], money: (micros: number) => string): string {
  return shares.map((share) => `lot ${share.lotId}: ${money(share.amountMicros)}`).join('; ');
}
