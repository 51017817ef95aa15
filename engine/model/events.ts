import type { EpochMs } from '../kernel/time.js';

export type PurchaseSource = 'initial' | 'topup' | 'recharge';

export interface LotShare {
  lotId: number;
  amountMicros: number;
}

/** Everything that happens to the Communications Credits balance, as data. */
export type LedgerEvent =
  | { type: 'purchase'; at: EpochMs; source: PurchaseSource; lotId: number; amountMicros: number; balanceMicros: number; expiresAt: EpochMs }
  | { type: 'recharge-requested'; at: EpochMs; amountMicros: number; balanceMicros: number; landsAt: EpochMs }
  | { type: 'recharge-failed'; at: EpochMs; balanceMicros: number; consecutiveFailures: number }
  | { type: 'auto-recharge-disabled'; at: EpochMs; balanceMicros: number; consecutiveFailures: number }
  | { type: 'spend'; at: EpochMs; callIndex: number; amountMicros: number; balanceMicros: number; lots: LotShare[] }
  | { type: 'forfeit'; at: EpochMs; lotId: number; amountMicros: number; balanceMicros: number }
  | { type: 'balance-zero'; at: EpochMs; balanceMicros: number }
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
