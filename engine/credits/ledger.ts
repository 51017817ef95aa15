import type { CallPricing } from '../rules/pricing.js';
import type { TopUp } from '../model/credits-policy.js';
import { InputError, invariant } from '../kernel/errors.js';
import { formatMicrosPlain } from '../kernel/money.js';
import { MAX_PURCHASED_MICROS } from '../model/scenario.js';
import type { Random } from '../kernel/random.js';
import { billedSeconds, incrementCount, pieceMicros } from '../rules/increments.js';
import { addCalendarMonths, formatInstant, type EpochMs } from '../kernel/time.js';
import type { LedgerEventSink, LotShare, PurchaseSource } from '../model/events.js';
import { isBelowTrigger, type CreditsConfig } from '../model/credits-policy.js';

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

export interface Lot {
  id: number;
  source: PurchaseSource;
  purchasedAt: EpochMs;
  expiresAt: EpochMs;
  amountMicros: number;
  remainingMicros: number;
}

export interface LedgerTotals {
  fundedMicros: number;
  spentMicros: number;
  forfeitedMicros: number;
  balanceMicros: number;
}

/**
 * The Communications Credits balance: lots spent first-in-first-out, forfeited at expiry,
 * auto-recharged below the trigger. Pure: time comes in with each call, randomness from `random`,
 * and every change goes out as an event.
 */
