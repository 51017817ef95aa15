import { describe, expect, it } from 'vitest';
import { formatInstant } from '../../engine/kernel/time.js';
import { at, eventLog, flat, makeLedger, perMinute, policy, usd } from '../helpers.js';

/** Remaining amount per live lot, in dollars: the "after" column of a lots table. */
function lotsAfter(ledger: ReturnType<typeof makeLedger>['ledger']): Record<number, string> {
  return Object.fromEntries(ledger.liveLots().map((lot) => [lot.id, (lot.remainingMicros / 1e6).toFixed(2)]));
}

const noon = (day: string) => at(`${day}T12:00:00Z`);

describe('lots: first in, first out', () => {
  // before: lot 1 = 10.00 (1 Jan), lot 2 = 5.00 (1 Feb) | spend 12.00 | after: lot 2 = 3.00
  it('spends the oldest lot first and splits a charge across lots', () => {
    const { ledger, events } = makeLedger();
    ledger.purchase(noon('2026-01-01'), usd('10'), 'initial');
    ledger.purchase(noon('2026-02-01'), usd('5'), 'topup');
    const paid = ledger.pay({ callIndex: 0, startAt: noon('2026-03-01'), poolSeconds: 0, creditSeconds: 60, pricing: flat('12') });
    expect(paid).toMatchObject({ status: 'paid', paidMicros: usd('12'), lots: [{ lotId: 1, amountMicros: usd('10') }, { lotId: 2, amountMicros: usd('2') }] });
    expect(lotsAfter(ledger)).toEqual({ 2: '3.00' });
    expect(eventLog(events)).toEqual(['purchase 10.00', 'purchase 5.00', 'spend 12.00']);
  });

  // Cut model. before: lot 1 = 10.00 | spend 4.00, then 6.00: balance 0.00, no notice yet |
  // 1.00 on 4 Jan refused: balance-exhausted (first drop since the purchase) | 1.00 on 5 Jan refused:
  // no second notice | top-up 5.00, 6.00 on 7 Jan refused: balance-exhausted again (a purchase came between).
  it('raises balance-exhausted at the first drop for lack of credit after each purchase', () => {
    const { ledger, events } = makeLedger();
    ledger.purchase(noon('2026-01-01'), usd('10'), 'initial');
    ledger.pay({ callIndex: 0, startAt: noon('2026-01-02'), poolSeconds: 0, creditSeconds: 60, pricing: flat('4') });
    ledger.pay({ callIndex: 1, startAt: noon('2026-01-03'), poolSeconds: 0, creditSeconds: 60, pricing: flat('6') });
    expect(lotsAfter(ledger)).toEqual({});
    ledger.pay({ callIndex: 2, startAt: noon('2026-01-04'), poolSeconds: 0, creditSeconds: 60, pricing: flat('1') });
    ledger.pay({ callIndex: 3, startAt: noon('2026-01-05'), poolSeconds: 0, creditSeconds: 60, pricing: flat('1') });
    ledger.purchase(noon('2026-01-06'), usd('5'), 'topup');
    ledger.pay({ callIndex: 4, startAt: noon('2026-01-07'), poolSeconds: 0, creditSeconds: 60, pricing: flat('6') });
    expect(eventLog(events)).toEqual([
      'purchase 10.00', 'spend 4.00', 'spend 6.00', 'balance-exhausted', 'refused', 'refused', 'purchase 5.00', 'balance-exhausted', 'refused',
    ]);
    const exhausted = events.filter((event) => event.type === 'balance-exhausted').map((event) => formatInstant(event.at));
    expect(exhausted).toEqual(['2026-01-04T12:00:00Z', '2026-01-07T12:00:00Z']);
  });
});

