import type { EpochMs } from '../kernel/time.js';

/**
 * Auto-recharge as the vendor offers it ("When the balance falls below" / "Recharge with"), with the
 * settings RULES.md §6 adds: fill-up mode, inclusive comparison, delay and a failing card.
 */
export interface RechargePolicy {
  triggerMicros: number;
  /** `with`: the amount bought; `to`: the level the balance is filled up to. */
  amountMicros: number;
  mode: 'with' | 'to';
  compare: '<' | '<=';
  delaySeconds: number;
  /** Every attempt at or after this instant fails. */
  failFrom: EpochMs | null;
  /** Each attempt fails with this probability, drawn from the scenario's seeded generator. */
  failProbability: number;
  disableAfterFailures: number | null;
}

/**
 * What happens when the balance runs short (DOMAIN §6): `overdraft`, the vendor's documented
 * behaviour, lets a call that starts with money left run whole and the balance go negative;
 * `cut`, a strict prepaid carrier, pays whole increments while money lasts and cuts the call.
 */
export type Exhaustion = 'overdraft' | 'cut';

export const EXHAUSTION_MODELS: readonly Exhaustion[] = ['overdraft', 'cut'];

export interface CreditsConfig {
  minorUnitMicros: number;
  exhaustion: Exhaustion;
  /** Calendar of lot expiry (the scenario's time zone offset). */
  offsetMinutes: number;
  expiryMonths: number;
  /** Smallest purchase a `to` recharge makes (the vendor's minimum is 50.00). */
  minimumPurchaseMicros: number;
  recharge: RechargePolicy | null;
}

export function isBelowTrigger(balanceMicros: number, policy: RechargePolicy): boolean {
  return policy.compare === '<' ? balanceMicros < policy.triggerMicros : balanceMicros <= policy.triggerMicros;
}

export interface TopUp {
  at: EpochMs;
  amountMicros: number;
}
