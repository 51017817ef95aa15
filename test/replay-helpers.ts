import type { Call } from '../engine/model/cdr.js';
import { tableFromCalls } from '../engine/columns/calls-to-table.js';
import { type RateRow } from '../engine/model/rate-row.js';
import { RateTable } from '../engine/rules/rate-table.js';
import { replay } from '../engine/replay/replay.js';
import { explainRow } from '../engine/report/explain.js';
import { UnratedRejects } from '../engine/edge/run/unrated-rejects.js';
import type { ExplainRow, ReplayResult } from '../engine/replay/result.js';
import type { Scenario } from '../engine/model/scenario.js';
import { bundledRules, makeCall, makeScenario, usd } from './helpers.js';

export function rateRow(service: RateRow['service'], prefix: string, perMinute: string, fee = '0', first = 60, next = 60, effectiveFrom = -Infinity): RateRow {
  return {
    service,
    prefix,
    destination: `${service} ${prefix}`,
    priceMicrosPerMinute: usd(perMinute),
    connectionMicros: usd(fee),
    firstIncrementSeconds: first,
    nextIncrementSeconds: next,
    effectiveFrom,
    source: `rates.csv:${prefix}`,
  };
}

/** US domestic 0.02/min, UK 0.03/min, toll-free 800 0.018/min, dial-out NG 0.30/min + 0.10. */
export const TEST_RATES = [
  rateRow('outbound', '1', '0.02'),
  rateRow('outbound', '44', '0.03'),
  rateRow('outbound', '234', '0.26', '0.10'),
  rateRow('dialout', '1', '0.024'),
  rateRow('dialout', '234', '0.30', '0.10'),
  rateRow('tollfree_in', '1800', '0.018'),
];

export type ReplayWithRows = ReplayResult & { rows: ExplainRow[] };

/** Replays hand-built calls (lines numbered from 2) under a scenario, keeping the explain rows. */
export function replayCalls(calls: Partial<Call>[], scenario: Scenario = makeScenario(), rates: RateRow[] = TEST_RATES): ReplayWithRows {
  const built = calls.map((overrides, index) => makeCall({ line: index + 2, usageId: `u${index}`, ...overrides }));
  const rateTable = new RateTable(rates);
  const { table, rejects } = tableFromCalls(built, bundledRules(), rateTable, { start: scenario.start, end: scenario.end });
  const rows: ExplainRow[] = [];
  const result = replay({ table, ingestRejects: rejects, rowsRead: built.length, scenario, rules: bundledRules(), rates: rateTable, explain: (record) => rows.push(explainRow(record, scenario.minorDigits)) });
  return { ...new UnratedRejects(table).settle(result), rows };
}

/** funding (and pool/credit seconds, paid amount) per call: the explain file in short. */
export function fundings(result: ReplayWithRows): string[] {
  return result.rows.map((row) => `${row.funding} pool ${row.pool_s}s credit ${row.credit_s}s${row.paid === '' ? '' : ` paid ${row.paid}`}`);
}
