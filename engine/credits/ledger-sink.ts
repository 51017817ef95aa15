import type { EpochMs } from '../kernel/time.js';
import type { LedgerEventSink } from '../model/events.js';
import { unlicensedDropAt, type CreditSink } from './credit-sink.js';
import type { CreditClaim, CreditLedger, PaymentOutcome } from './ledger.js';

/** The replay's credit sink: each part posted to the prepaid ledger at its start. */
export class LedgerSink implements CreditSink {
  constructor(
    private readonly ledger: CreditLedger,
    private readonly emit: LedgerEventSink,
  ) {}

  pay(claim: CreditClaim): PaymentOutcome {
    this.ledger.advanceTo(claim.startAt);
    return this.ledger.pay(claim);
  }

  dropUnlicensed(claim: CreditClaim, why: string): EpochMs {
    const at = unlicensedDropAt(claim);
    const balanceMicros = this.ledger.totals.balanceMicros;
    if (claim.poolSeconds > 0) {
      this.emit({ type: 'cut', at, callIndex: claim.callIndex, balanceMicros, paidSeconds: 0, unpaidSeconds: claim.creditSeconds, why });
    } else {
      this.emit({ type: 'refused', at, callIndex: claim.callIndex, balanceMicros, why });
    }
    return at;
  }
}
