import fc from 'fast-check';
import type { TopUp } from '../engine/model/credits-policy.js';
import type { RechargePolicy } from '../engine/model/credits-policy.js';

const CENT = 10_000;
export const cents = (max: number) => fc.integer({ min: 0, max }).map((value) => value * CENT);

/**
 * Any auto-recharge policy (or none) over [start, end): triggers up to `maxTriggerCents`, amounts of
 * at least 1.00 (the vendor's minimum is 50.00; cent-sized recharges only make runs slow), either
 * mode and comparison, delays, failing cards and disabling.
 */
export function rechargePolicies(start: number, end: number, maxTriggerCents: number, maxAmountCents: number): fc.Arbitrary<RechargePolicy | null> {
  return fc.option(
    fc
      .record({
        triggerMicros: cents(maxTriggerCents),
        amountMicros: cents(maxAmountCents).map((micros) => micros + 100 * CENT),
        mode: fc.constantFrom('with' as const, 'to' as const),
        compare: fc.constantFrom('<' as const, '<=' as const),
        delaySeconds: fc.constantFrom(0, 0, 3600, 3 * 86_400),
        failFrom: fc.option(fc.integer({ min: start, max: end }), { nil: null }),
        failProbability: fc.constantFrom(0, 0, 0.3),
        disableAfterFailures: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
      })
      .map((policy) => (policy.mode === 'to' ? { ...policy, amountMicros: policy.triggerMicros + policy.amountMicros } : policy)),
    { nil: null },
  );
}

/** Up to `most` top-ups in time order within [start, end). */
export function topUpLists(start: number, end: number, maxCents: number, most: number): fc.Arbitrary<TopUp[]> {
  return fc
    .array(fc.record({ at: fc.integer({ min: start, max: end - 1 }), amountMicros: cents(maxCents).map((micros) => micros + CENT) }), { maxLength: most })
    .map((list) => [...list].sort((a, b) => a.at - b.at));
}
