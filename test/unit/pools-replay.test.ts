import { describe, expect, it } from 'vitest';
import { formatInstant } from '../../engine/kernel/time.js';
import { usd } from '../helpers.js';
import { fundings, rateRow, replayRows, TEST_RATES, type ScenarioJson } from '../replay-helpers.js';

const withCredits = (initial: string): ScenarioJson => ({ credits: { initial } });
const licensed = (capability: string, country: string | null, users: number, initial = '100') =>
  ({ licenses: [{ capability, ...(country === null ? {} : { country }), users }], credits: { initial } }) satisfies ScenarioJson;

describe('minute pools (RULES.md §3, §5)', () => {
  // MCOPSTN5 US, 1 licence = 120 min. A 61 s call draws 2 whole minutes; a 7110 s call then needs
  // 119 but 118 are left: 7080 s from the pool, 30 s from credits = one 60 s increment at 0.02.
  it('draws whole minutes per call and sends the rest of the exhausting call to credits', async () => {
    const result = await replayRows(
      [
        { capability: 'MCOPSTN5', domesticInternational: 'Domestic', durationSeconds: 61, startTime: '2026-01-05T10:00:00Z' },
        { capability: 'MCOPSTN5', domesticInternational: 'Domestic', durationSeconds: 7110, startTime: '2026-01-06T10:00:00Z' },
      ],
      licensed('MCOPSTN5', 'US', 1),
    );
    expect(fundings(result)).toEqual(['pool pool 61s credit 0s', 'credits pool 7080s credit 30s paid 0.02']);
    expect(result.pools).toEqual([
      expect.objectContaining({ capability: 'MCOPSTN5', country: 'US', month: '2026-01', kind: 'domestic', users: 1, minutes: 120, used: 120 }),
    ]);
    expect(formatInstant(result.pools[0]?.exhaustedAt as number)).toBe('2026-01-06T11:58:00Z');
    expect(result.calls).toMatchObject({ read: 2, pool: 1, credits: 1 });
  });

  it('draws seconds when the scenario says so', async () => {
    const scenario = { ...licensed('MCOPSTN5', 'US', 1), rating: { poolRounding: 'second' } } satisfies ScenarioJson;
    const result = await replayRows([{ capability: 'MCOPSTN5', domesticInternational: 'Domestic', durationSeconds: 61 }], scenario);
    expect(result.pools[0]).toMatchObject({ usedSeconds: 61 });
  });

  // The pool resets on 1 Feb: a 120-minute January does not touch February.
  it('resets pools each calendar month', async () => {
    const result = await replayRows(
      [
        { capability: 'MCOPSTN5', domesticInternational: 'Domestic', durationSeconds: 7200, startTime: '2026-01-31T10:00:00Z' },
        { capability: 'MCOPSTN5', domesticInternational: 'Domestic', durationSeconds: 60, startTime: '2026-02-01T10:00:00Z' },
      ],
      licensed('MCOPSTN5', 'US', 1),
    );
    expect(fundings(result)).toEqual(['pool pool 7200s credit 0s', 'pool pool 60s credit 0s']);
  });

  // At -05:00, 1 Feb 03:00 UTC is still 31 Jan: the call finds January's pool already used up.
  it('reads months on the scenario time zone', async () => {
    const scenario = { ...licensed('MCOPSTN5', 'US', 1), timeZone: '-05:00' };
    const result = await replayRows(
      [
        { capability: 'MCOPSTN5', domesticInternational: 'Domestic', durationSeconds: 7200, startTime: '2026-01-20T10:00:00Z' },
        { capability: 'MCOPSTN5', domesticInternational: 'Domestic', durationSeconds: 60, startTime: '2026-02-01T03:00:00Z' },
      ],
      scenario,
    );
    expect(fundings(result)[1]).toBe('credits pool 0s credit 60s paid 0.02');
  });

  // MCOPSTN2, 1 user: 600 international minutes used up caps the plan, so a domestic call pays
  // credits although 3000 domestic minutes are untouched ("whichever is reached first").
  it('caps a Domestic and International plan when either allowance is used up', async () => {
    const result = await replayRows(
      [
        { capability: 'MCOPSTN2', domesticInternational: 'International', destinationNumber: '+442079460000', durationSeconds: 36_000, startTime: '2026-01-05T08:00:00Z' },
        { capability: 'MCOPSTN2', domesticInternational: 'Domestic', durationSeconds: 60, startTime: '2026-01-06T08:00:00Z' },
      ],
      licensed('MCOPSTN2', 'US', 1),
    );
    expect(fundings(result)).toEqual(['pool pool 36000s credit 0s', 'credits pool 0s credit 60s paid 0.02']);
    const domestic = result.pools.find((pool) => pool.kind === 'domestic');
    expect(domestic && formatInstant(domestic.exhaustedAt as number)).toBe('2026-01-05T18:00:00Z');
  });

  // PR and US share one pool: PR user 100 min, then US user 30 min finds 20 left: 10 min credits = 0.20.
  it('shares one pool between US and PR users', async () => {
    const result = await replayRows(
      [
        { capability: 'MCOPSTN5', userLocation: 'PR', upn: 'pr@contoso.example', domesticInternational: 'Domestic', durationSeconds: 6000, startTime: '2026-01-05T08:00:00Z' },
        { capability: 'MCOPSTN5', domesticInternational: 'Domestic', durationSeconds: 1800, startTime: '2026-01-06T08:00:00Z' },
      ],
      licensed('MCOPSTN5', 'US', 1),
    );
    expect(fundings(result)).toEqual(['pool pool 6000s credit 0s', 'credits pool 1200s credit 600s paid 0.20']);
  });

  // MCOPSTN8 is per user: two users each talk 120 minutes without touching the other's pool.
  it('keeps MCOPSTN8 minutes per user', async () => {
    const result = await replayRows([
      { capability: 'MCOPSTN8', domesticInternational: 'Domestic', durationSeconds: 7200, upn: 'a@contoso.example' },
      { capability: 'MCOPSTN8', domesticInternational: 'Domestic', durationSeconds: 7200, upn: 'b@contoso.example', startTime: '2026-01-05T11:00:00Z' },
    ], withCredits('10'));
    expect(fundings(result)).toEqual(['pool pool 7200s credit 0s', 'pool pool 7200s credit 0s']);
    expect(result.pools).toEqual([expect.objectContaining({ capability: 'MCOPSTN8', users: 2, minutes: 240, used: 240 })]);
  });

  // No licence count given: January saw 2 MCOPSTN5 users (240 min), February 1 (120 min).
  it('sizes a pool by the distinct users seen that month when the scenario gives no count', async () => {
    const result = await replayRows([
      { capability: 'MCOPSTN5', domesticInternational: 'Domestic', upn: 'a@contoso.example', startTime: '2026-01-05T10:00:00Z' },
      { capability: 'MCOPSTN5', callType: 'user_in', upn: 'b@contoso.example', startTime: '2026-01-06T10:00:00Z' },
      { capability: 'MCOPSTN5', domesticInternational: 'Domestic', upn: 'a@contoso.example', startTime: '2026-02-05T10:00:00Z' },
    ], withCredits('10'));
    expect(result.pools.map((pool) => `${pool.month} ${pool.users} ${pool.minutes}`)).toEqual(['2026-01 2 240', '2026-02 1 120']);
  });

  // 1 Audio Conferencing licence = 60 min a month for Zone A dial-outs, tenant-wide: 50 min + 20
  // min leaves 10 min for credits at 0.024 = 0.24.
  it('draws conference dial-outs to Zone A from the tenant conferencing pool', async () => {
    const result = await replayRows([
      { callType: 'conf_out', capability: 'MCOMEETADD', destinationNumber: '+12125550100', durationSeconds: 3000, upn: 'a@contoso.example' },
      { callType: 'conf_out', capability: 'MCOMEETADD', destinationNumber: '+12125550101', durationSeconds: 1200, upn: 'b@contoso.example', startTime: '2026-01-05T11:00:00Z' },
    ], licensed('MCOMEETADD', null, 1));
    expect(fundings(result)).toEqual(['pool pool 3000s credit 0s', 'credits pool 600s credit 600s paid 0.24']);
  });
});

