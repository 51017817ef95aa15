import type { Reject, RejectReason } from '../model/cdr.js';
import type { LedgerEvent } from '../model/events.js';
import type { PoolReport } from '../pools/pool-book.js';
import type { EpochMs } from '../kernel/time.js';

export type Funding = 'free' | 'pool' | 'credits' | 'refused' | 'cut';

/** How one accepted call was funded: the explain file's row, with every figure to redo it by hand. */
export interface ExplainRow {
  file: string;
  line: number;
  usage_id: string;
  start: string;
  call_type: string;
  user: string;
  number: string;
  duration_s: number;
  funding: Funding;
  why: string;
  pool: string;
  pool_s: number;
  credit_s: number;
  rate_row: string;
  destination: string;
  per_minute: string;
  connection_fee: string;
  increments: string;
  billed_s: number;
  charge: string;
  paid: string;
  lots: string;
  dropped_at: string;
}

export interface MonthSummary {
  month: string;
  openingMicros: number;
  purchasedMicros: number;
  rechargedMicros: number;
  spentMicros: number;
  forfeitedMicros: number;
  closingMicros: number;
  drops: number;
}

export interface ReconciliationRow {
  destination: string;
  calls: number;
  recordedMicros: number;
  reratedMicros: number;
}

export interface ReplayResult {
  currency: string;
  minorDigits: number;
  source: 'rates' | 'recorded';
  start: EpochMs;
  end: EpochMs;
  calls: { read: number; rejected: number; free: number; pool: number; credits: number; refused: number; cut: number };
  credits: {
    fundedMicros: number;
    spentMicros: number;
    forfeitedMicros: number;
    closingMicros: number;
    recharges: number;
    rechargeFailures: number;
    topUps: number;
    autoRechargeDisabledAt: EpochMs | null;
  };
  drops: number;
  firstDrop: EpochMs | null;
  months: MonthSummary[];
  pools: PoolReport[];
  rejects: Reject[];
  rejectCounts: Partial<Record<RejectReason, number>>;
  /** Every ledger event, when the replay was asked to keep them (--events); else empty. */
  events: LedgerEvent[];
  /** Forfeits, failed recharges and auto-recharge switched off: the events a summary shows (first 1,000). */
  notableEvents: LedgerEvent[];
  /** `file:line` of each call an event names, by the event's callIndex (kept with the events). */
  eventCalls: Map<number, string>;
  reconciliation: ReconciliationRow[];
}
