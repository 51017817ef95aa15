import type { CallPricing } from '../rules/pricing.js';
import { fullChargeMicros } from '../rules/pricing.js';
import type { TopUp } from '../model/credits-policy.js';
import { InputError, invariant } from '../kernel/errors.js';
import { formatMicrosPlain } from '../kernel/money.js';
import { MAX_PURCHASED_MICROS } from '../model/scenario.js';
import type { Random } from '../kernel/random.js';
import { billedSeconds, incrementCount } from '../rules/increments.js';
import { addCalendarMonths, formatInstant, type EpochMs } from '../kernel/time.js';
import type { LedgerEventSink, LotShare, PurchaseSource } from '../model/events.js';
import { isBelowTrigger, type CreditsConfig } from '../model/credits-policy.js';
import { mostIncrementsWithin, pieceCost } from './affordable.js';
import { LotBook, type Lot } from './lot-book.js';

export type { Lot } from './lot-book.js';

/** One call's claim on the balance, in start-time order. */
export interface CreditClaim {
  callIndex: number;
  startAt: EpochMs;
  /** Seconds already covered by a minute pool; credits pay from there on. */
  poolSeconds: number;
  creditSeconds: number;
  pricing: CallPricing;
}

export type PaymentOutcome =
  | { status: 'paid'; paidMicros: number; billedSeconds: number; lots: LotShare[] }
  | { status: 'cut'; paidMicros: number; billedSeconds: number; paidSeconds: number; cutAt: EpochMs; lots: LotShare[] }
  | { status: 'refused'; at: EpochMs };

export interface LedgerTotals {
  fundedMicros: number;
  spentMicros: number;
  forfeitedMicros: number;
  balanceMicros: number;
}

/**
 * The Communications Credits balance: lots spent first-in-first-out, forfeited at expiry,
 * auto-recharged below the trigger; when money runs short, an overdraft or a cut (DOMAIN §6). Pure:
 * time comes in with each call, randomness from `random`, and every change goes out as an event.
 */
export class CreditLedger {
  private readonly book = new LotBook();
  private nextLotId = 1;
  private nextTopUp = 0;
  private pending: { landsAt: EpochMs; amountMicros: number } | null = null;
  private consecutiveFailures = 0;
  private autoRechargeDisabled = false;
  /** Overdraft: `balance-below-zero` was raised and the balance has not been above zero since. */
  private belowZeroRaised = false;
  /** Cut: `balance-exhausted` was raised and nothing has been bought since. */
  private exhaustedRaised = false;
  private funded = 0;
  private spent = 0;
  private forfeited = 0;
  private balance = 0;

  constructor(
    private readonly config: CreditsConfig,
    private readonly random: Random,
    private readonly emit: LedgerEventSink,
    private readonly topUps: readonly TopUp[] = [],
  ) {
    for (let i = 1; i < topUps.length; i++) {
      invariant((topUps[i - 1] as TopUp).at <= (topUps[i] as TopUp).at, () => 'top-ups must be in time order');
    }
  }

  get balanceMicros(): number {
    return this.balance;
  }

  get totals(): LedgerTotals {
    return { fundedMicros: this.funded, spentMicros: this.spent, forfeitedMicros: this.forfeited, balanceMicros: this.balance };
  }

  /** Whether a posting that leaves the balance below the trigger would make a purchase attempt now. */
  get rechargeArmed(): boolean {
    return this.config.recharge !== null && !this.autoRechargeDisabled && this.pending === null;
  }

  /** When the next expiry, landing recharge or top-up is due; Infinity when none is. */
  nextScheduledAt(): EpochMs {
    const expiring = this.book.oldest();
    return Math.min(expiring?.expiresAt ?? Infinity, this.pending?.landsAt ?? Infinity, this.topUps[this.nextTopUp]?.at ?? Infinity);
  }

  /**
   * Posts many whole calls at once, all before the next scheduled event and none reaching the
   * trigger: the caller (the event-skipping replay) has checked that the balance covers them and
   * that no trigger check would act, so the lots, totals and balance end exactly as if posted one
   * by one. No event is emitted for them (none would be: the balance stays at or above zero).
   */
  spendInBulk(amountMicros: number): void {
    invariant(amountMicros >= 0 && amountMicros <= this.balance, () => `bulk spend of ${amountMicros} against a balance of ${this.balance}`);
    this.book.takeHeld(amountMicros);
    this.balance -= amountMicros;
    this.spent += amountMicros;
    this.checkConservation();
  }

