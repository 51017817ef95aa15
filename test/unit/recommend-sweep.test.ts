import { describe, expect, it } from 'vitest';
import { CreditDemand, replayDemand, type LedgerSettings } from '../../engine/credits/demand.js';
import type { RechargePolicy } from '../../engine/model/credits-policy.js';
import { bestRecharge, smallestInitialFunding } from '../../engine/forecast/recommend.js';
import { sweep } from '../../engine/forecast/sweep.js';
import { at, flat, usd } from '../helpers.js';

const settings = (end: string): LedgerSettings => ({
  start: at('2026-01-01T00:00:00Z'), end: at(end), minorUnitMicros: 10_000, exhaustion: 'cut', offsetMinutes: 0, expiryMonths: 12, minimumPurchaseMicros: usd('50'), seed: 1,
});
const recommendSettings = { stepMicros: usd('10'), minimumMicros: usd('50') };
const policyTemplate: RechargePolicy = { triggerMicros: 0, amountMicros: 0, mode: 'with', compare: '<', delaySeconds: 0, failFrom: null, failProbability: 0, disableAfterFailures: null };

/** One 7.00 call on the 15th of each month, for `months` months from January 2026. */
function monthlyDemand(months: number): CreditDemand {
  const demand = new CreditDemand();
  for (let month = 0; month < months; month++) demand.add(Date.UTC(2026, month, 15, 12), 0, 60, flat('7'));
  return demand;
}

describe('recommend: the smallest initial funding', () => {
  // 12 calls of 7.00 = 84.00. In steps of 10.00: 90.00 pays all twelve; 80.00 has 3.00 left for
  // December's call and refuses it. Bisection finds 90.00 and the check replays 90.00 and 80.00.
  it('is the exact answer for a year of known spend, checked at the answer and one step below', () => {
    const answer = smallestInitialFunding(monthlyDemand(12), settings('2027-01-01T00:00:00Z'), { initialMicros: 0, autoRecharge: null, topUps: [] }, recommendSettings);
    expect(answer.initialMicros).toBe(usd('90'));
    expect(answer.verified).toBe(true);
    expect(answer.outcome).toMatchObject({ creditDrops: 0, spentMicros: usd('84'), closingMicros: usd('6') });
    // A tenth less is 81.00, rounded down to the step: 80.00, which refuses December's call.
    expect(answer.smallerMicros).toBe(usd('80'));
    expect(answer.smallerOutcome.creditDrops).toBe(1);
    expect(new Date(answer.smallerOutcome.firstDrop as number).toISOString()).toBe('2026-12-15T12:00:00.000Z');
    expect(answer.replays).toBeLessThan(12);
  });

  it('is at least the vendor minimum', () => {
    const answer = smallestInitialFunding(monthlyDemand(2), settings('2027-01-01T00:00:00Z'), { initialMicros: 0, autoRecharge: null, topUps: [] }, recommendSettings);
    expect(answer.initialMicros).toBe(usd('50'));
  });

  // 14 months: the initial lot expires on 1 Jan 2027, so the calls of January and February 2027
  // find nothing whatever was bought at the start. Without recharge there is no answer; with a
  // recharge of 50.00 below 10.00 there is: 90.00 (84.00 used in 2026, 6.00 forfeited, a recharge
  // at the expiry pays the last two calls).
  it('says so when the 12-month expiry forces a drop that no initial amount prevents', () => {
    const demand = monthlyDemand(14);
    const noRecharge = smallestInitialFunding(demand, settings('2027-03-01T00:00:00Z'), { initialMicros: 0, autoRecharge: null, topUps: [] }, recommendSettings);
    expect(noRecharge.initialMicros).toBeNull();
    expect(new Date(noRecharge.outcome.firstDrop as number).toISOString()).toBe('2027-01-15T12:00:00.000Z');
    const withRecharge = smallestInitialFunding(demand, settings('2027-03-01T00:00:00Z'), { initialMicros: 0, autoRecharge: { ...policyTemplate, triggerMicros: usd('10'), amountMicros: usd('50') }, topUps: [] }, recommendSettings);
    expect(withRecharge.initialMicros).toBe(usd('50'));
    expect(withRecharge.verified).toBe(true);
    expect(withRecharge.outcome).toMatchObject({ creditDrops: 0 });
  });

  it('proposes the recharge that ties up least money without drops', () => {
    const best = bestRecharge(monthlyDemand(14), settings('2027-03-01T00:00:00Z'), { initialMicros: 0, autoRecharge: null, topUps: [] }, recommendSettings, policyTemplate);
    expect(best).not.toBeNull();
    expect(best?.outcome.creditDrops).toBe(0);
    // Every candidate without drops scores no better: the answer is the grid's minimum.
    expect(best?.scoreMicros).toBe(Math.round(best?.outcome.balanceAverageMicros ?? 0) + (best?.outcome.forfeitedMicros ?? 0));
  });
});

describe('sweep', () => {
  // 12 monthly calls of 7.00, initial 50.00. Trigger 10.00 / with 50.00: 50 -> 43 ... 8 after the
  // sixth call (June), recharge 50 -> 58; the last six calls leave 16: 1 recharge, 100.00 bought.
  // Mode "to" 50.00 would buy 42.00 but the minimum purchase is 50.00: the same. Trigger 0.00 never
  // recharges: the eighth call (August) finds 1.00 and is refused, and so are the four after it.
  it('replays every cell of the grid', () => {
    const result = sweep([{ demand: monthlyDemand(12), settings: settings('2027-01-01T00:00:00Z') }], { initialMicros: usd('50'), autoRecharge: null, topUps: [] }, {
      triggersMicros: [usd('0'), usd('10')], amountsMicros: [usd('50')], modes: ['with', 'to'], delaysSeconds: [0], initialsMicros: null,
    });
    expect(result.skipped).toBe(0);
    const view = result.cells.map((cell) => `${cell.mode} ${cell.triggerMicros / 1e6}/${cell.amountMicros / 1e6}: ${cell.outcomes[0]?.recharges} recharges, ${cell.outcomes[0]?.fundedMicros! / 1e6} bought, ${cell.outcomes[0]?.creditDrops} drops`);
    expect(view).toEqual([
      'with 0/50: 0 recharges, 50 bought, 5 drops',
      'with 10/50: 1 recharges, 100 bought, 0 drops',
      'to 0/50: 0 recharges, 50 bought, 5 drops',
      'to 10/50: 1 recharges, 100 bought, 0 drops',
    ]);
    const check = replayDemand(monthlyDemand(12), { initialMicros: usd('50'), autoRecharge: { ...policyTemplate, triggerMicros: usd('10'), amountMicros: usd('50') }, topUps: [] }, settings('2027-01-01T00:00:00Z'));
    expect(check).toMatchObject({ fundedMicros: usd('100'), closingMicros: usd('16') });
  });
});