describe('lots: expiry after 12 calendar months', () => {
  it.each([
    // purchased, still there at, forfeited at
    ['2026-01-31T10:00:00Z', '2027-01-31T09:59:59Z', '2027-01-31T10:00:00Z'],
    ['2028-02-29T00:00:00Z', '2029-02-27T23:59:59Z', '2029-02-28T00:00:00Z'],
    ['2026-03-31T08:00:00Z', '2027-03-31T07:59:59Z', '2027-03-31T08:00:00Z'],
  ])('a lot bought %s is live at %s and forfeited at %s', (bought, live, forfeited) => {
    const { ledger, events } = makeLedger();
    ledger.purchase(at(bought), usd('10'), 'initial');
    ledger.advanceTo(at(live));
    expect(ledger.totals.balanceMicros).toBe(usd('10'));
    ledger.advanceTo(at(forfeited));
    expect(ledger.totals).toEqual({ fundedMicros: usd('10'), spentMicros: 0, forfeitedMicros: usd('10'), balanceMicros: 0 });
    const forfeit = events.find((event) => event.type === 'forfeit');
    expect(forfeit && formatInstant(forfeit.at)).toBe(forfeited);
  });

  // before: lot 1 = 10.00 (15 Jan 2026), lot 2 = 10.00 (15 Jun 2026) | spend 4.00 | 15 Jan 2027: lot 1 forfeits 6.00 | after: lot 2 = 10.00
  it('forfeits only what is left of the expiring lot', () => {
    const { ledger, events } = makeLedger();
    ledger.purchase(noon('2026-01-15'), usd('10'), 'initial');
    ledger.purchase(noon('2026-06-15'), usd('10'), 'topup');
    ledger.pay({ callIndex: 0, startAt: noon('2026-07-01'), poolSeconds: 0, creditSeconds: 60, pricing: flat('4') });
    ledger.advanceTo(noon('2027-01-15'));
    expect(lotsAfter(ledger)).toEqual({ 2: '10.00' });
    expect(eventLog(events)).toEqual(['purchase 10.00', 'purchase 10.00', 'spend 4.00', 'forfeit 6.00']);
  });

  it('keeps a lot expiring exactly at the end of the period in the closing balance', () => {
    const { ledger } = makeLedger();
    ledger.purchase(at('2026-01-01T00:00:00Z'), usd('10'), 'initial');
    expect(ledger.close(at('2027-01-01T00:00:00Z'))).toMatchObject({ forfeitedMicros: 0, balanceMicros: usd('10') });
  });
});

describe('partial payment, cut and refused calls', () => {
  // 0.30/min + 0.10 connection, 60/60, 300 s = 5 increments = 1.60. Balance 1.00 pays the fee and
  // 3 increments (0.10 + 0.90 = 1.00); with no recharge the call is cut at start + 180 s.
  it('cuts a call after the increments the balance covers', () => {
    const { ledger, events } = makeLedger();
    ledger.purchase(noon('2026-01-01'), usd('1'), 'initial');
    const outcome = ledger.pay({ callIndex: 0, startAt: noon('2026-01-02'), poolSeconds: 0, creditSeconds: 300, pricing: perMinute('0.30', '0.10') });
    expect(outcome).toMatchObject({ status: 'cut', paidMicros: usd('1'), billedSeconds: 180, paidSeconds: 180 });
    expect(outcome.status === 'cut' && formatInstant(outcome.cutAt)).toBe('2026-01-02T12:03:00Z');
    expect(eventLog(events)).toEqual(['purchase 1.00', 'spend 1.00', 'balance-exhausted', 'cut']);
  });

  // Same call with a 120 s pool part before it: the cut lands at start + 120 + 180 s.
  it('counts the pool-covered seconds before the cut', () => {
    const { ledger } = makeLedger();
    ledger.purchase(noon('2026-01-01'), usd('1'), 'initial');
    const outcome = ledger.pay({ callIndex: 0, startAt: noon('2026-01-02'), poolSeconds: 120, creditSeconds: 300, pricing: perMinute('0.30', '0.10') });
    expect(outcome.status === 'cut' && formatInstant(outcome.cutAt)).toBe('2026-01-02T12:05:00Z');
  });

  // Balance 1.00 pays 1.00 (fee + 3 min); 0 < trigger 5 buys 10.00 at once; the remaining 2
  // increments cost 0.60 without a second fee: 1.60 in all, as if paid whole; balance 9.40.
  it('goes on after a recharge that lands at once, without a second connection fee', () => {
    const { ledger, events } = makeLedger(policy({ triggerMicros: usd('5'), amountMicros: usd('10') }));
    ledger.purchase(noon('2026-01-01'), usd('1'), 'initial');
    const outcome = ledger.pay({ callIndex: 0, startAt: noon('2026-01-02'), poolSeconds: 0, creditSeconds: 300, pricing: perMinute('0.30', '0.10') });
    expect(outcome).toMatchObject({ status: 'paid', paidMicros: usd('1.60'), billedSeconds: 300 });
    expect(eventLog(events)).toEqual(['purchase 1.00', 'spend 1.00', 'purchase 10.00', 'spend 0.60']);
    expect(ledger.totals.balanceMicros).toBe(usd('9.40'));
  });

  // Fee 0.10 + first minute 0.30 = 0.40 > 0.25: nothing can be paid, so the call is refused.
  it('refuses a call that cannot pay its connection fee and first increment', () => {
    const { ledger, events } = makeLedger();
    ledger.purchase(noon('2026-01-01'), usd('0.25'), 'initial');
    const outcome = ledger.pay({ callIndex: 0, startAt: noon('2026-01-02'), poolSeconds: 0, creditSeconds: 30, pricing: perMinute('0.30', '0.10') });
    expect(outcome.status).toBe('refused');
    expect(eventLog(events)).toEqual(['purchase 0.25', 'balance-exhausted', 'refused']);
    expect(ledger.totals.balanceMicros).toBe(usd('0.25'));
  });

  // 30/6 billing: 45 s = first 30 + 3 x 6 = 48 s billed; 0.05/min x 48 s = 0.04 exactly.
  it('bills the first and next increments', () => {
    const { ledger } = makeLedger();
    ledger.purchase(noon('2026-01-01'), usd('1'), 'initial');
    const outcome = ledger.pay({ callIndex: 0, startAt: noon('2026-01-02'), poolSeconds: 0, creditSeconds: 45, pricing: perMinute('0.05', '0', 30, 6) });
    expect(outcome).toMatchObject({ status: 'paid', paidMicros: usd('0.04'), billedSeconds: 48 });
  });

  // A recorded charge is one indivisible piece: 0.50 against 0.30 is refused, never split.
  it('refuses a recorded charge the balance cannot cover', () => {
    const { ledger } = makeLedger();
    ledger.purchase(noon('2026-01-01'), usd('0.30'), 'initial');
    expect(ledger.pay({ callIndex: 0, startAt: noon('2026-01-02'), poolSeconds: 0, creditSeconds: 60, pricing: flat('0.50') }).status).toBe('refused');
  });
});

