import type { Reject } from '../cdr/call.js';
import type { CallColumns } from '../cdr/call-columns.js';
import type { CallTable } from '../cdr/call-table.js';

/**
 * Marks every row whose UsageId was already read (in file order) as rejected, in two passes over
 * the rows' 64-bit UsageId fingerprints. The first keeps a set of 32-bit tags in slots chosen by
 * the other half: one memory access per row for tens of millions of rows, and no row is ever
 * rejected on its strength alone. Rows whose tag was already in their probe run are suspects; the
 * second pass reads back the UsageId text of every row that shares a suspect's fingerprint, so a
 * row is rejected only when an earlier row has the same text.
 */
export function findDuplicates(table: CallTable): Reject[] {
  const suspects = new FingerprintSet();
  const seen = new TagSet(table.count);
  for (const part of table.parts) {
    for (let i = 0; i < part.count; i++) {
      const high = part.usageHashHigh[i] as number;
      if (high !== 0 && !seen.add(high, part.usageHashLow[i] as number)) suspects.add(high, part.usageHashLow[i] as number);
    }
  }
  const rejects: Reject[] = [];
  if (suspects.size === 0) return rejects;
  const textsByFingerprint = new Map<string, Set<string>>();
  table.parts.forEach((part: CallColumns, partIndex) => {
    for (let i = 0; i < part.count; i++) {
      const high = part.usageHashHigh[i] as number;
      const low = part.usageHashLow[i] as number;
      if (high === 0 || !suspects.has(high, low)) continue;
      const key = `${high}:${low}`;
      let texts = textsByFingerprint.get(key);
      if (texts === undefined) textsByFingerprint.set(key, (texts = new Set()));
      const source = table.source(part);
      const usageId = source.describe(part, i).usageId;
      if (!texts.has(usageId)) {
        texts.add(usageId);
        continue;
      }
      (table.rejected[partIndex] as Uint8Array)[i] = 1;
      rejects.push({ file: source.file, line: part.line[i] as number, reason: 'duplicate-usage-id', detail: `UsageId "${usageId}" was already read`, raw: source.raw(part, i) });
    }
  });
  return rejects;
}

function capacityFor(expected: number): number {
  let capacity = 16;
  // Load factor at most 2/3: short probe runs in a table of a few bytes a row.
  while (capacity * 2 < expected * 3) capacity *= 2;
  return capacity;
}

/** 32-bit tags (`low | 1`) in slots chosen by `high`: four bytes a row, one memory access. */
class TagSet {
  private readonly tags: Int32Array;
  private readonly mask: number;

  constructor(expected: number) {
    this.tags = new Int32Array(capacityFor(expected));
    this.mask = this.tags.length - 1;
  }

  /** False when the tag was already in the probe run: a duplicate always is, a distinct id rarely. */
  add(high: number, low: number): boolean {
    const tag = low | 1;
    const tags = this.tags;
    let slot = Math.imul(high, 0x9e3779b1) & this.mask;
    for (let stored = tags[slot] as number; stored !== 0; stored = tags[slot] as number) {
      if (stored === tag) return false;
      slot = (slot + 1) & this.mask;
    }
    tags[slot] = tag;
    return true;
  }
}

/** Whole (high, low) fingerprints, for the few suspects; high is never 0 (the decoder sets its low bit). */
class FingerprintSet {
  private highs = new Int32Array(16);
  private lows = new Int32Array(16);
  size = 0;

  add(high: number, low: number): void {
    if (this.has(high, low)) return;
    if ((this.size + 1) * 3 > this.highs.length * 2) this.grow();
    this.place(high, low);
    this.size++;
  }

  has(high: number, low: number): boolean {
    const mask = this.highs.length - 1;
    let slot = Math.imul(high ^ low, 0x9e3779b1) & mask;
    for (let stored = this.highs[slot] as number; stored !== 0; stored = this.highs[slot] as number) {
      if (stored === (high | 0) && this.lows[slot] === (low | 0)) return true;
      slot = (slot + 1) & mask;
    }
    return false;
  }

  private place(high: number, low: number): void {
    const mask = this.highs.length - 1;
    let slot = Math.imul(high ^ low, 0x9e3779b1) & mask;
    while (this.highs[slot] !== 0) slot = (slot + 1) & mask;
    this.highs[slot] = high;
    this.lows[slot] = low;
  }

  private grow(): void {
    const { highs, lows } = this;
    this.highs = new Int32Array(highs.length * 2);
    this.lows = new Int32Array(highs.length * 2);
    for (let slot = 0; slot < highs.length; slot++) if (highs[slot] !== 0) this.place(highs[slot] as number, lows[slot] as number);
  }
}
