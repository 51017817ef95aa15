import { invariant } from '../kernel/errors.js';
import { emptyColumns, type CallColumns } from './call-columns.js';

/** How to get a row's own text back, and the fields the explain file shows, per input file. */
export interface RowSource {
  file: string;
  raw(part: CallColumns, index: number): string;
  describe(part: CallColumns, index: number): { usageId: string; callType: string; number: string };
  /** The UsageId alone (finding duplicates reads it for every suspect row). */
  usageId(part: CallColumns, index: number): string;
  /**
   * Gives back what reading rows back holds (a window of the file's bytes). No file stays open
   * between calls; a later call may read again.
   */
  close(): void;
}

/**
 * Every accepted call of a replay: the parts (byte ranges) in file order, with one user and one
 * capability table for all of them, a mark for rows rejected after reading (duplicates, no rate),
 * and the replay order (start, file, line) found by merging the parts without copying them.
 */
export class CallTable {
  readonly parts: CallColumns[] = [];
  readonly rejected: Uint8Array[] = [];
  /** Per part, its rows in start order when the file was not already in start order; else null. */
  private readonly permutations: (Uint32Array | null)[] = [];
  /**
   * True while each part starts no earlier than the one before it ends: a time-ordered export cut
   * into ranges. A tie at the seam already goes to the earlier part (file, then line), so the
   * parts can be read one after another without a merge.
   */
  private chainedSoFar = true;
  private previousLast = -Infinity;
  /** Rows of the parts given up by `release`. */
  private releasedRows = 0;
  private readonly releasedParts = new Set<number>();

  /** `sources` is by file index; an ingest fills it in as it opens each file. */
  constructor(
    parts: readonly CallColumns[],
    readonly users: readonly string[],
    readonly capabilities: readonly string[],
    readonly sources: readonly RowSource[],
  ) {
    for (const part of parts) this.addPart(part);
  }

  /** Appends a part after the others (an ingest adds them in file and range order as they are read). */
  addPart(part: CallColumns): void {
    const permutation = startOrder(part);
    this.parts.push(part);
    this.rejected.push(new Uint8Array(part.count));
    this.permutations.push(permutation);
    if (part.count === 0) return;
    const { first, last } = this.startsOf(this.parts.length - 1);
    if (first < this.previousLast) this.chainedSoFar = false;
    this.previousLast = last;
  }

  /** Whether the parts so far are in time order one after another (see `forEachUntil`). */
  get chained(): boolean {
    return this.chainedSoFar;
  }

  /** The latest start time of the parts so far (-Infinity when there is no call). */
  get latestStart(): number {
    return this.previousLast;
  }

  /** The earliest and latest start of a part's rows, rejected or not. */
  private startsOf(partIndex: number): { first: number; last: number } {
    const part = this.parts[partIndex] as CallColumns;
    const permutation = this.permutations[partIndex];
    return {
      first: part.startAt[permutation ? (permutation[0] as number) : 0] as number,
      last: part.startAt[permutation ? (permutation[part.count - 1] as number) : part.count - 1] as number,
    };
  }

  get count(): number {
    return this.parts.reduce((total, part) => total + part.count, this.releasedRows);
  }

  /** Whether some part was given up (`release`): the table can no longer be replayed whole. */
  get released(): boolean {
    return this.releasedParts.size > 0;
  }

  isReleased(partIndex: number): boolean {
    return this.releasedParts.has(partIndex);
  }

  /**
   * Gives up a part nothing will read again (a replay fed from the table has gone past it): its
   * place stays, empty, and its block, if it has one, is returned to be filled again.
   */
  release(partIndex: number): ArrayBuffer | undefined {
    const part = this.parts[partIndex];
    invariant(part !== undefined, () => `no part ${partIndex}`);
    if (part.count === 0) return undefined;
    this.releasedRows += part.count;
    this.releasedParts.add(partIndex);
    this.parts[partIndex] = emptyColumns(part.fileIndex);
    this.rejected[partIndex] = new Uint8Array(0);
    this.permutations[partIndex] = null;
    return part.block;
  }

  /** Closes every row source (see `RowSource.close`): for the edge, once nothing will be read back. */
  close(): void {
    for (const source of new Set(this.sources)) source.close();
  }

  source(part: CallColumns): RowSource {
    const source = this.sources[part.fileIndex];
    invariant(source !== undefined, () => `no source for file ${part.fileIndex}`);
    return source;
  }

