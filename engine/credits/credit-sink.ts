import type { EpochMs } from '../kernel/time.js';
import type { CreditClaim, PaymentOutcome } from './ledger.js';

/**
 * Where the pool stage hands each credit-funded call part, in start order: the ledger for a
 * replay (in either model of a short balance, overdraft or cut), a demand collector for forecasts
 * and sweeps. Another way of billing (postpaid invoices) is another sink behind the same two calls.
 */
export interface CreditSink {
  /** A part the caller may pay from credits: how the sink settled it. */
  pay(claim: CreditClaim): PaymentOutcome;
  /**
   * A part nobody may pay (the caller lacks the credits licence): dropped whatever the balance, cut
   * where its pool part ends or refused at its start; `why` names the reason. Returns when it dropped.
   */
  dropUnlicensed(claim: CreditClaim, why: string): EpochMs;
}

/** Where an unlicensed part drops: where its pool part ends, or at its start with no pool part. */
export function unlicensedDropAt(claim: CreditClaim): EpochMs {
  return claim.poolSeconds > 0 ? claim.startAt + claim.poolSeconds * 1000 : claim.startAt;
}
