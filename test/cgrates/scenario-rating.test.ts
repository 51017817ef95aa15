import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import { runReplay } from '../../engine/edge/run/run-replay.js';
import type { ExplainRow } from '../../engine/replay/result.js';
import { ReplaySeries } from '../../engine/report/html/replay-series.js';
import { runCli, tempFolder, writeFiles } from '../cli-helpers.js';
import { teamsCsv, type ExportRow } from '../teams-export.js';

/**
 * A tenant rated with a CGRateS tariff plan (`rating.source: "cgrates"`). The plan, written here:
 * Germany (+49) at 0.60 per minute in whole minutes with a 0.10 connect fee at peak (weekdays from
 * 08:00), 0.30 per minute by the second off-peak (from 18:00, before 08:00, weekends); the US (+1)
 * at 0.06 per minute by the second at peak and 0.03 off-peak; ana@ has a profile of her own, a flat
 * 0.01 per started minute to anywhere. Totals are rounded *up to cents.
 */
const PLAN = {
  'Destinations.csv': '#Id,Prefix\nDST_US,+1\nDST_DE,+49\n',
  'Timings.csv': '#Id,Years,Months,MonthDays,WeekDays,Time\nPEAK,*any,*any,*any,1;2;3;4;5,08:00:00\nEVENING,*any,*any,*any,1;2;3;4;5,18:00:00\nMORNING,*any,*any,*any,1;2;3;4;5,00:00:00\nWEEKEND,*any,*any,*any,6;7,00:00:00\n',
  'Rates.csv': '#Id,ConnectFee,Rate,RateUnit,RateIncrement,GroupIntervalStart\nRT_DE_PEAK,0.10,0.60,60s,60s,0s\nRT_DE_OFF,0,0.30,60s,1s,0s\nRT_US_PEAK,0,0.06,60s,1s,0s\nRT_US_OFF,0,0.03,60s,1s,0s\nRT_FLAT,0,0.01,60s,60s,0s\n',
  'DestinationRates.csv':
    '#Id,DestinationId,RatesTag,RoundingMethod,RoundingDecimals,MaxCost,MaxCostStrategy\nDR_DE_PEAK,DST_DE,RT_DE_PEAK,*up,2,0,\nDR_DE_OFF,DST_DE,RT_DE_OFF,*up,2,0,\nDR_US_PEAK,DST_US,RT_US_PEAK,*up,2,0,\nDR_US_OFF,DST_US,RT_US_OFF,*up,2,0,\nDR_FLAT,*any,RT_FLAT,*up,2,0,\n',
  'RatingPlans.csv':
    '#Id,DestinationRatesId,TimingTag,Weight\n' +
    ['DR_DE_PEAK,PEAK', 'DR_DE_OFF,EVENING', 'DR_DE_OFF,MORNING', 'DR_DE_OFF,WEEKEND', 'DR_US_PEAK,PEAK', 'DR_US_OFF,EVENING', 'DR_US_OFF,MORNING', 'DR_US_OFF,WEEKEND'].map((entry) => `RP_TEAMS,${entry},10\n`).join('') +
    'RP_ANA,DR_FLAT,*any,10\n',
  'RatingProfiles.csv': '#Tenant,Category,Subject,ActivationTime,RatingPlanId,RatesFallbackSubject\ncontoso,call,*any,2026-01-01T00:00:00Z,RP_TEAMS,\ncontoso,call,ana@contoso.example,2026-01-01T00:00:00Z,RP_ANA,\n',
};

/** A 1-minute US pool per licensed user, so a call's tail goes to credits. */
const ALLOWANCES = 'capability,kind,countries,minutes,international_minutes,description\nPLAN1,calling_plan,US,1,0,one minute\nPAYG,pay_as_you_go,*,0,0,credits only\n';

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function tenant(rows: readonly ExportRow[], subject: string, extra: Record<string, unknown> = {}): { cdr: string; scenario: string } {
  const folder = tempFolder();
  folders.push(folder);
  writeFiles(folder, {
    'cdr.csv': teamsCsv(rows),
    'allowances.csv': ALLOWANCES,
    'scenario.json': JSON.stringify({
      currency: 'USD',
      start: '2026-01-01T00:00:00Z',
      end: '2026-02-01T00:00:00Z',
      allowances: 'allowances.csv',
      licenses: [{ capability: 'PLAN1', country: 'US', users: 1 }],
      credits: { initial: '100.00', minimumPurchase: '0' },
      rating: { source: 'cgrates', tariffPlan: 'tp', tenant: 'contoso', category: 'call', subject },
      ...extra,
    }),
  });
  mkdirSync(join(folder, 'tp'));
  writeFiles(join(folder, 'tp'), PLAN);
  return { cdr: join(folder, 'cdr.csv'), scenario: join(folder, 'scenario.json') };
}

