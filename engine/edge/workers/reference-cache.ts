import { loadNumberingPlan, type NumberingFiles } from '../load/load-numbering.js';
import { loadAllowances } from '../load/load-allowances.js';
import { loadRateTables } from '../load/load-rates.js';
import type { RateTable } from '../../rules/rate-table.js';
import type { Rules } from '../../rules/classify.js';

export interface ReferenceFiles {
  numbering: NumberingFiles;
  allowancesFile: string;
  rateFiles: string[];
  currency: string;
}

let cached: { key: string; rules: Rules; rates: RateTable | null } | undefined;

/** Reference data is loaded once per worker and kept while the files it came from stay the same. */
export function referenceData(reference: ReferenceFiles): { rules: Rules; rates: RateTable | null } {
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