  /** Calls in (start, file, line) order, skipping rejected ones: a k-way merge of the parts. */
  forEachInOrder(visit: (part: CallColumns, index: number, partIndex: number) => void): void {
    if (this.chainedSoFar) {
      // One part (a forecast trial, a small file) or parts in sequence: no merge needed.
      this.forEachUntil({ part: 0, row: 0 }, Infinity, visit);
      return;
    }
    const heap = new MergeHeap(this.parts.length);
    const cursors = new Uint32Array(this.parts.length);
    const rowAt = (partIndex: number, cursor: number): number => {
      const permutation = this.permutations[partIndex];
      return permutation === null || permutation === undefined ? cursor : (permutation[cursor] as number);
    };
    this.parts.forEach((part, partIndex) => {
      if (part.count > 0) heap.push(part.startAt[rowAt(partIndex, 0)] as number, partIndex);
    });
    while (heap.size > 0) {
      const partIndex = heap.popPart();
      const part = this.parts[partIndex] as CallColumns;
      const index = rowAt(partIndex, cursors[partIndex] as number);
      if ((this.rejected[partIndex] as Uint8Array)[index] === 0) visit(part, index, partIndex);
      const next = ++(cursors[partIndex] as number);
      cursors[partIndex] = next;
      if (next < part.count) heap.push(part.startAt[rowAt(partIndex, next)] as number, partIndex);
    }
  }

  /**
   * For a chained table: visits the calls from `cursor` on, in order, while they start before
   * `until`, skipping rejected ones, and leaves the cursor at the first call not visited. A replay
   * fed while an ingest is still adding parts calls it again as the table grows. With `atMost`,
   * it stops after that many rows and returns true: there may be more before `until`.
   */
  forEachUntil(cursor: ChainCursor, until: number, visit: (part: CallColumns, index: number, partIndex: number) => void, atMost = Infinity): boolean {
    invariant(this.chainedSoFar, () => 'forEachUntil needs parts in time order');
    let budget = atMost;
    for (; cursor.part < this.parts.length; cursor.part++, cursor.row = 0) {
      const partIndex = cursor.part;
      const part = this.parts[partIndex] as CallColumns;
      const permutation = this.permutations[partIndex];
      const rejected = this.rejected[partIndex] as Uint8Array;
      for (let row = cursor.row; row < part.count; row++) {
        const index = permutation === null || permutation === undefined ? row : (permutation[row] as number);
        if ((part.startAt[index] as number) >= until) {
          cursor.row = row;
          return false;
        }
        if (budget-- === 0) {
          cursor.row = row;
          return true;
        }
        if (rejected[index] === 0) visit(part, index, partIndex);
      }
    }
    return false;
  }
}

/** Where a replay fed from a growing chained table has got to: the next part and row (in start order). */
export interface ChainCursor {
  part: number;
  row: number;
}

/** Row order of a part by start time, ties by position; null when the part is already in order. */
function startOrder(part: CallColumns): Uint32Array | null {
  const { startAt, count } = part;
  let sorted = true;
  for (let i = 1; i < count && sorted; i++) if ((startAt[i] as number) < (startAt[i - 1] as number)) sorted = false;
  if (sorted) return null;
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((a, b) => (startAt[a] as number) - (startAt[b] as number) || a - b);
  return order;
}

/** A binary min-heap of (start time, part index) pairs; ties go to the earlier part. */
class MergeHeap {
  private readonly keys: Float64Array;
  private readonly parts: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(1, capacity));
    this.parts = new Int32Array(Math.max(1, capacity));
  }

  push(key: number, part: number): void {
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.less(key, part, this.keys[parent] as number, this.parts[parent] as number)) break;
      this.keys[at] = this.keys[parent] as number;
      this.parts[at] = this.parts[parent] as number;
      at = parent;
    }
    this.keys[at] = key;
    this.parts[at] = part;
  }

  popPart(): number {
    const top = this.parts[0] as number;
    const key = this.keys[--this.size] as number;
    const part = this.parts[this.size] as number;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.less(this.keys[child + 1] as number, this.parts[child + 1] as number, this.keys[child] as number, this.parts[child] as number)) child++;
      if (!this.less(this.keys[child] as number, this.parts[child] as number, key, part)) break;
      this.keys[at] = this.keys[child] as number;
      this.parts[at] = this.parts[child] as number;
      at = child;
    }
    this.keys[at] = key;
    this.parts[at] = part;
    return top;
  }

  private less(keyA: number, partA: number, keyB: number, partB: number): boolean {
    return keyA < keyB || (keyA === keyB && partA < partB);
  }
}