describe('who may use credits', () => {
  const onlyAna: ScenarioJson = { licenses: [{ capability: 'MCOPSTN5', country: 'US', users: 1 }], credits: { initial: '100', licensed: ['ana@contoso.example'] } };

  // Bob has no credits licence: his call that outlasts the 120-min pool is cut when it runs out,
  // and his international call is refused at its start.
  it('cuts or refuses calls of users without the Communications Credits licence', async () => {
    const result = await replayRows(
      [
        { capability: 'MCOPSTN5', domesticInternational: 'Domestic', durationSeconds: 7500, upn: 'bob@contoso.example', startTime: '2026-01-05T10:00:00Z' },
        { capability: 'MCOPSTN5', domesticInternational: 'International', destinationNumber: '+442079460000', upn: 'bob@contoso.example', startTime: '2026-01-06T10:00:00Z' },
        { capability: 'MCOPSTN5', domesticInternational: 'International', destinationNumber: '+442079460000', upn: 'ana@contoso.example', startTime: '2026-01-07T10:00:00Z' },
      ],
      onlyAna,
    );
    expect(fundings(result)).toEqual(['cut pool 7200s credit 300s', 'refused pool 0s credit 60s', 'credits pool 0s credit 60s paid 0.03']);
    expect(formatInstant(result.firstDrop as number)).toBe('2026-01-05T12:00:00Z');
    expect(result.drops).toBe(2);
  });
});

