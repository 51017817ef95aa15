import { Piscina } from 'piscina';
import { encodedBuffers, runTrialTask, type EncodedTrial, type SweptTrial, type TrialTask } from '../../forecast/trial-task.js';
import { InputError } from '../../kernel/errors.js';
import { bundledData } from '../load/package-data.js';
import { referenceData } from './reference-cache.js';

/** Bad input met inside a worker (a sweep's recharges buying past the limit), said as data. */
export interface WorkerInputError {
  inputError: string;
}

/**
 * A piscina task: a batch of forecast trials, their demands returned as transferred typed arrays.
 * An InputError would lose its class crossing the thread boundary (and so exit 1, as a bug): it
 * comes back as data, to be thrown again as one.
 */
export default function runTrialBatch(task: TrialTask): EncodedTrial[] | SweptTrial[] | WorkerInputError {
  try {
    return runBatch(task);
  } catch (error) {
    if (error instanceof InputError) return { inputError: error.message };
    throw error;
  }
}

function runBatch(task: TrialTask): EncodedTrial[] | SweptTrial[] {
  const { cgrates } = task.scenario.rating;
  const { rules, rates } = referenceData({ numbering: bundledData(), allowancesFile: task.scenario.allowancesFile, rateFiles: task.scenario.rating.rateFiles, currency: task.scenario.currency, ...(cgrates === undefined ? {} : { cgrates }) });
  const result = runTrialTask(task, rules, rates);
  if (task.policies !== null) return result;
  const encoded = result as EncodedTrial[];
  return Piscina.move({ [Piscina.transferableSymbol]: encoded.flatMap(encodedBuffers), [Piscina.valueSymbol]: encoded } as never) as unknown as EncodedTrial[];
}
