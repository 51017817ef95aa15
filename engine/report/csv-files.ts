import { stringify } from 'csv-stringify/sync';
import type { Call, Reject } from '../cdr/call.js';
import type { LedgerEvent, LotShare } from '../credits/events.js';
import { formatMicrosPlain } from '../money.js';
import type { ReplayResult } from '../replay/result.js';
import { formatInstant } from '../time.js';
import { amountFormatter } from './amounts.js';

/** `--rejects FILE`: every row not used, with where it was and why. */
export function rejectsCsv(rejects: readonly Reject[]): string {
  return stringify(
    rejects.map((reject) => [reject.file, reject.line, reject.reason, reject.detail, reject.raw]),
    { header: true, columns: ['file', 'line', 'reason', 'detail', 'raw'] },
  );
}

/** `--events FILE`: every ledger event in the order the ledger posted it. */
export function eventsCsv(result: ReplayResult, calls: readonly Call[]): string {
  const money = amountFormatter(result.minorDigits);
  const callRef = (index: number): string => {
    const call = calls[index];
    return call === undefined ? '' : `${call.file}:${call.line}`;
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

/** `--explain FILE`: one row per accepted call, enough to redo its charge by hand. */
export function explainCsv(result: ReplayResult, calls: readonly Call[]): string {
  const money = amountFormatter(result.minorDigits);
  const rows = result.outcomes.map((outcome) => {
    const call = calls[outcome.callIndex] as Call;
    const rate = outcome.rate;
    return {
      file: call.file,
      line: call.line,
      usage_id: call.usageId,
      start: formatInstant(call.startAt),
      call_type: call.callType,
      user: call.upn,
      number: `${call.numberDigits}${call.numberMasked ? '*' : ''}`,
      duration_s: call.durationSeconds,
      funding: outcome.funding,
      why: outcome.why,
      pool: outcome.poolLabel ?? '',
      pool_s: outcome.poolSeconds,
      credit_s: outcome.creditSeconds,
      rate_row: rate?.source ?? '',
      destination: rate?.destination ?? '',
      per_minute: rate === null ? '' : formatMicrosPlain(rate.priceMicrosPerMinute),
      connection_fee: rate === null ? '' : formatMicrosPlain(rate.connectionMicros),
      increments: rate === null ? '' : `${rate.firstIncrementSeconds}/${rate.nextIncrementSeconds}`,
      billed_s: outcome.billedSeconds,
      charge: outcome.creditSeconds > 0 || outcome.chargeMicros > 0 ? money(outcome.chargeMicros) : '',
      paid: outcome.paidMicros > 0 ? money(outcome.paidMicros) : '',
      lots: lotShares(outcome.lots, money),
      dropped_at: outcome.dropAt === null ? '' : formatInstant(outcome.dropAt),
    };
  });
  return stringify(rows, {
    header: true,
    columns: ['file', 'line', 'usage_id', 'start', 'call_type', 'user', 'number', 'duration_s', 'funding', 'why', 'pool', 'pool_s', 'credit_s', 'rate_row', 'destination', 'per_minute', 'connection_fee', 'increments', 'billed_s', 'charge', 'paid', 'lots', 'dropped_at'],
  });
}

function lotShares(shares: readonly LotShare[], money: (micros: number) => string): string {
  return shares.map((share) => `lot ${share.lotId}: ${money(share.amountMicros)}`).join('; ');
}
