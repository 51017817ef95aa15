import { InputError } from '../kernel/errors.js';
import { MonthFinder } from '../kernel/calendar.js';
import { formatMicrosPlain } from '../kernel/money.js';
import { formatInstant, type EpochMs } from '../kernel/time.js';
import type { LedgerEventSink, LotShare } from '../model/events.js';
import { MAX_PURCHASED_MICROS } from '../model/scenario.js';
import { fullChargeMicros } from '../rules/pricing.js';
import { billedSeconds, incrementCount } from '../rules/increments.js';
import { unlicensedDropAt, type CreditSink } from './credit-sink.js';
import type { CreditClaim, PaymentOutcome } from './ledger.js';

type Paid = Extract<PaymentOutcome, { status: 'paid' }>;

const NO_LOTS: LotShare[] = [];

/**
 * The credit sink of a postpaid tenant (DOMAIN §8): no balance, no lots, nothing bought; every
 * credit-funded part is charged whole at its rate and goes on the invoice of the calendar month
 * (at the scenario's offset) it starts in. Only the credits licence can still drop a call.
 */
export class InvoiceSink implements CreditSink {
  /** Invoiced micros by month index (year * 12 + month - 1). */
  readonly invoicedMicrosByMonth = new Map<number, number>();
  totalMicros = 0;
  calls = 0;
  private readonly months: MonthFinder;
  // One outcome, rewritten per call: the pass reads it before the next call.
  private readonly paid: Paid = { status: 'paid', paidMicros: 0, billedSeconds: 0, lots: NO_LOTS };

  constructor(
    offsetMinutes: number,
    private readonly minorUnitMicros: number,
    private readonly emit: LedgerEventSink,
  ) {
    this.months = new MonthFinder(offsetMinutes);
  }

  pay(claim: CreditClaim): PaymentOutcome {
    const amountMicros = fullChargeMicros(claim.pricing, claim.creditSeconds, this.minorUnitMicros);
    // The same bound as money bought: past it a total in micros would no longer be exact.
    if (this.totalMicros + amountMicros > MAX_PURCHASED_MICROS) {
      throw new InputError(`invoices: the charges up to the call at ${formatInstant(claim.startAt)} add up past ${formatMicrosPlain(MAX_PURCHASED_MICROS)}, the most one run may count exactly`);
    }
    const month = this.months.indexOf(claim.startAt);
    this.invoicedMicrosByMonth.set(month, (this.invoicedMicrosByMonth.get(month) ?? 0) + amountMicros);
    this.totalMicros += amountMicros;
    this.calls++;
    const { paid } = this;
    paid.paidMicros = amountMicros;
    paid.billedSeconds = claim.pricing.kind === 'flat' ? claim.creditSeconds : billedSeconds(incrementCount(claim.creditSeconds, claim.pricing), claim.pricing);
    return paid;
  }

  /** No licence, no invoice: the part drops as in a prepaid replay, whatever anyone would pay. */
  dropUnlicensed(claim: CreditClaim, why: string): EpochMs {
    const at = unlicensedDropAt(claim);
    if (claim.poolSeconds > 0) this.emit({ type: 'cut', at, callIndex: claim.callIndex, balanceMicros: 0, paidSeconds: 0, unpaidSeconds: claim.creditSeconds, why });
    else this.emit({ type: 'refused', at, callIndex: claim.callIndex, balanceMicros: 0, why });
    return at;
  }
}
