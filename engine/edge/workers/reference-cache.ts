import { loadNumberingPlan, type NumberingFiles } from '../load/load-numbering.js';
import { loadAllowances } from '../load/load-allowances.js';
import { loadRateTables } from '../load/load-rates.js';
import type { RateTable } from '../../rules/rate-table.js';
import type { Rules } from '../../rules/classify.js';
import { cgratesRateTable } from '../../cgrates/cgrates-rates.js';
import type { CgratesRating } from '../../model/scenario.js';
import { loadTariffPlanRows } from '../load/load-tariff-plan.js';

export interface ReferenceFiles {
  numbering: NumberingFiles;
  allowancesFile: string;
  rateFiles: string[];
  currency: string;
  /** A CGRateS tariff plan in place of rate files. */
  cgrates?: CgratesRating;
}

let cached: { key: string; rules: Rules; rates: RateTable | null } | undefined;

/** Reference data is loaded once per worker and kept while the files it came from stay the same. */
export function referenceData(reference: ReferenceFiles): { rules: Rules; rates: RateTable | null } {
  const key = JSON.stringify(reference);
  if (cached?.key !== key) {
    cached = {
      key,
      rules: { allowances: loadAllowances(reference.allowancesFile), numbering: loadNumberingPlan(reference.numbering) },
      rates: loadRates(reference),
    };
  }
  return cached;
}

/** The rates a scenario names: its rate tables, its CGRateS tariff plan, or none (recorded charges). */
export function loadRates(reference: Pick<ReferenceFiles, 'rateFiles' | 'currency' | 'cgrates'>): RateTable | null {
  if (reference.cgrates !== undefined) return cgratesRateTable(loadTariffPlanRows(reference.cgrates.tariffPlan), reference.cgrates);
  return reference.rateFiles.length === 0 ? null : loadRateTables(reference.rateFiles, reference.currency);
}
