import { join } from 'node:path';
import { Piscina } from 'piscina';
import { packageRoot } from '../edge/load/package-data.js';
import type { LoadedInputs } from '../replay/inputs.js';
import { InputError } from '../kernel/errors.js';
import { checkTopUps } from '../model/scenario.js';
import { addCalendarMonths, type EpochMs } from '../kernel/time.js';
import { indexDays } from './bootstrap.js';
import type { GrowthPlan } from './growth.js';
import { historyOf, type History } from './history.js';
import type { CreditsPolicy } from '../credits/demand.js';
import { decodeTrial, sharedParts, sweepTrial, trialHistory, type EncodedTrial, type SweptTrial, type TrialOutcome, type TrialPlan, type TrialTask } from './trial-task.js';

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
  if (options.model === 'history') {
    const history = historyOf(inputs);
    return { model: 'history', start: history.settings.start, end: history.settings.end, histories: [history] };
  }
  const plan = trialPlan(inputs, options);
  const encoded = await runTrials<EncodedTrial>(inputs, plan, trialCount(options), workers, null, onProgress);
  return { model: options.model, start: plan.start, end: plan.end, histories: encoded.map((trial) => (trial.history === undefined ? decodeTrial(trial) : trial.history)) };
}

export interface SweptTrials {
  model: TrafficModel;
  start: EpochMs;
  end: EpochMs;
  /** Per trial (in trial order), per policy (in the order given). */
  outcomes: TrialOutcome[][];
}

/**
 * A sweep over trials: each worker builds its trials' demand and replays every policy over it, so
 * only the outcomes cross back to the main thread.
 */
export async function sweepTrials(inputs: LoadedInputs, options: TrialOptions, policies: CreditsPolicy[], workers = 1, onProgress?: (done: number, total: number) => void): Promise<SweptTrials> {
  if (options.model === 'history') {
    const history = historyOf(inputs);
    return { model: 'history', start: history.settings.start, end: history.settings.end, outcomes: [sweepTrial(history, policies)] };
  }
  const plan = trialPlan(inputs, options);
  const swept = await runTrials<SweptTrial>(inputs, plan, trialCount(options), workers, policies, onProgress);
  return { model: options.model, start: plan.start, end: plan.end, outcomes: swept.map((trial) => trial.outcomes) };
}

function trialCount(options: TrialOptions): number {
  return options.model === 'repeat' ? 1 : options.trials;
}

function trialPlan(inputs: LoadedInputs, options: TrialOptions): TrialPlan {
  const { scenario, table } = inputs;
  let last = -Infinity;
  table.forEachInOrder((part, index) => void (last = Math.max(last, part.startAt[index] as number)));
  if (last === -Infinity) throw new InputError(`${scenario.file}: no call could be read, so there is no history to make future traffic from`);
  const start = scenario.start ?? (Math.floor(last / 86_400_000) + 1) * 86_400_000;
  const end = addCalendarMonths(start, options.horizonMonths, scenario.offsetMinutes);
  checkTopUps(scenario.file, scenario.credits.topUps, start, end);
  return { model: options.model === 'repeat' ? 'repeat' : 'bootstrap', start, end, seed: options.seed ?? scenario.seed, growth: options.growth };
}

/**
 * Runs trials 0..count-1 in this thread, or in batches on a piscina pool over the history's columns
 * in shared memory; results come back in trial order either way, so they never depend on workers.
 */
async function runTrials<T extends { trial: number; history?: History }>(
  inputs: LoadedInputs,
  plan: TrialPlan,
  count: number,
  workers: number,
  policies: CreditsPolicy[] | null,
  onProgress?: (done: number, total: number) => void,
): Promise<T[]> {
  const { scenario, table } = inputs;
  if (workers <= 1 || count < 4) {
    const days = plan.model === 'bootstrap' ? indexDays(table, scenario.offsetMinutes) : null;
    const results: T[] = [];
    for (let trial = 0; trial < count; trial++) {
      const history = trialHistory(inputs, plan, days, trial);
      results.push((policies === null ? { trial, history } : { trial, outcomes: sweepTrial(history, policies) }) as unknown as T);
      onProgress?.(trial + 1, count);
    }
    return results;
  }
  const shared = sharedParts(table);
  const pool = new Piscina({ filename: join(packageRoot(), 'dist', 'engine', 'edge', 'workers', 'trial-worker.js'), minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
  try {
    // Small batches keep every worker busy to the end; each task still carries many calls.
    const batch = Math.max(1, Math.floor(count / (workers * 8)));
    const batches: number[][] = [];
    for (let first = 0; first < count; first += batch) batches.push(Array.from({ length: Math.min(batch, count - first) }, (_, index) => first + index));
    let done = 0;
    const results = await Promise.all(
      batches.map((trials) =>
        pool.run({ ...shared, users: [...table.users], capabilities: [...table.capabilities], scenario, plan, trials, policies } satisfies TrialTask).then((batchResults: T[]) => {
          done += trials.length;
          onProgress?.(done, count);
          return batchResults;
        }),
      ),
    );
    return results.flat().sort((a, b) => a.trial - b.trial);
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
