import { describe, expect, it } from 'vitest';
import type { LedgerTotals } from '../../engine/credits/ledger.js';
import { formatInstant } from '../../engine/kernel/time.js';
import { at, eventLog, makeLedger, perMinute, policy, usd } from '../helpers.js';

type Ledger = ReturnType<typeof makeLedger>['ledger'];

/** Remaining amount per live lot, in dollars. */
function lotsAfter(ledger: Ledger): Record<number, string> {
  return Object.fromEntries(ledger.liveLots().map((lot) => [lot.id, (lot.remainingMicros / 1e6).toFixed(2)]));
}

/** funded = spent + forfeited + balance, checked on the ledger's own totals at each step of a table. */
function expectConserved(totals: LedgerTotals, funded: string, spent: string, forfeited: string, balance: string): void {
  expect(totals).toEqual({ fundedMicros: usd(funded), spentMicros: usd(spent), forfeitedMicros: usd(forfeited), balanceMicros: usd(balance) });
  expect(totals.fundedMicros).toBe(totals.spentMicros + totals.forfeitedMicros + totals.balanceMicros);
}

// 0.70 a minute, 60/60 billing: a 22-minute call is 22 x 0.70 = 15.40.
const CALL_22_MIN = { poolSeconds: 0, creditSeconds: 22 * 60, pricing: perMinute('0.70') };
// A 1-minute call at the same rate: 0.70.
const CALL_1_MIN = { poolSeconds: 0, creditSeconds: 60, pricing: perMinute('0.70') };
const overdraft = { exhaustion: 'overdraft' as const };

describe('overdraft without auto-recharge', () => {
  // step                        funded   spent  forfeited  balance   lots
  // 1 Jan  buy 3.00              3.00    0.00     0.00      3.00    1: 3.00
  // 2 Jan  22 min call 15.40     3.00   15.40     0.00    -12.40    (lot 1 gave 3.00; debt 12.40)
  //        -> balance-below-zero (3.00 > 0, so the call started and ran whole)
  // 3 Jan  1 min call: balance -12.40 <= 0, refused at its start; nothing posted
  // 4 Jan  top-up 50.00: pays the 12.40 debt first, lot 2 keeps 50.00 - 12.40 = 37.60
  //                              53.00   15.40     0.00     37.60    2: 37.60
  // 5 Jan  1 min call 0.70       53.00   16.10     0.00     36.90    2: 36.90
  it('runs a call started with 3.00 to -12.40, refuses the next, and lets a 50.00 purchase pay the debt', () => {
    const { ledger, events } = makeLedger(null, [], overdraft);
    ledger.purchase(at('2026-01-01T09:00:00Z'), usd('3'), 'initial');
    expectConserved(ledger.totals, '3', '0', '0', '3');

    const first = ledger.pay({ callIndex: 0, startAt: at('2026-01-02T09:00:00Z'), ...CALL_22_MIN });
    expect(first).toMatchObject({ status: 'paid', paidMicros: usd('15.40'), billedSeconds: 1320, lots: [{ lotId: 1, amountMicros: usd('3') }] });
    expectConserved(ledger.totals, '3', '15.40', '0', '-12.40');

    const second = ledger.pay({ callIndex: 1, startAt: at('2026-01-03T09:00:00Z'), ...CALL_1_MIN });
    expect(second).toEqual({ status: 'refused', at: at('2026-01-03T09:00:00Z') });
    expectConserved(ledger.totals, '3', '15.40', '0', '-12.40');

    ledger.purchase(at('2026-01-04T09:00:00Z'), usd('50'), 'topup');
    expect(lotsAfter(ledger)).toEqual({ 2: '37.60' });
    expectConserved(ledger.totals, '53', '15.40', '0', '37.60');

    ledger.pay({ callIndex: 2, startAt: at('2026-01-05T09:00:00Z'), ...CALL_1_MIN });
    expectConserved(ledger.totals, '53', '16.10', '0', '36.90');
    expect(eventLog(events)).toEqual(['purchase 3.00', 'spend 15.40', 'balance-below-zero', 'refused', 'purchase 50.00', 'debt-paid 12.40', 'spend 0.70']);
    const belowZero = events.find((event) => event.type === 'balance-below-zero');
    expect(belowZero && [formatInstant(belowZero.at), belowZero.balanceMicros]).toEqual(['2026-01-02T09:00:00Z', usd('-12.40')]);
  });

  // 1 Jan buy 1.00; 2 Jan 0.70 -> 0.30 (above zero, no notice); 3 Jan 0.70 -> -0.40: notice 1;
  // 4 Jan top-up 0.40 pays the debt exactly: balance 0.00, not above zero, so no new notice is due
  // and the 5 Jan call is refused; 6 Jan top-up 1.00 -> 1.00 (above zero); 7 Jan 15.40 -> -14.40: notice 2.
  it('raises balance-below-zero again only after the balance was back above zero', () => {
    const { ledger, events } = makeLedger(null, [], overdraft);
    ledger.purchase(at('2026-01-01T09:00:00Z'), usd('1'), 'initial');
    ledger.pay({ callIndex: 0, startAt: at('2026-01-02T09:00:00Z'), ...CALL_1_MIN });
    ledger.pay({ callIndex: 1, startAt: at('2026-01-03T09:00:00Z'), ...CALL_1_MIN });
    ledger.purchase(at('2026-01-04T09:00:00Z'), usd('0.40'), 'topup');
    expect(ledger.pay({ callIndex: 2, startAt: at('2026-01-05T09:00:00Z'), ...CALL_1_MIN }).status).toBe('refused');
    ledger.purchase(at('2026-01-06T09:00:00Z'), usd('1'), 'topup');
    ledger.pay({ callIndex: 3, startAt: at('2026-01-07T09:00:00Z'), ...CALL_22_MIN });
    expect(eventLog(events)).toEqual([
      'purchase 1.00', 'spend 0.70', 'spend 0.70', 'balance-below-zero', 'purchase 0.40', 'debt-paid 0.40', 'refused', 'purchase 1.00', 'spend 15.40', 'balance-below-zero',
    ]);
    expectConserved(ledger.totals, '2.40', '16.80', '0', '-14.40');
  });
});