async function explained(rows: readonly ExportRow[], subject: string): Promise<ExplainRow[]> {
  const files = tenant(rows, subject);
  const out: ExplainRow[] = [];
  const result = await runReplay([files.cdr], files.scenario, { workers: 1, explain: (row) => out.push(row) });
  expect(result.calls.read).toBe(rows.length);
  return out;
}

const BO = { upn: 'bo@contoso.example', capability: 'PAYG' };

describe('a scenario rated with a CGRateS tariff plan', () => {
  it('prices a credit-funded call across peak and off-peak', async () => {
    // Mon 2026-01-05 17:59:00 + 120 s to Germany, all from credits (PAYG), subject "acct" -> *any -> RP_TEAMS:
    // 17:59-18:00 PEAK RT_DE_PEAK: 0.60; 18:00-18:01 EVENING RT_DE_OFF: 60 x 0.30/60 = 0.30; fee 0.10.
    // Total 1.00.
    const rows = await explained([{ ...BO, destinationNumber: '+4930123456', startTime: '2026-01-05T17:59:00Z', durationSeconds: 120 }], 'acct');
    expect(rows.map((row) => `${row.funding} ${row.credit_s} ${row.charge}`)).toEqual(['credits 120 1.00']);
  });

  it("prices only the credit-funded tail after the pool's minutes, at the tail's own time of day", async () => {
    // US, PLAN1 with a 1-minute pool: 17:59:00 + 150 s: the pool takes 60 s (17:59-18:00); the
    // credit-funded 90 s start at 18:00:00, off-peak: 90 x 0.03/60 = 0.045, per second 0.0005 (G5),
    // 90 x 0.0005 = 0.045, *up to cents: 0.05. (From the call's start, at peak, it would be 0.09.)
    const rows = await explained([{ ...BO, capability: 'PLAN1', destinationNumber: '+14255550100', startTime: '2026-01-05T17:59:00Z', durationSeconds: 150 }], 'acct');
    expect(rows.map((row) => `${row.funding} pool ${row.pool_s} credit ${row.credit_s} ${row.charge}`)).toEqual(['credits pool 60 credit 90 0.05']);
  });

  it('takes the subject from the UPN, and rejects a call nothing rates as no-rate', async () => {
    // ana@ -> RP_ANA: 0.01 per started minute anywhere, 61 s -> 2 minutes: 0.02.
    // bo@ has no profile -> *any -> RP_TEAMS: Germany 61 s at 10:00 (peak) -> 2 minutes at 0.60 + 0.10 = 1.30.
    // bo@ to Japan: no +81 in RP_TEAMS, no *any: UNAUTHORIZED_DESTINATION -> rejected no-rate.
    const call = { capability: 'PAYG', destinationNumber: '+4930123456', startTime: '2026-01-05T10:00:00Z', durationSeconds: 61 };
    const files = tenant([{ ...call, upn: 'ana@contoso.example' }, { ...call, upn: 'bo@contoso.example' }, { ...call, upn: 'bo@contoso.example', destinationNumber: '+81312345678' }], 'upn');
    const rows: ExplainRow[] = [];
    const result = await runReplay([files.cdr], files.scenario, { workers: 1, explain: (row) => rows.push(row) });
    expect(rows.map((row) => `${row.user} ${row.charge}`)).toEqual(['ana@contoso.example 0.02', 'bo@contoso.example 1.30']);
    expect(result.rejects.map((reject) => `${reject.line} ${reject.reason}`)).toEqual(['4 no-rate']);
    expect(result.credits.spentMicros).toBe(1_320_000);
  });

  it('runs forecast, recommend and sweep with it, on worker threads too', () => {
    const rows: ExportRow[] = [];
    for (let day = 5; day <= 30; day++) rows.push({ ...BO, destinationNumber: '+4930123456', startTime: `2026-01-${String(day).padStart(2, '0')}T17:59:00Z`, durationSeconds: 120 });
    const files = tenant(rows, 'acct');
    const common = ['--cdrs', files.cdr, '--scenario', files.scenario, '--json', '--workers', '2'];
    const forecast = runCli(['forecast', ...common, '--horizon', '2', '--trials', '20']);
    expect(forecast.code, forecast.stderr).toBe(0);
    // Every history day has the same call, and bootstrap days keep weekdays and weekends apart, so
    // every trial spends alike: January 2026 has 22 weekdays and 9 weekend days, 22 x 1.00 +
    // 9 x 0.60 = 27.40; February 20 and 8, 20 x 1.00 + 8 x 0.60 = 24.80.
    const months = (JSON.parse(forecast.stdout) as { months: { month: string; spent: { p5: string; p95: string } }[] }).months;
    expect(months.map((month) => `${month.month} ${month.spent.p5} ${month.spent.p95}`)).toEqual(['2026-01 27.40 27.40', '2026-02 24.80 24.80']);
    const recommend = runCli(['recommend', ...common, '--horizon', '2', '--trials', '20']);
    expect(recommend.code, recommend.stderr).toBe(0);
    // Without recharges the two months need 27.40 + 24.80 = 52.20, so 60.00 in steps of 10; with
    // 50.00 the balance after 25 February is 50.00 - 27.40 - (18 x 1.00 + 7 x 0.60) = 0.40. In the
    // overdraft model (the default) Thursday the 26th's 1.00 call still starts (0.40 > 0) and leaves
    // -0.60, so Friday the 27th's is the first refused.
    const recommended = JSON.parse(recommend.stdout) as { initial: { noRecharge: string }; explanation: string[] };
    expect(recommended.initial.noRecharge).toBe('60.00');
    expect(recommended.explanation[1]).toContain('the first at 2026-02-27T17:59:00Z');
    const sweep = runCli(['sweep', ...common, '--horizon', '2', '--trials', '20', '--trigger', '10,20', '--amount', '50']);
    expect(sweep.code, sweep.stderr).toBe(0);
    // The replay of the history: 26 calls at 17:59 + 120 s, 5 to 30 January. The 20 weekdays' cost
    // 1.00 each (above); the 6 weekend days' (10, 11, 17, 18, 24, 25) are off-peak throughout:
    // 120 x 0.30/60 = 0.60, no fee. Spent: 20 x 1.00 + 6 x 0.60 = 23.60.
    const replay = runCli(['replay', ...common]);
    expect(replay.code, replay.stderr).toBe(0);
    expect(JSON.parse(replay.stdout).credits.spent).toBe('23.60');
  });

  it("splits a postpaid invoice by the tariff plan's destinations, not as recorded charges", async () => {
    // Postpaid, all from credits (PAYG), subject "acct" -> RP_TEAMS, both Mon 2026-01-05 at 10:00 (peak):
    // Germany 120 s: 2 x 0.60 + 0.10 = 1.30; the US 60 s: 60 x 0.06/60 = 0.06. January's invoice 1.36,
    // one line per Destinations id the number matched (DST_DE, DST_US).
    const call = { ...BO, startTime: '2026-01-05T10:00:00Z' };
    const files = tenant([{ ...call, destinationNumber: '+4930123456', durationSeconds: 120 }, { ...call, destinationNumber: '+14255550100', durationSeconds: 60 }], 'acct', {
      billing: 'postpaid',
      credits: { minimumPurchase: '0' },
    });
    const series = new ReplaySeries();
    const result = await runReplay([files.cdr], files.scenario, { workers: 1, watch: series });
    expect(result.invoices.map((invoice) => `${invoice.month} ${invoice.amountMicros}`)).toEqual(['2026-01 1360000']);
    // The HTML report's top destinations name the same Destinations ids.
    expect(series.data().topDestinations.map((line) => `${line.name} ${line.spentMicros}`)).toEqual(['DST_DE 1300000', 'DST_US 60000']);
    expect(result.invoices[0]?.split.map((line) => `${line.service} ${line.destination} ${line.calls} ${line.amountMicros}`)).toEqual([
      'outbound DST_DE 1 1300000',
      'outbound DST_US 1 60000',
    ]);
  });

  it('refuses a scenario whose cgrates keys are missing or stray, naming the key', () => {
    const files = tenant([BO], 'acct', { rating: { source: 'cgrates', tariffPlan: 'tp', tenant: 'contoso', category: 'call' } });
    const missing = runCli(['replay', '--cdrs', files.cdr, '--scenario', files.scenario]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('rating.subject: required when rating.source is "cgrates"');
    const stray = tenant([BO], 'acct', { rating: { source: 'recorded', tariffPlan: 'tp' } });
    const strayRun = runCli(['replay', '--cdrs', stray.cdr, '--scenario', stray.scenario]);
    expect(strayRun.code).toBe(2);
    expect(strayRun.stderr).toContain('rating.tariffPlan: only read when rating.source is "cgrates"');
  });
});
