import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rateCall, type CallCost, type CostApi } from '../../engine/cgrates/rate-call.js';
import type { TariffPlan } from '../../engine/cgrates/tariff-plan.js';
import { loadTariffPlan } from '../../engine/edge/load/load-tariff-plan.js';

/**
 * Calls rated by hand from CGRateS's own tariff plans (test/cgrates/tp, copied from
 * ../shared/cgrates-tp) with the rules of RATING.md. G is the increment rounding decimals:
 * a span costs n x roundG(roundG(seconds x rate / unit) / n) for its n increments.
 */
const TP = join(import.meta.dirname, 'tp');
const plans = new Map<string, TariffPlan>();

function plan(name: string): TariffPlan {
  let loaded = plans.get(name);
  if (loaded === undefined) plans.set(name, (loaded = loadTariffPlan(join(TP, name))));
  return loaded;
}

interface Call {
  tp: string;
  tenant?: string;
  category?: string;
  subject: string;
  destination: string;
  start: string;
  seconds: number;
  g?: number;
  api?: CostApi;
}

function rate(call: Call): CallCost {
  const result = rateCall(plan(call.tp), {
    tenant: call.tenant ?? 'cgrates.org',
    category: call.category ?? 'call',
    subject: call.subject,
    destination: call.destination,
    startMs: Date.parse(call.start),
    offsetMinutes: 0,
    usageNs: call.seconds * 1e9,
    voice: true,
    incrementDecimals: call.g ?? 5,
    costApi: call.api ?? 'responder',
  });
  if ('error' in result) throw new Error(`${result.error}: ${result.detail}`);
  return result;
}

/** Each span as "start offset-end offset timing rate slot cost", offsets in seconds from the call start. */
function spans(cost: CallCost): string[] {
  return cost.spans.map((span) => `${span.startNs / 1e9}-${span.endNs / 1e9} ${span.timingId} ${span.rateId} ${span.slotIndex} ${span.cost.toFixed()}`);
}