  /** Live lots, oldest first (for tests and reports). */
  liveLots(): readonly Lot[] {
    return this.book.live();
  }

  /** What the lots expiring exactly at `at` still hold: money that leaves the balance at the end of a period. */
  heldExpiringAt(at: EpochMs): number {
    return this.book.heldExpiringAt(at);
  }

  purchase(at: EpochMs, amountMicros: number, source: PurchaseSource): void {
    invariant(amountMicros > 0 && amountMicros % this.config.minorUnitMicros === 0, () => `purchase of ${amountMicros} micros is not a positive whole minor amount`);
    // Bought is the largest ledger total (spent, forfeited and the balance never exceed it), so this
    // one bound keeps every total exact; only recharges, which depend on the traffic, can reach it.
    if (this.funded + amountMicros > MAX_PURCHASED_MICROS) {
      throw new InputError(
        `credits: the ${source} of ${formatMicrosPlain(amountMicros)} at ${formatInstant(at)} would take the money bought past ${formatMicrosPlain(MAX_PURCHASED_MICROS)}, the most one run may buy in all (so that every total stays exact): lower the recharge amount`,
      );
    }
    const lot: Lot = {
      id: this.nextLotId++,
      source,
      purchasedAt: at,
      expiresAt: addCalendarMonths(at, this.config.expiryMonths, this.config.offsetMinutes),
      amountMicros,
      remainingMicros: amountMicros,
    };
    const paidDebt = this.book.add(lot);
    this.funded += amountMicros;
    this.balance += amountMicros;
    this.exhaustedRaised = false;
    if (this.balance > 0) this.belowZeroRaised = false;
    this.emit({ type: 'purchase', at, source, lotId: lot.id, amountMicros, balanceMicros: this.balance, expiresAt: lot.expiresAt });
    if (paidDebt > 0) this.emit({ type: 'debt-paid', at, lotId: lot.id, amountMicros: paidDebt, balanceMicros: this.balance });
    this.checkConservation();
  }

  /**
   * Applies what is due at or before `at`, in time order; at one instant expiries first, then a
   * landing recharge, then top-ups (RULES.md §6), so they all precede calls starting then.
   */
  advanceTo(at: EpochMs): void {
    for (;;) {
      const expiring = this.book.oldest();
      const topUp = this.topUps[this.nextTopUp];
      const expiryAt = expiring?.expiresAt ?? Infinity;
      const landingAt = this.pending?.landsAt ?? Infinity;
      const topUpAt = topUp?.at ?? Infinity;
      const next = Math.min(expiryAt, landingAt, topUpAt);
      if (next > at) return;
      if (expiryAt === next && expiring !== undefined) this.expire(expiring);
      else if (landingAt === next && this.pending !== null) {
        const { amountMicros } = this.pending;
        this.pending = null;
        this.purchase(next, amountMicros, 'recharge');
      } else if (topUp !== undefined) {
        this.nextTopUp++;
        this.purchase(topUp.at, topUp.amountMicros, 'topup');
      }
    }
  }

  /** Posts a call's credit-funded part at its start, as the scenario's model of a short balance says. */
  pay(claim: CreditClaim): PaymentOutcome {
    return this.config.exhaustion === 'overdraft' ? this.payOverdraft(claim) : this.payCut(claim);
  }

  /**
   * Overdraft: a call starts only while the balance is above zero and is then posted whole at its
   * start, however far below zero that takes the balance. A balance at zero or below makes a
   * trigger check first (as a cut call does), in case a recharge lands at once.
   */
  private payOverdraft(claim: CreditClaim): PaymentOutcome {
    const { startAt } = claim;
    if (this.balance <= 0) this.checkTrigger(startAt);
    if (this.balance <= 0) return this.dropUnpaid(claim, 'balance is zero or below');
    const amount = fullChargeMicros(claim.pricing, claim.creditSeconds, this.config.minorUnitMicros);
    const lots = this.spend(startAt, amount, claim.callIndex);
    this.checkTrigger(startAt);
    const increments = claim.pricing.kind === 'flat' ? 1 : incrementCount(claim.creditSeconds, claim.pricing);
    return { status: 'paid', paidMicros: amount, billedSeconds: billedOf(claim, increments), lots };
  }

