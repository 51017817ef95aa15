import { invariant } from '../kernel/errors.js';
import type { EpochMs } from '../kernel/time.js';
import type { LotShare, PurchaseSource } from '../model/events.js';

export interface Lot {
  id: number;
  source: PurchaseSource;
  purchasedAt: EpochMs;
  expiresAt: EpochMs;
  amountMicros: number;
  remainingMicros: number;
}

/**
 * The lots of a balance, oldest first, and the debt an overdraft leaves: the balance is what the
 * lots hold less the debt. A debt only grows once every lot is empty, and a new lot pays it first,
 * so while there is a debt no lot holds money (forfeits then take nothing).
 */
export class LotBook {
  private readonly lots: Lot[] = [];
  /** Lots before it are empty: spends and expiries never walk them again. */
  private head = 0;
  debtMicros = 0;

  /** Adds a bought lot; what of it paid the debt (the lot keeps the rest). */
  add(lot: Lot): number {
    const last = this.lots[this.lots.length - 1];
    invariant(last === undefined || last.purchasedAt <= lot.purchasedAt, () => 'lots must be bought in time order');
    const paysDebt = Math.min(this.debtMicros, lot.remainingMicros);
    lot.remainingMicros -= paysDebt;
    this.debtMicros -= paysDebt;
    this.lots.push(lot);
    return paysDebt;
  }

  /** The oldest lot holding money, or undefined. */
  oldest(): Lot | undefined {
    this.skipEmpty();
    return this.lots[this.head];
  }

  /** Empties the oldest lot (its expiry); what it held. */
  expireOldest(lot: Lot): number {
    invariant(this.lots[this.head] === lot, () => `lot ${lot.id} expires out of order`);
    const amount = lot.remainingMicros;
    lot.remainingMicros = 0;
    this.head++;
    return amount;
  }

  /**
   * Takes `amountMicros`, oldest lots first; what the lots cannot give becomes debt (only an overdraft
   * asks for more than they hold). What it took from each lot.
   */
  take(amountMicros: number): LotShare[] {
    // Lots emptied since the last take are passed once here, not walked again by every spend
    // (one call paying across 85,899 recharges walked them all each time: quadratic).
    this.skipEmpty();
    // Mostly the oldest lot covers it all: a one-share array, not one grown from empty (17 slots).
    const oldest = this.lots[this.head];
    if (oldest !== undefined && oldest.remainingMicros >= amountMicros) {
      oldest.remainingMicros -= amountMicros;
      return [{ lotId: oldest.id, amountMicros }];
    }
    const taken: LotShare[] = [];
    let left = amountMicros;
    for (let index = this.head; left > 0 && index < this.lots.length; index++) {
      const lot = this.lots[index] as Lot;
      const share = Math.min(lot.remainingMicros, left);
      if (share === 0) continue;
      lot.remainingMicros -= share;
      left -= share;
      taken.push({ lotId: lot.id, amountMicros: share });
    }
    this.debtMicros += left;
    return taken;
  }

  /** Takes `amountMicros` that the lots are known to hold, keeping no shares (bulk spends). */
  takeHeld(amountMicros: number): void {
    let left = amountMicros;
    for (let index = this.head; left > 0; index++) {
      const lot = this.lots[index];
      invariant(lot !== undefined, () => 'balance says there is money, but no lot holds it');
      const share = Math.min(lot.remainingMicros, left);
      lot.remainingMicros -= share;
      left -= share;
    }
  }

  /** Live lots, oldest first. */
  live(): Lot[] {
    return this.lots.slice(this.head).filter((lot) => lot.remainingMicros > 0);
  }

  /** What the lots expiring exactly at `at` still hold. */
  heldExpiringAt(at: EpochMs): number {
    let held = 0;
    for (let i = this.head; i < this.lots.length; i++) {
      const lot = this.lots[i] as Lot;
      if (lot.expiresAt === at) held += lot.remainingMicros;
    }
    return held;
  }

  /** No lot negative, the lots less the debt make the balance, and a debt only with empty lots (O(live lots)). */
  check(balanceMicros: number): void {
    let inLots = 0;
    for (let i = this.head; i < this.lots.length; i++) {
      const lot = this.lots[i] as Lot;
      invariant(lot.remainingMicros >= 0, () => `lot ${lot.id} is negative`);
      inLots += lot.remainingMicros;
    }
    invariant(this.debtMicros >= 0 && (this.debtMicros === 0 || inLots === 0), () => `a debt of ${this.debtMicros} beside ${inLots} in lots`);
    invariant(inLots - this.debtMicros === balanceMicros, () => `lots hold ${inLots} less a debt of ${this.debtMicros} but the balance is ${balanceMicros}`);
  }

  private skipEmpty(): void {
    while (this.head < this.lots.length && (this.lots[this.head] as Lot).remainingMicros === 0) this.head++;
  }
}
