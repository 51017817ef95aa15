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
  | { type: 'cut'; at: EpochMs; callIndex: number; balanceMicros: number; paidSeconds: number; unpaidSeconds: number; why: string };

export type LedgerEventSink = (event: LedgerEvent) => void;
