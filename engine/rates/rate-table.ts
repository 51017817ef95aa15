import type { EpochMs } from '../time.js';
import { PrefixMap } from '../numbers/prefix-map.js';

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

/**
 * Published per-minute prices. For one service, the longest prefix with a row in effect at the
 * call's start wins; among one prefix's rows, the latest effective_from not after the start.
 */
export class RateTable {
  private readonly byService = new Map<RateService, PrefixMap<RateRow[]>>();

  constructor(rows: readonly RateRow[]) {
    for (const row of rows) {
      let prefixes = this.byService.get(row.service);
      if (prefixes === undefined) this.byService.set(row.service, (prefixes = new PrefixMap()));
      const versions = prefixes.get(row.prefix);
      if (versions === undefined) prefixes.set(row.prefix, [row]);
      else versions.push(row);
    }
    for (const prefixes of this.byService.values()) {
      // Versions newest first, so the first one in effect is the answer.
      for (const versions of prefixes.values()) versions.sort((a, b) => b.effectiveFrom - a.effectiveFrom);
    }
  }

  lookup(service: RateService, digits: string, at: EpochMs): RateRow | undefined {
    const match = this.byService.get(service)?.longestMatch(digits, (versions) => versions.some((row) => row.effectiveFrom <= at));
    return match?.value.find((row) => row.effectiveFrom <= at);
  }
}
