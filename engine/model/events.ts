import type { EpochMs } from '../kernel/time.js';

export type PurchaseSource = 'initial' | 'topup' | 'recharge';

export interface LotShare {
  lotId: number;
  amountMicros: number;
}

/** Everything that happens to the Communications Credits balance, as data. */
export type LedgerEvent =
  | { type: 'purchase'; at: EpochMs; source: PurchaseSource; lotId: number; amountMicros: number; balanceMicros: number; expiresAt: EpochMs }
  /** Overdraft: the part of a purchase that paid the debt, spent from that lot at the purchase instant (already counted as spent by the calls that ran it up). */
  | { type: 'debt-paid'; at: EpochMs; lotId: number; amountMicros: number; balanceMicros: number }
  | { type: 'recharge-requested'; at: EpochMs; amountMicros: number; balanceMicros: number; landsAt: EpochMs }
  | { type: 'recharge-failed'; at: EpochMs; balanceMicros: number; consecutiveFailures: number }
  | { type: 'auto-recharge-disabled'; at: EpochMs; balanceMicros: number; consecutiveFailures: number }
  | { type: 'spend'; at: EpochMs; callIndex: number; amountMicros: number; balanceMicros: number; lots: LotShare[] }
  | { type: 'forfeit'; at: EpochMs; lotId: number; amountMicros: number; balanceMicros: number }
  /** Overdraft: a posting took the balance below zero (the vendor's e-mail); again only after it was back above zero. */
  | { type: 'balance-below-zero'; at: EpochMs; balanceMicros: number }
  /** Cut: the first call dropped for lack of credit since the last purchase (or since the start). */
  | { type: 'balance-exhausted'; at: EpochMs; balanceMicros: number }
  | { type: 'refused'; at: EpochMs; callIndex: number; balanceMicros: number; why: string }
  | { type: 'cut'; at: EpochMs; callIndex: number; balanceMicros: number; paidSeconds: number; unpaidSeconds: number; why: string }
  | PoolEvent;

/**
 * The vendor e-mails admins when a minute pool reaches 80% and 100% (DOMAIN §2): the instant its
 * drawn minutes reach the share, within the call that reaches it. `pool` is its explain-file name.
 */
export interface PoolEvent {
  type: PoolNotice;
  at: EpochMs;
  pool: string;
}

export type PoolNotice = 'pool-80' | 'pool-100';

export type LedgerEventSink = (event: LedgerEvent) => void;

/**
 * The notifications the vendor sends admins, as a replay met them: how many of each kind and the
 * first instant of each. Kinds are open (the balance's here; pools add theirs), listed in the order
 * they first happened.
 */
export type Notifications = Map<string, { count: number; firstAt: EpochMs }>;

/** The balance notifications a ledger event stands for (DOMAIN §6), or null. */
export function balanceNotificationOf(event: LedgerEvent): string | null {
  switch (event.type) {
    case 'balance-below-zero':
    case 'balance-exhausted':
    case 'recharge-failed':
      return event.type;
    case 'purchase':
      return event.source === 'recharge' ? 'recharge-succeeded' : null;
    default:
      return null;
  }
}

/** Counts one notification of `kind` at `at`, keeping the earliest instant. */
export function noteNotification(notifications: Notifications, kind: string, at: EpochMs): void {
  const seen = notifications.get(kind);
  if (seen === undefined) notifications.set(kind, { count: 1, firstAt: at });
  else {
    seen.count++;
    if (at < seen.firstAt) seen.firstAt = at;
  }
}
