import type { EpochMs } from '../kernel/time.js';
import { billedSeconds, incrementCount, pieceMicros } from './increments.js';

/** What a credit-funded call part costs: a rate over billing increments, or one recorded amount. */
export type CallPricing =
  | { kind: 'rate'; priceMicrosPerMinute: number; connectionMicros: number; firstIncrementSeconds: number; nextIncrementSeconds: number }
  | { kind: 'flat'; amountMicros: number };

/** The whole credit-funded part as one piece: what the call costs if the balance covers it. */
export function fullChargeMicros(pricing: CallPricing, creditSeconds: number, minorUnitMicros: number): number {
  if (pricing.kind === 'flat') return pricing.amountMicros;
  return pieceMicros(pricing.priceMicrosPerMinute, billedSeconds(incrementCount(creditSeconds, pricing), pricing), pricing.connectionMicros, minorUnitMicros);
}

/**
 * Prices a credit-funded part by rules of its own (a CGRateS tariff plan) instead of the per-minute
 * price of the row the rate lookup found: from that row, the caller, and the part's own start and
 * length. Null when nothing rates it: the call is rejected `no-rate`.
 */
export interface CreditPricer {
  price(rateIndex: number, user: string, creditStartAt: EpochMs, creditSeconds: number): CallPricing | null;
}