  /**
   * Cut: whole if the balance covers it, else as many whole increments as it covers (connection fee
   * with the first), then the trigger; a recharge that lands at once lets the call go on without a
   * second connection fee, otherwise it is cut (or dropped unpaid if nothing was paid).
   */
  private payCut(claim: CreditClaim): PaymentOutcome {
    const { startAt } = claim;
    const unit = this.config.minorUnitMicros;
    const totalIncrements = claim.pricing.kind === 'flat' ? 1 : incrementCount(claim.creditSeconds, claim.pricing);
    // Nearly every call is paid in one piece: its lots are that piece's, with no array of their own.
    let lots = NO_SHARES;
    let ownLots = false;
    let paidIncrements = 0;
    let paidMicros = 0;

    while (paidIncrements < totalIncrements) {
      const withFee = paidIncrements === 0;
      const full = pieceCost(claim.pricing, paidIncrements, totalIncrements, withFee, unit);
      let affordable = totalIncrements - paidIncrements;
      if (full > this.balance) affordable = mostIncrementsWithin(claim.pricing, paidIncrements, totalIncrements, withFee, this.balance, unit);
      if (affordable > 0) {
        const amount = pieceCost(claim.pricing, paidIncrements, paidIncrements + affordable, withFee, unit);
        const taken = this.spend(startAt, amount, claim.callIndex);
        if (lots === NO_SHARES) lots = taken;
        else {
          // The first piece's shares are its spend event's own array: copied once, then pushed
          // onto (a concat per piece, one piece per recharge of a very long call, was quadratic).
          if (!ownLots) lots = lots.slice();
          ownLots = true;
          for (const share of taken) lots.push(share);
        }
        paidIncrements += affordable;
        paidMicros += amount;
      }
      const boughtAtOnce = this.checkTrigger(startAt);
      if (paidIncrements < totalIncrements && !boughtAtOnce) break;
    }

    if (paidIncrements === totalIncrements) {
      return { status: 'paid', paidMicros, billedSeconds: billedOf(claim, paidIncrements), lots };
    }
    if (paidIncrements === 0) return this.dropUnpaid(claim, 'balance cannot pay the connection fee and first increment');
    const paidSeconds = Math.min(billedOf(claim, paidIncrements), claim.creditSeconds);
    const cutAt = startAt + (claim.poolSeconds + paidSeconds) * 1000;
    this.raiseExhausted(cutAt);
    this.emit({ type: 'cut', at: cutAt, callIndex: claim.callIndex, balanceMicros: this.balance, paidSeconds, unpaidSeconds: claim.creditSeconds - paidSeconds, why: 'credits ran out' });
    return { status: 'cut', paidMicros, billedSeconds: billedOf(claim, paidIncrements), paidSeconds, cutAt, lots };
  }

  /**
   * A call whose credit part could pay nothing: refused at its start, or, if a pool paid its first
   * part, connected and so cut where that part ends (never "refused" after talking on pool minutes).
   */
  private dropUnpaid(claim: CreditClaim, why: string): PaymentOutcome {
    const { startAt, callIndex } = claim;
    if (claim.poolSeconds > 0) {
      const cutAt = startAt + claim.poolSeconds * 1000;
      this.raiseExhausted(cutAt);
      this.emit({ type: 'cut', at: cutAt, callIndex, balanceMicros: this.balance, paidSeconds: 0, unpaidSeconds: claim.creditSeconds, why: `pool used up; ${why}` });
      return { status: 'cut', paidMicros: 0, billedSeconds: 0, paidSeconds: 0, cutAt, lots: NO_SHARES };
    }
    this.raiseExhausted(startAt);
    this.emit({ type: 'refused', at: startAt, callIndex, balanceMicros: this.balance, why });
    return { status: 'refused', at: startAt };
  }

  /** Cut model: the first drop for lack of credit since the last purchase raises `balance-exhausted`. */
  private raiseExhausted(at: EpochMs): void {
    if (this.config.exhaustion !== 'cut' || this.exhaustedRaised) return;
    this.exhaustedRaised = true;
    this.emit({ type: 'balance-exhausted', at, balanceMicros: this.balance });
  }

