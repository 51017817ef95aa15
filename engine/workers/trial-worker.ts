import { Piscina } from 'piscina';
import { encodedBuffers, runTrialTask, type EncodedTrial, type TrialTask } from '../forecast/trial-task.js';
import { bundledData } from '../io/package-data.js';
import { referenceData } from './reference-cache.js';

/** A piscina task: a batch of forecast trials, their demands returned as transferred typed arrays. */
export default function runTrials(task: TrialTask): EncodedTrial[] {
  const { rules, rates } = referenceData({ numbering: bundledData(), allowancesFile: task.scenario.allowancesFile, rateFiles: task.scenario.rating.rateFiles, currency: task.scenario.currency });
  const encoded = runTrialTask(task, rules, rates);
  return Piscina.move({ [Piscina.transferableSymbol]: encoded.flatMap(encodedBuffers), [Piscina.valueSymbol]: encoded } as never) as unknown as EncodedTrial[];
}