describe('rating and rejects in the replay', () => {
  // No rate for Japan: the PAYG call is rejected, and a call wholly in a pool needs no rate.
  it('rejects a call that needs a rate it does not have, and only such a call', async () => {
    const result = await replayRows(
      [
        { capability: 'MCOPSTN_PAYG_1', domesticInternational: 'International', destinationNumber: '+81312345678' },
        { capability: 'MCOPSTN1', domesticInternational: 'Domestic', destinationNumber: '+81312345678', userLocation: 'US', startTime: '2026-01-05T11:00:00Z' },
      ],
      withCredits('10'),
      TEST_RATES.filter((rate) => rate.prefix !== '1'),
    );
    expect(result.rejects.map((reject) => `${reject.line} ${reject.reason}`)).toEqual(['2 no-rate']);
    expect(fundings(result)).toEqual(['pool pool 60s credit 0s']);
    expect(result.calls).toMatchObject({ read: 2, rejected: 1, pool: 1 });
  });

  // A rejected call draws nothing: the 120-min pool is whole for the next call.
  it('does not draw a pool for a call it rejects', async () => {
    const result = await replayRows(
      [
        { capability: 'MCOPSTN5', domesticInternational: 'Domestic', destinationNumber: '+81312345678', durationSeconds: 7500 },
        { capability: 'MCOPSTN5', domesticInternational: 'Domestic', durationSeconds: 7200, startTime: '2026-01-05T11:00:00Z' },
      ],
      licensed('MCOPSTN5', 'US', 1),
      TEST_RATES.filter((rate) => rate.prefix !== '1'),
    );
    expect(fundings(result)).toEqual(['pool pool 7200s credit 0s']);
  });

  // 0.02 until 1 Jul, then 0.05 from its effective_from.
  it('prices a call with the rate in effect at its start', async () => {
    const rates = [rateRow('outbound', '1', '0.02'), rateRow('outbound', '1', '0.05', '0', 60, 60, '2026-07-01T00:00:00Z')];
    const result = await replayRows(
      [
        { capability: 'MCOPSTN_PAYG_1', domesticInternational: 'Domestic', startTime: '2026-06-30T23:59:59Z' },
        { capability: 'MCOPSTN_PAYG_1', domesticInternational: 'Domestic', startTime: '2026-07-01T00:00:00Z' },
      ],
      withCredits('10'),
      rates,
    );
    expect(fundings(result)).toEqual(['credits pool 0s credit 60s paid 0.02', 'credits pool 0s credit 60s paid 0.05']);
  });

  // Longest prefix: 44 7 (mobile, 0.12) beats 44 (0.03) for +44 7700 900123.
  it('uses the longest matching prefix', async () => {
    const rates = [...TEST_RATES, rateRow('outbound', '447', '0.12')];
    const result = await replayRows([{ capability: 'MCOPSTN_PAYG_1', domesticInternational: 'International', destinationNumber: '+447700900123' }], withCredits('10'), rates);
    expect(fundings(result)).toEqual(['credits pool 0s credit 60s paid 0.12']);
  });

  it('rejects calls outside the scenario period and counts every row', async () => {
    const result = await replayRows([{ startTime: '2025-12-31T23:59:59Z' }, { startTime: '2026-01-01T00:00:00Z' }, { startTime: '2027-01-01T00:00:00Z' }], withCredits('10'));
    expect(result.rejects.map((reject) => `${reject.line} ${reject.reason}`)).toEqual(['2 outside-period', '4 outside-period']);
    expect(result.calls).toMatchObject({ read: 3, rejected: 2, pool: 1 });
  });

  it('treats an unanswered (0 s) call as free', async () => {
    const result = await replayRows([{ capability: 'MCOPSTN_PAYG_1', durationSeconds: 0 }], withCredits('10'));
    expect(result.rows[0]).toMatchObject({ funding: 'free', why: 'unanswered (0 seconds)' });
  });

  // Toll-free inbound, 90 s at 0.018/min with 60/60 = 2 min = 0.036 -> 0.04 (half-up).
  it('charges toll-free inbound calls to credits at the toll-free rate', async () => {
    const result = await replayRows([{ callType: 'ucap_in', callerId: '+18005550100', durationSeconds: 90 }], withCredits('10'));
    expect(fundings(result)).toEqual(['credits pool 0s credit 90s paid 0.04']);
  });
});

