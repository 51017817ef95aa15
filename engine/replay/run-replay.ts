import { ingestFiles } from '../cdr/ingest.js';
import type { Call } from '../cdr/call.js';
import { InputError } from '../errors.js';
import { bundledData } from '../io/package-data.js';
import { loadNumberingPlan } from '../numbers/reference.js';
import { loadAllowances } from '../pools/allowances.js';
import { loadRateTables } from '../rates/load-rates.js';
import { loadScenario } from '../scenario/load-scenario.js';
import { replay } from './replay.js';
import type { ReplayResult } from './result.js';

export interface ReplayRun {
  result: ReplayResult;
  calls: readonly Call[];
}

/** The I/O edge of a replay: load every input file, then hand plain data to the pure replay. */
export async function runReplay(cdrFiles: readonly string[], scenarioFile: string): Promise<ReplayRun> {
  const data = bundledData();
  const scenario = loadScenario(scenarioFile, data.allowances);
  const rules = { allowances: loadAllowances(scenario.allowancesFile), numbering: loadNumberingPlan(data) };
  const rates = scenario.rating.rateFiles.length === 0 ? null : loadRateTables(scenario.rating.rateFiles, scenario.currency);
  const ingested = await ingestFiles(cdrFiles, scenario.currency);
  if (ingested.calls.length === 0 && (scenario.start === null || scenario.end === null)) {
    throw new InputError(`${scenarioFile}: no call could be read, so start and end must be given`);
  }
  const result = replay({ calls: ingested.calls, ingestRejects: ingested.rejects, rowsRead: ingested.rowsRead, scenario, rules, rates });
  return { result, calls: ingested.calls };
}
