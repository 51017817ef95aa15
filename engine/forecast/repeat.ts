import type { CallColumns } from '../columns/call-columns.js';
import { CallTable } from '../columns/call-table.js';
import type { EpochMs } from '../kernel/time.js';

const WEEK_MS = 7 * 86_400_000;

export interface RepeatPlan {
  historyStart: EpochMs;
  historyEnd: EpochMs;
  /** Shift of each copy of history, in whole weeks, so weekdays (and holidays by weekday) line up. */
  shiftsMs: number[];
}

/**
 * The "repeat" model: history copied forward whole weeks at a time until it covers the horizon.
 * The first copy starts on the same weekday at or before the horizon's start; copies follow each
 * other every whole number of weeks the history spans. Calls a copy puts outside the horizon are
 * left out. Pure: no randomness, one trial.
 */
export function planRepeat(table: CallTable, horizonStart: EpochMs, horizonEnd: EpochMs): RepeatPlan {
  let first = Infinity;
  let last = -Infinity;
  table.forEachInOrder((part, index) => {
    const at = part.startAt[index] as number;
    if (at < first) first = at;
    if (at > last) last = at;
  });
  if (first === Infinity) return { historyStart: horizonStart, historyEnd: horizonStart, shiftsMs: [] };
  const historyStart = Math.floor(first / 86_400_000) * 86_400_000;
  const historyEnd = (Math.floor(last / 86_400_000) + 1) * 86_400_000;
  const spanMs = Math.ceil((historyEnd - historyStart) / WEEK_MS) * WEEK_MS;
  const shiftsMs: number[] = [];
  for (let shift = Math.floor((horizonStart - historyStart) / WEEK_MS) * WEEK_MS; historyStart + shift < horizonEnd; shift += spanMs) {
    if (historyStart + shift + spanMs > horizonStart) shiftsMs.push(shift);
  }
  return { historyStart, historyEnd, shiftsMs };
}

/** A table of the repeated calls: each part once per shift, start times moved, the rest shared. */
export function repeatTable(table: CallTable, plan: RepeatPlan, horizonStart: EpochMs, horizonEnd: EpochMs): CallTable {
  const parts: CallColumns[] = [];
  const outside: Uint8Array[] = [];
  for (const shift of plan.shiftsMs) {
    table.parts.forEach((part, partIndex) => {
      const startAt = new Float64Array(part.count);
      const skip = new Uint8Array(part.count);
      const rejected = table.rejected[partIndex] as Uint8Array;
      for (let row = 0; row < part.count; row++) {
        const at = (part.startAt[row] as number) + shift;
        startAt[row] = at;
        skip[row] = rejected[row] === 1 || at < horizonStart || at >= horizonEnd ? 1 : 0;
      }
      parts.push({ ...part, startAt });
      outside.push(skip);
    });
  }
  const repeated = new CallTable(parts, table.users, table.capabilities, table.sources);
  outside.forEach((skip, index) => (repeated.rejected[index] as Uint8Array).set(skip));
  return repeated;
}
