import type { Reject } from '../model/cdr.js';
import { invariant } from '../kernel/errors.js';
import type { CallColumns } from '../columns/call-columns.js';
import type { CallTable } from '../columns/call-table.js';
import { quoted } from '../kernel/quote.js';

/**
 * Marks every row whose UsageId was already read (in file order) as rejected, from the rows'
 * 64-bit UsageId fingerprints. Suspects first: fingerprints are split into buckets by their top
 * bits as parts arrive (`addPart`, while the ingest still reads), and at the end each bucket goes
 * through a set of 32-bit tags small enough to stay in cache; a row whose tag was already in its
 * probe run is a suspect. A whole-table set missed the cache on every row (about 100 ns each at
 * 10M rows). No row is rejected on a fingerprint alone: `finish` reads back the UsageId text of
 * every row sharing a suspect's fingerprint, in file order, and rejects a row only when an earlier
 * row has the same text. Buckets keep each fingerprint's row, so parts need not keep theirs.
 */
export class DuplicateFinder {
  private readonly shift: number;
  /**
   * Per bucket (chosen by the top bits of the fingerprint's high half), each fingerprint's low
   * half: equal UsageIds always agree on both, and distinct ones that do too only cost a look at
   * their text (about 90 at 10M rows; with a 32-bit fold that also chose the bucket there were
   * 23,000, and each cost a read of the file). Four bytes a call less than both halves, at the
   * ingest's peak of memory.
   */
  private readonly keys: Int32Array[] = [];
  /**
   * Each fingerprint's row: its number among all rows added, in the order parts were added. Not
   * kept when `wide`.
   */
  private readonly rows: Int32Array[] | null;
  /**
   * With `wide`, 16 more bits of each fingerprint's high half (those below the bucket's), per bucket:
   * a suspect must then agree on 48 bits and the bucket's (56 at 10M rows, not 40): at 10M rows a
   * false one turns up in about one replay in 1,400 (10M x 10M / 2 pairs over 2^56), not 90 in each.
   */
  private readonly extras: Uint16Array[] | null;
  private readonly fill: Int32Array;
  private readonly suspectBuckets: Uint8Array;
  /** The row number each part starts at, by part index (the table's, as parts are added in its order). */
  private readonly partStarts: number[] = [];
  private rowCount = 0;

  /**
   * `expectedRows` only sizes the buckets: any count gives the same answer. `wide` is for a table
   * whose parts are released as it grows: a doubt about a released row can no longer be settled by
   * its text, so the finder keeps 16 more bits of each fingerprint and no row numbers (6 bytes a
   * call, not 8: every page of new memory costs the main thread time it needs for the ranges), and
   * `finish` answers null as soon as any fingerprint occurs twice. The caller then reads the files
   * again: for a real duplicate, or about one replay in 1,400 at 10M rows.
   */
  constructor(expectedRows: number, wide = false) {
    let bucketBits = 0;
    // A division, not >>: a guess past 2^31 rows would wrap to a negative count.
    while (bucketBits < 16 && expectedRows / 2 ** bucketBits > BUCKET_ROWS) bucketBits++;
    this.shift = 32 - bucketBits;
    const buckets = 1 << bucketBits;
    // A little over the expected share: buckets that fill up double, and memory counts at 10M rows.
    const capacity = Math.max(16, Math.ceil((expectedRows / buckets) * 1.05));
    // Each kind of column in one allocation, cut into the buckets' shares: one large allocation is
    // mapped fresh and its pages are first touched as rows arrive, while hundreds of small ones
    // were cleared at once, here, on the thread that hands the workers their first ranges, before
    // any worker had one.
    const keys = new Int32Array(buckets * capacity);
    const rows = wide ? null : new Int32Array(buckets * capacity);
    const extras = wide ? new Uint16Array(buckets * capacity) : null;
    this.rows = wide ? null : [];
    this.extras = wide ? [] : null;
    for (let bucket = 0, from = 0; bucket < buckets; bucket++, from += capacity) {
      this.keys.push(keys.subarray(from, from + capacity));
      if (rows !== null) this.rows?.push(rows.subarray(from, from + capacity));
      if (extras !== null) this.extras?.push(extras.subarray(from, from + capacity));
    }
    this.fill = new Int32Array(buckets);
    this.suspectBuckets = new Uint8Array(buckets);
    this.memory = [keys, rows, extras].filter((column) => column !== null);
  }

