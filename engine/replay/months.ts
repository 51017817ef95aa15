import type { LedgerEvent } from '../credits/events.js';
import { invariant } from '../errors.js';
import { monthKey, monthsBetween, type EpochMs } from '../time.js';
import type { CallOutcome, MonthSummary } from './result.js';

/**
 * Month-by-month money from the event log: opening + purchased - spent - forfeited = closing.
 * Events at the very end of the period (a lot expiring at `end`) belong to the last month.
 */
export function summarizeMonths(events: readonly LedgerEvent[], outcomes: readonly CallOutcome[], start: EpochMs, end: EpochMs, offsetMinutes: number): MonthSummary[] {
  const keys = monthsBetween(start, end, offsetMinutes);
  const months = new Map<string, MonthSummary>(
    keys.map((month) => [month, { month, openingMicros: 0, purchasedMicros: 0, rechargedMicros: 0, spentMicros: 0, forfeitedMicros: 0, closingMicros: 0, drops: 0 }]),
  );
  const monthOf = (at: EpochMs): MonthSummary => {
    const clamped = Math.min(Math.max(at, start), end - 1);
    const month = months.get(monthKey(clamped, offsetMinutes));
    invariant(month !== undefined, () => `no month for ${at}`);
    return month;
  };
  for (const event of events) {
    if (event.type === 'purchase') {
      monthOf(event.at).purchasedMicros += event.amountMicros;
      if (event.source === 'recharge') monthOf(event.at).rechargedMicros += event.amountMicros;
    } else if (event.type === 'spend') monthOf(event.at).spentMicros += event.amountMicros;
    else if (event.type === 'forfeit') monthOf(event.at).forfeitedMicros += event.amountMicros;
  }
  for (const outcome of outcomes) if (outcome.dropAt !== null) monthOf(outcome.dropAt).drops++;

  let balance = 0;
  for (const month of months.values()) {
    month.openingMicros = balance;
    balance += month.purchasedMicros - month.spentMicros - month.forfeitedMicros;
    month.closingMicros = balance;
  }
  return [...months.values()];
}
