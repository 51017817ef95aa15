import type { EpochMs } from '../kernel/time.js';

export const RATE_SERVICES = ['outbound', 'dialout', 'tollfree_in'] as const;
export type RateService = (typeof RATE_SERVICES)[number];

export interface RateRow {
  service: RateService;
  prefix: string;
  destination: string;
  priceMicrosPerMinute: number;
  connectionMicros: number;
  firstIncrementSeconds: number;
  nextIncrementSeconds: number;
  /** Earliest instant the row applies; -Infinity when it has no effective_from. */
  effectiveFrom: EpochMs;
  /** file:line of the row, so every charge can be traced to the price that made it. */
  source: string;
}