  /** The columns' whole allocations, for `touchMemory`. */
  private readonly memory: (Int32Array | Uint16Array)[];

  /**
   * Touches the finder's memory for the first time, a MB per turn of the event loop, mostly before
   * parts arrive: while workers decode too, the same first touches as rows arrive cost the main
   * thread about twice as long (its page faults then queue behind the workers'). Parts may arrive between turns, so each page gets back the value it holds.
   */
  async touchMemory(): Promise<void> {
    const step = 1 << 20;
    for (const column of this.memory) {
      const perPage = 4096 / column.BYTES_PER_ELEMENT;
      for (let from = 0; from < column.length; from += step) {
        const to = Math.min(column.length, from + step);
        for (let at = from; at < to; at += perPage) column[at] = column[at] as number;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  /**
   * Takes the part's fingerprints (the next part of the table); the part's own fingerprint columns
   * are not needed after this.
   */
  addPart(part: CallColumns): void {
    const { fill, keys, rows, extras } = this;
    const shift = this.shift;
    const rowBase = this.rowCount;
    this.partStarts.push(rowBase);
    this.rowCount += part.count;
    for (let i = 0; i < part.count; i++) {
      const high = part.usageHashHigh[i] as number;
      if (high === 0) continue;
      const bucket = shift === 32 ? 0 : high >>> shift;
      const at = fill[bucket] as number;
      if (at === (keys[bucket] as Int32Array).length) this.grow(bucket);
      (keys[bucket] as Int32Array)[at] = part.usageHashLow[i] as number;
      if (rows !== null) (rows[bucket] as Int32Array)[at] = rowBase + i;
      // The bucket takes at most the top 16 bits: shift is 16 or more.
      if (extras !== null) (extras[bucket] as Uint16Array)[at] = high >>> (shift - 16);
      fill[bucket] = at + 1;
    }
  }

  /**
   * The duplicates of all parts added, marked in the table (whose parts they are, in the same
   * order); null when a row that may be one is in a part the table has released.
   */
  finish(table: CallTable): Reject[] | null {
    const suspects = this.suspects();
    const rejects: Reject[] = [];
    if (suspects.size === 0) return rejects;
    if (this.rows === null) return this.seenTwice(suspects) ? null : rejects;
    const rowsOf = this.rows;
    // Every row with a suspect fingerprint with the fingerprint's slot, packed in one number
    // (row x slots + slot) so that a plain numeric sort puts them in file order: an export given
    // twice has as many suspects as rows, and sorting objects by a comparator took seconds.
    const slots = suspects.slots;
    invariant(this.rowCount * slots <= Number.MAX_SAFE_INTEGER, () => `${this.rowCount} rows x ${slots} slots do not pack`);
    const found: number[] = [];
    this.fill.forEach((count, bucket) => {
      // Most buckets hold no suspect at all (49 suspects in 256 buckets at 10M rows).
      if (this.suspectBuckets[bucket] === 0) return;
      const keys = this.keys[bucket] as Int32Array;
      const rows = rowsOf[bucket] as Int32Array;
      for (let at = 0; at < count; at++) {
        const slot = suspects.slotOf(bucket + 1, keys[at] as number);
        if (slot >= 0) found.push((rows[at] as number) * slots + slot);
      }
    });
    const inOrder = Float64Array.from(found).sort();
    if (table.released && inOrder.some((packed) => table.isReleased(this.partOf(Math.floor(packed / slots))))) return null;
    // The first UsageId text read per suspect fingerprint (by its slot), and any other texts of the
    // same fingerprint apart (a true collision, nearly never): a row costs one string comparison,
    // not a lookup in a set of a million texts, and no array per fingerprint.
    const firstText: string[] = new Array<string>(slots).fill('');
    const otherTexts = new Map<number, string[]>();
    for (const packed of inOrder) {
      const row = Math.floor(packed / slots);
      const slot = packed - row * slots;
      const partIndex = this.partOf(row);
      const part = table.parts[partIndex] as CallColumns;
      const index = row - (this.partStarts[partIndex] as number);
      const source = table.source(part);
      const usageId = source.usageId(part, index);
      // A fingerprint is never an empty UsageId's: '' means no text yet.
      const first = firstText[slot] as string;
      let seen = false;
      if (first === '') firstText[slot] = usageId;
      else if (usageId === first) seen = true;
      else {
        const others = otherTexts.get(slot);
        seen = others?.includes(usageId) ?? false;
        if (others === undefined) otherTexts.set(slot, [usageId]);
        else if (!seen) others.push(usageId);
      }
      if (seen) {
        (table.rejected[partIndex] as Uint8Array)[index] = 1;
        rejects.push({ file: source.file, line: part.line[index] as number, reason: 'duplicate-usage-id', detail: `UsageId ${quoted(usageId)} was already read`, raw: source.raw(part, index) });
      }
    }
    return rejects;
  }

  /**
   * For a wide finder: whether any fingerprint, its 16 extra bits counted, was added twice. The
   * suspects share the bucket and low half; most differ in the extra bits.
   */
  private seenTwice(suspects: FingerprintSet): boolean {
    const seen = new Set<number>();
    let twice = false;
    this.fill.forEach((count, bucket) => {
      if (twice || this.suspectBuckets[bucket] === 0) return;
      const keys = this.keys[bucket] as Int32Array;
      const extras = this.extras?.[bucket] as Uint16Array;
      for (let at = 0; at < count && !twice; at++) {
        const slot = suspects.slotOf(bucket + 1, keys[at] as number);
        if (slot < 0) continue;
        const key = slot * 65_536 + (extras[at] as number);
        if (seen.has(key)) twice = true;
        seen.add(key);
      }
    });
    return twice;
  }

  /** The index of the part a row number is in. */
  private partOf(row: number): number {
    const starts = this.partStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] as number) <= row) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** Fingerprints that may occur twice: every one that does, and now and then one that does not. */
  private suspects(): FingerprintSet {
    const suspects = new FingerprintSet();
    let largest = 0;
    for (const count of this.fill) largest = Math.max(largest, count);
    const tags = new TagSet(largest);
    this.fill.forEach((count, bucket) => {
      const keys = this.keys[bucket] as Int32Array;
      tags.clear();
      for (let at = 0; at < count; at++) {
        const key = keys[at] as number;
        // Suspects are known by (bucket, low half); the set takes 0 for an empty slot, so bucket + 1.
        if (!tags.add(key, key)) {
          suspects.add(bucket + 1, key);
          this.suspectBuckets[bucket] = 1;
        }
      }
    });
    return suspects;
  }

  private grow(bucket: number): void {
    const grown = <T extends Int32Array | Uint16Array>(array: T): T => {
      const larger = new (array.constructor as new (length: number) => T)(array.length * 2);
      larger.set(array);
      return larger;
    };
    this.keys[bucket] = grown(this.keys[bucket] as Int32Array);
    if (this.rows !== null) this.rows[bucket] = grown(this.rows[bucket] as Int32Array);
    if (this.extras !== null) this.extras[bucket] = grown(this.extras[bucket] as Uint16Array);
  }
}

/** All of it at once, for a table already whole. */
export function findDuplicates(table: CallTable): Reject[] {
  invariant(!table.released, () => 'findDuplicates needs every part');
  const finder = new DuplicateFinder(table.count);
  for (const part of table.parts) finder.addPart(part);
  return finder.finish(table) as Reject[];
}

const BUCKET_ROWS = 65_536;

function capacityFor(expected: number): number {
  let capacity = 16;
  // Load factor at most 2/3: short probe runs.
  while (capacity * 2 < expected * 3) capacity *= 2;
  return capacity;
}

/** 32-bit tags (`low | 1`) in slots chosen by `high`. */
class TagSet {
  private readonly tags: Int32Array;
  private readonly mask: number;

  constructor(expected: number) {
    this.tags = new Int32Array(capacityFor(expected));
    this.mask = this.tags.length - 1;
  }

  clear(): void {
    this.tags.fill(0);
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

  /** How many slots there are: every slot number is below it. */
  get slots(): number {
    return this.highs.length;
  }

  add(high: number, low: number): void {
    if (this.has(high, low)) return;
    if ((this.size + 1) * 3 > this.highs.length * 2) this.grow();
    this.place(high, low);
    this.size++;
  }

  has(high: number, low: number): boolean {
    return this.slotOf(high, low) >= 0;
  }

  /** Where the fingerprint is stored (fixed once all are added), or -1. */
  slotOf(high: number, low: number): number {
    const mask = this.highs.length - 1;
    let slot = Math.imul(high ^ low, 0x9e3779b1) & mask;
    for (let stored = this.highs[slot] as number; stored !== 0; stored = this.highs[slot] as number) {
      if (stored === (high | 0) && this.lows[slot] === (low | 0)) return slot;
      slot = (slot + 1) & mask;
    }
    return -1;
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
