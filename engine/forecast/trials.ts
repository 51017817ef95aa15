import { join } from 'node:path';
import { Piscina } from 'piscina';
import { packageRoot } from '../io/package-data.js';
import type { LoadedInputs } from '../replay/run-replay.js';
import { addCalendarMonths, type EpochMs } from '../time.js';
import { indexDays } from './bootstrap.js';
import type { GrowthPlan } from './growth.js';
import { historyOf, type History } from './history.js';
import { decodeTrial, sharedParts, trialHistory, type EncodedTrial, type TrialPlan, type TrialTask } from './trial-task.js';

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
  /** One per trial, in trial order: its credit demand and the policy-independent rest of its replay. */
  histories: History[];
}

/**
 * Future traffic from history, each trial replayed once up to the ledger (pools drawn, demand
 * collected): `history` is the scenario's own period as it happened; `repeat` is history copied
 * forward whole weeks (one trial); `bootstrap` resamples whole days (many trials, seeded per trial,
 * run on a piscina pool over the history's columns in shared memory and merged by trial index, so
 * the trials are the same for any worker count). The horizon starts at the scenario's start, by
 * default 00:00 UTC after the last CDR.
 */
export async function buildTrials(inputs: LoadedInputs, options: TrialOptions, workers = 1, onProgress?: (done: number, total: number) => void): Promise<Trials> {
  const { scenario, table } = inputs;
  if (options.model === 'history') {
    const history = historyOf(inputs);
    return { model: 'history', start: history.settings.start, end: history.settings.end, histories: [history] };
  }
  let last = -Infinity;
  table.forEachInOrder((part, index) => void (last = Math.max(last, part.startAt[index] as number)));
  const start = scenario.start ?? (Math.floor(last / 86_400_000) + 1) * 86_400_000;
  const end = addCalendarMonths(start, options.horizonMonths, scenario.offsetMinutes);
  const plan: TrialPlan = { model: options.model, start, end, seed: options.seed ?? scenario.seed, growth: options.growth };
  const count = options.model === 'repeat' ? 1 : options.trials;
  if (workers <= 1 || count < 4) {
    const days = options.model === 'bootstrap' ? indexDays(table, scenario.offsetMinutes) : null;
    const histories: History[] = [];
    for (let trial = 0; trial < count; trial++) {
      histories.push(trialHistory(inputs, plan, days, trial));
      onProgress?.(trial + 1, count);
    }
    return { model: options.model, start, end, histories };
  }
  const shared = sharedParts(table);
  const pool = new Piscina({ filename: join(packageRoot(), 'dist', 'engine', 'workers', 'trial-worker.js'), minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
  try {
    // Small batches keep both workers busy to the end; each task still carries many calls.
    const batch = Math.max(1, Math.floor(count / (workers * 8)));
    const batches: number[][] = [];
    for (let first = 0; first < count; first += batch) batches.push(Array.from({ length: Math.min(batch, count - first) }, (_, index) => first + index));
    let done = 0;
    const results = await Promise.all(
      batches.map((trials) =>
        pool.run({ ...shared, users: [...table.users], capabilities: [...table.capabilities], scenario, plan, trials } satisfies TrialTask).then((encoded: EncodedTrial[]) => {
          done += trials.length;
          onProgress?.(done, count);
          return encoded;
        }),
      ),
    );
    const histories = results.flat().sort((a, b) => a.trial - b.trial).map(decodeTrial);
    return { model: options.model, start, end, histories };
  } finally {
    await pool.destroy();
  }
}

/** Nearest-rank percentile of numbers (Infinity allowed): the smallest value with at least share p at or below it. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? NaN;
}
