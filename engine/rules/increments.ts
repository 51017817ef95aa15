import { roundHalfUpToUnit } from '../kernel/money.js';

/** How credit-funded seconds are billed: a first increment, then further increments of `next`. */
export interface Increments {
  firstIncrementSeconds: number;
  nextIncrementSeconds: number;
}

/** Increments needed to cover `seconds`: 0 for none, else the first and as many more as needed. */
export function incrementCount(seconds: number, increments: Increments): number {
  if (seconds <= 0) return 0;
  if (seconds <= increments.firstIncrementSeconds) return 1;
  return 1 + Math.ceil((seconds - increments.firstIncrementSeconds) / increments.nextIncrementSeconds);
}

/** Billed seconds of the first `count` increments. */
export function billedSeconds(count: number, increments: Increments): number {
  return count <= 0 ? 0 : increments.firstIncrementSeconds + (count - 1) * increments.nextIncrementSeconds;
}

/**
 * Price of `seconds` of billed time plus an optional connection fee, rounded half-up to the minor
 * unit once, over the exact sum: fee x 60 + price x seconds, in micro-units per minute.
 */
export function pieceMicros(
  priceMicrosPerMinute: number,
  seconds: number,
  connectionMicros: number,
  minorUnitMicros: number,
): number {
  return roundHalfUpToUnit(connectionMicros * 60 + priceMicrosPerMinute * seconds, 60, minorUnitMicros);
}
