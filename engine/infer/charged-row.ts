import type { EpochMs } from '../kernel/time.js';
import type { RateService } from '../model/rate-row.js';
import type { Increments } from '../rules/increments.js';

/**
 * How the rules fund a row that carries a recorded charge: `credits` wholly (every second was
 * charged, so the row pins the price down), `pool` first and credits for the rest (which seconds
 * were charged depends on the pool, so the row is only checked), or `free` (nothing should be
 * charged: the row is listed, never used).
 */
export type ChargedFunding = 'credits' | 'pool' | 'free';

/** One export row with a recorded charge, as the inference needs it. */
export interface ChargedRow {
  service: RateService;
  /** Visible digits of the number the rules price: the dialled one, or the toll-free number called. */
  digits: string;
  startAt: EpochMs;
  durationSeconds: number;
  /** The export's Charge + Connection Fee, in micros. */
  recordedMicros: number;
  funding: ChargedFunding;
  file: string;
  line: number;
}

/** A price over billing increments: one rate-table row without its prefix and dates. */
export interface InferredRate extends Increments {
  priceMicrosPerMinute: number;
  connectionMicros: number;
}

export function sameRate(a: InferredRate, b: InferredRate): boolean {
  return (
    a.priceMicrosPerMinute === b.priceMicrosPerMinute &&
    a.connectionMicros === b.connectionMicros &&
    a.firstIncrementSeconds === b.firstIncrementSeconds &&
    a.nextIncrementSeconds === b.nextIncrementSeconds
  );
}

/** The billing increments tried, in the order a tie between them is settled: 60/60 first, the vendor's and the rate table's default. */
export const INCREMENT_CHOICES: readonly Increments[] = [
  [60, 60], [1, 1], [30, 6], [60, 1], [6, 6], [60, 6], [30, 30], [60, 30], [10, 10], [30, 1],
].map(([first, next]) => ({ firstIncrementSeconds: first as number, nextIncrementSeconds: next as number }));

/** Decimals a micros amount needs (0.03 → 2, 0.0125 → 4): fewer is simpler. */
export function decimalsOf(micros: number): number {
  let decimals = 6;
  let rest = micros;
  while (decimals > 0 && rest % 10 === 0) {
    rest /= 10;
    decimals--;
  }
  return decimals;
}
