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
