import type { CallTable } from '../cdr/call-table.js';
import type { LoadedInputs } from '../replay/run-replay.js';
import { addCalendarMonths, type EpochMs } from '../time.js';
import { bootstrapTable, indexDays } from './bootstrap.js';
import { scaleTraffic, type GrowthPlan } from './growth.js';
import { historyOf, type History } from './history.js';
import { planRepeat, repeatTable } from './repeat.js';

export type TrafficModel = 'history' | 'repeat' | 'bootstrap';
export const TRAFFIC_MODELS: readonly TrafficModel[] = ['history', 'repeat', 'bootstrap'];

export interface TrialOptions {
  model: TrafficModel;
  /** Months from the horizon's start; ignored by `history`, which keeps the scenario's period. */
  horizonMonths: number;
  trials: number;
  /** Null: the scenario's seed. */
  seed: number | null;
  /** Traffic growth and headcount changes, applied to every trial (not to `history`). */
  growth: GrowthPlan;
}

export interface Trials {
  model: TrafficModel;
  start: EpochMs;
  end: EpochMs;
  /** One per trial: its credit demand and the policy-independent rest of its replay. */
  histories: History[];
}

/**
 * Future traffic from history, each trial replayed once up to the ledger (pools drawn, demand
 * collected): `history` is the scenario's own period as it happened; `repeat` is history copied
 * forward whole weeks (one trial); `bootstrap` resamples whole days (many trials, seeded).
 * The horizon starts at the scenario's start, by default 00:00 UTC after the last CDR.
 */
export function buildTrials(inputs: LoadedInputs, options: TrialOptions): Trials {
  const { scenario, table } = inputs;
  if (options.model === 'history') {
    const history = historyOf(inputs);
    return { model: 'history', start: history.settings.start, end: history.settings.end, histories: [history] };
  }
  let last = -Infinity;
  table.forEachInOrder((part, index) => void (last = Math.max(last, part.startAt[index] as number)));
  const start = scenario.start ?? (Math.floor(last / 86_400_000) + 1) * 86_400_000;
  const end = addCalendarMonths(start, options.horizonMonths, scenario.offsetMinutes);
  const seed = options.seed ?? scenario.seed;
  const trialOf = (projectedTable: CallTable, trial: number): History => {
    const trialTable = scaleTraffic(projectedTable, options.growth, start, scenario.offsetMinutes, seed, trial);
    let projected = 0;
    trialTable.rejected.forEach((skip) => skip.forEach((flag) => (projected += flag === 0 ? 1 : 0)));
    return historyOf({ ...inputs, table: trialTable, ingestRejects: [], rowsRead: projected, scenario: { ...scenario, start, end, headcount: [...options.growth.headcount] } });
  };
  if (options.model === 'repeat') {
    return { model: 'repeat', start, end, histories: [trialOf(repeatTable(table, planRepeat(table, start, end), start, end), 0)] };
  }
  const days = indexDays(table, scenario.offsetMinutes);
  const histories: History[] = [];
  for (let trial = 0; trial < options.trials; trial++) histories.push(trialOf(bootstrapTable(table, days, start, end, seed, trial), trial));
  return { model: 'bootstrap', start, end, histories };
}

/** Nearest-rank percentile of numbers (Infinity allowed): the smallest value with at least share p at or below it. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? NaN;
}
