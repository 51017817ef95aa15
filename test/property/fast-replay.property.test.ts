import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CreditDemand, replayDemand, type LedgerSettings } from '../../engine/credits/demand.js';
import { prepareDemand, replayDemandFast } from '../../engine/credits/fast-replay.js';
import type { CallPricing } from '../../engine/rules/pricing.js';
import { cents, rechargePolicies, topUpLists } from '../arbitraries.js';
import { at } from '../helpers.js';

const START = at('2026-01-01T00:00:00Z');
const END = at('2027-07-01T00:00:00Z');
const CENT = 10_000;
const settings: LedgerSettings = { start: START, end: END, minorUnitMicros: CENT, exhaustion: 'cut', offsetMinutes: 0, expiryMonths: 12, minimumPurchaseMicros: 0, seed: 3 };
const exhaustionArbitrary = fc.constantFrom('overdraft' as const, 'cut' as const);

const pricing: fc.Arbitrary<CallPricing> = fc.oneof(
  fc.record({
    kind: fc.constant('rate' as const),
    priceMicrosPerMinute: fc.integer({ min: 0, max: 600_000 }),
    connectionMicros: fc.integer({ min: 0, max: 100_000 }),
    firstIncrementSeconds: fc.constantFrom(1, 6, 30, 60),
    nextIncrementSeconds: fc.constantFrom(1, 6, 60),
  }),
  fc.record({ kind: fc.constant('flat' as const), amountMicros: cents(500) }),
);
const demandArbitrary = fc
  .array(fc.record({ offsetMs: fc.integer({ min: 0, max: END - START - 1 }), poolSeconds: fc.constantFrom(0, 0, 0, 60, 1800), creditSeconds: fc.integer({ min: 1, max: 3600 }), pricing }), { maxLength: 300 })
  .map((calls) => {
    const demand = new CreditDemand();
    for (const call of [...calls].sort((a, b) => a.offsetMs - b.offsetMs)) demand.add(START + call.offsetMs, call.poolSeconds, call.creditSeconds, call.pricing);
    return demand;
  });
const policyArbitrary = rechargePolicies(START, END, 3_000, 5_000);
const topUps = topUpLists(START, END, 10_000, 4);

describe('the event-skipping replay agrees with the call-by-call ledger (fast-check; failures print the seed)', () => {
  // Both models of a short balance; calls that start on a pool part drop where it ends.
  it('to the micro, drop for drop, in both models', () => {
    fc.assert(
      fc.property(demandArbitrary, cents(10_000), policyArbitrary, topUps, exhaustionArbitrary, (demand, initialMicros, autoRecharge, plannedTopUps, exhaustion) => {
        const policy = { initialMicros, autoRecharge, topUps: plannedTopUps };
        const modelSettings = { ...settings, exhaustion };
        const plain = replayDemand(demand, policy, modelSettings);
        const fast = replayDemandFast(prepareDemand(demand, CENT), policy, modelSettings, true);
        const { balanceAverageMicros: plainAverage, ...plainRest } = plain;
        const { balanceAverageMicros: fastAverage, ...fastRest } = fast;
        expect(fastRest).toEqual(plainRest);
        expect(Math.abs(fastAverage - plainAverage)).toBeLessThanOrEqual(Math.max(1e-6, Math.abs(plainAverage) * 1e-9));
      }),
      { numRuns: 400 },
    );
  });
});

describe('the event-skipping replay at a balance of zero', () => {
  // Overdraft, nothing bought: a call priced 0.00 a minute still needs credits, and a balance of
  // 0.00 is not above zero, so it is refused at its start (the call-by-call ledger's answer); a
  // stretch of calls "paid whole" must not take it in because it costs nothing.
  it('refuses a call that costs nothing, as the call-by-call ledger does', () => {
    const demand = new CreditDemand();
    demand.add(START, 0, 1, { kind: 'rate', priceMicrosPerMinute: 0, connectionMicros: 0, firstIncrementSeconds: 1, nextIncrementSeconds: 1 });
    const policy = { initialMicros: 0, autoRecharge: null, topUps: [] };
    const overdraft = { ...settings, exhaustion: 'overdraft' as const };
    const fast = replayDemandFast(prepareDemand(demand, CENT), policy, overdraft, true);
    expect(replayDemand(demand, policy, overdraft)).toMatchObject({ drops: 1, firstDrop: START });
    expect(fast).toMatchObject({ drops: 1, firstDrop: START, dropTimes: [START] });
  });
});

describe('the event-skipping replay at the trigger boundary', () => {
  // 10.00 and ten 1.00 calls a day apart, trigger 5.00 with "<=": the fifth call leaves exactly
  // 5.00, which is at the trigger, so 20.00 is bought at that call's start, not at the sixth.
  it('recharges at the call that lands exactly on a "<=" trigger', () => {
    const demand = new CreditDemand();
    for (let day = 1; day <= 10; day++) demand.add(START + day * 86_400_000, 0, 60, { kind: 'flat', amountMicros: 100 * CENT });
    const policy = { initialMicros: 1000 * CENT, topUps: [], autoRecharge: { triggerMicros: 500 * CENT, amountMicros: 2000 * CENT, mode: 'with' as const, compare: '<=' as const, delaySeconds: 0, failFrom: null, failProbability: 0, disableAfterFailures: null } };
    const twoMonths = { ...settings, end: START + 60 * 86_400_000 };
    const plain = replayDemand(demand, policy, twoMonths);
    const fast = replayDemandFast(prepareDemand(demand, CENT), policy, twoMonths);
    expect(plain).toMatchObject({ recharges: 1, closingMicros: 2000 * CENT });
    // Bought at day 5 rather than day 6: 20.00 more held for one day more.
    expect(fast.balanceAverageMicros).toBeCloseTo(plain.balanceAverageMicros, 3);
    expect(fast.recharges).toBe(1);
  });
});

describe('the prefix sums of a demand', () => {
  // Three recorded charges of 4,000,000,000.00 are 1.2e16 micros in all, past 2^53 (9.007e15).
  it('refuse a total past exact arithmetic rather than search rounded sums', () => {
    const demand = new CreditDemand();
    for (let day = 1; day <= 3; day++) demand.add(START + day * 86_400_000, 0, 60, { kind: 'flat', amountMicros: 4_000_000_000 * 1_000_000 });
    expect(() => prepareDemand(demand, CENT)).toThrow('the calls paid from credits cost more than 9007199254.740991 in all, past exact arithmetic');
    demand.startAt.pop();
    demand.poolSeconds.pop();
    demand.creditSeconds.pop();
    demand.pricing.pop();
    expect(prepareDemand(demand, CENT).prefix[2]).toBe(8_000_000_000 * 1_000_000);
  });
});
