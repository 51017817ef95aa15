import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Exact } from '../../engine/cgrates/cgr-round.js';
import { rateCall, type CallCost, type CostApi } from '../../engine/cgrates/rate-call.js';
import type { TariffPlan } from '../../engine/cgrates/tariff-plan.js';
import { loadTariffPlan } from '../../engine/edge/load/load-tariff-plan.js';

const TP = join(import.meta.dirname, 'tp');

/**
 * Calls that rate in these plans, with no *free MaxCost (that caps the sum on purpose), and the
 * RoundingMethod of every DestinationRate they can meet (RoundingDecimals 4 in all).
 */
const CALLS = [
  { tp: 'oldtutorial', tenant: 'cgrates.org', category: 'call', subject: '1001', destination: '1002', up: true },
  { tp: 'oldtutorial', tenant: 'cgrates.org', category: 'call', subject: '1001', destination: '1003', up: true },
  { tp: 'oldtutorial', tenant: 'cgrates.org', category: 'call', subject: '1005', destination: '10', up: true },
  { tp: 'engine_loader_csv_test', tenant: 'vdf', category: '0', subject: 'one', destination: '4930', up: false },
  { tp: 'engine_loader_csv_test', tenant: 'vdf', category: '0', subject: 'rif', destination: '0256', up: false },
  { tp: 'tutorial2', tenant: 'cgrates.org', category: 'call', subject: '1002', destination: '2012345', up: true },
  { tp: 'tutorial2', tenant: 'cgrates.org', category: 'call', subject: '1002', destination: '1099', up: true },
];
const plans = new Map(['oldtutorial', 'engine_loader_csv_test', 'tutorial2'].map((name) => [name, loadTariffPlan(join(TP, name))]));
const DAY_MS = 86_400_000;

function rated(index: number, startMs: number, usageNs: number, g: number, api: CostApi): CallCost {
  const call = CALLS[index] as (typeof CALLS)[number];
  const result = rateCall(plans.get(call.tp) as TariffPlan, { tenant: call.tenant, category: call.category, subject: call.subject, destination: call.destination, startMs, offsetMinutes: 0, usageNs, voice: true, incrementDecimals: g, costApi: api });
  if ('error' in result) throw new Error(`${result.error}: ${result.detail}`);
  return result;
}

const call = fc.record({
  index: fc.integer({ min: 0, max: CALLS.length - 1 }),
  // Any second from 2 January to 27 December 2020, weekdays and weekends (New Year's day aside:
  // tutorial2 rates DST_20 on that day only, so a call from it into 2 January is refused).
  startMs: fc.integer({ min: 0, max: 360 * 86_400 }).map((second) => Date.parse('2020-01-02T00:00:00Z') + second * 1000),
  usageNs: fc.oneof(fc.integer({ min: 1, max: 2 * 3600 }).map((s) => s * 1e9), fc.integer({ min: 1, max: 3 * DAY_MS }).map((ms) => ms * 1e6)),
  g: fc.constantFrom(5, 6),
});

describe('a call rated in one piece', () => {
  it('is its connect fee plus the sum of its spans, which cover the call in whole increments', () => {
    fc.assert(
      fc.property(call, ({ index, startMs, usageNs, g }) => {
        const apier = rated(index, startMs, usageNs, g, 'apier');
        const responder = rated(index, startMs, usageNs, g, 'responder');
        expect(responder.spans).toEqual(apier.spans);
        let at = 0;
        let sum = apier.connectFee;
        for (const span of apier.spans) {
          expect(span.startNs).toBe(at);
          expect(span.endNs - span.startNs).toBe(span.increments * span.slot.rateIncrementNs);
          expect(span.cost.eq(span.incrementCost.times(span.increments))).toBe(true);
          at = span.endNs;
          sum = sum.plus(span.cost);
        }
        // Billed time covers the call, and exceeds it by less than one increment of the last span.
        const last = apier.spans.at(-1);
        expect(at).toBeGreaterThanOrEqual(usageNs);
        expect(at - usageNs).toBeLessThan(last?.slot.rateIncrementNs ?? 1);
        // APIerSv1: the sum as it is (every part has at most G decimals); Responder: the sum
        // rounded once with the largest RoundingDecimals of the spans (4) and its method.
        if (!apier.floatDecided) expect(apier.cost.toFixed()).toBe(sum.toFixed());
        const method = (CALLS[index] as (typeof CALLS)[number]).up ? Exact.ROUND_UP : Exact.ROUND_HALF_UP;
        if (!responder.floatDecided) expect(responder.cost.toFixed()).toBe(sum.toDecimalPlaces(4, method).toFixed());
      }),
      { numRuns: 300 },
    );
  });
});
