import type { CallColumns } from '../columns/call-columns.js';
import type { CallTable } from '../columns/call-table.js';
import type { CallSplit } from '../pools/pool-stage.js';
import type { CallOutcome, Funding, RowRef } from './call-pass.js';
import type { Reject, RejectReason } from '../model/cdr.js';
import type { LedgerEvent, Notifications } from '../model/events.js';
import type { PoolReport } from '../pools/pool-book.js';
import type { EpochMs } from '../kernel/time.js';
import type { Billing } from '../model/scenario.js';
import type { Invoice } from './invoices.js';
import type { Attribution } from '../pools/plan-attribution.js';

/** A row of an input file, by name and line. */
export interface RowId {
  file: string;
  line: number;
}

/**
 * One settled call as data, for the explain file: its columns, how the pool stage split it and how
 * it ended. Split and outcome are reused for the next call, so a record is read when it is given.
 */
export interface ExplainRecord {
  table: CallTable;
  part: CallColumns;
  index: number;
  split: CallSplit;
  outcome: CallOutcome;
}

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
  /** The Capability the export recorded, and the one the replay used (the caller's plan for a payment source). */
  recorded_capability: string;
  capability: string;
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

/** Where a call's money came from, as the export records it and as the replay found it. */
export type FundingSource = 'pool' | 'credits';

/** Calls of one destination and user whose simulated funding source is not the recorded one. */
export interface FundingDifferenceRow {
  destination: string;
  user: string;
  recorded: FundingSource;
  simulated: FundingSource;
  calls: number;
  durationSeconds: number;
}

export interface ReplayResult {
  currency: string;
  minorDigits: number;
  source: 'rates' | 'recorded' | 'cgrates';
  billing: Billing;
  /** Postpaid: each calendar month's invoice of the period, in order; prepaid: empty. */
  invoices: Invoice[];
  /** What the answer should be read with (pools whose size was guessed), one sentence each. */
  warnings: string[];
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
    /** What the lots expiring exactly at `end` hold: in the closing balance, gone at that instant. */
    expiringAtEndMicros: number;
  };
  /** The vendor's notifications by kind (the ledger's balance ones, the pools' pool-80 and pool-100): how many, and the first instant. */
  notifications: Notifications;
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
  /** The row of each call an event names, by the event's callIndex (kept with the events). */
  eventCalls: Map<number, RowId>;
  /**
   * Rows the replay rejected for want of a rate, not yet in `rejects` (whose text the edge reads
   * back from the files); `calls.rejected` counts them already.
   */
  unrated: RowRef[];
  reconciliation: ReconciliationRow[];
  /** Calls whose simulated funding source (pool or credits) differs from the recorded one. */
  fundingDifferences: FundingDifferenceRow[];
  /** What the attribution pass did before the replay (payment sources given to plans, aliases). */
  attribution: Attribution;
}
