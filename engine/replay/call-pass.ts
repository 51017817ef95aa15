import type { CallColumns } from '../columns/call-columns.js';
import type { CreditSink } from '../credits/credit-sink.js';
import type { CreditClaim } from '../credits/ledger.js';
import type { EpochMs } from '../kernel/time.js';
import type { LotShare } from '../model/events.js';
import { blankSplit, type CallSplit, type PoolStage } from '../pools/pool-stage.js';
import { fullChargeMicros } from '../rules/pricing.js';

export type Funding = 'free' | 'pool' | 'credits' | 'refused' | 'cut';

/** How one call ended once the credit sink had its credit-funded part; one object, reused. */
export interface CallOutcome {
  /** The call's position in replay order (rows rejected for want of a rate included). */
  callIndex: number;
  funding: Funding;
  /** The whole credit-funded part as priced, whatever was paid of it. */
  chargeMicros: number;
  paidMicros: number;
  billedSeconds: number;
  lots: LotShare[];
  dropAt: EpochMs | null;
}

/** A row of a part: how rows found to have no rate are kept until the edge describes them. */
export interface RowRef {
  partIndex: number;
  index: number;
}

/** Told of every call the pass settled (not the rows it rejected), with its split and outcome. */
export interface CallObserver {
  called(part: CallColumns, index: number, split: CallSplit, outcome: CallOutcome): void;
}

export interface FundingCounts {
  free: number;
  pool: number;
  credits: number;
  refused: number;
  cut: number;
}

export const UNLICENSED_WHY = 'no Communications Credits licence';
export const UNLICENSED_CUT_WHY = `pool used up; ${UNLICENSED_WHY}`;

/** Shared by every outcome that spends no credits (most calls): only ever replaced, never added to. */
const NO_LOTS: LotShare[] = [];

/**
 * The pass over calls in replay order: the pool stage splits each call, the credit sink settles its
 * credit-funded part, and the pass counts how calls were funded and when they dropped. What a
 * replay adds (months, reconciliation, explain rows) comes in through the observer.
 */
export class CallPass {
  readonly counts: FundingCounts = { free: 0, pool: 0, credits: 0, refused: 0, cut: 0 };
  firstDrop: EpochMs | null = null;
  /** Rows with a credit-funded part and no rate: rejected, in replay order. */
  readonly unrated: RowRef[] = [];
  private callIndex = 0;
  private readonly split = blankSplit();
  private readonly outcome: CallOutcome = { callIndex: 0, funding: 'free', chargeMicros: 0, paidMicros: 0, billedSeconds: 0, lots: NO_LOTS, dropAt: null };
  private readonly claim: CreditClaim = { callIndex: 0, startAt: 0, poolSeconds: 0, creditSeconds: 0, pricing: { kind: 'flat', amountMicros: 0 } };

  constructor(
    private readonly stage: PoolStage,
    private readonly sink: CreditSink,
    private readonly minorUnitMicros: number,
    private readonly observer: CallObserver | null,
  ) {}

  visit = (part: CallColumns, i: number, partIndex: number): void => {
    const { split, outcome } = this;
    const callIndex = this.callIndex++;
    this.stage.split(part, i, split);
    if (split.kind === 'no-rate') {
      this.unrated.push({ partIndex, index: i });
      return;
    }
    resetOutcome(outcome, callIndex);
    // A switch, not counts[funding]++: a store keyed by one of five strings ran on V8's slow path.
    switch (split.kind) {
      case 'free':
        this.counts.free++;
        break;
      case 'pool':
        outcome.funding = 'pool';
        this.counts.pool++;
        break;
      case 'credits':
        this.pay(part, i, split, outcome);
        break;
      case 'unlicensed':
        this.dropUnlicensed(part, i, split, outcome);
        break;
    }
    if (outcome.dropAt !== null && (this.firstDrop === null || outcome.dropAt < this.firstDrop)) this.firstDrop = outcome.dropAt;
    this.observer?.called(part, i, split, outcome);
  };

  private pay(part: CallColumns, i: number, split: CallSplit, outcome: CallOutcome): void {
    const claim = this.claimOf(part, i, split, outcome.callIndex);
    outcome.chargeMicros = fullChargeMicros(claim.pricing, split.creditSeconds, this.minorUnitMicros);
    const payment = this.sink.pay(claim);
    if (payment.status === 'refused') {
      outcome.funding = 'refused';
      outcome.dropAt = payment.at;
      this.counts.refused++;
      return;
    }
    outcome.paidMicros = payment.paidMicros;
    outcome.billedSeconds = payment.billedSeconds;
    outcome.lots = payment.lots;
    if (payment.status === 'paid') {
      outcome.funding = 'credits';
      this.counts.credits++;
    } else {
      outcome.funding = 'cut';
      outcome.dropAt = payment.cutAt;
      this.counts.cut++;
    }
  }

  private dropUnlicensed(part: CallColumns, i: number, split: CallSplit, outcome: CallOutcome): void {
    const claim = this.claimOf(part, i, split, outcome.callIndex);
    const cut = split.poolSeconds > 0;
    outcome.dropAt = this.sink.dropUnlicensed(claim, cut ? UNLICENSED_CUT_WHY : UNLICENSED_WHY);
    outcome.funding = cut ? 'cut' : 'refused';
    if (cut) this.counts.cut++;
    else this.counts.refused++;
  }

  private claimOf(part: CallColumns, i: number, split: CallSplit, callIndex: number): CreditClaim {
    const claim = this.claim;
    claim.callIndex = callIndex;
    claim.startAt = part.startAt[i] as number;
    claim.poolSeconds = split.poolSeconds;
    claim.creditSeconds = split.creditSeconds;
    // An unlicensed part may have no price (no rate needed to refuse it): the sink never charges it.
    if (split.pricing !== null) claim.pricing = split.pricing;
    return claim;
  }
}

function resetOutcome(outcome: CallOutcome, callIndex: number): void {
  outcome.callIndex = callIndex;
  outcome.funding = 'free';
  outcome.chargeMicros = 0;
  outcome.paidMicros = 0;
  outcome.billedSeconds = 0;
  outcome.lots = NO_LOTS;
  outcome.dropAt = null;
}