describe('auto-recharge', () => {
  const spend = (ledger: ReturnType<typeof makeLedger>['ledger'], day: string, amount: string, callIndex = 0) =>
    ledger.pay({ callIndex, startAt: noon(day), poolSeconds: 0, creditSeconds: 60, pricing: flat(amount) });

  // trigger 5.00: a balance of exactly 5.00 is not below it with "<", and is with "<=".
  it.each([
    ['<', ['purchase 8.00', 'spend 3.00']],
    ['<=', ['purchase 8.00', 'spend 3.00', 'purchase 10.00']],
  ] as const)('compares the balance with the trigger using %s', (compare, log) => {
    const { ledger, events } = makeLedger(policy({ compare }));
    ledger.purchase(noon('2026-01-01'), usd('8'), 'initial');
    spend(ledger, '2026-01-02', '3');
    expect(eventLog(events)).toEqual(log);
  });

  // mode "to" 20.00: 6.00 - 2.00 = 4.00 < 5.00, so buy 16.00 to reach 20.00.
  it('fills up to the level in mode "to"', () => {
    const { ledger, events } = makeLedger(policy({ mode: 'to', amountMicros: usd('20') }));
    ledger.purchase(noon('2026-01-01'), usd('6'), 'initial');
    spend(ledger, '2026-01-02', '2');
    expect(eventLog(events)).toEqual(['purchase 6.00', 'spend 2.00', 'purchase 16.00']);
    expect(ledger.totals.balanceMicros).toBe(usd('20'));
  });

  it('buys at least the minimum purchase in mode "to"', () => {
    const { ledger, events } = makeLedger(policy({ mode: 'to', amountMicros: usd('20') }), [], { minimumPurchaseMicros: usd('50') });
    ledger.purchase(noon('2026-01-01'), usd('6'), 'initial');
    spend(ledger, '2026-01-02', '2');
    expect(eventLog(events)).toEqual(['purchase 6.00', 'spend 2.00', 'purchase 50.00']);
  });

  // Delay 1 h: requested at 12:00 (balance 4.00), one in flight, so the 12:30 call (6.00) is
  // refused without a second request; the 13:00 call finds the 10.00 landed first.
  it('lands a delayed recharge later, with only one in flight', () => {
    const { ledger, events } = makeLedger(policy({ delaySeconds: 3600 }));
    ledger.purchase(noon('2026-01-01'), usd('6'), 'initial');
    spend(ledger, '2026-01-02', '2');
    ledger.advanceTo(at('2026-01-02T12:30:00Z'));
    const refused = ledger.pay({ callIndex: 1, startAt: at('2026-01-02T12:30:00Z'), poolSeconds: 0, creditSeconds: 60, pricing: flat('6') });
    ledger.advanceTo(at('2026-01-02T13:00:00Z'));
    const paid = ledger.pay({ callIndex: 2, startAt: at('2026-01-02T13:00:00Z'), poolSeconds: 0, creditSeconds: 60, pricing: flat('6') });
    expect([refused.status, paid.status]).toEqual(['refused', 'paid']);
    expect(eventLog(events)).toEqual(['purchase 6.00', 'spend 2.00', 'recharge-requested 10.00', 'balance-exhausted', 'refused', 'purchase 10.00', 'spend 6.00']);
  });

  // Card fails from 2 Jan; disabled after 2 consecutive failures: the third posting tries nothing.
  it('fails at every posting below the trigger until disabled', () => {
    const { ledger, events } = makeLedger(policy({ failFrom: at('2026-01-02T00:00:00Z'), disableAfterFailures: 2 }));
    ledger.purchase(noon('2026-01-01'), usd('6'), 'initial');
    spend(ledger, '2026-01-02', '2');
    spend(ledger, '2026-01-03', '1');
    spend(ledger, '2026-01-04', '1');
    expect(eventLog(events)).toEqual([
      'purchase 6.00', 'spend 2.00', 'recharge-failed', 'spend 1.00', 'recharge-failed', 'auto-recharge-disabled', 'spend 1.00',
    ]);
  });

  it('resets the failure count after a recharge works', () => {
    const { ledger, events } = makeLedger(policy({ failProbability: 0.5, disableAfterFailures: 50 }));
    ledger.purchase(noon('2026-01-01'), usd('6'), 'initial');
    for (let day = 2; day < 28; day++) spend(ledger, `2026-01-${String(day).padStart(2, '0')}`, '4', day);
    const kinds = eventLog(events).filter((entry) => entry.startsWith('purchase') || entry === 'recharge-failed');
    expect(kinds).toContain('recharge-failed');
    expect(kinds.filter((entry) => entry === 'purchase 10.00').length).toBeGreaterThan(0);
    expect(events.some((event) => event.type === 'auto-recharge-disabled')).toBe(false);
  });

  // A forfeit is a posting: lot 1 (8.00) expires, 0 < 5 buys 10.00 at the expiry instant.
  it('recharges when an expiry pulls the balance under the trigger', () => {
    const { ledger, events } = makeLedger(policy({}));
    ledger.purchase(at('2026-01-10T00:00:00Z'), usd('8'), 'initial');
    ledger.advanceTo(at('2027-01-10T00:00:00Z'));
    expect(eventLog(events)).toEqual(['purchase 8.00', 'forfeit 8.00', 'purchase 10.00']);
    const recharge = events[2];
    expect(recharge && formatInstant(recharge.at)).toBe('2027-01-10T00:00:00Z');
  });

  // A top-up is not a posting: buying 5.00 when the balance is 1.00 (below 5) triggers nothing.
  it('does not check the trigger after a top-up', () => {
    const { ledger, events } = makeLedger(policy({}), [{ at: noon('2026-01-03'), amountMicros: usd('5') }]);
    ledger.purchase(noon('2026-01-01'), usd('1'), 'initial');
    ledger.advanceTo(noon('2026-01-04'));
    expect(eventLog(events)).toEqual(['purchase 1.00', 'purchase 5.00']);
  });
});

describe('order at one instant', () => {
  // A top-up due at 12:00 applies before a call starting at 12:00.
  it('applies top-ups before calls that start at the same instant', () => {
    const { ledger } = makeLedger(null, [{ at: noon('2026-01-02'), amountMicros: usd('5') }]);
    ledger.advanceTo(noon('2026-01-02'));
    expect(ledger.pay({ callIndex: 0, startAt: noon('2026-01-02'), poolSeconds: 0, creditSeconds: 60, pricing: flat('3') }).status).toBe('paid');
  });

  // Lot 1 expires at the instant a top-up lands: expiry first, then the top-up.
  it('applies an expiry before a top-up at the same instant', () => {
    const { ledger, events } = makeLedger(null, [{ at: at('2027-01-01T00:00:00Z'), amountMicros: usd('5') }]);
    ledger.purchase(at('2026-01-01T00:00:00Z'), usd('3'), 'initial');
    ledger.advanceTo(at('2027-01-01T00:00:00Z'));
    expect(eventLog(events)).toEqual(['purchase 3.00', 'forfeit 3.00', 'purchase 5.00']);
  });
});
