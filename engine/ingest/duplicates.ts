import type { Reject } from '../cdr/call.js';
import type { CallTable } from '../cdr/call-table.js';

/**
 * Marks every row whose UsageId was already read (in file order) as rejected. Rows are found by
 * their 64-bit UsageId fingerprint in one open-addressing table of row numbers; a fingerprint match
 * is confirmed on the UsageId text itself, so a hash collision never rejects a good row.
 */
export function findDuplicates(table: CallTable): Reject[] {
  const parts = table.parts;
  const offsets = new Float64Array(parts.length + 1);
  parts.forEach((part, index) => (offsets[index + 1] = (offsets[index] as number) + part.count));
  const total = offsets[parts.length] as number;
  let capacity = 16;
  // Load factor at most 2/3: short probe runs without a slot array twice the size of the rows.
  while (capacity * 2 < total * 3) capacity *= 2;
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(-1);
  const locate = (row: number): number => {
    let low = 0;
    let high = parts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((offsets[middle] as number) <= row) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  const rejects: Reject[] = [];
  parts.forEach((part, partIndex) => {
    for (let i = 0; i < part.count; i++) {
      const high = part.usageHashHigh[i] as number;
      if (high === 0) continue;
      const low = part.usageHashLow[i] as number;
      let slot = (low ^ Math.imul(high, 0x9e3779b1)) & mask;
      let duplicateOf = -1;
      for (let stored = slots[slot] as number; stored !== -1; stored = slots[slot] as number) {
        const otherPart = locate(stored);
        const other = parts[otherPart];
        const otherIndex = stored - (offsets[otherPart] as number);
        if (other !== undefined && other.usageHashHigh[otherIndex] === high && other.usageHashLow[otherIndex] === low) {
          const usageId = table.source(part).describe(part, i).usageId;
          if (usageId === table.source(other).describe(other, otherIndex).usageId) {
            duplicateOf = stored;
            rejects.push({ file: table.source(part).file, line: part.line[i] as number, reason: 'duplicate-usage-id', detail: `UsageId "${usageId}" was already read`, raw: table.source(part).raw(part, i) });
            break;
          }
        }
        slot = (slot + 1) & mask;
      }
      if (duplicateOf >= 0) (table.rejected[partIndex] as Uint8Array)[i] = 1;
      else slots[slot] = (offsets[partIndex] as number) + i;
    }
  });
  return rejects;
}
