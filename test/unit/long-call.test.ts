import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullChargeMicros, type CallPricing } from '../../engine/rules/pricing.js';
import { billedSeconds, incrementCount, pieceMicros } from '../../engine/rules/increments.js';
import { CreditLedger } from '../../engine/credits/ledger.js';
import { seededRandom } from '../../engine/kernel/random.js';
import type { LedgerEvent } from '../../engine/model/events.js';
import { at, makeLedger, perMinute, policy, usd } from '../helpers.js';

/** The longest duration both readers accept in a recorded `Duration Seconds`: 2^31 - 1. */
const LONGEST_SECONDS = 2_147_483_647;
const CENTS = 10_000;

/** A per-minute price, typed as one (incrementCount takes only those). */
function rate(price: string, fee = '0', first = 60, next = 60): Extract<CallPricing, { kind: 'rate' }> {
  return { kind: 'rate', priceMicrosPerMinute: usd(price), connectionMicros: usd(fee), firstIncrementSeconds: first, nextIncrementSeconds: next };
}

function millisecondsOf(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

describe('a call of 2,147,483,647 s is priced in closed form', () => {
  // 60/60 increments: 2,147,483,647 = 60 x 35,791,394 + 7, so 35,791,395 increments, billed
  // 2,147,483,700 s; at 0.12 a minute that is 0.12 x 35,791,395 = 4,294,967.40.
  it('whole minutes at 0.12: 35,791,395 increments, 4,294,967.40', () => {
    const pricing = rate('0.12');
    expect(incrementCount(LONGEST_SECONDS, pricing)).toBe(35_791_395);
    expect(fullChargeMicros(pricing, LONGEST_SECONDS, CENTS)).toBe(usd('4294967.40'));
  });

  it('prices it ten thousand times in well under a second (one walk over its increments would not)', () => {
    const pricing = rate('0.12');
    let total = 0;
    const elapsed = millisecondsOf(() => {
      for (let i = 0; i < 10_000; i++) total += fullChargeMicros(pricing, LONGEST_SECONDS - (i % 60), CENTS);
    });
    // LONGEST_SECONDS = 60 x 35,791,394 + 7: minus 0..6 s it still bills 35,791,395 minutes, minus
    // 7..59 s one fewer. i % 60 < 7 for 166 x 7 + 7 = 1,169 of the 10,000 (10,000 = 166 x 60 + 40).
    expect(total).toBe(1_169 * usd('4294967.40') + 8_831 * usd('4294967.28'));
    expect(elapsed).toBeLessThan(500);
  });

  // 30/6 increments: 1 + ceil((2,147,483,647 - 30) / 6) = 1 + 357,913,937 = 357,913,938 increments,
  // billed 30 + 6 x 357,913,937 = 2,147,483,652 s. 0.0199 x 2,147,483,652 / 60 = 712,248.74458,
  // plus the 0.05 fee = 712,248.79458, half-up to cents: 712,248.79.
  it('30/6 increments at 0.0199 with a 0.05 fee: 712,248.79', () => {
    const pricing = rate('0.0199', '0.05', 30, 6);
    expect(incrementCount(LONGEST_SECONDS, pricing)).toBe(357_913_938);
    expect(fullChargeMicros(pricing, LONGEST_SECONDS, CENTS)).toBe(usd('712248.79'));
  });

  // Balance 50.00, recharge with 50.00 below 10.00 at once. Every increment costs 0.12, so the
  // pieces add up to the whole 4,294,967.40; a recharge comes each time the balance left is below
  // 0.12 (so below 10.00) while the call is unpaid. 50 x (n + 1) >= 4,294,967.40 first holds at
  // n + 1 = 85,900: 85,899 recharges, and 4,295,000.00 - 4,294,967.40 = 32.60 is left, above the
  // trigger, so none after the call.
  it('pays it across 85,899 recharges, the exact amount, in time linear in the recharges', () => {
    // Events counted, not kept: what is timed is the ledger, not 200,000 objects held for a test.
    let recharges = 0;
    const count = (event: LedgerEvent) => {
      if (event.type === 'purchase' && event.source === 'recharge') recharges++;
    };
    const config = { minorUnitMicros: CENTS, exhaustion: 'cut' as const, offsetMinutes: 0, expiryMonths: 12, minimumPurchaseMicros: 0, recharge: policy({ triggerMicros: usd('10'), amountMicros: usd('50') }) };
    const ledger = new CreditLedger(config, seededRandom(7), count);
    ledger.purchase(at('2026-01-01T00:00:00Z'), usd('50'), 'initial');
    let outcome: ReturnType<typeof ledger.pay> | undefined;
    const elapsed = millisecondsOf(() => {
      outcome = ledger.pay({ callIndex: 0, startAt: at('2026-01-01T12:00:00Z'), poolSeconds: 0, creditSeconds: LONGEST_SECONDS, pricing: perMinute('0.12') });
    });
    expect(outcome).toMatchObject({ status: 'paid', paidMicros: usd('4294967.40'), billedSeconds: 2_147_483_700 });
    expect(recharges).toBe(85_899);
    expect(ledger.totals).toEqual({ fundedMicros: usd('4295000'), spentMicros: usd('4294967.40'), forfeitedMicros: 0, balanceMicros: usd('32.60') });
    const shares = outcome?.status === 'paid' ? outcome.lots : [];
    expect(shares.reduce((sum, share) => sum + share.amountMicros, 0)).toBe(usd('4294967.40'));
    expect(new Set(shares.map((share) => share.lotId)).size).toBe(85_900);
    // About 0.4 s here (a few microseconds a recharge, each a lot with its own expiry); before, 46 s:
    // each piece walked every lot emptied earlier in the same call. Loose enough for a slow CI.
    expect(elapsed).toBeLessThan(3000);
  });

  // With no recharge the same call is cut: 50.00 pays 416 increments (49.92) and stops after 416 minutes.
  it('is cut after the increments the balance covers, as fast', () => {
    const { ledger } = makeLedger();
    ledger.purchase(at('2026-01-01T00:00:00Z'), usd('50'), 'initial');
    const outcome = ledger.pay({ callIndex: 0, startAt: at('2026-01-01T12:00:00Z'), poolSeconds: 0, creditSeconds: LONGEST_SECONDS, pricing: perMinute('0.12') });
    expect(outcome).toMatchObject({ status: 'cut', paidMicros: usd('49.92'), paidSeconds: 416 * 60 });
  });
});

describe('a cut call pays the most whole increments its balance covers (found by a division)', () => {
  // The ledger inverts the price; this checks the answer as defined: k increments fit, k + 1 do not.
  it('for any rate, increments, minor unit and balance, cut or refused at exactly the right increment (fast-check)', () => {
    // Up to 2.00 a minute: 2 x price x seconds stays an exact integer for calls of 2^31 - 1 s.
    const pricing = fc.record({
      kind: fc.constant('rate' as const),
      priceMicrosPerMinute: fc.integer({ min: 0, max: 2_000_000 }),
      connectionMicros: fc.integer({ min: 0, max: 2_000_000 }),
      firstIncrementSeconds: fc.integer({ min: 1, max: 120 }),
      nextIncrementSeconds: fc.integer({ min: 1, max: 60 }),
    });
    fc.assert(
      fc.property(pricing, fc.constantFrom(1, 100, 10_000, 1_000_000), fc.integer({ min: 1, max: 100_000_000 }), fc.integer({ min: 1, max: LONGEST_SECONDS }), (rated, unit, units, seconds) => {
        const { ledger } = makeLedger(null, [], { minorUnitMicros: unit });
        const balance = units * unit;
        ledger.purchase(at('2026-01-01T00:00:00Z'), balance, 'initial');
        const outcome = ledger.pay({ callIndex: 0, startAt: at('2026-01-01T12:00:00Z'), poolSeconds: 0, creditSeconds: seconds, pricing: rated });
        const costOf = (k: number) => (k === 0 ? 0 : pieceMicros(rated.priceMicrosPerMinute, billedSeconds(k, rated), rated.connectionMicros, unit));
        const total = incrementCount(seconds, rated);
        if (outcome.status === 'paid') {
          expect(costOf(total)).toBeLessThanOrEqual(balance);
          return;
        }
        const paid = outcome.status === 'cut' ? incrementCount(outcome.billedSeconds, rated) : 0;
        expect(paid).toBeLessThan(total);
        expect(costOf(paid)).toBeLessThanOrEqual(balance);
        expect(costOf(paid + 1)).toBeGreaterThan(balance);
      }),
      { numRuns: 2_000 },
    );
  });
});
