import { Piscina } from 'piscina';
import { encodedBuffers, runTrialTask, type EncodedTrial, type SweptTrial, type TrialTask } from '../../forecast/trial-task.js';
import { bundledData } from '../load/package-data.js';
import { referenceData } from './reference-cache.js';

/** A piscina task: a batch of forecast trials, their demands returned as transferred typed arrays. */
export default function runTrialBatch(task: TrialTask): EncodedTrial[] | SweptTrial[] {
  const { rules, rates } = referenceData({ numbering: bundledData(), allowancesFile: task.scenario.allowancesFile, rateFiles: task.scenario.rating.rateFiles, currency: task.scenario.currency });
  const result = runTrialTask(task, rules, rates);
  if (task.policies !== null) return result;
  const encoded = result as EncodedTrial[];
  return Piscina.move({ [Piscina.transferableSymbol]: encoded.flatMap(encodedBuffers), [Piscina.valueSymbol]: encoded } as never) as unknown as EncodedTrial[];
}
