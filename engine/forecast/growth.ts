import { ColumnBuilder, unpackCountry, type CallColumns } from '../columns/call-columns.js';
import { CallTable } from '../columns/call-table.js';
import { monthIndexOf } from '../kernel/calendar.js';
import { seededRandom } from '../kernel/random.js';
import type { HeadcountChange } from '../model/scenario.js';
import type { EpochMs } from '../kernel/time.js';

export interface GrowthPlan {
  /** Monthly growth of traffic: month k of the horizon carries (1 + growth)^k as many calls. */
  monthlyGrowth: number;
  headcount: readonly HeadcountChange[];
}

/**
 * Scales a trial's traffic: each call of horizon month k is kept floor(f) times and once more with
 * probability frac(f), f = (1 + growth)^k x the headcount factor of its (capability, country).
 * Copies keep their user and time, so pools and the ledger see the extra minutes where they fall.
 * The draws come from their own seeded stream per trial.
 */
export function scaleTraffic(table: CallTable, plan: GrowthPlan, horizonStart: EpochMs, offsetMinutes: number, seed: number, trial: number): CallTable {
  if (plan.monthlyGrowth === 0 && plan.headcount.length === 0) return table;
  const random = seededRandom((seed ^ 0x5bd1e995 ^ Math.imul(trial + 1, 0x27d4eb2d)) >>> 0);
  const firstMonth = monthIndexOf(horizonStart, offsetMinutes);
  const headcountFactor = (part: CallColumns, index: number): number => {
    const capability = part.capability[index] as number;
    if (capability < 0 || plan.headcount.length === 0) return 1;
    const name = table.capabilities[capability];
    const country = unpackCountry(part.country[index] as number);
    const change = plan.headcount.find((entry) => entry.capability === name && (entry.country === null || entry.country === country || (entry.country === 'US' && country === 'PR')));
    return change?.factor ?? 1;
  };
  const builders = new Map<number, ColumnBuilder>();
  table.forEachInOrder((part, index) => {
    const monthsIn = monthIndexOf(part.startAt[index] as number, offsetMinutes) - firstMonth;
    const factor = (1 + plan.monthlyGrowth) ** Math.max(monthsIn, 0) * headcountFactor(part, index);
    const copies = Math.floor(factor) + (random() < factor - Math.floor(factor) ? 1 : 0);
    let builder = builders.get(part.fileIndex);
    if (builder === undefined) builders.set(part.fileIndex, (builder = new ColumnBuilder(part.fileIndex, 1024)));
    for (let copy = 0; copy < copies; copy++) {
      builder.appendFrom(part, index, part.startAt[index] as number);
    }
  });
  const parts = [...builders.entries()].sort(([a], [b]) => a - b).map(([, builder]) => ({ ...builder.finish(), users: table.users as string[], capabilities: table.capabilities as string[] }));
  return new CallTable(parts, table.users, table.capabilities, table.sources);
}
