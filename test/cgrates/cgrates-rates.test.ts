import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cgratesRateTable } from '../../engine/cgrates/cgrates-rates.js';
import { loadTariffPlanRows } from '../../engine/edge/load/load-tariff-plan.js';
import { DialledNumber } from '../../engine/rules/digit-trie.js';
import type { CgratesRating } from '../../engine/model/scenario.js';

const TP = join(import.meta.dirname, 'tp');
const USD_CENT = 10_000;

function table(name: string, subject: string) {
  const rating: CgratesRating = { tariffPlan: join(TP, name), tenant: 'cgrates.org', category: 'call', subject, offsetMinutes: 0, minorUnitMicros: USD_CENT };
  return cgratesRateTable(loadTariffPlanRows(join(TP, name)), rating);
}

function number(text: string): DialledNumber {
  return new DialledNumber().readBytes(new TextEncoder().encode(text), 0, text.length);
}

describe('a CGRateS tariff plan behind the rate table', () => {
  it('finds the longest Destinations prefix of a number, a prefix\'s + dropped, and the plan keeps its other destinations', () => {
    // tutorial2 has DST_VOICEMAIL ("voicemail"): no number can match it, but its DestinationRate still loads.
    const rates = table('tutorial2', 'upn');
    const row = rates.lookup('outbound', number('+2030555'), 0);
    expect(`${row?.prefix} ${row?.destination}`).toBe('20 DST_20;DST_2030');
    // No prefix at all: the row for none, where only a plan's *any can rate the call.
    expect(rates.lookup('dialout', number('+999'), 0)?.destination).toBe('*any');
    // engine_loader_csv_test: NAT holds +49 and GERMANY 49, one prefix once the + is dropped.
    expect(table('engine_loader_csv_test', 'x').lookup('outbound', number('+4930123'), 0)?.destination).toBe('GERMANY;ALL;NAT');
  });

  it('prices the credit-funded part by the caller and the hour it starts, in whole cents', () => {
    const rates = table('tutorial2', 'upn');
    const index = rates.lookupIndex('outbound', number('1002'), 0);
    const price = (user: string, at: string) => rates.creditPricer?.price(index, user, Date.parse(at), 30);
    // UPN 1001 -> RP_1001 -> DST_1002 -> RT_60C: 0.1 + 30 x 0.01 = 0.40.
    expect(price('1001', '2019-03-04T10:00:00Z')).toEqual({ kind: 'flat', amountMicros: 40 * USD_CENT });
    // UPN 1002, no profile -> *any -> RP_STANDARD -> DST_10: at 10:00 (PEAK) RT_120C, 30 s rounded
    // up to 60 s: 0.2 + 1.2 = 1.40; at 20:00 (OFFPEAK_EVENING) RT_60C: 0.1 + 0.30 = 0.40.
    expect(price('1002', '2019-03-04T10:00:00Z')).toEqual({ kind: 'flat', amountMicros: 140 * USD_CENT });
    expect(price('1002', '2019-03-04T20:00:00Z')).toEqual({ kind: 'flat', amountMicros: 40 * USD_CENT });
    // A tenant with no profile: nothing rates it.
    const other = cgratesRateTable(loadTariffPlanRows(join(TP, 'tutorial2')), { tariffPlan: 'tp', tenant: 'nobody', category: 'call', subject: 'upn', offsetMinutes: 0, minorUnitMicros: USD_CENT });
    expect(other.creditPricer?.price(index, '1001', Date.parse('2019-03-04T10:00:00Z'), 30)).toBeNull();
  });

  it('rounds a cost finer than cents half-up to the minor unit', () => {
    // oldtutorial 1001 -> 1002 at 07:59:30 for 90 s costs 0.3501 (rate-call.test.ts): 0.35.
    const rates = cgratesRateTable(loadTariffPlanRows(join(TP, 'oldtutorial')), { tariffPlan: 'tp', tenant: 'cgrates.org', category: 'call', subject: '1001', offsetMinutes: 0, minorUnitMicros: USD_CENT });
    const index = rates.lookupIndex('outbound', number('1002'), 0);
    expect(rates.creditPricer?.price(index, 'anyone', Date.parse('2014-01-15T07:59:30Z'), 90)).toEqual({ kind: 'flat', amountMicros: 35 * USD_CENT });
  });
});