describe('recorded charges and reconciliation', () => {
  // Recorded mode: a row's Charge + Connection Fee (0.45) is what the balance pays; a 0 charge
  // on a plan call is drawn from the pool; nothing is re-rated.
  it('replays the charges recorded in the export', async () => {
    const scenario: ScenarioJson = { rating: { source: 'recorded' }, credits: { initial: '10' } };
    const result = await replayRows(
      [
        { capability: 'MCOPSTN1', domesticInternational: 'International', destinationNumber: '+81312345678', charge: '0.35', connectionFee: '0.10' },
        { capability: 'MCOPSTN1', domesticInternational: 'Domestic', charge: '0', startTime: '2026-01-05T11:00:00Z' },
      ],
      scenario,
      [],
    );
    expect(fundings(result)).toEqual(['credits pool 0s credit 60s paid 0.45', 'pool pool 60s credit 0s']);
    expect(result.credits.closingMicros).toBe(usd('9.55'));
  });

  // Re-rated UK call: 0.03; recorded 0.05. Pool call: re-rated 0.00, recorded 0.00.
  it('reconciles recorded against re-rated charges per destination', async () => {
    const result = await replayRows(
      [
        { capability: 'MCOPSTN1', domesticInternational: 'International', destinationNumber: '+442079460000', charge: '0.05' },
        { capability: 'MCOPSTN1', domesticInternational: 'Domestic', charge: '0', startTime: '2026-01-05T11:00:00Z' },
      ],
      withCredits('10'),
    );
    expect(result.reconciliation).toEqual([
      { destination: '(no credit charge)', calls: 1, recordedMicros: 0, reratedMicros: 0 },
      { destination: 'outbound 44', calls: 1, recordedMicros: usd('0.05'), reratedMicros: usd('0.03') },
    ]);
  });

  // Two recorded charges of 5,000,000,000.00 are 10^16 micros together, past 2^53 (9.007e15): a
  // double would round the sum, so the run stops instead of printing it.
  it('refuses a sum of recorded charges past exact arithmetic', async () => {
    const huge = { capability: 'MCOPSTN1', domesticInternational: 'International', destinationNumber: '+442079460000', charge: '5000000000.00' };
    await expect(replayRows([huge, { ...huge, startTime: '2026-01-05T11:00:00Z' }], withCredits('10'))).rejects.toThrow(
      'the charges of the calls to "outbound 44" add up to more than 9007199254.740991, past exact arithmetic',
    );
  });
});
