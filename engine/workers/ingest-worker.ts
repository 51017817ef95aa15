import { Piscina } from 'piscina';
import { columnBuffers } from '../cdr/call-columns.js';
import { readRange, type RangeResult, type RangeSpec } from '../ingest/read-range.js';
import type { DecoderSettings } from '../ingest/row-decoder.js';
import { loadNumberingPlan, type NumberingFiles } from '../numbers/reference.js';
import { loadAllowances } from '../pools/allowances.js';
import { loadRateTables } from '../rates/load-rates.js';
import type { RateTable } from '../rates/rate-table.js';
import type { Rules } from '../replay/classify.js';

/** What a worker needs to decode a range: plain data only crosses the thread boundary. */
export interface RangeTask {
  file: string;
  spec: RangeSpec;
  settings: DecoderSettings;
  reference: { numbering: NumberingFiles; allowancesFile: string; rateFiles: string[]; currency: string };
}

let cached: { key: string; rules: Rules; rates: RateTable | null } | undefined;

/** Reference data is loaded once per worker and kept while the files it came from stay the same. */
function referenceData(reference: RangeTask['reference']): { rules: Rules; rates: RateTable | null } {
  const key = JSON.stringify(reference);
  if (cached?.key !== key) {
    cached = {
      key,
      rules: { allowances: loadAllowances(reference.allowancesFile), numbering: loadNumberingPlan(reference.numbering) },
      rates: reference.rateFiles.length === 0 ? null : loadRateTables(reference.rateFiles, reference.currency),
    };
  }
  return cached;
}

export default function decodeRange(task: RangeTask): RangeResult {
  const { rules, rates } = referenceData(task.reference);
  const result = readRange(task.file, task.spec, task.settings, rules, rates);
  return Piscina.move({ [Piscina.transferableSymbol]: columnBuffers(result.columns), [Piscina.valueSymbol]: result } as never) as unknown as RangeResult;
}
