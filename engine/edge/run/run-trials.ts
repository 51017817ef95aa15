import { join } from 'node:path';
import { Piscina } from 'piscina';
import type { CreditsPolicy } from '../../credits/demand.js';
import { decodeTrial, sharedParts, type EncodedTrial, type SweptTrial, type TrialPlan, type TrialTask } from '../../forecast/trial-task.js';
import {
  historySweep,
  historyTrials,
  inTrialOrder,
  sweepTrialsHere,
  trialBatches,
  trialCount,
  trialHistoriesHere,
  trialPlan,
  type SweptTrials,
  type TrialOptions,
  type TrialProgress,
  type Trials,
} from '../../forecast/trials.js';
import type { LoadedInputs } from '../../replay/inputs.js';
import { packageRoot } from '../load/package-data.js';
import { InputError } from '../../kernel/errors.js';
import type { WorkerInputError } from '../workers/trial-worker.js';

/** Below this many trials a pool costs more to start than it saves. */
const MIN_TRIALS_FOR_POOL = 4;

function usesPool(workers: number, count: number): boolean {
  return workers > 1 && count >= MIN_TRIALS_FOR_POOL;
}

/**
 * Future traffic as the options ask (see forecast/trials.ts): in this thread, or with many
 * `bootstrap` trials on a piscina pool over the history's columns in shared memory, merged by trial
 * index, so the trials are the same for any worker count.
 */
export async function buildTrials(inputs: LoadedInputs, options: TrialOptions, workers = 1, onProgress?: TrialProgress): Promise<Trials> {
  if (options.model === 'history') return historyTrials(inputs);
  const plan = trialPlan(inputs, options);
  const count = trialCount(options);
  const histories = usesPool(workers, count)
    ? (await onTrialPool<EncodedTrial>(inputs, plan, count, workers, null, onProgress)).map(decodeTrial)
    : trialHistoriesHere(inputs, plan, count, onProgress);
  return { model: options.model, start: plan.start, end: plan.end, histories };
}

/**
 * A sweep over trials: on a pool, each worker builds its trials' demand and replays every policy
 * over it, so only the outcomes cross back to the main thread.
 */
export async function sweepTrials(inputs: LoadedInputs, options: TrialOptions, policies: CreditsPolicy[], workers = 1, onProgress?: TrialProgress): Promise<SweptTrials> {
  if (options.model === 'history') return historySweep(inputs, policies);
  const plan = trialPlan(inputs, options);
  const count = trialCount(options);
  const outcomes = usesPool(workers, count)
    ? (await onTrialPool<SweptTrial>(inputs, plan, count, workers, policies, onProgress)).map((trial) => trial.outcomes)
    : sweepTrialsHere(inputs, plan, count, policies, onProgress);
  return { model: options.model, start: plan.start, end: plan.end, outcomes };
}

/**
 * Trials 0..count-1 in batches on a piscina pool (see edge/workers/trial-worker.ts), the history's
 * columns copied once into shared memory; results come back in trial order.
 */
async function onTrialPool<T extends EncodedTrial | SweptTrial>(
  inputs: LoadedInputs,
  plan: TrialPlan,
  count: number,
  workers: number,
  policies: CreditsPolicy[] | null,
  onProgress?: TrialProgress,
): Promise<T[]> {
  const { scenario, table } = inputs;
  const shared = sharedParts(table);
  const pool = new Piscina({ filename: join(packageRoot(), 'dist', 'engine', 'edge', 'workers', 'trial-worker.js'), minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
  try {
    let done = 0;
    const batchResults = await Promise.all(
      trialBatches(count, workers).map((trials) =>
        pool.run({ ...shared, users: [...table.users], capabilities: [...table.capabilities], scenario, plan, trials, policies } satisfies TrialTask).then((results: T[] | WorkerInputError) => {
          if (!Array.isArray(results)) throw new InputError(results.inputError);
          done += trials.length;
          onProgress?.(done, count);
          return results;
        }),
      ),
    );
    return inTrialOrder(batchResults);
  } finally {
    await pool.destroy();
  }
}