describe('overdraft with auto-recharge (trigger 10.00, recharge with 50.00)', () => {
  // 1 Jan buy 3.00 (below the trigger already, but a purchase is not a posting: no check).
  // 2 Jan the 22-minute call posts 15.40: 3.00 - 15.40 = -12.40 -> balance-below-zero; the check
  // finds -12.40 < 10.00 and buys 50.00 at once: the debt 12.40 first, lot 2 keeps 37.60.
  //                              funded   spent  forfeited  balance
  //   after the call              3.00   15.40     0.00    -12.40
  //   after the recharge         53.00   15.40     0.00     37.60
  it('recharges at the posting that went below zero; the new lot keeps 37.60', () => {
    const { ledger, events } = makeLedger(policy({ triggerMicros: usd('10'), amountMicros: usd('50') }), [], overdraft);
    ledger.purchase(at('2026-01-01T09:00:00Z'), usd('3'), 'initial');
    expect(ledger.pay({ callIndex: 0, startAt: at('2026-01-02T09:00:00Z'), ...CALL_22_MIN }).status).toBe('paid');
    expect(eventLog(events)).toEqual(['purchase 3.00', 'spend 15.40', 'balance-below-zero', 'purchase 50.00', 'debt-paid 12.40']);
    expect(events.map((event) => ('balanceMicros' in event ? event.balanceMicros : null))).toEqual([usd('3'), usd('-12.40'), usd('-12.40'), usd('37.60'), usd('37.60')]);
    expect(lotsAfter(ledger)).toEqual({ 2: '37.60' });
    expectConserved(ledger.totals, '53', '15.40', '0', '37.60');
  });

  // Same with a 1-hour delay: requested at 09:00 (balance -12.40), the 09:30 call is refused (balance
  // not above zero), the 50.00 lands at 10:00 and pays the debt: lot 2 = 37.60; the 10:30 call
  // (0.70) leaves 36.90.
  it('refuses calls while a delayed recharge is in flight, then the recharge pays the debt', () => {
    const { ledger, events } = makeLedger(policy({ triggerMicros: usd('10'), amountMicros: usd('50'), delaySeconds: 3600 }), [], overdraft);
    ledger.purchase(at('2026-01-01T09:00:00Z'), usd('3'), 'initial');
    ledger.pay({ callIndex: 0, startAt: at('2026-01-02T09:00:00Z'), ...CALL_22_MIN });
    expectConserved(ledger.totals, '3', '15.40', '0', '-12.40');
    ledger.advanceTo(at('2026-01-02T09:30:00Z'));
    expect(ledger.pay({ callIndex: 1, startAt: at('2026-01-02T09:30:00Z'), ...CALL_1_MIN }).status).toBe('refused');
    ledger.advanceTo(at('2026-01-02T10:30:00Z'));
    expect(lotsAfter(ledger)).toEqual({ 2: '37.60' });
    expectConserved(ledger.totals, '53', '15.40', '0', '37.60');
    ledger.pay({ callIndex: 2, startAt: at('2026-01-02T10:30:00Z'), ...CALL_1_MIN });
    expectConserved(ledger.totals, '53', '16.10', '0', '36.90');
    expect(eventLog(events)).toEqual([
      'purchase 3.00', 'spend 15.40', 'balance-below-zero', 'recharge-requested 50.00', 'refused', 'purchase 50.00', 'debt-paid 12.40', 'spend 0.70',
    ]);
  });
});

