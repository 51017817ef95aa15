import type { LoadedInputs } from '../replay/inputs.js';
import { InputError } from '../kernel/errors.js';
import { checkTopUps } from '../model/scenario.js';
import { addCalendarMonths, type EpochMs } from '../kernel/time.js';
import { indexDays } from './bootstrap.js';
import type { GrowthPlan } from './growth.js';
import type { Allowances } from '../model/allowances.js';
import { historyOf, type History } from './history.js';
import type { CreditsPolicy } from '../credits/demand.js';
import { sweepTrial, trialHistory, type TrialOutcome, type TrialPlan } from './trial-task.js';

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

export interface SweptTrials {
  model: TrafficModel;
  start: EpochMs;
  end: EpochMs;
  /** Per trial (in trial order), per policy (in the order given). */
  outcomes: TrialOutcome[][];
}

export type TrialProgress = (done: number, total: number) => void;

/*
 * Future traffic from history, each trial replayed once up to the ledger (pools drawn, demand
 * collected): `history` is the scenario's own period as it happened; `repeat` is history copied
 * forward whole weeks (one trial); `bootstrap` resamples whole days (many trials, seeded per trial,
 * so the trials are the same whether they run here or on worker threads and merge by trial index).
 * The horizon starts at the scenario's start, by default 00:00 UTC after the last CDR.
 */

/** The `history` model: the scenario's own period, one trial. */
export function historyTrials(inputs: LoadedInputs): Trials {
  const history = historyOf(inputs);
  return { model: 'history', start: history.settings.start, end: history.settings.end, histories: [history] };
}

/** The `history` model swept: every policy over the scenario's own period. */
export function historySweep(inputs: LoadedInputs, policies: readonly CreditsPolicy[]): SweptTrials {
  const history = historyOf(inputs);
  return { model: 'history', start: history.settings.start, end: history.settings.end, outcomes: [sweepTrial(history, policies)] };
}

/** Trials a model makes: `repeat` has only one way to copy history forward. */
export function trialCount(options: TrialOptions): number {
  return options.model === 'repeat' ? 1 : options.trials;
}

/** The horizon and seed every trial of a `repeat` or `bootstrap` model shares. */
export function trialPlan(inputs: LoadedInputs, options: TrialOptions): TrialPlan {
  const { scenario, table } = inputs;
  let lastStartAt = -Infinity;
  table.forEachInOrder((part, index) => void (lastStartAt = Math.max(lastStartAt, part.startAt[index] as number)));
  if (lastStartAt === -Infinity) throw new InputError(`${scenario.file}: no call could be read, so there is no history to make future traffic from`);
  const start = scenario.start ?? (Math.floor(lastStartAt / 86_400_000) + 1) * 86_400_000;
  const end = addCalendarMonths(start, options.horizonMonths, scenario.offsetMinutes);
  checkTopUps(scenario.file, scenario.credits.topUps, start, end);
  checkHeadcount(options.growth, inputs.rules.allowances, scenario.allowancesFile);
  return { model: options.model === 'repeat' ? 'repeat' : 'bootstrap', start, end, seed: options.seed ?? scenario.seed, growth: options.growth };
}

/**
 * A --headcount change names a plan or licence of the allowances file: a typo would otherwise scale
 * no call and answer as if no change had been asked for, and a payment source (MCOPSTNPP) is not
 * anyone's plan (its calls belong to the callers' plans).
 */
function checkHeadcount(growth: GrowthPlan, allowances: Allowances, allowancesFile: string): void {
  for (const change of growth.headcount) {
    const given = `${change.capability}:${change.country ?? '*'}`;
    if (allowances.kindOf(change.capability) === undefined) {
      throw new InputError(`--headcount ${given}: ${JSON.stringify(change.capability)} is not a capability of ${allowancesFile}: name a plan or licence it lists`);
    }
    if (allowances.isPaymentSource(change.capability)) {
      throw new InputError(`--headcount ${given}: ${JSON.stringify(change.capability)} is a payment source, not a plan (its calls are the callers' plans'): name the plan, e.g. MCOPSTN1`);
    }
  }
}

/** Trials 0..count-1, one after another in this thread. */
export function trialHistoriesHere(inputs: LoadedInputs, plan: TrialPlan, count: number, onProgress?: TrialProgress): History[] {
  const days = plan.model === 'bootstrap' ? indexDays(inputs.table, inputs.scenario.offsetMinutes) : null;
  const histories: History[] = [];
  for (let trial = 0; trial < count; trial++) {
    histories.push(trialHistory(inputs, plan, days, trial));
    onProgress?.(trial + 1, count);
  }
  return histories;
}

/** Every policy over trials 0..count-1, one trial after another in this thread. */
export function sweepTrialsHere(inputs: LoadedInputs, plan: TrialPlan, count: number, policies: readonly CreditsPolicy[], onProgress?: TrialProgress): TrialOutcome[][] {
  const days = plan.model === 'bootstrap' ? indexDays(inputs.table, inputs.scenario.offsetMinutes) : null;
  const outcomes: TrialOutcome[][] = [];
  for (let trial = 0; trial < count; trial++) {
    outcomes.push(sweepTrial(trialHistory(inputs, plan, days, trial), policies));
    onProgress?.(trial + 1, count);
  }
  return outcomes;
}

/** Trials 0..count-1 cut into consecutive batches: small ones keep every worker busy to the end, each still many calls. */
export function trialBatches(count: number, workers: number): number[][] {
  const batchSize = Math.max(1, Math.floor(count / (workers * 8)));
  const batches: number[][] = [];
  for (let first = 0; first < count; first += batchSize) batches.push(Array.from({ length: Math.min(batchSize, count - first) }, (_, index) => first + index));
  return batches;
}

/** Results of batches that finished in any order, merged by trial index so they never depend on workers. */
export function inTrialOrder<T extends { trial: number }>(batchResults: readonly T[][]): T[] {
  return batchResults.flat().sort((a, b) => a.trial - b.trial);
}

/** Nearest-rank percentile of numbers (Infinity allowed): the smallest value with at least share p at or below it. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? NaN;
}
