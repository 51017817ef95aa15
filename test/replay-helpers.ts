import type { Call } from '../engine/cdr/call.js';
import { RateTable, type RateRow } from '../engine/rates/rate-table.js';
import { replay } from '../engine/replay/replay.js';
import type { ReplayResult } from '../engine/replay/result.js';
import type { Scenario } from '../engine/scenario/scenario.js';
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

/** Replays hand-built calls (given in time order; lines numbered from 2) under a scenario. */
export function replayCalls(calls: Partial<Call>[], scenario: Scenario = makeScenario(), rates: RateRow[] = TEST_RATES): ReplayResult {
  const built = calls.map((overrides, index) => makeCall({ line: index + 2, usageId: `u${index}`, ...overrides }));
  return replay({ calls: built, ingestRejects: [], rowsRead: built.length, scenario, rules: bundledRules(), rates: new RateTable(rates) });
}

/** funding (and pool/credit seconds, paid amount) per call: the explain file in short. */
export function fundings(result: ReplayResult): string[] {
  return result.outcomes.map((outcome) => {
    const paid = outcome.paidMicros > 0 ? ` paid ${(outcome.paidMicros / 1e6).toFixed(2)}` : '';
    return `${outcome.funding} pool ${outcome.poolSeconds}s credit ${outcome.creditSeconds}s${paid}`;
  });
}
