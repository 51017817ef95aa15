import type { EpochMs } from '../kernel/time.js';
import { balanceNotificationOf, noteNotification, type LedgerEvent, type Notifications } from '../model/events.js';
import type { MonthLedger } from './months.js';

/** At most this many notable events are kept for the summary. */
const NOTABLE_EVENTS = 1000;

/**
 * The replay's second count of the money, from the ledger's event stream alone (check
 * conservation twice): totals, months, the events kept for --events and the notable ones.
 */
export class LedgerTally {
  fundedMicros = 0;
  spentMicros = 0;
  forfeitedMicros = 0;
  recharges = 0;
  rechargeFailures = 0;
  topUps = 0;
  disabledAt: EpochMs | null = null;
  readonly events: LedgerEvent[] = [];
  readonly notableEvents: LedgerEvent[] = [];
  /** The vendor's balance notifications met so far: count and first instant of each kind. */
  readonly notifications: Notifications = new Map();

  constructor(
    private readonly months: MonthLedger,
    private readonly keepEvents: boolean,
  ) {}

  add = (event: LedgerEvent): void => {
    this.months.add(event);
    if (event.type === 'purchase') {
      this.fundedMicros += event.amountMicros;
      if (event.source === 'recharge') this.recharges++;
      if (event.source === 'topup') this.topUps++;
    } else if (event.type === 'spend') this.spentMicros += event.amountMicros;
    else if (event.type === 'forfeit') this.forfeitedMicros += event.amountMicros;
    else if (event.type === 'recharge-failed') this.rechargeFailures++;
    else if (event.type === 'auto-recharge-disabled') this.disabledAt ??= event.at;
    const notification = balanceNotificationOf(event);
    if (notification !== null) noteNotification(this.notifications, notification, event.at);
    if (this.keepEvents) this.events.push(event);
    if (isNotable(event) && this.notableEvents.length < NOTABLE_EVENTS) this.notableEvents.push(event);
  };
}

function isNotable(event: LedgerEvent): boolean {
  switch (event.type) {
    case 'forfeit':
    case 'recharge-failed':
    case 'auto-recharge-disabled':
    case 'balance-below-zero':
    case 'balance-exhausted':
      return true;
    default:
      return false;
  }
}
