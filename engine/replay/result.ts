import type { Reject, RejectReason } from '../cdr/call.js';
import type { LedgerEvent, LotShare } from '../credits/events.js';
import type { PoolReport } from '../pools/pool-book.js';
import type { RateRow } from '../rates/rate-table.js';
import type { EpochMs } from '../time.js';
import type { FreeReason } from './classify.js';

export type Funding = 'free' | 'pool' | 'credits' | 'refused' | 'cut';

/** How one accepted call was funded: the explain file's row. */
export interface CallOutcome {
  callIndex: number;
  funding: Funding;
  why: string;
  freeReason: FreeReason | null;
  poolLabel: string | null;
  poolSeconds: number;
  creditSeconds: number;
  rate: RateRow | null;
  /** What the credit-funded part costs in full, before the balance has its say. */
  chargeMicros: number;
  paidMicros: number;
  billedSeconds: number;
  lots: LotShare[];
  dropAt: EpochMs | null;
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
  events: LedgerEvent[];
  /** Per accepted call, in (start, file, line) order, with the call it explains. */
  outcomes: CallOutcome[];
  reconciliation: ReconciliationRow[];
}
