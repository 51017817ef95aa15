import type { LedgerEvent } from '../model/events.js';
import { invariant } from '../kernel/errors.js';
import { MonthFinder, monthIndexOf, monthLabel } from '../kernel/calendar.js';
import type { EpochMs } from '../kernel/time.js';
import type { MonthSummary } from './result.js';

/**
 * Month-by-month money, fed event by event as the ledger posts them:
 * opening + purchased - spent - forfeited = closing. Drops count in the month they happen; a drop
 * after the end of the period (a call cut after it) counts in the last month.
 */
export class MonthLedger {
  private readonly first: number;
  private readonly months: MonthSummary[];
  // Every ledger event passes here, mostly in time order: the month found last is kept at hand.
  private readonly finder: MonthFinder;

  constructor(private readonly start: EpochMs, private readonly end: EpochMs, offsetMinutes: number) {
    this.finder = new MonthFinder(offsetMinutes);
    this.first = monthIndexOf(start, offsetMinutes);
    const last = monthIndexOf(end - 1, offsetMinutes);
    this.months = [];
    for (let index = this.first; index <= last; index++) {
      this.months.push({ month: monthLabel(index), openingMicros: 0, purchasedMicros: 0, rechargedMicros: 0, spentMicros: 0, forfeitedMicros: 0, closingMicros: 0, drops: 0 });
    }
  }

  add(event: LedgerEvent): void {
    if (event.type === 'purchase') {
      const month = this.monthOf(event.at);
      month.purchasedMicros += event.amountMicros;
      if (event.source === 'recharge') month.rechargedMicros += event.amountMicros;
    } else if (event.type === 'spend') this.monthOf(event.at).spentMicros += event.amountMicros;
    else if (event.type === 'forfeit') this.monthOf(event.at).forfeitedMicros += event.amountMicros;
  }

  addDrop(at: EpochMs): void {
    this.monthOf(at).drops++;
  }

  summary(): MonthSummary[] {
    let balance = 0;
    for (const month of this.months) {
      month.openingMicros = balance;
      balance += month.purchasedMicros - month.spentMicros - month.forfeitedMicros;
      month.closingMicros = balance;
    }
    return this.months;
  }

  private monthOf(at: EpochMs): MonthSummary {
    const clamped = Math.min(Math.max(at, this.start), this.end - 1);
    const month = this.months[this.finder.indexOf(clamped) - this.first];
    invariant(month !== undefined, () => `no month for ${at}`);
    return month;
  }
}