describe('a debt outstanding when a lot expires', () => {
  // 1 Jan 2026 buy 3.00 (lot 1, expires 1 Jan 2027); 2 Jan the 15.40 call: -12.40.
  // 1 Mar top-up 10.00 (lot 2, expires 1 Mar 2027): pays 10.00 of the debt, keeps 0.00; balance -2.40.
  // 1 Jan 2027 lot 1 expires holding 0.00, 1 Mar 2027 lot 2 too: nothing is forfeited (a forfeit
  // takes only what is left in a lot), the debt stays: closing -2.40 on 1 Apr 2027.
  //   3.00 + 10.00 = 13.00 funded = 15.40 spent + 0.00 forfeited + (-2.40) closing.
  // 1 Apr 2027 top-up 50.00 (lot 3): pays 2.40, keeps 47.60: 63.00 = 15.40 + 0 + 47.60.
  it('forfeits nothing from the emptied lots and keeps the debt for the next purchase', () => {
    const { ledger, events } = makeLedger(null, [], overdraft);
    ledger.purchase(at('2026-01-01T00:00:00Z'), usd('3'), 'initial');
    ledger.pay({ callIndex: 0, startAt: at('2026-01-02T09:00:00Z'), ...CALL_22_MIN });
    ledger.purchase(at('2026-03-01T00:00:00Z'), usd('10'), 'topup');
    expectConserved(ledger.totals, '13', '15.40', '0', '-2.40');
    expectConserved(ledger.close(at('2027-04-01T00:00:00Z')), '13', '15.40', '0', '-2.40');
    expect(events.some((event) => event.type === 'forfeit')).toBe(false);
    ledger.purchase(at('2027-04-01T00:00:00Z'), usd('50'), 'topup');
    expect(lotsAfter(ledger)).toEqual({ 3: '47.60' });
    expectConserved(ledger.totals, '63', '15.40', '0', '47.60');
    expect(eventLog(events)).toEqual(['purchase 3.00', 'spend 15.40', 'balance-below-zero', 'purchase 10.00', 'debt-paid 10.00', 'purchase 50.00', 'debt-paid 2.40']);
  });

  // A lot partly spent before the overdraft: lot 1 = 20.00 (1 Jan 2026); 2 Jan 15.40 -> 4.60;
  // 3 Jan 15.40 -> -10.80 (lot 1 gives its 4.60, debt 10.80). 1 Jan 2027 lot 1 expires with 0.00.
  it('forfeits only what is left in a lot, never the debt', () => {
    const { ledger } = makeLedger(null, [], overdraft);
    ledger.purchase(at('2026-01-01T00:00:00Z'), usd('20'), 'initial');
    ledger.pay({ callIndex: 0, startAt: at('2026-01-02T09:00:00Z'), ...CALL_22_MIN });
    const second = ledger.pay({ callIndex: 1, startAt: at('2026-01-03T09:00:00Z'), ...CALL_22_MIN });
    expect(second).toMatchObject({ status: 'paid', lots: [{ lotId: 1, amountMicros: usd('4.60') }] });
    expectConserved(ledger.close(at('2027-02-01T00:00:00Z')), '20', '30.80', '0', '-10.80');
  });
});

