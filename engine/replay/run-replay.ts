import { availableParallelism } from 'node:os';
import { InputError } from '../errors.js';
import { ingestFiles } from '../ingest/ingest.js';
import { bundledData } from '../io/package-data.js';
import { loadNumberingPlan } from '../numbers/reference.js';
import { loadAllowances } from '../pools/allowances.js';
import { loadRateTables } from '../rates/load-rates.js';
import { loadScenario } from '../scenario/load-scenario.js';
import type { Reject } from '../cdr/call.js';
import type { CallTable } from '../cdr/call-table.js';
import type { RateTable } from '../rates/rate-table.js';
import type { Scenario } from '../scenario/scenario.js';
import type { Rules } from './classify.js';
import { replay } from './replay.js';
import type { ExplainRow, ReplayResult } from './result.js';

export interface RunOptions {
  workers?: number;
  chunkBytes?: number;
  keepEvents?: boolean;
  explain?: (row: ExplainRow) => void;
  /** Read every CDR row whatever the scenario's period (a forecast replays history into a future period). */
  wholeHistory?: boolean;
  onProgress?: (bytesDone: number, bytesTotal: number, rowsDone: number) => void;
}

export const DEFAULT_CHUNK_BYTES = 32 << 20;

/** The I/O edge of a replay: load every input file, ingest the CDRs in parallel, then replay. */
export async function runReplay(cdrFiles: readonly string[], scenarioFile: string, options: RunOptions = {}): Promise<ReplayResult> {
  const inputs = await loadInputs(cdrFiles, scenarioFile, options);
  return replay({
    ...inputs,
    keepEvents: options.keepEvents ?? false,
    ...(options.explain === undefined ? {} : { explain: options.explain }),
  });
}

export interface LoadedInputs {
  table: CallTable;
  ingestRejects: Reject[];
  rowsRead: number;
  scenario: Scenario;
  rules: Rules;
  rates: RateTable | null;
}

/** Every input of a replay, read and validated: the scenario, reference data, rates and CDRs. */
export async function loadInputs(cdrFiles: readonly string[], scenarioFile: string, options: RunOptions = {}): Promise<LoadedInputs> {
  const data = bundledData();
  const scenario = loadScenario(scenarioFile, data.allowances);
  const rules = { allowances: loadAllowances(scenario.allowancesFile), numbering: loadNumberingPlan(data) };
  const rates = scenario.rating.rateFiles.length === 0 ? null : loadRateTables(scenario.rating.rateFiles, scenario.currency);
  const ingested = await ingestFiles(cdrFiles, {
    currency: scenario.currency,
    start: options.wholeHistory ? null : scenario.start,
    end: options.wholeHistory ? null : scenario.end,
    workers: options.workers ?? availableParallelism(),
    chunkBytes: options.chunkBytes ?? DEFAULT_CHUNK_BYTES,
    reference: { numbering: data, allowancesFile: scenario.allowancesFile, rateFiles: scenario.rating.rateFiles },
    rules,
    rates,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  if (ingested.table.count === 0 && (scenario.start === null || scenario.end === null)) {
    throw new InputError(`${scenarioFile}: no call could be read, so start and end must be given`);
  }
  return { table: ingested.table, ingestRejects: ingested.rejects, rowsRead: ingested.rowsRead, scenario, rules, rates };
}