export class CreditLedger {
  private readonly lots: Lot[] = [];
  private head = 0;
  private nextLotId = 1;
  private nextTopUp = 0;
  private pending: { landsAt: EpochMs; amountMicros: number } | null = null;
  private consecutiveFailures = 0;
  private autoRechargeDisabled = false;
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
    this.skipEmptyLots();
    const expiring = this.lots[this.head];
    return Math.min(expiring?.expiresAt ?? Infinity, this.pending?.landsAt ?? Infinity, this.topUps[this.nextTopUp]?.at ?? Infinity);
  }

  /**
   * Posts many whole calls at once, all before the next scheduled event and none reaching the
   * trigger: the caller (the event-skipping replay) has checked that the balance covers them and
   * that no trigger check would act, so the lots, totals and balance end exactly as if posted one
   * by one. No event is emitted for them.
   */
  spendInBulk(amountMicros: number): void {
    invariant(amountMicros >= 0 && amountMicros <= this.balance, () => `bulk spend of ${amountMicros} against a balance of ${this.balance}`);
    let left = amountMicros;
    for (let index = this.head; left > 0; index++) {
      const lot = this.lots[index];
      invariant(lot !== undefined, () => 'balance says there is money, but no lot holds it');
      const take = Math.min(lot.remainingMicros, left);
      lot.remainingMicros -= take;
      left -= take;
    }
    this.balance -= amountMicros;
    this.spent += amountMicros;
    this.checkConservation();
  }

  /** Live lots, oldest first (for tests and reports). */
  liveLots(): readonly Lot[] {
    return this.lots.slice(this.head).filter((lot) => lot.remainingMicros > 0);
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
    const last = this.lots[this.lots.length - 1];
    invariant(last === undefined || last.purchasedAt <= at, () => 'lots must be bought in time order');
    this.lots.push(lot);
    this.funded += amountMicros;
    this.balance += amountMicros;
    this.emit({ type: 'purchase', at, source, lotId: lot.id, amountMicros, balanceMicros: this.balance, expiresAt: lot.expiresAt });
    this.checkConservation();
  }

  /**
   * Applies what is due at or before `at`, in time order; at one instant expiries first, then a
   * landing recharge, then top-ups (RULES.md §6), so they all precede calls starting then.
   */
  advanceTo(at: EpochMs): void {
    for (;;) {
      this.skipEmptyLots();
      const expiring = this.lots[this.head];
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

  /**
   * Posts a call at its start: whole if the balance covers it, else as many whole increments as it
   * covers (connection fee with the first), then the trigger; a recharge that lands at once lets the
   * call go on without a second connection fee, otherwise it is cut (or refused if nothing was paid).
   */
  pay(claim: CreditClaim): PaymentOutcome {
    const { startAt } = claim;
    const totalIncrements = claim.pricing.kind === 'flat' ? 1 : incrementCount(claim.creditSeconds, claim.pricing);
    // Nearly every call is paid in one piece: its lots are that piece's, with no array of their own.
    let lots = NO_SHARES;
    let ownLots = false;
    let paidIncrements = 0;
    let paidMicros = 0;

    while (paidIncrements < totalIncrements) {
      const withFee = paidIncrements === 0;
      const full = this.pieceCost(claim.pricing, paidIncrements, totalIncrements, withFee);
      let affordable = totalIncrements - paidIncrements;
      if (full > this.balance) affordable = this.mostIncrementsWithin(claim.pricing, paidIncrements, totalIncrements, withFee);
      if (affordable > 0) {
        const amount = this.pieceCost(claim.pricing, paidIncrements, paidIncrements + affordable, withFee);
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
    if (paidIncrements === 0) {
      this.emit({ type: 'refused', at: startAt, callIndex: claim.callIndex, balanceMicros: this.balance, why: 'balance cannot pay the connection fee and first increment' });
      return { status: 'refused', at: startAt };
    }
    const paidSeconds = Math.min(billedOf(claim, paidIncrements), claim.creditSeconds);
    const cutAt = startAt + (claim.poolSeconds + paidSeconds) * 1000;
    this.emit({ type: 'cut', at: cutAt, callIndex: claim.callIndex, balanceMicros: this.balance, paidSeconds, unpaidSeconds: claim.creditSeconds - paidSeconds, why: 'credits ran out' });
    return { status: 'cut', paidMicros, billedSeconds: billedOf(claim, paidIncrements), paidSeconds, cutAt, lots };
  }

  /**
   * Applies everything due before the end of the period, which is exclusive like every period here:
   * a lot expiring exactly at `end` is still in the closing balance (its forfeit is the next period's).
   */
  close(end: EpochMs): LedgerTotals {
    this.advanceTo(end - 1);
    this.checkLots();
    return this.totals;
  }

  private pieceCost(pricing: CallPricing, fromIncrement: number, toIncrement: number, withFee: boolean): number {
    if (toIncrement <= fromIncrement) return 0;
    if (pricing.kind === 'flat') return pricing.amountMicros;
    const seconds = billedSeconds(toIncrement, pricing) - billedSeconds(fromIncrement, pricing);
    return pieceMicros(pricing.priceMicrosPerMinute, seconds, withFee ? pricing.connectionMicros : 0, this.config.minorUnitMicros);
  }

  /**
   * Largest k < remaining whose piece the balance covers. The price of k increments inverted is a
   * division; it is checked against the priced piece itself (k fits, k + 1 does not), and only if
   * the check fails (rounding at the edges of exact doubles) found by bisection, as cost grows with k.
   */
  private mostIncrementsWithin(pricing: CallPricing, from: number, total: number, withFee: boolean): number {
    const most = total - from - 1;
    const estimate = this.incrementsWithinByDivision(pricing, from, withFee);
    const guess = estimate >= 0 ? Math.min(most, estimate) : 0;
    const fits = (k: number) => this.pieceCost(pricing, from, from + k, withFee) <= this.balance;
    if (fits(guess) && (guess === most || !fits(guess + 1))) return guess;
    let low = 0;
    let high = most;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (fits(middle)) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /**
   * k from the rounding rule: a piece of N/60 micros rounds half-up to at most m whole units u iff
   * N <= 60 u m + 30 u - 1, with N = 60 x fee + price x seconds(k).
   */
  private incrementsWithinByDivision(pricing: CallPricing, from: number, withFee: boolean): number {
    if (pricing.kind === 'flat') return 0;
    const unit = this.config.minorUnitMicros;
    const most = 60 * unit * Math.floor(this.balance / unit) + 30 * unit - 1 - (withFee ? 60 * pricing.connectionMicros : 0);
    if (most < 0) return 0;
    if (pricing.priceMicrosPerMinute === 0) return Infinity;
    const seconds = Math.floor(most / pricing.priceMicrosPerMinute);
    const first = from === 0 ? pricing.firstIncrementSeconds : 0;
    if (seconds < first) return 0;
    return (from === 0 ? 1 : 0) + Math.floor((seconds - first) / pricing.nextIncrementSeconds);
  }

  /** Takes `amountMicros` from the lots and posts it; what it took from each lot. */
  private spend(at: EpochMs, amountMicros: number, callIndex: number): LotShare[] {
    if (amountMicros === 0) return NO_SHARES;
    invariant(amountMicros <= this.balance, () => `spend of ${amountMicros} exceeds balance ${this.balance}`);
    const taken = this.takeFromLots(amountMicros);
    const before = this.balance;
    this.balance -= amountMicros;
    this.spent += amountMicros;
    this.emit({ type: 'spend', at, callIndex, amountMicros, balanceMicros: this.balance, lots: taken });
    if (before > 0 && this.balance === 0) this.emit({ type: 'balance-zero', at, balanceMicros: 0 });
    this.checkConservation();
    return taken;
  }

  /** Oldest lots first. */
  private takeFromLots(amountMicros: number): LotShare[] {
    // Lots emptied since the last advance are passed once here, not walked again by every spend
    // (one call paying across 85,899 recharges walked them all each time: quadratic).
    this.skipEmptyLots();
    // Mostly the oldest lot covers it all: a one-share array, not one grown from empty (17 slots).
    const oldest = this.lots[this.head];
    if (oldest !== undefined && oldest.remainingMicros >= amountMicros) {
      oldest.remainingMicros -= amountMicros;
      return [{ lotId: oldest.id, amountMicros }];
    }
    const taken: LotShare[] = [];
    let left = amountMicros;
    for (let index = this.head; left > 0; index++) {
      const lot = this.lots[index];
      invariant(lot !== undefined, () => 'balance says there is money, but no lot holds it');
      const take = Math.min(lot.remainingMicros, left);
      if (take === 0) continue;
      lot.remainingMicros -= take;
      left -= take;
      taken.push({ lotId: lot.id, amountMicros: take });
    }
    return taken;
  }

  private expire(lot: Lot): void {
    const amount = lot.remainingMicros;
    lot.remainingMicros = 0;
    this.head++;
    this.balance -= amount;
    this.forfeited += amount;
    this.emit({ type: 'forfeit', at: lot.expiresAt, lotId: lot.id, amountMicros: amount, balanceMicros: this.balance });
    if (this.balance === 0) this.emit({ type: 'balance-zero', at: lot.expiresAt, balanceMicros: 0 });
    this.checkConservation();
    this.checkLots();
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

  private skipEmptyLots(): void {
    while (this.head < this.lots.length && (this.lots[this.head] as Lot).remainingMicros === 0) this.head++;
  }

  /** After every posting: funded = spent + forfeited + balance, in O(1). */
  private checkConservation(): void {
    invariant(this.funded === this.spent + this.forfeited + this.balance, () => `funded ${this.funded} != spent ${this.spent} + forfeited ${this.forfeited} + balance ${this.balance}`);
  }

  /** At expiries and at the close: the lots hold exactly the balance, none negative (O(live lots)). */
  private checkLots(): void {
    let inLots = 0;
    for (let i = this.head; i < this.lots.length; i++) {
      const lot = this.lots[i] as Lot;
      invariant(lot.remainingMicros >= 0, () => `lot ${lot.id} is negative`);
      inLots += lot.remainingMicros;
    }
    invariant(inLots === this.balance, () => `lots hold ${inLots} but the balance is ${this.balance}`);
  }
}

/** No lot shares: shared by every payment that took none, frozen so that adding to it fails loudly. */
const NO_SHARES = Object.freeze([]) as unknown as LotShare[];

function billedOf(claim: CreditClaim, increments: number): number {
  return claim.pricing.kind === 'flat' ? claim.creditSeconds : billedSeconds(increments, claim.pricing);
}
