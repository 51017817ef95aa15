import type { EpochMs } from '../kernel/time.js';
import type { RateRow, RateService } from '../model/rate-row.js';
import { DigitTrie, type DialledNumber } from './digit-trie.js';
import type { CreditPricer } from './pricing.js';

/**
 * Published per-minute prices. For one service, the longest prefix with a row in effect at the
 * call's start wins; among one prefix's rows, the latest effective_from not after the start.
 * Rows are addressed by their index in `rows`, the same in every worker that loads the same files.
 */
export class RateTable {
  private readonly tries = new Map<RateService, DigitTrie>();
  /** Per trie value: indexes into `rows` of one prefix's versions, newest first. */
  private readonly versions: number[][] = [];

  /** `creditPricer`: prices credit-funded parts in place of the rows' prices (their lookup still finds the row). */
  constructor(
    readonly rows: readonly RateRow[],
    readonly creditPricer: CreditPricer | null = null,
  ) {
    rows.forEach((row, index) => {
      let trie = this.tries.get(row.service);
      if (trie === undefined) this.tries.set(row.service, (trie = new DigitTrie()));
      const existing = trie.insert(row.prefix, this.versions.length);
      if (existing < 0) this.versions.push([index]);
      else (this.versions[existing] as number[]).push(index);
    });
    for (const list of this.versions) list.sort((a, b) => (rows[b] as RateRow).effectiveFrom - (rows[a] as RateRow).effectiveFrom || a - b);
  }

  /** Index of the row pricing the number at `at`, or -1. */
  lookupIndex(service: RateService, number: DialledNumber, at: EpochMs): number {
    const trie = this.tries.get(service);
    if (trie === undefined) return -1;
    let node = 0;
    let found = this.inEffect(trie.valueAt(0), at);
    for (let i = 0; i < number.length; i++) {
      node = trie.child(node, number.digits[i] as number);
      if (node < 0) break;
      const index = this.inEffect(trie.valueAt(node), at);
      if (index >= 0) found = index;
    }
    return found;
  }

  lookup(service: RateService, number: DialledNumber, at: EpochMs): RateRow | undefined {
    const index = this.lookupIndex(service, number, at);
    return index < 0 ? undefined : this.rows[index];
  }

  private inEffect(versionList: number, at: EpochMs): number {
    if (versionList < 0) return -1;
    for (const index of this.versions[versionList] as number[]) if ((this.rows[index] as RateRow).effectiveFrom <= at) return index;
    return -1;
  }
}