  /**
   * Applies everything due before the end of the period, which is exclusive like every period here:
   * a lot expiring exactly at `end` is still in the closing balance (its forfeit is the next
   * period's; `heldExpiringAt(end)` names it).
   */
  close(end: EpochMs): LedgerTotals {
    this.advanceTo(end - 1);
    this.book.check(this.balance);
    return this.totals;
  }

  /**
   * Takes `amountMicros` from the lots and posts it; what it took from each lot. Only an overdraft
   * asks for more than the balance: the rest is debt, and the first posting into it is notified.
   */
  private spend(at: EpochMs, amountMicros: number, callIndex: number): LotShare[] {
    if (amountMicros === 0) return NO_SHARES;
    invariant(amountMicros <= this.balance || this.config.exhaustion === 'overdraft', () => `spend of ${amountMicros} exceeds balance ${this.balance}`);
    const taken = this.book.take(amountMicros);
    this.balance -= amountMicros;
    this.spent += amountMicros;
    this.emit({ type: 'spend', at, callIndex, amountMicros, balanceMicros: this.balance, lots: taken });
    if (this.balance < 0 && !this.belowZeroRaised) {
      this.belowZeroRaised = true;
      this.emit({ type: 'balance-below-zero', at, balanceMicros: this.balance });
    }
    this.checkConservation();
    return taken;
  }

  private expire(lot: Lot): void {
    const amount = this.book.expireOldest(lot);
    this.balance -= amount;
    this.forfeited += amount;
    this.emit({ type: 'forfeit', at: lot.expiresAt, lotId: lot.id, amountMicros: amount, balanceMicros: this.balance });
    this.checkConservation();
    this.book.check(this.balance);
    this.checkTrigger(lot.expiresAt);
  }

  /** The level check after a posting. True when a lot was bought at this instant. */
  private checkTrigger(at: EpochMs): boolean {
    const policy = this.config.recharge;
    if (policy === null || this.autoRechargeDisabled || this.pending !== null) return false;
    if (!isBelowTrigger(this.balance, policy)) return false;
    if (this.cardFails(at)) {
      this.consecutiveFailures++;
      this.emit({ type: 'recharge-failed', at, balanceMicros: this.balance, consecutiveFailures: this.consecutiveFailures });
      if (policy.disableAfterFailures !== null && this.consecutiveFailures >= policy.disableAfterFailures) {
        this.autoRechargeDisabled = true;
        this.emit({ type: 'auto-recharge-disabled', at, balanceMicros: this.balance, consecutiveFailures: this.consecutiveFailures });
      }
      return false;
    }
    this.consecutiveFailures = 0;
    const amount = this.rechargeAmount();
    if (amount <= 0) return false;
    if (policy.delaySeconds === 0) {
      this.purchase(at, amount, 'recharge');
      return true;
    }
    this.pending = { landsAt: at + policy.delaySeconds * 1000, amountMicros: amount };
    this.emit({ type: 'recharge-requested', at, amountMicros: amount, balanceMicros: this.balance, landsAt: this.pending.landsAt });
    return false;
  }

  private rechargeAmount(): number {
    const policy = this.config.recharge;
    if (policy === null) return 0;
    if (policy.mode === 'with') return policy.amountMicros;
    const fillUp = policy.amountMicros - this.balance;
    return fillUp <= 0 ? 0 : Math.max(fillUp, this.config.minimumPurchaseMicros);
  }

  private cardFails(at: EpochMs): boolean {
    const policy = this.config.recharge;
    if (policy === null) return false;
    if (policy.failFrom !== null && at >= policy.failFrom) return true;
    return policy.failProbability > 0 && this.random() < policy.failProbability;
  }

  /** After every posting: funded = spent + forfeited + balance, in O(1). */
  private checkConservation(): void {
    invariant(this.funded === this.spent + this.forfeited + this.balance, () => `funded ${this.funded} != spent ${this.spent} + forfeited ${this.forfeited} + balance ${this.balance}`);
  }
}

/** No lot shares: shared by every payment that took none, frozen so that adding to it fails loudly. */
const NO_SHARES = Object.freeze([]) as unknown as LotShare[];

function billedOf(claim: CreditClaim, increments: number): number {
  return claim.pricing.kind === 'flat' ? claim.creditSeconds : billedSeconds(increments, claim.pricing);
}