describe('a pool-then-credits call at zero balance, in both models', () => {
  // 1.00 bought and spent by a 1.00 call (balance exactly 0.00), then a call whose pool covered its
  // first 600 s and whose 300 s of credit part cannot be paid: it was connected, so it is cut at
  // start + 600 s, where its pool part ends, never refused at its start. The cut model raises
  // balance-exhausted there (first drop since the purchase); the overdraft has nothing to notify.
  it.each([
    ['overdraft', ['purchase 1.00', 'spend 1.00', 'cut']],
    ['cut', ['purchase 1.00', 'spend 1.00', 'balance-exhausted', 'cut']],
  ] as const)('%s: cut where its pool part ends', (exhaustion, log) => {
    const { ledger, events } = makeLedger(null, [], { exhaustion });
    ledger.purchase(at('2026-01-01T09:00:00Z'), usd('1'), 'initial');
    ledger.pay({ callIndex: 0, startAt: at('2026-01-02T09:00:00Z'), poolSeconds: 0, creditSeconds: 60, pricing: perMinute('1.00') });
    const start = at('2026-01-03T09:00:00Z');
    const outcome = ledger.pay({ callIndex: 1, startAt: start, poolSeconds: 600, creditSeconds: 300, pricing: perMinute('0.70') });
    expect(outcome).toEqual({ status: 'cut', paidMicros: 0, billedSeconds: 0, paidSeconds: 0, cutAt: at('2026-01-03T09:10:00Z'), lots: [] });
    expect(eventLog(events)).toEqual(log);
    const cut = events.find((event) => event.type === 'cut');
    expect(cut && [formatInstant(cut.at), cut.type === 'cut' && cut.unpaidSeconds]).toEqual(['2026-01-03T09:10:00Z', 300]);
    expectConserved(ledger.totals, '1', '1', '0', '0');
  });
});

describe('the money that expires at the end of the period', () => {
  // 100.00 bought at the start of 2026 expires at 2027-01-01T00:00Z, the end instant: the closing
  // balance holds 100.00 - 0.70 = 99.30 and all of it leaves the balance at that instant.
  it('is what the lots expiring exactly at the end still hold', () => {
    const { ledger } = makeLedger(null, [], overdraft);
    ledger.purchase(at('2026-01-01T00:00:00Z'), usd('100'), 'initial');
    ledger.purchase(at('2026-06-01T00:00:00Z'), usd('50'), 'topup');
    ledger.pay({ callIndex: 0, startAt: at('2026-02-01T00:00:00Z'), ...CALL_1_MIN });
    const end = at('2027-01-01T00:00:00Z');
    expectConserved(ledger.close(end), '150', '0.70', '0', '149.30');
    expect(ledger.heldExpiringAt(end)).toBe(usd('99.30'));
  });
});
