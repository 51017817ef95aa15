import { ColumnBuilder, type CallColumns } from '../columns/call-columns.js';
import { CallTable } from '../columns/call-table.js';
import { seededRandom } from '../kernel/random.js';
import type { EpochMs } from '../kernel/time.js';

const DAY_MS = 86_400_000;

/** History's calls grouped by calendar day (at the scenario's offset), in start order within a day. */
export interface DayIndex {
  offsetMinutes: number;
  /** Day numbers (days since 1970-01-01 at the offset) that history covers, first to last. */
  firstDay: number;
  lastDay: number;
  /** Per history day: its calls as (part index, row index) pairs. */
  callsByDay: Map<number, DayCalls>;
}

/** One history day's calls: call k is row `rowIndexes[k]` of part `partIndexes[k]`. */
export interface DayCalls {
  partIndexes: number[];
  rowIndexes: number[];
}

export function indexDays(table: CallTable, offsetMinutes: number): DayIndex {
  const callsByDay = new Map<number, DayCalls>();
  let firstDay = Infinity;
  let lastDay = -Infinity;
  table.forEachInOrder((part, index, partIndex) => {
    const day = Math.floor(((part.startAt[index] as number) + offsetMinutes * 60_000) / DAY_MS);
    firstDay = Math.min(firstDay, day);
    lastDay = Math.max(lastDay, day);
    let calls = callsByDay.get(day);
    if (calls === undefined) callsByDay.set(day, (calls = { partIndexes: [], rowIndexes: [] }));
    calls.partIndexes.push(partIndex);
    calls.rowIndexes.push(index);
  });
  return { offsetMinutes, firstDay, lastDay, callsByDay };
}

/** Weekday (0 = Thursday 1970-01-01, any fixed origin will do) and calendar month of a day number. */
function weekday(day: number): number {
  return ((day % 7) + 7) % 7;
}
function monthOfYear(day: number): number {
  return new Date(day * DAY_MS).getUTCMonth();
}

/**
 * The "bootstrap" model: a trial fills each day of the horizon with the calls of one history day
 * of the same weekday and the same calendar month, drawn at random (of the same weekday in any
 * month when history has none), so a trial keeps real days whole, bad weeks included. Trial t draws
 * from its own generator seeded by (seed, t): the same trials on any machine and worker count.
 */
export function bootstrapTable(table: CallTable, days: DayIndex, horizonStart: EpochMs, horizonEnd: EpochMs, seed: number, trial: number): CallTable {
  const random = seededRandom(mix(seed, trial));
  const byWeekdayMonth = new Map<number, number[]>();
  const byWeekday = new Map<number, number[]>();
  for (let day = days.firstDay; day <= days.lastDay; day++) {
    const key = weekday(day) * 12 + monthOfYear(day);
    (byWeekdayMonth.get(key) ?? byWeekdayMonth.set(key, []).get(key))?.push(day);
    (byWeekday.get(weekday(day)) ?? byWeekday.set(weekday(day), []).get(weekday(day)))?.push(day);
  }
  const offset = days.offsetMinutes * 60_000;
  const firstDay = Math.floor((horizonStart + offset) / DAY_MS);
  const lastDay = Math.floor((horizonEnd - 1 + offset) / DAY_MS);
  // One part per source file, so every row can still be read back from its own file.
  const builders = new Map<number, ColumnBuilder>();
  const builderFor = (fileIndex: number): ColumnBuilder => {
    let builder = builders.get(fileIndex);
    if (builder === undefined) builders.set(fileIndex, (builder = new ColumnBuilder(fileIndex, 1024)));
    return builder;
  };
  for (let day = firstDay; day <= lastDay; day++) {
    const candidateDays = byWeekdayMonth.get(weekday(day) * 12 + monthOfYear(day)) ?? byWeekday.get(weekday(day)) ?? [];
    if (candidateDays.length === 0) continue;
    const drawn = candidateDays[Math.floor(random() * candidateDays.length)] as number;
    const calls = days.callsByDay.get(drawn);
    if (calls === undefined) continue;
    const shiftMs = (day - drawn) * DAY_MS;
    for (let call = 0; call < calls.rowIndexes.length; call++) {
      const part = table.parts[calls.partIndexes[call] as number] as CallColumns;
      const row = calls.rowIndexes[call] as number;
      const startAt = (part.startAt[row] as number) + shiftMs;
      if (startAt < horizonStart || startAt >= horizonEnd) continue;
      builderFor(part.fileIndex).appendFrom(part, row, startAt);
    }
  }
  const parts = [...builders.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, builder]) => ({ ...builder.finish(), users: table.users as string[], capabilities: table.capabilities as string[] }));
  return new CallTable(parts, table.users, table.capabilities, table.sources);
}

/** A 32-bit seed per (seed, trial), well mixed so neighbouring trials are unrelated. */
function mix(seed: number, trial: number): number {
  let hash = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(trial + 1, 0xc2b2ae35);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x7feb352d);
  return (hash ^ (hash >>> 15)) >>> 0;
}
