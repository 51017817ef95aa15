import { billedSeconds, pieceMicros } from '../rules/increments.js';
import type { CallPricing } from '../rules/pricing.js';

/** Price of increments [fromIncrement, toIncrement) of a call, with its connection fee when asked. */
export function pieceCost(pricing: CallPricing, fromIncrement: number, toIncrement: number, withFee: boolean, minorUnitMicros: number): number {
  if (toIncrement <= fromIncrement) return 0;
  if (pricing.kind === 'flat') return pricing.amountMicros;
  const seconds = billedSeconds(toIncrement, pricing) - billedSeconds(fromIncrement, pricing);
  return pieceMicros(pricing.priceMicrosPerMinute, seconds, withFee ? pricing.connectionMicros : 0, minorUnitMicros);
}

/**
 * Largest k < total - from whose piece `balanceMicros` covers (the cut model pays whole increments
 * while money lasts). The price of k increments inverted is a division; it is checked against the
 * priced piece itself (k fits, k + 1 does not), and only if the check fails (rounding at the edges
 * of exact doubles) found by bisection, as cost grows with k.
 */
export function mostIncrementsWithin(pricing: CallPricing, from: number, total: number, withFee: boolean, balanceMicros: number, minorUnitMicros: number): number {
  const most = total - from - 1;
  const estimate = incrementsWithinByDivision(pricing, from, withFee, balanceMicros, minorUnitMicros);
  const guess = estimate >= 0 ? Math.min(most, estimate) : 0;
  const fits = (k: number) => pieceCost(pricing, from, from + k, withFee, minorUnitMicros) <= balanceMicros;
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
function incrementsWithinByDivision(pricing: CallPricing, from: number, withFee: boolean, balanceMicros: number, unit: number): number {
  if (pricing.kind === 'flat') return 0;
  const most = 60 * unit * Math.floor(balanceMicros / unit) + 30 * unit - 1 - (withFee ? 60 * pricing.connectionMicros : 0);
  if (most < 0) return 0;
  if (pricing.priceMicrosPerMinute === 0) return Infinity;
  const seconds = Math.floor(most / pricing.priceMicrosPerMinute);
  const first = from === 0 ? pricing.firstIncrementSeconds : 0;
  if (seconds < first) return 0;
  return (from === 0 ? 1 : 0) + Math.floor((seconds - first) / pricing.nextIncrementSeconds);
}
