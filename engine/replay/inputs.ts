import type { Reject } from '../model/cdr.js';
import type { CallTable } from '../columns/call-table.js';
import type { Rules } from '../rules/classify.js';
import type { RateTable } from '../rules/rate-table.js';
import type { Scenario } from '../model/scenario.js';
import type { Attribution } from '../pools/plan-attribution.js';

export interface LoadedInputs {
  table: CallTable;
  ingestRejects: Reject[];
  rowsRead: number;
  /** Rows rejected as repeated UsageIds (among ingestRejects); see `Ingested.duplicates` for null. */
  duplicates: number | null;
  scenario: Scenario;
  rules: Rules;
  rates: RateTable | null;
  /** What the attribution pass did to the table (pools/plan-attribution.ts); absent when it did not run. */
  attribution?: Attribution;
}