describe('CGRateS rating by hand', () => {
  it('splits a call where peak takes over from off-peak, and rounds the first span up to its increment', () => {
    // oldtutorial, subject 1001 -> RP_RETAIL2, 1002 -> DST_1002. Wed 2014-01-15 07:59:30 + 90 s.
    // 07:59:30-08:00:00 OFFPEAK_MORNING, RT_10CNT slot 0 (0.1 per 60 s, 60 s increments): 30 s is
    // rounded up to 60 s (until 08:00:30), 1 increment of 0.1. That absorbs PEAK's first slot
    // (offsets 30-60 s); PEAK's RT_20CNT slot 1 (GIS 60 s: 0.1 per 60 s, 1 s increments) rates 60-90 s:
    // raw 30 x 0.1 / 60 = 0.05; per second 0.05 / 30 = 0.0016666.. -> G5 0.00167, x 30 = 0.0501.
    // Total 0.2 (RT_10CNT's connect fee) + 0.1 + 0.0501 = 0.3501, *up to 4 decimals: 0.3501.
    const cost = rate({ tp: 'oldtutorial', subject: '1001', destination: '1002', start: '2014-01-15T07:59:30Z', seconds: 90 });
    expect(spans(cost)).toEqual(['0-60 OFFPEAK_MORNING RT_10CNT 0 0.1', '60-90 PEAK RT_20CNT 1 0.0501']);
    expect(cost.connectFee.toFixed()).toBe('0.2');
    expect(cost.cost.toFixed()).toBe('0.3501');
    // G6: 0.001667 x 30 = 0.05001; 0.2 + 0.1 + 0.05001 = 0.35001, *up to 4: 0.3501 (responder);
    // the apier answer is the unrounded-by-DestinationRate sum, roundG: 0.35001.
    expect(rate({ tp: 'oldtutorial', subject: '1001', destination: '1002', start: '2014-01-15T07:59:30Z', seconds: 90, g: 6 }).cost.toFixed()).toBe('0.3501');
    expect(rate({ tp: 'oldtutorial', subject: '1001', destination: '1002', start: '2014-01-15T07:59:30Z', seconds: 90, g: 6, api: 'apier' }).cost.toFixed()).toBe('0.35001');
  });

  it('cuts a call at midnight, from the weekend rate to the workday one', () => {
    // engine_loader_csv_test, vdf/0/one -> STANDARD, 4930 -> GERMANY (49). Sun 2012-03-04 23:59:30 + 60 s.
    // Sunday: WEEKENDS -> RT_STD_WEEKEND -> R2 (0.1 per 60 s, 1 s): 30 s raw 0.05, per s 0.0016666..
    //   G6 0.001667 x 30 = 0.05001.
    // Monday 00:00: WORKDAYS_00 -> RT_STANDARD -> R1 (0.2 per 60 s, 1 s): 30 s raw 0.1, per s
    //   0.0033333.. G6 0.003333 x 30 = 0.09999.
    // Total 0 + 0.05001 + 0.09999 = 0.15, *middle to 4: 0.15.
    const cost = rate({ tp: 'engine_loader_csv_test', tenant: 'vdf', category: '0', subject: 'one', destination: '4930', start: '2012-03-04T23:59:30Z', seconds: 60, g: 6 });
    expect(spans(cost)).toEqual(['0-30 WEEKENDS R2 0 0.05001', '30-60 WORKDAYS_00 R1 0 0.09999']);
    expect(cost.cost.toFixed()).toBe('0.15');
  });

  it('at midnight keeps the offsets of GroupIntervalStart running, and a rounded span absorbs the next', () => {
    // oldtutorial, subject 1005 -> *any -> RP_RETAIL1; 1002: DST_1002 has no rate in RP_RETAIL1,
    // so the walk goes on to 10 -> DST_FS. Fri 2014-01-17 23:59:40 + 90 s.
    // Friday 23:59:40: OFFPEAK_EVENING (19:00 beats 08:00 and 00:00) -> DR_FS_10CNT -> RT_10CNT slot 0
    // for 20 s, rounded up to its 60 s increment: 0.1, until offset 60 s (Sat 00:00:40).
    // Saturday, OFFPEAK_WEEKEND, same rate: offsets 20-60 (slot 0) are absorbed; 60-90 is slot 1
    // (GIS 60 s: 0.05 per 60 s, 1 s): raw 30 x 0.05 / 60 = 0.025, per s 0.025 / 30 = 0.000833..
    // -> G5 0.00083, x 30 = 0.0249. Total 0.2 + 0.1 + 0.0249 = 0.3249.
    const cost = rate({ tp: 'oldtutorial', subject: '1005', destination: '1002', start: '2014-01-17T23:59:40Z', seconds: 90 });
    expect(spans(cost)).toEqual(['0-60 OFFPEAK_EVENING RT_10CNT 0 0.1', '60-90 OFFPEAK_WEEKEND RT_10CNT 1 0.0249']);
    expect(cost.spans.map((span) => span.destinationId)).toEqual(['DST_FS', 'DST_FS']);
    expect(cost.cost.toFixed()).toBe('0.3249');
  });

  it('takes the next rate slot where the call crosses a GroupIntervalStart', () => {
    // tutorial2, subject 1002 (no profile) -> *any -> RP_STANDARD. 2012345: prefix 20 holds DST_20
    // (only on NEW_YEAR, not active on Mon 2019-03-04) and DST_2030 -> RT_120C. 10:00:00 + 90 s.
    // Slot 0 (GIS 0: 1.2 per 1 m, 1 m increments): 0-60 s, 1 increment of 1.2.
    // Slot 1 (GIS 1 m: 1.2 per 1 m, 1 s increments): 60-90 s, raw 0.6, per s 0.02, 30 x 0.02 = 0.6.
    // Total 0.2 + 1.2 + 0.6 = 2.
    const cost = rate({ tp: 'tutorial2', subject: '1002', destination: '2012345', start: '2019-03-04T10:00:00Z', seconds: 90 });
    expect(spans(cost)).toEqual(['0-60 *any RT_120C 0 1.2', '60-90 *any RT_120C 1 0.6']);
    expect(cost.cost.toFixed()).toBe('2');
    // New Year's day: DST_20 on NEW_YEAR (weight 20) is active and comes first at prefix 20 ->
    // RT_60C, 0.1 fee and 0.01 per second: 0.1 + 90 x 0.01 = 1.
    const newYear = rate({ tp: 'tutorial2', subject: '1002', destination: '2012345', start: '2020-01-01T10:00:00Z', seconds: 90 });
    expect(spans(newYear)).toEqual(['0-90 NEW_YEAR RT_60C 0 0.9']);
    expect(newYear.cost.toFixed()).toBe('1');
  });

  it('tries the fallback subjects when the plan has no rate for the destination', () => {
    // tutorial2, subject 1001 -> RP_1001, which rates only DST_1002; fallback *any -> RP_STANDARD,
    // DST_2030 -> RT_120C: 45 s rounded up to 60 s, 1.2, plus 0.2: 1.4.
    const viaFallback = rate({ tp: 'tutorial2', subject: '1001', destination: '2012345', start: '2019-03-04T10:00:00Z', seconds: 45 });
    expect(spans(viaFallback)).toEqual(['0-60 *any RT_120C 0 1.2']);
    expect(viaFallback.spans[0]?.ratingPlanId).toBe('RP_STANDARD');
    expect(viaFallback.cost.toFixed()).toBe('1.4');
    // engine_loader_csv_test, vdf/0/fallback1 (latest activation 13:47 -> plan G: GERMANY*, no NAT)
    // -> fallback2 (plan R: NAT -> R4, connect fee 1, 1 per 1 s). Mon 2013-11-18 14:00 + 10 s:
    // 1 + 10 x 1 = 11.
    const twoDeep = rate({ tp: 'engine_loader_csv_test', tenant: 'vdf', category: '0', subject: 'fallback1', destination: '0256123', start: '2013-11-18T14:00:00Z', seconds: 10 });
    expect(twoDeep.spans.map((span) => `${span.ratingPlanId} ${span.destinationId} ${span.rateId}`)).toEqual(['R NAT R4']);
    expect(twoDeep.cost.toFixed()).toBe('11');
  });

  it('caps the cost at a *free MaxCost, and leaves *disconnect to session control', () => {
    // oldtutorial RP_RETAIL2 (subject 1001), 1007 -> DR_1007_MAXCOST_FREE: 0.01 per s, cap 0.62 *free.
    // 50 s: 0.5 < 0.62, cost 0.5. 120 s: 1.2 >= 0.62, cost 0.62.
    const call = { tp: 'oldtutorial', subject: '1001', destination: '1007', start: '2014-01-15T10:00:00Z' };
    expect(rate({ ...call, seconds: 50 }).cost.toFixed()).toBe('0.5');
    expect(rate({ ...call, seconds: 120 }).cost.toFixed()).toBe('0.62');
    // APIerSv1.GetCost has no cap: 1.2.
    expect(rate({ ...call, seconds: 120, api: 'apier' }).cost.toFixed()).toBe('1.2');
    // RP_RETAIL1 (subject *any): DR_1007_MAXCOST_DISC, cap 0.62 *disconnect: GetCost ignores it, 1.2.
    expect(rate({ ...call, subject: '1005', seconds: 120 }).cost.toFixed()).toBe('1.2');
  });

  it('compares the running totals summed so far with a *free MaxCost, as CGRateS does', () => {
    // 1001 -> 1007 across midnight (the *any timing ends at midnight): 23:59:20 + 50 s.
    // Span 1, 40 s: 0.4; running total 0.4, MaxCostSoFar 0.4 < 0.62.
    // Span 2, 10 s: 0.1; running total 0.5, MaxCostSoFar 0.4 + 0.5 = 0.9 >= 0.62: cost 0.62,
    // though the call's own total, 0.5, is under the cap (the one-span call of 50 s above costs 0.5).
    const cost = rate({ tp: 'oldtutorial', subject: '1001', destination: '1007', start: '2014-01-15T23:59:20Z', seconds: 50 });
    expect(spans(cost)).toEqual(['0-40 *any RT_1CNT_PER_SEC 0 0.4', '40-50 *any RT_1CNT_PER_SEC 0 0.1']);
    expect(cost.cost.toFixed()).toBe('0.62');
  });

  it("takes CGRateS's side where its float rounding differs from exact arithmetic in the last digit", () => {
    // oldtutorial 1001 -> 1003 -> DR_1003_20CNT on PEAK -> RT_40CNT. Wed 2014-03-05 10:00 + 75 s, G5.
    // 0-60 s slot 0 (0.4 per 60 s, 30 s increments): 0.4. 60-75 s slot 1 (0.2 per 60 s, 10 s
    // increments) rounded up to 20 s: raw 20 x 0.2 / 60 = 0.0666.. -> G5 0.06667; per increment
    // 0.06667 / 2 = 0.033335 exactly, which *middle takes up to 0.03334; but the double nearest
    // 0.033335 is 0.0333349999.., so CGRateS takes 0.03333, and the span costs 0.06666, not 0.06668.
    const call = { tp: 'oldtutorial', subject: '1001', destination: '1003', start: '2014-03-05T10:00:00Z', seconds: 75 };
    const apier = rate({ ...call, api: 'apier' });
    expect(spans(apier)).toEqual(['0-60 PEAK RT_40CNT 0 0.4', '60-80 PEAK RT_40CNT 1 0.06666']);
    expect(apier.spans.map((span) => span.floatDecided)).toEqual([false, true]);
    // 0.8 + 0.4 + 0.06666 = 1.26666 (apier); *up to 4 decimals: 1.2667 (responder), as exact would give.
    expect(apier.cost.toFixed()).toBe('1.26666');
    expect(rate(call).cost.toFixed()).toBe('1.2667');
  });

  it('rates data in units (a bare number is nanoseconds, a unit each), in whole increments', () => {
    // tutorial2, category data -> RP_DATA -> DR_ANY_1024_1 (*any) -> RT_1024_1: 1 per 1024 units
    // in increments of 1024. 2000 units are rounded up to 2048: raw 2048 x 1 / 1024 = 2, 2
    // increments of 1: 2.
    const result = rateCall(plan('tutorial2'), { tenant: 'cgrates.org', category: 'data', subject: '1001', destination: 'anything', startMs: Date.parse('2019-03-04T23:59:59Z'), offsetMinutes: 0, usageNs: 2000, voice: false, incrementDecimals: 5, costApi: 'responder' });
    expect('error' in result ? result.error : result.spans.map((span) => `${span.startNs}-${span.endNs} ${span.rateId} ${span.increments} x ${span.incrementCost.toFixed()}`)).toEqual(['0-2048 RT_1024_1 2 x 1']);
    expect('error' in result ? result.error : result.cost.toFixed()).toBe('2');
  });

  it('charges nothing for a call of no length, not even the connect fee', () => {
    expect(rate({ tp: 'tutorial2', subject: '1002', destination: '2012345', start: '2019-03-04T10:00:00Z', seconds: 0 }).cost.toFixed()).toBe('0');
  });

  it('names what was looked up when there is no profile or no destination', () => {
    const failure = (subject: string, destination: string, tenant = 'cgrates.org') =>
      rateCall(plan('tutorial'), { tenant, category: 'call', subject, destination, startMs: Date.parse('2019-03-04T10:00:00Z'), offsetMinutes: 0, usageNs: 60e9, voice: true, incrementDecimals: 5, costApi: 'responder' });
    expect(failure('1001', '1009')).toMatchObject({ error: 'UNAUTHORIZED_DESTINATION', detail: expect.stringContaining('"1009" in rating plan "RP_1001"') });
    expect(failure('1001', '1002', 'other.org')).toMatchObject({ error: 'RATING_PLAN_NOT_FOUND', detail: expect.stringContaining('tenant "other.org", category "call", subject "1001"') });
  });
});
